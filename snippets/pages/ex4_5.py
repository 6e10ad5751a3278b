"""Page 4-5 (docs/4-5.md), cell by cell: parameter count against depth."""

# %% setup
import numpy as np

from snippets.ex4_5 import (budget_layer_sizes, divisors, parameter_formula,
                            counted_parameters, layer_counts, real_maximiser,
                            claim_violations, tent_network, shallow_sawtooth_network,
                            breakpoints, network_pieces, random_shallow_pieces,
                            plot_parameter_curves, plot_sawtooth)
from snippets.mlp import count_parameters
from snippets.plotting import apply_style

apply_style()
rng = np.random.default_rng(0)

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
print(f"{'N':>4}{'M0':>4}{'2(M0+1)':>9}{'P(2)-P(1)':>11}{'N^2/4-N(M0+1)/2':>17}"
      f"{'real L*':>9}{'P(N)':>6}{'M0+2N+1':>9}")
for N, M0 in ((12, 3), (12, 9), (60, 3), (60, 40)):
    rise = counted_parameters(M0, N, 2) - counted_parameters(M0, N, 1)
    print(f"{N:4d}{M0:4d}{2 * (M0 + 1):9d}{rise:11d}{N**2 / 4 - N * (M0 + 1) / 2:17g}"
          f"{real_maximiser(N, M0):9.3f}{counted_parameters(M0, N, N):6d}"
          f"{M0 + 2 * N + 1:9d}")

# %% sweep
n_networks, violations = claim_violations(range(1, 61), range(1, 21))
print(f"{n_networks} networks (N = 1..60, M0 = 1..20, every divisor L), violations:")
for claim, count in violations.items():
    print(f"  {claim:>22}: {count}")

# %% parameter-figure
plot_parameter_curves([(12, 3), (60, 3), (12, 9), (60, 40)])

# %% sawtooth-table
print(f"{'k':>2}{'units':>7}{'params':>8}{'deep pieces':>13}"
      f"{'1 layer, 2k units: params, max pieces':>40}")
for k in range(1, 7):
    deep = tent_network(k)
    print(f"{k:2d}{2 * k:7d}{deep.n_parameters():8d}{network_pieces(deep):13d}"
          f"{count_parameters([1, 2 * k, 1]):30d}{2 * k + 1:10d}")

# %% shallow-sawtooth
for k in (3, 6):
    deep, wide = tent_network(k), shallow_sawtooth_network(k)
    x, y = breakpoints(deep)
    gap = np.max(np.abs(wide.forward(x[:, None]).ravel() - y))
    print(f"k = {k}: one hidden layer of {wide.sizes[1]} units, "
          f"{wide.n_parameters()} parameters, {network_pieces(wide)} pieces;"
          f" max |shallow - deep| at the knots = {gap:g}")

# %% shallow-bound
for n in (2, 4, 8, 16):
    pieces = random_shallow_pieces(n, 200, rng)
    print(f"{n:2d} units: most pieces in 200 random networks = {pieces.max()}"
          f" (bound n + 1 = {n + 1})")

# %% sawtooth-figure
plot_sawtooth()
