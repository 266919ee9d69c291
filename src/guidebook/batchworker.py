"""The batch's worker process: forked warm from the parent (or set up on its own), then plan,
render and write one row at a time."""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import resource
import signal
import tempfile
import time
from typing import Any

from .atomic import write_atomic
from .errors import GuidebookError
from .limits import REFIRE, on_alarm
from .limits import Timeout as RowTimeout

log = logging.getLogger(__name__)
_STATE: dict[str, Any] = {}


def _renderer(shared, settings) -> Any:  # noqa: ANN001 - Inputs, BatchSettings
    """The renderer (fonts, fetcher, Jinja2, CSS) for every row of the batch."""
    from .build import GuideRenderer

    if "renderer" not in _STATE:
        _STATE["renderer"] = GuideRenderer(
            brand=shared.brand, page_format=settings.page_format, theme=settings.theme,
            white_label=settings.white_label, booklet=settings.booklet)
    return _STATE["renderer"]


def warm_up(shared, settings, scratch: str, inputs) -> None:  # noqa: ANN001
    """In the batch's own process, before the workers are forked: make the renderer and render
    one guide with it (thrown away), so that every worker starts warm. Any failure is left to the
    workers, which report the row as usual."""
    from .build import plan_guide
    from .limits import time_limit

    _STATE.clear()  # a renderer of an earlier batch in this process has other settings
    previous, tempfile.tempdir = tempfile.tempdir, scratch  # WeasyPrint's font copies go there
    try:
        renderer = _renderer(shared, settings)
        with time_limit(settings.timeout, "the warm-up guide"):
            renderer.render(inputs, plan_guide(inputs, closed_dates=settings.closed_dates,
                                                rate=settings.rate))
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
    _STATE.clear()
    gc.unfreeze()


def init_worker(shared, settings, scratch: str) -> None:  # noqa: ANN001 - Inputs, BatchSettings
    """Set up a worker: the renderer comes warm from the parent (warm_up), or is made here.

    Temporary files go to ``scratch``, the batch's folder, which the parent removes.
    """
    tempfile.tempdir = scratch
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGALRM, on_alarm)
    _renderer(shared, settings)
    _STATE.update(timeout=settings.timeout, closed=settings.closed_dates,
                  rate=settings.rate, strict=settings.strict)
    # Objects made so far live as long as the worker: keep them out of the collector's way.
    # A guide makes hundreds of thousands of short-lived objects (boxes, styles); collecting
    # every 50,000 instead of 700 allocations saves about 7% of a worker's time, for ~30 MB.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def _malloc_trim() -> Any:
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
    return {"pid": os.getpid(), "rss_mb": rss_pages * os.sysconf("SC_PAGE_SIZE") / 2**20,
            "peak_mb": peak_kb / 1024, "pss_mb": pss_kb / 1024}


def render_task(task) -> Any:  # noqa: ANN001 - batch._Task, returns batch.RowResult
    from .batch import RowResult
    from .build import plan_guide

    renderer = _STATE["renderer"]
    timings: dict[str, float] = renderer.timings
    timings.clear()
    signal.setitimer(signal.ITIMER_REAL, _STATE["timeout"], REFIRE)
    try:
        start = time.perf_counter()
        plan = plan_guide(task.inputs, closed_dates=_STATE["closed"], rate=_STATE["rate"])
        timings["plan"] = time.perf_counter() - start
        _, data, _, warnings = renderer.render(task.inputs, plan)
        if _STATE["strict"] and warnings:
            raise GuidebookError("stopped by --strict: " + "; ".join(warnings))
        start = time.perf_counter()
        write_atomic(task.path, data)
        signal.setitimer(signal.ITIMER_REAL, 0)  # written: the row is done
        timings["save"] = time.perf_counter() - start
        message = "; ".join(f"warning: {w}" for w in warnings)
        release_memory()
        result = RowResult(task.line, task.booking_id, "ok", task.output, message, dict(timings))
        reuse = renderer.engine.reuse.stats
        result.worker = {**worker_memory(), "reuse_hits": reuse.hits, "reuse_misses": reuse.misses,
                         "one_pass": reuse.single_pass}
        return result
    except RowTimeout:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return RowResult(task.line, task.booking_id, "failed", None,
                         f"took longer than {_STATE['timeout']:g} s and was stopped")
    except GuidebookError as exc:
        return RowResult(task.line, task.booking_id, "failed", None, str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad row must never stop the batch
        return RowResult(task.line, task.booking_id, "failed", None,
                         f"internal error: {type(exc).__name__}: {exc}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
