"""Where guidebook keeps what it makes once per machine (trimmed fonts, compiled templates)."""

from __future__ import annotations

import os
from pathlib import Path


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
