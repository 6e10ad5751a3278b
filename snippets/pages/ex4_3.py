"""Page 4-3 (docs/4-3.md), cell by cell: the dying ReLU problem."""

# %% setup
import numpy as np

from snippets.ex4_3 import (TINY_T, TINY_X, Config, tiny_network, gradient_step,
                            dead_units, unit_parameters, stuck_unit_runs, circle_sets,
                            unit_square, run_suite, dead_summary, death_windows,
                            suite_row, perturbation_gap, units_without_gradient,
                            as_bound, make_nets,
                            knock_out, clone_net, coasting_runs, accuracy,
                            plot_dead_fraction, plot_coasting)
from snippets.mlp import SGD, Momentum, Adam, mse_loss, train
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)
LANG = "zh"  # the language of the figures' text: "zh" or "en"

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

# %% other-activations
print("same (w, b, v, c) = (-8, -3, -8, -3), then 500 steps on the clean set")
print("activation  f'(max z) at start  max z at end  loss at end")
for hidden, slope, z_end, loss in stuck_unit_runs(
        ("relu", "leaky_relu", "elu", "softplus"), 500):
    print(f"{hidden:<10}  {slope:17.1e}  {z_end:12.4f}  {loss:11.4f}")

# %% lr-sweep
Xs, ys = circle_sets(4, 100, rng)            # 4 data sets of 100 points
n_nets, steps, lrs = 10, 200, (2.0, 4.0, 6.0, 8.0)
sweep = run_suite(Xs, ys, [Config(lr=lr) for lr in lrs], n_nets, steps, rng)
print(f"8 hidden ReLU units, Xavier init, b = 0; {n_nets} nets on each of 4 data "
      f"sets, {steps} full-batch steps")
print("    lr  dead at end  ever dead  median accuracy per data set")
for lr, result in zip(lrs, sweep):
    end, ever, acc = dead_summary(result)
    print(f"{lr:6g}  {end:11.0%}  {ever:9.0%}  " + " ".join(f"{a:.2f}" for a in acc))

# %% lr-figure
plot_dead_fraction(sweep, lrs, lang=LANG)

# %% gradient-norms
print("steps      deaths (of 320 units)  median gradient norm")
for lr, result in zip(lrs[1::2], sweep[1::2]):
    print(f"lr = {lr:g}")
    for a, b, deaths, grad in death_windows(result, (0, 1, 2, 5, 10, 20, 50, steps)):
        print(f"  {f'{a + 1}-{b}':<7}  {deaths:21d}  {grad:20.2f}")

# %% frozen
X, y = Xs[0], ys[0]
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
          f"{as_bound(max(s['ratio_error'] for s in spells), (1e-9, 1e-3))}")
    print(f"    revival predicted at the moment of death: {predicted} of {len(spells)}")

# %% coasting-figure
examples = []
for name, (records, spells, opt) in coasting.items():
    for revived in (False, True):
        pick = [s for s in spells if (s["end"] is not None) == revived]
        if pick:
            s = max(pick, key=lambda s: (s["end"] or 80) - s["start"])
            examples.append((name.split("(")[0], revived, records[s["run"]], s, opt))
plot_coasting(examples, lang=LANG)

# %% momentum-deaths
Xm, ym = circle_sets(12, 100, rng)
optimizers = {"SGD(4)": Config(lr=4.0),
              "Momentum(4, 0.9)": Config(lr=4.0, rho=0.9),
              "Momentum(0.4, 0.9)": Config(lr=0.4, rho=0.9),
              "SGD, lr 0.4 -> 4 (ramp)": Config(lr=0.4, ramp=0.9),
              "SGD, lr 4 -> 40 (ramp)": Config(lr=4.0, ramp=0.9)}
runs = dict(zip(optimizers, run_suite(Xm, ym, list(optimizers.values()), n_nets, 100,
                                      rng, paired=True)))
dead = {name: (r["max_z"][..., -1, :] <= 0).mean(axis=(1, 2))     # one per data set
        for name, r in runs.items()}
print(f"the same {n_nets} fresh nets on each of 12 data sets, 100 full-batch steps")
print("optimiser                  dead at end  more / fewer  median step taken, steps")
print("                                        than SGD(4)     1-5   6-20  21-50")
for name, share in dead.items():
    more, fewer = np.sum(share > dead["SGD(4)"]), np.sum(share < dead["SGD(4)"])
    versus = "" if name == "SGD(4)" else f"{more:2d} / {fewer:2d}"
    taken = [np.median(runs[name]["step_norm"][..., a:b]) for a, b in
             ((0, 5), (5, 20), (20, 50))]
    print(f"{name:<25}  {share.mean():11.0%}  {versus:>12}"
          + "".join(f"{t:7.2f}" for t in taken))

