"""Make each exercise's Jupyter notebook from the same cells and outputs as its page.

The notebook holds: a short introduction with a link back to the page, a display
setting, the page's helper code, then every cell of ``snippets/pages/exN_M.py``
in order, each preceded by the prose that precedes it in the page's
"代码与实验" section ("Code and experiments" in the English edition). Outputs are the ones the build just produced by running
exactly these cells (``tools.pagerun``), so the notebook needs no second
execution at build time; ``tests/test_notebooks.py`` runs every notebook again
in a fresh Jupyter kernel that has only NumPy and Matplotlib.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from tools.pagerun import DIRECTIVE, PageRun

TAIL = "(after the last cell)"
DISPLAY_SETUP = ("# Display settings of this notebook (not steps of the page): a cell whose\n"
                 "# last expression is a Matplotlib Figure shows it, as SVG.\n"
                 "%matplotlib inline\n"
                 '%config InlineBackend.figure_formats = ["svg"]')


def _lines(text: str) -> list[str]:
    parts = text.splitlines(keepends=True)
    return parts


def _site_links(text: str) -> str:
    """Links between pages ("4-3.md#anchor") as seen from a notebook page (../../4-3/)."""
    return re.sub(r"\]\((\d+-\d+)\.md(#[^)]*)?\)", lambda m: f"](../../{m.group(1)}/{m.group(2) or ''})",
                  text)


def _to_jupyter_math(text: str) -> str:
    r"""Jupyter's Markdown wants $...$ and $$...$$ where the site uses \(...\) and \[...\]."""
    text = re.sub(r"\\\[(.+?)\\\]", lambda m: "$$" + m.group(1) + "$$", text, flags=re.S)
    return re.sub(r"\\\((.+?)\\\)", lambda m: "$" + m.group(1).strip() + "$", text, flags=re.S)


def prose_chunks(markdown: str, lang: str = "zh") -> dict[str, str]:
    """The prose before each directive of the "代码与实验" section, keyed by cell name."""
    from tools.editions import text

    section = text(lang, "code_section")
    body = markdown.split(section, 1)[1] if section in markdown else ""
    body = re.split(r"^## ", body, maxsplit=1, flags=re.M)[0]
    chunks, current = {}, []
    for line in body.splitlines():
        m = DIRECTIVE.match(line)
        if m:
            name = "setup" if m.group(1) == "helpers" else m.group(2)
            chunks[name] = _site_links(_to_jupyter_math("\n".join(current).strip()))
            current = []
        else:
            current.append(line)
    chunks[TAIL] = _site_links(_to_jupyter_math("\n".join(current).strip()))
    return chunks


