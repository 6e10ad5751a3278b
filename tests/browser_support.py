"""Helpers for ``tests/test_browser.py`` and ``tests/test_site.py``: a local static
server, the site's page list, a headless Chromium session, what a reader's visit to
one page records, which pages get the dark-scheme contrast check, figure specimens
for comparing the site's SVG with Matplotlib's, and the browser-free checks of the
built files (links, figure glyphs).

Chromium is Debian's (``/usr/bin/chromium-headless-shell``, else ``/usr/bin/chromium``,
or the path in ``NNDL_CHROMIUM``);
Playwright's own browser download is not used. The browser may only talk to the
local server: every other request is aborted and recorded, and host resolution
is switched off for everything but 127.0.0.1 as a second barrier.
"""

from __future__ import annotations

import asyncio
import dataclasses
import html.parser
import http.server
import os
import posixpath
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

# Chromium's launch flags and path, shared with the PDF tool (one list for both).
from tools.pdf import CHROMIUM_ARGS, DEFAULT_CHROMIUM  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
# WCAG 2.2 AA, as axe-core tags its rules; plus the best-practice rule that a dialog
# has an accessible name (Material's search dialog had none).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_EXTRA_RULES = ["aria-dialog-name"]
# In the dark scheme only colours change: the contrast rule is run again there.
# (Links are told apart from text by their underline, which the light run checks.)
AXE_COLOUR_RULES = ["color-contrast"]
SUBPATH = "/nndl/"   # where the site is mounted, as GitHub Pages serves a project site
SOURCE_DATE_EPOCH = "1700000000"


# ---------------------------------------------------------------- Chromium ----

def chromium_path() -> tuple[str | None, str]:
    """``(path, where it was looked for)``; path is None when there is no Chromium.

    ``NNDL_CHROMIUM`` if set; else Debian's headless shell (``chromium-headless-shell``:
    the same engine without the browser's UI, measured to use less CPU for the same
    checks), else Debian's ``chromium``."""
    wanted = os.environ.get("NNDL_CHROMIUM") or HEADLESS_SHELL
    if os.path.isfile(wanted) and os.access(wanted, os.X_OK):
        return wanted, wanted
    if "NNDL_CHROMIUM" not in os.environ:
        for name in (DEFAULT_CHROMIUM, "chromium-headless-shell", "chromium",
                     "chromium-browser"):
            found = name if os.access(name, os.X_OK) else shutil.which(name)
            if found:
                return found, f"{HEADLESS_SHELL} or {DEFAULT_CHROMIUM}"
        wanted = f"{HEADLESS_SHELL} or {DEFAULT_CHROMIUM}"
    return None, wanted


# ------------------------------------------------------------------ server ----

class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves ``server.root`` under ``server.prefix``; anything else is a 404,
    answered with the site's own 404.html as GitHub Pages does."""

    def translate_path(self, path):
        path = urllib.parse.urlsplit(path).path
        prefix = self.server.prefix
        if not (path + "/").startswith(prefix):
            return str(self.server.root / ".outside-the-sub-path")   # no such file: 404
        self.directory = str(self.server.root)
        return super().translate_path(path[len(prefix) - 1:])

    def send_error(self, code, message=None, explain=None):
        page = self.server.root / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class SiteServer:
    """A static file server on 127.0.0.1 (a free port, or ``port``), in a thread."""

    def __init__(self, root: Path | None = None, prefix: str = "/", port: int = 0):
        self.httpd = _Server(("127.0.0.1", port), _Handler)
        self.httpd.root = Path(root) if root else None
        self.httpd.prefix = prefix
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.base = self.origin + prefix
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def prefix(self) -> str:
        return self.httpd.prefix

    @property
    def root(self) -> Path:
        return self.httpd.root

    @root.setter
    def root(self, value: Path):
        self.httpd.root = Path(value)

    def url(self, page: str) -> str:
        return self.base + page

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def free_port() -> int:
    """A port nothing listens on now (for a site built for its URL before it is served)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ------------------------------------------------------------------- pages ----

def page_of(html_file: Path, site: Path) -> str:
    """URL of a built HTML file, relative to the site root: '', '4-2/', '404.html'."""
    rel = html_file.relative_to(site).as_posix()
    if rel == "index.html":
        return ""
    if rel.endswith("/index.html"):
        return rel[:-len("index.html")]
    return rel


def built_pages(site: Path) -> list[str]:
    """Every HTML page of a built site (assets such as MathJax ship no HTML)."""
    return sorted(page_of(p, site) for p in site.rglob("*.html"))


def expected_pages(root: Path = ROOT) -> list[str]:
    """The pages a build of ``root`` makes, from its sources (for parametrizing):
    every Markdown file of docs/, a notebook page for every snippets/pages script,
    and 404.html. A test checks this list against the built site."""
    pages = {"404.html", "en/404.html"}
    docs = root / "docs"
    for md in docs.rglob("*.md"):
        rel = md.relative_to(docs).with_suffix("").as_posix()
        if rel == "index":
            pages.add("")
        elif rel.endswith("/index"):
            pages.add(rel[:-len("index")])
        else:
            pages.add(rel + "/")
    for script in (root / "snippets" / "pages").glob("ex*.py"):
        for prefix in ("", "en/"):
            pages.add(f"{prefix}notebooks/{script.stem[2:].replace('_', '-')}/")
    return sorted(pages)


def exercise_pages(root: Path = ROOT) -> list[str]:
    """Pages whose code blocks a reader copies and runs, in both editions: '4-2/', ...,
    then 'en/4-2/', ..."""
    pids = sorted(p.stem[2:].replace("_", "-") for p in (root / "snippets" / "pages").glob("ex*.py"))
    return [f"{prefix}{pid}/" for prefix in ("", "en/") for pid in pids]


def page_edition(page: str) -> tuple[str, str]:
    """``'en/4-3/'`` -> ``('en', '4-3')``; ``'4-3/'`` -> ``('zh', '4-3')``."""
    lang = "en" if page.startswith("en/") else "zh"
    return lang, page[3 if lang == "en" else 0:].strip("/")


# ------------------------------------------------------------------ builds ----

def build(src: Path, out: Path, site_url: str | None = None) -> subprocess.CompletedProcess:
    """The README's strict build of the repository at ``src`` into ``out``, with a
    fixed SOURCE_DATE_EPOCH (and SITE_URL, when given)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    if site_url:
        env["SITE_URL"] = site_url
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d",
                           str(out)], cwd=src, capture_output=True, text=True, env=env)


