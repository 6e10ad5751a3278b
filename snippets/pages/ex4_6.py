"""Page 4-6 (docs/4-6.md), cell by cell: universal approximation with ReLU units."""

# %% setup
import numpy as np

from snippets.ex4_6 import (TARGETS, bump_2d, error_bounds, fit_ridge_output,
                            graded_knots, interpolation_error, kink_target,
                            knots_error, loglog_slope, one_layer_floor,
                            plot_approximations, plot_error_rates, plot_ramp,
                            plot_ridge_2d, polynomial_activation_floor, ramp,
                            ramp_network, ramp_network_as_relu, relu_interpolant,
                            ridge_sup_error, root_target, shifted_knots_error,
                            smooth_lower_bound, smooth_target, squashing_checks)
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)
LANG = "zh"  # the language of the figures' text: "zh" or "en"

# %% ramp-checks
checks = squashing_checks(ramp, np.linspace(-5.0, 6.0, 11001))
print(f"min s = {checks['min']}, max s = {checks['max']}   (bounded in [0, 1])")
print(f"smallest increment = {checks['min_increment']}     (non-decreasing)")
print(f"largest slope = {checks['max_slope']:.6f}         (1-Lipschitz: continuous)")
print(f"s(1) - s(0) = {float(ramp(1.0) - ramp(0.0))}         (non-constant)")
print(f"s(-100), s(100) = {float(ramp(-100.0))}, {float(ramp(100.0))} (limits 0 and 1)")

# %% ramp-figure
plot_ramp(lang=LANG)

# %% two-relus-per-ramp
D, N = 3, 50
v, W, b = rng.normal(size=N), rng.normal(size=(N, D)), rng.normal(size=N)
X = rng.uniform(0.0, 1.0, size=(1000, D))
net = ramp_network_as_relu(v, W, b)
gap = np.max(np.abs(net.forward(X).ravel() - ramp_network(X, v, W, b)))
print(f"theorem network: N = {N} ramp units; ReLU network: sizes {net.sizes}")
print(f"max |difference| on 1000 points of [0, 1]^{D} is below 1e-12: {gap < 1e-12}")

# %% polynomial-activation
x = np.linspace(0.0, 1.0, 2001)
w, c = rng.normal(scale=5.0, size=300), rng.normal(scale=5.0, size=300)
H = (np.outer(x, w) + c) ** 2              # outputs of 300 hidden units with t^2
print(f"rank of the {H.shape[0]} x {H.shape[1]} matrix of t^2 unit outputs: "
      f"{np.linalg.matrix_rank(H)}")
floor = polynomial_activation_floor(smooth_target, degree=2)
relu_error = interpolation_error(smooth_target, 32)
print(f"activation t^2, any number of units: sup error >= {floor:.4f}")
print(f"ReLU, 32 hidden units (interpolant):  sup error  = {relu_error:.4f}")

# %% interpolant
knots = np.linspace(0.0, 1.0, 9)
net = relu_interpolant(smooth_target, knots)
print(f"{knots.size} knots, {knots.size - 1} cells, sizes: {net.sizes}")
print("hidden biases -x_k:", (np.round(net.b[0], 4) + 0.0).tolist())  # no "-0.0"
print("output weights c_k:", (np.round(net.W[1].ravel(), 4) + 0.0).tolist())
print("output bias f(x_0):", float(net.b[1][0]))
at_knots = net.forward(knots[:, None]).ravel()
print("max |p(x_k) - f(x_k)| is below 1e-12:",
      bool(np.max(np.abs(at_knots - smooth_target(knots))) < 1e-12))

# %% approximations-figure
plot_approximations(smooth_target, unit_counts=(4, 8, 16, 32), lang=LANG)

# %% error-rates
unit_counts = [4, 8, 16, 32, 64, 128, 256]
errors = {name: np.array([interpolation_error(f, K) for K in unit_counts])
          for name, f in TARGETS.items()}
