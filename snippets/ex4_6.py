"""Exercise 4-6: the universal approximation theorem for ReLU hidden units.

Two routes. (1) The ramp s(t) = ReLU(t) - ReLU(t - 1) meets every hypothesis
of Theorem 4.1, and each ramp unit is two ReLU units, so every network of the
theorem is a ReLU network. (2) A constructive 1-D proof: the piecewise-linear
interpolant of f on knots x_0 < ... < x_K is exactly a one-hidden-layer ReLU
network f(x_0) + sum_k c_k ReLU(x - x_k), built here with hand-set weights. The
knots are the hidden biases, so they need not be equally spaced: graded knots
(k / K)^4 give sqrt(x) the K^-2 rate that equal spacing gives only smooth f.
"""

import numpy as np

from snippets.activations import relu
from snippets.mlp import MLP
from snippets.plotting import figure_text, new_figure
from snippets.validation import as_float_array


def ramp(t):
    """The bounded ramp s(t) = ReLU(t) - ReLU(t - 1), equal to min(max(t, 0), 1).

    Examples
    --------
    >>> ramp(np.array([-1.0, 0.25, 0.5, 3.0])).tolist()
    [0.0, 0.25, 0.5, 1.0]
    """
    t = as_float_array(t, "t")
    return relu(t) - relu(t - 1.0)


def squashing_checks(s, t):
    """Numerical checks of the hypotheses of Theorem 4.1 for ``s`` on a sorted grid.

    Parameters
    ----------
    s : callable
        Activation, applied element-wise.
    t : ndarray, shape (n,)
        Strictly increasing grid, n >= 2.

    Returns
    -------
    dict
        ``min``, ``max`` (bounds of s on the grid), ``min_increment`` (smallest
        s(t_{i+1}) - s(t_i); >= 0 means non-decreasing), ``max_slope`` (largest
        |difference quotient|, a Lipschitz constant on the grid, so s cannot jump),
        ``range`` (max - min; > 0 means non-constant).

    Examples
    --------
    >>> c = squashing_checks(ramp, np.linspace(-2.0, 3.0, 501))
    >>> c["min"], c["max"], c["min_increment"], round(c["max_slope"], 6)
    (0.0, 1.0, 0.0, 1.0)
    """
    t = as_float_array(t, "t", 1)
    if t.size < 2 or np.any(np.diff(t) <= 0):
        raise ValueError("t must be a strictly increasing grid of >= 2 points, "
                         f"got {t.size} points")
    v = np.asarray(s(t), dtype=float)
    dv = np.diff(v)
    return {"min": float(v.min()), "max": float(v.max()),
            "min_increment": float(dv.min()),
            "max_slope": float(np.max(np.abs(dv) / np.diff(t))),
            "range": float(v.max() - v.min())}


def ramp_network(X, v, W, b):
    """A network of Theorem 4.1 with N ramp units: sum_m v_m s(w_m^T x + b_m).

    Parameters
    ----------
    X : ndarray, shape (n, D)
    v : ndarray, shape (N,)
    W : ndarray, shape (N, D)
    b : ndarray, shape (N,)

    Returns
    -------
    ndarray, shape (n,)

    Examples
    --------
    >>> ramp_network(np.array([[0.5]]), np.array([2.0]), np.array([[1.0]]),
    ...              np.array([0.0])).tolist()
    [1.0]
    """
    X, W = as_float_array(X, "X", 2), as_float_array(W, "W", 2)
    v, b = as_float_array(v, "v", 1), as_float_array(b, "b", 1)
    if not (W.shape[1] == X.shape[1] and v.shape[0] == W.shape[0] == b.shape[0]):
        raise ValueError("expected X (n, D), v (N,), W (N, D), b (N,); got "
                         f"X {X.shape}, v {v.shape}, W {W.shape}, b {b.shape}")
    return ramp(X @ W.T + b) @ v


def ramp_network_as_relu(v, W, b, c=0.0):
    """The function c + sum_m v_m s(w_m^T x + b_m) of N ramps as 2N ReLU units.

    v_m s(w^T x + b) = v_m ReLU(w^T x + b) - v_m ReLU(w^T x + b - 1): each ramp
    unit becomes two ReLU units with the same weights, biases b and b - 1, and
    output weights v_m and -v_m; the output layer is linear with bias c.

    Returns
    -------
    MLP
        ``MLP([D, 2N, 1], hidden="relu", output="identity")``.

    Examples
    --------
    >>> net = ramp_network_as_relu(np.array([2.0]), np.array([[1.0]]), np.array([0.0]))
    >>> net.sizes, net.forward(np.array([[0.5], [4.0]])).ravel().tolist()
    ((1, 2, 1), [1.0, 2.0])
    """
    W = as_float_array(W, "W", 2)
    v, b = as_float_array(v, "v", 1), as_float_array(b, "b", 1)
    if not v.shape[0] == W.shape[0] == b.shape[0]:
        raise ValueError("expected v (N,), W (N, D), b (N,); got "
                         f"{v.shape}, {W.shape}, {b.shape}")
    N, D = W.shape
    net = MLP([D, 2 * N, 1], hidden="relu", output="identity", init="zeros")
    net.W[0][:] = np.vstack([W, W])
    net.b[0][:] = np.concatenate([b, b - 1.0])
    net.W[1][:] = np.concatenate([v, -v])[None, :]
    net.b[1][:] = [float(c)]
    return net


def interpolant_coefficients(knots, values):
    """Slope changes c_k of the piecewise-linear interpolant through (x_k, f(x_k)).

    c_0 is the first slope and c_k = slope_k - slope_{k-1} (k = 1..K-1), so
    p(x) = f(x_0) + sum_k c_k ReLU(x - x_k) on [x_0, x_K].

    Parameters
    ----------
    knots : ndarray, shape (K + 1,), strictly increasing
    values : ndarray, shape (K + 1,)

    Returns
    -------
    ndarray, shape (K,)

    Examples
    --------
    >>> knots, values = np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 0.0])
    >>> interpolant_coefficients(knots, values).tolist()
    [1.0, -2.0]
    """
    knots = as_float_array(knots, "knots", 1)
    values = as_float_array(values, "values", 1)
    if knots.size < 2 or np.any(np.diff(knots) <= 0) or values.shape != knots.shape:
        raise ValueError("knots must be strictly increasing (>= 2) and values must "
                         f"match; got knots {knots.shape}, values {values.shape}")
    slopes = np.diff(values) / np.diff(knots)
    return np.diff(slopes, prepend=0.0)


def relu_interpolant(f, knots):
    """Hand-built network MLP([1, K, 1]) equal to the interpolant of f on ``knots``.

    Hidden unit k computes ReLU(x - x_k) (weight 1, bias -x_k); the linear output
    has weights c_k (``interpolant_coefficients``) and bias f(x_0). No training.

    Parameters
    ----------
    f : callable
        Target, applied element-wise.
    knots : ndarray, shape (K + 1,), strictly increasing; K is the number of units.

    Examples
    --------
    >>> net = relu_interpolant(np.abs, np.array([-1.0, 0.0, 1.0]))
    >>> net.sizes, net.forward(np.array([[-0.5], [0.0], [0.5]])).ravel().tolist()
    ((1, 2, 1), [0.5, 0.0, 0.5])
    """
    knots = as_float_array(knots, "knots", 1)
    values = np.asarray(f(knots), dtype=float)
    c = interpolant_coefficients(knots, values)
    K = c.size
    net = MLP([1, K, 1], hidden="relu", output="identity", init="zeros")
    net.W[0][:] = 1.0
    net.b[0][:] = -knots[:-1]
    net.W[1][:] = c[None, :]
    net.b[1][:] = [values[0]]
    return net


def smooth_target(x):
    """sin(2 pi x): C-infinity, with max |f''| = 4 pi^2 on [0, 1]."""
    return np.sin(2.0 * np.pi * as_float_array(x, "x"))


def kink_target(x):
    """|x - 1/3|: Lipschitz (omega(h) = h) but not differentiable at 1/3."""
    return np.abs(as_float_array(x, "x") - 1.0 / 3.0)


def root_target(x):
    """sqrt(x) on [0, 1]: continuous, omega(h) = sqrt(h), infinite slope at 0."""
    x = as_float_array(x, "x")
    if np.any(x < 0):
        raise ValueError("root_target is defined for x >= 0 only")
    return np.sqrt(x)


TARGETS = {"sin(2πx)": smooth_target, "|x − 1/3|": kink_target, "√x": root_target}


def graded_knots(n_units, power=1.0):
    """Knots x_k = (k / K)^power, k = 0..K, on [0, 1]; power 1 gives equal spacing.

    Examples
    --------
    >>> graded_knots(2, power=4).tolist()
    [0.0, 0.0625, 1.0]
    """
    if not (isinstance(n_units, (int, np.integer)) and n_units >= 1):
        raise ValueError(f"n_units must be a positive integer, got {n_units!r}")
    if not (isinstance(power, (int, float, np.integer, np.floating)) and power > 0):
        raise ValueError(f"power must be a number > 0, got {power!r}")
    return (np.arange(n_units + 1) / n_units) ** float(power)


def knots_error(f, knots, per_interval=24):
    """Sup-norm error of the ReLU interpolant of f on ``knots``, measured on a grid.

    The grid holds every knot and ``per_interval`` equal steps inside each cell,
    so the grid maximum is a lower bound of the true sup, and equal to it when the
    grid contains the point where the error peaks.

    Examples
    --------
    >>> round(knots_error(np.square, np.array([0.0, 1.0])), 6)   # peak at x = 1/2
    0.25
    >>> bool(knots_error(np.abs, np.array([-1.0, 0.0, 1.0])) < 1e-12)  # |x|: exact
    True
    """
    knots = as_float_array(knots, "knots", 1)
    if not (isinstance(per_interval, (int, np.integer)) and per_interval >= 1):
        raise ValueError(f"per_interval must be a positive integer, "
                         f"got {per_interval!r}")
    return float(np.max(np.abs(_interpolant_gap(f, knots, per_interval))))


def _interpolant_gap(f, knots, per_interval):
    """p - f on the measuring grid of ``knots_error`` (p: ReLU interpolant of f)."""
    net = relu_interpolant(f, knots)
    steps = np.arange(per_interval) / per_interval
    x = np.append((knots[:-1, None] + np.diff(knots)[:, None] * steps).ravel(),
                  knots[-1])
    return net.forward(x[:, None]).ravel() - f(x)


def shifted_knots_error(f, knots, per_interval=24):
    """Sup error of the ReLU interpolant with its output bias moved by the best shift.

    Lowering the output bias by (max e + min e) / 2, e = p - f on the grid, is
    still a network with the same K units and halves the spread of the error.

    Examples
    --------
    >>> round(shifted_knots_error(np.square, np.array([0.0, 1.0])), 6)  # 1/4 -> 1/8
    0.125
    """
    knots = as_float_array(knots, "knots", 1)
    if not (isinstance(per_interval, (int, np.integer)) and per_interval >= 1):
        raise ValueError(f"per_interval must be a positive integer, "
                         f"got {per_interval!r}")
    e = _interpolant_gap(f, knots, per_interval)
    return float((e.max() - e.min()) / 2)


def one_layer_floor(mu, length, n_units):
    """Lower bound mu L^2 / (16 (K + 1)^2) for every one-hidden-layer ReLU network.

    Valid for f of class C^2 on an interval of length L with |f''| >= mu there,
    and any network with K = ``n_units`` ReLU hidden units and a linear output.

    Examples
    --------
    >>> one_layer_floor(2.0, 1.0, 3)                   # x^2 on [0, 1], K = 3
    0.0078125
    """
    if not (mu > 0 and length > 0):
        raise ValueError(f"mu and length must be > 0, got {mu!r}, {length!r}")
    if not (isinstance(n_units, (int, np.integer)) and n_units >= 1):
        raise ValueError(f"n_units must be a positive integer, got {n_units!r}")
    return mu * length**2 / (16.0 * (n_units + 1) ** 2)


def interpolation_error(f, n_units, per_interval=24, power=1.0):
    """Sup-norm error on [0, 1] of the ReLU interpolant on knots (k / K)^power.

    With ``power=1`` the K = ``n_units`` cells are equal; the measuring grid
    (``knots_error``) then contains the points where the errors of
    ``kink_target`` (x = 1/3, for K a power of 2) and ``root_target`` (x = h/4)
    peak, so for them the grid maximum is the true one.

    Examples
    --------
    >>> round(interpolation_error(root_target, 4), 6)     # sqrt(h) / 4 with h = 1/4
    0.125
    """
    return knots_error(f, graded_knots(n_units, power), per_interval)


def root_interpolation_error(knots):
    """Exact sup error of the interpolant of sqrt(x) on knots in [0, inf).

    On a cell [a, b] the error sqrt(x) - p(x) is concave and peaks where
    1 / (2 sqrt(x)) = 1 / (sqrt(a) + sqrt(b)); its value there is
    (b - a)^2 / (4 (sqrt(a) + sqrt(b))^3). The result is the largest over cells.

    Examples
    --------
    >>> root_interpolation_error(np.array([0.0, 0.25]))      # sqrt(h) / 4, h = 1/4
    0.125
    """
    knots = as_float_array(knots, "knots", 1)
    if knots.size < 2 or knots[0] < 0 or np.any(np.diff(knots) <= 0):
        raise ValueError("knots must be >= 0 and strictly increasing (>= 2 of them)")
    a, b = knots[:-1], knots[1:]
    return float(np.max((b - a) ** 2 / (4.0 * (np.sqrt(a) + np.sqrt(b)) ** 3)))


def loglog_slope(n_units, errors):
    """Least-squares slope of log(error) against log(number of units).

    Examples
    --------
    >>> round(loglog_slope([4, 8, 16], [1.0, 0.25, 0.0625]), 6)
    -2.0
    """
    n_units = as_float_array(n_units, "n_units", 1)
    errors = as_float_array(errors, "errors", 1)
    if n_units.shape != errors.shape or n_units.size < 2 or np.any(errors <= 0):
        raise ValueError("need >= 2 matching positive unit counts and errors, got "
                         f"{n_units.shape} and {errors.shape}")
    return float(np.polyfit(np.log(n_units), np.log(errors), 1)[0])


def error_bounds(n_units):
    """The bounds proved on the page, for h = 1 / n_units, per target of ``TARGETS``.

    sin(2 pi x): h^2 max|f''| / 8 = pi^2 h^2 / 2; |x - 1/3|: omega(h) = h;
    sqrt(x): omega(h) = sqrt(h).

    Examples
    --------
    >>> {k: round(float(v), 4) for k, v in error_bounds(4).items()}
    {'sin(2πx)': 0.3084, '|x − 1/3|': 0.25, '√x': 0.5}
    """
    h = 1.0 / as_float_array(n_units, "n_units")
    return {"sin(2πx)": np.pi**2 * h**2 / 2, "|x − 1/3|": h, "√x": np.sqrt(h)}


def smooth_lower_bound(n_units):
    """Lower bound (||f''|| - omega_f''(h)) h^2 / 8 for sin(2 pi x), h = 1 / n_units.

    ||f''|| = 4 pi^2 and |f^(3)| <= 8 pi^3 give omega_f''(h) <= 8 pi^3 h, so the
    bound is (pi^2 h^2 / 2)(1 - 2 pi h), clipped at 0 (it says nothing for
    h >= 1 / (2 pi)).

    Examples
    --------
    >>> [round(float(v), 6) for v in smooth_lower_bound(np.array([4, 64]))]
    [0.0, 0.001087]
    """
    n_units = as_float_array(n_units, "n_units")
    if np.any(n_units < 1):
        raise ValueError("n_units must be >= 1")
    h = 1.0 / n_units
    return np.maximum(np.pi**2 * h**2 / 2 * (1 - 2 * np.pi * h), 0.0)


def polynomial_activation_floor(f, degree=2, n_grid=2001):
    """Lower bound on the sup error of every network sum_m v_m (w_m x + b_m)^degree.

    Such a network is a polynomial of degree <= ``degree`` in x, whatever the
    number of units, and for any polynomial q the sup of |f - q| on [0, 1] is at
    least the root-mean-square of f - q on a grid, which is at least the
    least-squares residual over all such polynomials.

    Examples
    --------
    >>> polynomial_activation_floor(lambda x: 3 * x**2 - x) < 1e-12   # itself quadratic
    True
    """
    if not (isinstance(degree, (int, np.integer)) and degree >= 0):
        raise ValueError(f"degree must be a non-negative integer, got {degree!r}")
    x = np.linspace(0.0, 1.0, n_grid)
    A = np.vander(x, degree + 1)
    y = np.asarray(f(x), dtype=float)
    residual = y - A @ np.linalg.lstsq(A, y, rcond=None)[0]
    return float(np.sqrt(np.mean(residual**2)))


