"""Replayed page drawings (pdf/replay.py): a reused page is drawn once and its operators replayed;
a page whose drawing cannot be replayed (a transparency group) is drawn as usual, looking the same.

(Replayed pages that look like a one-pass render: tests/pdf/test_section_cache.py.)"""

from __future__ import annotations

import pytest
from helpers import SAMPLES, load, one_pass, renderer
from PIL import ImageChops

from guidebook.guide import plan_guide

REUSED = 7  # first visit, treatments, costs, clinics, taxi cards, help (with the phrases), disclaimer


@pytest.fixture(scope="module")
def inputs():
    return load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml", brand=SAMPLES / "brand.yaml")


@pytest.mark.slow
def test_a_page_that_cannot_be_replayed_is_drawn_and_looks_the_same(inputs, tmp_path, pdf_pictures):
    styles = tmp_path / "theme" / "styles"
    styles.mkdir(parents=True)
    (styles / "custom.css").write_text(".disclaimer h1 { opacity: 0.5; }")  # a transparency group
    guides = renderer(inputs.brand, reuse=True, theme=tmp_path / "theme")
    plan = plan_guide(inputs)
    guides.render(inputs, plan)
    guide = guides.render(inputs, plan)
    html, data = guide.html, guide.pdf
    assert guides.engine.reuse.stats.replayed == 2 * 15  # all but the back cover
    a, b = pdf_pictures(data, "a"), pdf_pictures(one_pass(guides, html), "b")
    assert len(a) == len(b)
    for number, (x, y) in enumerate(zip(a, b, strict=True), start=1):
        assert ImageChops.difference(x, y).getbbox() is None, f"page {number} differs"
