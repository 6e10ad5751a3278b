"""Figure helpers: a house style, a deterministic SVG renderer and network diagrams.

Figure functions in this package build and return a ``matplotlib.figure.Figure``
(no pyplot state, no ``savefig``/``show``); the site build turns them into SVG
with ``figure_to_svg``.
"""

import io
import logging
import re
import warnings

import matplotlib
from matplotlib.patches import Circle
import numpy as np
from matplotlib.figure import Figure

# Fonts tried in order for Chinese labels; the site build ships Noto Sans SC.
CJK_FONTS = ["Noto Sans SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
             "PingFang SC", "SimHei", "WenQuanYi Zen Hei", "DejaVu Sans"]

STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": CJK_FONTS,
    "font.size": 10,
    "axes.unicode_minus": False,  # the hyphen-minus is in every font
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 100,
    "svg.fonttype": "path",  # text becomes outlines: no font needed to view the SVG
    "svg.hashsalt": "nndl-chapter-4",  # fixed ids, so the same figure gives the same bytes
}


# The languages a figure's text comes in: the Chinese edition's and the English one's.
LANGS = ("zh", "en")


def figure_text(table, lang):
    """The text of one figure in language ``lang``: ``table[lang]``.

    A figure function keeps its titles, axis labels, legends and annotations in
    one table next to it, ``{"zh": {...}, "en": {...}}`` with the same keys in
    every language, and takes a ``lang`` argument (``"zh"`` or ``"en"``).

    Examples
    --------
    >>> TEXT = {"zh": {"x": "步数"}, "en": {"x": "steps"}}
    >>> figure_text(TEXT, "en")["x"]
    'steps'
    >>> figure_text(TEXT, "fr")
    Traceback (most recent call last):
    ...
    ValueError: lang must be one of ('zh', 'en'), not 'fr'
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    if set(table) != set(LANGS):
        raise ValueError(f"a figure's text table needs exactly the languages {LANGS}, "
                         f"found {tuple(table)}")
    keys = {language: set(texts) for language, texts in table.items()}
    if len({frozenset(k) for k in keys.values()}) != 1:
        raise ValueError(f"the languages of a figure's text table differ in their keys: {keys}")
    return dict(table[lang])   # a copy: a figure function cannot change the table


def apply_style():
    """Use the site's plotting style (Chinese-capable fonts, light grid)."""
    matplotlib.rcParams.update(STYLE)


def new_figure(ncols=1, nrows=1, width=6.4, height=4.0):
    """Return ``(fig, axes)``: a Figure not registered with pyplot.

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> type(fig).__name__
    'Figure'
    """
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.subplots(nrows, ncols, squeeze=True)


def figure_to_svg(fig, compact=True):
    """Render ``fig`` as SVG text, byte-for-byte reproducible: ``compact_svg`` of
    Matplotlib's SVG (or Matplotlib's SVG itself, with ``compact=False``).

    A glyph missing from every configured font raises ``ValueError`` instead of
    drawing an empty box.

    Examples
    --------
    >>> fig, ax = new_figure(width=2, height=2)
    >>> svg = figure_to_svg(fig)
    >>> svg.startswith("<svg") and svg == figure_to_svg(fig)
    True
    """
    if not isinstance(fig, Figure):
        raise ValueError(f"expected a matplotlib Figure, got {type(fig).__name__}")
    buf = io.StringIO()
    missing = _MissingGlyphs()  # mathtext reports missing glyphs by logging, not warning
    logging.getLogger("matplotlib.mathtext").addHandler(missing)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message=r".*missing from (current )?font")
            with matplotlib.rc_context({"svg.hashsalt": STYLE["svg.hashsalt"]}):
                fig.savefig(buf, format="svg", metadata={"Date": None})
    except UserWarning as err:
        raise ValueError(f"figure uses a glyph no configured font has: {err}") from err
    finally:
        logging.getLogger("matplotlib.mathtext").removeHandler(missing)
    if missing.messages:
        raise ValueError(f"figure uses a glyph no configured font has: {missing.messages[0]}")
    return compact_svg(buf.getvalue()) if compact else buf.getvalue()


