"""The two editions (tools/editions.py): the same pages at the same paths, each page
naming its language and its counterpart, English pages and figures without Chinese
(but for the quoted exercise statement and the book's title), each edition's search
index holding its own pages only, and the rule that no page exists in one language
only. (Every other check of the site -- cells on the page, notebooks in a fresh
kernel, links, browser, search queries -- is parametrized over both editions.)"""

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import browser_support as bs
from tools import editions, mkdocs_hooks, pagerun

ROOT = Path(__file__).resolve().parent.parent
CJK = pagerun.CJK
# Chinese an English page may show besides the quoted exercise statement: the book's
# title and its chapter's (named once, next to their English names) and the name of
# the Chinese edition in the language switch.
ALLOWED_CHINESE = ("《神经网络与深度学习》", "前馈神经网络", editions.NAMES["zh"])


def html_pages(site):
    return sorted(p for p in site.rglob("*.html") if p.name == "index.html")


def test_every_page_exists_in_both_editions_with_the_same_cells():
    editions.check_counterparts()
    assert editions.markdown_pages("zh") == editions.markdown_pages("en")
    assert len(editions.markdown_pages("en")) == len(pagerun.page_names()) + 1   # + home


def _docs_copy(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    return {"zh": docs, "en": docs / "en"}


def test_a_page_in_one_language_only_fails(tmp_path, monkeypatch):
    docs = _docs_copy(tmp_path)
    monkeypatch.setattr(editions, "DOCS", docs)
    (docs["en"] / "4-5.md").unlink()
    with pytest.raises(ValueError, match=r"docs/en/4-5.md missing|4-5.md missing"):
        editions.check_counterparts()


def test_counterparts_placing_other_cells_fail(tmp_path, monkeypatch):
    docs = _docs_copy(tmp_path)
    monkeypatch.setattr(editions, "DOCS", docs)
    page = docs["en"] / "4-2.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    runs = [i for i, ln in enumerate(lines) if ln.startswith("[[run ")]
    lines[runs[0]], lines[runs[1]] = lines[runs[1]], lines[runs[0]]
    page.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ValueError, match="place different cells"):
        editions.check_counterparts()


def test_a_cell_with_chinese_text_is_refused():
    cells = pagerun.split_cells("x", '# %% setup\nimport numpy as np\n\n# %% fig\nlabel = "死亡"\n')
    with pytest.raises(pagerun.PageError, match="Chinese text"):
        pagerun.check_lang("x", cells)


def test_lang_must_be_set_once_in_the_setup_cell():
    text = '# %% setup\nimport numpy as np\n\n# %% fig\nLANG = "en"\nprint(LANG)\n'
    with pytest.raises(pagerun.PageError, match="sets it once"):
        pagerun.check_lang("x", pagerun.split_cells("x", text))
    good = f'# %% setup\nimport numpy as np\n{pagerun.LANG_LINE.format("zh")}\n\n# %% fig\nprint(LANG)\n'
    pagerun.check_lang("x", pagerun.split_cells("x", good))


@pytest.mark.parametrize("page", pagerun.page_names())
def test_the_english_edition_shows_the_same_run_but_for_lang(page, built_pages):
    """One run serves both: the same code and output in every cell, but for the
    setup's LANG line; every figure drawn in both languages, the two different
    wherever the figure has text in a table (every figure of the site has)."""
    run = pagerun.run_page(page)
    zh, en = run.edition("zh"), run.edition("en")
    assert zh.helpers.count(pagerun.LANG_LINE.format("zh")) == 1
    assert en.helpers == zh.helpers.replace(pagerun.LANG_LINE.format("zh"),
                                            pagerun.LANG_LINE.format("en"))
    # (that the English cells print what the page shows, tests/test_notebooks.py
    # checks by running the English notebook in a fresh kernel)
    fonts = bs._font_index()
    for a, b in zip(zh.cells, en.cells):
        assert bool(a.svg) == bool(b.svg), a.name
        if a.svg and _cjk_glyphs(a.svg, fonts):   # a figure with Chinese text in Chinese
            assert a.svg != b.svg, f"{page}:{a.name}: the English figure is the Chinese one"
            assert not _cjk_glyphs(b.svg, fonts), f"{page}:{a.name}"


def test_an_english_figure_with_chinese_text_fails_the_run(tmp_path, monkeypatch):
    """The control of the check that keeps Chinese out of English figures: a figure
    function that ignores ``lang`` fails the page."""
    (tmp_path / "ex9_9.py").write_text(
        '# %% setup\nfrom snippets.plotting import new_figure\n'
        f'{pagerun.LANG_LINE.format("zh")}\n\n'
        '# %% fig\nfig, ax = new_figure()\nax.set_title("\\u6807\\u9898" if LANG else "")\nfig\n',
        encoding="utf-8")
    monkeypatch.setattr(pagerun, "PAGES_DIR", tmp_path)
    monkeypatch.setattr(pagerun, "CACHE_DIR", tmp_path / "cache")
    with pytest.raises(pagerun.PageError, match="English figure has the text '标题'"):
        pagerun.run_page("ex9_9", use_cache=False)


FIGURE_PAGE = (
    "# %% setup\nimport numpy as np\nfrom snippets.plotting import new_figure\n"
    f'{pagerun.LANG_LINE.format("zh")}\nrng = np.random.default_rng(0)\n\n\n'
    "class Net:\n    def __init__(self):\n        self.cache = {}\n        self.w = np.ones(3)\n\n\n"
    "net = Net()\n\n\n"
    "def draw(net, rng, lang):\n    fig, ax = new_figure()\n    BODY\n    return fig\n\n"
    "# %% fig\ndraw(net, rng, lang=LANG)\n\n"
    "# %% after\nprint(rng.random(), net.w.tolist(), sorted(net.cache))\n")


@pytest.mark.parametrize("body, harmless", [
    ("ax.plot(rng.random(3))", False),                     # draws from the page's generator
    ("net.w *= 2.0\n    ax.plot(net.w)", False),           # changes an array in place
    ("net.w = net.w + 1.0\n    ax.plot(net.w)", False),    # replaces an attribute
    ("net.cache[lang] = 1\n    ax.plot(net.w)", False),    # a cache that grows per language
    ("net.cache['x'] = np.arange(3.0)\n    ax.plot(net.cache['x'])", True),  # same values again
    ("ax.plot(np.arange(3.0))", True),                     # touches nothing
])
def test_a_figure_call_that_changes_state_fails_the_run(tmp_path, monkeypatch, body, harmless):
    """The guard of the one run both editions share: drawing the figure again for the
    English edition must leave every variable as the Chinese call left it. A figure
    call that draws from the page's generator, or changes an object the later cells
    read, would make the English page's later cells differ; rewriting a cache with
    the same values is harmless and passes."""
    (tmp_path / "ex9_8.py").write_text(FIGURE_PAGE.replace("BODY", body), encoding="utf-8")
    monkeypatch.setattr(pagerun, "PAGES_DIR", tmp_path)
    monkeypatch.setattr(pagerun, "CACHE_DIR", tmp_path / "cache")
    if harmless:
        run = pagerun.run_page("ex9_8", use_cache=False)
        assert run.cell("fig").svg and run.cell("fig").svg_en
    else:
        with pytest.raises(pagerun.PageError, match="changed the page's variables"):
            pagerun.run_page("ex9_8", use_cache=False)


def _lang_and_alternates(html_file, site):
    html = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    links = {ln["hreflang"]: ln["href"] for ln in html.select('head link[rel="alternate"]')
             if ln.get("hreflang")}
    switch = {a["hreflang"]: a["href"] for a in html.select("a.md-select__link")}
    return html.html["lang"], links, switch


def test_every_page_names_its_language_and_its_counterpart(site):
    """``<html lang>``, hreflang links (absolute) to this page in each edition and
    x-default, and a language switch whose links lead to this very page in each
    edition (relative, so that the site works under any address)."""
    site_url = "http://127.0.0.1:8000/"         # the README build's default site_url
    pages = html_pages(site)
    assert len(pages) == 2 * (len(pagerun.page_names()) * 2 + 1)
    for html_file in pages:
        rel = html_file.parent.relative_to(site).as_posix()
        rel = "" if rel == "." else rel + "/"
        lang = "en" if rel.startswith("en/") else "zh"
        url = rel[len(editions.PREFIX[lang]):]
        got_lang, links, switch = _lang_and_alternates(html_file, site)
        assert got_lang == lang, rel
        assert links == {"zh": site_url + url, "en": site_url + "en/" + url,
                         "x-default": site_url + url}, rel
        for target_lang, href in switch.items():
            target = (html_file.parent / href).resolve()
            assert target == (site / editions.PREFIX[target_lang] / url).resolve(), (rel, href)
            assert (target / "index.html").is_file(), (rel, href)


def _visible_text(html_file):
    html = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    for tag in html.select("script, style, pre, code, .md-select"):
        tag.decompose()
    return html


@pytest.mark.parametrize("page", [""] + [mkdocs_hooks.page_id(p) + "/" for p in pagerun.page_names()])
def test_english_pages_show_no_chinese_but_the_exercise_statement(site, page):
    html = _visible_text(site / "en" / page / "index.html")
    if page:
        # the Problem section: the Chinese statement, then our translation
        quote = html.select_one("article blockquote")
        chinese = [p for p in quote.find_all("p") if CJK.search(p.get_text())]
        assert chinese, "no Chinese statement"
        for p in chinese:
            p.decompose()
        assert "our translation" in quote.get_text(), "no translation marked as ours"
    text = html.get_text(" ")
    for allowed in ALLOWED_CHINESE:
        text = text.replace(allowed, "")
    left = sorted({m.group(0) for m in re.finditer(r"\S*" + CJK.pattern + r"\S*", text)})
    assert not left, f"Chinese on the English page en/{page}: {left[:10]}"


@pytest.mark.parametrize("lang", pagerun.EDITIONS)
def test_the_404_pages_switch_to_the_other_editions_home(site, lang):
    root = site / editions.PREFIX[lang]
    _, _, switch = _lang_and_alternates(root / "404.html", site)
    site_root = "/"                            # the README build's default site_url path
    assert switch == {"zh": site_root + editions.PREFIX[lang] + ("../" if lang == "en" else ""),
                      "en": site_root + editions.PREFIX[lang] + ("" if lang == "en" else "en/")}


def test_english_attributes_hold_no_chinese(site):
    """Alt text, titles, the meta description: no Chinese either."""
    bad = []
    for html_file in html_pages(site / "en"):
        html = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
        for tag in html.select("[alt], [title], meta[name=description], [aria-label]"):
            for attr in ("alt", "title", "content", "aria-label"):
                if CJK.search(tag.get(attr) or ""):
                    bad.append(f"{html_file.relative_to(site)}: {attr}={tag[attr][:60]!r}")
    assert not bad, bad


def test_the_chinese_check_sees_chinese(site):
    """Its control: the Chinese page itself fails that check."""
    text = _visible_text(site / "4-3" / "index.html").get_text(" ")
    assert len(CJK.findall(text)) > 1000


def _cjk_glyphs(svg, fonts):
    """The CJK characters a Matplotlib SVG (a file or its text) draws (glyph ids
    <font>-<glyph index hex>)."""
    from matplotlib.ft2font import FT2Font

    import xml.etree.ElementTree as ET

    text = svg.read_text(encoding="utf-8") if isinstance(svg, Path) else svg
    found = set()
    for font, index in set(bs.drawn_glyphs(ET.fromstring(text)).values()):
        if font in fonts:
            found |= {c for c in _charmaps(fonts[font], FT2Font).get(index, ()) if CJK.match(c)}
    return found


_CHARMAPS = {}


def _charmaps(path, FT2Font):
    if path not in _CHARMAPS:
        reverse = {}
        for code, glyph in FT2Font(path).get_charmap().items():
            reverse.setdefault(glyph, []).append(chr(code))
        _CHARMAPS[path] = reverse
    return _CHARMAPS[path]


def test_english_figures_draw_no_chinese_character(site):
    fonts = bs._font_index()
    en = sorted((site / "en" / "figures").rglob("*.svg"))
    assert len(en) == len(sorted((site / "figures").rglob("*.svg"))) > 0
    bad = {str(p.relative_to(site)): sorted(g) for p in en if (g := _cjk_glyphs(p, fonts))}
    assert not bad, bad
    # the control: the Chinese figures of the same cells do draw Chinese
    zh = [p for p in sorted((site / "figures").rglob("*.svg")) if _cjk_glyphs(p, fonts)]
    assert len(zh) >= len(en) // 2, "the glyph reading finds no Chinese in Chinese figures"


@pytest.mark.parametrize("lang", pagerun.EDITIONS)
def test_each_search_index_holds_its_own_edition(site, lang):
    index = json.loads((site / editions.PREFIX[lang] / "search" / "search_index.json")
                       .read_text(encoding="utf-8"))
    assert index["config"]["lang"] == [lang]
    titles = {d["location"]: d["title"] for d in index["docs"] if "#" not in d["location"]}
    expected = {"" if p == "index" else p + "/" for p in editions.markdown_pages(lang)}
    assert set(titles) == expected
    exercises = [t for loc, t in titles.items() if loc]
    if lang == "en":
        assert all(t.startswith("Exercise ") and not CJK.search(t) for t in exercises), exercises
    else:
        assert all(t.startswith("习题") for t in exercises), exercises


def test_material_no_longer_fetches_a_sitemap_per_alternate_link(site):
    for lang in pagerun.EDITIONS:
        (bundle,) = (site / editions.PREFIX[lang] / "assets" / "javascripts").glob("bundle.*.min.js")
        text = bundle.read_text(encoding="utf-8")
        assert editions.ALTERNATE_SCAN_PATCHED in text and editions.ALTERNATE_SCAN not in text


def test_the_two_configs_differ_only_where_they_must():
    """mkdocs.en.yml repeats the notebook plugin's options (INHERIT does not merge
    plugin lists): the same options, but a cache of its own."""
    from mkdocs.config import load_config

    zh, en = (load_config(str(ROOT / f)) for f in ("mkdocs.yml", "mkdocs.en.yml"))
    a = dict(zh["plugins"]["mkdocs-jupyter"].config)
    b = dict(en["plugins"]["mkdocs-jupyter"].config)
    assert a.pop("cache_dir") != b.pop("cache_dir")
    assert a == b
    assert mkdocs_hooks.NOTEBOOK_CACHE["en"] in en["plugins"]["mkdocs-jupyter"].config["cache_dir"]
    for key in ("markdown_extensions", "hooks", "extra_css", "extra_javascript", "features"):
        left = zh[key] if key != "features" else zh["theme"]["features"]
        right = en[key] if key != "features" else en["theme"]["features"]
        assert left == right, key


def test_a_broken_english_page_fails_the_readme_build(tmp_path):
    """The English edition is built by the Chinese build's hooks: a warning there (a
    link to a missing page) must fail the README's strict build too."""
    import subprocess
    import sys

    from tools import crosscheck

    src = crosscheck.fresh_copy(tmp_path / "src", keep_cache=True)
    page = src / "docs" / "en" / "4-1.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [nowhere](no-such-page.md).\n",
                    encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d",
                           str(tmp_path / "out")], cwd=src, capture_output=True, text=True,
                          env=env, timeout=600)
    assert proc.returncode != 0
    assert "docs/en" in proc.stderr or "en/" in proc.stderr, proc.stderr[-2000:]
    assert "no-such-page.md" in proc.stderr, proc.stderr[-2000:]
    # the control: the same copy without the broken link builds
    page.write_text(page.read_text(encoding="utf-8").replace(
        "\nSee [nowhere](no-such-page.md).\n", ""), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d",
                           str(tmp_path / "out")], cwd=src, capture_output=True, text=True,
                          env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
