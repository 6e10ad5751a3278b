"""Exercise 4-3: the dying ReLU problem.

A hidden ReLU unit h = max(0, w^T x + b) is dead on a training set when its
pre-activation is <= 0 for every training input. Then h = 0 and ReLU'(z) = 0
on every sample (``relu_grad`` uses the value 0 at z = 0), so the gradients of
w, b and of the unit's outgoing weights are exactly zero. This module shows
how units die, that plain gradient steps then never move them, what momentum
and Adam do with state left over from before the death, and which fixes help.
"""

from collections import namedtuple

import numpy as np

from snippets.activations import get_activation
from snippets.mlp import (MLP, SGD, Adam, Momentum, binary_cross_entropy, mse_loss,
                          train)
from snippets.plotting import figure_text, new_figure
from snippets.validation import as_float_array

TINY_X = ((1.0,), (2.0,), (3.0,))   # training inputs of the worked example
TINY_T = (1.0, 2.0, 3.0)            # its targets: y = x fits them exactly


def two_circles(n, rng, noise=0.1, radii=(1.0, 0.5)):
    """Two noisy concentric circles: label 0 on the outer, 1 on the inner one.

    Returns
    -------
    X : ndarray, shape (n, 2)
    y : ndarray, shape (n,)

    Examples
    --------
    >>> X, y = two_circles(6, np.random.default_rng(0))
    >>> X.shape, sorted(set(y.tolist())) <= [0.0, 1.0]
    ((6, 2), True)
    """
    if not (isinstance(n, (int, np.integer)) and n >= 2):
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    label = rng.integers(0, 2, size=n)
    r = np.where(label == 0, radii[0], radii[1])
    t = rng.uniform(0.0, 2 * np.pi, size=n)
    X = np.column_stack([r * np.cos(t), r * np.sin(t)])
    return X + noise * rng.normal(size=(n, 2)), label.astype(float)


def max_preactivation(W, b, X):
    """Largest pre-activation of each hidden unit over the inputs, shape (..., H).

    A ReLU unit is dead on ``X`` exactly when this is <= 0.

    Parameters
    ----------
    W : ndarray, shape (..., H, D)
    b : ndarray, shape (..., H)
    X : ndarray, shape (n, D)

    Examples
    --------
    >>> W = np.array([[1.0], [-1.0]]); b = np.array([0.0, -0.5])
    >>> max_preactivation(W, b, np.array([[1.0], [2.0]])).tolist()
    [2.0, -1.5]
    """
    W, b, X = as_float_array(W, "W"), as_float_array(b, "b"), as_float_array(X, "X", 2)
    if W.shape[-1] != X.shape[1] or W.shape[:-1] != b.shape:
        raise ValueError(f"shapes do not fit: W {W.shape}, b {b.shape}, X {X.shape}; "
                         "expected W (..., H, D), b (..., H), X (n, D)")
    return np.max(X @ np.swapaxes(W, -1, -2) + b[..., None, :], axis=-2)


def dead_units(net, X):
    """Boolean mask, shape (H,): first-layer units of ``net`` dead on ``X``.

    Examples
    --------
    >>> dead_units(tiny_network(), np.array(TINY_X)).tolist()
    [False]
    """
    return max_preactivation(net.W[0], net.b[0], X) <= 0


def tiny_network():
    """The worked example: y = v ReLU(w x + b) + c with w = 1, b = 0, v = 1, c = 0.

    It fits the training set (TINY_X, TINY_T) exactly.

    Examples
    --------
    >>> tiny_network().forward(np.array(TINY_X)).ravel().tolist()
    [1.0, 2.0, 3.0]
    """
    return MLP([1, 1, 1], hidden="relu", output="identity", init="constant", value=1.0)


def gradient_step(net, X, t, optimizer):
    """One step on the squared error of (X, t); returns the gradients (dW, db) used.

    Examples
    --------
    >>> net = tiny_network()
    >>> dW, db = gradient_step(net, np.array([[3.0]]), np.array([-27.0]), SGD(0.1))
    >>> [float(net.W[0][0, 0]), float(net.b[0][0])]
    [-8.0, -3.0]
    """
    _, grad = mse_loss(net.forward(X), t)
    dW, db = net.backward(grad)
    optimizer.step(net.parameters(), [g for pair in zip(dW, db) for g in pair])
    return dW, db


