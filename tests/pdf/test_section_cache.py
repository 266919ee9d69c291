"""Reused section layouts (pdf/section_cache.py): the same pages as one pass, with each guide's
own margins."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from helpers import SAMPLES, html_of, load, one_pass, renderer
from PIL import ImageChops
from pypdf import PdfReader

from guidebook.guide import plan_guide
from guidebook.pdf.section_cache import _split

REUSED = 7  # first visit, treatments, costs, clinics, taxi cards, help (with the phrases), disclaimer


@pytest.fixture(scope="module")
def inputs():
    return load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml", brand=SAMPLES / "brand.yaml")


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
        pages.append(sorted(str(a["/A"].get("/URI", a["/A"].get("/D"))) for a in annotations if "/A" in a))
    return pages


@pytest.mark.slow
def test_a_second_guide_reuses_the_sections_and_looks_like_one_pass(inputs, tmp_path, pdf_pictures):
    guides = renderer(inputs.brand, reuse=True)
    plan = plan_guide(inputs)
    guide = guides.render(inputs, plan)
    html, first = guide.html, guide.pdf
    assert guide.warnings == [] and guides.engine.reuse.stats.misses == REUSED
    again = guides.render(inputs, plan)
    html_again, second = again.html, again.pdf
    stats = guides.engine.reuse.stats
    assert (stats.hits, stats.misses, stats.single_pass) == (REUSED, REUSED, 0)
    assert stats.replayed == 2 * 16  # 16 reused pages a guide, each drawn once and replayed
    assert second == first and html_again == html  # a reused layout gives the same bytes

    plain = one_pass(guides, html)
    reused_pages, plain_pages = pdf_pictures(second, "a"), pdf_pictures(plain, "b")
    assert len(reused_pages) == len(plain_pages) == 24
    for number, (a, b) in enumerate(zip(reused_pages, plain_pages, strict=True), start=1):
        assert ImageChops.difference(a, b).getbbox() is None, f"page {number} differs"
    assert page_texts(second, tmp_path) == page_texts(plain, tmp_path)
    assert outline(second, tmp_path) == outline(plain, tmp_path)
    assert links(second, tmp_path) == links(plain, tmp_path)
    assert sum(len(page) for page in links(second, tmp_path)) >= 7  # QR codes, agency site
    assert len(outline(second, tmp_path)) > 10


@pytest.mark.slow
def test_reused_pages_carry_each_travelers_header_and_page_numbers(inputs, tmp_path):
    guides = renderer(inputs.brand, reuse=True)
    guides.render(inputs, plan_guide(inputs))
    other_profile = inputs.profile.model_copy(
        update={"traveler": inputs.profile.traveler.model_copy(update={"name": "Tanaka Yui"})}
    )
    other = replace(inputs, profile=other_profile)
    data = guides.render(other, plan_guide(other)).pdf
    assert guides.engine.reuse.stats.hits == REUSED
    texts = page_texts(data, tmp_path)
    help_page = next(i for i, t in enumerate(texts) if "Emergency and help numbers" in t)
    assert "Tanaka Yui" in texts[help_page] and "Olivia" not in texts[help_page]
    assert f"{help_page + 1} / {len(texts)}" in texts[help_page]
    assert "Olivia" not in " ".join(texts)


@pytest.mark.slow
def test_a_theme_that_lets_a_section_share_a_page_is_laid_out_in_one_pass(inputs, tmp_path):
    styles = tmp_path / "theme" / "styles"
    styles.mkdir(parents=True)
    (styles / "custom.css").write_text("section.disclaimer { break-before: auto; }")
    guides = renderer(inputs.brand, reuse=True, theme=tmp_path / "theme")
    plan = plan_guide(inputs)
    guide = guides.render(inputs, plan)
    html, data = guide.html, guide.pdf
    assert guide.warnings == []
    assert guides.engine.reuse.stats.single_pass == 1
    guides.render(inputs, plan)  # the next guide goes straight to one pass
    stats = guides.engine.reuse.stats
    assert (stats.single_pass, stats.misses, stats.hits) == (2, REUSED, 0)
    assert page_texts(data, tmp_path) == page_texts(one_pass(guides, html), tmp_path)
    # the back cover is a page of its own (a named page) even so
    assert len(page_texts(data, tmp_path)) == 24


def warnings_of_two_guides(inputs, folder: Path, disclaimer: str) -> tuple[list[str], list[str]]:  # noqa: ANN001
    """The warnings of two guides in a row, with a theme whose reused disclaimer is `disclaimer`."""
    sections = folder / "theme" / "templates" / "sections"
    sections.mkdir(parents=True)
    (sections / "disclaimer.html.j2").write_text(
        f'<section class="disclaimer" data-reuse><h1>Note</h1>{disclaimer}</section>'
    )
    guides = renderer(inputs.brand, reuse=True, theme=folder / "theme")
    plan = plan_guide(inputs)
    first = guides.render(inputs, plan).warnings
    second = guides.render(inputs, plan).warnings
    assert guides.engine.reuse.stats.hits == REUSED
    return first, second


@pytest.mark.slow
def test_warnings_of_a_reused_section_are_given_for_every_guide(inputs, tmp_path):
    first, second = warnings_of_two_guides(inputs, tmp_path, '<img src="/etc/hostname">')
    assert any("blocked" in w and "/etc/hostname" in w for w in first)
    assert second == first


@pytest.mark.slow
def test_a_missing_glyph_in_a_reused_section_is_reported_once_a_guide(inputs, tmp_path):
    first, second = warnings_of_two_guides(inputs, tmp_path, "<p>\U00013000</p>")
    notdef = [w for w in first if ".notdef" in w]
    assert len(notdef) == 1 and "U+13000" in notdef[0]
    assert second == first


@pytest.mark.slow
def test_booklets_are_laid_out_in_one_pass(inputs):
    guides = renderer(inputs.brand, reuse=True, booklet="a4")
    guides.render(inputs, plan_guide(inputs))
    stats = guides.engine.reuse.stats
    assert (stats.hits, stats.misses, stats.single_pass) == (0, 0, 0)


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><section>no reusable section</section></body></html>",
        "<html><body><section data-reuse>never closed</body></html>",
        "<html><body><section data-reuse><section data-reuse>nested</section></section></body></html>",
    ],
)
def test_html_that_cannot_be_cut_is_not(html):
    assert _split(html) is None


def test_split_keeps_every_byte_and_drops_the_personal_head():
    html = (
        '<html><head><title>Olivia</title><meta name="author" content="x"><style>p{}</style>'
        '</head><body class="a"><section>mine</section><section class="h" data-reuse>'
        "<section>inner</section></section><p>end</p></body></html>"
    )
    head, body, pieces = _split(html)
    assert "Olivia" not in head and "<style>p{}</style>" in head and body == '<body class="a">'
    assert [reusable for reusable, _ in pieces] == [False, True, False]
    assert pieces[1][1] == '<section class="h" data-reuse><section>inner</section></section>'
    assert html.endswith("".join(p for _, p in pieces))


@pytest.mark.slow
def test_a_changed_stylesheet_is_not_served_from_the_cache(inputs, tmp_path, pdf_pictures):
    styles = tmp_path / "theme" / "styles"
    styles.mkdir(parents=True)
    custom = styles / "custom.css"
    custom.write_text(".disclaimer h1 { color: rgb(0, 0, 0); }")
    guides = renderer(inputs.brand, reuse=True, theme=tmp_path / "theme")
    plan = plan_guide(inputs)
    black = guides.render(inputs, plan).pdf
    custom.write_text(".disclaimer h1 { color: rgb(220, 0, 0); }  /* now red */")
    red = guides.render(inputs, plan).pdf
    last_black, last_red = pdf_pictures(black, "a")[-1], pdf_pictures(red, "b")[-1]
    assert ImageChops.difference(last_black, last_red).getbbox() is not None
    assert any(r > 150 and g < 80 and b < 80 for _, (r, g, b) in last_red.getcolors(1 << 20))


def test_another_weasyprint_release_means_one_pass_never_a_wrong_pdf(inputs, monkeypatch):
    from guidebook.pdf import section_cache

    monkeypatch.setattr(section_cache, "TESTED", {"weasyprint": ("999.",), "pydyf": ("0.13.",)})
    section_cache.internals_supported.cache_clear()
    try:
        guides = renderer(inputs.brand, reuse=True)
        plan = plan_guide(inputs)
        first, second = guides.render(inputs, plan), guides.render(inputs, plan)
        stats = guides.engine.reuse.stats
        assert (stats.hits, stats.misses, stats.single_pass) == (0, 0, 2)
        assert "not tested" in stats.reasons[0]
        assert first.pdf == second.pdf == renderer(inputs.brand).render(inputs, plan).pdf
    finally:
        section_cache.internals_supported.cache_clear()


def test_the_cache_has_room_for_the_shared_sections_of_all_five_languages():
    """A batch mixing the five languages reuses sections only if the least-recent-out cache holds
    every language's shared sections at once (with less room it evicts each just before it is
    needed again, and reuses nothing); one more package's worth of room is left."""
    import re

    from guidebook.pdf.section_cache import PageReuse

    shared = 0
    for name in (
        "traveler.yaml",
        "traveler-ja.yaml",
        "traveler-zh-Hans.yaml",
        "traveler-zh-Hant.yaml",
        "traveler-ko.yaml",
    ):
        html = html_of(load(SAMPLES / name, clinics=SAMPLES / "clinics.yaml", brand=SAMPLES / "brand.yaml"))
        shared += len(re.findall(r"<section\b[^>]*\bdata-reuse\b", html))
    assert shared >= 25  # five languages, five or more shared sections each
    assert PageReuse().max_entries >= shared + shared // 5


