"""Every activation derivative against central differences of its own forward function."""

import numpy as np
import pytest

from snippets import activations as act
from snippets.gradcheck import numerical_derivative

PAIRS = {
    "sigmoid": (act.sigmoid, act.sigmoid_grad),
    "tanh": (act.tanh, act.tanh_grad),
    "relu": (act.relu, act.relu_grad),
    "leaky_relu": (lambda x: act.leaky_relu(x, 0.1), lambda x: act.leaky_relu_grad(x, 0.1)),
    "elu": (lambda x: act.elu(x, 0.7), lambda x: act.elu_grad(x, 0.7)),
    "softplus": (act.softplus, act.softplus_grad),
    "swish_b0": (lambda x: act.swish(x, 0.0), lambda x: act.swish_grad(x, 0.0)),
    "swish_b1": (act.swish, act.swish_grad),
    "swish_b10": (lambda x: act.swish(x, 10.0), lambda x: act.swish_grad(x, 10.0)),
    "gelu": (act.gelu, act.gelu_grad),
    "gelu_tanh": (act.gelu_tanh, act.gelu_tanh_grad),
    "gelu_sigmoid": (act.gelu_sigmoid, act.gelu_sigmoid_grad),
    "identity": (act.identity, act.identity_grad),
}
KINKED = {"relu", "leaky_relu", "elu"}


def sample_points(seed):
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.uniform(-6, 6, 400), rng.normal(0, 0.5, 100)])
    return x[np.abs(x) > 1e-3]  # away from the kink at 0 (h = 1e-5 never straddles it)


@pytest.mark.parametrize("name", sorted(PAIRS))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_derivative_matches_central_difference(name, seed):
    f, df = PAIRS[name]
    x = sample_points(seed)
    np.testing.assert_allclose(df(x), numerical_derivative(f, x, eps=1e-5),
                               rtol=1e-6, atol=1e-9)


def test_derivative_check_has_teeth():
    """A derivative that is wrong by 1e-4 must fail the check above."""
    x = sample_points(0)
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(act.gelu_grad(x) + 1e-4, numerical_derivative(act.gelu, x),
                                   rtol=1e-6, atol=1e-9)


def test_kink_conventions():
    """At x = 0 the derivative takes the left-hand value."""
    assert act.relu_grad(0.0) == 0.0
    assert act.leaky_relu_grad(0.0, gamma=0.2) == 0.2
    assert act.elu_grad(0.0, gamma=0.7) == 0.7
    # and the one-sided limits really differ there
    h = 1e-7
    assert act.relu(h) / h == pytest.approx(1.0) and act.relu(-h) == 0.0


@pytest.mark.parametrize("f", [act.sigmoid, act.swish, act.gelu, act.gelu_tanh,
                               act.gelu_sigmoid, act.softplus])
def test_smooth_functions_at_zero(f):
    if f is act.sigmoid:
        assert f(0.0) == 0.5
    elif f is act.softplus:
        assert f(0.0) == pytest.approx(np.log(2))
    else:
        assert f(0.0) == 0.0


def test_gelu_derivatives_at_zero_are_one_half():
    for df in (act.gelu_grad, act.gelu_tanh_grad, act.gelu_sigmoid_grad, act.swish_grad):
        assert df(0.0) == pytest.approx(0.5, abs=1e-15)


def test_no_overflow_for_large_inputs():
    x = np.array([-1000.0, 1000.0])
    np.testing.assert_array_equal(act.sigmoid(x), [0.0, 1.0])
    np.testing.assert_array_equal(act.softplus(x), [0.0, 1000.0])
    np.testing.assert_array_equal(act.gelu(x), [-0.0, 1000.0])


def test_sigmoid_and_tanh_keep_relative_precision_in_the_tails():
    x = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(act.sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-14)
    np.testing.assert_allclose(act.sigmoid_grad(x), np.exp(-x) / (1 + np.exp(-x)) ** 2,
                               rtol=1e-13)
    np.testing.assert_allclose(act.tanh_grad(x), 1 / np.cosh(x) ** 2, rtol=1e-13)


def test_normal_cdf_and_pdf():
    x = np.linspace(-5, 5, 41)
    np.testing.assert_allclose(numerical_derivative(act.normal_cdf, x), act.normal_pdf(x),
                               rtol=1e-6, atol=1e-10)
    assert act.normal_cdf(1.959963984540054) == pytest.approx(0.975, abs=1e-12)
    # full relative precision in the far left tail: Phi(-10) = 7.619853024160527e-24
    assert act.normal_cdf(-10.0) == pytest.approx(7.619853024160527e-24, rel=1e-12)


@pytest.mark.parametrize("bad", [np.nan, np.inf, [1.0, np.nan]])
def test_non_finite_input_is_rejected(bad):
    with pytest.raises(ValueError, match="finite"):
        act.relu(bad)


def test_non_numeric_input_is_rejected():
    with pytest.raises(ValueError, match="numeric"):
        act.sigmoid("abc")


@pytest.mark.parametrize("call", [lambda: act.swish(1.0, beta=np.nan),
                                  lambda: act.swish_grad(1.0, beta=[1, 2]),
                                  lambda: act.leaky_relu(1.0, gamma=np.inf),
                                  lambda: act.elu(1.0, gamma="a")])
def test_bad_hyper_parameters_are_rejected(call):
    with pytest.raises(ValueError):
        call()


def test_unknown_activation_name():
    with pytest.raises(ValueError, match="unknown activation"):
        act.get_activation("relu6")


def test_gelu_tanh_is_the_tanh_formula_without_its_cancellation():
    """x sigma(2u) is 0.5 x (1 + tanh u) where that does not cancel (x > -3), and keeps
    full relative precision in the left tail, where the literal form is exactly 0."""
    c, a = act.GELU_TANH_C, 0.044715
    x = np.linspace(-3.0, 10.0, 1301)
    t = np.tanh(c * (x + a * x**3))
    literal = 0.5 * x * (1 + t)
    np.testing.assert_allclose(act.gelu_tanh(x), literal, rtol=1e-13, atol=1e-300)
    literal_grad = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * a * x**2)
    np.testing.assert_allclose(act.gelu_tanh_grad(x), literal_grad, rtol=1e-12,
                               atol=1e-15)
    x = np.linspace(-20.0, -8.0, 121)
    q = 2 * c * (x + a * x**3)
    assert np.all(0.5 * x * (1 + np.tanh(q / 2)) == 0.0)
    asymptote = x * np.exp(q) * (1 - np.exp(q))
    np.testing.assert_allclose(act.gelu_tanh(x), asymptote, rtol=1e-13)
    assert np.all(act.gelu_tanh_grad(x) < 0)
