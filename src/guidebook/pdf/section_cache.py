"""Lay out once the sections that are the same from guide to guide, and reuse their pages.

The help numbers, the phrases, the disclaimer, a clinic set's pages and a package's treatment
pages are identical for many travelers of a batch. Their layout is most of a guide's cost, so each
section marked ``data-reuse`` in the templates is laid out in a document of its own and cached by
its HTML. The guide itself is laid out with a blank "slot" of the same number of pages in its
place, which gives every page its own header, footer and page number ("7 / 18"); the cached
content is then put on the slot pages, under those margin boxes. One PDF is written from all the
pages, so fonts are subset once and bookmarks and links work as in a single pass.

This uses WeasyPrint's page boxes (``Page._page_box``): it checks what it relies on, and lays
the guide out in one pass whenever a check fails (a theme that lets a reused section share a
page, a named page, another WeasyPrint), so the result is always the same as without reuse.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .replay import Drawing

log = logging.getLogger(__name__)

_SECTION = re.compile(r"<section\b[^>]*\bdata-reuse\b[^>]*>")
_TAG = re.compile(r"<(/?)section\b", re.IGNORECASE)
_HEAD_NOISE = re.compile(r"<title>.*?</title>|<meta\b[^>]*>", re.DOTALL)
# A slot is one blank page per page of its section; never in columns (a theme's two-column
# section would put its pages' breaks between columns)
_SLOT_CSS = (
    "<style>.gb-slot-page{height:1px;margin:0;padding:0;border:0}"
    ".gb-slot-page+.gb-slot-page{break-before:page}[data-slot]{columns:auto!important}</style>"
)
_FORCED = {"page", "left", "right", "recto", "verso"}
# A page put before a section laid out on its own, so that the section starts on a left page
_LEFT_START = '<div class="gb-left-start"></div>'
_LEFT_START_CSS = "<style>.gb-left-start{height:1px;margin:0;padding:0;border:0;break-after:page}</style>"
# The releases whose private parts (page boxes, Page, Stream, draw_page; pydyf's streams) this
# module and replay.py were written and tested for. With any other, guides are laid out in one
# pass: slower, never wrong.
TESTED = {"weasyprint": ("70.",), "pydyf": ("0.13.", "0.12.")}


@cache
def internals_supported() -> bool:
    """Whether the installed WeasyPrint and pydyf are releases this module was tested with."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return all(version(name).startswith(prefixes) for name, prefixes in TESTED.items())
    except PackageNotFoundError:
        return False


# WeasyPrint publishes no types: its documents, pages and boxes are Any here, named for the reader.
Document = Any
Page = Any
PageBox = Any
Layout = Callable[[str], Document]


@dataclass
class _Shared:
    pages: list[Page]  # laid out in a document of their own
    warnings: list[str]
    drawings: list[Drawing | None]  # each page's content, drawn once


@dataclass
class ReuseStats:
    hits: int = 0
    misses: int = 0
    single_pass: int = 0  # guides laid out in one pass (nothing to reuse, or a check failed)
    replayed: int = 0  # reused pages whose drawing is replayed, not drawn again (replay.py)
    reasons: list[str] = field(default_factory=list)  # why reuse was turned off, if it was


