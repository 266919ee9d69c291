"""How guides are made: one frozen set of options, validated once, shared by build, batch and watch."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

from .errors import OptionsError
from .i18n import UnsupportedLanguage, resolve_language
from .plan.costs import Rate

FORMATS = ("a4", "letter", "a5", "a6")
FORMAT_ALIASES = {"pocket": "a6"}
SHEETS = ("a4", "letter")
MAX_TIMEOUT = 3600.0


@dataclass(frozen=True)
class GuideOptions:
    """The input files every guide shares and every choice about how it is made.

    Validated when made: `page_format` "pocket" becomes "a6", `language` becomes a supported tag,
    and a bad value or combination raises OptionsError.
    """

    clinics: Path | None = None
    brand: Path | None = None
    catalogue: Path | None = None
    page_format: str = "a5"  # a4, letter, a5, a6 (or "pocket" = a6)
    booklet: str | None = None  # sheet size: "a4" or "letter"; None for plain pages
    theme: Path | None = None
    white_label: bool = False
    language: str | None = None  # overrides the traveler's language
    lang_fallback: bool = False  # an unsupported traveler language becomes English, with a warning
    strict: bool = False  # rendering warnings become errors
    closed_dates: tuple[date, ...] = ()
    rate: Rate | None = None  # wins over the profile's exchange rate
    timeout: float | None = 120.0  # seconds a guide may take (None: no limit)
    trim_fonts: bool = True  # use the trimmed CJK faces (fonts.py); False: the system faces
    tagged: bool = True  # a tagged PDF (PDF/UA-1): structure, alt texts, reading order
    archive: bool = False  # PDF/A-3b, for agencies that must keep records
    reminder: bool = False  # the calendar's events alert the day before

    def __post_init__(self) -> None:
        page_format = str(self.page_format).lower()
        page_format = FORMAT_ALIASES.get(page_format, page_format)
        if page_format not in FORMATS:
            raise OptionsError(
                f"unknown page format {self.page_format!r}; use one of {', '.join(FORMATS)} or pocket"
            )
        object.__setattr__(self, "page_format", page_format)
        if self.booklet is not None and self.booklet not in SHEETS:
            raise OptionsError(f"unknown booklet sheet {self.booklet!r}; use a4 or letter")
        if self.booklet and page_format not in {"a5", "a6"}:
            raise OptionsError(
                "a booklet is made from A5 or A6 pages: use --format a5 or a6 (or pocket) with --booklet"
            )
        if self.booklet and self.archive:
            raise OptionsError(
                "--archive keeps the guide's own pages; a booklet is for printing: make them as two files"
            )
        if self.language is not None:
            try:
                object.__setattr__(self, "language", resolve_language(self.language))
            except UnsupportedLanguage as exc:
                raise OptionsError(str(exc)) from None
        if self.timeout is not None and not 0 < self.timeout <= MAX_TIMEOUT:
            raise OptionsError(f"the time limit must be between 0 and {MAX_TIMEOUT:g} seconds")
        object.__setattr__(self, "closed_dates", tuple(sorted(set(self.closed_dates))))
        for name in ("clinics", "brand", "catalogue", "theme"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, Path(value))

    @property
    def input_files(self) -> tuple[Path, ...]:
        """The files given as inputs (never to be overwritten by an output)."""
        return tuple(p for p in (self.clinics, self.brand, self.catalogue) if p is not None)

    def fingerprint(self) -> str:
        """Every option that changes a guide's bytes, as text (the time limit does not)."""
        return "|".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.name != "timeout")


def check_outputs(outputs: Mapping[str, Path | None], *, inputs: Iterable[Path] = ()) -> None:
    """Refuse, before any work, outputs that are folders, that name an input file, or that name
    each other (OptionsError, a usage error); and outputs whose folder cannot be written
    (OutputError)."""
    from .errors import OutputError

    given = {flag: Path(path) for flag, path in outputs.items() if path is not None}
    seen: dict[str, str] = {}
    for flag, path in given.items():
        if path.is_dir():
            raise OptionsError(f"{flag} {path}: is a folder; give a file name, e.g. {path / 'guide.pdf'}")
        key = _identity(path)
        if key in seen:
            raise OptionsError(f"{flag} and {seen[key]} name the same file ({path})")
        seen[key] = flag
        for source in inputs:
            if _identity(Path(source)) == key:
                raise OptionsError(f"{flag} {path}: is an input file; it would be overwritten")
        folder = _existing_parent(path)
        if folder is not None and not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(f"{path}: cannot write in {folder} (permission denied)")


def _identity(path: Path) -> str:
    """One name per file: symbolic links and `..` resolved, so two spellings compare equal."""
    return os.path.normcase(os.path.realpath(path))


def _existing_parent(path: Path) -> Path | None:
    """The nearest folder above `path` that exists (where the output's folders would be made)."""
    for folder in Path(os.path.abspath(path)).parents:
        if folder.is_dir():
            return folder
    return None
