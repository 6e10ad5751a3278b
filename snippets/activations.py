"""Activation functions of §4.1, each written next to its derivative.

Every function takes an array (or a number) and works element-wise. Each
derivative ``*_grad`` is checked in ``tests/test_activations.py`` against
central differences of its own forward function. At a kink (ReLU and
LeakyReLU at 0, ELU at 0) the derivative returns the left-hand value.
"""

import math

import numpy as np

from snippets.validation import as_float_array, check_finite


def sigmoid(x):
    """Logistic function 1 / (1 + exp(-x)), accurate and overflow-free for any x.

    Examples
    --------
    >>> sigmoid(np.array([-1.0, 0.0, 1.0])).round(4).tolist()
    [0.2689, 0.5, 0.7311]
    """
    x = as_float_array(x)
    return np.exp(-np.logaddexp(0.0, -x))  # = 1/(1+e^-x); logaddexp never overflows


def sigmoid_grad(x):
    """Derivative sigma(x) * (1 - sigma(x)); its maximum is 1/4 at x = 0.

    Written as sigma(x) * sigma(-x), which equals it and keeps full relative
    precision in both tails (1 - sigma(x) would cancel for large x).

    Examples
    --------
    >>> round(float(sigmoid_grad(0.0)), 12)
    0.25
    """
    x = as_float_array(x)
    return sigmoid(x) * sigmoid(-x)


def tanh(x):
    """Hyperbolic tangent, 2 sigma(2x) - 1: zero-centred output in (-1, 1).

    Examples
    --------
    >>> tanh(np.array([0.0, 1.0])).round(4).tolist()
    [0.0, 0.7616]
    """
    return np.tanh(as_float_array(x))


def tanh_grad(x):
    """Derivative 1 - tanh(x)^2; its maximum is 1 at x = 0.

    Examples
    --------
    >>> round(float(tanh_grad(0.0)), 12)
    1.0
    """
    x = as_float_array(x)
    return 4.0 * sigmoid_grad(2.0 * x)  # = 1 - tanh(x)^2, without cancellation


def relu(x):
    """Rectified linear unit max(0, x).

    Examples
    --------
    >>> relu(np.array([-2.0, 0.0, 3.0])).tolist()
    [0.0, 0.0, 3.0]
    """
    return np.maximum(as_float_array(x), 0.0)


def relu_grad(x):
    """Derivative of ReLU: 1 for x > 0, else 0 (the value 0 is used at x = 0).

    Examples
    --------
    >>> relu_grad(np.array([-2.0, 0.0, 3.0])).tolist()
    [0.0, 0.0, 1.0]
    """
    return (as_float_array(x) > 0).astype(np.float64)


def leaky_relu(x, gamma=0.01):
    """LeakyReLU: x for x > 0, gamma * x otherwise (0 < gamma < 1).

    Examples
    --------
    >>> leaky_relu(np.array([-2.0, 3.0]), gamma=0.1).tolist()
    [-0.2, 3.0]
    """
    x, gamma = as_float_array(x), check_finite(gamma, "gamma")
    return np.where(x > 0, x, gamma * x)


def leaky_relu_grad(x, gamma=0.01):
    """Derivative of LeakyReLU: 1 for x > 0, gamma otherwise (gamma at x = 0).

    Examples
    --------
    >>> leaky_relu_grad(np.array([-2.0, 3.0]), gamma=0.1).tolist()
    [0.1, 1.0]
    """
    x, gamma = as_float_array(x), check_finite(gamma, "gamma")
    return np.where(x > 0, 1.0, gamma)


def elu(x, gamma=1.0):
    """ELU: x for x > 0, gamma * (exp(x) - 1) otherwise.

    Examples
    --------
    >>> elu(np.array([-1.0, 2.0])).round(4).tolist()
    [-0.6321, 2.0]
    """
    x, gamma = as_float_array(x), check_finite(gamma, "gamma")
    return np.where(x > 0, x, gamma * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x, gamma=1.0):
    """Derivative of ELU: 1 for x > 0, gamma * exp(x) otherwise.

    Examples
    --------
    >>> elu_grad(np.array([-1.0, 2.0])).round(4).tolist()
    [0.3679, 1.0]
    """
    x, gamma = as_float_array(x), check_finite(gamma, "gamma")
    return np.where(x > 0, 1.0, gamma * np.exp(np.minimum(x, 0.0)))


def softplus(x):
    """Softplus log(1 + exp(x)), a smooth version of ReLU.

    Examples
    --------
    >>> softplus(np.array([0.0, 50.0])).round(4).tolist()
    [0.6931, 50.0]
    """
    return np.logaddexp(0.0, as_float_array(x))


def softplus_grad(x):
    """Derivative of softplus: the logistic function sigma(x).

    Examples
    --------
    >>> round(float(softplus_grad(0.0)), 12)
    0.5
    """
    return sigmoid(x)


def swish(x, beta=1.0):
    """Swish x * sigma(beta * x) (book eq. 4.26).

    Examples
    --------
    >>> swish(np.array([-1.0, 0.0, 1.0])).round(4).tolist()
    [-0.2689, 0.0, 0.7311]
    """
    x, beta = as_float_array(x), check_finite(beta, "beta")
    return x * sigmoid(beta * x)


