"""The whole answer set as one PDF, printed by Chromium from the built site.

    .venv/bin/mkdocs build --strict && .venv/bin/python -m tools.pdf

writes ``site/nndl-ch4-answers.pdf`` (A4): the home page's introduction, a table of
contents with page numbers, then every exercise page (4-1, 4-2, ...) in order with
its maths, code, outputs and figures. Each page's collapsed helper block (the
functions taken from ``snippets/``, hundreds of lines) is left out, with a note that
links to the page where it is. Links between exercises point into the PDF; links
to the rest of the site (notebooks, downloads) point to the published site.

How: one HTML document is assembled from the built pages' ``<article>``s (ids
prefixed by the page, links rewritten, helper blocks replaced by the note), put in
the first exercise page's own frame (so every stylesheet and script the site has,
MathJax today, comes along), served with the rest of ``site/`` by a local server,
and printed by headless Chromium through Playwright, after the maths is rendered,
every image is decoded and anything wider than the page is scaled to fit: once
(untagged) to find the page each exercise starts on, and again, tagged, with those
numbers in the table of contents; pypdf then adds the bookmarks. Chromium may
only talk to the local server (every other request is aborted, and no other host
name resolves), as in the browser tests.

Chinese text is set in Noto Sans SC from the ``pylopdf-fonts-zh-cn`` package (the
font the figures use, already in requirements.txt), cut down to the document's
characters and converted to TrueType outlines (``make_cjk_font``). On Linux it is
given to Chromium as a fontconfig font, which Chromium embeds as a subset font and
also falls back to (maths ``\\text{}``, the page header); elsewhere it is loaded
as a web font. So the PDF needs no system CJK font. Chromium is Debian's
``/usr/bin/chromium`` (``apt-get install chromium``) or its headless shell
(``chromium-headless-shell``), the binary named by
``NNDL_CHROMIUM``, or Playwright's own Chromium if one is installed; without any,
the command says so and exits with status 2. The site build never runs this.
"""

from __future__ import annotations

import argparse
import copy
import http.server
import io
import logging
import os
import posixpath
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PDF_NAME = "nndl-ch4-answers.pdf"   # the home page links to it (docs/index.md)
DOC_NAME = "_nndl_pdf.html"         # the assembled document, served next to the first page
FONT_PATH = "/_nndl_pdf/fonts/"     # where the server serves the CJK font
CJK_FAMILY = "NNDL Sans SC"         # Noto Sans SC, subset and converted (make_cjk_font)
CJK_FILE = "NNDLSansSC.ttf"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# How the PDF tool and the browser tests (tests/browser_support.py) launch Chromium:
# no background traffic, and no host name but 127.0.0.1 resolves (a second barrier
# behind the request routing).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
    "--metrics-recording-only", "--disable-breakpad", "--disable-domain-reliability",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
PAGE_MARGIN_MM = {"top": 17, "bottom": 16, "left": 16, "right": 16}
A4_MM = (210, 297)
MATHS_TIMEOUT_S = 60
EXERCISE_DIR = re.compile(r"\d+-\d+")


class PdfError(Exception):
    """The PDF cannot be made (exit status 1); ``NoChromium``: no browser (status 2)."""


class NoChromium(PdfError):
    pass


# ------------------------------------------------------------- Chromium ----

