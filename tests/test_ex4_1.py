"""Claims of page 4-1 (positive inputs vs zero-mean inputs for a sigmoid neuron)."""

import numpy as np
import pytest

from snippets.ex4_1 import (compare_inputs, condition_number, cross_entropy,
                            cross_entropy_grad, curvature_summary, design_matrix,
                            hessian, logits, minibatch_indices, orthants_used,
                            per_sample_gradients, population_moment, positive_inputs,
                            run_shares, same_sign_share, steps_to_threshold,
                            teacher_parameters, teacher_targets, train_runs,
                            uncentred_parameters)

SEEDS = list(range(10))
LRS = 2.0 ** np.arange(-1.0, 4.01, 0.5)


@pytest.fixture(scope="module")
def experiment():
    """The page's experiment for two independent groups of 10 data sets."""
    out = []
    for seed in (0, 1):
        rng = np.random.default_rng(100 + seed)
        data = np.stack([positive_inputs(100, rng) for _ in range(10)])
        out.append({B: compare_inputs(data, B, LRS, 400, rng) for B in (1, 10, 100)})
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_centring_is_an_exact_reparameterisation(seed):
    rng = np.random.default_rng(seed)
    X = positive_inputs(50, rng)
    theta_c = rng.normal(size=(4, 3))
    z_c = logits(theta_c, design_matrix(X, centre=True))
    z = logits(uncentred_parameters(theta_c, X), design_matrix(X))
    np.testing.assert_allclose(z_c, z, rtol=1e-12, atol=1e-12)
    # the optimum has the same weights in both parameterisations
    np.testing.assert_array_equal(teacher_parameters(X)[:2],
                                  teacher_parameters(X, centre=True)[:2])


@pytest.mark.parametrize("centre", [False, True])
def test_teacher_parameters_are_the_optimum(centre):
    X = positive_inputs(100, np.random.default_rng(0))
    y, Xa = teacher_targets(X), design_matrix(X, centre)
    star = teacher_parameters(X, centre)
    assert np.max(np.abs(per_sample_gradients(star, Xa, y))) < 1e-15
    H = hessian(star, Xa)
    assert np.linalg.eigvalsh(H)[0] > 0                         # strictly convex
    rng = np.random.default_rng(1)
    others = star + 0.1 * rng.normal(size=(50, 3))
    assert np.all(cross_entropy(others, Xa, y) > cross_entropy(star[None], Xa, y))


