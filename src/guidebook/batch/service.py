"""Single guides on request, in a pool of warm worker processes: the batch's workers, for a server.

A RenderService forks its workers warm from its own process, as the batch's pool does
(`worker.warm_up`, then `pool.serve_requests` in each worker: the renderer, fonts, fetcher,
Jinja2 and CSS made once; freed memory returned after each guide; a fresh worker after
WORKER_GUIDES guides or past WORKER_MEMORY_MB (`pool.worn_out`); a worker that dies noticed at
once, its request tried once more in a fresh one). Each request is one guide, written as a PDF
or as its HTML to a file the caller names, or drawn as pictures of some of its pages (for a
preview). Every request has a time limit: the worker's alarm stops the render, and the parent
kills a worker that is still busy GRACE seconds later. The queue is bounded: past `queue`
waiting requests, `submit` refuses (QueueFull, with the seconds to wait before trying again).

`host_main` runs a RenderService in a process of its own, spoken to through a pipe: a server
that has threads never forks; its host is single-threaded and forks the workers.
"""

from __future__ import annotations

import contextlib
import gc
import io
import math
import multiprocessing
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from ..errors import GuidebookError, OutputError, RenderError
from ..guide import GuideRenderer, Inputs, SharedInputs, load_shared, plan_guide
from ..inputs.load import LoadedBrand
from ..inputs.models import Profile
from ..options import GuideOptions
from ..timelimit import Timeout, arm, disarm, time_limit
from . import worker
from .files import SCRATCH_PREFIX
from .pool import (
    GRACE,
    MAX_START_FAILURES,
    _die_with_parent,
    _ending,
    _stop,
    retire,
    serve_requests,
    worn_out,
)

OUTPUTS = ("pdf", "html", "pages")
KEPT_RENDERERS = 3  # renderers a worker keeps besides its own (other page formats, other brands)
FIRST_GUESS = 1.0  # seconds a guide takes, until some have been timed (for Retry-After)


@dataclass(frozen=True)
class RenderRequest:
    """One guide to make: a validated profile, the options and brand to make it with, and what
    to make: "pdf" or "html" written to `path` (a file the caller owns), or "pages": pictures
    (PNG) of those pages, returned in the outcome."""

    profile: Profile
    options: GuideOptions
    brand: LoadedBrand | None = None
    output: str = "pdf"
    path: str = ""
    pages: tuple[int, ...] = ()
    dpi: int = 40
    warnings: tuple[str, ...] = ()  # from loading the profile (a language fallback)

    def __post_init__(self) -> None:
        if self.output not in OUTPUTS:
            raise ValueError(f"unknown output {self.output!r}; use one of {', '.join(OUTPUTS)}")
        if self.output != "pages" and not self.path:
            raise ValueError(f"a {self.output} request needs the path to write it to")
        if self.output == "pages" and not (self.pages and all(p >= 1 for p in self.pages)):
            raise ValueError("a pages request needs page numbers from 1")
        if not 10 <= self.dpi <= 300:
            raise ValueError("dpi must be between 10 and 300")


