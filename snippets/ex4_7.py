"""Exercise 4-7: why the structured risk penalises the weights but not the biases.

Closed-form ridge regression, L2-regularised Logistic regression and a
one-hidden-layer ReLU network, each with the bias either left out of the
penalty (as in book §4.3.3) or put into it, on data whose origin is far from
where the data live; and how a ReLU network's slope changes with its biases.
"""

import numpy as np

from snippets.activations import identity, relu, sigmoid
from snippets.mlp import MLP, Adam, count_parameters, check_sizes
from snippets.plotting import figure_text, new_figure
from snippets.validation import as_float_array, check_positive, is_number


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


def regression_problem(rng, n=20, d=15, offset=50.0, noise=2.0, n_test=5000):
    """Training and test sets of ``offset_regression_data`` with the same weights.

    Returns
    -------
    train, test : tuple (X, y)

    Examples
    --------
    >>> train, test = regression_problem(np.random.default_rng(0), n_test=7)
    >>> train[0].shape, test[0].shape
    ((20, 15), (7, 15))
    """
    X, y, w = offset_regression_data(n, d, rng, offset=offset, noise=noise)
    X_test = rng.normal(size=(n_test, d))
    return (X, y), (X_test, offset + X_test @ w + noise * rng.normal(size=n_test))


def ridge_repeat_counts(rng, lams, n_sets=30):
    """The page's regression again, on ``n_sets`` new ``regression_problem`` draws.

    Returns
    -------
    worse : ndarray of int, shape (len(lams),)
        On how many problems penalising b gives the higher test MSE, per lam.
    free_best : int
        On how many the best test MSE over ``lams`` is lower with b free.
    """
    worse, free_best = np.zeros(len(lams), dtype=int), 0
    for _ in range(n_sets):
        train, test = regression_problem(rng)
        free, pen = (ridge_test_errors(train, test, lams, p) for p in (False, True))
        worse += pen > free
        free_best += int(free.min() < pen.min())
    return worse, free_best


def solve_error_bound(X, lam, thetas, penalize_bias=False):
    """2 kappa(M) eps max ||theta||: rounding bound on the difference of two ridge
    solutions with the same matrix M = A^T A / n + lam P (one per solve).

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> bool(solve_error_bound(X, 1.0, [np.array([1.0, 2.0])]) < 1e-14)
    True
    """
    X = as_float_array(X, "X", 2)
    n, d = X.shape
    A = np.column_stack([X, np.ones(n)])
    M = A.T @ A / n + _check_lam(lam) * np.diag(np.r_[np.ones(d), float(penalize_bias)])
    theta_max = max(float(np.linalg.norm(t)) for t in thetas)
    return float(2.0 * np.linalg.cond(M) * np.finfo(float).eps * theta_max)


def below(value, bound):
    """``"< bound"`` when ``value`` is below it, else the value: prints rounding noise
    as the bound it is guaranteed to stay under, the same on every machine.

    Examples
    --------
    >>> below(3e-15, 1e-12), below(0.25, 1e-12)
    ('< 1e-12', '2.5e-01')
    """
    return f"< {bound:.0e}" if abs(value) < bound else f"{value:.1e}"


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
    >>> round(float(w[0]), 4), round(b, 4) + 0.0, g < 1e-10   # + 0.0: no "-0.0"
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


def boundary_geometry(w, b):
    """Where the line w^T x + b = 0 crosses x2 = 0, its tilt, its distance from 0.

    The tilt is the angle (degrees) between the normal w and the x1 axis, that is
    between the line and the vertical x1 = const. A line through (s, 0) tilted by
    theta lies at distance |b| / ||w|| = |s| cos(theta) from the origin.

    Examples
    --------
    >>> s, tilt, dist = boundary_geometry(np.array([1.0, 1.0]), -8.0)
    >>> round(s, 4), round(tilt, 4), round(dist, 4)
    (8.0, 45.0, 5.6569)
    """
    w = as_float_array(w, "w", 1)
    if w.shape != (2,) or w[0] == 0:
        raise ValueError(f"w must have shape (2,) with w[0] != 0, got {w!r}")
    return (float(-b / w[0]), float(np.degrees(np.arctan2(w[1], w[0]))),
            float(abs(b) / np.linalg.norm(w)))


def tilt_repeats(rng, lam, boundary, n_sets=10):
    """Tilts (degrees) of the Logistic-regression boundary with b free and with b
    penalised, on ``n_sets`` fresh data sets ``far_blobs(60, rng, boundary)``.

    Returns
    -------
    tilt_free, tilt_penalized : ndarray, shape (n_sets,)
    """
    tilts = []
    for _ in range(n_sets):
        X, y = far_blobs(60, rng, boundary=boundary)
        fits = [logistic_fit(X, y, lam, penalize_bias=p)[:2] for p in (False, True)]
        tilts.append([boundary_geometry(w, b)[1] for w, b in fits])
    return tuple(np.array(tilts).T)


