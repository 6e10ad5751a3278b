"""Exercise 4-8: why the weights must start random rather than at W = 0, b = 0.

Hidden units of a layer that start equal compute equal outputs and receive
equal gradients, so gradient descent keeps them equal (对称权重现象, book
§7.3); with exactly zero weights and tanh or ReLU hidden units only the output
bias learns at all. The experiments train small networks on a two-moons data
set with the shared ``train``. The networks are ``UnitwiseMLP``: the shared
``MLP`` with every unit's sums computed on their own instead of by BLAS, so
that equal units stay equal bit for bit on every machine.
"""

import matplotlib
import numpy as np

from snippets.mlp import MLP, SGD, Adam, Momentum, binary_cross_entropy, train
from snippets.plotting import figure_text, new_figure
from snippets.validation import as_float_array, check_positive

SYMMETRY_METHODS = ("gd", "minibatch", "momentum", "adam", "l2", "clip", "dropout")


def _unitwise_sums(X, W, b):
    """Z = X W^T + b as sums over the first axis of element-wise products."""
    return np.sum(X.T[:, :, None] * W.T[:, None, :], axis=0) + b


def _unitwise_grads(dZ, X, W):
    """(dX, dW, db) of ``_unitwise_sums``, also summed over first axes."""
    dX = np.sum(dZ.T[:, :, None] * W[:, None, :], axis=0)       # (n, d_in)
    dW = np.sum(dZ[:, :, None] * X[:, None, :], axis=0)         # (d_out, d_in)
    return dX, dW, np.sum(dZ, axis=0)


def unitwise_dense_forward(X, W, b):
    """Z = X W^T + b with each unit's weighted sum computed on its own, without BLAS.

    ``X @ W.T`` hands the sums to BLAS, which may add two equal columns in
    different orders (blocking, vector width), so on some machines equal units
    differ in the last bit. Here Z[n, j] = sum_i X[n, i] W[j, i] is an
    element-wise product summed over its first axis by ``np.sum``. In NumPy's
    current implementation that sum adds in one order for every output element
    (pairwise blocks along the fast memory axis, otherwise slice by slice), an
    order fixed by shapes and strides alone, so units with equal weights get
    equal results (the tests check many widths). This rests on NumPy, not on
    IEEE 754 alone.

    Examples
    --------
    >>> Z, _ = unitwise_dense_forward(np.array([[1.0, 2.0]]), np.ones((3, 2)),
    ...                               np.zeros(3))
    >>> Z.tolist()
    [[3.0, 3.0, 3.0]]
    """
    X, W = as_float_array(X, "X", 2), as_float_array(W, "W", 2)
    b = as_float_array(b, "b", 1)
    if X.shape[1] != W.shape[1] or b.shape != (W.shape[0],):
        raise ValueError(f"shapes do not fit: X {X.shape}, W {W.shape}, b {b.shape}; "
                         "expected X (n, d_in), W (d_out, d_in), b (d_out,)")
    return _unitwise_sums(X, W, b), (X, W)


def unitwise_dense_backward(dZ, cache):
    """Gradients (dX, dW, db) of ``unitwise_dense_forward``, also without BLAS.

    Every sum runs over the first axis of an element-wise product, as in the
    forward pass, so equal units (rows of W, columns of dZ) get equal results.

    Examples
    --------
    >>> X, W = np.array([[1.0, 2.0]]), np.ones((2, 2))
    >>> dX, dW, db = unitwise_dense_backward(np.array([[1.0, 1.0]]), (X, W))
    >>> dX.tolist(), dW.tolist(), db.tolist()
    ([[2.0, 2.0]], [[1.0, 2.0], [1.0, 2.0]], [1.0, 1.0])
    """
    X, W = cache
    dZ = as_float_array(dZ, "dZ", 2)
    if dZ.shape != (X.shape[0], W.shape[0]):
        raise ValueError(f"dZ must have shape {(X.shape[0], W.shape[0])}, "
                         f"got {dZ.shape}")
    return _unitwise_grads(dZ, X, W)


