"""The page runner (``tools.pagerun``): how a page script is split, run and cached.

A page's code is run the way a reader runs it, copied in order into a fresh
Python with only NumPy and Matplotlib, by ``tests/test_notebooks.py``: the
notebook's code cells are exactly the page's code blocks, and they run in a
fresh kernel of such a Python. Here: the copied code imports nothing else, a
failing or malformed page fails the run, parallel and serial runs agree, and the
cache never mixes BLAS settings.
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools import pagerun

ROOT = Path(__file__).resolve().parent.parent

PAGES = pagerun.page_names()
# What a reader with only NumPy and Matplotlib installed can import.
ALLOWED_IMPORTS = {"numpy", "matplotlib"} | set(sys.stdlib_module_names)


@pytest.mark.parametrize("lang", pagerun.EDITIONS)
@pytest.mark.parametrize("page", PAGES)
def test_helpers_are_standalone_and_prompt_free(page, lang):
    run = pagerun.prepare(page).edition(lang)
    assert ">>>" not in run.script()
    # as one file (a notebook compiles cell by cell: a misplaced __future__ import
    # or a `return` at top level would only fail here)
    compile(run.script(), f"{page}.py", "exec")
    for node in ast.walk(ast.parse(run.script())):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            top = {n.split(".")[0] for n in names}
            assert top <= ALLOWED_IMPORTS, f"{page} imports {top - ALLOWED_IMPORTS}"


def module_attributes(script: str) -> tuple[list[str], list[str]]:
    """``(the script's import statements, the "alias.name" it reads of imported modules)``,
    e.g. ``importlib.util`` for ``importlib.util.find_spec`` after ``import importlib``."""
    tree = ast.parse(script)
    imports = [ast.get_source_segment(script, n) for n in tree.body
               if isinstance(n, (ast.Import, ast.ImportFrom))]
    aliases = {a.asname or a.name for n in tree.body if isinstance(n, ast.Import)
               for a in n.names if "." not in a.name}
    reads = sorted({f"{n.value.id}.{n.attr}" for n in ast.walk(tree)
                    if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                    and n.value.id in aliases})
    return imports, reads


@pytest.mark.parametrize("lang", pagerun.EDITIONS)
@pytest.mark.parametrize("page", PAGES)
def test_the_copied_scripts_imports_hold_in_a_bare_python(page, lang, bare_python, tmp_path):
    """What the notebook run cannot show (the kernel has imported more than a script
    does, and imports Matplotlib before the page does): in a fresh ``python -I -W
    error`` with only NumPy and Matplotlib, the script's imports raise no warning,
    and every attribute it reads of an imported module exists after just those
    imports (``importlib.util`` without ``import importlib.util`` would not)."""
    imports, reads = module_attributes(pagerun.prepare(page).edition(lang).script())
    probe = "\n".join(imports + [f"{r}  # read by the page" for r in reads]) + "\n"
    (tmp_path / "probe.py").write_text(probe, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["MPLBACKEND"] = "Agg"
    proc = subprocess.run([bare_python, "-I", "-W", "error", "probe.py"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_the_import_probe_catches_a_submodule_the_script_never_imports(bare_python,
                                                                       tmp_path):
    imports, reads = module_attributes("import importlib\nspec = importlib.util.find_spec")
    (tmp_path / "probe.py").write_text("\n".join(imports + reads) + "\n")
    proc = subprocess.run([bare_python, "-I", "-W", "error", "probe.py"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "has no attribute 'util'" in proc.stderr, proc.stderr


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


PARALLEL_PAGES = {
    "ex9_1": ("# %% setup\nimport numpy as np\nfrom snippets.plotting import new_figure\n\n"
              "# %% draw\nrng = np.random.default_rng(1)\nx = rng.normal(size=50)\n"
              "print(f'{x.mean():.6f}')\nfig, ax = new_figure(width=2, height=2)\n"
              "ax.plot(np.sort(x))\nfig\n"),
    "ex9_2": ("# %% setup\nimport numpy as np\n\n# %% sum\n"
              "print(np.arange(10).sum())\n"),
    "ex9_3": "# %% setup\nimport numpy as np\n\n# %% boom\nprint(np.log(-1.0))\n",
}


def test_pages_run_in_the_pool_as_they_run_here(tmp_path, monkeypatch):
    """The build runs uncached pages in fresh worker processes: what each cell prints
    and draws there is exactly what it prints and draws in the build's own process,
    and a failing cell fails the same way."""
    for name, text in PARALLEL_PAGES.items():
        (tmp_path / f"{name}.py").write_text(text)
    monkeypatch.setattr(pagerun, "PAGES_DIR", tmp_path)
    results = {}
    for jobs in (1, 2):
        monkeypatch.setattr(pagerun, "CACHE_DIR", tmp_path / f"cache-{jobs}")
        with pagerun.worker_pool(jobs) as pool:
            assert (pool is None) == (jobs == 1)
            runs, todo = pagerun.load_cached(["ex9_1", "ex9_2"])
            assert not runs and [r.page for r in todo] == ["ex9_1", "ex9_2"]
            pending = pagerun.submit(todo, pool)
            done = {name: pagerun.finish_page(item) for name, item in pending.items()}
            with pytest.raises(pagerun.PageError, match="cell 'boom' raised RuntimeWarning"):
                failing = pagerun.submit(pagerun.load_cached(["ex9_3"])[1], pool)
                pagerun.finish_page(failing["ex9_3"])
        results[jobs] = {name: [(c.name, c.stdout, c.svg) for c in run.cells]
                         for name, run in done.items()}
        again, left = pagerun.load_cached(["ex9_1", "ex9_2"])
        assert not left and all(r.cached for r in again.values())   # stored in the cache
    assert results[1]["ex9_1"][1][2].startswith("<svg")
    assert results[1] == results[2]


def test_build_jobs_reads_its_variable(monkeypatch):
    monkeypatch.setenv("NNDL_BUILD_JOBS", "3")
    assert pagerun.build_jobs() == 3
    monkeypatch.delenv("NNDL_BUILD_JOBS")
    assert pagerun.build_jobs() == (os.cpu_count() or 1)
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("NNDL_BUILD_JOBS", bad)
        with pytest.raises(ValueError, match="positive integer"):
            pagerun.build_jobs()


def test_the_one_page_check_names_tests_that_exist():
    """``python -m tools.checkpage`` passes node ids to pytest: each must collect
    (a parametrization change would otherwise make it run nothing for a page)."""
    from tools import checkpage

    ids = checkpage.node_ids("ex4_3")
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0",
                           "-p", "no:cacheprovider", *ids], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    collected = [ln for ln in proc.stdout.splitlines() if "::" in ln]
    for node in ids:
        if "::" in node:
            assert node in collected, f"{node} collects nothing"
