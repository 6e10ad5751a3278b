"""The strict site build, and what it puts on the pages: every cell and figure in
place, no third-party URL, internal links and anchors that resolve (in the default
build and in the Pages build under a sub-path), figure text drawn from real
glyphs. (Two clean builds are compared byte for byte in CI, outside the test
command: ``python -m tools.crosscheck --builds``, see README "Machine independence".)"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import browser_support as bs
from tools import editions, mkdocs_hooks, pagerun

ROOT = Path(__file__).resolve().parent.parent


def exercise_pages():
    """Every exercise page of both editions: ``4-1``, ..., ``en/4-1``, ..."""
    return [editions.PREFIX[lang] + mkdocs_hooks.page_id(p)
            for lang in pagerun.EDITIONS for p in pagerun.page_names()]


def page_run(page):
    """The run a page of either edition shows (``en/4-3`` -> 4-3's run, English edition)."""
    lang, pid = bs.page_edition(page)
    return pagerun.run_page("ex" + pid.replace("-", "_")).edition(lang)


def soup(site, page):
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


def _lines(items):
    return "\n  " + "\n  ".join(str(i) for i in items)


@pytest.mark.parametrize("page", exercise_pages())
def test_every_cell_is_on_its_page(site, page):
    run = page_run(page)
    html = soup(site, page)
    codes = [pre.get_text() for pre in html.select("div.language-python pre")]
    for pre in html.select("pre"):
        pre.decompose()
    assert not re.search(r"\[\[(helpers|run)\b", html.get_text()), "unexpanded directive"
    assert codes[0].strip() == run.helpers.strip()
    assert [c.strip() for c in codes[1:]] == [c.code.strip() for c in run.cells[1:]]


@pytest.mark.parametrize("page", exercise_pages())
def test_outputs_are_not_copyable_and_code_is_prompt_free(site, page):
    html = soup(site, page)
    for block in html.select("div.highlight"):
        classes = block.get("class", [])
        if "nndl-output" in classes:
            assert "no-copy" in classes
        else:
            assert ">>>" not in block.get_text()


@pytest.mark.parametrize("page", exercise_pages())
def test_figures_exist_with_alt_text(site, page):
    html = soup(site, page)
    imgs = html.select("figure.nndl-figure img")
    run = page_run(page)
    assert len(imgs) == sum(bool(c.svg) for c in run.cells)
    for img in imgs:
        assert img["alt"].strip()
        assert (site / page / img["src"]).resolve().is_file()


def test_no_third_party_urls_are_loaded(site):
    """Nothing a page loads (scripts, styles, images, frames, icons...) comes from
    another host; links a reader may follow are not loads."""
    loaded_by = {"script", "img", "source", "iframe", "embed", "object"}
    link_loads = {"stylesheet", "preload", "modulepreload", "prefetch", "icon", "manifest"}
    remote = []
    for html_file, scan in bs.scan_site(site).items():
        for tag, _, url, rel in scan.urls:
            loads = tag in loaded_by or (tag == "link" and link_loads & set(rel.split()))
            if loads and re.match(r"^\s*(https?:)?//", url):
                remote.append(f"{html_file.relative_to(site)}: <{tag}> {url}")
    assert not remote, _lines(remote)


@pytest.mark.parametrize("lang", pagerun.EDITIONS)
def test_maths_is_served_locally(site, lang):
    root = site / editions.PREFIX[lang]
    assert (root / "assets" / "mathjax" / "tex-chtml.js").is_file()
    assert list((root / "assets" / "mathjax" / "output" / "chtml" / "fonts").rglob("*.woff"))


def test_a_misplaced_cell_fails_the_build():
    run = pagerun.prepare("ex4_2")
    with pytest.raises(pagerun.PageError, match="in order"):
        mkdocs_hooks.expand("[[helpers]]\n[[run training]]\n", run, "4-2")


def test_a_figure_needs_alt_text():
    run = pagerun.run_page("ex4_2")
    names = [c.name for c in run.cells[1:]]
    text = "[[helpers]]\n" + "\n".join(f"[[run {n}]]" for n in names)
    with pytest.raises(pagerun.PageError, match="alt text"):
        mkdocs_hooks.expand(text, run, "4-2")


def test_a_missing_include_fails_the_build(tmp_path):
    cfg = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    (docs / "broken.md").write_text('# t\n\n--8<-- "no/such/file.md"\n', encoding="utf-8")
    for rel in ("docs", "tools/mkdocs_hooks.py", "overrides", "snippets", "tools"):
        cfg = cfg.replace(f": {rel}\n", f": {ROOT / rel}\n").replace(f"- {rel}\n", f"- {ROOT / rel}\n")
    cfg = cfg.replace(f"docs_dir: {ROOT / 'docs'}", f"docs_dir: {docs}")
    (tmp_path / "mkdocs.yml").write_text(cfg, encoding="utf-8")
    # In this process, in page order: the build stops at broken.md, before any
    # notebook page would be rendered (into this directory's own mkdocs-jupyter cache).
    env = {**os.environ, "NNDL_BUILD_JOBS": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
                           str(tmp_path / "mkdocs.yml"), "-d", str(tmp_path / "out")],
                          cwd=tmp_path, capture_output=True, text=True, env=env)
    assert proc.returncode != 0
    assert "could not be found" in proc.stderr


