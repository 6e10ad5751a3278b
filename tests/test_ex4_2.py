"""Claims of page 4-2 (XOR with two hidden ReLU units)."""

import collections
import copy
import functools

import numpy as np
import pytest

from snippets.activations import relu
from snippets.ex4_2 import (activation_pattern, bias_slopes_from_above, classify_run,
                            dead_units, dead_with_frozen_weights, falls_at_origin,
                            fit_single_neuron, gradient_norm, init_xor_runs,
                            nonpositive_units, outcome_counts, outcome_table,
                            train_xor_runs, truth_table, with_hidden_bias, xor_data,
                            xor_network, xor_network_bias_free)
from snippets.mlp import SGD, MLP, mse_loss, train

SEEDS = [0, 1, 2, 3, 4]
N_RUNS = 300
FAILURES = ("dead at init", "died in training", "same pattern", "zero collision")


BIASES = (1e-9, 0.01, 0.1, 0.3, 1.0)


@functools.lru_cache(maxsize=None)
def runs(seed):
    """The page's main experiment for one seed: 300 runs, every bias 0, ReLU'(0) = 0."""
    starts = init_xor_runs(N_RUNS, np.random.default_rng(seed))
    nets, _ = train_xor_runs(starts, steps=3000, lr=0.1)
    return starts, nets, [classify_run(n, s) for n, s in zip(nets, starts)]


@functools.lru_cache(maxsize=None)
def controls(seed):
    """The page's controls on the same weights: outcome counts for ReLU'(0) = 1 at
    b = 0 and for each hidden bias in BIASES; plus, at b = 1, the 'same pattern' runs
    with both units active on all four inputs, and how many of these started so."""
    starts, nets, _ = runs(seed)
    counts = {"b=0": outcome_counts(starts, nets)}
    counts["R'(0)=1"] = outcome_counts(starts, train_xor_runs(starts,
                                                             relu_grad_at_zero=1.0)[0])
    starts_b = [with_hidden_bias(starts, b) for b in BIASES]
    nets_all, _ = train_xor_runs(sum(starts_b, []))          # all biases at once
    for k, b in enumerate(BIASES):
        nets_b = nets_all[k * N_RUNS:(k + 1) * N_RUNS]
        counts[b] = outcome_counts(starts_b[k], nets_b)
    same = [i for i, n in enumerate(nets_b) if classify_run(n) == "same pattern"]
    on = [i for i in same if activation_pattern(nets_b[i]).all()]
    counts["b=1 all active"] = len(on)
    counts["b=1 all active at start"] = sum(activation_pattern(starts_b[-1][i]).all()
                                            for i in on)
    return counts


@pytest.mark.parametrize("output", ["identity", "relu"])
def test_network_meets_the_constraints_and_computes_xor_exactly(output):
    net = xor_network(output)
    assert net.sizes == (2, 2, 1)                        # two hidden units, one output
    assert net.f_hidden[0].__name__ == "relu"
    X, y = xor_data()
    assert np.array_equal(net.forward(X).ravel(), y)      # exact, no threshold
    assert truth_table(net)[:, 2:4].tolist() == [[0, 0], [1, 0], [1, 0], [2, 1]]


def test_bias_free_network_is_abs_x1_minus_x2_and_computes_xor():
    net = xor_network_bias_free()
    assert net.sizes == (2, 2, 1) and net.f_hidden[0].__name__ == "relu"
    assert all(np.all(b == 0) for b in net.b)
    X, y = xor_data()
    assert np.array_equal(net.forward(X).ravel(), y)
    assert truth_table(net)[:, 2:4].tolist() == [[0, 0], [0, 1], [1, 0], [0, 0]]
    P = np.random.default_rng(0).uniform(-2, 2, size=(1000, 2))
    np.testing.assert_allclose(net.forward(P).ravel(), np.abs(P[:, 0] - P[:, 1]),
                               rtol=1e-15, atol=1e-15)
    z = P[:, 0] - P[:, 1]                                 # |z| = ReLU(z) + ReLU(-z)
    np.testing.assert_allclose(relu(z) + relu(-z), np.abs(z), rtol=1e-15, atol=1e-15)
    assert np.all(net.forward(P) >= 0)                 # a ReLU output changes nothing


def test_one_neuron_with_the_non_monotone_activation_abs_computes_xor():
    X, y = xor_data()
    assert np.array_equal(np.abs(X @ np.array([1.0, -1.0])), y)


def test_output_depends_only_on_x1_plus_x2_and_the_band():
    net = xor_network()
    rng = np.random.default_rng(0)
    P = rng.uniform(-1, 2, size=(2000, 2))
    s = P.sum(axis=1)
    y = net.forward(P).ravel()
    np.testing.assert_allclose(y, np.maximum(s, 0) - 2 * np.maximum(s - 1, 0))
    assert np.all((y > 0.5) == ((s > 0.5) & (s < 1.5)))


def test_no_affine_function_separates_xor():
    """z(0,1) + z(1,0) = z(0,0) + z(1,1) for every affine z: signs cannot be +,+,-,-."""
    rng = np.random.default_rng(0)
    X, y = xor_data()
    w, b = rng.normal(size=(100000, 2)), rng.normal(size=(100000, 1))
    z = w @ X.T + b
    np.testing.assert_allclose(z[:, 1] + z[:, 2], z[:, 0] + z[:, 3], atol=1e-12)
    accuracy = ((z > 0) == (y == 1)).mean(axis=1)
    assert accuracy.max() == 0.75


@pytest.mark.parametrize("seed", SEEDS)
def test_no_monotone_function_of_one_affine_form_separates_xor(seed):
    """Section 2 for monotone f (logistic, tanh, ReLU, and v ReLU(.) + b of either sign,
    the network left by a dead unit): no threshold puts (0,1), (1,0) above (0,0), (1,1)
    or below them."""
    rng = np.random.default_rng(seed)
    X, _ = xor_data()
    z = rng.normal(size=(20000, 2)) @ X.T + rng.normal(size=(20000, 1))
    v, c = rng.normal(size=(20000, 1)), rng.normal(size=(20000, 1))
    for a in (1 / (1 + np.exp(-z)), np.tanh(z), relu(z), v * relu(z) + c, -relu(z)):
        separated = (np.minimum(a[:, 1], a[:, 2]) > np.maximum(a[:, 0], a[:, 3])) | (
            np.maximum(a[:, 1], a[:, 2]) < np.minimum(a[:, 0], a[:, 3]))
        assert not separated.any()


@pytest.mark.parametrize("seed", SEEDS)
def test_single_logistic_neuron_ends_at_ln2(seed):
    w, b, loss = fit_single_neuron(np.random.default_rng(seed))
    assert loss == pytest.approx(np.log(2), abs=1e-9)
    assert np.max(np.abs(w)) < 1e-4 and abs(b) < 1e-4


def test_vectorised_runs_match_the_reference_training_loop():
    starts = init_xor_runs(3, np.random.default_rng(7))
    before = [[p.copy() for p in s.parameters()] for s in starts]
    nets, losses = train_xor_runs(starts, steps=400, lr=0.1)
    rng = np.random.default_rng(7)
    X, y = xor_data()
    for net, curve, start, params in zip(nets, losses, starts, before):
        ref = MLP([2, 2, 1], hidden="relu", output="identity", init="he", rng=rng)
        for a, b in zip(start.parameters(), params):     # starts are left unchanged
            assert np.array_equal(a, b)
        for a, b in zip(ref.parameters(), params):       # and are MLP's He init
            assert np.array_equal(a, b)
        ref_curve = train(ref, X, y, SGD(0.1), 400)
        np.testing.assert_allclose(curve, ref_curve, rtol=1e-10, atol=1e-15)
        for a, b in zip(net.parameters(), ref.parameters()):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-14)


