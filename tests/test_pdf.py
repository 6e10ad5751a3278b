"""The whole answer set as one PDF (``python -m tools.pdf``), opened with pypdf.

The PDF is printed once per test run from the session's built site (the ``site``
fixture: the README's strict build), by the README's command, into a shared
directory. It needs Chromium: without it these tests are skipped, as the browser
tests are, unless ``NNDL_REQUIRE_BROWSER=1`` (CI), which makes that an error. The
checks of what the command does without Chromium, and of the home page's link,
need no browser.
"""

import io
import json
import os
import re
import subprocess
import sys
import unicodedata
import urllib.parse
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import browser_support as bs
from run_once import locked, shared_dir
from tools import pdf

ROOT = Path(__file__).resolve().parent.parent
A4_PT = (595.28, 841.89)
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# TeX a reader must never see: arithmatex's delimiters, display dollars, and the
# commands the pages' formulas use most (``fraction`` in code does not match \frac).
RAW_TEX = re.compile(r"\\[()\[\]]|\$\$|\\(frac|boldsymbol|mathcal|mathbb|sigma|partial|"
                     r"operatorname|begin|end|left|right|top|sum|sqrt|text)\b")
# A sentence of 4-1's prose (解答, section 1), and one of 4-7's.
KNOWN_SENTENCES = ["这个结论与激活函数、损失函数的具体形式无关", "为什么不对偏置做正则化"]


def _lines(items):
    return "\n  " + "\n  ".join(str(i) for i in items)