def make_notebook(run: PageRun, pid: str, title: str, markdown: str, lang: str = "zh") -> dict:
    """Notebook (nbformat 4.5) for one page of edition ``lang``, with the build's
    outputs filled in (``run`` is that edition's ``PageRun.edition``)."""
    from tools.editions import text

    chunks = prose_chunks(markdown, lang)
    chunks.pop("setup", None)   # page-specific advice about the collapsed block
    cells = [_markdown(f"{pid}-intro", (
        f"# {text(lang, 'notebook_title', title=title)}\n\n"
        + text(lang, "notebook_intro", page=run.page, title=title, pid=pid))),
        _code(f"{pid}-display", DISPLAY_SETUP, [])]
    for i, cell in enumerate(run.cells):
        if chunks.get(cell.name):
            cells.append(_markdown(f"{pid}-{i}-md", chunks[cell.name]))
        outputs = []
        if cell.stdout:
            outputs.append({"output_type": "stream", "name": "stdout",
                            "text": _lines(cell.stdout)})
        if cell.svg:  # the value of the cell's last expression, as Jupyter shows it
            outputs.append({"output_type": "execute_result", "metadata": {},
                            "execution_count": None,
                            "data": {"image/svg+xml": _lines(cell.svg),
                                     "text/plain": ["<Figure>"]}})
        cells.append(_code(f"{pid}-{i}", cell.code.rstrip("\n"), outputs))
    if chunks.get(TAIL):
        cells.append(_markdown(f"{pid}-tail", chunks[TAIL]))
    count = 0
    for cell in cells:
        if cell["cell_type"] == "code":
            count += 1
            cell["execution_count"] = count
            for out in cell["outputs"]:
                if out["output_type"] == "execute_result":
                    out["execution_count"] = count
    return {"cells": cells, "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}


def notebook_for_page(run: PageRun, pid: str, markdown: str, lang: str = "zh") -> dict:
    """The notebook of page ``pid`` of edition ``lang`` (``docs/N-M.md`` or
    ``docs/en/N-M.md`` is ``markdown``), titled as the page."""
    from tools.editions import front_matter, text

    title = str(front_matter(markdown).get("title") or text(lang, "exercise", pid=pid)).strip()
    return make_notebook(run, pid, title, markdown, lang)


def _markdown(cid: str, text: str) -> dict:
    return {"cell_type": "markdown", "id": cid, "metadata": {}, "source": _lines(text)}


def _code(cid: str, code: str, outputs: list) -> dict:
    return {"cell_type": "code", "id": cid, "metadata": {}, "execution_count": None,
            "outputs": outputs, "source": _lines(code)}


def write_notebook(nb: dict, path: Path) -> bool:
    """Write ``nb`` as stable JSON; return True when the file changed."""
    text = json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")   # concurrent builds never see half a file
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True


# ---- rendering notebook pages in the build's worker pool ----

# The options mkdocs-jupyter passes to ``convert.nb2html`` (its plugin.py, on_pre_page).
NB2HTML_OPTIONS = ("kernel_name", "theme", "allow_errors", "show_input", "no_input",
                   "no_prompt", "remove_tag_config", "highlight_extra_classes",
                   "include_requirejs", "custom_mathjax_url")


def prerender(pool, nb_path: Path, config, cache_dir: str | None = None):
    """Render one notebook page in ``pool`` into mkdocs-jupyter's own cache.

    mkdocs-jupyter renders notebooks one after another in the build's process
    (about a second each); rendered here, in the worker pool, it finds them in its
    cache and only reads them. The rendering is the plugin's own: the same
    ``convert.nb2html`` call with the same options, the same TOC and title, under
    the cache key the plugin computes. Returns the future, or ``None`` when the
    cache already has the page or the plugin's cache is off.
    ``cache_dir`` is the cache of the edition the notebook belongs to, when it is not
    the one ``config`` builds (the options are otherwise the same in both editions).
    """
    from mkdocs_jupyter import plugin as nbplugin

    options = config["plugins"]["mkdocs-jupyter"].config
    if not options["cache"] or options["execute_ignore"]:
        return None
    key = nbplugin._compute_cache_key(str(nb_path), options, options["execute"])
    cache_path = nbplugin._get_cache_path(cache_dir or options["cache_dir"], key)
    if cache_path.exists():
        return None
    kwargs = {name: options[name] for name in NB2HTML_OPTIONS}
    kwargs["execute"] = options["execute"]
    return pool.submit(_render_into_cache, str(nb_path), kwargs, options["toc_depth"],
                       str(Path(cache_path).resolve()))


def _render_into_cache(nb_path: str, kwargs: dict, toc_depth: int, cache_path: str) -> None:
    from mkdocs_jupyter import convert
    from mkdocs_jupyter import plugin as nbplugin

    body = convert.nb2html(nb_path, **kwargs)
    toc_tokens, title = nbplugin._get_nb_toc_tokens(nb_path, toc_depth)
    path = Path(cache_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"content": body, "toc_tokens": toc_tokens, "title": title}),
                   encoding="utf-8")
    tmp.replace(path)


# ---- the rendered notebook page (mkdocs-jupyter output), made light and offline ----

STYLE_BLOCK = re.compile(r'<style type="text/css">(.*?)</style>', re.S)
MATHJAX2 = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
MERMAID = re.compile(r'<script type="module">\s*document\.addEventListener\("DOMContentLoaded",'
                     r' async \(\) => \{\s*const diagrams = document\.querySelectorAll\('
                     r'"\.jp-Mermaid.*?</script>', re.S)
