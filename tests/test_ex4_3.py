"""Claims of page 4-3 (the dying ReLU problem)."""

import numpy as np
import pytest

from snippets.ex4_3 import (TINY_T, TINY_X, clone_net, coast_landing, coast_ratio,
                            coasting_runs, dead_summary, dead_units, gradient_step,
                            knock_out, make_nets, max_preactivation, optimizer_deaths,
                            record_training, run_configs, tiny_network, train_mlp_runs,
                            two_circles, unit_parameters)
from snippets.mlp import MLP, SGD, Adam, Momentum, binary_cross_entropy, mse_loss, train

SEEDS = [0, 1, 2]
LRS = (2.0, 4.0, 6.0, 8.0)
CONFIGS = [("relu", "xavier", 0.0, lr) for lr in LRS] + [
    ("relu", "he", 0.0, 8.0), ("relu", "xavier", 0.1, 8.0),
    ("leaky_relu", "xavier", 0.0, 8.0), ("elu", "xavier", 0.0, 8.0),
    ("softplus", "xavier", 0.0, 8.0)]


@pytest.fixture(scope="module")
def sweeps():
    """The page's experiment (10 nets per configuration) on three data sets."""
    out = {}
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        X, y = two_circles(100, rng)
        results = run_configs(X, y, CONFIGS, 10, 600, rng)
        out[seed] = [dead_summary(r) + (r,) for r in results]
    return out


def test_momentum_kills_more_units_through_its_larger_step():
    """Same fresh nets, 150 full-batch steps, 12 data sets: Momentum(4, 0.9) leaves
    more dead units than SGD(4) on most of them (not on all: 11 of these 12; seeds 11
    and 17 of 0..19 go the other way), and on average by far; Momentum(0.4, 0.9),
    about SGD(4)'s step, leaves no more than SGD(4) on every one."""
    more, same_step_no_more, totals = 0, 0, np.zeros(2)
    for seed in range(12):
        rng = np.random.default_rng(seed)
        X, y = two_circles(100, rng)
        deaths = optimizer_deaths(make_nets(10, rng), X, y, {
            "sgd": lambda: SGD(4.0), "momentum": lambda: Momentum(4.0, 0.9),
            "momentum, same step": lambda: Momentum(0.4, 0.9)}, steps=150)
        more += deaths["momentum"] > deaths["sgd"]
        same_step_no_more += deaths["momentum, same step"] <= deaths["sgd"]
        totals += deaths["momentum"], deaths["sgd"]
    assert more >= 9
    assert same_step_no_more == 12
    assert totals[0] > 2 * totals[1]


def test_optimizer_deaths_leaves_the_nets_alone_and_checks_its_input():
    rng = np.random.default_rng(0)
    X, y = two_circles(20, rng)
    nets = make_nets(2, rng)
    before = [p.copy() for n in nets for p in n.parameters()]
    optimizer_deaths(nets, X, y, {"sgd": lambda: SGD(4.0)}, steps=5)
    assert all(np.array_equal(a, b) for a, b in
               zip(before, [p for n in nets for p in n.parameters()]))
    with pytest.raises(ValueError, match="non-empty"):
        optimizer_deaths([], X, y, {"sgd": lambda: SGD(4.0)}, steps=5)


def test_worked_example():
    X, t = np.array(TINY_X), np.array(TINY_T)
    net = tiny_network()
    assert net.forward(X).ravel().tolist() == list(TINY_T)
    gradient_step(net, np.array([[3.0]]), np.array([-27.0]), SGD(0.1))
    assert [float(p.ravel()[0]) for p in net.parameters()] == [-8.0, -3.0, -8.0, -3.0]
    net.forward(X)
    assert net.Z[0].ravel().tolist() == [-11.0, -19.0, -27.0]
    frozen = unit_parameters(net).tobytes()
    losses = train(net, X, t, SGD(0.1), 300)
    assert unit_parameters(net).tobytes() == frozen
    assert net.b[1][0] == pytest.approx(2.0, abs=1e-12)      # only c learns: mean(t)
    assert losses[-1] == pytest.approx(1 / 3, abs=1e-12)
    np.testing.assert_allclose(net.forward(X).ravel(), 2.0)


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("loss", [mse_loss, binary_cross_entropy])
def test_a_dead_unit_gets_exactly_zero_gradient_on_every_sample(seed, loss):
    rng = np.random.default_rng(seed)
    X, y = two_circles(50, rng)
    net = MLP([2, 6, 1], hidden="relu", init="he", rng=rng)
    net.b[0][:2] = -10.0                                 # units 0 and 1: dead on X
    net.W[0][2], net.b[0][2] = (1.0, 0.0), -X[:, 0].max()  # unit 2: max z is exactly 0
    assert max_preactivation(net.W[0], net.b[0], X)[2] == 0.0
    dead = dead_units(net, X)
    assert dead[:3].all() and not dead[3:].any()
    for i in range(len(X)):                              # one sample at a time
        dW, db = net.backward(loss(net.forward(X[i:i + 1]), y[i:i + 1])[1])
        assert np.all(dW[0][:3] == 0) and np.all(db[0][:3] == 0)
        assert np.all(dW[1][:, :3] == 0)                  # outgoing weights as well
    dW, db = net.backward(loss(net.forward(X), y)[1])
    assert np.all(np.abs(dW[0][3:]).sum(axis=1) > 0)     # live units do learn


