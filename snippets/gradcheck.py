"""Central-difference gradient checking in float64, with relative error."""

import numpy as np

from snippets.validation import as_float_array, check_positive


def numerical_derivative(f, x, eps=1e-5):
    """Element-wise central difference (f(x + eps) - f(x - eps)) / (2 eps).

    For element-wise functions such as activations.

    Examples
    --------
    >>> numerical_derivative(np.square, np.array([3.0])).round(6).tolist()
    [6.0]
    """
    x, eps = as_float_array(x), check_positive(eps, "eps")
    return (f(x + eps) - f(x - eps)) / (2.0 * eps)


def numerical_gradient(f, x, eps=1e-5):
    """Gradient of a scalar function f at the array x, one entry at a time.

    ``x`` is perturbed in place and restored, so ``f`` may read it directly
    (e.g. a network's weight matrix).

    Parameters
    ----------
    f : callable
        ``f()`` returns a float that depends on the current contents of ``x``.
    x : ndarray of float64
        The array to differentiate with respect to.

    Examples
    --------
    >>> w = np.array([1.0, -2.0])
    >>> numerical_gradient(lambda: float(np.sum(w ** 2)), w).round(6).tolist()
    [2.0, -4.0]
    """
    if not (isinstance(x, np.ndarray) and x.dtype == np.float64):
        raise ValueError("x must be a float64 ndarray (it is perturbed in place)")
    eps = check_positive(eps, "eps")
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps
        f_plus = f()
        x[idx] = old - eps
        f_minus = f()
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def relative_error(a, b, floor=1e-12):
    """max |a - b| / max(max |a|, max |b|, floor): the largest discrepancy relative
    to the largest entry, so tiny entries of a gradient do not dominate.

    Examples
    --------
    >>> round(relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.002])), 6)
    0.000999
    """
    a, b = as_float_array(a, "a"), as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    scale = max(np.max(np.abs(a)), np.max(np.abs(b)), floor)
    return float(np.max(np.abs(a - b)) / scale)