class PageReuse:
    """A per-process cache of laid-out sections, bounded to `max_entries` (least recent out).

    A batch in its CSV order mixes languages, and each language has its own shared sections (about
    seven a guide): with room for fewer than all of them, least-recent-out evicts each section just
    before it is needed again and nothing is ever reused (24 entries and the five languages in turn:
    0 hits in 120 sections, each guide four times slower than with room). 64 holds five languages
    of a package and a few more; an entry is some hundreds of kilobytes (the worker's memory was the
    same with 24 entries thrashing and 30 kept)."""

    def __init__(self, max_entries: int = 64):
        self.max_entries = max_entries
        self.stats = ReuseStats()
        self._cache: OrderedDict[str, _Shared] = OrderedDict()
        self._sides: OrderedDict[str, str] = OrderedDict()  # the side each section was last wanted on

    def render(
        self, html: str, layout: Layout, *, key: str = "", tagged: bool = False
    ) -> tuple[Document, list[str]]:
        """The laid-out document for `html` and the WeasyPrint warnings of the reused sections.

        `layout` turns an HTML string into a WeasyPrint document (same base URL, stylesheets and
        fonts for every call); `key` names what else the layout depends on (the stylesheets).
        """
        if not self.stats.reasons and not internals_supported():
            return self._single(html, layout, "WeasyPrint or pydyf is a release reuse was not tested with")
        parts = None if self.stats.reasons else _split(html)
        if parts is None:
            return self._single(html, layout, "")
        head, body_open, pieces = parts

        def shared_section(piece: str, side: str | None = None) -> tuple[_Shared, bool]:
            return self._shared(key + head + body_open, head, body_open, piece, layout, tagged, side)

        found = [shared_section(p) if reusable else None for reusable, p in pieces]
        personal = "".join(
            _slot(piece, len(both[0].pages)) if both else piece
            for (_, piece), both in zip(pieces, found, strict=True)
        )
        personal = personal.replace("</head>", _SLOT_CSS + "</head>", 1)
        document = layout(personal)
        # A section's pages are laid out for the side (left or right page) it lands on in this
        # guide when the two differ (the edge tabs are at the outer edge): the number of personal
        # pages before it changes from guide to guide. Same page count either way.
        firsts = _first_slots(document, [len(both[0].pages) for both in found if both])
        if firsts is not None:
            slot = iter(firsts)
            found = [
                shared_section(piece, _side(first))
                if both and not _same_geometry((first := next(slot))._page_box, both[0].pages[0]._page_box)
                else both
                for (_, piece), both in zip(pieces, found, strict=True)
            ]
        shared = [entry for entry, _ in filter(None, found)]
        # a new section's warnings were logged while it was laid out; a reused one's are repeated
        warnings = [w for entry, hit in filter(None, found) if hit for w in entry.warnings]
        pages = _graft(document, shared)
        if pages is None:
            # once is enough to know: this theme's guides are laid out in one pass from now on
            return self._single(html, layout, "the theme lets a reused section share a page")
        self.stats.replayed += sum(d is not None for s in shared for d in s.drawings)
        return document.copy(pages), warnings

    def _single(self, html: str, layout: Layout, reason: str) -> tuple[Document, list[str]]:
        self.stats.single_pass += 1
        if reason and reason not in self.stats.reasons:
            log.debug("page reuse off for a guide: %s", reason)
            self.stats.reasons.append(reason)
        return layout(html), []

    def _shared(
        self,
        key_text: str,
        head: str,
        body_open: str,
        section: str,
        layout: Layout,
        tagged: bool = False,
        side: str | None = None,
    ) -> tuple[_Shared, bool]:
        """The section laid out from a page of `side` (by default the side it was last wanted
        on: in a batch of guides alike, the one it will land on), and whether it was cached."""
        from .warnings import collect_warnings

        section_key = hashlib.sha256((key_text + section).encode()).hexdigest()
        side = side or self._sides.get(section_key, "right")
        self._sides[section_key] = side
        self._sides.move_to_end(section_key)
        while len(self._sides) > 4 * self.max_entries:
            self._sides.popitem(last=False)
        key = f"{section_key}:{side}"
        if key in self._cache:
            self._cache.move_to_end(key)
            self.stats.hits += 1
            return self._cache[key], True
        self.stats.misses += 1
        if side == "left":  # a first page that is dropped: the section starts on the second, a left page
            head = head.replace("</head>", _LEFT_START_CSS + "</head>", 1)
            body_open += _LEFT_START
        with collect_warnings() as warnings:
            document = layout(head + body_open + section + "</body></html>")
        pages = document.pages[1:] if side == "left" else document.pages
        weasyprint_log = logging.getLogger("weasyprint")
        weasyprint_log.disabled = True  # a drawing's warnings come when its page is drawn for real
        try:
            drawings = [_record(page, document.color_profiles, tagged) for page in pages]
        finally:
            weasyprint_log.disabled = False
        entry = _Shared(pages, list(warnings), drawings)
        self._cache[key] = entry
        while len(self._cache) > self.max_entries:
            self._cache.popitem(last=False)
        return entry, False