def _stacked(nets):
    """[W1 (R, H, D), b1 (R, H, 1), W2 (R, 1, H), b2 (R, 1, 1)]: copies of the nets."""
    W1, b1 = np.stack([n.W[0] for n in nets]), np.stack([n.b[0] for n in nets])
    W2, b2 = np.stack([n.W[1] for n in nets]), np.stack([n.b[1] for n in nets])
    return [W1, b1[..., None], W2, b2[..., None]]


def _per_run(value, runs, steps, name, low, high=np.inf):
    """``value`` (a number, shape (R,) or (R, steps)) broadcast to shape (R, steps),
    after checking that low <= value <= high."""
    value = np.asarray(high if value is None else value, dtype=float)
    if not np.all((value >= low) & (value <= high)):
        raise ValueError(f"{name} must lie in [{low}, {high}]")
    if value.ndim == 1 and value.shape[0] == runs:
        value = value[:, None]
    try:
        return np.broadcast_to(value, (runs, steps))
    except ValueError:
        raise ValueError(f"{name} must be a number, shape ({runs},) or ({runs}, "
                         f"{steps}), got shape {value.shape}") from None


def _gradients(P, Z, X, y, f, f_grad):
    """Gradients of the mean cross-entropy w.r.t. [W1, b1, W2, b2], every run."""
    W1, b1, W2, b2 = P
    A = f(Z)
    logit = W2 @ A + b2                                          # (R, 1, n)
    d_out = (0.5 + 0.5 * np.tanh(0.5 * logit) - y[:, None]) / X.shape[1]
    dZ = np.swapaxes(W2, 1, 2) * d_out * f_grad(Z)               # hidden deltas
    return [dZ @ X, dZ.sum(axis=2, keepdims=True), d_out @ np.swapaxes(A, 1, 2),
            d_out.sum(axis=2, keepdims=True)]


