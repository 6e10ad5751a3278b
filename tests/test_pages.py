"""Every page's code, run the way a reader runs it: copied in order into a fresh Python.

For each ``snippets/pages/exN_M.py`` the helper block and the cells are joined
into one script (exactly the text of the page's code blocks, which the browser
tests check against what the copy buttons copy) and run with ``python -I`` in an
empty temporary directory, by an interpreter that has only NumPy and Matplotlib
(the ``bare_python`` fixture), so neither this repository nor ``snippets`` can be
imported. Its output must equal what the site build shows.
"""

import ast
import os
import subprocess
import sys

import pytest

from tools import pagerun

PAGES = pagerun.page_names()
# What a reader with only NumPy and Matplotlib installed can import.
ALLOWED_IMPORTS = {"numpy", "matplotlib"} | set(sys.stdlib_module_names)


@pytest.mark.parametrize("page", PAGES)
def test_helpers_are_standalone_and_prompt_free(page):
    run = pagerun.prepare(page)
    assert ">>>" not in run.script()
    for node in ast.walk(ast.parse(run.script())):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            top = {n.split(".")[0] for n in names}
            assert top <= ALLOWED_IMPORTS, f"{page} imports {top - ALLOWED_IMPORTS}"


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_standalone_and_prints_what_the_site_shows(page, tmp_path, bare_python):
    run = pagerun.run_page(page)
    script = tmp_path / f"{page}.py"
    script.write_text(run.script(), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["MPLBACKEND"] = "Agg"
    proc = subprocess.run([bare_python, "-I", "-W", "error", str(script)], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout == "".join(c.stdout for c in run.cells)


def test_a_failing_cell_fails_the_run(tmp_path, monkeypatch):
    (tmp_path / "ex9_9.py").write_text(
        "# %% setup\nimport numpy as np\n\n# %% boom\nprint(np.log(-1.0))\n")
    monkeypatch.setattr(pagerun, "PAGES_DIR", tmp_path)
    with pytest.raises(pagerun.PageError, match="cell 'boom' raised RuntimeWarning"):
        pagerun.run_page("ex9_9", use_cache=False)


def test_a_cell_ending_in_a_value_must_print_it(tmp_path, monkeypatch):
    (tmp_path / "ex9_9.py").write_text("# %% setup\nimport numpy as np\n\n# %% value\n1 + 1\n")
    monkeypatch.setattr(pagerun, "PAGES_DIR", tmp_path)
    with pytest.raises(pagerun.PageError, match="print"):
        pagerun.run_page("ex9_9", use_cache=False)


@pytest.mark.parametrize("text, message", [
    ("import numpy\n# %% setup\n", "before the first"),
    ("# %% first\nx = 1\n", "first cell must be"),
    ("# %% setup\n# %% a\n# %% a\n", "repeat"),
])
def test_malformed_page_scripts_are_rejected(text, message):
    with pytest.raises(pagerun.PageError, match=message):
        pagerun.split_cells("ex9_9", text)


def _cache_key(**env_vars):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "OPENBLAS"))}
    env.update(env_vars)
    code = "from tools import pagerun; print(pagerun.prepare('ex4_1').key, pagerun.corename())"
    out = subprocess.run([sys.executable, "-c", code], cwd=pagerun.ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    return out[0], (out[1] if len(out) > 1 else "")


def test_the_page_cache_never_mixes_blas_settings():
    """A page cached under one BLAS kernel or thread count is not served under another
    (issue: outputs cached under OPENBLAS_CORETYPE=Prescott met fresh ones)."""
    base, kernel = _cache_key(OPENBLAS_NUM_THREADS="1")
    assert _cache_key(OPENBLAS_NUM_THREADS="1")[0] == base  # the key is stable
    assert _cache_key(OPENBLAS_NUM_THREADS="2")[0] != base
    other, other_kernel = _cache_key(OPENBLAS_NUM_THREADS="1", OPENBLAS_CORETYPE="Prescott")
    if other_kernel == kernel:
        pytest.skip(f"this CPU runs only the {kernel!r} kernel")
    assert other != base
