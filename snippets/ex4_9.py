"""Exercise 4-9: can a larger learning rate cure vanishing gradients?

A deep sigmoid network's gradients shrink layer by layer (book §4.6.2); one
global learning rate multiplies every layer's update by the same factor, so it
cannot change the ratio between layers. The experiments train a 10-layer MLP on
a small regression task, many learning rates at once (vectorised over runs).
"""

import numpy as np

from snippets.activations import sigmoid, sigmoid_grad
from snippets.mlp import MLP, mse_loss
from snippets.plotting import figure_text, new_figure
from snippets.validation import as_float_array, check_positive

DEEP_INIT = {"sigmoid": "xavier", "relu": "he", "centred_sigmoid": "xavier"}
OPTIMIZERS = ("sgd", "adam", "layerwise")


def regression_data(rng, n=100, d=8):
    """Inputs X ~ N(0, I), shape (n, d), and targets y = sin(2 a^T x), shape (n,).

    The direction a ~ N(0, I / d) is drawn once, so a^T x has variance about 1.

    Examples
    --------
    >>> X, y = regression_data(np.random.default_rng(0), n=5, d=3)
    >>> X.shape, y.shape, bool(np.all(np.abs(y) <= 1))
    ((5, 3), (5,), True)
    """
    for value, name in ((n, "n"), (d, "d")):
        if not (isinstance(value, (int, np.integer)) and value >= 1):
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    X = rng.normal(size=(n, d))
    a = rng.normal(size=d) / np.sqrt(d)
    return X, np.sin(2.0 * X @ a)


def centred_sigmoid(z):
    """sigma(z) - 1/2: the Logistic function shifted to zero-centred output.

    Its derivative is sigma'(z), the same as the Logistic function's.

    Examples
    --------
    >>> (centred_sigmoid(np.array([-1.0, 0.0, 1.0])) + 0.0).round(4).tolist()
    [-0.2311, 0.0, 0.2311]
    """
    return sigmoid(z) - 0.5


def centred_sigmoid_grad(z):
    """Derivative of ``centred_sigmoid``: sigma(z) (1 - sigma(z)), at most 1/4.

    Examples
    --------
    >>> round(float(centred_sigmoid_grad(0.0)), 12)
    0.25
    """
    return sigmoid_grad(z)


def deep_mlp(hidden, rng, d_in=8, width=16, depth=10, gain=1.0):
    """``depth`` weight layers: d_in -> width -> ... -> width -> 1 (linear output).

    Sigmoid hidden units (``"sigmoid"``, or ``"centred_sigmoid"`` for
    sigma(z) - 1/2) start with Xavier (its tanh form), ReLU units with He
    initialisation. ``gain`` multiplies the initial weights of every layer that
    feeds hidden units (not the linear output layer): ``gain=4`` with sigmoid
    units gives the book's Xavier range for Logistic units (§7.3).

    Examples
    --------
    >>> net = deep_mlp("sigmoid", np.random.default_rng(0))
    >>> len(net.W), net.sizes[:3], net.sizes[-1]
    (10, (8, 16, 16), 1)
    """
    if hidden not in DEEP_INIT:
        raise ValueError(f"hidden must be one of {sorted(DEEP_INIT)}, got {hidden!r}")
    if not (isinstance(depth, (int, np.integer)) and depth >= 2):
        raise ValueError(f"depth must be an integer >= 2, got {depth!r}")
    gain = check_positive(gain, "gain")
    sizes = [d_in] + [width] * (depth - 1) + [1]
    f = (centred_sigmoid, centred_sigmoid_grad) if hidden == "centred_sigmoid" \
        else hidden
    net = MLP(sizes, hidden=f, output="identity", init=DEEP_INIT[hidden], rng=rng)
    for W in net.W[:-1]:
        W *= gain
    return net


