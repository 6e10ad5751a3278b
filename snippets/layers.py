"""A fully connected (dense) layer as a pure forward/backward pair.

The book writes one layer as z = W a + b with W of shape (M_l, M_{l-1}).
Here a mini-batch is stored row by row, X of shape (n, M_{l-1}), so the same
layer reads Z = X W^T + b.
"""

import numpy as np

from snippets.validation import as_float_array


def dense_forward(X, W, b):
    """Affine map of a batch: Z = X W^T + b.

    Parameters
    ----------
    X : ndarray, shape (n, d_in)
    W : ndarray, shape (d_out, d_in)
    b : ndarray, shape (d_out,)

    Returns
    -------
    Z : ndarray, shape (n, d_out)
    cache : tuple
        ``(X, W)``, what ``dense_backward`` needs.

    Examples
    --------
    >>> Z, _ = dense_forward(np.array([[1.0, 2.0]]), np.eye(2), np.array([0.5, 0.0]))
    >>> Z.tolist()
    [[1.5, 2.0]]
    """
    X, W, b = as_float_array(X, "X", 2), as_float_array(W, "W", 2), as_float_array(b, "b", 1)
    if X.shape[1] != W.shape[1] or b.shape[0] != W.shape[0]:
        raise ValueError(
            f"shapes do not fit: X {X.shape}, W {W.shape}, b {b.shape}; "
            "expected X (n, d_in), W (d_out, d_in), b (d_out,)"
        )
    return X @ W.T + b, (X, W)


def dense_backward(dZ, cache):
    """Gradients of a dense layer given dL/dZ.

    Parameters
    ----------
    dZ : ndarray, shape (n, d_out)
    cache : tuple
        The ``(X, W)`` returned by ``dense_forward``.

    Returns
    -------
    dX : ndarray, shape (n, d_in)
    dW : ndarray, shape (d_out, d_in)
    db : ndarray, shape (d_out,)

    Examples
    --------
    >>> X, W = np.array([[1.0, 2.0]]), np.eye(2)
    >>> dX, dW, db = dense_backward(np.array([[1.0, 0.0]]), (X, W))
    >>> dW.tolist(), db.tolist()
    ([[1.0, 2.0], [0.0, 0.0]], [1.0, 0.0])
    """
    X, W = cache
    dZ = as_float_array(dZ, "dZ", 2)
    if dZ.shape != (X.shape[0], W.shape[0]):
        raise ValueError(f"dZ must have shape {(X.shape[0], W.shape[0])}, got {dZ.shape}")
    return dZ @ W, dZ.T @ X, dZ.sum(axis=0)
