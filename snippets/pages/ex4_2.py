"""Page 4-2 (docs/4-2.md), cell by cell: XOR with two hidden ReLU units."""

# %% setup
import numpy as np

from snippets.ex4_2 import (xor_data, xor_network, truth_table, fit_single_neuron,
                            train_xor_runs, classify_run, plot_network,
                            plot_hidden_space, plot_decision_regions,
                            plot_training_outcomes)
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)

# %% truth-table
net = xor_network()
print(" x1  x2 |  h1  h2 |   y")
for x1, x2, h1, h2, y in truth_table(net):
    print(f"{x1:3.0f} {x2:3.0f} | {h1:3.0f} {h2:3.0f} | {y:3.0f}")
X, y_true = xor_data()
print("equals XOR exactly:", np.array_equal(net.forward(X).ravel(), y_true))

# %% relu-output
net_relu = xor_network(output="relu")
print("ReLU output unit:", net_relu.forward(X).ravel().tolist())

# %% single-neuron
w, b, loss = fit_single_neuron(rng)
print(f"w = {(np.round(w, 6) + 0.0).tolist()}, b = {b + 0.0:.6f}")
print(f"cross-entropy = {loss:.6f}, ln 2 = {np.log(2):.6f}")

# %% network-figure
plot_network(net)

# %% hidden-space
plot_hidden_space(net)

# %% decision-regions
plot_decision_regions(net)

# %% training
n_runs = 300
nets, losses = train_xor_runs(n_runs, rng, steps=3000, lr=0.1)
outcomes = [classify_run(n) for n in nets]
for kind in ("solved", "dead unit", "same pattern", "zero collision", "other"):
    count = outcomes.count(kind)
    print(f"{kind:>14}: {count:3d} / {n_runs}  ({count / n_runs:6.1%})")

# %% training-figure
plot_training_outcomes(losses, outcomes)
