"""Vector QR codes: qrcode computes the modules; we draw them as one stroked run-length path."""

from __future__ import annotations

from functools import lru_cache

import qrcode
import qrcode.constants

QUIET_ZONE = 4  # modules, as ISO 18004 asks
MIN_SIZE_MM = 24.0  # the printed code with its quiet zone: at least 20 mm to scan at arm's length
MODULE_MM = 0.45  # a module of at least 0.4 mm for phone cameras; long links get bigger codes


@lru_cache(maxsize=1024)
def qr_modules(data: str) -> int:
    """Modules across the code for `data`, quiet zone included."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return code.modules_count + 2 * QUIET_ZONE


def qr_size_mm(*links: str) -> float:
    """One printed size for codes shown side by side: the largest any of them needs."""
    return max([MIN_SIZE_MM, *(qr_modules(link) * MODULE_MM for link in links if link)])


@lru_cache(maxsize=256)
def make_qr_svg(data: str, size_mm: float | None = None) -> str:
    """An inline SVG of a QR code for `data`, with a 4-module quiet zone.

    qrcode's own SVG writers draw a subpath (or a rect) per module, which WeasyPrint draws
    slowly; one horizontal run per row segment is a fraction of the size and draw time.
    Cached by text, since clinic and agency links repeat from guide to guide. The printed
    size grows with the number of modules so that each stays at least MODULE_MM wide.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the border
    size = len(matrix)
    # Each row's dark runs as horizontal strokes one module thick: three numbers a run, the
    # fewest WeasyPrint's SVG path parser has to read (it dominates a guide's drawing time).
    parts = []
    for y, row in enumerate(matrix):
        x, pen = 0, None
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            if pen is None:
                parts.append(f"M{start} {y}.5h{x - start}")
            else:
                parts.append(f"m{start - pen} 0h{x - start}")
            pen = x
    mm = max(MIN_SIZE_MM, size * MODULE_MM, size_mm or 0)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" class="qr" '
        f'style="width:{mm:.1f}mm;height:{mm:.1f}mm" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="none" stroke="#000" stroke-width="1" d="{"".join(parts)}"/></svg>'
    )