class UnitwiseMLP(MLP):
    """The shared ``MLP`` with its dense layers computed unit by unit (no BLAS).

    Same parameters, activations, initialisations and ``train`` as ``MLP``;
    only ``forward`` and ``backward`` use ``unitwise_dense_forward`` and
    ``unitwise_dense_backward``, so that units with equal parameters get equal
    outputs and gradients bit for bit, whatever the CPU and BLAS.

    Examples
    --------
    >>> net = UnitwiseMLP([2, 3, 1], hidden="tanh", init="constant", value=0.5)
    >>> net.forward(np.array([[1.0, 2.0]])).round(4).tolist()     # 1.5 tanh(1.5)
    [[1.3577]]
    """

    def forward(self, X):
        """Output for a batch X of shape (n, M_0); keeps z(l), a(l) for backward."""
        X = as_float_array(X, "X", 2)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have {self.sizes[0]} columns, "
                             f"got shape {X.shape}")
        a, self.Z, self.A, self._caches = X, [], [X], []
        for l, (W, b) in enumerate(zip(self.W, self.b)):
            z = _unitwise_sums(a, W, b)
            f, _ = self.f_output if l == len(self.W) - 1 else self.f_hidden
            self.Z.append(z)
            self._caches.append((a, W))
            a = f(z)
            self.A.append(a)
        return a

    def backward(self, dA):
        """Backpropagate dL/d(output); return (dW, db), lists aligned with W, b."""
        if not self._caches:
            raise ValueError("call forward before backward")
        dA = as_float_array(dA, "dA", 2)
        dW, db = [None] * len(self.W), [None] * len(self.b)
        for l in reversed(range(len(self.W))):
            _, f_grad = self.f_output if l == len(self.W) - 1 else self.f_hidden
            delta = dA * f_grad(self.Z[l])  # delta(l) = f'(z(l)) * dL/da(l)
            dA, dW[l], db[l] = _unitwise_grads(delta, *self._caches[l])
        return dW, db


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

    Row j is (w_j, b_j, u_j) = (row j of W(l), b_j, column j of W(l+1)): the
    unit's incoming weights, its bias and its outgoing weights. Shape
    (M_l, M_{l-1} + 1 + M_{l+1}).

    Examples
    --------
    >>> net = UnitwiseMLP([2, 3, 1], init="constant", value=0.5)
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
    >>> float(unit_spread(UnitwiseMLP([2, 4, 1], init="constant")))
    0.0
    """
    P = unit_parameters(net, layer)
    return float(np.max(np.abs(P - P[0])))


def units_identical(net, layer=0):
    """True if all units of the layer are equal bit for bit (``==`` on every entry).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> units_identical(UnitwiseMLP([2, 4, 1], init="he", rng=rng))
    False
    """
    P = unit_parameters(net, layer)
    return bool(np.all(P == P[0]))


def zero_init_gradients(hidden, X, y, width=8):
    """Largest |gradient| of each parameter of the all-zero network at step 1.

    The network is ``UnitwiseMLP([d, width, 1], hidden, init="zeros")`` (all
    weights and biases 0) with a linear output and the cross-entropy loss.

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
    net = UnitwiseMLP([X.shape[1], width, 1], hidden=hidden, init="zeros")
    _, grad = binary_cross_entropy(net.forward(X), y)
    dW, db = net.backward(grad)
    return {"W1": float(np.max(np.abs(dW[0]))), "b1": float(np.max(np.abs(db[0]))),
            "W2": float(np.max(np.abs(dW[1]))), "b2": float(np.max(np.abs(db[1])))}


def train_from(hidden, init, X, y, rng, width=8, steps=500, lr=2.0, value=0.5,
               network=None):
    """Train ``network([d, width, 1], hidden, init)`` by full-batch gradient descent.

    ``network`` is ``UnitwiseMLP`` (the default) or the shared ``MLP``.
    Cross-entropy loss on a linear output (logits); ``value`` is the weight of
    ``init="constant"``; biases start at 0. Returns the network and the losses.

    Examples
    --------
    >>> X, y = two_moons(30, 20, np.random.default_rng(0))
    >>> net, losses = train_from("tanh", "zeros", X, y, None, steps=50)
    >>> float(np.abs(net.W[0]).max()), float(np.abs(net.W[1]).max())
    (0.0, 0.0)
    """
    X, network = as_float_array(X, "X", 2), network or UnitwiseMLP
    net = network([X.shape[1], width, 1], hidden=hidden, init=init, rng=rng,
                  value=value)
    losses = train(net, X, y, SGD(lr), steps, loss="bce")
    return net, losses


