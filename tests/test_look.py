"""The agency's look: brand, theme overrides, eject, init, white label, formats, booklets."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import build
from PIL import Image
from pypdf import PdfReader

from guidebook.cli import main
from guidebook.errors import RenderError
from guidebook.pdf.booklet import booklet_order, impose
from guidebook.watch import watch

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples"
pytestmark = pytest.mark.slow


def sample(out: Path, **options) -> Path:
    result = build(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml",
                         brand=SAMPLES / "brand.yaml", output=out, **options)
    assert result.warnings == []
    return out


def text_of(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext"] + (["-f", str(first), "-l", str(last)] if first else []) + [str(pdf), "-"]
    return " ".join(subprocess.run(args, capture_output=True, text=True, check=True).stdout.split())


def test_brand_colour_logo_and_contact_reach_the_pdf(tmp_path):
    pdf = sample(tmp_path / "g.pdf", html=tmp_path / "g.html")
    html = (tmp_path / "g.html").read_text()
    assert "--primary: #1F5F74" in html and "logo.svg" in html
    subprocess.run(["pdftocairo", "-png", "-r", "30", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "c")], check=True)
    [png] = tmp_path.glob("c-*.png")
    pixel = Image.open(png).convert("RGB").getpixel((3, 3))  # the cover band, top left
    assert max(abs(a - b) for a, b in zip(pixel, (0x1F, 0x5F, 0x74), strict=True)) < 8
    text = text_of(pdf)
    assert "Bloom Route Travel" in text and "+82 2 555 0100" in text and "care@example.com" in text


def test_white_label_has_no_agency_text(tmp_path):
    pdf = sample(tmp_path / "g.pdf", white_label=True, html=tmp_path / "g.html")
    text = text_of(pdf)
    for agency_text in ["Bloom Route", "+82 2 555 0100", "care@example.com", "bloomroute",
                        "24/7 during your stay"]:
        assert agency_text not in text
    assert "logo.svg" not in (tmp_path / "g.html").read_text()
    assert PdfReader(pdf).metadata.author == "guidebook"


def test_override_one_template_changes_only_that_part(tmp_path):
    theme = tmp_path / "theme" / "templates" / "sections"
    theme.mkdir(parents=True)
    (theme / "disclaimer.html.j2").write_text(
        '<section class="disclaimer"><h1>{{ _("Our promise") }}</h1><p>Custom words.</p></section>')
    sample(tmp_path / "a.pdf", html=tmp_path / "a.html")
    sample(tmp_path / "b.pdf", html=tmp_path / "b.html", theme=tmp_path / "theme")
    a, b = (tmp_path / "a.html").read_text(), (tmp_path / "b.html").read_text()
    assert "Custom words." in b and "Custom words." not in a
    cut = '<section class="disclaimer"'
    assert a.split(cut)[0] == b.split(cut)[0]  # everything before it is the built-in theme


def test_custom_css_adjusts_the_built_in_style(tmp_path):
    styles = tmp_path / "theme" / "styles"
    styles.mkdir(parents=True)
    (styles / "custom.css").write_text("h1 { color: rgb(200, 0, 0); }")
    pdf = sample(tmp_path / "g.pdf", theme=tmp_path / "theme")
    assert "At a glance" in text_of(pdf)


def test_eject_then_build_gives_the_same_pdf(tmp_path):
    result = CliRunner().invoke(main, ["theme", "eject", str(tmp_path / "mine")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mine" / "templates" / "guide.html.j2").is_file()
    again = CliRunner().invoke(main, ["theme", "eject", str(tmp_path / "mine")])
    assert again.exit_code == 1 and "refusing to overwrite" in again.output
    built_in = sample(tmp_path / "a.pdf").read_bytes()
    ejected = sample(tmp_path / "b.pdf", theme=tmp_path / "mine").read_bytes()
    assert built_in == ejected


@pytest.mark.parametrize(("template", "where"), [
    ("{% if %}", "disclaimer.html.j2:1"),
    ("<p>{{ nothing.here }}</p>", "disclaimer.html.j2:1"),
])
def test_template_errors_name_the_file_and_line(tmp_path, template, where):
    folder = tmp_path / "theme" / "templates" / "sections"
    folder.mkdir(parents=True)
    (folder / "disclaimer.html.j2").write_text(template)
    with pytest.raises(RenderError, match=where):
        sample(tmp_path / "g.pdf", theme=tmp_path / "theme")
    assert not (tmp_path / "g.pdf").exists()


def test_init_writes_files_that_build_as_they_are(tmp_path):
    folder = tmp_path / "agency"
    assert CliRunner().invoke(main, ["init", str(folder)]).exit_code == 0
    result = CliRunner().invoke(main, [
        "build", str(folder / "traveler.yaml"), "--clinics", str(folder / "clinics.yaml"),
        "--brand", str(folder / "brand.yaml"), "-o", str(tmp_path / "g.pdf")])
    assert result.exit_code == 0, result.output
    assert "#" in (folder / "brand.yaml").read_text()  # the comments came along


def test_booklet_order_for_twelve_pages():
    assert booklet_order(12) == [(11, 0), (1, 10), (9, 2), (3, 8), (7, 4), (5, 6)]


def numbered_pdf(pages: int, size: str) -> bytes:
    from weasyprint import HTML

    body = "".join(f'<p style="break-after: page; font-size: 40pt">P{i + 1}</p>' for i in range(pages))
    return HTML(string=f"<style>@page {{ size: {size}; margin: 10mm }}</style>{body}").write_pdf()


def half_texts(pdf: bytes, tmp_path: Path, page: int, boxes) -> list[str]:
    path = tmp_path / "b.pdf"
    path.write_bytes(pdf)
    out = []
    for x, y, w, h in boxes:
        args = ["pdftotext", "-f", str(page), "-l", str(page), "-x", str(x), "-y", str(y), "-W",
                str(w), "-H", str(h), str(path), "-"]
        out.append(subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip())
    return out


def test_a5_booklet_on_a4_pads_and_orders_pages(tmp_path):
    booklet = impose(numbered_pdf(10, "A5"))
    reader = PdfReader(__import__("io").BytesIO(booklet))
    assert len(reader.pages) == 6  # 10 pages padded to 12: 3 sheets, front and back
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    halves = [(0, 0, 421, 595), (421, 0, 421, 595)]
    assert half_texts(booklet, tmp_path, 1, halves) == ["", "P1"]  # blank back cover, cover
    assert half_texts(booklet, tmp_path, 2, halves) == ["P2", ""]
    assert half_texts(booklet, tmp_path, 5, halves) == ["P8", "P5"]
    assert half_texts(booklet, tmp_path, 6, halves) == ["P6", "P7"]  # the middle spread


def test_a6_booklet_is_four_up_for_cut_and_stack(tmp_path):
    booklet = impose(numbered_pdf(16, "A6"))
    reader = PdfReader(__import__("io").BytesIO(booklet))
    assert len(reader.pages) == 4  # 16 pages: 4 A5 half-sheets, on 2 A4 sheets
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    quarters = [(0, 0, 297, 421), (297, 0, 298, 421), (0, 421, 297, 421), (297, 421, 298, 421)]
    # sheet 1 front: top = half-sheet 1 (P16, P1), bottom = half-sheet 3 (P12, P5)
    assert half_texts(booklet, tmp_path, 1, quarters) == ["P16", "P1", "P12", "P5"]
    # sheet 1 back: top = (P2, P15), bottom = (P6, P11)
    assert half_texts(booklet, tmp_path, 2, quarters) == ["P2", "P15", "P6", "P11"]


def numbered_with_bookmarks(pages: int, size: str) -> bytes:
    from weasyprint import HTML

    body = "".join(f'<h1 style="break-after: page; font-size: 40pt">P{i + 1}</h1>'
                   for i in range(pages))
    return HTML(string=f"<html lang=ja><title>T</title><style>@page {{ size: {size}; "
                       f"margin: 10mm }}</style>{body}").write_pdf()


@pytest.mark.parametrize(("pages", "size", "sides"), [
    # sheet sides as in the ordering tests above: A5 2-up (P5 and P8 share the 5th side), A6 4-up
    (10, "A5", {"P1": 0, "P2": 1, "P5": 4, "P8": 4, "P10": 2}),
    (16, "A6", {"P1": 0, "P5": 0, "P2": 1, "P16": 0, "P9": 3}),
])
def test_booklet_bookmarks_open_the_sheet_side_their_page_is_on(pages, size, sides):
    import pikepdf

    booklet = pikepdf.open(__import__("io").BytesIO(impose(numbered_with_bookmarks(pages, size))))
    index = {page.objgen: n for n, page in enumerate(booklet.pages)}
    with booklet.open_outline() as outline:
        found = {item.title: index[item.destination[0].objgen] for item in outline.root}
    assert len(found) == pages
    assert {title: found[title] for title in sides} == sides
    assert str(booklet.docinfo["/Title"]) == "T" and str(booklet.Root.Lang) == "ja"


def test_booklet_of_the_sample_and_a_wrong_format(tmp_path):
    pdf = sample(tmp_path / "g.pdf", booklet="a4")
    reader = PdfReader(pdf)
    assert round(float(reader.pages[0].mediabox.width)) == 842
    assert list(reader.attachments) == ["trip.ics"]  # the calendar came along
    assert [item.title for item in reader.outline if not isinstance(item, list)][:3] == [
        "Cover", "At a glance", "Itinerary"]
    result = CliRunner().invoke(main, ["build", str(SAMPLES / "traveler.yaml"), "--format", "a4",
                                       "--booklet", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2 and "A5 or A6" in result.output


def test_watch_rebuilds_on_change(tmp_path):
    watched = tmp_path / "profile.yaml"
    watched.write_text("a")
    calls = []

    def rebuild() -> None:
        calls.append(watched.read_text())
        if len(calls) == 1:
            watched.write_text("bb")  # changed after the first build

    watch(lambda: [watched], rebuild, interval=0.05, rounds=4)
    assert calls == ["a", "bb"]
