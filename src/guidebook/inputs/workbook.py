"""An Excel workbook (.xlsx) read as a bookings table: its first sheet, or one named, row by row.

Cells come out as the text a CSV export of the sheet would hold, so the same column rules read
both: a date cell is 2026-10-13 (with the time, 2026-10-13T09:30, when the cell's format shows
one), a time cell 09:30, a whole number 3 (not 3.0). The file is checked before openpyxl opens
it: a regular file, a zip, and at most MAX_UNPACKED bytes once unpacked (no zip bomb).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from .files import open_regular
from .table import MAX_CELL, Record

MAX_XLSX_BYTES = 50 << 20  # the file
MAX_UNPACKED = 500 << 20  # its parts once unpacked
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
OTHER_SPREADSHEETS = {
    ".xls": "an old Excel file (.xls)",
    ".ods": "a LibreOffice or OpenOffice sheet (.ods)",
    ".numbers": "a Numbers file",
}
# Parts of a number format that show no digit of the value: quoted text, [colours], [$-409].
_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in EXCEL_SUFFIXES


def refuse_other_spreadsheet(path: Path) -> None:
    """An .xls, .ods or .numbers file: say how to save it in a form guidebook reads."""
    what = OTHER_SPREADSHEETS.get(path.suffix.lower())
    if what:
        message = f"is {what}; save it as an Excel workbook (.xlsx) or as CSV UTF-8, and give that file"
        raise InputError([Problem(str(path), "", message)])


class Workbook:
    """One sheet of a workbook as a table: its header (the first row that holds anything) and
    its records (each row after it, numbered as the spreadsheet numbers it). A context manager."""

    def __init__(self, path: Path, *, sheet: str | None = None):
        from openpyxl import load_workbook

        self.path = path
        _check_zip(path)
        try:
            self.book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any damage inside the zip: one clear problem
            raise self._problem(
                f"cannot be read as an Excel workbook ({type(exc).__name__}: {exc})"
            ) from None
        try:
            self.sheet = self._pick(sheet)
            self.rows = self._numbered(self.book[self.sheet].iter_rows(min_row=1))
            first = next(((n, cells) for n, cells in self.rows if any(cells)), None)
            if first is None:
                raise InputError(
                    [Problem(str(path), f"sheet {self.sheet!r}", "is empty; the first row names the columns")]
                )
            self.header_line, self.header = first[0], _trim(first[1])
        except BaseException:
            self.book.close()
            raise

    def _pick(self, sheet: str | None) -> str:
        names: list[str] = list(self.book.sheetnames)
        if sheet is None:
            worksheets = [ws.title for ws in self.book.worksheets]
            if not worksheets:
                raise self._problem("has no sheet")
            return str(worksheets[0])
        for name in names:
            if name == sheet or name.strip().lower() == sheet.strip().lower():
                return name
        known = ", ".join(repr(n) for n in names)
        raise InputError(
            [Problem(str(self.path), f"sheet {sheet!r}", f"no sheet of this name (sheets: {known})")]
        )

    def _numbered(self, rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[str]]]:
        """Each row with its number; a sheet whose XML breaks as it is read (damaged, or an entity
        bomb, which the XML parser stops) is one problem, at the row reached."""
        number = 0
        while True:
            try:
                row = next(rows, None)
            except Exception as exc:  # noqa: BLE001 - the parser's own errors: one clear problem
                message = (
                    f"cannot be read past row {number} ({type(exc).__name__}: {exc}); open it in "
                    "Excel and save it again, or save it as CSV UTF-8"
                )
                raise InputError(
                    [Problem(str(self.path), f"sheet {self.sheet!r}", message, number or None)]
                ) from None
            if row is None:
                return
            number = next((c.row for c in row if getattr(c, "row", None)), number + 1)
            yield number, [cell_text(c) for c in row]

    def records(self) -> Iterator[Record]:
        for number, cells in self.rows:
            record = Record(number, _trim(cells), number)
            if any(len(cell) > MAX_CELL for cell in cells):
                record.problems.append(f"a cell is longer than {MAX_CELL:,} characters")
                record.cells = []
            yield record

    def _problem(self, message: str) -> InputError:
        return InputError([Problem(str(self.path), "", message)])

    def close(self) -> None:
        self.book.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def cell_text(cell: Any) -> str:
    """A cell's value as the text a CSV export would hold."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        shows_time = _shows_time(getattr(cell, "number_format", None))
        if value.time() == time() and not shows_time:
            return value.date().isoformat()
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _shows_time(number_format: str | None) -> bool:
    """Whether a cell's number format shows hours (h) or seconds (s), not only a date."""
    if not number_format or number_format == "General":
        return False
    return bool(re.search(r"[hHsS]", _LITERALS.sub("", number_format)))


def _trim(cells: list[str]) -> list[str]:
    """Without the empty cells at the end of the row (a sheet's used range is often wider)."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def _check_zip(path: Path) -> None:
    """A regular file, at most MAX_XLSX_BYTES, a zip whose parts unpack to at most MAX_UNPACKED."""
    with open_regular(path) as handle:
        handle.seek(0, 2)
        size = handle.tell()
        if size > MAX_XLSX_BYTES:
            raise InputError(
                [Problem(str(path), "", f"is too large ({size >> 20} MB; at most {MAX_XLSX_BYTES >> 20} MB)")]
            )
        handle.seek(0)
        try:
            with zipfile.ZipFile(handle) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            message = (
                "is not an Excel workbook (.xlsx files are zip archives); save it again as .xlsx or CSV UTF-8"
            )
            raise InputError([Problem(str(path), "", message)]) from None
    if unpacked > MAX_UNPACKED:
        raise InputError(
            [
                Problem(
                    str(path),
                    "",
                    f"unpacks to {unpacked >> 20} MB (at most {MAX_UNPACKED >> 20} MB); refused",
                )
            ]
        )
