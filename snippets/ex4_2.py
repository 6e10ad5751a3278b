"""Exercise 4-2: XOR with two hidden ReLU units and one output unit."""

import copy

import numpy as np

from snippets.mlp import MLP, SGD, mse_loss, train
from snippets.plotting import draw_network, figure_text, new_figure
from snippets.validation import as_float_array, check_positive


def xor_data():
    """The four XOR inputs, shape (4, 2), and their labels, shape (4,).

    Examples
    --------
    >>> X, y = xor_data()
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0.0, 1.0, 1.0, 0.0])
    """
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.array([0.0, 1.0, 1.0, 0.0])


def xor_network(output="identity"):
    """The hand-built 2-2-1 ReLU network that computes XOR exactly.

    h = ReLU(W x + b) with W = [[1, 1], [1, 1]], b = [0, -1], and the output
    unit y = h1 - 2 h2 (``output="identity"``) or ReLU(h1 - 2 h2) (``"relu"``).

    Examples
    --------
    >>> net = xor_network()
    >>> net.forward(xor_data()[0]).ravel().tolist()
    [0.0, 1.0, 1.0, 0.0]
    """
    if output not in ("identity", "relu"):
        raise ValueError(f"output must be 'identity' or 'relu', got {output!r}")
    net = MLP([2, 2, 1], hidden="relu", output=output, init="zeros")
    net.W[0][:] = [[1.0, 1.0], [1.0, 1.0]]
    net.b[0][:] = [0.0, -1.0]
    net.W[1][:] = [[1.0, -2.0]]
    net.b[1][:] = [0.0]
    return net


def truth_table(net):
    """Rows (x1, x2, h1, h2, y) of ``net`` on the four XOR inputs.

    Examples
    --------
    >>> truth_table(xor_network())[-1].tolist()
    [1.0, 1.0, 2.0, 1.0, 0.0]
    """
    X, _ = xor_data()
    y = net.forward(X)
    return np.column_stack([X, net.A[1], y])


def fit_single_neuron(rng, steps=2000, lr=1.0):
    """Fit one logistic neuron sigma(w^T x + b) to XOR by gradient descent.

    Starts from random weights; returns the weights, the bias and the final
    cross-entropy loss. The loss is convex here and its minimum is ln 2,
    reached at w = 0, b = 0: every input then gets probability 1/2.

    Examples
    --------
    >>> w, b, loss = fit_single_neuron(np.random.default_rng(0), steps=200)
    >>> bool(loss > np.log(2) - 1e-12)
    True
    """
    X, y = xor_data()
    net = MLP([2, 1], output="identity", init="xavier", rng=rng)
    losses = train(net, X, y, SGD(lr), steps, loss="bce")
    return net.W[0].ravel(), float(net.b[0][0]), float(losses[-1])


def xor_network_bias_free():
    """XOR with every bias 0: y = ReLU(x1 - x2) + ReLU(x2 - x1) = |x1 - x2|.

    Examples
    --------
    >>> xor_network_bias_free().forward(xor_data()[0]).ravel().tolist()
    [0.0, 1.0, 1.0, 0.0]
    """
    net = MLP([2, 2, 1], hidden="relu", output="identity", init="zeros")
    net.W[0][:] = [[1.0, -1.0], [-1.0, 1.0]]
    net.W[1][:] = [[1.0, 1.0]]
    return net


def init_xor_runs(n_runs, rng, hidden_bias=0.0):
    """``n_runs`` 2-2-1 ReLU networks with He weights, as ``MLP(..., init="he")``.

    The hidden biases start at ``hidden_bias``, the output bias at 0.

    Examples
    --------
    >>> nets = init_xor_runs(2, np.random.default_rng(0), hidden_bias=0.1)
    >>> len(nets), nets[0].b[0].tolist(), nets[0].b[1].tolist()
    (2, [0.1, 0.1], [0.0])
    """
    if not (isinstance(n_runs, (int, np.integer)) and n_runs >= 1):
        raise ValueError(f"n_runs must be a positive integer, got {n_runs!r}")
    hidden_bias = float(as_float_array(hidden_bias, "hidden_bias", 0))
    nets = [MLP([2, 2, 1], hidden="relu", output="identity", init="he", rng=rng)
            for _ in range(n_runs)]
    for net in nets:
        net.b[0][:] = hidden_bias
    return nets


