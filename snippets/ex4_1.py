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
from snippets.plotting import figure_text, new_figure
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


def random_teachers(k, rng, scale=1.5):
    """``k`` random teachers {"R1": (w, b), ...} with z of order 1 inside the square.

    w ~ N(0, scale^2 I) in 2-D and b = -w^T m + N(0, 1), m the centre of the
    square: z at the centre is standard normal, so the teachers neither all
    pass through the centre nor saturate on most of the square.

    Examples
    --------
    >>> sorted(random_teachers(2, np.random.default_rng(0)))
    ['R1', 'R2']
    """
    if not (isinstance(k, (int, np.integer)) and k >= 1):
        raise ValueError(f"k must be an integer >= 1, got {k!r}")
    w = check_positive(scale, "scale") * rng.normal(size=(k, 2))
    b = -w.sum(axis=1) * np.mean(INPUT_RANGE) + rng.normal(size=k)
    return {f"R{i + 1}": (tuple(w[i].tolist()), float(b[i])) for i in range(k)}


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


def in_step_cone(theta, X):
    """Whether theta = sum_i a_i (x_i, 1) with all a_i >= 0, or -theta is.

    A single-sample step is a multiple of (x_i, 1), of either sign. If theta*
    lies in one of these two cones, single steps of one sign can add up to it
    without cancelling. For 2-D inputs this holds exactly when b != 0 and
    w / b lies in the convex hull of the x_i: seen from w / b, the directions
    to the x_i then leave no angular gap of pi or more.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0]])
    >>> in_step_cone([0.5, 0.5, 1.0], X), in_step_cone([1.0, -1.0, 1.0], X)
    (True, False)
    """
    theta, X = as_float_array(theta, "theta", 1), as_float_array(X, "X", 2)
    if X.shape[1] != 2 or theta.shape != (3,):
        raise ValueError(f"need 2-D inputs X (n, 2) and theta (3,), got {X.shape}, "
                         f"{theta.shape}")
    if theta[-1] == 0:
        return False
    d = X - theta[:2] / theta[-1]
    if np.any(np.all(d == 0, axis=1)):
        return True
    angle = np.sort(np.arctan2(d[:, 1], d[:, 0]))
    return bool(np.max(np.diff(angle, append=angle[0] + 2 * np.pi)) < np.pi)


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
        Mini-batches, from ``minibatch_indices``; ``B = n`` is full-batch GD.

    Returns
    -------
    path : ndarray, shape (S, L, steps + 1, d)
        Parameters before every update and after the last one.
    losses : ndarray, shape (S, L, steps + 1)
        Full-data loss at every point of the path (as ``cross_entropy``).

    Each step computes z on every sample once: the loss needs all of them, the
    gradient only the mini-batch's (with B = n, all samples in their stored
    order, which is the same full-batch gradient as any shuffled order).
    """
    Xa, y = as_float_array(Xa, "Xa", 3), as_float_array(y, "y", 2)
    lrs = as_float_array(lrs, "lrs", 1)
    if y.shape != Xa.shape[:2] or idx.ndim != 3 or idx.shape[1] != Xa.shape[0]:
        raise ValueError(f"shapes do not fit: Xa {Xa.shape}, y {y.shape}, "
                         f"idx {idx.shape}; expected (S, n, d), (S, n), (steps, S, B)")
    (S, n, d), T, B = Xa.shape, len(idx), idx.shape[2]
    path, theta = np.zeros((S, len(lrs), T + 1, d)), np.zeros((S, len(lrs), d))
    losses, sets = np.zeros(path.shape[:-1]), np.arange(S)[:, None]
    yx = np.sum(y[..., None] * Xa, axis=1)[:, None, :]    # sum_i y_i z_i = theta . yx
    for t in range(T + 1):
        z = logits(theta, Xa)                          # (S, L, n): every sample
        e = np.exp(-np.abs(z))                         # softplus = max(z, 0) + log1p(e)
        losses[:, :, t] = (np.sum(np.maximum(z, 0.0) + np.log1p(e), axis=-1)
                           - np.sum(theta * yx, axis=-1)) / n
        if t == T:
            break
        if B < n:                                      # keep the mini-batch's samples
            z, e = (np.take_along_axis(a, idx[t][:, None, :], axis=-1) for a in (z, e))
        Xb, yb = (Xa, y) if B == n else (Xa[sets, idx[t]], y[sets, idx[t]])
        dz = np.where(z >= 0, 1.0, e) / (1.0 + e) - yb[:, None, :]   # sigma(z) - y
        theta = theta - lrs[:, None] * (dz @ Xb / B)
        path[:, :, t + 1] = theta
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
    """Index of the best learning rate; (S, L) -> int.

    The best rate reaches the threshold on the most data sets (on all of them
    if any rate does) and, among those, has the smallest median. A rate that
    diverges on some data sets is not a usable fixed rate, however fast the rest.

    Examples
    --------
    >>> best_rate(np.array([[9.0, 4.0, np.inf], [8.0, 5.0, 3.0], [9.0, 6.0, np.inf]]))
    1
    >>> best_rate(np.array([[9.0, 4.0], [8.0, np.inf], [9.0, 3.0]]))
    0
    """
    steps = np.asarray(steps, dtype=float)
    if steps.ndim != 2 or np.any(np.isnan(steps)):
        raise ValueError(f"steps must be a 2-D array (seeds, rates) without NaN, got "
                         f"shape {steps.shape}")
    missed = np.sum(np.isinf(steps), axis=0)
    return int(np.lexsort((np.median(steps, axis=0), missed))[0])


def compare_teachers(X, teachers, batch_size, lrs, steps, rng, tol=1e-4):
    """``compare_inputs`` for several teachers on the same data sets and mini-batches.

    Parameters
    ----------
    X : ndarray, shape (S, n, D)
        One data set of positive inputs per seed, shared by every teacher.
    teachers : dict
        ``{name: (w, b)}``; each teacher gives the soft labels sigma(w^T x + b).
    batch_size, lrs, steps, rng, tol
        As for ``compare_inputs``; one mini-batch order serves every teacher.

    Returns
    -------
    dict
        ``{name: {"positive": run, "centred": run}}`` with runs as in
        ``compare_inputs``, plus ``teacher`` = (w, b) in each run.
    """
    X = as_float_array(X, "X", 3)
    if not isinstance(teachers, dict) or not teachers:
        raise ValueError(f"teachers must be a non-empty dict name -> (w, b), got "
                         f"{teachers!r}")
    S, k = X.shape[0], len(teachers)
    y = np.concatenate([[teacher_targets(x, w, b) for x in X]
                        for w, b in teachers.values()])
    idx = np.tile(minibatch_indices(S, X.shape[1], batch_size, steps, rng), (1, k, 1))
    out = {name: {} for name in teachers}
    for key, centre in (("positive", False), ("centred", True)):
        Xa = design_matrix(np.tile(X, (k, 1, 1)), centre)
        star = np.stack([teacher_parameters(x, centre, w, b)
                         for w, b in teachers.values() for x in X])[:, None, :]
        path, losses = train_runs(Xa, y, lrs, idx)
        hits = steps_to_threshold(losses - cross_entropy(star, Xa, y)[..., None], tol)
        for j, (name, teacher) in enumerate(teachers.items()):
            part = slice(j * S, (j + 1) * S)
            out[name][key] = {"steps": hits[part], "best": best_rate(hits[part]),
                              "path": path[part], "X": X, "teacher": teacher}
    return out


def compare_inputs(X, batch_size, lrs, steps, rng, tol=1e-4):
    """Train on positive inputs and on the same inputs centred, for all seeds and rates.

    Parameters
    ----------
    X : ndarray, shape (S, n, D)
        One data set of positive inputs per seed; targets come from the teacher
        (``TEACHER_W``, ``TEACHER_B``).
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
        ``best`` the index of the best rate, ``path`` (S, L, steps + 1, D + 1),
        ``X`` and ``teacher``.
    """
    teachers = {"page": (TEACHER_W, TEACHER_B)}
    return compare_teachers(X, teachers, batch_size, lrs, steps, rng, tol)["page"]


def gain_split(res):
    """Split the gain of centring at the learning rate that is best for x > 0.

    Parameters
    ----------
    res : dict
        One result of ``compare_inputs`` or one teacher of ``compare_teachers``.

    Returns
    -------
    dict
        Median steps ``positive`` (at its best rate), ``same_lr`` (centred at that
        rate) and ``centred`` (at its own best rate); ``same_lr_gain`` =
        positive / same_lr and ``larger_lr_gain`` = same_lr / centred, whose
        product is the whole gain; ``ratio`` (S,), the paired positive / centred
        steps per data set, each at its own best rate.
    """
    pos, cen = res["positive"], res["centred"]
    p, c = pos["steps"][:, pos["best"]], cen["steps"][:, cen["best"]]
    med = [float(np.median(s)) for s in (p, cen["steps"][:, pos["best"]], c)]
    return {"positive": med[0], "same_lr": med[1], "centred": med[2],
            "same_lr_gain": med[0] / med[1], "larger_lr_gain": med[1] / med[2],
            "ratio": p / c}


def hessian_at_optimum(X, centre=False, w=TEACHER_W, b=TEACHER_B):
    """Hessian of the loss at theta* for the teacher (w, b), shape (D + 1, D + 1).

    Examples
    --------
    >>> X = np.array([[1.0, 1.0], [3.0, 1.0], [1.0, 3.0], [3.0, 3.0]])
    >>> hessian_at_optimum(X, True, (0.0, 0.0), 0.0).tolist()
    [[0.25, 0.0, 0.0], [0.0, 0.25, 0.0], [0.0, 0.0, 0.25]]
    """
    X = as_float_array(X, "X", 2)
    return hessian(teacher_parameters(X, centre, w, b), design_matrix(X, centre))


def hessian_components(X, centre=False, w=TEACHER_W, b=TEACHER_B):
    """Eigenvalues of the Hessian at theta* and the size of theta* along each.

    Gradient descent starts at theta = 0, so the error theta - theta* has the
    components |u_i^T theta*| along the unit eigenvectors u_i (sign-free).

    Returns
    -------
    eigenvalues, components : ndarray, shape (D + 1,) each, eigenvalues ascending

    Examples
    --------
    >>> X = np.array([[1.0, 1.0], [3.0, 1.0], [1.0, 3.0], [3.0, 3.0]])
    >>> lam, alpha = hessian_components(X, w=(1.0, 1.0), b=-4.0)
    >>> lam.round(4).tolist(), alpha.round(4).tolist()
    ([0.011, 0.25, 1.6914], [4.2418, 0.0, 0.0833])
    """
    star = teacher_parameters(X, centre, w, b)
    eig, vec = np.linalg.eigh(hessian_at_optimum(X, centre, w, b))
    return eig, np.abs(vec.T @ star)


def slowest_direction(X, w=TEACHER_W, b=TEACHER_B):
    """Slowest eigenvector u_1 of the Hessian at theta* (x > 0) and its angle to b.

    Returns
    -------
    u : ndarray, shape (D + 1,)
        Unit eigenvector of the smallest eigenvalue, sign fixed so that u_b > 0.
    angle : float
        Angle between u and the bias axis e_b, in degrees.

    Examples
    --------
    >>> X = np.array([[1.0, 1.0], [3.0, 1.0], [1.0, 3.0], [3.0, 3.0]])
    >>> u, angle = slowest_direction(X, (0.0, 0.0), 0.0)
    >>> u.round(3).tolist(), round(angle, 1)
    ([-0.214, -0.214, 0.953], 17.6)
    """
    u = np.linalg.eigh(hessian_at_optimum(X, False, w, b))[1][:, 0]
    u = u * np.sign(u[-1])
    return u, float(np.degrees(np.arccos(min(u[-1], 1.0))))


def quadratic_model_steps(X, lr, centre=False, w=TEACHER_W, b=TEACHER_B, tol=1e-4,
                          max_steps=5000):
    """Full-batch GD steps from theta = 0 predicted by the quadratic model at theta*.

    The model replaces the loss by L* + (theta - theta*)^T H (theta - theta*) / 2,
    H the Hessian at theta*. Along eigenvector i the error shrinks by the factor
    1 - lr lambda_i per step, so after t steps the excess loss is
    sum_i lambda_i alpha_i^2 (1 - lr lambda_i)^(2 t) / 2 (``hessian_components``).
    Returns inf if the model never gets there (lr >= 2 / lambda_max diverges).

    Examples
    --------
    >>> X = np.array([[1.0, 1.0], [3.0, 1.0], [1.0, 3.0], [3.0, 3.0]])
    >>> [quadratic_model_steps(X, 1.0, c, (1.0, 1.0), -4.0) for c in (False, True)]
    [312.0, 32.0]
    """
    lr = check_positive(lr, "lr")
    lam, alpha = hessian_components(X, centre, w, b)
    if lr * lam[-1] >= 2:
        return np.inf
    t = np.arange(max_steps + 1)[:, None]
    excess = 0.5 * np.sum(lam * alpha**2 * (1 - lr * lam) ** (2 * t), axis=1)
    return float(steps_to_threshold(excess, tol))


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
        ``hessian`` (eigenvalues, ascending), ``cond_moment``, ``cond_hessian``,
        ``cond_hessian_w`` (the Hessian's w-block: the curvature seen with the
        bias held fixed), and ``top`` and ``bottom``, the unit eigenvectors of
        E[x~ x~^T] with the largest and the smallest eigenvalue (signs fixed: the
        components of ``top`` sum to > 0, the largest entry of ``bottom`` is > 0),
        and ``hessian_wb``, the Hessian's bias-weight entries H[:-1, -1].
    """
    y = teacher_targets(X)
    out = {}
    for name, centre in (("positive", False), ("centred", True)):
        Xa = design_matrix(X, centre)
        M = Xa.T @ Xa / len(Xa)
        H = hessian(teacher_parameters(X, centre), Xa)
        eig, vec = np.linalg.eigh(M)
        top = vec[:, -1] * np.sign(vec[:, -1].sum())
        bottom = vec[:, 0] * np.sign(vec[np.argmax(np.abs(vec[:, 0])), 0])
        out[name] = {"moment": eig, "hessian": np.linalg.eigvalsh(H), "top": top,
                     "bottom": bottom,
                     "cond_moment": condition_number(M),
                     "cond_hessian": condition_number(H),
                     "cond_hessian_w": condition_number(H[:-1, :-1]),
                     "hessian_wb": H[:-1, -1]}
    return out


