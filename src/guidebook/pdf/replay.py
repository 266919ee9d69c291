"""Draw a reused page's content once, and replay the PDF operators into every guide that uses it.

A reused section (reuse.py) saves its layout, but WeasyPrint still draws its pages again for each
guide: about a fifth of a guide's time. The content of such a page is the same every time, so it
is drawn once into a scratch stream, and the operators, the glyphs it uses (per font) and the
images it shows are kept. Each guide then gets those operators, its fonts are told about the
glyphs (so that subsetting keeps them) and its images are registered; only the page's own margin
boxes (header, footer, page number) are drawn anew.

Pages whose drawing needs more than text, shapes and images (transparency groups, patterns,
shadings, emoji or missing glyphs) are drawn as usual. Relies on WeasyPrint 70's Stream and Font;
the tests compare replayed pages with a one-pass render pixel by pixel.

A drawing owns a reference to each PangoFont it names. WeasyPrint draws a text box from a Pango
layout that it frees right after, and the font map's caches are then the fonts' only owner; they
empty those caches whenever a font is added (an @font-face rule seen for the first time, e.g. the
first guide in another language with an agency font), which frees the fonts. Without its own
reference a drawing replayed after that would name freed fonts: a crash inside Pango, or another
font's glyphs (the batch's lost rows of issue 12).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import cffi
import pydyf
from weasyprint.document import Page
from weasyprint.draw import draw_page, draw_stacking_context
from weasyprint.pdf.stream import Stream
from weasyprint.stacking import StackingContext

SCALE = 0.75  # WeasyPrint draws at 72 pt per 96 CSS px (zoom 1)


# WeasyPrint publishes no types: its boxes, pages and streams are Any here, named for the reader.
PageBox = Any
PdfStream = Any


@dataclass
class Drawing:
    operators: list[Any]
    fonts: list[tuple[Any, dict[int, str], dict[int, int]]]  # pango font, to_unicode, widths
    images: dict[str, dict[str, Any]]
    states: dict[str, Any]  # ExtGState entries named after their alpha value
    font_refs: list[Any] = field(default_factory=list)  # our references to those fonts (font_ref)
    tags: dict[Any, dict[str, Any]] | None = None  # a tagged drawing: box -> marked content (MCID)


_FFI = cffi.FFI()
_FFI.cdef("void *g_object_ref (void *object); void g_object_unref (void *object);")
# WeasyPrint's names for GObject (text/ffi.py), which declares no g_object_ref
_GOBJECT_NAMES = (
    "libgobject-2.0-0",
    "gobject-2.0-0",
    "gobject-2.0",
    "libgobject-2.0.so.0",
    "libgobject-2.0.0.dylib",
    "libgobject-2.0-0.dll",
)


@cache
def _gobject() -> Any:
    for name in _GOBJECT_NAMES:
        try:
            return _FFI.dlopen(name)
        except OSError:
            continue
    raise OSError("GObject cannot be loaded")


def font_ref(pango_font: Any) -> Any:
    """A new reference to `pango_font` (a PangoFont * of WeasyPrint's ffi), given back when the
    returned object is freed."""
    from weasyprint.text.ffi import ffi

    gobject = _gobject()
    pointer = _FFI.cast("void *", int(ffi.cast("uintptr_t", pango_font)))
    return _FFI.gc(gobject.g_object_ref(pointer), gobject.g_object_unref)


def record(content_box: PageBox, color_profiles: dict[str, Any], *, tagged: bool = False) -> Drawing | None:
    """The operators of `content_box` (a page box without margin boxes), or None if they cannot
    be replayed into another document. `tagged`: drawn with marked content (a tagged PDF), whose
    identifiers (MCIDs) start at 0 as they do on a page of its own."""
    pango_fonts: dict[str, tuple[Any, Any]] = {}  # font hash: (PangoFont, our reference)

    class Recorder(Stream):  # type: ignore[misc]
        def add_font(self, pango_font: Any) -> tuple[Any, Any]:
            font, size = super().add_font(pango_font)
            if font.hash not in pango_fonts:  # referenced now, while its layout still holds it
                pango_fonts[font.hash] = (pango_font, font_ref(pango_font))
            return font, size

    fonts: dict[str, Any] = {}
    images: dict[str, dict[str, Any]] = {}
    resources = pydyf.Dictionary(
        {name: pydyf.Dictionary() for name in ("ExtGState", "XObject", "Pattern", "Shading", "ColorSpace")}
    )
    tags: dict[Any, dict[str, Any]] | None = {} if tagged else None
    stream = Recorder(
        fonts,
        (0, 0, content_box.margin_width(), content_box.margin_height()),
        resources,
        images,
        tags,
        color_profiles,
        None,
        compress=False,
    )
    stream.transform(d=-1, f=content_box.margin_height() * SCALE)
    stream.transform(a=SCALE, d=SCALE)
    start = len(stream.stream)
    draw_page(content_box, stream)
    if resources["Pattern"] or resources["Shading"]:
        return None
    if any(not key.startswith(("a", "A")) for key in resources["ExtGState"]):
        return None
    if any(resources["XObject"][name] is not None for name in resources["XObject"]):
        return None  # a transparency group: only images (set when the PDF is written) replay
    if any(
        font.missing or font.svg or font.png or font.bitmap or getattr(font, "colr", False)
        for font in fonts.values()
    ):
        return None
    return Drawing(
        operators=list(stream.stream[start:]),
        fonts=[
            (pango_fonts[font.hash][0], dict(font.to_unicode), dict(font.widths)) for font in fonts.values()
        ],
        font_refs=[pango_fonts[font.hash][1] for font in fonts.values()],
        images={name: entry for name, entry in images.items()},
        states=dict(resources["ExtGState"]),
        tags=tags,
    )


def replay(drawing: Drawing, stream: PdfStream) -> None:
    """Add the recorded content to `stream`, in its own graphics state. A tagged drawing's marked
    content goes first on its page, so its MCIDs are the page's own; the page learns them."""
    if drawing.tags is not None:
        stream._tags.update(drawing.tags)
    stream.push_state()
    stream.stream.extend(drawing.operators)
    stream.pop_state()  # also forgets the colour and font the stream thought were current
    for pango_font, to_unicode, widths in drawing.fonts:
        font, _ = stream.add_font(pango_font)
        for glyph, text in to_unicode.items():
            font.to_unicode.setdefault(glyph, text)
        for glyph, width in widths.items():
            font.widths.setdefault(glyph, width)
    for name, entry in drawing.images.items():
        stream._resources["XObject"][name] = None  # set when the PDF is written
        if name in stream._images:
            stream._images[name]["dpi_ratios"].update(entry["dpi_ratios"])
        else:
            stream._images[name] = {**entry, "dpi_ratios": set(entry["dpi_ratios"]), "x_object": None}
    for name, state in drawing.states.items():
        stream._resources["ExtGState"].setdefault(name, state)


def draw_margins(page_box: PageBox, stream: PdfStream) -> None:
    """Draw a page's margin boxes without its backgrounds (drawn with the content)."""
    draw_stacking_context(stream, StackingContext.from_page(page_box))


class ReusedPage(Page):  # type: ignore[misc]
    """A page whose content is replayed from its first drawing; its margin boxes are drawn."""

    def __init__(self, page_box: PageBox, margins_box: PageBox, drawing: Drawing | None, cached: Page):
        # Links, anchors and bookmarks: the cached content's, found once, and the margins' own.
        super().__init__(margins_box)
        self.links[:0] = cached.links
        self.anchors: dict[str, Any] = {**cached.anchors, **self.anchors}
        self.bookmarks[:0] = cached.bookmarks
        for form, fields in cached.forms.items():
            self.forms.setdefault(form, [])[:0] = fields
        self._page_box, self._margins_box, self._drawing = page_box, margins_box, drawing

    def paint(self, stream: PdfStream, scale: float = 1) -> None:
        tagged = getattr(stream, "_tags", None) is not None
        if (
            self._drawing is None
            or scale != SCALE
            or tagged != (self._drawing.tags is not None)
            or (tagged and stream._tags)
        ):  # marked content already on the page: draw it
            super().paint(stream, scale)
            return
        with stream.stacked():
            stream.transform(a=scale, d=scale)
            replay(self._drawing, stream)
            draw_margins(self._margins_box, stream)
