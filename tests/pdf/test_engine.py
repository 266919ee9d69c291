"""HTML to PDF (pdf/engine.py): only web, mail, phone and in-guide links are written; style
sheets are parsed once per version of the file; WeasyPrint's warnings are returned."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from guidebook.pdf.engine import PdfEngine, drop_unsafe_links
from guidebook.render.theme import Theme


@pytest.fixture(scope="module")
def engine() -> PdfEngine:
    return PdfEngine(Theme().asset_dirs)


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.css"
    path.write_text("/* TOP-SECRET-CONTENT-42 */ body { color: red }")
    return path


@pytest.mark.slow
def test_file_links_are_not_written_into_the_pdf(engine, secret_file):
    html = f'<html><body><a href="{secret_file.as_uri()}">x</a> <a href="https://example.com/">ok</a></body></html>'
    data, warnings = engine.render(html, base_url=Theme().template_dirs[0], stylesheets=[])
    reader = PdfReader(io.BytesIO(data))
    uris = [annot.get_object()["/A"]["/URI"] for page in reader.pages for annot in page.get("/Annots", [])]
    assert uris == ["https://example.com/"]
    assert any("removed a external link" in w and "secret.css" in w for w in warnings)


def test_only_web_mail_phone_and_internal_links_are_kept():
    links = [
        ("external", "https://example.com"),
        ("external", "MAILTO:care@example.com"),
        ("external", "tel:+8225550100"),
        ("internal", "itinerary"),
        ("external", "file:///etc/passwd"),
        ("attachment", "file:///tmp/x"),
        ("external", "javascript:alert(1)"),
    ]
    page = SimpleNamespace(links=[(kind, target, None, None) for kind, target in links])
    dropped = drop_unsafe_links(SimpleNamespace(pages=[page]))
    assert [link[1] for link in page.links] == [
        "https://example.com",
        "MAILTO:care@example.com",
        "tel:+8225550100",
        "itinerary",
    ]
    assert dropped == [
        "removed a external link to file:///etc/passwd",
        "removed a attachment link to file:///tmp/x",
        "removed a external link to javascript:alert(1)",
    ]


def test_a_style_sheet_is_parsed_again_only_when_it_changes(tmp_path):
    css = tmp_path / "custom.css"
    css.write_text("h1 { color: red }")
    engine = PdfEngine([tmp_path])
    first = engine.stylesheet(css)
    assert engine.stylesheet(css) is first
    css.write_text("h1 { color: blue; }")
    assert engine.stylesheet(css) is not first


# -- a tagged PDF by default (PDF/UA-1), and PDF/A-3b on request (issue 14) ----------------------


@pytest.mark.slow
def test_the_guide_is_a_tagged_pdf_with_headings_lists_tables_and_alt_texts():
    import io

    import pikepdf
    from helpers import SAMPLES, load, pdf_structure, renderer

    from guidebook.guide import plan_guide

    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml", brand=SAMPLES / "brand.yaml")
    guide = renderer(inputs.brand).render(inputs, plan_guide(inputs))
    assert guide.warnings == []  # no image without its alt text, no missing lang
    pdf = pikepdf.open(io.BytesIO(guide.pdf))
    assert pdf.Root.MarkInfo.Marked and pdf.Root.ViewerPreferences.DisplayDocTitle
    assert str(pdf.Root.Lang) == "en"
    kinds = [kind for kind, _ in pdf_structure(guide.pdf)]
    assert kinds.count("/H1") >= 8 and "/Table" in kinds and "/TH" in kinds and "/LI" in kinds
    figures = [alt for kind, alt in pdf_structure(guide.pdf) if kind == "/Figure"]
    assert figures and all(alt.startswith(("QR code", "Bloom Route")) for alt in figures), figures


@pytest.mark.slow
def test_reused_and_replayed_sections_keep_the_structure_of_a_one_pass_guide():
    from helpers import SAMPLES, load, pdf_structure, renderer

    from guidebook.guide import plan_guide

    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml", brand=SAMPLES / "brand.yaml")
    plan = plan_guide(inputs)
    reusing = renderer(inputs.brand, reuse=True)
    reusing.render(inputs, plan)
    second = reusing.render(inputs, plan)
    assert reusing.engine.reuse.stats.replayed > 0  # tagged pages are replayed too
    assert pdf_structure(second.pdf) == pdf_structure(renderer(inputs.brand).render(inputs, plan).pdf)


@pytest.mark.slow
def test_an_archive_guide_is_pdf_a_3b_with_its_calendar():
    import io

    import pikepdf
    from helpers import SAMPLES, load, renderer

    from guidebook.guide import plan_guide

    inputs = load(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml")
    guide = renderer(archive=True).render(inputs, plan_guide(inputs))
    pdf = pikepdf.open(io.BytesIO(guide.pdf))
    meta = pdf.open_metadata()
    assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "B"
    assert "/OutputIntents" in pdf.Root and list(pdf.attachments) == ["trip.ics"]


def test_page_references_are_kept_per_page_count_and_the_pdf_is_the_same():
    """The kept page references (read once per structure element by WeasyPrint's tagging) are the
    ones pydyf builds, follow pages being added, and change no byte of a tagged PDF."""
    import pydyf
    from weasyprint import HTML

    from guidebook.pdf import engine

    html = "<h1>One</h1><p>a</p><h2 style='break-before: page'>Two</h2><ul><li>b</li></ul>"

    def tagged_pdf() -> bytes:
        return HTML(string=html).write_pdf(pdf_tags=True, uncompressed_pdf=True)

    assert engine.cache_page_references()
    kept = pydyf.PDF.__dict__["page_references"]
    try:
        pydyf.PDF.page_references = property(engine._built_page_references)
        built = tagged_pdf()
    finally:
        pydyf.PDF.page_references = kept
    assert tagged_pdf() == built

    pdf = pydyf.PDF()
    assert pdf.page_references == ()
    for count in (1, 2, 3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert pdf.page_references == engine._built_page_references(pdf)
        assert len(pdf.page_references) == count
