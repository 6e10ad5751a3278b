"""Exercise 4-1: a sigmoid neuron learns slower from all-positive inputs than from
the same inputs centred.

The neuron is sigma(w^T x + b) trained with the cross-entropy loss (logistic
regression). Centring is an exact reparameterisation: w^T (x - mu) + c equals
w^T x + b with b = c - w^T mu, so both versions can represent exactly the same
functions and start from the same one; only the path gradient descent takes
differs. Parameters are stored as theta = (w_1, ..., w_D, b), inputs as rows
of a design matrix with a trailing column of ones.
"""

import numpy as np

from snippets.activations import sigmoid
from snippets.plotting import new_figure
from snippets.validation import as_float_array, check_positive

TEACHER_W = (2.0, -1.5)   # the optimum lies in the mixed-sign quadrant w1 > 0 > w2
INPUT_RANGE = (0.5, 2.5)  # inputs are uniform on this square: always > 0
TEACHER_B = -0.75         # -w*^T (1.5, 1.5): z = 0 at the centre of the square


def positive_inputs(n, rng, dim=2, low=INPUT_RANGE[0], high=INPUT_RANGE[1]):
    """``n`` inputs drawn uniformly from the cube [low, high]^dim, low > 0.

    Returns
    -------
    X : ndarray, shape (n, dim)

    Examples
    --------
    >>> X = positive_inputs(5, np.random.default_rng(0))
    >>> X.shape, bool(X.min() > 0)
    ((5, 2), True)
    """
    if not (isinstance(n, (int, np.integer)) and n >= 2):
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    if not 0 < check_positive(low, "low") < high:
        raise ValueError(f"need 0 < low < high for positive inputs, got low={low!r}, "
                         f"high={high!r}")
    return rng.uniform(low, high, size=(n, dim))


def teacher_targets(X, w=TEACHER_W, b=TEACHER_B):
    """Soft labels y = sigma(w^T x + b) of a teacher neuron, shape (n,).

    With these targets the cross-entropy is minimised exactly at the teacher's
    parameters, and there every per-sample gradient is zero as well.

    Examples
    --------
    >>> teacher_targets(np.array([[1.5, 1.5], [2.0, 1.0]])).round(4).tolist()
    [0.5, 0.852]
    """
    X = as_float_array(X, "X", 2)
    w = as_float_array(w, "w", 1)
    if X.shape[1] != w.size:
        raise ValueError(f"X must have {w.size} columns for w, got shape {X.shape}")
    return sigmoid(X @ w + b)


def design_matrix(X, centre=False):
    """Rows (x, 1), or (x - mean(x), 1) with ``centre=True``; shape (..., n, D + 1).

    ``X`` may carry leading axes (e.g. one data set per seed); the mean is over
    the samples of each data set.

    Examples
    --------
    >>> design_matrix(np.array([[1.0, 2.0], [3.0, 2.0]]), centre=True).tolist()
    [[-1.0, 0.0, 1.0], [1.0, 0.0, 1.0]]
    """
    X = as_float_array(X, "X")
    if X.ndim < 2:
        raise ValueError(f"X must have shape (..., n, D), got {X.shape}")
    if centre:
        X = X - X.mean(axis=-2, keepdims=True)
    return np.concatenate([X, np.ones(X.shape[:-1] + (1,))], axis=-1)


def teacher_parameters(X, centre=False, w=TEACHER_W, b=TEACHER_B):
    """The optimum theta* = (w*, b*) in either parameterisation, shape (D + 1,).

    For centred inputs the same function is w*^T (x - mu) + c* with
    c* = b* + w*^T mu: the weights are identical, only the bias moves.

    Examples
    --------
    >>> X = np.array([[1.0, 1.0], [3.0, 1.0]])
    >>> teacher_parameters(X).tolist(), teacher_parameters(X, centre=True).tolist()
    ([2.0, -1.5, -0.75], [2.0, -1.5, 1.75])
    """
    X = as_float_array(X, "X", 2)
    w = as_float_array(w, "w", 1)
    c = b + (w @ X.mean(axis=0) if centre else 0.0)
    return np.append(w, c)


