"""Page 4-9 (docs/4-9.md), cell by cell: does a larger learning rate cure vanishing
gradients?"""

# %% setup
import numpy as np

from snippets.ex4_9 import (regression_data, deep_mlp, gradient_norms_at_init,
                            layer_gradient_norms, train_runs, first_step_ratio,
                            top_layer_hessian,
                            top_layer_step_limit, steps_to_move, mean_slope,
                            adam_first_step_fraction, backprop_profile,
                            delta_ratio, centre_by_bias,
                            plot_gradient_norms, plot_lr_sweep)
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)
LANG = "zh"  # the language of the figures' text: "zh" or "en"

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
    ratio, spread = n[:, 0] / n[:, -1], n.max(axis=1) / n.min(axis=1)
    print(f"{'':>16}  ||dW(1)|| / ||dW(10)||: {ratio.min():.1e} ... {ratio.max():.1e}")
    print(f"{'':>16}  largest / smallest layer: "
          f"{spread.min():.1e} ... {spread.max():.1e}")

# %% gradient-figure
plot_gradient_norms(norms, lang=LANG)

# %% lr-sweep
net = deep_mlp("sigmoid", rng)
lrs = [1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0]
sweep = train_runs(net, X, y, lrs, steps=300)
print(f"output layer alone is stable only for lr < 2 / lambda_max = "
      f"{top_layer_step_limit(net, X):.3f}")
print("first update, same start for every rate (ratio: the same by Delta W = -lr g):")
print("     lr | ||dW(1)||  ||dW(10)||  ratio")
for lr, u, ratio in zip(lrs, sweep["update_norm"][:, 0], first_step_ratio(sweep)):
    print(f"{lr:7g} | {u[0]:9.3e}  {u[-1]:10.3e}  {ratio:.6e}")
print(f"for W(1) to get the step W(10) gets now, lr must grow by 1 / ratio = "
      f"{1 / first_step_ratio(sweep)[0]:.1e} (and W(10)'s step by as much)")

# %% contrast
relu_lrs, adam_lrs = [1e-3, 1e-2, 1e-1], [1e-3, 1e-2]
relu = train_runs(deep_mlp("relu", rng), X, y, relu_lrs, steps=300)
adam = train_runs(net, X, y, adam_lrs, steps=300, optimizer="adam")
layerwise = train_runs(net, X, y, adam_lrs, steps=300, optimizer="layerwise")
print("setting            lr | final loss | step-1 update ratio |"
      " W(1) moved  W(10) moved  ratio")
for name, rates, out in [("sigmoid SGD", lrs, sweep), ("ReLU+He SGD", relu_lrs, relu),
                         ("sigmoid Adam", adam_lrs, adam),
                         ("sigmoid layer", adam_lrs, layerwise)]:
    for r, lr in enumerate(rates):
        loss, moved = out["loss"][r, -1], out["drift"][r, -1]
        final = f"{loss:10.4f}" if np.isfinite(loss) else "  diverged"
        print(f"{name:<13} {lr:7g} | {final} | {first_step_ratio(out)[r]:19.2e} |"
              f" {moved[0]:10.1e}  {moved[-1]:11.1e}  {moved[0] / moved[-1]:.1e}")

# %% lr-figure
plot_lr_sweep(sweep, lrs, best_constant,
              {("relu_he", relu_lrs[1]): relu["loss"][1],
               ("adam", adam_lrs[1]): adam["loss"][1],
               ("layerwise", adam_lrs[1]): layerwise["loss"][1]}, lang=LANG)

# %% layerwise-control
print("per-layer rate 0.01, 300 steps, the bottom layers held fixed:")
for k, label in ((0, "all layers learn"), (1, "W(1) fixed"), (5, "W(1..5) fixed")):
    held = train_runs(net, X, y, [0.01], steps=300, optimizer="layerwise", frozen=k)
    print(f"  {label:<16}: final loss / plateau = "
          f"{held['loss'][0, -1] / best_constant:.3f}")

# %% time-scale
limit = top_layer_step_limit(net, X)
W1, g1 = np.linalg.norm(net.W[0]), sweep["grad_norm"][0, 0, 0]
print(f"start: ||W(1)|| = {W1:.2f}, ||dL/dW(1)|| = {g1:.2e}")
print(f"steps before W(1) can change by its own norm at lr = 2 / lambda_max = "
      f"{limit:.3f}: {steps_to_move(net, X, y, limit):.1e}")
