"""`guidebook validate`: check input files of any kind, reporting every problem at once."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import InputError, Problem, RenderError
from ..timelimit import time_limit
from .bookings import BookingsFormat, open_rows, profile_from_row
from .catalogue import Catalogue
from .load import load_brand, load_catalogue, load_clinics, load_profile
from .models import ClinicsFile
from .yaml import read_yaml


def detect_kind(path: Path) -> str:
    """profile, clinics or brand, from the file's top-level keys."""
    if path.suffix.lower() in {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods", ".numbers"}:
        return "bookings"
    root = read_yaml(path)
    keys = set(root) if isinstance(root, Mapping) else set()
    if keys & {"traveler", "trip"}:
        return "profile"
    if "clinics" in keys:
        return "clinics"
    if "agency" in keys:
        return "brand"
    raise InputError(
        [
            Problem(
                str(path), "", "not a profile (traveler, trip), clinics (clinics) or brand (agency) file", 1
            )
        ]
    )


def validate_bookings(
    path: Path,
    catalogue: Catalogue,
    clinics: ClinicsFile | None,
    fmt: BookingsFormat | None = None,
    *,
    warnings: list[str] | None = None,
) -> int:
    """Check every row of a bookings file (CSV or .xlsx); the number of rows, or every problem
    found. What is said about the file as a whole (columns ignored) goes to `warnings`."""
    problems: list[Problem] = []
    count = 0
    for row in open_rows(path, fmt, warnings=warnings):
        count += 1
        try:
            profile_from_row(path, row, catalogue, clinics, fmt=fmt)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return count


def validate_files(
    files: list[Path],
    *,
    catalogue: Path | None = None,
    timeout: float | None = 120.0,
    bookings: BookingsFormat | None = None,
) -> list[str]:
    """One "ok" line per good file (and a "warning:" line for what a bookings file's header leaves
    out); raises InputError with the problems of all bad ones. `bookings` says how bookings files
    are read (date order, encoding, sheet, columns).

    Each file is checked under the time limit a render has (`timeout` seconds): a hostile file
    cannot keep `validate` busy for ever any more than `build`."""
    cat = load_catalogue(catalogue)
    problems: list[Problem] = []
    lines = []
    clinics = None
    kinds = {}
    for path in files:
        try:
            kinds[path] = detect_kind(path)
        except InputError as exc:
            problems += exc.problems
    # Clinics first, so profiles are checked against them.
    for path in sorted(kinds, key=lambda p: kinds[p] != "clinics"):
        kind = kinds[path]
        notes: list[str] = []
        try:
            with time_limit(timeout, f"checking {path}"):
                kind, clinics = _check(path, kind, cat, clinics, bookings, notes)
            lines.append(f"{path}: ok ({kind})")
            lines += [f"warning: {note}" for note in notes]
        except RenderError as exc:  # the time limit
            problems.append(Problem(str(path), "", str(exc)))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return lines


def _check(
    path: Path,
    kind: str,
    cat: Catalogue,
    clinics: ClinicsFile | None,
    bookings: BookingsFormat | None = None,
    notes: list[str] | None = None,
) -> tuple[str, ClinicsFile | None]:
    """Check one file of a known kind; (what it is, the clinics to check the next files with)."""
    if kind == "clinics":
        return kind, load_clinics(path, cat)
    if kind == "brand":
        load_brand(path)
    elif kind == "profile":
        load_profile(path, cat, clinics)
    else:
        kind = f"bookings, {validate_bookings(path, cat, clinics, bookings, warnings=notes)} rows"
    return kind, clinics
