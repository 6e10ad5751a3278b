"""Claims of page 4-8 (why the weights must not start at W = 0, b = 0).

Every network is ``UnitwiseMLP`` (no BLAS in the per-unit sums) unless a test
says otherwise, so the bit-for-bit assertions hold on every CPU and BLAS
kernel; the shared ``MLP`` (BLAS) is only asserted to agree to within rounding.
"""

import numpy as np
import pytest

from snippets.ex4_8 import (ClipGradNorm, UnitwiseMLP, WeightDecay, accuracy,
                            antisymmetric_basis, init_scale_run, one_unit_network,
                            perturbed_spreads, prior_entropy, saddle_check,
                            saddle_growth,
                            symmetry_after, train_dropout, train_from, two_moons,
                            unit_parameters, unit_spread, units_identical,
                            unitwise_dense_backward, unitwise_dense_forward,
                            zero_init_gradients)
from snippets.mlp import MLP, SGD, binary_cross_entropy, train

SEEDS = [0, 1, 2]
EPS = np.finfo(float).eps


def data(seed, n0=90, n1=60):
    return two_moons(n0, n1, np.random.default_rng(seed))


def flat(net):
    return np.concatenate([p.ravel() for p in net.parameters()])


def test_unitwise_layer_matches_the_shared_dense_layer():
    rng = np.random.default_rng(0)
    X, W, b, dZ = (rng.normal(size=s) for s in [(7, 3), (4, 3), (4,), (7, 4)])
    Z, cache = unitwise_dense_forward(X, W, b)
    np.testing.assert_allclose(Z, X @ W.T + b, rtol=0, atol=1e-14)
    dX, dW, db = unitwise_dense_backward(dZ, cache)
    for got, want in [(dX, dZ @ W), (dW, dZ.T @ X), (db, dZ.sum(axis=0))]:
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-14)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("hidden", ["tanh", "relu"])
def test_all_zero_start_only_the_output_bias_has_a_gradient(seed, hidden):
    X, y = data(seed)
    g = zero_init_gradients(hidden, X, y)
    assert g["W1"] == 0.0 and g["b1"] == 0.0 and g["W2"] == 0.0
    assert g["b2"] == pytest.approx(abs(0.5 - y.mean()))       # sigma(0) - mean(y)