def find_chromium() -> str:
    """The Chromium to print with; ``NoChromium`` (saying where it looked) if none."""
    wanted = os.environ.get("NNDL_CHROMIUM") or DEFAULT_CHROMIUM
    if os.path.isfile(wanted) and os.access(wanted, os.X_OK):
        return wanted
    if "NNDL_CHROMIUM" in os.environ:
        raise NoChromium(f"NNDL_CHROMIUM={wanted} is not an executable file: set it to a "
                         "Chromium binary, or unset it to use /usr/bin/chromium")
    for name in ("chromium-headless-shell", "chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    bundled = _playwright_chromium()
    if bundled:
        return bundled
    raise NoChromium(
        f"Chromium not found (looked for {DEFAULT_CHROMIUM}, `chromium-headless-shell`, "
        "`chromium` and `chromium-browser` on PATH, and Playwright's own Chromium). The "
        "PDF is printed by Chromium: install it (Debian/Ubuntu: apt-get install chromium, "
        "or chromium-headless-shell) or set "
        "NNDL_CHROMIUM to a Chromium binary. The site itself (mkdocs build) needs no browser.")


def _playwright_chromium() -> str | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # noqa: BLE001 - no usable Playwright browser: not an error here
        return None
    return path if path and os.path.isfile(path) else None


def cjk_font_source() -> Path:
    """Noto Sans SC (OpenType/CFF), as shipped by pylopdf-fonts-zh-cn (the figures'
    CJK font)."""
    from tools import pagerun

    return pagerun.cjk_font_path()


def make_cjk_font(text: str, folder: Path) -> Path:
    """Noto Sans SC cut down to the characters of ``text`` and converted to TrueType
    outlines, as ``folder/NNDLSansSC.ttf`` (family ``CJK_FAMILY``).

    Chromium embeds a TrueType system font in a PDF as a subset CID font, but draws
    CFF outlines and web fonts as Type 3 fonts (one per 256 glyph ids: 7 MB and
    185 fonts for this document, poorly rendered by some readers). The subset
    (about 1500 glyphs) takes about a second.
    """
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    options = subset.Options()
    options.desubroutinize = True
    options.hinting = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = ["*"]
    font = TTFont(str(cjk_font_source()))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements"):
        setattr(maxp, attr, 1 if attr == "maxZones" else 0)
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    for rec in font["name"].names:   # its own name: never mistaken for an installed Noto
        if rec.nameID in (1, 4, 16):
            rec.string = CJK_FAMILY
        elif rec.nameID in (3, 6):
            rec.string = CJK_FAMILY.replace(" ", "") + "-Regular"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CJK_FILE
    font.save(str(path))
    return path


def _fontconfig(tmp: Path, fonts: Path) -> dict[str, str]:
    """Environment that adds the folder ``fonts`` to Chromium's fontconfig fonts
    (Linux), so that the font is a system font (embedded as TrueType) and Chromium's
    fallback for Chinese (maths ``\\text{}``, the page header) finds it."""
    system = Path("/etc/fonts/fonts.conf")
    if sys.platform != "linux":
        return {}
    conf = tmp / "fonts.conf"
    include = f'<include ignore_missing="yes">{system}</include>' if system.is_file() else ""
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>'
        f"{include}<dir>{fonts}</dir><cachedir>{tmp / 'fc-cache'}</cachedir>"
        "</fontconfig>\n", encoding="utf-8")
    return {"FONTCONFIG_FILE": str(conf)}


# ------------------------------------------------------- the document ----

def exercise_pages(site: Path) -> list[str]:
    """'4-1', '4-2', ... in numeric order: the exercise pages of a built site."""
    pages = [p.name for p in site.iterdir()
             if EXERCISE_DIR.fullmatch(p.name) and (p / "index.html").is_file()]
    return sorted(pages, key=lambda p: tuple(int(n) for n in p.split("-")))


def _soup(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _site_url(home) -> str:
    link = home.find("link", rel="canonical")
    url = link["href"] if link and link.get("href") else "http://127.0.0.1:8000/"
    return url if url.endswith("/") else url + "/"


class _Links:
    """Rewrites one page's URLs for the assembled document: links to a page in the
    PDF become links into it, other site files become root-relative (for the local
    server: images) or absolute on the published site (for a reader: notebooks)."""

    def __init__(self, pages: dict[str, set[str]], site_url: str):
        self.pages = pages            # page ('' or '4-1') -> ids on it
        self.site_url = site_url

    @staticmethod
    def anchor(page: str, frag: str = "") -> str:
        key = page or "home"
        return f"{key}--{frag}" if frag else key

    def __call__(self, page: str, url: str, load: bool) -> str:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith("//"):
            return url
        frag = urllib.parse.unquote(parts.fragment)
        if not parts.path:
            return "#" + self.anchor(page, frag) if frag else url
        folder = page + "/" if page else ""
        target = posixpath.normpath(posixpath.join(folder, urllib.parse.unquote(parts.path)))
        target = "" if target in (".", "index.html") else target.removesuffix("/index.html")
        if not load and target in self.pages:
            ok = frag and frag in self.pages[target]
            return "#" + self.anchor(target, frag if ok else "")
        slash = "/" if parts.path.endswith("/") and target else ""
        quoted = urllib.parse.quote(target + slash)
        if load:
            return "/" + quoted + (f"?{parts.query}" if parts.query else "")
        tail = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if frag else "")
        return self.site_url + quoted + tail


