"""guidebook doctor: reports each problem with its fix; build warns about the same ones."""

from __future__ import annotations

from pathlib import Path

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


def test_doctor_on_a_ready_machine(tmp_path):
    result = CliRunner().invoke(main, ["doctor", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "[ok  ] font Noto Sans CJK KR" in result.output
    assert "[ok  ] HarfBuzz subsetting" in result.output
    assert "Ready to make guides." in result.output


def test_missing_hangul_font_fails_with_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(doctor, "installed_families", lambda: frozenset({"DejaVu Sans"}))
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


def test_build_prints_environment_warnings_once(monkeypatch, tmp_path):
    monkeypatch.setattr(doctor, "render_warnings", lambda: ("font Noto Sans CJK KR: missing",))
    with pytest.MonkeyPatch.context() as m:
        m.setattr("guidebook.guide.build_guide", lambda *a, **k: type(
            "R", (), {"warnings": [], "written": [Path("x.pdf")]})())
        result = CliRunner().invoke(main, ["build", str(Path(__file__).parents[1] / "samples" /
                                                         "traveler.yaml"), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 0, result.output
    assert result.output.count("warning: font Noto Sans CJK KR: missing") == 1
