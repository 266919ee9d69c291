"""The server's side of rendering: guides are made by a render host, a process of its own that
forks warm workers (batch/service.py), and awaited here without blocking the event loop.

The host is started with `spawn` (a fresh interpreter: the server's threads are never forked).
Requests go down a pipe; answers come back on the same pipe, read when the event loop says it
is readable. The number of requests in flight is bounded: past the workers plus the queue, a
request is refused at once with RenderBusy (the server answers 429 with Retry-After). Each
request is also awaited with a deadline, in case the host itself stops answering.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import multiprocessing
import statistics
from collections import deque
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from ..batch.pool import GRACE
from ..batch.service import FIRST_GUESS, HostSettings, RenderOutcome, RenderRequest, host_main
from ..errors import RenderError

SLACK = 5.0  # seconds past a request's time limit and the host's grace before it is given up


class HostLost(RenderError):
    """The render host ended while it had requests (a crash, the OOM killer)."""


class RenderBusy(Exception):
    """Every renderer is busy and the queue is full."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(f"every renderer is busy; try again in {retry_after} s")


@dataclass
class _Host:
    process: BaseProcess
    conn: Connection
    ready: asyncio.Future[dict[str, Any]]
    futures: dict[int, asyncio.Future[RenderOutcome]] = field(default_factory=dict)
    alive: bool = True
    retiring: bool = False


class RenderClient:
    """Starts and speaks to a render host; `render` awaits one guide."""

    def __init__(self, settings: HostSettings):
        self.settings = settings
        self.workers = settings.workers or multiprocessing.cpu_count()
        self.capacity = self.workers + settings.queue
        self.host: _Host | None = None
        self.old: list[_Host] = []
        self.keys = itertools.count(1)
        self.times: deque[float] = deque(maxlen=50)
        self.lock = asyncio.Lock()

    @property
    def pending(self) -> int:
        return sum(len(h.futures) for h in [*self.old, *([self.host] if self.host else [])])

    def retry_after(self) -> int:
        typical = statistics.median(self.times) if self.times else FIRST_GUESS
        waiting = max(0, self.pending - self.workers)
        return max(1, math.ceil(typical * (waiting + 1) / self.workers))

    async def start(self) -> dict[str, Any]:
        """Start the host (if it is not running) and wait until its workers are warm."""
        async with self.lock:
            if self.host is None or not self.host.alive or self.host.process.exitcode is not None:
                if self.host is not None:
                    self._lost(self.host)
                self.host = await self._spawn(self.settings)
            host = self.host
        return await asyncio.shield(host.ready)

    async def restart(self, settings: HostSettings) -> None:
        """A new host with new settings (a new brand) takes the requests from now on; the old
        one ends once it has answered those it has."""
        async with self.lock:
            self.settings = settings
            if self.host is not None:
                self.old.append(self.host)
                self.host.retiring = True
                self._retire_idle()
            self.host = await self._spawn(settings)

    async def render(self, request: RenderRequest) -> RenderOutcome:
        """One guide made by the host's workers; RenderBusy when the queue is full, RenderError
        when the host cannot start or stops answering. A request whose host ended is tried once
        more, with a new host."""
        try:
            return await self._render(request)
        except HostLost:
            return await self._render(request)

    async def _render(self, request: RenderRequest) -> RenderOutcome:
        if self.pending >= self.capacity:
            raise RenderBusy(self.retry_after())
        await self.start()
        host = self.host
        assert host is not None
        key = next(self.keys)
        future: asyncio.Future[RenderOutcome] = asyncio.get_running_loop().create_future()
        host.futures[key] = future
        try:
            host.conn.send(("render", key, request))
        except (OSError, ValueError):
            host.futures.pop(key, None)
            self._lost(host)
            raise HostLost("the renderers stopped; try again") from None
        limit = (request.options.timeout or 3600.0) + GRACE + SLACK
        try:
            outcome = await asyncio.wait_for(future, limit)
        except TimeoutError:
            raise RenderError(f"the guide took longer than {limit:g} s") from None
        finally:
            host.futures.pop(key, None)
            self._retire_idle()
        if outcome.ok:
            self.times.append(outcome.seconds)
        return outcome

    async def close(self) -> None:
        """Stop every host (each stops its workers)."""
        for host in [*self.old, *([self.host] if self.host else [])]:
            await self._stop(host)
        self.old.clear()
        self.host = None

    # -- the hosts ----------------------------------------------------------------------------

    async def _spawn(self, settings: HostSettings) -> _Host:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=host_main, args=(child, settings), daemon=True, name="guidebook-render"
        )
        await asyncio.to_thread(process.start)
        child.close()
        loop = asyncio.get_running_loop()
        host = _Host(process, parent, loop.create_future())
        loop.add_reader(parent.fileno(), self._readable, host)
        return host

    def _readable(self, host: _Host) -> None:
        try:
            while host.alive and host.conn.poll():
                self._handle(host, host.conn.recv())
        except (EOFError, OSError):
            self._lost(host)

    def _handle(self, host: _Host, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "ready" and not host.ready.done():
            host.ready.set_result(message[1])
        elif kind == "failed" and not host.ready.done():
            host.ready.set_exception(RenderError(f"the renderers could not start: {message[1]}"))
        elif kind in {"done", "busy"}:
            future = host.futures.pop(message[1], None)
            if future is None or future.done():
                return
            if kind == "done":
                future.set_result(message[2])
            else:
                future.set_exception(RenderBusy(int(message[2])))

    def _lost(self, host: _Host) -> None:
        """The host ended: every request it had fails (the next one starts a new host)."""
        if not host.alive:
            return
        host.alive = False
        with contextlib.suppress(ValueError, OSError):
            asyncio.get_running_loop().remove_reader(host.conn.fileno())
        error = HostLost("the renderers stopped; try again")
        if not host.ready.done():
            host.ready.set_exception(error)
            host.ready.exception()  # retrieved: no "never retrieved" warning if nobody waits
        for future in host.futures.values():
            if not future.done():
                future.set_exception(error)
        host.futures.clear()
        with contextlib.suppress(OSError):
            host.conn.close()

    def _retire_idle(self) -> None:
        for host in [h for h in self.old if not h.futures]:
            self.old.remove(host)
            task = asyncio.get_running_loop().create_task(self._stop(host))
            task.add_done_callback(lambda t: t.exception())

    async def _stop(self, host: _Host) -> None:
        if host.alive:
            with contextlib.suppress(OSError, ValueError):
                host.conn.send(("stop",))
        self._lost(host)
        await asyncio.to_thread(host.process.join, 10)
        if host.process.is_alive():
            host.process.kill()
            await asyncio.to_thread(host.process.join, 5)


def with_choices(settings: HostSettings, **changes: Any) -> HostSettings:
    """Host settings with other options (a new brand file)."""
    return replace(settings, options=replace(settings.options, **changes))