@pytest.mark.parametrize("network", [MLP, UnitwiseMLP])
@pytest.mark.parametrize("hidden", ["tanh", "relu"])
def test_all_zero_deeper_network_is_stuck_too(network, hidden):
    X, y = data(0)
    net = network([2, 8, 8, 1], hidden=hidden, init="zeros")
    train(net, X, y, SGD(2.0), 200, loss="bce")
    assert all(not W.any() for W in net.W) and all(not b.any() for b in net.b[:-1])
    assert net.b[-1][0] == pytest.approx(np.log(y.mean() / (1 - y.mean())), abs=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_all_zero_network_stays_stuck_at_the_class_prior(seed):
    X, y = data(seed)
    p, curves = y.mean(), []
    for hidden in ("tanh", "relu"):
        net, losses = train_from(hidden, "zeros", X, y, None)
        assert not (net.W[0].any() or net.b[0].any() or net.W[1].any())   # exactly 0
        assert net.b[1][0] == pytest.approx(np.log(p / (1 - p)), abs=1e-6)
        assert losses[-1] == pytest.approx(prior_entropy(y), abs=1e-9)
        assert accuracy(net, X, y) == max(p, 1 - p)
        curves.append(losses)
    assert np.array_equal(*curves)          # the two dotted curves coincide


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_zero_start_output_weights_move_hidden_weights_follow(seed):
    X, y = data(seed)
    g = zero_init_gradients("sigmoid", X, y)
    assert g["W1"] == 0.0 and g["b1"] == 0.0                 # W2 = 0 blocks the delta
    assert g["W2"] == pytest.approx(g["b2"] / 2) and g["W2"] > 0   # h = sigma(0) = 1/2
    net, _ = train_from("sigmoid", "zeros", X, y, None)
    assert np.abs(net.W[0]).max() > 0.1                      # the hidden units did move
    assert units_identical(net)                              # ... all in the same way


def test_sigmoid_zero_start_with_balanced_classes_is_a_stationary_point():
    X, y = data(0, 75, 75)
    g = zero_init_gradients("sigmoid", X, y)
    assert g["W1"] == 0.0 and g["b1"] == 0.0
    # terms +-0.5/n (times h = 1/2 for W2) cancel up to the rounding of their sum
    assert g["b2"] <= len(y) * EPS * 0.5 and g["W2"] <= len(y) * EPS * 0.25


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("hidden", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("init", ["zeros", "constant"])
def test_symmetric_starts_stay_bitwise_symmetric(seed, hidden, init):
    X, y = data(seed)
    net, _ = train_from(hidden, init, X, y, None, steps=300)
    P = unit_parameters(net)
    assert all(np.array_equal(P[0], P[j]) for j in range(len(P)))
    assert unit_spread(net) == 0.0


@pytest.mark.parametrize("width", [1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 32])
def test_unitwise_units_stay_bitwise_equal_at_every_width(width):
    X, y = data(0)
    net, _ = train_from("tanh", "constant", X, y, None, width=width, steps=300)
    assert units_identical(net)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("hidden", ["tanh", "relu", "sigmoid"])
def test_constant_start_keeps_every_layer_symmetric(seed, hidden):
    X, y = data(seed)
    net = UnitwiseMLP([2, 8, 8, 1], hidden=hidden, init="constant", value=0.5)
    train(net, X, y, SGD(1.0), 200, loss="bce")
    assert units_identical(net, 0) and units_identical(net, 1)
    assert min(np.abs(W - 0.5).max() for W in net.W) > 1e-3   # every layer moved


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("width", [3, 5, 7, 9])
def test_shared_blas_mlp_agrees_to_rounding_early_on(seed, width):
    """BLAS may sum equal columns in different orders: equal up to rounding only."""
    X, y = data(seed)
    net, _ = train_from("tanh", "constant", X, y, None, width=width, steps=100,
                        network=MLP)
    assert unit_spread(net) < 1e-12


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("method", ["gd", "minibatch", "momentum", "adam"])
def test_optimisers_and_data_order_keep_the_symmetry(seed, method):
    X, y = data(seed)
    net = symmetry_after(method, X, y, np.random.default_rng(seed + 10))
    assert units_identical(net)
    assert np.abs(net.W[0] - 0.5).max() > 1e-3              # the weights did change


@pytest.mark.parametrize("seed", SEEDS)
def test_weight_decay_and_clipping_act_and_keep_the_symmetry(seed):
    X, y = data(seed)
    plain = UnitwiseMLP([2, 8, 1], hidden="tanh", init="constant", value=0.5)
    train(plain, X, y, SGD(2.0), 300, loss="bce")
    for optimizer in (WeightDecay(SGD(2.0), 0.01), ClipGradNorm(SGD(2.0), 0.1)):
        net = UnitwiseMLP([2, 8, 1], hidden="tanh", init="constant", value=0.5)
        train(net, X, y, optimizer, 300, loss="bce")
        assert units_identical(net)
        assert np.abs(flat(net) - flat(plain)).max() > 1e-3      # it changed training
    assert optimizer.clipped > 10


@pytest.mark.parametrize("seed", SEEDS)
def test_dropout_breaks_the_symmetry(seed):
    X, y = data(seed)
    net = symmetry_after("dropout", X, y, np.random.default_rng(seed + 10))
    assert not units_identical(net)
    assert unit_spread(net) > 1e-2


def test_dropout_cannot_revive_the_all_zero_tanh_network():
    X, y = data(0)
    net = UnitwiseMLP([2, 8, 1], hidden="tanh", init="zeros")
    train_dropout(net, X, y, 200, np.random.default_rng(0))
    assert not (net.W[0].any() or net.b[0].any() or net.W[1].any())


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("hidden, init", [("tanh", "constant"), ("sigmoid", "zeros")])
def test_a_symmetric_layer_is_one_unit_with_a_straight_boundary(seed, hidden, init):
    X, y = data(seed)
    net, _ = train_from(hidden, init, X, y, None)
    one = one_unit_network(net)
    np.testing.assert_allclose(net.forward(X), one.forward(X), rtol=0, atol=1e-12)
    # output is monotone in s = w^T x + b, so the predicted class changes once along s
    order = np.argsort(X @ net.W[0][0] + net.b[0][0])
    pred = (net.forward(X).ravel() > 0)[order]
    assert np.count_nonzero(pred[1:] != pred[:-1]) <= 1
    assert 0.8 <= accuracy(net, X, y) <= 0.95


def midpoint_flips(net, P):
    """Pairs of points of P predicted alike whose midpoint is predicted otherwise."""
    side = net.forward(P).ravel() > 0
    mid = (P[:, None, :] + P[None, :, :]) / 2
    mid_side = (net.forward(mid.reshape(-1, 2)).ravel() > 0).reshape(len(P), len(P))
    alike = side[:, None] == side[None, :]
    return np.count_nonzero(alike & (mid_side != side[:, None]))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("hidden, init", [("tanh", "xavier"), ("relu", "he")])
def test_random_start_with_zero_biases_learns_a_curved_boundary(seed, hidden, init):
    X, y = data(seed)
    net, losses = train_from(hidden, init, X, y, np.random.default_rng(seed + 10))
    sym, sym_losses = train_from(hidden, "constant", X, y, None)
    assert accuracy(net, X, y) >= 0.98 > accuracy(sym, X, y)
    assert losses[-1] < 0.1 < sym_losses[-1]
    assert unit_spread(net) > 1.0
    assert np.ptp(net.b[0]) > 0.5            # the biases started at 0 and spread out
    # a region bounded by a straight line is convex: these are not, those are
    assert midpoint_flips(net, X[::3]) > 0 and midpoint_flips(sym, X[::3]) == 0


@pytest.mark.parametrize("seed", SEEDS)
def test_init_scale_small_is_linear_large_saturates_and_the_w1_w2_control(seed):
    X, y = data(seed)
    run = {(a, b): init_scale_run(a, X, y, np.random.default_rng(seed + 10),
                                  out_scale=b)
           for a, b in ((0.1, 0.1), (1, 1), (30, 1), (1, 30))}
    small, good, w1_only, w2_only = run.values()
    assert small["slope"] > 0.99 and small["grad_W1"] < 0.2 * good["grad_W1"]
    assert good["saturated"] < 0.05 and w1_only["saturated"] > 0.8
    # saturated hidden units pass little gradient; scaling W2 is what makes it big
    assert w1_only["grad_W1"] < 0.3 * good["grad_W1"] < w2_only["grad_W1"]
    # the harm comes from saturating the hidden units, not from large weights as such
    assert w2_only["loss"] < w1_only["loss"] and w1_only["accuracy"] < 0.98


def test_init_scale_small_sometimes_learns_within_1000_steps():
    """The page's x0.1 run stays near one unit; with other data it can learn."""
    X, y = data(4)
    assert init_scale_run(0.1, X, y, np.random.default_rng(14))["accuracy"] > 0.98


def test_init_scale_page_run_stays_near_the_one_unit_level():
    X, y = data(0)
    small = init_scale_run(0.1, X, y, np.random.default_rng(1))
    const, _ = train_from("tanh", "constant", X, y, None)
    assert abs(small["accuracy"] - accuracy(const, X, y)) <= 0.02
    assert small["loss"] > 0.2


@pytest.mark.parametrize("seed", SEEDS)
def test_a_tiny_asymmetry_grows_at_the_rate_the_negative_curvature_predicts(seed):
    """Along the Hessian's unstable antisymmetric direction the difference from the
    exact twin is multiplied by |1 - lr mu| every step; mu < 0 causes it."""
    r = saddle_check(*data(seed))
    assert r["mu_min"] < 0 and 0 < 1.0 * r["mu_max"] < 2       # not lr mu > 2
    assert r["predicted"] == pytest.approx((1 - r["mu_min"]) ** 100, rel=1e-12)
    assert r["predicted"] > 1.05
    assert r["measured"] == pytest.approx(r["predicted"], rel=0.003)
    assert r["twin_identical"]


def test_antisymmetric_basis_is_the_complement_of_the_symmetric_subspace():
    net = UnitwiseMLP([2, 3, 1], init="constant", value=0.5)
    Q = antisymmetric_basis(net)
    np.testing.assert_allclose(Q.T @ Q, np.eye(Q.shape[1]), atol=1e-12)
    np.testing.assert_allclose(Q.T @ flat(net), 0, atol=1e-12)    # symmetric point
    net.W[0][0, 0] += 1.0                                          # unit 1 differs
    assert np.linalg.norm(Q.T @ flat(net)) > 0.5


def test_bad_arguments():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="n0"):
        two_moons(0, 5, rng)
    with pytest.raises(ValueError, match="noise"):
        two_moons(5, 5, rng, noise=-1.0)
    with pytest.raises(ValueError, match="hidden layer"):
        unit_parameters(UnitwiseMLP([2, 3, 1], init="zeros"), layer=1)
    with pytest.raises(ValueError, match="method"):
        symmetry_after("lbfgs", *data(0), rng)
    with pytest.raises(ValueError, match="dropout rate"):
        train_dropout(UnitwiseMLP([2, 3, 1], init="zeros"), *data(0), 1, rng, p=1.0)
    with pytest.raises(ValueError, match="one hidden layer"):
        one_unit_network(UnitwiseMLP([2, 3, 3, 1], init="zeros"))
    with pytest.raises(ValueError, match="shapes do not fit"):
        unitwise_dense_forward(np.ones((2, 3)), np.ones((4, 2)), np.ones(4))
    with pytest.raises(ValueError, match="dZ must have shape"):
        unitwise_dense_backward(np.ones((2, 5)), (np.ones((2, 3)), np.ones((4, 3))))
    with pytest.raises(ValueError, match="lam"):
        WeightDecay(SGD(1.0), -1.0)
    with pytest.raises(ValueError, match="max_norm"):
        ClipGradNorm(SGD(1.0), 0.0)
    with pytest.raises(ValueError, match="scale"):
        init_scale_run(0.0, *data(0), rng)
    with pytest.raises(ValueError, match="out_scale"):
        init_scale_run(1.0, *data(0), rng, out_scale=-1.0)
    with pytest.raises(ValueError, match="window"):
        saddle_check(*data(0), window=(5, 5))
    with pytest.raises(ValueError, match="eps"):
        perturbed_spreads(*data(0), np.inf, 5)
    with pytest.raises(ValueError, match="lr"):
        saddle_growth(UnitwiseMLP([2, 3, 1], init="zeros"), *data(0), lr=0.0)
    with pytest.raises(ValueError, match="columns"):
        UnitwiseMLP([2, 3, 1], init="zeros").forward(np.ones((4, 3)))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("width", [3, 5, 8])
def test_equal_columns_blas_within_the_rounding_bound_unitwise_exact(seed, width):
    rng = np.random.default_rng(seed)
    H = np.tile(rng.random((150, 1)), (1, width))
    delta = rng.normal(size=(150, 1))
    by_blas, by_unit = (delta.T @ H).ravel(), np.sum(delta * H, axis=0)
    gamma = 150 * (EPS / 2) / (1 - 150 * EPS / 2)
    bound = 2 * gamma * np.sum(np.abs(delta * H[:, :1]))
    assert np.max(np.abs(by_blas - by_blas[0])) <= bound     # sanity check (Higham)
    assert np.all(by_unit == by_unit[0])


def test_plot_hidden_units_leaves_the_networks_unchanged():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from snippets.ex4_8 import plot_hidden_units
    X, y = data(0)
    nets = []
    for init in ("xavier", "constant"):
        net, _ = train_from("tanh", init, X, y, np.random.default_rng(0), steps=50)
        net.forward(X)
        nets.append(net)
    before = [(flat(net), [z.copy() for z in net.Z], [a.copy() for a in net.A],
               [tuple(c.copy() for c in cache) for cache in net._caches])
              for net in nets]
    fig = plot_hidden_units(nets, ["random", "constant"], X, y, lang="en")
    plt.close(fig)
    for net, (params, Z, A, caches) in zip(nets, before):
        assert np.array_equal(flat(net), params)
        for got, want in zip(net.Z + net.A, Z + A):
            assert np.array_equal(got, want)
        assert len(net._caches) == len(caches)
        for got, want in zip(net._caches, caches):
            assert all(np.array_equal(g, w) for g, w in zip(got, want))
        assert net.A[0].shape == X.shape        # the last forward is still that on X