def relu_bump(b):
    """The 1-2-1 ReLU network x -> ReLU(x + b) - ReLU(x - b).

    Its weights do not depend on b: W(1) = (1, 1)^T, W(2) = (1, -1). For b > 0
    its slope is 1 on [-b, b] and 0 elsewhere; for b = 0 it is identically 0.

    Examples
    --------
    >>> relu_bump(0.5).forward(np.array([[-1.0], [0.0], [2.0]])).ravel().tolist()
    [0.0, 0.5, 1.0]
    """
    if not (is_number(b) and np.isfinite(b)):
        raise ValueError(f"b must be a finite number, got {b!r}")
    net = MLP([1, 2, 1], hidden="relu", output="identity", init="zeros")
    net.W[0][:] = [[1.0], [1.0]]
    net.b[0][:] = [b, -b]
    net.W[1][:] = [[1.0, -1.0]]
    return net


def _check_scalar_relu_net(net, X):
    X = as_float_array(X, "X", 2)
    if net.sizes[-1] != 1 or net.f_output[0] is not identity:
        raise ValueError("expected a network with one linear output unit")
    if net.f_hidden[0] is not relu or X.shape[1] != net.sizes[0]:
        raise ValueError(f"expected a ReLU network and X with {net.sizes[0]} columns")
    return X


def input_gradient_norms(net, X):
    """||dy/dx|| at every row of X, by the chain rule (backpropagation to the input).

    dy/dx = W(L) diag(f'(z(L-1))) W(L-1) ... diag(f'(z(1))) W(1), for a ReLU
    network with one linear output.

    Returns
    -------
    ndarray, shape (n,)

    Examples
    --------
    >>> input_gradient_norms(relu_bump(1.0), np.array([[0.0], [3.0]])).tolist()
    [1.0, 0.0]
    """
    X = _check_scalar_relu_net(net, X)
    net.forward(X)
    g = np.repeat(net.W[-1], len(X), axis=0)              # shape (n, M_{L-1})
    for l in range(len(net.W) - 2, -1, -1):
        g = (g * net.f_hidden[1](net.Z[l])) @ net.W[l]
    return np.linalg.norm(g, axis=1)


def switching_units(net, X):
    """Number of hidden units active at some rows of X and inactive at others.

    Only these units put a kink inside the region X samples; every other unit is
    either constant 0 or linear there.

    Examples
    --------
    >>> switching_units(relu_bump(1.0), np.array([[-2.0], [0.0], [2.0]]))
    2
    """
    X = _check_scalar_relu_net(net, X)
    net.forward(X)
    active = [z > 0 for z in net.Z[:-1]]
    return int(sum(np.sum(a.any(axis=0) & ~a.all(axis=0)) for a in active))


def spectral_bound(net):
    """prod_l ||W(l)||_2: a Lipschitz bound for 1-Lipschitz activations, any b.

    Examples
    --------
    >>> round(spectral_bound(relu_bump(3.0)), 12)
    2.0
    """
    return float(np.prod([np.linalg.norm(W, 2) for W in net.W]))


def scaled_bias_copy(net, scale):
    """A copy of an MLP with the same weights and every bias multiplied by ``scale``."""
    new = MLP(net.sizes, hidden=net.f_hidden, output=net.f_output, init="zeros")
    for l in range(len(net.W)):
        new.W[l][:] = net.W[l]
        new.b[l][:] = scale * net.b[l]
    return new


def curve(x, x_offset=4.0, y_offset=20.0):
    """The regression target y_offset + sin(2 (x - x_offset)).

    Examples
    --------
    >>> curve(np.array([4.0])).tolist()
    [20.0]
    """
    return y_offset + np.sin(2.0 * (as_float_array(x) - x_offset))


def curve_data(n, rng, x_offset=4.0, y_offset=20.0, noise=0.3):
    """n points with x ~ U(x_offset - 2, x_offset + 2) and y = curve(x) + noise.

    Examples
    --------
    >>> x, y = curve_data(40, np.random.default_rng(0))
    >>> bool(x.min() >= 2.0 and x.max() <= 6.0), round(float(y.mean()))
    (True, 20)
    """
    if not (isinstance(n, (int, np.integer)) and n >= 2):
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    x = rng.uniform(x_offset - 2.0, x_offset + 2.0, size=n)
    return x, curve(x, x_offset, y_offset) + noise * rng.normal(size=n)