def layer_gradient_norms(net, X, y):
    """Frobenius norms ||dL/dW(l)||, l = 1..L, of the squared error, shape (L,).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, y = regression_data(rng)
    >>> norms = layer_gradient_norms(deep_mlp("sigmoid", rng), X, y)
    >>> norms.shape, bool(norms[0] < 1e-3 * norms[-1])
    ((10,), True)
    """
    _, grad = mse_loss(net.forward(X), y)
    dW, _ = net.backward(grad)
    return np.array([np.linalg.norm(g) for g in dW])


def gradient_norms_at_init(hidden, X, y, rng, n_nets=5, gain=1.0):
    """``layer_gradient_norms`` of ``n_nets`` fresh networks (``deep_mlp`` with
    ``gain``), shape (n_nets, L).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, y = regression_data(rng)
    >>> gradient_norms_at_init("relu", X, y, rng, n_nets=2).shape
    (2, 10)
    """
    return np.stack([layer_gradient_norms(deep_mlp(hidden, rng, X.shape[1], gain=gain),
                                          X, y) for _ in range(n_nets)])


def _hidden_pair(net):
    """(f, f') for the vectorised trainer, f' written in terms of a = f(z)."""
    name = net.f_hidden[0].__name__
    if name == "sigmoid":   # 1 / (1 + e^-z) = (1 + tanh(z / 2)) / 2, overflow-free
        return lambda z: 0.5 + 0.5 * np.tanh(0.5 * z), lambda a: a * (1.0 - a)
    if name == "relu":
        return lambda z: np.maximum(z, 0.0), lambda a: (a > 0).astype(float)
    raise ValueError(f"the vectorised trainer knows sigmoid and relu, got {name!r}")


def _forward_runs(Ws, bs, X, f):
    """Activations [a(0), ..., a(L)] of R stacked networks, a(l) shape (R, n, M_l)."""
    A = [np.broadcast_to(X, (Ws[0].shape[0],) + X.shape)]
    for l, (W, b) in enumerate(zip(Ws, bs)):
        z = A[-1] @ W.transpose(0, 2, 1) + b[:, None, :]
        A.append(z if l == len(Ws) - 1 else f(z))
    return A


def _backward_runs(Ws, A, d_out, df):
    """Gradients (dW, db) of R stacked networks given dL/d(output), shape (R, n, 1)."""
    dW, db, delta = [None] * len(Ws), [None] * len(Ws), d_out
    for l in reversed(range(len(Ws))):
        dW[l] = delta.transpose(0, 2, 1) @ A[l]
        db[l] = delta.sum(axis=1)
        if l > 0:
            delta = (delta @ Ws[l]) * df(A[l])   # f'(z(l)) * W(l+1)^T delta(l+1)
    return dW, db


def _adam_directions(grads, state, t, eps, beta1=0.9, beta2=0.999):
    """Adam's directions m_hat / (sqrt(s_hat) + eps), as in ``snippets.mlp.Adam``."""
    out = []
    for g, m, s in zip(grads, state["m"], state["s"]):
        m *= beta1
        m += (1.0 - beta1) * g
        s *= beta2
        s += (1.0 - beta2) * g * g
        out.append((m / (1.0 - beta1**t)) / (np.sqrt(s / (1.0 - beta2**t)) + eps))
    return out


def _run_norms(arrays):
    """sqrt of the summed squares of stacked arrays (R, ...) -> shape (R,)."""
    return np.sqrt(sum(np.sum(a * a, axis=tuple(range(1, a.ndim))) for a in arrays))


def _layerwise_directions(grads, Ws, bs):
    """Gradients scaled per layer by ||theta_l|| / ||grad theta_l||, theta_l = (W, b).

    Every layer's step then has size lr ||theta_l||, whatever its gradient's size
    (LARS-style, without momentum or weight decay).
    """
    L, out = len(Ws), [None] * (2 * len(Ws))
    for l in range(L):
        g_norm = _run_norms([grads[l], grads[L + l]])
        scale = np.divide(_run_norms([Ws[l], bs[l]]), g_norm,
                          out=np.zeros_like(g_norm), where=g_norm > 0)
        out[l] = scale[:, None, None] * grads[l]
        out[L + l] = scale[:, None] * grads[L + l]
    return out