def train_mlp_runs(nets, X, y, lrs, steps, rho=0.0, clip=None):
    """Full-batch training on the cross-entropy for many nets at once.

    Every net must be ``MLP([D, H, 1], hidden=..., output="identity")``, all with
    the same hidden activation. Run r takes the steps ``train(net, X, y,
    Momentum(lr, rho), steps, loss="bce")`` takes (``rho = 0``: the steps of
    ``SGD(lr)``), computed for all runs together; the nets are updated in place.

    Parameters
    ----------
    X : ndarray, shape (n, D), or (R, n, D) for one data set per run
    y : ndarray, shape (n,) or (R, n)
    lrs : float or ndarray, shape (R,) or (R, steps)
        Learning rate of every run, constant or one per step (a schedule).
    rho : float or ndarray, shape (R,)
        Momentum coefficient: v <- rho v - lr g, theta <- theta + v.
    clip : float or ndarray, shape (R,), optional
        Gradient clipping: g is rescaled to norm ``clip`` when it is longer
        (the norm over all parameters of the run).

    Returns
    -------
    dict
        ``max_z`` (R, steps + 1, H): each unit's largest pre-activation over the
        inputs before every step and after the last (dead iff <= 0);
        ``grad_norm`` (R, steps): the norm of the (unclipped) gradient at
        every step; ``step_norm`` (R, steps): the length of the step taken
        (all parameters); ``accuracy`` (R,): ``accuracy`` of every net at the end.

    Examples
    --------
    >>> X, y = two_circles(20, np.random.default_rng(0))
    >>> out = train_mlp_runs(make_nets(2, np.random.default_rng(1)), X, y, 0.5, 3)
    >>> out["max_z"].shape, out["grad_norm"].shape, out["accuracy"].shape
    ((2, 4, 8), (2, 3), (2,))
    """
    f, f_grad = nets[0].f_hidden
    if any(n.f_hidden != nets[0].f_hidden or len(n.W) != 2 for n in nets):
        raise ValueError("all nets need one hidden layer and the same activation")
    R, H = len(nets), nets[0].W[0].shape[0]
    X, y = as_float_array(X, "X"), as_float_array(y, "y")
    X, y = (X, y) if X.ndim == 3 else (X[None], y[None])
    if X.ndim != 3 or y.shape != X.shape[:2]:
        raise ValueError(f"need X (n, D) with y (n,), or X (R, n, D) with y (R, n); "
                         f"got X {X.shape}, y {y.shape}")
    rate = _per_run(lrs, R, steps, "lrs", 0.0, 1e6)
    rho = _per_run(rho, R, 1, "rho", 0.0, 0.999)[:, 0]
    clip = _per_run(clip, R, 1, "clip", 0.0)[:, 0]
    P, XT = _stacked(nets), np.swapaxes(X, 1, 2)
    V = [np.zeros_like(p) for p in P]
    max_z, grad_norm = np.empty((R, steps + 1, H)), np.empty((R, steps))
    step_norm = np.empty((R, steps))
    for step in range(steps + 1):
        Z = P[0] @ XT + P[1]                          # (R, H, n): every unit, input
        max_z[:, step] = Z.max(axis=2)
        if step == steps:
            break
        G = _gradients(P, Z, X, y, f, f_grad)
        grad_norm[:, step] = np.sqrt(sum(np.sum(g * g, axis=(1, 2)) for g in G))
        shrink = np.minimum(1.0, clip / np.maximum(grad_norm[:, step], 1e-300))
        size = (rate[:, step] * shrink)[:, None, None]
        for p, v, g in zip(P, V, G):
            v *= rho[:, None, None]
            v -= size * g
            p += v
        step_norm[:, step] = np.sqrt(sum(np.sum(v * v, axis=(1, 2)) for v in V))
    logit = P[2] @ f(Z) + P[3]
    correct = (logit[:, 0] > 0) == (y > 0.5)
    for r, net in enumerate(nets):
        net.W[0][:], net.b[0][:], net.W[1][:], net.b[1][:] = (
            P[0][r], P[1][r, :, 0], P[2][r], P[3][r, :, 0])
    return {"max_z": max_z, "grad_norm": grad_norm, "step_norm": step_norm,
            "accuracy": correct.mean(axis=1)}


def accuracy(net, X, y):
    """Share of inputs whose logit has the sign of the label (1: > 0, 0: <= 0).

    Examples
    --------
    >>> net = MLP([1, 1], init="constant", value=1.0)
    >>> accuracy(net, np.array([[-1.0], [2.0]]), np.array([0.0, 1.0]))
    1.0
    """
    predicted = net.forward(X).ravel() > 0
    return float(np.mean(predicted == (as_float_array(y, "y") > 0.5)))


def make_nets(n_runs, rng, width=8, hidden="relu", init="xavier", bias=0.0):
    """``n_runs`` freshly initialised nets MLP([2, width, 1]) with a linear output.

    Examples
    --------
    >>> [n.sizes for n in make_nets(2, np.random.default_rng(0), width=3)]
    [(2, 3, 1), (2, 3, 1)]
    """
    return [MLP([2, width, 1], hidden=hidden, output="identity", init=init, rng=rng,
                bias=bias) for _ in range(n_runs)]


def clone_net(net):
    """An independent copy of ``net``: same sizes and activations, copied arrays.

    Examples
    --------
    >>> a = tiny_network(); b = clone_net(a); b.W[0][0, 0] = 5.0
    >>> float(a.W[0][0, 0])
    1.0
    """
    copy = MLP(net.sizes, hidden=net.f_hidden, output=net.f_output, init="zeros")
    for dst, src in zip(copy.parameters(), net.parameters()):
        dst[...] = src
    return copy


def unit_parameters(net):
    """Each hidden unit's own parameters [w_1..w_D, b, v] as rows, shape (H, D + 2).

    v is the unit's outgoing weight; all of them get exactly zero gradient when
    the unit is dead.

    Examples
    --------
    >>> unit_parameters(tiny_network()).tolist()
    [[1.0, 0.0, 1.0]]
    """
    return np.column_stack([net.W[0], net.b[0], net.W[1].T])


