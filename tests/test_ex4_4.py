"""Claims of page 4-4 (derivatives of Swish and GELU)."""

from functools import partial
import math

import numpy as np
import pytest

from snippets.activations import (GELU_TANH_C, gelu, gelu_grad, gelu_sigmoid,
                                  gelu_sigmoid_grad, gelu_tanh, gelu_tanh_grad,
                                  normal_cdf, normal_pdf, sigmoid, swish, swish_grad)
from snippets.ex4_4 import (bisect_root, check_points, derivative_error, derivative_pairs,
                            gelu_general, gelu_general_grad,
                            gelu_grad_without_product_rule,
                            gelu_second, gelu_tanh_grad_mixed, gelu_tanh_grad_naive,
                            gelu_tanh_naive, general_gelu_pairs, golden_max,
                            max_abs_difference, negative_minimum, steepest_slope,
                            swish_extremum, swish_grad_alt, swish_second,
                            swish_step_errors, tail_deviations)
from snippets.gradcheck import numerical_derivative

SEEDS = [0, 1, 2, 3, 4]
FAR_TAILS = np.concatenate([np.linspace(-50.0, -10.0, 8001),
                            np.linspace(10.0, 50.0, 8001)])   # the page's 10 <= |x| <= 50
APPROXIMATIONS = {"gelu_tanh": (gelu_tanh, gelu_tanh_grad),
                  "gelu_sigmoid": (gelu_sigmoid, gelu_sigmoid_grad)}


def random_pairs(rng, n_betas=3):
    """The page's pairs plus Swish at a few random beta in (0.1, 10) and (-10, -0.1)
    (with eps = 1e-5 the truncation error grows like beta^2; on a dense grid it reaches
    about 5e-7 at |beta| = 10 and passes 1e-6 near |beta| = 15)."""
    betas = ((0.0, 0.5, 1.0, 10.0, -1.0)
             + tuple(rng.uniform(0.1, 10.0, n_betas).round(3))
             + tuple(-rng.uniform(0.1, 10.0, n_betas).round(3)))
    return derivative_pairs(betas)


def random_general_gelu(rng, n=3):
    """The page's general GELUs plus a few random mu in (-2, 2), s in (0.5, 3)."""
    params = [(0.0, 2.0), (0.5, 1.0), (-1.0, 0.5)]
    params += list(zip(rng.uniform(-2.0, 2.0, n).round(3),
                       rng.uniform(0.5, 3.0, n).round(3)))
    return general_gelu_pairs(params)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_derivative_matches_central_differences(seed):
    rng = np.random.default_rng(seed)
    x = check_points(rng, n_random=4000)
    for name, (f, df) in (random_pairs(rng) | random_general_gelu(rng)).items():
        # relative error, but the scale never drops below 1e-3: in the far left tail,
        # where f' is tiny, this check is therefore an absolute one (|error| < 1e-9)
        assert derivative_error(f, df, x) < 1e-6, name
        np.testing.assert_allclose(df(x), numerical_derivative(f, x), rtol=1e-6, atol=1e-9,
                                   err_msg=name)


@pytest.mark.parametrize("seed", SEEDS)
def test_correct_derivatives_are_far_below_the_threshold_except_beta_10(seed):
    """The page prints "< 1e-7" for every pair but swish(beta=10): its truncation error
    (which grows like beta^2) is 2.0e-7 on the page's points (seed 0) and 1e-7 to 5e-7
    elsewhere, depending on how close a point comes to where f'''(x) / f'(x) peaks."""
    x = check_points(np.random.default_rng(seed))
    pairs = derivative_pairs(betas=(0.0, 0.5, 1.0, 10.0, -1.0)) | general_gelu_pairs()
    errors = {name: derivative_error(f, df, x) for name, (f, df) in pairs.items()}
    big = errors.pop("swish(beta=10)")
    assert 9e-8 < big < 6e-7
    assert seed != 0 or round(big, 8) == 2.0e-7      # the page prints 2.0e-07
    assert max(errors.values()) < 5e-8       # a margin of 2 below the printed bound


