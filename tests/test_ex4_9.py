"""Claims of page 4-9 (a larger learning rate does not cure vanishing gradients)."""

import copy

import numpy as np
import pytest

from snippets.ex4_9 import (adam_first_step_fraction, deep_mlp, first_step_ratio,
                            gradient_norms_at_init, layer_gradient_norms, mean_slope,
                            regression_data, top_layer_step_limit, train_runs)
from snippets.mlp import SGD, Adam, mse_loss, train

SEEDS = [0, 1, 2]
LRS = [1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0]
STABLE = [0, 1, 2, 3]            # indices of the rates <= 1


@pytest.fixture(scope="module", params=SEEDS)
def runs(request):
    """The page's experiment on the data of one seed."""
    rng = np.random.default_rng(request.param)
    X, y = regression_data(rng)
    net = deep_mlp("sigmoid", rng)
    relu_net = deep_mlp("relu", rng)
    return {"X": X, "y": y, "net": net, "best": 0.5 * np.var(y),
            "sweep": train_runs(net, X, y, LRS, 300),
            "relu": train_runs(relu_net, X, y, [1e-3, 1e-2, 1e-1], 300),
            "adam": train_runs(net, X, y, [1e-3, 1e-2], 300, "adam")}


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_gradients_shrink_towards_the_input_relu_he_ones_do_not(seed):
    rng = np.random.default_rng(seed)
    X, y = regression_data(rng)
    sig = gradient_norms_at_init("sigmoid", X, y, rng)
    relu = gradient_norms_at_init("relu", X, y, rng)
    assert np.all(np.diff(sig[:, 1:], axis=1) > 0)  # smaller at each layer l >= 2
    # the output layer's own gradient can be small by chance: compare with the largest
    assert np.all(sig[:, 0] / sig.max(axis=1) < 1e-3)
    assert np.all((sig[:, 0] / sig.max(axis=1)) ** (1 / 9) < 0.4)  # per layer
    assert np.all(relu[:, 0] / relu[:, -1] > 1e-2)


@pytest.mark.parametrize("seed", SEEDS)
def test_each_sigmoid_layer_shrinks_delta_by_at_most_a_quarter_of_the_weight_norm(seed):
    """||delta(l)|| <= (1/4) ||W(l+1)||_2 ||delta(l+1)|| for every sample and layer."""
    rng = np.random.default_rng(seed)
    X, y = regression_data(rng)
    net = deep_mlp("sigmoid", rng)
    _, delta = mse_loss(net.forward(X), y)
    for l in reversed(range(len(net.W) - 1)):
        a = net.A[l + 1]
        below = (delta @ net.W[l + 1]) * a * (1 - a)        # delta(l), a row per sample
        bound = 0.25 * np.linalg.norm(net.W[l + 1], 2) * np.linalg.norm(delta, axis=1)
        assert np.all(np.linalg.norm(below, axis=1) <= bound * (1 + 1e-12))
        delta = below


def test_vectorised_runs_match_the_shared_training_loop():
    rng = np.random.default_rng(3)
    X, y = regression_data(rng)
    for hidden, optimizer, lr in [("sigmoid", "sgd", 0.5), ("relu", "sgd", 0.01),
                                  ("sigmoid", "adam", 0.01)]:
        net = deep_mlp(hidden, rng)
        out = train_runs(net, X, y, [lr], 60, optimizer)
        ref = copy.deepcopy(net)
        losses = train(ref, X, y, SGD(lr) if optimizer == "sgd" else Adam(lr), 60)
        np.testing.assert_allclose(out["loss"][0], losses, rtol=1e-9)
        for a, b in zip(out["nets"][0].parameters(), ref.parameters()):
            np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-12)


def test_first_update_ratio_is_the_same_for_every_learning_rate(runs):
    sweep = runs["sweep"]
    ratios = first_step_ratio(sweep)
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-12)
    assert ratios[0] < 1e-4
    # every layer's update is lr times the same gradient
    np.testing.assert_allclose(sweep["update_norm"][:, 0] / np.array(LRS)[:, None],
                               sweep["grad_norm"][:, 0], rtol=1e-12)


def test_first_update_ratio_from_real_parameter_changes(runs):
    """Apply SGD(lr).step to copies of the start and measure what actually moved."""
    X, y, net = runs["X"], runs["y"], runs["net"]
    ratios = []
    for lr in LRS:
        moved = copy.deepcopy(net)
        _, grad = mse_loss(moved.forward(X), y)
        dW, db = moved.backward(grad)
        SGD(lr).step(moved.parameters(), [g for pair in zip(dW, db) for g in pair])
        first = np.linalg.norm(moved.W[0] - net.W[0])
        last = np.linalg.norm(moved.W[-1] - net.W[-1])
        ratios.append(first / last)
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-6)
    np.testing.assert_allclose(ratios, first_step_ratio(runs["sweep"]), rtol=1e-6)


def test_large_rates_diverge_small_ones_do_not(runs):
    loss = runs["sweep"]["loss"]
    assert np.all(np.isfinite(loss[STABLE]))
    assert np.all(np.isinf(loss[4:, 10]))  # lr 10, 100: within 10 steps


def test_stable_rates_stall_at_the_best_constant(runs):
    loss, best = runs["sweep"]["loss"], runs["best"]
    for r in STABLE:
        assert loss[r, -1] >= best * (1 - 1e-4)              # never beats the mean
    for r in STABLE[1:]:
        assert loss[r, -1] == pytest.approx(best, rel=1e-4)  # lr 0.01 ... 1
    assert loss[0, 0] > loss[0, -1] > best                   # lr 0.001: on its way