lower, upper = smooth_lower_bound(unit_counts), error_bounds(unit_counts)["sin(2πx)"]
columns = ["sin lower", "sin(2πx)", "sin upper", "|x − 1/3|", "√x"]
print("     K " + "".join(f"{name:>12}" for name in columns))
for i, K in enumerate(unit_counts):
    row = [lower[i], errors["sin(2πx)"][i], upper[i], errors["|x − 1/3|"][i],
           errors["√x"][i]]
    print(f"{K:6d} " + "".join(f"{value:12.3e}" for value in row))
for name, err in errors.items():
    last = np.log2(err[-2] / err[-1])
    print(f"{name:>9}: fitted slope {loglog_slope(unit_counts, err):6.3f}, "
          f"last halving of h: slope {-last:6.3f}, "
          f"error / bound at K = 256: {err[-1] / error_bounds(256)[name]:.4f}")

# %% kink-knot
kink_cases = {"knots 0, 1/3, 1": np.array([0.0, 1.0 / 3.0, 1.0]),
              "48 equal cells": graded_knots(48), "64 equal cells": graded_knots(64)}
for label, kink_knots in kink_cases.items():
    err = knots_error(kink_target, kink_knots)
    print(f"|x − 1/3|, {label:>15} ({kink_knots.size - 1:2d} units): sup error "
          + ("below 1e-12" if err < 1e-12 else f"{err:.3e}"))

# %% graded-knots
powers = (1, 2, 4, 5)
graded = {q: np.array([interpolation_error(root_target, K, per_interval=48, power=q)
                       for K in unit_counts]) for q in powers}
print("√x on knots x_k = (k/K)^q")
columns = [f"q = {q}" for q in powers] + ["K^2 err q=4", "K^2 err q=5"]
print("     K " + "".join(f"{name:>12}" for name in columns))
for i, K in enumerate(unit_counts):
    row = [graded[q][i] for q in powers]
    print(f"{K:6d} " + "".join(f"{value:12.2e}" for value in row)
          + f"{K**2 * graded[4][i]:12.3f}{K**2 * graded[5][i]:12.3f}")
for q in powers:
    print(f"q = {q}: fitted slope {loglog_slope(unit_counts, graded[q]):6.3f}")
Ks = np.array(unit_counts, dtype=float)
closed_form = (2 - 1 / (2 * Ks**2 - 2 * Ks + 1)) / (4 * Ks**2)     # q = 4, section 3
gap = graded[4] / closed_form - 1
print("q = 4: network / closed form - 1 lies in (-1e-3, 1e-4) for every K: "
      f"{bool(np.all((-1e-3 < gap) & (gap < 1e-4)))}")

# %% error-rates-figure
plot_error_rates(unit_counts, errors, graded=graded[4], lang=LANG)

# %% floor-sharp
print("x^2 on [0, 1] (mu = 2, L = 1): equal knots, output bias lowered by h^2/8")
for K in (4, 16, 64):
    err = shifted_knots_error(np.square, graded_knots(K))
    floor = one_layer_floor(2, 1, K)
    print(f"K = {K:2d}: sup error {err:.4e}   floor 2/(16(K+1)^2) = {floor:.4e}   "
          f"ratio {err / floor:.4f}")

# %% ridge-2d
configs = [(2, 4), (4, 8), (8, 12), (16, 20)]
fits = {}
for n_dir, n_off in configs:
    fits[n_dir, n_off] = fit_ridge_output(bump_2d, n_dir, n_off)
    error = ridge_sup_error(bump_2d, *fits[n_dir, n_off])
    N = len(fits[n_dir, n_off][0])
    print(f"{n_dir:2d} directions x {n_off:2d} offsets = {N:3d} s-units "
          f"({2 * N:4d} ReLU): sup error {error:.4f}")

# %% ridge-2d-figure
plot_ridge_2d(bump_2d, [fits[4, 8], fits[16, 20]], lang=LANG)