def relu_curve_predict(params, x):
    """Outputs f(x) = sum_h v_h ReLU(w_h x + b_h) + c of K networks side by side.

    ``params`` = (w, b, v, c) with shapes (K, H), (K, H), (K, H), (K,); x has
    shape (K, n), row k for network k. Returns shape (K, n).
    """
    return _relu_curve_forward(params, as_float_array(x, "x", 2))[2]


def _relu_curve_forward(params, x):
    w, b, v, c = params
    z = x[:, :, None] * w[:, None, :] + b[:, None, :]          # shape (K, n, H)
    a = np.maximum(z, 0.0)
    return z, a, (a * v[:, None, :]).sum(axis=2) + c[:, None]


def _init_relu_curves(xc, width, rng):
    """He weights, each unit's kink at a random training input, output at the mean."""
    K, n = xc.shape
    w = rng.normal(0.0, np.sqrt(2.0), size=(K, width))
    kinks = np.take_along_axis(xc, rng.integers(0, n, size=(K, width)), axis=1)
    v = rng.normal(0.0, np.sqrt(1.0 / width), size=(K, width))
    return [w, -w * kinks, v, np.zeros(K)]


def _risk_gradient(params, xc, yc, lam, lam_b, means):
    """Gradient of (1/2n) sum (f - y)^2 + lam/2 (|w|^2 + |v|^2) + lam_b/2 (|b|^2 + c^2)
    in centred coordinates (w, beta, v, gamma): b = beta - w x_mean, c = gamma + y_mean.
    """
    w, beta, v, gamma = params
    x_mean, y_mean = means[0][:, None], means[1]
    z, a, out = _relu_curve_forward(params, xc)
    r = (out - yc) / xc.shape[1]
    dz = r[:, :, None] * v[:, None, :] * (z > 0)
    b, c = beta - w * x_mean, gamma + y_mean
    return [(dz * xc[:, :, None]).sum(axis=1) + lam[:, None] * w
            - lam_b[:, None] * b * x_mean,
            dz.sum(axis=1) + lam_b[:, None] * b,
            (a * r[:, :, None]).sum(axis=1) + lam[:, None] * v,
            r.sum(axis=1) + lam_b * c]


def fit_relu_curves(x, y, lam, lam_bias, rng, width=24, steps=3000, lr=0.03):
    """Train K one-hidden-layer ReLU networks f(x) = v^T ReLU(w x + b) + c at once.

    Each minimises the structured risk (1/2n) sum (f(x_i) - y_i)^2
    + (lam/2)(||w||^2 + ||v||^2) + (lam_bias/2)(||b||^2 + c^2) by full-batch
    Adam, the learning rate decaying linearly to 0. Adam works in the centred
    coordinates beta = b + w x_mean, gamma = c - y_mean: the same network and risk.
    With lam_bias = 0 this keeps the input offset from slowing the optimiser down
    (exercise 4-1); with lam_bias > 0 the penalty couples beta and w again. The
    risk is not convex: a run can end in a local minimum, and another start or
    another parametrisation can end in another one.

    Parameters
    ----------
    x, y : ndarray, shape (K, n)
        Row k is the training set of network k.
    lam, lam_bias : float or ndarray, shape (K,)

    Returns
    -------
    (w, b, v, c) : the parameters, shapes (K, H), (K, H), (K, H), (K,)
    """
    x, y = as_float_array(x, "x", 2), as_float_array(y, "y", 2)
    if x.shape != y.shape:
        raise ValueError(f"x and y must both be (K, n), got {x.shape}, {y.shape}")
    lam, lam_b = (np.broadcast_to(as_float_array(v, "lam"), x.shape[:1])
                  for v in (lam, lam_bias))
    means = x.mean(axis=1), y.mean(axis=1)
    xc, yc = x - means[0][:, None], y - means[1][:, None]
    params = _init_relu_curves(xc, width, rng)
    adam = Adam(lr=lr)
    for t in range(steps):
        adam.lr = lr * (1.0 - t / steps)                  # linear decay to 0
        adam.step(params, _risk_gradient(params, xc, yc, lam, lam_b, means))
    w, beta, v, gamma = params
    return w, beta - w * means[0][:, None], v, gamma + means[1]


BIAS_DECAY_SETTINGS = ("W only", "W, b; centred", "W, b; x centred", "W, b; raw",
                       "W, b; y centred")


