"""`guidebook batch` (cli/batch.py): options forwarded to the library, and end to end: good rows
all produced, bad rows reported with line and column, resume, reports, zip, progress."""

from __future__ import annotations

import json
import subprocess
import zipfile
from unittest import mock

import pytest
from click.testing import CliRunner
from helpers import BOOKING_ROWS, BOOKINGS_HEADER, SAMPLES, read_report, write_csv
from pypdf import PdfReader

from guidebook.batch.types import RowResult, Summary
from guidebook.cli import main
from guidebook.cli.batch import Progress


def run(args: list[str]) -> object:
    return CliRunner().invoke(main, ["batch", *args])


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    bookings = write_csv(folder)
    result = run(
        [str(bookings), "-o", str(folder / "out"), "--clinics", str(SAMPLES / "clinics.yaml"), "--jobs", "2"]
    )
    return folder, result


@pytest.mark.slow
def test_good_rows_produced_bad_rows_reported(first_run):
    folder, result = first_run
    assert result.exit_code == 1  # documented: some rows failed
    report = read_report(folder / "out" / "report.csv")
    assert sorted(report) == list(range(2, 11))  # every row, by CSV line
    ok = {line: r["output"] for line, r in report.items() if r["status"] == "ok"}
    assert sorted(ok) == [2, 3, 4, 5]
    assert ok[2] == "B1-김민지.pdf"
    assert ok[3] == "B2-José_Núñez.pdf" and ok[5] == "B2-José_Núñez-2.pdf"  # no overwrite
    assert "/" not in ok[4] and ".." not in ok[4]
    for name in ok.values():
        assert PdfReader(folder / "out" / name).pages
    failed = {line: r["message"] for line, r in report.items() if r["status"] == "failed"}
    assert "column arrival" in failed[6] and "2026-02-30" in failed[6]
    assert "column treatments" in failed[7] and "did you mean 'rejuran-healer'" in failed[7]
    assert "column name" in failed[8] and "required" in failed[8]
    assert "column clinic" in failed[9] and "no clinic with this id" in failed[9]
    assert "column hotel_name" in failed[10] and "required" in failed[10]
    assert "4 ok, 0 with a warning, 5 failed" in result.output
    assert "line 6 (B5)" in result.output


@pytest.mark.slow
def test_nothing_written_outside_the_output_folder(first_run):
    folder, _ = first_run
    assert sorted(p.name for p in folder.iterdir()) == ["bookings.csv", "out"]
    out = sorted(p.name for p in (folder / "out").iterdir())
    assert not [n for n in out if n.endswith(".part")]
    assert len([n for n in out if n.endswith(".pdf")]) == 4


@pytest.mark.slow
def test_resume_skips_unchanged_and_rerenders_changed(first_run, tmp_path):
    folder, _ = first_run
    out = tmp_path / "out"
    bookings = write_csv(tmp_path, BOOKING_ROWS[:3])
    assert run([str(bookings), "-o", str(out), "--jobs", "2"]).exit_code == 0
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    changed = [BOOKING_ROWS[0], BOOKING_ROWS[1].replace("penicillin", "aspirin"), BOOKING_ROWS[2]]
    bookings = write_csv(tmp_path, changed)
    result = run([str(bookings), "-o", str(out), "--jobs", "2", "--resume"])
    assert result.exit_code == 0, result.output
    report = read_report(out / "report.csv")
    assert [report[line]["status"] for line in (2, 3, 4)] == ["skipped", "ok", "skipped"]
    after = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    assert after["B1-김민지.pdf"] == before["B1-김민지.pdf"]
    assert after["B2-José_Núñez.pdf"] != before["B2-José_Núñez.pdf"]
    (out / "B1-김민지.pdf").unlink()  # a missing output is made again
    result = run([str(bookings), "-o", str(out), "--jobs", "1", "--resume"])
    assert [read_report(out / "report.csv")[n]["status"] for n in (2, 3, 4)] == ["ok", "skipped", "skipped"]


@pytest.mark.slow
def test_json_report_zip_and_fail_fast(tmp_path):
    bookings = write_csv(tmp_path, [BOOKING_ROWS[4], BOOKING_ROWS[0], BOOKING_ROWS[2]])
    result = run(
        [str(bookings), "-o", str(tmp_path / "out"), "--report-format", "json", "--fail-fast", "--jobs", "1"]
    )
    assert result.exit_code == 1
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert [r["status"] for r in report] == ["failed", "skipped", "skipped"]
    assert "--fail-fast" in report[1]["message"]
    bookings = write_csv(tmp_path, BOOKING_ROWS[:2])
    zipped = tmp_path / "send" / "guides.zip"
    assert run([str(bookings), "-o", str(tmp_path / "out2"), "--zip", str(zipped)]).exit_code == 0
    with zipfile.ZipFile(zipped) as archive:
        assert sorted(archive.namelist()) == ["B1-김민지.pdf", "B2-José_Núñez.pdf", "report.csv"]