_URL_ATTRS = {"a": "href", "img": "src", "source": "src", "link": "href", "script": "src",
              "object": "data", "area": "href"}


def _article(soup):
    article = soup.select_one("article.md-content__inner")
    if article is None:
        raise PdfError("a built page has no <article class='md-content__inner'>")
    return article


def _relink(node, page: str, links: _Links):
    for tag in node.find_all(True):
        if tag.get("id"):
            tag["id"] = links.anchor(page, tag["id"])
        if tag.name == "a" and tag.get("name"):
            tag["name"] = links.anchor(page, tag["name"])
        attr = _URL_ATTRS.get(tag.name)
        if attr and tag.get(attr):
            tag[attr] = links(page, tag[attr], load=tag.name != "a" and tag.name != "area")
        if tag.name == "img":
            tag["loading"] = "eager"      # print needs every image, not only visible ones


def _ids(article) -> set[str]:
    ids = {t["id"] for t in article.find_all(id=True)}
    return ids | {t["name"] for t in article.find_all("a", attrs={"name": True})}


def _omit_helpers(article, soup, page_url: str) -> int:
    """Replace every collapsed <details> holding code (the page's helper block) by a
    note saying where it is. Returns how many were left out."""
    n = 0
    for details in article.find_all("details"):
        if details.has_attr("open") or details.find("pre") is None:
            continue
        summary = details.find("summary")
        what = summary.get_text(" ", strip=True) if summary else "辅助函数"
        note = soup.new_tag("div", attrs={"class": "admonition note nndl-pdf-omitted"})
        title = soup.new_tag("p", attrs={"class": "admonition-title"})
        title.string = "辅助函数未收入 PDF"
        body = soup.new_tag("p")
        body.append(f"折叠块「{what}」未收入 PDF。完整代码（可一键复制）在本题网页上：")
        link = soup.new_tag("a", href=page_url)
        link.string = page_url
        body.append(link)
        body.append("。把它与下面的代码块按顺序粘贴进装有 NumPy 和 Matplotlib 的 Python，"
                    "即可复现本题的全部输出。")
        note.append(title)
        note.append(body)
        details.replace_with(note)
        n += 1
    return n


PRINT_CSS = """
@font-face { font-family: "NNDL CJK"; src: local("%(family)s"), url("%(font)s"); }
@page { size: A4; margin: %(top)smm %(right)smm %(bottom)smm %(left)smm; }
:root { --md-text-font: "NNDL CJK"; }
body {
  --md-code-font-family: var(--md-code-font, _), SFMono-Regular, Consolas, Menlo,
    "DejaVu Sans Mono", monospace, "NNDL CJK";
}
/* The site's frame: header, tabs, sidebars, search, footer, buttons. */
.md-header, .md-tabs, .md-sidebar, .md-search, .md-footer, .md-top, .md-dialog,
.md-banner, .md-progress, .md-skip, .md-consent, .md-announce, .md-content__button,
.md-source-file, .headerlink, .md-clipboard, .md-code__nav, .md-code__button,
.md-typeset .nndl-pdf-drop { display: none !important; }
html, body { background: #fff !important; }
.md-container, .md-main, .md-main__inner, .md-content, .md-grid {
  display: block !important; max-width: none !important; margin: 0 !important;
  padding: 0 !important;
}
.md-content__inner { margin: 0 !important; padding: 0 !important; }
.md-content__inner::before { display: none !important; }
.md-typeset { font-size: 10.5pt; line-height: 1.6; }
.md-typeset h1 { font-size: 18pt; margin: 0 0 .8em; color: #000; }
.md-typeset h2 { font-size: 14pt; }
.md-typeset h3 { font-size: 12pt; }
.md-typeset h1, .md-typeset h2, .md-typeset h3, .md-typeset h4 { break-after: avoid; }
.md-typeset pre, .md-typeset pre > code { white-space: pre-wrap !important;
  overflow-wrap: anywhere; overflow: visible !important; }
.md-typeset .highlight code { font-size: 8.5pt; }
.md-typeset figure, .md-typeset img, .md-typeset tr, .md-typeset .admonition-title
  { break-inside: avoid; }
.md-typeset .highlight .filename, .md-typeset figure img { break-after: avoid; }
.md-typeset figure img { max-height: 200mm; width: auto; }
.md-typeset__scrollwrap, .md-typeset__table, .md-typeset div.arithmatex
  { overflow: visible !important; }
.md-typeset div.arithmatex > * { padding: 0 !important; }
.md-typeset a { color: #1a3fa8; }
.nndl-pdf-exercise { break-before: page; }
.nndl-pdf-url { font-size: 9pt; color: #444; margin-top: -.6em; }
.nndl-pdf-toc ol { list-style: none; margin: 0; padding: 0; }
.md-typeset .nndl-pdf-toc li { margin: .45em 0; }
.md-typeset .nndl-pdf-toc a { display: flex; text-decoration: none; color: #000; }
.nndl-pdf-toc .nndl-toc-title { flex: 0 1 auto; }
.nndl-pdf-toc .nndl-toc-dots { flex: 1 1 auto; border-bottom: 1px dotted #888;
  margin: 0 .4em .35em; }
.nndl-pdf-toc .nndl-toc-page { flex: 0 0 2.5em; text-align: right; }
"""


