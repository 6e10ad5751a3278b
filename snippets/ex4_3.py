"""Exercise 4-3: the dying ReLU problem.

A hidden ReLU unit h = max(0, w^T x + b) is dead on a training set when its
pre-activation is <= 0 for every training input. Then h = 0 and ReLU'(z) = 0
on every sample (``relu_grad`` uses the value 0 at z = 0), so the gradients of
w, b and of the unit's outgoing weights are exactly zero. This module shows
how units die, that plain gradient steps then never move them, what momentum
and Adam do with state left over from before the death, and which fixes help.
"""

import numpy as np

from snippets.mlp import (MLP, SGD, Adam, Momentum, binary_cross_entropy, mse_loss,
                          train)
from snippets.plotting import new_figure
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


def train_mlp_runs(nets, X, y, lrs, steps):
    """Full-batch gradient descent on the cross-entropy for many nets at once.

    Every net must be ``MLP([D, H, 1], hidden=..., output="identity")``, all with the
    same hidden activation; run r uses learning rate ``lrs[r]``. Each step is
    the step ``train(net, X, y, SGD(lr), steps, loss="bce")`` takes, computed
    for all runs together along a leading axis. The nets are updated in place.

    Returns
    -------
    max_z : ndarray, shape (R, steps + 1, H)
        Each unit's largest pre-activation over X before every step and after
        the last one: the unit is dead at that moment iff max_z <= 0.
    """
    f, f_grad = nets[0].f_hidden
    if any(n.f_hidden != nets[0].f_hidden or len(n.W) != 2 for n in nets):
        raise ValueError("all nets need one hidden layer and the same activation")
    lrs = as_float_array(lrs, "lrs", 1)
    if len(lrs) != len(nets):
        raise ValueError(f"need one learning rate per net: {len(nets)} nets, "
                         f"{len(lrs)} rates")
    R, (H, D) = len(nets), nets[0].W[0].shape
    W1 = np.stack([n.W[0] for n in nets])                   # (R, H, D)
    b1 = np.stack([n.b[0] for n in nets])[:, :, None]       # (R, H, 1)
    W2 = np.stack([n.W[1] for n in nets])                   # (R, 1, H)
    b2 = np.stack([n.b[1] for n in nets])[:, :, None]       # (R, 1, 1)
    lr, XT, n = lrs[:, None, None], X.T, len(X)
    max_z = np.empty((R, steps + 1, H))
    for step in range(steps + 1):
        Z = (W1.reshape(R * H, D) @ XT).reshape(R, H, n) + b1   # every unit and input
        max_z[:, step] = Z.max(axis=2)
        if step == steps:
            break
        A = f(Z)
        logit = W2 @ A + b2                                 # (R, 1, n)
        d_out = (0.5 + 0.5 * np.tanh(0.5 * logit) - y) / n  # (sigma(logit) - y) / n
        dZ = np.swapaxes(W2, 1, 2) * d_out * f_grad(Z)      # delta of the hidden layer
        W2 -= lr * (d_out @ np.swapaxes(A, 1, 2))
        b2 -= lr * d_out.sum(axis=2, keepdims=True)
        W1 -= lr * (dZ @ X)
        b1 -= lr * dZ.sum(axis=2, keepdims=True)
    for r, net in enumerate(nets):
        net.W[0][:], net.b[0][:] = W1[r], b1[r, :, 0]
        net.W[1][:], net.b[1][:] = W2[r], b2[r, :, 0]
    return max_z


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


