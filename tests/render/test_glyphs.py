"""Characters no installed font can show (render/glyphs.py), found before they print as boxes."""

from __future__ import annotations

from unittest import mock

import pytest

from guidebook.render import glyphs

# ASCII and the Hangul syllables only, as if those were the only fonts installed. (The characters
# found missing below are outside the ranges Noto Sans CJK KR has for certain: Latin Extended-A,
# Thai, emoji, hieroglyphs.)
TABLE = ([0x20, 0xAC00], [0x7E, 0xD7A3])


@pytest.fixture
def latin_and_hangul():
    with mock.patch.object(glyphs, "coverage", autospec=True, return_value=TABLE):
        yield


def test_covered_looks_the_character_up_in_the_installed_ranges(latin_and_hangul):
    assert glyphs.covered("A") and glyphs.covered("~") and glyphs.covered("김")
    assert not glyphs.covered("Ā") and not glyphs.covered("ก") and not glyphs.covered("\U00013000")


def test_one_warning_per_field_naming_the_characters(latin_and_hangul):
    profile = {"traveler": {"name": "Kim 김민지 Ānanda สมชาย", "notes": ["ok", "tea 🍵 and Ā"]}, "n": 3}
    warnings = glyphs.missing_glyphs(profile=profile, hotel="Hotel\u200b Seoul\n")
    assert warnings == [
        "profile.traveler.name: no installed font has U+0100, U+0E0A, U+0E21, U+0E22, U+0E2A; it "
        "will print as an empty box",  # the first five of six
        "profile.traveler.notes[1]: no installed font has U+0100, U+1F375; it will print as an empty box",
    ]  # spaces, line ends and a zero-width space (categories C and Z) need no glyph


def test_without_fontconfig_every_character_counts_as_covered():
    with mock.patch.object(glyphs, "coverage", autospec=True, return_value=None):
        assert glyphs.covered("ก") and glyphs.missing_glyphs(name="ก") == []


def test_the_installed_fonts_have_latin_and_hangul():
    glyphs.coverage.cache_clear()
    assert glyphs.coverage() is not None
    assert all(glyphs.covered(c) for c in "Aa1₩김서울")


def test_a_font_family_is_installed_whatever_the_case_it_is_named_in():
    glyphs.font_installed.cache_clear()
    assert glyphs.font_installed("DejaVu Sans") and glyphs.font_installed("dejavu sans")
    assert glyphs.font_installed("Nonexistent Serif Pro") is False
    with mock.patch.object(glyphs.shutil, "which", autospec=True, return_value=None):
        glyphs.font_installed.cache_clear()
        assert glyphs.font_installed("DejaVu Sans") is None  # fontconfig cannot say
    glyphs.font_installed.cache_clear()
