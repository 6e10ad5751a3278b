"""Exercise 4-8: why the weights must start random rather than at W = 0, b = 0.

Hidden units of a layer that start equal compute equal outputs and receive
equal gradients, so gradient descent keeps them equal (the symmetry problem,
book §7.3); with exactly zero weights and tanh or ReLU hidden units only the
output bias learns at all. The experiments train one-hidden-layer networks on a
two-moons data set with the shared ``MLP`` and ``train``.
"""

import matplotlib
import numpy as np

from snippets.layers import dense_backward, dense_forward
from snippets.mlp import MLP, SGD, Adam, Momentum, binary_cross_entropy, train
from snippets.plotting import new_figure
from snippets.validation import as_float_array

SYMMETRY_METHODS = ("gd", "minibatch", "momentum", "adam", "dropout")


def two_moons(n0, n1, rng, noise=0.15):
    """Two interleaving half circles: ``n0`` points of class 0, ``n1`` of class 1.

    Returns
    -------
    X : ndarray, shape (n0 + n1, 2)
        Points, shifted and scaled to lie roughly in [-1.5, 1.5]^2.
    y : ndarray, shape (n0 + n1,)
        Labels, first ``n0`` zeros then ``n1`` ones.

    Examples
    --------
    >>> X, y = two_moons(3, 2, np.random.default_rng(0))
    >>> X.shape, y.tolist()
    ((5, 2), [0.0, 0.0, 0.0, 1.0, 1.0])
    """
    for n, name in ((n0, "n0"), (n1, "n1")):
        if not (isinstance(n, (int, np.integer)) and n >= 1):
            raise ValueError(f"{name} must be a positive integer, got {n!r}")
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    t0, t1 = rng.uniform(0.0, np.pi, n0), rng.uniform(0.0, np.pi, n1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([upper, lower]) + noise * rng.normal(size=(n0 + n1, 2))
    return (X - [0.5, 0.25]) / [1.0, 0.5], np.r_[np.zeros(n0), np.ones(n1)]


def unit_parameters(net, layer=0):
    """Everything that belongs to each unit of hidden layer ``layer``.

    Row j is (row j of W(l), b_j, column j of W(l+1)): the unit's incoming
    weights, its bias and its outgoing weights. Shape (M_l, M_{l-1} + 1 + M_{l+1}).

    Examples
    --------
    >>> net = MLP([2, 3, 1], init="constant", value=0.5)
    >>> unit_parameters(net).tolist()[0]
    [0.5, 0.5, 0.0, 0.5]
    """
    if not (isinstance(layer, (int, np.integer)) and 0 <= layer < len(net.W) - 1):
        raise ValueError(f"layer must index a hidden layer (0..{len(net.W) - 2}), "
                         f"got {layer!r}")
    W_in, b, W_out = net.W[layer], net.b[layer], net.W[layer + 1]
    return np.column_stack([W_in, b, W_out.T])


def unit_spread(net, layer=0):
    """Largest absolute difference between a unit's parameters and unit 0's.

    Exactly 0.0 when every unit of the layer is the same unit.

    Examples
    --------
    >>> float(unit_spread(MLP([2, 4, 1], init="constant")))
    0.0
    """
    P = unit_parameters(net, layer)
    return float(np.max(np.abs(P - P[0])))


def units_identical(net, layer=0):
    """True if all units of the layer are equal bit for bit (``==`` on every entry).

    Examples
    --------
    >>> units_identical(MLP([2, 4, 1], init="he", rng=np.random.default_rng(0)))
    False
    """
    P = unit_parameters(net, layer)
    return bool(np.all(P == P[0]))


def zero_init_gradients(hidden, X, y, width=8):
    """Largest |gradient| of each parameter of the all-zero network at step 1.

    The network is ``MLP([d, width, 1], hidden, init="zeros")`` (all weights and
    biases 0) with a linear output and the cross-entropy loss.

    Returns
    -------
    dict
        ``{"W1": ..., "b1": ..., "W2": ..., "b2": ...}``, each max |dL/dtheta|.

    Examples
    --------
    >>> X, y = two_moons(30, 20, np.random.default_rng(0))
    >>> g = zero_init_gradients("tanh", X, y)
    >>> g["W1"], g["b1"], g["W2"], round(g["b2"], 4)
    (0.0, 0.0, 0.0, 0.1)
    """
    X = as_float_array(X, "X", 2)
    net = MLP([X.shape[1], width, 1], hidden=hidden, init="zeros")
    _, grad = binary_cross_entropy(net.forward(X), y)
    dW, db = net.backward(grad)
    return {"W1": float(np.max(np.abs(dW[0]))), "b1": float(np.max(np.abs(db[0]))),
            "W2": float(np.max(np.abs(dW[1]))), "b2": float(np.max(np.abs(db[1])))}


def train_from(hidden, init, X, y, rng, width=8, steps=500, lr=2.0, value=0.5):
    """Train ``MLP([d, width, 1], hidden, init)`` by full-batch gradient descent.

    Cross-entropy loss on a linear output (logits); ``value`` is the weight of
    ``init="constant"``; biases start at 0. Returns the network and the losses.

    Examples
    --------
    >>> X, y = two_moons(30, 20, np.random.default_rng(0))
    >>> net, losses = train_from("tanh", "zeros", X, y, None, steps=50)
    >>> float(np.abs(net.W[0]).max()), float(np.abs(net.W[1]).max())
    (0.0, 0.0)
    """
    X = as_float_array(X, "X", 2)
    net = MLP([X.shape[1], width, 1], hidden=hidden, init=init, rng=rng, value=value)
    losses = train(net, X, y, SGD(lr), steps, loss="bce")
    return net, losses


def accuracy(net, X, y):
    """Fraction of points whose logit has the right sign (logit > 0 means class 1).

    Examples
    --------
    >>> net = MLP([2, 1], init="zeros", bias=1.0)
    >>> accuracy(net, np.zeros((4, 2)), np.array([1, 1, 1, 0]))
    0.75
    """
    return float(np.mean((net.forward(X).ravel() > 0) == (np.asarray(y) == 1)))


def prior_entropy(y):
    """Cross-entropy of the best constant prediction: the entropy of the class prior.

    Examples
    --------
    >>> round(prior_entropy(np.array([0, 0, 1, 1])), 4)
    0.6931
    """
    p = float(np.mean(y))
    return float(-(p * np.log(p) + (1 - p) * np.log(1 - p))) if 0 < p < 1 else 0.0


def one_unit_network(net):
    """The one-hidden-unit network equal in function to a symmetric layer.

    If every unit of the hidden layer has the same parameters (w, b, v), the
    output b2 + sum_j v f(w^T x + b) equals b2 + (M v) f(w^T x + b): one unit
    with outgoing weight equal to the sum of the outgoing weights.

    Examples
    --------
    >>> net = MLP([2, 4, 1], hidden="tanh", init="constant", value=0.5)
    >>> one = one_unit_network(net)
    >>> one.sizes, one.W[1].tolist()
    ((2, 1, 1), [[2.0]])
    """
    if len(net.W) != 2:
        raise ValueError(f"expected one hidden layer, got sizes {net.sizes}")
    one = MLP([net.sizes[0], 1, net.sizes[2]], hidden=net.f_hidden,
              output=net.f_output, init="zeros")
    one.W[0][:], one.b[0][:] = net.W[0][:1], net.b[0][:1]
    one.W[1][:], one.b[1][:] = net.W[1].sum(axis=1, keepdims=True), net.b[1]
    return one


def train_dropout(net, X, y, steps, rng, lr=2.0, p=0.5):
    """Full-batch gradient descent on cross-entropy with dropout on the hidden layer.

    Every step draws a fresh mask: each hidden output of each sample is kept
    with probability 1 - p and then scaled by 1 / (1 - p) (inverted dropout,
    book §7.7). Trains a one-hidden-layer ``net`` in place; returns the losses.

    Examples
    --------
    >>> X, y = two_moons(30, 20, np.random.default_rng(0))
    >>> net = MLP([2, 4, 1], hidden="tanh", init="constant", value=0.5)
    >>> losses = train_dropout(net, X, y, 5, np.random.default_rng(1))
    >>> units_identical(net)
    False
    """
    if len(net.W) != 2:
        raise ValueError(f"expected one hidden layer, got sizes {net.sizes}")
    if not 0.0 < p < 1.0:
        raise ValueError(f"dropout rate p must be in (0, 1), got {p!r}")
    f, f_grad = net.f_hidden
    optimizer, losses = SGD(lr), np.empty(steps)
    for step in range(steps):
        z, cache_in = dense_forward(X, net.W[0], net.b[0])
        keep = (rng.random(z.shape) >= p) / (1.0 - p)   # one entry per unit and sample
        out, cache_out = dense_forward(f(z) * keep, net.W[1], net.b[1])
        losses[step], grad = binary_cross_entropy(out, y)
        dh, dW2, db2 = dense_backward(grad, cache_out)
        _, dW1, db1 = dense_backward(dh * keep * f_grad(z), cache_in)
        optimizer.step(net.parameters(), [dW1, db1, dW2, db2])
    return losses


def symmetry_after(method, X, y, rng, hidden="tanh", width=8, steps=300, value=0.5):
    """Start every hidden unit equal (``init="constant"``), train, return the network.

    ``method``: ``"gd"`` full-batch gradient descent (lr 2); ``"minibatch"``
    SGD on random batches of 16 drawn with ``rng`` (lr 0.5); ``"momentum"``
    (lr 0.5, rho 0.9); ``"adam"`` (lr 0.05); ``"dropout"`` gradient descent with
    dropout p = 0.5 on the hidden layer (lr 2, masks drawn with ``rng``).

    Examples
    --------
    >>> X, y = two_moons(30, 20, np.random.default_rng(0))
    >>> net = symmetry_after("minibatch", X, y, np.random.default_rng(1), steps=20)
    >>> units_identical(net)
    True
    """
    if method not in SYMMETRY_METHODS:
        raise ValueError(f"unknown method {method!r}; "
                         f"expected one of {SYMMETRY_METHODS}")
    X = as_float_array(X, "X", 2)
    net = MLP([X.shape[1], width, 1], hidden=hidden, init="constant", value=value)
    if method == "dropout":
        train_dropout(net, X, y, steps, rng)
        return net
    optimizer = {"gd": SGD(2.0), "minibatch": SGD(0.5), "momentum": Momentum(0.5, 0.9),
                 "adam": Adam(0.05)}[method]
    batch = 16 if method == "minibatch" else None
    train(net, X, y, optimizer, steps, loss="bce", batch_size=batch, rng=rng)
    return net


def plot_loss_curves(runs):
    """Loss curves; ``runs`` maps "hidden init" (e.g. "tanh zeros") to losses (steps,).

    Colour shows the activation, line style the initialisation (dotted: zeros,
    dashed: constant, solid: random).
    """
    colors = {"tanh": "#1a56db", "relu": "#c81e1e", "sigmoid": "#057a55"}
    styles = {"zeros": ":", "constant": "--"}
    fig, ax = new_figure(width=6.4, height=3.6)
    for label, losses in runs.items():
        hidden, init = label.split()
        steps = np.unique(np.geomspace(1, len(losses), 25).astype(int))
        ax.plot(steps, losses[steps - 1], styles.get(init, "-"), color=colors[hidden],
                lw=1.6, label=label)
    ax.set(xscale="log", yscale="log", xlabel="步数", ylabel="交叉熵损失")
    ax.legend(fontsize=8, loc="lower left")
    return fig


def plot_hidden_units(nets, row_labels, resolution=25, extent=1.8):
    """Each hidden unit's output over the input plane: one row of panels per network.

    Panel j of a row shows h_j = f(w_j^T x + b_j) on [-extent, extent]^2 (red
    positive, blue negative, white 0). Each row is drawn as one image, with the
    panels side by side, which keeps the SVG small.
    """
    if len(nets) != len(row_labels):
        raise ValueError(f"need one label per network, "
                         f"got {len(nets)} networks and {len(row_labels)} labels")
    width, gap = nets[0].sizes[1], 3
    g = np.linspace(-extent, extent, resolution)
    G1, G2 = np.meshgrid(g, g)
    cmap = matplotlib.colormaps["RdBu_r"].with_extremes(bad="white")
    fig, axes = new_figure(nrows=len(nets), width=1.0 * width + 0.5,
                           height=1.15 * len(nets) + 0.2)
    for ax, net, label in zip(np.atleast_1d(axes), nets, row_labels):
        net.forward(np.column_stack([G1.ravel(), G2.ravel()]))
        mosaic = np.full((resolution, width * (resolution + gap) - gap), np.nan)
        for j in range(width):
            left = j * (resolution + gap)
            mosaic[:, left:left + resolution] = net.A[1][:, j].reshape(G1.shape)
            ax.text(left + resolution / 2, resolution + 1, f"h{j + 1}", ha="center",
                    va="bottom", fontsize=9)
        ax.imshow(mosaic, origin="lower", cmap=cmap, vmin=-1, vmax=1,
                  interpolation="none")
        ax.axis("off")
        ax.text(-2, resolution / 2, label, rotation=90, ha="right", va="center",
                fontsize=9)
    return fig