def _bias_decay_runs(datasets, test_x, lams, settings):
    """One row per (lam, setting, data set): x, y, test x, test y, lam, lam_bias."""
    rows = []
    for lam in lams:
        for setting in settings:
            for x, y in datasets:
                dx = x.mean() if setting in (1, 2) else 0.0
                dy = y.mean() if setting in (1, 4) else 0.0
                rows.append((x - dx, y - dy, test_x - dx, curve(test_x) - dy,
                             lam, 0.0 if setting == 0 else lam))
    return [np.array(column) for column in zip(*rows)]


def bias_decay_experiment(datasets, lams, rng, settings=(0, 1, 2, 3), **fit_options):
    """Weight decay on W only, or on W and b, for ReLU networks fitting ``curve``.

    For every lam, every setting (indices into ``BIAS_DECAY_SETTINGS``) and every
    (x, y) in ``datasets``: test MSE against ``curve`` on 401 points of [2, 6],
    the output bias c, and the mean training residual. (W only needs no centred
    run: its risk does not depend on where the origin is.)

    Returns
    -------
    dict of ndarray, each of shape (len(lams), len(settings), len(datasets))
    """
    if not set(settings) <= set(range(len(BIAS_DECAY_SETTINGS))):
        raise ValueError(f"settings must be indices into BIAS_DECAY_SETTINGS, "
                         f"got {settings!r}")
    test_x = np.linspace(2.0, 6.0, 401)
    x, y, xt, yt, lam, lam_b = _bias_decay_runs(datasets, test_x, lams, settings)
    params = fit_relu_curves(x, y, lam, lam_b, rng, **fit_options)
    shape = (len(lams), len(settings), len(datasets))
    sq = (relu_curve_predict(params, xt) - yt) ** 2
    residual = np.mean(relu_curve_predict(params, x) - y, axis=1)
    out = {"mse": sq.mean(axis=1), "c": params[3], "mean_residual": residual}
    return {key: value.reshape(shape) for key, value in out.items()}


RIDGE_ERRORS_TEXT = {
    "zh": {"free": "只惩罚 w", "penalized": "w 和 b 都惩罚", "baseline": "预测训练均值",
           "ylabel": "测试均方误差"},
    "en": {"free": "w penalized only", "penalized": "w and b penalized",
           "baseline": "predict the training mean", "ylabel": "test MSE"},
}


def plot_ridge_errors(lams, err_free, err_penalized, baseline, lang="zh"):
    """Test error against lambda with and without the bias in the penalty.

    ``baseline`` is the test error of predicting the training mean, the limit
    of the unpenalised-bias fit as lambda grows; ``lang`` is the language of
    the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(RIDGE_ERRORS_TEXT, lang)
    fig, ax = new_figure(width=6.0, height=3.8)
    ax.plot(lams, err_free, "-", color="#1a56db", lw=1.8, label=text["free"])
    ax.plot(lams, err_penalized, "-", color="#c81e1e", lw=1.8, label=text["penalized"])
    ax.axhline(baseline, color="0.4", lw=0.9, ls=":", label=text["baseline"])
    ax.set(xscale="log", yscale="log", xlabel="λ", ylabel=text["ylabel"])
    ax.minorticks_off()
    ax.legend(fontsize=9)
    return fig


BOUNDARIES_TEXT = {
    "zh": {"free": "只惩罚 w, λ = {lam:g}", "penalized": "w、b 都惩罚, λ = {lam:g}",
           "origin": "原点"},
    "en": {"free": "w penalized only, λ = {lam:g}",
           "penalized": "w and b penalized, λ = {lam:g}", "origin": "origin"},
}


def plot_boundaries(X, y, fits, lang="zh"):
    """Data of ``far_blobs`` with the decision boundaries of the fitted models.

    ``fits`` maps (lambda, whether b is in the penalty) to (w, b, color), one
    boundary each, labelled in the legend by its lambda and penalty; ``lang`` is
    the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(BOUNDARIES_TEXT, lang)
    fig, ax = new_figure(width=7.4, height=3.4)
    for label, marker, color in ((0, "o", "#1a56db"), (1, "s", "#d97706")):
        pts = X[y == label]
        ax.plot(pts[:, 0], pts[:, 1], marker, ls="none", ms=3, color=color,
                label=f"y = {label}")
    x2 = np.array([-4.0, 4.0])
    for (lam, penalized), (w, b, color) in fits.items():
        name = text["penalized" if penalized else "free"].format(lam=lam)
        ax.plot(-(b + w[1] * x2) / w[0], x2, color=color, lw=1.8, label=name)
    ax.plot([0], [0], "k+", ms=10)
    ax.annotate(text["origin"], (0, 0), xytext=(4, 4), textcoords="offset points",
                fontsize=9)
    ax.set(xlim=(-0.5, 13), ylim=(-4, 4), xlabel="x1", ylabel="x2", aspect="equal")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig
