"""Exercise 4-4: the derivatives of Swish and GELU, checked and analysed.

The activations and their derivatives live in ``snippets.activations``; this
module only checks them against central differences, locates their special
points (minimum, steepest slope) and draws the figures.
"""

import functools

import numpy as np
from matplotlib.ticker import NullLocator

from snippets.activations import (GELU_TANH_C, gelu, gelu_grad, gelu_sigmoid,
                                  gelu_sigmoid_grad, gelu_tanh, gelu_tanh_grad,
                                  normal_cdf, normal_pdf, relu, sigmoid, swish,
                                  swish_grad)
from snippets.gradcheck import numerical_derivative
from snippets.plotting import figure_text, new_figure
from snippets.validation import as_float_array, check_finite, check_positive

SWISH_BETAS = (0.0, 0.5, 1.0, 10.0)
GOLDEN = (5.0**0.5 - 1.0) / 2.0  # 0.618..., the golden-section ratio


def derivative_pairs(betas=SWISH_BETAS):
    """Label -> (f, f_grad): Swish for each beta, exact GELU and its two approximations.

    Examples
    --------
    >>> pairs = derivative_pairs(betas=(1.0,))
    >>> list(pairs)
    ['swish(beta=1)', 'gelu', 'gelu_tanh', 'gelu_sigmoid']
    >>> f, df = pairs["swish(beta=1)"]
    >>> round(float(df(0.0)), 12)
    0.5
    """
    pairs = {f"swish(beta={b:g})": (functools.partial(swish, beta=b),
                                      functools.partial(swish_grad, beta=b))
             for b in betas}
    pairs.update({"gelu": (gelu, gelu_grad), "gelu_tanh": (gelu_tanh, gelu_tanh_grad),
                  "gelu_sigmoid": (gelu_sigmoid, gelu_sigmoid_grad)})
    return pairs


def swish_grad_alt(x, beta=1.0):
    """The other form of swish': beta swish(x) + sigma(beta x) (1 - beta swish(x)).

    Examples
    --------
    >>> swish_grad_alt(np.array([-1.0, 2.0])).round(6).tolist()
    [0.072329, 1.090784]
    """
    x, beta = as_float_array(x), check_finite(beta, "beta")
    f = swish(x, beta)
    return beta * f + sigmoid(beta * x) * (1.0 - beta * f)


def swish_second(x, beta=1.0):
    """swish''(x) = beta sigma(t) sigma(-t) (2 - t tanh(t / 2)), t = beta x.

    Examples
    --------
    >>> round(float(swish_second(0.0, beta=2.0)), 12)
    1.0
    """
    x, beta = as_float_array(x), check_finite(beta, "beta")
    t = beta * x
    return beta * sigmoid(t) * sigmoid(-t) * (2.0 - t * np.tanh(t / 2.0))


def gelu_second(x):
    """GELU''(x) = (2 - x^2) phi(x).

    Examples
    --------
    >>> round(float(gelu_second(0.0)), 4)
    0.7979
    """
    x = as_float_array(x)
    return (2.0 - x * x) * normal_pdf(x)


def gelu_general(x, mu=0.0, s=1.0):
    """The book's general GELU x P(X <= x), X ~ N(mu, s^2): x Phi((x - mu) / s).

    (The book writes sigma for s; here s avoids a clash with the logistic sigma.)

    Examples
    --------
    >>> gelu_general(np.array([-1.0, 1.0]), mu=0.0, s=1.0).round(4).tolist()
    [-0.1587, 0.8413]
    """
    x, mu, s = as_float_array(x), check_finite(mu, "mu"), check_positive(s, "s")
    return x * normal_cdf((x - mu) / s)


def gelu_general_grad(x, mu=0.0, s=1.0):
    """Derivative of x Phi((x - mu) / s): Phi(z) + (x / s) phi(z), z = (x - mu) / s.

    Examples
    --------
    >>> round(float(gelu_general_grad(0.0, mu=0.0, s=2.0)), 12)
    0.5
    """
    x, mu, s = as_float_array(x), check_finite(mu, "mu"), check_positive(s, "s")
    z = (x - mu) / s
    return normal_cdf(z) + x / s * normal_pdf(z)