def record_training(net, X, y, optimizer, steps):
    """Full-batch training on the cross-entropy, recording every hidden unit.

    Each step is the one ``train(net, X, y, optimizer, steps, loss="bce")``
    takes. The net is updated in place.

    Returns
    -------
    dict
        ``theta`` (steps + 1, H, D + 2): ``unit_parameters`` before every step
        and after the last; ``grad`` (steps, H, D + 2): the gradient of those
        parameters at every step; ``max_z`` (steps + 1, H): each unit's largest
        pre-activation over X (dead iff <= 0).
    """
    theta, grad = [unit_parameters(net)], []
    max_z = [max_preactivation(net.W[0], net.b[0], X)]
    for _ in range(steps):
        _, d_out = binary_cross_entropy(net.forward(X), y)
        dW, db = net.backward(d_out)
        grad.append(np.column_stack([dW[0], db[0], dW[1].T]))
        optimizer.step(net.parameters(), [g for pair in zip(dW, db) for g in pair])
        theta.append(unit_parameters(net))
        max_z.append(max_preactivation(net.W[0], net.b[0], X))
    return {"theta": np.array(theta), "grad": np.array(grad), "max_z": np.array(max_z)}


def knock_out(net, X, y, lr):
    """One full-batch gradient step of size ``lr`` on the cross-entropy: a rate spike.

    Returns the mask of first-layer units dead on X afterwards.
    """
    _, d_out = binary_cross_entropy(net.forward(X), y)
    dW, db = net.backward(d_out)
    SGD(lr).step(net.parameters(), [g for pair in zip(dW, db) for g in pair])
    return dead_units(net, X)


def coast_ratio(optimizer, t):
    """Factor by which a dead unit's step shrinks from optimiser step t to t + 1.

    The unit's gradient is 0. Momentum: v <- rho v, so exactly rho. Adam:
    m <- beta1 m and s <- beta2 s; with the bias corrections of steps t and
    t + 1 (eps neglected) the ratio is beta1 (1 - beta1^t) / (1 - beta1^(t+1))
    divided by sqrt(beta2 (1 - beta2^t) / (1 - beta2^(t+1))), which tends to
    beta1 / sqrt(beta2). Plain SGD: 0, a dead unit does not move at all.

    Examples
    --------
    >>> coast_ratio(Momentum(0.1, rho=0.9), 5), round(coast_ratio(Adam(), 10**6), 4)
    (0.9, 0.9005)
    """
    if isinstance(optimizer, Momentum):
        return optimizer.rho
    if isinstance(optimizer, Adam):
        b1, b2 = optimizer.beta1, optimizer.beta2
        m = b1 * (1 - b1**t) / (1 - b1 ** (t + 1))
        return float(m / np.sqrt(b2 * (1 - b2**t) / (1 - b2 ** (t + 1))))
    if isinstance(optimizer, SGD):
        return 0.0
    raise ValueError(f"expected SGD, Momentum or Adam, got "
                     f"{type(optimizer).__name__}")


def coast_landing(theta_before, theta_dead, optimizer, t, horizon=2000):
    """Where a unit that died at optimiser step t coasts to if its gradient stays 0.

    The last step d = theta_dead - theta_before keeps its direction and shrinks
    by ``coast_ratio`` each step r_1, r_2, ..., so the unit ends at
    theta_dead + d (r_1 + r_1 r_2 + ...). ``theta`` rows as in ``unit_parameters``.

    Examples
    --------
    >>> coast_landing(np.zeros(3), np.ones(3), Momentum(1.0, rho=0.5), 1).tolist()
    [2.0, 2.0, 2.0]
    """
    ratios = np.cumprod([coast_ratio(optimizer, t + k) for k in range(horizon)])
    return theta_dead + (theta_dead - theta_before) * ratios.sum()


