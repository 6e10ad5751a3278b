"""Exercise 4-5: parameter count against depth at a fixed number of neurons,
and what depth buys instead: linear pieces of a ReLU network in 1-D.

N hidden neurons are split into L hidden layers of N / L units each, between an
input of size M0 and one output unit.
"""

import itertools

import numpy as np
from matplotlib.ticker import NullLocator

from snippets.mlp import MLP, count_parameters
from snippets.plotting import figure_text, new_figure
from snippets.validation import as_float_array


def _positive_int(value, name):
    """Return ``value`` as an int, or raise ``ValueError`` unless it is an integer >= 1."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def budget_layer_sizes(M0, N, L):
    """Layer sizes [M0, N/L, ..., N/L, 1] with L hidden layers of N/L units.

    Examples
    --------
    >>> budget_layer_sizes(3, 12, 4)
    [3, 3, 3, 3, 3, 1]
    """
    M0, N, L = _positive_int(M0, "M0"), _positive_int(N, "N"), _positive_int(L, "L")
    if N % L:
        raise ValueError(f"L must divide N so that every layer has N / L units, "
                         f"got N = {N}, L = {L}")
    return [M0] + [N // L] * L + [1]


def divisors(N):
    """All L with N / L an integer, in increasing order.

    Examples
    --------
    >>> divisors(12)
    [1, 2, 3, 4, 6, 12]
    """
    N = _positive_int(N, "N")
    return [L for L in range(1, N + 1) if N % L == 0]


def parameter_formula(N, M0, L):
    """P(L) = N(M0 + 1)/L + N^2 (L - 1)/L^2 + N + 1.

    ``L`` is an integer, or an array of real L >= 1 for studying P as a
    function of L. When L divides N every term is an integer, and so is the
    (exactly rounded) float result.

    Examples
    --------
    >>> [parameter_formula(12, 3, L) for L in (1, 2, 3, 4, 6, 12)]
    [61.0, 73.0, 61.0, 52.0, 41.0, 28.0]
    >>> parameter_formula(12, 3, np.array([1.5])).tolist()
    [77.0]
    """
    N, M0 = _positive_int(N, "N"), _positive_int(M0, "M0")
    if isinstance(L, (int, np.integer)):
        L = _positive_int(L, "L")
    else:
        L = as_float_array(L, "L")
        if np.any(L < 1):
            raise ValueError("every L must be >= 1")
    return N * (M0 + 1) / L + N**2 * (L - 1) / L**2 + N + 1


def counted_parameters(M0, N, L):
    """Parameters of a real network ``MLP(budget_layer_sizes(M0, N, L))``, counted.

    Examples
    --------
    >>> counted_parameters(3, 12, 2)
    73
    """
    net = MLP(budget_layer_sizes(M0, N, L), init="zeros")
    return net.n_parameters()


def counted_weights(M0, N, L):
    """Weights alone (biases not counted) of the real network, read off its arrays.

    Examples
    --------
    >>> w = counted_weights(3, 12, 2)
    >>> w, counted_parameters(3, 12, 2) - w
    (60, 13)
    """
    net = MLP(budget_layer_sizes(M0, N, L), init="zeros")
    return sum(W.size for W in net.W)


def layer_counts(M0, N, L):
    """(weights, biases) of each layer of the network, read off its arrays.

    Examples
    --------
    >>> layer_counts(3, 12, 3)
    [(12, 4), (16, 4), (16, 4), (4, 1)]
    """
    net = MLP(budget_layer_sizes(M0, N, L), init="zeros")
    return [(W.size, b.size) for W, b in zip(net.W, net.b)]


def real_maximiser(N, M0):
    """Where P(L), as a function of real L >= 1, is largest: L* = 2N / (N + M0 + 1).

    From P'(L) = N [N (2 - L) - (M0 + 1) L] / L^3. L* >= 1 exactly when
    N >= M0 + 1; otherwise P' < 0 on [1, inf), P decreases, and the answer is 1.

    Examples
    --------
    >>> real_maximiser(12, 3)
    1.5
    """
    N, M0 = _positive_int(N, "N"), _positive_int(M0, "M0")
    return max(2 * N / (N + M0 + 1), 1.0)


def claim_violations(N_values, M0_values):
    """Check the analysis on real networks for every N, M0 and divisor L.

    Claims: (1) the counted parameters equal P(L); (2) P(L) > P(1) exactly when
    N / L > M0 + 1 for L >= 2 (so P(2) > P(1) exactly when N > 2 (M0 + 1)); (3) P strictly
    decreases along the divisors L >= 2; (4) P(N) = M0 + 2N + 1; (5) P(1) - P(N) =
    M0 (N - 1); (6) the biases number N + 1 for every L (so counting weights alone only
    shifts P by a constant).

    Returns
    -------
    n_networks : int
        How many networks were built and counted.
    violations : dict
        Claim name -> number of cases where it failed.

    Examples
    --------
    >>> n, violations = claim_violations(range(1, 13), range(1, 4))
    >>> n, sum(violations.values()), len(violations)
    (105, 0, 6)
    """
    violations = dict.fromkeys(["formula", "rise iff N/L > M0+1",
                                "decreasing for L >= 2", "P(N)",
                                "P(1) - P(N) = M0(N-1)", "biases = N+1"], 0)
    n_networks = 0
    for N in N_values:
        Ls = divisors(N)
        for M0 in M0_values:
            nets = [MLP(budget_layer_sizes(M0, N, L), init="zeros") for L in Ls]
            P = [net.n_parameters() for net in nets]
            n_networks += len(Ls)
            violations["formula"] += sum(p != parameter_formula(N, M0, L)
                                         for p, L in zip(P, Ls))
            violations["rise iff N/L > M0+1"] += sum((p > P[0]) != (N // L > M0 + 1)
                                                     for p, L in zip(P[1:], Ls[1:]))
            violations["decreasing for L >= 2"] += sum(q >= p for p, q in zip(P[1:], P[2:]))
            violations["P(N)"] += P[-1] != M0 + 2 * N + 1
            violations["P(1) - P(N) = M0(N-1)"] += P[0] - P[-1] != M0 * (N - 1)
            violations["biases = N+1"] += sum(sum(b.size for b in net.b) != N + 1
                                              for net in nets)
    return n_networks, violations


def tent_network(k):
    """A ReLU network with k hidden layers of 2 units that computes the k-fold
    tent map on [0, 1] (the sawtooth with 2^k linear pieces).

    Each layer computes t(s) = 2 ReLU(s) - 4 ReLU(s - 1/2) of the previous
    layer's tent: its units see s and s - 1/2, the output combines them with
    (2, -4). Weights are set by hand, like ``xor_network`` in exercise 4-2.

    Examples
    --------
    >>> net = tent_network(2)
    >>> net.forward(np.array([[0.0], [0.125], [0.25], [0.5]])).ravel().tolist()
    [0.0, 0.5, 1.0, 0.0]
    """
    k = _positive_int(k, "k")
    net = MLP([1] + [2] * k + [1], hidden="relu", output="identity", init="zeros")
    net.W[0][:] = [[1.0], [1.0]]
    for W in net.W[1:-1]:
        W[:] = [[2.0, -4.0], [2.0, -4.0]]
    for b in net.b[:-1]:
        b[:] = [0.0, -0.5]
    net.W[-1][:] = [[2.0, -4.0]]
    return net


def shallow_sawtooth_network(k):
    """One hidden layer of 2^k ReLU units computing the same sawtooth on [0, 1].

    y = sum_j v_j ReLU(x - j / 2^k): slope 2^k from x = 0, then the slope flips
    sign at every breakpoint j / 2^k (a change of -+2 * 2^k).

    Examples
    --------
    >>> shallow_sawtooth_network(2).forward(np.array([[0.125], [0.625]])).ravel().tolist()
    [0.5, 0.5]
    """
    n = 2 ** _positive_int(k, "k")
    net = MLP([1, n, 1], hidden="relu", output="identity", init="zeros")
    net.W[0][:] = 1.0
    net.b[0][:] = -np.arange(n) / n
    signs = (-1.0) ** np.arange(n)
    net.W[1][:] = np.where(np.arange(n) == 0, n, 2.0 * n * signs)
    return net


def one_unit_per_kink_fit(k, unit_at_zero=False, n_per_piece=8):
    """RMS error of the best fit of the sawtooth on [0, 1] by one hidden layer with one
    ReLU unit at each interior kink j / 2^k, for every orientation of the units.

    The model is c + sum_j v_j ReLU(w_j (x - j / 2^k)), w_j = +1 or -1 (|w_j| is
    absorbed into v_j), fitted by least squares on a grid containing every kink; with
    ``unit_at_zero`` a unit ReLU(x) is added (the page's 2^k-unit construction).

    Returns
    -------
    ndarray, shape (2 ** (2 ** k - 1),)
        One RMS error per orientation pattern.

    Examples
    --------
    >>> bool(one_unit_per_kink_fit(1).min() > 0.1)
    True
    >>> bool(one_unit_per_kink_fit(1, unit_at_zero=True).min() < 1e-12)
    True
    """
    n = 2 ** _positive_int(k, "k")
    if n > 16:
        raise ValueError(f"k must be at most 4 (2^(2^k - 1) fits), got {k!r}")
    x = np.linspace(0.0, 1.0, n * n_per_piece + 1)
    target = tent_network(k).forward(x[:, None]).ravel()
    kinks = np.arange(1, n) / n
    up, down = np.maximum(x[:, None] - kinks, 0.0), np.maximum(kinks - x[:, None], 0.0)
    fixed = [np.ones_like(x)] + ([x] if unit_at_zero else [])
    errors = []
    for pattern in itertools.product((True, False), repeat=n - 1):
        A = np.column_stack(fixed + [np.where(pattern, up, down)])
        coef = np.linalg.lstsq(A, target, rcond=None)[0]
        errors.append(np.sqrt(np.mean((A @ coef - target) ** 2)))
    return np.array(errors)


def one_unit_per_kink_network(k, w, c=0.0):
    """A real [1, 2^k - 1, 1] ReLU network with one unit at each interior kink j / 2^k
    of the sawtooth, whose slope jumps there by exactly the sawtooth's jump.

    Unit j has input weight ``w[j - 1]`` (any sign, nonzero) and bias -w_j j / 2^k, so
    its kink is j / 2^k; its output weight is v_j = J_j / |w_j| with J_j = (-1)^j 2^(k+1),
    because ReLU(w (x - x_j)) changes the slope by v |w| whatever the sign of w.

    Examples
    --------
    >>> net = one_unit_per_kink_network(1, [-0.5], c=1.0)
    >>> x, y = breakpoints(net)
    >>> x.tolist(), (np.diff(y) / np.diff(x)).tolist()      # first slope -(-4), not 2
    ([0.0, 0.5, 1.0], [4.0, 0.0])
    """
    n = 2 ** _positive_int(k, "k")
    w = as_float_array(w, "w", ndim=1)
    if w.size != n - 1 or np.any(w == 0):
        raise ValueError(f"need {n - 1} nonzero input weights, got {w.tolist()}")
    j = np.arange(1, n)
    net = MLP([1, n - 1, 1], hidden="relu", output="identity", init="zeros")
    net.W[0][:, 0], net.b[0][:] = w, -w * j / n
    net.W[1][0], net.b[1][:] = (-1.0) ** j * 2.0 * n / np.abs(w), c
    return net


def random_network_pieces(sizes, n_nets, rng, a=-3.0, b=3.0):
    """Linear pieces on [a, b] of random ReLU networks with layer sizes ``sizes``
    (1 input, 1 output), and whether each one is monotone there.

    Weights He-initialised, biases drawn from N(0, 0.5^2).

    Returns
    -------
    pieces : ndarray of int, shape (n_nets,)
    monotone : ndarray of bool, shape (n_nets,)

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> pieces, monotone = random_network_pieces([1, 1, 1, 1], 20, rng)
    >>> bool(monotone.all()), bool(pieces.max() <= 3)
    (True, True)
    """
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy Generator, got {type(rng).__name__}")
    pieces, monotone = np.empty(n_nets, dtype=int), np.empty(n_nets, dtype=bool)
    for r in range(_positive_int(n_nets, "n_nets")):
        net = MLP(sizes, init="he", rng=rng, bias=0.0)
        for bias in net.b:
            bias[:] = rng.normal(scale=0.5, size=bias.shape)
        x, y = breakpoints(net, a, b)
        s = np.diff(y) / np.diff(x)
        pieces[r] = count_linear_pieces(x, y)
        monotone[r] = s.min() >= -1e-12 or s.max() <= 1e-12
    return pieces, monotone


def _insert_kinks(x, Z, tol=1e-12):
    """Add to the sorted knots x every point where a column of Z changes sign.

    Z has shape (len(x), units) and is linear between neighbouring knots, so
    each crossing is found exactly by linear interpolation. New knots closer
    than ``tol`` (relative to the interval) to an existing one are dropped.
    """
    i, j = np.nonzero(Z[:-1] * Z[1:] < 0)
    t = Z[i, j] / (Z[i, j] - Z[i + 1, j])
    new = np.unique(x[i] + t * (x[i + 1] - x[i]))
    gap = np.min(np.abs(new[:, None] - x[None, :]), axis=1) if new.size else new
    return np.sort(np.concatenate([x, new[gap > tol * (x[-1] - x[0])]]))


def breakpoints(net, a=0.0, b=1.0):
    """Knots on [a, b] between which a 1-input ReLU network is exactly linear.

    Layer by layer: the knots so far make every pre-activation linear between
    neighbours; a ReLU adds a knot wherever one of them crosses 0.

    Returns
    -------
    x : ndarray, shape (n_knots,)
        Sorted knots, including a and b.
    y : ndarray, shape (n_knots,)
        The network's output there; linear interpolation of (x, y) is the
        network's function on [a, b].

    Examples
    --------
    >>> x, y = breakpoints(tent_network(1))
    >>> x.tolist(), y.tolist()
    ([0.0, 0.5, 1.0], [0.0, 1.0, 0.0])
    """
    if net.sizes[0] != 1 or net.sizes[-1] != 1:
        raise ValueError(f"need a network with 1 input and 1 output, got sizes {net.sizes}")
    if not a < b:
        raise ValueError(f"need a < b, got a = {a!r}, b = {b!r}")
    x = np.array([a, b], dtype=np.float64)
    for layer in range(len(net.W) - 1):
        net.forward(x[:, None])
        x = _insert_kinks(x, net.Z[layer])
    return x, net.forward(x[:, None]).ravel()


def count_linear_pieces(x, y, rtol=1e-9):
    """Number of maximal linear pieces of the polyline through (x, y).

    Neighbouring segments count as one piece when their slopes agree to
    ``rtol`` (relative to max(1, |slope|)).

    Examples
    --------
    >>> count_linear_pieces(np.array([0.0, 0.5, 1.0, 1.5]), np.array([0.0, 1.0, 0.0, -1.0]))
    2
    """
    x, y = as_float_array(x, "x", ndim=1), as_float_array(y, "y", ndim=1)
    if x.shape != y.shape or x.size < 2 or np.any(np.diff(x) <= 0):
        raise ValueError(f"need increasing x and y of one shape, got {x.shape}, {y.shape}")
    s = np.diff(y) / np.diff(x)
    scale = np.maximum(1.0, np.maximum(np.abs(s[:-1]), np.abs(s[1:])))
    return 1 + int(np.count_nonzero(np.abs(np.diff(s)) > rtol * scale))


def network_pieces(net, a=0.0, b=1.0):
    """Linear pieces of a 1-input ReLU network on [a, b], counted exactly.

    Examples
    --------
    >>> [network_pieces(tent_network(k)) for k in (1, 2, 3)]
    [2, 4, 8]
    """
    return count_linear_pieces(*breakpoints(net, a, b))


def random_shallow_pieces(n_units, n_nets, rng, a=-3.0, b=3.0):
    """Linear pieces on [a, b] of ``n_nets`` random 1-hidden-layer ReLU networks.

    Weights and biases are standard normal, so each kink -b_i / w_i is standard Cauchy
    and falls in [-3, 3] with probability 2 arctan(3) / pi = 0.795.

    Returns
    -------
    ndarray of int, shape (n_nets,)

    Examples
    --------
    >>> int(random_shallow_pieces(3, 50, np.random.default_rng(0)).max()) <= 4
    True
    """
    pieces = np.empty(n_nets, dtype=int)
    for r in range(n_nets):
        net = MLP([1, n_units, 1], hidden="relu", output="identity", init="zeros")
        for p in net.parameters():
            p[:] = rng.normal(size=p.shape)
        pieces[r] = network_pieces(net, a, b)
    return pieces


PARAMETER_CURVES_TEXT = {
    "zh": {"xlabel": "隐藏层数 L（对数坐标）", "ylabel": "参数量 P(L) / P(1)"},
    "en": {"xlabel": "number of hidden layers L (log scale)",
           "ylabel": "parameters P(L) / P(1)"},
}


def plot_parameter_curves(cases, lang="zh"):
    """P(L) / P(1) against L for several (N, M0): real L as a line, divisors as dots.

    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(PARAMETER_CURVES_TEXT, lang)
    fig, ax = new_figure(width=6.4, height=3.8)
    for N, M0 in cases:
        L = np.geomspace(1.0, N, 120)
        p1 = float(parameter_formula(N, M0, 1))
        line, = ax.plot(L, parameter_formula(N, M0, L) / p1, lw=1.3,
                        label=f"N = {N}, M0 = {M0}")
        Ls = divisors(N)
        ax.plot(Ls, [counted_parameters(M0, N, d) / p1 for d in Ls], "o", ms=4,
                color=line.get_color())
    ax.axhline(1.0, color="0.5", lw=0.8, ls="--")
    ax.axvline(2.0, color="0.5", lw=0.8, ls=":")
    ticks = sorted({L for N, _ in cases for L in (1, 2, 3, 6, N)})
    ax.set(xscale="log", xlabel=text["xlabel"], ylabel=text["ylabel"])
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.legend(fontsize=8)
    return fig


SAWTOOTH_TEXT = {
    "zh": {"title": "{k} 层 × 2 单元：{pieces} 段",
           "title_one_layer": "{k} 层 × 2 单元：{pieces} 段"},
    "en": {"title": "{k} layers × 2 units\n{pieces} pieces",
           "title_one_layer": "{k} layer × 2 units\n{pieces} pieces"},
}


def plot_sawtooth(depths=(1, 2, 3, 4), lang="zh"):
    """The k-fold tent map computed by ``tent_network(k)``, one panel per depth.

    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(SAWTOOTH_TEXT, lang)
    fig, axes = new_figure(ncols=len(depths), width=2.3 * len(depths), height=2.6)
    for ax, k in zip(np.atleast_1d(axes), depths):
        x, y = breakpoints(tent_network(k))
        ax.plot(x, y, color="C0", lw=1.3)
        ax.plot(x, y, "o", color="C0", ms=2.5)
        title = text["title_one_layer" if k == 1 else "title"]
        ax.set_title(title.format(k=k, pieces=count_linear_pieces(x, y)), fontsize=10)
        ax.set(xlabel="x", xticks=[0, 0.5, 1], yticks=[0, 0.5, 1])
    return fig
