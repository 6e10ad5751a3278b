"""Page 4-4 (docs/4-4.md), cell by cell: derivatives of Swish and GELU."""

# %% setup
import numpy as np

from snippets.activations import (gelu, gelu_grad, gelu_sigmoid, gelu_sigmoid_grad,
                                  gelu_tanh, gelu_tanh_grad, normal_pdf, swish,
                                  swish_grad)
from snippets.ex4_4 import (check_points, derivative_pairs, derivative_error,
                            gelu_tanh_grad_mixed, gelu_grad_without_product_rule,
                            negative_minimum, steepest_slope, golden_max,
                            tail_deviations, max_abs_difference, plot_swish_family,
                            plot_gelu_approximations, plot_approximation_errors)
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)

# %% derivative-check
x = check_points(rng)
print(f"{x.size} points in [{x.min():g}, {x.max():g}]; "
      "error = max |f'(x) - difference quotient| / max(|f'(x)|, 1e-3)")
for name, (f, df) in derivative_pairs().items():
    print(f"{name:>15}: {derivative_error(f, df, x):.1e}")

# %% wrong-derivatives
wrong = [("tanh approx., mixed formula", gelu_tanh, gelu_tanh_grad_mixed, gelu_tanh_grad),
         ("exact GELU, Phi(x) only", gelu, gelu_grad_without_product_rule, gelu_grad)]
for name, f, df_wrong, df_right in wrong:
    print(f"{name}: error {derivative_error(f, df_wrong, x):.2f}")
    err, where = max_abs_difference(df_wrong, df_right, x)
    print(f"  largest |wrong - right| = {err:.1e} at x = {where:.2f};"
          f" passes a 3-decimal test (< 1.5e-3): {err < 1.5e-3}")
err, _ = max_abs_difference(gelu_tanh_grad_mixed, gelu_grad, x)
print(f"mixed formula against exact GELU': largest difference {err:.1e}")

# %% swish-figure
plot_swish_family()

# %% gelu-figure
plot_gelu_approximations()

# %% at-zero
for name, (f, df) in derivative_pairs().items():
    symmetry = np.max(np.abs(df(x) + df(-x) - 1.0))
    print(f"{name:>15}: f(0) = {float(f(0.0)):.1f}, f'(0) = {float(df(0.0)):.15f},"
          f" max |f'(x) + f'(-x) - 1| = {symmetry:.1e}")

# %% limits
print("max(|f(-t)|, |f'(-t)|, |f(t) - t|, |f'(t) - 1|)")
ts = (5.0, 10.0, 20.0, 40.0)
print(" " * 15 + "".join(f"{f't = {t:g}':>11}" for t in ts))
for name, (f, df) in derivative_pairs(betas=(0.5, 1.0, 10.0)).items():
    row = [np.max(np.abs(tail_deviations(f, df, t))) for t in ts]
    print(f"{name:>15}" + "".join(f"{v:11.1e}" for v in row))

# %% minimum
print(f"{'':>15}{'x*':>11}{'f(x*)':>11}{'f_prime(x*)':>13}")
for name, (f, df) in derivative_pairs(betas=(0.5, 1.0, 10.0)).items():
    x_min, f_min = negative_minimum(f, df)
    print(f"{name:>15}{x_min:11.6f}{f_min:11.6f}{float(df(x_min)):13.1e}")
x_min, f_min = negative_minimum(swish, swish_grad)
print(f"swish(beta=1): f(x*) - (x* + 1) = {f_min - (x_min + 1.0):.1e}")
x_min, f_min = negative_minimum(gelu, gelu_grad)
print(f"gelu: f(x*) + x*^2 phi(x*) = {f_min + x_min**2 * float(normal_pdf(x_min)):.1e}")

# %% steepest
print(f"{'':>15}{'x_max':>10}{'max f_prime':>13}{'min f_prime':>13}")
for name, (f, df) in derivative_pairs(betas=(0.5, 1.0, 10.0)).items():
    x_max, slope_max = steepest_slope(df)
    _, neg_min = golden_max(lambda t: -df(t), -6.0, 0.0)
    print(f"{name:>15}{x_max:10.6f}{slope_max:13.6f}{-neg_min:13.6f}")
print(f"sqrt(2) = {np.sqrt(2.0):.6f}")

# %% approximation-error
wide = np.linspace(-10.0, 10.0, 40001)
for name, f, df in (("gelu_tanh", gelu_tanh, gelu_tanh_grad),
                    ("gelu_sigmoid", gelu_sigmoid, gelu_sigmoid_grad)):
    err_f, at_f = max_abs_difference(f, gelu, wide)
    err_d, at_d = max_abs_difference(df, gelu_grad, wide)
    print(f"{name:>12}: max |f - GELU| = {err_f:.2e} at x = {at_f:.2f};"
          f"  max |f' - GELU'| = {err_d:.2e} at x = {at_d:.2f}")

# %% error-figure
plot_approximation_errors()