def run_configs(X, y, configs, n_seeds, steps, rng):
    """Train ``n_seeds`` nets for every configuration (hidden, init, bias, lr).

    Configurations with the same hidden activation share one vectorised call
    of ``train_mlp_runs``.

    Returns
    -------
    list of dict, one per configuration
        ``max_z`` (n_seeds, steps + 1, H) and ``accuracy`` (n_seeds,).
    """
    nets = [make_nets(n_seeds, rng, hidden=h, init=i, bias=b)
            for h, i, b, _ in configs]
    results = [None] * len(configs)
    for hidden in dict.fromkeys(c[0] for c in configs):
        ids = [k for k, c in enumerate(configs) if c[0] == hidden]
        lrs = np.repeat([configs[k][3] for k in ids], n_seeds)
        max_z = train_mlp_runs([n for k in ids for n in nets[k]], X, y, lrs, steps)
        for j, k in enumerate(ids):
            results[k] = {"max_z": max_z[j * n_seeds:(j + 1) * n_seeds],
                          "accuracy": np.array([accuracy(n, X, y) for n in nets[k]])}
    return results


def dead_summary(result):
    """(share of units all-negative at the end, at some step; median, min accuracy).

    Examples
    --------
    >>> r = {"max_z": np.array([[[1.0, 1.0], [-1.0, 1.0], [-2.0, 1.0]]]),
    ...      "accuracy": np.array([0.9])}
    >>> dead_summary(r)
    (0.5, 0.5, 0.9, 0.9)
    """
    dead = result["max_z"] <= 0                       # (seeds, steps + 1, H)
    acc = result["accuracy"]
    return (float(dead[:, -1].mean()), float(dead.any(axis=1).mean()),
            float(np.median(acc)), float(acc.min()))


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


def optimizer_deaths(nets, X, y, optimizers, steps):
    """Share of hidden units dead on X after training a copy of every net with each
    optimiser (full batch, cross-entropy, ``steps`` steps).

    ``optimizers`` maps a name to a function making a fresh optimiser; the nets are
    not changed. Returns {name: share of all units of all nets}.

    Examples
    --------
    >>> X, y = two_circles(20, np.random.default_rng(0))
    >>> nets = make_nets(2, np.random.default_rng(1))
    >>> optimizer_deaths(nets, X, y, {"tiny step": lambda: SGD(1e-3)}, 1)
    {'tiny step': 0.0}
    """
    if not nets:
        raise ValueError("nets must be a non-empty list of networks")
    out = {}
    for name, make in optimizers.items():
        dead = []
        for net in nets:
            trial = clone_net(net)
            train(trial, X, y, make(), steps, loss="bce")
            dead.append(dead_units(trial, X))
        out[name] = float(np.mean(dead))
    return out


def plot_dead_fraction(results, lrs):
    """Mean share of dead hidden units over training, one curve per learning rate.

    ``results`` are ``run_configs`` results of ReLU nets at the rates ``lrs``.
    """
    fig, ax = new_figure(width=6.0, height=3.6)
    colors = ["#1a56db", "#057a55", "#d97706", "#c81e1e", "#6b7280"]
    for res, lr, color in zip(results, lrs, colors):
        dead = np.mean(res["max_z"] <= 0, axis=(0, 2))    # mean over seeds and units
        idx = np.unique(np.geomspace(1, len(dead), 50).astype(int)) - 1
        ax.plot(idx + 1, dead[idx], color=color, lw=1.6, label=f"η = {lr:g}")
    ax.set(xscale="log", ylim=(-0.02, 1.02), xlabel="梯度下降步数",
           ylabel="死亡单元比例")
    ax.legend(fontsize=9, loc="upper left")
    return fig


def plot_coasting(examples, before=3, after=30):
    """Largest pre-activation (left) and step size (right) of units around their death.

    ``examples`` is a list of (label, record, spell, optimizer). Dashed: the
    step sizes ``coast_ratio`` predicts while the gradient is exactly zero.
    """
    fig, (ax_z, ax_s) = new_figure(ncols=2, width=8.6, height=3.6)
    colors = ["#c81e1e", "#1a56db", "#057a55"]
    for (label, rec, spell, opt), color in zip(examples, colors):
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
    ax_z.set(xlabel="死亡后的步数", ylabel=r"$\max_i\, z_i$")
    ax_s.set(xlabel="死亡后的步数", ylabel=r"$\|\Delta\theta\|$")
    ax_z.legend(fontsize=8)
    return fig
