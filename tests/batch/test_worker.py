"""The batch's worker (batch/worker.py): a row over the time limit is stopped and reported, even
when a library swallows the alarm; memory is given back after a guide."""

from __future__ import annotations

import contextlib
import time
from unittest import mock

import pytest
from helpers import BOOKING_ROWS, read_report, write_csv

from guidebook.batch.run import run_batch
from guidebook.batch.types import BatchSettings
from guidebook.options import GuideOptions


def _swallowing_library_call() -> None:
    with contextlib.suppress(BaseException):  # as WeasyPrint's SVG drawing does
        time.sleep(1)  # slow work, inside which the first alarm lands and is lost


@pytest.mark.slow
def test_a_row_over_the_time_limit_is_stopped_and_reported(tmp_path):
    bookings = write_csv(tmp_path, BOOKING_ROWS[:2])
    settings = BatchSettings(out_dir=tmp_path / "out", jobs=1, guide=GuideOptions(timeout=0.01))
    summary = run_batch(bookings, settings)
    assert (summary.ok, summary.failed) == (0, 2)
    report = read_report(tmp_path / "out" / "report.csv")
    assert all("took longer than" in r["message"] for r in report.values())
    assert not list((tmp_path / "out").glob("*.pdf")) and not list((tmp_path / "out").glob(".*.part"))


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


@pytest.mark.slow
def test_a_batch_row_stops_even_when_a_library_swallows_the_alarm(tmp_path):
    from guidebook.batch import worker

    real_plan = worker.plan_guide

    def slow_plan(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        _swallowing_library_call()
        time.sleep(2)  # slow work inside the row, for the time limit to stop
        return real_plan(*args, **kwargs)

    bookings = tmp_path / "b.csv"
    bookings.write_text(
        "booking_id,name,arrival,departure,treatments\nB1,Ann,2026-04-06T10:00,2026-04-12T18:00,aqua-peel\n",
        encoding="utf-8",
    )
    # the workers fork inside the patch, so they plan with slow_plan too
    with mock.patch.object(worker, "plan_guide", autospec=True, side_effect=slow_plan):
        summary = run_batch(
            bookings, BatchSettings(out_dir=tmp_path / "out", jobs=1, guide=GuideOptions(timeout=0.05))
        )
    assert (summary.ok, summary.failed) == (0, 1)
    assert not list((tmp_path / "out").glob("*.pdf"))
