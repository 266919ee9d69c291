"""The trimmed CJK faces (pdf/fonts.py): same pages, smaller PDFs, and a fallback for what they lack."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import ROOT, SAMPLES, build, load, renderer
from PIL import ImageChops

from guidebook.guide import plan_guide
from guidebook.pdf import fonts


def pdf_fonts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0].split("+")[-1] for line in out.splitlines()[2:]]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("profile", "region", "smaller"),
    [
        ("traveler.yaml", "KR", 0.5),
        ("traveler-ja.yaml", "JP", 0.7),
        ("traveler-zh-Hans.yaml", "SC", 0.7),
        ("traveler-zh-Hant.yaml", "TC", 0.8),
    ],
)
def test_trimmed_faces_draw_the_same_pages_in_a_smaller_pdf(pdf_pictures, profile, region, smaller):
    inputs = load(SAMPLES / profile, clinics=SAMPLES / "clinics.yaml", brand=SAMPLES / "brand.yaml")
    plan = plan_guide(inputs)
    trimmed = renderer(inputs.brand)
    assert [weight for weight, _ in trimmed.faces("KR")] == ["400", "700"]
    system = renderer(inputs.brand, trim_fonts=False)
    guide = trimmed.render(inputs, plan)
    small, large = guide.pdf, system.render(inputs, plan).pdf
    assert guide.warnings == []
    assert len(small) < smaller * len(large)
    faces = {f.rsplit("-Bold", 1)[0] for f in pdf_fonts_of(small)}
    # only trimmed faces: nothing in the sample falls through to a system face
    assert faces == {"guidebook-Sans-KR", f"guidebook-Sans-{region}"}, faces
    a, b = pdf_pictures(small, "a"), pdf_pictures(large, "b")
    assert len(a) == len(b) > 10
    for number, (x, y) in enumerate(zip(a, b, strict=True), start=1):
        assert ImageChops.difference(x, y).getbbox() is None, f"page {number} differs"


def pdf_fonts_of(data: bytes) -> list[str]:
    out = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True).stdout
    return [line.split()[0].split("+")[-1] for line in out.decode().splitlines()[2:]]


@pytest.mark.slow
@pytest.mark.parametrize("hotel", ["東京ホテル Sinsa", "똠방 Stay"])  # kanji; a syllable not in KS X 1001
def test_text_the_trimmed_face_lacks_falls_through_to_the_system_face(tmp_path, write_profile, hotel):
    profile = write_profile(hotel=hotel)
    result = build(profile, clinics=SAMPLES / "clinics.yaml", output=tmp_path / "g.pdf")
    assert result.warnings == []
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "g.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert hotel.split()[0] in text
    used = pdf_fonts(tmp_path / "g.pdf")
    assert "guidebook-Sans-KR" in used and any(f.startswith("Noto-Sans-CJK") for f in used)


@pytest.mark.parametrize(
    ("region", "texts"),
    [
        ("KR", ["src/guidebook", "templates", "samples"]),
        ("JP", ["src/guidebook/locale/ja"]),
        ("SC", ["src/guidebook/locale/zh_Hans"]),
        ("TC", ["src/guidebook/locale/zh_Hant"]),
    ],
)
def test_the_trimmed_faces_keep_every_character_guidebook_ships(region, texts):
    kept = set(fonts.REGIONS[region].characters)
    for first, last in fonts.REGIONS[region].ranges:
        kept.update(range(first, last + 1))
    shipped = set()
    for folder in texts:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".yaml", ".j2", ".po", ".csv"}:
                text = path.read_text(encoding="utf-8")
                if region != "KR":  # the translations: what a guide in that language prints
                    text = "".join(line for line in text.splitlines() if line.startswith("msgstr"))
                shipped |= {ord(c) for c in text if c > "\u2e7f" and not "가" <= c <= "힣"}
                if region == "KR":
                    shipped = {c for c in shipped if 0xAC00 <= c <= 0xD7A3}
                    shipped |= {ord(c) for c in text if "가" <= c <= "힣"}
    assert len(shipped) > 200
    assert shipped <= kept, sorted(chr(c) for c in shipped - kept)


def test_the_everyday_sets_have_their_published_sizes():
    sizes = {region: len(r.characters) for region, r in fonts.REGIONS.items()}
    assert sizes == {"KR": 2350, "JP": 6356, "SC": 6763, "TC": 13061 + 3}


@pytest.mark.slow
def test_the_trimmed_faces_are_made_once_and_found_again(tmp_path, monkeypatch):
    monkeypatch.setenv("GUIDEBOOK_CACHE", str(tmp_path))
    fonts.trimmed_faces.cache_clear()
    try:
        made = fonts.trimmed_faces()
        assert [path.parent for _, path in made] == [tmp_path / "fonts"] * 2
        stamps = [path.stat().st_mtime_ns for _, path in made]
        fonts.trimmed_faces.cache_clear()
        assert fonts.trimmed_faces() == made
        assert [path.stat().st_mtime_ns for _, path in made] == stamps
    finally:
        fonts.trimmed_faces.cache_clear()


@pytest.mark.slow
def test_a_cache_that_is_a_file_means_system_faces_and_guides_still_build(tmp_path, monkeypatch):
    (tmp_path / "cache").write_text("not a folder")
    monkeypatch.setenv("GUIDEBOOK_CACHE", str(tmp_path / "cache"))
    fonts.trimmed_faces.cache_clear()
    try:
        assert fonts.trimmed_faces() == ()
        result = build(SAMPLES / "traveler.yaml", clinics=SAMPLES / "clinics.yaml", output=tmp_path / "g.pdf")
        assert result.warnings == []
        assert "Noto-Sans-CJK-KR" in pdf_fonts(tmp_path / "g.pdf")
    finally:
        fonts.trimmed_faces.cache_clear()


@pytest.mark.parametrize("damage", ["cut short", "changed", "no seal"])
def test_a_damaged_trimmed_face_in_the_cache_is_made_again(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("GUIDEBOOK_CACHE", str(tmp_path))
    fonts.trimmed_faces.cache_clear()
    try:
        [(_, regular), _] = fonts.trimmed_faces()
        good = regular.read_bytes()
        if damage == "cut short":  # a full disk, or a copy killed half way
            regular.write_bytes(good[: len(good) // 2])
        elif damage == "changed":
            regular.write_bytes(good[:-4] + b"XXXX")
        else:
            regular.with_suffix(".sha256").unlink()
        fonts.trimmed_faces.cache_clear()
        [(_, again), _] = fonts.trimmed_faces()
        assert again == regular and again.read_bytes() == good
    finally:
        fonts.trimmed_faces.cache_clear()