def test_gradient_matches_central_differences():
    rng = np.random.default_rng(0)
    X = positive_inputs(30, rng)
    Xa, y = design_matrix(X), teacher_targets(X)
    theta = rng.normal(size=(1, 3))
    g = cross_entropy_grad(theta, Xa, y)[0]
    h = 1e-6
    num = [(cross_entropy(theta + h * e, Xa, y)[0]
            - cross_entropy(theta - h * e, Xa, y)[0]) / (2 * h) for e in np.eye(3)]
    np.testing.assert_allclose(g, num, rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("dim", [2, 5, 10])
def test_single_sample_gradients_of_positive_inputs_share_one_sign(seed, dim):
    """dL/dw = (dL/dz) x: with x > 0 every component has the sign of dL/dz."""
    rng = np.random.default_rng(seed)
    X = positive_inputs(500, rng, dim=dim)
    w = rng.normal(size=dim)
    y = teacher_targets(X, w, -1.5 * w.sum())
    theta = rng.normal(size=dim + 1)                      # any point, not just 0
    G = per_sample_gradients(theta, design_matrix(X), y)
    assert np.all(G != 0)
    assert np.all((G > 0).all(axis=1) | (G < 0).all(axis=1))      # bias included
    assert orthants_used(G[:, :dim]) <= 2
    Gc = per_sample_gradients(theta, design_matrix(X, centre=True), y)[:, :dim]
    same = np.mean((Gc > 0).all(axis=1) | (Gc < 0).all(axis=1))
    assert same < 0.75 if dim == 2 else same < 0.2
    assert orthants_used(Gc) > 2 ** min(dim, 8) / 4


@pytest.mark.parametrize("seed", SEEDS)
def test_positive_inputs_are_ill_conditioned(seed):
    X = positive_inputs(100, np.random.default_rng(seed))
    s = curvature_summary(X)
    assert s["positive"]["cond_moment"] > 20 * s["centred"]["cond_moment"]
    assert s["positive"]["cond_hessian"] > 10 * s["centred"]["cond_hessian"]
    assert s["centred"]["cond_moment"] < 5
    # the stiff direction is the mean direction (x_bar, 1): all components one sign
    top = s["positive"]["top"]
    mean_dir = np.append(X.mean(axis=0), 1.0)
    assert np.all(top > 0)
    assert top @ mean_dir / np.linalg.norm(mean_dir) > 0.99


@pytest.mark.parametrize("dim, m, v", [(2, 1.5, 1 / 3), (2, 0.5, 1 / 12), (5, 1.0, 0.5),
                                       (10, 2.0, 0.25)])
def test_eigenvalues_of_the_population_moment(dim, m, v):
    """Eigenvalues v (dim - 1 times) and a pair with sum 1 + v + dim m^2, product v."""
    eig = np.linalg.eigvalsh(population_moment(dim, m, v))
    pair = np.array([eig[0], eig[-1]])
    np.testing.assert_allclose(eig[1:-1], v, rtol=1e-12)
    assert pair.sum() == pytest.approx(1 + v + dim * m * m, rel=1e-12)
    assert pair.prod() == pytest.approx(v, rel=1e-10)
    kappa = condition_number(population_moment(dim, m, v))
    assert kappa == pytest.approx((1 + v + dim * m * m) ** 2 / v, rel=0.1)
    assert condition_number(population_moment(dim, m, v, centre=True)) == \
        pytest.approx(max(v, 1) / min(v, 1))


def test_the_pages_input_distribution():
    """Uniform on [0.5, 2.5]^2: kappa is about 100 for x, exactly 3 for x - mean."""
    kappa = condition_number(population_moment(2, 1.5, 1 / 3))
    assert kappa == pytest.approx(100, rel=0.01)
    assert condition_number(population_moment(2, 1.5, 1 / 3, centre=True)) == \
        pytest.approx(3.0)
    X = positive_inputs(200000, np.random.default_rng(0))
    np.testing.assert_allclose(X.mean(axis=0), 1.5, atol=0.01)
    np.testing.assert_allclose(X.var(axis=0), 1 / 3, atol=0.01)


@pytest.mark.parametrize("group", [0, 1])
@pytest.mark.parametrize("B", [1, 10, 100])
def test_centred_inputs_converge_in_fewer_steps(experiment, group, B):
    res = experiment[group][B]
    pos, cen = res["positive"], res["centred"]
    for run in (pos, cen):                     # the best rate is inside the grid
        assert 0 < run["best"] < len(LRS) - 1
        assert np.sum(np.isfinite(run["steps"][:, run["best"]])) >= 8
    med_pos = np.median(pos["steps"][:, pos["best"]])
    med_cen = np.median(cen["steps"][:, cen["best"]])
    # about an order of magnitude with mini- and full batches, several times with B = 1
    assert med_cen < med_pos / (2.5 if B == 1 else 8)
    # centred inputs also tolerate a larger rate (lambda_max is much smaller)
    assert LRS[cen["best"]] > LRS[pos["best"]]


@pytest.mark.parametrize("group", [0, 1])
def test_same_sign_shares(experiment, group):
    res = experiment[group]
    # one sample: exactly every update for positive inputs, about half when centred
    assert np.all(run_shares(res[1]["positive"]) == 1.0)
    assert 0.3 < np.median(run_shares(res[1]["centred"])) < 0.7
    # mini-batches: the strict constraint is gone, the bias toward one sign is not
    mb_pos, mb_cen = run_shares(res[10]["positive"]), run_shares(res[10]["centred"])
    assert np.min(mb_pos) < 1.0
    assert np.median(mb_pos) > 0.75 and np.median(mb_pos) > np.median(mb_cen) + 0.3
    # full batch: centred GD heads straight for the mixed-sign optimum
    assert np.all(run_shares(res[100]["centred"]) == 0.0)
    assert np.median(run_shares(res[100]["positive"])) > 0.1


def test_vectorised_training_matches_a_plain_loop():
    rng = np.random.default_rng(3)
    X = np.stack([positive_inputs(20, rng) for _ in range(2)])
    y = np.stack([teacher_targets(x) for x in X])
    lrs = np.array([0.5, 2.0])
    idx = minibatch_indices(2, 20, 5, 30, rng)
    for centre in (False, True):
        Xa = design_matrix(X, centre)
        path, losses = train_runs(Xa, y, lrs, idx)
        for s in range(2):
            for k, lr in enumerate(lrs):
                theta = np.zeros(3)
                for t, batch in enumerate(idx[:, s]):
                    g = per_sample_gradients(theta, Xa[s, batch], y[s, batch])
                    theta = theta - lr * g.mean(axis=0)
                    np.testing.assert_allclose(path[s, k, t + 1], theta, rtol=1e-12,
                                               atol=1e-14)
                assert losses[s, k, -1] == pytest.approx(
                    cross_entropy(theta[None], Xa[s], y[s])[0], rel=1e-12)


def test_minibatch_indices_are_shuffled_epochs():
    idx = minibatch_indices(3, 12, 4, 9, np.random.default_rng(0))
    assert idx.shape == (9, 3, 4)
    for s in range(3):
        for epoch in range(3):
            seen = idx[3 * epoch:3 * epoch + 3, s].ravel()
            assert sorted(seen.tolist()) == list(range(12))


def test_helpers():
    assert steps_to_threshold(np.array([3.0, 1.0, 0.5, 2.0]), 1.0) == 1.0
    assert same_sign_share(np.array([[0.0, 0, 0], [1, 1, 5], [2, 1, 0]])) == 0.5
    assert condition_number(np.diag([1.0, 10.0])) == pytest.approx(10.0)


def test_bad_arguments():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="low"):
        positive_inputs(10, rng, low=-1.0)
    with pytest.raises(ValueError, match="n must"):
        positive_inputs(1, rng)
    with pytest.raises(ValueError, match="columns"):
        teacher_targets(np.ones((3, 3)))
    with pytest.raises(ValueError, match="batch_size"):
        minibatch_indices(1, 10, 3, 5, rng)
    with pytest.raises(ValueError, match="positive definite"):
        condition_number(np.diag([1.0, 0.0]))
    with pytest.raises(ValueError, match="finite"):
        design_matrix(np.array([[1.0, np.nan]]))
    with pytest.raises(ValueError, match="shapes"):
        per_sample_gradients(np.zeros(2), design_matrix(np.ones((3, 2))), np.ones(3))
