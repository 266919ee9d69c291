"""A pool of long-lived worker processes with a bounded window of rows in flight.

Each worker has a pipe of its own: the parent sends it one task at a time and waits, with
`multiprocessing.connection.wait`, on every busy worker's pipe and every worker's process
sentinel at once. So a worker that dies (a crash in a C library, the kernel's OOM killer) is
noticed the moment it dies; its row is tried once more in a fresh worker and only then reported
as failed, with the signal that ended the worker.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..guide import SharedInputs
from ..options import GuideOptions
from . import worker
from .files import SCRATCH_PREFIX
from .types import BatchSettings, RowResult, Task

WORKER_GUIDES = 100  # a fresh worker after this many guides (memory stays flat)
# ... or as soon as its resident memory passes this. A batch of one language stays near 180 MB;
# one mixing five languages, an agency font and every treatment grew to 450-600 MB within 50
# guides (native memory: the same with a section cache of one entry), so such a worker is
# replaced sooner, forked warm in milliseconds.
WORKER_MEMORY_MB = 400.0
MAX_START_FAILURES = 5  # workers that die before finishing a guide, in a row: the batch stops
GRACE = 10.0  # seconds past a row's time limit before the parent kills its worker
Done = tuple[Task, RowResult]


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    task: Task | None = None
    deadline: float = 0.0
    guides: int = 0


class WorkerPool:
    """Long-lived workers, forked warm from this process, with a bounded window of rows in flight."""

    def __init__(self, settings: BatchSettings, shared: SharedInputs):
        from ..pdf.library import import_weasyprint

        import_weasyprint()  # once, before the workers fork

        from ..pdf.fonts import REGIONS, trimmed_faces

        if settings.guide.trim_fonts:
            for region in REGIONS:  # made (or found) once, before the fork, for every worker
                trimmed_faces(region)
        self.jobs = settings.jobs or os.cpu_count() or 1
        self.window = self.jobs * 2
        self.limit = settings.guide.timeout or 3600.0
        self.settings, self.shared = settings, shared
        self.context = multiprocessing.get_context("fork")
        # The workers' temporary files (WeasyPrint copies each @font-face font into a folder of
        # its own, 4 MB here) go to one folder of the batch, removed when the pool is closed or
        # terminated: a worker that ends with the pool never runs WeasyPrint's own clean-up.
        # It is in the output folder, so the next run removes what a killed batch left.
        try:
            self.scratch = tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=settings.out_dir)
        except OSError as exc:
            raise OutputError(f"{settings.out_dir}: cannot write here ({exc.strerror})") from None
        self.workers: list[_Worker] = []
        self.queue: deque[Task] = deque()
        self.retried: set[int] = set()  # rows (by index) already tried once more after a crash
        self.warming: Task | None = None
        self.started = time.time()
        self.restarts = 0  # workers replaced after dying (the soak benchmark prints it)
        self.start_failures = 0

    # -- the batch's side --------------------------------------------------------------------

    def submit(self, task: Task) -> list[Done]:
        """Queue a row; returns the rows finished meanwhile (waits while the window is full)."""
        if not self.workers:
            self._start(task)
        self.queue.append(task)
        self._dispatch()
        done: list[Done] = []
        while len(self.queue) + self._busy() >= self.window:
            done += self._wait(block=True)
        return done + self._wait(block=False)

    def drain(self) -> list[Done]:
        """Every row still queued or in flight, finished."""
        self._dispatch()
        done: list[Done] = []
        while self.queue or self._busy():
            done += self._wait(block=True)
        return done

    def abort(self) -> list[Done]:
        """Stop every worker now. A row whose guide was written before the stop (atomic writes:
        a file is whole or absent) is done; the others are reported as not run."""
        flying = [w.task for w in self.workers if w.task is not None] + list(self.queue)
        if self.warming is not None:  # interrupted while warming up on it
            flying.append(self.warming)
        for w in self.workers:
            _stop(w.process)
        self.workers.clear()
        self.queue.clear()
        done = []
        for task in flying:
            path = Path(task.path)
            if path.exists() and path.stat().st_mtime >= self.started:
                done.append((task, _result(task, "ok", "written as the batch was interrupted", task.output)))
            else:
                done.append((task, _result(task, "skipped", "not run: interrupted")))
        return done

    def close(self) -> None:
        """Let idle workers end, stop the others, let the warm-up's renderer go."""
        for w in self.workers:
            with contextlib.suppress(OSError, ValueError):
                w.conn.send(None)
        for w in self.workers:
            w.process.join(timeout=5)
            _stop(w.process)
        self.workers.clear()
        worker.forget()
        shutil.rmtree(self.scratch, ignore_errors=True)

    # -- the workers --------------------------------------------------------------------------

    def _start(self, task: Task) -> None:
        """Warm this process up on the first row, then fork the workers from it.

        The renderer, its parsed CSS, fonts and the layouts of the shared sections are made
        here, once, and every worker starts with them (their memory is shared until written): a
        worker's first guide takes a warm guide's time instead of 1.5 s, so a fresh worker every
        WORKER_GUIDES guides costs next to nothing. The warm-up's guide is thrown away (a worker
        renders the row as any other); if it fails, the workers set themselves up.
        """
        self.warming = task
        worker.warm_up(self.shared, self.settings.guide, self.scratch, task.inputs)
        self.warming = None
        for _ in range(self.jobs):
            self.workers.append(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=serve_requests,
            args=(child, parent, self.shared, self.settings.guide, self.scratch, worker.render_task),
            daemon=True,
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _busy(self) -> int:
        return sum(w.task is not None for w in self.workers)

    def _dispatch(self) -> None:
        """Give queued rows to idle workers."""
        for w in self.workers:
            if not self.queue:
                break
            if w.task is None:
                task = self.queue.popleft()
                try:
                    w.conn.send(task)
                except (OSError, ValueError):  # the worker died while idle: replaced below
                    self.queue.appendleft(task)
                    continue
                w.task, w.deadline = task, time.monotonic() + self.limit + GRACE

    def _wait(self, *, block: bool) -> list[Done]:
        """Results of finished rows, and what a dead or stuck worker means for its row."""
        busy = [w for w in self.workers if w.task is not None]
        if not busy and not self.queue:
            return []
        timeout = 0.0
        if block:
            timeout = max(
                0.0, min([w.deadline for w in busy], default=time.monotonic() + 1) - time.monotonic()
            )
            timeout = min(timeout, 1.0)
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in self.workers], timeout))
        done: list[Done] = []
        for w in list(self.workers):
            if w.task is not None and w.conn in ready:
                done += self._receive(w)
            elif w.process.sentinel in ready or not w.process.is_alive():
                done += self._died(w)
            elif w.task is not None and time.monotonic() > w.deadline:
                _stop(w.process)
                done += self._died(w, stopped=True)
        if self.start_failures >= MAX_START_FAILURES:
            done += self._give_up()
        self._dispatch()
        return done

    def _receive(self, w: _Worker) -> list[Done]:
        task = w.task
        assert task is not None
        try:
            result: RowResult = w.conn.recv()
        except (EOFError, OSError):
            return self._died(w)
        w.task, w.guides = None, w.guides + 1
        self.start_failures = 0
        if worn_out(w.guides, result.worker):
            retire(w.process, w.conn)
            self._replace(w)
        return [(task, result)]

    def _died(self, w: _Worker, *, stopped: bool = False) -> list[Done]:
        """A worker ended without a result: its row is tried once more in a fresh worker, then
        reported with what ended it."""
        w.process.join(timeout=1)
        task, code = w.task, w.process.exitcode
        self._replace(w)
        self.restarts += 1
        if task is None:
            self.start_failures += w.guides == 0
            return []
        if stopped:
            return [(task, _result(task, "failed", f"took longer than {self.limit:g} s and was stopped"))]
        if task.index not in self.retried:
            self.retried.add(task.index)
            self.queue.appendleft(task)
            return []
        return [
            (
                task,
                _result(
                    task,
                    "failed",
                    f"the worker stopped twice on this row ({_ending(code)}); please report it with the row",
                ),
            )
        ]

    def _replace(self, w: _Worker) -> None:
        with contextlib.suppress(OSError):
            w.conn.close()
        self.workers[self.workers.index(w)] = self._spawn()

    def _give_up(self) -> list[Done]:
        """Workers die before doing any row: report every queued row instead of looping."""
        reason = "workers could not start (they died at once); see `guidebook doctor`"
        done = [(task, _result(task, "failed", reason)) for task in self.queue]
        self.queue.clear()
        return done


