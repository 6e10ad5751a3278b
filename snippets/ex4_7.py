"""Exercise 4-7: why the structured risk penalises the weights but not the biases.

Closed-form ridge regression and L2-regularised logistic regression, each with
the bias either left out of the penalty (as in book §4.3.3) or put into it, on
data whose origin is far from where the data live.
"""

import numpy as np

from snippets.activations import sigmoid
from snippets.mlp import MLP, count_parameters, check_sizes
from snippets.plotting import new_figure
from snippets.validation import as_float_array, check_positive


def parameter_counts(sizes):
    """Numbers of weights and of biases of a fully connected network.

    Biases: one per non-input unit, sum of M_l; weights: sum of M_{l-1} M_l.

    Examples
    --------
    >>> parameter_counts([784, 256, 128, 10])
    (234752, 394)
    """
    sizes = check_sizes(sizes)
    n_biases = sum(sizes[1:])
    return count_parameters(sizes) - n_biases, n_biases


def _check_xy(X, y):
    X, y = as_float_array(X, "X", 2), as_float_array(y, "y", 1)
    if X.shape[0] != y.shape[0] or X.shape[0] < 1:
        raise ValueError(f"X must have shape (n, d) and y shape (n,) with n >= 1, got "
                         f"X {X.shape}, y {y.shape}")
    return X, y


def _check_lam(lam):
    if lam == 0:
        return 0.0
    return check_positive(lam, "lam")


def ridge_fit(X, y, lam, penalize_bias=False):
    """Minimise (1/2n) ||y - X w - b||^2 + (lam/2) (||w||^2 [+ b^2]) in closed form.

    Solves the normal equations (A^T A / n + lam P) theta = A^T y / n with
    A = [X, 1], theta = (w, b) and P = diag(1, ..., 1, penalize_bias).

    Parameters
    ----------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,)
    lam : float, >= 0
    penalize_bias : bool

    Returns
    -------
    w : ndarray, shape (d,)
    b : float

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0]]); y = 10.0 + 2.0 * X[:, 0]
    >>> w, b = ridge_fit(X, y, 0.0)
    >>> w.round(6).tolist(), round(b, 6)
    ([2.0], 10.0)
    """
    X, y = _check_xy(X, y)
    lam = _check_lam(lam)
    n, d = X.shape
    A = np.column_stack([X, np.ones(n)])
    P = np.diag(np.r_[np.ones(d), float(bool(penalize_bias))])
    theta = np.linalg.solve(A.T @ A / n + lam * P, A.T @ y / n)
    return theta[:d], float(theta[d])


def offset_regression_data(n, d, rng, offset=50.0, noise=1.0):
    """Targets far from the origin: y = offset + w^T x + noise, x ~ N(0, I).

    Returns
    -------
    X : ndarray, shape (n, d)
    y : ndarray, shape (n,)
    w : ndarray, shape (d,), the true weights, drawn from N(0, I)

    Examples
    --------
    >>> X, y, w = offset_regression_data(5, 3, np.random.default_rng(0))
    >>> X.shape, y.shape, w.shape
    ((5, 3), (5,), (3,))
    """
    for name, v in (("n", n), ("d", d)):
        if not (isinstance(v, (int, np.integer)) and v >= 1):
            raise ValueError(f"{name} must be a positive integer, got {v!r}")
    w = rng.normal(size=d)
    X = rng.normal(size=(n, d))
    return X, offset + X @ w + noise * rng.normal(size=n), w


def ridge_test_errors(train, test, lams, penalize_bias):
    """Test mean squared error of ``ridge_fit`` for every lam in ``lams``.

    Parameters
    ----------
    train, test : tuple (X, y)
    lams : sequence of float

    Returns
    -------
    ndarray, shape (len(lams),)
    """
    (X, y), (X_test, y_test) = train, test
    errors = []
    for lam in lams:
        w, b = ridge_fit(X, y, lam, penalize_bias)
        errors.append(np.mean((X_test @ w + b - y_test) ** 2))
    return np.array(errors)


def far_blobs(n_per_class, rng, boundary=8.0, gap=1.5, spread=1.0):
    """Two Gaussian classes on either side of the line x1 = ``boundary``.

    Class 0 is centred at (boundary - gap, 0), class 1 at (boundary + gap, 0),
    both with standard deviation ``spread``: the Bayes boundary is x1 = boundary,
    far from the origin.

    Returns
    -------
    X : ndarray, shape (2 n_per_class, 2)
    y : ndarray, shape (2 n_per_class,), labels 0 and 1

    Examples
    --------
    >>> X, y = far_blobs(3, np.random.default_rng(0))
    >>> X.shape, y.tolist()
    ((6, 2), [0.0, 0.0, 0.0, 1.0, 1.0, 1.0])
    """
    if not (isinstance(n_per_class, (int, np.integer)) and n_per_class >= 1):
        raise ValueError(f"n_per_class must be a positive integer, got {n_per_class!r}")
    centres = np.array([[boundary - gap, 0.0], [boundary + gap, 0.0]])
    X = np.vstack([c + spread * rng.normal(size=(n_per_class, 2)) for c in centres])
    return X, np.repeat([0.0, 1.0], n_per_class)


