"""QR codes: qrcode computes the modules; a small 1-bit PNG shows them, drawn without smoothing."""

from __future__ import annotations

import base64
import html
import io
from functools import lru_cache

import qrcode
import qrcode.constants

QUIET_ZONE = 4  # modules, as ISO 18004 asks
MIN_SIZE_MM = 24.0  # the printed code with its quiet zone: at least 20 mm to scan at arm's length
PIXELS_PER_MODULE = 4  # crisp even in a viewer that smooths images anyway
MODULE_MM = 0.45  # a module of at least 0.4 mm for phone cameras; long links get bigger codes


@lru_cache(maxsize=1024)
def qr_modules(data: str) -> int:
    """Modules across the code for `data`, quiet zone included."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    return int(code.modules_count) + 2 * QUIET_ZONE


def qr_size_mm(*links: str) -> float:
    """One printed size for codes shown side by side: the largest any of them needs."""
    return max([MIN_SIZE_MM, *(qr_modules(link) * MODULE_MM for link in links if link)])


@lru_cache(maxsize=256)
def make_qr_image(data: str, size_mm: float | None = None, alt: str | None = None) -> str:
    """An <img> of a QR code for `data` (a 1-bit PNG, 4 pixels a module, 4-module quiet zone).

    A bitmap with interpolation off (image-rendering: pixelated) prints the modules exactly,
    and WeasyPrint draws it as one image instead of parsing a path: a clinic page's three codes
    cost almost nothing to draw. Cached by text, since clinic and agency links repeat from
    guide to guide. The printed size grows with the number of modules so that each stays at
    least MODULE_MM wide.
    """
    from PIL import Image

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the quiet zone
    size = len(matrix)
    image = Image.frombytes("1", (size, size), _packed_rows(matrix)).resize(
        (size * PIXELS_PER_MODULE, size * PIXELS_PER_MODULE), Image.Resampling.NEAREST
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    mm = max(MIN_SIZE_MM, size * MODULE_MM, size_mm or 0)
    return (
        f'<img class="qr" alt="{html.escape(alt or "QR code: " + data)}" data-modules="{size}" '
        f'style="width:{mm:.1f}mm;height:{mm:.1f}mm;image-rendering:pixelated" '
        f'src="data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}">'
    )


def _packed_rows(matrix: list[list[bool]]) -> bytes:
    """Rows of a 1-bit image, 1 = white, each padded to a whole byte (PIL's "1" raw layout)."""
    out = bytearray()
    for row in matrix:
        bits = "".join("0" if dark else "1" for dark in row)
        bits += "1" * (-len(bits) % 8)
        out += int(bits, 2).to_bytes(len(bits) // 8, "big")
    return bytes(out)
