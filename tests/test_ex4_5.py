"""Claims of page 4-5 (parameter count against depth; linear pieces)."""

from fractions import Fraction

import numpy as np
import pytest

from snippets import ex4_5
from snippets.ex4_5 import (breakpoints, budget_layer_sizes, claim_violations,
                            count_linear_pieces, counted_parameters, counted_weights,
                            divisors, layer_counts, network_pieces,
                            one_unit_per_kink_fit, one_unit_per_kink_network,
                            parameter_formula, random_network_pieces,
                            random_shallow_pieces, real_maximiser,
                            shallow_sawtooth_network, tent_network)
from snippets.mlp import MLP, count_parameters

SEEDS = [0, 1, 2, 3, 4]
CASES = [(N, M0) for N in range(1, 121) for M0 in (1, 2, 3, 5, 9, 20, 40)]


def test_the_example_from_the_exercise_list():
    assert [counted_parameters(3, 12, L) for L in divisors(12)] == [61, 73, 61, 52, 41, 28]
    assert [parameter_formula(12, 3, L) for L in divisors(12)] == [61, 73, 61, 52, 41, 28]
    assert counted_parameters(3, 12, 12) == 3 + 24 + 1


def test_layer_by_layer_table():
    for M0, N in ((3, 12), (5, 24), (1, 30)):
        for L in divisors(N):
            rows = layer_counts(M0, N, L)
            k = N // L
            assert rows == [(M0 * k, k)] + [(k * k, k)] * (L - 1) + [(k, 1)]
            assert sum(b for _, b in rows) == N + 1          # one bias per neuron