def uncentred_parameters(theta_c, X):
    """Map centred parameters (w, c) to the equivalent (w, c - w^T mu).

    Examples
    --------
    >>> X = np.array([[1.0, 1.0], [2.0, 3.0]])
    >>> uncentred_parameters(np.array([2.0, -1.5, 0.0]), X).tolist()
    [2.0, -1.5, 0.0]
    """
    theta_c = as_float_array(theta_c, "theta_c")
    mu = as_float_array(X, "X", 2).mean(axis=0)
    if theta_c.shape[-1] != mu.size + 1:
        raise ValueError(f"theta_c must end in {mu.size + 1} entries, got shape "
                         f"{theta_c.shape}")
    w = theta_c[..., :-1]
    return np.concatenate([w, theta_c[..., -1:] - w @ mu[:, None]], axis=-1)


def logits(theta, Xa):
    """z = theta^T x~ for every row of ``Xa``: (..., k, d), (..., n, d) -> (..., k, n).

    Examples
    --------
    >>> logits(np.array([[1.0, -1.0, 0.5]]), np.array([[2.0, 1.0, 1.0]])).tolist()
    [[1.5]]
    """
    return theta @ np.swapaxes(Xa, -1, -2)


def cross_entropy(theta, Xa, y):
    """Mean cross-entropy of soft labels y in [0, 1]: mean(softplus(z) - y z).

    Parameters
    ----------
    theta : ndarray, shape (..., k, d)
        ``k`` parameter vectors (e.g. one per learning rate).
    Xa : ndarray, shape (..., n, d)
        Design matrix (see ``design_matrix``).
    y : ndarray, shape (..., n)

    Returns
    -------
    loss : ndarray, shape (..., k)

    Examples
    --------
    >>> Xa = design_matrix(np.array([[1.0], [2.0]]))
    >>> cross_entropy(np.zeros((1, 2)), Xa, np.array([0.0, 1.0])).round(4).tolist()
    [0.6931]
    """
    z = logits(theta, Xa)
    softplus = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
    return np.mean(softplus - y[..., None, :] * z, axis=-1)


def cross_entropy_grad(theta, Xa, y):
    """Gradient (1/n) sum_i (sigma(z_i) - y_i) x~_i, shape (..., k, d).

    Each term is the scalar dL/dz_i times the input row: for inputs > 0 all
    components of one term share the sign of dL/dz_i.

    Examples
    --------
    >>> Xa = design_matrix(np.array([[1.0], [2.0]]))
    >>> cross_entropy_grad(np.zeros((1, 2)), Xa, np.array([0.0, 1.0])).tolist()
    [[-0.25, 0.0]]
    """
    dz = sigmoid(logits(theta, Xa)) - y[..., None, :]
    return dz @ Xa / Xa.shape[-2]


def hessian(theta, Xa):
    """Hessian (1/n) sum_i sigma'(z_i) x~_i x~_i^T of the loss at one theta, (d, d).

    Examples
    --------
    >>> Xa = design_matrix(np.array([[1.0], [-1.0]]))
    >>> hessian(np.zeros(2), Xa).tolist()
    [[0.25, 0.0], [0.0, 0.25]]
    """
    z = Xa @ as_float_array(theta, "theta", 1)
    s = sigmoid(z) * sigmoid(-z)
    return (Xa * s[:, None]).T @ Xa / len(Xa)


def condition_number(A):
    """Largest over smallest eigenvalue of a symmetric positive definite matrix.

    Examples
    --------
    >>> condition_number(np.diag([4.0, 1.0]))
    4.0
    """
    eig = np.linalg.eigvalsh(as_float_array(A, "A", 2))
    if eig[0] <= 0:
        raise ValueError(f"A must be positive definite, its smallest eigenvalue is "
                         f"{eig[0]:.3g}")
    return float(eig[-1] / eig[0])