# ------------------------------------------------------- links and anchors ----

_URL_ATTRS = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src",
              "iframe": "src", "embed": "src", "object": "data", "area": "href"}


class _Scan(html.parser.HTMLParser):
    """The ids (and <a name>s) of an HTML file, and the URLs its elements refer to."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[tuple[str, str, str, str]] = []   # (tag, attribute, url, rel)
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") is not None:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        attr = _URL_ATTRS.get(tag)
        if attr and attrs.get(attr):
            self.urls.append((tag, attr, attrs[attr], attrs.get("rel") or ""))

    handle_startendtag = handle_starttag


def scan_site(site: Path) -> dict[Path, _Scan]:
    return {f: _Scan(f.read_text(encoding="utf-8")) for f in sorted(site.rglob("*.html"))}


# Files the Pages workflow adds to site/ after the build, which a local build does not
# have: the home page's link to the PDF (``python -m tools.pdf`` writes it there;
# tests/test_pdf.py checks that it does, and that the link points to it).
ADDED_AFTER_BUILD = {"nndl-ch4-answers.pdf"}


def link_problems(site: Path, base_path: str = "/") -> list[str]:
    """Every local href/src of every built page must exist, and every #fragment must
    be an id (or a name) on the target page. External URLs are not fetched.
    ``base_path`` is the URL path the site is built for (for root-relative links).
    Links to ``ADDED_AFTER_BUILD`` files are not checked."""
    scans = scan_site(site)
    problems = []
    for html_file, scan in scans.items():
        page = page_of(html_file, site)
        for tag, attr, url, rel in scan.urls:
            if tag == "link" and "canonical" in rel.split():
                continue
            parts = urllib.parse.urlsplit(url)
            if parts.scheme or parts.netloc:
                continue  # external (or data:, mailto:, javascript:)
            where = f"{page or 'index'}: <{tag} {attr}={url!r}>"
            path = urllib.parse.unquote(parts.path)
            if path.startswith("/"):
                if not path.startswith(base_path):
                    problems.append(f"{where} is outside the site's path {base_path}")
                    continue
                rel_path = path[len(base_path):]
            elif path:
                folder = page if page == "" or page.endswith("/") else posixpath.dirname(page)
                rel_path = posixpath.normpath(posixpath.join(folder, path))
                rel_path = "" if rel_path == "." else rel_path
                if rel_path == ".." or rel_path.startswith("../"):
                    problems.append(f"{where} leaves the site")
                    continue
            else:
                rel_path = page   # "#fragment" only: this page
            if rel_path in ADDED_AFTER_BUILD:
                continue
            target = site / rel_path if rel_path else site
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                problems.append(f"{where} -> {target.relative_to(site).as_posix()} does not exist")
                continue
            frag = urllib.parse.unquote(parts.fragment)
            if frag and target.suffix == ".html":
                ids = scans[target].ids if target in scans else _Scan(
                    target.read_text(encoding="utf-8")).ids
                if frag not in ids:
                    problems.append(f"{where} -> no id {frag!r} on "
                                    f"{target.relative_to(site).as_posix()}")
    return list(dict.fromkeys(problems))   # a page's TOC links appear twice (two sidebars)


# ----------------------------------------------------- glyphs in figures ----

_SVG = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}href"


def _font_index() -> dict[str, str]:
    """PostScript name -> font file, for every font Matplotlib knows plus the CJK
    font the build bundles."""
    from matplotlib import font_manager

    from tools import pagerun

    files = [f.fname for f in font_manager.fontManager.ttflist] + [str(pagerun.cjk_font_path())]
    index = {}
    for fname in files:
        try:
            index.setdefault(font_manager.get_font(fname).postscript_name, fname)
        except (OSError, RuntimeError):
            continue
    return index


def _charmap(fname: str) -> dict[int, int]:
    from matplotlib import font_manager

    return font_manager.get_font(fname).get_charmap()


def drawn_glyphs(root: ET.Element) -> dict[str, tuple[str, int]]:
    """Glyph id -> (font's PostScript name, glyph index) for every glyph an SVG uses."""
    glyphs = {}
    for use in root.iter(_SVG + "use"):
        ref = urllib.parse.unquote((use.get(_XLINK) or use.get("href") or "").lstrip("#"))
        name, _, index = ref.rpartition("-")
        if name and re.fullmatch(r"[0-9a-f]+", index):
            glyphs[ref] = (name, int(index, 16))
    return glyphs


def svg_glyph_problems(svg_file: Path, fonts: dict[str, str] | None = None) -> list[str]:
    """Missing-glyph boxes in a Matplotlib SVG.

    With ``svg.fonttype: path`` text is drawn as glyph outlines: ``<use>``s of glyphs
    named ``<PostScript name>-<glyph index, hex>``. When no font has a character,
    Matplotlib draws glyph 0, the font's ``.notdef`` box; so every glyph drawn must
    have an index other than 0 and come from a font this machine knows. (The build
    already refuses a figure whose text needs a glyph no font has; this checks the
    files the site serves.) ``<text>`` elements (text left as text) must have every
    character in one of their font-family fonts. A figure with no text at all is
    reported too (every figure of the site has tick labels at least).
    """
    from matplotlib import font_manager

    fonts = _font_index() if fonts is None else fonts
    root = ET.parse(svg_file).getroot()
    problems = []
    for text in root.iter(_SVG + "text"):
        chars = "".join(text.itertext())
        style = (text.get("style") or "") + ";font-family:" + (text.get("font-family") or "")
        families = [f.strip(" '\"") for m in re.findall(r"font-family:\s*([^;]+)", style)
                    for f in m.split(",") if f.strip(" '\"")]
        maps = []
        for fam in families:
            try:
                maps.append(_charmap(font_manager.findfont(
                    font_manager.FontProperties(family=fam), fallback_to_default=False)))
            except ValueError:
                continue
        missing = [c for c in chars if not c.isspace() and not any(m.get(ord(c)) for m in maps)]
        if missing:
            problems.append(f"<text> {chars!r}: no font of {families} has {''.join(missing)!r}")
    glyphs = drawn_glyphs(root)
    if not glyphs and root.find(f".//{_SVG}text") is None:
        problems.append("no text at all (a figure has tick labels at least)")
    for ref, (name, index) in sorted(glyphs.items()):
        if index == 0:
            problems.append(f"glyph {ref}: the .notdef box (a missing glyph) of {name}")
        elif name not in fonts:
            problems.append(f"glyph {ref}: drawn with a font this machine lacks, {name}")
    return problems


def referenced_svgs(site: Path) -> dict[Path, list[str]]:
    """SVG files referenced by <img> on the built pages -> the pages showing them."""
    refs: dict[Path, list[str]] = {}
    for html_file, scan in scan_site(site).items():
        for tag, _, url, _ in scan.urls:
            src = urllib.parse.urlsplit(url)
            if tag != "img" or src.scheme or src.netloc or not src.path.endswith(".svg"):
                continue
            target = (html_file.parent / urllib.parse.unquote(src.path)).resolve()
            refs.setdefault(target, []).append(page_of(html_file, site))
    return refs


# ------------------------------------------ which pages get the dark check ----

class _Kinds(html.parser.HTMLParser):
    """The kinds of element in a page's <body>: (parent, element), each as its tag
    and sorted classes, e.g. ('div.admonition note', 'p.admonition-title')."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self, text: str):
        super().__init__()
        self.stack, self.kinds, self.body = [], set(), False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.body = self.body or tag == "body"
        kind = tag + "." + " ".join(sorted((dict(attrs).get("class") or "").split()))
        if self.body:
            self.kinds.add((self.stack[-1] if self.stack else "", kind))
        if tag not in self.VOID:
            self.stack.append(kind)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack and self.stack.pop().split(".", 1)[0] != tag:
            pass


def element_kinds(site: Path, page: str) -> set[tuple[str, str]]:
    path = site / (page + "index.html" if page == "" or page.endswith("/") else page)
    return _Kinds(path.read_text(encoding="utf-8")).kinds


def contrast_sample(site: Path, pages: list[str]) -> list[str]:
    """The pages on which colour contrast is checked in the dark scheme too: few
    pages that together have every kind of element (as ``element_kinds``: each tag
    and class, under each parent tag and class) that any page has.

    The dark scheme changes colours only, and an element's colours come from its
    kind and its parent's; so checking one element of each kind covers the site.
    (The light scheme gets every rule on every page.) Greedy set cover, in page
    order on ties, so the sample is the same for the same site.
    """
    kinds = {page: element_kinds(site, page) for page in pages}
    left = set().union(*kinds.values()) if kinds else set()
    sample = []
    while left:
        best = max(pages, key=lambda p: len(kinds[p] & left))
        sample.append(best)
        left -= kinds[best]
    return sample


# --------------------------------------------------------- in the browser ----

# MathJax's startup promise covers the first typesetting only; after an instant
# navigation docs/javascripts/mathjax.js calls MathJax.typesetPromise(), which this
# MathJax (3.2) does not chain onto it. So also wait (up to 10 s) until every
# arithmatex span holds typeset output; the checks then report whatever is left.
WAIT_FOR_MATHS = """async () => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  for (let i = 0; i < 200 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++)
    await sleep(25);
  if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) return false;
  let p;
  do { p = MathJax.startup.promise; await p; } while (p !== MathJax.startup.promise);
  const pending = () => [...document.querySelectorAll('.arithmatex')]
    .some(e => !e.querySelector('mjx-container'));
  for (let i = 0; i < 200 && pending(); i++) await sleep(50);
  await document.fonts.ready;
  return true;
}"""

# Raw TeX left in the text a reader sees (outside code, outside typeset maths), and
# MathJax's own error marks.
MATHS_REPORT = r"""() => {
  const skip = 'pre, code, kbd, samp, script, style, textarea, noscript, mjx-container, .md-search';
  const tex = /\\[()\[\]]|\$\$|\\[A-Za-z]{2,}|\$[^\s$][^$\n]*\$/;
  const raw = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.closest(skip) || !el.checkVisibility()) continue;
    const m = node.textContent.match(tex);
    if (m) {
      const i = m.index, t = node.textContent;
      raw.push(t.slice(Math.max(0, i - 30), i + 40).replace(/\s+/g, ' '));
    }
  }
  const errors = [...document.querySelectorAll('mjx-merror, [data-mjx-error]')]
    .map(e => (e.getAttribute('data-mjx-error') || e.textContent || '').slice(0, 120));
  const untypeset = [...document.querySelectorAll('.arithmatex')]
    .filter(e => !e.querySelector('mjx-container')).map(e => e.textContent.slice(0, 80));
  return {raw, errors, untypeset, typeset: document.querySelectorAll('mjx-container').length};
}"""

OPEN_DETAILS = "() => [...document.querySelectorAll('details:not([open]) > summary')].length"

IMAGES_REPORT = """async () => {
  const images = [];
  for (const img of [...document.images]) {
    img.scrollIntoView({block: 'center'});
    if (!img.complete) {
      await Promise.race([
        new Promise(r => { img.addEventListener('load', r, {once: true});
                           img.addEventListener('error', r, {once: true}); }),
        new Promise(r => setTimeout(r, 10000))]);
    }
    try { await img.decode(); } catch (e) {}
    const box = img.getBoundingClientRect();
    images.push({src: img.currentSrc || img.src, alt: img.getAttribute('alt'),
                 natural: img.naturalWidth, width: box.width, height: box.height});
  }
  const figures = [...document.querySelectorAll('figure')].map(f => ({
    images: f.querySelectorAll('img').length,
    caption: ((f.querySelector('figcaption') || {}).textContent || '').trim()}));
  window.scrollTo(0, 0);
  return {images, figures};
}"""

NO_MOTION_CSS = ("*, *::before, *::after "
                 "{ transition: none !important; animation: none !important; }")

# axe-core costs about 1 ms per element and rule, and a page's helper block alone has
# ~5000 highlighted tokens and a line anchor per line; MathJax adds ~30 elements per
# formula (4-6 has ~200 formulas). Tokens of one class under one parent class in one
# code block are drawn in one colour on one background, the line anchors are all
# alike, and every formula is MathJax's same markup (one kind inline, one displayed),
# so while axe runs only the first of each is kept in the page (the first three
# formulas of each kind): the others are taken out and put back, in place, afterwards.
SAMPLE_CODE_TOKENS = """(on) => {
  if (!on) {
    (window.__nndlTaken || []).reverse()
      .forEach(([n, parent, next]) => parent.insertBefore(n, next));
    window.__nndlTaken = [];
    return 0;
  }
  const taken = window.__nndlTaken = [];
  document.querySelectorAll('pre, .highlight-ipynb').forEach(block => {
    const seen = new Set();
    let anchors = 0;
    block.querySelectorAll('span, a[id^="__codelineno"]').forEach(el => {
      if (el.tagName === 'A') {
        if (anchors++) taken.push([el, el.parentNode, el.nextSibling]);
        return;
      }
      if (el.firstElementChild || !el.textContent.trim()) return;
      const key = el.className + '|' + el.parentElement.className;
      if (seen.has(key)) taken.push([el, el.parentNode, el.nextSibling]); else seen.add(key);
    });
  });
  const formulas = {};
  document.querySelectorAll('mjx-container').forEach(el => {
    const kind = el.getAttribute('display') === 'true' ? 'display' : 'inline';
    formulas[kind] = (formulas[kind] || 0) + 1;
    if (formulas[kind] > 3) taken.push([el, el.parentNode, el.nextSibling]);
  });
  taken.forEach(([n]) => n.remove());
  return taken.length;
}"""

AXE_RULES = """([tags, extra]) => axe.getRules(tags)
  .filter(r => !r.tags.includes('experimental') && !r.tags.includes('deprecated'))
  .map(r => r.ruleId).concat(extra)"""

AXE_RUN = """async (rules) => {
  const r = await axe.run(document, {runOnly: {type: 'rule', values: rules},
                                     resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
                nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ': ' +
                  (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 240))}));
}"""

SCHEME = "() => document.body.getAttribute('data-md-color-scheme')"

# Each copy button, with the text of the block it belongs to (what a reader sees).
COPY_BUTTONS = "button.md-code__button[data-md-type='copy'], clipboard-copy"
COPY_BUTTON_INFO = """(b) => {
  if (b.matches('clipboard-copy')) {
    const cell = b.closest('.jp-Cell');
    const pre = cell && cell.querySelector('.highlight-ipynb pre');
    return {kind: 'notebook', language: 'python', shown: pre ? pre.textContent : null,
            output: !!b.closest('.jp-OutputArea')};
  }
  const target = document.querySelector(b.dataset.clipboardTarget);
  const block = b.closest('.highlight');
  const lang = [...(block ? block.classList : [])].find(c => c.startsWith('language-'));
  return {kind: 'material', language: lang ? lang.slice(9) : null,
          shown: target ? target.textContent : null,
          output: !!(block && block.classList.contains('nndl-output'))};
}"""

CODE_BLOCKS = """() => ({
  outputs: [...document.querySelectorAll('.highlight.nndl-output')].map(b => ({
    text: (b.querySelector('code') || b).textContent,
    noCopy: b.classList.contains('no-copy'),
    buttons: b.querySelectorAll('button.md-code__button, .md-clipboard').length})),
  uncopyable: [...document.querySelectorAll('.highlight:not(.nndl-output) pre')]
    .filter(p => !p.querySelector('button.md-code__button[data-md-type="copy"]'))
    .map(p => p.textContent.slice(0, 80)),
  notebookOutputButtons: document.querySelectorAll('.jp-OutputArea clipboard-copy').length,
  description: (document.querySelector('meta[name="description"]') || {content: null}).content,
})"""

READ_CLIPBOARD = """async () => {
  for (let i = 0; i < 80; i++) {
    const t = await navigator.clipboard.readText();
    if (t) return t;
    await new Promise(r => setTimeout(r, 25));
  }
  return '';
}"""


@dataclass
class PageReport:
    """What one reader's visit to one page saw."""
    page: str
    url: str = ""
    status: int | None = None
    error: str | None = None
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    description: str | None = None
    maths: dict = field(default_factory=dict)
    maths_ready: bool = False
    images: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    axe_light: list[dict] | None = None    # None: axe did not run in that scheme
    axe_dark: list[dict] | None = None
    schemes: list[str | None] = field(default_factory=list)   # as opened, after the toggle
    copies: list[dict] = field(default_factory=list)
    outputs: list[dict] = field(default_factory=list)
    uncopyable: list[str] = field(default_factory=list)
    notebook_output_buttons: int = 0
    seconds: dict = field(default_factory=dict)   # time spent per step, for tuning