def general_gelu_pairs(params=((0.0, 2.0), (0.5, 1.0), (-1.0, 0.5))):
    """Label -> (f, f_grad) for the general GELU at each (mu, s).

    Examples
    --------
    >>> list(general_gelu_pairs(((0.5, 2.0),)))
    ['gelu(mu=0.5, s=2)']
    """
    pairs = {}
    for mu, s in params:
        pairs[f"gelu(mu={mu:g}, s={s:g})"] = (
            functools.partial(gelu_general, mu=mu, s=s),
            functools.partial(gelu_general_grad, mu=mu, s=s))
    return pairs


def gelu_tanh_naive(x):
    """The tanh approximation written literally, 0.5 x (1 + tanh u): a control.

    Mathematically ``gelu_tanh``; numerically 1 + tanh(u) cancels for x << 0.

    Examples
    --------
    >>> float(gelu_tanh_naive(-10.0)) == 0.0 < -float(gelu_tanh(-10.0))
    True
    """
    x = as_float_array(x)
    return 0.5 * x * (1.0 + np.tanh(GELU_TANH_C * (x + 0.044715 * x**3)))


def gelu_tanh_grad_naive(x):
    """Its derivative written literally, 0.5 (1 + t) + 0.5 x (1 - t^2) u' (a control).

    Examples
    --------
    >>> round(float(gelu_tanh_grad_naive(0.0)), 12)
    0.5
    """
    x = as_float_array(x)
    t = np.tanh(GELU_TANH_C * (x + 0.044715 * x**3))
    du = GELU_TANH_C * (1.0 + 3 * 0.044715 * x**2)
    return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * du


def check_points(rng, n_random=2000, half_width=8.0):
    """Sorted test points: a uniform grid with step 0.01 plus random points.

    Returns
    -------
    x : ndarray, shape (n_grid + n_random,)
        Points in [-half_width, half_width].

    Examples
    --------
    >>> check_points(np.random.default_rng(0), n_random=3, half_width=1.0).shape
    (204,)
    """
    half_width = check_positive(half_width, "half_width")
    if not (isinstance(n_random, (int, np.integer)) and n_random >= 0):
        raise ValueError(f"n_random must be a non-negative integer, got {n_random!r}")
    grid = np.linspace(-half_width, half_width, int(round(200 * half_width)) + 1)
    return np.sort(np.concatenate([grid, rng.uniform(-half_width, half_width, n_random)]))


def derivative_error(f, f_grad, x, eps=1e-5, floor=1e-3):
    """Largest point-wise relative error of ``f_grad`` against central differences.

    Each point is measured on its own scale, max(|f'(x)|, |difference quotient|),
    but never below ``floor``: in the far left tail f' is tiny and the difference
    quotient (f(x + eps) - f(x - eps)) / (2 eps) can only be accurate to about
    (rounding error of f) / eps, so there the error is |difference| / floor.

    Parameters
    ----------
    f, f_grad : callable
        An element-wise function and its claimed derivative.
    x : ndarray, shape (n,)
        Where to compare.

    Examples
    --------
    >>> x = np.linspace(-3.0, 3.0, 7)
    >>> bool(derivative_error(gelu, gelu_grad, x) < 1e-6)
    True
    >>> bool(derivative_error(gelu, normal_cdf, x) > 0.1)
    True
    """
    x = as_float_array(x, "x", ndim=1)
    exact, numeric = f_grad(x), numerical_derivative(f, x, eps)
    scale = np.maximum(np.maximum(np.abs(exact), np.abs(numeric)), floor)
    return float(np.max(np.abs(exact - numeric) / scale))


