"""A batch from start to end (batch/run.py): Ctrl-C keeps finished guides and leaves no partial
file; a killed batch resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import ROOT, many_rows, processes_with, read_report, wait_for, write_csv
from pypdf import PdfReader

from guidebook.cli import main

pytestmark = pytest.mark.slow  # every test runs a batch


def _start(bookings: Path, out: Path, scratch: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(scratch)} if scratch else None
    return subprocess.Popen(
        [sys.executable, "-m", "guidebook.cli", "batch", str(bookings), "-o", str(out), "--jobs", "2"],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def _wait_for_pdfs(out: Path, n: int, proc: subprocess.Popen) -> None:
    def made() -> bool:
        assert proc.poll() is None, proc.stderr.read()
        return len(list(out.glob("*.pdf"))) >= n

    wait_for(made, f"{n} guides in {out}")


def test_ctrl_c_keeps_finished_guides_and_leaves_no_partial_file(tmp_path):
    out, scratch = tmp_path / "out", tmp_path / "tmp"
    scratch.mkdir()
    proc = _start(write_csv(tmp_path, many_rows(40)), out, scratch)
    _wait_for_pdfs(out, 2, proc)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Interrupted" in stderr and "Traceback" not in stderr
    assert not list(out.glob(".*.part"))
    assert list(scratch.iterdir()) == [] and not list(out.glob(".scratch-*"))  # workers' fonts
    report = read_report(out / "report.csv")
    assert len(report) == 40
    done = [r for r in report.values() if r["status"] == "ok"]
    assert done and any("interrupted" in r["message"] for r in report.values())
    for r in done:
        assert PdfReader(out / r["output"]).pages


def test_killed_batch_can_be_resumed(tmp_path):
    out = tmp_path / "out"
    bookings = write_csv(tmp_path, many_rows(12))
    proc = _start(bookings, out)
    _wait_for_pdfs(out, 3, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    # the orphaned workers see their parent gone and stop (a guide they were making is finished
    # or never written): wait until they have, so that none writes during the resumed batch
    wait_for(lambda: not processes_with(str(bookings)), "the killed batch's workers to stop")
    made = {p.name for p in out.glob("*.pdf")}
    result = CliRunner().invoke(main, ["batch", str(bookings), "-o", str(out), "--resume", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    report = read_report(out / "report.csv")
    skipped = {r["output"] for r in report.values() if r["status"] == "skipped"}
    assert skipped and skipped <= made
    assert len(list(out.glob("*.pdf"))) == 12 and not list(out.glob(".*.part"))
    assert not list(out.glob(".scratch-*"))  # the killed batch's scratch folder too


# -- a batch owns what it writes and nothing else (issue 12) -------------------------------------

from guidebook.batch.files import LOCK_NAME, BatchLock  # noqa: E402
from guidebook.batch.run import run_batch  # noqa: E402
from guidebook.batch.types import BatchSettings  # noqa: E402
from guidebook.errors import OptionsError, OutputError  # noqa: E402

ONE_ROW = ["B1;Ann Lee;2026-04-06T10:00;2026-04-12T18:00;aqua-peel;;;"]


def test_a_second_batch_into_the_same_folder_is_refused_naming_the_first(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    first = BatchLock(out)
    try:
        with pytest.raises(OutputError, match=f"process {os.getpid()}"):
            run_batch(write_csv(tmp_path, ONE_ROW), BatchSettings(out_dir=out, jobs=1))
    finally:
        first.release()
    assert not (out / LOCK_NAME).exists()


def test_clean_up_removes_only_guidebooks_own_leftovers_and_writes_through_no_link(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    mine = [out / ".notes.part", out / ".scratch-photos", out / ".draft.writing"]
    mine[0].write_text("the user's")
    mine[1].mkdir()
    mine[2].write_text("the user's")
    leftovers = [out / ".a.pdf.x1.guidebook-part", out / ".guidebook-scratch-x1"]
    leftovers[0].write_text("killed")
    leftovers[1].mkdir()
    target = tmp_path / "precious.txt"
    target.write_text("do not touch")
    (out / "report.csv").symlink_to(target)
    (out / ".guidebook-manifest.jsonl").symlink_to(target)
    summary = run_batch(write_csv(tmp_path, ONE_ROW), BatchSettings(out_dir=out, jobs=1))
    assert summary.ok == 1
    assert all(p.exists() for p in mine) and not any(p.exists() for p in leftovers)
    assert target.read_text() == "do not touch"
    assert not (out / "report.csv").is_symlink() and "B1" in (out / "report.csv").read_text()
    assert not (out / ".guidebook-manifest.jsonl").is_symlink()


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (lambda t: BatchSettings(out_dir=t / "out", report=t / "bookings.csv"), "is an input file"),
        (
            lambda t: BatchSettings(out_dir=t / "out", zip_path=t / "r.csv", report=t / "r.csv"),
            "the same file",
        ),
        (lambda t: BatchSettings(out_dir=t / "bookings.csv"), "is a file; give a folder"),
    ],
)
def test_outputs_never_overwrite_inputs_or_each_other(tmp_path, settings, message):
    bookings = write_csv(tmp_path, ONE_ROW)
    before = bookings.read_bytes()
    with pytest.raises(OptionsError, match=message):
        run_batch(bookings, settings(tmp_path))
    assert bookings.read_bytes() == before and not (tmp_path / "out").exists()


def test_a_read_only_output_folder_is_one_clear_error(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        if os.access(out, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        result = CliRunner().invoke(main, ["batch", str(write_csv(tmp_path, ONE_ROW)), "-o", str(out)])
    finally:
        out.chmod(0o700)
    assert result.exit_code == 1 and "cannot write" in result.output
    assert "Traceback" not in result.output and list(out.iterdir()) == []


def test_a_zip_into_a_folder_that_cannot_be_made_is_one_clear_error(tmp_path):
    (tmp_path / "blocker").write_text("a file where the folder would be")
    result = CliRunner().invoke(
        main,
        [
            "batch",
            str(write_csv(tmp_path, ONE_ROW)),
            "-o",
            str(tmp_path / "out"),
            "--zip",
            str(tmp_path / "blocker" / "guides.zip"),
        ],
    )
    assert result.exit_code == 1 and "cannot write" in result.output and "Traceback" not in result.output


def test_sigterm_stops_a_batch_like_ctrl_c(tmp_path):
    bookings = write_csv(tmp_path, many_rows(30))
    out = tmp_path / "out"
    proc = _start(bookings, out)
    _wait_for_pdfs(out, 1, proc)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "Interrupted" in stderr
    report = read_report(out / "report.csv")
    assert len(report) == 30 and any(r["message"] == "not run: interrupted" for r in report.values())
    assert not list(out.glob(".*guidebook-part")) and not list(out.glob(".guidebook-scratch-*"))
    wait_for(lambda: not processes_with(str(bookings)), "the workers to end")


def test_a_row_whose_treatments_none_fit_is_a_warning_not_ok(tmp_path):
    rows = ["W1;Short Stay;2026-04-06T10:00;2026-04-07T18:00;rejuran-healer:1;;;"]
    summary = run_batch(write_csv(tmp_path, rows), BatchSettings(out_dir=tmp_path / "out", jobs=1))
    assert (summary.ok, summary.warning) == (0, 1)
    [row] = read_report(tmp_path / "out" / "report.csv").values()
    assert row["status"] == "warning" and "rejuran-healer" in row["message"] and row["output"]


def test_a_batch_that_reads_no_profiles_fails_a_row_naming_one_and_reads_no_file(tmp_path):
    # A server's upload: a `profile` cell never becomes a path, even to a file that is there.
    (tmp_path / "p.yaml").write_text("traveler:\n  name: From The File\n", encoding="utf-8")
    header = "booking_id;name;arrival;departure;treatments;profile"
    rows = [
        "P1;Row Name;2026-04-06T10:00;2026-04-12T18:00;aqua-peel;p.yaml",
        "P2;Other Name;2026-04-06T10:00;2026-04-12T18:00;aqua-peel;",
    ]
    out = tmp_path / "out"
    summary = run_batch(write_csv(tmp_path, rows, header), BatchSettings(out_dir=out, jobs=1, profiles=False))
    report = read_report(out / "report.csv")
    assert (summary.ok, summary.failed) == (1, 1)
    assert report[2]["status"] == "failed"
    assert report[2]["message"].startswith("profile: names a profile file, which this batch does not read")
    assert "(given: 'p.yaml')" in report[2]["message"]


def test_a_workbook_batch_writes_a_calendar_beside_each_guide_and_into_the_zip(tmp_path):
    import zipfile
    from datetime import datetime

    import vobject
    from icalendar import Calendar
    from openpyxl import Workbook

    from guidebook.batch.run import run_batch
    from guidebook.batch.types import BatchSettings
    from guidebook.inputs.bookings import BookingsFormat

    book = Workbook()
    sheet = book.active
    sheet.title = "Week 42"
    sheet.append(
        ["Booking ID", "Name", "Arrival date", "Departure date", "Treatments", "Flight home", "Sales rep"]
    )
    sheet.append(
        ["W1", "Ann Lee", datetime(2026, 10, 13, 9, 30), datetime(2026, 10, 20), "aqua-peel", "OZ272", "Kim"]
    )
    sheet.append(["W2", "Bob", "13/10/2026", "13/10/2026 18:00", "aqua-peel", None, "Lee"])
    sheet["C2"].number_format = "dd/mm/yyyy hh:mm"
    sheet["D2"].number_format = "dd/mm/yyyy"
    path = tmp_path / "week.xlsx"
    book.save(path)
    out = tmp_path / "out"
    settings = BatchSettings(
        out_dir=out,
        jobs=1,
        ics=True,
        zip_path=tmp_path / "guides.zip",
        bookings=BookingsFormat(date_format="dmy", time_tbc=True),
    )
    summary = run_batch(path, settings)
    assert (summary.ok, summary.failed) == (1, 1)
    assert summary.warnings == [
        f"{path}: column ignored (not guidebook's; `guidebook schema bookings` lists them, "
        "--strict-columns refuses them): 'Sales rep'"
    ]
    report = read_report(out / "report.csv")
    assert report[2]["output"] == "W1-Ann_Lee.pdf"
    assert report[3]["message"].startswith("column arrival/departure: the stay must be at least one night")
    calendar = (out / "W1-Ann_Lee.ics").read_bytes()
    events = Calendar.from_ical(calendar).walk("VEVENT")
    assert str(events[-1]["summary"]) == "Flight home (OZ272) – time to be confirmed"  # a date alone
    assert all(str(e["uid"]).endswith("@guidebook") for e in events)
    assert vobject.readOne(calendar.decode()).vtimezone.tzid.value == "Asia/Seoul"
    with zipfile.ZipFile(tmp_path / "guides.zip") as archive:
        assert sorted(archive.namelist()) == ["W1-Ann_Lee.ics", "W1-Ann_Lee.pdf", "report.csv"]
    (out / "W1-Ann_Lee.ics").unlink()  # a calendar lost: --resume makes the guide again
    again = run_batch(
        path, BatchSettings(out_dir=out, jobs=1, ics=True, resume=True, bookings=settings.bookings)
    )
    assert (again.ok, again.skipped) == (1, 0) and (out / "W1-Ann_Lee.ics").read_bytes() == calendar
    third = run_batch(
        path, BatchSettings(out_dir=out, jobs=1, ics=True, resume=True, bookings=settings.bookings)
    )
    assert (third.ok, third.skipped) == (0, 1)
