"""Impose a guide for home printing: A5 pages 2-up or A6 pages 4-up on A4 (or Letter) sheets.

Print double-sided. For A5 pages (2-up, landscape sheets) flip on the short edge, then fold the
stack in the middle. For A6 pages (4-up, portrait sheets) flip on the long edge, cut the stack
across the middle, put the bottom halves under the top halves, and fold.
"""

from __future__ import annotations

import io
import math

import pikepdf

from ..errors import GuidebookError

MM = 72 / 25.4
SHEETS = {"a4": (210 * MM, 297 * MM), "letter": (8.5 * 72, 11 * 72)}


def booklet_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) page indexes of each sheet side, front then back, for a saddle-stitched
    booklet of `pages` pages (already a multiple of 4)."""
    sides = []
    for i in range(pages // 4):
        sides.append((pages - 1 - 2 * i, 2 * i))  # front
        sides.append((2 * i + 1, pages - 2 - 2 * i))  # back
    return sides


def impose(pdf: bytes, *, sheet: str = "a4") -> bytes:
    """The booklet, as PDF bytes; A5 or A6 pages in, A4 or Letter sheets out."""
    src = pikepdf.open(io.BytesIO(pdf))
    box = src.pages[0].mediabox
    width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
    up = _pages_per_side(width, height)
    count = len(src.pages)
    # A6 pages: a multiple of 8, so the last A4 sheet's two halves are both used (no half-sheet
    # printed blank and thrown away); the extra pages are blank pages inside the booklet, before
    # its last page, so that the back cover stays the outside of the folded booklet.
    total = math.ceil(count / (4 * up // 2)) * (4 * up // 2)
    if total > count:
        spare = pikepdf.new()
        spare.add_blank_page(page_size=(width, height))
        for _ in range(total - count):
            src.pages.insert(max(count - 1, 1), spare.pages[0])  # a copy each time
    sides = booklet_order(total)
    sheet_w, sheet_h = SHEETS[sheet]
    out = pikepdf.new()
    where: dict[int, int] = {}  # a guide page's index -> the index of the sheet side it is on
    if up == 2:  # landscape sheet, one side = two pages side by side
        for n, (left, right) in enumerate(sides):
            page = out.add_blank_page(page_size=(sheet_h, sheet_w))
            _place(page, src, (left, right), 0, 0, sheet_h, sheet_w, width, height)
            where.update(dict.fromkeys((left, right), len(out.pages) - 1))
            _marks(out, page, sheet_h, [(0.0, sheet_w)], collation=None if n % 2 else n // 2, cut=False)
    else:  # portrait sheet holding two landscape half-sheets; cut across the middle
        half = sheet_h / 2
        halves = len(sides) // 4  # A4 sheets: each carries two half-sheets (pages padded to 8)
        for j in range(halves):
            for face in (0, 1):  # front, back
                page = out.add_blank_page(page_size=(sheet_w, sheet_h))
                top = 2 * j + face
                bottom = 2 * (j + halves) + face
                _place(page, src, sides[top], 0, half, sheet_w, half, width, height)
                where.update(dict.fromkeys(sides[top], len(out.pages) - 1))
                _place(page, src, sides[bottom], 0, 0, sheet_w, half, width, height)
                where.update(dict.fromkeys(sides[bottom], len(out.pages) - 1))
                # each half folds into a sheet of the booklet: the top half is sheet j, the bottom
                # half sheet j + halves (marked on their outside, the front)
                _marks(
                    out,
                    page,
                    sheet_w,
                    [(half, half), (0.0, half)],
                    cut=True,
                    collation=None if face else (j, j + halves),
                )
    _keep_document_parts(src, out, where)
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True)
    return buffer.getvalue()


GREY = b"0.55 G"
MARK = 4 * MM  # the length of a fold mark
COLLATION_STEP = 6 * MM  # each folded sheet's mark one step lower: a stack shows a stair


def _marks(
    out: pikepdf.Pdf,
    page: pikepdf.Page,
    width: float,
    halves: list[tuple[float, float]],
    *,
    cut: bool,
    collation: int | tuple[int, ...] | None,
) -> None:
    """Printer's marks on a sheet side: fold marks at the middle of each (y, height) band, a dashed
    cut line between two bands, and on the outside of each folded sheet a collation mark on the
    fold: a small block, one step lower for each sheet, so that a stack in the right order shows
    a straight stair (and a sheet out of place breaks it)."""
    mid = width / 2
    ops = [b"q", GREY, b"0.4 w"]
    for y, height in halves:
        ops.append(f"{mid:.2f} {y + height - MARK:.2f} m {mid:.2f} {y + height:.2f} l S".encode())
        ops.append(f"{mid:.2f} {y:.2f} m {mid:.2f} {y + MARK:.2f} l S".encode())
    if cut:
        y = halves[1][0] + halves[1][1]
        ops.append(f"[3 2] 0 d 0 {y:.2f} m {width:.2f} {y:.2f} l S [] 0 d".encode())
    numbers = (collation,) if isinstance(collation, int) else collation or ()
    for (y, height), number in zip(halves, numbers, strict=False):
        top = y + height - 2 * MARK - number * COLLATION_STEP
        if top - 5 * MM > y + MARK:
            ops.append(
                f"0 g {mid - 0.75 * MM:.2f} {top - 5 * MM:.2f} {1.5 * MM:.2f} {5 * MM:.2f} re f".encode()
            )
    ops.append(b"Q")
    page.contents_add(pikepdf.Stream(out, b"\n".join(ops)), prepend=False)


def _keep_document_parts(src: pikepdf.Pdf, out: pikepdf.Pdf, where: dict[int, int]) -> None:
    """The guide's title and author, language, attached calendar and bookmarks, each bookmark
    opening the sheet side its page is printed on."""
    if "/Info" in src.trailer:
        for key, value in src.docinfo.items():
            out.docinfo[key] = value
    if "/Lang" in src.Root:
        out.Root.Lang = src.Root.Lang
    for name, spec in src.attachments.items():
        out.attachments[name] = pikepdf.AttachedFileSpec(
            out,
            spec.get_file().read_bytes(),
            filename=name,
            description=spec.description or "",
            mime_type=spec.get_file().mime_type or "",
        )
    index: dict[object, int] = {page.objgen: n for n, page in enumerate(src.pages)}

    def copy(item: pikepdf.OutlineItem) -> pikepdf.OutlineItem | None:
        target = item.destination
        page = target[0] if isinstance(target, pikepdf.Array) and len(target) else None
        number = index.get(page.objgen) if page is not None else None
        if number is None or number not in where:
            return None
        made = pikepdf.OutlineItem(item.title, where[number])
        made.children.extend(c for c in map(copy, item.children) if c is not None)
        return made

    with src.open_outline() as source, out.open_outline() as target:
        target.root.extend(c for c in map(copy, source.root) if c is not None)


def _pages_per_side(width: float, height: float) -> int:
    """2 for A5 pages, 4 for A6 pages; other sizes are not folded into booklets."""
    for w, h, up in ((148, 210, 2), (105, 148, 4)):
        if abs(width / MM - w) < 2 and abs(height / MM - h) < 2:
            return up
    raise GuidebookError("a booklet is made from A5 or A6 pages: build with --format a5 or a6")


def _place(
    sheet: pikepdf.Page,
    src: pikepdf.Pdf,
    pair: tuple[int, int],
    x: float,
    y: float,
    w: float,
    h: float,
    page_w: float,
    page_h: float,
) -> None:
    """Two pages side by side in the box (x, y, w, h) of the sheet, scaled to fit, centred."""
    scale = min(w / 2 / page_w, h / page_h)
    pw, ph = page_w * scale, page_h * scale
    top = y + (h - ph) / 2
    for slot, index in enumerate(pair):
        left = x + w / 2 - pw if slot == 0 else x + w / 2
        rect = pikepdf.Rectangle(left, top, left + pw, top + ph)
        sheet.add_overlay(src.pages[index], rect)