def per_sample_gradients(theta, Xa, y):
    """Gradient of each sample's loss, (sigma(z_i) - y_i) x~_i, shape (n, d).

    Examples
    --------
    >>> Xa = design_matrix(np.array([[1.0, 2.0], [3.0, 1.0]]))
    >>> per_sample_gradients(np.zeros(3), Xa, np.array([1.0, 0.0])).tolist()
    [[-0.5, -1.0, -0.5], [1.5, 0.5, 0.5]]
    """
    Xa, y = as_float_array(Xa, "Xa", 2), as_float_array(y, "y", 1)
    theta = as_float_array(theta, "theta", 1)
    if theta.shape != (Xa.shape[1],) or y.shape != (Xa.shape[0],):
        raise ValueError(f"shapes do not fit: theta {theta.shape}, Xa {Xa.shape}, "
                         f"y {y.shape}")
    return (sigmoid(Xa @ theta) - y)[:, None] * Xa


def orthants_used(G):
    """Number of distinct sign patterns (orthants) among the rows of ``G``.

    Examples
    --------
    >>> orthants_used(np.array([[1.0, 2.0], [-1.0, -3.0], [2.0, 5.0]]))
    2
    """
    G = as_float_array(G, "G", 2)
    return len(np.unique(np.sign(G), axis=0))