def accuracy(net, X, y):
    """Fraction of points whose logit has the right sign (logit > 0 means class 1).

    Examples
    --------
    >>> net = UnitwiseMLP([2, 1], init="zeros", bias=1.0)
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

    If every unit of the hidden layer has the same parameters (w, b, u), the
    output b2 + sum_j u f(w^T x + b) equals b2 + (M u) f(w^T x + b): one unit
    with outgoing weight equal to the sum of the outgoing weights.

    Examples
    --------
    >>> net = UnitwiseMLP([2, 4, 1], hidden="tanh", init="constant", value=0.5)
    >>> one = one_unit_network(net)
    >>> one.sizes, one.W[1].tolist()
    ((2, 1, 1), [[2.0]])
    """
    if len(net.W) != 2:
        raise ValueError(f"expected one hidden layer, got sizes {net.sizes}")
    one = UnitwiseMLP([net.sizes[0], 1, net.sizes[2]], hidden=net.f_hidden,
                      output=net.f_output, init="zeros")
    one.W[0][:], one.b[0][:] = net.W[0][:1], net.b[0][:1]
    one.W[1][:], one.b[1][:] = net.W[1].sum(axis=1, keepdims=True), net.b[1]
    return one


def train_dropout(net, X, y, steps, rng, lr=2.0, p=0.5):
    """Full-batch gradient descent on cross-entropy with dropout on the hidden layer.

    Every step draws a fresh mask: each hidden output of each sample is kept
    with probability 1 - p and then scaled by 1 / (1 - p) (inverted dropout,
    book §7.7.4). Trains a one-hidden-layer ``net`` in place; returns the losses.

    Examples
    --------
    >>> X, y = two_moons(30, 20, np.random.default_rng(0))
    >>> net = UnitwiseMLP([2, 4, 1], hidden="tanh", init="constant", value=0.5)
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
        z, cache_in = unitwise_dense_forward(X, net.W[0], net.b[0])
        keep = (rng.random(z.shape) >= p) / (1.0 - p)   # one entry per unit and sample
        out, cache_out = unitwise_dense_forward(f(z) * keep, net.W[1], net.b[1])
        losses[step], grad = binary_cross_entropy(out, y)
        dh, dW2, db2 = unitwise_dense_backward(grad, cache_out)
        _, dW1, db1 = unitwise_dense_backward(dh * keep * f_grad(z), cache_in)
        optimizer.step(net.parameters(), [dW1, db1, dW2, db2])
    return losses


class WeightDecay:
    """Wrap an optimiser: add ``lam * W`` to the gradient of every weight matrix.

    L2 regularisation of the weights (not the biases, book §4.3.3); the
    parameters come as [W1, b1, W2, b2, ...], as ``MLP.parameters`` gives them.

    Examples
    --------
    >>> W, b = np.ones((1, 1)), np.ones(1)
    >>> WeightDecay(SGD(0.5), 0.2).step([W, b], [np.zeros((1, 1)), np.zeros(1)])
    >>> W.tolist(), b.tolist()
    ([[0.9]], [1.0])
    """

    def __init__(self, optimizer, lam):
        self.optimizer, self.lam = optimizer, check_positive(lam, "lam")

    def step(self, params, grads):
        """Update every array of ``params`` in place."""
        grads = [g + self.lam * p if i % 2 == 0 else g
                 for i, (p, g) in enumerate(zip(params, grads))]
        self.optimizer.step(params, grads)


class ClipGradNorm:
    """Wrap an optimiser: scale all gradients by one factor so that their global
    norm is at most ``max_norm`` (gradient clipping, book §7.2); counts the
    steps it clipped in ``clipped``.

    Examples
    --------
    >>> p = [np.zeros(2)]
    >>> clip = ClipGradNorm(SGD(1.0), 1.0)
    >>> clip.step(p, [np.array([3.0, 4.0])])
    >>> p[0].round(4).tolist(), clip.clipped
    ([-0.6, -0.8], 1)
    """

    def __init__(self, optimizer, max_norm):
        self.optimizer, self.max_norm = optimizer, check_positive(max_norm, "max_norm")
        self.clipped = 0

    def step(self, params, grads):
        """Update every array of ``params`` in place."""
        norm = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
        if norm > self.max_norm:
            grads = [g * (self.max_norm / norm) for g in grads]
            self.clipped += 1
        self.optimizer.step(params, grads)


def symmetry_after(method, X, y, rng, hidden="tanh", width=8, steps=300, value=0.5):
    """Start every hidden unit equal (``init="constant"``), train, return the network.

    ``method``: ``"gd"`` full-batch gradient descent (lr 2); ``"minibatch"``
    SGD on random batches of 16 drawn with ``rng`` (lr 0.5); ``"momentum"``
    (lr 0.5, rho 0.9); ``"adam"`` (lr 0.05); ``"l2"`` gradient descent with
    weight decay 0.01 on the weights; ``"clip"`` gradient descent with the
    gradient's global norm clipped to 0.1; ``"dropout"`` gradient descent with
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
    net = UnitwiseMLP([X.shape[1], width, 1], hidden=hidden, init="constant",
                      value=value)
    if method == "dropout":
        train_dropout(net, X, y, steps, rng)
        return net
    optimizer = {"gd": SGD(2.0), "minibatch": SGD(0.5), "momentum": Momentum(0.5, 0.9),
                 "adam": Adam(0.05), "l2": WeightDecay(SGD(2.0), 0.01),
                 "clip": ClipGradNorm(SGD(2.0), 0.1)}[method]
    batch = 16 if method == "minibatch" else None
    train(net, X, y, optimizer, steps, loss="bce", batch_size=batch, rng=rng)
    return net


