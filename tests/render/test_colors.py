"""Brand colours made readable (render/colors.py): WCAG contrast, text on a colour, a colour as text."""

from __future__ import annotations

import pytest

from guidebook.render.colors import contrast, readable_on_white, rgb, text_color_on


@pytest.mark.parametrize(
    ("color", "text"),
    [
        ("#000000", "#ffffff"),
        ("#ffffff", "#111111"),
        ("#1F5F74", "#ffffff"),
        ("#E9A8B9", "#111111"),
        ("navy", "#ffffff"),
        ("yellow", "#111111"),
    ],
)
def test_text_on_brand_colour_keeps_contrast(color, text):
    assert text_color_on(color) == text
    assert contrast(color, text) >= 4.5


@pytest.mark.parametrize("color", ["#E9A8B9", "yellow", "#1F5F74", "pink", "#777", "lime"])
def test_brand_colour_as_text_on_white_is_readable(color):
    text = readable_on_white(color)
    assert contrast(text, "#ffffff") >= 4.5
    if contrast(color, "#ffffff") >= 4.5:
        assert rgb(text) == rgb(color)  # a colour that reads well is kept as it is
    else:
        assert rgb(text) != rgb(color)


def test_colours_are_read_as_names_and_short_or_long_hex():
    assert rgb("#fff") == rgb("#FFFFFF") == rgb("white") == (1.0, 1.0, 1.0)
    assert rgb("navy") == rgb("#000080")
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#777777") == pytest.approx(1.0)


def test_a_tint_is_the_colour_thinned_on_white_paper():
    from guidebook.render.colors import mix_with_white

    assert mix_with_white("#1F5F74", 0.1) == "#e9eff1"
    assert mix_with_white("#000000", 1) == "#000000" and mix_with_white("#000000", 0) == "#ffffff"