def swish_grad(x, beta=1.0):
    """Derivative sigma(beta x) + beta x sigma(beta x) (1 - sigma(beta x)).

    Examples
    --------
    >>> round(float(swish_grad(0.0, beta=1.0)), 12)
    0.5
    """
    x, beta = as_float_array(x), check_finite(beta, "beta")
    s = sigmoid(beta * x)
    return s + beta * x * s * sigmoid(-beta * x)  # sigma(-bx) = 1 - sigma(bx)


_erfc = np.frompyfunc(math.erfc, 1, 1)


def normal_cdf(x):
    """Standard normal CDF Phi(x) = erfc(-x / sqrt(2)) / 2.

    The same as (1 + erf(x / sqrt(2))) / 2, but without the cancellation that
    form suffers for x << 0 (where Phi(x) is tiny).

    Examples
    --------
    >>> normal_cdf(np.array([0.0, 1.0])).round(4).tolist()
    [0.5, 0.8413]
    """
    x = as_float_array(x)
    return 0.5 * np.asarray(_erfc(-x / math.sqrt(2.0)), dtype=np.float64)


def normal_pdf(x):
    """Standard normal density phi(x) = exp(-x^2 / 2) / sqrt(2 pi).

    Examples
    --------
    >>> round(float(normal_pdf(0.0)), 4)
    0.3989
    """
    x = as_float_array(x)
    return np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def gelu(x):
    """Exact GELU x * Phi(x) (book eq. 4.27).

    Examples
    --------
    >>> gelu(np.array([-1.0, 0.0, 1.0])).round(4).tolist()
    [-0.1587, 0.0, 0.8413]
    """
    x = as_float_array(x)
    return x * normal_cdf(x)


def gelu_grad(x):
    """Derivative of exact GELU: Phi(x) + x * phi(x).

    Examples
    --------
    >>> round(float(gelu_grad(0.0)), 12)
    0.5
    """
    x = as_float_array(x)
    return normal_cdf(x) + x * normal_pdf(x)


GELU_TANH_C = math.sqrt(2.0 / math.pi)  # the constant sqrt(2/pi) of eq. 4.28


def _gelu_tanh_q(x):
    """q = 2u = 2 sqrt(2/pi) (x + 0.044715 x^3), so that 0.5 (1 + tanh u) = sigma(q)."""
    return 2.0 * GELU_TANH_C * (x + 0.044715 * x**3)


def gelu_tanh(x):
    """tanh approximation 0.5 x (1 + tanh u), u = sqrt(2/pi) (x + 0.044715 x^3).

    Book eq. 4.28.

    Computed as x sigma(2u), which is the same function (1 + tanh u = 2 sigma(2u))
    but keeps full relative precision for x << 0: there 1 + tanh(u) cancels, and
    in floating point it is exactly 0 from x = -7.1 or so on.

    Examples
    --------
    >>> gelu_tanh(np.array([-1.0, 1.0])).round(4).tolist()
    [-0.1588, 0.8412]
    >>> bool(gelu_tanh(-10.0) < 0)
    True
    """
    x = as_float_array(x)
    return x * sigmoid(_gelu_tanh_q(x))


def gelu_tanh_grad(x):
    """Derivative of the tanh approximation of GELU (product and chain rules).

    With u = sqrt(2/pi) (x + 0.044715 x^3) and t = tanh(u):
    d/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) sqrt(2/pi) (1 + 3 * 0.044715 x^2),
    computed without cancellation as sigma(q) + x q' sigma(q) sigma(-q), q = 2u
    (0.5 (1 + t) = sigma(q) and 0.5 (1 - t^2) u' = sigma(q) sigma(-q) q').

    Examples
    --------
    >>> round(float(gelu_tanh_grad(0.0)), 12)
    0.5
    """
    x = as_float_array(x)
    q, dq = _gelu_tanh_q(x), 2.0 * GELU_TANH_C * (1.0 + 3 * 0.044715 * x**2)
    s = sigmoid(q)
    return s + x * dq * s * sigmoid(-q)


def gelu_sigmoid(x):
    """Sigmoid approximation x * sigma(1.702 x), i.e. Swish with beta = 1.702.

    Examples
    --------
    >>> gelu_sigmoid(np.array([-1.0, 1.0])).round(4).tolist()
    [-0.1542, 0.8458]
    """
    return swish(x, beta=1.702)


def gelu_sigmoid_grad(x):
    """Derivative of x * sigma(1.702 x): ``swish_grad`` with beta = 1.702.

    Examples
    --------
    >>> round(float(gelu_sigmoid_grad(0.0)), 12)
    0.5
    """
    return swish_grad(x, beta=1.702)


def identity(x):
    """Identity f(x) = x, the activation of a linear output layer."""
    return as_float_array(x)


def identity_grad(x):
    """Derivative of the identity: 1 everywhere."""
    return np.ones_like(as_float_array(x))


ACTIVATIONS = {
    "identity": (identity, identity_grad),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "elu": (elu, elu_grad),
    "softplus": (softplus, softplus_grad),
    "swish": (swish, swish_grad),
    "gelu": (gelu, gelu_grad),
    "gelu_tanh": (gelu_tanh, gelu_tanh_grad),
    "gelu_sigmoid": (gelu_sigmoid, gelu_sigmoid_grad),
}


def get_activation(name):
    """Return the pair ``(f, f_grad)`` registered under ``name``.

    Examples
    --------
    >>> f, df = get_activation("relu")
    >>> float(f(-1.0)), float(df(2.0))
    (0.0, 1.0)
    """
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; expected one of {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[name]