def squash(text: str) -> str:
    """Text without whitespace (PDF extraction puts breaks and spaces where lines
    wrap and between glyph runs)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


# ------------------------------------------------------------------ fixtures ----

def _chromium_or_skip():
    path, wanted = bs.chromium_path()
    if path:
        return path
    problem = f"Chromium not found at {wanted}: PDF tests skipped"
    if os.environ.get("NNDL_REQUIRE_BROWSER") == "1":
        pytest.fail(problem.replace("PDF tests skipped", "NNDL_REQUIRE_BROWSER=1 makes a "
                                    "missing browser an error"), pytrace=False)
    pytest.skip(problem)


def _run_tool(*args, env=None):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}, **(env or {})}
    return subprocess.run([sys.executable, "-m", "tools.pdf", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="session")
def built_pdf(tmp_path_factory, worker_id, site):
    """(path, stdout, stderr) of the README's PDF command run on the session's site."""
    chromium = _chromium_or_skip()
    shared = shared_dir(tmp_path_factory, worker_id)
    out, log = shared / "pdf" / pdf.PDF_NAME, shared / "pdf.json"
    with locked(shared / "pdf.lock"):
        if not log.exists():
            proc = _run_tool("--site", site, "--out", out, env={"NNDL_CHROMIUM": chromium})
            log.write_text(json.dumps({"returncode": proc.returncode, "stdout": proc.stdout,
                                       "stderr": proc.stderr}), encoding="utf-8")
    info = json.loads(log.read_text(encoding="utf-8"))
    assert info["returncode"] == 0, info["stderr"][-4000:]
    return out, info["stdout"], info["stderr"]


@pytest.fixture(scope="session")
def reader(built_pdf):
    from pypdf import PdfReader

    return PdfReader(str(built_pdf[0]))


@pytest.fixture(scope="session")
def texts(reader):
    return [page.extract_text() or "" for page in reader.pages]


@pytest.fixture(scope="session")
def exercises(site):
    """Exercise page -> its title (the <h1> of the built page)."""
    out = {}
    for page in pdf.exercise_pages(site):
        h1 = BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"),
                           "html.parser").select_one("article h1")
        for a in h1.select("a.headerlink"):
            a.decompose()
        out[page] = h1.get_text("", strip=True)
    return out


# ------------------------------------------------------- reading the PDF ----

def _cmap(font) -> dict[int, str]:
    """A font's ToUnicode map: character code -> text."""
    if "/ToUnicode" not in font:
        return {}
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    out = {}

    def text(hexes):
        raw = bytes.fromhex(hexes)
        return raw.decode("utf-16-be", errors="replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(src, 16)] = text(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(
                r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            lo, hi = int(lo, 16), int(hi, 16)
            if dst.startswith("["):
                for i, d in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", dst)):
                    out[lo + i] = text(d)
            else:
                start = int(dst[1:-1], 16)
                width = len(dst[1:-1]) // 2
                for code in range(lo, hi + 1):
                    out[code] = (start + code - lo).to_bytes(width, "big").decode(
                        "utf-16-be", errors="replace")
    return out


def _fonts(resources):
    return {name: ref.get_object()
            for name, ref in (resources.get("/Font") or {}).items()} if resources else {}


def font_problems(reader) -> list[str]:
    """Fonts that are not embedded: every font on every page (and in its forms) must
    carry its glyphs (a font file in its descriptor, or a Type 3 font's procedures)."""
    problems, seen = [], set()

    def check(name, font, where):
        key = id(font)
        if key in seen:
            return
        seen.add(key)
        sub = font.get("/Subtype")
        if sub == "/Type3":
            if "/CharProcs" not in font:
                problems.append(f"{where}: Type 3 font {name} without glyph procedures")
            return
        target = font["/DescendantFonts"][0].get_object() if sub == "/Type0" else font
        desc = target.get("/FontDescriptor")
        desc = desc.get_object() if desc is not None else {}
        if not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            problems.append(f"{where}: font {name} ({font.get('/BaseFont')}) is not embedded")

    for i, page in enumerate(reader.pages, 1):
        for res in _all_resources(page.get("/Resources")):
            for name, font in _fonts(res).items():
                check(name, font, f"page {i}")
    return problems


def _all_resources(resources, depth=0):
    """A page's resources and those of the form XObjects it draws, recursively."""
    if resources is None:
        return
    resources = resources.get_object()
    yield resources
    if depth > 8:
        return
    for ref in (resources.get("/XObject") or {}).values():
        xobj = ref.get_object()
        if xobj.get("/Subtype") == "/Form" and "/Resources" in xobj:
            yield from _all_resources(xobj["/Resources"], depth + 1)


def unmapped_glyphs(reader, pages=None) -> list[str]:
    """Glyphs drawn that map to no character (or to U+FFFD / a control character).

    That is a missing-glyph box (tofu): when no font has a character, Chromium draws
    glyph 0 of the font it tried, and glyph 0 maps to nothing. Every text-showing
    operator of every page, and of the forms it draws, is read with its font's
    encoding (2-byte codes for Type 0 fonts, 1 byte otherwise).
    """
    from pypdf.generic import ContentStream

    problems = []

    def scan(content, resources, where, depth=0):
        fonts = _fonts(resources)
        maps = {name: (_cmap(f), 2 if f.get("/Subtype") == "/Type0" else 1)
                for name, f in fonts.items()}
        font = None
        for operands, op in ContentStream(content, reader).operations:
            if op == b"Tf":
                font = operands[0]
            elif op in (b"Tj", b"'", b'"', b"TJ"):
                strings = operands[0] if op == b"TJ" else operands[-1:]
                cmap, width = maps.get(font, ({}, 1))
                for s in strings:
                    if not isinstance(s, (bytes, str)) or isinstance(s, (int, float)):
                        continue
                    raw = s.original_bytes if hasattr(s, "original_bytes") else bytes(s)
                    for k in range(0, len(raw) - width + 1, width):
                        code = int.from_bytes(raw[k:k + width], "big")
                        ch = cmap.get(code)
                        if not ch or "\ufffd" in ch or any(unicodedata.category(c) == "Cc"
                                                           for c in ch):
                            problems.append(f"{where}: font {font} code {code:#x} -> {ch!r}")
            elif op == b"Do" and depth < 8:
                xobj = (resources.get("/XObject") or {}).get(operands[0])
                xobj = xobj.get_object() if xobj is not None else None
                if xobj is not None and xobj.get("/Subtype") == "/Form":
                    scan(xobj, (xobj.get("/Resources") or resources).get_object(),
                         where, depth + 1)

    for i, page in enumerate(reader.pages, 1):
        if pages and i not in pages:
            continue
        contents = page.get_contents()
        if contents is not None:
            scan(contents, page["/Resources"].get_object(), f"page {i}")
    return problems


def internal_links(reader) -> list[tuple[int, int]]:
    """(page with the link, page it leads to), 1-based, for every link annotation
    that points inside the document (a named or explicit destination, or GoTo)."""
    named = {str(k): v for k, v in reader.named_destinations.items()}
    pages = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages, 1)}
    out = []
    for i, page in enumerate(reader.pages, 1):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            action = annot.get("/A")
            if dest is None and action is not None and action.get("/S") == "/GoTo":
                dest = action.get("/D")
            if dest is None:
                continue
            if isinstance(dest, (str, bytes)) or not hasattr(dest, "__getitem__"):
                target = named.get(str(dest)) or named.get("/" + str(dest).lstrip("/"))
                number = reader.get_destination_page_number(target) + 1 if target else None
            else:
                number = pages.get(dest[0].idnum)
            out.append((i, number))
    return out


