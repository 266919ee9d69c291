"""QR codes (render/qr.py): a quiet zone, crisp modules, a size a phone can read, and decodable."""

from __future__ import annotations

import base64
import io

import zxingcpp
from PIL import Image

from guidebook.render.qr import MIN_SIZE_MM, MODULE_MM, make_qr_image, qr_modules, qr_size_mm


def test_qr_image_has_quiet_zone_crisp_pixels_and_a_printable_size():
    tag = make_qr_image("https://example.com/a")
    modules = int(tag.split('data-modules="')[1].split('"')[0])
    assert modules == 25 + 8  # version 2 (25 modules) plus a 4-module quiet zone each side
    assert "width:24.0mm;height:24.0mm" in tag  # short links: the 24 mm minimum
    assert "image-rendering:pixelated" in tag  # no smoothing between modules
    png = base64.b64decode(tag.split("base64,")[1].split('"')[0])
    image = Image.open(io.BytesIO(png))
    assert image.size == (modules * 4, modules * 4)
    assert image.getpixel((0, 0)) and image.getpixel((15, 15))  # white quiet zone
    assert not image.getpixel((16, 16))  # the finder pattern's dark corner
    decoded = zxingcpp.read_barcodes(image.convert("L"))
    assert [r.text for r in decoded] == ["https://example.com/a"]
    long_tag = make_qr_image("https://map.naver.com/p/search/" + "%EC%84%9C" * 40)
    modules = int(long_tag.split('data-modules="')[1].split('"')[0])
    width = float(long_tag.split("width:")[1].split("mm")[0])
    assert width > 24 and width / modules >= 0.45 - 0.001


def test_codes_side_by_side_share_the_size_the_longest_link_needs():
    short, long = "https://example.com/a", "https://map.naver.com/p/search/" + "%EC%84%9C" * 40
    assert qr_size_mm(short) == MIN_SIZE_MM
    assert qr_size_mm(short, long, "") == qr_modules(long) * MODULE_MM > MIN_SIZE_MM
    assert qr_modules(short) < qr_modules(long)


def test_a_code_is_drawn_once_and_found_again_in_the_cache(tmp_path, monkeypatch):
    from unittest import mock

    from guidebook.render import qr

    monkeypatch.setenv("GUIDEBOOK_CACHE", str(tmp_path))
    qr.qr_png.cache_clear()
    try:
        with mock.patch.object(qr, "_draw", autospec=True, side_effect=qr._draw) as draw:
            first = qr.qr_png("https://example.com/cached")
            qr.qr_png.cache_clear()  # a new process: memory empty, the cache folder kept
            again = qr.qr_png("https://example.com/cached")
        assert draw.call_count == 1 and first == again
        assert qr.qr_modules("https://example.com/cached") == first[0] == 25 + 2 * qr.QUIET_ZONE  # version 2
        (cached,) = (tmp_path / "qr").iterdir()
        cached.write_bytes(b"not a png")  # a damaged file is drawn again, not trusted
        qr.qr_png.cache_clear()
        assert qr.qr_png("https://example.com/cached") == first
    finally:
        qr.qr_png.cache_clear()