def serve_requests(
    conn: Connection,
    parent_end: Connection,
    shared: SharedInputs,
    options: GuideOptions,
    scratch: str,
    handle: Callable[[Any], Any],
) -> None:
    """A worker's life, in the batch's pool and in the server's (service.py): set up (warm from
    the parent), then `handle` one request at a time until told to stop (None), or until the
    parent is gone (its end of the pipe closes; on Linux the kernel also stops the worker when
    the parent dies, even by SIGKILL)."""
    parent_end.close()  # else this worker would hold its own pipe open and never see the end
    _die_with_parent()
    worker.init_worker(shared, options, scratch)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        conn.send(handle(request))


def worn_out(guides: int, memory: Mapping[str, float]) -> bool:
    """Whether a worker is replaced by a fresh one after its latest guide: a long-lived worker
    grows (native memory), so after WORKER_GUIDES guides, or as soon as it is over
    WORKER_MEMORY_MB (`memory` as `worker.worker_memory` gives it)."""
    return guides >= WORKER_GUIDES or float(memory.get("rss_mb", 0.0)) > WORKER_MEMORY_MB


def retire(process: BaseProcess, conn: Connection) -> None:
    """Ask an idle worker to stop, give it a moment, then make sure it is gone."""
    with contextlib.suppress(OSError, ValueError):
        conn.send(None)
    process.join(timeout=5)
    _stop(process)


def _die_with_parent() -> None:
    """Ask Linux to send this process SIGKILL when its parent ends (prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1: PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before the request was made
            os._exit(0)
    except (OSError, AttributeError):
        pass  # not Linux: the closed pipe still ends the worker


def _result(task: Task, status: str, message: str, output: str | None = None) -> RowResult:
    return RowResult(task.line, task.booking_id, status, output, message)


def _ending(exitcode: int | None) -> str:
    """How a process ended, in words: "killed by SIGSEGV (a crash)", "exit status 1"."""
    if exitcode is None:
        return "still running"
    if exitcode < 0:
        name = signal.Signals(-exitcode).name
        kind = {
            "SIGSEGV": "a crash",
            "SIGBUS": "a crash",
            "SIGABRT": "an abort",
            "SIGKILL": "killed, perhaps for memory",
        }.get(name, "a signal")
        return f"ended by {name}, {kind}"
    return f"exit status {exitcode}"


def _stop(process: BaseProcess) -> None:
    if process.is_alive():
        process.kill()
    process.join(timeout=5)
