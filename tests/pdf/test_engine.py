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
