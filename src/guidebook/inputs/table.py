"""A bookings table read record by record: CSV with each record's physical lines, and its
structural problems (an unclosed quote, an overlong line or cell) kept to that record.

A record that breaks never hides the ones after it: a quote left open is closed at the end of
its line when the lines it would swallow look like rows of their own, and reading goes on from
the next line; an overlong line or cell fails its record only. The file is streamed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Problem
from .files import open_regular

MAX_LINE = 1 << 20  # characters in one physical line
MAX_RECORD_LINES = 50  # physical lines one record (a cell with line breaks) may span
MAX_CELL = 20_000  # characters in one cell


@dataclass
class Record:
    """One record of the table: its first physical line, its cells, and what is wrong with its
    structure (then its cells are not to be trusted)."""

    line: int
    cells: list[str]
    last_line: int = 0
    problems: list[str] = field(default_factory=list)


class _Lines:
    """Physical lines of a text stream with their numbers; an overlong line is cut (and said so)."""

    def __init__(self, handle: io.TextIOWrapper, path: Path):
        self.handle, self.path, self.number = handle, path, 0
        self.pushed: list[tuple[int, str, bool]] = []

    def next(self) -> tuple[int, str, bool] | None:
        """(number, text, overlong), or None at the end."""
        if self.pushed:
            return self.pushed.pop()
        text = self._read(MAX_LINE + 1)
        if not text:
            return None
        self.number += 1
        overlong = len(text) > MAX_LINE and not text.endswith(("\n", "\r"))
        if overlong:  # drop the rest of the line, in pieces
            while True:
                rest = self._read(MAX_LINE)
                if not rest or rest.endswith(("\n", "\r")):
                    break
            text = text[:MAX_LINE]
        return self.number, text, overlong

    def push(self, item: tuple[int, str, bool]) -> None:
        self.pushed.append(item)

    def _read(self, size: int) -> str:
        try:
            return self.handle.readline(size)
        except UnicodeDecodeError as exc:
            raise not_utf8(self.path, exc) from None


class Table:
    """An open bookings table: its header and delimiter, and its records, read on demand.
    A context manager: the file is closed when the block ends."""

    def __init__(self, path: Path, *, delimiter: str | None = None):
        self.raw = io.TextIOWrapper(open_regular(path), encoding="utf-8-sig", newline="")
        try:
            self.lines = _Lines(self.raw, path)
            first = self.lines.next()
            if first is None:
                message = "the file is empty; the first line names the columns"
                raise InputError([Problem(str(path), "header", message, 1)])
            _, header_line, overlong = first
            if overlong or header_line.count('"') % 2:
                raise InputError([Problem(str(path), "header", "the first line is not a header row", 1)])
        except BaseException:
            self.raw.close()
            raise
        self.delimiter = delimiter or (";" if header_line.count(";") > header_line.count(",") else ",")
        self.header = [h.strip() for h in next(csv.reader([header_line], delimiter=self.delimiter), [])]

    def records(self) -> Iterator[Record]:
        while (record := _next_record(self.lines, self.delimiter, len(self.header))) is not None:
            yield record

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _next_record(lines: _Lines, delimiter: str, columns: int) -> Record | None:
    """The next record; a quote left open that would swallow row-like lines is cut back to its
    own line, and reading goes on from the line after it."""
    first = lines.next()
    if first is None:
        return None
    number, text, overlong = first
    if overlong:
        return Record(number, [], number, [f"the line is longer than {MAX_LINE:,} characters"])
    parts, quotes, last = [text], text.count('"'), number
    taken: list[tuple[int, str, bool]] = []
    while quotes % 2:  # inside a quoted cell: the record goes on on the next line
        following = lines.next()
        if (
            following is None
            or following[2]
            or len(taken) >= MAX_RECORD_LINES
            or _row_like(following[1], delimiter, columns)
        ):
            if following is not None:
                lines.push(following)
            for item in reversed(taken):
                lines.push(item)
            return Record(
                number,
                [],
                number,
                ['a quote (") opens a cell that is never closed on this line; close it, or remove it'],
            )
        taken.append(following)
        parts.append(following[1])
        quotes += following[1].count('"')
        last = following[0]
    text = "".join(parts)
    if len(text) > MAX_LINE:
        return Record(number, [], last, [f"the row is longer than {MAX_LINE:,} characters"])
    try:
        cells = next(csv.reader([text], delimiter=delimiter), [])
    except csv.Error as exc:  # a cell over csv's own limit, or quotes that do not parse
        problem = (
            f"a cell is longer than {MAX_CELL:,} characters"
            if "field larger" in str(exc)
            else f'its quotes (") do not make sense as CSV ({exc}); check the row'
        )
        return Record(number, [], last, [problem])
    record = Record(number, cells, last)
    if any(len(cell) > MAX_CELL for cell in cells):
        record.problems.append(f"a cell is longer than {MAX_CELL:,} characters")
    return record


def _row_like(text: str, delimiter: str, columns: int) -> bool:
    """A line that looks like a row of its own: as many separators as the header, and no quote
    that would close the cell left open."""
    return columns > 2 and text.count(delimiter) >= columns - 1 and '"' not in text


def not_utf8(path: Path, exc: UnicodeDecodeError) -> InputError:
    """The error for a file that is not UTF-8, naming the first line that is not (decoding
    reads ahead, so the line being parsed is not always the bad one)."""
    number = 1
    with open_regular(path) as handle:
        for number, raw in enumerate(handle, 1):  # noqa: B007 - the line where it stops
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                break
    message = f"not UTF-8 text ({exc.reason}); save the CSV as UTF-8"
    return InputError([Problem(str(path), f"line {number}", message, number)])
