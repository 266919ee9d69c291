"""The batch's files: report, resume manifest, input hashes, zip; all written safely."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from .._version import __version__
from ..atomic import write_atomic
from ..errors import OutputError
from ..guide import SharedInputs
from ..inputs.bookings import Row
from ..inputs.data import DATA, DEFAULT_CATALOGUE
from ..render.theme import Theme
from .types import BatchSettings, RowResult


def clean_partial_files(folder: Path, *, reports: bool = False) -> None:
    """Remove temp files a killed worker may have left (atomic writes use .NAME.*.part), and
    with `reports` those a killed batch left: a report it was writing (.NAME.*.writing) and its
    workers' scratch folders (.scratch-*)."""
    for pattern in (".*.part", ".*.writing") if reports else (".*.part",):
        for leftover in folder.glob(pattern):
            leftover.unlink(missing_ok=True)
    if reports:
        for leftover in folder.glob(".scratch-*"):
            shutil.rmtree(leftover, ignore_errors=True)


def _file_digest(digest: Any, path: Path | None) -> None:
    if path is not None and Path(path).is_file():
        digest.update(str(path).encode() + b"\0" + Path(path).read_bytes() + b"\0")


def shared_hash(settings: BatchSettings, shared: SharedInputs) -> str:
    """What every row's guide depends on besides the row: files, theme, options, version."""
    options = settings.guide
    digest = hashlib.sha256(__version__.encode())
    digest.update(options.fingerprint().encode())
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
    killed at any moment can resume), compacted at the end."""

    def __init__(self, path: Path, *, load: bool):
        self.path = path
        self.entries: dict[str, str] = {}
        if load and path.exists():
            for line in path.read_text("utf-8", errors="replace").splitlines():
                try:
                    entry = json.loads(line)
                    self.entries[entry["output"]] = entry["hash"]
                except (ValueError, KeyError, TypeError):
                    continue  # a line cut short by a kill
        self.handle = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()

    def get(self, output: str) -> str | None:
        return self.entries.get(output)

    def add(self, output: str, digest: str) -> None:
        self.entries[output] = digest
        self.handle.write(json.dumps({"output": output, "hash": digest}) + "\n")
        self.handle.flush()

    def close(self) -> None:
        self.handle.close()
        lines = "".join(json.dumps({"output": k, "hash": v}) + "\n" for k, v in self.entries.items())
        write_atomic(self.path, lines)


class ReportWriter:
    """Every row's outcome, streamed to a temp file and renamed into place when done."""

    COLUMNS = ("booking_id", "line", "status", "output", "message")

    def __init__(self, path: Path, fmt: str):
        self.path, self.fmt, self.count = Path(path), fmt, 0
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, self.tmp = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".writing", dir=self.path.parent
            )
        except OSError as exc:
            raise OutputError(f"{path}: cannot write the report ({exc.strerror})") from None
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
        if fmt == "csv":
            self.writer = csv.writer(self.handle)
            self.writer.writerow(self.COLUMNS)
        else:
            self.handle.write("[")

    def write(self, result: RowResult) -> None:
        values = [result.booking_id, result.line, result.status, result.output or "", result.message]
        if self.fmt == "csv":
            self.writer.writerow(values)
        else:
            item = dict(zip(self.COLUMNS, values, strict=True))
            item["output"] = item["output"] or None
            self.handle.write(("," if self.count else "") + "\n  " + json.dumps(item, ensure_ascii=False))
        self.count += 1

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fmt != "csv":
            self.handle.write("\n]\n")
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.chmod(self.tmp, 0o644)
        os.replace(self.tmp, self.path)


def write_zip(path: Path, files: list[Path], report: Path) -> Path:
    """The guides and the report in one zip, written atomically, with fixed timestamps."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in [*files, report]:
                info = zipfile.ZipInfo(file.name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, file.read_bytes())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