def dead_spells(record, X, optimizer):
    """Every stretch of steps during which a unit that was alive is dead.

    Parameters
    ----------
    record : dict
        From ``record_training`` with a fresh ``optimizer`` (its step count
        then equals the step index).
    X : ndarray, shape (n, D)

    Returns
    -------
    list of dict
        ``unit``, ``start`` (first dead step), ``end`` (first alive step again,
        or None), ``zero_grad`` (every gradient of the unit's parameters during
        the spell is exactly 0), ``ratios`` (measured step-size ratios during the
        spell), ``predicted_revival`` (the coasting end point from
        ``coast_landing`` is alive).
    """
    dead = record["max_z"] <= 0
    theta, grad, D = record["theta"], record["grad"], X.shape[1]
    spells = []
    for unit in range(dead.shape[1]):
        col = dead[:, unit]
        for start in np.flatnonzero(~col[:-1] & col[1:]) + 1:
            alive_again = np.flatnonzero(~col[start:])
            end = int(start + alive_again[0]) if len(alive_again) else None
            stop = end if end is not None else len(grad)
            path = theta[start - 1:stop + 1, unit]
            steps = np.linalg.norm(np.diff(path, axis=0), axis=1)
            moving = steps[:-1] > 0
            predicted = np.array([coast_ratio(optimizer, start + j)
                                  for j in range(len(steps) - 1)])
            measured = steps[1:][moving] / steps[:-1][moving]
            land = coast_landing(path[0], path[1], optimizer, int(start))
            spells.append({
                "unit": unit, "start": int(start), "end": end,
                "zero_grad": bool(np.all(grad[start:stop, unit] == 0)),
                "ratio_error": float(np.max(np.abs(measured - predicted[moving]),
                                            initial=0.0)),
                "predicted_revival": bool(np.max(X @ land[:D] + land[D]) > 0)})
    return spells


class Config(namedtuple("Config", "hidden init bias lr warmup ramp rho clip",
                        defaults=("relu", "xavier", 0.0, 4.0, 0, 0.0, 0.0, None))):
    """One training set-up for ``run_suite``.

    Hidden activation, weight init, initial bias, learning rate ``lr``, linear
    warm-up over ``warmup`` steps (0: none), ``ramp`` (see ``lr_schedule``),
    momentum ``rho`` (0: plain gradient descent), gradient clipping ``clip``.
    """

    __slots__ = ()


def lr_schedule(config, steps):
    """Learning rate of steps t = 1..steps, shape (steps,).

    Warm-up over T steps: lr * min(1, t / T). ``ramp = rho``: multiplied by
    (1 - rho^t) / (1 - rho), the step that momentum with (lr, rho) takes after
    t steps of a constant gradient; plain SGD on this schedule ramps up as
    momentum does, without averaging the gradients.

    Examples
    --------
    >>> lr_schedule(Config(lr=4.0, warmup=4), 5).tolist()
    [1.0, 2.0, 3.0, 4.0, 4.0]
    >>> lr_schedule(Config(lr=1.0, ramp=0.5), 3).tolist()
    [1.0, 1.5, 1.75]
    """
    if not (isinstance(steps, (int, np.integer)) and steps >= 1):
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    t = np.arange(1, steps + 1)
    rate = np.full(steps, float(config.lr))
    if config.warmup:
        rate *= np.minimum(1.0, t / config.warmup)
    if config.ramp:
        rate *= (1.0 - config.ramp**t) / (1.0 - config.ramp)
    return rate


def circle_sets(n_sets, n, rng):
    """``n_sets`` independent ``two_circles(n, rng)`` data sets, stacked.

    Returns
    -------
    Xs : ndarray, shape (n_sets, n, 2)
    ys : ndarray, shape (n_sets, n)

    Examples
    --------
    >>> Xs, ys = circle_sets(3, 10, np.random.default_rng(0))
    >>> Xs.shape, ys.shape
    ((3, 10, 2), (3, 10))
    """
    if not (isinstance(n_sets, (int, np.integer)) and n_sets >= 1):
        raise ValueError(f"n_sets must be a positive integer, got {n_sets!r}")
    sets = [two_circles(n, rng) for _ in range(n_sets)]
    return np.array([X for X, _ in sets]), np.array([y for _, y in sets])