@dataclass
class RenderOutcome:
    """What became of a request: "ok" (the file is written, or `images` hold the pages) or
    "failed" with a message the caller may show (never a traceback)."""

    status: str
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # requested treatments with no session in the stay
    images: list[bytes] = field(default_factory=list)
    seconds: float = 0.0
    worker: dict[str, float] = field(default_factory=dict)  # pid and memory (the benchmark)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class QueueFull(GuidebookError):
    """Every worker is busy and the queue is full: try again after `retry_after` seconds."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"every renderer is busy; try again in {retry_after} s")


# -- in a worker -------------------------------------------------------------------------------

_renderers: list[GuideRenderer] = []  # a worker's other renderers, the most recently used last


def renderer_for(options: GuideOptions, brand: LoadedBrand | None) -> GuideRenderer:
    """The worker's renderer for these options and brand: its own (made warm before the fork),
    one of the few others it keeps, or a new one (which lays out its first guide cold)."""
    state = worker._state
    if state is not None and state.renderer.serves(options, brand):
        return state.renderer
    for made in _renderers:
        if made.serves(options, brand):
            _renderers.remove(made)
            _renderers.append(made)
            return made
    made = GuideRenderer(options, brand=brand, reuse=True)
    made.preload()
    _renderers.append(made)
    del _renderers[:-KEPT_RENDERERS]
    return made


def render_request(request: RenderRequest, shared: SharedInputs) -> RenderOutcome:
    """Make one requested guide under its time limit; every failure is an outcome, never an
    exception."""
    started = time.perf_counter()
    options = request.options
    if options.timeout:
        arm(options.timeout)
    try:
        renderer = renderer_for(options, request.brand)
        inputs = Inputs(request.profile, replace(shared, brand=request.brand), request.warnings)
        plan = plan_guide(inputs, options)
        images: list[bytes] = []
        if request.output == "html":
            warnings = list(inputs.warnings)
            _write(request.path, renderer.html(inputs, plan).encode("utf-8"))
        else:
            guide = renderer.render(inputs, plan)
            warnings = guide.warnings
            if request.output == "pdf":
                _write(request.path, guide.pdf)
            else:
                images = pictures(guide.pdf, request.pages, request.dpi)
        disarm()
        return RenderOutcome(
            "ok",
            warnings=warnings,
            missing=plan.requested_without_sessions(),
            images=images,
            seconds=time.perf_counter() - started,
            worker=worker.worker_memory(),
        )
    except Timeout:
        disarm()
        return RenderOutcome("failed", f"took longer than {options.timeout:g} s and was stopped")
    except GuidebookError as exc:
        return RenderOutcome("failed", str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad request must never end the worker
        return RenderOutcome("failed", f"internal error: {type(exc).__name__}")
    finally:
        disarm()
        worker.release_memory()


def _write(path: str, data: bytes) -> None:
    """The result, readable by its owner only (it holds medical data), never through a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise OutputError(f"cannot write the result ({exc.strerror})") from None


def pictures(pdf: bytes, pages: Sequence[int], dpi: int) -> list[bytes]:
    """PNG pictures of some pages of a PDF (pdftocairo, of poppler-utils); pages past the end are
    left out."""
    import pikepdf

    tool = shutil.which("pdftocairo")
    if tool is None:
        raise RenderError("pictures of pages need pdftocairo (the Debian package poppler-utils)")
    with pikepdf.open(io.BytesIO(pdf)) as document:
        count = len(document.pages)
    folder = tempfile.mkdtemp(prefix="pages-")
    try:
        source = os.path.join(folder, "guide.pdf")
        with open(source, "wb") as handle:
            handle.write(pdf)
        out = []
        for page in [p for p in pages if p <= count]:
            target = os.path.join(folder, f"page-{page}")
            subprocess.run(
                [
                    tool,
                    "-png",
                    "-singlefile",
                    "-r",
                    str(dpi),
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    source,
                    target,
                ],
                check=True,
                capture_output=True,
            )
            with open(target + ".png", "rb") as handle:
                out.append(handle.read())
        return out
    except subprocess.CalledProcessError as exc:
        raise RenderError(f"pdftocairo could not draw the pages (exit status {exc.returncode})") from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- the service's side ------------------------------------------------------------------------


@dataclass
class _Slot:
    process: BaseProcess
    conn: Connection
    key: int | None = None
    request: RenderRequest | None = None
    deadline: float = 0.0
    guides: int = 0


Done = tuple[int, RenderOutcome]


