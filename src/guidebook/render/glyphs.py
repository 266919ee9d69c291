"""Characters of typed text that no installed font can show, to warn before they print as boxes."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel


@cache
def coverage() -> tuple[list[int], list[int]] | None:
    """The union of every installed font's charset as sorted (starts, ends); None: unknown."""
    if not shutil.which("fc-list"):
        return None
    out = subprocess.run(
        ["fc-list", "--format", "%{charset}\n"], capture_output=True, text=True, check=False
    ).stdout
    ranges: list[tuple[int, int]] = []
    for token in out.split():
        first, _, last = token.partition("-")
        try:
            ranges.append((int(first, 16), int(last or first, 16)))
        except ValueError:
            continue
    ranges.sort()
    merged: list[list[int]] = []
    for lo, hi in ranges:
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [r[0] for r in merged], [r[1] for r in merged]


def system_face(family: str, style: str = "regular") -> tuple[Path, int] | None:
    """The file and collection index fontconfig gives for `family` in `style` (asked once per
    process: the cache's key is the same whether `style` is given or not)."""
    return _system_face(family, style)


@cache
def _system_face(family: str, style: str) -> tuple[Path, int] | None:
    if not shutil.which("fc-match"):
        return None
    out = subprocess.run(
        ["fc-match", "--format", "%{family}|%{file}|%{index}", f"{family}:{style}"],
        capture_output=True,
        text=True,
        check=False,
    )
    found, _, rest = out.stdout.partition("|")
    file, _, index = rest.partition("|")
    if out.returncode or family not in found.split(",") or not file:
        return None
    return Path(file), int(index or 0)


@cache
def font_installed(family: str) -> bool | None:
    """Whether fontconfig has the font family (names compared as fontconfig does, ignoring case);
    None when it cannot say (fc-match missing)."""
    if not shutil.which("fc-match"):
        return None
    out = subprocess.run(
        ["fc-match", "--format", "%{family}", family], capture_output=True, text=True, check=False
    )
    return family.strip().casefold() in {name.strip().casefold() for name in out.stdout.split(",")}


# Characters Noto Sans CJK KR (which guidebook needs, and `doctor` checks) has for certain: ASCII,
# Latin-1, CJK punctuation, kana, the CJK ideographs, Hangul syllables, full-width forms. Text made
# only of these needs no font census (fc-list reads every font's charset: 0.2 to 0.4 s).
_NOTO_CJK = (
    (0x20, 0x7E),
    (0xA0, 0xFF),
    (0x3000, 0x303F),
    (0x3040, 0x30FF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
    (0xFF01, 0xFF5E),
)


def covered(char: str) -> bool:
    """Whether an installed font has `char` (True when that cannot be known)."""
    code = ord(char)
    if any(lo <= code <= hi for lo, hi in _NOTO_CJK) and system_face("Noto Sans CJK KR"):
        return True
    table = coverage()
    if table is None:
        return True
    starts, ends = table
    i = bisect_right(starts, ord(char)) - 1
    return i >= 0 and ord(char) <= ends[i]


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _texts(item, f"{path}[{i}]")


def missing_glyphs(**sources: Any) -> list[str]:
    """One warning per field that has characters no installed font has."""
    warnings = []
    for name, source in sources.items():
        for path, text in _texts(source, name):
            missing = sorted(
                {ch for ch in text if unicodedata.category(ch)[0] not in "CZ" and not covered(ch)}
            )
            if missing:
                shown = ", ".join(f"U+{ord(ch):04X}" for ch in missing[:5])
                warnings.append(f"{path}: no installed font has {shown}; it will print as an empty box")
    return warnings
