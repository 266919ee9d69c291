"""Bookings (a CSV or an .xlsx sheet) -> validated profiles, one row at a time (the file is streamed).

Headers are matched as people write them (case, spaces, underscores and common names such as
"Booking ID", "Name", "Arrival date"); columns guidebook does not know are listed once as a
warning and ignored (refused with `strict_columns`). Cells are read as spreadsheets write them
(inputs/cells.py). Every problem names its row and column (and the sheet of a workbook).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticError

from ..errors import InputError, OptionsError, Problem
from .catalogue import Catalogue
from .cells import (
    DATE_FORMATS,
    CellError,
    is_to_confirm,
    normal,
    parse_bool,
    parse_date,
    parse_money,
    parse_number,
    parse_time,
    parse_when,
    split_list,
)
from .files import confined
from .load import check_profile
from .models import ClinicsFile, Profile
from .table import Record, Table, codec_name
from .workbook import Workbook, is_workbook, refuse_other_spreadsheet
from .yaml import explain, plain, read_yaml

MAX_ID = 200  # characters of a booking id kept for the report


@dataclass(frozen=True)
class Column:
    """A column of a bookings file: where its value goes in a profile, how its cells are read,
    an example and what it holds (for `guidebook schema bookings`), and the other names a
    spreadsheet may give it."""

    name: str
    where: tuple[str, ...] | None
    kind: str  # text, list, bool, when, time, money, rate, date, treatments, clinic, profile, id, phone
    example: str
    what: str
    aliases: tuple[str, ...] = ()


def _column(name: str, where: str, kind: str, example: str, what: str, aliases: str = "") -> Column:
    """A column from its table row: `where` dotted ("traveler.name"; "" when read on its own),
    `aliases` separated by spaces."""
    return Column(
        name, tuple(where.split(".")) if where else None, kind, example, what, tuple(aliases.split())
    )


_SPECS = (
    _column("booking_id", "", "id", "S-2001",
            "the booking's reference: the report's key, file names, calendar event ids",
            "booking booking_no booking_number booking_ref reference ref id reservation reservation_id "
            "order_id"),
    _column("name", "traveler.name", "text", "Olivia Park-Martin",
            "the traveler's name (required, unless a profile file gives it)",
            "traveler traveller traveler_name traveller_name guest guest_name client client_name "
            "customer customer_name full_name passenger"),
    _column("language", "traveler.language", "text", "en",
            "the guide's language: en, ja, zh-Hans, zh-Hant or ko (zh, zh-CN, zh-TW, ja-JP understood)",
            "lang guide_language"),
    _column("home_currency", "traveler.home_currency", "text", "USD",
            "the traveler's currency, as a three-letter code (USD, JPY, CNY, TWD, EUR)", "currency"),
    _column("email", "traveler.email", "text", "olivia@example.org", "the traveler's email",
            "e_mail email_address mail"),
    _column("phone", "traveler.phone", "phone", "+1 206 555 0172", "the traveler's phone",
            "mobile telephone tel phone_number mobile_phone cell_phone"),
    _column("nationality", "traveler.nationality", "text", "US",
            "the traveler's country, as a two-letter code (US, JP, CN, TW)", "country citizenship"),
    _column("arrival", "trip.arrival", "when", "2026-09-19 15:20",
            "landing in Seoul, Seoul time: a date and a time (13/10/2026 9:30, 2026-10-13T09:30, an "
            "Excel date)",
            "arrival_date arrival_datetime arrival_date_time arrive arrives arriving"),
    _column("arrival_time", "", "time", "15:20",
            "the arrival time, when the date is in its own column (9:30 PM, 21:30; TBC when not known "
            "yet)", "arrival_hour landing_time"),
    _column("departure", "trip.departure", "when", "2026-09-30 18:45",
            "the flight home, Seoul time: a date and a time",
            "departure_date departure_datetime departure_date_time depart departs departing return_date"),
    _column("departure_time", "", "time", "18:45",
            "the departure time, when the date is in its own column", "departure_hour return_time"),
    _column("flight_in", "trip.flight_in", "text", "OZ271", "the flight to Seoul",
            "arrival_flight inbound_flight flight_arrival flight_to_seoul"),
    _column("flight_out", "trip.flight_out", "text", "OZ272", "the flight home",
            "departure_flight outbound_flight return_flight flight_departure flight_home"),
    _column("hotel_name", "trip.hotel.name", "text", "Hanok Garden Stay Sinsa", "the hotel", "hotel"),
    _column("hotel_name_ko", "trip.hotel.name_ko", "text", "한옥가든스테이 신사",
            "the hotel's name in Korean, for taxi drivers",
            "hotel_name_korean hotel_korean_name hotel_name_in_korean"),
    _column("hotel_address", "trip.hotel.address", "text", "18 Dosan-daero 15-gil, Gangnam-gu, Seoul",
            "the hotel's address"),
    _column("hotel_address_ko", "trip.hotel.address_ko", "text", "서울특별시 강남구 도산대로15길 18",
            "the hotel's address in Korean, for the taxi card",
            "hotel_address_korean hotel_address_in_korean korean_address"),
    _column("hotel_phone", "trip.hotel.phone", "phone", "+82 2 555 0177", "the hotel's phone",
            "hotel_tel hotel_telephone hotel_phone_number"),
    _column("treatments", "", "treatments", "pico-laser:2; rejuran-healer:1; hydrafacial",
            "the treatments, separated by ; with an optional number of sessions after a colon "
            "(`guidebook catalogue` lists them)", "treatment procedures procedure"),
    _column("clinic", "", "clinic", "haneul-skin-sinsa",
            "the booked clinic (its id or name in the clinics file); it takes the treatments it "
            "offers, the others go to a partner clinic", "clinic_id clinic_name"),
    _column("interpreter", "trip.interpreter", "bool", "no", "a medical interpreter wanted: yes or no",
            "needs_interpreter interpreter_needed medical_interpreter"),
    _column("allergies", "traveler.medical.allergies", "list", "lidocaine; latex",
            "allergies, separated by ;", "allergy"),
    _column("medications", "traveler.medical.medications", "list", "levothyroxine",
            "medicines taken, separated by ;", "medication medicines medicine drugs"),
    _column("conditions", "traveler.medical.conditions", "list", "melasma",
            "medical or skin conditions, separated by ;", "condition medical_conditions"),
    _column("blood_type", "traveler.medical.blood_type", "blood", "O+",
            "blood type: A, B, O or AB, with + or - if known", "blood blood_group"),
    _column("emergency_contact_name", "traveler.emergency_contact.name", "text", "Daniel Martin",
            "who to call in an emergency", "emergency_contact emergency_name"),
    _column("emergency_contact_phone", "traveler.emergency_contact.phone", "phone", "+1 206 555 0188",
            "their phone", "emergency_phone emergency_contact_number emergency_number"),
    _column("emergency_contact_relation", "traveler.emergency_contact.relation", "text", "husband",
            "who they are to the traveler", "emergency_relation relation relationship"),
    _column("budget", "", "money", "1800 USD",
            "the most the traveler wants to spend: an amount with its currency (a number alone is in "
            "home_currency)", "budget_max max_budget"),
    _column("exchange_rate", "", "rate", "1385", "won for one unit of home_currency",
            "rate krw_rate fx_rate krw_per_unit"),
    _column("exchange_rate_date", "", "date", "2026-09-01",
            "the day that rate was checked (needed with exchange_rate)",
            "rate_date exchange_rate_as_of rate_as_of"),
    _column("notes", "notes", "text", "Prefers morning appointments", "anything else, printed in the guide",
            "note comments comment remarks"),
    _column("profile", "", "profile", "profiles/tanaka.yaml",
            "a YAML profile beside the file whose fields fill what the row leaves empty (the row wins)",
            "profile_file yaml"),
)  # fmt: skip
SPECS = {c.name: c for c in _SPECS}
COLUMNS = tuple(SPECS)
# Where each column lands in a profile, and back: to name the column of a validation problem.
FIELD_OF = {c.name: c.where for c in SPECS.values() if c.where}
ALIASES = {alias: c.name for c in SPECS.values() for alias in (c.name, *c.aliases)}


@dataclass(frozen=True)
class BookingsFormat:
    """How a bookings file is read: its separator and encoding (CSV), its sheet (.xlsx), the order
    of day and month in its dates, whether unknown columns stop it, and whether a date without a
    time may stand ("time to be confirmed" in the guide). Checked when made (OptionsError)."""

    delimiter: str | None = None  # ",", ";" or "\t"; None: the one the header uses most
    encoding: str | None = None  # a CSV's encoding when it is not UTF-8 or UTF-16 (cp949, shift_jis)
    sheet: str | None = None  # a workbook's sheet; None: the first
    date_format: str | None = None  # dmy, mdy or ymd; None: ISO, and any date that reads one way only
    strict_columns: bool = False
    time_tbc: bool = False

    def __post_init__(self) -> None:
        if self.delimiter not in (None, ",", ";", "\t"):
            raise OptionsError(f"unknown delimiter {self.delimiter!r}; use , or ; or tab")
        if self.date_format is not None and self.date_format not in DATE_FORMATS:
            raise OptionsError(
                f"unknown date format {self.date_format!r}; use dmy (13/10/2026), mdy (10/13/2026) "
                "or ymd (2026.10.13)"
            )
        if self.encoding is not None:
            try:
                codec_name(self.encoding)
            except LookupError:
                raise OptionsError(
                    f"unknown encoding {self.encoding!r}; e.g. cp949 (Korean Windows), shift_jis "
                    "(Japanese Windows), gb18030 (Chinese), big5, cp1252"
                ) from None

    def fingerprint(self) -> str:
        """What changes the guides made from the same cells (for --resume)."""
        return f"date_format={self.date_format}|time_tbc={self.time_tbc}"


@dataclass
class Row:
    """One record: its first line (a sheet's row number), its booking id, its cells by column
    (empty cells dropped) and what is wrong with its structure (a quote never closed, a cell too
    long, a repeated header); `sheet` for a row of a workbook."""

    line: int
    booking_id: str
    cells: dict[str, str]
    problems: list[str] = field(default_factory=list)
    sheet: str | None = None

    def place(self) -> str:
        """Where the row is: "row 4", or "sheet 'Bookings', row 4" in a workbook."""
        return f"sheet {self.sheet!r}, row {self.line}" if self.sheet else f"row {self.line}"

    def at(self, column: str) -> str:
        """Where a cell is, as problems name it: "row 4, column arrival"."""
        return f"{self.place()}, column {column}"


@dataclass
class Header:
    """The header: the column each position holds (None: ignored), and what was said about it."""

    columns: list[str | None]
    warnings: list[str] = field(default_factory=list)


def header_key(text: str) -> str:
    """A header cell as compared: NFKC, lower case, every run of spaces and punctuation as _."""
    return re.sub(r"[\W_]+", "_", unicodedata.normalize("NFKC", text).lower()).strip("_")


def open_rows(
    path: Path,
    fmt: BookingsFormat | None = None,
    *,
    delimiter: str | None = None,
    warnings: list[str] | None = None,
) -> Iterator[Row]:
    """Stream the rows of a bookings file: a CSV (UTF-8 with or without BOM, UTF-16, or the
    format's encoding; CRLF or LF; comma, semicolon or tab) or an Excel workbook's sheet. A row
    whose structure is broken comes with its problems, and never hides the rows after it. What
    is said about the header (columns ignored) goes to `warnings`."""
    fmt = fmt or BookingsFormat(delimiter=delimiter)
    path = Path(path)
    refuse_other_spreadsheet(path)
    table: Table | Workbook
    if is_workbook(path):
        table = Workbook(path, sheet=fmt.sheet)
    else:
        table = Table(path, delimiter=fmt.delimiter or delimiter, encoding=fmt.encoding)
    with table:
        sheet = table.sheet if isinstance(table, Workbook) else None
        header_line = table.header_line if isinstance(table, Workbook) else 1
        header = check_header(path, table.header, strict=fmt.strict_columns, line=header_line, sheet=sheet)
        if warnings is not None:
            warnings.extend(header.warnings)
        raw_header = [h.strip() for h in table.header]
        for record in table.records():
            if not any(cell.strip() for cell in record.cells) and not record.problems:
                continue
            if [c.strip() for c in record.cells] == raw_header:
                record.problems.append("repeats the header row (two exports pasted together?)")
            yield _row(record, header, sheet)


def count_rows(
    path: Path,
    fmt: BookingsFormat | None = None,
    *,
    delimiter: str | None = None,
    warnings: list[str] | None = None,
) -> int:
    """The number of records (for progress), reading the file once without keeping it."""
    return sum(1 for _ in open_rows(path, fmt, delimiter=delimiter, warnings=warnings))


def check_header(
    path: Path, header: list[str], *, strict: bool = False, line: int = 1, sheet: str | None = None
) -> Header:
    """The column of each header cell. A column named twice (or by two of its names) is an error;
    an unknown column is a warning and ignored, or an error when `strict`."""
    problems = []
    where = f"sheet {sheet!r}, " if sheet else ""
    columns: list[str | None] = []
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for cell in header:
        name = cell.strip()
        column = ALIASES.get(header_key(name)) if name else None
        if column is None and name:
            unknown.append(name)
        if column is not None and column in seen:
            message = (
                "is in the header twice"
                if seen[column] == name
                else f"names the same column as {seen[column]!r} ({column}); keep one of them"
            )
            problems.append(Problem(str(path), f"{where}column {name!r}", message, line))
            column = None
        if column is not None:
            seen[column] = name
        columns.append(column)
    warnings = []
    # A misspelt column that every row needs, and that no profile file can give: without it
    # every row would fail, so it stops the file, as --strict-columns would.
    needed = set() if "profile" in seen else {"name", "arrival", "departure", "treatments"} - set(seen)
    for name in unknown:
        guess = difflib.get_close_matches(header_key(name), list(ALIASES), n=1, cutoff=0.75)
        hint = f"; did you mean {ALIASES[guess[0]]!r}?" if guess else ""
        if strict or (guess and ALIASES[guess[0]] in needed):
            hint = hint or f"; known: {', '.join(COLUMNS)}"
            problems.append(Problem(str(path), f"{where}column {name!r}", f"unknown column{hint}", line))
        else:
            warnings.append(f"{name!r}{hint}")
    if not {"name", "profile"} & set(seen):
        problems.append(Problem(str(path), f"{where}header", "needs a 'name' (or 'profile') column", line))
    if problems:
        raise InputError(problems)
    said = []
    if warnings:
        said.append(
            f"{path}: {'column' if len(warnings) == 1 else 'columns'} ignored (not guidebook's; "
            f"`guidebook schema bookings` lists them, --strict-columns refuses them): " + ", ".join(warnings)
        )
    return Header(columns, said)


def _row(record: Record, header: Header, sheet: str | None) -> Row:
    cells = {}
    for column, value in zip(header.columns, record.cells, strict=False):
        value = value.strip()
        if column is not None and value:
            cells[column] = value
    problems = list(record.problems)
    if len(record.cells) > len(header.columns) and any(
        c.strip() for c in record.cells[len(header.columns) :]
    ):
        problems.append(
            "has more cells than the header has columns: a comma inside a cell? put that cell in "
            'quotes ("..."), and separate treatments with ;'
        )
    booking_id = cells.get("booking_id", f"line-{record.line}" if sheet is None else f"row-{record.line}")
    return Row(record.line, booking_id[:MAX_ID], cells, problems, sheet)


def row_problem(path: Path, row: Row, column: str, message: str, value: str | None = None) -> Problem:
    """A problem of one cell; a message that starts with the cell itself ("'30/02/2026': February
    has no 30th") drops it, as the problem shows the cell anyway ("(given: '30/02/2026')")."""
    if value is not None and message.startswith(repr(value)):
        message = message[len(repr(value)) :].lstrip(": ")
    return Problem(str(path), row.at(column), message, row.line, value)


def profile_from_row(
    path: Path,
    row: Row,
    catalogue: Catalogue,
    clinics: ClinicsFile | None,
    *,
    language: str | None = None,
    lang_fallback: bool = False,
    warnings: list[str] | None = None,
    fmt: BookingsFormat | None = None,
) -> tuple[Profile, Path | None]:
    """A validated profile for one row, and the YAML profile it was based on (if any)."""
    fmt = fmt or BookingsFormat()
    problems = [row_problem(path, row, "-", message) for message in row.problems]
    if problems:
        raise InputError(problems)
    base: dict[str, Any] = {}
    base_path = None
    if "profile" in row.cells:
        try:
            base_path = confined(path.parent, row.cells["profile"], what="a profile")
            loaded = plain(read_yaml(base_path))
            base = loaded if isinstance(loaded, dict) else {}
        except InputError as exc:
            problems += [
                row_problem(path, row, "profile", p.message, row.cells["profile"]) for p in exc.problems
            ]
    if problems:
        raise InputError(problems)
    data = _merge(base, _profile_dict(path, row, problems, catalogue, clinics, fmt, base))
    if problems:  # cells that cannot be read: with every unknown treatment, all at once
        raise InputError(_unique(problems + _unknown_treatments(path, row, data, catalogue)))
    try:
        profile = Profile.model_validate(data)
    except PydanticError as exc:
        problems = [_locate(path, row, err) for err in exc.errors(include_url=False)]
        raise InputError(_unique(problems + _unknown_treatments(path, row, data, catalogue))) from None
    try:
        checked = check_profile(
            profile,
            catalogue,
            clinics,
            file=f"{path}, {row.place()}",
            language=language,
            lang_fallback=lang_fallback,
            warnings=warnings,
        )
        return checked, base_path
    except InputError as exc:
        raise InputError(
            _unique(
                [
                    Problem(str(path), row.at(_column_of(p.location)), p.message, row.line, p.value)
                    for p in exc.problems
                ]
            )
        ) from None


def _unknown_treatments(path: Path, row: Row, data: dict[str, Any], catalogue: Catalogue) -> list[Problem]:
    problems = []
    for entry in data.get("treatments") or []:
        name = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(name, str) and catalogue.resolve(name) is None:
            guess = catalogue.suggest(name)
            hint = f"; did you mean {guess!r}?" if guess else ""
            problems.append(row_problem(path, row, "treatments", f"unknown treatment{hint}", name))
    return problems


def _unique(problems: list[Problem]) -> list[Problem]:
    """One problem once: the same message at the same place (a clinic for each treatment) is one."""
    return list(dict.fromkeys(problems))


def _column_of(location: str) -> str:
    if location.endswith(".clinic"):
        return "clinic"
    return "language" if location == "traveler.language" else "treatments"


def _put(data: dict[str, Any], where: tuple[str, ...], value: Any) -> None:
    node = data
    for key in where[:-1]:
        node = node.setdefault(key, {})
    node[where[-1]] = value


def _profile_dict(
    path: Path,
    row: Row,
    problems: list[Problem],
    catalogue: Catalogue,
    clinics: ClinicsFile | None,
    fmt: BookingsFormat,
    base: dict[str, Any],
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column, value in row.cells.items():
        spec = SPECS[column]
        try:
            if spec.kind in {"text", "list", "bool", "blood", "phone"} and spec.where:
                _put(data, spec.where, _simple(spec.kind, value))
        except CellError as exc:
            problems.append(row_problem(path, row, column, exc.message, value))
    for key in ("arrival", "departure"):
        if key in row.cells or f"{key}_time" in row.cells:
            _when(path, row, key, fmt, data, problems)
    home = row.cells.get("home_currency") or (base.get("traveler") or {}).get("home_currency")
    if "budget" in row.cells:
        try:
            amount, currency = parse_money(row.cells["budget"], home if isinstance(home, str) else None)
            data["budget"] = {"currency": currency, "max": amount}
        except CellError as exc:
            problems.append(row_problem(path, row, "budget", exc.message, row.cells["budget"]))
    if "exchange_rate" in row.cells or "exchange_rate_date" in row.cells:
        _rate(path, row, fmt, data, problems)
    clinic = _clinic(path, row, clinics, problems) if "clinic" in row.cells else None
    if "treatments" in row.cells:
        data["treatments"] = _treatments(path, row, problems, catalogue, clinics, clinic)
    return data


def _simple(kind: str, value: str) -> Any:
    if kind == "list":
        return split_list(value)
    if kind == "bool":
        return parse_bool(value)
    if kind == "blood":
        text = normal(value).upper().replace(" ", "").replace("RH", "").replace("0", "O")
        return text.replace("POSITIVE", "+").replace("NEGATIVE", "-")
    if kind == "phone" and re.fullmatch(r"[\d.]+E\+?\d+", normal(value), flags=re.IGNORECASE):
        raise CellError(
            "the spreadsheet turned this phone number into a number; format the column as Text "
            "and type the number again (e.g. +82 10 1234 5678)"
        )
    return value


def _when(
    path: Path, row: Row, key: str, fmt: BookingsFormat, data: dict[str, Any], problems: list[Problem]
) -> None:
    """Arrival or departure: the date (and time) of its column, the time of its _time column if the
    sheet has one; a date without a time is an error, unless the time is to be confirmed (TBC in
    the cell, or `fmt.time_tbc`): then the date alone, and the guide prints "time to be confirmed"."""
    cell, time_cell = row.cells.get(key), row.cells.get(f"{key}_time")
    if cell is None:
        problems.append(row_problem(path, row, key, f"is empty, but {key}_time is given: the date goes here"))
        return
    text, to_confirm = cell, False
    date_part, _, last = normal(cell).rstrip(",").rpartition(" ")
    if date_part and is_to_confirm(last):  # "13/10/2026 TBC"
        text, to_confirm = date_part.rstrip(" ,"), True
    try:
        when = parse_when(text, fmt.date_format)
    except CellError as exc:
        problems.append(row_problem(path, row, key, exc.message, cell))
        return
    clock = when.time
    if time_cell is not None:
        try:
            given = parse_time(time_cell)
        except CellError as exc:
            problems.append(row_problem(path, row, f"{key}_time", exc.message, time_cell))
            return
        if given is None:
            to_confirm = True
        elif clock is not None and clock != given:
            problems.append(
                row_problem(
                    path,
                    row,
                    f"{key}_time",
                    f"{key} already has a time ({clock:%H:%M}); keep one of them",
                    time_cell,
                )
            )
            return
        else:
            clock = given
    if to_confirm and clock is not None:
        clock = None
    if clock is None and not to_confirm and not fmt.time_tbc:
        message = (
            f"has a date but no time: the {key} needs a time too, e.g. {_example(cell)} 14:30 (Seoul "
            f"time), or a time in {'an' if key == 'arrival' else 'a'} {key}_time column; if it is not "
            'known yet, write TBC there, or use --time-tbc (the guide then says "time to be confirmed")'
        )
        problems.append(row_problem(path, row, key, message, cell))
        return
    _put(data, ("trip", key), when.day if clock is None else datetime.combine(when.day, clock))
    data["trip"][f"{key}_time_tbc"] = clock is None  # the row wins over a profile file's flag


def _example(cell: str) -> str:
    return normal(cell).split()[0] if normal(cell) else "2026-10-13"


def _rate(path: Path, row: Row, fmt: BookingsFormat, data: dict[str, Any], problems: list[Problem]) -> None:
    cell = row.cells.get("exchange_rate")
    day_cell = row.cells.get("exchange_rate_date")
    if cell is None:
        problems.append(row_problem(path, row, "exchange_rate", "is empty, but exchange_rate_date is given"))
        return
    amount_text, _, day_text = cell.partition("@")
    try:
        amount = parse_number(amount_text)
    except CellError as exc:
        problems.append(row_problem(path, row, "exchange_rate", exc.message, cell))
        return
    day_text = day_text.strip() or (day_cell or "")
    if not day_text:
        problems.append(
            row_problem(
                path,
                row,
                "exchange_rate",
                "needs the day the rate was checked: give it in exchange_rate_date (e.g. 2026-09-01), "
                "or write 1385@2026-09-01",
                cell,
            )
        )
        return
    try:
        as_of: date = parse_date(day_text, fmt.date_format)
    except CellError as exc:
        column = "exchange_rate_date" if day_cell and day_text == day_cell else "exchange_rate"
        problems.append(row_problem(path, row, column, exc.message, day_text))
        return
    data["exchange_rate"] = {"krw_per_unit": amount, "as_of": as_of, "source": "bookings file"}


def _clinic(path: Path, row: Row, clinics: ClinicsFile | None, problems: list[Problem]) -> str | None:
    """The booked clinic's id (a clinic's name is understood too); an unknown clinic is one
    problem, however many treatments the row has."""
    given = row.cells["clinic"]
    if clinics is None:
        return given
    for clinic in clinics.clinics:
        if given in (clinic.id, clinic.name, clinic.name_ko) or given.casefold() in (
            clinic.id,
            clinic.name.casefold(),
        ):
            return clinic.id
    ids = sorted(c.id for c in clinics.clinics)
    guess = difflib.get_close_matches(given.lower(), ids, n=1, cutoff=0.6)
    hint = f"did you mean {guess[0]!r}?" if guess else f"known: {', '.join(ids) or 'none'}"
    problems.append(
        row_problem(path, row, "clinic", f"no clinic with this id in the clinics file; {hint}", given)
    )
    return None


def _treatments(
    path: Path,
    row: Row,
    problems: list[Problem],
    catalogue: Catalogue,
    clinics: ClinicsFile | None,
    clinic: str | None,
) -> list[dict[str, Any]]:
    cell = row.cells["treatments"]
    if "," in cell and ";" not in cell:
        fixed = "; ".join(part.strip() for part in cell.split(",") if part.strip())
        problems.append(
            row_problem(path, row, "treatments", f"separate treatments with ; (write: {fixed})", cell)
        )
        return []
    entries = []
    for item in split_list(cell):
        name, _, count = item.partition(":")
        entry: dict[str, Any] = {"id": name.strip()}
        if count.strip():
            if not count.strip().isdigit():
                problems.append(
                    row_problem(path, row, "treatments", "sessions after ':' must be a whole number", item)
                )
                continue
            entry["sessions"] = int(count)
        if clinic is not None and _offers(clinics, clinic, catalogue, name):
            entry["clinic"] = clinic
        entries.append(entry)
    return entries


def _offers(clinics: ClinicsFile | None, clinic_id: str, catalogue: Catalogue, name: str) -> bool:
    """The booking's clinic takes the treatments it offers; others go to a partner that does."""
    clinic = next((c for c in clinics.clinics if c.id == clinic_id), None) if clinics else None
    treatment = catalogue.resolve(name.strip())
    if clinic is None or treatment is None or not clinic.treatments:
        return True
    return treatment.id in clinic.treatments


def _merge(base: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """The row wins where both give a value; nested mappings merge."""
    out = dict(base)
    for key, value in row.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _locate(path: Path, row: Row, err: Any) -> Problem:
    loc = [k for k in err["loc"] if not (isinstance(k, str) and "[" in k)]
    column = next((c for c, where in FIELD_OF.items() if tuple(loc[: len(where)]) == where), None)
    if column is None and tuple(loc[:2]) in {("budget", "max"), ("budget", "currency"), ("budget",)}:
        column = "budget"
    if column is None and loc and loc[0] == "exchange_rate":
        column = "exchange_rate"
    if column is None and err["type"] == "missing":
        # a whole section is missing: name the required column that would start it
        column = {
            ("traveler",): "name",
            ("trip",): "arrival",
            ("trip", "hotel"): "hotel_name",
            ("treatments",): "treatments",
        }.get(tuple(loc))
    if column is None and loc and loc[0] == "treatments":
        column = "treatments"
    if column is None:
        column = "profile" if "profile" in row.cells else ".".join(map(str, loc)) or "-"
    value = row.cells.get(column)
    message = explain(err, Profile, loc)
    if column not in row.cells and column in COLUMNS and err["type"] == "missing":
        message = "is required but empty"
    elif column == "trip":
        column = "arrival/departure"
    return Problem(str(path), row.at(column), message, row.line, value)
