"""Deterministic SVG output, the missing-glyph guard, network diagrams."""

import numpy as np
import pytest

from snippets.plotting import draw_network, figure_to_svg, layer_positions, new_figure
from tools.pagerun import build_style


@pytest.fixture(autouse=True)
def style():
    build_style()()


def _figure(text):
    fig, ax = new_figure(width=3, height=2)
    ax.plot([0, 1], [0, 1])
    ax.set_title(text)
    return fig


def test_svg_is_byte_identical_across_renders():
    assert figure_to_svg(_figure("隐藏空间")) == figure_to_svg(_figure("隐藏空间"))


def test_svg_has_no_date_and_text_is_outlined():
    svg = figure_to_svg(_figure("判决边界"))
    assert "<dc:date>" not in svg
    assert "<text" not in svg  # glyphs are paths: the reader needs no font


@pytest.mark.parametrize("text", ["\ue000", "$x$ \ue000"])  # plain text and mathtext
def test_missing_glyph_fails(text):
    with pytest.raises(ValueError, match="glyph"):
        figure_to_svg(_figure(text))  # a private-use code point no font has


def test_draw_network_checks_shapes():
    fig, ax = new_figure()
    with pytest.raises(ValueError, match="do not chain"):
        draw_network(ax, [np.ones((2, 2)), np.ones((1, 3))], [np.zeros(2), np.zeros(1)])


def test_draw_network_labels_every_weight_and_bias():
    fig, ax = new_figure()
    W = [np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[5.0, -6.0]])]
    b = [np.array([0.0, -1.0]), np.array([7.0])]
    draw_network(ax, W, b)
    texts = {t.get_text() for t in ax.texts}
    assert {"1", "2", "3", "4", "5", "-6", "b=0", "b=-1", "b=7"} <= texts


def test_layer_positions_reject_bad_sizes():
    with pytest.raises(ValueError):
        layer_positions([3])
    assert layer_positions([1, 1]) == [[(0.0, 0.5)], [(1.0, 0.5)]]


def test_compaction_keeps_every_scale_factor_exact():
    """Regression: rounding must touch positions only, never glyph scale factors."""
    import re

    from snippets.plotting import compact_svg

    raw = figure_to_svg(_figure("隐藏空间 $h_1 - 2h_2$"), compact=False)
    small = compact_svg(raw)
    glyph_scales = re.findall(r'<path id="[\w.]+-[\w.-]+" d="[^"]*"\s*transform="scale\(([\d.]+)\)"',
                              raw)
    assert glyph_scales
    assert sorted(float(v) * 16 for v in glyph_scales) == sorted(
        float(v) for v in re.findall(r'<path id="[\w.]+-[\w.-]+" d="[^"]*" '
                                     r'transform="scale\(([\d.]+)\)"', small))
    others = lambda svg: re.findall(r'scale\(([\d. -]+)\)', re.sub(r"<path id=[^>]*>", "", svg))  # noqa: E731
    assert others(raw) == others(small)
    assert len(small) < 0.8 * len(raw)
