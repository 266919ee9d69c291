"""A wall-clock limit for a render, so a pathological input cannot run forever."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import RenderError


class Timeout(BaseException):
    """Raised by the alarm; a BaseException, so no `except Exception` in a library swallows it."""


# After the time limit the alarm fires again every 0.1 s until the work ends: a library may
# swallow one (WeasyPrint's SVG drawing catches BaseException; one that lands in a finalizer is
# lost), and the work must still stop.
REFIRE = 0.1


_armed = False  # a limit is running; an alarm after it ended (a late re-fire) does nothing


def arm(seconds: float) -> None:
    """Start the alarm: after `seconds`, then every REFIRE seconds until disarm()."""
    global _armed
    _armed = True
    signal.setitimer(signal.ITIMER_REAL, seconds, REFIRE)


def disarm() -> None:
    """Stop the alarm; an alarm already on its way is ignored."""
    global _armed
    _armed = False
    signal.setitimer(signal.ITIMER_REAL, 0)


def on_alarm(signum: int, frame: object) -> None:
    """The SIGALRM handler of a time limit (here, and in batch workers)."""
    if _armed:
        raise Timeout


@contextmanager
def time_limit(seconds: float | None, what: str = "the guide") -> Iterator[None]:
    """Stop the block after `seconds` with a RenderError (main thread only; else no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    if _armed:  # a limit inside another: the outer one holds
        yield
        return
    previous = signal.signal(signal.SIGALRM, on_alarm)
    arm(seconds)
    try:
        try:
            yield
        finally:
            disarm()
    except Timeout:
        raise RenderError(
            f"{what} took longer than {seconds:g} s and was stopped; "
            "the input may be pathological (a huge text?)"
        ) from None
    finally:
        signal.signal(signal.SIGALRM, previous)
