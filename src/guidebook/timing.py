"""An optional timer: seconds spent per stage of a guide, for the benchmark (never in signatures
of the stages themselves, only where a stage starts and ends)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext


class Timer:
    """Adds up the seconds spent in named stages ("plan", "html", "layout", "write", "save")."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start

    def clear(self) -> None:
        self.seconds.clear()


def stage(timer: Timer | None, name: str) -> AbstractContextManager[None]:
    """`timer.stage(name)`, or nothing when there is no timer."""
    return timer.stage(name) if timer is not None else nullcontext()