def unit_square(Xs):
    """Each data set of ``Xs`` (S, n, D) rescaled coordinate-wise onto [0, 1].

    Examples
    --------
    >>> unit_square(np.array([[[-1.0, 2.0], [3.0, 4.0]]])).tolist()
    [[[0.0, 0.0], [1.0, 1.0]]]
    """
    Xs = as_float_array(Xs, "Xs", 3)
    low, high = Xs.min(axis=1, keepdims=True), Xs.max(axis=1, keepdims=True)
    if np.any(high == low):
        raise ValueError("every coordinate of every data set must take two values")
    return (Xs - low) / (high - low)


def _suite_nets(configs, S, n_nets, rng, paired):
    """Fresh nets for every configuration: config by config, data set by data set;
    ``paired``: copies of the same nets for every configuration."""
    if paired and len({(c.hidden, c.init, c.bias) for c in configs}) > 1:
        raise ValueError("paired runs need one hidden activation, init and bias")
    draws = configs[:1] if paired else configs
    nets = [[net for _ in range(S) for net in make_nets(
        n_nets, rng, hidden=c.hidden, init=c.init, bias=c.bias)] for c in draws]
    return [[clone_net(n) for n in nets[0]] for _ in configs] if paired else nets


def run_suite(Xs, ys, configs, n_nets, steps, rng, paired=False):
    """Train ``n_nets`` fresh nets on every data set for every configuration.

    ``paired=True`` trains copies of the same nets under every configuration
    (they must then share the activation, init and bias).

    Returns
    -------
    list of dict, one per configuration
        ``max_z`` (S, n_nets, steps + 1, H), ``grad_norm`` and ``step_norm``
        (S, n_nets, steps),
        ``accuracy`` (S, n_nets) and ``hidden`` (the activation's name).
    """
    S, R = len(Xs), len(Xs) * n_nets
    X, y = np.repeat(Xs, n_nets, axis=0), np.repeat(ys, n_nets, axis=0)
    results = []
    for config, nets in zip(configs, _suite_nets(configs, S, n_nets, rng, paired)):
        rate = np.tile(lr_schedule(config, steps), (R, 1))
        out = train_mlp_runs(nets, X, y, rate, steps, rho=config.rho, clip=config.clip)
        results.append({key: value.reshape((S, n_nets) + value.shape[1:])
                        for key, value in out.items()})
        results[-1]["hidden"] = config.hidden
    return results


def perturbation_gap(Xs, ys, config, n_nets, steps, checkpoints, rng, scale=1e-12):
    """How far training drifts when the inputs change in their 12th digit.

    The same fresh nets (``paired``) are trained on ``Xs`` and on ``Xs`` times
    (1 + scale * noise), noise standard normal. Returns ``largest_change`` of
    the two runs at each of ``checkpoints``.
    """
    noisy = Xs * (1.0 + scale * rng.standard_normal(np.shape(Xs)))
    seed = int(rng.integers(2**32))                 # the same nets for both runs
    runs = [run_suite(data, ys, [config], n_nets, steps, np.random.default_rng(seed))[0]
            for data in (Xs, noisy)]
    return largest_change(*runs, checkpoints)


def units_without_gradient(result, tol=1e-3):
    """Number of hidden units per net with f'(z) < tol on every input at the end.

    For ReLU these are exactly the dead units (f' is 0 or 1). The activations
    here have a non-decreasing f', so the test is f'(max_n z_n) < tol.
    Returns an array of shape (S, n_nets).

    Examples
    --------
    >>> r = {"hidden": "relu", "max_z": np.array([[[[1.0, 1.0], [-1.0, 2.0]]]])}
    >>> units_without_gradient(r).tolist()
    [[1]]
    """
    f_grad = get_activation(result["hidden"])[1]
    return np.sum(f_grad(result["max_z"][..., -1, :]) < tol, axis=-1)


def dead_summary(result):
    """ReLU runs: (share of units dead at the end, share dead at some step,
    median accuracy of each data set's nets).

    Examples
    --------
    >>> r = {"max_z": np.array([[[[1.0, 1.0], [-1.0, 1.0], [-2.0, 1.0]]]]),
    ...      "accuracy": np.array([[0.9]])}
    >>> dead_summary(r)
    (0.5, 0.5, [0.9])
    """
    dead = result["max_z"] <= 0                          # (S, nets, steps + 1, H)
    return (float(dead[..., -1, :].mean()), float(dead.any(axis=-2).mean()),
            np.median(result["accuracy"], axis=1).tolist())