class Tab:
    """One browser context and page, reused for many pages, recording everything
    that goes wrong while it is on a page."""

    def __init__(self, context, page, server: SiteServer):
        self.context, self.page, self.server = context, page, server
        self.report: PageReport | None = None
        page.on("console", self._console)
        page.on("pageerror", lambda err: self._add("console_errors", f"uncaught: {err}"))
        page.on("requestfailed", self._failed)
        page.on("response", self._response)

    def _add(self, what, item):
        if self.report is not None:
            getattr(self.report, what).append(item)

    def _console(self, msg):
        if msg.type == "error":
            self._add("console_errors", f"{msg.text} [{msg.location.get('url', '')}]")

    def _failed(self, request):
        # ERR_ABORTED: cancelled by the page itself or by leaving it (not a failure
        # of the site); everything else (refused, not found, blocked...) counts.
        if "ERR_ABORTED" not in (request.failure or ""):
            self._add("failed_requests", f"{request.url} ({request.failure})")

    def _response(self, resp):
        if resp.status >= 400:
            self._add("failed_requests", f"{resp.url} (HTTP {resp.status})")

    async def route(self, route):
        url = route.request.url
        if url.startswith(self.server.origin + "/"):
            await route.continue_()
        else:
            self._add("external_requests", url)
            await route.abort("blockedbyclient")