def train_runs(net, X, y, lrs, steps, optimizer="sgd", blowup=1e6, eps=1e-8,
               frozen=0):
    """Train one copy of ``net`` per learning rate, all from the same start, at once.

    Full-batch gradient descent (``"sgd"``), Adam (``"adam"``, with ``eps``) or
    gradient descent with a learning rate per layer (``"layerwise"``: layer l
    uses lr ||theta_l|| / ||dL/dtheta_l||, theta_l = (W(l), b(l))) on the squared
    error; ``"sgd"`` and ``"adam"`` do what ``train(copy, X, y, SGD(lr) or
    Adam(lr, eps=eps), steps)`` would do. The first ``frozen`` weight layers
    (and their biases) are held at their start values, a control that lets
    only the layers above learn. A run whose loss exceeds ``blowup``
    times its initial loss is called diverged and stopped there (its losses
    are ``inf`` from that step on); stopping before the numbers overflow keeps
    the run free of floating-point warnings.

    Returns
    -------
    dict with
        ``"loss"`` (R, steps): loss before each step;
        ``"grad_norm"``, ``"update_norm"`` (R, steps, L): ||dL/dW(l)|| and the
        size ||Delta W(l)|| of the update applied at each step;
        ``"drift"`` (R, steps, L): ||W(l) - W(l) at start|| / ||W(l) at start||
        after each step;
        ``"nets"``: the R trained networks (MLP).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, y = regression_data(rng)
    >>> out = train_runs(deep_mlp("sigmoid", rng), X, y, [0.1, 100.0], steps=30)
    >>> bool(np.isfinite(out["loss"][0]).all()), bool(np.isinf(out["loss"][1, -1]))
    (True, True)
    """
    lrs = np.array([check_positive(lr, "lr") for lr in np.atleast_1d(lrs)])
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
    eps = check_positive(eps, "eps")
    if not (isinstance(frozen, (int, np.integer)) and 0 <= frozen <= len(net.W)):
        raise ValueError(f"frozen must be an integer in 0..{len(net.W)}, "
                         f"got {frozen!r}")
    X = as_float_array(X, "X", 2)
    y = as_float_array(y, "y").reshape(len(X), 1)
    f, df = _hidden_pair(net)
    R, L = len(lrs), len(net.W)
    Ws = [np.repeat(W[None], R, axis=0) for W in net.W]
    bs = [np.repeat(b[None], R, axis=0) for b in net.b]
    W0_norm = np.array([np.linalg.norm(W) for W in net.W])
    state = {key: [np.zeros_like(p) for p in Ws + bs] for key in ("m", "s")}
    out = {k: np.zeros((R, steps, L)) for k in ("grad_norm", "update_norm", "drift")}
    out["loss"], alive = np.full((R, steps), np.inf), np.ones(R, dtype=bool)
    for t in range(steps):
        A = _forward_runs(Ws, bs, X, f)
        diff = A[-1] - y
        loss = 0.5 * np.sum(diff * diff, axis=(1, 2)) / len(X)
        alive &= loss <= blowup * (loss if t == 0 else out["loss"][:, 0])
        out["loss"][alive, t] = loss[alive]
        dW, db = _backward_runs(Ws, A, diff / len(X), df)
        grads = dW + db                                     # [dW(1..L), db(1..L)]
        if optimizer == "sgd":
            step = grads
        elif optimizer == "adam":
            step = _adam_directions(grads, state, t + 1, eps)
        else:
            step = _layerwise_directions(grads, Ws, bs)
        lr = np.where(alive, lrs, 0.0)
        for l in range(L):
            rate = lr if l >= frozen else np.zeros_like(lr)
            update = rate[:, None, None] * step[l]
            Ws[l] -= update
            bs[l] -= rate[:, None] * step[L + l]
            out["grad_norm"][:, t, l] = np.sqrt(np.sum(dW[l] ** 2, axis=(1, 2)))
            out["update_norm"][:, t, l] = np.sqrt(np.sum(update**2, axis=(1, 2)))
            moved = Ws[l] - net.W[l]
            out["drift"][:, t, l] = np.sqrt(np.sum(moved**2, axis=(1, 2)))
        out["drift"][:, t] /= W0_norm
    out["nets"] = [_copy_with(net, [W[r] for W in Ws], [b[r] for b in bs])
                   for r in range(R)]
    return out


