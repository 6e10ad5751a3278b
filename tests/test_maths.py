"""Maths rendered at build time (tools/maths.py): the renderer, the build's failure on
a formula it cannot draw, and the built pages (MathML everywhere, no TeX left)."""

import html.parser
import re
import shutil
import xml.etree.ElementTree as ET

import pytest

import browser_support as bs
from tools import maths


def tree(tex, display=False):
    return ET.fromstring(maths.render(tex, display))


def texts(el, tag):
    return [e.text for e in el.iter(tag)]


# ---------------------------------------------------------------- renderer ----

def test_boldsymbol_becomes_unicode_bold_as_tex_draws_it():
    el = tree(r"\boldsymbol w^\top\boldsymbol x+\boldsymbol\Phi\boldsymbol\delta\boldsymbol 1")
    assert texts(el, "mi")[:2] == ["𝒘", "⊤"]          # bold italic w, then \top
    assert "𝚽" in texts(el, "mi")                     # capital Greek: bold upright
    assert "𝜹" in texts(el, "mi")                     # small Greek: bold italic
    assert "𝟏" in texts(el, "mn")                     # digits: bold
    assert all(e.get("mathvariant") in (None, "normal") for e in el.iter())


def test_blackboard_calligraphic_and_roman():
    el = tree(r"\mathbb R^D,\ \mathcal L,\ \mathrm{ReLU},\ \mathrm{d}x")
    mi = texts(el, "mi")
    assert "ℝ" in mi and "ℒ" in mi and "ReLU" in mi
    d = next(e for e in el.iter("mi") if e.text == "d")
    assert d.get("mathvariant") == "normal"            # \mathrm{d}: upright


def test_capital_greek_is_upright_and_symbols_are_ordinary():
    el = tree(r"\Omega\subset\mathbb R,\ \partial\mathcal L/\partial w\to\infty")
    omega = next(e for e in el.iter("mi") if e.text == "Ω")
    assert omega.get("mathvariant") == "normal"
    assert {"∂", "∞"} <= set(texts(el, "mi"))          # not spaced as operators
    slash = next(e for e in el.iter("mo") if e.text == "/")
    assert (slash.get("lspace"), slash.get("rspace")) == ("0", "0")


def test_function_names_get_tex_spacing():
    el = tree(r"v\operatorname{ReLU}x+\tanh(x)")
    relu = next(e for e in el.iter("mo") if e.text == "ReLU")
    tanh = next(e for e in el.iter("mo") if e.text == "tanh")
    assert (relu.get("lspace"), relu.get("rspace")) == (maths.THIN, maths.THIN)
    assert (tanh.get("lspace"), tanh.get("rspace")) == ("0", "0")   # after +, before (


def test_limits_go_below_in_display():
    el = tree(r"\max_i a_i+\sup_{x\in\Omega}|f(x)|", display=True)
    assert el.get("display") == "block"
    unders = list(el.iter("munder"))
    assert [u[0].text for u in unders] == ["max", "sup"]
    assert all(u[0].get("movablelimits") == "true" for u in unders)   # sub when inline


def test_environments_odot_text_and_primes():
    el = tree(r"s(t)=\begin{cases}0,&t\le0,\\ t\odot u,&\text{否则}\end{cases}", True)
    table = el.find(".//mtable")
    assert len(table) == 2 and table[0][0].get("columnalign") == "left"
    assert "⊙" in texts(el, "mo") and "否则" in texts(el, "mtext")
    el = tree(r"\begin{aligned}a&=b\\&=c\end{aligned}", True)
    assert len(el.find(".//mtable")) == 2
    el = tree(r"\begin{bmatrix}1&2\\3&4\end{bmatrix}")
    assert texts(el, "mn") == ["1", "2", "3", "4"]
    el = tree(r"f'(x)")
    assert not list(el.iter("msup")) and "′" in texts(el, "mo")


def test_named_spaces_accents_boxes_and_script_spacing():
    el = tree(r"a\,b\!c\quad\bar x\hat y\boxed{z}\delta^{(l+1)}")
    assert all(re.fullmatch(r"-?[\d.]+em", s.get("width")) for s in el.iter("mspace"))
    assert all(m.get("accent") == "true" for m in el.iter("mover"))
    assert el.find(".//mrow[@class='nndl-boxed']") is not None
    plus = next(e for e in el.iter("mo") if e.text == "+")
    assert (plus.get("lspace"), plus.get("rspace")) == ("0", "0")     # in a superscript
    el = tree(r"a+b")
    assert next(el.iter("mo")).get("lspace") is None                  # not in one


@pytest.mark.parametrize("tex, message", [
    (r"\foo x", r"unknown or unsupported command \\foo"),
    (r"x^{2", "never closed"),
    (r"x}", "closes no"),
    (r"\frac{1}", "mfrac"),
    (r"a\tag{1}", "tags"),
    (r"\begin{align}a&=b\end{align}", "environment 'align'"),
    (r"a\\b", "line break"),
    (r"\operatorname*{arg\,max}_x f", r"operatorname\*"),
    (r"\color{red}x", "colours"),
])
def test_what_the_renderer_cannot_draw_is_an_error(tex, message):
    with pytest.raises(maths.MathsError, match=message):
        maths.render(tex)


