"""Reused section layouts (reuse.py): the same pages as one pass, with each guide's own margins."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PIL import ImageChops
from pypdf import PdfReader

from guidebook.build import GuideRenderer, load_inputs, plan_guide
from guidebook.reuse import _split

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples"
REUSED = 6  # treatments, costs, clinics, taxi cards, help (with the phrases), disclaimer
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def inputs():
    return load_inputs(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml",
                       brand=SAMPLES / "brand.yaml")


def one_pass(renderer: GuideRenderer, html: str) -> bytes:
    data, warnings = renderer.engine.render(html, base_url=renderer.theme.template_dirs[0],
                                            stylesheets=renderer.theme.stylesheets)
    assert warnings == []
    return data


def page_texts(data: bytes, folder: Path) -> list[str]:
    (folder / "t.pdf").write_bytes(data)
    return [page.extract_text() for page in PdfReader(folder / "t.pdf").pages]


def outline(data: bytes, folder: Path) -> list[tuple[str, int]]:
    (folder / "o.pdf").write_bytes(data)
    reader = PdfReader(folder / "o.pdf")

    def walk(items):  # noqa: ANN001, ANN202
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title, reader.get_destination_page_number(item)

    return list(walk(reader.outline))


def links(data: bytes, folder: Path) -> list[list[str]]:
    """Each page's link targets (web links and links inside the guide)."""
    (folder / "l.pdf").write_bytes(data)
    pages = []
    for page in PdfReader(folder / "l.pdf").pages:
        annotations = [a.get_object() for a in page.get("/Annots", [])]
        pages.append(sorted(str(a["/A"].get("/URI", a["/A"].get("/D"))) for a in annotations
                            if "/A" in a))
    return pages


def test_a_second_guide_reuses_the_sections_and_looks_like_one_pass(inputs, tmp_path, pdf_pictures):
    renderer = GuideRenderer(brand=inputs.brand)
    plan = plan_guide(inputs)
    html, first, _, warnings = renderer.render(inputs, plan)
    assert warnings == [] and renderer.engine.reuse.stats.misses == REUSED
    html_again, second, _, _ = renderer.render(inputs, plan)
    stats = renderer.engine.reuse.stats
    assert (stats.hits, stats.misses, stats.single_pass) == (REUSED, REUSED, 0)
    assert stats.replayed == 2 * 11  # 11 reused pages a guide, each drawn once and replayed
    assert second == first and html_again == html  # a reused layout gives the same bytes

    plain = one_pass(renderer, html)
    reused_pages, plain_pages = pdf_pictures(second, "a"), pdf_pictures(plain, "b")
    assert len(reused_pages) == len(plain_pages) == 18
    for number, (a, b) in enumerate(zip(reused_pages, plain_pages, strict=True), start=1):
        assert ImageChops.difference(a, b).getbbox() is None, f"page {number} differs"
    assert page_texts(second, tmp_path) == page_texts(plain, tmp_path)
    assert outline(second, tmp_path) == outline(plain, tmp_path)
    assert links(second, tmp_path) == links(plain, tmp_path)
    assert sum(len(page) for page in links(second, tmp_path)) >= 7  # QR codes, agency site
    assert len(outline(second, tmp_path)) > 10


def test_reused_pages_carry_each_travelers_header_and_page_numbers(inputs, tmp_path):
    renderer = GuideRenderer(brand=inputs.brand)
    renderer.render(inputs, plan_guide(inputs))
    other_profile = inputs.profile.model_copy(update={"traveler": inputs.profile.traveler.model_copy(
        update={"name": "Tanaka Yui"})})
    other = replace(inputs, profile=other_profile)
    _, data, _, _ = renderer.render(other, plan_guide(other))
    assert renderer.engine.reuse.stats.hits == REUSED
    texts = page_texts(data, tmp_path)
    help_page = next(i for i, t in enumerate(texts) if "Emergency and help numbers" in t)
    assert "Tanaka Yui" in texts[help_page] and "Olivia" not in texts[help_page]
    assert f"{help_page + 1} / {len(texts)}" in texts[help_page]
    assert "Olivia" not in " ".join(texts)


def test_a_page_that_cannot_be_replayed_is_drawn_and_looks_the_same(inputs, tmp_path, pdf_pictures):
    styles = tmp_path / "theme" / "styles"
    styles.mkdir(parents=True)
    (styles / "custom.css").write_text(".disclaimer h1 { opacity: 0.5; }")  # a transparency group
    renderer = GuideRenderer(brand=inputs.brand, theme=tmp_path / "theme")
    plan = plan_guide(inputs)
    renderer.render(inputs, plan)
    html, data, _, _ = renderer.render(inputs, plan)
    assert renderer.engine.reuse.stats.replayed == 2 * 10  # all but the disclaimer's page
    a, b = pdf_pictures(data, "a"), pdf_pictures(one_pass(renderer, html), "b")
    assert len(a) == len(b)
    for number, (x, y) in enumerate(zip(a, b, strict=True), start=1):
        assert ImageChops.difference(x, y).getbbox() is None, f"page {number} differs"


