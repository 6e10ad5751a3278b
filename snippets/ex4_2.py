"""Exercise 4-2: XOR with two hidden ReLU units and one output unit."""

import numpy as np

from snippets.activations import relu
from snippets.mlp import MLP, binary_cross_entropy, SGD, train
from snippets.plotting import draw_network, new_figure
from snippets.validation import as_float_array


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


def train_xor_runs(n_runs, rng, steps=3000, lr=0.1):
    """Train ``n_runs`` randomly initialised 2-2-1 ReLU networks on XOR at once.

    Each network starts as ``MLP([2, 2, 1], init="he", rng=rng)`` would and is
    trained by full-batch gradient descent on the squared error, exactly as
    ``train(net, X, y, SGD(lr), steps)``; the runs are vectorised over a
    leading axis of length ``n_runs`` so that hundreds take well under a second.

    Returns
    -------
    nets : list of MLP
        The trained networks.
    losses : ndarray, shape (n_runs, steps)
        Loss before every step.
    """
    if not (isinstance(n_runs, (int, np.integer)) and n_runs >= 1):
        raise ValueError(f"n_runs must be a positive integer, got {n_runs!r}")
    X, y = xor_data()
    nets = [MLP([2, 2, 1], hidden="relu", output="identity", init="he", rng=rng)
            for _ in range(n_runs)]
    W1, b1 = np.stack([n.W[0] for n in nets]), np.stack([n.b[0] for n in nets])
    W2, b2 = np.stack([n.W[1] for n in nets]), np.stack([n.b[1] for n in nets])
    losses = np.empty((n_runs, steps))
    n = len(X)
    for step in range(steps):
        Z1 = np.einsum("nd,rhd->rnh", X, W1) + b1[:, None, :]
        H = np.maximum(Z1, 0.0)
        out = np.einsum("rnh,roh->rno", H, W2)[..., 0] + b2
        diff = out - y
        losses[:, step] = 0.5 * np.sum(diff * diff, axis=1) / n
        d_out = diff / n                                     # dL/dy, shape (r, n)
        dZ1 = d_out[..., None] * W2 * (Z1 > 0)               # delta of the hidden layer
        W2 -= lr * np.einsum("rn,rnh->rh", d_out, H)[:, None, :]
        b2 -= lr * d_out.sum(axis=1, keepdims=True)
        W1 -= lr * np.einsum("rnh,nd->rhd", dZ1, X)
        b1 -= lr * dZ1.sum(axis=1)
    for r, net in enumerate(nets):
        net.W[0][:], net.b[0][:], net.W[1][:], net.b[1][:] = W1[r], b1[r], W2[r], b2[r]
    return nets, losses


def classify_run(net, tol=0.1):
    """What became of one trained XOR network.

    ``"solved"``: every output within ``tol`` of its label.
    ``"dead unit"``: a hidden unit has pre-activation <= 0 on all four inputs,
    so it outputs 0 and receives no gradient (exercise 4-3).
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
    active = net.Z[0] > 0                                  # shape (4 inputs, 2 units)
    if np.any(~active.any(axis=0)):
        return "dead unit"
    if np.array_equal(active[:, 0], active[:, 1]) and active[:, 0].sum() != 3:
        return "same pattern"
    silent = ~active.any(axis=1)                           # inputs mapped to h = (0, 0)
    if len(set(y[silent].tolist())) == 2:
        return "zero collision"
    return "other"


def plot_network(net):
    """Diagram of the 2-2-1 network with its weights and biases."""
    fig, ax = new_figure(width=5.2, height=3.4)
    draw_network(ax, net.W, net.b, labels=[["x1", "x2"], ["h1", "h2"], ["y"]],
                 activations=["ReLU", "线性输出"])
    return fig


def plot_hidden_space(net):
    """The four inputs before (left) and after (right) the hidden layer."""
    X, y = xor_data()
    truth_table(net)
    H = net.A[1]
    fig, (ax_in, ax_h) = new_figure(ncols=2, width=8.0, height=3.8)
    for ax, P, title in ((ax_in, X, "输入空间 (x1, x2)"), (ax_h, H, "隐藏空间 (h1, h2)")):
        for label, marker, color in ((0, "o", "#1a56db"), (1, "s", "#c81e1e")):
            pts = P[y == label]
            ax.scatter(pts[:, 0], pts[:, 1], s=90, marker=marker, color=color,
                       label=f"XOR = {label}", zorder=3)
        labels = {}
        for (px, py), (qx, qy) in zip(P, X):  # inputs that land on one point share a label
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


def plot_decision_regions(net, resolution=161):
    """Network output over the input plane, with the level set y = 0.5."""
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
    fig.colorbar(im, ax=ax, label="网络输出 y")
    ax.set(xlabel="x1", ylabel="x2", aspect="equal")
    ax.grid(False)
    return fig


def plot_training_outcomes(losses, outcomes):
    """Loss curves of all runs, coloured by outcome."""
    colors = {"solved": "#057a55", "dead unit": "#c81e1e", "same pattern": "#9061f9",
              "zero collision": "#d97706", "other": "#6b7280"}
    fig, ax = new_figure(width=6.4, height=3.6)
    # 30 log-spaced steps per curve and at most 5 curves per outcome keep the SVG light
    idx = np.unique(np.geomspace(1, losses.shape[1], 30).astype(int)) - 1
    for kind, color in colors.items():
        rows = [i for i, o in enumerate(outcomes) if o == kind]
        for i in rows[:5]:
            ax.plot(idx + 1, losses[i, idx], color=color, lw=0.8, alpha=0.6)
        ax.plot([], [], color=color, label=f"{kind}: {len(rows)}")
    ax.set(xscale="log", yscale="log", ylim=(1e-10, 10), xlabel="梯度下降步数",
           ylabel="平方误差损失")
    ax.legend(fontsize=9)
    return fig