print(f"the same at the hard limit lr = 2 (section 2): "
      f"{steps_to_move(net, X, y, 2.0):.1e}")
print("     lr | W(1) moved in 300 steps | 300 steps of the first gradient")
for r in range(3):                                   # lr 0.001, 0.01, 0.1
    print(f"{lrs[r]:7g} | {sweep['drift'][r, -1, 0]:23.2e} |"
          f" {300 / steps_to_move(net, X, y, lrs[r]):.2e}")

# %% late-gradients
print("     lr | ||dL/dW(1)||: step 1  largest / step 1  step 300 |"
      " ||dL/dW(10)||: step 1  step 300 | ratio: step 1  step 300")
for r in range(4):                                   # the rates that did not diverge
    g = sweep["grad_norm"][r]
    print(f"{lrs[r]:7g} |          {g[0, 0]:.1e}  {g[:, 0].max() / g[0, 0]:16.3f}"
          f"   {g[-1, 0]:.1e} |"
          f"           {g[0, -1]:.1e}   {g[-1, -1]:.1e} |"
          f"        {g[0, 0] / g[0, -1]:.1e}   {g[-1, 0] / g[-1, -1]:.1e}")

# %% saturation
print("mean f'(z) per hidden layer (1 ... 9):")
print(f"{'start':>9}:", " ".join(f"{v:.3f}" for v in mean_slope(net, X)))
for r in (2, 3):
    print(f"{'lr = ' + format(lrs[r], 'g'):>9}:",
          " ".join(f"{v:.3f}" for v in mean_slope(sweep["nets"][r], X)))
print(f"2 / lambda_max at the start: {top_layer_step_limit(net, X):.3f}")
near = train_runs(net, X, y, [0.42, 0.7], steps=300)      # just above the limit
rows = [(0.1, sweep, 2), (0.42, near, 0), (0.7, near, 1), (1.0, sweep, 3)]
print(f"start: sum_j mean(a_j(9))^2 = "
      f"{np.sum(top_layer_hessian(net, X)[:-1, -1] ** 2):.2f}, ||delta(1)|| / "
      f"||delta(10)|| = {delta_ratio(net, X, y):.1e}")
print("  lr | loss peak / start | end: loss / plateau  sum a^2  bound 2/lr-1"
      "  2/lambda_max  f'(z(9))  ||delta(1)||/||delta(10)||  W(1) moved")
for lr, out, r in rows:
    model, loss = out["nets"][r], out["loss"][r]
    a_bar = top_layer_hessian(model, X)[:-1, -1]     # last column: the mean of a(9)
    print(f"{lr:4g} | {loss.max() / loss[0]:17.1f} | {loss[-1] / best_constant:19.4f}"
          f"  {np.sum(a_bar**2):7.3f}  {2 / lr - 1:12.2f}"
          f"  {top_layer_step_limit(model, X):12.2f}  {mean_slope(model, X)[-1]:8.3f}"
          f"  {delta_ratio(model, X, y):26.1e}  {out['drift'][r, -1, 0]:10.1e}")

# %% threshold
H = top_layer_hessian(net, X)
print(f"bias entry of the output layer's Hessian: {H[-1, -1]:.3f} "
      f"(so lambda_max >= 1 and 2 / lambda_max <= 2)")
edge_lrs = [1.9, 2.1]
edge = train_runs(net, X, y, edge_lrs, steps=300)
for r, lr in enumerate(edge_lrs):
    loss = edge["loss"][r, -1]
    end = (f"loss {loss:.4f}, 2 / lambda_max = "
           f"{top_layer_step_limit(edge['nets'][r], X):.2f}, W(1) moved "
           f"{edge['drift'][r, -1, 0]:.1e}") if np.isfinite(loss) else "diverged"
    print(f"lr = {lr:g}, 300 steps: {end}")

# %% adam-eps
deep = {depth: deep_mlp("sigmoid", rng, depth=depth) for depth in (10, 15, 20)}
print("Adam's first step on W(1), as a fraction of a full step lr:")
for depth, model in deep.items():
    print(f"  depth {depth}: " + ", ".join(
        f"eps = {eps:g}: {adam_first_step_fraction(model, X, y, eps):.3f}"
        for eps in (1e-8, 1e-12)))
