r"""Maths at build time: every formula of the site becomes MathML in the HTML.

pymdownx.arithmatex (generic mode) leaves each formula as TeX in a span or div of
class ``arithmatex`` (``\(...\)`` inline, ``\[...\]`` displayed); notebook pages
get the same spans from ``tools.notebooks.arithmatex_spans``. ``render_page``
replaces every such formula by MathML, which the browser draws natively (MathML
Core: Chromium 109+, Firefox, Safari), so the maths is there at first paint with
no script, and screen readers read the MathML itself.

TeX is converted by ``latex2mathml`` (pure Python), then rewritten into what
MathML Core draws the way TeX does:

* ``mathvariant`` (``\boldsymbol``, ``\mathbb``, ``\mathcal`` ...) is not in
  MathML Core: letters become their Unicode mathematical alphanumerics
  (``\boldsymbol w`` -> U+1D498), as TeX's fonts would draw them (upright bold
  for capital Greek and digits under ``\boldsymbol``);
* function names (``\tanh``, ``\max``, ``\operatorname{ReLU}``) get TeX's thin
  spaces, and ``\max_i``, ``\sup_x`` ... take their limits below in display;
* named spaces become ``em``; accents are marked as accents; capital Greek is
  upright; ``\mathrm{...}`` letters are one upright identifier;
* ``\boxed`` and column alignment are drawn by ``docs/stylesheets/extra.css``.

The maths is drawn in STIX Two Math (SIL Open Font License; the copy that the
``ziamath`` package ships), cut down by ``write_font`` to the glyphs the site's
formulas use (with their larger sizes, for stretchy brackets and big operators)
and served from this site as ``assets/nndl-math.woff``: about 45 KB, cached by
the browser for every page.

Only the TeX commands and environments listed here are accepted. Anything else,
unbalanced braces, or MathML that latex2mathml could not build properly, raises
``MathsError``; the hook turns it into a build error naming the page and the
formula. Rendered formulas are kept (``load_memo`` / ``save_memo``, in
``.cache/maths-<renderer hash>.json``): all 3,200 of the site cost about 0.4 s
to render afresh.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import io
import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from xml.etree.ElementTree import Element

__all__ = ["MathsError", "render", "render_page", "write_font", "ARITHMATEX", "FONT_URI"]


class MathsError(ValueError):
    """A formula the renderer cannot draw faithfully."""


# ------------------------------------------------------------------ the TeX ----

# Commands that take arguments or change structure, which latex2mathml renders
# faithfully once rewritten below. Every other command must be a symbol of
# latex2mathml's table (Greek letters, relations, arrows, ...).
STRUCTURE = frozenset(r"""
\frac \tfrac \dfrac \sqrt \left \right \middle \big \Big \bigg \Bigg \bigl \bigr \Bigl \Bigr
\biggl \biggr \Biggl \Biggr \begin \end \text \mathrm \mathbf \mathit \boldsymbol \bm
\mathbb \mathcal \mathscr \mathfrak \mathsf \mathtt \operatorname \hat \widehat \bar
\overline \underline \tilde \widetilde \dot \ddot \vec \check \breve \acute \grave
\underbrace \overbrace \boxed \quad \qquad \, \; \: \! \ \\ \{ \} \| \_ \% \# \&
\sum \prod \int \iint \oint \lim \max \min \sup \inf \arg \det \gcd \Pr \exp \log \ln
\lg \sin \cos \tan \cot \sec \csc \sinh \cosh \tanh \coth \arcsin \arccos \arctan \deg
\dim \hom \ker \limsup \liminf \argmax \argmin \dots \ldots \cdots \vdots \ddots
\lVert \rVert \lvert \rvert \langle \rangle \lfloor \rfloor \lceil \rceil \not \phantom
""".split()) | {"\\ "}
# Commands that latex2mathml knows but draws wrongly or not in MathML Core.
UNSUPPORTED = {
    r"\tag": "equation tags are not supported (number equations in the prose)",
    r"\label": "labels are not supported",
    r"\operatorname*": "\\operatorname* is not supported",
    r"\color": "colours are not supported",
    r"\xrightarrow": "extensible arrows are not supported",
    r"\xleftarrow": "extensible arrows are not supported",
}
ENVIRONMENTS = frozenset({"cases", "matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix",
                          "Vmatrix", "array", "aligned"})
COMMAND = re.compile(r"\\([A-Za-z]+\*?|.)", re.S)


@lru_cache(maxsize=1)
def _symbols() -> frozenset[str]:
    from latex2mathml.symbols_parser import SYMBOLS

    return frozenset(SYMBOLS)


def check_tex(tex: str) -> None:
    """Raise MathsError for TeX this renderer does not draw faithfully."""
    depth = 0
    for i, ch in enumerate(tex):
        if ch == "{" and (i == 0 or tex[i - 1] != "\\"):
            depth += 1
        elif ch == "}" and (i == 0 or tex[i - 1] != "\\"):
            depth -= 1
            if depth < 0:
                raise MathsError("a '}' closes no '{'")
    if depth:
        raise MathsError("a '{' is never closed")
    for m in COMMAND.finditer(tex):
        cmd = "\\" + m.group(1)
        if cmd in UNSUPPORTED:
            raise MathsError(f"{cmd}: {UNSUPPORTED[cmd]}")
        if cmd not in STRUCTURE and cmd.rstrip("*") not in _symbols():
            raise MathsError(f"unknown or unsupported command {cmd}")
    for env in re.findall(r"\\(?:begin|end)\s*\{([^}]*)\}", tex):
        if env not in ENVIRONMENTS:
            raise MathsError(f"environment {env!r} is not supported "
                             f"(supported: {', '.join(sorted(ENVIRONMENTS))})")
    if re.search(r"\\\\", _outside_environments(tex)):
        raise MathsError(r"a line break \\ outside an environment (use aligned)")


def _outside_environments(tex: str) -> str:
    prev = None
    while prev != tex:
        prev = tex
        tex = re.sub(r"\\begin\{(\w+)\}(?:(?!\\begin\{).)*?\\end\{\1\}", "", tex, flags=re.S)
    return tex


def _rewrite_tex(tex: str) -> str:
    # latex2mathml drops \mathrm on a single braced character (\mathrm{d}), not on
    # the unbraced form; aligned (inside a formula) is its align* (a whole formula).
    tex = re.sub(r"\\mathrm\{(\\?[A-Za-z])\}", r"\\mathrm \1 ", tex)
    return re.sub(r"\\(begin|end)\{aligned\}", r"\\\1{align*}", tex)


# -------------------------------------------------------------- the MathML ----

NAMED_SPACES = {"veryverythinmathspace": 1, "verythinmathspace": 2, "thinmathspace": 3,
                "mediummathspace": 4, "thickmathspace": 5, "verythickmathspace": 6,
                "veryverythickmathspace": 7}
THIN = "0.1667em"
LIMIT_NAMES = frozenset({"max", "min", "sup", "inf", "lim", "det", "gcd", "Pr", "limsup",
                         "liminf", "arg\u2009max", "arg\u2009min", "lim\u2006sup",
                         "lim\u2006inf"})
CLOSE_FENCES = frozenset(")]}\u27e9\u230b\u2309")
ACCENTS = frozenset("^~\u00af\u02d9\u00a8\u02c7\u02d8\u00b4`\u2192\u02c6\u02dc\u2015\u2190")
# latex2mathml makes these <mo>, which MathML Core spaces as operators; in TeX they
# are ordinary symbols (no space around them).
ORDINARY = frozenset("\u221e\u2202\u2207\u2200\u2203\u2205\u22a4\u22a5\u25fb\u25a1\u2032")
PRIMES = frozenset("\u2032\u2033\u2034")
UNSPACED = frozenset("|\u2016/.\u2026\u22ef")
SCRIPTED = frozenset({"msub", "msup", "msubsup", "munder", "mover", "munderover"})
ARITY = {"mfrac": 2, "msub": 2, "msup": 2, "msubsup": 3, "munder": 2, "mover": 2,
         "munderover": 3, "mroot": 2}
TOKENS = frozenset({"mi", "mn", "mo", "mtext", "ms"})
# Unicode names of the mathematical alphanumerics, by mathvariant; "capital Greek
# stays upright" and "digits have no italic" are applied in _styled.
VARIANTS = {"bold": "BOLD", "italic": "ITALIC", "bold-italic": "BOLD ITALIC",
            "double-struck": "DOUBLE-STRUCK", "script": "SCRIPT", "bold-script": "BOLD SCRIPT",
            "fraktur": "FRAKTUR", "bold-fraktur": "BOLD FRAKTUR", "sans-serif": "SANS-SERIF",
            "bold-sans-serif": "SANS-SERIF BOLD", "sans-serif-italic": "SANS-SERIF ITALIC",
            "monospace": "MONOSPACE"}
HOLES = {  # letters that Unicode encodes outside the Mathematical Alphanumeric block
    ("ITALIC", "h"): "\u210e", ("SCRIPT", "B"): "\u212c", ("SCRIPT", "E"): "\u2130",
    ("SCRIPT", "F"): "\u2131", ("SCRIPT", "H"): "\u210b", ("SCRIPT", "I"): "\u2110",
    ("SCRIPT", "L"): "\u2112", ("SCRIPT", "M"): "\u2133", ("SCRIPT", "R"): "\u211b",
    ("SCRIPT", "e"): "\u212f", ("SCRIPT", "g"): "\u210a", ("SCRIPT", "o"): "\u2134",
    ("FRAKTUR", "C"): "\u212d", ("FRAKTUR", "H"): "\u210c", ("FRAKTUR", "I"): "\u2111",
    ("FRAKTUR", "R"): "\u211c", ("FRAKTUR", "Z"): "\u2128", ("DOUBLE-STRUCK", "C"): "\u2102",
    ("DOUBLE-STRUCK", "H"): "\u210d", ("DOUBLE-STRUCK", "N"): "\u2115",
    ("DOUBLE-STRUCK", "P"): "\u2119", ("DOUBLE-STRUCK", "Q"): "\u211a",
    ("DOUBLE-STRUCK", "R"): "\u211d", ("DOUBLE-STRUCK", "Z"): "\u2124",
}


def _capital_greek(ch: str) -> bool:
    return "\u0391" <= ch <= "\u03a9"


def _styled(ch: str, variant: str) -> str | None:
    """``ch`` in the mathematical alphanumeric style ``variant``, or None."""
    style = VARIANTS[variant]
    if variant == "bold-italic" and (_capital_greek(ch) or ch.isdigit()):
        style = "BOLD"                          # TeX's \boldsymbol: upright there
    if (style, ch) in HOLES:
        return HOLES[(style, ch)]
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    m = re.fullmatch(r"(?:LATIN|GREEK) (CAPITAL|SMALL) LETTER (\w+)", name)
    if m:
        rest = f"{m.group(1)} {m.group(2)}"
    elif name.startswith("DIGIT "):
        rest = name
    elif name.startswith("GREEK ") and name.endswith(" SYMBOL"):
        rest = name[len("GREEK "):].replace("LUNATE ", "")
    elif name in ("NABLA", "PARTIAL DIFFERENTIAL"):
        rest = name
    else:
        return None
    try:
        return unicodedata.lookup(f"MATHEMATICAL {style} {rest}")
    except KeyError:
        return None


def _text(el: Element) -> str:
    return el.text or ""


def _decode(el: Element) -> None:
    """latex2mathml writes characters as "&#x...;" text: make them characters."""
    for node in el.iter():
        if node.text:
            node.text = html.unescape(node.text)
        node.tail = None


def _apply_variants(el: Element) -> None:
    for node in el.iter():
        variant = node.attrib.get("mathvariant")
        if variant is None or node.tag not in TOKENS:
            continue
        if variant == "normal":
            if node.tag != "mi" or len(_text(node)) != 1:
                del node.attrib["mathvariant"]
            continue
        if variant not in VARIANTS:
            raise MathsError(f"mathvariant {variant!r} has no Unicode form")
        out = []
        for ch in _text(node):
            styled = _styled(ch, variant) if not ch.isspace() else ch
            if styled is None:
                if "bold" in variant and node.tag in ("mo", "mtext", "mn"):
                    node.set("style", "font-weight:bold")
                    styled = ch
                else:
                    raise MathsError(f"{ch!r} has no {variant} form in Unicode")
            out.append(styled)
        node.text = "".join(out)
        del node.attrib["mathvariant"]
        if node.tag == "mi" and len(node.text) == 1:
            node.set("mathvariant", "normal")   # already styled: no automatic italic


def _is_function_token(node: Element) -> bool:
    text = _text(node)
    if node.tag == "mi":
        return "mathvariant" not in node.attrib and len(text) > 1 and text.isalpha()
    if node.tag == "mo":
        return len(text) > 1 and text.replace("\u2009", "").replace("\u2006", "").isalpha()
    return False


def _core(node: Element) -> None:
    """Rewrite latex2mathml's MathML into MathML Core, recursively."""
    for child in list(node):
        _core(child)
    # f': the prime glyph is already raised; as a superscript it would sit too high
    for i, kid in reversed(list(enumerate(node))):
        if kid.tag == "msup" and len(kid) == 2 and kid[1].tag in ("mi", "mo") \
                and _text(kid[1]) and set(_text(kid[1])) <= PRIMES:
            base, prime = kid[0], kid[1]
            prime.tag = "mo"
            prime.attrib.clear()
            prime.set("lspace", "0")
            prime.set("rspace", "0")
            node.remove(kid)
            node.insert(i, base)
            node.insert(i + 1, prime)
    kids = list(node)
    # function names: operators with TeX's spacing; limits below in display
    for i, kid in enumerate(kids):
        base = kid[0] if kid.tag in SCRIPTED and len(kid) else kid
        if not _is_function_token(base):
            continue
        base.tag = "mo"
        name = _text(base)
        if name in LIMIT_NAMES or base.get("movablelimits") == "true":
            base.set("movablelimits", "true")
            if kid.tag in ("msub", "msubsup"):
                kid.tag = "munder" if kid.tag == "msub" else "munderover"
        prev = kids[i - 1] if i else None
        nxt = next((k for k in kids[i + 1:] if k.tag != "mspace"), None)
        base.set("lspace", THIN if prev is not None and not _is_operator(prev) else "0")
        base.set("rspace", THIN if nxt is not None and not _is_operator(nxt) else "0")
    # \mathrm{ReLU}: one upright identifier rather than four letters
    i = 0
    while i < len(kids):
        run = []
        while (i < len(kids) and kids[i].tag == "mi" and kids[i].get("mathvariant") == "normal"
               and len(kids[i]) == 0 and _text(kids[i]).isascii() and _text(kids[i]).isalpha()):
            run.append(kids[i])
            i += 1
        if len(run) > 1:
            run[0].text = "".join(_text(k) for k in run)
            del run[0].attrib["mathvariant"]
            for k in run[1:]:
                node.remove(k)
        i += 1 if not run else 0
    kids = list(node)
    for kid in kids:
        for attr in ("width", "lspace", "rspace"):
            value = kid.get(attr, "")
            sign = "-" if value.startswith("negative") else ""
            if value.removeprefix("negative") in NAMED_SPACES:
                n = NAMED_SPACES[value.removeprefix("negative")]
                kid.set(attr, f"{sign}{n / 18:.4f}em")
    if node.tag == "mover" and len(node) == 2 and node[1].tag == "mo" \
            and _text(node[1]) in ACCENTS:
        node.set("accent", "true")
        node[1].attrib.pop("accent", None)
    if node.tag == "mi" and len(_text(node)) == 1 and _capital_greek(_text(node)) \
            and "mathvariant" not in node.attrib:
        node.set("mathvariant", "normal")      # TeX sets capital Greek upright
    if node.tag == "mo" and _text(node) in ORDINARY and not node.attrib:
        node.tag = "mi"                        # \infty, \partial, \top: symbols, not operators
        node.set("mathvariant", "normal")
    if node.tag == "mo" and _text(node) in UNSPACED and "lspace" not in node.attrib:
        node.set("lspace", "0")                # | and / are ordinary symbols in TeX
        node.set("rspace", "0")
    if node.tag == "menclose":
        node.tag = "mrow"
        node.set("class", "nndl-boxed")
        node.attrib.pop("notation", None)


