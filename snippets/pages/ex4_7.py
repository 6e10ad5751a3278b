"""Page 4-7 (docs/4-7.md), cell by cell: why the bias is not regularised."""

# %% setup
import numpy as np

from snippets.activations import normal_cdf
from snippets.ex4_7 import (BIAS_DECAY_SETTINGS, accuracy, below, bias_decay_experiment,
                            boundary_geometry, curve_data, far_blobs,
                            input_gradient_norms, logistic_fit, parameter_counts,
                            plot_boundaries, plot_ridge_errors, regression_problem,
                            relu_bump, ridge_fit, ridge_repeat_counts,
                            ridge_test_errors, scaled_bias_copy, solve_error_bound,
                            spectral_bound, switching_units, tilt_repeats)
from snippets.mlp import MLP
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)
LANG = "zh"  # the language of the figures' text: "zh" or "en"

# %% bias-count
print(f"{'layer sizes':>22} {'weights':>9} {'biases':>7} {'bias share':>10}")
for sizes in ([2, 2, 1], [784, 256, 128, 10], [3072, 1024, 512, 10]):
    n_w, n_b = parameter_counts(sizes)
    print(f"{str(sizes):>22} {n_w:9d} {n_b:7d} {n_b / (n_w + n_b):10.2%}")

# %% bump
x_line = np.linspace(-3.0, 3.0, 601)[:, None]
for b in (0.0, 0.5, 2.0):
    bump = relu_bump(b)            # ReLU(x + b) - ReLU(x - b): the same W for every b
    slope = input_gradient_norms(bump, x_line).max()
    print(f"b = {b:3g}: largest slope on [-3, 3] = {slope:.4f}, "
          f"bound prod ||W(l)||_2 = {spectral_bound(bump):.4f}")

# %% slope-vs-bias
net = MLP([2, 32, 32, 1], hidden="relu", init="he", rng=rng)
for b in net.b:
    b[:] = rng.normal(size=b.shape)
X_box = rng.uniform(-3.0, 3.0, size=(4000, 2))       # points of the box [-3, 3]^2
print("bias scale | units switching in the box | largest slope | mean slope")
for scale in (0.0, 0.3, 1.0, 3.0, 10.0, 100.0):
    scaled = scaled_bias_copy(net, scale)
    slopes = input_gradient_norms(scaled, X_box)
    print(f"{scale:10g} | {switching_units(scaled, X_box):14d} of 64 | "
          f"{slopes.max():13.2f} | {slopes.mean():10.2f}")
print(f"bound prod ||W(l)||_2 = {spectral_bound(net):.1f} for every bias scale")

# %% ridge-lambda
(X, y), (X_test, y_test) = regression_problem(rng, n=20, d=15, offset=50.0, noise=2.0)
lams = np.logspace(-4, 3, 29)
err_free = ridge_test_errors((X, y), (X_test, y_test), lams, penalize_bias=False)
err_pen = ridge_test_errors((X, y), (X_test, y_test), lams, penalize_bias=True)
baseline = np.mean((y_test - y.mean()) ** 2)          # predict the training mean
print(f"{'lambda':>8} {'test MSE, b free':>17} {'test MSE, b penalised':>22}")
for i in range(0, len(lams), 4):
    print(f"{lams[i]:8.0e} {err_free[i]:17.2f} {err_pen[i]:22.2f}")
i_free, i_pen = err_free.argmin(), err_pen.argmin()
print(f"best over lambda: b free {err_free[i_free]:.2f} (lambda = {lams[i_free]:.0e}), "
      f"b penalised {err_pen[i_pen]:.2f} (lambda = {lams[i_pen]:.0e})")
print(f"predicting the training mean: {baseline:.2f}; "
      f"predicting 0: {np.mean(y_test**2):.2f}")

# %% ridge-figure
plot_ridge_errors(lams, err_free, err_pen, baseline, lang=LANG)

# %% ridge-repeats
worse, free_best = ridge_repeat_counts(rng, lams, n_sets=30)
for lam_r in (1e-3, 1e-2, 1e-1, 1.0):
    n_worse = worse[np.isclose(lams, lam_r)][0]
    print(f"lambda = {lam_r:5g}: b penalised has the higher test MSE on "
          f"{n_worse:2d} of 30 new data sets")
print(f"best over lambda: b free lower on {free_best} of 30")
sel = lams >= 0.1 - 1e-12                  # the grid values from 0.1 to 1000
print(f"all {sel.sum()} grid values lambda >= 0.1: b penalised higher on at least "
      f"{worse[sel].min()} of 30")

# %% shift
lam, c = 1.0, 100.0
for penalize in (False, True):
    w0, b0 = ridge_fit(X, y, lam, penalize_bias=penalize)
    w1, b1 = ridge_fit(X, y + c, lam, penalize_bias=penalize)
    bound = solve_error_bound(X, lam, [np.r_[w0, b0], np.r_[w1, b1]], penalize)
    dw = np.max(np.abs(w1 - w0))
    print(f"penalise b = {penalize!s:5}: max |w change| {below(dw, bound)}, "
          f"b change = {b1 - b0:.4f} (targets + {c:g}; rounding bound {bound:.0e})")

# %% centred
Xc, yc = X - X.mean(axis=0), y - y.mean()
wf, bf = ridge_fit(Xc, yc, lam, penalize_bias=False)
wp, bp = ridge_fit(Xc, yc, lam, penalize_bias=True)
dw = np.max(np.abs(wf - wp))
print(f"centred data: |b| (b free) {below(bf, 1e-12)}, "
      f"max |w difference| between the two fits {below(dw, 1e-12)}")

# %% network
datasets = [curve_data(40, rng) for _ in range(5)]   # x in [2, 6], y near 20
net_lams = (3e-3, 1e-2)
result = bias_decay_experiment(datasets, net_lams, rng, width=24, steps=3000, lr=0.03)
y_only = bias_decay_experiment(datasets, net_lams, np.random.default_rng(3),
                               settings=(4,), width=24, steps=3000, lr=0.03)
mse = np.concatenate([result["mse"], y_only["mse"]], axis=1)  # (lambda, setting, set)
print("test MSE, median of 5 data sets (median ratio to W only; sets where higher)")
print(f"{'setting':>16} | " + " | ".join(f"{f'lambda = {v:g}':>20}" for v in net_lams))
for k, setting in enumerate(BIAS_DECAY_SETTINGS):
    cells = []
    for i in range(len(net_lams)):
        ratio, n_worse = np.median(mse[i, k] / mse[i, 0]), np.sum(mse[i, k] > mse[i, 0])
        cell = f"{np.median(mse[i, k]):.4f}"
        cell += f" ({ratio:.2f}x; {n_worse}/5)" if k > 0 else ""
        cells.append(f"{cell:>20}")
    print(f"{setting:>16} | " + " | ".join(cells))

# %% network-tuned
more_lams = (3e-4, 1e-3)                  # the same data; own generator for the starts
more = bias_decay_experiment(datasets, more_lams, np.random.default_rng(1),
                             settings=(0, 1, 3), width=24, steps=3000, lr=0.03)
all_mse = np.concatenate([more["mse"], mse[:, [0, 1, 3]]])   # (lambda, setting, set)
all_lams = more_lams + net_lams
print("lambda | " + " | ".join(f"{BIAS_DECAY_SETTINGS[k]:>14}" for k in (0, 1, 3)))
for i, lam_net in enumerate(all_lams):
    print(f"{lam_net:6g} | " + " | ".join(f"{np.median(all_mse[i, k]):14.4f}"
                                          for k in range(3)))
best = all_mse.min(axis=0)                 # each data set at its own best lambda
for k in (1, 2):
    ratio = best[k] / best[0]
    print(f"best lambda per data set, {BIAS_DECAY_SETTINGS[(0, 1, 3)[k]]} / W only: "
          f"median {np.median(ratio):.2f}, "
          f"range {ratio.min():.2f} to {ratio.max():.2f}")
for k in range(3):
    picked = [f"{all_lams[j]:g}" for j in all_mse[:, k].argmin(axis=0)]
    print(f"best lambda, {BIAS_DECAY_SETTINGS[(0, 1, 3)[k]]:>14}: {', '.join(picked)}")

# %% network-c
longer = bias_decay_experiment(datasets, net_lams, np.random.default_rng(2),
                               settings=(2, 3), width=24, steps=6000, lr=0.03)
print("targets near 20, 6000 steps: output bias c | mean training residual / lambda")
for k, setting in enumerate((2, 3)):
    for i, lam_net in enumerate(net_lams):
        c_net, res = longer["c"][i, k], longer["mean_residual"][i, k] / lam_net
        print(f"{BIAS_DECAY_SETTINGS[setting]:>15}, lambda = {lam_net:<5g}: c from "
              f"{c_net.min():.2f} to {c_net.max():.2f} | "
              f"{res.min():+.2f} to {res.max():+.2f}")

# %% classification
X_cls, y_cls = far_blobs(60, rng, boundary=8.0, gap=1.5)
X_cls_test, y_cls_test = far_blobs(5000, rng, boundary=8.0, gap=1.5)
print(f"Bayes accuracy (boundary x1 = 8, not tilted): {float(normal_cdf(1.5)):.4f}")
print(f"{'lambda':>7} {'bias':>10} {'test acc':>9} {'x1 at x2 = 0':>13} "
      f"{'tilt (deg)':>11} {'|b|/||w||':>10}")
fits = {}
for lam_cls in (0.001, 0.01, 0.03, 0.1):
    for penalize in (False, True):
        w, b, _ = logistic_fit(X_cls, y_cls, lam_cls, penalize_bias=penalize)
        fits[lam_cls, penalize] = (w, b)
        s, tilt, dist = boundary_geometry(w, b)
        acc = accuracy(X_cls_test, y_cls_test, w, b)
        print(f"{lam_cls:7g} {'penalised' if penalize else 'free':>10} {acc:9.4f} "
              f"{s:13.2f} {tilt:11.1f} {dist:10.2f}")

# %% classification-figure
plot_boundaries(X_cls, y_cls, {              # (lambda, b penalised): (w, b, color)
    (0.1, False): (*fits[0.1, False], "#057a55"),
    (0.01, True): (*fits[0.01, True], "#9061f9"),
    (0.1, True): (*fits[0.1, True], "#c81e1e"),
}, lang=LANG)

# %% tilt-repeats
for boundary in (8.0, 0.0):
    t_free, t_pen = tilt_repeats(rng, 0.1, boundary, n_sets=10)
    n_more = np.sum(np.abs(t_pen) > np.abs(t_free) + 1.0)
    print(f"boundary x1 = {boundary:g}, lambda = 0.1, 10 new data sets: median |tilt| "
          f"b free {np.median(np.abs(t_free)):4.1f} deg, b penalised "
          f"{np.median(np.abs(t_pen)):4.1f} deg; penalised tilted more (by > 1 deg) "
          f"on {n_more} of 10")
