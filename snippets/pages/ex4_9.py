"""Page 4-9 (docs/4-9.md), cell by cell: does a larger learning rate cure vanishing
gradients?"""

# %% setup
import numpy as np

from snippets.ex4_9 import (regression_data, deep_mlp, gradient_norms_at_init,
                            train_runs, first_step_ratio, top_layer_step_limit,
                            mean_slope, adam_first_step_fraction, plot_gradient_norms,
                            plot_lr_sweep)
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)

# %% data
X, y = regression_data(rng)
best_constant = 0.5 * np.var(y)          # loss of the best constant prediction, mean(y)
print("X:", X.shape, " y:", y.shape)
print(f"best constant prediction: loss Var(y)/2 = {best_constant:.4f}")

# %% gradient-norms
norms = {"sigmoid + Xavier": gradient_norms_at_init("sigmoid", X, y, rng),
         "ReLU + He": gradient_norms_at_init("relu", X, y, rng)}
print("median ||dL/dW(l)|| over 5 networks, l = 1 (input side) ... 10 (output):")
for label, n in norms.items():
    med = np.median(n, axis=0)
    print(f"{label:>16}:", " ".join(f"{v:.1e}" for v in med))
    ratio = n[:, 0] / n[:, -1]
    print(f"{'':>16}  ||dW(1)|| / ||dW(10)||: {ratio.min():.1e} ... {ratio.max():.1e}")

# %% gradient-figure
plot_gradient_norms(norms)

# %% lr-sweep
net = deep_mlp("sigmoid", rng)
lrs = [1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0]
sweep = train_runs(net, X, y, lrs, steps=300)
print(f"output layer alone is stable only for lr < 2 / lambda_max = "
      f"{top_layer_step_limit(net, X):.3f}")
print("first update, same start for every rate:")
print("     lr | ||dW(1)||  ||dW(10)||  ratio")
for lr, u, ratio in zip(lrs, sweep["update_norm"][:, 0], first_step_ratio(sweep)):
    print(f"{lr:7g} | {u[0]:9.3e}  {u[-1]:10.3e}  {ratio:.6e}")

# %% contrast
relu_lrs, adam_lrs = [1e-3, 1e-2, 1e-1], [1e-3, 1e-2]
relu = train_runs(deep_mlp("relu", rng), X, y, relu_lrs, steps=300)
adam = train_runs(net, X, y, adam_lrs, steps=300, optimizer="adam")
print("setting           lr | final loss | grad ratio  update ratio |"
      " W(1) moved  W(10) moved")
for name, rates, out in [("sigmoid SGD", lrs, sweep), ("ReLU+He SGD", relu_lrs, relu),
                         ("sigmoid Adam", adam_lrs, adam)]:
    g0 = out["grad_norm"][:, 0]
    for r, lr in enumerate(rates):
        loss = out["loss"][r, -1]
        final = f"{loss:10.4f}" if np.isfinite(loss) else "  diverged"
        print(f"{name:<12} {lr:7g} | {final} | {g0[r, 0] / g0[r, -1]:10.2e}  "
              f"{first_step_ratio(out)[r]:12.2e} | {out['drift'][r, -1, 0]:10.1e}  "
              f"{out['drift'][r, -1, -1]:11.1e}")

# %% lr-figure
plot_lr_sweep(sweep, lrs, best_constant,
              {f"ReLU+He {relu_lrs[1]:g}": relu["loss"][1],
               f"Adam {adam_lrs[1]:g}": adam["loss"][1]})

# %% late-gradients
print("     lr | ||dL/dW(1)||: step 1  largest  step 300 | ||dL/dW(10)||: step 1  step 300")
for r in range(4):                                   # the rates that did not diverge
    g = sweep["grad_norm"][r]
    print(f"{lrs[r]:7g} |          {g[0, 0]:.1e}  {g[:, 0].max():.1e}   {g[-1, 0]:.1e} |"
          f"           {g[0, -1]:.1e}   {g[-1, -1]:.1e}")

# %% saturation
print("mean f'(z) per hidden layer (1 ... 9):")
print(f"{'start':>9}:", " ".join(f"{v:.3f}" for v in mean_slope(net, X)))
for r in (2, 3):
    print(f"{'lr = ' + format(lrs[r], 'g'):>9}:",
          " ".join(f"{v:.3f}" for v in mean_slope(sweep["nets"][r], X)))
loss = sweep["loss"][3]
print(f"lr = 1: the loss peaks at {loss.max() / loss[0]:.0f} times its start, "
      f"at step {loss.argmax() + 1}")

# %% adam-eps
for depth in (10, 15, 20):
    deep = deep_mlp("sigmoid", rng, depth=depth)
    print(f"depth {depth}: Adam's first step on W(1) is "
          f"{adam_first_step_fraction(deep, X, y):.3f} of a full step")

# %% xavier-gain
seed = int(rng.integers(2**31))     # one seed: the same five networks at both gains
ratios = {}
for gain in (1.0, 4.0):             # 4: the book's Xavier range for Logistic units
    n = gradient_norms_at_init("sigmoid", X, y, np.random.default_rng(seed), gain=gain)
    ratios[gain] = n[:, 0] / n[:, -1]
    print(f"sigmoid + Xavier x {gain:g}: ||dW(1)|| / ||dW(10)|| = "
          f"{ratios[gain].min():.1e} ... {ratios[gain].max():.1e}")
gained = ratios[4.0] / ratios[1.0]
print(f"x 4 over x 1, network by network: {gained.min():.0f} ... {gained.max():.0f} times")