class _MissingGlyphs(logging.Handler):
    """Collects mathtext's "does not have a glyph" log messages."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        if "does not have a glyph" in record.getMessage():
            self.messages.append(record.getMessage())


def compact_svg(svg):
    r"""Shorten Matplotlib's SVG without changing how it looks.

    Positions are kept to 1 decimal (0.1 pt, a tenth of a pixel at most), and
    glyph outlines (integer font units) are stored at 1/16 of their scale with
    the factor moved into their ``transform`` (a step of 1/4 unit of a glyph
    about 100 units tall). Then ``minify_svg`` rewrites the markup losslessly.

    Examples
    --------
    >>> compact_svg('<svg><path d="M 1.234567 2.5 L 3 4"/></svg>')  # doctest: +ELLIPSIS
    '<svg ...><path d="M1.2 2.5L3 4"/></svg>'
    >>> glyph = compact_svg('<svg><path id="F-1" d="M 1600 0 L 3208 -192 z"/></svg>')
    >>> glyph[glyph.index("<path"):]  # (an id nothing refers to is dropped)
    '<path d="M100 0L200-12z" transform="scale(16)"/></svg>'
    """
    return minify_svg(round_svg(svg))


def round_svg(svg):
    """The lossy half of ``compact_svg``: positions to 0.1 pt, glyphs at 1/16 scale."""
    def one_decimal(match):  # only positions; scale factors keep their precision
        return re.sub(r"(?<![\w#])(-?\d+\.\d)\d+", r"\1", match.group(0))

    svg = re.sub(r' (?:d|x|y)="[^"]*"|translate\([^)]*\)', one_decimal, svg)
    return GLYPH_PATH.sub(_shrink_glyph, svg)


# A glyph outline in <defs>: an id with a dash, integer coordinates only.
GLYPH_PATH = re.compile(r'<path id="([\w.]+-[\w.-]+)" d="([MLCQZz0-9 \n-]*)"'
                        r'(?: transform="scale\(([\d.]+)\)")?/>')


def _shrink_glyph(match):
    ident, path, scale = match.group(1), match.group(2), float(match.group(3) or 1.0)
    out = ""
    for token in re.findall(r"[MLCQZz]|-?\d+", path):
        if token.isalpha():
            out += token
        else:
            number = str(round(int(token) / 16))
            out += number if out[-1:].isalpha() or number.startswith("-") else " " + number
    return f'<path id="{ident}" d="{out}" transform="scale({scale * 16:g})"/>'


_SVG_NS, _XLINK_NS = "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"
_HREF = f"{{{_XLINK_NS}}}href"


def minify_svg(svg):
    """Rewrite an SVG's markup so that it draws exactly the same, in fewer bytes.

    * the XML declaration, the DOCTYPE, ``<metadata>``, comments and the
      whitespace between elements go (outside ``<text>``);
    * ids nothing refers to go; Matplotlib's hashed ids (markers, clip paths)
      become short ones. Glyph ids (``<font name>-<glyph index>``) are kept: they
      say which glyph of which font is drawn, which the site's glyph check reads;
    * ``<g>`` elements without attributes are replaced by their children;
    * each distinct ``style`` becomes a class in the file's style sheet;
    * path data loses its redundant spaces.

    Examples
    --------
    >>> out = minify_svg('<svg xmlns="http://www.w3.org/2000/svg"><g id="patch_1"><g>'
    ...                  '<path d="M 0 0 L 1 1 z" style="fill: none; stroke: #000"/></g></g></svg>')
    >>> out[out.index("<style>"):out.index("</defs>")]
    '<style>.a{fill:none;stroke:#000}</style>'
    >>> out[out.index("</defs>") + 7:]
    '<path d="M0 0L1 1z" class="a"/></svg>'
    """
    import xml.etree.ElementTree as ET

    if not isinstance(svg, str):
        raise ValueError(f"expected SVG text, got {type(svg).__name__}")
    svg = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>", "", svg)
    svg = re.sub(r"<svg(?![^>]*\sxmlns=)", f'<svg xmlns="{_SVG_NS}"', svg, count=1)
    try:
        root = ET.fromstring(svg.strip())
    except ET.ParseError as err:
        raise ValueError(f"not well-formed SVG: {err}") from err
    if root.tag != f"{{{_SVG_NS}}}svg":
        raise ValueError(f"expected an <svg> root element, got <{root.tag}>")
    referenced = set()
    for el in root.iter():
        for key, value in el.attrib.items():
            if key == _HREF and value.startswith("#"):
                referenced.add(value[1:])
            referenced.update(re.findall(r"url\(#([^)]+)\)", value))
    short = {}
    for el in root.iter():  # in document order, so the names are reproducible
        ident = el.get("id")
        if ident in referenced and "-" not in ident and ident not in short:
            short[ident] = _short_name(len(short))

    def rename(ident):
        return short.get(ident, ident)

    classes = {}

    def rewrite(parent, in_text):
        children = []
        for el in parent:
            local = el.tag.rpartition("}")[2]
            if local == "metadata":
                continue
            keep_space = in_text or local == "text"
            rewrite(el, keep_space)
            if "id" in el.attrib:
                if el.get("id") in referenced:
                    el.set("id", rename(el.get("id")))
                else:
                    del el.attrib["id"]
            if el.get(_HREF, "").startswith("#"):
                el.set(_HREF, "#" + rename(el.get(_HREF)[1:]))
            for key, value in el.attrib.items():
                if "url(#" in value:
                    el.set(key, re.sub(r"url\(#([^)]+)\)",
                                       lambda m: f"url(#{rename(m.group(1))})", value))
            if "d" in el.attrib:
                el.set("d", _minify_path(el.get("d")))
            if "style" in el.attrib and local != "style":
                rules = ";".join(re.sub(r"\s*:\s*", ":", part.strip())
                                 for part in el.attrib.pop("style").split(";") if part.strip())
                el.set("class", classes.setdefault(rules, _short_name(len(classes))))
            if not keep_space:
                if el.text is not None and not el.text.strip():
                    el.text = None
                el.tail = None
            if local == "g" and not el.attrib:
                children.extend(el)
            else:
                children.append(el)
        parent[:] = children

    rewrite(root, False)
    root.text = None
    if classes:
        sheet = root.find(f"{{{_SVG_NS}}}defs/{{{_SVG_NS}}}style")
        if sheet is None:
            defs = root.find(f"{{{_SVG_NS}}}defs")
            if defs is None:
                defs = ET.Element(f"{{{_SVG_NS}}}defs")
                root.insert(0, defs)
            sheet = ET.SubElement(defs, f"{{{_SVG_NS}}}style")
        sheet.attrib.pop("type", None)  # text/css is the default
        css = re.sub(r"\s*([:;{}])\s*", r"\1", (sheet.text or "").strip())
        sheet.text = css + "".join(f".{name}{{{rules}}}" for rules, name in classes.items())
    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", _XLINK_NS)
    return ET.tostring(root, encoding="unicode").replace(" />", "/>")  # ">" is escaped in text


def _short_name(n):
    """0 -> 'a', 25 -> 'z', 26 -> 'aa', 27 -> 'ab', ...: one short name per number."""
    name = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        name = "abcdefghijklmnopqrstuvwxyz"[r] + name
    return name


_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _minify_path(d):
    """Path data with only the separators it needs: 'M 1 -2 \nL 3 4' -> 'M1-2L3 4'."""
    tokens = _PATH_TOKEN.findall(d)
    if _PATH_TOKEN.sub("", d).strip(" \t\r\n,"):
        raise ValueError(f"unexpected path data: {d[:80]!r}")
    out = []
    for token in tokens:
        if out and not token[0].isalpha() and not out[-1][-1].isalpha() and token[0] != "-":
            out.append(" ")
        out.append(token)
    return "".join(out)


def layer_positions(sizes, width=1.0, height=1.0):
    """Centres of the nodes of a layered network, one list of (x, y) per layer.

    Examples
    --------
    >>> layer_positions([2, 1])
    [[(0.0, 0.75), (0.0, 0.25)], [(1.0, 0.5)]]
    """
    sizes = [int(m) for m in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must be >= 2 positive integers, got {sizes!r}")
    xs = np.linspace(0.0, width, len(sizes))
    return [[(float(x), float(height * (m - i - 0.5) / m)) for i in range(m)]
            for x, m in zip(xs, sizes)]


def draw_network(ax, weights, biases, labels=None, activations=None, fmt="{:g}"):
    """Draw a fully connected network with each weight on its edge and each bias
    beside its node.

    Parameters
    ----------
    ax : matplotlib Axes
    weights : list of ndarray
        ``weights[l]`` has shape (M_{l+1}, M_l), as in the book.
    biases : list of ndarray
        ``biases[l]`` has shape (M_{l+1},).
    labels : list of list of str, optional
        Node labels per layer (default x1.., h1.., y1..).
    activations : list of str, optional
        A caption per non-input layer, e.g. ``["ReLU", "线性"]``.
    """
    weights = [np.atleast_2d(np.asarray(W, dtype=float)) for W in weights]
    biases = [np.atleast_1d(np.asarray(b, dtype=float)) for b in biases]
    sizes = [weights[0].shape[1]] + [W.shape[0] for W in weights]
    for l, (W, b) in enumerate(zip(weights, biases)):
        if W.shape != (sizes[l + 1], sizes[l]) or b.shape != (sizes[l + 1],):
            raise ValueError(f"layer {l + 1}: W {W.shape} and b {b.shape} do not chain")
    pos = layer_positions(sizes, width=3.0 * (len(sizes) - 1), height=2.0 * max(sizes))
    if labels is None:
        labels = [[f"{p}{i + 1}" for i in range(m)]
                  for p, m in zip(["x"] + ["h"] * (len(sizes) - 2) + ["y"], sizes)]
    for l, W in enumerate(weights):
        for j, (xj, yj) in enumerate(pos[l + 1]):
            for i, (xi, yi) in enumerate(pos[l]):
                ax.plot([xi, xj], [yi, yj], color="0.55", lw=1.0, zorder=1)
                t = 0.3  # label near the source, so crossing edges do not collide
                ax.text(xi + t * (xj - xi), yi + t * (yj - yi), fmt.format(W[j, i]),
                        ha="center", va="center", fontsize=9, zorder=3,
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
    for l, layer in enumerate(pos):
        for i, (x, y) in enumerate(layer):
            ax.add_patch(Circle((x, y), 0.45, fc="#e8f0fe", ec="#1a56db", lw=1.4, zorder=2))
            ax.text(x, y, labels[l][i], ha="center", va="center", fontsize=11, zorder=4)
            if l > 0:
                ax.text(x, y - 0.62, "b=" + fmt.format(biases[l - 1][i]), ha="center",
                        va="top", fontsize=9, color="#9b1c1c", zorder=4)
        if l > 0 and activations is not None:
            ax.text(layer[0][0], 2.0 * max(sizes) + 0.1, activations[l - 1],
                    ha="center", va="bottom", fontsize=10, color="#1a56db")
    ax.set_xlim(-0.8, pos[-1][0][0] + 0.8)
    ax.set_ylim(-1.0, 2.0 * max(sizes) + 0.7)
    ax.set_aspect("equal")
    ax.axis("off")