def assemble(site: Path) -> tuple[str, dict]:
    """The document to print, and what went into it: ``{'pages': [...], 'titles':
    {page: h1 text}, 'site_url': ..., 'omitted': {page: count}, 'shell': page}``."""
    if not (site / "index.html").is_file():
        raise PdfError(f"no built site at {site}: run `.venv/bin/mkdocs build --strict` first")
    pages = exercise_pages(site)
    if not pages:
        raise PdfError(f"{site}: no exercise pages (N-M/index.html)")
    home = _soup(site / "index.html")
    site_url = _site_url(home)
    soups = {p: _soup(site / p / "index.html") for p in pages}
    articles = {"": _article(home)} | {p: _article(s) for p, s in soups.items()}
    links = _Links({p: _ids(a) for p, a in articles.items()}, site_url)

    # The frame: the first exercise page, its article emptied (its content moved out).
    # Nodes are moved, never copied: parsing and copying cost seconds.
    shell = soups[pages[0]]
    target = _article(shell)
    first = articles[pages[0]] = shell.new_tag("article")
    for node in list(target.contents):
        first.append(node)
    home_h1 = articles[""].find("h1")
    if home_h1 is None:
        raise PdfError("index.html: no <h1>")
    home_h1 = copy.copy(home_h1)   # (its permalink stays: the bookmark points to it)
    for a in home_h1.select("a.headerlink"):
        a.decompose()
    site_name = home_h1.get_text("", strip=True)
    shell.title.string = f"{site_name}（全部解答）"

    # Front matter: the home page's introduction (everything before its first <h2>).
    intro = shell.new_tag("section", attrs={"class": "nndl-pdf-intro", "id": "home"})
    for node in list(articles[""].children):
        if getattr(node, "name", None) == "h2":
            break
        intro.append(node)
    for drop in intro.select(".nndl-pdf-link, .nndl-pdf-drop"):
        drop.decompose()
    _relink(intro, "", links)
    note = shell.new_tag("p")
    note.append("本 PDF 收录网站 ")
    a = shell.new_tag("a", href=site_url)
    a.string = site_url
    note.append(a)
    note.append(" 上全部习题的解答，由同一次构建生成，内容与网页相同。每题网页上折叠的"
                "「本页用到的函数」代码块未收入，题中有注明其网页地址；可下载、可运行的 "
                "Jupyter 笔记本也在网站上。")
    intro.append(note)
    target.append(intro)

    titles, omitted = {}, {}
    toc = shell.new_tag("nav", attrs={"class": "nndl-pdf-toc", "id": "toc"})
    head = shell.new_tag("h2", id="toc-title")
    head.string = "目录"
    # A (hidden) link to it, as every heading has: Chromium makes a destination only
    # for an element some link points to, and the bookmark needs one.
    head.append(shell.new_tag("a", attrs={"class": "headerlink", "href": "#toc-title"}))
    toc.append(head)
    ol = shell.new_tag("ol")
    toc.append(ol)
    target.append(toc)
    for p in pages:
        article = articles[p]
        h1 = article.find("h1")
        if h1 is None:
            raise PdfError(f"{p}/index.html: no <h1>")
        for a in h1.select("a.headerlink"):
            a.decompose()
        titles[p] = h1.get_text("", strip=True)
        page_url = site_url + p + "/"
        omitted[p] = _omit_helpers(article, shell, page_url)
        _relink(article, p, links)
        section = shell.new_tag("section", attrs={"class": "nndl-pdf-exercise", "id": p})
        for node in list(article.children):
            section.append(node)
        url_line = shell.new_tag("p", attrs={"class": "nndl-pdf-url"})
        url_line.append("网页版：")
        a = shell.new_tag("a", href=page_url)
        a.string = page_url
        url_line.append(a)
        section.find("h1").insert_after(url_line)
        target.append(section)

        li = shell.new_tag("li")
        a = shell.new_tag("a", href=f"#{p}")
        for cls, text in (("nndl-toc-title", titles[p]), ("nndl-toc-dots", ""),
                          ("nndl-toc-page", "")):
            span = shell.new_tag("span", attrs={"class": cls})
            if cls == "nndl-toc-page":
                span["data-page"] = p
            span.string = text
            a.append(span)
        li.append(a)
        ol.append(li)

    style = shell.new_tag("style", attrs={"id": "nndl-pdf-css"})
    style.string = PRINT_CSS % dict(PAGE_MARGIN_MM, font=FONT_PATH + CJK_FILE,
                                    family=CJK_FAMILY)
    shell.head.append(style)
    meta = {"pages": pages, "titles": titles, "site_url": site_url, "omitted": omitted,
            "shell": pages[0], "site_name": site_name, "outline": _headings(target)}
    return str(shell), meta


