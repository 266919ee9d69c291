"""Writing files: atomic, clear messages for folders that cannot take them, time limits."""

from __future__ import annotations

import contextlib
import errno
import os
import time
import tracemalloc

import pytest

from guidebook.atomic import write_atomic
from guidebook.errors import OutputError, RenderError
from guidebook.inputs.bookings import open_rows
from guidebook.timelimit import time_limit


def test_write_atomic_creates_missing_folders(tmp_path):
    target = tmp_path / "new" / "deeper" / "guide.pdf"
    write_atomic(target, b"%PDF-1.7")
    assert target.read_bytes() == b"%PDF-1.7"
    assert [p.name for p in target.parent.iterdir()] == ["guide.pdf"]


def test_path_that_is_a_folder_or_below_a_file(tmp_path):
    with pytest.raises(OutputError, match="is a folder"):
        write_atomic(tmp_path, b"x")
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputError, match="cannot write here"):
        write_atomic(tmp_path / "file" / "guide.pdf", b"x")


def test_full_disk_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "guide.pdf"
    target.write_bytes(b"old")
    real_fsync = os.fsync

    def full(fd: int) -> None:
        real_fsync(fd)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError, match="No space left"):
        write_atomic(target, b"new content")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guide.pdf"]


def test_interrupt_during_write_leaves_no_temp(tmp_path, monkeypatch):
    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "guide.pdf", b"x")
    assert list(tmp_path.iterdir()) == []


def test_time_limit_stops_a_long_render():
    started = time.monotonic()
    with pytest.raises(RenderError, match="took longer than 0.2 s"), time_limit(0.2, "the guide"):
        while True:
            try:
                time.sleep(0.01)
            except Exception:  # noqa: BLE001, S112 - a library that swallows errors
                continue
    assert time.monotonic() - started < 5


def _swallowing_library_call() -> None:
    with contextlib.suppress(BaseException):  # as WeasyPrint's SVG drawing does
        time.sleep(1)


def test_time_limit_stops_a_render_even_when_a_library_swallows_the_alarm():
    with pytest.raises(RenderError, match="took longer than 0.05 s"), time_limit(0.05):
        _swallowing_library_call()  # the first alarm is lost here
        time.sleep(2)  # the next one stops the render


def test_a_batch_row_stops_even_when_a_library_swallows_the_alarm(tmp_path, monkeypatch):
    from guidebook.batch import worker
    from guidebook.batch.run import run_batch
    from guidebook.batch.types import BatchSettings
    from guidebook.options import GuideOptions

    real_plan = worker.plan_guide

    def slow_plan(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        _swallowing_library_call()
        time.sleep(2)
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(worker, "plan_guide", slow_plan)  # the workers fork after this
    bookings = tmp_path / "b.csv"
    bookings.write_text("booking_id,name,arrival,departure,treatments\n"
                        "B1,Ann,2026-04-06T10:00,2026-04-12T18:00,aqua-peel\n", encoding="utf-8")
    summary = run_batch(bookings, BatchSettings(out_dir=tmp_path / "out", jobs=1,
                                                guide=GuideOptions(timeout=0.05)))
    assert (summary.ok, summary.failed) == (0, 1)
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_a_200000_row_csv_is_streamed(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("booking_id,name,arrival,departure,treatments\n")
        for i in range(200_000):
            handle.write(f"B{i},Guest {i},2026-04-06T10:00,2026-04-12T18:00,aqua-peel\n")
    tracemalloc.start()
    count = sum(1 for _ in open_rows(path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 200_000
    assert peak < 5 << 20  # a few rows at a time, not the file (about 14 MB)
    assert path.stat().st_size > 10 << 20