def _copy_with(net, Ws, bs):
    """A new MLP shaped like ``net`` with weights ``Ws`` and biases ``bs``."""
    new = MLP(net.sizes, hidden=net.f_hidden, output=net.f_output, init="zeros")
    for l, (W, b) in enumerate(zip(Ws, bs)):
        new.W[l][:], new.b[l][:] = W, b
    return new


def top_layer_hessian(net, X):
    """Hessian of the squared error in the output layer's (W(L), b(L)), (M+1, M+1).

    The output is linear in W(L) and b(L), so with L = (1/2n) sum (y_hat - y)^2
    the Hessian is exactly (1/n) sum_n a~ a~^T, a~ = (a(L-1), 1): the same at
    every value of W(L), b(L). Its last diagonal entry, for the bias, is 1.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, _ = regression_data(rng)
    >>> H = top_layer_hessian(deep_mlp("sigmoid", rng), X)
    >>> H.shape, float(H[-1, -1])
    ((17, 17), 1.0)
    """
    net.forward(X)
    A = np.column_stack([net.A[-2], np.ones(len(net.A[-2]))])
    return A.T @ A / len(A)


def top_layer_step_limit(net, X):
    """2 / lambda_max of ``top_layer_hessian``: the largest stable rate for W(L), b(L).

    With the layers below held fixed, gradient descent on the output layer's
    quadratic loss converges only if lr < 2 / lambda_max. Since the bias entry
    of the Hessian is 1, lambda_max >= 1 and the limit is at most 2.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, _ = regression_data(rng)
    >>> 0.1 < top_layer_step_limit(deep_mlp("sigmoid", rng), X) < 1.0
    True
    """
    return float(2.0 / np.linalg.eigvalsh(top_layer_hessian(net, X))[-1])


def steps_to_move(net, X, y, lr, layer=0):
    """||W(layer)|| / (lr ||dL/dW(layer)||): steps of gradient descent, at the
    gradient's present size, before W(layer) can change by its own norm.

    Each step changes W by lr ||dL/dW||, so by the triangle inequality fewer
    steps cannot give a relative change of 1 unless the gradient grows.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, y = regression_data(rng)
    >>> bool(steps_to_move(deep_mlp("sigmoid", rng), X, y, lr=0.4) > 1e5)
    True
    """
    lr = check_positive(lr, "lr")
    g = layer_gradient_norms(net, X, y)[layer]
    return float(np.linalg.norm(net.W[layer]) / (lr * g))


def backprop_profile(net, X, y):
    """Per hidden layer: mean |z(l)| and mean f'(z(l)), shape (L - 1,) each; and
    ||delta(l)||, l = 1..L, the error terms of eq. 4.63 (rows: samples), shape (L,).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, y = regression_data(rng)
    >>> prof = backprop_profile(deep_mlp("sigmoid", rng), X, y)
    >>> prof["abs_z"].shape, prof["delta_norm"].shape
    ((9,), (10,))
    """
    _, delta = mse_loss(net.forward(X), y)        # linear output: delta(L) = dL/dy
    f_grad, norms = net.f_hidden[1], [np.linalg.norm(delta)]
    for l in reversed(range(len(net.W) - 1)):
        delta = (delta @ net.W[l + 1]) * f_grad(net.Z[l])
        norms.append(np.linalg.norm(delta))
    return {"abs_z": np.array([np.mean(np.abs(z)) for z in net.Z[:-1]]),
            "slope": np.array([np.mean(f_grad(z)) for z in net.Z[:-1]]),
            "delta_norm": np.array(norms[::-1])}


