"""The strict site build, and what it puts on the pages."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tools import mkdocs_hooks, pagerun

ROOT = Path(__file__).resolve().parent.parent


def exercise_pages():
    return [mkdocs_hooks.page_id(p) for p in pagerun.page_names()]


def soup(site, page):
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("page", exercise_pages())
def test_every_cell_is_on_its_page(site, page):
    run = pagerun.run_page("ex" + page.replace("-", "_"))
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
    run = pagerun.run_page("ex" + page.replace("-", "_"))
    assert len(imgs) == sum(bool(c.svg) for c in run.cells)
    for img in imgs:
        assert img["alt"].strip()
        assert (site / page / img["src"]).resolve().is_file()


def test_no_third_party_urls_are_loaded(site):
    for html_file in site.rglob("*.html"):
        html = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
            for el in html.find_all(tag):
                url = el.get(attr) or ""
                if tag == "link" and "stylesheet" not in (el.get("rel") or []):
                    continue
                assert not re.match(r"^(https?:)?//", url), f"{html_file}: {url}"


def test_maths_is_served_locally(site):
    assert (site / "assets" / "mathjax" / "tex-chtml.js").is_file()
    assert list((site / "assets" / "mathjax" / "output" / "chtml" / "fonts").rglob("*.woff"))


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
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
                           str(tmp_path / "mkdocs.yml"), "-d", str(tmp_path / "out")],
                          cwd=tmp_path, capture_output=True, text=True)  # own mkdocs-jupyter cache
    assert proc.returncode != 0
    assert "could not be found" in proc.stderr