# --------------------------------------------- checks of the built files ----

@pytest.mark.parametrize("build", ["default build", "site_url build"])
def test_internal_links_and_anchors_resolve(request, build):
    if build == "default build":
        site, base = request.getfixturevalue("site"), "/"
    else:
        site, base = request.getfixturevalue("served_site")[0], bs.SUBPATH
    problems = bs.link_problems(site, base)
    assert not problems, f"{len(problems)} broken links:" + _lines(problems[:50])


def test_figure_text_has_no_missing_glyphs(site):
    refs = bs.referenced_svgs(site)
    missing = [f"{p.relative_to(site)} (on {pages})" for p, pages in refs.items()
               if not p.is_file()]
    assert not missing, "figures referenced but not built:" + _lines(missing)
    if exercise_pages():
        assert refs, "no figures found on the pages"
    fonts = bs._font_index()
    problems = [f"{p.relative_to(site)}: {msg}" for p in sorted(refs)
                for msg in bs.svg_glyph_problems(p, fonts)]
    assert not problems, _lines(problems)


def test_the_glyph_check_catches_missing_glyphs(tmp_path):
    """The check above is real: a .notdef glyph, a glyph of a font this machine
    does not have, a <text> character its font lacks, or no text at all, is reported."""
    svg = tmp_path / "bad.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<g><use xlink:href="#DejaVuSans-0"/><use xlink:href="#DejaVuSans-45"/></g>'
        '<use xlink:href="#NoSuchFont-Regular-2d"/>'
        '<text style="font-family: DejaVu Sans">x\u4e2d</text></svg>', encoding="utf-8")
    problems = bs.svg_glyph_problems(svg)
    assert len(problems) == 3, problems
    assert any(".notdef" in p and "DejaVuSans-0" in p for p in problems), problems
    assert any("NoSuchFont-Regular" in p for p in problems), problems
    assert any("<text>" in p for p in problems), problems
    empty = tmp_path / "empty.svg"
    empty.write_text('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0L1 1"/></svg>',
                     encoding="utf-8")
    assert bs.svg_glyph_problems(empty) == ["no text at all (a figure has tick labels at least)"]


def test_page_sources_hold_no_control_characters():
    """A TeX command written through a non-raw Python string (\\b, \\t, \\f...) turns into
    a control character that MathJax then fails on; catch it in the source."""
    bad = []
    for md in sorted((ROOT / "docs").rglob("*.md")):
        for n, line in enumerate(md.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"[\x00-\x08\x0b-\x1f\x7f]|\t", line):
                bad.append(f"{md.relative_to(ROOT)}:{n}: {line[:60]!r}")
    assert not bad, _lines(bad)


def test_headings_hold_no_maths():
    """The table of contents shows a heading as plain text, so maths in a heading would
    appear there as raw TeX: write such headings in plain text (Unicode symbols)."""
    bad = [f"{md.relative_to(ROOT)}:{n}: {line}"
           for md in sorted((ROOT / "docs").rglob("*.md"))
           for n, line in enumerate(md.read_text(encoding="utf-8").splitlines(), 1)
           if line.startswith("#") and re.search(r"\\\(|\\\[|\$", line)]
    assert not bad, _lines(bad)