def _script_spacing(node: Element, level: int, display: bool) -> None:
    """TeX drops the spaces around binary operators and relations in script sizes
    (``\\delta^{(l+1)}``, ``\\tfrac{a+b}{2}``); MathML Core keeps them, so set them
    to zero there. ``level`` is the script level, ``display`` the display style."""
    if node.tag == "mstyle":
        if "displaystyle" in node.attrib:
            display = node.get("displaystyle") == "true"
        if node.get("scriptlevel", "").lstrip("+").isdigit():
            level = int(node.get("scriptlevel").lstrip("+"))
    if node.tag == "mo" and level > 0 and "lspace" not in node.attrib:
        node.set("lspace", "0")
        node.set("rspace", "0")
    for i, child in enumerate(node):
        if node.tag in ("msub", "msup", "msubsup") and i > 0:
            _script_spacing(child, level + 1, False)
        elif node.tag in ("munder", "mover", "munderover") and i > 0 \
                and node.get("accent") != "true":
            _script_spacing(child, level + 1, False)
        elif node.tag == "mfrac":
            _script_spacing(child, level + (0 if display else 1), False)
        elif node.tag == "mroot" and i == 1:
            _script_spacing(child, level + 2, False)
        else:
            _script_spacing(child, level, display)


def _is_operator(node: Element) -> bool:
    """Whether ``node`` is an operator (or embellished one) that brings its own
    spacing: TeX puts no extra space between a function name and it. Closing
    delimiters count as ordinary ("(a)\\max" has a thin space)."""
    core = node
    while core.tag in SCRIPTED and len(core):
        core = core[0]
    if core.tag != "mo":
        return False
    return not (core.get("form") == "postfix" or _text(core) in CLOSE_FENCES)


