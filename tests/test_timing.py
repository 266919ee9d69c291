"""The optional timer of the benchmark (timing.py): seconds added up per stage, and nothing
without a timer."""

from __future__ import annotations

from unittest import mock

import pytest

from guidebook import timing
from guidebook.timing import Timer, stage


def test_seconds_add_up_per_stage_even_when_the_stage_fails():
    clock = iter([10.0, 10.5, 20.0, 20.25, 30.0, 31.0])
    with mock.patch.object(timing.time, "perf_counter", autospec=True, side_effect=lambda: next(clock)):
        timer = Timer()
        with timer.stage("layout"):
            pass
        with timer.stage("write"):
            pass
        with pytest.raises(ValueError), timer.stage("layout"):
            raise ValueError
    assert timer.seconds == {"layout": 1.5, "write": 0.25}
    timer.clear()
    assert timer.seconds == {}


def test_a_stage_without_a_timer_is_nothing():
    with stage(None, "layout"):
        pass
    timer = Timer()
    with stage(timer, "plan"):
        pass
    assert list(timer.seconds) == ["plan"] and timer.seconds["plan"] >= 0