@pytest.mark.parametrize("seed", SEEDS)
def test_a_step_scaled_by_one_over_beta_removes_the_beta_squared_growth(seed):
    """The control for the page's explanation of the beta = 10 row. Near x*, where
    f' ~ 0 and the error is measured against the floor 1e-3, the fixed step's error
    divided by beta^2 is the same at every |beta| (truncation error ~ beta^2), it
    passes the threshold 1e-6 from |beta| ~ 15 on, and the step 1e-5 / |beta| brings
    it back to the level of beta = 1 (below 1e-7, which the page prints)."""
    rng = np.random.default_rng(seed)
    # the truncation error eps^2 / 6 |f'''(x*)| over the floor 1e-3, per beta^2:
    # f_beta'''(x) = beta^2 swish_1'''(beta x), x* = t1 / beta
    t1, _ = negative_minimum(swish, swish_grad)
    third = float(numerical_derivative(swish_second, np.array([t1]), 1e-4)[0])
    predicted = 1e-10 / 6.0 * abs(third) / 1e-3
    betas = (10.0, 30.0, 100.0) + tuple(rng.uniform(10.0, 100.0, 3)) + tuple(
        -rng.uniform(10.0, 100.0, 2)) + (12.0, 14.0, 15.0, -15.0)
    for beta in betas:
        near = np.sort(rng.uniform(-3.0, 0.0, 3001)) / beta     # x* = -1.278 / beta
        fixed, scaled = swish_step_errors(near, beta)
        assert fixed / beta**2 == pytest.approx(predicted, rel=0.01), beta
        assert scaled < 3e-8, beta
        if abs(beta) >= 15.0:
            assert fixed > 1e-6, beta
        elif abs(beta) <= 14.0:
            assert fixed < 1e-6, beta
    one = derivative_pairs(betas=(1.0,))["swish(beta=1)"]
    near = np.linspace(-3.0, 0.0, 3001)
    assert derivative_error(*one, near) < 3e-8          # beta = 1: the same level
    with pytest.raises(ValueError, match="non-zero"):
        swish_step_errors(near, 0.0)


def test_page_step_size_cell_values():
    """The printed table: the page's points miss the narrow peak near x* (its width
    is proportional to 1 / beta), so beta = 100 passes there only by chance."""
    x = check_points(np.random.default_rng(0))
    printed = {("page", 10.0): ("2.0e-07", "2.0e-09"),
               ("page", 100.0): ("7.6e-07", "7.6e-11"),
               ("near", 10.0): ("4.9e-07", "4.9e-09"),
               ("near", 30.0): ("4.4e-06", "4.9e-09"),
               ("near", 100.0): ("4.9e-05", "4.9e-09")}
    for (where, beta), (err, per_beta2) in printed.items():
        points = x if where == "page" else np.linspace(-3.0, 0.0, 3001) / beta
        fixed, scaled = swish_step_errors(points, beta)
        assert (f"{fixed:.1e}", f"{fixed / beta**2:.1e}") == (err, per_beta2)
        assert scaled < 5e-8        # printed as "< 1e-7", with a margin of 2
    near_100 = swish_step_errors(np.linspace(-3.0, 0.0, 3001) / 100.0, 100.0)[0]
    assert swish_step_errors(x, 100.0)[0] < 1e-6 < near_100


@pytest.mark.parametrize("seed", SEEDS)
def test_the_check_catches_the_wrong_derivatives(seed):
    x = check_points(np.random.default_rng(seed))
    assert derivative_error(gelu_tanh, gelu_tanh_grad_mixed, x) > 0.1
    assert derivative_error(gelu, gelu_tanh_grad_mixed, x) > 0.01
    assert derivative_error(gelu, gelu_grad_without_product_rule, x) > 1.0
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(gelu_tanh_grad_mixed(x), numerical_derivative(gelu_tanh, x),
                                   rtol=1e-6, atol=1e-9)


