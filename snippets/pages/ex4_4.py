"""Page 4-4 (docs/4-4.md), cell by cell: derivatives of Swish and GELU."""

# %% setup
from functools import partial

import numpy as np

from snippets.activations import (gelu, gelu_grad, gelu_sigmoid, gelu_sigmoid_grad,
                                  gelu_tanh, gelu_tanh_grad, normal_cdf, normal_pdf,
                                  sigmoid, swish, swish_grad)
from snippets.ex4_4 import (check_points, derivative_pairs, general_gelu_pairs,
                            derivative_error, gelu_tanh_grad_mixed,
                            gelu_grad_without_product_rule, gelu_tanh_naive,
                            gelu_tanh_grad_naive, negative_minimum, swish_extremum,
                            swish_grad_alt, swish_second, gelu_second,
                            steepest_slope, golden_max, tail_deviations,
                            swish_step_errors,
                            max_abs_difference, plot_swish_family,
                            plot_gelu_approximations, plot_approximation_errors)
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)
LANG = "zh"  # the language of the figures' text: "zh" or "en"

# %% derivative-check
x = check_points(rng)
print(f"{x.size} points in [{x.min():g}, {x.max():g}]; "
      "error = max |f'(x) - difference quotient| / max(|f'(x)|, 1e-3)")
print("(below 1e-7 the digits depend on rounding, so only the bound is printed)")
pairs = derivative_pairs(betas=(0.0, 0.5, 1.0, 10.0, -1.0)) | general_gelu_pairs()
for name, (f, df) in pairs.items():
    err = derivative_error(f, df, x)
    print(f"{name:>20}: {err:.1e}" if err >= 1e-7 else f"{name:>20}: < 1e-7")
# the closed second derivatives, against central differences of f'
seconds = {"swish''(beta=1)": (swish_grad, swish_second),
           "GELU''": (gelu_grad, gelu_second)}
for name, (df, d2f) in seconds.items():
    print(f"{name:>20}: below 1e-6: {derivative_error(df, d2f, x) < 1e-6}")
alt = max(np.max(np.abs(swish_grad_alt(x, b) - swish_grad(x, b)))
          for b in (0.5, 1, 10, -1))
print(f"other form of swish' (beta = 0.5, 1, 10, -1):"
      f" max difference < 1e-12: {alt < 1e-12}")

# %% step-size
print("swish_beta: error with eps = 1e-5 and with eps = 1e-5 / beta;"
      " 'near x*' = 3001 points in [-3 / beta, 0]")
print(f"{'':>25}{'eps = 1e-5':>12}{'/ beta^2':>10}{'eps = 1e-5 / beta':>19}")
rows = [("page's points", x, 10.0), ("page's points", x, 100.0)]
rows += [("near x*", np.linspace(-3.0, 0.0, 3001) / b, b) for b in (10.0, 30.0, 100.0)]
for label, points, beta in rows:
    fixed, scaled = swish_step_errors(points, beta)
    bound = "< 1e-7" if scaled < 1e-7 else f"{scaled:.1e}"
    print(f"{label + f', beta = {beta:g}':>25}{fixed:12.1e}{fixed / beta**2:10.1e}"
          f"{bound:>19}")

# %% wrong-derivatives
wrong = [("tanh approx., mixed formula", gelu_tanh, gelu_tanh_grad_mixed, gelu_tanh_grad),
         ("exact GELU, Phi(x) only", gelu, gelu_grad_without_product_rule, gelu_grad)]
for name, f, df_wrong, df_right in wrong:
    print(f"{name}: error {derivative_error(f, df_wrong, x):.2f}")
    err, where = max_abs_difference(df_wrong, df_right, x)
    print(f"  largest |wrong - right| = {err:.1e} at |x| = {abs(where):.2f};"
          f" passes assert_almost_equal(decimal=3): {err < 1.5e-3}")
err, _ = max_abs_difference(gelu_tanh_grad_mixed, gelu_grad, x)
print(f"mixed formula against exact GELU': largest difference {err:.1e}")

# %% swish-figure
plot_swish_family(lang=LANG)

# %% gelu-figure
plot_gelu_approximations(lang=LANG)

# %% at-zero
for name, (f, df) in derivative_pairs(betas=(0.0, 0.5, 1.0, 10.0, -1.0)).items():
    symmetry = np.max(np.abs(df(x) + df(-x) - 1.0))
    print(f"{name:>15}: f(0) = {float(f(0.0)) + 0.0:.1f},"
          f" f'(0) = {float(df(0.0)):.15f},"
          f" max |f'(x) + f'(-x) - 1| < 1e-14: {symmetry < 1e-14}")
for mu, s in ((0.5, 1.0), (-1.0, 0.5)):
    (name, (f, df)), = general_gelu_pairs(((mu, s),)).items()
    print(f"{name:>18}: f'(0) = {float(df(0.0)):.6f}, Phi(-mu/s) ="
          f" {float(normal_cdf(-mu / s)):.6f}; max |f'(x) + f'(-x) - 1| ="
          f" {np.max(np.abs(df(x) + df(-x) - 1.0)):.2f}")

