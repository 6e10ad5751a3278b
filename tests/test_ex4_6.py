"""Claims of page 4-6 (universal approximation with ReLU hidden units)."""

import numpy as np
import pytest

from snippets.ex4_6 import (TARGETS, bump_2d, error_bounds, fit_ridge_output,
                            graded_knots, interpolant_coefficients, interpolation_error,
                            kink_target, knots_error, loglog_slope, one_layer_floor,
                            polynomial_activation_floor, ramp, ramp_network,
                            ramp_network_as_relu, relu_interpolant, ridge_sup_error,
                            ridge_units, root_interpolation_error, root_target,
                            shifted_knots_error, smooth_lower_bound, smooth_target,
                            squashing_checks)
from snippets.mlp import MLP

SEEDS = [0, 1, 2, 3, 4]
UNITS = [4, 8, 16, 32, 64, 128, 256]


# --- the ramp meets the hypotheses of Theorem 4.1 -----------------------------------

def test_ramp_is_bounded_monotone_continuous_and_non_constant():
    t = np.linspace(-50.0, 50.0, 200001)
    c = squashing_checks(ramp, t)
    assert c["min"] == 0.0 and c["max"] == 1.0                  # bounded, in [0, 1]
    assert c["min_increment"] >= 0.0                             # non-decreasing
    assert c["max_slope"] == pytest.approx(1.0, abs=1e-9)   # 1-Lipschitz: continuous
    assert c["range"] == 1.0                                     # non-constant
    assert np.all(ramp(t[t <= 0]) == 0) and np.all(ramp(t[t >= 1]) == 1)  # sigmoidal


@pytest.mark.parametrize("seed", SEEDS)
def test_ramp_is_the_clipped_identity_and_lipschitz_on_random_pairs(seed):
    rng = np.random.default_rng(seed)
    s, t = rng.normal(scale=3.0, size=(2, 10000))
    np.testing.assert_array_equal(ramp(t), np.clip(t, 0.0, 1.0))
    assert np.all(np.abs(ramp(s) - ramp(t)) <= np.abs(s - t) + 1e-15)


def test_relu_itself_fails_the_boundedness_hypothesis():
    c = squashing_checks(lambda t: np.maximum(t, 0.0), np.linspace(0.0, 1e6, 11))
    assert c["max"] == 1e6


