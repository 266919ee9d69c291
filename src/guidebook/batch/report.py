"""The batch's report: every row's outcome, in the order of the CSV, on disk as each row ends.

The report is made as a temp file and renamed into place at once (never written through a link
at its path), then each row is added to it and flushed, so a batch stopped by SIGTERM, SIGKILL
or a power cut leaves a report of what was done. A JSON report stays a valid JSON array after
every row. Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) start
with a quote, as OWASP advises against CSV injection.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import BinaryIO

from ..atomic import commit_temp, make_temp
from ..errors import OutputError
from .types import RowResult

COLUMNS = ("booking_id", "line", "status", "output", "message")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_line(values: list[object]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue().encode("utf-8")


def safe_cell(value: object) -> str:
    """A report cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class ReportWriter:
    """Rows written in the order of their `index` (the CSV's), whatever order they end in."""

    def __init__(self, path: Path, fmt: str):
        self.path, self.fmt, self.count = Path(path), fmt, 0
        self.waiting: dict[int, RowResult] = {}
        self.next_index = 0
        fd, tmp = make_temp(self.path)
        self.handle: BinaryIO = os.fdopen(fd, "wb")
        try:
            self.handle.write(_csv_line(list(COLUMNS)) if fmt == "csv" else b"[\n]\n")
            self._sync()
            commit_temp(tmp, self.path)  # in place from the start; rows are added to this file
        except OSError as exc:
            self.handle.close()
            Path(tmp).unlink(missing_ok=True)
            raise OutputError(f"{path}: cannot write the report ({exc.strerror})") from None

    def add(self, index: int, result: RowResult) -> None:
        """The result of the row at `index` (0, 1, 2... in CSV order); written once every row
        before it is."""
        self.waiting[index] = result
        while self.next_index in self.waiting:
            self._write(self.waiting.pop(self.next_index))
            self.next_index += 1

    def _write(self, result: RowResult) -> None:
        values = [result.booking_id, result.line, result.status, result.output or "", result.message]
        try:
            if self.fmt == "csv":
                self.handle.write(_csv_line([safe_cell(v) if isinstance(v, str) else v for v in values]))
            else:
                item = dict(zip(COLUMNS, values, strict=True))
                item["output"] = item["output"] or None
                self.handle.seek(-2, os.SEEK_END)  # over the closing "]\n": the array stays whole
                separator = ",\n" if self.count else ""
                line = f"{separator}  {json.dumps(item, ensure_ascii=False)}\n]\n"
                self.handle.write(line.encode("utf-8"))
            self._sync()
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write the report ({exc.strerror})") from None
        self.count += 1

    def _sync(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())

    def close(self) -> None:
        """Write the rows still waiting (those after a row that never ended), and close."""
        for index in sorted(self.waiting):
            self._write(self.waiting.pop(index))
        self.handle.close()

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