TRAJECTORIES_TEXT = {
    "zh": {"title_positive": "输入 $x > 0$",
           "title_centred": r"输入 $x - \bar{x}$"},
    "en": {"title_positive": "inputs $x > 0$",
           "title_centred": r"inputs $x - \bar{x}$"},
}


def plot_trajectories(gd, sgd, seed=0, grid=21, lang="zh"):
    """Paths of (w1, w2) for positive (left) and centred (right) inputs, over contours.

    ``gd`` and ``sgd`` are results of ``compare_inputs`` with full batches and
    with single samples; each path is drawn at its case's best learning rate up
    to the step where it reached the loss threshold. The contours are the loss
    as a function of w with the bias held at its optimum (b* on the left, c* on
    the right): a slice through the optimum of each parameterisation, which
    shows only the w-block of the Hessian (see ``curvature_summary``).
    ``lang`` is the language of the figure's text (``"zh"`` or ``"en"``).
    """
    text = figure_text(TRAJECTORIES_TEXT, lang)
    X = gd["positive"]["X"][seed]
    w_star, b_star = gd["positive"]["teacher"]
    y = teacher_targets(X, w_star, b_star)
    paths = {(name, key): res[name]["path"][seed, res[name]["best"]]
             for key, res in (("gd", gd), ("sgd", sgd))
             for name in ("positive", "centred")}
    corners = np.concatenate([p[:, :2] for p in paths.values()])
    lo, hi = corners.min(axis=0) - 0.3, corners.max(axis=0) + 0.3
    G1, G2 = np.meshgrid(np.linspace(lo[0], hi[0], grid),
                         np.linspace(lo[1], hi[1], grid))
    fig, axes = new_figure(ncols=2, width=8.4, height=4.4)
    titles = (text["title_positive"], text["title_centred"])
    for ax, name, title in zip(axes, ("positive", "centred"), titles):
        star = teacher_parameters(X, name == "centred", w_star, b_star)
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
        ax.plot(*star[:2], "k*", ms=11, label="$w^*$")
        ax.plot(0, 0, "ko", ms=4)
        ax.set(title=title, xlabel="$w_1$", aspect="equal", xlim=(lo[0], hi[0]),
               ylim=(lo[1], hi[1]), xticks=np.arange(np.ceil(lo[0]), hi[0], 1.0),
               yticks=np.arange(np.ceil(lo[1]), hi[1], 1.0))
        ax.grid(False)
        ax.legend(fontsize=8, loc="lower left")
    axes[0].set_ylabel("$w_2$")
    axes[1].tick_params(labelleft=False)
    return fig
