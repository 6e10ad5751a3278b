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


def figure_to_svg(fig):
    """Render ``fig`` as SVG text, byte-for-byte reproducible.

    A glyph missing from every configured font raises ``ValueError`` instead of
    drawing an empty box.

    Examples
    --------
    >>> fig, ax = new_figure(width=2, height=2)
    >>> svg = figure_to_svg(fig)
    >>> svg.startswith("<?xml") and svg == figure_to_svg(fig)
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
    return compact_svg(buf.getvalue())


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

    Positions are kept to 1 decimal (0.1 pt, a tenth of a pixel at most), the
    indentation and the comments (a copy of each label's text) are dropped, and
    glyph outlines (integer font units) are stored at 1/16 of their scale with
    the factor moved into their ``transform`` (a step of 1/4 unit of a glyph
    about 100 units tall).

    Examples
    --------
    >>> compact_svg('<svg>\n   <!-- a -->\n   <path d="M 1.234567 2.5 L 3 4"/>\n</svg>')
    '<svg>\n<path d="M 1.2 2.5 L 3 4"/>\n</svg>'
    >>> compact_svg('<path id="Font-1" d="M 1600 0 \nL 3208 -192 \nz\n"/>')
    '<path id="Font-1" d="M100 0L200-12z" transform="scale(16)"/>'
    """
    def one_decimal(match):  # only positions; scale factors keep their precision
        return re.sub(r"(?<![\w#])(-?\d+\.\d)\d+", r"\1", match.group(0))

    svg = re.sub(r' (?:d|x|y)="[^"]*"|translate\([^)]*\)', one_decimal, svg)
    svg = re.sub(r"\n[ \t]+", "\n", svg)
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)  # the text of each label, again
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
