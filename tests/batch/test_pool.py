"""The batch's worker pool (batch/pool.py): workers forked warm from the parent, one scratch
folder for their temporary files, and Ctrl-C while the parent warms up."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from helpers import BOOKING_ROWS, read_report, write_csv

from guidebook.batch import worker
from guidebook.batch.run import run_batch
from guidebook.batch.types import BatchSettings, RowResult, Summary
from guidebook.options import GuideOptions

pytestmark = pytest.mark.slow  # every test runs a batch


def run_guests(tmp_path: Path, prefix: str, count: int, *, jobs: int) -> tuple[Summary, list[RowResult]]:
    """A batch of `count` one-treatment guests (booking ids PREFIX0, PREFIX1, ...): its summary
    and every row's result, with the worker that made it."""
    results: list[RowResult] = []
    rows = [f"{prefix}{i};Guest {i};2026-04-06T10:00;2026-04-12T18:00;aqua-peel;;;" for i in range(count)]
    summary = run_batch(
        write_csv(tmp_path, rows),
        BatchSettings(out_dir=tmp_path / "out", jobs=jobs),
        on_result=lambda result, _: results.append(result),
    )
    return summary, results


def test_workers_leave_no_temporary_files(tmp_path, monkeypatch):
    # WeasyPrint copies @font-face fonts into a temporary folder that a pool's worker never
    # removes itself; the batch gives its workers one folder and removes it.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out = tmp_path / "out"
    summary = run_batch(write_csv(tmp_path, BOOKING_ROWS[:2]), BatchSettings(out_dir=out, jobs=2))
    assert summary.ok == 2
    assert list(scratch.iterdir()) == []
    assert sorted(p.name for p in out.iterdir()) == [
        ".guidebook-manifest.jsonl",
        "B1-김민지.pdf",
        "B2-José_Núñez.pdf",
        "report.csv",
    ]


def test_workers_start_warm_from_the_parent_and_the_parent_lets_go_after(tmp_path):
    from guidebook.batch import worker

    summary, results = run_guests(tmp_path, "W", 4, jobs=2)
    assert summary.ok == 4
    # even the first guide of each worker reuses the sections the parent laid out when warming up
    assert all(r.worker["reuse_hits"] > 0 for r in results), [r.worker for r in results]
    assert worker._state is None  # the warm-up's renderer is not kept after the batch


def test_ctrl_c_while_warming_up_reports_every_row_and_leaves_nothing_behind(tmp_path):
    from guidebook.batch import worker
    from guidebook.batch.types import BatchInterrupted

    out = tmp_path / "out"
    with (
        mock.patch.object(worker, "warm_up", autospec=True, side_effect=KeyboardInterrupt),
        pytest.raises(BatchInterrupted) as caught,
    ):
        run_batch(write_csv(tmp_path, BOOKING_ROWS[:2]), BatchSettings(out_dir=out, jobs=2))
    assert (caught.value.summary.ok, caught.value.summary.skipped) == (0, 2)
    report = read_report(out / "report.csv")
    assert [r["message"] for r in report.values()] == ["not run: interrupted"] * 2
    assert sorted(p.name for p in out.iterdir()) == [".guidebook-manifest.jsonl", "report.csv"]


# -- a worker that dies is noticed at once, its row tried once more, then reported ---------------

import signal as _signal  # noqa: E402

from guidebook.batch import pool as pool_module  # noqa: E402
from guidebook.batch.pool import _ending  # noqa: E402


def _crashing(times: int, marker: Path):  # noqa: ANN202
    """A render_task that kills its worker with SIGSEGV on row B2, the first `times` times."""
    real = worker.render_task

    def render(task):  # noqa: ANN001, ANN202
        if task.booking_id == "B2":
            count = int(marker.read_text()) if marker.exists() else 0
            if count < times:
                marker.write_text(str(count + 1))
                os.kill(os.getpid(), _signal.SIGSEGV)
        return real(task)

    return render