def test_the_mixed_formula_is_numpy_mls():
    """numpy-ml's GELU.grad(approximate=True), as written there (erf' of x / sqrt 2):
    0.5 + 0.5 tanh(u) + 0.5 x erf'(x / sqrt 2) / sqrt 2."""
    x = np.linspace(-5.0, 8.0, 1301)
    erf_prime = 2 / math.sqrt(math.pi) * np.exp(-(x / math.sqrt(2)) ** 2)
    theirs = (0.5 + 0.5 * np.tanh(GELU_TANH_C * (x + 0.044715 * x**3))
              + 0.5 * x * erf_prime / math.sqrt(2))
    np.testing.assert_allclose(gelu_tanh_grad_mixed(x), theirs, rtol=1e-9, atol=1e-15)


def test_a_3_decimal_test_lets_the_mixed_formula_through():
    """numpy-ml's test_gelu_grad (commit b0359af) compares the mixed formula with
    PyTorch's exact GELU' by assert_almost_equal(decimal=3), i.e. |diff| < 1.5e-3,
    and then with itself (GELU.__init__ sets approximate = True whatever the
    argument), which cannot fail. The page: an absolute 1.5e-3 check passes it
    against either derivative, on the page's points, on a wide grid and on points
    drawn like numpy-ml's (randint(-300, 300) + rand)."""
    rng = np.random.default_rng(0)
    theirs = rng.integers(-300, 300, 10000) + rng.random(10000)
    for right in (gelu_grad, gelu_tanh_grad):
        np.testing.assert_almost_equal(gelu_tanh_grad_mixed(theirs), right(theirs),
                                       decimal=3)
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
    """For every beta, negative ones included: f(0) = 0, f'(0) = 1/2 and the page's
    printed bound max |f'(x) + f'(-x) - 1| < 1e-14."""
    rng = np.random.default_rng(seed)
    x = np.concatenate([check_points(rng), rng.uniform(-10, 10, 1000)])
    for name, (f, df) in random_pairs(rng).items():
        assert float(f(0.0)) == 0.0
        assert float(df(0.0)) == pytest.approx(0.5, abs=1e-15), name
        assert np.max(np.abs(df(x) + df(-x) - 1.0)) < 1e-14, name
        np.testing.assert_allclose(f(x) - f(-x), x, rtol=1e-12, atol=1e-12, err_msg=name)


def _scaled_t(name, t):
    """t for Swish scaled by 1 / beta (swish_beta(-t / beta) = swish_1(-t) / beta), so
    that small beta, whose tails decay like e^(-beta t), are tested as far out, and
    large beta are not so far out that f'(t) - 1 rounds to 0."""
    if name.startswith("swish"):
        return t / float(name[len("swish(beta="):-1])
    return t


@pytest.mark.parametrize("seed", SEEDS)
def test_limits_at_both_ends(seed):
    """Positive beta drawn from (0.05, 10): without the 1 / beta scaling of t the check
    fails for beta below about 0.45 (then |f(-40)| = 40 sigma(-40 beta) > 1e-6)."""
    rng = np.random.default_rng(seed)
    betas = (0.5, 1.0, 10.0) + tuple(rng.uniform(0.05, 10.0, 4).round(3)) + (0.05,)
    pairs = derivative_pairs(betas)
    ts = (5.0, 10.0, 20.0, 40.0)
    for name, (f, df) in pairs.items():
        dev = [tail_deviations(f, df, _scaled_t(name, t)) for t in ts]
        left = [np.max(np.abs(d[:2])) for d in dev]     # computed without cancellation
        assert left[-1] < 1e-6, name
        assert all(b < a or b == a == 0.0 for a, b in zip(left, left[1:])), name
        for t, d in zip(ts, dev):   # the right tail is the left one: f'(x) + f'(-x) = 1
            atol = 1e-15 * _scaled_t(name, t) + 1e-15
            np.testing.assert_allclose(np.abs(d[2:]), np.abs(d[:2]), atol=atol,
                                       err_msg=name)
        t0 = _scaled_t(name, ts[0])
        assert f(-t0) < 0 and df(t0) > 1.0, name   # from below / from above


