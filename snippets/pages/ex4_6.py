"""Page 4-6 (docs/4-6.md), cell by cell: universal approximation with ReLU units."""

# %% setup
import numpy as np

from snippets.ex4_6 import (TARGETS, bump_2d, error_bounds, fit_ridge_output,
                            interpolant_coefficients, interpolation_error, loglog_slope,
                            plot_approximations, plot_error_rates, plot_ramp,
                            plot_ridge_2d, polynomial_activation_floor, ramp,
                            ramp_network, ramp_network_as_relu, relu_interpolant,
                            ridge_sup_error, smooth_target, squashing_checks)
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)

# %% ramp-checks
checks = squashing_checks(ramp, np.linspace(-5.0, 6.0, 11001))
print(f"min s = {checks['min']}, max s = {checks['max']}   (bounded in [0, 1])")
print(f"smallest increment = {checks['min_increment']}     (non-decreasing)")
print(f"largest slope = {checks['max_slope']:.6f}         (1-Lipschitz: continuous)")
print(f"s(1) - s(0) = {float(ramp(1.0) - ramp(0.0))}         (non-constant)")
print(f"s(-100), s(100) = {float(ramp(-100.0))}, {float(ramp(100.0))}  (limits 0 and 1)")

# %% ramp-figure
plot_ramp()

# %% two-relus-per-ramp
D, M = 3, 50
v, W, b = rng.normal(size=M), rng.normal(size=(M, D)), rng.normal(size=M)
X = rng.uniform(0.0, 1.0, size=(1000, D))
net = ramp_network_as_relu(v, W, b)
gap = np.max(np.abs(net.forward(X).ravel() - ramp_network(X, v, W, b)))
print(f"theorem network: {M} ramp units; ReLU network: sizes {net.sizes}")
print(f"max |difference| on 1000 points of [0, 1]^{D}: {gap:.1e}")

# %% polynomial-activation
floor = polynomial_activation_floor(smooth_target, degree=2)
relu_error = interpolation_error(smooth_target, 32)
print(f"activation t^2, any number of units: sup error >= {floor:.4f}")
print(f"ReLU, 32 hidden units (interpolant):  sup error  = {relu_error:.4f}")

# %% interpolant
knots = np.linspace(0.0, 1.0, 9)
net = relu_interpolant(smooth_target, knots)
print("sizes:", net.sizes)
print("hidden biases -x_k:", (np.round(net.b[0], 4) + 0.0).tolist())   # + 0.0: no "-0.0"
print("output weights c_k:", (np.round(net.W[1].ravel(), 4) + 0.0).tolist())
print("output bias f(x_0):", float(net.b[1][0]))
at_knots = net.forward(knots[:, None]).ravel()
print(f"max |p(x_k) - f(x_k)| = {np.max(np.abs(at_knots - smooth_target(knots))):.1e}")

# %% approximations-figure
plot_approximations(smooth_target, unit_counts=(4, 8, 16, 32))

# %% error-rates
unit_counts = [4, 8, 16, 32, 64, 128, 256]
errors = {name: np.array([interpolation_error(f, K) for K in unit_counts])
          for name, f in TARGETS.items()}
print("     K " + "".join(f"{name:>12}" for name in errors))
for i, K in enumerate(unit_counts):
    print(f"{K:6d} " + "".join(f"{err[i]:12.3e}" for err in errors.values()))
for name, err in errors.items():
    last = np.log2(err[-2] / err[-1])
    print(f"{name:>9}: fitted slope {loglog_slope(unit_counts, err):6.3f}, "
          f"last halving of h: slope {-last:6.3f}, "
          f"error / bound at K = 256: {err[-1] / error_bounds(256)[name]:.4f}")

# %% error-rates-figure
plot_error_rates(unit_counts, errors)

# %% ridge-2d
configs = [(2, 4), (4, 8), (8, 12), (16, 20)]
fits = {}
for n_dir, n_off in configs:
    fits[n_dir, n_off] = fit_ridge_output(bump_2d, n_dir, n_off)
    error = ridge_sup_error(bump_2d, *fits[n_dir, n_off])
    M = len(fits[n_dir, n_off][0])
    print(f"{n_dir:2d} directions x {n_off:2d} offsets = {M:3d} s-units "
          f"({2 * M:4d} ReLU): sup error {error:.4f}")

# %% ridge-2d-figure
plot_ridge_2d(bump_2d, [fits[4, 8], fits[16, 20]])
