"""The command line: forwarding to the library, and end to end on the samples."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from click.testing import CliRunner

from guidebook.cli import main

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples"
SAMPLE_ARGS = [str(SAMPLES / "traveler.yaml"), "--clinics", str(SAMPLES / "clinics.yaml"),
               "--brand", str(SAMPLES / "brand.yaml")]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_build_forwards_options_to_the_library(runner, tmp_path):
    with mock.patch("guidebook.guide.build_guide", autospec=True) as build:
        build.return_value.warnings = []
        build.return_value.written = [tmp_path / "x.pdf"]
        result = runner.invoke(main, ["build", *SAMPLE_ARGS, "-o", str(tmp_path / "x.pdf"),
                                      "--format", "pocket", "--closed", "2026-09-22",
                                      "--rate", "usd=1400@2026-09-01", "--strict"])
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


@pytest.mark.parametrize("bad", ["1400", "USD=", "QQQ=1400", "USD=-3", "USD=1400@2026-13-01"])
def test_bad_rate_is_a_usage_error(runner, tmp_path, bad):
    result = runner.invoke(main, ["build", *SAMPLE_ARGS, "-o", str(tmp_path / "x.pdf"),
                                  "--rate", bad])
    assert result.exit_code == 2
    assert "--rate" in result.output
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.slow
def test_build_end_to_end_writes_pdf_html_and_ics_without_warnings(runner, tmp_path):
    out = tmp_path / "out" / "guide.pdf"
    result = runner.invoke(main, ["build", *SAMPLE_ARGS, "-o", str(out), "--html",
                                  str(tmp_path / "g.html"), "--ics", str(tmp_path / "g.ics")])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    assert "warning" not in result.output.lower()
    assert "Olivia Park-Martin" in (tmp_path / "g.html").read_text()
    assert "BEGIN:VCALENDAR" in (tmp_path / "g.ics").read_text()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["guide.pdf"]  # no temp left


def test_bad_profile_one_clear_message_no_traceback_no_file(runner, tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("traveler:\n  name: A\n  nmae: B\ntrip:\n  arrival: 2026-04-06T10:00\n"
                       "  departure: 2026-04-01T10:00\ntreatments:\n  - id: rejuran-heeler\n")
    out = tmp_path / "p.pdf"
    result = runner.invoke(main, ["build", str(profile), "-o", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{profile}:3: traveler.nmae: unknown key 'nmae'; did you mean 'name'?" in result.output
    assert "departure must come after arrival" in result.output
    assert "did you mean 'rejuran-healer'?" in result.output
    assert "Aborted with 3 input errors." in result.output
    assert not out.exists()


@pytest.mark.parametrize(("flags", "message"), [
    (["-o", "{tmp}"], "is a folder"),
    (["-o", "{tmp}/g.pdf", "--html", "{tmp}/g.pdf"], "name the same file"),
    (["-o", "{tmp}/g.pdf", "--ics", "{samples}/clinics.yaml"], "is an input file"),
    (["-o", "{samples}/traveler.yaml"], "is an input file"),
    (["-o", "{tmp}/g.pdf", "--booklet", "--format", "a4"], "a booklet is made from A5 or A6"),
])
def test_bad_outputs_and_combinations_are_usage_errors_before_any_work(runner, tmp_path, flags,
                                                                       message):
    flags = [f.format(tmp=tmp_path, samples=SAMPLES) for f in flags]
    with mock.patch("guidebook.guide.build_guide", autospec=True) as build:
        result = runner.invoke(main, ["build", *SAMPLE_ARGS, *flags])
    assert result.exit_code == 2, result.output
    assert message in result.output
    build.assert_not_called()
    assert (SAMPLES / "traveler.yaml").read_text(encoding="utf-8").startswith("# A sample traveler")


def test_plan_json(runner):
    result = runner.invoke(main, ["plan", *SAMPLE_ARGS, "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert plan["arrival"] == "2026-09-19" and plan["departure"] == "2026-09-30"
    assert len(plan["days"]) == 12
    assert {u["treatment_id"] for u in plan["unplaced"]} >= {"pico-laser"}
    assert plan["costs"]["home"]["currency"] == "USD"
    chuseok = [d for d in plan["days"] if d["holiday"] and "Chuseok" in d["holiday"]]
    assert len(chuseok) == 3 and all(not d["appointments"] for d in chuseok)


def test_plan_text(runner):
    result = runner.invoke(main, ["plan", *SAMPLE_ARGS])
    assert result.exit_code == 0, result.output
    assert "Thu 2026-09-24" in result.output and "holiday" in result.output
    assert "Not in this trip" in result.output


def test_validate_all_sample_files(runner):
    files = [str(SAMPLES / n) for n in ("brand.yaml", "traveler.yaml", "clinics.yaml")]
    result = runner.invoke(main, ["validate", *files])
    assert result.exit_code == 0, result.output
    assert result.output.count(": ok (") == 3


def test_validate_reports_problems_of_every_file(runner, tmp_path):
    brand = tmp_path / "brand.yaml"
    brand.write_text("agency: A\ncolors:\n  primary: 'red;} body {display:none'\n")
    other = tmp_path / "other.yaml"
    other.write_text("hello: world\n")
    result = runner.invoke(main, ["validate", str(brand), str(other)])
    assert result.exit_code == 1
    assert "colors.primary" in result.output and "not a profile" in result.output


@pytest.mark.parametrize("kind", ["profile", "clinics", "brand"])
def test_schema(runner, kind):
    result = runner.invoke(main, ["schema", kind])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["additionalProperties"] is False
    assert schema["title"] == f"guidebook {kind}"


def test_catalogue_table_and_json(runner):
    table = runner.invoke(main, ["catalogue"])
    assert table.exit_code == 0
    assert "rejuran-healer" in table.output and "₩300,000-₩700,000" in table.output
    data = json.loads(runner.invoke(main, ["catalogue", "--json"]).output)
    assert len(data["treatments"]) == 12


def test_help_does_not_import_weasyprint():
    code = ("import sys; from click.testing import CliRunner; from guidebook.cli import main; "
            "r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0; "
            "print('weasyprint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "False"
