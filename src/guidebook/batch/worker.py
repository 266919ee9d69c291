"""The batch's worker process: forked warm from the parent (or set up on its own), then plan,
render and write one row at a time."""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import resource
import shutil
import signal
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomic
from ..errors import GuidebookError
from ..guide import GuideRenderer, Inputs, SharedInputs, plan_guide
from ..options import GuideOptions
from ..render.ics import carry_sequences, previous_calendar
from ..timelimit import Timeout as RowTimeout
from ..timelimit import arm, disarm, on_alarm, time_limit
from ..timing import Timer
from .types import RowResult, Task

log = logging.getLogger(__name__)


@dataclass
class WorkerState:
    """What a worker keeps between rows: one renderer (fonts, fetcher, Jinja2, CSS, the shared
    sections' layouts) and the options every guide is made with."""

    renderer: GuideRenderer
    options: GuideOptions
    timer: Timer


_state: WorkerState | None = None


def _make_state(shared: SharedInputs, options: GuideOptions) -> WorkerState:
    timer = Timer()
    renderer = GuideRenderer(options, brand=shared.brand, reuse=True, timer=timer)
    return WorkerState(renderer, options, timer)


def warm_up(shared: SharedInputs, options: GuideOptions, scratch: str, inputs: Inputs) -> None:
    """In the batch's own process, before the workers are forked: make the renderer and render
    one guide with it (thrown away), so that every worker starts warm. Any failure is left to the
    workers, which report the row as usual."""
    global _state
    previous, tempfile.tempdir = tempfile.tempdir, scratch  # WeasyPrint's font copies go there
    try:
        _state = _make_state(shared, options)
        _state.renderer.preload()  # every language's templates, before any time limit can cut in
        with time_limit(options.timeout, "the warm-up guide"):
            _state.renderer.render(inputs, plan_guide(inputs, options))
    except Exception:  # noqa: BLE001 - the row is rendered (and any error reported) by a worker
        log.debug("warm-up failed", exc_info=True)
    finally:
        tempfile.tempdir = previous
    # What the workers inherit stays put: the collector never touches (and so never copies)
    # those pages.
    gc.collect()
    gc.freeze()


def forget() -> None:
    """After the batch, in its own process: let the warm-up's renderer go."""
    global _state
    _state = None
    gc.unfreeze()


def init_worker(shared: SharedInputs, options: GuideOptions, scratch: str) -> None:
    """Set up a worker: the renderer comes warm from the parent (warm_up), or is made here.

    Temporary files go to ``scratch``, the batch's folder, which the parent removes.
    """
    global _state
    tempfile.tempdir = scratch
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and SIGTERM
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGALRM, on_alarm)
    if _state is None or _state.options != options:
        _state = _make_state(shared, options)
    _own_font_folder(_state.renderer, scratch)
    # Objects made so far live as long as the worker: keep them out of the collector's way.
    # A guide makes hundreds of thousands of short-lived objects (boxes, styles); collecting
    # every 50,000 instead of 700 allocations saves about 7% of a worker's time, for ~30 MB.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def _own_font_folder(renderer: GuideRenderer, scratch: str) -> None:
    """Give a worker forked warm a folder of its own for WeasyPrint's @font-face copies.

    WeasyPrint copies each @font-face font into its FontConfiguration's folder, named after the
    rule, and takes a file already there as a font already registered. A forked worker inherits
    the parent's folder: without a folder of its own, the first worker to meet a new face (the
    first Japanese guide) writes it there, and its siblings then skip that face and set their
    guides in the system one. The new folder starts with links to the fonts the parent had
    registered before the fork (which this worker has too); it is removed when the worker ends
    (and with the scratch folder if the worker is killed)."""
    from multiprocessing.util import Finalize

    config = renderer.engine.font_config
    inherited = getattr(config, "_folder", None)  # WeasyPrint 70: None until a first @font-face
    if inherited is None or not os.path.isdir(inherited):
        return
    own = tempfile.mkdtemp(prefix="weasyprint-", dir=scratch)
    Finalize(None, shutil.rmtree, args=(own,), kwargs={"ignore_errors": True}, exitpriority=0)
    for name in os.listdir(inherited):
        try:
            os.link(os.path.join(inherited, name), os.path.join(own, name))
        except OSError:
            shutil.copyfile(os.path.join(inherited, name), os.path.join(own, name))
    config._folder = type(inherited)(own)


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None elsewhere (musl, macOS)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def release_memory() -> None:
    """Give the heap's free pages back to the system after a guide.

    Pango, HarfBuzz and WeasyPrint free most of a guide's memory in small blocks that glibc keeps
    for reuse; trimming returns them (about 20 MB a worker after 50 guides) for 1 to 3 ms."""
    if _TRIM is not None:
        _TRIM(0)


def worker_memory() -> dict[str, float]:
    """This worker's resident and peak memory in MB, and its pid (for the benchmark)."""
    with open("/proc/self/statm") as handle:
        rss_pages = int(handle.read().split()[1])
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pss_kb = 0.0
    try:  # proportional set size: pages shared with the parent and siblings counted in part
        with open("/proc/self/smaps_rollup") as handle:
            pss_kb = next(float(line.split()[1]) for line in handle if line.startswith("Pss:"))
    except (OSError, StopIteration):
        pass
    return {
        "pid": os.getpid(),
        "rss_mb": rss_pages * os.sysconf("SC_PAGE_SIZE") / 2**20,
        "peak_mb": peak_kb / 1024,
        "pss_mb": pss_kb / 1024,
    }


def render_task(task: Task) -> RowResult:
    """Plan, render and write one row's guide; every failure is a failed row, never an exception."""
    state = _state
    if state is None:
        return RowResult(task.line, task.booking_id, "failed", None, "internal error: worker not set up")
    options, timer = state.options, state.timer
    timer.clear()
    if options.timeout:
        arm(options.timeout)
    try:
        with timer.stage("plan"):
            plan = plan_guide(task.inputs, options)
        guide = state.renderer.render(task.inputs, plan)
        with timer.stage("save"):
            write_atomic(Path(task.path), guide.pdf)
            if task.ics_path:
                calendar = Path(task.ics_path)
                write_atomic(calendar, carry_sequences(guide.ics, previous_calendar(calendar)))
        disarm()  # written: the row is done
        notes = [f"warning: {w}" for w in guide.warnings]
        missing = plan.requested_without_sessions()
        if missing:
            notes.insert(
                0, f"no session of {', '.join(missing)} fits the stay (see the guide's 'Not in this trip')"
            )
        release_memory()
        status = "warning" if missing else "ok"
        result = RowResult(
            task.line, task.booking_id, status, task.output, "; ".join(notes), dict(timer.seconds)
        )
        reuse = state.renderer.engine.reuse.stats
        result.worker = {
            **worker_memory(),
            "reuse_hits": reuse.hits,
            "reuse_misses": reuse.misses,
            "one_pass": reuse.single_pass,
        }
        return result
    except RowTimeout:
        disarm()
        return RowResult(
            task.line,
            task.booking_id,
            "failed",
            None,
            f"took longer than {options.timeout:g} s and was stopped",
        )
    except GuidebookError as exc:
        return RowResult(task.line, task.booking_id, "failed", None, str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad row must never stop the batch
        return RowResult(
            task.line, task.booking_id, "failed", None, f"internal error: {type(exc).__name__}: {exc}"
        )
    finally:
        disarm()
