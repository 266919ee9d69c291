"""Re-render when an input or theme file changes (`guidebook build --watch`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path


def snapshot(paths: Iterable[Path]) -> dict[Path, tuple[int, int]]:
    """Modification time and size of each file; (-1, -1) for one that is missing."""
    out = {}
    for path in paths:
        try:
            stat = path.stat()
            out[path] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            out[path] = (-1, -1)
    return out


def watch(
    paths: Callable[[], list[Path]],
    rebuild: Callable[[], None],
    *,
    interval: float = 0.5,
    rounds: int | None = None,
) -> None:
    """Call `rebuild` now and after every change of `paths()`; until Ctrl-C (or `rounds` polls)."""
    seen = snapshot(paths())  # before the build: a change made during it triggers another
    rebuild()
    polled = 0
    while rounds is None or polled < rounds:
        time.sleep(interval)
        polled += 1
        now = snapshot(paths())
        if now != seen:
            seen = now
            rebuild()