class Browser:
    """One headless Chromium for the test session, driven through Playwright's async
    API from a private event loop (so that several tabs can work at once)."""

    def __init__(self, executable: str):
        self.loop = asyncio.new_event_loop()
        self.executable = executable
        self.clipboard = None
        self.playwright = self.chromium = None
        self.run(self._start())

    def run(self, coro):
        return self.loop.run_until_complete(coro)

    async def _start(self):
        from playwright.async_api import async_playwright

        self.clipboard = asyncio.Lock()   # one system clipboard for every tab
        self.playwright = await async_playwright().start()
        self.chromium = await self.playwright.chromium.launch(
            executable_path=self.executable, args=CHROMIUM_ARGS, headless=True)

    async def tab(self, server: SiteServer, **options) -> Tab:
        context = await self.chromium.new_context(**options)
        await context.grant_permissions(["clipboard-read", "clipboard-write"],
                                        origin=server.origin)
        context.set_default_timeout(20_000)
        page = await context.new_page()
        tab = Tab(context, page, server)
        await context.route("**/*", tab.route)
        return tab

    def close(self):
        async def stop():
            if self.chromium:
                await self.chromium.close()
            if self.playwright:
                await self.playwright.stop()
        try:
            self.run(stop())
        finally:
            self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            self.loop.close()