SVG_IMG = re.compile(r'<img alt="[^"]*" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


def slim_page(html: str, figures: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """Strip what a notebook page must not load and move its CSS out.

    Removes nbconvert's MathJax 2 loader (the site's own MathJax 3 typesets the
    page) and its Mermaid loader (both would fetch from a CDN), takes the inline
    ``<style>`` blocks out (returned, to be served once as a shared file), and
    replaces each inline base64 SVG figure by a link to the identical figure
    file of the exercise page, with that figure's alt text. ``figures`` maps SVG
    text to ``(url, alt)``.
    """
    import base64

    html, n_mathjax = MATHJAX2.subn("", html)
    html, n_mermaid = MERMAID.subn("", html)
    if n_mathjax != 1 or n_mermaid != 1:
        raise ValueError("unexpected notebook HTML: the MathJax 2 / Mermaid loaders "
                         f"were found {n_mathjax} / {n_mermaid} times (expected once each)")
    css = "\n".join(STYLE_BLOCK.findall(html))
    html = STYLE_BLOCK.sub("", html)
    html = MARKDOWN_CELL.sub(lambda m: m.group(1) + arithmatex_spans(m.group(2)) + m.group(3), html)

    def link(match: re.Match) -> str:
        svg = base64.b64decode(match.group(1)).decode("utf-8")
        if svg not in figures:
            raise ValueError("a notebook figure differs from every figure of its page")
        url, alt = figures[svg]
        return f'<img alt="{alt}" loading="lazy" src="{url}"'

    return SVG_IMG.sub(link, html), css


MARKDOWN_CELL = re.compile(r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>)'
                           r"(.*?)(</div>)", re.S)


def arithmatex_spans(html: str) -> str:
    r"""Mark up the $...$ and $$...$$ of a rendered Markdown cell as pymdownx.arithmatex
    does (``<span class="arithmatex">\(...\)</span>``), so the site's MathJax, which
    only looks inside such spans, typesets notebook pages like every other page.

    Examples
    --------
    >>> arithmatex_spans("<p>损失 $\\ln 2$ 与 $$a+b$$</p>")
    '<p>损失 <span class="arithmatex">\\(\\ln 2\\)</span> 与 <span class="arithmatex">\\[a+b\\]</span></p>'
    """
    html = re.sub(r"\$\$(.+?)\$\$", lambda m: f'<span class="arithmatex">\\[{m.group(1)}\\]</span>',
                  html, flags=re.S)
    return re.sub(r"(?<![\\$])\$([^$\n]+?)\$",
                  lambda m: f'<span class="arithmatex">\\({m.group(1)}\\)</span>', html)


def used_classes(html: str) -> set[str]:
    """Every class name that appears in ``class="..."`` attributes."""
    return {c for attr in re.findall(r'class="([^"]*)"', html) for c in attr.split()}


def prune_css(css: str, used: set[str]) -> str:
    """Keep only the CSS rules whose selectors can match an element of the pages.

    A selector is kept when every class it names (outside ``:not(...)``) is in
    ``used``; @media blocks are pruned recursively; other at-rules are kept.
    """
    import tinycss2

    def keep_selector(selector: str) -> bool:
        positive = re.sub(r":not\([^)]*\)", "", selector)
        return set(re.findall(r"\.([A-Za-z_][\w-]*)", positive)) <= used

    def walk(rules) -> str:
        out = []
        for rule in rules:
            if rule.type == "qualified-rule":
                prelude = tinycss2.serialize(rule.prelude).strip()
                parts = [prelude] if "(" in prelude else prelude.split(",")
                kept = [p.strip() for p in parts if keep_selector(p)]
                if kept:
                    out.append(",".join(kept) + "{" + tinycss2.serialize(rule.content).strip() + "}")
            elif rule.type == "at-rule":
                head = "@" + rule.at_keyword + tinycss2.serialize(rule.prelude)
                if rule.content is None:
                    out.append(head + ";")
                elif rule.lower_at_keyword in ("media", "supports"):
                    inner = walk(tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                          skip_whitespace=True))
                    if inner:
                        out.append(head + "{" + inner + "}")
                else:
                    out.append(head + "{" + tinycss2.serialize(rule.content) + "}")
        return "\n".join(out)

    return walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)) + "\n"