def swish_step_errors(x, beta, eps=1e-5):
    """``derivative_error`` of swish_beta' with the step eps and with eps / |beta|.

    swish_beta'(x) = swish_1'(beta x) varies on the scale 1 / |beta|, so with a
    fixed step the truncation error of the central difference grows like beta^2;
    the step eps / |beta| makes the check the same at every beta.

    Returns
    -------
    fixed, scaled : float

    Examples
    --------
    >>> near = np.linspace(-3.0, 0.0, 3001) / 30.0     # around x* = -1.278 / 30
    >>> fixed, scaled = swish_step_errors(near, 30.0)
    >>> bool(fixed > 1e-6 > 1e-7 > scaled)
    True
    """
    beta = check_finite(beta, "beta")
    if beta == 0.0:
        raise ValueError("beta must be non-zero: the step is scaled by 1 / |beta|")
    f = functools.partial(swish, beta=beta)
    df = functools.partial(swish_grad, beta=beta)
    return (derivative_error(f, df, x, eps),
            derivative_error(f, df, x, eps / abs(beta)))


def gelu_tanh_grad_mixed(x):
    """A WRONG derivative of the tanh approximation (kept to show the check catches it).

    0.5 (1 + tanh(u)) + x phi(x): the first term comes from the approximation,
    the second from exact GELU, so it is the derivative of neither function.
    numpy-ml (github.com/ddbourgin/numpy-ml, ``GELU.grad``; its ``__init__`` sets
    approximate = True whatever the argument) ships this formula. The first term
    is computed here as sigma(2u), its cancellation-free form, so only the formula
    is wrong, not the numerics.

    Examples
    --------
    >>> round(float(gelu_tanh_grad_mixed(0.0)), 12)
    0.5
    """
    x = as_float_array(x)
    return sigmoid(2.0 * GELU_TANH_C * (x + 0.044715 * x**3)) + x * normal_pdf(x)


def gelu_grad_without_product_rule(x):
    """A WRONG derivative of x Phi(x): Phi(x) alone, the term x phi(x) forgotten.

    Examples
    --------
    >>> float(gelu_grad_without_product_rule(0.0))
    0.5
    """
    return normal_cdf(x)


def bisect_root(g, a, b, tol=1e-14):
    """Root of a continuous scalar function ``g`` in [a, b] by bisection.

    ``g(a)`` and ``g(b)`` must have opposite signs; the bracket halves until it
    is shorter than ``tol`` (or ``g`` hits exactly zero).

    Examples
    --------
    >>> round(bisect_root(lambda t: t * t - 2.0, 0.0, 2.0), 12)
    1.414213562373
    """
    ga, gb = float(g(a)), float(g(b))
    if not ga * gb < 0:
        raise ValueError(f"g(a) and g(b) must have opposite signs, got {ga!r} and {gb!r}")
    while b - a > tol:
        m = 0.5 * (a + b)
        gm = float(g(m))
        if gm == 0.0:
            return m
        if (gm < 0) == (ga < 0):
            a, ga = m, gm
        else:
            b = m
    return 0.5 * (a + b)


def golden_max(g, a, b, tol=1e-10):
    """Maximiser and maximum of a unimodal scalar function on [a, b] (golden section).

    Examples
    --------
    >>> x, gx = golden_max(lambda t: 2.0 - (t - 1.0) ** 2, 0.0, 3.0)
    >>> round(x, 6), round(gx, 12)
    (1.0, 2.0)
    """
    if not a < b:
        raise ValueError(f"need a < b, got a = {a!r}, b = {b!r}")
    c, d = b - GOLDEN * (b - a), a + GOLDEN * (b - a)
    gc, gd = float(g(c)), float(g(d))
    while b - a > tol:
        if gc > gd:
            b, d, gd = d, c, gc
            c = b - GOLDEN * (b - a)
            gc = float(g(c))
        else:
            a, c, gc = c, d, gd
            d = a + GOLDEN * (b - a)
            gd = float(g(d))
    x = float(0.5 * (a + b))
    return x, float(g(x))


