"""Booklets for home printing (pdf/booklet.py): folding order, A5 2-up and A6 4-up sheets,
bookmarks that open the right sheet side, and the sample as a booklet."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import SAMPLES, build_sample
from pypdf import PdfReader

from guidebook.cli import main
from guidebook.pdf.booklet import booklet_order, impose


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
        args = [
            "pdftotext",
            "-f",
            str(page),
            "-l",
            str(page),
            "-x",
            str(x),
            "-y",
            str(y),
            "-W",
            str(w),
            "-H",
            str(h),
            str(path),
            "-",
        ]
        out.append(subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip())
    return out


@pytest.mark.slow
def test_a5_booklet_on_a4_pads_and_orders_pages(tmp_path):
    booklet = impose(numbered_pdf(10, "A5"))
    reader = PdfReader(io.BytesIO(booklet))
    assert len(reader.pages) == 6  # 10 pages padded to 12: 3 sheets, front and back
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    halves = [(0, 0, 421, 595), (421, 0, 421, 595)]
    # the two blank pages go before the last page: the back cover stays the booklet's outside
    assert half_texts(booklet, tmp_path, 1, halves) == ["P10", "P1"]  # back cover, cover
    assert half_texts(booklet, tmp_path, 2, halves) == ["P2", ""]
    assert half_texts(booklet, tmp_path, 3, halves) == ["", "P3"]
    assert half_texts(booklet, tmp_path, 4, halves) == ["P4", "P9"]
    assert half_texts(booklet, tmp_path, 5, halves) == ["P8", "P5"]
    assert half_texts(booklet, tmp_path, 6, halves) == ["P6", "P7"]  # the middle spread


@pytest.mark.slow
def test_a6_booklet_is_four_up_for_cut_and_stack(tmp_path):
    booklet = impose(numbered_pdf(16, "A6"))
    reader = PdfReader(io.BytesIO(booklet))
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

    body = "".join(f'<h1 style="break-after: page; font-size: 40pt">P{i + 1}</h1>' for i in range(pages))
    return HTML(
        string=f"<html lang=ja><title>T</title><style>@page {{ size: {size}; margin: 10mm }}</style>{body}"
    ).write_pdf()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("pages", "size", "sides"),
    [
        # sheet sides as in the ordering tests above: A5 2-up (P5 and P8 share the 5th side; the
        # last page, the back cover, shares the first side with the cover), A6 4-up
        (10, "A5", {"P1": 0, "P2": 1, "P5": 4, "P8": 4, "P10": 0}),
        (16, "A6", {"P1": 0, "P5": 0, "P2": 1, "P16": 0, "P9": 3}),
    ],
)
def test_booklet_bookmarks_open_the_sheet_side_their_page_is_on(pages, size, sides):
    import pikepdf

    booklet = pikepdf.open(io.BytesIO(impose(numbered_with_bookmarks(pages, size))))
    index = {page.objgen: n for n, page in enumerate(booklet.pages)}
    with booklet.open_outline() as outline:
        found = {item.title: index[item.destination[0].objgen] for item in outline.root}
    assert len(found) == pages
    assert {title: found[title] for title in sides} == sides
    assert str(booklet.docinfo["/Title"]) == "T" and str(booklet.Root.Lang) == "ja"


@pytest.mark.slow
def test_booklet_of_the_sample_and_a_wrong_format(tmp_path):
    pdf = build_sample(tmp_path / "g.pdf", booklet="a4")
    reader = PdfReader(pdf)
    assert round(float(reader.pages[0].mediabox.width)) == 842
    assert list(reader.attachments) == ["trip.ics"]  # the calendar came along
    assert [item.title for item in reader.outline if not isinstance(item, list)][:3] == [
        "Cover",
        "At a glance",
        "Itinerary",
    ]
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(SAMPLES / "traveler.yaml"),
            "--format",
            "a4",
            "--booklet",
            "-o",
            str(tmp_path / "x.pdf"),
        ],
    )
    assert result.exit_code == 2 and "A5 or A6" in result.output


@pytest.mark.parametrize("pages", [4, 8, 16])
def test_every_page_is_placed_once_with_facing_pages_adding_up(pages):
    sides = booklet_order(pages)
    assert len(sides) == pages // 2
    assert sorted(i for side in sides for i in side) == list(range(pages))
    assert all(left + right == pages - 1 for left, right in sides)  # folded, they face each other


def _collation_marks(page) -> list[float]:  # noqa: ANN001 - a pikepdf page
    """The heights of the filled blocks drawn on a sheet's fold (the collation marks)."""
    import pikepdf

    found = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if operator == pikepdf.Operator("re"):
            x, y, w, h = (float(v) for v in operands)
            if abs(w - 1.5 * 72 / 25.4) < 0.1 and abs(h - 5 * 72 / 25.4) < 0.1:
                found.append(round(y, 1))
    return found


@pytest.mark.parametrize("pages", [1, 5, 9, 16, 17])
def test_a6_booklets_use_both_halves_of_every_sheet_and_mark_the_collation(pages):
    import io

    import pikepdf

    from guidebook.pdf.booklet import impose

    source = pikepdf.new()
    for _ in range(pages):
        source.add_blank_page(page_size=(105 * 72 / 25.4, 148 * 72 / 25.4))
    buffer = io.BytesIO()
    source.save(buffer)
    booklet = pikepdf.open(io.BytesIO(impose(buffer.getvalue(), sheet="a4")))
    sheets = len(booklet.pages) // 2
    assert len(booklet.pages) % 2 == 0 and sheets * 8 >= pages > (sheets - 1) * 8  # no empty half
    fronts = [_collation_marks(booklet.pages[2 * n]) for n in range(sheets)]
    assert all(len(marks) == 2 for marks in fronts)  # one on each half's fold
    tops = [max(marks) for marks in fronts]
    assert tops == sorted(tops, reverse=True) and len(set(tops)) == sheets  # a stair, down the stack
    assert all(_collation_marks(booklet.pages[2 * n + 1]) == [] for n in range(sheets))  # not inside