def per_set_medians(values, fmt):
    """Median over the nets of each data set, formatted and joined: one column.

    Examples
    --------
    >>> per_set_medians(np.array([[1, 2, 4], [0, 0, 3]]), "{:g}")
    '2 0'
    """
    return " ".join(fmt.format(m) for m in np.median(values, axis=1))


def suite_row(label, result):
    """One line of a comparison: the share of all units (every net, every data set)
    with f' < 1e-3 on every input at the end, then each data set's median accuracy.

    Examples
    --------
    >>> r = {"hidden": "relu", "max_z": np.array([[[[1.0, 1.0], [-1.0, 2.0]]]]),
    ...      "accuracy": np.array([[0.95]])}
    >>> suite_row("ReLU", r)
    'ReLU                           50%     0.95'
    """
    lost = units_without_gradient(result).sum() / result["max_z"][..., -1, :].size
    return f"{label:<26}{lost:9.0%}     {per_set_medians(result['accuracy'], '{:.2f}')}"


def death_windows(result, edges):
    """Units that die during the steps (a, b] of each window, and the median
    gradient norm over all nets and those steps.

    ``edges`` are step counts 0 = e_0 < e_1 < ...; a unit dies at step t when it
    is dead after step t and was alive before it. ReLU runs.

    Returns
    -------
    list of (a, b, deaths, median gradient norm)
    """
    dead = result["max_z"] <= 0                               # (..., steps + 1, H)
    died = (dead[..., 1:, :] & ~dead[..., :-1, :]).sum(axis=(0, 1, 3))  # per step
    grads = result["grad_norm"]
    return [(a, b, int(died[a:b].sum()), float(np.median(grads[..., a:b])))
            for a, b in zip(edges[:-1], edges[1:])]


def largest_change(result, other, steps):
    """Largest change of any unit's max pre-activation between two runs of the
    same nets, at each of ``steps``: how far the runs have drifted apart.

    Examples
    --------
    >>> a = {"max_z": np.zeros((1, 3, 2))}; b = {"max_z": np.ones((1, 3, 2))}
    >>> largest_change(a, b, [0, 2])
    [1.0, 1.0]
    """
    gap = np.abs(result["max_z"] - other["max_z"])
    return [float(gap[..., t, :].max()) for t in steps]


def as_bound(value, lows=(1e-6,), high=1e-2):
    """``value`` printed as a bound: '< low' for the smallest of ``lows`` above it,
    '> high' above ``high``; in between, its order of magnitude.

    For quantities whose digits are rounding noise or chaotic, so that what is
    printed does not depend on the machine.

    Examples
    --------
    >>> as_bound(3e-13), as_bound(0.5), as_bound(2e-4)
    ('< 1e-6', '> 0.01', '2e-04')
    >>> as_bound(6e-5, lows=(1e-9, 1e-3))
    '< 0.001'
    """
    for low in sorted(lows):
        if value < low:
            return f"< {low:g}".replace("e-0", "e-")
    return f"> {high:g}" if value > high else f"{value:.0e}"


def stuck_unit_runs(hiddens, steps, lr=0.1):
    """The worked example after its bad step, continued with other activations.

    The parameters the mislabelled sample left (w, b, v, c) = (-8, -3, -8, -3)
    are copied into ``tiny_network``-shaped nets with each hidden activation;
    each is trained for ``steps`` SGD steps on the clean set (TINY_X, TINY_T).

    Returns
    -------
    list of (hidden, largest f'(z) on the training set at the start,
    max z at the end, loss at the end)
    """
    X, t = np.array(TINY_X), np.array(TINY_T)
    out = []
    for hidden in hiddens:
        net = MLP([1, 1, 1], hidden=hidden, output="identity", init="constant",
                  value=-8.0, bias=-3.0)
        f_grad = net.f_hidden[1]
        slope = float(f_grad(max_preactivation(net.W[0], net.b[0], X))[0])
        losses = train(net, X, t, SGD(lr), steps)
        out.append((hidden, slope, float(max_preactivation(net.W[0], net.b[0], X)[0]),
                    float(losses[-1])))
    return out


