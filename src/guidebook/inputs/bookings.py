"""Booking CSV rows -> validated profiles, one row at a time (the file is streamed)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError as PydanticError

from ..errors import InputError, Problem
from .catalogue import Catalogue
from .files import confined
from .load import check_profile
from .models import ClinicsFile, Profile
from .table import Record, Table
from .yaml import explain, plain, read_yaml

COLUMNS = (
    "booking_id",
    "name",
    "language",
    "home_currency",
    "arrival",
    "departure",
    "hotel_name",
    "hotel_address",
    "hotel_address_ko",
    "treatments",
    "clinic",
    "allergies",
    "emergency_contact_name",
    "emergency_contact_phone",
    "profile",
)
# Where each column lands in a profile, and back: to name the column of a validation problem.
FIELD_OF = {
    "name": ("traveler", "name"),
    "language": ("traveler", "language"),
    "home_currency": ("traveler", "home_currency"),
    "arrival": ("trip", "arrival"),
    "departure": ("trip", "departure"),
    "hotel_name": ("trip", "hotel", "name"),
    "hotel_address": ("trip", "hotel", "address"),
    "hotel_address_ko": ("trip", "hotel", "address_ko"),
    "allergies": ("traveler", "medical", "allergies"),
    "emergency_contact_name": ("traveler", "emergency_contact", "name"),
    "emergency_contact_phone": ("traveler", "emergency_contact", "phone"),
}
MAX_ID = 200  # characters of a booking id kept for the report


@dataclass
class Row:
    """One record: its first line, its booking id, its cells (empty cells dropped) and what is
    wrong with its structure (a quote never closed, a cell too long, a repeated header)."""

    line: int
    booking_id: str
    cells: dict[str, str]
    problems: list[str] = field(default_factory=list)


def open_rows(path: Path, *, delimiter: str | None = None) -> Iterator[Row]:
    """Stream the rows of a bookings CSV (UTF-8 with or without BOM, CRLF or LF, , or ;); a row
    whose structure is broken comes with its problems, and never hides the rows after it."""
    with Table(path, delimiter=delimiter) as table:
        header = table.header
        check_header(path, header)
        for record in table.records():
            if not any(cell.strip() for cell in record.cells) and not record.problems:
                continue
            if [c.strip() for c in record.cells] == header:
                record.problems.append("repeats the header row (two exports pasted together?)")
            yield _row(record, header)


def count_rows(path: Path, *, delimiter: str | None = None) -> int:
    """The number of records (for progress), reading the file once without keeping it."""
    return sum(1 for _ in open_rows(path, delimiter=delimiter))


def check_header(path: Path, header: list[str]) -> None:
    problems = []
    for name in sorted({n for n in header if header.count(n) > 1 and n}):
        problems.append(Problem(str(path), f"column {name!r}", "is in the header twice", 1))
    for name in header:
        if name not in COLUMNS:
            guess = difflib.get_close_matches(name, COLUMNS, n=1, cutoff=0.6)
            hint = f"; did you mean {guess[0]!r}?" if guess else f"; known: {', '.join(COLUMNS)}"
            problems.append(Problem(str(path), f"column {name!r}", f"unknown column{hint}", 1))
    if not {"name", "profile"} & set(header):
        problems.append(Problem(str(path), "header", "needs a 'name' (or 'profile') column", 1))
    if problems:
        raise InputError(problems)


def _row(record: Record, header: list[str]) -> Row:
    cells = {}
    for name, value in zip(header, record.cells, strict=False):
        value = value.strip()
        if value:
            cells[name] = value
    problems = list(record.problems)
    if len(record.cells) > len(header):
        problems.append("has more cells than the header has columns")
    booking_id = cells.get("booking_id", f"line-{record.line}")
    return Row(record.line, booking_id[:MAX_ID], cells, problems)


def row_problem(path: Path, row: Row, column: str, message: str, value: str | None = None) -> Problem:
    return Problem(str(path), f"row {row.line}, column {column}", message, row.line, value)


def profile_from_row(
    path: Path,
    row: Row,
    catalogue: Catalogue,
    clinics: ClinicsFile | None,
    *,
    language: str | None = None,
    lang_fallback: bool = False,
    warnings: list[str] | None = None,
) -> tuple[Profile, Path | None]:
    """A validated profile for one row, and the YAML profile it was based on (if any)."""
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
    data = _merge(base, _profile_dict(path, row, problems, catalogue, clinics))
    if problems:
        raise InputError(problems)
    try:
        profile = Profile.model_validate(data)
    except PydanticError as exc:
        problems = [_locate(path, row, err) for err in exc.errors(include_url=False)]
        for entry in data.get("treatments") or []:
            name = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(name, str) and catalogue.resolve(name) is None:
                guess = catalogue.suggest(name)
                hint = f"; did you mean {guess!r}?" if guess else ""
                problems.append(row_problem(path, row, "treatments", f"unknown treatment{hint}", name))
        raise InputError(problems) from None
    try:
        checked = check_profile(
            profile,
            catalogue,
            clinics,
            file=f"{path}, row {row.line}",
            language=language,
            lang_fallback=lang_fallback,
            warnings=warnings,
        )
        return checked, base_path
    except InputError as exc:
        raise InputError(
            [
                Problem(
                    str(path),
                    f"row {row.line}, column {_column_of(p.location)}",
                    p.message,
                    row.line,
                    p.value,
                )
                for p in exc.problems
            ]
        ) from None


def _column_of(location: str) -> str:
    if location.endswith(".clinic"):
        return "clinic"
    return "language" if location == "traveler.language" else "treatments"


def _profile_dict(
    path: Path, row: Row, problems: list[Problem], catalogue: Catalogue, clinics: ClinicsFile | None
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column, where in FIELD_OF.items():
        if column in row.cells:
            value: Any = row.cells[column]
            if column == "allergies":
                value = [a.strip() for a in value.split(";") if a.strip()]
            node = data
            for key in where[:-1]:
                node = node.setdefault(key, {})
            node[where[-1]] = value
    if "treatments" in row.cells:
        data["treatments"] = []
        for item in row.cells["treatments"].split(";"):
            if not item.strip():
                continue
            name, _, count = item.partition(":")
            entry: dict[str, Any] = {"id": name.strip()}
            if count.strip():
                if not count.strip().isdigit():
                    problems.append(
                        row_problem(
                            path, row, "treatments", "sessions after ':' must be a whole number", item
                        )
                    )
                    continue
                entry["sessions"] = int(count)
            if "clinic" in row.cells and _offers(clinics, row.cells["clinic"], catalogue, name):
                entry["clinic"] = row.cells["clinic"]
            data["treatments"].append(entry)
    return data


def _offers(clinics: ClinicsFile | None, clinic_id: str, catalogue: Catalogue, name: str) -> bool:
    """The booking's clinic takes the treatments it offers; others go to a partner that does.

    An unknown clinic id is kept, so that it is reported.
    """
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
    return Problem(str(path), f"row {row.line}, column {column}", message, row.line, value)