@pytest.mark.slow
def test_comma_csv_of_the_samples_with_profile_column(tmp_path):
    result = run(
        [
            str(SAMPLES / "bookings.csv"),
            "-o",
            str(tmp_path),
            "--clinics",
            str(SAMPLES / "clinics.yaml"),
            "--brand",
            str(SAMPLES / "brand.yaml"),
        ]
    )
    assert result.exit_code == 0, result.output
    report = read_report(tmp_path / "report.csv")
    assert [r["status"] for r in report.values()] == ["ok", "ok", "ok"]
    # line 4 took the hotel from profiles/tanaka.yaml
    text = subprocess.run(
        ["pdftotext", str(tmp_path / report[4]["output"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Myeongdong Lantern Hotel" in text and "서울특별시 중구 남대문로2길 5" in text


def test_an_output_folder_that_cannot_be_made_is_one_clear_error(tmp_path):
    (tmp_path / "a-file").write_text("x")
    result = run([str(write_csv(tmp_path, BOOKING_ROWS[:1])), "-o", str(tmp_path / "a-file" / "out")])
    assert result.exit_code == 1
    assert "cannot make the output folder" in result.output and "Traceback" not in result.output


def test_bad_header_stops_before_any_work(tmp_path):
    bookings = write_csv(tmp_path, BOOKING_ROWS[:1], BOOKINGS_HEADER.replace("treatments", "treatmnets"))
    result = run([str(bookings), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "unknown column; did you mean 'treatments'?" in result.output
    assert not (tmp_path / "out").exists()


def test_batch_forwards_its_options_to_the_library(runner, tmp_path):
    tabs = [row.replace(";", "\t") for row in BOOKING_ROWS[:2]]
    bookings = write_csv(tmp_path, tabs, BOOKINGS_HEADER.replace(";", "\t"))
    with mock.patch("guidebook.batch.run.run_batch", autospec=True, return_value=Summary(ok=2)) as batch:
        result = runner.invoke(
            main,
            [
                "batch",
                str(bookings),
                "-o",
                str(tmp_path / "out"),
                "--jobs",
                "3",
                "--name",
                "{line}-{name}",
                "--report-format",
                "json",
                "--delimiter",
                "tab",
                "--resume",
                "--fail-fast",
                "--format",
                "pocket",
                "--clinics",
                str(SAMPLES / "clinics.yaml"),
                "--timeout",
                "30",
                "--quiet",
                "--date-format",
                "dmy",
                "--time-tbc",
                "--strict-columns",
                "--encoding",
                "cp949",
                "--sheet",
                "Bookings",
                "--ics",
                "--reminder",
            ],
        )
    assert result.exit_code == 0, result.output
    (csv_path, settings), kwargs = batch.call_args
    assert csv_path == bookings and callable(kwargs["on_result"])
    assert (settings.out_dir, settings.jobs, settings.name) == (tmp_path / "out", 3, "{line}-{name}")
    assert (settings.report_format, settings.bookings.delimiter) == ("json", "\t")
    assert (settings.bookings.date_format, settings.bookings.encoding, settings.bookings.sheet) == (
        "dmy",
        "cp949",
        "Bookings",
    )
    assert settings.bookings.time_tbc and settings.bookings.strict_columns
    assert settings.ics and settings.guide.reminder
    assert settings.resume and settings.fail_fast and settings.zip_path is None
    assert settings.guide.page_format == "a6" and settings.guide.timeout == 30
    assert settings.guide.clinics == SAMPLES / "clinics.yaml"
    assert "Done: 2 rows: 2 ok," in result.output and "0 failed, 0 skipped" in result.output


def test_progress_without_a_terminal_is_plain_lines(capsys):
    progress = Progress(2, quiet=False)
    summary = Summary(failed=1)
    progress(RowResult(2, "B1", "failed", None, "column arrival: not a date"), summary)
    summary.ok = 1
    progress(RowResult(3, "B2", "ok", "B2.pdf"), summary)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "line 2 (B1): column arrival: not a date"
    assert lines[-1].startswith("progress: 2/2 rows, 1 failed, ")
    Progress(2, quiet=True)(RowResult(2, "B1", "failed"), summary)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--name", "{name:d}"], "without a format"),
        (["--name", "{name:100000000}"], "without a format"),
        (["--name", "{name!r}"], "without a format"),
        (["--report", "{csv}"], "is an input file"),
        (["--zip", "{out}/x.zip", "--report", "{out}/x.zip"], "the same file"),
        (["--format", "a4", "--booklet"], "a booklet is made from A5 or A6"),
        (["--lang", "fr"], "unsupported language"),
        (["--encoding", "klingon"], "unknown encoding 'klingon'"),
        (["--date-format", "ddmmyy"], "'ddmmyy' is not one of 'dmy', 'mdy', 'ymd'"),
    ],
)
def test_bad_option_values_are_usage_errors_before_any_work(tmp_path, flags, message):
    bookings = write_csv(tmp_path, BOOKING_ROWS[:1])
    out = tmp_path / "out"
    flags = [f.replace("{csv}", str(bookings)).replace("{out}", str(out)) for f in flags]
    with mock.patch("guidebook.batch.run.run_batch", autospec=True) as batch:
        result = CliRunner().invoke(main, ["batch", str(bookings), "-o", str(out), *flags])
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    batch.assert_not_called()
    assert not out.exists()
