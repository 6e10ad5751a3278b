"""Page 4-3 (docs/4-3.md), cell by cell: the dying ReLU problem."""

# %% setup
import numpy as np

from snippets.activations import elu_grad, leaky_relu_grad, softplus_grad
from snippets.ex4_3 import (TINY_T, TINY_X, two_circles, tiny_network, gradient_step,
                            dead_units, unit_parameters, make_nets, run_configs,
                            dead_summary, knock_out, clone_net, coasting_runs,
                            optimizer_deaths, accuracy, plot_dead_fraction,
                            plot_coasting)
from snippets.mlp import SGD, Momentum, Adam, mse_loss, train
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)

# %% worked-example
X1, t1 = np.array(TINY_X), np.array(TINY_T)
net = tiny_network()
print("before: pre-activations", net.forward(X1).ravel().tolist(), "(= outputs)")
gradient_step(net, np.array([[3.0]]), np.array([-27.0]), SGD(0.1))  # mislabelled sample
print("after one step on (x=3, t=-27): w, b, v, c =",
      [float(p.ravel()[0]) for p in net.parameters()])
net.forward(X1)
print("pre-activations on the training set:", net.Z[0].ravel().tolist(),
      " dead:", bool(dead_units(net, X1)[0]))
dW, db = net.backward(mse_loss(net.forward(X1), t1)[1])
print("gradients of w, b, v:", [float(g) for g in (dW[0][0, 0], db[0][0], dW[1][0, 0])])
frozen = unit_parameters(net).copy()
losses = train(net, X1, t1, SGD(0.1), 300)
print("after 300 more steps, w, b, v unchanged bit for bit:",
      unit_parameters(net).tobytes() == frozen.tobytes())
print(f"output bias c = {net.b[1][0]:.6f}, loss = {losses[-1]:.6f} (1/3 = {1 / 3:.6f})")

# %% lr-sweep
X, y = two_circles(100, rng)
n_seeds, steps, lrs = 10, 600, (2.0, 4.0, 6.0, 8.0)
configs = [("relu", "xavier", 0.0, lr) for lr in lrs] + [
    ("relu", "he", 0.0, 8.0), ("relu", "xavier", 0.1, 8.0),
    ("leaky_relu", "xavier", 0.0, 8.0), ("elu", "xavier", 0.0, 8.0),
    ("softplus", "xavier", 0.0, 8.0)]
results = run_configs(X, y, configs, n_seeds, steps, rng)
print(f"8 hidden ReLU units, Xavier init, b = 0, {n_seeds} nets per rate, "
      f"{steps} steps")
print("    lr  dead at end  ever dead  accuracy: median  min")
for lr, res in zip(lrs, results):
    end, ever, acc_med, acc_min = dead_summary(res)
    print(f"{lr:6g}  {end:11.0%}  {ever:9.0%}  {acc_med:16.2f}  {acc_min:.2f}")

# %% lr-figure
plot_dead_fraction(results[:len(lrs)], lrs)

# %% frozen
net = make_nets(1, rng)[0]
dead = knock_out(net, X, y, lr=80.0)       # a first step with a far too large rate
print("after one step with lr = 80: dead units", np.flatnonzero(dead).tolist(), "of 8")
for name, optimizer in (("SGD", SGD(1.0)), ("Momentum", Momentum(0.5, 0.9)),
                        ("Adam", Adam(0.02))):
    trial = clone_net(net)
    before = unit_parameters(trial)
    train(trial, X, y, optimizer, 300, loss="bce")
    after = unit_parameters(trial)
    same = after[dead].tobytes() == before[dead].tobytes()
    moved = bool(np.all(after[~dead] != before[~dead]))
    print(f"{name:>8}, 300 steps: dead units unchanged bit for bit: {same}, "
          f"all other parameters moved: {moved}, accuracy {accuracy(trial, X, y):.2f}")

# %% coasting
coasting = {}
for name, make in (("Momentum(4, 0.9)", lambda: Momentum(4.0, 0.9)),
                   ("Adam(0.5)", lambda: Adam(0.5))):
    records, spells = coasting_runs(X, y, make, 6, 80, rng)
    coasting[name] = (records, spells, make())
    revived = [s["end"] is not None for s in spells]
    predicted = sum(r == s["predicted_revival"] for r, s in zip(revived, spells))
    print(f"{name}: {len(spells)} deaths in 6 runs of 80 steps, "
          f"{sum(revived)} revived")
    print(f"    gradient exactly 0 on every dead step: "
          f"{all(s['zero_grad'] for s in spells)}")
    print(f"    step ratio vs coast_ratio, largest gap: "
          f"{max(s['ratio_error'] for s in spells):.1e}")
    print(f"    revival predicted at the moment of death: {predicted} of {len(spells)}")

# %% coasting-figure
examples = []
for name, (records, spells, opt) in coasting.items():
    for revived in (False, True):
        pick = [s for s in spells if (s["end"] is not None) == revived]
        if pick:
            s = max(pick, key=lambda s: (s["end"] or 80) - s["start"])
            label = f"{name.split('(')[0]}: {'复活' if revived else '未复活'}"
            examples.append((label, records[s["run"]], s, opt))
plot_coasting(examples)

# %% momentum-deaths
deaths = optimizer_deaths(make_nets(n_seeds, rng), X, y, {
    "SGD(4)": lambda: SGD(4.0),
    "Momentum(4, 0.9)": lambda: Momentum(4.0, 0.9),      # about 10x the step of SGD(4)
    "Momentum(0.4, 0.9)": lambda: Momentum(0.4, 0.9)},   # about the step of SGD(4)
    steps=150)
print(f"the same {n_seeds} fresh nets, 150 full-batch steps each; units dead at the end:")
for name, share in deaths.items():
    print(f"{name:>18}  {share:.0%}")

# %% fixes
names = [f"ReLU, lr = {lr:g}" for lr in lrs] + [
    "ReLU, He init", "ReLU, bias 0.1", "LeakyReLU (0.01)", "ELU", "Softplus"]
print(f"lr = 8 unless noted, {n_seeds} nets each, {steps} full-batch steps")
print("configuration     dead at end  ever all-negative  accuracy: median  min")
for k in (0, 3, 4, 5, 6, 7, 8):
    end, ever, acc_med, acc_min = dead_summary(results[k])
    print(f"{names[k]:<16}  {end:11.0%}  {ever:17.0%}  {acc_med:16.2f}  {acc_min:.2f}")
for k, grad in ((6, leaky_relu_grad), (7, elu_grad), (8, softplus_grad)):
    z = results[k]["max_z"][:, -1]
    z_neg = np.median(z[z <= 0])
    print(f"{names[k]}: all-negative units end with median max z = {z_neg:.2f}, "
          f"where f'(z) = {grad(z_neg):.1e}")
