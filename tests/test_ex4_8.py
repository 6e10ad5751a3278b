"""Claims of page 4-8 (why the weights must not start at W = 0, b = 0)."""

import numpy as np
import pytest

from snippets.ex4_8 import (accuracy, one_unit_network, prior_entropy, symmetry_after,
                            train_dropout, train_from, two_moons, unit_parameters,
                            unit_spread, units_identical, zero_init_gradients)
from snippets.mlp import MLP, SGD, binary_cross_entropy, train

SEEDS = [0, 1, 2]


def data(seed, n0=90, n1=60):
    return two_moons(n0, n1, np.random.default_rng(seed))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("hidden", ["tanh", "relu"])
def test_all_zero_start_only_the_output_bias_has_a_gradient(seed, hidden):
    X, y = data(seed)
    g = zero_init_gradients(hidden, X, y)
    assert g["W1"] == 0.0 and g["b1"] == 0.0 and g["W2"] == 0.0
    assert g["b2"] == pytest.approx(abs(0.5 - y.mean()))       # sigma(0) - mean(y)


@pytest.mark.parametrize("hidden", ["tanh", "relu"])
def test_all_zero_deeper_network_is_stuck_too(hidden):
    X, y = data(0)
    net = MLP([2, 8, 8, 1], hidden=hidden, init="zeros")
    train(net, X, y, SGD(2.0), 200, loss="bce")
    assert all(not W.any() for W in net.W) and all(not b.any() for b in net.b[:-1])
    assert net.b[-1][0] == pytest.approx(np.log(y.mean() / (1 - y.mean())), abs=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("hidden", ["tanh", "relu"])
def test_all_zero_network_stays_stuck_at_the_class_prior(seed, hidden):
    X, y = data(seed)
    net, losses = train_from(hidden, "zeros", X, y, None)
    assert not (net.W[0].any() or net.b[0].any() or net.W[1].any())   # exactly 0
    p = y.mean()
    assert net.b[1][0] == pytest.approx(np.log(p / (1 - p)), abs=1e-6)
    assert losses[-1] == pytest.approx(prior_entropy(y), abs=1e-9)
    assert accuracy(net, X, y) == max(p, 1 - p)


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
    assert g["W2"] < 1e-15 and g["b2"] < 1e-15     # zero up to the rounding of a mean


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("hidden", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("init", ["zeros", "constant"])
def test_symmetric_starts_stay_bitwise_symmetric(seed, hidden, init):
    X, y = data(seed)
    net, _ = train_from(hidden, init, X, y, None, steps=300)
    P = unit_parameters(net)
    assert all(np.array_equal(P[0], P[j]) for j in range(len(P)))
    assert unit_spread(net) == 0.0


@pytest.mark.parametrize("width", [1, 2, 3, 4, 8, 12, 16, 32])
def test_bitwise_symmetry_for_widths_the_blas_treats_alike(width):
    """Widths < 4 or multiples of 4: every unit goes through the same BLAS code path."""
    X, y = data(0)
    net, _ = train_from("tanh", "constant", X, y, None, width=width, steps=300)
    assert units_identical(net)


@pytest.mark.parametrize("width", [5, 7, 9])
def test_other_widths_differ_at_most_by_rounding(width):
    X, y = data(0)
    net, _ = train_from("tanh", "constant", X, y, None, width=width, steps=500)
    assert unit_spread(net) < 1e-10


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("method", ["gd", "minibatch", "momentum", "adam"])
def test_optimisers_and_data_order_keep_the_symmetry(seed, method):
    X, y = data(seed)
    net = symmetry_after(method, X, y, np.random.default_rng(seed + 10))
    assert units_identical(net)
    assert np.abs(net.W[0] - 0.5).max() > 1e-3              # the weights did change


@pytest.mark.parametrize("seed", SEEDS)
def test_dropout_breaks_the_symmetry(seed):
    X, y = data(seed)
    net = symmetry_after("dropout", X, y, np.random.default_rng(seed + 10))
    assert not units_identical(net)
    assert unit_spread(net) > 1e-2


def test_dropout_cannot_revive_the_all_zero_tanh_network():
    X, y = data(0)
    net = MLP([2, 8, 1], hidden="tanh", init="zeros")
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


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("hidden, init", [("tanh", "xavier"), ("relu", "he")])
def test_random_start_learns_the_moons(seed, hidden, init):
    X, y = data(seed)
    net, losses = train_from(hidden, init, X, y, np.random.default_rng(seed + 10))
    sym, sym_losses = train_from(hidden, "constant", X, y, None)
    assert accuracy(net, X, y) >= 0.98 > accuracy(sym, X, y)
    assert losses[-1] < 0.1 < sym_losses[-1]
    assert unit_spread(net) > 1.0


@pytest.mark.parametrize("seed", SEEDS)
def test_a_tiny_asymmetry_grows_exponentially(seed):
    """The symmetric state is unstable here: a 1e-12 difference keeps growing."""
    X, y = data(seed)
    net = MLP([2, 8, 1], hidden="tanh", init="constant", value=0.05)
    net.W[0][0, 0] += 1e-12
    spreads = []
    record = (lambda s, n: spreads.append(unit_spread(n)) if s % 500 == 499 else None)
    train(net, X, y, SGD(2.0), 2000, loss="bce", callback=record)
    assert spreads[1] < spreads[2] < spreads[3]  # after 1000, 1500, 2000 steps
    assert spreads[3] > 5 * spreads[0] > 5e-12


def test_a_tiny_asymmetry_eventually_separates_the_units():
    X, y = data(2)
    twin = MLP([2, 8, 1], hidden="tanh", init="constant", value=0.05)
    net = MLP([2, 8, 1], hidden="tanh", init="constant", value=0.05)
    net.W[0][0, 0] += 1e-12
    train(twin, X, y, SGD(2.0), 5000, loss="bce")
    train(net, X, y, SGD(2.0), 5000, loss="bce")
    assert units_identical(twin)                              # exact symmetry: never
    assert unit_spread(net) > 1.0                             # perturbed: separated
    assert binary_cross_entropy(net.forward(X), y)[0] < binary_cross_entropy(
        twin.forward(X), y)[0] - 0.03


def test_bad_arguments():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="n0"):
        two_moons(0, 5, rng)
    with pytest.raises(ValueError, match="noise"):
        two_moons(5, 5, rng, noise=-1.0)
    with pytest.raises(ValueError, match="hidden layer"):
        unit_parameters(MLP([2, 3, 1], init="zeros"), layer=1)
    with pytest.raises(ValueError, match="method"):
        symmetry_after("lbfgs", *data(0), rng)
    with pytest.raises(ValueError, match="dropout rate"):
        train_dropout(MLP([2, 3, 1], init="zeros"), *data(0), 1, rng, p=1.0)
    with pytest.raises(ValueError, match="one hidden layer"):
        one_unit_network(MLP([2, 3, 3, 1], init="zeros"))
