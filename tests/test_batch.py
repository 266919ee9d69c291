"""Batch: good rows all produced, bad rows reported with line and column, resume, interrupts."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from guidebook.batch.filenames import safe_filename
from guidebook.batch.run import run_batch
from guidebook.batch.types import BatchSettings
from guidebook.cli import main
from guidebook.options import GuideOptions

ROOT = Path(__file__).parents[1]
SAMPLES = ROOT / "samples"
pytestmark = pytest.mark.slow

HEADER = "booking_id;name;arrival;departure;treatments;allergies;hotel_address_ko;clinic"
ROWS = [
    "B1;김민지;2026-04-06T10:00;2026-04-12T18:00;aqua-peel;;;",
    "B2;José Núñez;2026-04-06T10:00;2026-04-12T18:00;pico-laser:1;penicillin;;",
    "B3;../../evil;2026-04-06T10:00;2026-04-12T18:00;Aqua Peel;;;",
    "B2;José Núñez;2026-05-06T10:00;2026-05-12T18:00;hydrafacial;;;",  # same name as line 3
    "B5;Bad Date;2026-02-30T10:00;2026-03-04T18:00;aqua-peel;;;",
    "B6;Typo;2026-04-06T10:00;2026-04-12T18:00;rejuran-heeler;;;",
    "B7;;2026-04-06T10:00;2026-04-12T18:00;aqua-peel;;;",
    "B8;Nobody Clinic;2026-04-06T10:00;2026-04-12T18:00;aqua-peel;;;no-such-clinic",
    "B9;Hotel Without Name;2026-04-06T10:00;2026-04-12T18:00;aqua-peel;;서울특별시 중구 명동8길 12;",
]


def write_csv(folder: Path, rows: list[str] = ROWS, header: str = HEADER) -> Path:
    path = folder / "bookings.csv"
    path.write_bytes(("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8"))
    return path


def read_report(path: Path) -> dict[int, dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return {int(r["line"]): r for r in csv.DictReader(handle)}


def run(args: list[str]) -> object:
    return CliRunner().invoke(main, ["batch", *args])


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    bookings = write_csv(folder)
    result = run([str(bookings), "-o", str(folder / "out"), "--clinics",
                  str(SAMPLES / "clinics.yaml"), "--jobs", "2"])
    return folder, result


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
    assert "4 ok, 5 failed" in result.output
    assert "line 6 (B5)" in result.output


def test_nothing_written_outside_the_output_folder(first_run):
    folder, _ = first_run
    assert sorted(p.name for p in folder.iterdir()) == ["bookings.csv", "out"]
    out = sorted(p.name for p in (folder / "out").iterdir())
    assert not [n for n in out if n.endswith(".part")]
    assert len([n for n in out if n.endswith(".pdf")]) == 4


def test_resume_skips_unchanged_and_rerenders_changed(first_run, tmp_path):
    folder, _ = first_run
    out = tmp_path / "out"
    bookings = write_csv(tmp_path, ROWS[:3])
    assert run([str(bookings), "-o", str(out), "--jobs", "2"]).exit_code == 0
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    changed = [ROWS[0], ROWS[1].replace("penicillin", "aspirin"), ROWS[2]]
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


def test_json_report_zip_and_fail_fast(tmp_path):
    bookings = write_csv(tmp_path, [ROWS[4], ROWS[0], ROWS[2]])
    result = run([str(bookings), "-o", str(tmp_path / "out"), "--report-format", "json",
                  "--fail-fast", "--jobs", "1"])
    assert result.exit_code == 1
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert [r["status"] for r in report] == ["failed", "skipped", "skipped"]
    assert "--fail-fast" in report[1]["message"]
    bookings = write_csv(tmp_path, ROWS[:2])
    zipped = tmp_path / "send" / "guides.zip"
    assert run([str(bookings), "-o", str(tmp_path / "out2"), "--zip", str(zipped)]).exit_code == 0
    import zipfile

    with zipfile.ZipFile(zipped) as archive:
        assert sorted(archive.namelist()) == ["B1-김민지.pdf", "B2-José_Núñez.pdf", "report.csv"]


def test_comma_csv_of_the_samples_with_profile_column(tmp_path):
    result = run([str(SAMPLES / "bookings.csv"), "-o", str(tmp_path), "--clinics",
                  str(SAMPLES / "clinics.yaml"), "--brand", str(SAMPLES / "brand.yaml")])
    assert result.exit_code == 0, result.output
    report = read_report(tmp_path / "report.csv")
    assert [r["status"] for r in report.values()] == ["ok", "ok", "ok"]
    # line 4 took the hotel from profiles/tanaka.yaml
    text = subprocess.run(["pdftotext", str(tmp_path / report[4]["output"]), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Myeongdong Lantern Hotel" in text and "서울특별시 중구 남대문로2길 5" in text


def test_a_row_over_the_time_limit_is_stopped_and_reported(tmp_path):
    bookings = write_csv(tmp_path, ROWS[:2])
    settings = BatchSettings(out_dir=tmp_path / "out", jobs=1, guide=GuideOptions(timeout=0.01))
    summary = run_batch(bookings, settings)
    assert (summary.ok, summary.failed) == (0, 2)
    report = read_report(tmp_path / "out" / "report.csv")
    assert all("took longer than" in r["message"] for r in report.values())
    assert not list((tmp_path / "out").glob("*.pdf")) and not list((tmp_path / "out").glob(".*.part"))


def test_workers_leave_no_temporary_files(tmp_path, monkeypatch):
    # WeasyPrint copies @font-face fonts into a temporary folder that a pool's worker never
    # removes itself; the batch gives its workers one folder and removes it.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out = tmp_path / "out"
    summary = run_batch(write_csv(tmp_path, ROWS[:2]), BatchSettings(out_dir=out, jobs=2))
    assert summary.ok == 2
    assert list(scratch.iterdir()) == []
    assert sorted(p.name for p in out.iterdir()) == [
        ".guidebook-manifest.jsonl", "B1-김민지.pdf", "B2-José_Núñez.pdf", "report.csv"]


def test_an_output_folder_that_cannot_be_made_is_one_clear_error(tmp_path):
    (tmp_path / "a-file").write_text("x")
    result = run([str(write_csv(tmp_path, ROWS[:1])), "-o", str(tmp_path / "a-file" / "out")])
    assert result.exit_code == 1
    assert "cannot make the output folder" in result.output and "Traceback" not in result.output


def test_bad_header_stops_before_any_work(tmp_path):
    bookings = write_csv(tmp_path, ROWS[:1], HEADER.replace("treatments", "treatmnets"))
    result = run([str(bookings), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "unknown column; did you mean 'treatments'?" in result.output
    assert not (tmp_path / "out").exists()


def _start(bookings: Path, out: Path, scratch: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, "TMPDIR": str(scratch)} if scratch else None
    return subprocess.Popen([sys.executable, "-m", "guidebook.cli", "batch", str(bookings), "-o",
                             str(out), "--jobs", "2"], stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env=env)


def _wait_for_pdfs(out: Path, n: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while len(list(out.glob("*.pdf"))) < n:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.05)


def many_rows(n: int) -> list[str]:
    return [f"M{i};Guest {i};2026-04-06T10:00;2026-04-12T18:00;aqua-peel;;;" for i in range(n)]


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
    time.sleep(0.5)  # the orphaned workers see their parent gone and stop
    made = {p.name for p in out.glob("*.pdf")}
    result = run([str(bookings), "-o", str(out), "--resume", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    report = read_report(out / "report.csv")
    skipped = {r["output"] for r in report.values() if r["status"] == "skipped"}
    assert skipped and skipped <= made
    assert len(list(out.glob("*.pdf"))) == 12 and not list(out.glob(".*.part"))
    assert not list(out.glob(".scratch-*"))  # the killed batch's scratch folder too


@pytest.mark.parametrize(("text", "expected"), [
    ("B3-../../evil", "B3-._._evil"),
    ("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j"),
    ("  김민지 \u200b\x07", "김민지"),
    ("CON", "_CON"),
    ("..", "guide"),
])
def test_safe_filename(text, expected):
    assert safe_filename(text) == expected


def test_safe_filename_caps_length_without_breaking_characters():
    name = safe_filename("가" * 200)
    assert len(name.encode()) <= 120 and name == "가" * 40


def test_validate_checks_every_row_without_rendering(tmp_path):
    bookings = write_csv(tmp_path)
    result = CliRunner().invoke(main, ["validate", str(bookings), str(SAMPLES / "clinics.yaml")])
    assert result.exit_code == 1
    for expected in ["row 6, column arrival", "row 7, column treatments", "row 8, column name",
                     "row 9, column clinic", "row 10, column hotel_name"]:
        assert f"{bookings}:{expected[4:expected.index(',')]}: {expected}" in result.output
    assert "Aborted with 5 input errors." in result.output
    assert not list(tmp_path.glob("*.pdf"))
    ok = CliRunner().invoke(main, ["validate", str(SAMPLES / "bookings.csv"),
                                   str(SAMPLES / "clinics.yaml")])
    assert ok.exit_code == 0 and "ok (bookings, 3 rows)" in ok.output


def test_a_csv_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "bookings.csv"
    path.write_bytes(b"booking_id,name\nB1,Ann\nB2,Jos\xe9\n")  # Latin-1, as an old Excel saves
    result = run([str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{path}:3: line 3: not UTF-8 text" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_worker_gives_freed_heap_memory_back_after_a_guide():
    import ctypes

    from guidebook.batch import worker as batchworker

    if batchworker._TRIM is None:
        pytest.skip("not glibc")
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]

    def rss_mb() -> float:
        return batchworker.worker_memory()["rss_mb"]

    blocks = [libc.malloc(400) for _ in range(150_000)]  # 60 MB of small blocks, like a guide's
    for address in blocks:
        ctypes.memset(address, 1, 400)
    keep = libc.malloc(400)  # the heap's top stays in use, so glibc cannot shrink it by itself
    for address in blocks:
        libc.free(address)
    before = rss_mb()
    batchworker.release_memory()
    after = rss_mb()
    libc.free(keep)
    assert before - after > 30, (before, after)


def test_workers_start_warm_from_the_parent_and_the_parent_lets_go_after(tmp_path):
    from guidebook.batch import worker

    results = []
    rows = [f"W{i};Guest {i};2026-04-06T10:00;2026-04-12T18:00;aqua-peel;;;" for i in range(4)]
    summary = run_batch(write_csv(tmp_path, rows), BatchSettings(out_dir=tmp_path / "out", jobs=2),
                        on_result=lambda result, _: results.append(result))
    assert summary.ok == 4
    # even the first guide of each worker reuses the sections the parent laid out when warming up
    assert all(r.worker["reuse_hits"] > 0 for r in results), [r.worker for r in results]
    assert worker._state is None  # the warm-up's renderer is not kept after the batch


def test_ctrl_c_while_warming_up_reports_every_row_and_leaves_nothing_behind(tmp_path, monkeypatch):
    from guidebook.batch import worker
    from guidebook.batch.types import BatchInterrupted

    def interrupted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise KeyboardInterrupt

    monkeypatch.setattr(worker, "warm_up", interrupted)
    out = tmp_path / "out"
    with pytest.raises(BatchInterrupted) as caught:
        run_batch(write_csv(tmp_path, ROWS[:2]), BatchSettings(out_dir=out, jobs=2))
    assert (caught.value.summary.ok, caught.value.summary.skipped) == (0, 2)
    report = read_report(out / "report.csv")
    assert [r["message"] for r in report.values()] == ["not run: interrupted"] * 2
    assert sorted(p.name for p in out.iterdir()) == [".guidebook-manifest.jsonl", "report.csv"]
