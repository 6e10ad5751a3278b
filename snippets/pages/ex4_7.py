"""Page 4-7 (docs/4-7.md), cell by cell: why the bias is not regularised."""

# %% setup
import numpy as np

from snippets.activations import normal_cdf
from snippets.ex4_7 import (accuracy, far_blobs, logistic_fit, offset_regression_data,
                            parameter_counts, plot_boundaries, plot_ridge_errors,
                            ridge_fit, ridge_test_errors, scaled_bias_copy,
                            slope_bound_check)
from snippets.mlp import MLP
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)

# %% bias-count
print(f"{'layer sizes':>22} {'weights':>9} {'biases':>7} {'bias share':>10}")
for sizes in ([2, 2, 1], [784, 256, 128, 10], [3072, 1024, 512, 10]):
    n_w, n_b = parameter_counts(sizes)
    print(f"{str(sizes):>22} {n_w:9d} {n_b:7d} {n_b / (n_w + n_b):10.2%}")

# %% slope-bound
net = MLP([2, 32, 32, 1], hidden="relu", init="he", rng=rng)
for b in net.b:
    b[:] = rng.normal(size=b.shape)
print("bias scale | largest observed slope | bound prod ||W(l)||_2")
for scale in (0.0, 1.0, 10.0, 100.0):
    observed, bound = slope_bound_check(scaled_bias_copy(net, scale), rng)
    print(f"{scale:10g} | {observed:22.4f} | {bound:.4f}")

# %% ridge-lambda
n, d = 20, 15
X, y, w_true = offset_regression_data(n, d, rng, offset=50.0, noise=2.0)
X_test = rng.normal(size=(5000, d))
y_test = 50.0 + X_test @ w_true + 2.0 * rng.normal(size=5000)
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
plot_ridge_errors(lams, err_free, err_pen, baseline)

# %% shift
lam, c = 1.0, 100.0
for penalize in (False, True):
    w0, b0 = ridge_fit(X, y, lam, penalize_bias=penalize)
    w1, b1 = ridge_fit(X, y + c, lam, penalize_bias=penalize)
    dw = np.max(np.abs(w1 - w0))
    print(f"penalise b = {penalize!s:5}: max |w change| = {dw:.1e}, "
          f"b change = {b1 - b0:.6f} (targets shifted by {c:g})")

# %% centred
Xc, yc = X - X.mean(axis=0), y - y.mean()
wf, bf = ridge_fit(Xc, yc, lam, penalize_bias=False)
wp, bp = ridge_fit(Xc, yc, lam, penalize_bias=True)
print(f"centred data: |b| (b free) = {abs(bf):.0e}, "
      f"max |w difference| between the two fits = {np.max(np.abs(wf - wp)):.0e}")

# %% classification
X_cls, y_cls = far_blobs(60, rng, boundary=8.0, gap=1.5)
X_cls_test, y_cls_test = far_blobs(5000, rng, boundary=8.0, gap=1.5)
print(f"Bayes accuracy (boundary x1 = 8): {float(normal_cdf(1.5)):.4f}")
print(f"{'lambda':>7} | {'b free: acc, boundary':>22} | "
      f"{'b penalised: acc, boundary':>27}")
fits = {}
for lam_cls in (0.001, 0.01, 0.03, 0.1):
    row = []
    for penalize in (False, True):
        w, b, _ = logistic_fit(X_cls, y_cls, lam_cls, penalize_bias=penalize)
        fits[lam_cls, penalize] = (w, b)
        acc = accuracy(X_cls_test, y_cls_test, w, b)
        row.append(f"{acc:.4f}, x1 = {-b / w[0]:.2f}")
    print(f"{lam_cls:7g} | {row[0]:>22} | {row[1]:>27}")

# %% classification-figure
plot_boundaries(X_cls, y_cls, {
    "只惩罚 w, λ = 0.1": (*fits[0.1, False], "#057a55"),
    "w、b 都惩罚, λ = 0.01": (*fits[0.01, True], "#9061f9"),
    "w、b 都惩罚, λ = 0.1": (*fits[0.1, True], "#c81e1e"),
})