@pytest.mark.slow
@pytest.mark.parametrize(("crashes", "status"), [(1, "ok"), (2, "failed")])
def test_a_dead_worker_is_noticed_at_once_and_its_row_retried_once(tmp_path, monkeypatch, crashes, status):
    monkeypatch.setattr(worker, "render_task", _crashing(crashes, tmp_path / "crashes"))
    monkeypatch.setattr(pool_module, "GRACE", 3600.0)  # only the sentinel can notice it in time
    rows = [f"B{i};Guest {i};2026-04-06T10:00;2026-04-12T18:00;aqua-peel;;;" for i in (1, 2, 3)]
    summary = run_batch(
        write_csv(tmp_path, rows),
        BatchSettings(out_dir=tmp_path / "out", jobs=1, guide=GuideOptions(timeout=600)),
    )
    report = read_report(tmp_path / "out" / "report.csv")
    assert [r["booking_id"] for r in report.values()] == ["B1", "B2", "B3"]  # CSV order
    assert report[3]["status"] == status and summary.worker_restarts == crashes
    if status == "failed":
        assert "SIGSEGV" in report[3]["message"] and "twice" in report[3]["message"]
    assert (report[2]["status"], report[4]["status"]) == ("ok", "ok")
    assert summary.seconds < 600  # noticed by the sentinel, not after the time limit


def test_how_a_worker_ended_is_said_in_words():
    assert _ending(-_signal.SIGSEGV) == "ended by SIGSEGV, a crash"
    assert _ending(-_signal.SIGKILL) == "ended by SIGKILL, killed, perhaps for memory"
    assert _ending(3) == "exit status 3"


# -- the crash of issue 12: an agency font and rows in several languages --------------------------

SIX = [
    ("Olivia Park-Martin", "en"),
    ("田中 ゆい", "ja"),
    ("陈美", "zh-Hans"),
    ("Chloé Dubois", "en"),
    ("林雨婷", "zh-Hant"),
    ("김민지", "ko"),
]


def _agency_brand(folder: Path, *, font_files: bool) -> Path:
    import shutil

    from helpers import SAMPLES

    folder.mkdir()
    shutil.copy(SAMPLES / "logo.svg", folder / "logo.svg")
    text = (SAMPLES / "brand.yaml").read_text(encoding="utf-8")
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    if font_files and font.is_file():
        shutil.copy(font, folder / "agency.ttf")
        text = text.replace("font_files: []", "font_files: [agency.ttf]")
    else:
        text = text.replace("font: null", "font: DejaVu Serif")
    (folder / "brand.yaml").write_text(text, encoding="utf-8")
    return folder / "brand.yaml"


@pytest.mark.parametrize(("jobs", "font_files"), [(1, True), (1, False), (2, True)])
def test_mixed_languages_with_an_agency_font_lose_no_row(tmp_path, jobs, font_files):
    """The issue's reproduction: before the fix, -j 1 with font_files lost a row to a crash in
    Pango in every run (a replayed page named fonts the font map had freed), and -j 2 set some
    guides in the wrong face (workers shared the parent's @font-face folder)."""
    import subprocess

    from helpers import SAMPLES

    brand = _agency_brand(tmp_path / "brand", font_files=font_files)
    rows = [
        f"C{i},{name},{language},2026-09-{10 + i}T15:20,2026-09-{21 + i}T18:45,"
        "pico-laser:2;rejuran-healer:1;hydrafacial,lidocaine"
        for i, (name, language) in enumerate(SIX)
    ]
    header = "booking_id,name,language,arrival,departure,treatments,allergies"
    bookings = write_csv(tmp_path, rows, header=header)
    out = tmp_path / "out"
    options = GuideOptions(clinics=SAMPLES / "clinics.yaml", brand=brand)
    summary = run_batch(bookings, BatchSettings(out_dir=out, jobs=jobs, guide=options))
    report = read_report(out / "report.csv")
    assert (summary.ok, summary.failed, summary.worker_restarts) == (6, 0, 0), [
        r["message"] for r in report.values()
    ]
    faces = {"ja": "JP", "zh-Hans": "SC", "zh-Hant": "TC"}
    for (name, language), row in zip(SIX, report.values(), strict=True):
        if language in faces:  # each guide in its own language's face, never a sibling's
            fonts = subprocess.run(
                ["pdffonts", str(out / row["output"])], capture_output=True, text=True, check=True
            ).stdout
            assert f"Sans-{faces[language]}" in fonts or f"CJK{faces[language]}" in fonts.replace(" ", ""), (
                name,
                fonts,
            )


@pytest.mark.parametrize(("limit", "workers"), [(0.0, 3), (10_000.0, 1)])
def test_a_worker_whose_memory_passed_the_limit_is_replaced_and_no_row_is_lost(
    tmp_path, monkeypatch, limit, workers
):
    monkeypatch.setattr(pool_module, "WORKER_MEMORY_MB", limit)
    summary, results = run_guests(tmp_path, "M", 3, jobs=1)
    assert summary.ok == 3 and summary.worker_restarts == 0  # replaced, not restarted after a death
    assert len({r.worker["pid"] for r in results}) == workers
