"""MkDocs hooks: run every page's steps at build time and put the results on the page.

* ``on_files`` runs each ``snippets/pages/exN_M.py`` once (``tools.pagerun``, cached),
  adds its figures to the site as ``figures/N-M/<cell>.svg`` and ships MathJax
  from the ``django-static-mathjax`` package (no CDN).
* ``on_page_markdown`` expands the directives of ``docs/N-M.md``:

  ``[[helpers]]``        collapsed block with the page's standalone helper code;
  ``[[run NAME]]``       the code of cell NAME and the output it printed;
  ``[[run NAME | ALT]]`` the same for a cell that draws a figure (ALT is its
                         alt text and caption).

  Every cell must be placed exactly once, in order, after ``[[helpers]]``, so a
  reader who copies the page's code blocks top to bottom gets the script
  that was run. Anything else is a build error.
"""

from __future__ import annotations

import logging
import re
import sys
import textwrap
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools import pagerun  # noqa: E402

log = logging.getLogger("mkdocs.hooks.pages")
DIRECTIVE = re.compile(r"^\[\[(helpers|run)(?: ([a-z0-9_-]+))?(?: \| (.+?))?\]\]\s*$")
MATHJAX_PARTS = ("tex-chtml.js", "output/chtml", "input/tex/extensions", "ui", "a11y", "sre")
RUNS: dict[str, pagerun.PageRun] = {}


def page_id(script: str) -> str:
    """``ex4_2`` -> ``4-2`` (the Markdown file and URL of the page)."""
    return script[2:].replace("_", "-")


def on_config(config):
    # MkDocs restores sys.path after loading this file; the build needs the repo on it.
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return config


def on_files(files, config):
    start = time.perf_counter()
    style = pagerun.build_style()
    RUNS.clear()
    for script in pagerun.page_names():
        try:
            run = pagerun.run_page(script, style)
        except (pagerun.PageError, ValueError) as err:
            raise PluginError(str(err)) from err
        RUNS[page_id(script)] = run
        for cell in run.cells:
            if cell.svg:
                uri = f"figures/{page_id(script)}/{cell.name}.svg"
                files.append(File.generated(config, uri, content=cell.svg.encode()))
    _add_mathjax(files, config)
    cached = sum(r.cached for r in RUNS.values())
    log.info(f"ran {len(RUNS) - cached} page(s), {cached} from cache, "
             f"in {time.perf_counter() - start:.2f} s")
    return files


def _add_mathjax(files, config):
    import mathjax

    es5 = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    for part in MATHJAX_PARTS:
        src = es5 / part
        paths = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.is_file())
        for path in paths:
            rel = path.relative_to(es5).as_posix()
            files.append(File(rel, src_dir=str(es5), dest_dir=config["site_dir"],
                              use_directory_urls=False, dest_uri=f"assets/mathjax/{rel}"))


def on_page_markdown(markdown, page, config, files):
    pid = Path(page.file.src_uri).stem
    run = RUNS.get(pid)
    has_directives = any(DIRECTIVE.match(line) for line in markdown.splitlines())
    if run is None:
        if has_directives:
            raise PluginError(f"{page.file.src_uri}: directives but no snippets/pages/ex"
                              f"{pid.replace('-', '_')}.py")
        return markdown
    try:
        return expand(markdown, run, pid)
    except pagerun.PageError as err:
        raise PluginError(f"{page.file.src_uri}: {err}") from err


def expand(markdown: str, run: pagerun.PageRun, pid: str) -> str:
    out, placed = [], []
    for line in markdown.splitlines():
        m = DIRECTIVE.match(line)
        if not m:
            out.append(line)
            continue
        kind, name, alt = m.groups()
        if kind == "helpers":
            placed.append("setup")
            out.append(helpers_block(run))
        else:
            if name is None:
                raise pagerun.PageError("[[run]] needs a cell name")
            placed.append(name)
            out.append(cell_block(run.cell(name), pid, alt))
    expected = [c.name for c in run.cells]
    if placed != expected:
        raise pagerun.PageError(f"the page must place [[helpers]] and then every cell once, "
                                f"in order: expected {expected}, found {placed}")
    return "\n".join(out) + "\n"


def _fence(code: str, attrs: str, indent: str = "") -> str:
    ticks = "````" if "```" in code else "```"
    body = textwrap.indent(code.rstrip("\n"), indent, lambda _: True)
    return f"{indent}{ticks} {attrs}\n{body}\n{indent}{ticks}"


def helpers_block(run: pagerun.PageRun) -> str:
    n_lines = run.helpers.count("\n")
    title = f"本页用到的函数（{n_lines} 行，取自 snippets/，复制后可单独运行）"
    return f'??? abstract "{title}"\n\n' + _fence(run.helpers, "{ .python }", "    ") + "\n"


def cell_block(cell: pagerun.Cell, pid: str, alt: str | None) -> str:
    parts = [_fence(cell.code, "{ .python }")]
    if cell.stdout:
        parts.append(_fence(cell.stdout, '{ .text .no-copy .nndl-output title="输出" }'))
    if cell.svg and not alt:
        raise pagerun.PageError(f"cell {cell.name!r} draws a figure: write "
                                f"[[run {cell.name} | alt text]]")
    if alt and not cell.svg:
        raise pagerun.PageError(f"cell {cell.name!r} has alt text but draws no figure")
    if cell.svg:
        w, h = _svg_size(cell.svg)
        parts.append(f'<figure class="nndl-figure" markdown="span">\n'
                     f'  ![{alt}](figures/{pid}/{cell.name}.svg){{ width="{w}" height="{h}" '
                     f'loading="lazy" }}\n  <figcaption>{alt}</figcaption>\n</figure>')
    return "\n\n".join(parts) + "\n"


def _svg_size(svg: str) -> tuple[int, int]:
    m = re.search(r'<svg[^>]*width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    if not m:
        raise pagerun.PageError("SVG without a size in pt")
    return round(float(m.group(1)) * 4 / 3), round(float(m.group(2)) * 4 / 3)