def _headings(article) -> list[tuple[int, str, str]]:
    """(depth, title, id) of the document's <h1>-<h3>, for the PDF's bookmarks: the
    home page's title and each exercise at depth 0, their <h2> at 1, <h3> at 2."""
    out = []
    for h in article.find_all(["h1", "h2", "h3"]):
        if not h.get("id"):
            continue
        text = copy.copy(h)
        for a in text.select("a.headerlink"):
            a.decompose()
        anchor = h["id"]
        if h.name == "h1" and "nndl-pdf-exercise" in (h.parent.get("class") or []):
            anchor = h.parent["id"]   # an exercise's section: where its page starts
        out.append((int(h.name[1]) - 1, text.get_text("", strip=True), anchor))
    return out


# --------------------------------------------------------- the server ----

class _Handler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path):
        return str(self.server.site / urllib.parse.unquote(
            urllib.parse.urlsplit(path).path).lstrip("/"))

    def do_GET(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if path == self.server.doc_path:
            return self._send(self.server.doc, "text/html; charset=utf-8")
        if path.startswith(FONT_PATH):
            font = self.server.font
            if path[len(FONT_PATH):] == font.name:
                return self._send(font.read_bytes(), "font/ttf")
        return super().do_GET()

    def _send(self, body: bytes, kind: str):
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def serve(site: Path, doc: str, doc_path: str, font: Path):
    """A server on 127.0.0.1 (free port) for ``site``, ``doc`` at ``doc_path`` and
    ``font`` in FONT_PATH; returns (server, origin)."""
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.site, httpd.doc, httpd.doc_path, httpd.font = site, doc.encode(), doc_path, font
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


# ------------------------------------------------------------ printing ----

# Maths is rendered when no maths element still holds TeX between its delimiters
# (\( \) and \[ \], as pymdownx.arithmatex writes them), whether a script typesets
# it in the browser (MathJax: wait for it) or it came rendered in the HTML (then
# there is nothing to wait for). A formula that stays raw after the timeout fails.
WAIT_FOR_MATHS = r"""async (timeoutMs) => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const raw = /\\\(|\\\[|\$\$/;
  const shown = el => {
    const c = el.cloneNode(true);
    c.querySelectorAll('annotation, script, mjx-assistive-mml').forEach(n => n.remove());
    return c.textContent;
  };
  const pending = () => [...document.querySelectorAll('.arithmatex')]
    .filter(e => raw.test(shown(e)));
  const start = performance.now();
  let left = pending();
  while (left.length && performance.now() - start < timeoutMs) {
    const mj = window.MathJax && MathJax.startup && MathJax.startup.promise;
    if (mj) { try { await Promise.race([mj, sleep(1000)]); } catch (e) {} }
    else await sleep(100);
    left = pending();
  }
  await document.fonts.ready;
  const errors = [...document.querySelectorAll('mjx-merror, [data-mjx-error], .katex-error')]
    .map(e => (e.getAttribute('data-mjx-error') || e.getAttribute('title') ||
               e.textContent || '').slice(0, 100));
  return {seconds: (performance.now() - start) / 1000,
          raw: left.slice(0, 5).map(e => e.textContent.slice(0, 80)), count: left.length,
          formulas: document.querySelectorAll('.arithmatex').length, errors};
}"""

WAIT_FOR_IMAGES = """async () => {
  const imgs = [...document.querySelectorAll('article img')];
  await Promise.all(imgs.map(img => img.complete ? null : new Promise(r => {
    img.addEventListener('load', r, {once: true});
    img.addEventListener('error', r, {once: true});
  })));
  await Promise.all(imgs.map(img => img.decode().catch(() => null)));
  return {count: imgs.length,
          broken: imgs.filter(i => !i.naturalWidth).map(i => i.getAttribute('src'))};
}"""

# In print layout: scale down anything in the article wider than the page (a wide
# display formula or table; code wraps), so that nothing is cut off at the margin.
FIT_WIDTH = """() => {
  const blocks = 'article div.arithmatex, article .md-typeset__table, article table, ' +
                 'article mjx-container[display="true"], article .katex-display, ' +
                 'article math[display="block"], article pre, article img';
  const width = document.querySelector('article').clientWidth;
  const wide = () => [...document.querySelectorAll(blocks)]
    .filter(el => !el.closest('mjx-assistive-mml, [data-nndl-fitted]'))
    .map(el => [el, el.scrollWidth, el.clientWidth || width])
    .filter(([el, need, have]) => need > have + 1);
  const name = ([el, need, have]) => el.tagName.toLowerCase() + '.' +
    [...el.classList].join('.') + ' (' + need + ' > ' + have + ' px): ' +
    (el.textContent || el.getAttribute('src') || '').trim().slice(0, 50);
  const fitted = [];
  for (const item of wide()) {
    const [el, need, have] = item;
    if (el.closest('[data-nndl-fitted]')) continue;
    el.style.zoom = (have / need).toFixed(3);
    el.setAttribute('data-nndl-fitted', '');
    fitted.push(name(item));
  }
  const left = [...document.querySelectorAll('[data-nndl-fitted]')]
    .map(el => [el, el.scrollWidth, el.clientWidth]).filter(([el, n, h]) => n > h + 1);
  return {fitted, left: left.map(name)};
}"""

FILL_TOC = """(numbers) => {
  for (const span of document.querySelectorAll('.nndl-toc-page'))
    span.textContent = numbers[span.dataset.page] || '';
}"""

HEADER = """<div style="width:100%%; font-size:7.5pt; color:#666; padding:0 %(left)smm;
  display:flex; justify-content:space-between; font-family:'%(family)s', sans-serif;">
  <span>%(name)s</span><span>%(url)s</span></div>"""
FOOTER = """<div style="width:100%; font-size:8pt; color:#444; text-align:center;
  font-family:sans-serif;"><span class="pageNumber"></span> / <span class="totalPages"></span>
  </div>"""


def _px(mm: float) -> int:
    return round(mm / 25.4 * 96)


def print_document(site: Path, doc: str, doc_path: str, *, header: str = "",
                   toc: dict | None = None, chromium: str | None = None,
                   maths_timeout: float = MATHS_TIMEOUT_S) -> tuple[bytes, dict]:
    """Serve ``site`` with ``doc`` at ``doc_path``, open it in headless Chromium, wait
    for maths, fonts and images, fit wide blocks, print to A4 (page numbers in the
    footer). With ``toc`` ({'pages': [...]}), print twice: the second time with the
    page on which each ``section#<page>`` starts filled into ``.nndl-toc-page``.
    Returns (PDF bytes, report)."""
    from playwright.sync_api import sync_playwright

    chromium = chromium or find_chromium()
    tmp_dir = tempfile.TemporaryDirectory(prefix="nndl-pdf-")
    tmp = Path(tmp_dir.name)
    t_font = time.perf_counter()
    font = make_cjk_font(doc + header, tmp / "fonts")
    t_font = time.perf_counter() - t_font
    httpd, origin = serve(site, doc, doc_path, font)
    external, errors = [], []

    def route(r):
        if r.request.url.startswith(origin + "/"):
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort("blockedbyclient")

    width = _px(A4_MM[0] - PAGE_MARGIN_MM["left"] - PAGE_MARGIN_MM["right"])
    report = {}
    with tmp_dir, sync_playwright() as p:
        env = {**os.environ, **_fontconfig(tmp, font.parent)}
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS,
                                    headless=True, env=env)
        try:
            context = browser.new_context(viewport={"width": width, "height": 1100},
                                          color_scheme="light", locale="zh-CN")
            context.route("**/*", route)
            page = context.new_page()
            page.on("pageerror", lambda err: errors.append(str(err)))
            page.emulate_media(media="print", color_scheme="light")
            t0 = time.perf_counter()
            resp = page.goto(origin + doc_path, wait_until="load", timeout=120_000)
            if not resp or resp.status != 200:
                raise PdfError(f"{doc_path}: HTTP {resp.status if resp else None}")
            maths = page.evaluate(WAIT_FOR_MATHS, maths_timeout * 1000)
            if maths["count"]:
                raise PdfError(
                    f"{maths['count']} formula(s) still raw TeX after {maths_timeout} s "
                    "(the maths renderer did not finish or failed): "
                    + "; ".join(maths["raw"]))
            if maths["errors"]:
                raise PdfError("maths errors: " + "; ".join(maths["errors"][:5]))
            images = page.evaluate(WAIT_FOR_IMAGES)
            if images["broken"]:
                raise PdfError("images that did not load: " + ", ".join(images["broken"]))
            fit = page.evaluate(FIT_WIDTH)
            report.update(maths=maths, images=images, fit=fit,
                          load_seconds=round(time.perf_counter() - t0, 2))
            if external:
                raise PdfError("requests to other hosts (blocked): " + ", ".join(external[:5]))
            options = dict(format="A4", print_background=True, prefer_css_page_size=True,
                           display_header_footer=True, header_template=header or "<span></span>",
                           footer_template=FOOTER, outline=False, tagged=True,
                           margin={k: f"{v}mm" for k, v in PAGE_MARGIN_MM.items()})
            t1 = time.perf_counter()
            # The first print only finds where each exercise starts: untagged, which
            # lays out the same pages in less time.
            pdf = page.pdf(**{**options, "tagged": not toc})
            report["print_seconds"] = [round(time.perf_counter() - t1, 2)]
            if toc:
                numbers = section_pages(pdf, toc["pages"])
                page.evaluate(FILL_TOC, {k: str(v) for k, v in numbers.items()})
                t2 = time.perf_counter()
                pdf = page.pdf(**options)
                report["print_seconds"].append(round(time.perf_counter() - t2, 2))
                again = section_pages(pdf, toc["pages"])
                if again != numbers:
                    raise PdfError(f"page numbers moved when filled in: {numbers} -> {again}")
                report["toc"] = numbers
            report["page_errors"] = errors
            report["font_seconds"] = round(t_font, 2)
        finally:
            browser.close()
            httpd.shutdown()
            httpd.server_close()
    return pdf, report