def negative_minimum(f, f_grad, a=-5.0):
    """The minimum of f on x < 0, located as the root of f' in [a, 0].

    Valid for Swish (beta > 0) and the GELUs: f' < 0 at ``a`` and f'(0) = 1/2,
    and f' has exactly one root there (see the page).

    Returns
    -------
    x_min, f_min : float

    Examples
    --------
    >>> x, fx = negative_minimum(gelu, gelu_grad)
    >>> round(x, 4), round(fx, 4)
    (-0.7518, -0.17)
    """
    x = bisect_root(f_grad, a, 0.0)
    return x, float(f(x))


def swish_extremum(beta):
    """The only critical point x* = t1 / beta of swish_beta (beta != 0) and its value.

    For beta > 0 it is the global minimum (x* < 0), for beta < 0 the global
    maximum (x* > 0); swish_beta' changes sign between 0 and -5 / beta.

    Examples
    --------
    >>> [round(v, 4) for v in swish_extremum(-1.0)]
    [1.2785, 0.2785]
    """
    beta = check_finite(beta, "beta")
    if beta == 0.0:
        raise ValueError("beta must be non-zero: swish with beta = 0 is the line x / 2")
    a, b = sorted((0.0, -5.0 / beta))
    x = bisect_root(functools.partial(swish_grad, beta=beta), a, b)
    return x, float(swish(x, beta))


def steepest_slope(f_grad, b=6.0):
    """Where f' is largest on [0, b] and that largest value (golden section).

    Examples
    --------
    >>> x, s = steepest_slope(gelu_grad)
    >>> round(x, 6), round(s, 4)
    (1.414214, 1.1289)
    """
    return golden_max(f_grad, 0.0, check_positive(b, "b"))


def tail_deviations(f, f_grad, r):
    """How far f is from its asymptotes at distance r > 0 on either side of 0.

    Returns
    -------
    ndarray, shape (4,)
        f(-r), f'(-r), f(r) - r, f'(r) - 1; all tend to 0 as r grows.

    Examples
    --------
    >>> (tail_deviations(gelu, gelu_grad, 10.0).round(12) + 0.0).tolist()
    [0.0, 0.0, 0.0, 0.0]
    """
    r = check_positive(r, "r")
    return np.array([f(-r), f_grad(-r), f(r) - r, f_grad(r) - 1.0], dtype=np.float64)


def max_abs_difference(f, g, x):
    """max |f(x) - g(x)| over the points x, and the point where it occurs.

    Examples
    --------
    >>> err, where = max_abs_difference(gelu_tanh, gelu, np.linspace(-5, 5, 1001))
    >>> bool(err < 1e-3)
    True
    """
    x = as_float_array(x, "x", ndim=1)
    diff = np.abs(f(x) - g(x))
    i = int(np.argmax(diff))
    return float(diff[i]), float(x[i])


def _finish_pair(ax_f, ax_d, minimum, titles):
    """Finish a function (left) / derivative (right) pair of panels: the function's
    negative minimum as a dot, the asymptotic slope 1 as a dashed line, titles, legend,
    ticks."""
    ax_f.plot([minimum[0]], [minimum[1]], "ko", ms=4)
    ax_d.axhline(1.0, color="0.6", lw=0.8, ls="--")
    ax_f.set(xlabel="x", title=titles[0])
    ax_d.set(xlabel="x", title=titles[1])
    ax_f.legend(fontsize=8, loc="upper left")
    for ax in (ax_f, ax_d):
        ax.set_xticks([-4, -2, 0, 2, 4])
        ax.locator_params(axis="y", nbins=4)


SWISH_FAMILY_TEXT = {
    "zh": {"minimum": "β = 1 的最小值"},
    "en": {"minimum": "minimum for β = 1"},
}