class RenderService:
    """Workers forked warm from this process, each making one requested guide at a time; the
    caller gives each request a key and gets (key, outcome) pairs back from `poll`."""

    def __init__(
        self,
        shared: SharedInputs,
        options: GuideOptions,
        *,
        scratch: Path,
        workers: int = 0,
        queue: int = 8,
        warm: Sequence[GuideOptions] = (),
    ):
        from ..pdf.library import import_weasyprint

        import_weasyprint()  # once, before the workers fork

        from ..pdf.fonts import REGIONS, trimmed_faces

        if options.trim_fonts:
            for region in REGIONS:  # made (or found) once, before the fork
                trimmed_faces(region)
        self.shared, self.options, self.warm = shared, options, tuple(warm)
        self.jobs = workers or os.cpu_count() or 1
        self.queue_size = queue
        self.context = multiprocessing.get_context("fork")
        try:
            self.scratch = tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=scratch)
        except OSError as exc:
            raise OutputError(f"{scratch}: cannot write here ({exc.strerror})") from None
        self.slots: list[_Slot] = []
        self.waiting: deque[tuple[int, RenderRequest]] = deque()
        self.retried: set[int] = set()
        self.times: deque[float] = deque(maxlen=50)  # seconds of the latest guides
        self.restarts = 0
        self.start_failures = 0

    def start(self, profile: Profile | None = None) -> None:
        """Warm up on `profile` (one guide for each option set, thrown away), then fork the workers."""
        if profile is not None:
            inputs = Inputs(profile, self.shared)
            worker.warm_up(self.shared, self.options, self.scratch, inputs)
            previous, tempfile.tempdir = tempfile.tempdir, self.scratch
            try:
                for options in self.warm:
                    with contextlib.suppress(Exception), time_limit(options.timeout, "a warm-up guide"):
                        renderer_for(options, self.shared.brand).render(inputs, plan_guide(inputs, options))
            finally:
                tempfile.tempdir = previous
            gc.collect()
            gc.freeze()
        self.slots = [self._spawn() for _ in range(self.jobs)]

    @property
    def busy(self) -> int:
        return sum(s.key is not None for s in self.slots)

    @property
    def pending(self) -> int:
        """Requests taken and not answered yet: being made, or waiting."""
        return self.busy + len(self.waiting)

    def retry_after(self) -> int:
        """Seconds until a worker is likely free for one more request."""
        typical = statistics.median(self.times) if self.times else FIRST_GUESS
        return max(1, math.ceil(typical * (len(self.waiting) + 1) / self.jobs))

    def submit(self, key: int, request: RenderRequest) -> None:
        """Take a request; QueueFull when every worker is busy and `queue` requests wait."""
        if len(self.waiting) >= self.queue_size and self.busy >= len(self.slots):
            raise QueueFull(self.retry_after())
        self.waiting.append((key, request))
        self._dispatch()

    def poll(self, timeout: float, also: Sequence[Connection] = ()) -> tuple[list[Done], list[Connection]]:
        """Wait up to `timeout` seconds for answers (and for the connections in `also`): the
        requests finished, and which of `also` are ready."""
        busy = [s for s in self.slots if s.key is not None]
        if busy:
            timeout = max(0.0, min(timeout, min(s.deadline for s in busy) - time.monotonic()))
        waited = [s.conn for s in busy] + [s.process.sentinel for s in self.slots] + list(also)
        ready = set(wait(waited, timeout))
        done: list[Done] = []
        for s in list(self.slots):
            if s.key is not None and s.conn in ready:
                done += self._receive(s)
            elif s.process.sentinel in ready or not s.process.is_alive():
                done += self._died(s)
            elif s.key is not None and time.monotonic() > s.deadline:
                _stop(s.process)
                done += self._died(s, stopped=True)
        if self.start_failures >= MAX_START_FAILURES:
            reason = "the renderers could not start (they died at once); see `guidebook doctor`"
            done += [(key, RenderOutcome("failed", reason)) for key, _ in self.waiting]
            self.waiting.clear()
        self._dispatch()
        return done, [c for c in also if c in ready]

    def close(self) -> None:
        """Let idle workers end, stop the others, let the warm-up's renderers go."""
        for s in self.slots:
            with contextlib.suppress(OSError, ValueError):
                s.conn.send(None)
        for s in self.slots:
            s.process.join(timeout=5)
            _stop(s.process)
        self.slots.clear()
        _renderers.clear()
        worker.forget()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def _spawn(self) -> _Slot:
        parent, child = self.context.Pipe()
        process = self.context.Process(
            target=serve_requests,
            args=(
                child,
                parent,
                self.shared,
                self.options,
                self.scratch,
                partial(render_request, shared=self.shared),
            ),
            daemon=True,
        )
        process.start()
        child.close()
        return _Slot(process, parent)

    def _dispatch(self) -> None:
        for s in self.slots:
            if not self.waiting:
                break
            if s.key is None:
                key, request = self.waiting.popleft()
                try:
                    s.conn.send(request)
                except (OSError, ValueError):  # the worker died while idle: replaced by poll
                    self.waiting.appendleft((key, request))
                    continue
                limit = request.options.timeout or 3600.0
                s.key, s.request, s.deadline = key, request, time.monotonic() + limit + GRACE

    def _receive(self, s: _Slot) -> list[Done]:
        key = s.key
        assert key is not None
        try:
            outcome: RenderOutcome = s.conn.recv()
        except (EOFError, OSError):
            return self._died(s)
        s.key, s.request, s.guides = None, None, s.guides + 1
        self.retried.discard(key)
        self.start_failures = 0
        if outcome.ok:
            self.times.append(outcome.seconds)
        if worn_out(s.guides, outcome.worker):
            retire(s.process, s.conn)
            self._replace(s)
        return [(key, outcome)]

    def _died(self, s: _Slot, *, stopped: bool = False) -> list[Done]:
        """A worker ended without an answer: its request is tried once more in a fresh worker,
        then answered with what ended the worker."""
        s.process.join(timeout=1)
        key, request, code = s.key, s.request, s.process.exitcode
        self._replace(s)
        self.restarts += 1
        if key is None or request is None:
            self.start_failures += s.guides == 0
            return []
        if stopped:
            limit = request.options.timeout or 3600.0
            return [(key, RenderOutcome("failed", f"took longer than {limit:g} s and was stopped"))]
        if key not in self.retried:
            self.retried.add(key)
            self.waiting.appendleft((key, request))
            return []
        self.retried.discard(key)
        message = f"the renderer stopped twice on this guide ({_ending(code)}); please report it"
        return [(key, RenderOutcome("failed", message))]

    def _replace(self, s: _Slot) -> None:
        with contextlib.suppress(OSError):
            s.conn.close()
        self.slots[self.slots.index(s)] = self._spawn()


