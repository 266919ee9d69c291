"""Is this machine ready to make guides (doctor.py)? Each problem with its fix; the problems that
spoil a guide are also what `build` warns about."""

from __future__ import annotations

from unittest import mock

import pytest
from click.testing import CliRunner

from guidebook import doctor
from guidebook.cli import main


@pytest.fixture(autouse=True)
def fresh_caches():
    doctor.installed_families.cache_clear()
    doctor.render_warnings.cache_clear()
    yield
    doctor.installed_families.cache_clear()
    doctor.render_warnings.cache_clear()


def test_missing_hangul_font_fails_with_the_fix(tmp_path):
    with mock.patch.object(
        doctor, "installed_families", autospec=True, return_value=frozenset({"DejaVu Sans"})
    ):
        result = CliRunner().invoke(main, ["doctor", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "[FAIL] font Noto Sans CJK KR: missing" in result.output
    assert "fix: apt-get install -y fonts-noto-cjk" in result.output
    assert "[warn] font Noto Sans CJK JP" in result.output  # only later languages need it


def test_missing_harfbuzz_subset_fails_and_build_warns(monkeypatch, tmp_path):
    from weasyprint.text import ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 1
    assert "libharfbuzz-subset0" in result.output
    assert any("HarfBuzz" in w and "guidebook doctor" in w for w in doctor.render_warnings())


def test_unwritable_output_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    [check] = doctor.check_output(blocker / "sub")
    assert not check.ok and "fix" in check.line()


def test_a_check_prints_its_fix_only_when_it_fails():
    assert doctor.Check("Pango", True, "1.50.6", "apt-get install -y libpango-1.0-0").line() == (
        "[ok  ] Pango: 1.50.6"
    )
    assert doctor.Check("Pango", False, "1.40", "apt-get install -y libpango-1.0-0").line() == (
        "[FAIL] Pango: 1.40\n       fix: apt-get install -y libpango-1.0-0"
    )
    assert doctor.Check("poppler-utils", False, "missing", required=False).line() == (
        "[warn] poppler-utils: missing"
    )


def test_without_fontconfig_the_fonts_check_says_what_to_install():
    with mock.patch.object(doctor, "installed_families", autospec=True, return_value=None):
        [check] = doctor.check_fonts()
    assert not check.ok and check.fix == "apt-get install -y fontconfig"


def test_a_brand_is_checked_file_and_font(tmp_path):
    from helpers import SAMPLES, write_file

    [ok] = doctor.check_brand(SAMPLES / "brand.yaml")
    assert ok.ok and "Bloom Route Travel" in ok.detail
    missing = write_file(tmp_path, "agency: A\nfont: Nonexistent Serif Pro\nlogo: nope.svg\n", "b.yaml")
    [bad] = doctor.check_brand(missing)
    assert not bad.ok and "logo: file not found" in bad.detail
    unknown = write_file(tmp_path, "agency: A\nfont: Nonexistent Serif Pro\n", "c.yaml")
    _, font = doctor.check_brand(unknown)
    assert (font.name, font.ok) == ("brand font Nonexistent Serif Pro", False)
    assert "not installed" in font.detail and "font_files" in font.fix
    installed = write_file(tmp_path, "agency: A\nfont: DejaVu Sans\n", "d.yaml")
    assert all(c.ok for c in doctor.check_brand(installed))
    result = CliRunner().invoke(main, ["doctor", "-o", str(tmp_path), "--brand", str(unknown)])
    assert result.exit_code == 1 and "[FAIL] brand font Nonexistent Serif Pro: not installed" in result.output