async def load(tab: Tab, page: str, report: PageReport):
    """Open ``page`` the way a reader does and wait until its maths is typeset."""
    tab.report = report
    report.url = tab.server.url(page)
    resp = await tab.page.goto(report.url, wait_until="load")
    report.status = resp.status if resp else None
    report.maths_ready = await tab.page.evaluate(WAIT_FOR_MATHS)
    await tab.page.add_style_tag(content=NO_MOTION_CSS)


async def axe_check(tab: Tab, rules: list[str] | None) -> list[dict]:
    from axe_playwright_python.base import AXE_SCRIPT

    page = tab.page
    if not await page.evaluate("() => !!window.axe"):
        await page.evaluate(AXE_SCRIPT)
    if rules is None:
        rules = await page.evaluate(AXE_RULES, [AXE_TAGS, AXE_EXTRA_RULES])
    await page.evaluate(SAMPLE_CODE_TOKENS, True)
    try:
        return await page.evaluate(AXE_RUN, rules)
    finally:
        await page.evaluate(SAMPLE_CODE_TOKENS, False)


async def axe_in_scheme(tab: Tab, report: PageReport, dark: bool = True):
    """Full WCAG 2.2 AA rule set in the light scheme; colour contrast in the dark one
    (if ``dark``: see ``contrast_sample``)."""
    scheme = await tab.page.evaluate(SCHEME)
    if scheme == "slate":
        if dark:
            report.axe_dark = await axe_check(tab, AXE_COLOUR_RULES)
    else:
        report.axe_light = await axe_check(tab, None)


async def toggle_scheme(tab: Tab) -> str | None:
    """Click Material's palette toggle (the one label the header shows)."""
    before = await tab.page.evaluate(SCHEME)
    await tab.page.locator("form[data-md-component='palette'] label:visible").first.click()
    await tab.page.wait_for_function(
        "s => document.body.getAttribute('data-md-color-scheme') !== s", arg=before)
    return await tab.page.evaluate(SCHEME)


async def copy_all(tab: Tab, lock: asyncio.Lock) -> list[dict]:
    """Click every copy button on the page, in page order; what each put on the clipboard."""
    page = tab.page
    copies = await page.eval_on_selector_all(COPY_BUTTONS, f"bs => bs.map({COPY_BUTTON_INFO})")
    buttons = page.locator(COPY_BUTTONS)
    for i, info in enumerate(copies):
        async with lock:
            await page.evaluate("() => navigator.clipboard.writeText('')")
            await buttons.nth(i).click()
            info["clipboard"] = await page.evaluate(READ_CLIPBOARD)
    return copies


