"""Claims of page 4-6 (universal approximation with ReLU hidden units)."""

import numpy as np
import pytest

from snippets.ex4_6 import (TARGETS, bump_2d, error_bounds, fit_ridge_output,
                            interpolant_coefficients, interpolation_error, kink_target,
                            loglog_slope, polynomial_activation_floor, ramp, ramp_network,
                            ramp_network_as_relu, relu_interpolant, ridge_sup_error,
                            ridge_units, root_target, smooth_target, squashing_checks)

SEEDS = [0, 1, 2, 3, 4]
UNITS = [4, 8, 16, 32, 64, 128, 256]


# --- the ramp meets the hypotheses of Theorem 4.1 -----------------------------------

def test_ramp_is_bounded_monotone_continuous_and_non_constant():
    t = np.linspace(-50.0, 50.0, 200001)
    c = squashing_checks(ramp, t)
    assert c["min"] == 0.0 and c["max"] == 1.0                  # bounded, in [0, 1]
    assert c["min_increment"] >= 0.0                             # non-decreasing
    assert c["max_slope"] == pytest.approx(1.0, abs=1e-9)        # 1-Lipschitz: continuous
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


# --- every network of the theorem is a ReLU network with 2M units -------------------

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("D", [1, 2, 5])
def test_ramp_network_equals_relu_network_with_2m_units(seed, D):
    rng = np.random.default_rng(seed)
    M = int(rng.integers(1, 60))
    v, W, b = rng.normal(size=M), rng.normal(scale=3, size=(M, D)), rng.normal(size=M)
    c = float(rng.normal())
    X = rng.uniform(-2.0, 2.0, size=(500, D))
    net = ramp_network_as_relu(v, W, b, c)
    assert net.sizes == (D, 2 * M, 1)
    assert net.f_hidden[0].__name__ == "relu" and net.f_output[0].__name__ == "identity"
    np.testing.assert_allclose(net.forward(X).ravel(), ramp_network(X, v, W, b) + c,
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
        err = np.max(np.abs(relu_interpolant(f, knots).forward(x[:, None]).ravel() - f(x)))
        assert err <= bound * (1 + 1e-9)


def test_error_rates_and_exact_constants():
    errors = {name: np.array([interpolation_error(f, K) for K in UNITS])
              for name, f in TARGETS.items()}
    h = 1.0 / np.array(UNITS)
    # smooth: slope about -2, and exactly -2 asymptotically; below the C^2 bound
    assert loglog_slope(UNITS, errors["sin(2πx)"]) == pytest.approx(-2.0, abs=0.1)
    smooth = errors["sin(2πx)"]
    assert np.log2(smooth[-2] / smooth[-1]) == pytest.approx(2, abs=0.01)
    assert np.all(errors["sin(2πx)"] <= error_bounds(np.array(UNITS))["sin(2πx)"])
    # |x - 1/3|: error exactly (4/9) h for K a power of 2
    # (1/3 sits at 1/3 or 2/3 of its cell)
    np.testing.assert_allclose(errors["|x − 1/3|"], 4 / 9 * h, rtol=1e-12)
    assert loglog_slope(UNITS, errors["|x − 1/3|"]) == pytest.approx(-1.0, abs=1e-9)
    # sqrt(x): error exactly sqrt(h) / 4, reached at x = h / 4 in the first cell
    np.testing.assert_allclose(errors["√x"], np.sqrt(h) / 4, rtol=1e-12)
    assert loglog_slope(UNITS, errors["√x"]) == pytest.approx(-0.5, abs=1e-9)


def test_grid_error_is_the_true_sup_for_the_non_smooth_targets():
    """Refining the measuring grid does not increase the error of kink and sqrt targets."""
    for f in (kink_target, root_target):
        for K in (8, 64):
            assert interpolation_error(f, K, per_interval=24 * 7) == pytest.approx(
                interpolation_error(f, K), rel=1e-12)


# --- "nonlinear" is not enough: a polynomial activation ------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_square_activation_networks_stay_above_the_floor(seed):
    rng = np.random.default_rng(seed)
    floor = polynomial_activation_floor(smooth_target, degree=2)
    x = np.linspace(0.0, 1.0, 2001)
    M = 300
    w, b = rng.normal(scale=5, size=M), rng.normal(scale=5, size=M)
    H = (np.outer(x, w) + b) ** 2                              # t^2 hidden units
    v = np.linalg.lstsq(H, smooth_target(x), rcond=None)[0]   # best output weights
    assert np.max(np.abs(H @ v - smooth_target(x))) >= floor - 1e-9


def test_floor_versus_relu_numbers_in_the_prose():
    assert polynomial_activation_floor(smooth_target, degree=2) > 0.4
    assert interpolation_error(smooth_target, 32) < 0.005


# --- 2-D illustration -------------------------------------------------------------------

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
    assert np.allclose(Z.min(axis=0)[:, 0], 0.0) and np.allclose(Z.max(axis=0)[:, -1], 1.0)


# --- input checks -------------------------------------------------------------------------

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


def test_smooth_error_is_close_to_its_bound_and_ridge_error_at_320_units():
    assert interpolation_error(smooth_target, 256) / error_bounds(256)["sin(2πx)"] > 0.99
    assert ridge_sup_error(bump_2d, *fit_ridge_output(bump_2d, 16, 20)) < 0.03


def test_interpolant_extends_linearly_outside_its_interval():
    net = relu_interpolant(smooth_target, np.linspace(0.0, 1.0, 9))
    x = np.array([1.0, 1.5, 2.0, 3.0])
    y = net.forward(x[:, None]).ravel()
    slope_last = (smooth_target(1.0) - smooth_target(0.875)) / 0.125
    np.testing.assert_allclose(y, smooth_target(1.0) + slope_last * (x - 1.0), atol=1e-12)
    assert abs(y[-1] - np.sin(2 * np.pi * 3.0)) > 5          # far off outside [0, 1]
