"""Writing files atomically (atomic.py): the old file or the whole new one, never a temp left,
and a clear message for a place that cannot take the file."""

from __future__ import annotations

import errno
import os
from unittest import mock

import pytest

from guidebook.atomic import write_atomic
from guidebook.errors import OutputError


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


def test_full_disk_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "guide.pdf"
    target.write_bytes(b"old")
    real_fsync = os.fsync

    def full(fd: int) -> None:
        real_fsync(fd)
        raise OSError(errno.ENOSPC, "No space left on device")

    with (
        mock.patch.object(os, "fsync", autospec=True, side_effect=full),
        pytest.raises(OutputError, match="No space left"),
    ):
        write_atomic(target, b"new content")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guide.pdf"]


def test_interrupt_during_write_leaves_no_temp(tmp_path):
    with (
        mock.patch.object(os, "replace", autospec=True, side_effect=KeyboardInterrupt),
        pytest.raises(KeyboardInterrupt),
    ):
        write_atomic(tmp_path / "guide.pdf", b"x")
    assert list(tmp_path.iterdir()) == []


def test_text_is_written_as_utf8_readable_by_all(tmp_path):
    target = write_atomic(tmp_path / "guide.html", "서울 ₩")
    assert target.read_bytes() == "서울 ₩".encode()
    assert target.stat().st_mode & 0o777 == 0o644