async def visit(tab: Tab, page: str, lock: asyncio.Lock, dark: bool = True) -> PageReport:
    """Everything a reader does on one page, recorded in a PageReport."""
    report = PageReport(page)
    clock = time.perf_counter()

    def lap(step):
        nonlocal clock
        now = time.perf_counter()
        report.seconds[step] = round(now - clock, 2)
        clock = now

    try:
        await load(tab, page, report)
        lap("load")
        pw = tab.page
        # Open every collapsed block (the helper code), as a reader does to copy it.
        for _ in range(await pw.evaluate(OPEN_DETAILS)):
            await pw.locator("details:not([open]) > summary").first.click()
        report.maths = await pw.evaluate(MATHS_REPORT)
        blocks = await pw.evaluate(CODE_BLOCKS)
        report.description = blocks["description"]
        report.outputs = blocks["outputs"]
        report.uncopyable = blocks["uncopyable"]
        report.notebook_output_buttons = blocks["notebookOutputButtons"]
        lap("scan")
        # axe sees the page as loaded (top of the page), every collapsed block open, in
        # the scheme it opened in; after one click on the palette toggle, in the other.
        # (Material keeps the choice, so a tab's next page opens in that scheme: pages
        # alternate between light-then-dark and dark-then-light.)
        report.schemes.append(await pw.evaluate(SCHEME))
        await axe_in_scheme(tab, report, dark)
        lap("axe")
        shown = await pw.evaluate(IMAGES_REPORT)
        report.images, report.figures = shown["images"], shown["figures"]
        lap("images")
        report.copies = await copy_all(tab, lock)
        lap("copy")
        report.schemes.append(await toggle_scheme(tab))
        await axe_in_scheme(tab, report, dark)
        lap("toggle+axe")
    except Exception:  # noqa: BLE001 - the report carries it to every check of the page
        report.error = traceback.format_exc(limit=4)
    finally:
        tab.report = None
    return report


def default_tabs() -> int:
    """Pages visited at once: one per core (the renderers are the bottleneck), at most
    4; ``NNDL_BROWSER_TABS`` overrides."""
    return int(os.environ.get("NNDL_BROWSER_TABS") or max(1, min(4, os.cpu_count() or 1)))


async def visit_all(browser: Browser, server: SiteServer, pages: list[str],
                    dark_pages=None, tabs: int | None = None) -> dict[str, PageReport]:
    """Visit every page, ``tabs`` pages at a time (one context per tab, so the
    palette each tab toggles stays its own); colour contrast in the dark scheme on
    ``dark_pages`` (default: all)."""
    tabs = tabs or default_tabs()
    queue: asyncio.Queue = asyncio.Queue()
    for page in pages:
        queue.put_nowait(page)
    reports: dict[str, PageReport] = {}

    async def worker():
        tab = await browser.tab(server)
        try:
            while not queue.empty():
                page = queue.get_nowait()
                reports[page] = await visit(tab, page, browser.clipboard,
                                            dark_pages is None or page in dark_pages)
        finally:
            await tab.context.close()

    await asyncio.gather(*(worker() for _ in range(min(tabs, len(pages)))))
    return reports


# ------------------------------------------------- search and navigation ----

SEARCH_STATE = """() => {
  const t = JSON.parse(document.getElementById('__config').textContent).translations;
  const meta = document.querySelector('.md-search-result__meta');
  return {meta: meta ? meta.textContent.trim() : null,
          placeholder: t['search.result.placeholder']};
}"""

SEARCH_LINKS = """() => [...document.querySelectorAll('.md-search-result__item a')]
  .map(a => a.href)"""

# What the result list shows, item by item (titles and snippets, collapsed ones too).
SEARCH_TEXTS = """() => [...document.querySelectorAll('.md-search-result__item')]
  .map(li => li.textContent)"""


async def search(tab: Tab, query: str) -> tuple[str, list[str]]:
    """Type ``query`` into Material's search box; (result summary, pages the results
    link to, as paths relative to the site root)."""
    page = tab.page
    box = page.locator("input.md-search__input")
    await box.click()
    await box.fill("")
    await box.press("End")        # Material searches on keyup (an IME ends with one too)
    # Ready (the index is loaded) when an empty box shows the placeholder message.
    await page.wait_for_function(
        "() => { const s = (" + SEARCH_STATE + ")(); return s.meta === s.placeholder; }")
    await box.fill(query)
    await box.press("End")
    await page.wait_for_function(
        "() => { const s = (" + SEARCH_STATE + ")(); return s.meta !== s.placeholder; }")
    state = await page.evaluate(SEARCH_STATE)
    pages = []
    for href in await page.evaluate(SEARCH_LINKS):
        path = urllib.parse.urlsplit(href).path
        if path.startswith(tab.server.prefix):
            rel = urllib.parse.unquote(path[len(tab.server.prefix):])
            if rel not in pages:
                pages.append(rel)
    return state["meta"], pages


MARK_LINK = """([url, scope]) => {
  document.querySelectorAll('[data-nndl-click]').forEach(a => a.removeAttribute('data-nndl-click'));
  const a = [...document.querySelectorAll((scope + ' a[href]').trim())].find(a => a.href === url);
  if (a) a.setAttribute('data-nndl-click', '');
  return !!a;
}"""