def uri_links(reader) -> list[str]:
    out = []
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            action = ref.get_object().get("/A")
            if action is not None and action.get("/S") == "/URI":
                out.append(str(action["/URI"]))
    return out


# -------------------------------------------------------------------- tests ----

@pytest.fixture(scope="session")
def section_pages(built_pdf, exercises):
    return pdf.section_pages(Path(built_pdf[0]).read_bytes(), list(exercises))


def test_the_command_reports_no_warning(built_pdf):
    out, stdout, stderr = built_pdf
    assert stdout.startswith(f"wrote {out}:"), stdout
    assert "warning" not in stderr, stderr


def test_page_count_is_plausible(reader, section_pages, exercises):
    """Between 1 + 3 x 9 and 200 pages. Each exercise starts on a page of its own and
    has a problem statement, a full derivation, a dozen or more code blocks with
    their outputs and at least two figures: no exercise fits on fewer than 3 A4
    pages (today each has 9 to 14; 110 pages in all). 200 is far above that, and
    below what it would be with the helper blocks left in (each is 300 to 900 lines
    of code, about 8 to 20 pages) or with pages repeated."""
    n = len(reader.pages)
    assert 1 + 3 * len(exercises) <= n <= 200, n
    starts = [section_pages[p] for p in exercises] + [n + 1]
    spans = {p: b - a for p, a, b in zip(exercises, starts, starts[1:])}
    assert all(3 <= s <= 40 for s in spans.values()), spans
    assert starts[:-1] == sorted(starts[:-1]), f"exercises out of order: {section_pages}"


def test_every_page_is_a4(reader):
    wrong = [(i, [round(float(x), 2) for x in p.mediabox])
             for i, p in enumerate(reader.pages, 1)
             if abs(float(p.mediabox.width) - A4_PT[0]) > 0.5
             or abs(float(p.mediabox.height) - A4_PT[1]) > 0.5]
    assert not wrong, f"pages not A4 ({A4_PT} pt):" + _lines(wrong[:5])


def test_every_exercise_title_appears_where_it_starts(texts, exercises, section_pages):
    for page, title in exercises.items():
        start = section_pages[page]
        assert squash(title) in squash(texts[start - 1]), (
            f"{title!r} not on page {start}, where #{page} starts:\n{texts[start - 1][:300]}")
        assert squash(title) in squash(texts[0] + texts[1]), f"{title!r} not in the contents"


