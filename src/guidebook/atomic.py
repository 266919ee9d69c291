"""Write files atomically: a temp file in the same folder, then a rename over the target.

Every temp file guidebook makes carries the MARKER in its name, so that clean-up after a crash
removes only what guidebook made (never a user's own `.something.part`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError

MARKER = ".guidebook-part"  # the suffix of every temp file guidebook writes


def make_temp(path: Path) -> tuple[int, str]:
    """A new temp file beside `path` (created exclusively, never through a link): (fd, name)."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name for the output")
    stem = path.name.encode("utf-8")[:60].decode("utf-8", "ignore")  # within NAME_MAX with the rest
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(prefix=f".{stem}.", suffix=MARKER, dir=path.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here ({exc.strerror})") from None


def commit_temp(tmp: str, path: Path) -> None:
    """Give the temp file the usual permissions and rename it over `path` (a link at `path` is
    replaced, not followed)."""
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write `data` to `path` so that readers see the old file or the whole new one."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = make_temp(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        commit_temp(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
        raise
    return path