def flat_gradient(net, X, y):
    """Gradient of the mean cross-entropy as one vector, in ``net.parameters()`` order.

    Examples
    --------
    >>> net = UnitwiseMLP([2, 3, 1], init="zeros")
    >>> flat_gradient(net, np.zeros((2, 2)), np.array([1, 1])).round(2).tolist()[-1]
    -0.5
    """
    _, grad = binary_cross_entropy(net.forward(X), y)
    dW, db = net.backward(grad)
    return np.concatenate([g.ravel() for pair in zip(dW, db) for g in pair])


def loss_hessian(net, X, y, h=1e-5):
    """Hessian of the mean cross-entropy: central differences of ``flat_gradient``.

    Examples
    --------
    >>> net = UnitwiseMLP([1, 1], init="zeros")            # a logistic regression
    >>> loss_hessian(net, np.ones((4, 1)), np.array([0, 1, 0, 1])).round(4).tolist()
    [[0.25, 0.25], [0.25, 0.25]]
    """
    check_positive(h, "h")
    cells = [(p, k) for p in net.parameters() for k in range(p.size)]
    H = np.empty((len(cells), len(cells)))
    for i, (p, k) in enumerate(cells):
        old = p.flat[k]
        p.flat[k] = old + h
        g_plus = flat_gradient(net, X, y)
        p.flat[k] = old - h
        H[:, i] = (g_plus - flat_gradient(net, X, y)) / (2 * h)
        p.flat[k] = old
    return (H + H.T) / 2


def antisymmetric_basis(net, layer=0):
    """Orthonormal basis of the directions that make the units of ``layer`` differ.

    In the symmetric subspace every unit of the layer has the same (w_j, b_j, u_j).
    Its orthogonal complement, spanned by the columns returned, holds the
    vectors that, slot by slot, sum to zero over the units (and leave every
    parameter outside the units at zero). Rows follow ``net.parameters()``.

    Examples
    --------
    >>> antisymmetric_basis(UnitwiseMLP([2, 3, 1], init="zeros")).shape  # 4 slots x 2
    (13, 8)
    """
    unit_parameters(net, layer)                                # checks the layer
    offsets = np.cumsum([0] + [p.size for p in net.parameters()])
    W_in, W_out = net.W[layer], net.W[layer + 1]
    M = W_in.shape[0]
    slots = np.hstack([offsets[2 * layer] + np.arange(W_in.size).reshape(M, -1),
                       offsets[2 * layer + 1] + np.arange(M)[:, None],
                       (offsets[2 * layer + 2] + np.arange(W_out.size)
                        .reshape(W_out.shape)).T])          # row j: unit j's entries
    P = np.zeros((offsets[-1], offsets[-1]))   # projector onto the complement
    for col in slots.T:
        P[np.ix_(col, col)] = np.eye(M) - 1.0 / M
    w, V = np.linalg.eigh(P)
    return V[:, w > 0.5]


