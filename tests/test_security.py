"""Hostile and broken input: every fetch vector blocked, untrusted text shown as typed (never run
as markup or template code, never fetched), nothing leaks, nothing overflows, limits with clear
messages. Cross-cutting: the fetcher, the engine, the loaders, the templates and the build."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import SAMPLES, build, layout, load
from pypdf import PdfReader

from guidebook.errors import InputError
from guidebook.inputs.load import load_brand, load_catalogue, load_profile
from guidebook.pdf.engine import PdfEngine
from guidebook.render.theme import Theme

SECRET = "TOP-SECRET-CONTENT-42"

VECTORS = {
    "img": '<img src="{url}">',
    "inline style url()": '<div style="background: url({url})">x</div>',
    "@import": "<style>@import url({url});</style>",
    "@font-face": (
        "<style>@font-face {{ font-family: X; src: url({url}) }} p {{ font-family: X }}</style><p>x</p>"
    ),
    "link stylesheet": '<link rel="stylesheet" href="{url}">',
    "link attachment": '<link rel="attachment" href="{url}">',
    "a attachment": '<a rel="attachment" href="{url}">file</a>',
    "object": '<object data="{url}"></object>',
    "embed": '<embed src="{url}">',
    "svg image": '<svg width="10" height="10"><image href="{url}" width="10" height="10"/></svg>',
}


@pytest.fixture(scope="module")
def engine() -> PdfEngine:
    return PdfEngine(Theme().asset_dirs)


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.css"
    path.write_text(f"/* {SECRET} */ body {{ color: red }}")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("vector", sorted(VECTORS))
@pytest.mark.parametrize("target", ["file", "http", "relative"])
def test_every_fetch_vector_is_blocked(engine, secret_file, vector, target):
    url = {
        "file": secret_file.as_uri(),
        "http": "http://127.0.0.1:9/x.css",
        "relative": "../" * 12 + str(secret_file).lstrip("/"),
    }[target]
    html = f"<html><body><p>guide</p>{VECTORS[vector].format(url=url)}</body></html>"
    data, warnings = engine.render(html, base_url=Theme().template_dirs[0], stylesheets=[])
    reader = PdfReader(io.BytesIO(data))
    assert not reader.attachments
    text = "".join(page.extract_text() for page in reader.pages)
    assert SECRET not in text and SECRET.encode() not in data
    if vector not in {"a attachment"}:  # a link is dropped, not fetched
        assert any("blocked" in w or "removed" in w for w in warnings), warnings


LONG_WORD = "Supercalifragilisticexpialidocious" * 8  # 272 letters, no space


def boxes_outside_their_page(pdf_document) -> list[str]:
    """Every box that runs past its page's right edge (WeasyPrint's own layout)."""
    problems = []

    def walk(box, number: int, width: float) -> None:
        if box.style["transform"]:  # an edge tab, turned a quarter turn: drawn as wide as it is high
            right = box.border_box_x() + box.border_width() / 2 + box.border_height() / 2
            if right > width + 0.5:
                problems.append(
                    f"page {number}: a turned {type(box).__name__} ends at {right:.0f} > {width:.0f}"
                )
            return
        right = box.position_x + box.margin_width()
        if right > width + 0.5 and box.margin_width() > 0:
            problems.append(f"page {number}: {type(box).__name__} ends at {right:.0f} > {width:.0f}")
        for child in getattr(box, "children", []):
            walk(child, number, width)

    for number, page in enumerate(pdf_document.pages, 1):
        walk(page._page_box, number, page.width)
    return problems


@pytest.mark.slow
@pytest.mark.parametrize(
    "fields",
    [
        {"name": LONG_WORD},
        {"notes": LONG_WORD * 10, "hotel": LONG_WORD},
        {"address": LONG_WORD, "address_ko": "서울특별시" * 40},
        {"allergy": LONG_WORD},
    ],
)
def test_long_words_wrap_inside_the_page(write_profile, fields):
    document = layout(load(write_profile(**fields), clinics=SAMPLES / "clinics.yaml"))
    assert boxes_outside_their_page(document) == []


@pytest.mark.slow
def test_many_scripts_render_and_unknown_characters_warn(tmp_path, write_profile):
    name = "Nguyễn Thị Minh Khai 김민지 田中結衣 陈美 מרים כהן مريم"
    notes = "e\u0301 a\u200bb \u200d emoji 🙂 and \U0001f9ea"
    result = build(write_profile(name=name, notes=notes), output=tmp_path / "g.pdf")
    assert (tmp_path / "g.pdf").stat().st_size > 10_000
    warned = [w for w in result.warnings if "no installed font" in w]
    from guidebook.render.glyphs import covered

    if not covered("🙂"):
        assert any("notes" in w and "U+1F642" in w for w in warned), result.warnings
    assert not any("traveler.name" in w for w in warned)  # every script of the name is covered


@pytest.mark.parametrize(
    ("fields", "location", "message"),
    [
        ({"name": "x" * 10_000}, "traveler.name", "too long"),
        ({"notes": "x" * 6000}, "notes", "too long"),
    ],
)
def test_limits_give_clear_messages(write_profile, fields, location, message):
    with pytest.raises(InputError) as info:
        load_profile(write_profile(**fields), load_catalogue())
    assert any(p.location == location and message in p.message for p in info.value.problems)


def test_five_megabyte_profile_and_two_year_stay_and_500_treatments(write_profile):
    catalogue = load_catalogue()
    with pytest.raises(InputError) as info:
        load_profile(write_profile(notes="x" * (5 << 20)), catalogue)
    assert "too large" in str(info.value) or "too long" in str(info.value)
    long_stay = write_profile(edit=lambda t: t.replace("2026-04-12T19:10", "2028-04-12T19:10"))
    with pytest.raises(InputError, match="longer than a year"):
        load_profile(long_stay, catalogue)
    many = write_profile(edit=lambda t: t.replace("  - id: aqua-peel\n", "  - id: aqua-peel\n" * 500))
    with pytest.raises(InputError, match="too many entries"):
        load_profile(many, catalogue)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"GIF89a not a png", "not a valid PNG"),
        ("logo.svg", b"\x89PNG\r\n\x1a\n", "not a valid SVG"),
        ("logo.gif", b"GIF89a", "must be one of"),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * (6 << 20), "too large"),
    ],
)
def test_bad_logo_files(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    brand = tmp_path / "brand.yaml"
    brand.write_text(f"agency: A\nlogo: {name}\n")
    with pytest.raises(InputError, match=message):
        load_brand(brand)


def test_bad_font_file(tmp_path):
    (tmp_path / "font.ttf").write_text("<html>not a font</html>")
    brand = tmp_path / "brand.yaml"
    brand.write_text("agency: A\nfont_files: [font.ttf]\n")
    with pytest.raises(InputError, match="font_files\\[0\\]"):
        load_brand(brand)


@pytest.mark.parametrize(
    "value",
    [
        '"red;} body {display:none"',
        '"url(file:///etc/passwd)"',
        '"#fff; background: url(x)"',
        '"expression(alert(1))"',
    ],
)
def test_css_injection_through_brand_is_rejected(tmp_path, value):
    brand = tmp_path / "brand.yaml"
    brand.write_text(f"agency: A\ncolors:\n  accent: {value}\n")
    with pytest.raises(InputError, match="colour"):
        load_brand(brand)
    brand.write_text(f"agency: A\nfont: {value}\n")
    with pytest.raises(InputError, match="font family"):
        load_brand(brand)


@pytest.mark.slow
def test_a_user_theme_cannot_reach_outside_files(tmp_path, secret_file):
    theme = tmp_path / "theme" / "templates" / "sections"
    theme.mkdir(parents=True)
    (theme / "secret-link.css").symlink_to(secret_file)  # a symlink escape
    vectors = "".join(v.format(url=secret_file.as_uri()) for v in VECTORS.values())
    vectors += '<link rel="stylesheet" href="secret-link.css">'
    (theme / "disclaimer.html.j2").write_text(f'<section class="disclaimer">{vectors}</section>')
    result = build(SAMPLES / "traveler.yaml", output=tmp_path / "g.pdf", theme=tmp_path / "theme")
    blocked = [w for w in result.warnings if "blocked" in w]
    assert any("secret.css" in w for w in blocked) and any("secret-link.css" in w for w in blocked)
    reader = PdfReader(tmp_path / "g.pdf")
    assert list(reader.attachments) == ["trip.ics"]
    assert SECRET not in "".join(page.extract_text() for page in reader.pages)


@pytest.mark.slow
def test_strict_makes_a_blocked_resource_an_error_and_writes_nothing(tmp_path, secret_file):
    from guidebook.errors import RenderError

    theme = tmp_path / "theme" / "templates" / "sections"
    theme.mkdir(parents=True)
    (theme / "disclaimer.html.j2").write_text(f'<section><img src="{secret_file.as_uri()}"></section>')
    with pytest.raises(RenderError, match="blocked a resource.*secret.css"):
        build(SAMPLES / "traveler.yaml", output=tmp_path / "g.pdf", theme=tmp_path / "theme", strict=True)
    assert not (tmp_path / "g.pdf").exists()


HOSTILE = {
    "name": '<img src="file:///etc/passwd"> {{ 7*7 }}',
    "notes": "</style><link rel=attachment href=file:///etc/passwd>{% for x in range(3) %}X{% endfor %}",
    "hotel": "<script>alert(1)</script><object data=file:///etc/hostname></object>",
}


@pytest.mark.slow
def test_hostile_text_is_escaped_and_nothing_is_fetched(tmp_path, write_profile):
    html = tmp_path / "g.html"
    profile = write_profile(
        name=HOSTILE["name"], hotel=HOSTILE["hotel"], notes=HOSTILE["notes"], address_ko="서울 <b>bold</b>"
    )
    result = build(profile, output=tmp_path / "g.pdf", html=html)
    source = html.read_text()
    assert '<img src="file:///etc/passwd">' not in source
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt; {{ 7*7 }}" in source
    assert "<script>" not in source and "<link rel=attachment" not in source
    assert "XXX" not in source  # the template loop in the notes was not run
    assert result.warnings == []  # escaped text asks for nothing, so nothing was blocked
    reader = PdfReader(tmp_path / "g.pdf")
    assert list(reader.attachments) == ["trip.ics"]
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "g.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "{{ 7*7 }}" in text and "49" not in text.split("{{ 7*7 }}")[0][-5:]
        assert "root:" not in text