def test_vectorised_training_matches_the_reference_loop():
    rng = np.random.default_rng(5)
    X, y = two_circles(40, rng)
    for hidden in ("relu", "leaky_relu", "elu"):
        nets = make_nets(3, np.random.default_rng(1), hidden=hidden)
        refs = make_nets(3, np.random.default_rng(1), hidden=hidden)
        max_z = train_mlp_runs(nets, X, y, np.array([0.5, 1.0, 2.0]), 150)
        for net, ref, lr, mz in zip(nets, refs, (0.5, 1.0, 2.0), max_z):
            train(ref, X, y, SGD(lr), 150, loss="bce")
            for a, b in zip(net.parameters(), ref.parameters()):
                np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(mz[-1], max_preactivation(ref.W[0], ref.b[0], X),
                                       rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_more_units_die_at_larger_learning_rates(sweeps, seed):
    rows = sweeps[seed]
    end = [rows[k][0] for k in range(len(LRS))]
    assert end[0] < end[2] < end[3]
    assert end[0] <= 0.2 and end[3] >= 0.75
    assert rows[0][2] >= 0.99 and rows[3][2] < 0.9          # median accuracy
    for k in range(len(LRS)):                       # ReLU under GD: never revives
        dead = rows[k][4]["max_z"] <= 0
        assert np.array_equal(dead.any(axis=1), dead[:, -1])
        assert np.array_equal(dead[:, 50], dead[:, -1])      # all deaths in 50 steps


@pytest.mark.parametrize("seed", SEEDS)
def test_fixes(sweeps, seed):
    rows = sweeps[seed]
    relu8, he, bias, leaky, elu, softplus = (rows[k] for k in range(3, 9))
    # a smaller rate (2 instead of 8): fewest dead units, best accuracy of the fixes
    table = [rows[k] for k in (0, 3, 4, 5, 6, 7, 8)]
    assert rows[0][0] == min(r[0] for r in table)
    assert rows[0][2] == max(r[2] for r in table)
    # He init and a small positive bias do not stop an oversized rate
    assert he[0] > 0.6 and bias[0] > 0.6 and he[2] < 0.9 and bias[2] < 0.9
    # LeakyReLU: pushed out as often, but units come back and accuracy is higher
    assert leaky[1] > 0.75 and leaky[0] < leaky[1] - 0.15 and leaky[0] < relu8[0]
    assert leaky[2] > relu8[2]
    # ELU: all-negative units end far out, where the slope exp(z) is ~0
    z = elu[4]["max_z"][:, -1]
    assert elu[0] > 0.75 and np.median(z[z <= 0]) < -8
    assert elu[2] <= relu8[2] and elu[2] <= leaky[2]
    # softplus units come back partly
    assert softplus[0] < softplus[1]


@pytest.mark.parametrize("seed", range(6))
def test_dead_units_with_fresh_optimiser_state_never_move(seed):
    rng = np.random.default_rng(seed)
    X, y = two_circles(100, rng)
    net = make_nets(1, rng)[0]
    net.b[0][0] = -20.0                                  # dead from initialisation too
    dead = knock_out(net, X, y, lr=80.0)
    assert dead[0]
    for optimizer in (SGD(1.0), Momentum(0.5, 0.9), Adam(0.02)):
        trial = clone_net(net)
        before = unit_parameters(trial)
        train(trial, X, y, optimizer, 300, loss="bce")
        after = unit_parameters(trial)
        assert after[dead].tobytes() == before[dead].tobytes()
        assert np.all(after[~dead] != before[~dead])


def test_a_rate_spike_kills_units_in_most_runs():
    killed = []
    for seed in range(10):
        rng = np.random.default_rng(seed)
        X, y = two_circles(100, rng)
        killed.append(int(knock_out(make_nets(1, rng)[0], X, y, lr=80.0).sum()))
    assert sum(k > 0 for k in killed) >= 6


@pytest.fixture(scope="module")
def coasts():
    out = {}
    for name, make in (("momentum", lambda: Momentum(4.0, 0.9)),
                       ("adam", lambda: Adam(0.5))):
        spells = []
        for seed in SEEDS:
            rng = np.random.default_rng(seed)
            X, y = two_circles(100, rng)
            spells += coasting_runs(X, y, make, 8, 100, rng)[1]
        out[name] = spells
    return out


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_coasting_is_ballistic_and_predictable(coasts, name):
    spells = coasts[name]
    assert len(spells) >= 10
    assert all(s["zero_grad"] for s in spells)            # the data never contributes
    # momentum: exactly rho up to rounding; Adam: coast_ratio neglects eps, which
    # matters for the rare coordinates whose gradient was ~eps before the death
    tol = 1e-8 if name == "momentum" else 0.05
    assert max(s["ratio_error"] for s in spells) < tol
    assert all((s["end"] is not None) == s["predicted_revival"] for s in spells)


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_coasting_revives_some_units_and_sinks_others(coasts, name):
    revived = [s["end"] is not None for s in coasts[name]]
    assert 0 < sum(revived) < len(revived)


def test_coasting_stops_bit_for_bit_once_the_velocity_is_below_rounding():
    rng = np.random.default_rng(2)
    X, y = two_circles(100, rng)
    net = make_nets(1, rng)[0]
    rec = record_training(net, X, y, Momentum(4.0, 0.9), 600)
    dead = rec["max_z"] <= 0
    forever = np.flatnonzero(dead[50:].all(axis=0) & ~dead[0])  # died, then stayed dead
    assert len(forever) > 0
    for k in forever:
        moved = np.any(rec["theta"][1:, k] != rec["theta"][:-1, k], axis=1)
        changes = np.flatnonzero(moved)
        assert changes[-1] < 500                     # frozen for the last 100 steps
        assert changes[-1] > 50                           # ... after coasting a while


def test_coast_ratio_and_landing():
    assert coast_ratio(SGD(1.0), 3) == 0.0
    assert coast_ratio(Momentum(1.0, 0.8), 7) == 0.8
    adam = Adam(0.1)
    assert coast_ratio(adam, 1) == pytest.approx(
        (0.9 * 0.1 / 0.19) / np.sqrt(0.999 * 0.001 / (1 - 0.999**2)))
    assert coast_ratio(adam, 10**7) == pytest.approx(0.9 / np.sqrt(0.999))
    d = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(coast_landing(np.zeros(3), d, Momentum(1.0, 0.9), 4),
                               d + 9 * d)


def test_deeper_units_can_be_revived_by_the_layers_below():
    """Only the first hidden layer sees fixed inputs; deeper units can come back."""
    X, y = two_circles(100, np.random.default_rng(0))
    revivals = {0: 0, 1: 0}
    for seed in range(6):
        net = MLP([2, 8, 8, 1], hidden="relu", init="he",
                  rng=np.random.default_rng(seed))
        history = []

        def record(step, net):
            net.forward(X)
            history.append([np.all(z <= 0, axis=0) for z in net.Z[:2]])

        train(net, X, y, SGD(1.0), 300, loss="bce", callback=record)
        for layer in (0, 1):
            dead = np.array([h[layer] for h in history])
            revivals[layer] += int(np.sum(dead[:-1] & ~dead[1:]))
    assert revivals[0] == 0 and revivals[1] > 0


def test_bad_arguments():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="n must"):
        two_circles(1, rng)
    with pytest.raises(ValueError, match="noise"):
        two_circles(10, rng, noise=-1.0)
    with pytest.raises(ValueError, match="shapes"):
        max_preactivation(np.ones((3, 2)), np.ones(3), np.ones((4, 3)))
    with pytest.raises(ValueError, match="learning rate per net"):
        train_mlp_runs(make_nets(2, rng), np.ones((4, 2)), np.ones(4), np.ones(3), 1)
    with pytest.raises(ValueError, match="same activation"):
        train_mlp_runs(make_nets(1, rng) + make_nets(1, rng, hidden="elu"),
                       np.ones((4, 2)), np.ones(4), np.ones(2), 1)
    with pytest.raises(ValueError, match="expected SGD"):
        coast_ratio("adam", 1)


@pytest.mark.parametrize("make", [lambda: SGD(1.0), lambda: Momentum(1.0, 0.9),
                                  lambda: Adam(0.1)])
def test_record_training_takes_the_same_steps_as_train(make):
    X, y = two_circles(60, np.random.default_rng(4))
    net, ref = (make_nets(1, np.random.default_rng(9))[0] for _ in range(2))
    rec = record_training(net, X, y, make(), 50)
    train(ref, X, y, make(), 50, loss="bce")
    for a, b in zip(net.parameters(), ref.parameters()):
        assert a.tobytes() == b.tobytes()
    assert rec["theta"][-1].tobytes() == unit_parameters(ref).tobytes()
