"""Every built notebook, run top to bottom in a fresh Jupyter kernel that has only
NumPy and Matplotlib (plus the kernel itself), outside the repository.

This is also the test that a page's code runs the way a reader runs it, copied
into a fresh Python: the notebook's code cells are checked to be exactly the
page's code blocks (the helper block, then every cell, in order), which the
browser tests check against what the copy buttons copy. So one fresh run proves
the copied script and the notebook, and each page's code runs twice per test
session: once in the site build, once here.

The kernel's environment is the ``kernel_env`` fixture (tests/conftest.py): a new
virtual environment holding exactly the distributions that ``numpy``,
``matplotlib`` and ``ipykernel`` need, copied from this one (same versions, no
download). The kernel starts with ``python -I`` in
an empty temporary directory, so neither this repository nor ``snippets`` is
importable. The outputs must equal the ones the page shows.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tools import editions, mkdocs_hooks, notebooks, pagerun

ROOT = Path(__file__).resolve().parent.parent
# matplotlib-inline's own deprecation notice (shown since the kernel shows deprecations)
KNOWN_KERNEL_NOISE = re.compile(
    r"\S*matplotlib_inline/config\.py:\d+: DeprecationWarning: InlineBackend\."
    r"_figure_formats_changed is deprecated in traitlets 4\.1: use @observe and "
    r"@unobserve instead\.\n  def _figure_formats_changed\(self, name, old, new\):\n")


def _first_code(nb) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")


def test_the_kernel_environment_is_minimal(kernel_env):
    py = str(kernel_env / "venv" / "bin" / "python")
    probe = ("import importlib.util as u; print([m for m in ('numpy', 'matplotlib', "
             "'snippets', 'tools', 'scipy', 'mkdocs', 'pytest') if u.find_spec(m)])")
    out = subprocess.run([py, "-I", "-c", probe], capture_output=True, text=True,
                         cwd=kernel_env, check=True).stdout.strip()
    assert out == "['numpy', 'matplotlib']"


@pytest.fixture(scope="session")
def notebook_files(request):
    """``pid -> path`` of the notebook to run: the downloadable ``.ipynb`` of the
    session's site build, or, for the one-page check (``python -m tools.checkpage``),
    the notebooks it wrote into ``NNDL_NOTEBOOK_DIR`` from the page's current run."""
    folder = os.environ.get("NNDL_NOTEBOOK_DIR")
    request.getfixturevalue("built_pages")
    if folder:
        return lambda pid, lang: Path(folder) / lang / f"{pid}.ipynb"
    site = request.getfixturevalue("site")
    return lambda pid, lang: site / editions.PREFIX[lang] / "notebooks" / pid / f"{pid}.ipynb"


@pytest.mark.parametrize("lang", pagerun.EDITIONS)
@pytest.mark.parametrize("page", pagerun.page_names())
def test_notebook_runs_in_a_fresh_minimal_kernel(page, lang, notebook_files, kernel_env,
                                                 tmp_path, monkeypatch):
    """Each edition's notebook: the Chinese and the English one are the same cells
    but for the setup cell's LANG line, and both run here in full (a figure call that
    drew from a generator or changed a variable would make the English run print
    something else than the page, which shows the one run both editions share)."""
    pid = mkdocs_hooks.page_id(page)
    built = notebook_files(pid, lang)
    assert built.is_file(), "the notebook page has no downloadable .ipynb next to it"
    nb = nbformat.read(built, as_version=4)
    nbformat.validate(nb)
    run = pagerun.run_page(page).edition(lang)
    # The code cells after the display settings are the page's code blocks, in order:
    # running them here is running what a reader copies from the page.
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code[0] == notebooks.DISPLAY_SETUP
    assert code[1:] == [run.helpers.rstrip("\n")] + [c.code.rstrip("\n")
                                                      for c in run.cells[1:]]
    expected = [[o for o in c.outputs] for c in nb.cells if c.cell_type == "code"]
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_env))
    monkeypatch.delenv("PYTHONPATH", raising=False)
    # no IPython profile or Jupyter configuration of this machine's user
    for var, name in (("IPYTHONDIR", "ipython"), ("JUPYTER_CONFIG_DIR", "jupyter-config")):
        (tmp_path / name).mkdir()
        monkeypatch.setenv(var, str(tmp_path / name))
    shutil.copy(built, tmp_path / built.name)
    client = NotebookClient(nb, kernel_name="minimal", timeout=600, allow_errors=False,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    got = [[o for o in c.outputs] for c in nb.cells if c.cell_type == "code"]
    # The display-settings cell imports Matplotlib first: a warning at import time
    # shows here. Only matplotlib-inline's notice about its traitlets use is known.
    display_errors = "".join(o.text for o in nb.cells[_first_code(nb)].outputs
                             if o.output_type == "stream" and o.name == "stderr")
    assert not KNOWN_KERNEL_NOISE.sub("", display_errors).strip(), display_errors[:800]
    for cell, before, after in zip(run.cells, expected[1:], got[1:]):
        text = "".join(o.text for o in after if o.output_type == "stream" and o.name == "stdout")
        assert text == cell.stdout, f"{page}:{cell.name} printed something else"
        assert "".join(o.text for o in before if o.output_type == "stream") == text
        # This kernel has no CJK font, so Matplotlib may warn about Chinese glyphs
        # (the notebook tells readers to install one); nothing else may reach stderr.
        # The English figures have no Chinese text: there, not even that.
        errors = "".join(o.text for o in after if o.output_type == "stream" and o.name == "stderr")
        noise = errors if lang == "en" else re.sub(
            r".*Glyph \d+ .* missing from font\(s\).*\n(.*print_figure.*\n)?"
            r"|Font '\w+' does not have a glyph for .*\n", "", errors)
        assert not noise.strip(), f"{page}:{cell.name} wrote to stderr: {errors[:500]}"
        figures = [o for o in after if o.output_type in ("display_data", "execute_result")
                   and "image/svg+xml" in o.data]
        assert len(figures) == bool(cell.svg), f"{page}:{cell.name} figure count"


def test_the_pool_renders_notebooks_with_every_option_mkdocs_jupyter_passes():
    """tools.notebooks.prerender renders a notebook page as mkdocs-jupyter would, into
    its cache: with every option of ``convert.nb2html`` that the plugin sets (an
    upgrade adding one would otherwise render with its default under the plugin's
    key), and every option is one the plugin's cache key covers."""
    import inspect

    from mkdocs_jupyter import convert, plugin

    params = set(inspect.signature(convert.nb2html).parameters)
    assert params - {"nb_path", "start", "end", "execute"} == set(notebooks.NB2HTML_OPTIONS)
    key_source = inspect.getsource(plugin._compute_cache_key)
    assert all(f'"{name}"' in key_source for name in notebooks.NB2HTML_OPTIONS)
    assert '"toc_depth"' in key_source