def with_hidden_bias(nets, hidden_bias):
    """Copies of ``nets`` whose hidden biases are set to ``hidden_bias``.

    Examples
    --------
    >>> with_hidden_bias([xor_network()], 0.1)[0].b[0].tolist()
    [0.1, 0.1]
    """
    copies = [copy.deepcopy(net) for net in nets]
    for net in copies:
        net.b[0][:] = float(as_float_array(hidden_bias, "hidden_bias", 0))
    return copies


def stack_runs(nets):
    """Parameters of 2-2-1 networks with the runs on the last axis.

    Returns W1, shape (2 units, 2 inputs, runs); b1 and the output weights v,
    shape (2, runs); and the output bias b2, shape (1, runs).

    Examples
    --------
    >>> W1, b1, v, b2 = stack_runs([xor_network(), xor_network_bias_free()])
    >>> W1.shape, b1[:, 0].tolist(), v[:, 1].tolist(), b2.shape
    ((2, 2, 2), [0.0, -1.0], [1.0, 1.0], (1, 2))
    """
    return (np.stack([s.W[0] for s in nets], axis=-1),
            np.stack([s.b[0] for s in nets], axis=-1),
            np.stack([s.W[1][0] for s in nets], axis=-1),
            np.stack([s.b[1] for s in nets], axis=-1))


def train_xor_runs(starts, steps=3000, lr=0.1, relu_grad_at_zero=0.0):
    """Train copies of the 2-2-1 ReLU networks ``starts`` on XOR, all at once.

    Full-batch gradient descent on L = (1/2n) sum_i (yhat_i - y_i)^2, n = 4: with
    the default ReLU'(0) = 0 each step is that of ``train(net, X, y, SGD(lr),
    steps)``; ``relu_grad_at_zero=1.0`` uses ReLU'(0) = 1 instead. The runs sit
    on the last axis of every array, so hundreds train at once. ``starts`` is
    left unchanged.

    Returns
    -------
    nets : list of MLP
        The trained networks.
    losses : ndarray, shape (len(starts), steps)
        Loss before every step.

    Examples
    --------
    >>> nets, losses = train_xor_runs([xor_network()], steps=2)
    >>> losses.tolist()
    [[0.0, 0.0]]
    """
    if not starts or any(getattr(n, "sizes", None) != (2, 2, 1) for n in starts):
        raise ValueError("starts must be a non-empty list of MLP([2, 2, 1]) networks")
    if not (isinstance(steps, (int, np.integer)) and steps >= 1):
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    lr = check_positive(lr, "lr")
    if relu_grad_at_zero not in (0.0, 1.0):
        raise ValueError(f"relu_grad_at_zero must be 0 or 1, got {relu_grad_at_zero!r}")
    X, y = xor_data()
    x1, x2, t = X[:, 0, None], X[:, 1, None], y[:, None]    # shape (n, 1)
    W1, b1, v, b2 = stack_runs(starts)
    losses, n = np.empty((steps, len(starts))), len(X)
    for step in range(steps):
        Z1 = W1[:, 0, None] * x1 + W1[:, 1, None] * x2 + b1[:, None]  # (unit, n, run)
        H = np.maximum(Z1, 0.0)
        diff = v[0] * H[0] + v[1] * H[1] + b2 - t                   # (n, run)
        losses[step] = 0.5 * (diff * diff).sum(axis=0) / n
        d_out = diff / n                                           # dL/dy
        active = Z1 >= 0 if relu_grad_at_zero else Z1 > 0          # ReLU'(z)
        delta = d_out * v[:, None] * active                        # dL/dz1
        v -= lr * (d_out * H).sum(axis=1)
        b2 -= lr * d_out.sum(axis=0)
        W1[:, 0] -= lr * (delta * x1).sum(axis=1)
        W1[:, 1] -= lr * (delta * x2).sum(axis=1)
        b1 -= lr * delta.sum(axis=1)
    nets = [copy.deepcopy(s) for s in starts]
    for r, net in enumerate(nets):
        net.W[0][:], net.b[0][:] = W1[..., r], b1[:, r]
        net.W[1][:], net.b[1][:] = v[:, r], b2[:, r]
    return nets, losses.T


def activation_pattern(net):
    """Which hidden units are active (z > 0) on each XOR input, shape (4, 2).

    Examples
    --------
    >>> activation_pattern(xor_network()).astype(int).tolist()
    [[0, 0], [1, 0], [1, 0], [1, 1]]
    """
    net.forward(xor_data()[0])
    return net.Z[0] > 0