def test_small_beta_really_needs_the_scaled_t():
    f, df = derivative_pairs(betas=(0.4,))["swish(beta=0.4)"]
    assert np.max(np.abs(tail_deviations(f, df, 40.0))) > 1e-6


def test_page_limits_table_and_its_exact_zeros():
    """The page's table: gelu and gelu_tanh are exactly 0 at t = 40, and there the true
    values (bounded in log space) are below the smallest positive double; at t = 20 they
    are not 0. The literal tanh form is 0 from t = 10 on: cancellation, not
    underflow."""
    for f, df in ((gelu, gelu_grad), (gelu_tanh, gelu_tanh_grad)):
        assert np.all(tail_deviations(f, df, 40.0)[:2] == 0.0)
        assert np.all(tail_deviations(f, df, 20.0)[:2] != 0.0)
    log_tiny = math.log(5e-324)
    # gelu: |f(-t)| = t Phi(-t) < phi(t) and |f'(-t)| <= t phi(t) (Mills ratio, t > 1)
    assert math.log(40.0) - 800.0 - 0.5 * math.log(2 * math.pi) < log_tiny
    # gelu_tanh: |f(-t)| < t e^(-q), |f'(-t)| < e^(-q) (1 + t q'(t)), q = 2u(t)
    q = 2 * GELU_TANH_C * (40.0 + 0.044715 * 40.0**3)
    dq = 2 * GELU_TANH_C * (1 + 3 * 0.044715 * 40.0**2)
    assert -q + math.log(1.0 + 40.0 * (1.0 + dq)) < log_tiny
    for t in (10.0, 20.0, 40.0):
        naive = tail_deviations(gelu_tanh_naive, gelu_tanh_grad_naive, t)
        assert np.all(naive[:2] == 0.0)
        assert np.all(tail_deviations(gelu_tanh, gelu_tanh_grad, t / 4)[:2] != 0.0)


def test_the_literal_tanh_form_loses_its_digits_in_the_left_tail():
    """Where the page's claims come from: relative error < 1e-8 at x = -5, exactly 0 at
    x = -8 and beyond, while x sigma(2u) keeps full relative precision there (against
    the asymptote x e^q (1 - e^q), q = 2u, whose own relative error is below e^(2q))."""
    assert abs(float(gelu_tanh_naive(-5.0) / gelu_tanh(-5.0)) - 1.0) < 1e-8
    x = np.linspace(-40.0, -8.0, 3201)
    assert np.all(gelu_tanh_naive(x) == 0.0) and np.all(gelu_tanh_grad_naive(x) == 0.0)
    x = np.linspace(-20.0, -8.0, 1201)
    q = 2 * GELU_TANH_C * (x + 0.044715 * x**3)
    asymptote = x * np.exp(q) * (1 - np.exp(q))
    np.testing.assert_allclose(gelu_tanh(x), asymptote, rtol=1e-13)
    dq = 2 * GELU_TANH_C * (1 + 3 * 0.044715 * x**2)
    np.testing.assert_allclose(gelu_tanh_grad(x), np.exp(q) * (1 + x * dq), rtol=1e-12)
    # where 1 + tanh(u) does not cancel, the two forms agree to rounding
    x = np.linspace(-3.0, 10.0, 1301)
    np.testing.assert_allclose(gelu_tanh(x), gelu_tanh_naive(x), rtol=1e-13,
                               atol=1e-300)
    np.testing.assert_allclose(gelu_tanh_grad(x), gelu_tanh_grad_naive(x), rtol=1e-12,
                               atol=1e-15)


