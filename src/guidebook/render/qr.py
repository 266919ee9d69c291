"""QR codes: qrcode computes the modules; a small 1-bit PNG shows them, drawn without smoothing."""

from __future__ import annotations

import base64
import contextlib
import html
import io
from functools import lru_cache

import qrcode
import qrcode.constants

QUIET_ZONE = 4  # modules, as ISO 18004 asks
MIN_SIZE_MM = 24.0  # the printed code with its quiet zone: at least 20 mm to scan at arm's length
PIXELS_PER_MODULE = 4  # crisp even in a viewer that smooths images anyway
MODULE_MM = 0.45  # a module of at least 0.4 mm for phone cameras; long links get bigger codes


VERSION = 1  # of the cached pictures' format: bump when the picture changes


def qr_modules(data: str) -> int:
    """Modules across the code for `data`, quiet zone included."""
    return qr_png(data)[0]


@lru_cache(maxsize=1024)
def qr_png(data: str) -> tuple[int, bytes]:
    """(modules across, quiet zone included; the 1-bit PNG) of the code for `data`.

    Computing a code is most of a guide's HTML time (qrcode tries eight masks in pure Python:
    about 40 ms a code), and the same links (clinics, maps, the agency) come back from guide to
    guide and from build to build: the pictures are kept in memory and in the cache folder."""
    import hashlib

    from ..cache import cache_dir

    path = cache_dir() / "qr" / f"{hashlib.sha256(f'{VERSION}|{data}'.encode()).hexdigest()[:40]}.png"
    try:
        png = path.read_bytes()
        if png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR":
            return int.from_bytes(png[16:20], "big") // PIXELS_PER_MODULE, png
    except OSError:
        pass
    size, png = _draw(data)
    from ..atomic import write_atomic
    from ..errors import OutputError

    with contextlib.suppress(OutputError):  # a cache that cannot be written: made again next time
        write_atomic(path, png)
    return size, png


def _draw(data: str) -> tuple[int, bytes]:
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
    return size, buffer.getvalue()


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
    size, png = qr_png(data)
    mm = max(MIN_SIZE_MM, size * MODULE_MM, size_mm or 0)
    return (
        f'<img class="qr" alt="{html.escape(alt or "QR code: " + data)}" data-modules="{size}" '
        f'style="width:{mm:.1f}mm;height:{mm:.1f}mm;image-rendering:pixelated" '
        f'src="data:image/png;base64,{base64.b64encode(png).decode()}">'
    )


def _packed_rows(matrix: list[list[bool]]) -> bytes:
    """Rows of a 1-bit image, 1 = white, each padded to a whole byte (PIL's "1" raw layout)."""
    out = bytearray()
    for row in matrix:
        bits = "".join("0" if dark else "1" for dark in row)
        bits += "1" * (-len(bits) % 8)
        out += int(bits, 2).to_bytes(len(bits) // 8, "big")
    return bytes(out)