# -- a service in a process of its own ---------------------------------------------------------


@dataclass(frozen=True)
class HostSettings:
    """How a render host starts: the options its shared inputs are loaded with (clinics,
    catalogue, brand, time limit), its workers and queue, the folder for their temporary files,
    other option sets to warm up, and the profile to warm up on."""

    options: GuideOptions
    scratch: str
    workers: int = 0
    queue: int = 8
    warm: tuple[GuideOptions, ...] = ()
    profile: Profile | None = None


def host_main(conn: Connection, settings: HostSettings) -> None:
    """A RenderService in this process (the target of a process of its own). Messages in:
    ("render", key, request) and ("stop",); out: ("ready", info) once warm, ("failed", message)
    if it cannot start, ("done", key, outcome) and ("busy", key, seconds). A closed pipe ends it
    too, and so does the end of the parent (Linux)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops this
    _die_with_parent()
    # Started as a daemon (it must not outlive the server), it still forks its own workers.
    multiprocessing.current_process().daemon = False
    try:
        shared = load_shared(settings.options)
        service = RenderService(
            shared,
            settings.options,
            scratch=Path(settings.scratch),
            workers=settings.workers,
            queue=settings.queue,
            warm=settings.warm,
        )
    except GuidebookError as exc:
        conn.send(("failed", str(exc)))
        return
    try:
        try:
            service.start(settings.profile)
        except Exception as exc:  # noqa: BLE001 - said to the server, which says it to the client
            conn.send(("failed", f"{type(exc).__name__}: {exc}"))
            return
        info: dict[str, Any] = {"pid": os.getpid(), "workers": service.jobs}
        conn.send(("ready", info))
        while True:
            done, ready = service.poll(1.0, also=[conn])
            for key, outcome in done:
                conn.send(("done", key, outcome))
            if not ready:
                continue
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return
            if message[0] == "stop":
                return
            if message[0] == "render":
                _, key, request = message
                try:
                    service.submit(key, request)
                except QueueFull as exc:
                    conn.send(("busy", key, exc.retry_after))
    except (BrokenPipeError, ConnectionResetError):
        return  # the server is gone
    finally:
        service.close()
