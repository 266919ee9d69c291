"""`guidebook validate` (cli/validate.py): every kind of input file checked without rendering."""

from __future__ import annotations

from click.testing import CliRunner
from helpers import SAMPLES, write_csv

from guidebook.cli import main


def test_validate_checks_every_row_without_rendering(tmp_path):
    bookings = write_csv(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(bookings), str(SAMPLES / "clinics.yaml")])
    assert result.exit_code == 1
    for expected in [
        "row 6, column arrival",
        "row 7, column treatments",
        "row 8, column name",
        "row 9, column clinic",
        "row 10, column hotel_name",
    ]:
        assert f"{bookings}:{expected[4 : expected.index(',')]}: {expected}" in result.output
    assert "Aborted with 5 input errors." in result.output
    assert not list(tmp_path.glob("*.pdf"))
    ok = CliRunner().invoke(main, ["validate", str(SAMPLES / "bookings.csv"), str(SAMPLES / "clinics.yaml")])
    assert ok.exit_code == 0 and "ok (bookings, 3 rows)" in ok.output


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


def test_validate_reads_bookings_as_the_batch_does_with_the_same_options(tmp_path):
    path = tmp_path / "week.csv"
    path.write_text(
        "Booking ID;Name;Arrival date;Departure date;Treatments;Sales rep\n"
        "B1;Ann;05/06/2026 10:00;13/06/2026;aqua-peel;Kim\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: row 2, column arrival: could be 5 June 2026 (day first" in result.output
    assert f"{path}:2: row 2, column departure: has a date but no time" in result.output
    assert f"warning: {path}: column ignored" not in result.output  # the header was fine
    ok = CliRunner().invoke(main, ["validate", str(path), "--date-format", "dmy", "--time-tbc"])
    assert ok.exit_code == 0, ok.output
    assert f"{path}: ok (bookings, 1 rows)" in ok.output and "'Sales rep'" in ok.output
    strict = CliRunner().invoke(main, ["validate", str(path), "--date-format", "dmy", "--strict-columns"])
    assert strict.exit_code == 1 and "column 'Sales rep': unknown column" in strict.output