def delta_ratio(net, X, y):
    """||delta(1)|| / ||delta(L)||: how much the backpropagated error shrinks from
    the output layer to the first (``backprop_profile``), a float.

    Unlike ||dW(1)|| / ||dW(L)|| it does not involve the activations a(l-1).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, y = regression_data(rng)
    >>> bool(delta_ratio(deep_mlp("sigmoid", rng), X, y) < 1e-3)
    True
    """
    norms = backprop_profile(net, X, y)["delta_norm"]
    return float(norms[0] / norms[-1])


def centre_by_bias(net):
    """Set b(l) = -W(l) 1 / 2 for l >= 2, in place, and return ``net``.

    Then z(l) = W(l) (a(l-1) - 1/2): every layer above the first sees zero-centred
    Logistic outputs, exactly as in a ``"centred_sigmoid"`` network with the same
    weights (an initialisation, not a new unit).

    Examples
    --------
    >>> net = centre_by_bias(deep_mlp("sigmoid", np.random.default_rng(0)))
    >>> bool(np.allclose(net.b[1], -0.5 * net.W[1].sum(axis=1)))
    True
    """
    if not isinstance(net, MLP):
        raise ValueError(f"net must be an MLP, got {type(net).__name__}")
    for l in range(1, len(net.W)):
        net.b[l][:] = -0.5 * net.W[l].sum(axis=1)
    return net


def mean_slope(net, X):
    """Mean of f'(z) over samples and units, per hidden layer, shape (L - 1,).

    For sigmoid units it is at most 1/4; values near 0 mean saturated units.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, _ = regression_data(rng)
    >>> bool(np.all(mean_slope(deep_mlp("sigmoid", rng), X) <= 0.25))
    True
    """
    net.forward(X)
    f_grad = net.f_hidden[1]
    return np.array([float(np.mean(f_grad(z))) for z in net.Z[:-1]])


def first_step_ratio(out, layer_low=0, layer_high=-1):
    """||Delta W(first)|| / ||Delta W(last)|| of every run's first update, shape (R,).

    Examples
    --------
    >>> out = {"update_norm": np.array([[[1e-6, 1.0]], [[1e-5, 10.0]]])}
    >>> first_step_ratio(out).round(12).tolist()
    [1e-06, 1e-06]
    """
    u = out["update_norm"][:, 0]
    return u[:, layer_low] / u[:, layer_high]


def adam_first_step_fraction(net, X, y, eps=1e-8):
    """Mean size of Adam's first step on W(1), as a fraction of a full step lr.

    At t = 1 the bias-corrected moments are m = g and s = g^2, so each entry
    moves by lr |g| / (|g| + eps): nearly lr when |g| >> eps, nearly 0 when
    |g| << eps.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, y = regression_data(rng)
    >>> frac = adam_first_step_fraction(deep_mlp("sigmoid", rng, depth=20), X, y)
    >>> bool(frac < 0.01)
    True
    """
    check_positive(eps, "eps")
    _, grad = mse_loss(net.forward(X), y)
    g = np.abs(net.backward(grad)[0][0])
    return float(np.mean(g / (g + eps)))


GRADIENT_NORMS_TEXT = {
    "zh": {"xlabel": "层 l"},
    "en": {"xlabel": "layer l"},
}