def test_chinese_text_is_extractable(texts):
    whole = squash("".join(texts))
    for sentence in KNOWN_SENTENCES:
        assert sentence in whole, f"{sentence!r} not found in the PDF's text"
    assert len(CJK.findall(whole)) > 20_000, len(CJK.findall(whole))
    # (Private-use characters are allowed: MathJax draws the pieces of stretched braces,
    # as in \underbrace, with its fonts' U+E150-E154. A missing glyph is caught below.)
    bad = sorted({c for c in whole if c == "\ufffd" or unicodedata.category(c) == "Cc"})
    assert not bad, f"replacement or control characters in the text: {bad!r}"


def test_fonts_are_embedded_and_one_has_chinese(reader):
    assert not font_problems(reader), _lines(font_problems(reader)[:20])
    names = {str(f.get("/BaseFont")) for page in reader.pages
             for res in _all_resources(page.get("/Resources")) for f in _fonts(res).values()}
    assert any(pdf.CJK_FAMILY.replace(" ", "") in n for n in names), names


def test_no_glyph_is_a_missing_glyph_box(reader):
    problems = unmapped_glyphs(reader)
    assert not problems, f"{len(problems)} glyphs without a character:" + _lines(problems[:20])


def test_no_raw_tex_remains(texts):
    found = [(i, m.group(0), t[max(0, m.start() - 30):m.end() + 30].replace("\n", " "))
             for i, t in enumerate(texts, 1) for m in RAW_TEX.finditer(t)]
    assert not found, "raw TeX in the PDF:" + _lines(found[:20])


def test_every_page_is_numbered(texts):
    n = len(texts)
    missing = [i for i, t in enumerate(texts, 1) if not re.search(rf"(?<!\d){i} / {n}(?!\d)", t)]
    assert not missing, f"pages without 'i / {n}' in the footer: {missing[:20]}"


def test_contents_link_to_each_exercise(reader, section_pages, exercises):
    links = internal_links(reader)
    toc = sorted({to for at, to in links if at == 1})
    assert toc == sorted(section_pages.values()), (
        f"contents (page 1) link to pages {toc}; the exercises start on {section_pages}")


def test_links_between_exercises_stay_in_the_pdf(reader, section_pages, exercises):
    """Every Markdown link from one exercise to another (``](4-5.md#...)``) is a link
    inside the PDF, to a page of the exercise it names."""
    starts = sorted((n, p) for p, n in section_pages.items())

    def owner(number):
        inside = [p for n, p in starts if n <= number]
        return inside[-1] if inside else None

    expected = []
    for page in exercises:
        text = (ROOT / "docs" / f"{page}.md").read_text(encoding="utf-8")
        for target in re.findall(r"\]\((\d+-\d+)\.md(?:#[^)]*)?\)", text):
            expected.append((page, target))
    assert expected, "no cross-links in docs/ (the check needs one)"
    found = [(owner(at), owner(to)) for at, to in internal_links(reader) if to]
    for pair in set(expected):
        want, got = expected.count(pair), found.count(pair)
        assert got >= want, f"{pair[0]} -> {pair[1]}: {want} link(s) in docs/, {got} in the PDF"
    site_links = [u for u in uri_links(reader)
                  if re.search(r"/\d+-\d+/#", u)]   # a fragment on an exercise page
    assert not site_links, "links to the web pages where the PDF has the target:" + _lines(
        site_links[:10])


def test_outline_lists_every_exercise(reader, exercises):
    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield squash(str(item.title))
    outline = set(titles(reader.outline))
    missing = [t for t in exercises.values() if squash(t) not in outline]
    assert not missing, f"not in the bookmarks: {missing}"


def test_helper_blocks_are_left_out_with_a_note(texts, site, exercises):
    whole = squash("".join(texts))
    assert whole.count(squash("辅助函数未收入 PDF")) == len(exercises)
    for page in exercises:
        html = BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"),
                             "html.parser")
        helper = html.select_one("article details pre")
        defs = [line for line in helper.get_text().splitlines() if line.startswith("def ")]
        assert defs and not any(squash(d) in whole for d in defs[:5]), (page, defs[:5])


