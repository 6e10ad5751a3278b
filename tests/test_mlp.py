"""The dense layer, the MLP's backpropagation, losses, optimisers and training loop."""

import numpy as np
import pytest

from snippets.gradcheck import numerical_gradient, relative_error
from snippets.layers import dense_backward, dense_forward
from snippets.mlp import (MLP, SGD, Adam, Momentum, binary_cross_entropy, count_parameters,
                          init_weight, mse_loss, train)

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "swish", "gelu",
          "gelu_tanh", "gelu_sigmoid"]


def test_dense_backward_matches_numerical_gradient():
    rng = np.random.default_rng(0)
    X, W, b = rng.normal(size=(5, 3)), rng.normal(size=(4, 3)), rng.normal(size=4)
    G = rng.normal(size=(5, 4))  # L = sum(G * Z)
    loss = lambda: float(np.sum(G * dense_forward(X, W, b)[0]))  # noqa: E731
    dX, dW, db = dense_backward(G, dense_forward(X, W, b)[1])
    for analytic, param in ((dX, X), (dW, W), (db, b)):
        assert relative_error(analytic, numerical_gradient(loss, param)) < 1e-7


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize("loss_name, output", [("mse", "identity"), ("bce", "identity"),
                                               ("mse", "sigmoid")])
def test_backprop_matches_gradient_checker(hidden, loss_name, output):
    rng = np.random.default_rng(1)
    net = MLP([3, 5, 4, 1], hidden=hidden, output=output, init="xavier", rng=rng, bias=0.1)
    X = rng.normal(size=(7, 3))
    y = (rng.uniform(size=7) > 0.5).astype(float)
    loss_fn = mse_loss if loss_name == "mse" else binary_cross_entropy

    def loss():
        return loss_fn(net.forward(X), y)[0]

    value, grad = loss_fn(net.forward(X), y)
    dW, db = net.backward(grad)
    for analytic, param in zip([g for pair in zip(dW, db) for g in pair], net.parameters()):
        numeric = numerical_gradient(loss, param)
        # ReLU-type kinks: keep all pre-activations away from 0 by more than eps
        assert relative_error(analytic, numeric, floor=1e-8) < 1e-6


def test_gradient_checker_catches_a_wrong_backward():
    rng = np.random.default_rng(2)
    net = MLP([2, 3, 1], hidden="tanh", init="xavier", rng=rng)
    X, y = rng.normal(size=(4, 2)), rng.normal(size=4)
    _, grad = mse_loss(net.forward(X), y)
    dW, _ = net.backward(grad)
    numeric = numerical_gradient(lambda: mse_loss(net.forward(X), y)[0], net.W[0])
    assert relative_error(dW[0] * 1.001, numeric) > 1e-4


def test_parameter_counts_agree():
    for sizes in ([2, 2, 1], [3, 4, 4, 4, 1], [10, 1], [784, 100, 10]):
        net = MLP(sizes, init="zeros")
        assert net.n_parameters() == count_parameters(sizes)
    assert count_parameters([3, 12, 1]) == 61


def test_initialisations():
    rng = np.random.default_rng(0)
    assert not init_weight(5, 4, "zeros").any()
    assert np.all(init_weight(5, 4, "constant", value=0.3) == 0.3)
    xavier = init_weight(300, 200, "xavier", rng)
    r = np.sqrt(6 / 500)
    assert np.abs(xavier).max() <= r and xavier.var() == pytest.approx(r**2 / 3, rel=0.05)
    he = init_weight(300, 200, "he", rng)
    assert he.var() == pytest.approx(2 / 300, rel=0.05)


def test_losses():
    loss, grad = mse_loss([[1.0], [3.0]], [0.0, 1.0])
    assert loss == 1.25 and grad.tolist() == [[0.5], [1.0]]
    z = np.array([[-800.0], [0.0], [800.0]])
    loss, grad = binary_cross_entropy(z, [1, 0, 1])
    assert loss == pytest.approx((800 + np.log(2)) / 3)
    np.testing.assert_allclose(grad.ravel(), [-1 / 3, 0.5 / 3, 0.0], atol=1e-15)


@pytest.mark.parametrize("make", [lambda: SGD(0.1), lambda: Momentum(0.1), lambda: Adam(0.1)])
def test_zero_gradient_leaves_parameters_bitwise_unchanged(make):
    rng = np.random.default_rng(3)
    params = [rng.normal(size=(3, 2)), rng.normal(size=3)]
    before = [p.copy() for p in params]
    opt = make()
    for _ in range(50):
        opt.step(params, [np.zeros_like(p) for p in params])
    assert all(np.array_equal(a, b) for a, b in zip(params, before))


def test_optimisers_reach_the_minimum_of_a_quadratic():
    for opt in (SGD(0.1), Momentum(0.05, 0.9), Adam(0.05)):
        x = [np.array([3.0, -2.0])]
        for _ in range(2000):
            opt.step(x, [2 * x[0]])
        assert np.abs(x[0]).max() < 1e-3


def test_training_learns_a_line_and_reports_divergence():
    X, y = np.array([[0.0], [1.0]]), np.array([1.0, 3.0])
    net = MLP([1, 1], init="zeros")
    losses = train(net, X, y, SGD(0.5), 200)
    assert losses[-1] < 1e-10 and np.all(np.diff(losses[5:]) <= 0)
    net = MLP([1, 1], init="zeros")
    losses = train(net, X * 1e3, y, SGD(10.0), 200)
    assert np.isinf(losses[-1]) and np.isfinite(losses[0])


def test_minibatch_training_needs_a_generator():
    net = MLP([1, 1], init="zeros")
    with pytest.raises(ValueError, match="rng"):
        train(net, [[0.0], [1.0]], [0.0, 1.0], SGD(0.1), 5, batch_size=1)


@pytest.mark.parametrize("call, message", [
    (lambda: MLP([2]), "sizes"),
    (lambda: MLP([2, 0, 1]), "sizes"),
    (lambda: MLP([2, 2], init="he"), "rng"),
    (lambda: MLP([2, 2], init="orthogonal"), "unknown init"),
    (lambda: MLP([2, 2], hidden="cube"), "unknown activation"),
    (lambda: MLP([2, 2], init="zeros").forward(np.zeros((3, 3))), "columns"),
    (lambda: MLP([2, 2], init="zeros").forward(np.zeros(2)), "2-D"),
    (lambda: MLP([2, 2], init="zeros").backward(np.zeros((1, 2))), "forward"),
    (lambda: dense_forward(np.zeros((2, 3)), np.zeros((4, 2)), np.zeros(4)), "shapes"),
    (lambda: mse_loss(np.zeros((3, 1)), np.zeros(4)), "shape"),
    (lambda: binary_cross_entropy(np.zeros((2, 1)), [0.5, 1.0]), "labels"),
    (lambda: SGD(lr=-1), "lr"),
    (lambda: Momentum(lr=0.1, rho=1.0), "rho"),
    (lambda: Adam(beta2=np.nan), "beta2"),
    (lambda: train(MLP([1, 1], init="zeros"), [[0.0]], [0.0], SGD(0.1), 0), "steps"),
    (lambda: train(MLP([1, 1], init="zeros"), [[0.0]], [0.0], SGD(0.1), 1, loss="l1"), "loss"),
])
def test_bad_input_raises_a_clear_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
