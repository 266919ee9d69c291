"""Vector QR codes: qrcode computes the modules; we draw them as one run-length path."""

from __future__ import annotations

from functools import lru_cache

import qrcode
import qrcode.constants

QUIET_ZONE = 4  # modules, as ISO 18004 asks


@lru_cache(maxsize=256)
def make_qr_svg(data: str) -> str:
    """An inline SVG of a QR code for `data`, with a 4-module quiet zone.

    qrcode's own SVG writers draw a subpath (or a rect) per module, which WeasyPrint draws
    slowly; one horizontal run per row segment is a fraction of the size and draw time.
    Cached by text, since clinic and agency links repeat from guide to guide.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the border
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" class="qr" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )
