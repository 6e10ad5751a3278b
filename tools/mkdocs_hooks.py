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

import hashlib
import json
import logging
import os
import re
import sys
import textwrap
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools import editions, notebooks, pagerun, search  # noqa: E402

log = logging.getLogger("mkdocs.hooks.pages")
DIRECTIVE = pagerun.DIRECTIVE
MATHJAX_PARTS = ("tex-chtml.js", "output/chtml", "input/tex/extensions", "ui", "a11y", "sre")
RUNS: dict[str, pagerun.PageRun] = {}
HELPERS_HTML: dict[str, str] = {}                     # page id -> highlighted helper code
HIGHLIGHT_CONFIG = {"pygments_lang_class": True}      # as pymdownx.highlight in mkdocs.yml
FIGURES: dict[str, dict[str, tuple[str, str]]] = {}   # page id -> svg text -> (url, alt)
NOTEBOOK_CSS: dict[str, str] = {}                     # css text -> first page that used it
NOTEBOOK_CLASSES: set[str] = set()
NOTEBOOK_CSS_URI = "assets/notebook.css"
# src_dir of each edition's generated notebooks (notebooks/N-M.ipynb below it)
NOTEBOOK_DIRS = {lang: ROOT / ".cache" / "notebooks" / lang for lang in pagerun.EDITIONS}
EDITION = {"lang": "zh"}    # the edition being built (set in on_config)
HANDED: dict = {}           # edition -> the page runs the Chinese build made for it
# mkdocs-jupyter's cache of each edition (its cache_dir in mkdocs.yml, mkdocs.en.yml)
NOTEBOOK_CACHE = {"zh": ".cache/mkdocs-jupyter", "en": ".cache/mkdocs-jupyter-en"}


def page_id(script: str) -> str:
    """``ex4_2`` -> ``4-2`` (the Markdown file and URL of the page)."""
    return script[2:].replace("_", "-")


def on_config(config):
    # MkDocs restores sys.path after loading this file; the build needs the repo on it.
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    try:
        lang = EDITION["lang"] = editions.edition(config)
    except ValueError as err:
        raise PluginError(str(err)) from err
    if lang == "zh":
        HANDED.clear()       # never the runs of an earlier build (mkdocs serve)
    prefix = editions.PREFIX[lang]
    if prefix and config["site_url"] and not config["site_url"].endswith("/" + prefix):
        config["site_url"] = config["site_url"].rstrip("/") + "/" + prefix
    # the build's own text, for the templates too (overrides/: config.extra.nndl)
    config["extra"]["nndl"] = dict(editions.STRINGS[lang], lang=lang)
    # Material's language switch (overrides/partials/alternate.html adds the page)
    config["extra"]["alternate"] = editions.alternates(lang)
    _memoise_jieba()
    return config


# One cache per user dictionary (tools/search_terms.txt): a cut made with other words
# in jieba's dictionary is never reused.
JIEBA_CACHE = ROOT / ".cache" / f"jieba-cuts-{search.dictionary_key()}.json"
JIEBA_MEMO: dict[str, list[str]] = {}


def _memoise_jieba():
    """Remember how jieba segmented each run of Chinese text, across builds.

    Material's search plugin calls ``jieba.cut`` for every run of Han characters
    on every build, and the first call loads jieba's model (about a second).
    With the segmentations kept on disk, an unchanged rebuild never loads the
    model; the index it builds is identical.
    """
    try:
        import jieba
    except ImportError:
        return
    if getattr(jieba.cut, "memoised", False):
        return
    if JIEBA_CACHE.is_file():
        JIEBA_MEMO.update(json.loads(JIEBA_CACHE.read_text(encoding="utf-8")))
    original = jieba.cut

    def cut(sentence, *args, **kwargs):
        key = sentence.decode("utf-8") if isinstance(sentence, bytes) else sentence
        if args or kwargs or key not in JIEBA_MEMO:
            search.load_user_dict(jieba)   # the chapter's terms, before the first cut
            words = list(original(sentence, *args, **kwargs))
            if args or kwargs:
                return iter(words)
            JIEBA_MEMO[key] = words
        return iter(JIEBA_MEMO[key])

    cut.memoised = True
    jieba.cut = cut


def _save_jieba_memo():
    if JIEBA_MEMO:
        JIEBA_CACHE.parent.mkdir(parents=True, exist_ok=True)
        tmp = JIEBA_CACHE.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(JIEBA_MEMO, ensure_ascii=False, sort_keys=True),
                       encoding="utf-8")
        tmp.replace(JIEBA_CACHE)


@event_priority(100)  # before mkdocs-jupyter, which turns .ipynb files into pages
def on_files(files, config):
    """Run the pages (cached ones are loaded), write their notebooks, add both to the site.

    With more than one core the uncached pages run in a pool of fresh interpreters
    (``pagerun.worker_pool``; only when two pages or more are to run), and so do the
    mkdocs-jupyter renderings of their notebooks, each submitted as soon as its
    page is done. Everything is added to
    the site in page order afterwards, so the result is byte-identical to a serial
    build (``NNDL_BUILD_JOBS=1``; ``tools.crosscheck --builds`` compares the two).
    """
    start = time.perf_counter()
    RUNS.clear()
    FIGURES.clear()
    HELPERS_HTML.clear()
    SEARCH_KEYWORDS.clear()
    NOTEBOOK_CSS.clear()
    NOTEBOOK_CLASSES.clear()
    lang = EDITION["lang"]
    names = pagerun.page_names()
    # The Chinese build makes the English edition's notebooks too (the English build
    # follows it, in on_post_build); the English one, built alone, makes its own.
    langs = pagerun.EDITIONS if lang == "zh" else (lang,)
    renders: dict[tuple[str, str], object] = {}
    failures: dict[str, BaseException] = {}
    try:
        editions.check_counterparts()
        sources = {(pid, e): _page_source(e, s) for s in names for e in langs
                   for pid in [page_id(s)]}
        # the English build right after the Chinese one takes its runs as they are
        handed = HANDED.pop(lang, None)
        runs, todo = (handed, []) if handed is not None else pagerun.load_cached(names)
        # a pool only when two pages or more are to run (one runs faster right here)
        jobs = min(pagerun.build_jobs(), len(todo))
    except (pagerun.PageError, ValueError, OSError) as err:
        raise PluginError(str(err)) from err
    with pagerun.worker_pool(jobs) as pool:
        pending = pagerun.submit(todo, pool)
        # each page as it finishes: stored in the page cache, its notebook written here
        # and rendered there; a failing page does not stop the others (their results
        # are kept), and the first failure in page order is reported
        for script in [n for n in names if n in runs] + list(_as_finished(pending)):
            try:
                if script in pending:
                    runs[script] = pagerun.finish_page(pending[script])
                pid = page_id(script)
                for e in langs:
                    nb_path = _write_notebook(runs[script].edition(e), pid,
                                              sources[pid, e], e)
                    if pool is not None:
                        renders[script, e] = notebooks.prerender(
                            pool, nb_path, config, None if e == lang else
                            str(ROOT / NOTEBOOK_CACHE[e]))
            except Exception as err:  # noqa: BLE001  (reported below, by page)
                failures[script] = err
        for (script, e), job in renders.items():
            try:
                if job is not None:
                    job.result()
            except Exception as err:  # noqa: BLE001
                failures.setdefault(script, RuntimeError(
                    f"rendering its {editions.NAMES[e]} notebook: "
                    f"{type(err).__name__}: {err}"))
    for script in names:
        if script in failures:
            err = failures[script]
            message = str(err) if isinstance(err, pagerun.PageError) else \
                f"snippets/pages/{script}.py: {type(err).__name__}: {err}"
            raise PluginError(message) from err
    for script in names:
        pid = page_id(script)
        run = RUNS[pid] = runs[script].edition(lang)
        for cell in run.cells:
            if cell.svg:
                uri = f"figures/{pid}/{cell.name}.svg"
                files.append(File.generated(config, uri, content=cell.svg.encode()))
        files.append(File(f"notebooks/{pid}.ipynb", src_dir=str(NOTEBOOK_DIRS[lang]),
                          dest_dir=config["site_dir"],
                          use_directory_urls=config["use_directory_urls"]))
    if lang == "zh":
        HANDED["en"] = runs
    else:
        _add_shared_assets(files, config)
    _add_mathjax(files, config)
    if handed is not None:
        log.info(f"took the {len(RUNS)} page runs of the Chinese build")
        return files
    cached = sum(r.cached for r in RUNS.values())
    rendered = sum(job is not None for job in renders.values())
    log.info(f"ran {len(RUNS) - cached} page(s), {cached} from cache, and pre-rendered "
             f"{rendered} notebook(s), in {time.perf_counter() - start:.2f} s "
             f"({'a pool of ' + str(jobs) + ' processes' if jobs > 1 else 'no pool'})")
    return files


def _as_finished(pending: dict):
    """Page names of ``pending`` as their runs finish (futures), then the runs to do in
    this process, in the order given (a generator: each is handled as it comes)."""
    import concurrent.futures

    futures = {f: name for name, f in pending.items() if isinstance(f, concurrent.futures.Future)}
    for future in concurrent.futures.as_completed(futures):
        yield futures[future]
    yield from (name for name in pending if name not in futures.values())


def _page_source(lang: str, script: str) -> str:
    path = editions.page_file(lang, page_id(script))
    if not path.is_file():
        raise PluginError(f"snippets/pages/{script}.py has no page "
                          f"{path.relative_to(ROOT)}")
    return path.read_text(encoding="utf-8")


def _write_notebook(run, pid: str, markdown: str, lang: str) -> Path:
    if lang == EDITION["lang"]:
        alts = {m.group(2): m.group(3) for m in map(DIRECTIVE.match, markdown.splitlines())
                if m and m.group(3)}
        FIGURES[pid] = {c.svg: (f"../../figures/{pid}/{c.name}.svg", alts.get(c.name, ""))
                        for c in run.cells if c.svg}
    path = NOTEBOOK_DIRS[lang] / f"notebooks/{pid}.ipynb"
    notebooks.write_notebook(notebooks.notebook_for_page(run, pid, markdown, lang), path)
    return path


def _add_shared_assets(files, config):
    """The files of ``docs/`` that are not pages (stylesheets, scripts), for an edition
    whose ``docs_dir`` is a subfolder of it: each edition is a complete site."""
    docs = editions.DOCS["zh"]
    for path in sorted(p for p in docs.rglob("*") if p.is_file()):
        rel = path.relative_to(docs).as_posix()
        if rel.startswith("en/") or path.suffix == ".md" or files.get_file_from_path(rel):
            continue
        files.append(File(rel, src_dir=str(docs), dest_dir=config["site_dir"],
                          use_directory_urls=config["use_directory_urls"]))


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


SEARCH_KEYWORDS: dict[str, list[str]] = {}   # page URL -> its front matter's keywords:


@event_priority(100)  # before the search plugin indexes the page
def on_page_context(context, page, config, nav):
    if page.file.src_uri.startswith("notebooks/"):
        # A notebook repeats its exercise page's code and prose: index the page only.
        page.meta.setdefault("search", {})["exclude"] = True
        _align_toc(page)
    else:
        try:
            SEARCH_KEYWORDS[page.url] = search.page_keywords(page.meta, page.file.src_uri)
        except ValueError as err:
            raise PluginError(str(err)) from err
    return context


def _align_toc(page):
    """Give a notebook page's headings readable ids and point its TOC at them.

    nbconvert leaves Chinese headings with empty ids and mkdocs-jupyter's TOC
    uses other slugs (``_1``, ``_2``); both list the headings in the same order,
    so pair them by position and give each the slug the site uses elsewhere.
    """
    from pymdownx.slugs import slugify

    slug = slugify(case="lower")
    items, todo = [], list(page.toc)
    while todo:
        item = todo.pop(0)
        items.append(item)
        todo[0:0] = list(item.children)
    heading = re.compile(r'<h([1-6]) id="[^"]*">(.*?)</h\1>', re.S)
    found = heading.findall(page.content)
    if len(items) != len(found):
        raise PluginError(f"{page.file.src_uri}: {len(items)} TOC entries but "
                          f"{len(found)} headings")
    used: set[str] = set()
    for item in items:
        anchor = base = slug(item.title, "-") or "section"
        n = 1
        while anchor in used:
            n += 1
            anchor = f"{base}_{n}"
        used.add(anchor)
        item.id = anchor
    ids = iter(item.id for item in items)

    def relabel(m):
        anchor = next(ids)
        inner = re.sub(r'class="anchor-link" href="#[^"]*"',
                       f'class="anchor-link" href="#{anchor}"', m.group(2))
        return f'<h{m.group(1)} id="{anchor}">{inner}</h{m.group(1)}>'

    page.content = heading.sub(relabel, page.content)


def on_nav(nav, config, files):
    for item in nav.items:
        if item.is_section and item.title.lower() == "notebooks":
            item.title = editions.text(EDITION["lang"], "notebooks_section")
    return nav


def on_page_markdown(markdown, page, config, files):
    uri = page.file.src_uri
    if uri == "index.md":
        return markdown.replace("[[exercises]]", exercise_table(files, EDITION["lang"]))
    pid = uri[:-3] if uri.endswith(".md") else None
    run = RUNS.get(pid)
    has_directives = any(DIRECTIVE.match(line) for line in markdown.splitlines())
    if run is None:
        if has_directives:
            raise PluginError(f"{uri}: directives but no matching snippets/pages/ script")
        return markdown
    try:
        return expand(markdown, run, pid)
    except pagerun.PageError as err:
        raise PluginError(f"{page.file.src_uri}: {err}") from err


def exercise_table(files, lang: str = "zh") -> str:
    """Markdown table of the exercise pages that exist, from their front matter."""
    rows = [editions.text(lang, "table_header"), "|---|---|---|"]
    for f in sorted(files.documentation_pages(), key=lambda f: f.src_uri):
        if not re.fullmatch(r"\d+-\d+\.md", f.src_uri):
            continue
        try:
            meta = editions.front_matter(Path(f.abs_src_path).read_text(encoding="utf-8"))
        except ValueError as err:
            raise PluginError(f"{f.src_uri}: {err}") from err
        title, desc = meta.get("title"), meta.get("description")
        if not (isinstance(title, str) and isinstance(desc, str)):
            raise PluginError(f"{f.src_uri}: front matter needs title and description")
        pid = f.src_uri[:-3]
        name = title.split(editions.text(lang, "title_sep"), 1)[-1]
        rows.append(editions.text(lang, "table_row", pid=pid, name=name.strip(),
                                  description=desc.strip()))
    return "\n".join(rows)


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
            out.append(notebook_note(pid, EDITION["lang"]))
            out.append(helpers_block(run, pid, EDITION["lang"]))
        else:
            if name is None:
                raise pagerun.PageError("[[run]] needs a cell name")
            placed.append(name)
            out.append(cell_block(run.cell(name), pid, alt, EDITION["lang"]))
    expected = [c.name for c in run.cells]
    if placed != expected:
        raise pagerun.PageError(f"the page must place [[helpers]] and then every cell once, "
                                f"in order: expected {expected}, found {placed}")
    return "\n".join(out) + "\n"


def _fence(code: str, attrs: str, indent: str = "") -> str:
    ticks = "````" if "```" in code else "```"
    body = textwrap.indent(code.rstrip("\n"), indent, lambda _: True)
    return f"{indent}{ticks} {attrs}\n{body}\n{indent}{ticks}"


def notebook_note(pid: str, lang: str = "zh") -> str:
    return editions.text(lang, "notebook_note", pid=pid)


def helpers_block(run: pagerun.PageRun, pid: str, lang: str = "zh") -> str:
    """A collapsed block for the helper code.

    The code (hundreds of lines) is highlighted once per content and cached, and
    goes into the page only after the search plugin has indexed it
    (``on_post_page``): readers search the prose, not the helper code, and an
    unchanged rebuild neither re-highlights nor re-parses it.
    """
    n_lines = run.helpers.count("\n")
    title = editions.text(lang, "helpers_title", n=n_lines)
    HELPERS_HTML[pid] = _highlighted(run.helpers)
    return f'??? abstract "{title}"\n\n    <div class="nndl-helpers" data-page="{pid}"></div>\n'


def _highlighted(code: str) -> str:
    """The HTML pymdownx makes of a ```python fence, cached on disk by content."""
    import markdown

    key = hashlib.sha256((code + str(HIGHLIGHT_CONFIG)).encode()).hexdigest()[:20]
    path = ROOT / ".cache" / "highlight" / f"{key}.html"
    if not path.is_file():
        md = markdown.Markdown(extensions=["pymdownx.highlight", "pymdownx.superfences"],
                               extension_configs={"pymdownx.highlight": HIGHLIGHT_CONFIG})
        html = md.convert(_fence(code, "{ .python }"))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(path)
    return path.read_text(encoding="utf-8")


def cell_block(cell: pagerun.Cell, pid: str, alt: str | None, lang: str = "zh") -> str:
    parts = [_fence(cell.code, "{ .python }")]
    if cell.stdout:
        title = editions.text(lang, "output")
        parts.append(_fence(cell.stdout, f'{{ .text .no-copy .nndl-output title="{title}" }}'))
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


ALTERNATE_LINK = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="(zh|en)">')


def alternate_links(output: str, page_url: str, site_url: str, lang: str) -> str:
    """Material's ``<link rel="alternate" hreflang>`` (one per edition, pointing at the
    edition's home page) made to point at this page in each edition, as absolute URLs,
    plus ``x-default`` (the Chinese page)."""
    root = site_url[:len(site_url) - len(editions.PREFIX[lang])] if \
        editions.PREFIX[lang] and site_url.endswith(editions.PREFIX[lang]) else site_url
    root = root.rstrip("/") + "/"
    found = ALTERNATE_LINK.findall(output)
    if sorted(found) != sorted(pagerun.EDITIONS):
        raise PluginError(f"{page_url or 'index'}: expected one hreflang link per edition "
                          f"{pagerun.EDITIONS}, found {found}")
    links = [f'<link rel="alternate" href="{root}{editions.PREFIX[e]}{page_url}" hreflang="{e}">'
             for e in pagerun.EDITIONS]
    links.append(f'<link rel="alternate" href="{root}{page_url}" hreflang="x-default">')
    first = ALTERNATE_LINK.search(output)
    output = ALTERNATE_LINK.sub("", output)
    return output[:first.start()] + "\n".join(links) + output[first.start():]


def on_post_page(output, page, config):
    uri = page.file.src_uri
    output = alternate_links(output, page.url, config["site_url"] or "", EDITION["lang"])
    for pid, html in HELPERS_HTML.items():
        marker = f'<div class="nndl-helpers" data-page="{pid}"></div>'
        output = output.replace(f"<p>{marker}</p>", html).replace(marker, html)
    if not (uri.startswith("notebooks/") and uri.endswith(".ipynb")):
        return output
    pid = uri[len("notebooks/"):-len(".ipynb")]
    try:
        html, css = notebooks.slim_page(output, FIGURES.get(pid, {}))
    except ValueError as err:
        raise PluginError(f"{uri}: {err}") from err
    NOTEBOOK_CSS.setdefault(css, uri)
    if len(NOTEBOOK_CSS) > 1:
        raise PluginError(f"{uri}: notebook pages differ in their inline CSS")
    NOTEBOOK_CLASSES.update(notebooks.used_classes(html))
    link = f'<link rel="stylesheet" href="../../{NOTEBOOK_CSS_URI}">'
    return html.replace("</head>", link + "\n</head>", 1)


