"""A bookings table read record by record: CSV with each record's physical lines, and its
structural problems (an unclosed quote, an overlong line or cell) kept to that record.

A record that breaks never hides the ones after it: a quote left open is closed at the end of
its line when the lines it would swallow look like rows of their own, and reading goes on from
the next line; an overlong line or cell fails its record only. The file is streamed.

Text as spreadsheets save it: UTF-8 with or without a byte-order mark, UTF-16 (Excel's "Unicode
text", tab-separated), or an encoding named by the caller (CP949, Shift_JIS); the separator is
the one the header uses most (comma, semicolon or tab).
"""

from __future__ import annotations

import codecs
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
GUESS_BYTES = 1 << 20  # bytes of a file that is not UTF-8 read to guess its encoding
# Names people give to the encodings of Korean and Japanese Windows, and the codec that reads
# every file those write (CP949 is a superset of EUC-KR, CP932 of Shift_JIS).
ENCODING_ALIASES = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "s_jis": "cp932",
    "ms932": "cp932",
    "windows-31j": "cp932",
    "euc-kr": "cp949",
    "euc_kr": "cp949",
    "euckr": "cp949",
    "uhc": "cp949",
    "ks_c_5601-1987": "cp949",
}
SAVE_AS_UTF8 = (
    'save it as UTF-8: in Excel, File > Save As > "CSV UTF-8 (Comma delimited)"; in Google Sheets, '
    "File > Download > CSV; in LibreOffice or Numbers, choose the character set "
    '"Unicode (UTF-8)"'
)


def codec_name(encoding: str) -> str:
    """The codec for an encoding a user names (shift_jis reads as CP932); LookupError if unknown."""
    name = ENCODING_ALIASES.get(encoding.strip().lower(), encoding.strip())
    return codecs.lookup(name).name


def sniff_encoding(head: bytes, given: str | None = None) -> str:
    """The encoding of a text file from its first bytes: a byte-order mark wins (UTF-8, UTF-16),
    then UTF-16 without one (a NUL in every other byte), then `given`, else UTF-8."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 4 and head[1] == 0 and head[3] == 0 and head[0] and head[2]:
        return "utf-16-le"
    if len(head) >= 4 and head[0] == 0 and head[2] == 0 and head[1] and head[3]:
        return "utf-16-be"
    return codec_name(given) if given else "utf-8"


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
            raise not_decodable(self.path, exc, self.handle.encoding) from None


class Table:
    """An open bookings table: its header and delimiter, and its records, read on demand.
    A context manager: the file is closed when the block ends."""

    def __init__(self, path: Path, *, delimiter: str | None = None, encoding: str | None = None):
        binary = open_regular(path)
        try:
            head = binary.read(4)
            binary.seek(0)
            self.encoding = sniff_encoding(head, encoding)
        except BaseException:
            binary.close()
            raise
        self.raw = io.TextIOWrapper(binary, encoding=self.encoding, newline="")
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
        self.delimiter = delimiter or _delimiter_of(header_line)
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


def _delimiter_of(header: str) -> str:
    """The separator the header uses most: comma, semicolon or tab (a tie: comma)."""
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def not_decodable(path: Path, exc: UnicodeDecodeError, encoding: str) -> InputError:
    """The error for a file that is not text in `encoding`, naming the first line that is not
    (decoding reads ahead, so the line being parsed is not always the bad one) and what to do:
    the spreadsheet setting that saves UTF-8, or the --encoding that reads the file as it is."""
    number = 1
    codec = codecs.lookup(encoding).name
    if not codec.startswith("utf-16"):
        with open_regular(path) as handle:
            for number, raw in enumerate(handle, 1):  # noqa: B007 - the line where it stops
                try:
                    raw.decode(codec)
                except UnicodeDecodeError:
                    break
    if codec in {"utf-8", "utf-8-sig"}:
        guess = guess_encoding(path)
        hint = (
            f"it reads as {guess[1]}: give --encoding {guess[0]}"
            if guess
            else "from Korean Windows give --encoding cp949, from Japanese Windows --encoding shift_jis"
        )
        message = f"not UTF-8 text ({exc.reason}); {SAVE_AS_UTF8}; or {hint}"
    else:
        message = (
            f"not {codec.upper()} text as --encoding says ({exc.reason}); check the encoding, "
            f"or {SAVE_AS_UTF8} and leave out --encoding"
        )
    return InputError([Problem(str(path), f"line {number}", message, number)])


# (codec, what it is, whether a character beyond ASCII is one a file in it holds): the Hangul and
# Hanja of EUC-KR (Shift_JIS text read as CP949 gives rare syllables outside it), kana and kanji
# (CP949 text read as Shift_JIS gives half-width katakana), accented Latin letters.
def _korean(ch: str) -> bool:
    try:
        common = len(ch.encode("euc_kr")) == 2  # the rest are 8-byte jamo sequences
    except UnicodeEncodeError:
        return False
    return common and ("\uac00" <= ch <= "\ud7a3" or "\u4e00" <= ch <= "\u9fff")


def _japanese(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff"


def _western(ch: str) -> bool:
    return "\u00c0" <= ch <= "\u00ff"


_GUESSES = (
    ("cp949", "Korean Windows text (CP949)", _korean),
    ("shift_jis", "Japanese Windows text (Shift_JIS)", _japanese),
    ("cp1252", "Western European Windows text (Windows-1252)", _western),
)


def guess_encoding(path: Path) -> tuple[str, str] | None:
    """The --encoding that most likely reads a file that is not UTF-8, and what it is: the one of
    Korean, Japanese and Western Windows text whose characters beyond ASCII are nearly all
    letters of that script; None when none fits."""
    with open_regular(path) as handle:
        data = handle.read(GUESS_BYTES)
    data = data[: data.rfind(b"\n") + 1] or data  # whole lines: no character cut in two
    best: tuple[float, str, str] | None = None
    for name, what, typical in _GUESSES:
        try:
            text = codecs.decode(data, ENCODING_ALIASES.get(name, name))
        except UnicodeDecodeError:
            continue
        beyond = [ch for ch in text if ord(ch) > 127 and not ch.isspace()]
        score = sum(1 for ch in beyond if typical(ch)) / len(beyond) if beyond else 0.0
        if score >= 0.9 and (best is None or score > best[0]):
            best = (score, name, what)
    return (best[1], best[2]) if best else None