# %% limits
print("left tail: max(|f(-r)|, |f'(-r)|)  (0 = the computed value is exactly 0)")
rs = (5.0, 10.0, 20.0, 40.0)
print(" " * 15 + "".join(f"{f'r = {r:g}':>11}" for r in rs))
rows = derivative_pairs(betas=(0.5, 1.0, 10.0))
rows["0.5x(1+tanh u)"] = (gelu_tanh_naive, gelu_tanh_grad_naive)   # the control
for name, (f, df) in rows.items():
    left = [np.max(np.abs(tail_deviations(f, df, r)[:2])) for r in rs]
    print(f"{name:>15}" + "".join(f"{v:11.1e}" if v else f"{'0':>11}" for v in left))
gap = max(np.max(np.abs(np.abs(d[2:]) - np.abs(d[:2])))
          for f, df in derivative_pairs(betas=(0.5, 1.0, 10.0)).values()
          for d in [tail_deviations(f, df, r) for r in rs])
print(f"right tail |f(r) - r|, |f'(r) - 1| equal the left tail to < 1e-13:"
      f" {gap < 1e-13}")
x5 = np.array([-5.0])
rel = abs(float(gelu_tanh_naive(x5)[0] / gelu_tanh(x5)[0]) - 1.0)
print(f"0.5x(1+tanh u) against x sigma(2u):"
      f" at x = -5 relative error < 1e-8: {rel < 1e-8};"
      f" at x = -8: {float(gelu_tanh_naive(-8.0)) + 0.0} against"
      f" {float(gelu_tanh(-8.0)):.2e}")

# %% minimum
print(f"{'':>15}{'x*':>11}{'f(x*)':>11}   f'(x* - 1e-6) < 0 < f'(x* + 1e-6)"
      "   sign changes of f'")
dense = np.linspace(-20.0, 20.0, 40001)
for name, (f, df) in derivative_pairs(betas=(0.5, 1.0, 10.0)).items():
    x_min, f_min = negative_minimum(f, df)
    sign_change = float(df(x_min - 1e-6)) < 0 < float(df(x_min + 1e-6))
    changes = np.count_nonzero(np.diff(np.sign(df(dense))))
    print(f"{name:>15}{x_min:11.6f}{f_min:11.6f}{str(sign_change):>36}{changes:>21}")
print("(sign changes of f' counted on 40001 points in [-20, 20])")
x_min, f_min = negative_minimum(swish, swish_grad)
miss = abs(f_min - (x_min + 1.0))
print(f"swish(beta=1): |f(x*) - (x* + 1)| < 1e-13: {miss < 1e-13}")
x_min, f_min = negative_minimum(gelu, gelu_grad)
identity = abs(f_min + x_min**2 * float(normal_pdf(x_min)))
print(f"gelu: |f(x*) + x*^2 phi(x*)| < 1e-13: {identity < 1e-13}")

# %% steepest
print(f"{'':>15}{'x_max':>10}{'max f_prime':>13}{'min f_prime':>13}")
for name, (f, df) in derivative_pairs(betas=(0.5, 1.0, 10.0)).items():
    x_max, slope_max = steepest_slope(df)
    _, neg_min = golden_max(lambda t: -df(t), -6.0, 0.0)
    print(f"{name:>15}{x_max:10.6f}{slope_max:13.6f}{-neg_min:13.6f}")
print(f"sqrt(2) = {np.sqrt(2.0):.6f}")

# %% negative-beta
for beta in (-1.0, -0.5):
    f, df = partial(swish, beta=beta), partial(swish_grad, beta=beta)
    x_max, f_max = swish_extremum(beta)
    _, top = golden_max(df, 6.0 / beta, 0.0)
    _, neg_low = golden_max(lambda t: -df(t), 0.0, -6.0 / beta)
    print(f"beta = {beta:g}: maximum at x* = {x_max:.6f}, f(x*) = {f_max:.6f};"
          f" f' in [{-neg_low:.6f}, {top:.6f}]")
    print("  max(|f(r)|, |f'(r)|) at r = 5, 10, 20, 40:",
          "  ".join(f"{max(abs(float(f(r))), abs(float(df(r)))):.1e}" for r in rs))

# %% approximation-error
wide = np.linspace(-10.0, 10.0, 40001)
far = np.concatenate([np.linspace(-50.0, -10.0, 8001), np.linspace(10.0, 50.0, 8001)])
for name, f, df in (("gelu_tanh", gelu_tanh, gelu_tanh_grad),
                    ("gelu_sigmoid", gelu_sigmoid, gelu_sigmoid_grad)):
    err_f, at_f = max_abs_difference(f, gelu, wide)
    err_d, at_d = max_abs_difference(df, gelu_grad, wide)
    print(f"{name:>12}: max |f - GELU| = {err_f:.2e} at |x| = {abs(at_f):.2f};"
          f"  max |f' - GELU'| = {err_d:.2e} at |x| = {abs(at_d):.2f}")
    tail = max(np.max(np.abs(f(far) - gelu(far))),
               np.max(np.abs(df(far) - gelu_grad(far))))
    print(f"{'':>14}on 10 <= |x| <= 50 both errors are < 1e-6: {tail < 1e-6}")
gap = np.abs(sigmoid(1.702 * wide) - normal_cdf(wide))
gap_far = np.max(np.abs(sigmoid(1.702 * far) - normal_cdf(far)))
print(f"max |sigma(1.702x) - Phi(x)| = {gap.max():.2e}"
      f" at |x| = {abs(wide[np.argmax(gap)]):.2f};"
      f" on 10 <= |x| <= 50 it is < 1e-7: {gap_far < 1e-7}")

# %% error-figure
plot_approximation_errors(lang=LANG)