def _check_tree(el: Element) -> None:
    for node in el.iter():
        text = _text(node)
        if node.tag in ("mi", "mn") and re.search(r"[\\{}&$]", text) or "\\" in text:
            raise MathsError(f"could not convert {text!r}")
        if node.tag in ARITY and len(node) != ARITY[node.tag]:
            raise MathsError(f"<{node.tag}> with {len(node)} parts instead of "
                             f"{ARITY[node.tag]} (a missing argument?)")
        if node.tag == "mspace" and node.get("linebreak"):
            raise MathsError("a line break outside an environment")
        if node.tag == "mo" and not text and node.get("fence") != "true":
            raise MathsError("an empty operator (an unsupported construct?)")


def _serialise(el: Element, out: list[str]) -> None:
    attrs = "".join(f' {k}="{html.escape(v)}"' for k, v in el.attrib.items() if k != "xmlns")
    out.append(f"<{el.tag}{attrs}>")
    if el.text:
        out.append(html.escape(el.text, quote=False))
    for child in el:
        _serialise(child, out)
    out.append(f"</{el.tag}>")


MEMO: dict[str, str] = {}          # "0tex" / "1tex" -> MathML, kept across builds
MEMO_NEW = [False]


def _memo_key() -> str:
    """What the rendered MathML depends on besides the TeX: this file and latex2mathml."""
    from importlib.metadata import version

    source = Path(__file__).read_bytes()
    return hashlib.sha256(source + version("latex2mathml").encode()).hexdigest()[:16]


