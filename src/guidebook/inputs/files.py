"""Opening an input file safely: a regular file (never a device, FIFO or folder), of bounded size."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError, Problem

MAX_FILE_BYTES = 10 << 20


def open_regular(path: Path, *, where: str = "") -> BinaryIO:
    """`path` opened for reading, if it is a regular file; else an InputError naming it.

    Opened without blocking and checked on the open descriptor, so a FIFO (which would wait for a
    writer forever) or a device is refused, and a file swapped in after a check is not read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise _problem(path, where, "file not found") from None
    except IsADirectoryError:
        raise _problem(path, where, "is a folder, not a file") from None
    except OSError as exc:
        raise _problem(path, where, f"cannot be read ({exc.strerror})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a device, pipe or socket)"
        raise _problem(path, where, f"is {kind}; give a file")
    os.set_blocking(fd, True)
    return open(fd, "rb")  # noqa: SIM115 - the caller closes it


def read_text(path: Path, *, max_bytes: int = MAX_FILE_BYTES, where: str = "") -> str:
    """The UTF-8 text of a regular file (a BOM dropped), at most `max_bytes` long."""
    with open_regular(path, where=where) as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _problem(path, where, f"file is too large (over {max_bytes >> 20} MB)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _problem(path, where, f"not UTF-8 text ({exc.reason})") from None


def _problem(path: Path, where: str, message: str) -> InputError:
    return InputError([Problem(str(path), where, message)])


def confined(folder: Path, name: str, *, what: str = "a file") -> Path:
    """`name`, a path relative to `folder`, resolved; refused (InputError) when it is absolute or
    leads out of `folder`, through `..` or a symbolic link."""
    given = Path(name)
    if given.is_absolute() or given.drive:
        raise _problem(Path(name), "", f"must be {what} inside {folder}, given relative to it")
    base = folder.resolve()
    target = (base / given).resolve()
    if not target.is_relative_to(base):
        raise _problem(Path(name), "", f"must be {what} inside {folder} (it leads out of it)")
    return target