def _quiet_pypdf():
    # pypdf logs a warning on every Chromium PDF (its trailer /Size is a few objects
    # short); the file reads correctly.
    logging.getLogger("pypdf").setLevel(logging.ERROR)


def _destinations(reader) -> dict:
    return {urllib.parse.unquote(str(k).lstrip("/")): v
            for k, v in reader.named_destinations.items()}


def add_outline(pdf: bytes, headings: list[tuple[int, str, str]]) -> bytes:
    """The PDF with bookmarks for ``headings`` ((depth, title, element id)), each to
    its heading's place, opening with the bookmarks shown. (Chromium's own outline
    lists a heading that starts a page twice, with its title doubled.)"""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import Fit

    _quiet_pypdf()
    reader = PdfReader(io.BytesIO(pdf))
    dests = _destinations(reader)
    writer = PdfWriter(clone_from=reader)
    parents: list = []
    for depth, title, anchor in headings:
        dest = dests.get(anchor)
        if dest is None:
            raise PdfError(f"no destination for heading #{anchor} ({title})")
        del parents[depth:]
        parent = parents[-1] if parents else None
        fit = Fit.xyz(left=dest.left, top=dest.top) if dest.top is not None else Fit.fit()
        item = writer.add_outline_item(title=title, page_number=reader.get_destination_page_number(
            dest), parent=parent, fit=fit)
        parents.append(item)
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def section_pages(pdf: bytes, pages: list[str]) -> dict[str, int]:
    """The (1-based) page each exercise starts on, from the PDF's named destinations
    (Chromium names one for every element id a link points to)."""
    from pypdf import PdfReader

    _quiet_pypdf()
    reader = PdfReader(io.BytesIO(pdf))
    dests = _destinations(reader)
    out = {}
    for p in pages:
        dest = dests.get(p)
        if dest is None:
            raise PdfError(f"the PDF has no destination for #{p} (the TOC link target)")
        out[p] = reader.get_destination_page_number(dest) + 1
    return out