def test_the_first_layer_barely_moves_at_any_stable_rate(runs):
    drift = runs["sweep"]["drift"][:, -1]
    assert np.all(drift[STABLE, 0] < 1e-4)
    assert np.all(drift[STABLE, -1] > 1e-2)


def test_late_gradients_first_layer_stays_tiny_top_layer_collapses(runs):
    g = runs["sweep"]["grad_norm"]
    assert np.all(g[STABLE, -1, 0] < 1e-4)
    assert np.all(g[STABLE, -1, 0] <= 1.01 * g[STABLE, 0, 0])
    assert np.all(g[1:4, -1, -1] < 1e-3 * g[1:4, 0, -1])       # lr 0.01 ... 1


def test_the_output_layer_limits_the_rate(runs):
    """2 / lambda_max is about 0.4: below it the loss only falls; lr = 1 overshoots."""
    limit, loss = top_layer_step_limit(runs["net"], runs["X"]), runs["sweep"]["loss"]
    assert 0.3 < limit < 0.5
    assert np.all(np.diff(loss[:3]) <= 1e-12)                 # lr <= 0.1: monotone
    assert loss[3, :10].max() > 10 * loss[3, 0]               # lr = 1: spikes first
    # ... and the first layer does not move 10 times as much as at lr = 0.1
    drift = runs["sweep"]["drift"][:, -1, 0]
    assert drift[3] < 5 * drift[2]


def test_rate_one_saturates_the_top_hidden_layer(runs):
    X, nets = runs["X"], runs["sweep"]["nets"]
    assert np.all(mean_slope(nets[2], X) > 0.2)              # lr 0.1: unsaturated
    assert mean_slope(nets[3], X)[-1] < 0.01                 # lr 1: top layer saturated
    assert np.all(mean_slope(nets[3], X) <= 0.25)


def test_relu_he_has_balanced_gradients_and_learns(runs):
    relu, best = runs["relu"], runs["best"]
    assert np.all(first_step_ratio(relu) > 1e-2)
    final = relu["loss"][:, -1]
    assert np.nanmin(final) < 0.6 * best
    assert np.all(relu["drift"][np.isfinite(final), -1, 0] > 1e-3)


def test_adam_moves_the_first_layer_and_gets_below_the_plateau(runs):
    adam, sweep, best = runs["adam"], runs["sweep"], runs["best"]
    assert np.all(first_step_ratio(adam) > 0.1)
    assert first_step_ratio(sweep)[0] < 1e-4
    assert np.all(adam["drift"][:, -1, 0] > 0.1)
    assert adam["loss"][1, -1] < 0.9 * best


@pytest.mark.parametrize("seed", SEEDS)
def test_adam_compensation_fails_once_gradients_fall_below_eps(seed):
    rng = np.random.default_rng(seed)
    X, y = regression_data(rng)
    assert adam_first_step_fraction(deep_mlp("sigmoid", rng, depth=10), X, y) > 0.5
    assert adam_first_step_fraction(deep_mlp("sigmoid", rng, depth=15), X, y) < 0.1
    assert adam_first_step_fraction(deep_mlp("sigmoid", rng, depth=20), X, y) < 1e-3


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_the_books_logistic_xavier_helps_but_does_not_level_the_layers(seed):
    """Gain 4 (the book's Xavier range for Logistic units), the same five networks:
    every network's ||dW(1)|| / ||dW(10)|| grows (by how much varies a lot: from
    about 2x on some data sets to thousands of times), yet stays far below 1."""
    rng = np.random.default_rng(seed)
    X, y = regression_data(rng)
    ratio = {}
    for gain in (1.0, 4.0):
        n = gradient_norms_at_init("sigmoid", X, y, np.random.default_rng(seed + 100),
                                   gain=gain)
        ratio[gain] = n[:, 0] / n[:, -1]
    assert np.all(ratio[4.0] > ratio[1.0])
    assert np.all(ratio[4.0] < 0.2)


def test_gain_scales_the_hidden_layers_only():
    a = deep_mlp("sigmoid", np.random.default_rng(0))
    b = deep_mlp("sigmoid", np.random.default_rng(0), gain=4.0)
    for Wa, Wb in zip(a.W[:-1], b.W[:-1]):
        np.testing.assert_array_equal(Wb, 4.0 * Wa)
    np.testing.assert_array_equal(a.W[-1], b.W[-1])
    with pytest.raises(ValueError, match="gain"):
        deep_mlp("sigmoid", np.random.default_rng(0), gain=0.0)


def test_bad_arguments():
    rng = np.random.default_rng(0)
    X, y = regression_data(rng)
    with pytest.raises(ValueError, match="n must"):
        regression_data(rng, n=0)
    with pytest.raises(ValueError, match="hidden"):
        deep_mlp("tanh", rng)
    with pytest.raises(ValueError, match="depth"):
        deep_mlp("relu", rng, depth=1)
    net = deep_mlp("relu", rng)
    with pytest.raises(ValueError, match="lr"):
        train_runs(net, X, y, [0.1, -1.0], 5)
    with pytest.raises(ValueError, match="optimizer"):
        train_runs(net, X, y, [0.1], 5, optimizer="rmsprop")
    with pytest.raises(ValueError, match="X"):
        layer_gradient_norms(net, X[:, :3], y)