# --- every network of the theorem (N ramps) is a ReLU network with 2N units ----------

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("D", [1, 2, 5])
def test_ramp_network_equals_relu_network_with_2n_units(seed, D):
    rng = np.random.default_rng(seed)
    N = int(rng.integers(1, 60))
    v, W, b = rng.normal(size=N), rng.normal(scale=3, size=(N, D)), rng.normal(size=N)
    c = float(rng.normal())
    X = rng.uniform(-2.0, 2.0, size=(500, D))
    net = ramp_network_as_relu(v, W, b, c)
    assert net.sizes == (D, 2 * N, 1)
    assert net.f_hidden[0].__name__ == "relu" and net.f_output[0].__name__ == "identity"
    np.testing.assert_allclose(net.forward(X).ravel(), ramp_network(X, v, W, b) + c,
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_affine_map_into_the_cube_is_absorbed_into_weights_and_biases(seed):
    """F(x) = F~(x / (2R) + 1/2) with weights w / (2R) and biases b + w.1 / 2."""
    rng = np.random.default_rng(seed)
    D, N, R = int(rng.integers(1, 5)), int(rng.integers(1, 30)), rng.uniform(0.5, 20)
    v, W, b = rng.normal(size=N), rng.normal(scale=3, size=(N, D)), rng.normal(size=N)
    X = rng.uniform(-R, R, size=(300, D))
    np.testing.assert_allclose(ramp_network(X, v, W / (2 * R), b + W.sum(axis=1) / 2),
                               ramp_network(X / (2 * R) + 0.5, v, W, b),
                               rtol=0, atol=1e-12)


# --- the constructive 1-D proof -------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_interpolant_is_exact_at_knots_and_linear_between(seed):
    rng = np.random.default_rng(seed)
    K = int(rng.integers(2, 300))
    knots = np.sort(rng.uniform(-3.0, 3.0, K + 1))
    a = rng.normal(size=4)

    def f(x):
        return a[0] * np.sin(3 * x) + a[1] * np.abs(x) + a[2] * x**2 + a[3]

    net = relu_interpolant(f, knots)
    assert net.sizes == (1, K, 1)
    np.testing.assert_allclose(net.forward(knots[:, None]).ravel(), f(knots),
                               rtol=0, atol=1e-12)
    mid = (knots[:-1] + knots[1:]) / 2
    np.testing.assert_allclose(net.forward(mid[:, None]).ravel(),
                               (f(knots[:-1]) + f(knots[1:])) / 2, rtol=0, atol=1e-12)


def test_coefficients_are_first_slope_then_slope_changes():
    knots = np.array([0.0, 1.0, 3.0, 4.0])
    values = np.array([1.0, 3.0, 3.0, 0.0])                     # slopes 2, 0, -3
    assert interpolant_coefficients(knots, values).tolist() == [2.0, -2.0, -3.0]


@pytest.mark.parametrize("seed", SEEDS)
def test_error_bounds_hold_on_random_non_uniform_knots(seed):
    """|f - p| <= omega_f(h) in general, and <= h^2 max|f''| / 8 for C^2 functions."""
    rng = np.random.default_rng(seed)
    K = int(rng.integers(5, 80))
    knots = np.concatenate([[0.0], np.sort(rng.uniform(0, 1, K - 1)), [1.0]])
    h = np.max(np.diff(knots))
    x = np.linspace(0.0, 1.0, 20001)
    cases = [(root_target, np.sqrt(h)), (kink_target, h),
             (smooth_target, np.pi**2 * h**2 / 2), (np.exp, np.e * h**2 / 8)]
    for f, bound in cases:
        p = relu_interpolant(f, knots).forward(x[:, None]).ravel()
        err = np.max(np.abs(p - f(x)))
        assert err <= bound * (1 + 1e-9)


def test_error_rates_and_exact_constants():
    errors = {name: np.array([interpolation_error(f, K) for K in UNITS])
              for name, f in TARGETS.items()}
    h = 1.0 / np.array(UNITS)
    # smooth: slope about -2, and exactly -2 asymptotically; below the C^2 bound
    assert loglog_slope(UNITS, errors["sin(2πx)"]) == pytest.approx(-1.930, abs=5e-4)
    smooth = errors["sin(2πx)"]
    assert np.log2(smooth[-2] / smooth[-1]) == pytest.approx(2, abs=5e-4)
    assert np.all(errors["sin(2πx)"] <= error_bounds(np.array(UNITS))["sin(2πx)"])
    # |x - 1/3|: error exactly (4/9) h for K a power of 2
    # (1/3 sits at 1/3 or 2/3 of its cell)
    np.testing.assert_allclose(errors["|x − 1/3|"], 4 / 9 * h, rtol=1e-12)
    assert loglog_slope(UNITS, errors["|x − 1/3|"]) == pytest.approx(-1.0, abs=1e-9)
    # sqrt(x): error exactly sqrt(h) / 4, reached at x = h / 4 in the first cell
    np.testing.assert_allclose(errors["√x"], np.sqrt(h) / 4, rtol=1e-12)
    assert loglog_slope(UNITS, errors["√x"]) == pytest.approx(-0.5, abs=1e-9)


def test_grid_error_is_the_true_sup_for_the_non_smooth_targets():
    """Refining the measuring grid does not raise the kink and sqrt errors."""
    for f in (kink_target, root_target):
        for K in (8, 64):
            assert interpolation_error(f, K, per_interval=24 * 7) == pytest.approx(
                interpolation_error(f, K), rel=1e-12)


# --- the lower bound: slope -2 is a theorem when f'' is continuous and not zero ------

@pytest.mark.parametrize("seed", SEEDS)
def test_equal_knot_error_lies_between_the_lower_and_upper_bounds(seed):
    """(||f''|| - omega_f''(h)) h^2/8 <= sup|f - p| <= ||f''|| h^2/8, random C^2 f.

    f = A sin(w x + phi) + B x^2: f'' = -A w^2 sin(w x + phi) + 2B and
    omega_f''(h) <= |A| w^3 h. ||f''|| is taken on a fine grid, which can only
    lower the lower bound; the upper bound adds the grid's possible shortfall.
    """
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=2)
    w, phi = rng.uniform(1.0, 12.0), rng.uniform(0.0, 2 * np.pi)

    def f(x):
        return A * np.sin(w * x + phi) + B * x**2

    t = np.linspace(0.0, 1.0, 100001)
    f2 = np.max(np.abs(-A * w**2 * np.sin(w * t + phi) + 2 * B))
    lip = abs(A) * w**3
    for K in UNITS:
        h = 1.0 / K
        err = interpolation_error(f, K)
        assert err >= max(f2 - lip * h, 0.0) * h**2 / 8 * (1 - 1e-9)
        assert err <= (f2 + lip * 1e-5) * h**2 / 8 * (1 + 1e-9)


