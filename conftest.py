"""Repository-wide pytest settings."""

import tools  # noqa: F401  (first: pins BLAS to one thread before NumPy loads, as the build does)

import matplotlib  # noqa: E402

matplotlib.use("Agg")

# Page scripts are run cell by cell by tools/pagerun.py (see tests/test_pages.py);
# importing them as modules would run every experiment at collection time.
collect_ignore_glob = ["snippets/pages/*"]
