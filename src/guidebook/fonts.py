"""A trimmed copy of the Noto Sans CJK KR faces, made once per machine, for faster, smaller PDFs.

The system faces hold 65,000 glyphs for four scripts in a 20 MB collection. WeasyPrint subsets the
faces a guide uses for every PDF, keeping glyph numbers, so the cost (30 ms a face) and the size
(150 KB a face, mostly empty slots below the Hangul) follow the whole font. The trimmed copy keeps
Latin, the common symbols, the Hangul letters (jamo) and the 2,350 Hangul syllables of KS X 1001
(the everyday set: every Korean text guidebook ships, and nearly all names and addresses), with
the same outlines, metrics and layout tables: 5,800 glyphs in 700 KB. The pages look the same to
the pixel, the PDF is about 70% smaller and is written about 50 ms faster. Text it lacks (a name
in kanji, a rare syllable such as 똠) falls through to the system face named next in the CSS.

The templates and guide.css name it "guidebook Sans KR", before "Noto Sans CJK KR". The copy is
kept in the cache folder ($GUIDEBOOK_CACHE, else $XDG_CACHE_HOME/guidebook, else
~/.cache/guidebook), named by the system font it came from. When it cannot be made (no font, no
uharfbuzz, a read-only home), guides use the system faces as before.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

SOURCE_FAMILY = "Noto Sans CJK KR"
VERSION = 2  # bump when the characters kept change: the cached files are named after it
RANGES = (
    (0x0020, 0x007E), (0x00A0, 0x024F), (0x0300, 0x036F), (0x1E00, 0x1EFF),  # Latin, accents
    (0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xD7B0, 0xD7FF),  # Hangul letters
    (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x215F), (0x2190, 0x21FF), (0x2200, 0x22FF),
    (0x2460, 0x24FF), (0x25A0, 0x27BF), (0x3000, 0x303F), (0xFF00, 0xFFEF),  # symbols, CJK punctuation
)
# The Hangul syllables of KS X 1001 are those EUC-KR encodes (2,350 of the 11,172): keeping all
# of them tripled the font, and so the time WeasyPrint spends subsetting it for each PDF.
SYLLABLES = tuple(c for c in range(0xAC00, 0xD7A4) if len(chr(c).encode("euc_kr", "ignore")) == 2)
WEIGHTS = {"400": "regular", "700": "bold"}


def cache_dir() -> Path:
    if os.environ.get("GUIDEBOOK_CACHE"):
        return Path(os.environ["GUIDEBOOK_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "guidebook"


@lru_cache(maxsize=1)
def trimmed_faces() -> tuple[tuple[str, Path], ...]:
    """((CSS font-weight, file), ...) of the trimmed faces, made on first use; () if impossible."""
    faces = []
    for weight, style in WEIGHTS.items():
        source = _system_face(style)
        if source is None:
            return ()
        try:
            faces.append((weight, _trimmed(*source)))
        except (OSError, ImportError, RuntimeError) as exc:  # no uharfbuzz, unwritable cache
            log.info("using the system CJK faces (could not trim %s: %s)", source[0], exc)
            return ()
    return tuple(faces)


def _system_face(style: str) -> tuple[Path, int] | None:
    """The file and collection index fontconfig gives for Noto Sans CJK KR in `style`."""
    if not shutil.which("fc-match"):
        return None
    out = subprocess.run(["fc-match", "--format", "%{family}|%{file}|%{index}",
                          f"{SOURCE_FAMILY}:{style}"], capture_output=True, text=True, check=False)
    family, _, rest = out.stdout.partition("|")
    file, _, index = rest.partition("|")
    if out.returncode or SOURCE_FAMILY not in family.split(",") or not file:
        return None
    return Path(file), int(index or 0)


def _trimmed(source: Path, index: int) -> Path:
    stat = source.stat()
    tag = hashlib.sha256(f"{VERSION}|{source}|{index}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    target = cache_dir() / "fonts" / f"{source.stem}-{index}-{tag.hexdigest()[:12]}.otf"
    if target.is_file():
        return target
    from .atomic import write_atomic
    from .errors import OutputError

    try:
        write_atomic(target, _subset(source, index))
    except OutputError as exc:
        raise OSError(str(exc)) from None
    return target


def _subset(source: Path, index: int) -> bytes:
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(source)), index)
    wanted = hb.SubsetInput()
    for first, last in RANGES:
        for codepoint in range(first, last + 1):
            wanted.unicode_set.add(codepoint)
    for codepoint in SYLLABLES:
        wanted.unicode_set.add(codepoint)
    trimmed = hb.subset(face, wanted)
    data = bytes(trimmed.blob.data) if trimmed is not None else b""
    if not data:
        raise RuntimeError("HarfBuzz could not subset the font")
    return data
