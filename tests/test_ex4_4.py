"""Claims of page 4-4 (derivatives of Swish and GELU)."""

from functools import partial
import math

import numpy as np
import pytest

from snippets.activations import (gelu, gelu_grad, gelu_sigmoid, gelu_sigmoid_grad,
                                  gelu_tanh, gelu_tanh_grad, normal_cdf, normal_pdf,
                                  sigmoid, swish, swish_grad)
from snippets.ex4_4 import (bisect_root, check_points, derivative_error, derivative_pairs,
                            gelu_grad_without_product_rule, gelu_tanh_grad_mixed,
                            golden_max, max_abs_difference, negative_minimum,
                            steepest_slope, tail_deviations)
from snippets.gradcheck import numerical_derivative

SEEDS = [0, 1, 2, 3, 4]
APPROXIMATIONS = {"gelu_tanh": (gelu_tanh, gelu_tanh_grad),
                  "gelu_sigmoid": (gelu_sigmoid, gelu_sigmoid_grad)}


def random_pairs(rng, n_betas=3):
    """The page's pairs plus Swish at a few random beta in (0.1, 10): the page's range
    (with eps = 1e-5 the truncation error grows like beta^2; on a dense grid it reaches
    about 5e-7 at beta = 10 and passes 1e-6 near beta = 15)."""
    betas = (0.0, 0.5, 1.0, 10.0) + tuple(rng.uniform(0.1, 10.0, n_betas).round(3))
    return derivative_pairs(betas)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_derivative_matches_central_differences(seed):
    rng = np.random.default_rng(seed)
    x = check_points(rng, n_random=4000)
    for name, (f, df) in random_pairs(rng).items():
        assert derivative_error(f, df, x) < 1e-6, name
        np.testing.assert_allclose(df(x), numerical_derivative(f, x), rtol=1e-6, atol=1e-9,
                                   err_msg=name)


def test_correct_derivatives_are_mostly_far_below_the_threshold():
    x = check_points(np.random.default_rng(0))
    errors = {name: derivative_error(f, df, x) for name, (f, df) in derivative_pairs().items()}
    assert max(errors.values()) < 1e-6
    assert sum(e < 1e-7 for e in errors.values()) >= len(errors) - 1
    assert max(errors, key=errors.get) == "swish(beta=10)"


@pytest.mark.parametrize("seed", SEEDS)
def test_the_check_catches_the_wrong_derivatives(seed):
    x = check_points(np.random.default_rng(seed))
    assert derivative_error(gelu_tanh, gelu_tanh_grad_mixed, x) > 0.1
    assert derivative_error(gelu, gelu_tanh_grad_mixed, x) > 0.01
    assert derivative_error(gelu, gelu_grad_without_product_rule, x) > 1.0
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(gelu_tanh_grad_mixed(x), numerical_derivative(gelu_tanh, x),
                                   rtol=1e-6, atol=1e-9)


def test_a_3_decimal_test_lets_the_mixed_formula_through():
    """What the library's loose test did: both comparisons pass at 3 decimals."""
    x = check_points(np.random.default_rng(0), n_random=20000, half_width=10.0)
    np.testing.assert_almost_equal(gelu_tanh_grad_mixed(x), gelu_grad(x), decimal=3)
    np.testing.assert_almost_equal(gelu_tanh_grad_mixed(x), gelu_tanh_grad(x), decimal=3)
    err_exact, _ = max_abs_difference(gelu_tanh_grad_mixed, gelu_grad, x)
    err_tanh, _ = max_abs_difference(gelu_tanh_grad_mixed, gelu_tanh_grad, x)
    assert 1e-4 < err_exact < 3e-4 and 1e-4 < err_tanh < 1e-3


def test_phi_only_is_positive_where_the_true_derivative_is_negative():
    x = np.linspace(-3.0, -1.0, 201)
    assert np.all(gelu_grad_without_product_rule(x) > 0) and np.all(gelu_grad(x) < 0)