def dead_units(net):
    """Hidden units with pre-activation <= 0 on all four XOR inputs, shape (2,).

    Examples
    --------
    >>> net = xor_network()
    >>> net.W[0][1] = [-1.0, -0.5]
    >>> dead_units(net).tolist()
    [False, True]
    """
    return ~activation_pattern(net).any(axis=0)


def nonpositive_units(net):
    """Hidden units with no positive incoming weight (w1, w2 <= 0), shape (2,).

    On the XOR inputs such a unit has z(0,0) = b and z <= b elsewhere: it points
    away from every input, and (0,0), the only input it can be active on, gives
    its weights no gradient.

    Examples
    --------
    >>> net = xor_network()
    >>> net.W[0][1] = [-1.0, 0.0]
    >>> nonpositive_units(net).tolist()
    [False, True]
    """
    return np.all(net.W[0] <= 0, axis=1)


def dead_with_frozen_weights(start, net):
    """Did a unit with w1, w2 <= 0 in ``start`` die in ``net`` with those weights?

    True when some hidden unit is dead in the trained ``net``, had no positive
    incoming weight in the untrained ``start``, and its incoming weights never
    changed (only its bias did). Both networks must be MLP([2, 2, 1]).

    Examples
    --------
    >>> start = with_hidden_bias([xor_network()], 0.1)[0]
    >>> start.W[0][1] = [-1.0, -0.5]
    >>> net = copy.deepcopy(start)
    >>> net.b[0][1] = -0.2
    >>> dead_with_frozen_weights(start, net)
    True
    """
    unchanged = np.all(net.W[0] == start.W[0], axis=1)
    return bool(np.any(dead_units(net) & nonpositive_units(start) & unchanged))


def bias_slopes_from_above(net):
    """One-sided slope of the squared error as each hidden bias is raised, shape (2,).

    ReLU has slope 1 just above 0, so this is dL/db(1) computed with ReLU'(0) = 1.
    For a dead unit whose largest z is exactly 0, a negative slope means that
    raising its bias lowers the loss, although the ReLU'(0) = 0 gradient is 0.

    Examples
    --------
    >>> net = xor_network()
    >>> net.W[0][1], net.b[0][1], net.b[1][0] = [-1.0, -1.0], 0.0, 0.5
    >>> (bias_slopes_from_above(net) + 0.0).tolist()
    [1.0, -0.25]
    """
    X, y = xor_data()
    d_out = (net.forward(X).ravel() - y) / len(y)
    return np.sum(d_out[:, None] * net.W[1][0] * (net.Z[0] >= 0), axis=0)


def falls_at_origin(net):
    """Hidden units whose bias the next step lowers through the input (0,0), shape (2,).

    A unit active on (0,0) gets dL/db_j = v_j y(0,0) / 4 from it (v_j its output
    weight), so gradient descent lowers its bias when v_j y(0,0) > 0.

    Examples
    --------
    >>> net = xor_network()
    >>> net.b[1][0] = 0.5                     # y(0,0) = 0.5; v = (1, -2)
    >>> falls_at_origin(net).tolist()
    [True, False]
    """
    out = net.forward(xor_data()[0][:1])[0, 0]
    return net.W[1][0] * out > 0


def gradient_norm(net):
    """Euclidean norm of the squared-error gradient over all parameters, on XOR.

    Examples
    --------
    >>> gradient_norm(xor_network())
    0.0
    """
    X, y = xor_data()
    _, grad = mse_loss(net.forward(X), y)
    dW, db = net.backward(grad)
    return float(np.sqrt(sum(np.sum(g * g) for g in dW + db)))


def classify_run(net, start=None, tol=0.1):
    """What became of one trained XOR network.

    ``"solved"``: every output within ``tol`` of its label.
    ``"dead unit"``: a hidden unit has pre-activation <= 0 on all four inputs,
    so it outputs 0 and receives no gradient (exercise 4-3). Given the
    untrained network ``start``, this splits into ``"dead at init"`` (a unit
    was dead in ``start`` already) and ``"died in training"``.
    ``"same pattern"``: both units are active on exactly the same inputs, and
    not on exactly three: on all four the network is one affine function, which
    cannot fit XOR; on one or two, the other inputs (labels 0 and 1 among them)
    all get the output bias. (Active on three, the two units can fit XOR.)
    ``"zero collision"``: an input labelled 0 and one labelled 1 both switch
    every hidden unit off, so both get the same output, the output bias.
    ``"other"``: none of these (e.g. still converging slowly).

    Examples
    --------
    >>> classify_run(xor_network())
    'solved'
    """
    X, y = xor_data()
    out = net.forward(X).ravel()
    if np.max(np.abs(out - y)) < tol:
        return "solved"
    active = activation_pattern(net)                       # shape (4 inputs, 2 units)
    if np.any(~active.any(axis=0)):
        if start is None:
            return "dead unit"
        return "dead at init" if np.any(dead_units(start)) else "died in training"
    if np.array_equal(active[:, 0], active[:, 1]) and active[:, 0].sum() != 3:
        return "same pattern"
    silent = ~active.any(axis=1)                           # inputs mapped to h = (0, 0)
    if len(set(y[silent].tolist())) == 2:
        return "zero collision"
    return "other"