def plot_gradient_norms(norms_by_setting, lang="zh"):
    """Per-layer gradient norms at initialisation, one line per network, log scale.

    ``norms_by_setting`` maps a label to an array of shape (n_nets, L);
    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(GRADIENT_NORMS_TEXT, lang)
    colors = ["#c81e1e", "#1a56db", "#057a55"]
    fig, ax = new_figure(width=6.0, height=3.6)
    for color, (label, norms) in zip(colors, norms_by_setting.items()):
        layers = np.arange(1, norms.shape[1] + 1)
        for i, row in enumerate(norms):
            ax.plot(layers, row, "-", color=color, lw=1.2, alpha=0.8,
                    label=label if i == 0 else None)
    last = np.median(list(norms_by_setting.values())[0][:, -1])
    ax.plot(layers, last * 0.25 ** (layers[-1] - layers), "k:", lw=1.2,
            label=r"$\propto (1/4)^{L-l}$")
    ax.set(yscale="log", xlabel=text["xlabel"],
           ylabel=r"$\|\partial L/\partial W^{(l)}\|$", xticks=layers)
    ax.minorticks_off()
    ax.legend(fontsize=9)
    return fig


LR_SWEEP_TEXT = {
    "zh": {"steps": "步数", "loss": "平方误差损失", "diverged": "发散",
           "relu_he": "ReLU+He", "adam": "Adam", "layerwise": "逐层"},
    "en": {"steps": "steps", "loss": "squared-error loss", "diverged": "diverged",
           "relu_he": "ReLU+He", "adam": "Adam", "layerwise": "per-layer"},
}
LR_SWEEP_EXTRA = ("relu_he", "adam", "layerwise")


def plot_lr_sweep(out, lrs, reference, extra=None, lang="zh"):
    """Left: loss curves, one per learning rate (linear loss axis; runs that
    diverged leave the frame and are marked in the legend), plus the curves in
    ``extra`` in black. Right: relative change of W(1) (solid) and W(L) (dashed)
    during training, for the runs that did not diverge.

    ``extra`` maps (setting, lr) to losses, the setting one of ``"relu_he"``
    (ReLU + He, SGD), ``"adam"`` (Adam) and ``"layerwise"`` (per-layer rates);
    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(LR_SWEEP_TEXT, lang)
    unknown = [setting for setting, _ in (extra or {}) if setting not in LR_SWEEP_EXTRA]
    if unknown:
        raise ValueError(f"extra settings must be among {LR_SWEEP_EXTRA}, "
                         f"got {unknown}")
    fig, (ax_loss, ax_drift) = new_figure(ncols=2, width=9.0, height=3.6)
    steps = np.arange(1, out["loss"].shape[1] + 1)
    keep = np.unique(np.geomspace(1, len(steps), 30).astype(int)) - 1
    for r, lr in enumerate(lrs):
        color, loss = _sweep_color(r, len(lrs)), out["loss"][r]
        ok = np.isfinite(loss)
        # a diverged run is drawn up to its last finite loss, far above the frame
        shown = keep[ok[keep]] if ok.all() else np.flatnonzero(ok)
        ax_loss.plot(steps[shown], loss[shown], color=color,
                     label=f"{lr:g}" + ("" if ok.all() else f" {text['diverged']}"))
        if ok.all():
            ax_drift.plot(steps[keep], out["drift"][r, keep, 0], "-", color=color)
            ax_drift.plot(steps[keep], out["drift"][r, keep, -1], "--", color=color)
    styles = ("-", "--", "-.", ":")
    for ((setting, lr), loss), style in zip((extra or {}).items(), styles):
        ax_loss.plot(steps[keep], loss[keep], style, color="k", lw=1.2,
                     label=f"{text[setting]} {lr:g}")
    ax_loss.axhline(reference, color="0.4", lw=0.8, ls=":")
    ax_loss.set(xscale="log", ylim=(0.0, 2.0 * reference), xlabel=text["steps"],
                ylabel=text["loss"])
    ax_loss.legend(fontsize=7, ncol=2, loc="lower left", title="η", title_fontsize=8)
    ax_drift.set(xscale="log", yscale="log", xlabel=text["steps"],
                 ylabel=r"$\|W^{(l)}-W^{(l)}_0\| / \|W^{(l)}_0\|$")
    ax_drift.minorticks_off()
    ax_drift.plot([], [], "k-", label="l = 1")
    ax_drift.plot([], [], "k--", label="l = L")
    ax_drift.legend(fontsize=8)
    return fig


def _sweep_color(i, n):
    """The i-th of n colours, from dark blue (small rates) to dark red (large rates)."""
    palette = ["#1e3a8a", "#1d4ed8", "#0891b2", "#059669", "#ca8a04", "#dc2626",
               "#7f1d1d"]
    return palette[round(i * (len(palette) - 1) / max(n - 1, 1))]