async def follow_link(tab: Tab, url: str | None, scope: str = "body",
                      images: bool = False) -> dict:
    """Click, like a reader, the first link to ``url`` inside ``scope`` (with ``url``
    None: the first link ``scope`` selects); where it led, whether Material's instant
    navigation kept the window (no full reload), the new page's maths and (optionally)
    its images."""
    page = tab.page
    if url is None:
        if not await page.locator(scope).count():
            raise AssertionError(f"{page.url}: no link {scope}")
        url = await page.locator(scope).first.evaluate("a => a.href")
        scope = ""
    if not await page.evaluate(MARK_LINK, [url, scope]):
        raise AssertionError(f"{page.url}: no link to {url} in {scope}")
    await page.evaluate("""() => {
        window.__nndl_window = true;
        document.querySelectorAll('article').forEach(a => a.setAttribute('data-nndl-old', ''));
    }""")
    await page.locator("[data-nndl-click]").first.click()
    await page.wait_for_url(url)
    # The new page's content is in (an instant navigation may change the URL first).
    await page.wait_for_function("""() => document.readyState === 'complete' &&
        document.querySelector('article') && !document.querySelector('article[data-nndl-old]')""")
    ready = await page.evaluate(WAIT_FOR_MATHS)
    h1 = await page.locator("article h1, .jupyter-wrapper h1").first.text_content()
    step = {"url": page.url, "instant": await page.evaluate("() => window.__nndl_window === true"),
            "maths_ready": ready, "maths": await page.evaluate(MATHS_REPORT),
            "h1": (h1 or "").strip()}
    if images:
        step["images"] = (await page.evaluate(IMAGES_REPORT))["images"]
    return step


# ------------------------------------------------ one browser session, all checks ----

async def walk(browser: Browser, server: SiteServer, steps, images: bool = False) -> dict:
    """Open the home page, then click one link after another, each given as (URL
    relative to the site, where on the page to look for it) or (None, the link)."""
    tab = await browser.tab(server)
    tab.report = PageReport("walk")
    try:
        # Material intercepts a click only once it has the site's sitemap (its click
        # stream is combined with the sitemap's); a click before that is an ordinary
        # full load. A reader takes longer than that to click, so wait for it: the
        # response, then a quiet network, by which time the bundle has parsed it.
        def is_sitemap(response):
            return urllib.parse.urlsplit(response.url).path.endswith("/sitemap.xml")

        async with tab.page.expect_response(is_sitemap) as sitemap:
            resp = await tab.page.goto(server.url(""))
        if resp.status != 200:
            raise AssertionError(f"{server.url('')}: HTTP {resp.status}")
        if (status := (await sitemap.value).status) != 200:
            raise AssertionError(f"{server.url('sitemap.xml')}: HTTP {status}")
        await tab.page.wait_for_load_state("networkidle")
        await tab.page.evaluate(WAIT_FOR_MATHS)
        seen = []
        for target, scope in steps:
            url = None if target is None else server.url(target)
            seen.append(await follow_link(tab, url, scope, images))
        return {"steps": seen, "console_errors": tab.report.console_errors,
                "failed_requests": tab.report.failed_requests,
                "external_requests": tab.report.external_requests}
    finally:
        tab.report = None
        await tab.context.close()


async def system_scheme(browser: Browser, server: SiteServer, scheme: str) -> str | None:
    """The colour scheme the home page opens in for a reader whose system is ``scheme``."""
    tab = await browser.tab(server, color_scheme=scheme)
    try:
        await tab.page.goto(server.url(""))
        return await tab.page.evaluate(SCHEME)
    finally:
        await tab.context.close()


async def missing_page(browser: Browser, server: SiteServer) -> dict:
    """A URL that is not on the site: status, and whether the 404 page got its styles."""
    tab = await browser.tab(server)
    tab.report = PageReport("missing")
    try:
        resp = await tab.page.goto(server.url("no/such/page/"))
        await tab.page.evaluate(WAIT_FOR_MATHS)
        position = await tab.page.evaluate(
            "() => getComputedStyle(document.querySelector('.md-header')).position")
        return {"status": resp.status, "header_position": position,
                "failed_requests": [f for f in tab.report.failed_requests
                                    if "/no/such/page/" not in f],
                "external_requests": tab.report.external_requests}
    finally:
        tab.report = None
        await tab.context.close()


async def searches(browser: Browser, server: SiteServer, pairs) -> dict:
    """Each query typed into the search box of the edition its page belongs to (the
    English pages' queries on the English home page, which searches its own index)."""
    tab = await browser.tab(server)
    try:
        out, edition = {}, None
        for query, page in sorted(pairs, key=lambda p: p[1].startswith("en/")):
            home = "en/" if page.startswith("en/") else ""
            if home != edition:
                await tab.page.goto(server.url(home))
                edition = home
            meta, found = await search(tab, query)
            out[f"{query}->{page}"] = {"meta": meta, "found": found,
                                       "texts": await tab.page.evaluate(SEARCH_TEXTS)}
        return out
    finally:
        await tab.context.close()


# ------------------------------------------- figures: what the site serves ----