def coasting_runs(X, y, make_optimizer, n_runs, steps, rng):
    """Train ``n_runs`` fresh nets, each with a fresh optimiser; find their dead spells.

    Returns
    -------
    records : list of dict
        One ``record_training`` result per run.
    spells : list of dict
        ``dead_spells`` of all runs, each with its run index under ``"run"``.
    """
    records, spells = [], []
    for run, net in enumerate(make_nets(n_runs, rng)):
        optimizer = make_optimizer()
        records.append(record_training(net, X, y, optimizer, steps))
        spells += [dict(s, run=run) for s in dead_spells(records[-1], X, optimizer)]
    return records, spells


DEAD_FRACTION_TEXT = {
    "zh": {"xlabel": "梯度下降步数", "ylabel": "死亡单元比例"},
    "en": {"xlabel": "gradient descent steps", "ylabel": "share of dead units"},
}


def plot_dead_fraction(results, lrs, lang="zh"):
    """Mean share of dead hidden units over training, one curve per learning rate.

    ``results`` are ``run_suite`` results of ReLU nets at the rates ``lrs``;
    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(DEAD_FRACTION_TEXT, lang)
    fig, ax = new_figure(width=6.0, height=3.6)
    colors = ["#1a56db", "#057a55", "#d97706", "#c81e1e", "#6b7280"]
    for res, lr, color in zip(results, lrs, colors):
        dead = np.mean(res["max_z"] <= 0, axis=(0, 1, 3))  # over data sets, nets, units
        idx = np.unique(np.geomspace(1, len(dead), 50).astype(int)) - 1
        ax.plot(idx + 1, dead[idx], color=color, lw=1.6, label=f"η = {lr:g}")
    ax.set(xscale="log", ylim=(-0.02, 1.02), xlabel=text["xlabel"], ylabel=text["ylabel"])
    ax.legend(fontsize=9, loc="upper left")
    return fig


COASTING_TEXT = {
    "zh": {"xlabel": "死亡后的步数", "revived": "复活", "not_revived": "未复活"},
    "en": {"xlabel": "steps after death", "revived": "revived", "not_revived": "not revived"},
}


def plot_coasting(examples, before=3, after=30, lang="zh"):
    """Largest pre-activation (left) and step size (right) of units around their death.

    ``examples`` is a list of (optimizer name, whether the unit revived, record,
    spell, optimizer). Dashed: the
    step sizes ``coast_ratio`` predicts while the gradient is exactly zero.
    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(COASTING_TEXT, lang)
    fig, (ax_z, ax_s) = new_figure(ncols=2, width=8.6, height=3.6)
    colors = ["#c81e1e", "#1a56db", "#057a55"]
    for (name, revived, rec, spell, opt), color in zip(examples, colors):
        label = f"{name}: {text['revived'] if revived else text['not_revived']}"
        k, s0 = spell["unit"], spell["start"]
        t = np.arange(max(s0 - before, 0), min(s0 + after, len(rec["grad"])))
        step = np.linalg.norm(rec["theta"][t + 1, k] - rec["theta"][t, k], axis=1)
        ax_z.plot(t - s0, rec["max_z"][t, k], color=color, lw=1.4, label=label)
        ax_s.semilogy(t - s0, step, color=color, lw=1.4)
        end = (spell["end"] if spell["end"] is not None else s0 + after) - s0
        coast = np.arange(0, min(end, after))
        ratios = np.cumprod([coast_ratio(opt, s0 + j) for j in coast])
        last = np.linalg.norm(rec["theta"][s0, k] - rec["theta"][s0 - 1, k])
        ax_s.semilogy(coast, last * ratios, "k--", lw=0.8)
    ax_z.axhline(0.0, color="k", lw=0.8)
    ax_s.grid(False)
    ax_z.set(xlabel=text["xlabel"], ylabel=r"$\max_i\, z_i$")
    ax_s.set(xlabel=text["xlabel"], ylabel=r"$\|\Delta\theta\|$")
    ax_z.legend(fontsize=8)
    return fig
