"""`guidebook batch`: a CSV of bookings to a folder of guides, in parallel, resumable.

The parent streams the CSV, validates each row (cheap) and hands valid ones to a pool of
workers, forked from the parent once it has warmed a renderer up (WeasyPrint, fonts, fetcher,
Jinja2, CSS, the shared sections' layouts) on the first row; each worker writes its PDF itself,
returning only a small result. Bad rows are reported and never stop the others.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import InputError, OutputError, Problem
from ..guide import Inputs, SharedInputs, load_shared
from ..inputs.bookings import Row, open_rows, profile_from_row
from .filenames import NameAllocator
from .files import Manifest, ReportWriter, clean_partial_files, input_hash, shared_hash, write_zip
from .pool import Done, WorkerPool
from .types import BatchInterrupted, BatchSettings, RowResult, Summary, Task


def run_batch(
    csv_path: Path,
    settings: BatchSettings,
    *,
    on_result: Callable[[RowResult, Summary], None] | None = None,
) -> Summary:
    """Build one guide per valid row of `csv_path` into `settings.out_dir`."""
    shared = load_shared(settings.guide)
    names = NameAllocator(settings.name)
    out_dir = settings.out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot make the output folder ({exc.strerror})") from None
    clean_partial_files(out_dir, reports=True)
    manifest = Manifest(out_dir / ".guidebook-manifest.jsonl", load=settings.resume)
    common = shared_hash(settings, shared)
    report_path = settings.report_path
    summary = Summary(report=report_path)
    started = time.perf_counter()
    produced: list[Path] = []
    runner = WorkerPool(settings, shared)

    with ReportWriter(report_path, settings.report_format) as report:

        def record(result: RowResult) -> None:
            report.write(result)
            setattr(summary, result.status, getattr(summary, result.status) + 1)
            if result.output and result.status in {"ok", "skipped"}:
                produced.append(out_dir / result.output)
            if on_result:
                on_result(result, summary)

        rows = open_rows(csv_path, delimiter=settings.delimiter)
        try:
            for row in rows:
                if settings.fail_fast and summary.failed:
                    record(
                        RowResult(
                            row.line,
                            row.booking_id,
                            "skipped",
                            None,
                            "not run: --fail-fast stopped the batch",
                        )
                    )
                    continue
                task = _prepare(csv_path, row, shared, names, common, manifest, settings)
                if isinstance(task, RowResult):
                    record(task)
                    continue
                for done in runner.submit(task):
                    _finish(done, manifest, record)
            for done in runner.drain():
                _finish(done, manifest, record)
        except KeyboardInterrupt:
            for done in runner.abort():
                _finish(done, manifest, record)
            clean_partial_files(out_dir)
            for row in _rest(rows):
                record(RowResult(row.line, row.booking_id, "skipped", None, "not run: interrupted"))
            summary.interrupted = True
        finally:
            runner.close()
            manifest.close()
    if settings.zip_path and not summary.interrupted:
        summary.zip_path = write_zip(settings.zip_path, produced, report_path)
    summary.seconds = time.perf_counter() - started
    if summary.interrupted:
        raise BatchInterrupted(summary)
    return summary


def _rest(rows: Iterator[Row]) -> list[Row]:
    """The rows not reached, for the report of an interrupted batch."""
    rest: list[Row] = []
    with contextlib.suppress(InputError, KeyboardInterrupt):
        rest.extend(rows)
    return rest


def _prepare(
    csv_path: Path,
    row: Row,
    shared: SharedInputs,
    names: NameAllocator,
    common: str,
    manifest: Manifest,
    settings: BatchSettings,
) -> Task | RowResult:
    """A task for a valid row, or the result of a row that needs no rendering."""
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
    output = names.allocate(fields, fallback=f"guide-{row.line}")
    path = settings.out_dir / output
    digest = input_hash(common, row, base, output)
    if settings.resume and path.exists() and manifest.get(output) == digest:
        return RowResult(row.line, row.booking_id, "skipped", output, "unchanged since the last run")
    inputs = Inputs(profile, shared, tuple(notes))
    return Task(row.line, row.booking_id, output, str(path), digest, inputs)


def _short(problem: Problem) -> str:
    """A problem without the file and row, which the report's columns already give."""
    given = f" (given: {problem.value!r})" if problem.value else ""
    return f"{problem.location.split(', ', 1)[-1]}: {problem.message}{given}"


def _finish(done: Done, manifest: Manifest, record: Callable[[RowResult], None]) -> None:
    task, result = done
    if result.status == "ok":
        manifest.add(task.output, task.digest)
    record(result)
