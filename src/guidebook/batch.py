"""`guidebook batch`: a CSV of bookings to a folder of guides, in parallel, resumable.

The parent streams the CSV, validates each row (cheap) and hands valid ones to a pool of
workers, forked from the parent once it has warmed a renderer up (WeasyPrint, fonts, fetcher,
Jinja2, CSS, the shared sections' layouts) on the first row; each worker writes its PDF itself,
returning only a small result. Bad rows are reported and never stop the others.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .batchio import Manifest, ReportWriter, clean_partial_files, input_hash, shared_hash, write_zip
from .bookings import Row, open_rows, profile_from_row
from .build import Inputs, load_inputs_shared
from .costs import Rate
from .errors import InputError, OutputError, Problem
from .limits import Timeout
from .names import NameAllocator

DEFAULT_NAME = "{booking_id}-{name}"


@dataclass(frozen=True)
class BatchSettings:
    out_dir: Path
    clinics: Path | None = None
    brand: Path | None = None
    catalogue: Path | None = None
    jobs: int = 0  # 0: one worker per core
    name: str = DEFAULT_NAME
    report: Path | None = None  # default: OUT_DIR/report.csv (or .json)
    report_format: str = "csv"
    resume: bool = False
    fail_fast: bool = False
    zip_path: Path | None = None
    delimiter: str | None = None
    closed_dates: tuple[date, ...] = ()
    rate: Rate | None = None
    page_format: str = "a5"
    timeout: float = 120.0  # seconds a row may take
    strict: bool = False
    theme: Path | None = None
    white_label: bool = False
    booklet: str | None = None
    language: str | None = None  # overrides each row's language
    lang_fallback: bool = False


@dataclass
class RowResult:
    line: int
    booking_id: str
    status: str  # ok | failed | skipped
    output: str | None = None
    message: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    worker: dict[str, float] = field(default_factory=dict)  # pid, memory, reuse counts (benchmark)


@dataclass
class Summary:
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    interrupted: bool = False
    report: Path | None = None
    zip_path: Path | None = None
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return self.ok + self.failed + self.skipped


class BatchInterrupted(Exception):
    """Ctrl-C: finished guides stay, no partial file is left, the report is written."""

    def __init__(self, summary: Summary):
        self.summary = summary
        super().__init__("interrupted")


def run_batch(
    csv_path: Path,
    settings: BatchSettings,
    *,
    on_result: Callable[[RowResult, Summary], None] | None = None,
) -> Summary:
    """Build one guide per valid row of `csv_path` into `settings.out_dir`."""
    shared = load_inputs_shared(clinics=settings.clinics, brand=settings.brand,
                                catalogue=settings.catalogue)
    names = NameAllocator(settings.name)
    out_dir = settings.out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot make the output folder ({exc.strerror})") from None
    clean_partial_files(out_dir, reports=True)
    manifest = Manifest(out_dir / ".guidebook-manifest.jsonl", load=settings.resume)
    common = shared_hash(settings, shared)
    report_path = settings.report or out_dir / f"report.{settings.report_format}"
    summary = Summary(report=report_path)
    started = time.perf_counter()
    produced: list[Path] = []
    runner = _Runner(settings, shared)

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
                    record(RowResult(row.line, row.booking_id, "skipped", None,
                                     "not run: --fail-fast stopped the batch"))
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


def _rest(rows) -> list[Row]:  # noqa: ANN001 - the row iterator
    """The rows not reached, for the report of an interrupted batch."""
    rest = []
    with contextlib.suppress(InputError, KeyboardInterrupt):
        rest.extend(rows)
    return rest


@dataclass(frozen=True)
class _Task:
    line: int
    booking_id: str
    output: str
    path: str
    digest: str
    inputs: Inputs


def _prepare(csv_path, row, shared, names, common, manifest, settings):  # noqa: ANN001, ANN202
    """A task for a valid row, or the result of a row that needs no rendering."""
    notes: list[str] = []
    try:
        profile, base = profile_from_row(
            csv_path, row, shared.catalogue, shared.clinics,
            lang_fallback=settings.lang_fallback or settings.language is not None, warnings=notes)
    except InputError as exc:
        message = "; ".join(_short(p) for p in exc.problems)
        return RowResult(row.line, row.booking_id, "failed", None, message)
    fields = {"booking_id": row.booking_id, "name": profile.traveler.name, "line": row.line,
              "arrival": profile.trip.arrival.date(), "departure": profile.trip.departure.date()}
    output = names.allocate(fields, fallback=f"guide-{row.line}")
    path = settings.out_dir / output
    digest = input_hash(common, row, base, output)
    if settings.resume and path.exists() and manifest.get(output) == digest:
        return RowResult(row.line, row.booking_id, "skipped", output, "unchanged since the last run")
    if settings.language:
        profile.traveler.language = settings.language
        notes.clear()
    inputs = Inputs(profile, shared.catalogue, shared.clinics, shared.brand, notes)
    return _Task(row.line, row.booking_id, output, str(path), digest, inputs)


def _short(problem: Problem) -> str:
    """A problem without the file and row, which the report's columns already give."""
    given = f" (given: {problem.value!r})" if problem.value else ""
    return f"{problem.location.split(', ', 1)[-1]}: {problem.message}{given}"