def help_side(data: bytes, folder: Path) -> str:
    """Whether the help numbers start on a left or a right page (a left page has an even number)."""
    start = dict(outline(data, folder))["Emergency and help numbers"] + 1
    return "left" if start % 2 == 0 else "right"


@pytest.mark.slow
def test_a_section_that_lands_on_the_other_side_of_the_spread_is_still_reused(inputs, tmp_path, pdf_pictures):
    """The help numbers' edge tab is at the outer edge, so on A6 their left and right pages have
    their text in other places. A traveler with one more personal page moves them to the other
    side; that used to turn reuse off for the rest of the batch ("the theme lets a reused section
    share a page")."""
    guides = renderer(inputs.brand, reuse=True, page_format="a6")
    first = guides.render(inputs, plan_guide(inputs)).pdf
    notes = "Prefers morning appointments. " * 30  # one page more of personal pages
    other = replace(inputs, profile=inputs.profile.model_copy(update={"notes": notes}))
    guide = guides.render(other, plan_guide(other))
    assert help_side(first, tmp_path) != help_side(guide.pdf, tmp_path)  # the case under test
    stats = guides.engine.reuse.stats
    assert (stats.single_pass, stats.reasons) == (0, [])
    assert stats.hits >= REUSED - 2  # the sections without an edge tab are the same either side
    assert stats.misses < 2 * REUSED
    plain = one_pass(guides, guide.html)
    for number, (a, b) in enumerate(
        zip(pdf_pictures(guide.pdf, "a"), pdf_pictures(plain, "b"), strict=True), 1
    ):
        assert ImageChops.difference(a, b).getbbox() is None, f"page {number} differs"
    guides.render(other, plan_guide(other))  # each side is laid out once
    assert guides.engine.reuse.stats.misses == stats.misses


@pytest.mark.slow
@pytest.mark.parametrize("page_format", ["a4", "a6"])
def test_guides_in_two_columns_and_in_a6_reuse_their_sections(inputs, page_format):
    """A slot in a two-column section put its pages' breaks between columns, and A6 sections
    landed on the other side: every A4, Letter and A6 guide was laid out in one pass."""
    guides = renderer(inputs.brand, reuse=True, page_format=page_format)
    plan = plan_guide(inputs)
    guides.render(inputs, plan)
    guide = guides.render(inputs, plan)
    stats = guides.engine.reuse.stats
    assert (stats.single_pass, stats.reasons, stats.hits) == (0, [], REUSED)
    assert len(PdfReader(BytesIO(guide.pdf)).pages) == len(
        PdfReader(BytesIO(one_pass(guides, guide.html))).pages
    )