OUTCOME_ROWS = (("solved", "solved"), ("dead unit", "dead unit"),
                ("same pattern", "same pattern"), ("zero collision", "zero collision"),
                ("other", "other"), ("w<=0 runs", "runs with a w1, w2 <= 0 unit"),
                ("w<=0 solved", "of these, solved"),
                ("w<=0 dead unit", "end with a dead unit"),
                ("w<=0 frozen", "that unit, weights unchanged"))


def outcome_counts(starts, nets):
    """Outcome counts of trained runs, overall and for runs with a w1, w2 <= 0 unit.

    Keys: the outcomes of ``classify_run`` (both kinds of death counted as
    ``"dead unit"``); ``"w<=0 runs"``, the runs whose start has a unit with
    w1, w2 <= 0; and of these, ``"w<=0 solved"``, ``"w<=0 dead unit"`` and
    ``"w<=0 frozen"`` (``dead_with_frozen_weights``).

    Examples
    --------
    >>> net = xor_network()
    >>> c = outcome_counts([net], [net])
    >>> c["solved"], c["dead unit"], c["w<=0 runs"]
    (1, 0, 0)
    """
    outcomes = [classify_run(n) for n in nets]
    away = [i for i, s in enumerate(starts) if nonpositive_units(s).any()]
    counts = {key: outcomes.count(key) for key, _ in OUTCOME_ROWS[:5]}
    counts["w<=0 runs"] = len(away)
    counts["w<=0 solved"] = sum(outcomes[i] == "solved" for i in away)
    counts["w<=0 dead unit"] = sum(outcomes[i] == "dead unit" for i in away)
    counts["w<=0 frozen"] = sum(dead_with_frozen_weights(starts[i], nets[i])
                                for i in away)
    return counts


def outcome_table(columns):
    """Text table of ``outcome_counts`` dicts, one column per entry of ``columns``.

    Examples
    --------
    >>> net = xor_network()
    >>> table = outcome_table({"hand-built": outcome_counts([net], [net])})
    >>> print("\\n".join(table.splitlines()[:2]))
                                 hand-built
                          solved          1
    """
    lines = [" " * 28 + "".join(f"{name:>11}" for name in columns)]
    for key, label in OUTCOME_ROWS:
        counts = "".join(f"{c[key]:11d}" for c in columns.values())
        lines.append(f"{label:>28}{counts}")
    return "\n".join(lines)


NETWORK_TEXT = {
    "zh": {"output": "线性输出"},
    "en": {"output": "linear output"},
}


def plot_network(net, lang="zh"):
    """Diagram of the 2-2-1 network with its weights and biases.

    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(NETWORK_TEXT, lang)
    fig, ax = new_figure(width=5.2, height=3.4)
    draw_network(ax, net.W, net.b, labels=[["x1", "x2"], ["h1", "h2"], ["y"]],
                 activations=["ReLU", text["output"]])
    return fig


HIDDEN_SPACE_TEXT = {
    "zh": {"input_title": "输入空间 (x1, x2)",
           "hidden_title": "隐藏空间 (h1, h2)"},
    "en": {"input_title": "input space (x1, x2)",
           "hidden_title": "hidden space (h1, h2)"},
}


def plot_hidden_space(net, lang="zh"):
    """The four inputs before (left) and after (right) the hidden layer.

    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(HIDDEN_SPACE_TEXT, lang)
    X, y = xor_data()
    truth_table(net)
    H = net.A[1]
    fig, (ax_in, ax_h) = new_figure(ncols=2, width=8.0, height=3.8)
    for ax, P, title in ((ax_in, X, text["input_title"]),
                         (ax_h, H, text["hidden_title"])):
        for label, marker, color in ((0, "o", "#1a56db"), (1, "s", "#c81e1e")):
            pts = P[y == label]
            ax.scatter(pts[:, 0], pts[:, 1], s=90, marker=marker, color=color,
                       label=f"XOR = {label}", zorder=3)
        labels = {}
        for (px, py), (qx, qy) in zip(P, X):  # inputs on one point share a label
            labels.setdefault((px, py), []).append(f"({qx:g},{qy:g})")
        for (px, py), names in labels.items():
            ax.annotate(" ".join(names), (px, py), textcoords="offset points",
                        xytext=(8, 8), fontsize=8)
        ax.set_title(title)
        ax.set_aspect("equal")
    w, c = net.W[1][0], net.b[1][0]
    h1 = np.linspace(-0.3, 2.5, 2)
    ax_h.plot(h1, (w[0] * h1 + c - 0.5) / -w[1], "k--", lw=1,
              label=r"$h_1 - 2h_2 = 0.5$")
    ax_in.set(xlim=(-0.4, 1.6), ylim=(-0.4, 1.6))
    ax_h.set(xlim=(-0.3, 2.5), ylim=(-0.3, 1.5))
    ax_h.legend(loc="upper left", fontsize=8)
    return fig