@pytest.mark.parametrize("seed", SEEDS)
def test_negative_beta(seed):
    """beta < 0: f(0) = 0, f'(0) = 1/2 and f'(x) + f'(-x) = 1 still hold (tested above);
    the limits swap (f -> x, f' -> 1 at -inf; f, f' -> 0 at +inf), since
    swish_beta(x) = -swish_|beta|(-x); the one critical point t1 / beta is a maximum
    with value -W(1/e) / beta, and f' still ranges over [1 - 1.0998, 1.0998]."""
    rng = np.random.default_rng(seed)
    x1, f1 = negative_minimum(swish, swish_grad)
    top1 = steepest_slope(swish_grad)[1]
    for beta in (-1.0, -0.5) + tuple(-rng.uniform(0.05, 10.0, 3)):
        f, df = partial(swish, beta=beta), partial(swish_grad, beta=beta)
        # (swish_beta(x) = -swish_|beta|(-x) is the definition rewritten, so it is not
        # tested bit for bit; the limits and the extremum below are the checks)
        t = 40.0 / abs(beta)
        assert max(abs(float(f(t))), abs(float(df(t)))) < 1e-6 / abs(beta)
        assert abs(float(f(-t)) + t) < 1e-6 / abs(beta)
        assert abs(float(df(-t)) - 1) < 1e-6
        x_max, f_max = swish_extremum(beta)
        assert x_max == pytest.approx(x1 / beta, rel=1e-11)
        assert f_max == pytest.approx(f1 / beta, rel=1e-11) and f_max > 0
        grid = np.linspace(0.0, 4.0 * x_max, 40001)
        assert abs(grid[np.argmax(f(grid))] - x_max) < 1e-3 * x_max
        assert np.all(f(grid) <= f_max + 1e-15)
        signs = np.sign(df(np.linspace(-30.0, 30.0, 60001) / abs(beta)))
        assert np.all(signs != 0) and np.count_nonzero(np.diff(signs)) == 1
        _, top = golden_max(df, 6.0 / beta, 0.0)
        _, neg_low = golden_max(lambda v: -df(v), 0.0, -6.0 / beta)
        assert top == pytest.approx(top1, abs=1e-12) and -neg_low == pytest.approx(
            1.0 - top1, abs=1e-12)
    with pytest.raises(ValueError, match="non-zero"):
        swish_extremum(0.0)


def test_page_negative_beta_cell_values():
    for beta, x_star, f_star in ((-1.0, 1.278465, 0.278465),
                                 (-0.5, 2.556929, 0.556929)):
        x_max, f_max = swish_extremum(beta)
        assert round(x_max, 6) == x_star and round(f_max, 6) == f_star


@pytest.mark.parametrize("seed", SEEDS)
def test_the_alternative_form_of_the_swish_derivative(seed):
    rng = np.random.default_rng(seed)
    x = np.concatenate([check_points(rng, half_width=10.0), rng.normal(0.0, 3.0, 1000)])
    for beta in (0.0, 0.5, 1.0, 10.0, -1.0) + tuple(rng.uniform(-10.0, 10.0, 4)):
        np.testing.assert_allclose(swish_grad_alt(x, beta), swish_grad(x, beta),
                                   rtol=1e-12, atol=1e-15, err_msg=str(beta))
        # and on its own, against central differences of swish
        alt = partial(swish_grad_alt, beta=beta)
        assert derivative_error(partial(swish, beta=beta), alt, x) < 1e-6, beta
    # not vacuous: the same comparison rejects slips in the formula itself
    mutants = (lambda v, b: b * swish(v, b) + sigmoid(b * v) * (1 - swish(v, b)),
               lambda v, b: swish(v, b) + sigmoid(b * v) * (1 - b * swish(v, b)),
               lambda v, b: b * swish(v, b) + sigmoid(v) * (1 - b * swish(v, b)))
    for mutant in mutants:
        for beta in (0.5, 2.0, 10.0, -1.0):
            assert not np.allclose(mutant(x, beta), swish_grad(x, beta), rtol=1e-6,
                                   atol=1e-9), beta