def build(site: Path, out: Path) -> dict:
    """Assemble, print and write the PDF; returns a report (pages, bytes, seconds)."""
    start = time.perf_counter()
    chromium = find_chromium()   # before any work: say at once when there is none
    doc, meta = assemble(site)
    assembled = time.perf_counter()
    header = HEADER % dict(PAGE_MARGIN_MM, name=meta["site_name"], family=CJK_FAMILY,
                           url=meta["site_url"].split("://", 1)[-1].rstrip("/"))
    pdf, report = print_document(site, doc, f"/{meta['shell']}/{DOC_NAME}", header=header,
                                 toc={"pages": meta["pages"]}, chromium=chromium)
    printed = time.perf_counter()
    pdf = add_outline(pdf, meta["outline"])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".pdf.tmp")
    tmp.write_bytes(pdf)
    tmp.replace(out)
    from pypdf import PdfReader

    end = time.perf_counter()
    report.update(meta, out=str(out), bytes=len(pdf), chromium=chromium,
                  page_count=len(PdfReader(io.BytesIO(pdf)).pages),
                  seconds=round(end - start, 2),
                  steps={"assemble": round(assembled - start, 2),
                         "font": report["font_seconds"], "open": report["load_seconds"],
                         "print": sum(report["print_seconds"]),
                         "outline": round(end - printed, 2)})
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.pdf", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=ROOT / "site",
                        help="the built site (default: site/)")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"where to write the PDF (default: <site>/{PDF_NAME})")
    args = parser.parse_args(argv)
    out = args.out or args.site / PDF_NAME
    try:
        r = build(args.site, out)
    except NoChromium as err:
        print(f"tools.pdf: {err}", file=sys.stderr)
        return 2
    except PdfError as err:
        print(f"tools.pdf: {err}", file=sys.stderr)
        return 1
    for err in r["page_errors"]:
        print(f"tools.pdf: warning: script error on the page: {err}", file=sys.stderr)
    if r["fit"]["left"]:
        print("tools.pdf: warning: wider than the page:\n  " + "\n  ".join(r["fit"]["left"]),
              file=sys.stderr)
    print(f"wrote {out}: {r['page_count']} pages, {r['bytes'] / 1e6:.1f} MB, "
          f"{len(r['pages'])} exercises, {r['maths']['formulas']} formulas, "
          f"{r['images']['count']} figures, {len(r['fit']['fitted'])} wide block(s) scaled "
          f"to fit, in {r['seconds']:.1f} s ("
          + ", ".join(f"{k} {v:.1f} s" for k, v in r["steps"].items()) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