def logistic_fit(X, y, lam, penalize_bias=False, steps=50, tol=1e-12):
    """L2-regularised logistic regression by Newton's method.

    Minimises mean(softplus(z) - y z) + (lam/2)(||w||^2 [+ b^2]), z = X w + b,
    a strictly convex function for lam > 0, starting from w = 0, b = 0.

    Returns
    -------
    w : ndarray, shape (d,)
    b : float
    grad_norm : float
        Norm of the gradient at the returned point (0 at the optimum).

    Examples
    --------
    >>> X = np.array([[-1.0], [1.0]]); y = np.array([0.0, 1.0])
    >>> w, b, g = logistic_fit(X, y, 0.1)
    >>> round(float(w[0]), 4), round(b, 4), g < 1e-10
    (1.6335, 0.0, True)
    """
    X, y = _check_xy(X, y)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must contain only the labels 0 and 1")
    lam = check_positive(lam, "lam")
    n, d = X.shape
    A = np.column_stack([X, np.ones(n)])
    P = np.diag(np.r_[np.ones(d), float(bool(penalize_bias))])
    theta = np.zeros(d + 1)
    for _ in range(steps):
        p = sigmoid(A @ theta)
        grad = A.T @ (p - y) / n + lam * P @ theta
        if np.linalg.norm(grad) < tol:
            break
        hess = (A * (p * (1 - p))[:, None]).T @ A / n + lam * P
        theta -= np.linalg.solve(hess, grad)
    grad = A.T @ (sigmoid(A @ theta) - y) / n + lam * P @ theta
    return theta[:d], float(theta[d]), float(np.linalg.norm(grad))


def accuracy(X, y, w, b):
    """Fraction of points with (X w + b > 0) equal to the label.

    Examples
    --------
    >>> accuracy(np.array([[1.0], [-1.0]]), np.array([1.0, 1.0]), np.array([1.0]), 0.0)
    0.5
    """
    X, y = _check_xy(X, y)
    return float(np.mean((X @ np.asarray(w, dtype=float) + b > 0) == (y == 1)))


def slope_bound_check(net, rng, n_pairs=20000, box=3.0):
    """Largest observed |y(x) - y(x')| / ||x - x'|| and the bound prod_l ||W(l)||_2.

    For 1-Lipschitz activations (ReLU) the network's Lipschitz constant is at
    most the product of the spectral norms of its weight matrices, whatever the
    biases are. Pairs are drawn uniformly from [-box, box]^D.

    Returns
    -------
    observed : float
    bound : float
    """
    D = net.sizes[0]
    X1 = rng.uniform(-box, box, size=(n_pairs, D))
    X2 = X1 + rng.normal(scale=0.1, size=(n_pairs, D))
    ratio = np.abs(net.forward(X1) - net.forward(X2)).ravel() \
        / np.linalg.norm(X1 - X2, axis=1)
    bound = float(np.prod([np.linalg.norm(W, 2) for W in net.W]))
    return float(ratio.max()), bound


def scaled_bias_copy(net, scale):
    """A copy of an MLP with the same weights and every bias multiplied by ``scale``."""
    new = MLP(net.sizes, hidden=net.f_hidden, output=net.f_output, init="zeros")
    for l in range(len(net.W)):
        new.W[l][:] = net.W[l]
        new.b[l][:] = scale * net.b[l]
    return new


def plot_ridge_errors(lams, err_free, err_penalized, baseline):
    """Test error against lambda with and without the bias in the penalty.

    ``baseline`` is the test error of predicting the training mean, the limit
    of the unpenalised-bias fit as lambda grows.
    """
    fig, ax = new_figure(width=6.0, height=3.8)
    ax.plot(lams, err_free, "-", color="#1a56db", lw=1.8, label="只惩罚 w")
    ax.plot(lams, err_penalized, "-", color="#c81e1e", lw=1.8,
            label="w 和 b 都惩罚")
    ax.axhline(baseline, color="0.4", lw=0.9, ls=":", label="预测训练均值")
    ax.set(xscale="log", yscale="log", xlabel="λ", ylabel="测试均方误差")
    ax.minorticks_off()
    ax.legend(fontsize=9)
    return fig


def plot_boundaries(X, y, fits):
    """Data of ``far_blobs`` with the decision boundaries of the fitted models.

    ``fits`` maps a legend label to (w, b, color).
    """
    fig, ax = new_figure(width=7.4, height=3.4)
    for label, marker, color in ((0, "o", "#1a56db"), (1, "s", "#d97706")):
        pts = X[y == label]
        ax.plot(pts[:, 0], pts[:, 1], marker, ls="none", ms=3, color=color,
                label=f"y = {label}")
    x2 = np.array([-4.0, 4.0])
    for name, (w, b, color) in fits.items():
        ax.plot(-(b + w[1] * x2) / w[0], x2, color=color, lw=1.8, label=name)
    ax.plot([0], [0], "k+", ms=10)
    ax.annotate("原点", (0, 0), xytext=(4, 4), textcoords="offset points", fontsize=9)
    ax.set(xlim=(-0.5, 13), ylim=(-4, 4), xlabel="x1", ylabel="x2", aspect="equal")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig
