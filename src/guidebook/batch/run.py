"""`guidebook batch`: a CSV of bookings to a folder of guides, in parallel, resumable.

The parent streams the CSV, validates each row (cheap) and hands valid ones to a pool of
workers, forked from the parent once it has warmed a renderer up (WeasyPrint, fonts, fetcher,
Jinja2, CSS, the shared sections' layouts) on the first row; each worker writes its PDF itself,
returning only a small result. Bad rows are reported and never stop the others.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import InputError, OptionsError, OutputError, Problem, RenderError
from ..guide import Inputs, SharedInputs, load_shared
from ..inputs.bookings import Row, open_rows, profile_from_row
from ..options import check_outputs
from ..timelimit import time_limit
from .filenames import NameAllocator
from .files import BatchLock, Manifest, clean_partial_files, input_hash, shared_hash, write_zip
from .pool import Done, WorkerPool
from .report import ReportWriter
from .types import PROFILE_REFUSED, BatchInterrupted, BatchSettings, RowResult, Summary, Task


def run_batch(
    csv_path: Path,
    settings: BatchSettings,
    *,
    on_result: Callable[[RowResult, Summary], None] | None = None,
) -> Summary:
    """Build one guide per valid row of `csv_path` into `settings.out_dir`.

    Raises OptionsError (before any work) for outputs that would overwrite an input or each
    other, OutputError for a folder that cannot be written or is in use by another batch, and
    BatchInterrupted (with the summary) after Ctrl-C or SIGTERM.
    """
    inputs = check_batch(csv_path, settings)
    shared = load_shared(settings.guide)
    out_dir = settings.out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot make the output folder ({exc.strerror})") from None
    lock = BatchLock(out_dir)
    try:
        clean_partial_files(out_dir, scratch=True)
        batch = _Batch(csv_path, settings, shared, inputs, on_result)
        summary = batch.run()
    finally:
        lock.release()
    if settings.zip_path and not summary.interrupted:
        summary.zip_path = write_zip(settings.zip_path, batch.produced, settings.report_path)
    if summary.interrupted:
        raise BatchInterrupted(summary)
    return summary


class _Batch:
    """One run: rows read, checked and handed to the pool; results reported in CSV order."""

    def __init__(
        self,
        csv_path: Path,
        settings: BatchSettings,
        shared: SharedInputs,
        inputs: list[Path],
        on_result: Callable[[RowResult, Summary], None] | None,
    ):
        out_dir = settings.out_dir
        self.csv_path, self.settings, self.shared, self.on_result = csv_path, settings, shared, on_result
        self.names = NameAllocator(
            settings.name, reserved=[p.name for p in inputs if _same_folder(p, out_dir)]
        )
        self.common = shared_hash(settings, shared)
        self.summary = Summary(report=settings.report_path)
        self.produced: list[Path] = []
        self.index = 0
        self.open: dict[int, Row] = {}  # rows taken from the CSV whose result is not recorded yet
        self.tasks: dict[int, Task | RowResult] = {}  # what the open rows became
        self.started = time.time()

    def run(self) -> Summary:
        settings = self.settings
        started = time.perf_counter()
        manifest = Manifest(settings.out_dir / ".guidebook-manifest.jsonl", load=settings.resume)
        pool = WorkerPool(settings, self.shared)
        with ReportWriter(settings.report_path, settings.report_format) as self.report:
            rows = open_rows(self.csv_path, settings.bookings, warnings=self.summary.warnings)
            try:
                for row in rows:
                    index = self.take(row)
                    if settings.fail_fast and self.summary.failed:
                        self.record(index, _not_run(row, "--fail-fast stopped the batch"))
                        continue
                    task = self.prepare(row, index, manifest)
                    self.tasks[index] = task
                    if isinstance(task, RowResult):
                        self.record(index, task)
                        continue
                    self.finish(pool.submit(task), manifest)
                self.finish(pool.drain(), manifest)
            except KeyboardInterrupt:
                self.finish(pool.abort(), manifest)
                clean_partial_files(settings.out_dir)
                for index, row in sorted(self.open.items()):  # taken, but no result recorded yet
                    self.record(index, self.written(index) or _not_run(row, "interrupted"))
                for row in _rest(rows):
                    self.record(self.take(row), _not_run(row, "interrupted"))
                self.summary.interrupted = True
            finally:
                self.summary.worker_restarts = pool.restarts
                pool.close()
                manifest.close()
        self.summary.seconds = time.perf_counter() - started
        return self.summary

    def finish(self, done: list[Done], manifest: Manifest) -> None:
        for task, result in done:
            if result.status in {"ok", "warning"}:
                manifest.add(task.output, task.digest)
            self.record(task.index, result)

    def written(self, index: int) -> RowResult | None:
        """The result of a row whose guide was written before an interrupt reached the report."""
        task = self.tasks.get(index)
        if isinstance(task, Task):
            path = Path(task.path)
            if path.exists() and path.stat().st_mtime >= self.started:
                return RowResult(
                    task.line, task.booking_id, "ok", task.output, "written as the batch was interrupted"
                )
        return None

    def take(self, row: Row) -> int:
        """The row's place in the CSV; it is open until its result is recorded."""
        index, self.index = self.index, self.index + 1
        self.open[index] = row
        return index

    def record(self, index: int, result: RowResult) -> None:
        self.open.pop(index, None)
        self.tasks.pop(index, None)
        self.report.add(index, result)
        summary = self.summary
        setattr(summary, result.status, getattr(summary, result.status) + 1)
        if result.output and result.status in {"ok", "warning", "skipped"}:
            self.produced.append(self.settings.out_dir / result.output)
            if self.settings.ics:
                self.produced.append(self.settings.out_dir / calendar_name(result.output))
        if self.on_result:
            self.on_result(result, summary)

    def prepare(self, row: Row, index: int, manifest: Manifest) -> Task | RowResult:
        """A task for a valid row, or the result of a row that needs no rendering. Checked under
        the batch's time limit, as a worker's render is."""
        try:
            with time_limit(self.settings.guide.timeout, f"checking row {row.line}"):
                return self._prepare(row, index, manifest)
        except RenderError as exc:
            return RowResult(row.line, row.booking_id, "failed", None, str(exc))

    def _prepare(self, row: Row, index: int, manifest: Manifest) -> Task | RowResult:
        csv_path, shared, settings = self.csv_path, self.shared, self.settings
        if not settings.profiles and "profile" in row.cells:
            message = f"profile: {PROFILE_REFUSED} (given: {row.cells['profile']!r})"
            return RowResult(row.line, row.booking_id, "failed", None, message)
        notes: list[str] = []
        try:
            profile, base = profile_from_row(
                csv_path,
                row,
                shared.catalogue,
                shared.clinics,
                language=settings.guide.language,
                lang_fallback=settings.guide.lang_fallback,
                warnings=notes,
                fmt=settings.bookings,
            )
        except InputError as exc:
            message = "; ".join(_short(p) for p in exc.problems)
            return RowResult(row.line, row.booking_id, "failed", None, message)
        fields = {
            "booking_id": row.booking_id,
            "name": profile.traveler.name,
            "line": row.line,
            "arrival": profile.trip.arrival.date(),
            "departure": profile.trip.departure.date(),
        }
        output = self.names.allocate(fields, fallback=f"guide-{row.line}")
        path = settings.out_dir / output
        digest = input_hash(self.common, row, base, output)
        ics_path = settings.out_dir / calendar_name(output) if settings.ics else None
        done = path.exists() and (ics_path is None or ics_path.exists())
        if settings.resume and done and manifest.get(output) == digest:
            return RowResult(row.line, row.booking_id, "skipped", output, "unchanged since the last run")
        inputs = Inputs(profile, shared, tuple(notes), key=row.cells.get("booking_id"))
        calendar = str(ics_path) if ics_path else None
        return Task(index, row.line, row.booking_id, output, str(path), digest, inputs, calendar)