def plot_swish_family(betas=SWISH_BETAS, lang="zh"):
    """Swish (left) and its derivative (right) for several beta, ReLU for reference.

    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(SWISH_FAMILY_TEXT, lang)
    x = np.linspace(-4.0, 4.0, 161)
    fig, (ax_f, ax_d) = new_figure(ncols=2, width=8.4, height=3.4)
    ax_f.plot(x, relu(x), color="0.6", lw=1.0, ls=":", label="ReLU")
    for beta in betas:
        ax_f.plot(x, swish(x, beta), lw=1.5, label=f"β = {beta:g}")
        ax_d.plot(x, swish_grad(x, beta), lw=1.5, label=f"β = {beta:g}")
    x_min, f_min = negative_minimum(swish, swish_grad)
    ax_f.annotate(f"{text['minimum']}\n({x_min:.3f}, {f_min:.3f})", (x_min, f_min),
                  xytext=(-3.9, 1.0), fontsize=8, arrowprops=dict(arrowstyle="-", lw=0.6))
    ax_f.set(ylim=(-1.0, 4.0))
    ax_d.set(ylim=(-0.25, 1.25))
    _finish_pair(ax_f, ax_d, (x_min, f_min), ("swish(x)", "swish′(x)"))
    return fig


GELU_APPROXIMATIONS_TEXT = {
    "zh": {"tanh": "tanh 近似", "function": "函数值", "derivative": "导数"},
    "en": {"tanh": "tanh approx.", "function": "function value", "derivative": "derivative"},
}


def plot_gelu_approximations(lang="zh"):
    """Exact GELU and its two approximations (left), and their derivatives (right).

    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(GELU_APPROXIMATIONS_TEXT, lang)
    x = np.linspace(-4.0, 4.0, 161)
    curves = [("GELU = xΦ(x)", gelu, gelu_grad, "-", 2.6),
              (text["tanh"], gelu_tanh, gelu_tanh_grad, "--", 1.4),
              ("xσ(1.702x)", gelu_sigmoid, gelu_sigmoid_grad, ":", 1.6)]
    fig, (ax_f, ax_d) = new_figure(ncols=2, width=8.4, height=3.4)
    for label, f, df, ls, lw in curves:
        ax_f.plot(x, f(x), ls=ls, lw=lw, label=label)
        ax_d.plot(x, df(x), ls=ls, lw=lw, label=label)
    _finish_pair(ax_f, ax_d, negative_minimum(gelu, gelu_grad),
                 (text["function"], text["derivative"]))
    return fig


APPROXIMATION_ERRORS_TEXT = {
    "zh": {"tanh": "tanh 近似", "function_error": "函数值误差 |f − GELU|",
           "derivative_error": "导数误差 |f′ − GELU′|"},
    "en": {"tanh": "tanh approx.", "function_error": "function error |f − GELU|",
           "derivative_error": "derivative error |f′ − GELU′|"},
}


def plot_approximation_errors(lang="zh"):
    """|approximation - GELU| (left) and |approximation' - GELU'| (right), log scale.

    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(APPROXIMATION_ERRORS_TEXT, lang)
    x = np.linspace(-6.0, 6.0, 241)
    fig, (ax_f, ax_d) = new_figure(ncols=2, width=8.4, height=3.4)
    rows = [(text["tanh"], gelu_tanh, gelu_tanh_grad, "C1"),
            ("xσ(1.702x)", gelu_sigmoid, gelu_sigmoid_grad, "C2")]
    for label, f, df, color in rows:
        ax_f.plot(x, np.abs(f(x) - gelu(x)), color=color, lw=1.3, label=label)
        ax_d.plot(x, np.abs(df(x) - gelu_grad(x)), color=color, lw=1.3, label=label)
    ax_f.set_title(text["function_error"], fontsize=10)
    ax_d.set_title(text["derivative_error"], fontsize=10)
    for ax in (ax_f, ax_d):
        ax.set(yscale="log", ylim=(1e-7, 0.1), xlabel="x", xticks=[-6, -3, 0, 3, 6])
        ax.yaxis.set_minor_locator(NullLocator())
    ax_f.legend(fontsize=8, loc="upper right")
    return fig
