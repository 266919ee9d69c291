"""Batches through the server: an uploaded bookings file (CSV or .xlsx) is stored under a name of
the server's own, every row checked as `guidebook validate` checks it, then run by the batch
itself (`run_batch`, with its warm workers) in a process of its own, one batch at a time.

Each row's result is stored in the database as it comes, so progress can be watched (server-sent
events) and nothing finished is lost: a server stopped in the middle of a batch runs it again
when it starts (the batch resumes: guides already made are kept, not made again), and the
report and zip are made from the stored results. Finished batches are removed after the
retention period. A job's folder is DATA/jobs/ID (ID made by the server, 32 hex digits):

    upload/bookings.csv (or .xlsx)   the file as uploaded, alone in its folder
    guides/                          the batch's output folder: one PDF a row
    run-report.csv                   the batch's own report of its last run
    report.csv, guides.zip           every row's result, and the guides with that report
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import re
import shutil
import signal
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from ..batch.files import write_zip
from ..batch.pool import _die_with_parent
from ..batch.report import ReportWriter
from ..batch.run import run_batch
from ..batch.types import PROFILE_REFUSED, BatchInterrupted, BatchSettings, RowResult
from ..errors import GuidebookError, InputError, Problem
from ..guide import SharedInputs
from ..inputs.bookings import open_rows, profile_from_row, row_problem
from ..options import GuideOptions
from .problems import located, renamed
from .store import CheckedRow, Job, JobRow, Store

log = logging.getLogger(__name__)
JOB_ID = re.compile(r"^[0-9a-f]{32}$")
ZIP_MAGIC = b"PK\x03\x04"
CHECK_SECONDS = 120.0  # an upload's rows are checked within this time
DAY = 86400.0
FROM_EARLIER_RUN = "made in an earlier run of this batch"


class JobNotFound(GuidebookError):
    """No job with this id (or not an id at all)."""


def upload_kind(data: bytes) -> str:
    """ "xlsx" (a zip) or "csv" (text) from the file's first bytes; InputError otherwise."""
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError([Problem("upload", "", "is neither a CSV file nor an Excel workbook (.xlsx)")])
    return "csv"


def display_name(name: str | None, kind: str) -> str:
    """The uploaded file's name as shown (never used as a path): its last part, printable, short."""
    shown = re.split(r"[\\/]", name or "")[-1]
    shown = "".join(ch for ch in shown if ch.isprintable()).strip()[:100]
    return shown or f"bookings.{kind}"


def check_upload(
    path: Path, display: str, shared: SharedInputs, *, max_rows: int, seconds: float = CHECK_SECONDS
) -> tuple[list[CheckedRow], list[str]]:
    """Every row of an uploaded file checked as `validate` does (a `profile` cell is refused
    without being read), and the warnings about its header; InputError (located in the file as
    it was named) when the file cannot be read as bookings at all."""
    deadline = time.monotonic() + seconds
    checks: list[CheckedRow] = []
    warnings: list[str] = []
    try:
        for row in open_rows(path, warnings=warnings):
            if len(checks) >= max_rows:
                message = f"has more than {max_rows:,} rows; split it into smaller files"
                raise InputError([Problem(str(path), "", message)])
            if time.monotonic() > deadline:
                message = f"took longer than {seconds:g} s to check; split it into smaller files"
                raise InputError([Problem(str(path), "", message)])
            problems: list[Problem] = []
            if "profile" in row.cells:
                problems = [row_problem(path, row, "profile", PROFILE_REFUSED, row.cells["profile"])]
            else:
                try:
                    profile_from_row(path, row, shared.catalogue, shared.clinics)
                except InputError as exc:
                    problems = exc.problems
            checks.append(
                CheckedRow(
                    row.line,
                    row.booking_id,
                    dict(row.cells),
                    [located(p) for p in renamed(problems, display)],
                )
            )
    except InputError as exc:
        raise InputError(renamed(exc.problems, display)) from None
    return checks, [w.replace(str(path), display) for w in warnings]


def run_job(conn: Connection, path: str, settings: BatchSettings) -> None:
    """A batch in this process (the target of a process of its own): each row's result goes
    down `conn` as it comes, then how the batch ended. SIGTERM stops it as Ctrl-C stops the
    command: finished guides stay."""
    _die_with_parent()
    multiprocessing.current_process().daemon = False  # a daemon, whose batch forks its workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _interrupt)

    def on_result(result: RowResult, summary: object) -> None:
        conn.send(("row", (result.line, result.booking_id, result.status, result.output, result.message)))

    try:
        run_batch(Path(path), settings, on_result=on_result)
        conn.send(("done", ""))
    except BatchInterrupted:
        conn.send(("interrupted", "stopped before every row was made"))
    except InputError as exc:
        conn.send(("problems", exc.problems))
    except GuidebookError as exc:
        conn.send(("error", str(exc)))
    except Exception as exc:  # noqa: BLE001 - said to the server, which records it
        conn.send(("error", f"internal error: {type(exc).__name__}"))


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@dataclass
class Running:
    process: BaseProcess
    conn: Connection