@pytest.mark.parametrize("seed", SEEDS)
def test_closed_forms_of_the_second_derivatives(seed):
    """swish'' = beta sigma(t) sigma(-t) (2 - t tanh(t/2)) and
    GELU'' = (2 - x^2) phi(x), each against central differences of the (separately
    checked) first derivative."""
    rng = np.random.default_rng(seed)
    x = check_points(rng, n_random=2000)
    for beta in (0.5, 1.0, 1.702, 5.0, -1.0) + tuple(rng.uniform(-5.0, 5.0, 3)):
        f2 = partial(swish_second, beta=beta)
        err = derivative_error(partial(swish_grad, beta=beta), f2, x)
        assert err < 1e-6, beta
    assert derivative_error(gelu_grad, gelu_second, x) < 1e-6
    # a wrong sign inside the bracket is caught
    wrong = lambda v: (2.0 + v * v) * normal_pdf(v)  # noqa: E731
    assert derivative_error(gelu_grad, wrong, x) > 0.1


@pytest.mark.parametrize("seed", SEEDS)
def test_general_gelu_of_the_book(seed):
    """x Phi((x - mu) / s): derivative Phi(z) + (x / s) phi(z); f'(0) = Phi(-mu / s), so
    the central symmetry needs mu = 0; for mu = 0 it is s GELU(x / s)."""
    rng = np.random.default_rng(seed)
    x = check_points(rng)
    for mu, s in ((0.0, 2.0), (0.5, 1.0), (-1.0, 0.5)) + tuple(
            zip(rng.uniform(-2, 2, 3), rng.uniform(0.5, 3, 3))):
        f = partial(gelu_general, mu=mu, s=s)
        df = partial(gelu_general_grad, mu=mu, s=s)
        assert float(df(0.0)) == pytest.approx(float(normal_cdf(-mu / s)), abs=1e-15)
        symmetry = np.max(np.abs(df(x) + df(-x) - 1.0))
        assert (symmetry < 1e-14) == (mu == 0.0)
        if mu == 0.0:
            np.testing.assert_allclose(f(x), s * gelu(x / s), rtol=1e-14, atol=1e-300)
    np.testing.assert_array_equal(gelu_general(x), gelu(x))
    np.testing.assert_array_equal(gelu_general_grad(x), gelu_grad(x))
    for mu, s, sym in ((0.5, 1.0, 0.38), (-1.0, 0.5, 0.95)):   # the page's at-zero
        df = partial(gelu_general_grad, mu=mu, s=s)
        x0 = check_points(np.random.default_rng(0))
        assert round(float(np.max(np.abs(df(x0) + df(-x0) - 1.0))), 2) == sym


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


def test_page_minimum_cell_sign_changes_and_identities():
    for f, df in derivative_pairs(betas=(0.5, 1.0, 10.0)).values():
        x_min, _ = negative_minimum(f, df)
        assert float(df(x_min - 1e-6)) < 0 < float(df(x_min + 1e-6))
    x_min, f_min = negative_minimum(swish, swish_grad)
    assert abs(f_min - (x_min + 1.0)) < 1e-13
    x_min, f_min = negative_minimum(gelu, gelu_grad)
    assert abs(f_min + x_min**2 * float(normal_pdf(x_min))) < 1e-13


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
    x = np.linspace(-20.0, 20.0, 200001)   # x sigma(2u) keeps gelu_tanh' non-zero here
    signs = np.sign(df(x))
    assert np.all(signs != 0)
    assert np.count_nonzero(np.diff(signs)) == 1
    page = np.sign(df(np.linspace(-20.0, 20.0, 40001)))      # the page's coarser grid
    assert np.all(page != 0) and np.count_nonzero(np.diff(page)) == 1
    x_min, _ = negative_minimum(f, df)
    assert np.all(df(x[x < x_min - 1e-6]) < 0) and np.all(df(x[x > x_min + 1e-6]) > 0)


def _tanh_factor(x):
    """For f(x) = x sigma(q(x)), q = 2u: f' = sigma(q) h, h = 1 + p sigma(-q), p = x q';
    returns h and the page's h' = sigma(-q) [p' - p q' sigma(q)]."""
    c, a = GELU_TANH_C, 0.044715
    q, dq = 2 * c * (x + a * x**3), 2 * c * (1 + 3 * a * x**2)
    p, dp = x * dq, 2 * c * (1 + 9 * a * x**2)
    return 1 + p * sigmoid(-q), sigmoid(-q) * (dp - p * dq * sigmoid(q))


