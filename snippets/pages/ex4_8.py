"""Page 4-8 (docs/4-8.md), cell by cell: why not initialise W = 0, b = 0."""

# %% setup
import numpy as np

from snippets.ex4_8 import (UnitwiseMLP, two_moons, zero_init_gradients, train_from,
                            accuracy, prior_entropy, unit_spread, units_identical,
                            one_unit_network, symmetry_after, init_scale_run,
                            saddle_check, plot_loss_curves,
                            plot_hidden_units)
from snippets.mlp import MLP, SGD, train
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)
LANG = "zh"  # the language of the figures' text: "zh" or "en"

# %% data
X, y = two_moons(90, 60, rng)
print("X:", X.shape, " class 0:", int(np.sum(y == 0)), " class 1:", int(np.sum(y == 1)))
print(f"best constant prediction: cross-entropy {prior_entropy(y):.4f}, "
      f"accuracy {np.mean(y == 0):.4f}")

# %% zero-gradients
print("max |gradient| at the first step, all weights and biases 0:")
print(" hidden |       W1       b1       W2       b2")
for hidden in ("tanh", "relu", "sigmoid"):
    g = zero_init_gradients(hidden, X, y)
    print(f"{hidden:>7} | {g['W1']:8.4f} {g['b1']:8.4f} {g['W2']:8.4f} {g['b2']:8.4f}")

# %% training
configs = [("tanh", "zeros"), ("tanh", "constant"), ("tanh", "xavier"),
           ("relu", "zeros"), ("relu", "he"), ("sigmoid", "zeros")]
runs, nets = {}, {}
print(" hidden     init |   loss  accuracy | max unit difference  identical")
for hidden, init in configs:
    net, losses = train_from(hidden, init, X, y, rng)
    runs[f"{hidden} {init}"], nets[(hidden, init)] = losses, net
    print(f"{hidden:>7} {init:>8} | {losses[-1]:.4f}  {accuracy(net, X, y):8.4f} | "
          f"{unit_spread(net):19.3g}  {units_identical(net)}")

# %% stuck
b1 = nets[("tanh", "xavier")].b[0]
print(f"tanh xavier: b1 started at 0, ends between {b1.min():.2f} and {b1.max():.2f}")
for hidden in ("tanh", "relu"):
    net = nets[(hidden, "zeros")]
    still_zero = not (net.W[0].any() or net.b[0].any() or net.W[1].any())
    print(f"{hidden}: W1, b1, W2 still exactly 0 after 500 steps: {still_zero}; "
          f"output bias {net.b[1][0]:.4f} = ln(60/90) = {np.log(60 / 90):.4f}")
for key in [("tanh", "constant"), ("sigmoid", "zeros")]:
    net = nets[key]
    gap = np.max(np.abs(net.forward(X) - one_unit_network(net).forward(X)))
    print(f"{key[0]} {key[1]}: max |output - output of one unit| < 1e-12: "
          f"{gap < 1e-12}")

# %% loss-figure
plot_loss_curves(runs, lang=LANG)

# %% hidden-figure
plot_hidden_units([nets[("tanh", "xavier")], nets[("tanh", "constant")]],
                  ["random", "constant"], X, y, lang=LANG)

# %% deep
for hidden in ("tanh", "sigmoid"):
    deep = UnitwiseMLP([2, 8, 8, 1], hidden=hidden, init="constant", value=0.5)
    train(deep, X, y, SGD(1.0), 200, loss="bce")
    print(f"{hidden}, two hidden layers, constant init, 200 steps: units identical in "
          f"layer 1: {units_identical(deep, 0)}, layer 2: {units_identical(deep, 1)}")

# %% other-training
print("   method | max unit difference  identical")
for method in ("gd", "minibatch", "momentum", "adam", "l2", "clip", "dropout"):
    net = symmetry_after(method, X, y, rng)
    print(f"{method:>9} | {unit_spread(net):19.3g}  {units_identical(net)}")

# %% scale
print("W1 scale  W2 scale | mean tanh'(z) | tanh' < 0.1 | ||dL/dW1|| | loss  "
      "| accuracy")
for w1, w2 in ((0.1, 0.1), (1, 1), (10, 10), (30, 30), (30, 1), (1, 30)):
    run = init_scale_run(w1, X, y, np.random.default_rng(1), out_scale=w2)
    print(f"{w1:8g}  {w2:8g} | {run['slope']:13.3f} | {run['saturated']:11.2f} | "
          f"{run['grad_W1']:10.3f} | {run['loss']:.4f} | {run['accuracy']:.4f}")

# %% saddle
print("growth of a 1e-12 asymmetry per 100 steps, steps 1000-1500 (lr 1)")
print("data seed |    mu_min  lr*mu_max | predicted  measured | twin identical")
for seed in (0, 1, 2):
    r = saddle_check(*two_moons(90, 60, np.random.default_rng(seed)))
    print(f"{seed:9d} | {r['mu_min']:9.2e}  {r['mu_max']:9.4f} | {r['predicted']:9.2f}"
          f"  {r['measured']:8.2f} | {r['twin_identical']}")

# %% blas
H = np.tile(rng.random((150, 1)), (1, 5))        # five identical columns
delta = rng.normal(size=(150, 1))
by_blas = (delta.T @ H).ravel()                  # how the shared MLP computes dL/dW2
by_unit = np.sum(delta * H, axis=0)              # how UnitwiseMLP computes it
eps = np.finfo(float).eps / 2                    # unit roundoff 2^-53
gamma = 150 * eps / (1 - 150 * eps)
bound = 2 * gamma * np.sum(np.abs(delta * H[:, :1]))
print("BLAS (sanity check): max |column - column 1| <= 2 gamma_n sum|delta h|:",
      bool(np.max(np.abs(by_blas - by_blas[0])) <= bound))
print("unit-wise: each column minus column 1:", (by_unit - by_unit[0]).tolist())
for width in (3, 5, 8):
    shared, _ = train_from("tanh", "constant", X, y, None, width=width, steps=100,
                           network=MLP)
    print(f"shared MLP, width {width}, 100 steps: max unit difference < 1e-12: "
          f"{unit_spread(shared) < 1e-12}")