def test_a_theme_that_lets_a_section_share_a_page_is_laid_out_in_one_pass(inputs, tmp_path):
    styles = tmp_path / "theme" / "styles"
    styles.mkdir(parents=True)
    (styles / "custom.css").write_text("section.disclaimer { break-before: auto; }")
    renderer = GuideRenderer(brand=inputs.brand, theme=tmp_path / "theme")
    plan = plan_guide(inputs)
    html, data, _, warnings = renderer.render(inputs, plan)
    assert warnings == []
    assert renderer.engine.reuse.stats.single_pass == 1
    renderer.render(inputs, plan)  # the next guide goes straight to one pass
    stats = renderer.engine.reuse.stats
    assert (stats.single_pass, stats.misses, stats.hits) == (2, REUSED, 0)
    assert page_texts(data, tmp_path) == page_texts(one_pass(renderer, html), tmp_path)
    assert len(page_texts(data, tmp_path)) == 17  # the disclaimer follows the phrases


def warnings_of_two_guides(inputs, folder: Path, disclaimer: str) -> tuple[list[str], list[str]]:  # noqa: ANN001
    """The warnings of two guides in a row, with a theme whose reused disclaimer is `disclaimer`."""
    sections = folder / "theme" / "templates" / "sections"
    sections.mkdir(parents=True)
    (sections / "disclaimer.html.j2").write_text(
        f'<section class="disclaimer" data-reuse><h1>Note</h1>{disclaimer}</section>')
    renderer = GuideRenderer(brand=inputs.brand, theme=folder / "theme")
    plan = plan_guide(inputs)
    *_, first = renderer.render(inputs, plan)
    *_, second = renderer.render(inputs, plan)
    assert renderer.engine.reuse.stats.hits == REUSED
    return first, second


def test_warnings_of_a_reused_section_are_given_for_every_guide(inputs, tmp_path):
    first, second = warnings_of_two_guides(inputs, tmp_path, '<img src="/etc/hostname">')
    assert any("blocked" in w and "/etc/hostname" in w for w in first)
    assert second == first


def test_a_missing_glyph_in_a_reused_section_is_reported_once_a_guide(inputs, tmp_path):
    first, second = warnings_of_two_guides(inputs, tmp_path, "<p>\U00013000</p>")
    notdef = [w for w in first if ".notdef" in w]
    assert len(notdef) == 1 and "U+13000" in notdef[0]
    assert second == first


def test_booklets_are_laid_out_in_one_pass(inputs):
    renderer = GuideRenderer(brand=inputs.brand, booklet="a4")
    renderer.render(inputs, plan_guide(inputs))
    stats = renderer.engine.reuse.stats
    assert (stats.hits, stats.misses, stats.single_pass) == (0, 0, 0)


@pytest.mark.parametrize("html", [
    "<html><body><section>no reusable section</section></body></html>",
    "<html><body><section data-reuse>never closed</body></html>",
    "<html><body><section data-reuse><section data-reuse>nested</section></section></body></html>",
])
def test_html_that_cannot_be_cut_is_not(html):
    assert _split(html) is None


def test_split_keeps_every_byte_and_drops_the_personal_head():
    html = ('<html><head><title>Olivia</title><meta name="author" content="x"><style>p{}</style>'
            '</head><body class="a"><section>mine</section><section class="h" data-reuse>'
            '<section>inner</section></section><p>end</p></body></html>')
    head, body, pieces = _split(html)
    assert "Olivia" not in head and "<style>p{}</style>" in head and body == '<body class="a">'
    assert [reusable for reusable, _ in pieces] == [False, True, False]
    assert pieces[1][1] == '<section class="h" data-reuse><section>inner</section></section>'
    assert html.endswith("".join(p for _, p in pieces))


def test_a_changed_stylesheet_is_not_served_from_the_cache(inputs, tmp_path, pdf_pictures):
    styles = tmp_path / "theme" / "styles"
    styles.mkdir(parents=True)
    custom = styles / "custom.css"
    custom.write_text(".disclaimer h1 { color: rgb(0, 0, 0); }")
    renderer = GuideRenderer(brand=inputs.brand, theme=tmp_path / "theme")
    plan = plan_guide(inputs)
    _, black, _, _ = renderer.render(inputs, plan)
    custom.write_text(".disclaimer h1 { color: rgb(220, 0, 0); }  /* now red */")
    _, red, _, _ = renderer.render(inputs, plan)
    last_black, last_red = pdf_pictures(black, "a")[-1], pdf_pictures(red, "b")[-1]
    assert ImageChops.difference(last_black, last_red).getbbox() is not None
    assert any(r > 150 and g < 80 and b < 80 for _, (r, g, b) in last_red.getcolors(1 << 20))
