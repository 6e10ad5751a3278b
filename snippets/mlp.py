"""A small multilayer perceptron: forward pass, backpropagation, losses,
optimisers and a plain training loop.

Readable, not fast. Layer l computes z(l) = W(l) a(l-1) + b(l) and
a(l) = f(z(l)) (book §4.4); a batch is stored row by row (see ``layers``).
Backpropagation follows eq. 4.63: delta(l) = f'(z(l)) * (delta(l+1) W(l+1)),
written here for row-stored batches.
"""

import numpy as np

from snippets.activations import get_activation
from snippets.layers import dense_backward, dense_forward
from snippets.validation import as_float_array, check_positive, check_in_range

INITS = ("zeros", "constant", "xavier", "he")


def check_sizes(sizes):
    """Return layer sizes as a tuple of ints >= 1 (input, hidden..., output)."""
    sizes = tuple(sizes)
    if len(sizes) < 2 or not all(isinstance(m, (int, np.integer)) and m >= 1 for m in sizes):
        raise ValueError(f"sizes must be >= 2 positive integers, got {sizes!r}")
    return tuple(int(m) for m in sizes)


def init_weight(fan_in, fan_out, method, rng=None, value=0.1):
    """One weight matrix, shape (fan_out, fan_in), initialised by ``method``.

    ``"zeros"`` and ``"constant"`` (every entry ``value``) are symmetric;
    ``"xavier"`` draws U(-r, r) with r = sqrt(6 / (fan_in + fan_out));
    ``"he"`` draws N(0, 2 / fan_in) (book §7.3).

    Examples
    --------
    >>> init_weight(2, 3, "constant", value=0.5).tolist()
    [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]
    >>> init_weight(2, 3, "he", np.random.default_rng(0)).shape
    (3, 2)
    """
    if method == "zeros":
        return np.zeros((fan_out, fan_in))
    if method == "constant":
        return np.full((fan_out, fan_in), float(value))
    if method not in INITS:
        raise ValueError(f"unknown init {method!r}; expected one of {INITS}")
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"init {method!r} needs rng=np.random.default_rng(seed)")
    if method == "xavier":
        r = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-r, r, size=(fan_out, fan_in))
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in))


def count_parameters(sizes):
    """Number of weights and biases: sum over layers of (M_{l-1} + 1) * M_l.

    Examples
    --------
    >>> count_parameters([2, 2, 1])
    9
    """
    sizes = check_sizes(sizes)
    return sum((m_in + 1) * m_out for m_in, m_out in zip(sizes[:-1], sizes[1:]))


class MLP:
    """Fully connected network with one hidden activation and one output activation.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths ``(M_0, M_1, ..., M_L)``: input, hidden layers, output.
    hidden, output : str or (f, f_grad)
        Activation of every hidden layer and of the output layer: a name from
        ``snippets.activations.ACTIVATIONS`` or a pair of functions.
    init : {"zeros", "constant", "xavier", "he"}
        How the weights start; biases start at ``bias``.
    rng : numpy.random.Generator, optional
        Needed by the random initialisations.
    bias, value : float
        Initial bias; the weight value of ``init="constant"``.

    Examples
    --------
    >>> net = MLP([2, 3, 1], init="he", rng=np.random.default_rng(0))
    >>> net.forward(np.zeros((4, 2))).shape, net.n_parameters()
    ((4, 1), 13)
    """

    def __init__(self, sizes, hidden="relu", output="identity", init="xavier",
                 rng=None, bias=0.0, value=0.1):
        self.sizes = check_sizes(sizes)
        self.f_hidden = get_activation(hidden) if isinstance(hidden, str) else hidden
        self.f_output = get_activation(output) if isinstance(output, str) else output
        pairs = list(zip(self.sizes[:-1], self.sizes[1:]))
        self.W = [init_weight(m_in, m_out, init, rng, value) for m_in, m_out in pairs]
        self.b = [np.full(m_out, float(bias)) for _, m_out in pairs]
        self.Z, self.A, self._caches = [], [], []

    def forward(self, X):
        """Output for a batch X of shape (n, M_0); keeps z(l), a(l) for backward."""
        X = as_float_array(X, "X", 2)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have {self.sizes[0]} columns, got shape {X.shape}")
        a, self.Z, self.A, self._caches = X, [], [X], []
        for l, (W, b) in enumerate(zip(self.W, self.b)):
            z, cache = dense_forward(a, W, b)
            f, _ = self.f_output if l == len(self.W) - 1 else self.f_hidden
            a = f(z)
            self.Z.append(z)
            self.A.append(a)
            self._caches.append(cache)
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
            dA, dW[l], db[l] = dense_backward(delta, self._caches[l])
        return dW, db

    def parameters(self):
        """The arrays [W1, b1, W2, b2, ...], updated in place by the optimisers."""
        return [p for pair in zip(self.W, self.b) for p in pair]

    def n_parameters(self):
        """Number of scalars in all weight matrices and bias vectors."""
        return sum(p.size for p in self.parameters())


def _check_targets(y_pred, y):
    y_pred = as_float_array(y_pred, "y_pred", 2)
    y = as_float_array(y, "y").reshape(y_pred.shape[0], -1) if np.size(y) == y_pred.size \
        else as_float_array(y, "y")
    if y.shape != y_pred.shape:
        raise ValueError(f"y must match the predictions' shape {y_pred.shape}, got {y.shape}")
    return y_pred, y