def load_memo(cache_dir: Path) -> None:
    """Formulas rendered by earlier builds with this same renderer (about 0.4 s saved)."""
    import json

    path = Path(cache_dir) / f"maths-{_memo_key()}.json"
    if not MEMO and path.is_file():
        MEMO.update(json.loads(path.read_text(encoding="utf-8")))


def save_memo(cache_dir: Path) -> None:
    import json

    if not MEMO_NEW[0]:
        return
    path = Path(cache_dir) / f"maths-{_memo_key()}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(MEMO, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    tmp.replace(path)
    MEMO_NEW[0] = False


def render(tex: str, display: bool = False) -> str:
    r"""MathML Core for one formula (TeX without its ``\(``/``\[`` delimiters).

    Examples
    --------
    >>> render(r"\boldsymbol w^\top x")
    '<math><msup><mi mathvariant="normal">𝒘</mi><mi mathvariant="normal">⊤</mi></msup><mi>x</mi></math>'
    >>> render(r"\mathbb R^D", display=True)
    '<math display="block"><msup><mi mathvariant="normal">ℝ</mi><mi>D</mi></msup></math>'
    >>> render(r"\frac{1}")
    Traceback (most recent call last):
    ...
    tools.maths.MathsError: <mfrac> with 1 parts instead of 2 (a missing argument?)
    """
    key = f"{int(display)}{tex}"
    if key not in MEMO:
        MEMO[key] = _render(tex, display)
        MEMO_NEW[0] = True
    return MEMO[key]


