"""Page 4-2 (docs/4-2.md), cell by cell: XOR with two hidden ReLU units."""

# %% setup
import numpy as np

from snippets.ex4_2 import (xor_data, xor_network, xor_network_bias_free, truth_table,
                            fit_single_neuron, init_xor_runs, with_hidden_bias,
                            train_xor_runs, classify_run, activation_pattern,
                            dead_units, nonpositive_units, dead_with_frozen_weights,
                            bias_slopes_from_above, falls_at_origin, gradient_norm,
                            outcome_counts, outcome_table, plot_network,
                            plot_hidden_space, plot_decision_regions,
                            plot_training_outcomes)
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)
LANG = "zh"  # the language of the figures' text: "zh" or "en"

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

# %% bias-free
net_free = xor_network_bias_free()
print(" x1  x2 |  h1  h2 |   y")
for x1, x2, h1, h2, y in truth_table(net_free):
    print(f"{x1:3.0f} {x2:3.0f} | {h1:3.0f} {h2:3.0f} | {y:3.0f}")
print("equals XOR exactly:", np.array_equal(net_free.forward(X).ravel(), y_true))

# %% single-neuron
w, b, loss = fit_single_neuron(rng)
print(f"w = {(np.round(w, 6) + 0.0).tolist()}, b = {b + 0.0:.6f}")
print(f"cross-entropy = {loss:.6f}, ln 2 = {np.log(2):.6f}")

# %% non-monotone
z = X @ np.array([1.0, -1.0])                 # one neuron, z = x1 - x2, activation |z|
print("one neuron |x1 - x2|:", np.abs(z).tolist())

# %% network-figure
plot_network(net, lang=LANG)

# %% hidden-space
plot_hidden_space(net, lang=LANG)

# %% decision-regions
plot_decision_regions(net, lang=LANG)

# %% training
n_runs = 300
starts = init_xor_runs(n_runs, rng)           # He weights, every bias 0
nets, losses = train_xor_runs(starts, steps=3000, lr=0.1)
outcomes = [classify_run(n, s) for n, s in zip(nets, starts)]
KINDS = ("solved", "dead at init", "died in training", "same pattern",
         "zero collision", "other")
for kind in KINDS:
    count = outcomes.count(kind)
    print(f"{kind:>16}: {count:3d} / {n_runs}  ({count / n_runs:6.1%})")
print(f"expected runs with a unit dead at init: 7/16 * {n_runs} = {7 / 16 * n_runs}")

# %% three-active
net3 = xor_network()
net3.b[0][:] = [-0.5, -0.25]                  # both units off at (0,0) only
net3.W[1][:] = [[-7.0, 6.0]]                  # y = -7 h1 + 6 h2
print(" x1  x2 |   h1   h2 | -7 h1 + 6 h2")
for x1, x2, h1, h2, y in truth_table(net3):
    print(f"{x1:3.0f} {x2:3.0f} | {h1:4.2f} {h2:4.2f} | {y + 0.0:5.2f}")
print("both units active on:", activation_pattern(net3).astype(int).T.tolist())

# %% training-figure
plot_training_outcomes(losses, outcomes, lang=LANG)

# %% fixed-points
grad = np.array([gradient_norm(n) for n in nets])
changed = np.array([not np.array_equal(activation_pattern(s), activation_pattern(n))
                    for s, n in zip(starts, nets)])
print(f"{'':>16}  runs  |grad L| < 1e-6  < 1e-3  pattern changed")
for kind in KINDS[1:]:
    rows = np.array([o == kind for o in outcomes])
    print(f"{kind:>16}: {rows.sum():4d}  {np.sum(grad[rows] < 1e-6):14d}"
          f"  {np.sum(grad[rows] < 1e-3):6d}  {np.sum(changed[rows]):15d}")
others = [i for i, o in enumerate(outcomes) if o == "other"]
more, _ = train_xor_runs([nets[i] for i in others], steps=3000, lr=0.1)
print("'other' after 3000 more steps:",
      [classify_run(n, starts[i]) for n, i in zip(more, others)])
dead0 = [i for i, o in enumerate(outcomes) if o == "dead at init"]
slopes = [bias_slopes_from_above(nets[i])[dead_units(starts[i])] for i in dead0]
downhill = sum(np.any(sl < 0) for sl in slopes)
steepest = np.min(np.concatenate(slopes))
print(f"dead at init: raising a dead unit's bias above 0 lowers the loss in "
      f"{downhill} of {len(dead0)} runs")