def svg_specimens() -> dict[str, dict[str, str]]:
    """Two figures with every kind of element the site's figures have (lines, markers
    in several colours, filled areas, an image, a colour bar, a legend, Chinese text,
    mathtext, boxed labels, arrows, circles), each as Matplotlib writes it ("raw"),
    after ``round_svg`` ("rounded") and as the site serves it ("served", which must be
    ``figure_to_svg``'s output)."""
    import numpy as np

    from snippets import plotting
    from tools.pagerun import build_style

    build_style()()

    def plots():
        rng = np.random.default_rng(0)
        fig, (ax, bx) = plotting.new_figure(ncols=2, width=8.0, height=3.2)
        x = np.linspace(-3, 3, 400)
        ax.plot(x, np.tanh(x), label=r"$\tanh(x)$ 双曲正切")
        ax.plot(x, x / (1 + np.exp(-x)), "--", label="Swish（β = 1）")
        ax.fill_between(x, 0, np.tanh(x), alpha=0.2)
        pts = rng.normal(size=(40, 2))
        ax.scatter(pts[:, 0], pts[:, 1], c=pts[:, 0] > 0, cmap="coolwarm", s=14, edgecolors="k")
        ax.annotate("死亡区", xy=(-2, -1), xytext=(-1, 1.5), arrowprops=dict(arrowstyle="->"),
                    bbox=dict(boxstyle="round", fc="white"))
        ax.set(title="激活函数与隐藏层", xlabel="$x_1$", ylabel="输出 $a$")
        ax.legend(loc="lower right")
        image = bx.imshow(rng.random((12, 16)), cmap="viridis", origin="lower")
        fig.colorbar(image, ax=bx, label="概率")
        bx.set_title("判决区域")
        return fig

    def network():
        fig, ax = plotting.new_figure(width=4.0, height=3.0)
        plotting.draw_network(ax, [np.array([[1.0, -1.0], [1.0, 1.0]]), np.array([[1.0, -2.0]])],
                              [np.array([0.0, -1.0]), np.array([0.5])],
                              activations=["ReLU", "线性"])
        return fig

    out = {}
    for name, make in [("plots", plots), ("network", network)]:
        # A fresh figure per rendering: constrained layout settles over repeated draws.
        raw = plotting.figure_to_svg(make(), compact=False)
        served = plotting.figure_to_svg(make())
        if plotting.compact_svg(raw) != served:
            raise AssertionError(f"{name}: figure_to_svg is not compact_svg of the raw SVG")
        out[name] = {"raw": raw, "rounded": plotting.round_svg(raw), "served": served}
    return out


# Draws two SVG texts as images at ``scale`` times their size in this browser, and
# compares the pixels: how many differ, by how much at most, and how many are inked
# (not near-white), so that two blank images cannot pass for equal.
SVG_PIXELS = """async ([a, b, scale]) => {
  const load = s => new Promise((ok, fail) => {
    const img = new Image();
    img.onload = () => ok(img);
    img.onerror = () => fail(new Error('an SVG did not load as an image'));
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(s);
  });
  const [ia, ib] = await Promise.all([load(a), load(b)]);
  const w = Math.round(ia.naturalWidth * scale), h = Math.round(ia.naturalHeight * scale);
  const pixels = img => {
    const c = document.createElement('canvas');
    c.width = w; c.height = h;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0, w, h);
    return g.getImageData(0, 0, w, h).data;
  };
  const pa = pixels(ia), pb = pixels(ib);
  let differing = 0, visibly = 0, maxDiff = 0, ink = 0;
  for (let i = 0; i < pa.length; i += 4) {
    let d = 0;
    for (let k = 0; k < 4; k++) d = Math.max(d, Math.abs(pa[i + k] - pb[i + k]));
    if (d) differing++;
    if (d > 64) visibly++;
    maxDiff = Math.max(maxDiff, d);
    if (pa[i + 3] > 0 && pa[i] + pa[i + 1] + pa[i + 2] < 600) ink++;
  }
  return {sizes: [[ia.naturalWidth, ia.naturalHeight], [ib.naturalWidth, ib.naturalHeight]],
          pixels: w * h, differing, visibly, maxDiff, ink};
}"""


async def svg_renderings(browser: Browser, server: SiteServer, specimens) -> dict:
    """For each specimen: the served SVG against the rounded one (the markup rewrite
    alone: must be pixel-identical) and against the raw one (rounding included)."""
    tab = await browser.tab(server)
    try:
        await tab.page.goto(server.url("404.html"))
        out = {}
        for name, svg in specimens.items():
            out[name] = {
                "rewrite": await tab.page.evaluate(SVG_PIXELS, [svg["rounded"], svg["served"], 2]),
                "rounding": await tab.page.evaluate(SVG_PIXELS, [svg["raw"], svg["served"], 2]),
                "bytes": {k: len(v.encode()) for k, v in svg.items()}}
        return out
    finally:
        await tab.context.close()


async def _guarded(coro):
    try:
        return await coro
    except Exception:  # noqa: BLE001 - reported by the test that reads it
        return {"error": traceback.format_exc(limit=6)}


def collect(executable: str, served: SiteServer, default: SiteServer, searches_to_run,
            exercises: list[str], specimens=None) -> dict:
    """Everything the browser tests check, from one Chromium, as plain data (JSON).

    ``served`` serves the site built for its own URL (under the sub-path): every page
    is visited there (one tab per core), and the site is searched, clicked through,
    opened with a dark system and at a missing URL. ``default`` serves the README's
    default build under the same sub-path, for one walk through it. ``specimens``
    (``svg_specimens()``) are drawn to compare the site's SVG with Matplotlib's.
    """
    browser = Browser(executable)
    pages = built_pages(served.root)
    first = exercises[0] if exercises and exercises[0] in pages else None

    dark_pages = contrast_sample(served.root, pages)

    async def everything():
        out = {"pages": await visit_all(browser, served, pages, dark_pages),
               "dark_pages": dark_pages}
        out["searches"] = await _guarded(searches(
            browser, served, [(q, p) for q, p in searches_to_run if p in pages]))
        out["dark_system"] = await _guarded(system_scheme(browser, served, "dark"))
        out["missing"] = await _guarded(missing_page(browser, served))
        if specimens:
            out["svg_renderings"] = await _guarded(svg_renderings(browser, served, specimens))
        if first:
            out["instant_walk"] = await _guarded(walk(browser, served, [
                (first, ".md-sidebar--primary"), (None, "a.md-footer__link--next")]))
            out["default_walk"] = await _guarded(walk(browser, default, [
                (first, ".md-sidebar--primary"), (f"notebooks/{first}", "article")],
                images=True))
        return out

    try:
        out = browser.run(everything())
    finally:
        browser.close()
    out["pages"] = {page: dataclasses.asdict(r) for page, r in out["pages"].items()}
    return out