def calendar_name(output: str) -> str:
    """The calendar written beside a guide: its name with .ics."""
    return str(Path(output).with_suffix(".ics"))


def _not_run(row: Row, why: str) -> RowResult:
    return RowResult(row.line, row.booking_id, "skipped", None, f"not run: {why}")


def check_batch(csv_path: Path, settings: BatchSettings) -> list[Path]:
    """Refuse, before any work, outputs that would overwrite an input or each other, and an output
    folder that is a file (OptionsError, a usage error). The input files, for the caller."""
    inputs = [Path(csv_path), *settings.guide.input_files]
    check_outputs({"--report": settings.report_path, "--zip": settings.zip_path}, inputs=inputs)
    if settings.out_dir.is_file():
        raise OptionsError(f"-o {settings.out_dir}: is a file; give a folder for the guides")
    return inputs


def _same_folder(path: Path, folder: Path) -> bool:
    return os.path.realpath(path.parent) == os.path.realpath(folder)


def _rest(rows: Iterator[Row]) -> list[Row]:
    """The rows not reached, for the report of an interrupted batch."""
    rest: list[Row] = []
    with contextlib.suppress(InputError, KeyboardInterrupt):
        rest.extend(rows)
    return rest


def _short(problem: Problem) -> str:
    """A problem without the file and row, which the report's columns already give."""
    given = f" (given: {problem.value!r})" if problem.value else ""
    return f"{re.sub(r'^(sheet .*?, )?row [0-9]+, ', '', problem.location)}: {problem.message}{given}"