def test_the_sine_lower_bound_column_of_the_page():
    err = np.array([interpolation_error(smooth_target, K) for K in UNITS])
    lower, upper = smooth_lower_bound(UNITS), error_bounds(np.array(UNITS))["sin(2πx)"]
    assert lower[0] == 0.0 and np.all(lower <= err) and np.all(err <= upper)
    assert lower[-1] / upper[-1] == pytest.approx(1 - 2 * np.pi / 256)
    assert np.all(np.diff(err / upper) > 0) and err[-1] / upper[-1] > 0.999
    # the K = 256 row quoted in the prose: 7.345e-05 <= 7.529e-05 <= 7.530e-05
    quoted = (7.345e-5, 7.529e-5, 7.530e-5)
    assert (lower[-1], err[-1], upper[-1]) == pytest.approx(quoted, abs=5e-9)


# --- free knots: the biases decide where the kinks go --------------------------------

def test_kink_target_is_two_relu_units_exactly():
    rng = np.random.default_rng(0)
    x = rng.uniform(-5.0, 5.0, size=(1000, 1))
    net = MLP([1, 2, 1], hidden="relu", output="identity", init="zeros")
    net.W[0][:] = [[1.0], [-1.0]]
    net.b[0][:] = [-1 / 3, 1 / 3]
    net.W[1][:] = [[1.0, 1.0]]
    np.testing.assert_allclose(net.forward(x).ravel(), kink_target(x.ravel()),
                               rtol=0, atol=1e-15)
    assert knots_error(kink_target, np.array([0.0, 1 / 3, 1.0])) < 1e-12
    assert knots_error(kink_target, graded_knots(48)) < 1e-12          # 1/3 = 16/48
    assert knots_error(kink_target, graded_knots(64)) == pytest.approx(4 / (9 * 64))