def bump_2d(X):
    """A smooth 2-D bump exp(-||x - (0.45, 0.55)||^2 / 0.05), X of shape (n, 2).

    Examples
    --------
    >>> bump_2d(np.array([[0.45, 0.55]])).tolist()
    [1.0]
    """
    X = as_float_array(X, "X", 2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns, got shape {X.shape}")
    return np.exp(-np.sum((X - np.array([0.45, 0.55]))**2, axis=1) / 0.05)


def ridge_units(n_directions, n_offsets):
    """Weights of M = n_directions * n_offsets ramp units s(w^T x + b) on [0, 1]^2.

    For direction u_j = (cos a_j, sin a_j), a_j = j pi / n_directions, the range
    of u_j^T x over the square is cut into ``n_offsets`` equal cells; unit (j, k)
    rises from 0 to 1 as u_j^T x crosses the k-th cell.

    Returns
    -------
    W : ndarray, shape (M, 2)
    b : ndarray, shape (M,)

    Examples
    --------
    >>> W, b = ridge_units(2, 4)
    >>> W.shape, W[0].tolist(), b[:4].tolist()
    ((8, 2), [4.0, 0.0], [-0.0, -1.0, -2.0, -3.0])
    """
    for name, n in (("n_directions", n_directions), ("n_offsets", n_offsets)):
        if not (isinstance(n, (int, np.integer)) and n >= 1):
            raise ValueError(f"{name} must be a positive integer, got {n!r}")
    angles = np.pi * np.arange(n_directions) / n_directions
    U = np.column_stack([np.cos(angles), np.sin(angles)])
    corners = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]) @ U.T
    low, width = corners.min(axis=0), np.ptp(corners, axis=0) / n_offsets
    starts = low[:, None] + width[:, None] * np.arange(n_offsets)
    W = np.repeat(U / width[:, None], n_offsets, axis=0)
    return W, -(starts / width[:, None]).ravel()


def grid_2d(n):
    """An n x n grid on [0, 1]^2 as points of shape (n * n, 2), row-major in x2."""
    g = np.linspace(0.0, 1.0, n)
    G1, G2 = np.meshgrid(g, g)
    return np.column_stack([G1.ravel(), G2.ravel()])


def fit_ridge_output(f, n_directions, n_offsets, n_train=41):
    """Fix ridge ramp units, fit the output weights v and bias c by least squares.

    Only the linear output layer is fitted (a linear least-squares problem on an
    n_train x n_train grid); the hidden units come from ``ridge_units``.

    Returns
    -------
    v : ndarray, shape (M,)
    W : ndarray, shape (M, 2)
    b : ndarray, shape (M,)
    c : float
    """
    W, b = ridge_units(n_directions, n_offsets)
    X = grid_2d(n_train)
    A = np.column_stack([ramp(X @ W.T + b), np.ones(len(X))])
    coef = np.linalg.lstsq(A, f(X), rcond=None)[0]
    return coef[:-1], W, b, float(coef[-1])


def ridge_sup_error(f, v, W, b, c, n_test=81):
    """Sup-norm error of c + sum_m v_m s(w_m^T x + b_m) against f on an n_test grid."""
    X = grid_2d(n_test)
    return float(np.max(np.abs(ramp_network(X, v, W, b) + c - f(X))))


RAMP_TEXT = {
    "zh": {"relu": "ReLU(t)", "shifted": "ReLU(t − 1)",
           "ramp": "s(t) = ReLU(t) − ReLU(t − 1)", "xlabel": "t"},
    "en": {"relu": "ReLU(t)", "shifted": "ReLU(t − 1)",
           "ramp": "s(t) = ReLU(t) − ReLU(t − 1)", "xlabel": "t"},
}


def plot_ramp(lang="zh"):
    """ReLU(t), ReLU(t - 1) and their difference, the bounded ramp s(t).

    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(RAMP_TEXT, lang)
    t = np.linspace(-1.5, 2.5, 81)
    fig, ax = new_figure(width=5.6, height=3.2)
    ax.plot(t, relu(t), color="#1a56db", lw=1.4, label=text["relu"])
    ax.plot(t, relu(t - 1), color="#9061f9", lw=1.4, ls="--", label=text["shifted"])
    ax.plot(t, ramp(t), color="#c81e1e", lw=2.4, label=text["ramp"])
    ax.axhline(1.0, color="0.5", lw=0.8, ls=":")
    ax.set(xlabel=text["xlabel"], ylim=(-0.3, 2.6))
    ax.legend(loc="upper left", fontsize=9)
    return fig


APPROXIMATIONS_TEXT = {
    "zh": {"target": "目标 f", "network": "ReLU 网络", "title": "K = {K}"},
    "en": {"target": "target f", "network": "ReLU network", "title": "K = {K}"},
}


def plot_approximations(f, unit_counts=(4, 8, 16, 32), lang="zh"):
    """The target and its ReLU interpolants with the given numbers of hidden units.

    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(APPROXIMATIONS_TEXT, lang)
    x = np.linspace(0.0, 1.0, 65)
    fig, axes = new_figure(ncols=2, nrows=2, width=7.6, height=5.0)
    for ax, K in zip(axes.ravel(), unit_counts):
        knots = np.linspace(0.0, 1.0, K + 1)
        net = relu_interpolant(f, knots)
        ax.plot(x, f(x), color="0.6", lw=3.0, label=text["target"])
        # the network is linear between knots, so its values there draw it exactly
        ax.plot(knots, net.forward(knots[:, None]).ravel(), "o-", color="#c81e1e",
                lw=1.2, ms=3, label=text["network"])
        ax.set(title=text["title"].format(K=K), xticks=[0, 0.5, 1], yticks=[-1, 0, 1],
               ylim=(-1.25, 1.25))
        ax.label_outer()
        ax.grid(False)
    axes[0, 0].legend(fontsize=8, loc="lower left")
    return fig


