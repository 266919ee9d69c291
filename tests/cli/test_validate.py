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
