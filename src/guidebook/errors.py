"""Errors guidebook raises; the CLI turns them into one clear message and exit status 1."""

from __future__ import annotations

from dataclasses import dataclass


class GuidebookError(Exception):
    """Base class of every error guidebook reports to a user."""


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is, what was given and what is wrong."""

    file: str
    location: str  # field path such as "trip.arrival", or "row 4, column arrival"
    message: str
    line: int | None = None  # 1-based line in YAML, or CSV line number
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        text = f"{where}: {self.location}: {self.message}" if self.location else f"{where}: {self.message}"
        if self.value is not None:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
            text += f" (given: {shown!r})"
        return text


class InputError(GuidebookError):
    """Every problem found in one or more input files, reported together."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.format())

    def format(self) -> str:
        lines = [str(p) for p in self.problems]
        n = len(self.problems)
        lines.append(f"Aborted with {n} input error{'s' if n != 1 else ''}.")
        return "\n".join(lines)


class RenderError(GuidebookError):
    """A template or PDF could not be produced."""


class OutputError(GuidebookError):
    """An output file could not be written."""


class OptionsError(GuidebookError):
    """A bad option or combination of options: a usage error (exit status 2), found before any work."""