@pytest.mark.parametrize("N, M0", CASES[::7])
def test_formula_equals_the_count_of_real_networks(N, M0):
    for L in divisors(N):
        net = MLP(budget_layer_sizes(M0, N, L), init="zeros")
        counted = sum(p.size for p in net.parameters())
        assert counted == parameter_formula(N, M0, L) == count_parameters(net.sizes)
        assert net.sizes == (M0,) + (N // L,) * L + (1,)


def test_rise_from_one_to_two_layers_exactly_when_n_exceeds_2_m0_plus_1():
    for N in range(2, 201, 2):
        for M0 in range(1, 60):
            rise = counted_parameters(M0, N, 2) - counted_parameters(M0, N, 1)
            assert 4 * rise == N * N - 2 * N * (M0 + 1)
            assert (rise > 0) == (N > 2 * (M0 + 1))
            assert (rise == 0) == (N == 2 * (M0 + 1))


def test_p_of_l_minus_p_of_1_factorises():
    for N, M0 in CASES:
        for L in divisors(N):
            diff = counted_parameters(M0, N, L) - counted_parameters(M0, N, 1)
            assert diff == Fraction(N * (L - 1), L) * (Fraction(N, L) - (M0 + 1))


def test_strictly_decreasing_from_two_layers_on_and_the_deepest_value():
    for N, M0 in CASES:
        Ls = [L for L in divisors(N) if L >= 2]
        P = [counted_parameters(M0, N, L) for L in Ls]
        assert all(b < a for a, b in zip(P, P[1:])), (N, M0)
        assert counted_parameters(M0, N, N) == M0 + 2 * N + 1
        assert counted_parameters(M0, N, N) == min(counted_parameters(M0, N, L)
                                                   for L in divisors(N))


def test_the_deepest_network_is_below_the_single_layer_by_m0_times_n_minus_1():
    """Step (e) for L = 1, which (c) does not cover: P(1) - P(N) = M0 (N - 1) > 0."""
    for N, M0 in CASES:
        diff = counted_parameters(M0, N, 1) - counted_parameters(M0, N, N)
        assert diff == M0 * (N - 1)
        assert (diff > 0) == (N >= 2)


def test_weights_alone_give_the_same_conclusions():
    """Biases are N + 1 for every L, so without them every difference is unchanged;
    the deepest network then has M0 + N weights."""
    for N, M0 in CASES[::3]:
        W = {L: counted_weights(M0, N, L) for L in divisors(N)}
        for L in divisors(N):
            assert counted_parameters(M0, N, L) - W[L] == N + 1
            rise = counted_parameters(M0, N, L) - counted_parameters(M0, N, 1)
            assert W[L] - W[1] == rise
        assert W[N] == M0 + N == min(W.values())


def test_the_largest_count_is_at_one_layer_or_the_smallest_divisor_above_one():
    for N, M0 in CASES[7:]:                        # N >= 2
        Ls = divisors(N)
        P = {L: counted_parameters(M0, N, L) for L in Ls}
        d = Ls[1]
        assert max(P.values()) == max(P[1], P[d])
        assert (P[d] > P[1]) == (N // d > M0 + 1)
    assert counted_parameters(1, 15, 3) > counted_parameters(1, 15, 1)   # odd N: 1 -> 3


def test_middle_term_peaks_at_two_and_p_peaks_at_l_star():
    L = np.linspace(1.0, 50.0, 490001)
    b = (L - 1) / L**2
    assert L[np.argmax(b)] == pytest.approx(2.0, abs=1e-4)
    for N, M0 in ((12, 3), (12, 9), (60, 3), (60, 40), (7, 1), (100, 2)):
        P = parameter_formula(N, M0, L[L <= N])
        L_star = float(real_maximiser(N, M0))
        assert L[np.argmax(P)] == pytest.approx(L_star, abs=1e-4)
        assert 1 <= L_star < 2
    assert real_maximiser(12, 9) > 1 and counted_parameters(9, 12, 2) < counted_parameters(9, 12, 1)
    assert real_maximiser(3, 5) == 1                 # N <= M0 + 1: decreasing from L = 1


@pytest.mark.parametrize("N, M0", [(6, 9), (3, 5), (10, 9), (11, 9), (2, 40), (30, 29),
                                   (12, 3), (60, 40)])
def test_real_maximum_is_at_l_star_only_when_n_is_at_least_m0_plus_1(N, M0):
    """L* = 2N / (N + M0 + 1) >= 1 exactly when N >= M0 + 1; otherwise P is strictly
    decreasing on [1, N] and its maximum is at L = 1 (what max(L*, 1) returns)."""
    L = np.linspace(1.0, N, 200001)
    P = parameter_formula(N, M0, L)
    L_star = 2 * N / (N + M0 + 1)
    assert (L_star >= 1) == (N >= M0 + 1)
    assert L[np.argmax(P)] == pytest.approx(max(L_star, 1.0), abs=1e-4)
    assert real_maximiser(N, M0) == max(L_star, 1.0)
    if N < M0 + 1:
        assert np.all(np.diff(P) < 0)
    elif N > M0 + 1:
        assert P[np.argmax(P)] > P[0]


def test_page_analysis_cell():
    L = np.linspace(1.0, 6, 100001)
    assert L[np.argmax(parameter_formula(6, 9, L))] == 1.0 == real_maximiser(6, 9)
    assert 2 * 6 / (6 + 9 + 1) == 0.75
    for N, M0 in ((12, 3), (12, 9), (60, 3), (60, 40), (6, 9)):
        L = np.linspace(1.0, N, 100001)
        grid = L[np.argmax(parameter_formula(N, M0, L))]
        assert abs(grid - real_maximiser(N, M0)) < 1e-3


def test_figure_regimes():
    for N, M0 in ((12, 3), (60, 3)):
        assert counted_parameters(M0, N, 2) > counted_parameters(M0, N, 1)
    for N, M0 in ((12, 9), (60, 40)):
        P = [counted_parameters(M0, N, L) for L in divisors(N)]
        assert all(b < a for a, b in zip(P, P[1:]))


def test_the_sweep_finds_no_violation_and_would_find_a_sign_error(monkeypatch):
    n, violations = claim_violations(range(1, 61), range(1, 21))
    assert n == 20 * sum(len(divisors(N)) for N in range(1, 61))
    assert set(violations.values()) == {0}

    def sign_error(N, M0, L):   # the middle term with the wrong sign
        L = Fraction(L)
        return N * (M0 + 1) / L - N**2 * (L - 1) / L**2 + N + 1

    monkeypatch.setattr(ex4_5, "parameter_formula", sign_error)
    _, violations = claim_violations(range(1, 13), range(1, 4))
    assert violations["formula"] > 0


@pytest.mark.parametrize("k", range(1, 7))
def test_sawtooth_has_exactly_2_to_the_k_pieces(k):
    net = tent_network(k)
    assert net.sizes == (1,) + (2,) * k + (1,)
    assert network_pieces(net) == 2**k
    assert net.n_parameters() == 6 * k + 1 == count_parameters([1, 2 * k, 1])
    # independent count on a dyadic grid that contains every kink j / 2^k
    x = np.linspace(0.0, 1.0, 2 ** (k + 3) + 1)
    slopes = np.diff(net.forward(x[:, None]).ravel()) / np.diff(x)
    assert set(np.abs(slopes).round(9).tolist()) == {2.0**k}
    assert 1 + np.count_nonzero(np.diff(np.sign(slopes))) == 2**k


@pytest.mark.parametrize("k", [1, 2, 3, 5, 7])
def test_shallow_sawtooth_is_the_same_function(k):
    rng = np.random.default_rng(k)
    x = np.sort(rng.uniform(0, 1, 5000))[:, None]
    deep, wide = tent_network(k), shallow_sawtooth_network(k)
    np.testing.assert_allclose(wide.forward(x), deep.forward(x), atol=1e-9)
    assert network_pieces(wide) == 2**k and wide.sizes[1] == 2**k


@pytest.mark.parametrize("k", range(1, 9))
def test_premises_of_the_lower_bound(k):
    """The sawtooth's slope is 2^k on its first piece and jumps by exactly +-2^(k+1) at
    each of its 2^k - 1 interior kinks j / 2^k (read off the real network)."""
    x, y = breakpoints(tent_network(k))
    slopes = np.diff(y) / np.diff(x)
    np.testing.assert_array_equal(x, np.arange(2**k + 1) / 2**k)
    assert slopes[0] == 2.0**k
    np.testing.assert_array_equal(np.abs(np.diff(slopes)), 2.0 ** (k + 1))


@pytest.mark.parametrize("seed", SEEDS)
def test_real_one_unit_per_kink_networks_miss_the_first_slope(seed):
    """Step 2 of the proof on real [1, 2^k - 1, 1] networks: one unit per interior kink,
    random orientations and |w|, output weights chosen so every jump matches the
    sawtooth's. Read via breakpoints: the jumps are v_i |w_i| = J_i, the first slope is
    -sum_{w<0} J_i, never 2^k, so the network differs from t^k by a non-constant line."""
    rng = np.random.default_rng(seed)
    for k in range(1, 7):
        n = 2**k
        w = rng.choice([-1.0, 1.0], n - 1) * rng.uniform(0.5, 2.0, n - 1)
        net = one_unit_per_kink_network(k, w, c=rng.normal())
        x, y = breakpoints(net)
        np.testing.assert_allclose(x, np.arange(n + 1) / n, atol=1e-12)
        slopes = np.diff(y) / np.diff(x)
        J = (-1.0) ** np.arange(1, n) * 2.0 ** (k + 1)
        np.testing.assert_allclose(np.diff(slopes), J, rtol=1e-9)
        np.testing.assert_allclose(net.W[1][0] * np.abs(w), J, rtol=1e-12)
        assert slopes[0] == pytest.approx(-J[w < 0].sum(), abs=1e-9)
        assert abs(slopes[0] - 2.0**k) >= 2.0**k - 1e-9
        gap = y - tent_network(k).forward(x[:, None]).ravel()
        np.testing.assert_allclose(np.diff(gap) / np.diff(x), slopes[0] - 2.0**k,
                                   atol=1e-8)


def test_fewer_than_2_to_the_k_units_cannot_represent_the_sawtooth():
    """Least squares over every orientation of 2^k - 1 units placed at the interior
    kinks (the placement step 1 of the proof forces for exact equality; free kink
    positions are not searched, so these are not best approximation errors): never
    exact; adding the unit at 0 (the page's 2^k-unit construction) makes it exact."""
    best = {k: one_unit_per_kink_fit(k).min() for k in (1, 2, 3)}
    assert [round(best[k], 3) for k in (1, 2, 3)] == [0.275, 0.108, 0.043]
    for k in (1, 2, 3):
        assert one_unit_per_kink_fit(k, unit_at_zero=True).min() < 1e-12
    with pytest.raises(ValueError, match="at most 4"):
        one_unit_per_kink_fit(5)


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_every_unit_of_the_shallow_construction_is_needed(k):
    deep, x = tent_network(k), np.linspace(0.0, 1.0, 2 ** (k + 3) + 1)[:, None]
    wide = shallow_sawtooth_network(k)
    assert wide.sizes[1] == 2**k
    for j in range(2**k):
        cut = shallow_sawtooth_network(k)
        cut.W[1][0, j] = 0.0
        assert np.max(np.abs(cut.forward(x) - deep.forward(x))) >= 2.0 - 1e-9


def test_sawtooth_table_weights():
    for k in range(1, 7):
        deep, wide = tent_network(k), MLP([1, 2 * k, 1], init="zeros")
        assert sum(W.size for W in deep.W) == sum(W.size for W in wide.W) == 4 * k
        assert sum(b.size for b in deep.b) == sum(b.size for b in wide.b) == 2 * k + 1


@pytest.mark.parametrize("seed", SEEDS)
def test_breakpoints_describe_random_networks_exactly(seed):
    rng = np.random.default_rng(seed)
    for sizes in ([1, 5, 1], [1, 4, 4, 1], [1, 3, 6, 3, 1], [1, 8, 8, 8, 1]):
        net = MLP(sizes, init="he", rng=rng, bias=0.0)
        for b in net.b:
            b[:] = rng.normal(size=b.shape)
        x, y = breakpoints(net, -3.0, 3.0)
        probe = rng.uniform(-3.0, 3.0, 4000)
        np.testing.assert_allclose(np.interp(probe, x, y), net.forward(probe[:, None]).ravel(),
                                   rtol=1e-9, atol=1e-9)
        # each interval really is one linear piece: its midpoint lies on the chord
        mid = 0.5 * (x[1:] + x[:-1])
        np.testing.assert_allclose(net.forward(mid[:, None]).ravel(), 0.5 * (y[1:] + y[:-1]),
                                   rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_one_hidden_layer_never_exceeds_n_plus_1_pieces(seed):
    rng = np.random.default_rng(seed)
    for n in (1, 2, 4, 8, 12, 16):
        pieces = random_shallow_pieces(n, 200, rng)
        assert pieces.max() <= n + 1
        if n <= 12:   # all n kinks in [-3, 3]: p = 0.795^n >= 0.064 per net
            assert pieces.max() == n + 1    # so 200 nets miss with p < 2e-6


@pytest.mark.parametrize("seed", SEEDS)
def test_random_networks_at_12_units_lose_pieces_with_depth(seed):
    """The control of section 3: with random weights the mean number of pieces on
    [-3, 3] falls as the 12 units are spread over more layers; 2 x 6 and 3 x 4 can still
    exceed one layer's bound 13 (some of the 100 networks, but not most), and width 1
    is always monotone."""
    rng = np.random.default_rng(seed)
    means = []
    for width in (12, 6, 4, 2, 1):
        pieces, monotone = random_network_pieces([1] + [width] * (12 // width) + [1],
                                                 100, rng)
        means.append(pieces.mean())
        if width == 12:
            assert pieces.max() <= 13
        if width in (6, 4):
            assert 0 < np.count_nonzero(pieces > 13) < 50
        if width == 1:
            assert monotone.all()
    assert all(b < a for a, b in zip(means, means[1:])), means
    assert means[0] > 11.5 and means[3] < 4


@pytest.mark.parametrize("seed", SEEDS)
def test_width_one_networks_are_monotone_so_cannot_compute_the_tent(seed):
    rng = np.random.default_rng(seed)
    for depth in (2, 6):
        pieces, monotone = random_network_pieces([1] + [1] * depth + [1], 100, rng)
        assert monotone.all() and pieces.max() > 1
    y = tent_network(1).forward(np.array([[0.0], [0.5], [1.0]])).ravel()
    assert y.tolist() == [0.0, 1.0, 0.0]         # 2 units in one layer: not monotone


def test_deep_beats_shallow_from_three_layers_on():
    for k in range(1, 11):
        deep = network_pieces(tent_network(k))
        assert (deep > 2 * k + 1) == (k >= 3)


def test_count_linear_pieces_merges_collinear_segments():
    x = np.array([0.0, 0.1, 0.2, 0.5, 1.0])
    assert count_linear_pieces(x, 3 * x + 1) == 1
    assert count_linear_pieces(x, np.abs(x - 0.2)) == 2


def test_bad_arguments():
    with pytest.raises(ValueError, match="divide"):
        budget_layer_sizes(3, 12, 5)
    with pytest.raises(ValueError, match="M0"):
        budget_layer_sizes(0, 12, 1)
    with pytest.raises(ValueError, match="N must"):
        divisors(2.5)
    with pytest.raises(ValueError, match=">= 1"):
        parameter_formula(12, 3, np.array([0.5, 2.0]))
    with pytest.raises(ValueError, match="1 input"):
        breakpoints(MLP([2, 3, 1], init="zeros"))
    with pytest.raises(ValueError, match="a < b"):
        breakpoints(tent_network(1), 1.0, 0.0)
    with pytest.raises(ValueError, match="increasing"):
        count_linear_pieces(np.array([0.0, 0.0]), np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="k must"):
        tent_network(0)