def minibatch_indices(n_sets, n, batch_size, steps, rng):
    """Sample indices of every update: shuffled epochs cut into mini-batches.

    Returns
    -------
    idx : ndarray of int, shape (steps, n_sets, batch_size)
        One independent shuffle per data set and epoch; ``batch_size = n`` is
        full-batch gradient descent.

    Examples
    --------
    >>> minibatch_indices(1, 4, 2, 2, np.random.default_rng(0)).shape
    (2, 1, 2)
    """
    if not (isinstance(batch_size, (int, np.integer)) and 1 <= batch_size <= n
            and n % batch_size == 0):
        raise ValueError(f"batch_size must divide n = {n}, got {batch_size!r}")
    per_epoch = n // batch_size
    epochs = -(-steps // per_epoch)
    order = np.argsort(rng.random((n_sets, epochs, n)), axis=-1)
    idx = order.reshape(n_sets, epochs * per_epoch, batch_size)[:, :steps]
    return np.ascontiguousarray(np.moveaxis(idx, 1, 0))


def train_runs(Xa, y, lrs, idx):
    """Gradient descent from theta = 0 for every data set and learning rate at once.

    Parameters
    ----------
    Xa : ndarray, shape (S, n, d)
        One design matrix per data set (seed).
    y : ndarray, shape (S, n)
    lrs : ndarray, shape (L,)
    idx : ndarray of int, shape (steps, S, B)
        Mini-batches, from ``minibatch_indices``.

    Returns
    -------
    path : ndarray, shape (S, L, steps + 1, d)
        Parameters before every update and after the last one.
    losses : ndarray, shape (S, L, steps + 1)
        Full-data loss at every point of the path.
    """
    Xa, y = as_float_array(Xa, "Xa", 3), as_float_array(y, "y", 2)
    lrs = as_float_array(lrs, "lrs", 1)
    if y.shape != Xa.shape[:2] or idx.ndim != 3 or idx.shape[1] != Xa.shape[0]:
        raise ValueError(f"shapes do not fit: Xa {Xa.shape}, y {y.shape}, "
                         f"idx {idx.shape}; expected (S, n, d), (S, n), (steps, S, B)")
    S, _, d = Xa.shape
    path = np.zeros((S, len(lrs), len(idx) + 1, d))
    theta = np.zeros((S, len(lrs), d))
    sets = np.arange(S)[:, None]
    for t, batch in enumerate(idx):
        grad = cross_entropy_grad(theta, Xa[sets, batch], y[sets, batch])
        theta -= lrs[:, None] * grad
        path[:, :, t + 1] = theta
    losses = np.stack([cross_entropy(path[:, :, t], Xa, y)
                       for t in range(path.shape[2])], axis=-1)
    return path, losses


def steps_to_threshold(excess, tol):
    """First step at which the excess loss L - L* is <= ``tol`` (inf if never).

    Examples
    --------
    >>> excess = np.array([[1.0, 0.1, 0.001], [1.0, 2.0, 3.0]])
    >>> steps_to_threshold(excess, 0.01).tolist()
    [2.0, inf]
    """
    excess = as_float_array(excess, "excess")
    tol = check_positive(tol, "tol")
    hit = excess <= tol
    return np.where(hit.any(axis=-1), np.argmax(hit, axis=-1), np.inf).astype(float)


def same_sign_share(path, until=None):
    """Share of updates of w (bias excluded) whose components are all > 0 or all < 0.

    Parameters
    ----------
    path : ndarray, shape (T + 1, d)
        One run's parameters; the last entry is the bias.
    until : int, optional
        Count only the first ``until`` updates.

    Examples
    --------
    >>> same_sign_share(np.array([[0.0, 0, 0], [1, 2, 0], [0, 1, 0], [1, 0, 0]]))
    0.6666666666666666
    """
    dw = np.diff(as_float_array(path, "path", 2)[:, :-1], axis=0)[:until]
    same = np.all(dw > 0, axis=1) | np.all(dw < 0, axis=1)
    return float(same.mean())


def best_rate(steps):
    """Index of the learning rate whose median over seeds is smallest; (S, L) -> int.

    Examples
    --------
    >>> best_rate(np.array([[9.0, 4.0, np.inf], [8.0, 5.0, 3.0], [9.0, 6.0, np.inf]]))
    1
    """
    steps = np.asarray(steps, dtype=float)
    if steps.ndim != 2 or np.any(np.isnan(steps)):
        raise ValueError(f"steps must be a 2-D array (seeds, rates) without NaN, got "
                         f"shape {steps.shape}")
    return int(np.argmin(np.median(steps, axis=0)))


def compare_inputs(X, batch_size, lrs, steps, rng, tol=1e-4):
    """Train on positive inputs and on the same inputs centred, for all seeds and rates.

    Parameters
    ----------
    X : ndarray, shape (S, n, D)
        One data set of positive inputs per seed; targets come from the teacher.
    batch_size : int
        Samples per update; ``n`` gives full-batch gradient descent.
    lrs : ndarray, shape (L,)
    steps : int
        Number of updates.
    rng : numpy.random.Generator
        Draws the mini-batch order, shared by both versions.
    tol : float
        Threshold on the excess loss L - L*.

    Returns
    -------
    dict
        ``{"positive": run, "centred": run}``; each run is a dict with
        ``steps`` (S, L) updates until the excess loss is <= tol (inf if never),
        ``best`` the index of the best rate, ``path`` (S, L, steps + 1, D + 1)
        and ``X``.
    """
    X = as_float_array(X, "X", 3)
    y = np.stack([teacher_targets(x) for x in X])
    idx = minibatch_indices(X.shape[0], X.shape[1], batch_size, steps, rng)
    runs = {}
    for name, centre in (("positive", False), ("centred", True)):
        Xa = design_matrix(X, centre)
        star = np.stack([teacher_parameters(x, centre) for x in X])[:, None, :]
        path, losses = train_runs(Xa, y, lrs, idx)
        hits = steps_to_threshold(losses - cross_entropy(star, Xa, y)[..., None], tol)
        runs[name] = {"steps": hits, "best": best_rate(hits), "path": path, "X": X}
    return runs


def run_shares(run):
    """Same-sign share of every seed's run at the best rate, up to its threshold step.

    Returns
    -------
    ndarray, shape (S,)
    """
    best = run["best"]
    return np.array([same_sign_share(path, None if np.isinf(hit) else int(hit))
                     for path, hit in zip(run["path"][:, best], run["steps"][:, best])])


def population_moment(dim, mean, var, centre=False):
    """E[x~ x~^T] for inputs with equal means ``mean``, variances ``var``, uncorrelated.

    Returns the (dim + 1, dim + 1) matrix
    [[var I + mean^2 1 1^T, mean 1], [mean 1^T, 1]] (mean 0 with ``centre=True``).
    Its condition number is about (1 + var + dim mean^2)^2 / var.

    Examples
    --------
    >>> population_moment(1, 2.0, 1.0).tolist()
    [[5.0, 2.0], [2.0, 1.0]]
    """
    var = check_positive(var, "var")
    m = 0.0 if centre else float(mean)
    top = np.column_stack([var * np.eye(dim) + m * m, np.full(dim, m)])
    return np.vstack([top, np.append(np.full(dim, m), 1.0)])


def curvature_summary(X):
    """Eigenvalues and condition numbers of E[x~ x~^T] and of the Hessian at theta*.

    Returns
    -------
    dict
        ``{"positive": ..., "centred": ...}``, each a dict with ``moment`` and
        ``hessian`` (eigenvalues, ascending), ``cond_moment``, ``cond_hessian``
        and ``top``, the unit eigenvector of E[x~ x~^T] with the largest eigenvalue.
    """
    y = teacher_targets(X)
    out = {}
    for name, centre in (("positive", False), ("centred", True)):
        Xa = design_matrix(X, centre)
        M = Xa.T @ Xa / len(Xa)
        H = hessian(teacher_parameters(X, centre), Xa)
        eig, vec = np.linalg.eigh(M)
        top = vec[:, -1] * np.sign(vec[:, -1].sum())
        out[name] = {"moment": eig, "hessian": np.linalg.eigvalsh(H), "top": top,
                     "cond_moment": condition_number(M),
                     "cond_hessian": condition_number(H)}
    return out


def plot_trajectories(gd, sgd, seed=0, grid=21):
    """Paths of (w1, w2) for positive (left) and centred (right) inputs, over contours.

    ``gd`` and ``sgd`` are results of ``compare_inputs`` with full batches and
    with single samples; each path is drawn at its case's best learning rate up
    to the step where it reached the loss threshold. The contours are the loss
    as a function of w with the bias held at its optimum (b* on the left, c* on
    the right): a slice through the optimum of each parameterisation.
    """
    X = gd["positive"]["X"][seed]
    y = teacher_targets(X)
    paths = {(name, key): res[name]["path"][seed, res[name]["best"]]
             for key, res in (("gd", gd), ("sgd", sgd))
             for name in ("positive", "centred")}
    corners = np.concatenate([p[:, :2] for p in paths.values()])
    lo, hi = corners.min(axis=0) - 0.3, corners.max(axis=0) + 0.3
    G1, G2 = np.meshgrid(np.linspace(lo[0], hi[0], grid),
                         np.linspace(lo[1], hi[1], grid))
    fig, axes = new_figure(ncols=2, width=8.4, height=4.4)
    titles = ("输入 $x > 0$", r"输入 $x - \bar{x}$")
    for ax, name, title in zip(axes, ("positive", "centred"), titles):
        star = teacher_parameters(X, centre=name == "centred")
        Xa = design_matrix(X, centre=name == "centred")
        theta = np.column_stack([G1.ravel(), G2.ravel(), np.full(G1.size, star[-1])])
        L = cross_entropy(theta, Xa, y).reshape(G1.shape)
        ax.contour(G1, G2, L, levels=np.min(L) + np.geomspace(3e-3, np.ptp(L), 7),
                   colors="0.65", linewidths=0.7)
        for key, res, color, label in (("sgd", sgd, "#c81e1e", "SGD"),
                                       ("gd", gd, "#1a56db", "GD")):
            run = res[name]
            hit = run["steps"][seed, run["best"]]
            w = paths[name, key][:int(hit) + 1 if np.isfinite(hit) else None, :2]
            ax.plot(w[:, 0], w[:, 1], "-", color=color, lw=0.9, label=label)
        ax.plot(*TEACHER_W, "k*", ms=11, label="$w^*$")
        ax.plot(0, 0, "ko", ms=4)
        ax.set(title=title, xlabel="$w_1$", aspect="equal", xlim=(lo[0], hi[0]),
               ylim=(lo[1], hi[1]), xticks=np.arange(np.ceil(lo[0]), hi[0], 1.0),
               yticks=np.arange(np.ceil(lo[1]), hi[1], 1.0))
        ax.grid(False)
        ax.legend(fontsize=8, loc="lower left")
    axes[0].set_ylabel("$w_2$")
    axes[1].tick_params(labelleft=False)
    return fig