@pytest.mark.parametrize("seed", SEEDS)
def test_value_at_zero_and_central_symmetry_of_the_derivative(seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-10, 10, 1000)
    for name, (f, df) in random_pairs(rng).items():
        assert float(f(0.0)) == 0.0
        assert float(df(0.0)) == pytest.approx(0.5, abs=1e-15), name
        np.testing.assert_allclose(df(x) + df(-x), 1.0, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(f(x) - f(-x), x, rtol=1e-12, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("seed", SEEDS)
def test_limits_at_both_ends(seed):
    rng = np.random.default_rng(seed)
    pairs = random_pairs(rng)
    del pairs["swish(beta=0)"]
    ts = (5.0, 10.0, 20.0, 40.0)
    for name, (f, df) in pairs.items():
        size = [np.max(np.abs(tail_deviations(f, df, t))) for t in ts]
        assert size[-1] < 1e-6, name
        assert all(b <= a for a, b in zip(size, size[1:])), name
        assert f(-ts[0]) <= 0 and df(ts[0]) >= 1.0, name   # from below / from above


def test_swish_tail_bound_and_beta_zero_exception():
    for beta in (0.5, 1.0, 3.0):
        for t in (5.0, 10.0, 20.0):
            assert abs(float(swish(-t, beta))) <= t * math.exp(-beta * t)
    assert float(swish(-40.0, 0.0)) == -20.0 and float(swish_grad(-40.0, 0.0)) == 0.5


def test_mills_ratio_bound_used_for_gelu():
    """Phi(x) < phi(x) / |x| for x < 0 (Phi from erfc: 1 + erf cancels in the far tail)."""
    x = np.linspace(-30.0, -0.5, 600)
    phi_tail = np.array([0.5 * math.erfc(-v / math.sqrt(2.0)) for v in x])
    assert np.all(phi_tail < normal_pdf(x) / np.abs(x))


def test_swish_minimum_against_the_lambert_w_fixed_point_and_a_dense_grid():
    x_min, f_min = negative_minimum(swish, swish_grad)
    t = -1.0
    for _ in range(200):                       # t <- -(1 + e^t) contracts (|e^t| < 0.3)
        t = -(1.0 + math.exp(t))
    assert x_min == pytest.approx(t, abs=1e-12)
    assert f_min == pytest.approx(t + 1.0, abs=1e-12)
    grid = np.linspace(-3.0, 0.0, 300001)
    values = swish(grid)
    assert abs(grid[np.argmin(values)] - x_min) < 2e-5
    assert values.min() == pytest.approx(f_min, abs=1e-9)
    assert round(x_min, 3) == -1.278 and round(f_min, 3) == -0.278


@pytest.mark.parametrize("beta", [0.3, 0.5, 1.702, 4.0, 10.0])
def test_swish_minimum_scales_with_one_over_beta(beta):
    x1, f1 = negative_minimum(swish, swish_grad)
    xb, fb = negative_minimum(partial(swish, beta=beta), partial(swish_grad, beta=beta))
    assert xb == pytest.approx(x1 / beta, rel=1e-11)
    assert fb == pytest.approx(f1 / beta, rel=1e-11)


def test_gelu_minimum_against_a_dense_grid_and_its_identity():
    x_min, f_min = negative_minimum(gelu, gelu_grad)
    assert -math.sqrt(2.0) < x_min < 0
    grid = np.linspace(-2.0, 0.0, 200001)
    values = gelu(grid)
    assert abs(grid[np.argmin(values)] - x_min) < 2e-5
    assert values.min() == pytest.approx(f_min, abs=1e-9)
    assert f_min == pytest.approx(-x_min**2 * float(normal_pdf(x_min)), abs=1e-14)
    assert round(x_min, 3) == -0.752 and round(f_min, 3) == -0.170


@pytest.mark.parametrize("name", ["swish(beta=0.5)", "swish(beta=1)", "swish(beta=10)",
                                  "gelu", "gelu_tanh", "gelu_sigmoid"])
def test_derivative_changes_sign_exactly_once(name):
    f, df = derivative_pairs()[name]
    x = np.linspace(-6.0, 6.0, 120001)     # beyond, f' of gelu_tanh underflows to 0
    signs = np.sign(df(x))
    assert np.all(signs != 0)
    assert np.count_nonzero(np.diff(signs)) == 1
    x_min, _ = negative_minimum(f, df)
    assert np.all(df(x[x < x_min - 1e-6]) < 0) and np.all(df(x[x > x_min + 1e-6]) > 0)


def test_steepest_slopes():
    x_g, s_g = steepest_slope(gelu_grad)
    assert x_g == pytest.approx(math.sqrt(2.0), abs=1e-6)
    assert s_g == pytest.approx(float(normal_cdf(math.sqrt(2.0))
                                      + math.sqrt(2.0) * normal_pdf(math.sqrt(2.0))), abs=1e-14)
    t2 = bisect_root(lambda t: t * math.tanh(t / 2.0) - 2.0, 0.5, 5.0)
    for beta in (0.5, 1.0, 1.702, 10.0):
        x_s, s_s = steepest_slope(partial(swish_grad, beta=beta))
        assert x_s == pytest.approx(t2 / beta, rel=1e-6)
        assert s_s == pytest.approx(float(swish_grad(t2)), abs=1e-12)
    assert 1.09 < float(swish_grad(t2)) < 1.1 < 1.12 < s_g < 1.13
    # the grid agrees: the derivatives really exceed 1, by about 10% and 13%
    x = np.linspace(0.0, 6.0, 60001)
    assert swish_grad(x).max() == pytest.approx(float(swish_grad(t2)), abs=1e-9)
    assert gelu_grad(x).max() == pytest.approx(s_g, abs=1e-9)


def test_minimum_of_the_derivative_is_one_minus_its_maximum():
    for name, (f, df) in derivative_pairs(betas=(0.5, 1.0, 10.0)).items():
        _, top = steepest_slope(df)
        _, neg = golden_max(lambda t: -df(t), -6.0, 0.0)
        assert -neg == pytest.approx(1.0 - top, abs=1e-12), name


def test_tanh_approximation_matches_the_slope_of_phi_at_zero():
    c = math.sqrt(2.0 / math.pi)
    g = lambda x: 0.5 * (1.0 + np.tanh(c * (x + 0.044715 * x**3)))  # noqa: E731
    assert float(numerical_derivative(g, np.array([0.0]))[0]) == pytest.approx(
        float(normal_pdf(0.0)), rel=1e-9)
    x = np.linspace(-5, 5, 101)
    np.testing.assert_allclose(g(x), sigmoid(2.0 * c * (x + 0.044715 * x**3)), atol=1e-15)


def test_sigmoid_1702_is_within_0_01_of_phi():
    x = np.linspace(-10, 10, 200001)
    assert np.max(np.abs(sigmoid(1.702 * x) - normal_cdf(x))) < 0.01


def test_approximation_errors_over_the_real_line():
    wide = np.linspace(-10.0, 10.0, 40001)
    wider = np.linspace(-50.0, 50.0, 1000001)
    errors = {}
    for name, (f, df) in APPROXIMATIONS.items():
        for what, a, b in (("f", f, gelu), ("df", df, gelu_grad)):
            err, where = max_abs_difference(a, b, wide)
            err_wider, where_wider = max_abs_difference(a, b, wider)
            assert err_wider == pytest.approx(err, rel=1e-4)
            assert abs(abs(where_wider) - abs(where)) < 1e-3   # the errors are even/odd
            errors[name, what] = err
    assert errors["gelu_tanh", "f"] < 5e-4 and errors["gelu_tanh", "df"] < 1e-3
    assert 0.015 < errors["gelu_sigmoid", "f"] < 0.025
    assert 0.02 < errors["gelu_sigmoid", "df"] < 0.03
    assert errors["gelu_sigmoid", "f"] > 30 * errors["gelu_tanh", "f"]
    assert errors["gelu_sigmoid", "df"] > 30 * errors["gelu_tanh", "df"]
    _, where = max_abs_difference(gelu_sigmoid_grad, gelu_grad, wide)
    assert abs(abs(where) - math.sqrt(2.0)) < 0.05  # the error is odd: |max| at both +-x


def test_approximation_error_is_even_and_its_derivative_odd():
    x = np.linspace(0.0, 8.0, 801)
    for f, df in APPROXIMATIONS.values():
        np.testing.assert_allclose(f(x) - gelu(x), f(-x) - gelu(-x), atol=1e-14)
        np.testing.assert_allclose(df(x) - gelu_grad(x), -(df(-x) - gelu_grad(-x)),
                                   atol=1e-14)


def test_bad_arguments():
    with pytest.raises(ValueError, match="opposite signs"):
        bisect_root(lambda t: t * t + 1.0, -1.0, 1.0)
    with pytest.raises(ValueError, match="a < b"):
        golden_max(np.cos, 1.0, 1.0)
    with pytest.raises(ValueError, match="n_random"):
        check_points(np.random.default_rng(0), n_random=-1)
    with pytest.raises(ValueError, match="half_width"):
        check_points(np.random.default_rng(0), half_width=0.0)
    with pytest.raises(ValueError, match="t must be"):
        tail_deviations(gelu, gelu_grad, -1.0)
    with pytest.raises(ValueError, match="1-D"):
        derivative_error(gelu, gelu_grad, np.zeros((2, 2)))
    with pytest.raises(ValueError, match="finite"):
        max_abs_difference(gelu, gelu_tanh, np.array([0.0, np.nan]))