fp = np.finfo(float)                 # g * g < smallest_subnormal / 2 rounds to 0
print(f"g * g leaves the normal range below |g| = {np.sqrt(fp.tiny):.1e} and rounds "
      f"to 0 below |g| = {np.sqrt(fp.smallest_subnormal) / np.sqrt(2):.1e}")

# %% xavier-gain
seed = int(rng.integers(2**31))     # one seed: the same five networks at both gains
ratios = {}
for gain in (1.0, 4.0):             # 4: the book's Xavier range for Logistic units
    nets_g = [deep_mlp("sigmoid", g, gain=gain)
              for g in [np.random.default_rng(seed)] for _ in range(5)]
    ratios[gain] = np.array([delta_ratio(m, X, y) for m in nets_g])
    print(f"sigmoid + Xavier x {gain:g}: ||delta(1)|| / ||delta(10)|| = "
          f"{ratios[gain].min():.1e} ... {ratios[gain].max():.1e}")
gained = ratios[4.0] / ratios[1.0]
print(f"x 4 over x 1, network by network: "
      f"{gained.min():.0f} ... {gained.max():.0f} times")

# %% xavier-why
variants = {"sigmoid": "sigmoid", "centred_sigmoid": "centred_sigmoid",
            "sigmoid, b = -W 1/2": "sigmoid"}        # the same weights, x 4, for all
nets4 = {}
for label, hidden in variants.items():
    g = np.random.default_rng(seed)
    nets4[label] = [deep_mlp(hidden, g, gain=4.0) for _ in range(5)]
    if label.endswith("1/2"):
        nets4[label] = [centre_by_bias(m) for m in nets4[label]]
    prof = [backprop_profile(m, X, y) for m in nets4[label]]
    factor = [(p["delta_norm"][0] / p["delta_norm"][-1]) ** (1 / 9) for p in prof]
    ratio = [delta_ratio(m, X, y) for m in nets4[label]]
    print(f"{label} x 4, mean over the 5 networks, hidden layers 1 ... 9:")
    print("  mean |z|:       ", " ".join(f"{v:.2f}" for v in
                                        np.mean([p["abs_z"] for p in prof], axis=0)))
    print("  mean sigma'(z): ", " ".join(f"{v:.3f}" for v in
                                        np.mean([p["slope"] for p in prof], axis=0)))
    print(f"  per-layer factor (||delta(1)|| / ||delta(10)||)^(1/9): "
          f"{min(factor):.2f} ... {max(factor):.2f}")
    print(f"  ||delta(1)|| / ||delta(10)||: {min(ratio):.1e} ... {max(ratio):.1e}")
relu5 = [deep_mlp("relu", g) for g in [np.random.default_rng(seed)] for _ in range(5)]
relu_ratio = [delta_ratio(m, X, y) for m in relu5]
print(f"ReLU + He, same seed: ||delta(1)|| / ||delta(10)||: "
      f"{min(relu_ratio):.1e} ... {max(relu_ratio):.1e}")
print(f"0.5^9 = {0.5**9:.1e}, 0.72^9 = {0.72**9:.1e}")

# %% bias-init-training
shifted = train_runs(nets4["sigmoid, b = -W 1/2"][0], X, y, [0.1], steps=300)
plain = train_runs(nets4["sigmoid"][0], X, y, [0.1], steps=300)
for name, out in (("x 4", plain), ("x 4, b = -W 1/2", shifted)):
    print(f"sigmoid {name:<16} lr 0.1, 300 steps: final loss / plateau = "
          f"{out['loss'][0, -1] / best_constant:.3f}, W(1) moved "
          f"{out['drift'][0, -1, 0]:.1e}")
print("control, lr 0.1, 300 steps, the bottom layers held fixed:")
for name, k, label in (("sigmoid, b = -W 1/2", 5, "W(1..5) fixed"),
                       ("sigmoid, b = -W 1/2", 9, "only the output layer"),
                       ("sigmoid", 9, "only the output layer")):
    held = train_runs(nets4[name][0], X, y, [0.1], steps=300, frozen=k)
    print(f"  {name + ' x 4':<23} {label:<22}: final loss / plateau = "
          f"{held['loss'][0, -1] / best_constant:.3f}")
