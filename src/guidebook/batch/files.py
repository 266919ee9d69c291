"""The batch's own files: its lock, the resume manifest and input hashes, the zip, clean-up."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import stat
import zipfile
from pathlib import Path
from typing import Any

from .._version import __version__
from ..atomic import MARKER, commit_temp, make_temp, write_atomic
from ..errors import OutputError
from ..guide import SharedInputs
from ..inputs.bookings import Row
from ..inputs.data import DATA, DEFAULT_CATALOGUE
from ..render.theme import Theme
from .types import BatchSettings

SCRATCH_PREFIX = ".guidebook-scratch-"
LOCK_NAME = ".guidebook-batch.lock"


def clean_partial_files(folder: Path, *, scratch: bool = False) -> None:
    """Remove the temp files a killed batch or worker left in `folder`: only guidebook's own,
    named with its marker (atomic.MARKER), and with `scratch` its workers' scratch folders."""
    for leftover in folder.glob(f".*{MARKER}"):
        if leftover.is_file() and not leftover.is_symlink():
            leftover.unlink(missing_ok=True)
    if scratch:
        for leftover in folder.glob(f"{SCRATCH_PREFIX}*"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


class BatchLock:
    """One batch at a time in an output folder: an exclusive lock on a file in it, released when
    the batch ends or its process dies (fcntl.flock), holding the process id for the message."""

    def __init__(self, folder: Path):
        self.path = folder / LOCK_NAME
        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            raise OutputError(f"{folder}: cannot write here ({exc.strerror})") from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = os.read(self.fd, 32).decode("ascii", "replace").strip() or "?"
            os.close(self.fd)
            raise OutputError(
                f"{folder}: another guidebook batch (process {other}) is writing into "
                "this folder; wait for it to end, or give another folder with -o"
            ) from None
        os.ftruncate(self.fd, 0)
        os.write(self.fd, f"{os.getpid()}\n".encode())

    def release(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()
        os.close(self.fd)


def _file_digest(digest: Any, path: Path | None) -> None:
    if path is not None and Path(path).is_file():
        digest.update(str(path).encode() + b"\0" + Path(path).read_bytes() + b"\0")


def shared_hash(settings: BatchSettings, shared: SharedInputs) -> str:
    """What every row's guide depends on besides the row: files, theme, options, version."""
    options = settings.guide
    digest = hashlib.sha256(__version__.encode())
    digest.update(options.fingerprint().encode())
    digest.update(f"{settings.bookings.fingerprint()}|ics={settings.ics}".encode())
    for path in (options.clinics, options.catalogue or DEFAULT_CATALOGUE):
        _file_digest(digest, path)
    if shared.brand:
        _file_digest(digest, options.brand)
        for asset in (shared.brand.logo, *shared.brand.font_files):
            _file_digest(digest, asset)
    theme = Theme.with_override(options.theme or (shared.brand.templates if shared.brand else None))
    for path in [*theme.files, *sorted(DATA.rglob("*"))]:
        _file_digest(digest, path)
    return digest.hexdigest()


def input_hash(common: str, row: Row, base_profile: Path | None, output: str) -> str:
    digest = hashlib.sha256(common.encode())
    digest.update(json.dumps(row.cells, sort_keys=True, ensure_ascii=False).encode())
    digest.update(output.encode())
    _file_digest(digest, base_profile)
    return digest.hexdigest()


class Manifest:
    """Output name -> input hash of the guides made, appended as each is written (so a batch
    killed at any moment can resume), compacted at the start and the end. Never written through
    a symbolic link: it is replaced by a file of its own first."""

    def __init__(self, path: Path, *, load: bool):
        self.path = path
        self.entries: dict[str, str] = {}
        if load:
            for line in _read_own(path).splitlines():
                try:
                    entry = json.loads(line)
                    self.entries[str(entry["output"])] = str(entry["hash"])
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a kill
        self._compact()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
        self.handle = os.fdopen(fd, "a", encoding="utf-8")

    def get(self, output: str) -> str | None:
        return self.entries.get(output)

    def add(self, output: str, digest: str) -> None:
        self.entries[output] = digest
        self.handle.write(json.dumps({"output": output, "hash": digest}) + "\n")
        self.handle.flush()

    def close(self) -> None:
        self.handle.close()
        self._compact()

    def _compact(self) -> None:
        lines = "".join(json.dumps({"output": k, "hash": v}) + "\n" for k, v in self.entries.items())
        write_atomic(self.path, lines)


def _read_own(path: Path) -> str:
    """A file of the batch's folder, if it is a regular file (not a link to something else)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return ""
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return ""
        return handle.read(64 << 20).decode("utf-8", errors="replace")


def write_zip(path: Path, files: list[Path], report: Path) -> Path:
    """The guides and the report in one zip, written atomically, with fixed timestamps."""
    path = Path(path)
    fd, tmp = make_temp(path)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in [*files, report]:
                info = zipfile.ZipInfo(file.name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, file.read_bytes())
        commit_temp(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write the zip ({exc.strerror})") from None
        raise
    return path