def mse_loss(y_pred, y):
    """Squared error L = (1 / 2n) sum ||y_pred - y||^2 and its gradient dL/dy_pred.

    Examples
    --------
    >>> loss, grad = mse_loss(np.array([[1.0], [3.0]]), np.array([0.0, 1.0]))
    >>> loss, grad.tolist()
    (1.25, [[0.5], [1.0]])
    """
    y_pred, y = _check_targets(y_pred, y)
    diff = y_pred - y
    n = y_pred.shape[0]
    return float(0.5 * np.sum(diff * diff) / n), diff / n


def binary_cross_entropy(logits, y):
    """Cross-entropy of labels y in {0, 1} given logits z (before the sigmoid).

    L = mean(softplus(z) - y z), the same as -mean(y log p + (1-y) log(1-p))
    with p = sigma(z), but finite for any z. Gradient: (sigma(z) - y) / n.

    Examples
    --------
    >>> loss, grad = binary_cross_entropy(np.array([[0.0], [0.0]]), np.array([0, 1]))
    >>> round(loss, 4), grad.tolist()
    (0.6931, [[0.25], [-0.25]])
    """
    z, y = _check_targets(logits, y)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must contain only the labels 0 and 1")
    n = z.shape[0]
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    return float(loss), (np.exp(-np.logaddexp(0.0, -z)) - y) / n  # sigma(z) - y


LOSSES = {"mse": mse_loss, "bce": binary_cross_entropy}


class SGD:
    """Plain gradient descent: theta <- theta - lr * g."""

    def __init__(self, lr=0.1):
        self.lr = check_positive(lr, "lr")

    def step(self, params, grads):
        """Update every array of ``params`` in place."""
        for p, g in zip(params, grads):
            p -= self.lr * g


class Momentum:
    """Momentum (book §7.2.4.1): v <- rho v - lr g; theta <- theta + v."""

    def __init__(self, lr=0.1, rho=0.9):
        self.lr, self.rho = check_positive(lr, "lr"), check_in_range(rho, "rho", 0.0, 1.0)
        self.v = None

    def step(self, params, grads):
        """Update every array of ``params`` in place."""
        if self.v is None:
            self.v = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self.v):
            v *= self.rho
            v -= self.lr * g
            p += v


class Adam:
    """Adam (book §7.2.4.3) with bias-corrected first and second moments."""

    def __init__(self, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.eps = check_positive(lr, "lr"), check_positive(eps, "eps")
        self.beta1 = check_in_range(beta1, "beta1", 0.0, 1.0)
        self.beta2 = check_in_range(beta2, "beta2", 0.0, 1.0)
        self.m = self.s = None
        self.t = 0

    def step(self, params, grads):
        """Update every array of ``params`` in place."""
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.s = [np.zeros_like(p) for p in params]
        self.t += 1
        for p, g, m, s in zip(params, grads, self.m, self.s):
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            s *= self.beta2
            s += (1.0 - self.beta2) * g * g
            m_hat = m / (1.0 - self.beta1**self.t)
            s_hat = s / (1.0 - self.beta2**self.t)
            p -= self.lr * m_hat / (np.sqrt(s_hat) + self.eps)


def train(net, X, y, optimizer, steps, loss="mse", batch_size=None, rng=None,
          callback=None):
    """Train ``net`` in place and return the loss before each step.

    Parameters
    ----------
    net : MLP
    X : ndarray, shape (n, M_0)
    y : ndarray, shape (n,) or (n, M_L)
    optimizer : SGD, Momentum or Adam
    steps : int
        Number of parameter updates.
    loss : {"mse", "bce"}
        ``"bce"`` expects a linear output layer (it takes logits).
    batch_size : int, optional
        Mini-batch size drawn with ``rng``; ``None`` uses the whole set.
    callback : callable, optional
        Called as ``callback(step, net)`` after every update.

    Returns
    -------
    losses : ndarray, shape (steps,)
        ``inf`` from the step where the parameters or activations stopped
        being finite (training diverged; it then stops).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.array([[0.0], [1.0]]); y = np.array([1.0, 3.0])
    >>> net = MLP([1, 1], output="identity", init="zeros")
    >>> losses = train(net, X, y, SGD(lr=0.5), steps=200)
    >>> round(float(net.W[0][0, 0]), 4), round(float(net.b[0][0]), 4)
    (2.0, 1.0)
    """
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; expected one of {sorted(LOSSES)}")
    if not (isinstance(steps, (int, np.integer)) and steps >= 1):
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    X = as_float_array(X, "X", 2)
    y = as_float_array(y, "y").reshape(X.shape[0], -1)
    if batch_size is not None and not isinstance(rng, np.random.Generator):
        raise ValueError("mini-batches need rng=np.random.default_rng(seed)")
    losses = np.full(steps, np.inf)
    for step in range(steps):
        idx = slice(None) if batch_size is None else rng.choice(len(X), batch_size, replace=False)
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                value, grad = LOSSES[loss](net.forward(X[idx]), y[idx])
        except ValueError as err:
            if step == 0 or "finite" not in str(err):
                raise
            break  # activations overflowed: training has diverged
        if not np.isfinite(value):
            break
        losses[step] = value
        dW, db = net.backward(grad)
        optimizer.step(net.parameters(), [g for pair in zip(dW, db) for g in pair])
        if not all(np.all(np.isfinite(p)) for p in net.parameters()):
            break
        if callback is not None:
            callback(step, net)
    return losses