BOUND_LABELS = {"sin(2πx)": "π²h²/2", "|x − 1/3|": "h", "√x": "√h"}


ERROR_RATES_TEXT = {
    "zh": {"equal": "{name}，等距节点  斜率 {slope:.2f}",
           "bound": "{name} 的上界 {bound}",
           "graded": "√x，节点 (k/K)⁴  斜率 {slope:.2f}",
           "xlabel": "隐藏单元数 K", "ylabel": "sup 误差"},
    "en": {"equal": "{name}, equal knots, slope {slope:.2f}",
           "bound": "{name}: upper bound {bound}",
           "graded": "√x, knots (k/K)⁴, slope {slope:.2f}",
           "xlabel": "number of hidden units K", "ylabel": "sup-norm error"},
}


def plot_error_rates(unit_counts, errors, graded=None, lang="zh"):
    """Log-log sup-norm error against the number of units, one line per target.

    Solid lines: equally spaced knots (``errors``, keyed as ``TARGETS``); dotted
    lines: the upper bounds of ``error_bounds``; dashed: ``graded``, the errors
    of sqrt(x) on knots (k / K)^4, if given. ``lang`` is the language of the
    figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(ERROR_RATES_TEXT, lang)
    colors = ["#1a56db", "#057a55", "#c81e1e"]
    fig, ax = new_figure(width=6.4, height=4.4)
    n = np.asarray(unit_counts, dtype=float)
    for (name, err), color in zip(errors.items(), colors):
        ax.plot(n, err, "o-", color=color, lw=1.4, ms=4,
                label=text["equal"].format(name=name, slope=loglog_slope(n, err)))
        ax.plot(n, error_bounds(n)[name], ":", color=color, lw=1.0,
                label=text["bound"].format(name=name, bound=BOUND_LABELS[name]))
    if graded is not None:
        ax.plot(n, graded, "s--", color=colors[2], lw=1.4, ms=4, mfc="white",
                label=text["graded"].format(slope=loglog_slope(n, graded)))
    ax.set(xscale="log", yscale="log", xlabel=text["xlabel"], ylabel=text["ylabel"])
    ax.set_xticks(n, [f"{k:g}" for k in n])
    ax.minorticks_off()
    ax.legend(fontsize=8, ncol=2, loc="lower left")
    return fig


RIDGE_2D_TEXT = {
    "zh": {"target": "目标", "fit": "N = {N}", "error": "误差，N = {N}"},
    "en": {"target": "target", "fit": "N = {N}", "error": "error, N = {N}"},
}


def plot_ridge_2d(f, fits, n=41, lang="zh"):
    """Target bump, two ridge-unit approximations and the error of the larger one.

    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(RIDGE_2D_TEXT, lang)
    X = grid_2d(n)
    images = [(text["target"], f(X), False)]
    for v, W, b, c in fits:
        images.append((text["fit"].format(N=len(v)), ramp_network(X, v, W, b) + c,
                       False))
    images.append((text["error"].format(N=len(fits[-1][0])),
                   images[-1][1] - images[0][1], True))
    fig, axes = new_figure(ncols=len(images), width=2.3 * len(images), height=2.6)
    for ax, (title, z, err) in zip(axes, images):
        lim = np.max(np.abs(z)) if err else 1.0
        im = ax.imshow(z.reshape(n, n), origin="lower", extent=(0, 1, 0, 1),
                       cmap="RdBu_r" if err else "viridis",
                       vmin=-lim if err else -0.05, vmax=lim, interpolation="none")
        ax.set_title(title, fontsize=9)
        ax.set_xticks([0, 1])
        ax.set_yticks([0, 1])
        ax.grid(False)
    fig.colorbar(im, ax=axes[-1], shrink=0.8)
    return fig