def _render(tex: str, display: bool) -> str:
    from latex2mathml.converter import convert_to_element

    check_tex(tex)
    try:
        root = convert_to_element(_rewrite_tex(tex), display="block" if display else "inline")
    except Exception as err:  # noqa: BLE001 - latex2mathml raises many kinds
        raise MathsError(f"latex2mathml failed: {err}") from err
    _decode(root)
    _apply_variants(root)
    _core(root)
    _script_spacing(root, 0, display)
    _check_tree(root)
    _unwrap(root)
    root.attrib.clear()
    if display:
        root.set("display", "block")
    out: list[str] = []
    _serialise(root, out)
    return "".join(out)


def _unwrap(el: Element) -> None:
    """Drop the ``<mrow>`` that only wraps one child or the whole formula (no effect
    on drawing: an mrow with one child draws as that child)."""
    for node in el.iter():
        changed = True
        while changed:
            changed = False
            for i, child in enumerate(list(node)):
                if child.tag == "mrow" and not child.attrib and (
                        len(child) == 1 or (node.tag in ("math", "mrow", "mtd", "mstyle",
                                                        "msqrt", "mphantom")
                                            and not node.attrib.get("class"))):
                    node.remove(child)
                    for j, grandchild in enumerate(list(child)):
                        node.insert(i + j, grandchild)
                    changed = True
                    break