def test_relu_grad_at_zero_one_matches_the_reference_loop_and_frees_the_tied_unit():
    """relu_grad_at_zero=1.0 is train() with ReLU'(0) = 1; on a start with a w1, w2 <= 0
    unit at bias 0 that unit's bias then moves; with ReLU'(0) = 0 it never does."""
    starts = [s for s in init_xor_runs(20, np.random.default_rng(3))
              if nonpositive_units(s).any()][:3]
    assert starts
    X, y = xor_data()
    nets, losses = train_xor_runs(starts, steps=400, lr=0.1, relu_grad_at_zero=1.0)
    frozen, _ = train_xor_runs(starts, steps=400, lr=0.1)
    for start, net, curve, still in zip(starts, nets, losses, frozen):
        ref = MLP([2, 2, 1], hidden=(relu, lambda z: (z >= 0).astype(float)),
                  output="identity", init="zeros")
        for a, b in zip(ref.parameters(), start.parameters()):
            a[:] = b
        np.testing.assert_allclose(curve, train(ref, X, y, SGD(0.1), 400),
                                   rtol=1e-10, atol=1e-15)
        for a, b in zip(net.parameters(), ref.parameters()):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-14)
        unit = nonpositive_units(start)
        assert np.all(still.b[0][unit] == 0) and np.all(np.abs(net.b[0][unit]) > 1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_unit_is_dead_at_init_with_probability_one_quarter(seed):
    """Bias 0, He weights: P(w1, w2 <= 0) = 1/4 per unit, 1 - (3/4)^2 = 7/16 per net
    (three standard errors: 0.015 per unit, 0.024 per net over 4000 nets)."""
    starts = init_xor_runs(4000, np.random.default_rng(100 + seed))
    dead = np.array([dead_units(s) for s in starts])
    assert dead.mean() == pytest.approx(1 / 4, abs=0.015)
    assert dead.any(axis=1).mean() == pytest.approx(7 / 16, abs=0.024)
    nonpositive = np.array([np.all(s.W[0] <= 0, axis=1) for s in starts])
    assert np.array_equal(dead, nonpositive)              # dead at init iff w1, w2 <= 0


@pytest.mark.parametrize("seed", SEEDS)
def test_a_unit_dead_at_init_never_changes_and_its_run_never_solves(seed):
    starts, nets, outcomes, *_ = runs(seed)
    X, y = xor_data()
    n_dead = 0
    for start, net, outcome in zip(starts, nets, outcomes):
        unit = dead_units(start)
        if not unit.any():
            continue
        n_dead += 1
        assert outcome == "dead at init"
        assert np.array_equal(net.W[0][unit], start.W[0][unit])
        assert np.array_equal(net.b[0][unit], start.b[0][unit])
        dW, db = net.backward(net.forward(X) - y[:, None])
        assert np.all(dW[0][unit] == 0) and np.all(db[0][unit] == 0)
    assert n_dead == outcomes.count("dead at init")
    # 7/16 of 300 is 131.25; three binomial standard errors are 26
    assert abs(n_dead - 7 / 16 * N_RUNS) < 26


@pytest.mark.parametrize("seed", SEEDS)
def test_training_outcomes(seed):
    """About a quarter solve; dead at init is the most common outcome, more frequent
    than all other failures together; all but a handful fit one of the patterns."""
    counts = collections.Counter(runs(seed)[2])
    assert 0.15 <= counts["solved"] / N_RUNS <= 0.35
    assert max(counts, key=counts.get) == "dead at init"
    others = N_RUNS - counts["solved"] - counts["dead at init"]
    assert counts["dead at init"] > others
    assert counts["other"] <= 3


@pytest.mark.parametrize("seed", SEEDS)
def test_failed_runs_end_near_fixed_points_though_patterns_change(seed):
    """The page: failed runs' gradient norms are nearly all < 1e-3 (one or two
    exceptions per 300 runs, still small), and >= 95 % are < 1e-6."""
    starts, nets, outcomes = runs(seed)
    failed = [i for i, o in enumerate(outcomes) if o in FAILURES]
    grad = np.array([gradient_norm(nets[i]) for i in failed])
    assert np.mean(grad < 1e-6) >= 0.95
    assert np.sum(grad >= 1e-3) <= 2 and grad.max() < 0.02
    dead0 = [i for i in failed if outcomes[i] == "dead at init"]
    changed = [not np.array_equal(activation_pattern(starts[i]),
                                  activation_pattern(nets[i])) for i in dead0]
    assert np.mean(changed) >= 0.4                        # the live unit moved
    # "other" runs are slow, not stuck: 3000 more steps solve them
    others = [i for i, o in enumerate(outcomes) if o == "other"]
    if others:
        more, _ = train_xor_runs([nets[i] for i in others], steps=3000, lr=0.1)
        assert all(classify_run(m) == "solved" for m in more)


def test_some_seed_has_an_other_run():
    """So that the check of 'other' runs above is not vacuous."""
    assert any("other" in runs(seed)[2] for seed in SEEDS)


@pytest.mark.parametrize("seed", SEEDS)
def test_about_half_of_the_dead_at_init_end_points_are_not_local_minima(seed):
    """The dead unit's bias sits at the kink 0; its one-sided slope v_j y(0,0) / 4 is
    negative in about half of the runs. Raising that bias by eps changes the loss by
    exactly slope * eps + v_j^2 eps^2 / 8, so for small eps it falls where the slope
    is negative and rises where it is positive."""
    starts, nets, outcomes = runs(seed)
    X, y = xor_data()
    dead0 = [i for i, o in enumerate(outcomes) if o == "dead at init"]
    downhill = 0
    for i in dead0:
        net, units = nets[i], np.flatnonzero(dead_units(starts[i]))
        loss0, _ = mse_loss(net.forward(X), y)
        slopes = bias_slopes_from_above(net)
        for j in units:
            assert net.b[0][j] == 0.0 and np.max(net.Z[0][:, j]) == 0.0
            raised, eps, v = copy.deepcopy(net), 1e-6, net.W[1][0, j]
            raised.b[0][j] = eps
            change = mse_loss(raised.forward(X), y)[0] - loss0
            assert change == pytest.approx(slopes[j] * eps + v * v * eps**2 / 8,
                                           rel=1e-5, abs=1e-15)
            assert np.sign(change) == np.sign(slopes[j]) != 0
        downhill += np.any(slopes[units] < 0)
    assert 0.35 <= downhill / len(dead0) <= 0.65


@pytest.mark.parametrize("seed", SEEDS)
def test_control_breaking_the_tie_at_zero(seed):
    """Hidden bias 1e-9, or ReLU'(0) = 1 at bias 0: nearly the same outcomes; more runs
    solve than at b = 0 with ReLU'(0) = 0, and some runs with a w1, w2 <= 0 unit now
    solve, but most of those runs still end with a dead unit, and in more than half
    it is that unit, dead with its weights unchanged."""
    c = controls(seed)
    base, tiny, r1 = c["b=0"], c[1e-9], c["R'(0)=1"]
    for key in ("solved", "dead unit", "w<=0 solved", "w<=0 dead unit", "w<=0 frozen"):
        assert abs(tiny[key] - r1[key]) <= 3
    assert tiny["solved"] - base["solved"] >= 10
    n_away = tiny["w<=0 runs"]
    assert base["w<=0 solved"] == 0 and tiny["w<=0 solved"] >= 0.05 * n_away
    assert tiny["w<=0 dead unit"] > 0.5 * n_away
    assert tiny["w<=0 frozen"] > 0.5 * n_away
    # a w1, w2 <= 0 unit makes ending with a dead unit much likelier (page: about 2x)
    rest_dead = (tiny["dead unit"] - tiny["w<=0 dead unit"]) / (N_RUNS - n_away)
    assert tiny["w<=0 dead unit"] / n_away >= 1.5 * rest_dead


@pytest.mark.parametrize("seed", SEEDS)
def test_with_a_tiny_bias_the_units_that_face_away_die_at_step_2_by_the_sign_rule(seed):
    """b = 1e-9: no w1, w2 <= 0 unit is dead after one step; after two steps about half
    of the runs have it dead (most of the runs that end with a dead unit, and all of
    them among those), and exactly those units whose v_j y(0,0) > 0 after one step."""
    starts = with_hidden_bias(runs(seed)[0], 1e-9)
    away = [s for s in starts if nonpositive_units(s).any()]
    assert not any(dead_units(s).any() for s in away)   # precondition: z(0,0) = 1e-9
    one, _ = train_xor_runs(away, steps=1)
    two, _ = train_xor_runs(one, steps=1)
    assert not any(dead_with_frozen_weights(s, n) for s, n in zip(away, one))
    dead2 = [dead_with_frozen_weights(s, n) for s, n in zip(away, two)]
    assert 0.4 <= np.mean(dead2) <= 0.65
    assert sum(dead2) >= 0.7 * controls(seed)[1e-9]["w<=0 dead unit"]  # most deaths
    for s, n1, n2 in zip(away, one, two):
        u = nonpositive_units(s)
        assert np.array_equal(dead_units(n2)[u], falls_at_origin(n1)[u])
    # a unit dead after two steps gets no gradient again: every such run is among
    # the runs that end with a dead unit (page: "these 70 are among the 87")
    final, _ = train_xor_runs(two, steps=2998)
    for s, n, d in zip(away, final, dead2):
        if d:
            assert dead_with_frozen_weights(s, n) and classify_run(n) == "dead unit"


@pytest.mark.parametrize("seed", SEEDS)
def test_bias_sweep(seed):
    """As the hidden bias grows from 1e-9 to 1: dead units fall at every step, also
    among runs with a w1, w2 <= 0 unit (under 10 % of these at b = 1); solved rises by
    >= 30 up to b = 0.3 and changes by less than that rise (and <= 10 % of the runs)
    from 0.3 to 1; at b = 0.1 about half of the w1, w2 <= 0 runs still end with a dead
    unit; dead units are the commonest failure up to b = 0.1; at b = 1 most failures
    are 'same pattern', mostly with both units active on all four inputs, and most of
    these started that way."""
    c = controls(seed)
    dead = [c[b]["dead unit"] for b in BIASES]
    dead_away = [c[b]["w<=0 dead unit"] for b in BIASES]
    assert all(x > y for x, y in zip(dead, dead[1:]))
    assert all(x > y for x, y in zip(dead_away, dead_away[1:]))
    assert dead_away[-1] < 0.1 * c[1.0]["w<=0 runs"]
    assert c[0.3]["solved"] - c[1e-9]["solved"] >= 30
    rise = c[0.3]["solved"] - c[1e-9]["solved"]
    assert abs(c[1.0]["solved"] - c[0.3]["solved"]) < min(rise, 0.1 * N_RUNS)
    assert 0.35 <= c[0.1]["w<=0 dead unit"] / c[0.1]["w<=0 runs"] <= 0.65
    for b in BIASES:
        failures = {k: c[b][k] for k in ("dead unit", "same pattern", "zero collision")}
        commonest = max(failures, key=failures.get)
        if b <= 0.1:
            assert commonest == "dead unit"
    assert commonest == "same pattern"                   # b = 1
    assert c[1.0]["same pattern"] > 0.5 * (N_RUNS - c[1.0]["solved"])   # most failures
    assert c["b=1 all active"] >= 0.8 * c[1.0]["same pattern"]
    assert c["b=1 all active at start"] >= 0.7 * c["b=1 all active"]


def test_the_same_pattern_on_three_inputs_can_fit_xor():
    """Why "same pattern" excludes three active inputs: the page's example, both units
    active on exactly (0,1), (1,0), (1,1), outputs XOR exactly."""
    net = xor_network()
    net.b[0][:] = [-0.5, -0.25]
    net.W[1][:] = [[-7.0, 6.0]]
    X, y = xor_data()
    assert np.array_equal(net.forward(X).ravel(), y)
    active = activation_pattern(net)
    assert np.array_equal(active[:, 0], active[:, 1]) and active[:, 0].tolist() == [
        False, True, True, True]
    assert classify_run(net) == "solved"
    # the same pattern on three inputs, not fitted: not counted as "same pattern"
    net.W[1][:] = [[1.0, 1.0]]
    assert classify_run(net) == "other"


@pytest.mark.parametrize("pattern", [[True] * 4, [False, True, False, True],
                                     [False, False, False, True]])
def test_a_shared_pattern_on_one_two_or_four_inputs_cannot_fit_xor(pattern):
    """With both units active on the same 1, 2 or 4 inputs, the best least-squares fit
    of the output layer (every weight free) still misses XOR."""
    X, y = xor_data()
    rng = np.random.default_rng(0)
    mask = np.array(pattern, dtype=float)[:, None]
    for _ in range(200):
        H = mask * (X @ rng.normal(size=(2, 2)) + rng.normal(size=2))
        A = np.column_stack([H, np.ones(4)])
        coef, *_ = np.linalg.lstsq(A, y, rcond=None)
        assert np.max(np.abs(A @ coef - y)) > 0.1


def test_outcome_counts_and_table():
    start = xor_network()
    start.W[0][1], start.b[0][1] = [-1.0, -0.5], 0.1      # faces away from every input
    dead = copy.deepcopy(start)
    dead.b[0][1] = -0.2                                   # died, weights unchanged
    moved = copy.deepcopy(dead)
    moved.W[0][1] = [-1.0, -0.6]                          # died, a weight moved
    c = outcome_counts([start, start, xor_network()], [dead, moved, xor_network()])
    assert (c["solved"], c["dead unit"], c["w<=0 runs"]) == (1, 2, 2)
    assert (c["w<=0 solved"], c["w<=0 dead unit"], c["w<=0 frozen"]) == (0, 2, 1)
    table = outcome_table({"a": c, "b": c}).splitlines()
    assert len(table) == 10 and table[-1].split()[-2:] == ["1", "1"]


def test_classify_run_splits_dead_units_by_the_start():
    start = xor_network()
    start.W[0][1] = [-1.0, -1.0]
    start.b[0][1] = 0.0
    assert classify_run(start) == "dead unit"
    assert classify_run(start, start) == "dead at init"
    assert classify_run(start, xor_network()) == "died in training"


def test_bad_arguments():
    with pytest.raises(ValueError, match="output"):
        xor_network("sigmoid")
    with pytest.raises(ValueError, match="n_runs"):
        init_xor_runs(0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="hidden_bias"):
        init_xor_runs(2, np.random.default_rng(0), hidden_bias=np.nan)
    with pytest.raises(ValueError, match="starts"):
        train_xor_runs([])
    with pytest.raises(ValueError, match="starts"):
        train_xor_runs([MLP([2, 3, 1], init="zeros")])
    with pytest.raises(ValueError, match="steps"):
        train_xor_runs([xor_network()], steps=0)
    with pytest.raises(ValueError, match="lr"):
        train_xor_runs([xor_network()], lr=-1.0)
    with pytest.raises(ValueError, match="relu_grad_at_zero"):
        train_xor_runs([xor_network()], relu_grad_at_zero=0.5)