def test_render_page_names_page_and_formula():
    page = '<p><span class="arithmatex">\\(a+\\foo\\)</span></p>'
    with pytest.raises(maths.MathsError, match=r"4-2\.md: cannot render the formula \\\(a\+\\foo\\\)"):
        maths.render_page(page, "4-2.md")
    out = maths.render_page('<head></head><div class="arithmatex">\\[a &lt; b\\]</div>',
                            "x", root="../")
    assert '<math display="block"><mi>a</mi><mo>&lt;</mo><mi>b</mi></math>' in out
    assert '<link rel="preload" href="../assets/nndl-math.woff"' in out


def test_font_has_every_glyph_and_is_deterministic(tmp_path):
    from fontTools.ttLib import TTFont

    chars = set("x∑ℒ𝒘ℝ(")
    a = maths.write_font(tmp_path / "a", tmp_path / "cache-a", chars)
    b = maths.write_font(tmp_path / "b", tmp_path / "cache-b", chars)
    assert a.read_bytes() == b.read_bytes()
    cmap = TTFont(a).getBestCmap()
    assert {ord(c) for c in chars} <= set(cmap)
    assert "MATH" in TTFont(a)                       # stretchy brackets and big operators
    assert ord("中") not in cmap                     # text stays in the text font


# ------------------------------------------------------------ the build ----

def test_a_formula_the_renderer_cannot_draw_fails_the_build(tmp_path):
    """The broken formula is named with its page, and the build stops."""
    src = bs.fresh_copy(tmp_path / "repo")
    if (bs.ROOT / ".cache").is_dir():              # reuse the page runs: a quick build
        shutil.copytree(bs.ROOT / ".cache", src / ".cache")
    page = src / "docs" / "4-2.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n错误示例 \\(\\foo{x}\\)。\n",
                    encoding="utf-8")
    proc = bs.build(src, tmp_path / "site")
    assert proc.returncode != 0
    assert r"4-2.md: cannot render the formula \(\foo{x}\)" in proc.stderr, proc.stderr[-2000:]
    assert r"unknown or unsupported command \foo" in proc.stderr


class _Visible(html.parser.HTMLParser):
    """The text a reader sees outside code and outside rendered maths."""

    SKIP = {"pre", "code", "script", "style", "textarea", "math", "kbd", "samp"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


RAW_TEX = re.compile(r"\\[()\[\]]|\$[^$\s][^$]*\$|\\(?:frac|boldsymbol|mathbb|operatorname|"
                     r"sum|begin|left|right|top|alpha|sigma|partial)\b")


def raw_tex(page_html: str) -> list[str]:
    # a notebook's hidden copy of each code cell, for its copy button, is code too
    page_html = re.sub(r'<div class="clipboard-copy-txt"[^>]*>[^<]*</div>', "", page_html)
    parser = _Visible()
    parser.feed(page_html)
    text = " ".join(parser.parts)
    return [text[max(0, m.start() - 30):m.end() + 30] for m in RAW_TEX.finditer(text)]


def test_the_raw_tex_check_can_fail():
    assert raw_tex('<p>损失 \\(x^2\\) 与 $a+b$</p>')
    assert raw_tex('<p>a <span class="arithmatex">\\boldsymbol w</span></p>')
    assert not raw_tex('<p>价格 5 元</p><pre><code>$HOME \\(x\\)</code></pre><math><mi>x</mi></math>')


def test_no_raw_tex_and_no_mathjax_in_any_built_page(site):
    problems = []
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        rel = page.relative_to(site).as_posix()
        problems += [f"{rel}: raw TeX {r!r}" for r in raw_tex(text)]
        if re.search(r"mathjax|tex-chtml", text, re.I):
            problems.append(f"{rel}: loads MathJax")
        for m in maths.ARITHMATEX.finditer(text):
            if not re.fullmatch(r"<math( display=\"block\")?>.*</math>", m.group(2), re.S):
                problems.append(f"{rel}: maths not rendered: {m.group(0)[:100]!r}")
    assert not problems, "\n".join(problems[:30])


def test_built_maths_is_mathml_core(site):
    """Every page's maths uses only what MathML Core draws (no mathvariant but
    "normal", no menclose, no named spaces), and the pages with maths are those with
    formulas: the exercise pages and their notebooks, not the home page."""
    with_maths, problems = set(), []
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        rel = page.relative_to(site).as_posix()
        if "<math" in text:
            with_maths.add(rel)
        for bad in re.findall(r'mathvariant="(?!normal")[^"]*"|<menclose|<mfenced|'
                              r'"[a-z]*mathspace"', text):
            problems.append(f"{rel}: {bad}")
    assert not problems, "\n".join(problems[:30])
    expected = {f"{p}index.html" for p in bs.exercise_pages()}
    expected |= {f"notebooks/{p}index.html" for p in bs.exercise_pages()}
    assert with_maths == expected


def test_rendered_formulas_are_kept_across_builds(tmp_path, monkeypatch):
    monkeypatch.setattr(maths, "MEMO", {})
    monkeypatch.setattr(maths, "MEMO_NEW", [False])
    first = maths.render(r"\alpha_{kept}")
    maths.save_memo(tmp_path)
    assert list(tmp_path.glob("maths-*.json"))
    maths.MEMO.clear()
    maths.load_memo(tmp_path)
    assert maths.MEMO == {r"0\alpha_{kept}": first}
