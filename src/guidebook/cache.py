"""Where guidebook keeps what it makes once per machine: trimmed fonts, compiled templates, QR
pictures, parsed data files, holidays. Only the user running guidebook should be able to write it."""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

T = TypeVar("T")


def cache_dir() -> Path:
    """$GUIDEBOOK_CACHE (a relative path is taken from the current folder), else
    $XDG_CACHE_HOME/guidebook (ignored when relative, as the XDG spec says), else
    ~/.cache/guidebook."""
    own = os.environ.get("GUIDEBOOK_CACHE")
    if own:
        return Path(own).expanduser().absolute()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "guidebook"


def remembered(kind: str, key: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept in the cache folder under `kind` by `key` (which must name everything the
    result depends on, versions included), so that the next process reads it instead (a parsed
    data file, the year's holidays: tens of milliseconds a cold build). Any trouble with the
    cache (missing, unreadable, damaged, read-only) just means computing it."""
    path = cache_dir() / kind / f"{hashlib.sha256(key.encode()).hexdigest()[:40]}.pickle"
    try:
        with path.open("rb") as handle:
            return cast(T, pickle.load(handle))
    except Exception:  # noqa: BLE001 - not there, or not ours to trust: compute it
        pass
    value = compute()
    try:
        from .atomic import write_atomic

        write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001, S110 - a cache that cannot be written
        pass
    return value
