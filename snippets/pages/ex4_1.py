"""Page 4-1 (docs/4-1.md), cell by cell: positive inputs vs zero-mean inputs."""

# %% setup
import numpy as np

from snippets.ex4_1 import (positive_inputs, teacher_targets, design_matrix,
                            per_sample_gradients, orthants_used, curvature_summary,
                            population_moment, condition_number,
                            compare_inputs, run_shares, plot_trajectories)
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)

# %% single-sample
X = positive_inputs(100, rng)
y = teacher_targets(X)
for name, centre in (("positive", False), ("centred", True)):
    G = per_sample_gradients(np.zeros(3), design_matrix(X, centre), y)[:, :2]
    same = np.mean(np.all(G > 0, axis=1) | np.all(G < 0, axis=1))
    print(f"{name:>8}: first rows of dL/dw {np.round(G[:4], 3).tolist()}")
    print(f"{'':>8}  same sign in {same:.0%} of the 100 samples")
X10 = positive_inputs(1000, rng, dim=10)
w10 = rng.normal(size=10)
y10 = teacher_targets(X10, w10, -w10.sum() * 1.5)
for name, centre in (("positive", False), ("centred", True)):
    G = per_sample_gradients(np.zeros(11), design_matrix(X10, centre), y10)[:, :10]
    print(f"D = 10, {name}: 1000 per-sample gradients fall in "
          f"{orthants_used(G)} of 2^10 = 1024 orthants")

# %% curvature
print("mean input:", np.round(X.mean(axis=0), 3).tolist())
for name, s in curvature_summary(X).items():
    print(f"{name}:")
    print(f"  eigenvalues of E[x x^T]  {np.round(s['moment'], 3).tolist()}, "
          f"condition number {s['cond_moment']:.1f}")
    print(f"  top eigenvector          {(np.round(s['top'], 3) + 0.0).tolist()}")
    print(f"  eigenvalues of Hessian   {np.round(s['hessian'], 4).tolist()}, "
          f"condition number {s['cond_hessian']:.1f}")
m, v = 1.5, 1 / 3                       # mean and variance of U(0.5, 2.5)
print("population, uniform on [0.5, 2.5]^2: condition number of E[x x^T]",
      f"{condition_number(population_moment(2, m, v)):.1f} (estimate "
      f"{(1 + v + 2 * m**2)**2 / v:.1f}), centred "
      f"{condition_number(population_moment(2, m, v, centre=True)):.1f}")

# %% experiment
n_seeds, n = 10, 100
data = np.stack([positive_inputs(n, rng) for _ in range(n_seeds)])
lrs = 2.0 ** np.arange(-1.0, 4.01, 0.5)
results = {B: compare_inputs(data, B, lrs, 400, rng) for B in (1, 10, n)}
print(f"steps until L - L* <= 1e-4, {n_seeds} data sets, best rate of "
      f"{len(lrs)} ({lrs[0]:g} ... {lrs[-1]:g})")
print("batch  inputs    best lr  median steps  [min, max]  same-sign updates")
for B, res in results.items():
    for name, run in res.items():
        steps = run["steps"][:, run["best"]]
        span = f"[{steps.min():g}, {steps.max():g}]"
        print(f"{B:>5}  {name:<8}  {lrs[run['best']]:>7.3g}  {np.median(steps):>12g}"
              f"  {span:<10}  {np.median(run_shares(run)):>17.0%}")

# %% trajectories
plot_trajectories(results[n], results[1])