def antisymmetric_curvature(net, X, y, layer=0):
    """Eigenvalues mu (ascending) and eigenvectors of the loss Hessian restricted to
    the antisymmetric directions of ``layer`` (``antisymmetric_basis``).

    Examples
    --------
    >>> mu, E = antisymmetric_curvature(UnitwiseMLP([2, 3, 1], init="zeros"),
    ...                                 np.zeros((2, 2)), np.array([0, 1]))
    >>> mu.shape, E.shape
    ((8,), (13, 8))
    """
    Q = antisymmetric_basis(net, layer)
    mu, E = np.linalg.eigh(Q.T @ loss_hessian(net, X, y) @ Q)
    return mu, Q @ E


def saddle_growth(net, X, y, lr, layer=0):
    """How much one gradient step amplifies a small difference between the units.

    At a symmetric point, a small perturbation d of the antisymmetric
    directions evolves as d <- (I - lr H) d, H the Hessian of the loss there
    (the antisymmetric subspace is invariant under H). Returns the largest
    factor |1 - lr mu| over the eigenvalues mu of H on that subspace, and the
    eigenvector (unit length, in ``net.parameters()`` order). A factor above 1
    means small differences grow; with lr mu_max < 2 it comes from mu_min < 0.

    Examples
    --------
    >>> X, y = two_moons(30, 20, np.random.default_rng(0))
    >>> net, _ = train_from("tanh", "constant", X, y, None, width=2, steps=200, lr=1.0)
    >>> factor, direction = saddle_growth(net, X, y, lr=1.0)
    >>> factor > 1, direction.shape
    (True, (9,))
    """
    check_positive(lr, "lr")
    mu, E = antisymmetric_curvature(net, X, y, layer)
    factors = np.abs(1.0 - lr * mu)
    top = int(np.argmax(factors))
    return float(factors[top]), E[:, top]


def perturbed_spreads(X, y, eps, steps, lr=1.0, width=8, value=0.5):
    """Constant-initialised tanh network with one weight moved by ``eps``, trained.

    Gradient descent on the cross-entropy; returns the network and
    ``unit_spread`` after every step, shape (steps,). With ``eps = 0`` the units
    stay equal and every spread is 0.

    Examples
    --------
    >>> X, y = two_moons(30, 20, np.random.default_rng(0))
    >>> net, spreads = perturbed_spreads(X, y, 0.0, 20)
    >>> float(spreads.max())
    0.0
    """
    if not (np.isfinite(eps) and abs(eps) < 1):
        raise ValueError(f"eps must be a small finite number, got {eps!r}")
    X = as_float_array(X, "X", 2)
    net = UnitwiseMLP([X.shape[1], width, 1], hidden="tanh", init="constant",
                      value=value)
    net.W[0][0, 0] += eps
    spreads = []
    train(net, X, y, SGD(lr), steps, loss="bce",
          callback=lambda step, n: spreads.append(unit_spread(n)))
    return net, np.array(spreads)


