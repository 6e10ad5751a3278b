"""Check one exercise page end to end, fast: the inner loop while editing it.

    python -m tools.checkpage ex4_3        # or 4-3

1. runs the page's cells (``tools.pagerun``; from the page cache when nothing
   changed) and writes its notebook, as the site build would;
2. runs, with pytest: the page's claim tests (``tests/test_exN_M.py``), the
   doctests of ``snippets/exN_M.py``, the checks of the copied code (it imports
   only NumPy, Matplotlib and the standard library, compiles as one file, and its
   imports hold under ``python -I -W error`` in a bare Python), and the notebook, top to bottom,
   in a fresh kernel of a Python that has only NumPy and Matplotlib, whose code
   cells must be the page's code blocks and whose outputs must be the page's.

The bare Python is kept in ``.cache/kernel-env`` between runs. What it leaves to
the full test command: the site build and the checks of the built pages (links,
figures, search, the browser tests).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys

from tools import editions, notebooks, pagerun
from tools.bundle import ROOT


def page_script(name: str) -> str:
    """``ex4_3`` or ``4-3`` -> ``ex4_3``, if that page exists."""
    script = "ex" + name.replace("-", "_") if re.fullmatch(r"\d+-\d+", name) else name
    if script not in pagerun.page_names():
        raise ValueError(f"no page {name!r}: expected one of {', '.join(pagerun.page_names())}"
                         " (or 4-1 ... 4-9)")
    return script


def node_ids(script: str) -> list[str]:
    """The tests the one-page check runs for page ``script``, as pytest node ids."""
    return [f"tests/test_{script}.py", f"snippets/{script}.py",
             *(f"tests/test_pages.py::{name}[{script}-{lang}]" for lang in pagerun.EDITIONS
               for name in ("test_helpers_are_standalone_and_prompt_free",
                            "test_the_copied_scripts_imports_hold_in_a_bare_python")),
             *(f"tests/test_notebooks.py::test_notebook_runs_in_a_fresh_minimal_kernel"
               f"[{script}-{lang}]" for lang in pagerun.EDITIONS)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("page", help="e.g. ex4_3 or 4-3")
    ap.add_argument("pytest_args", nargs="*", help="passed on to pytest (after --)")
    args = ap.parse_args(argv)
    try:
        script = page_script(args.page)
    except ValueError as err:
        ap.error(str(err))
    pid = script[2:].replace("_", "-")
    run = pagerun.run_page(script)
    folder = ROOT / ".cache" / "checkpage"
    for lang in pagerun.EDITIONS:      # the notebook of each edition
        markdown = editions.page_file(lang, pid).read_text(encoding="utf-8")
        notebooks.write_notebook(
            notebooks.notebook_for_page(run.edition(lang), pid, markdown, lang),
            folder / lang / f"{pid}.ipynb")
    print(f"{script}: {'cached' if run.cached else f'ran in {run.seconds:.1f} s'}; "
          f"notebooks written to {folder.relative_to(ROOT)}/{{zh,en}}/{pid}.ipynb", flush=True)
    tests = node_ids(script)
    env = {**os.environ, "NNDL_NOTEBOOK_DIR": str(folder),
           "NNDL_KERNEL_ENV": str(ROOT / ".cache" / "kernel-env")}
    # tests one by one across the cores: a page has one big test file
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "--dist", "load", *tests,
                           *args.pytest_args],
                          cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