@pytest.mark.parametrize("seed", SEEDS)
def test_kink_error_is_zero_when_three_divides_k_and_4h_over_9_otherwise(seed):
    rng = np.random.default_rng(seed)
    for K in rng.integers(2, 300, size=6):
        err = interpolation_error(kink_target, int(K))
        if K % 3 == 0:
            assert err < 1e-12
        else:
            assert err == pytest.approx(4 / (9 * K), rel=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_root_cell_formula_matches_the_network_on_random_knots(seed):
    """(b - a)^2 / (4 (sqrt a + sqrt b)^3) per cell is the network's sup error."""
    rng = np.random.default_rng(seed)
    K = int(rng.integers(2, 40))
    knots = np.concatenate([[0.0], np.sort(rng.uniform(0.0, 1.0, K - 1)), [1.0]])
    exact = root_interpolation_error(knots)
    measured = knots_error(root_target, knots, per_interval=400)
    assert exact * (1 - 1e-4) <= measured <= exact * (1 + 1e-12)


def test_graded_knots_recover_the_k_minus_2_rate_for_sqrt():
    """Knots (k/K)^4: sup error (2 - 1/(2K^2 - 2K + 1)) / (4K^2), in [0.45, 0.5)/K^2."""
    K = np.array(UNITS, dtype=float)
    closed_form = (2 - 1 / (2 * K**2 - 2 * K + 1)) / (4 * K**2)
    exact = [root_interpolation_error(graded_knots(int(k), 4)) for k in K]
    np.testing.assert_allclose(exact, closed_form, rtol=1e-12)
    measured = np.array([interpolation_error(root_target, int(k), per_interval=48,
                                             power=4) for k in K])
    # the grid can only miss the peak; rounding in the ReLU sum (output weights up
    # to K^2 = 65536) moves K = 256 by about +-3e-6 relative, depending on the CPU
    gap = measured / closed_form - 1
    assert np.all((-1e-3 < gap) & (gap < 1e-4))                    # printed bounds
    assert np.all((0.45 <= K**2 * exact) & (K**2 * np.array(exact) < 0.5))
    assert np.all(K**2 * measured < 0.5 * (1 + 1e-4))
    assert loglog_slope(K, measured) == pytest.approx(-1.996, abs=5e-4)
    # the review's numbers, and graded sqrt(x) beats equally spaced sin(2 pi x)
    assert measured[2] == pytest.approx(1.95e-3, rel=2e-3)          # K = 16
    assert measured[4] == pytest.approx(1.22e-4, rel=2e-3)          # K = 64
    smooth = np.array([interpolation_error(smooth_target, int(k)) for k in K])
    assert np.all(measured < smooth)
    assert 0.09 < measured[-1] / smooth[-1] < 0.11                  # "about a tenth"
    for f in (kink_target, root_target):   # figure: dashed line below every solid
        assert np.all(measured < [interpolation_error(f, int(k)) for k in K])


def test_knot_grading_sets_the_rate_control():
    """Same sqrt(x), same K: q = 1 and 2 give K^(-1/2) and K^(-1), exactly."""
    K = np.array(UNITS, dtype=float)
    for q, exact, slope in ((1, 0.25 / np.sqrt(K), -0.5), (2, 0.25 / K, -1.0)):
        measured = np.array([interpolation_error(root_target, int(k), per_interval=48,
                                                 power=q) for k in K])
        np.testing.assert_allclose(measured, exact, rtol=1e-9)
        assert loglog_slope(K, measured) == pytest.approx(slope, abs=1e-6)


def test_over_grading_keeps_k_minus_2_with_the_larger_constant_q2_over_32():
    """q = 5 (printed): slope -1.980, K^2 err 0.780 at K = 256, above q = 4."""
    K = np.array(UNITS, dtype=float)
    err = {q: np.array([interpolation_error(root_target, int(k), per_interval=48,
                                            power=q) for k in K]) for q in (4, 5)}
    exact5 = [root_interpolation_error(graded_knots(int(k), 5)) for k in K]
    np.testing.assert_allclose(err[5], exact5, rtol=1e-3)
    assert loglog_slope(K, err[5]) == pytest.approx(-1.980, abs=5e-4)
    assert K[-1] ** 2 * err[5][-1] == pytest.approx(0.780, abs=5e-4)
    assert np.all(err[5] > err[4])


@pytest.mark.parametrize("q", [2, 3, 3.5, 4, 5, 6, 8])
def test_cell_errors_are_k_minus_q_over_2_times_g_q(q):
    """Cell k of (k/K)^q: K^(-q/2) g_q(k); g_q(k) ~ q^2 k^(q/2-2) / 32 for large k.

    So the sup is K^(-q/2) max g_q for q < 4 (on a front cell), and K^2 sup ->
    q^2 / 32 for q > 4 (the last cell); q = 4: g_4 = (2 - 1/(2k^2+2k+1)) / 4.
    """
    def g(k):
        return ((k + 1) ** q - k**q) ** 2 / (4 * (k ** (q / 2)
                                                 + (k + 1) ** (q / 2)) ** 3)

    sups = {K: root_interpolation_error(graded_knots(K, q)) for K in (16, 256, 4096)}
    for K, sup in sups.items():
        assert sup == pytest.approx(K ** (-q / 2) * max(g(k) for k in range(K)),
                                    rel=1e-9)
    big = np.arange(10**4, 10**4 + 5, dtype=float)
    np.testing.assert_allclose(g(big), q**2 * big ** (q / 2 - 2) / 32, rtol=1e-3)
    if q < 4:
        assert int(np.argmax([g(k) for k in range(4096)])) <= 2
        assert sups[16] * 16 ** (q / 2) == pytest.approx(sups[4096] * 4096 ** (q / 2))
    elif q > 4:
        assert 4096**2 * sups[4096] == pytest.approx(q**2 / 32, rel=2e-3)
    else:
        assert 4096**2 * sups[4096] == pytest.approx(0.5, rel=1e-6)


def test_equidistributing_sqrt_f2_gives_power_4_and_constant_one_half():
    """Each cell of (k/K)^4 carries the share 2/K of int_0^1 |f''|^(1/2) = 2 for
    sqrt(x), so (int |f''|^(1/2))^2 / 8 = 1/2, the limit of K^2 err above.

    f'' comes from second differences of ``root_target`` (not from the formula);
    the first cell, where f'' is unbounded, is left out.
    """
    K = 8
    knots = graded_knots(K, 4)
    for a, b in zip(knots[1:-1], knots[2:]):
        x, d = np.linspace(a, b, 4001), (b - a) * 1e-3
        f2 = (root_target(x + d) - 2 * root_target(x) + root_target(x - d)) / d**2
        assert np.trapezoid(np.sqrt(np.abs(f2)), x) == pytest.approx(2 / K, rel=1e-4)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_k_unit_relu_network_beats_the_k_minus_2_floor(seed):
    """sup|f - F| >= m L^2 / (16 (K + 1)^2) for random one-hidden-layer networks.

    f = sin(2 pi x) on I = [1/8, 3/8] (m = 2 sqrt2 pi^2) and f = x^2 on [0, 1]
    (m = 2): random free kinks with the best (least-squares) output layer, and the
    page's equal and graded interpolants. The sharp test is the next one.
    """
    rng = np.random.default_rng(seed)
    x = np.linspace(0.0, 1.0, 20001)
    for f, m, L in ((smooth_target, 2 * np.sqrt(2) * np.pi**2, 0.25),
                    (np.square, 2.0, 1.0)):
        for K in (4, 16, 64):
            kinks, signs = rng.uniform(0, 1, K), rng.choice([-1.0, 1.0], K)
            H = np.column_stack([np.maximum(signs * (x[:, None] - kinks), 0),
                                 np.ones_like(x)])
            fit = H @ np.linalg.lstsq(H, f(x), rcond=None)[0]
            floor = one_layer_floor(m, L, K)
            assert np.max(np.abs(fit - f(x))) >= floor
            for q in (1, 4):
                assert interpolation_error(f, K, power=q) >= floor


def test_the_floor_is_sharp_for_x_squared():
    """Printed: shifted equal-knot network for x^2 has error 1/(8K^2), ratio (1+1/K)^2.

    So the constant 1/16 cannot be raised: twice the floor already exceeds the
    error of this K-unit network for every K >= 3.
    """
    for K in (4, 16, 64, 256):
        err = shifted_knots_error(np.square, graded_knots(K))
        floor = one_layer_floor(2, 1, K)
        assert err == pytest.approx(1 / (8 * K**2), rel=1e-9)
        assert err / floor == pytest.approx((1 + 1 / K) ** 2, rel=1e-9)
        assert floor <= err < 2 * floor
    printed = [shifted_knots_error(np.square, graded_knots(K))
               / one_layer_floor(2, 1, K) for K in (4, 16, 64)]
    assert printed == pytest.approx([1.5625, 1.1289, 1.0315], abs=5e-5)


def _yarotsky(x, m):
    """Yarotsky's deep ReLU network for x^2 on [0, 1]: m hidden layers, 3m - 1 units.

    Layer 1: ReLU(x), ReLU(x - 1/2); layer s >= 2: ReLU(g), ReLU(g - 1/2) and
    ReLU(f_{s-1}) with g = 2 ReLU(.) - 4 ReLU(. - 1/2) the tent map of the layer
    below and f_s = f_{s-1} - g_s / 4^s >= 0; the output is f_m.
    """
    def relu(z):
        return np.maximum(z, 0.0)

    a, b, units = relu(x), relu(x - 0.5), 2
    f_prev = a                                                   # f_0 = x on [0, 1]
    for s in range(2, m + 1):
        g = 2 * a - 4 * b                                        # g_{s-1}
        f_next = relu(f_prev - g / 4 ** (s - 1))                 # f_{s-1} >= 0
        a, b, f_prev, units = relu(g), relu(g - 0.5), f_next, units + 3
    return f_prev - (2 * a - 4 * b) / 4**m, units


def test_deep_relu_networks_escape_the_one_layer_floor():
    """Error exactly 4^-(m+1) with 3m - 1 units; below the floor once m >= 5."""
    x = np.linspace(0.0, 1.0, 2**12 + 1)                        # holds every peak
    for m in range(2, 10):
        F, units = _yarotsky(x, m)
        err = np.max(np.abs(F - x**2))
        assert units == 3 * m - 1
        assert err == pytest.approx(4.0 ** -(m + 1), rel=1e-9)
        assert (err < one_layer_floor(2, 1, units)) == (m >= 5)


def test_infinitely_many_pieces_beat_k_minus_2():
    """sum_j e^-j |x - 1/j|: K units give the first K - 1 terms; error < 1.6 e^-K."""
    x = np.linspace(0.0, 1.0, 100001)
    f = sum(np.exp(-j) * np.abs(x - 1 / j) for j in range(1, 80))
    previous = np.inf
    for K in (5, 9, 17, 33):
        H = np.column_stack([np.maximum(x[:, None] - 1 / np.arange(1, K), 0),
                             np.maximum(x, 0)])                  # K ReLU units
        j = np.arange(1, K)
        F = H @ np.append(2 * np.exp(-j), -np.exp(-j).sum()) + np.sum(np.exp(-j) / j)
        err = np.max(np.abs(F - f))
        assert err < 1.6 * np.exp(-K) and K**2 * err < previous
        previous = K**2 * err
    assert previous < 1e-10


def test_equidistributed_knots_miss_the_constant_when_f2_has_a_zero():
    """sin(2 pi x), knots equalising int |f''|^(1/2) (K even, 1/2 a knot):
    K^2 err -> Q^2 / (4 sqrt3), 2/sqrt3 times the heuristic Q^2 / 8 (Q = I here);
    for e^x, whose f'' has no zero, the heuristic constant holds."""
    t = np.linspace(0.0, 1.0, 400001)
    w = np.sqrt(np.abs(4 * np.pi**2 * np.sin(2 * np.pi * t)))
    cum = np.concatenate([[0.0], np.cumsum((w[1:] + w[:-1]) / 2 * np.diff(t))])
    I = cum[-1]
    for K in (64, 256):
        knots = np.interp(np.linspace(0.0, I, K + 1), cum, t)
        assert knots[K // 2] == pytest.approx(0.5, abs=1e-9)
        err = knots_error(smooth_target, knots, per_interval=48)
        assert K**2 * err == pytest.approx(I**2 / (4 * np.sqrt(3)), rel=2e-3)
        assert K**2 * err > 1.15 * I**2 / 8
    # control: f = e^x, f'' > 0 without zeros; knots 2 ln(1 + (k/K)(e^(1/2) - 1))
    Q = 2 * (np.exp(0.5) - 1)
    for K in (64, 256):
        knots = 2 * np.log1p(np.arange(K + 1) / K * (np.exp(0.5) - 1))
        err = knots_error(np.exp, knots, per_interval=48)
        assert K**2 * err == pytest.approx(Q**2 / 8, rel=2e-3)


# --- "nonlinear" is not enough: a polynomial activation ------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_square_unit_networks_are_the_quadratic_of_the_page(seed):
    """sum_m v_m (w_m x + b_m)^2 has the three coefficients written in section 1."""
    rng = np.random.default_rng(seed)
    M = int(rng.integers(1, 400))
    v, w, b = rng.normal(size=(3, M)) * np.array([[1.0], [5.0], [5.0]])
    x = rng.uniform(-2.0, 2.0, 500)
    network = ((np.outer(x, w) + b) ** 2) @ v
    quadratic = (v @ w**2) * x**2 + 2 * (v @ (w * b)) * x + v @ b**2
    np.testing.assert_allclose(network, quadratic, rtol=1e-10, atol=1e-8)


@pytest.mark.parametrize("seed", SEEDS)
def test_300_square_units_span_three_dimensions_and_relu_units_do_not(seed):
    """Rank 3 for 300 t^2 units (printed on the page); 300 ReLU kinks give rank 300."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0.0, 1.0, 2001)
    w, c = rng.normal(scale=5.0, size=(2, 300))
    assert np.linalg.matrix_rank((np.outer(x, w) + c) ** 2) == 3
    cells = np.sort(rng.choice(2000, size=300, replace=False))   # control: ReLU
    knots = (x[cells] + x[cells + 1]) / 2                   # kinks in distinct cells
    assert np.linalg.matrix_rank(np.maximum(x[:, None] - knots, 0.0)) == 300


def test_floor_is_below_the_best_quadratic_error_found_independently():
    """The floor is a lower bound: compare with the minimax quadratic error.

    sin(2 pi x) is odd about x = 1/2, so a best quadratic can be taken odd about 1/2
    (average q(x) and -q(1 - x)), i.e. a (x - 1/2); the sup error is convex in a, so
    a ternary search finds the best a. The grid maximum over x is below the true
    sup, so floor <= E_grid is a fair check.
    """
    floor = polynomial_activation_floor(smooth_target, degree=2)
    x = np.linspace(0.0, 1.0, 20001)

    def sup_error(a):
        return np.max(np.abs(smooth_target(x) - a * (x - 0.5)))

    lo, hi = -10.0, 10.0
    for _ in range(80):
        m1, m2 = lo + (hi - lo) / 3, hi - (hi - lo) / 3
        lo, hi = (lo, m2) if sup_error(m1) < sup_error(m2) else (m1, hi)
    E = sup_error((lo + hi) / 2)
    assert floor <= E and E == pytest.approx(0.6825, abs=1e-3)
    # a floor computed as a sup of the fit (a wrong "lower bound") would exceed E
    A = np.vander(x, 3)
    fit = A @ np.linalg.lstsq(A, smooth_target(x), rcond=None)[0]
    assert np.max(np.abs(smooth_target(x) - fit)) > E


def test_floor_versus_relu_numbers_in_the_prose():
    assert polynomial_activation_floor(smooth_target, degree=2) == pytest.approx(
        0.4432, abs=5e-5)
    assert interpolation_error(smooth_target, 32) == pytest.approx(0.0048, abs=5e-5)


# --- 2-D illustration ----------------------------------------------------------------

def test_ridge_error_decreases_with_the_number_of_units():
    configs = [(2, 4), (4, 8), (8, 12), (16, 20)]
    errs = [ridge_sup_error(bump_2d, *fit_ridge_output(bump_2d, nd, no))
            for nd, no in configs]
    assert all(a > b for a, b in zip(errs, errs[1:]))
    assert errs[0] > 0.3 and errs[-1] < 0.03


def test_ridge_fit_is_a_relu_network_with_2m_units():
    v, W, b, c = fit_ridge_output(bump_2d, 4, 8)
    X = np.random.default_rng(0).uniform(0, 1, size=(400, 2))
    net = ramp_network_as_relu(v, W, b, c)
    assert net.sizes == (2, 64, 1)
    np.testing.assert_allclose(net.forward(X).ravel(), ramp_network(X, v, W, b) + c,
                               rtol=0, atol=1e-12)


def test_ridge_units_cover_the_square():
    W, b = ridge_units(6, 5)
    X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    Z = (X @ W.T + b).reshape(4, 6, 5)
    assert np.allclose(Z.min(axis=0)[:, 0], 0.0)
    assert np.allclose(Z.max(axis=0)[:, -1], 1.0)


# --- input checks --------------------------------------------------------------------

def test_bad_arguments():
    with pytest.raises(ValueError, match="strictly increasing"):
        relu_interpolant(np.sin, np.array([0.0, 0.5, 0.5, 1.0]))
    with pytest.raises(ValueError, match="strictly increasing"):
        squashing_checks(ramp, np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match="n_units"):
        interpolation_error(np.sin, 0)
    with pytest.raises(ValueError, match="expected"):
        ramp_network_as_relu(np.ones(3), np.ones((2, 1)), np.ones(2))
    with pytest.raises(ValueError, match="finite"):
        ramp(np.array([np.nan]))
    with pytest.raises(ValueError, match="x >= 0"):
        root_target(np.array([-1.0]))
    with pytest.raises(ValueError, match="n_directions"):
        ridge_units(0, 3)
    with pytest.raises(ValueError, match="positive"):
        loglog_slope([1, 2], [1.0, 0.0])
    with pytest.raises(ValueError, match="power"):
        graded_knots(4, power=0)
    with pytest.raises(ValueError, match="n_units"):
        graded_knots(0)
    with pytest.raises(ValueError, match="per_interval"):
        knots_error(np.sin, np.array([0.0, 1.0]), per_interval=0)
    with pytest.raises(ValueError, match=">= 0"):
        root_interpolation_error(np.array([-1.0, 1.0]))
    with pytest.raises(ValueError, match="n_units"):
        smooth_lower_bound(np.array([0.5]))
    with pytest.raises(ValueError, match="mu and length"):
        one_layer_floor(0.0, 1.0, 4)
    with pytest.raises(ValueError, match="n_units"):
        one_layer_floor(2.0, 1.0, 0)
    with pytest.raises(ValueError, match="per_interval"):
        shifted_knots_error(np.square, np.array([0.0, 1.0]), per_interval=0)


def test_smooth_error_is_close_to_its_bound_and_ridge_error_at_320_units():
    bound = error_bounds(256)["sin(2πx)"]
    assert interpolation_error(smooth_target, 256) / bound > 0.99
    assert ridge_sup_error(bump_2d, *fit_ridge_output(bump_2d, 16, 20)) < 0.03


def test_interpolant_extends_linearly_outside_its_interval():
    net = relu_interpolant(smooth_target, np.linspace(0.0, 1.0, 9))
    x = np.array([1.0, 1.5, 2.0, 3.0])
    y = net.forward(x[:, None]).ravel()
    slope_last = (smooth_target(1.0) - smooth_target(0.875)) / 0.125
    np.testing.assert_allclose(y, smooth_target(1.0) + slope_last * (x - 1.0),
                               atol=1e-12)
    assert abs(y[-1] - np.sin(2 * np.pi * 3.0)) > 5          # far off outside [0, 1]
