"""Page 4-1 (docs/4-1.md), cell by cell: positive inputs vs zero-mean inputs."""

# %% setup
import numpy as np

from snippets.ex4_1 import (positive_inputs, teacher_targets, design_matrix,
                            per_sample_gradients, orthants_used, curvature_summary,
                            population_moment, condition_number,
                            compare_inputs, run_shares, compare_teachers, gain_split,
                            in_step_cone, random_teachers, hessian_at_optimum,
                            hessian_components, slowest_direction,
                            quadratic_model_steps, plot_trajectories)
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)
LANG = "zh"  # the language of the figures' text: "zh" or "en"

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
    print(f"  bottom eigenvector       {(np.round(s['bottom'], 3) + 0.0).tolist()}")
    print(f"  eigenvalues of Hessian   {np.round(s['hessian'], 4).tolist()}, "
          f"condition number {s['cond_hessian']:.1f}")
    print(f"  w-block of the Hessian (bias fixed): condition number "
          f"{s['cond_hessian_w']:.1f}")
    print("  bias-weight entries of the Hessian",
          (np.round(s["hessian_wb"], 3) + 0.0).tolist())
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
print(f"updates until L - L* <= 1e-4 (at most 400), {n_seeds} data sets, best rate "
      f"of {len(lrs)} ({lrs[0]:g} ... {lrs[-1]:g}, factor sqrt(2) apart)")
print("batch  inputs    best lr  median steps  [min, max]  same-sign updates")
for B, res in results.items():
    for name, run in res.items():
        steps = run["steps"][:, run["best"]]
        span = f"[{steps.min():g}, {steps.max():g}]"
        print(f"{B:>5}  {name:<8}  {lrs[run['best']]:>7.3g}  {np.median(steps):>12g}"
              f"  {span:<10}  {np.median(run_shares(run)):>17.0%}")

# %% controls
teachers = {"T1": ((2.0, -1.5), -0.75),  # the teacher above: w* in quadrant (+, -)
            "T2": ((2.0, 1.5), -5.25),   # w* in quadrant (+, +), z = 0 at the centre
            "T3": ((0.1, 0.1), 1.0),     # theta* = (w*, b*) in octant (+, +, +)
            "T4": ((0.5, 0.5), 0.25),    # theta* almost along the mean direction
            "T5": ((0.4, 0.4), 0.5)}     # theta* inside the cone of the (x_i, 1)
others = {k: t for k, t in teachers.items() if k != "T1"}
controls = {B: compare_teachers(data, others, B, lrs, 600, rng) | {"T1": results[B]}
            for B in (1, 10, n)}                  # T1: the runs of the table above
cone = {k: sum(in_step_cone(np.append(w, b), x) for x in data)
        for k, (w, b) in teachers.items()}
print("theta* inside the cone of single-step directions (x_i, 1) or -(x_i, 1):",
      ", ".join(f"{k} {c} of {n_seeds}" for k, c in cone.items()), "data sets")
print(f"median updates (at most 600) over {n_seeds} data sets; 'same lr' = centred")
print("inputs at the rate best for x > 0; gain = (at same lr) x (from the larger lr)")
print("teacher  theta* = (w, b)    B   x > 0 (lr)  same lr  centred (lr)"
      "       gain  x > 0 slower, ratio")
for name, ((w1, w2), b) in teachers.items():
    for B in (1, 10, n):
        g, res = gain_split(controls[B][name]), controls[B][name]
        lr_p, lr_c = (lrs[res[k]["best"]] for k in ("positive", "centred"))
        pos, cen = f"{g['positive']:g} ({lr_p:.3g})", f"{g['centred']:g} ({lr_c:.3g})"
        gain = f"{g['same_lr_gain']:.1f} x {g['larger_lr_gain']:.1f}"
        r = g["ratio"]
        print(f"{name:<7}  {f'({w1:g}, {w2:g}, {b:g})':<17} {B:>3}  {pos:>11}"
              f"  {g['same_lr']:>7g}  {cen:>12}  {gain:>10}  {np.sum(r > 1):>2} of"
              f" {n_seeds}, {r.min():.1f}-{r.max():.1f}")

# %% random-teachers
randoms = random_teachers(10, rng)       # w ~ N(0, 1.5^2 I), z(centre) ~ N(0, 1)
print("10 random teachers, first 3 data sets, same rate grid, at most 600 updates")
for B in (1, n):
    res = compare_teachers(data[:3], randoms, B, lrs, 600, rng)
    g = [gain_split(r) for r in res.values()]
    ratio = np.array([x["positive"] / x["centred"] for x in g])
    paired = np.concatenate([x["ratio"] for x in g])
    print(f"B = {B:>3}: x > 0 slower for {np.sum(ratio > 1)} of {len(ratio)} teachers "
          f"(median steps), ratio {ratio.min():.1f}-{ratio.max():.1f}, median "
          f"{np.median(ratio):.1f}; slower in {np.sum(paired > 1)} of {paired.size} "
          f"(teacher, data set) pairs")

# %% quadratic-model
print("x > 0, data set 1: Hessian at theta*, eigenvalues lambda_i (ascending) and")
print("|u_i^T theta*| along each eigenvector u_i; u_1 = slowest eigenvector")
print("full-batch steps: median measured (quadratic model) at the rates above")
for name, (w, b) in teachers.items():
    lam, alpha = hessian_components(data[0], False, w, b)
    u1, angle = slowest_direction(data[0], w, b)
    res = controls[n][name]
    lr_p, lr_c = (lrs[res[k]["best"]] for k in ("positive", "centred"))
    cells = []
    for label, key, centre, lr in (("x > 0", "positive", False, lr_p),
                                   ("same lr", "centred", True, lr_p),
                                   ("centred", "centred", True, lr_c)):
        measured = np.median(res[key]["steps"][:, list(lrs).index(lr)])
        model = np.median([quadratic_model_steps(x, lr, centre, w, b) for x in data])
        cells.append(f"{label} {measured:g} ({model:g})")
    H = hessian_at_optimum(data[0], False, w, b)
    print(f"{name}  lambda {np.round(lam, 4).tolist()}  |u_i^T theta*| "
          f"{np.round(alpha, 2).tolist()}  kappa {condition_number(H):.1f}, w-block "
          f"{condition_number(H[:-1, :-1]):.1f}, 2/lambda_max {2 / lam[-1]:.2f}")
    print(f"    u_1 {np.round(u1, 3).tolist()}, {angle:.0f} deg from the b axis; "
          + ", ".join(cells))
    slow = [lam1[0] * a1[0] ** 2 / 2 for lam1, a1 in
            (hessian_components(x, False, w, b) for x in data)]
    print(f"    start excess along u_1, lambda_1 alpha_1^2 / 2, over the {n_seeds} "
          f"data sets: {min(slow):.1e} to {max(slow):.1e} (threshold 1e-4)")

# %% trajectories
plot_trajectories(results[n], results[1], lang=LANG)