def saddle_check(X, y, eps=1e-12, window=(1000, 1500), lr=1.0, width=8):
    """Measured and predicted growth of a tiny asymmetry, per 100 steps.

    Trains the constant-initialised tanh network twice by gradient descent,
    once with W1[0, 0] + ``eps``, and projects the difference of the two on the
    Hessian's most unstable antisymmetric direction at the middle of ``window``.
    Returns ``mu_min``, ``mu_max`` (antisymmetric curvature there),
    ``predicted`` = max|1 - lr mu|^100, ``measured`` (growth of the projection
    over the window, per 100 steps) and ``twin_identical``.

    Examples
    --------
    >>> X, y = two_moons(30, 20, np.random.default_rng(0))
    >>> r = saddle_check(X, y, window=(100, 200), width=2)
    >>> r["twin_identical"], bool(r["measured"] > 1)
    (True, True)
    """
    start, stop = window
    if not (isinstance(start, int) and 0 < start < stop):
        raise ValueError(f"window must be two steps 0 < start < stop, got {window!r}")
    snaps, nets = {}, {}

    def record(step, n, e):
        if step + 1 in (start, stop):
            snaps[e, step + 1] = np.concatenate([p.ravel() for p in n.parameters()])
        if e == 0.0 and step + 1 == (start + stop) // 2:
            snaps["curvature"] = antisymmetric_curvature(n, X, y)

    for e in (0.0, eps):
        nets[e] = UnitwiseMLP([X.shape[1], width, 1], hidden="tanh", init="constant",
                              value=0.5)
        nets[e].W[0][0, 0] += e
        train(nets[e], X, y, SGD(lr), stop, loss="bce",
              callback=lambda step, n, e=e: record(step, n, e))
    mu, E = snaps["curvature"]
    factors = np.abs(1.0 - lr * mu)
    top = int(np.argmax(factors))
    c = [abs(E[:, top] @ (snaps[eps, t] - snaps[0.0, t])) for t in (start, stop)]
    return {"mu_min": float(mu[0]), "mu_max": float(mu[-1]),
            "predicted": float(factors[top] ** 100),
            "measured": float((c[1] / c[0]) ** (100 / (stop - start))),
            "twin_identical": units_identical(nets[0.0])}


def init_scale_run(scale, X, y, rng, steps=1000, lr=1.0, width=8, out_scale=None):
    """Tanh network with Xavier weights, W1 times ``scale`` and W2 times
    ``out_scale`` (default: ``scale``), biases 0, then trained.

    Returns a dict: ``slope`` the mean of tanh'(z) over the hidden units and
    samples at the start (1 in the linear region, near 0 when saturated),
    ``saturated`` the fraction of those with tanh'(z) < 0.1, ``grad_W1`` the
    norm of dL/dW1 at the start, the final ``loss`` and ``accuracy`` after
    ``steps`` steps of gradient descent.

    Examples
    --------
    >>> X, y = two_moons(30, 20, np.random.default_rng(0))
    >>> run = init_scale_run(0.01, X, y, np.random.default_rng(1), steps=5)
    >>> round(run["slope"], 2)
    1.0
    """
    check_positive(scale, "scale")
    out_scale = scale if out_scale is None else check_positive(out_scale, "out_scale")
    X = as_float_array(X, "X", 2)
    net = UnitwiseMLP([X.shape[1], width, 1], hidden="tanh", init="xavier", rng=rng)
    net.W[0] *= scale
    net.W[1] *= out_scale
    _, grad = binary_cross_entropy(net.forward(X), y)
    dW, _ = net.backward(grad)
    slope = net.f_hidden[1](net.Z[0])
    run = {"slope": float(np.mean(slope)), "saturated": float(np.mean(slope < 0.1)),
           "grad_W1": float(np.sqrt(np.sum(dW[0] ** 2)))}
    losses = train(net, X, y, SGD(lr), steps, loss="bce")
    return run | {"loss": float(losses[-1]), "accuracy": accuracy(net, X, y)}


LOSS_CURVES_TEXT = {
    "zh": {"xlabel": "步数", "ylabel": "交叉熵损失"},
    "en": {"xlabel": "steps", "ylabel": "cross-entropy loss"},
}


