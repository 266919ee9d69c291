"""Re-render when an input or theme file changes (`guidebook build --watch`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path


def snapshot(paths: Iterable[Path]) -> dict[Path, float]:
    """Modification times of the files that exist."""
    out = {}
    for path in paths:
        try:
            out[path] = path.stat().st_mtime
        except OSError:
            out[path] = -1.0
    return out


def watch(
    paths: Callable[[], list[Path]],
    rebuild: Callable[[], None],
    *,
    interval: float = 0.5,
    rounds: int | None = None,
) -> None:
    """Call `rebuild` now and after every change of `paths()`; until Ctrl-C (or `rounds` polls)."""
    rebuild()
    seen = snapshot(paths())
    polled = 0
    while rounds is None or polled < rounds:
        time.sleep(interval)
        polled += 1
        now = snapshot(paths())
        if now != seen:
            seen = now
            rebuild()