# --------------------------------------------- the home page's link, no browser ----

def test_home_page_links_to_the_pdf_the_command_writes(site):
    """The link is in the built home page, relative, to the name the command writes
    (by default into site/); a local build has no PDF (mkdocs build does not make
    it), so the link check skips that one file, and only it."""
    html = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = [a["href"] for a in html.select("article a[href]") if a["href"].endswith(".pdf")]
    assert hrefs == [pdf.PDF_NAME], hrefs
    assert bs.ADDED_AFTER_BUILD == {pdf.PDF_NAME}
    assert not (site / pdf.PDF_NAME).exists(), "mkdocs build must not make the PDF"
    assert pdf.main.__module__ == "tools.pdf"
    # Negative control: without the exemption the link check reports exactly that link.
    saved = set(bs.ADDED_AFTER_BUILD)
    bs.ADDED_AFTER_BUILD.clear()
    try:
        problems = bs.link_problems(site)
    finally:
        bs.ADDED_AFTER_BUILD.update(saved)
    assert problems == [f"index: <a href={pdf.PDF_NAME!r}> -> {pdf.PDF_NAME} does not exist"]


def test_without_chromium_the_command_says_so(site, tmp_path):
    proc = _run_tool("--site", site, "--out", tmp_path / "x.pdf",
                     env={"NNDL_CHROMIUM": str(tmp_path / "no-chromium")})
    assert proc.returncode == 2, proc
    assert "Chromium" in proc.stderr and "NNDL_CHROMIUM" in proc.stderr, proc.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_with_no_chromium_anywhere_the_command_exits_2(site, tmp_path, monkeypatch, capsys):
    """Not at /usr/bin/chromium, not on PATH, no Playwright browser, no NNDL_CHROMIUM."""
    monkeypatch.delenv("NNDL_CHROMIUM", raising=False)
    monkeypatch.setattr(pdf, "DEFAULT_CHROMIUM", str(tmp_path / "chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(pdf, "_playwright_chromium", lambda: None)
    assert pdf.main(["--site", str(site), "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "Chromium not found" in err and "apt-get install chromium" in err, err
    assert "mkdocs build) needs no browser" in err, err
    assert not (tmp_path / "x.pdf").exists()


def test_without_a_built_site_the_command_says_so(tmp_path):
    _chromium_or_skip()   # the browser is looked for first
    proc = _run_tool("--site", tmp_path / "nothing")
    assert proc.returncode == 1 and "mkdocs build" in proc.stderr, proc


# ------------------------------------------------ negative controls (browser) ----

DOC = """<!doctype html><html lang="zh"><head><meta charset="utf-8"></head><body>
<article>%s</article></body></html>"""


@pytest.fixture(scope="module")
def printed(site):
    chromium = _chromium_or_skip()

    def make(body, **kw):
        from pypdf import PdfReader

        data, _ = pdf.print_document(site, DOC % body, "/_control.html", chromium=chromium,
                                     **kw)
        return PdfReader(io.BytesIO(data))
    return make


def test_the_glyph_check_catches_a_missing_glyph(printed):
    good = printed("<p>中文与 ASCII，全角标点。</p>")
    assert not unmapped_glyphs(good)
    bad = printed("<p>中文 \ue000 与 \U0002a6a5</p>")   # private use; a character no font has
    assert len(unmapped_glyphs(bad)) >= 2, unmapped_glyphs(bad)


def test_the_tex_check_catches_raw_tex(printed):
    r = printed(r"<p>未排版的公式 \frac{a}{b}，以及 $$x$$。</p>")
    text = "".join(p.extract_text() for p in r.pages)
    assert len(RAW_TEX.findall(text)) >= 2, text


def test_maths_left_raw_fails_the_command(printed):
    with pytest.raises(pdf.PdfError, match="still raw TeX"):
        printed(r'<p><span class="arithmatex">\(x^2\)</span></p>', maths_timeout=1)
