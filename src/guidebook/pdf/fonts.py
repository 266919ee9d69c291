"""Trimmed copies of the Noto Sans CJK faces, made once per machine, for faster, smaller PDFs.

The system faces hold 65,000 glyphs for four scripts in a 20 MB collection. WeasyPrint subsets the
faces a guide uses for every PDF, keeping glyph numbers, so the cost (30 ms a face) and the size
(150 KB a face, mostly empty slots) follow the whole font. A trimmed copy keeps Latin, the common
symbols and one region's everyday set (REGIONS): the 2,350 Hangul syllables of KS X 1001 with
the Hangul letters, the kana and the 6,355 kanji of JIS X 0208, the 6,763 hanzi of GB 2312, or the
13,060 of Big5. Outlines, metrics and the layout tables a guide uses are the same, so the pages
look the same to the pixel (tested for every language); a Korean or English guide is about 70%
smaller and written about 50 ms faster, a Japanese or Chinese one 25 to 40% smaller and 50 to 110
ms faster. Text a copy lacks (a name in kanji in the Korean face, a rare syllable such as 똠, a kanji
outside JIS X 0208) falls through to the system face named next in the CSS.

The templates and guide.css name them "guidebook Sans KR" (and JP, SC, TC), each before its
system family. The copies are kept in the cache folder ($GUIDEBOOK_CACHE, else
$XDG_CACHE_HOME/guidebook, else ~/.cache/guidebook), named by the system font they came from.
When one cannot be made (no font, no uharfbuzz, a read-only home), guides use the system faces.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..cache import cache_dir
from ..render.glyphs import system_face

log = logging.getLogger(__name__)

VERSION = 3  # bump when the trimming changes otherwise: the cached files are named after it
RANGES = (
    (0x0020, 0x007E),
    (0x00A0, 0x024F),
    (0x0300, 0x036F),
    (0x1E00, 0x1EFF),  # Latin, accents
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x215F),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
    (0x2460, 0x24FF),
    (0x25A0, 0x27BF),
    (0x3000, 0x303F),
    (0xFF00, 0xFFEF),  # symbols, CJK punctuation
)
HANGUL_LETTERS = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xD7B0, 0xD7FF))
KANA = ((0x3040, 0x30FF), (0x31F0, 0x31FF))
BOPOMOFO = ((0x3100, 0x312F),)


def _encodable(first: int, last: int, codec: str) -> tuple[int, ...]:
    """The characters of [first, last] that a national two-byte character set encodes."""
    return tuple(c for c in range(first, last + 1) if len(chr(c).encode(codec, "ignore")) == 2)


@dataclass(frozen=True)
class Region:
    source: str  # the system family
    family: str  # the trimmed copy's family in the CSS
    ranges: tuple[tuple[int, int], ...]
    codec: str  # the national character set whose syllables or ideographs are kept
    first: int
    last: int
    extra: str = ""  # characters the translations use beyond that set

    @property
    def characters(self) -> tuple[int, ...]:
        return _encodable(self.first, self.last, self.codec) + tuple(map(ord, self.extra))


# The Hangul syllables of KS X 1001 (2,350 of 11,172), the kanji of JIS X 0208 (6,355), the hanzi
# of GB 2312 (6,763) and of Big5 (13,060): the everyday sets. Keeping every syllable tripled the
# Korean face, and so the time WeasyPrint spends subsetting it for each PDF. The layout features
# are HarfBuzz's defaults: without `locl` (the other regions' forms of every ideograph, half of
# the Japanese and Chinese faces) some lines moved by a pixel.
REGIONS = {
    "KR": Region("Noto Sans CJK KR", "guidebook Sans KR", RANGES + HANGUL_LETTERS, "euc_kr", 0xAC00, 0xD7A3),
    "JP": Region("Noto Sans CJK JP", "guidebook Sans JP", RANGES + KANA, "euc_jp", 0x4E00, 0x9FFF),
    "SC": Region("Noto Sans CJK SC", "guidebook Sans SC", RANGES + BOPOMOFO, "gb2312", 0x4E00, 0x9FFF),
    "TC": Region(
        "Noto Sans CJK TC", "guidebook Sans TC", RANGES + BOPOMOFO, "big5", 0x4E00, 0x9FFF, extra="肽苷疱"
    ),
}
WEIGHTS = {"400": "regular", "700": "bold"}


def region_of(source_family: str) -> str | None:
    """ "JP" for "Noto Sans CJK JP", and so on; None for a family without a trimmed copy."""
    return next((key for key, r in REGIONS.items() if r.source == source_family), None)


def trimmed_family(source_family: str) -> str | None:
    """ "guidebook Sans JP" for "Noto Sans CJK JP", and so on."""
    region = region_of(source_family)
    return REGIONS[region].family if region else None


def font_dir() -> Path:
    """Where the trimmed faces are kept (the URL fetcher allows it)."""
    return cache_dir() / "fonts"


@cache
def trimmed_faces(region: str = "KR") -> tuple[tuple[str, Path], ...]:
    """((CSS font-weight, file), ...) of a region's trimmed faces, made on first use; () if
    impossible."""
    faces = []
    for weight, style in WEIGHTS.items():
        source = system_face(REGIONS[region].source, style)
        if source is None:
            return ()
        try:
            faces.append((weight, _trimmed(region, *source)))
        except (OSError, ImportError, RuntimeError) as exc:  # no uharfbuzz, unwritable cache
            log.info("using the system CJK faces (could not trim %s: %s)", source[0], exc)
            return ()
    return tuple(faces)


def _trimmed(region: str, source: Path, index: int) -> Path:
    stat = source.stat()
    tag = hashlib.sha256(  # the region's definition too: a change makes new files
        f"{VERSION}|{REGIONS[region]!r}|{source}|{index}|{stat.st_size}|{stat.st_mtime_ns}".encode()
    )
    target = font_dir() / f"{source.stem}-{index}-{tag.hexdigest()[:12]}.otf"
    seal = target.with_suffix(".sha256")
    if _intact(target, seal):
        return target
    from ..atomic import write_atomic
    from ..errors import OutputError

    data = _subset(REGIONS[region], source, index)
    try:
        write_atomic(target, data)
        write_atomic(seal, f"{len(data)} {hashlib.sha256(data).hexdigest()}\n")
    except OutputError as exc:
        raise OSError(str(exc)) from None
    return target


def _intact(target: Path, seal: Path) -> bool:
    """The trimmed face is there, with the size and SHA-256 recorded when it was made (a copy cut
    short by a full disk, or damaged since, is made again). 5 to 30 ms, once per process."""
    try:
        size, digest = seal.read_text(encoding="ascii").split()
        if target.stat().st_size != int(size):
            return False
        return hashlib.sha256(target.read_bytes()).hexdigest() == digest
    except (OSError, ValueError):
        return False


def _subset(region: Region, source: Path, index: int) -> bytes:
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(source)), index)
    wanted = hb.SubsetInput()
    for first, last in region.ranges:
        for codepoint in range(first, last + 1):
            wanted.unicode_set.add(codepoint)
    for codepoint in region.characters:
        wanted.unicode_set.add(codepoint)
    trimmed = hb.subset(face, wanted)
    data = bytes(trimmed.blob.data) if trimmed is not None else b""
    if not data:
        raise RuntimeError("HarfBuzz could not subset the font")
    return data