def _split(html: str) -> tuple[str, str, list[tuple[bool, str]]] | None:
    """(head without title and meta, the body tag, [(reusable, html), ...]) or None."""
    body = re.search(r"<body\b[^>]*>", html)
    if not body or not _SECTION.search(html, body.end()):
        return None
    head = _HEAD_NOISE.sub("", html[: body.start()])
    pieces: list[tuple[bool, str]] = []
    position = 0
    for match in _SECTION.finditer(html, body.end()):
        if match.start() < position:
            return None  # a reusable section inside another: not ours to cut
        end = _section_end(html, match.start())
        if end is None:
            return None
        pieces.append((False, html[position : match.start()]))
        pieces.append((True, html[match.start() : end]))
        position = end
    pieces.append((False, html[position:]))
    return head, body.group(0), pieces


def _section_end(html: str, start: int) -> int | None:
    depth = 0
    for tag in _TAG.finditer(html, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            close = html.find(">", tag.end())
            return None if close < 0 else close + 1
    return None


def _slot(section: str, pages: int) -> str:
    """A reusable section emptied into as many blank pages as it fills (same tag and classes)."""
    match = _SECTION.match(section)
    assert match is not None  # _split cut the section at this tag
    tag = match.group(0)
    return (
        re.sub(r"\bdata-reuse\b", 'data-slot=""', tag)
        + '<div class="gb-slot-page"></div>' * pages
        + "</section>"
    )


def _graft(document: Document, shared: list[_Shared]) -> list[Page] | None:
    """The document's pages with each slot page's content replaced by its cached page, or None
    when a check fails (then the guide is laid out in one pass)."""
    from .replay import ReusedPage

    expected = [page for s in shared for page in s.pages]
    drawings = [drawing for s in shared for drawing in s.drawings]
    slots = []
    for index, page in enumerate(document.pages):
        state = _slot_state(page._page_box)
        if state is None:
            return None
        if state:
            slots.append(index)
    if len(slots) != len(expected):
        return None
    if not all(_starts_on_new_page(s.pages[0]._page_box) for s in shared):
        return None
    pages = list(document.pages)
    for index, cached, drawing in zip(slots, expected, drawings, strict=True):
        slot_box, cached_box = pages[index]._page_box, cached._page_box
        if not _same_geometry(slot_box, cached_box):
            return None
        margins = _children(slot_box, margins=True)
        pages[index] = ReusedPage(
            slot_box.copy_with_children(_children(cached_box, margins=False) + margins),
            slot_box.copy_with_children(margins),
            drawing,
            cached,
        )
    return pages


def _record(page: Page, color_profiles: dict[str, Any], tagged: bool) -> Drawing | None:
    from .replay import record

    box = page._page_box
    return record(box.copy_with_children(_children(box, margins=False)), color_profiles, tagged=tagged)


def _side(page: Page) -> str:
    return str(page._page_box.page_type.side)


def _first_slots(document: Document, counts: list[int]) -> list[Page] | None:
    """The first slot page of each reused section, or None if the slot pages are not as many
    as the sections' pages (then _graft refuses the document)."""
    slots = [page for page in document.pages if _slot_state(page._page_box)]
    if len(slots) != sum(counts):
        return None
    return [slots[sum(counts[:n])] for n in range(len(counts))]


def _children(page_box: PageBox, *, margins: bool) -> tuple[PageBox, ...]:
    """A page box's margin boxes (header, footer, page number), or everything else."""
    from weasyprint.formatting_structure.boxes import MarginBox

    return tuple(c for c in page_box.children if isinstance(c, MarginBox) == margins)


def _slot_state(page_box: PageBox) -> bool | None:
    """True for a page holding only a slot, False for a page without one, None if mixed."""
    body = _body(page_box)
    if body is None:
        return None
    elements = [child.element for child in body.children if child.element is not None]
    slots = [e for e in elements if e.get("data-slot") is not None]
    if not slots:
        return False
    return True if len(slots) == len(elements) else None


def _starts_on_new_page(page_box: PageBox) -> bool:
    """The reused section breaks before itself, so a one-pass layout also starts it on a page."""
    body = _body(page_box)
    sections = [c for c in body.children if c.element is not None] if body is not None else []
    return bool(sections) and sections[0].style["break_before"] in _FORCED


def _body(page_box: PageBox) -> PageBox | None:
    roots = [c for c in page_box.children if getattr(c, "is_for_root_element", False)]
    if len(roots) != 1 or len(roots[0].children) != 1:
        return None
    return roots[0].children[0]


def _same_geometry(a: PageBox, b: PageBox) -> bool:
    names = ("margin_top", "margin_right", "margin_bottom", "margin_left", "width", "height")
    return all(getattr(a, n) == getattr(b, n) for n in names)
