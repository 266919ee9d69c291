"""The time limit of a render (timelimit.py): it stops the work, even work that swallows errors
or the alarm itself, and leaves no alarm behind."""

from __future__ import annotations

import contextlib
import signal
import threading
import time

import pytest

from guidebook.errors import RenderError
from guidebook.timelimit import time_limit


def test_time_limit_stops_a_long_render():
    with pytest.raises(RenderError, match="took longer than 0.2 s"), time_limit(0.2, "the guide"):
        for _ in range(500):  # 5 s of slow work at least: the limit must stop it long before
            try:
                time.sleep(0.01)
            except Exception:  # noqa: BLE001, S112 - a library that swallows errors
                continue
        pytest.fail("the time limit did not stop the work")


def _swallowing_library_call() -> None:
    with contextlib.suppress(BaseException):  # as WeasyPrint's SVG drawing does
        time.sleep(1)  # slow work, inside which the first alarm lands and is lost


def test_time_limit_stops_a_render_even_when_a_library_swallows_the_alarm():
    with pytest.raises(RenderError, match="took longer than 0.05 s"), time_limit(0.05):
        _swallowing_library_call()  # the first alarm is lost here
        time.sleep(2)  # the next one stops the render


def test_no_limit_and_the_end_of_a_limit_leave_no_alarm_behind():
    before = signal.getsignal(signal.SIGALRM)
    with time_limit(None):
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with time_limit(30):
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before


def test_outside_the_main_thread_there_is_no_limit():
    seen = []

    def work() -> None:
        with time_limit(0.01):
            seen.append(signal.getitimer(signal.ITIMER_REAL))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [(0.0, 0.0)]


def test_an_alarm_that_lands_after_its_limit_ended_does_nothing():
    from guidebook.timelimit import on_alarm

    with time_limit(30):
        pass
    on_alarm(signal.SIGALRM, None)  # a re-fire already on its way when the block ended: no Timeout
    with pytest.raises(RenderError), time_limit(0.05):  # and the next limit still works
        for _ in range(10_000):
            time.sleep(0.01)


def test_a_limit_inside_a_limit_leaves_the_outer_one_in_charge():
    with pytest.raises(RenderError, match="outer"), time_limit(0.1, "outer"), time_limit(30, "inner"):
        for _ in range(10_000):
            time.sleep(0.01)