def _finish(done: tuple[_Task, RowResult], manifest: Manifest, record) -> None:  # noqa: ANN001
    task, result = done
    if result.status == "ok":
        manifest.add(task.output, task.digest)
    record(result)


WORKER_GUIDES = 100


class _Runner:
    """A pool of long-lived workers with a bounded window of rows in flight."""

    def __init__(self, settings: BatchSettings, shared: Inputs):
        import multiprocessing
        import os

        import weasyprint  # noqa: F401 - imported once, before the workers fork

        from . import batchworker
        from .fonts import REGIONS, trimmed_faces

        for region in REGIONS:  # made (or found) once, before the fork, for every worker
            trimmed_faces(region)

        self.jobs = settings.jobs or os.cpu_count() or 1
        self.window = self.jobs * 2
        self.timeout = settings.timeout
        self.settings, self.shared = settings, shared
        self.context = multiprocessing.get_context("fork")
        # The workers' temporary files (WeasyPrint copies each @font-face font into a folder of
        # its own, 4 MB here) go to one folder of the batch, removed when the pool is closed or
        # terminated: a worker that ends with the pool never runs WeasyPrint's own clean-up.
        # It is in the output folder, so the next run removes what a killed batch left.
        try:
            self.scratch = tempfile.mkdtemp(prefix=".scratch-", dir=settings.out_dir)
        except OSError as exc:
            raise OutputError(f"{settings.out_dir}: cannot write here ({exc.strerror})") from None
        self.pool = None  # started with the first row (_start)
        self.warming: _Task | None = None
        self.worker = batchworker
        self.render = batchworker.render_task
        self.pending: deque = deque()
        self.broken = False
        self.started = time.time()

    def _start(self, task: _Task) -> None:
        """Warm this process up on the first row, then fork the workers from it.

        The renderer, its parsed CSS, fonts and the layouts of the shared sections are made
        here, once, and every worker starts with them (their memory is shared until written): a
        worker's first guide takes a warm guide's time instead of 1.5 s, so a fresh worker every
        WORKER_GUIDES guides costs next to nothing. The warm-up's guide is thrown away (a worker
        renders the row as any other); if it fails, the workers set themselves up.
        """
        self.warming = task
        self.worker.warm_up(self.shared, self.settings, self.scratch, task.inputs)
        self.warming = None
        self.pool = self.context.Pool(
            self.jobs, initializer=self.worker.init_worker,
            initargs=(self.shared, self.settings, self.scratch),
            # A fresh worker every 100 guides: a long-lived one grows (native memory, Pango's
            # or HarfBuzz's caches: about 30 MB over its first 50 guides, then slowly), and
            # forked from the warm parent a fresh one costs a few milliseconds.
            maxtasksperchild=WORKER_GUIDES,
        )

    def submit(self, task: _Task) -> list[tuple[_Task, RowResult]]:
        if self.pool is None:
            self._start(task)
        deadline = time.monotonic() + self.timeout * (self.window // self.jobs + 2) + 10
        self.pending.append((task, self.pool.apply_async(self.render, (task,)), deadline))
        done = []
        while len(self.pending) >= self.window:
            done += self._collect(block=True)
        return done + self._collect(block=False)

    def drain(self) -> list[tuple[_Task, RowResult]]:
        done = []
        while self.pending:
            done += self._collect(block=True)
        return done

    def _collect(self, *, block: bool) -> list[tuple[_Task, RowResult]]:
        done = []
        while self.pending:
            task, result, deadline = self.pending[0]
            if not result.ready():
                if not block:
                    break
                result.wait(min(0.5, max(0.0, deadline - time.monotonic())))
                if not result.ready():
                    if time.monotonic() < deadline:
                        continue
                    self.broken = True
                    self.pending.popleft()
                    done.append((task, RowResult(task.line, task.booking_id, "failed", None,
                                                 "the worker stopped (crash or time limit)")))
                    block = False
                    continue
            self.pending.popleft()
            try:
                done.append((task, result.get()))
            except (Exception, Timeout) as exc:  # noqa: BLE001 - raised in the worker, not here
                done.append((task, RowResult(task.line, task.booking_id, "failed", None,
                                             f"the worker failed: {type(exc).__name__}")))
            block = False
        return done

    def abort(self) -> list[tuple[_Task, RowResult]]:
        """Stop every worker now. Rows whose result came back, or whose guide was written
        before the stop (atomic writes: a file is whole or absent), are done; the others are
        reported as not run."""
        done = [(t, r.get()) for t, r, _ in self.pending if r.ready()]
        flying = [t for t, r, _ in self.pending if not r.ready()]
        if self.warming is not None:  # interrupted while warming up on it
            flying.append(self.warming)
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
        shutil.rmtree(self.scratch, ignore_errors=True)
        for task in flying:
            path = Path(task.path)
            if path.exists() and path.stat().st_mtime >= self.started:
                done.append((task, RowResult(task.line, task.booking_id, "ok", task.output,
                                             "written as the batch was interrupted")))
            else:
                done.append((task, RowResult(task.line, task.booking_id, "skipped", None,
                                             "not run: interrupted")))
        self.pending.clear()
        return done

    def close(self) -> None:
        if self.pool is not None:
            with contextlib.suppress(Exception):
                if self.broken:
                    self.pool.terminate()
                else:
                    self.pool.close()
                self.pool.join()
        self.worker.forget()
        shutil.rmtree(self.scratch, ignore_errors=True)