@event_priority(-50)  # after the search plugin has written its index
def on_post_build(config):
    _patch_material_bundle(config)
    _rewrite_search_index(config)
    _save_jieba_memo()
    _write_notebook_css(config)
    if EDITION["lang"] == "zh" and os.environ.get("NNDL_EDITIONS", "zh,en") != "zh":
        _build_english(config)


def _build_english(config):
    """Build the English edition (``mkdocs.en.yml``) into ``<site_dir>/en``, in this
    process, right after the Chinese one: its pages are in the page cache and its
    notebooks rendered by now, so it only renders Markdown. ``mkdocs build`` and
    ``mkdocs serve`` thus always make both editions."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    start = time.perf_counter()
    site = Path(config["site_dir"]) / "en"
    en = load_config(str(ROOT / "mkdocs.en.yml"), site_dir=str(site),
                     site_url=config["site_url"].rstrip("/") + "/en/" if config["site_url"]
                     else None, strict=config["strict"])
    # MkDocs' serve hands the live-reload URL to build() only; the English pages are
    # served from the same server, below /en/.
    try:
        build(en, dirty=False)
    finally:
        EDITION["lang"] = "zh"
    log.info(f"built the English edition into {site} in {time.perf_counter() - start:.2f} s")


def _patch_material_bundle(config):
    """Material's main script without its sitemap fetch per alternate link
    (``editions.patch_bundle``)."""
    scripts = sorted((Path(config["site_dir"]) / "assets" / "javascripts").glob("bundle.*.min.js"))
    try:
        if len(scripts) != 1:
            raise ValueError(f"expected one Material bundle, found {[s.name for s in scripts]}")
        text = editions.patch_bundle(scripts[0].read_text(encoding="utf-8"))
    except ValueError as err:
        raise PluginError(str(err)) from err
    scripts[0].write_text(text, encoding="utf-8")


def _write_notebook_css(config):
    if NOTEBOOK_CSS:
        source = next(iter(NOTEBOOK_CSS))
        key = hashlib.sha256((source + "\n".join(sorted(NOTEBOOK_CLASSES))).encode()).hexdigest()
        cached = ROOT / ".cache" / f"notebook-{key[:16]}.css"
        if not cached.is_file():  # pruning takes about a second: do it once per input
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(notebooks.prune_css(source, NOTEBOOK_CLASSES), encoding="utf-8")
        css = cached.read_text(encoding="utf-8")
        path = Path(config["site_dir"]) / NOTEBOOK_CSS_URI
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(css, encoding="utf-8")


def _rewrite_search_index(config):
    """The search index with each page's keywords: and no zero-width spaces, and
    Material's search worker with a query segmenter that keeps whole words (see
    tools/search.py)."""
    site = Path(config["site_dir"])
    index = site / "search" / "search_index.json"
    if not index.is_file():
        return
    import jieba

    workers = sorted((site / "assets" / "javascripts" / "workers").glob("search.*.js"))
    try:
        text = search.rewrite_index(index.read_text(encoding="utf-8"), SEARCH_KEYWORDS,
                                    jieba.cut)
        if len(workers) != 1:
            raise ValueError(f"expected one search worker, found {[w.name for w in workers]}")
        worker = search.patch_worker(workers[0].read_text(encoding="utf-8"))
    except ValueError as err:
        raise PluginError(str(err)) from err
    index.write_text(text, encoding="utf-8")
    workers[0].write_text(worker, encoding="utf-8")
