"""The HTML stage: a golden file for the sample, and the template helpers."""

from __future__ import annotations

import base64
import difflib
import io
from pathlib import Path

import pytest
import zxingcpp
from helpers import layout, load
from PIL import Image

from guidebook.guide import plan_guide
from guidebook.render.colors import contrast, readable_on_white, rgb, text_color_on
from guidebook.render.html import korean, map_links, render_html
from guidebook.render.qr import make_qr_image

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).parent / "data" / "sample.html"


def sample_html() -> str:
    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml",
                         brand=SAMPLES / "brand.yaml")
    plan = plan_guide(inputs)
    html = render_html(profile=inputs.profile, plan=plan, catalogue=inputs.catalogue,
                       clinics=inputs.clinic_list, brand=inputs.brand)
    # the logo's absolute path depends on where the checkout lives
    return html.replace(SAMPLES.resolve().as_uri(), "file:///SAMPLES")


def test_sample_html_matches_golden_file(update_testdata):
    html = sample_html()
    if update_testdata or not GOLDEN.exists():
        GOLDEN.write_text(html, encoding="utf-8")
        if not update_testdata:
            pytest.fail(f"{GOLDEN} was missing and has been written; run the tests again")
    expected = GOLDEN.read_text(encoding="utf-8")
    if html != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), html.splitlines(True),
                                            "golden", "now", n=1))
        pytest.fail("HTML differs from tests/data/sample.html (pytest --update-testdata "
                    f"rewrites it after a deliberate change):\n{diff[:4000]}")


def test_html_has_every_section_and_is_deterministic():
    html = sample_html()
    for css_class in ["cover", "glance", "itinerary", "treatments", "checklists", "costs",
                      "clinics", "medical-card", "taxi-cards", "help", "disclaimer"]:
        assert f'<section class="{css_class}"' in html
    assert html == sample_html()


def test_korean_words_are_kept_whole_and_escaped():
    out = str(korean("서울특별시 강남구 <b>x</b> 압구정로10길 31"))
    assert out.count('<span class="kw">') == 3
    assert '<span class="kw">서울특별시</span>' in out
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "<b>" not in out


@pytest.mark.parametrize(("color", "text"), [
    ("#000000", "#ffffff"), ("#ffffff", "#111111"), ("#1F5F74", "#ffffff"),
    ("#E9A8B9", "#111111"), ("navy", "#ffffff"), ("yellow", "#111111"),
])
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


def test_map_links_are_https_searches_of_the_korean_address():
    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml")
    links = map_links(inputs.clinic_list[0])
    assert links["naver"].startswith("https://map.naver.com/p/search/%EC%84%9C")  # 서울...
    assert links["google"].startswith("https://www.google.com/maps/search/?api=1&query=")
    assert " " not in links["naver"] + links["google"]


def test_qr_image_has_quiet_zone_crisp_pixels_and_a_printable_size():
    tag = make_qr_image("https://example.com/a")
    modules = int(tag.split('data-modules="')[1].split('"')[0])
    assert modules == 25 + 8  # version 2 (25 modules) plus a 4-module quiet zone each side
    assert "width:24.0mm;height:24.0mm" in tag  # short links: the 24 mm minimum
    assert "image-rendering:pixelated" in tag  # no smoothing between modules
    png = base64.b64decode(tag.split("base64,")[1].split('"')[0])
    image = Image.open(io.BytesIO(png))
    assert image.size == (modules * 4, modules * 4)
    assert image.getpixel((0, 0)) and image.getpixel((15, 15))  # white quiet zone
    assert not image.getpixel((16, 16))  # the finder pattern's dark corner
    decoded = zxingcpp.read_barcodes(image.convert("L"))
    assert [r.text for r in decoded] == ["https://example.com/a"]
    long_tag = make_qr_image("https://map.naver.com/p/search/" + "%EC%84%9C" * 40)
    modules = int(long_tag.split('data-modules="')[1].split('"')[0])
    width = float(long_tag.split("width:")[1].split("mm")[0])
    assert width > 24 and width / modules >= 0.45 - 0.001


@pytest.mark.slow
def test_header_and_footer_on_every_page_but_the_cover_in_the_agency_font(tmp_path):
    from weasyprint.formatting_structure.boxes import MarginBox

    brand = tmp_path / "brand.yaml"
    brand.write_text((SAMPLES / "brand.yaml").read_text(encoding="utf-8")
                     .replace("font: null", "font: Gowun Batang"), encoding="utf-8")
    (tmp_path / "logo.svg").write_bytes((SAMPLES / "logo.svg").read_bytes())
    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml", brand=brand)
    document = layout(inputs)

    def margins(page) -> dict[str, tuple[str, str]]:
        found = {}
        for box in page._page_box.children:
            if isinstance(box, MarginBox) and box.is_generated:
                text = "".join(getattr(b, "text", "") for b in box.descendants())
                found[box.at_keyword] = (text, box.style["font_family"][0])
        return found

    total = len(document.pages)
    assert margins(document.pages[0]) == {}
    for number, page in enumerate(document.pages[1:], 2):
        assert margins(page) == {
            "@top-left": ("Bloom Route Travel · Olivia Park-Martin", "Gowun Batang"),
            "@bottom-left": ("Your coordinator answers 24/7 during your stay.", "Gowun Batang"),
            "@bottom-right": (f"{number} / {total}", "guidebook Sans KR"),
        }, number
