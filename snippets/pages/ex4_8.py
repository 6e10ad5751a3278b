"""Page 4-8 (docs/4-8.md), cell by cell: why not initialise W = 0, b = 0."""

# %% setup
import numpy as np

from snippets.ex4_8 import (two_moons, zero_init_gradients, train_from, accuracy,
                            prior_entropy, unit_spread, units_identical,
                            one_unit_network, symmetry_after, plot_loss_curves,
                            plot_hidden_units)
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)

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
for hidden in ("tanh", "relu"):
    net = nets[(hidden, "zeros")]
    still_zero = not (net.W[0].any() or net.b[0].any() or net.W[1].any())
    print(f"{hidden}: W1, b1, W2 still exactly 0 after 500 steps: {still_zero}; "
          f"output bias {net.b[1][0]:.4f} = ln(60/90) = {np.log(60 / 90):.4f}")
for key in [("tanh", "constant"), ("sigmoid", "zeros")]:
    net = nets[key]
    gap = np.max(np.abs(net.forward(X) - one_unit_network(net).forward(X)))
    print(f"{key[0]} {key[1]}: max |output - output of one unit| = {gap:.1e}")

# %% loss-figure
plot_loss_curves(runs)

# %% hidden-figure
plot_hidden_units([nets[("tanh", "xavier")], nets[("tanh", "constant")]],
                  ["随机初始化", "常数初始化"])

# %% other-training
print("   method | max unit difference  identical")
for method in ("gd", "minibatch", "momentum", "adam", "dropout"):
    net = symmetry_after(method, X, y, rng)
    print(f"{method:>9} | {unit_spread(net):19.3g}  {units_identical(net)}")

# %% width-5
net5, _ = train_from("tanh", "constant", X, y, rng, width=5)
print(f"width 5, constant init: max unit difference {unit_spread(net5):.3g}, "
      f"identical: {units_identical(net5)}")
H = np.tile(rng.random((150, 1)), (1, 5))        # five identical columns
delta = rng.normal(size=(150, 1))
g = (delta.T @ H).ravel()                       # how backward computes dL/dW2
print("delta^T H, each column minus column 1:", (g - g[0]).tolist())
