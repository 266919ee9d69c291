"""The batch's data: its settings, a row's task and result, and the summary."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import OptionsError
from ..guide import Inputs
from ..inputs.bookings import BookingsFormat
from ..options import GuideOptions
from .filenames import check_template

DEFAULT_NAME = "{booking_id}-{name}"
PROFILE_REFUSED = (
    "names a profile file, which this batch does not read (an uploaded CSV cannot name files "
    "on the server); give the traveler's details in the row's own columns"
)


@dataclass(frozen=True)
class BatchSettings:
    """Where and how a batch writes; `guide` holds the options every guide of it is made with."""

    out_dir: Path
    guide: GuideOptions = field(default_factory=GuideOptions)
    jobs: int = 0  # 0: one worker per core
    name: str = DEFAULT_NAME
    report: Path | None = None  # default: OUT_DIR/report.csv (or .json)
    report_format: str = "csv"
    resume: bool = False
    fail_fast: bool = False
    zip_path: Path | None = None
    delimiter: str | None = None
    # Rows may name a YAML profile in their `profile` cell (a file beside the CSV). False for a
    # CSV from elsewhere (a server's upload): no cell of it becomes a path, and such a row fails.
    profiles: bool = True
    # How the bookings file is read (separator, encoding, sheet, date order, columns, times to
    # confirm); `delimiter` above is kept for callers that give only that.
    bookings: BookingsFormat = field(default_factory=BookingsFormat)
    ics: bool = False  # also write each guide's calendar beside its PDF (NAME.ics)

    def __post_init__(self) -> None:
        check_template(self.name)
        if self.delimiter is not None and self.bookings.delimiter is None:
            object.__setattr__(self, "bookings", replace(self.bookings, delimiter=self.delimiter))
        if self.report_format not in {"csv", "json"}:
            raise OptionsError(f"unknown report format {self.report_format!r}; use csv or json")
        if self.jobs < 0:
            raise OptionsError("--jobs must be 1 or more")

    @property
    def report_path(self) -> Path:
        return self.report or self.out_dir / f"report.{self.report_format}"


@dataclass(frozen=True)
class Task:
    """A valid row, ready for a worker: its inputs and where its guide goes."""

    index: int  # its place among the CSV's rows (0, 1, 2...): the report keeps that order
    line: int
    booking_id: str
    output: str  # the file name in the output folder
    path: str
    digest: str  # the hash of everything the guide is made from (--resume)
    inputs: Inputs
    ics_path: str | None = None  # the calendar beside the PDF, when the batch writes them


@dataclass
class RowResult:
    line: int
    booking_id: str
    status: str  # ok | warning (a guide, but a requested treatment has no session) | failed | skipped
    output: str | None = None
    message: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    worker: dict[str, float] = field(default_factory=dict)  # pid, memory, reuse counts (benchmark)


@dataclass
class Summary:
    ok: int = 0
    warning: int = 0
    failed: int = 0
    skipped: int = 0
    interrupted: bool = False
    report: Path | None = None
    zip_path: Path | None = None
    seconds: float = 0.0
    worker_restarts: int = 0  # workers replaced after they died (not the planned replacements)
    warnings: list[str] = field(default_factory=list)  # about the file as a whole (columns ignored)

    @property
    def total(self) -> int:
        return self.ok + self.warning + self.failed + self.skipped


class BatchInterrupted(Exception):
    """Ctrl-C: finished guides stay, no partial file is left, the report is written."""

    def __init__(self, summary: Summary):
        self.summary = summary
        super().__init__("interrupted")
