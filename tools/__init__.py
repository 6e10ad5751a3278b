"""Build machinery of the site (see README.md).

Importing this package pins NumPy's BLAS to one thread, unless the caller chose
otherwise: the page experiments are small (threads only add overhead on a
2-core machine), and results then do not depend on the thread count. It has
to happen before NumPy is first imported, which is true for ``mkdocs build``,
``python -m tools.pagerun`` and pytest (see ``conftest.py``).
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