DECISION_REGIONS_TEXT = {
    "zh": {"colorbar": "网络输出 y"},
    "en": {"colorbar": "network output y"},
}


def plot_decision_regions(net, resolution=161, lang="zh"):
    """Network output over the input plane, with the level set y = 0.5.

    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(DECISION_REGIONS_TEXT, lang)
    X, y = xor_data()
    g = np.linspace(-0.5, 1.5, resolution)
    G1, G2 = np.meshgrid(g, g)
    out = net.forward(np.column_stack([G1.ravel(), G2.ravel()])).reshape(G1.shape)
    fig, ax = new_figure(width=4.6, height=3.8)
    im = ax.imshow(out, extent=(-0.5, 1.5, -0.5, 1.5), origin="lower", cmap="RdBu_r",
                   vmin=-1.0, vmax=1.0, interpolation="nearest")
    ax.contour(G1, G2, out, levels=[0.5], colors="k", linewidths=1.2)
    for label, marker in ((0, "o"), (1, "s")):
        pts = X[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], marker=marker, s=80, color="white",
                   edgecolors="black", linewidths=1.5, zorder=3, label=f"XOR = {label}")
    ax.legend(loc="upper right", fontsize=8)
    fig.colorbar(im, ax=ax, label=text["colorbar"])
    ax.set(xlabel="x1", ylabel="x2", aspect="equal")
    ax.grid(False)
    return fig


TRAINING_OUTCOMES_TEXT = {
    "zh": {"xlabel": "梯度下降步数", "ylabel": "平方误差损失"},
    "en": {"xlabel": "gradient descent steps", "ylabel": "squared-error loss"},
}


def plot_training_outcomes(losses, outcomes, lang="zh"):
    """Loss curves of all runs, coloured by outcome.

    At most 5 curves per outcome are drawn; the "dead at init" curves are drawn
    last and thicker, on top of the others. The legend shows the outcome names of
    ``classify_run`` (English in both languages, as in the printed output);
    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(TRAINING_OUTCOMES_TEXT, lang)
    colors = {"solved": "#057a55", "dead at init": "#c81e1e",
              "died in training": "#1a56db", "same pattern": "#9061f9",
              "zero collision": "#d97706", "other": "#6b7280"}
    fig, ax = new_figure(width=6.4, height=3.6)
    # 30 log-spaced steps per curve and at most 5 curves per outcome keep the SVG light
    idx = np.unique(np.geomspace(1, losses.shape[1], 30).astype(int)) - 1
    for kind, color in colors.items():               # the legend, in this order
        ax.plot([], [], color=color, label=f"{kind}: {sum(o == kind for o in outcomes)}")
    # the failed runs stop on a few common plateaus: draw "dead at init" last and
    # thicker, so that its curves are not hidden behind the other failures
    order = [k for k in colors if k != "dead at init"] + ["dead at init"]
    for kind in order:
        rows = [i for i, o in enumerate(outcomes) if o == kind]
        top = kind == "dead at init"
        for i in rows[:5]:
            ax.plot(idx + 1, losses[i, idx], color=colors[kind], lw=1.6 if top else 0.8,
                    alpha=0.9 if top else 0.6, zorder=3 if top else 2)
    ax.set(xscale="log", yscale="log", ylim=(1e-10, 10), xlabel=text["xlabel"],
           ylabel=text["ylabel"])
    ax.legend(fontsize=9)
    return fig