class JobManager:
    """Creates, checks, runs (one at a time), watches and removes the server's batches."""

    def __init__(
        self,
        root: Path,
        store: Store,
        *,
        shared: Callable[[], SharedInputs],
        options: Callable[[], GuideOptions],
        jobs: int = 0,
        max_rows: int = 5000,
        keep_days: float = 30.0,
    ):
        self.root = root
        self.store = store
        self.shared, self.options = shared, options
        self.jobs, self.max_rows, self.keep_days = jobs, max_rows, keep_days
        self.queue: asyncio.Queue[str] = asyncio.Queue()
        self.events: dict[str, asyncio.Event] = {}
        self.running: dict[str, Running] = {}
        self.header_warnings: dict[str, list[str]] = {}

    def folder(self, job_id: str) -> Path:
        """A job's folder; JobNotFound for anything but a job id (never a path from a request)."""
        if not JOB_ID.fullmatch(job_id):
            raise JobNotFound(job_id)
        return self.root / job_id

    def upload_path(self, job: Job) -> Path:
        return self.folder(job.id) / "upload" / f"bookings.{job.kind}"

    def guides(self, job_id: str) -> Path:
        return self.folder(job_id) / "guides"

    async def get(self, job_id: str) -> Job:
        job = await self.store.call(self.store.job, job_id) if JOB_ID.fullmatch(job_id) else None
        if job is None:
            raise JobNotFound(job_id)
        return job

    # -- making one ----------------------------------------------------------------------------

    async def create(self, name: str | None, data: bytes) -> Job:
        """Store an upload and check its rows; InputError (nothing kept) when the file cannot be
        read as bookings at all."""
        kind = upload_kind(data)
        display = display_name(name, kind)
        job_id = uuid.uuid4().hex
        folder = self.folder(job_id)
        path = folder / "upload" / f"bookings.{kind}"
        try:
            await asyncio.to_thread(_write_upload, path, data)
            checks, warnings = await asyncio.to_thread(
                check_upload, path, display, self.shared(), max_rows=self.max_rows
            )
        except BaseException:
            await asyncio.to_thread(shutil.rmtree, folder, True)
            raise
        now = time.time()
        invalid = sum(bool(c.problems) for c in checks)
        message = "; ".join(warnings)
        job = Job(job_id, now, now, display, kind, "checked", len(checks), invalid, message)
        await self.store.call(self.store.add_job, job, checks)
        return await self.get(job_id)

    async def start(self, job_id: str) -> Job:
        """Queue a checked (or stopped) job; it runs when the jobs before it are done."""
        job = await self.get(job_id)
        if job.status in {"queued", "running"}:
            return job
        await self.store.call(self.store.set_status, job_id, "queued", "")
        self.queue.put_nowait(job_id)
        self.notify(job_id)
        return await self.get(job_id)

    async def resume_unfinished(self) -> list[str]:
        """At start: the jobs a stopped server left queued or running run again (resuming)."""
        ids = []
        for job in await self.store.call(self.store.unfinished):
            message = "resumed after the server restarted" if job.status == "running" else ""
            await self.store.call(self.store.set_status, job.id, "queued", message)
            self.queue.put_nowait(job.id)
            ids.append(job.id)
        return ids

    async def stop(self, job_id: str) -> None:
        """Stop a running job (its finished guides stay), or take a queued one off the queue."""
        job = await self.get(job_id)
        running = self.running.get(job_id)
        if running is not None:
            running.process.terminate()
        elif job.status == "queued":
            await self.store.call(self.store.set_status, job_id, "interrupted", "stopped before it started")
            self.notify(job_id)

    async def delete(self, job_id: str) -> None:
        """Remove a job: its records and its folder (a running one is stopped first)."""
        await self.get(job_id)
        running = self.running.get(job_id)
        if running is not None:
            running.process.terminate()
            await asyncio.to_thread(running.process.join, 30)
        await self.store.call(self.store.delete_job, job_id)
        await asyncio.to_thread(shutil.rmtree, self.folder(job_id), True)
        self.notify(job_id)

    async def expire(self, now: float | None = None) -> list[str]:
        """Remove the jobs that ended more than the retention period ago."""
        cutoff = (now or time.time()) - self.keep_days * DAY
        ids = await self.store.call(self.store.expired, cutoff)
        for job_id in ids:
            await self.delete(job_id)
        return ids

    # -- watching ------------------------------------------------------------------------------

    def event(self, job_id: str) -> asyncio.Event:
        """Set at the job's next change (take it before reading the job's state)."""
        return self.events.setdefault(job_id, asyncio.Event())

    def notify(self, job_id: str) -> None:
        event = self.events.pop(job_id, None)
        if event is not None:
            event.set()

    # -- running -------------------------------------------------------------------------------

    async def run_forever(self) -> None:
        """Run the queued jobs, one at a time, until cancelled."""
        while True:
            job_id = await self.queue.get()
            try:
                job = await self.store.call(self.store.job, job_id)
                if job is not None and job.status == "queued":
                    await self.run(job)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - one job's failure must not stop the others
                log.error("batch %s failed: %s", job_id, type(exc).__name__)
                await self.store.call(self.store.set_status, job_id, "failed", "internal error")
                self.notify(job_id)

    async def run(self, job: Job) -> None:
        folder = self.folder(job.id)
        await self.store.call(self.store.set_status, job.id, "running", None)
        self.notify(job.id)
        settings = BatchSettings(
            out_dir=folder / "guides",
            guide=self.options(),
            jobs=self.jobs,
            report=folder / "run-report.csv",
            resume=True,  # a job run again (after a restart) keeps the guides it made
            profiles=False,  # no cell of an upload becomes a path
        )
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe(duplex=False)
        process = context.Process(
            target=run_job,
            args=(child, str(self.upload_path(job)), settings),
            daemon=True,
            name="guidebook-batch",
        )
        await asyncio.to_thread(process.start)
        child.close()
        self.running[job.id] = Running(process, parent)
        messages: asyncio.Queue[tuple[Any, ...]] = asyncio.Queue()
        loop = asyncio.get_running_loop()

        def readable() -> None:
            try:
                while parent.poll():
                    messages.put_nowait(parent.recv())
            except (EOFError, OSError):
                loop.remove_reader(parent.fileno())
                messages.put_nowait(("eof",))

        loop.add_reader(parent.fileno(), readable)
        ending: tuple[Any, ...] | None = None
        try:
            while True:
                message = await messages.get()
                if message[0] == "eof":
                    break
                if message[0] == "row":
                    await self._row(job.id, JobRow(*message[1]))
                else:
                    ending = message
        finally:
            with contextlib.suppress(ValueError, OSError):
                loop.remove_reader(parent.fileno())
            parent.close()
            await asyncio.to_thread(process.join, 30)
            self.running.pop(job.id, None)
        if ending is not None and ending[0] == "problems":  # the file's, shown with its own name
            ending = ("problems", renamed(ending[1], job.upload))
        status, text = self._ending(ending, process.exitcode)
        if status == "done":
            rows = await self.store.call(self.store.rows, job.id)
            await asyncio.to_thread(self._bundle, job.id, rows)
        await self.store.call(self.store.set_status, job.id, status, text)
        self.notify(job.id)

    async def _row(self, job_id: str, row: JobRow) -> None:
        keep = row.status == "skipped" and bool(row.output)  # unchanged since an earlier run
        if keep:
            row = JobRow(row.line, row.booking_id, "ok", row.output, FROM_EARLIER_RUN)
        await self.store.call(self.store.add_row, job_id, row, keep)
        self.notify(job_id)

    @staticmethod
    def _ending(ending: tuple[Any, ...] | None, exitcode: int | None) -> tuple[str, str]:
        if ending is None:
            return "interrupted", f"the batch stopped before it ended (exit status {exitcode})"
        kind, detail = ending[0], ending[1]
        if kind == "done":
            return "done", ""
        if kind == "interrupted":
            return "interrupted", str(detail)
        if kind == "problems":
            return "failed", "\n".join(str(p) for p in detail)
        return "failed", str(detail)

    def _bundle(self, job_id: str, rows: list[JobRow]) -> None:
        """report.csv from every stored result (as the batch writes its own), and guides.zip."""
        folder = self.folder(job_id)
        guides = self.guides(job_id).resolve()
        with ReportWriter(folder / "report.csv", "csv") as report:
            for index, r in enumerate(rows):
                report.add(index, RowResult(r.line, r.booking_id, r.status, r.output, r.message))
        files = []
        for r in rows:
            if r.output and r.status in {"ok", "warning"}:
                path = (guides / r.output).resolve()
                if path.parent == guides and path.is_file():
                    files.append(path)
        write_zip(folder / "guides.zip", files, folder / "report.csv")

    def guide_path(self, job_id: str, output: str) -> Path | None:
        """A guide of a job's folder by its stored name, if it is one (never outside the folder)."""
        guides = self.guides(job_id).resolve()
        path = (guides / output).resolve()
        return path if path.parent == guides and path.suffix == ".pdf" and path.is_file() else None


def _write_upload(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
