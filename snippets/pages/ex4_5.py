"""Page 4-5 (docs/4-5.md), cell by cell: parameter count against depth."""

# %% setup
import numpy as np

from snippets.ex4_5 import (budget_layer_sizes, divisors, parameter_formula,
                            counted_parameters, layer_counts, real_maximiser,
                            claim_violations, tent_network, shallow_sawtooth_network,
                            one_unit_per_kink_fit, breakpoints, network_pieces,
                            random_shallow_pieces, random_network_pieces,
                            plot_parameter_curves, plot_sawtooth)
from snippets.mlp import MLP
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)
LANG = "zh"  # the language of the figures' text: "zh" or "en"

# %% layer-table
M0, N, L = 3, 12, 3
print("sizes:", budget_layer_sizes(M0, N, L))
names = (["input -> hidden 1"] + [f"hidden {l} -> hidden {l + 1}" for l in range(1, L)]
         + [f"hidden {L} -> output"])
for name, (n_w, n_b) in zip(names, layer_counts(M0, N, L)):
    print(f"{name:>20}: {n_w:3d} weights, {n_b:2d} biases")
total = sum(n_w + n_b for n_w, n_b in layer_counts(M0, N, L))
print(f"total: {total}, formula P({L}) = {parameter_formula(N, M0, L):g}")

# %% formula-vs-count
for M0, N in ((3, 12), (9, 12)):
    print(f"M0 = {M0}, N = {N}, 2(M0 + 1) = {2 * (M0 + 1)}")
    print(f"{'L':>5}{'N/L':>5}{'P(L) formula':>14}{'counted':>9}")
    for L in divisors(N):
        formula, counted = parameter_formula(N, M0, L), counted_parameters(M0, N, L)
        print(f"{L:5d}{N // L:5d}{formula:14g}{counted:9d}"
              f"{'' if formula == counted else '  MISMATCH'}")

# %% analysis
cases = ((12, 3), (12, 9), (60, 3), (60, 40), (6, 9))
print(f"{'N':>4}{'M0':>4}{'2(M0+1)':>9}{'P(2)-P(1)':>11}{'N^2/4-N(M0+1)/2':>17}")
for N, M0 in cases:
    rise = counted_parameters(M0, N, 2) - counted_parameters(M0, N, 1)
    print(f"{N:4d}{M0:4d}{2 * (M0 + 1):9d}{rise:11d}{N**2 / 4 - N * (M0 + 1) / 2:17g}")
print(f"{'N':>4}{'M0':>4}{'2N/(N+M0+1)':>13}{'argmax':>8}{'grid agrees':>13}"
      f"{'P(N)':>6}{'M0+2N+1':>9}{'P(1)-P(N)':>11}{'M0(N-1)':>9}")
for N, M0 in cases:
    L = np.linspace(1.0, N, 100001)
    on_grid = L[np.argmax(parameter_formula(N, M0, L))]
    P1, PN = counted_parameters(M0, N, 1), counted_parameters(M0, N, N)
    print(f"{N:4d}{M0:4d}{2 * N / (N + M0 + 1):13.3f}{real_maximiser(N, M0):8.3f}"
          f"{str(abs(on_grid - real_maximiser(N, M0)) < 1e-3):>13}{PN:6d}"
          f"{M0 + 2 * N + 1:9d}{P1 - PN:11d}{M0 * (N - 1):9d}")

# %% sweep
n_networks, violations = claim_violations(range(1, 61), range(1, 21))
print(f"{n_networks} networks (N = 1..60, M0 = 1..20, every divisor L), violations:")
for claim, count in violations.items():
    print(f"  {claim:>22}: {count}")

# %% parameter-figure
plot_parameter_curves([(12, 3), (60, 3), (12, 9), (60, 40)], lang=LANG)

# %% sawtooth-table
print(f"{'k':>2}{'units':>7}{'params':>8}{'weights':>9}{'deep pieces':>13}"
      f"{'| 1 layer, 2k units: params':>29}{'weights':>9}{'bound 2k+1':>12}")
for k in range(1, 7):
    deep, wide = tent_network(k), MLP([1, 2 * k, 1], init="zeros")
    print(f"{k:2d}{2 * k:7d}{deep.n_parameters():8d}{sum(W.size for W in deep.W):9d}"
          f"{network_pieces(deep):13d}{wide.n_parameters():29d}"
          f"{sum(W.size for W in wide.W):9d}{2 * k + 1:12d}")

# %% shallow-sawtooth
for k in (3, 6):
    deep, wide = tent_network(k), shallow_sawtooth_network(k)
    x, y = breakpoints(deep)
    gap = np.max(np.abs(wide.forward(x[:, None]).ravel() - y))
    print(f"k = {k}: one hidden layer of {wide.sizes[1]} units, "
          f"{wide.n_parameters()} parameters, {network_pieces(wide)} pieces;"
          f" max |shallow - deep| at the knots = {gap:g}")

# %% fewest-units
for k in (1, 2, 3):
    errors = one_unit_per_kink_fit(k)
    exact = one_unit_per_kink_fit(k, unit_at_zero=True).min()
    print(f"k = {k}: {2**k - 1} unit(s), one per interior kink, best of {errors.size}"
          f" orientations: RMS error {errors.min():.3f};"
          f" with the unit at 0 ({2**k} units): < 1e-12: {exact < 1e-12}")

# %% lower-bound-premises
for k in range(1, 9):
    x, y = breakpoints(tent_network(k))
    slopes = np.diff(y) / np.diff(x)
    jumps = np.unique(np.abs(np.diff(slopes)).round(6)).tolist()
    line = (f"k = {k}: {x.size - 2:3d} interior kinks, first slope {slopes[0]:g},"
            f" |jumps| {jumps}")
    if k <= 5:
        wide, probe = shallow_sawtooth_network(k), x[:, None]
        gaps = []
        for j in range(2**k):
            cut = shallow_sawtooth_network(k)
            cut.W[1][0, j] = 0.0
            gaps.append(np.max(np.abs(cut.forward(probe).ravel() - y)))
        line += f"; drop any 1 of {2**k} units: max error >= {min(gaps):.3f}"
    print(line)

# %% shallow-bound
for n in (2, 4, 8, 12):
    pieces = random_shallow_pieces(n, 200, rng)
    print(f"{n:2d} units: most pieces in 200 random networks = {pieces.max()}"
          f" (bound n + 1 = {n + 1})")

# %% sawtooth-figure
plot_sawtooth(lang=LANG)

# %% random-depth
print("12 hidden units, 1 input; 100 random networks each, pieces on [-3, 3]")
print(f"{'layers x width':>15}{'params':>8}{'mean pieces':>13}{'max':>5}{'> 13':>6}"
      f"{'non-monotone':>14}")
for width in (12, 6, 4, 2, 1):
    sizes = [1] + [width] * (12 // width) + [1]
    pieces, monotone = random_network_pieces(sizes, 100, rng)
    print(f"{12 // width:>9d} x {width:<3d}{MLP(sizes, init='zeros').n_parameters():8d}"
          f"{pieces.mean():13.2f}{pieces.max():5d}{np.count_nonzero(pieces > 13):6d}"
          f"{np.count_nonzero(~monotone):14d}")
