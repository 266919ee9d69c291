"""A pool of long-lived worker processes with a bounded window of rows in flight."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import tempfile
import time
from collections import deque
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path

from ..errors import OutputError
from ..guide import SharedInputs
from ..timelimit import Timeout
from . import worker
from .types import BatchSettings, RowResult, Task

WORKER_GUIDES = 100
Done = tuple[Task, RowResult]


class WorkerPool:
    """Long-lived workers, forked warm from this process, with a bounded window of rows in flight."""

    def __init__(self, settings: BatchSettings, shared: SharedInputs):
        import weasyprint  # noqa: F401 - imported once, before the workers fork

        from ..pdf.fonts import REGIONS, trimmed_faces

        if settings.guide.trim_fonts:
            for region in REGIONS:  # made (or found) once, before the fork, for every worker
                trimmed_faces(region)
        self.jobs = settings.jobs or os.cpu_count() or 1
        self.window = self.jobs * 2
        self.timeout = settings.guide.timeout or 3600.0
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
        self.pool: Pool | None = None  # started with the first row (_start)
        self.warming: Task | None = None
        self.pending: deque[tuple[Task, AsyncResult[RowResult], float]] = deque()
        self.broken = False
        self.started = time.time()

    def _start(self, task: Task) -> Pool:
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
        return self.context.Pool(
            self.jobs,
            initializer=worker.init_worker,
            initargs=(self.shared, self.settings.guide, self.scratch),
            # A fresh worker every 100 guides: a long-lived one grows (native memory, Pango's
            # or HarfBuzz's caches: about 30 MB over its first 50 guides, then slowly), and
            # forked from the warm parent a fresh one costs a few milliseconds.
            maxtasksperchild=WORKER_GUIDES,
        )

    def submit(self, task: Task) -> list[Done]:
        if self.pool is None:
            self.pool = self._start(task)
        deadline = time.monotonic() + self.timeout * (self.window // self.jobs + 2) + 10
        self.pending.append((task, self.pool.apply_async(worker.render_task, (task,)), deadline))
        done = []
        while len(self.pending) >= self.window:
            done += self._collect(block=True)
        return done + self._collect(block=False)

    def drain(self) -> list[Done]:
        done = []
        while self.pending:
            done += self._collect(block=True)
        return done

    def _collect(self, *, block: bool) -> list[Done]:
        done: list[Done] = []
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
                    done.append(
                        (
                            task,
                            RowResult(
                                task.line,
                                task.booking_id,
                                "failed",
                                None,
                                "the worker stopped (crash or time limit)",
                            ),
                        )
                    )
                    block = False
                    continue
            self.pending.popleft()
            try:
                done.append((task, result.get()))
            except (Exception, Timeout) as exc:  # noqa: BLE001 - raised in the worker, not here
                done.append(
                    (
                        task,
                        RowResult(
                            task.line,
                            task.booking_id,
                            "failed",
                            None,
                            f"the worker failed: {type(exc).__name__}",
                        ),
                    )
                )
            block = False
        return done

    def abort(self) -> list[Done]:
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
                done.append(
                    (
                        task,
                        RowResult(
                            task.line,
                            task.booking_id,
                            "ok",
                            task.output,
                            "written as the batch was interrupted",
                        ),
                    )
                )
            else:
                done.append(
                    (task, RowResult(task.line, task.booking_id, "skipped", None, "not run: interrupted"))
                )
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
        worker.forget()
        shutil.rmtree(self.scratch, ignore_errors=True)