def plot_loss_curves(runs, lang="zh"):
    """Loss curves; ``runs`` maps "hidden init" (e.g. "tanh zeros") to losses (steps,).

    Colour shows the activation, line style the initialisation (dotted: zeros,
    dashed: constant, solid: random).
    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(LOSS_CURVES_TEXT, lang)
    colors = {"tanh": "#1a56db", "relu": "#c81e1e", "sigmoid": "#057a55"}
    styles = {"zeros": ":", "constant": "--"}
    fig, ax = new_figure(width=6.4, height=3.6)
    for label, losses in runs.items():
        hidden, init = label.split()
        steps = np.unique(np.geomspace(1, len(losses), 25).astype(int))
        ax.plot(steps, losses[steps - 1], styles.get(init, "-"), color=colors[hidden],
                lw=1.6, label=label)
    ax.set(xscale="log", yscale="log", xlabel=text["xlabel"], ylabel=text["ylabel"])
    ax.legend(fontsize=8, loc="lower left")
    return fig


HIDDEN_UNITS_TEXT = {
    "zh": {"random": "随机初始化", "constant": "常数初始化", "output": "输出"},
    "en": {"random": "random init", "constant": "constant init", "output": "output"},
}
HIDDEN_UNITS_ROWS = ("random", "constant")


def plot_hidden_units(nets, rows, X, y, resolution=25, extent=1.8, lang="zh"):
    """Each hidden unit's output over the input plane, then the network's decision.

    One row of panels per network, labelled by its entry of ``rows``: how the
    network was initialised, ``"random"`` or ``"constant"``. Panel j shows
    h_j = f(w_j^T x + b_j) on [-extent, extent]^2 (red positive, blue negative,
    white 0). The last panel shows the predicted class (light red: class 1), the
    decision boundary (black line, where the logit is 0) and the data (black:
    class 1, white: class 0). Each row is drawn as one image, which keeps the SVG
    small. ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    The networks are left unchanged: the values kept by their last ``forward``
    (``Z``, ``A``, ``_caches``) are restored after the grid is evaluated.
    """
    text = figure_text(HIDDEN_UNITS_TEXT, lang)
    if len(nets) != len(rows):
        raise ValueError(f"need one row label per network, "
                         f"got {len(nets)} networks and {len(rows)} labels")
    unknown = [row for row in rows if row not in HIDDEN_UNITS_ROWS]
    if unknown:
        raise ValueError(f"rows must be among {HIDDEN_UNITS_ROWS}, got {unknown}")
    width, gap = nets[0].sizes[1], 3
    g = np.linspace(-extent, extent, resolution)
    grid = np.column_stack([a.ravel() for a in np.meshgrid(g, g)])
    pixel = (np.asarray(X) + extent) / (2 * extent) * (resolution - 1)
    inside = np.all((pixel >= 0) & (pixel <= resolution - 1), axis=1)
    cmap = matplotlib.colormaps["RdBu_r"].with_extremes(bad="white")
    fig, axes = new_figure(nrows=len(nets), width=1.0 * (width + 1) + 0.6,
                           height=1.15 * len(nets) + 0.2)
    for ax, net, row in zip(np.atleast_1d(axes), nets, rows):
        saved = net.Z, net.A, net._caches    # forward() replaces these lists
        try:
            logit = net.forward(grid).reshape(resolution, resolution)
            tiles = [net.A[1][:, j].reshape(resolution, resolution) for j in range(width)]
        finally:
            net.Z, net.A, net._caches = saved    # drawing leaves the network as it was
        mosaic = np.full((resolution, (width + 1) * (resolution + gap) - gap), np.nan)
        for j, tile in enumerate(tiles + [np.where(logit > 0, 0.3, -0.3)]):
            left = j * (resolution + gap)
            mosaic[:, left:left + resolution] = tile
            ax.text(left + resolution / 2, resolution + 1,
                    f"h{j + 1}" if j < width else text["output"], ha="center",
                    va="bottom", fontsize=9)
        ax.imshow(mosaic, origin="lower", cmap=cmap, vmin=-1, vmax=1,
                  interpolation="none")
        ax.contour(left + np.arange(resolution), np.arange(resolution), logit,
                   levels=[0.0], colors="k", linewidths=1.0)
        for label_value, face in ((1, "k"), (0, "w")):
            pts = pixel[inside & (np.asarray(y) == label_value)]
            ax.scatter(left + pts[:, 0], pts[:, 1], s=3, c=face, edgecolors="k",
                       linewidths=0.3)
        ax.set(xlim=(-0.5, mosaic.shape[1] - 0.5), ylim=(-0.5, resolution - 0.5))
        ax.axis("off")
        ax.text(-2, resolution / 2, text[row], rotation=90, ha="right", va="center",
                fontsize=9)
    return fig
