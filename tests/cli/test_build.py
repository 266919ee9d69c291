"""`guidebook build` (cli/build.py): options forwarded to the library, usage errors before any
work, one clear message for bad input, and end to end on the samples."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner
from helpers import SAMPLE_ARGS, SAMPLES, assert_no_warnings

from guidebook import doctor
from guidebook.cli import main


def test_build_forwards_options_to_the_library(runner, tmp_path):
    with mock.patch("guidebook.guide.build_guide", autospec=True) as build:
        build.return_value.warnings = []
        build.return_value.written = [tmp_path / "x.pdf"]
        result = runner.invoke(
            main,
            [
                "build",
                *SAMPLE_ARGS,
                "-o",
                str(tmp_path / "x.pdf"),
                "--format",
                "pocket",
                "--closed",
                "2026-09-22",
                "--rate",
                "usd=1400@2026-09-01",
                "--strict",
                "--reminder",
            ],
        )
    assert result.exit_code == 0, result.output
    args, kwargs = build.call_args
    assert args == (SAMPLES / "traveler.yaml",)
    assert kwargs["output"] == tmp_path / "x.pdf"
    options = kwargs["options"]
    assert options.page_format == "a6"
    assert options.closed_dates == (date(2026, 9, 22),)
    assert options.rate.currency == "USD" and options.rate.krw_per_unit == Decimal(1400)
    assert options.rate.as_of == date(2026, 9, 1)
    assert options.clinics == SAMPLES / "clinics.yaml" and options.strict is True
    assert options.reminder is True


@pytest.mark.slow
def test_build_end_to_end_writes_pdf_html_and_ics_without_warnings(runner, tmp_path):
    out = tmp_path / "out" / "guide.pdf"
    with assert_no_warnings():
        result = runner.invoke(
            main,
            [
                "build",
                *SAMPLE_ARGS,
                "-o",
                str(out),
                "--html",
                str(tmp_path / "g.html"),
                "--ics",
                str(tmp_path / "g.ics"),
            ],
        )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    assert "warning" not in result.output.lower()
    assert "Olivia Park-Martin" in (tmp_path / "g.html").read_text()
    assert "BEGIN:VCALENDAR" in (tmp_path / "g.ics").read_text()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["guide.pdf"]  # no temp left


def test_bad_profile_one_clear_message_no_traceback_no_file(runner, tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text(
        "traveler:\n  name: A\n  nmae: B\ntrip:\n  arrival: 2026-04-06T10:00\n"
        "  departure: 2026-04-01T10:00\ntreatments:\n  - id: rejuran-heeler\n"
    )
    out = tmp_path / "p.pdf"
    result = runner.invoke(main, ["build", str(profile), "-o", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{profile}:3: traveler.nmae: unknown key 'nmae'; did you mean 'name'?" in result.output
    assert "departure must come after arrival" in result.output
    assert "did you mean 'rejuran-healer'?" in result.output
    assert "Aborted with 3 input errors." in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["-o", "{tmp}"], "is a folder"),
        (["-o", "{tmp}/g.pdf", "--html", "{tmp}/g.pdf"], "name the same file"),
        (["-o", "{tmp}/g.pdf", "--ics", "{samples}/clinics.yaml"], "is an input file"),
        (["-o", "{samples}/traveler.yaml"], "is an input file"),
        (["-o", "{tmp}/g.pdf", "--booklet", "--format", "a4"], "a booklet is made from A5 or A6"),
    ],
)
def test_bad_outputs_and_combinations_are_usage_errors_before_any_work(runner, tmp_path, flags, message):
    flags = [f.format(tmp=tmp_path, samples=SAMPLES) for f in flags]
    with mock.patch("guidebook.guide.build_guide", autospec=True) as build:
        result = runner.invoke(main, ["build", *SAMPLE_ARGS, *flags])
    assert result.exit_code == 2, result.output
    assert message in result.output
    build.assert_not_called()
    assert (SAMPLES / "traveler.yaml").read_text(encoding="utf-8").startswith("# A sample traveler")


@pytest.mark.slow
def test_unsupported_language_is_an_error_or_english_with_a_warning(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text((SAMPLES / "traveler.yaml").read_text().replace("language: en", "language: fr"))
    result = CliRunner().invoke(main, ["build", str(profile), "-o", str(tmp_path / "g.pdf")])
    assert result.exit_code == 1
    assert "traveler.language: unsupported language 'fr'; supported: en, ja, zh-Hans" in result.output
    assert not (tmp_path / "g.pdf").exists()
    bad = CliRunner().invoke(main, ["build", str(profile), "--lang", "xx", "-o", str(tmp_path / "g.pdf")])
    assert bad.exit_code == 2 and "supported: en, ja" in bad.output
    result = CliRunner().invoke(
        main, ["build", str(profile), "--lang-fallback", "-o", str(tmp_path / "g.pdf")]
    )
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "'fr'" in result.output and "English" in result.output


def test_build_prints_environment_warnings_once(runner, tmp_path):
    with (
        mock.patch.object(
            doctor, "render_warnings", autospec=True, return_value=("font Noto Sans CJK KR: missing",)
        ),
        mock.patch("guidebook.guide.build_guide", autospec=True) as build,
    ):
        build.return_value.warnings = []
        build.return_value.written = [Path("x.pdf")]
        result = runner.invoke(main, ["build", str(SAMPLES / "traveler.yaml"), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 0, result.output
    assert result.output.count("warning: font Noto Sans CJK KR: missing") == 1
    build.assert_called_once()


def test_watch_rebuilds_with_one_renderer_that_reuses_layouts(runner, tmp_path):
    with (
        mock.patch("guidebook.watch.watch", autospec=True) as watch,
        mock.patch("guidebook.guide.build_guide", autospec=True) as build,
    ):
        build.return_value.warnings = []
        build.return_value.written = [tmp_path / "x.pdf"]
        result = runner.invoke(main, ["build", *SAMPLE_ARGS, "-o", str(tmp_path / "x.pdf"), "--watch"])
        assert result.exit_code == 0, result.output
        build.assert_not_called()  # the watch makes every build, the first one too
        files, once = watch.call_args.args
        watched = files()
        assert SAMPLES / "traveler.yaml" in watched and SAMPLES / "logo.svg" in watched
        assert any(p.name == "guide.css" for p in watched)  # the theme's files too
        once()
        once()
    renderers = [call.kwargs["renderer"] for call in build.call_args_list]
    assert len(renderers) == 2 and renderers[0] is renderers[1] and renderers[0].reuse
    assert build.call_args.kwargs["output"] == tmp_path / "x.pdf"