# %% dead-at-start
Xu = unit_square(Xs)                          # the same data, rescaled onto [0, 1]^2
Xc = Xu - Xu.mean(axis=1, keepdims=True)      # ... and centred
starts = {"[0,1]^2, Xavier, b = 0": (Xu, Config(lr=2.0)),
          "[0,1]^2, He, b = 0": (Xu, Config(lr=2.0, init="he")),
          "[0,1]^2, Xavier, b = 0.1": (Xu, Config(lr=2.0, bias=0.1)),
          "[0,1]^2, Xavier, b = 0.5": (Xu, Config(lr=2.0, bias=0.5)),
          "centred, Xavier, b = 0": (Xc, Config(lr=2.0))}
print(f"lr = 2, {n_nets} nets on each of 4 data sets, {steps} steps")
print("inputs, init, bias         dead at start  dead at end  median accuracy")
for name, (inputs, config) in starts.items():
    result = run_suite(inputs, ys, [config], n_nets, steps, rng)[0]
    dead = result["max_z"] <= 0
    acc = " ".join(f"{a:.2f}" for a in dead_summary(result)[2])
    print(f"{name:<26} {dead[..., 0, :].mean():13.0%}  {dead[..., -1, :].mean():11.0%}"
          f"  {acc}")

# %% fixes
fixes = {"ReLU": Config(), "ReLU, He init": Config(init="he"),
         "ReLU, b = 0.1": Config(bias=0.1),
         "LeakyReLU (0.01)": Config(hidden="leaky_relu"),
         "ELU": Config(hidden="elu"), "Softplus": Config(hidden="softplus")}
configs = [c._replace(lr=lr) for lr in (2.0, 8.0) for name, c in fixes.items()
           if name != "ReLU" and not (lr == 8.0 and name == "ELU")]
results = iter(run_suite(Xs, ys, configs, n_nets, steps, rng))
print(f"{n_nets} nets on each of 4 data sets, {steps} steps")
print("configuration             f' < 1e-3 on     median accuracy")
print("                          all inputs       per data set")
leaky = {}
for lr, relu in ((2.0, sweep[0]), (8.0, sweep[3])):
    print(f"lr = {lr:g}")
    for name in fixes:
        if not (lr == 8.0 and name == "ELU"):
            result = relu if name == "ReLU" else next(results)
            print(suite_row(name, result))
            leaky[lr] = result if name.startswith("Leaky") else leaky.get(lr)
print("LeakyReLU units with max z <= 0 (on the linear slope 0.01 on every input):")
for lr, result in leaky.items():
    end, ever = dead_summary(result)[:2]
    print(f"  lr = {lr:g}: {ever:.0%} at some step, {end:.0%} at the end")

# %% schedules
schedules = {"warm-up 20 steps to 4": Config(lr=4.0, warmup=20),
             "warm-up 20 steps to 8": Config(lr=8.0, warmup=20),
             "warm-up 100 steps to 8": Config(lr=8.0, warmup=100),
             "lr = 8, clip |g| at 0.1": Config(lr=8.0, clip=0.1),
             "lr = 8, clip |g| at 0.3": Config(lr=8.0, clip=0.3)}
print(f"ReLU, Xavier init, b = 0; same data, {n_nets} nets each, {steps} steps")
print("schedule                  dead at end      median accuracy per data set")
print(suite_row("lr = 4", sweep[1]))
print(suite_row("lr = 8", sweep[3]))
for name, result in zip(schedules, run_suite(Xs, ys, list(schedules.values()), n_nets,
                                             steps, rng)):
    print(suite_row(name, result))
    if schedules[name].clip:   # steps 1-50: how many were clipped, and by how much
        norms, clip = result["grad_norm"][..., :50], schedules[name].clip
        factor = np.mean(clip / norms[norms > clip])
        print(f"  steps 1-50 clipped: {np.mean(norms > clip):.0%}, "
              f"by a mean factor of {factor:.2f}")

# %% chaos
print("largest change of any unit's max z, inputs changed in their 12th digit")
print("                  step 10    step 75   step 100")
for name, config in (("ELU, lr = 4", Config(hidden="elu")),
                     ("ELU, lr = 8", Config(hidden="elu", lr=8.0))):
    gaps = perturbation_gap(Xs, ys, config, n_nets, 100, (10, 75, 100), rng)
    print(f"{name:<14}" + "".join(f"{as_bound(g):>11}" for g in gaps))
elu8 = run_suite(Xs, ys, [Config(hidden="elu", lr=8.0)], n_nets, steps, rng)[0]
lost = units_without_gradient(elu8).mean() / elu8["max_z"].shape[-1]
best = np.median(elu8["accuracy"], axis=1).max()
print(f"ELU, lr = 8, {steps} steps, {n_nets} nets on each of 4 data sets:")
print(f"  units with f' < 1e-3 on all inputs: {'> 2/3' if lost > 2 / 3 else '<= 2/3'}")
print(f"  median accuracy on every data set:  {'< 0.75' if best < 0.75 else '>= 0.75'}")