print(f"steepest one-sided slope dL/db: {steepest:.2f}")

# %% other-draws
FAILURES = KINDS[1:5]
print("draw  solved  dead at init  died in training  failed runs:"
      " |grad L| >= 1e-3  largest |grad L|")
starts_k = init_xor_runs(4 * n_runs, rng)     # four more draws, trained at once
nets_k, _ = train_xor_runs(starts_k, steps=3000, lr=0.1)
for draw in range(4):
    part = slice(draw * n_runs, (draw + 1) * n_runs)
    out_k = [classify_run(n, s) for n, s in zip(nets_k[part], starts_k[part])]
    g = np.array([gradient_norm(n) for n, o in zip(nets_k[part], out_k)
                  if o in FAILURES])
    print(f"{draw + 1:4d}  {out_k.count('solved'):6d}"
          f"  {out_k.count('dead at init'):12d}  {out_k.count('died in training'):16d}"
          f"  {np.sum(g >= 1e-3):29d}  {g.max():16.1e}")

# %% tie-break
starts_tiny = with_hidden_bias(starts, 1e-9)  # the same weights, hidden biases 1e-9
nets_r1, _ = train_xor_runs(starts, steps=3000, lr=0.1, relu_grad_at_zero=1.0)
nets_tiny, _ = train_xor_runs(starts_tiny, steps=3000, lr=0.1)
columns = {"b = 0": outcome_counts(starts, nets),
           "R'(0) = 1": outcome_counts(starts, nets_r1),
           "b = 1e-9": outcome_counts(starts_tiny, nets_tiny)}
print(outcome_table(columns))
c = columns["b = 1e-9"]
print(f"b = 1e-9, end with a dead unit: {c['w<=0 dead unit']} of {c['w<=0 runs']} runs"
      f" with a w1, w2 <= 0 unit, {c['dead unit'] - c['w<=0 dead unit']} of"
      f" {n_runs - c['w<=0 runs']} other runs")
away = [s for s in starts_tiny if nonpositive_units(s).any()]
early = {0: away}
for step in range(1, 11):                     # one step at a time
    early[step] = train_xor_runs(early[step - 1], steps=1, lr=0.1)[0]
for step in (1, 2, 10):
    frozen = sum(dead_with_frozen_weights(s, n) for s, n in zip(away, early[step]))
    print(f"b = 1e-9, after {step:2d} step{'s' * (step > 1)}: the w1, w2 <= 0 unit"
          f" is dead in {frozen:3d} of {len(away)} runs")
units = [nonpositive_units(s) for s in away]
hits = sum(np.array_equal(dead_units(n2)[u], falls_at_origin(n1)[u])
           for n1, n2, u in zip(early[1], early[2], units))
print(f"rule 'dead after 2 steps iff v_j * y(0,0) > 0 after 1 step' holds in {hits}"
      f" of {len(away)} runs")

# %% bias-sweep
sweep = {"b = 0": columns["b = 0"], "b = 1e-9": columns["b = 1e-9"]}
biases = (0.01, 0.1, 0.3, 1.0)
starts_b = [with_hidden_bias(starts, b) for b in biases]
nets_all, _ = train_xor_runs(sum(starts_b, []), steps=3000, lr=0.1)   # all at once
for k, b in enumerate(biases):
    nets_b = nets_all[k * n_runs:(k + 1) * n_runs]
    sweep[f"b = {b:g}"] = outcome_counts(starts_b[k], nets_b)
print(outcome_table(sweep))
out_1 = [classify_run(n) for n in nets_b]                           # b = 1
on_1 = [activation_pattern(s).all() for s in starts_b[-1]]          # at the start
same = [i for i, o in enumerate(out_1) if o == "same pattern"]
same_on = [i for i in same if activation_pattern(nets_b[i]).all()]
print(f"b = 1, 'same pattern' runs with both units active on all four inputs:"
      f" {len(same_on)} of {len(same)}; of these, started that way:"
      f" {sum(on_1[i] for i in same_on)}")
print(f"b = 1, runs starting with both units active on all four inputs: {sum(on_1)}"
      f" of {n_runs}; of these, solved:"
      f" {sum(o == 'solved' for o, on in zip(out_1, on_1) if on)}")