# ------------------------------------------------------------------ a page ----

ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)


FONT_URI = "assets/nndl-math.woff"
GLYPHS: set[str] = set()          # characters of every formula rendered for the site


def render_page(html_text: str, where: str, root: str | None = None) -> str:
    r"""Every arithmatex formula of a page as MathML (``where`` names the page in
    errors). With ``root`` (the relative URL of the site root), a page with maths
    also preloads the maths font.

    >>> render_page('<p><span class="arithmatex">\\(x^2\\)</span></p>', "p")
    '<p><span class="arithmatex"><math><msup><mi>x</mi><mn>2</mn></msup></math></span></p>'
    """
    def one(m: re.Match) -> str:
        body = html.unescape(m.group(2)).strip()
        display = body.startswith("\\[")       # notebook pages have \[...\] in spans
        opening, closing = ("\\[", "\\]") if display else ("\\(", "\\)")
        if not (body.startswith(opening) and body.endswith(closing)):
            raise MathsError(f"{where}: unexpected maths markup {m.group(0)[:120]!r}")
        tex = body[2:-2]
        try:
            mathml = render(tex, display)
        except MathsError as err:
            raise MathsError(f"{where}: cannot render the formula {opening}{tex}{closing}: "
                             f"{err}") from None
        GLYPHS.update(_glyphs(mathml))
        return f'<{m.group(1)} class="arithmatex">{mathml}</{m.group(1)}>'

    out, n = ARITHMATEX.subn(one, html_text)
    if n and root is not None:
        link = (f'<link rel="preload" href="{root}{FONT_URI}" as="font" type="font/woff" '
                f'crossorigin>')
        out = out.replace("</head>", link + "\n</head>", 1)
    return out


@lru_cache(maxsize=None)
def _glyphs(mathml: str) -> frozenset[str]:
    """The characters of the tokens the maths font draws (text stays in the text font)."""
    tokens = re.findall(r"<m[ion]\b[^>]*>([^<]*)<", mathml)
    return frozenset(html.unescape("".join(tokens))) - {" ", "\u00a0"}


# ---------------------------------------------------------------- the font ----

FONT_FEATURES = ["ssty", "flac", "dtls"]   # script-size and accent forms of MATH layout
FONT_NAMES = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keeps the copyright and the licence


def font_source() -> Path:
    """STIX Two Math as the ziamath package ships it (not imported: only its file)."""
    spec = importlib.util.find_spec("ziamath")
    if spec is None or spec.origin is None:
        raise MathsError("the maths font comes from the ziamath package: "
                         "pip install -r requirements.txt")
    path = Path(spec.origin).parent / "fonts" / "STIXTwoMath-Regular.ttf"
    if not path.is_file():
        raise MathsError(f"ziamath ships no {path.name}: check its pinned version")
    return path


def subset_font(chars: set[str]) -> bytes:
    """STIX Two Math cut down to ``chars`` (plus their size variants), as WOFF.

    Deterministic: the font keeps its own timestamp, and WOFF's zlib is stable.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = FONT_FEATURES
    options.name_IDs = FONT_NAMES
    options.hinting = False
    options.notdef_outline = True
    options.drop_tables += ["DSIG"]
    font = TTFont(font_source(), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    subsetter.subset(font)
    font.flavor = "woff"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def write_font(site_dir: Path, cache_dir: Path, chars: set[str] | None = None) -> Path:
    """Write the maths font for ``chars`` (default: every formula rendered so far) to
    ``site_dir / FONT_URI``, cached in ``cache_dir`` by the font and the characters."""
    import fontTools

    chars = set(GLYPHS if chars is None else chars) | set("0123456789")
    source = font_source()
    key = hashlib.sha256(b"\0".join([
        hashlib.sha256(source.read_bytes()).digest(), fontTools.version.encode(),
        repr((FONT_FEATURES, FONT_NAMES)).encode(), "".join(sorted(chars)).encode()])
    ).hexdigest()[:20]
    cached = cache_dir / f"maths-font-{key}.woff"
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(subset_font(chars))
        tmp.replace(cached)
    dest = Path(site_dir) / FONT_URI
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(cached.read_bytes())
    return dest