def test_unique_minimum_of_the_tanh_approximation_the_proof_steps():
    """The page proves uniqueness for x sigma(q(x)) with q = 2u: each step, checked."""
    x = check_points(np.random.default_rng(0), half_width=20.0)
    h, dh = _tanh_factor(x)
    q = 2 * GELU_TANH_C * (x + 0.044715 * x**3)
    np.testing.assert_allclose(gelu_tanh_grad(x), sigmoid(q) * h, rtol=1e-12,
                               atol=1e-300)
    assert derivative_error(lambda v: _tanh_factor(v)[0], lambda v: _tanh_factor(v)[1],
                            x[np.abs(x) < 8]) < 1e-6
    assert np.all(dh[x < 0] > 0) and np.all(h[x >= 0] >= 1.0)
    assert _tanh_factor(np.array([-20.0]))[0][0] < -1e3           # h -> -inf
    x_min, _ = negative_minimum(gelu_tanh, gelu_tanh_grad)
    assert abs(_tanh_factor(np.array([x_min]))[0][0]) < 1e-12


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
    """The page prints 9.49e-03 at |x| = 0.57. For |x| >= 10 both sigma(1.702x) and
    Phi(x) lie within max(sigma(-17.02), Phi(-10)) < 1e-7 of the same 0 or 1 (both
    are monotone), so the grid on [-10, 10] gives the maximum over the real line."""
    x = np.linspace(-10, 10, 200001)
    gap = np.abs(sigmoid(1.702 * x) - normal_cdf(x))
    assert gap.max() < 0.01
    assert f"{gap.max():.2e}" == "9.49e-03"
    assert abs(abs(x[np.argmax(gap)]) - 0.5715) < 1e-3
    assert max(float(sigmoid(-17.02)), float(normal_cdf(-10.0))) < 1e-7
    wide = np.linspace(-10.0, 10.0, 40001)                   # the page's grid
    page_gap = np.abs(sigmoid(1.702 * wide) - normal_cdf(wide))
    assert f"{page_gap.max():.2e}" == "9.49e-03"
    assert f"{abs(wide[np.argmax(page_gap)]):.2f}" == "0.57"
    far = FAR_TAILS
    assert np.max(np.abs(sigmoid(1.702 * far) - normal_cdf(far))) < 5e-8


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
    # the page's line "on 10 <= |x| <= 50 both errors are < 1e-6" (with margin)
    far = FAR_TAILS
    for f, df in APPROXIMATIONS.values():
        assert np.max(np.abs(f(far) - gelu(far))) < 5e-7
        assert np.max(np.abs(df(far) - gelu_grad(far))) < 8e-7


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
    with pytest.raises(ValueError, match="r must be"):
        tail_deviations(gelu, gelu_grad, -1.0)
    with pytest.raises(ValueError, match="1-D"):
        derivative_error(gelu, gelu_grad, np.zeros((2, 2)))
    with pytest.raises(ValueError, match="finite"):
        max_abs_difference(gelu, gelu_tanh, np.array([0.0, np.nan]))
    with pytest.raises(ValueError, match="s must"):
        gelu_general(0.0, s=0.0)
    with pytest.raises(ValueError, match="mu must"):
        gelu_general_grad(0.0, mu=np.inf)
    with pytest.raises(ValueError, match="beta must"):
        swish_second(0.0, beta=np.nan)


@pytest.mark.parametrize("seed", SEEDS)
def test_page_derivative_check_extra_lines(seed):
    """The page's last three derivative-check lines, on other point sets too."""
    x = check_points(np.random.default_rng(seed))
    assert derivative_error(swish_grad, swish_second, x) < 1e-6
    assert derivative_error(gelu_grad, gelu_second, x) < 1e-6
    for beta in (0.5, 1.0, 10.0, -1.0):
        assert np.max(np.abs(swish_grad_alt(x, beta) - swish_grad(x, beta))) < 1e-12
