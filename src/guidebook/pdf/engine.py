"""HTML -> PDF with WeasyPrint: allow-listed fetching, reproducible bytes, warnings collected."""

from __future__ import annotations

import warnings as warnings_module
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import RenderError
from ..timing import Timer, stage
from .section_cache import PageReuse
from .warnings import collect_warnings

if TYPE_CHECKING:
    import pydyf
    from weasyprint import CSS
    from weasyprint.document import Document


@dataclass(frozen=True)
class PdfAttachment:
    name: str
    data: bytes
    description: str
    fixed_time: datetime  # created/modified, from the input, so the PDF stays reproducible


SAFE_LINK_SCHEMES = ("https:", "http:", "mailto:", "tel:")


def drop_unsafe_links(document: Document) -> list[str]:
    """Remove links that would leak a local path (file:) or embed a file into the PDF; only web,
    mail and phone links and links inside the guide are written."""
    dropped = []
    for page in document.pages:
        kept = []
        for link in page.links:
            kind, target = link[0], str(link[1])
            if kind == "internal" or (kind == "external" and target.lower().startswith(SAFE_LINK_SCHEMES)):
                kept.append(link)
            else:
                dropped.append(f"removed a {kind} link to {target[:200]}")
        page.links[:] = kept
    return dropped


def compress_faster(document: Document, pdf: pydyf.PDF) -> None:
    """Compress the PDF's streams at zlib level 6 instead of pydyf's 9: a tenth of a guide's
    writing time saved for 1% more bytes. Skipped if pydyf changes (its byte conversion)."""
    import zlib

    import pydyf  # noqa: F811 - at run time too

    to_bytes = getattr(pydyf, "_to_bytes", None)
    if to_bytes is None:
        return
    for stream in pdf.objects:
        if isinstance(stream, pydyf.Stream) and stream.compress and "Filter" not in stream.extra:
            stream.stream = [zlib.compress(b"\n".join(to_bytes(item) for item in stream.stream), 6)]
            stream.compress = False
            stream.extra["Filter"] = "/FlateDecode"


def cache_page_references() -> bool:
    """Make pydyf's `PDF.page_references` a list kept per page count instead of one built again
    on every read: WeasyPrint's tagging reads it once per structure element (about 2,800 times for
    a 25-page guide, each time building a tuple of every page). The value is the same; only with
    the pydyf releases section_cache.py was tested with. Returns whether it is in place."""
    import pydyf

    from .section_cache import internals_supported

    current = pydyf.PDF.__dict__.get("page_references")
    if getattr(current, "fget", None) is _kept_page_references:
        return True
    if not internals_supported() or not isinstance(current, property) or current.fget is None:
        return False
    global _built_page_references
    _built_page_references = current.fget
    pydyf.PDF.page_references = property(_kept_page_references)
    return True


_built_page_references: Callable[[pydyf.PDF], tuple[bytes, ...]] | None = None


def _kept_page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    key = (id(kids), len(kids))
    kept = pdf.__dict__.get("_guidebook_page_references")
    if kept is None or kept[0] != key:
        assert _built_page_references is not None
        kept = (key, _built_page_references(pdf))
        pdf.__dict__["_guidebook_page_references"] = kept
    return kept[1]  # type: ignore[no-any-return]


def _file_key(path: Path) -> tuple[str, int, int]:
    """A file's path, modification time and size: a key that changes when the file does."""
    stat = Path(path).stat()
    return str(path), stat.st_mtime_ns, stat.st_size


class PdfEngine:
    """One per process: WeasyPrint, a font configuration and the fetcher, set up once."""

    def __init__(self, allowed_roots: Sequence[Path]):
        from .library import import_weasyprint

        import_weasyprint()  # lazy: WeasyPrint is slow to import
        from weasyprint.text.fonts import FontConfiguration

        from .fetcher import AllowListFetcher

        cache_page_references()
        self.font_config = FontConfiguration()
        self.fetcher = AllowListFetcher(allowed_roots)
        self._css: dict[tuple[str, int, int], CSS] = {}
        self.reuse = PageReuse()

    def stylesheet(self, path: Path) -> CSS:
        """The parsed stylesheet, parsed again when the file changes (a renderer kept open)."""
        from weasyprint import CSS

        key = _file_key(path)
        if key not in self._css:
            self._css[key] = CSS(filename=str(path), font_config=self.font_config, url_fetcher=self.fetcher)
        return self._css[key]

    def render(
        self,
        html: str,
        *,
        base_url: Path,
        stylesheets: Sequence[Path],
        attachments: Sequence[PdfAttachment] = (),
        timer: Timer | None = None,
        reuse: bool = False,
        tagged: bool = False,
        archive: bool = False,
    ) -> tuple[bytes, list[str]]:
        """The PDF bytes and WeasyPrint's warnings; the "layout" and "write" stages are timed.
        With `reuse`, sections marked data-reuse are laid out once per process (section_cache.py).
        `tagged`: a tagged PDF (PDF/UA-1: headings, lists, tables, alt texts, reading order);
        `archive`: PDF/A-3b, for records (the attached calendar is allowed in A-3)."""
        from weasyprint import Attachment

        with collect_warnings() as warnings:
            try:
                with stage(timer, "layout"):
                    document = self._layout(html, base_url, stylesheets, reuse, warnings, tagged)
                files = [
                    Attachment(
                        string=a.data,
                        name=a.name,
                        description=a.description,
                        created=a.fixed_time,
                        modified=a.fixed_time,
                        relationship="Data",
                        url_fetcher=self.fetcher,
                    )
                    for a in attachments
                ]
                # No pdf_identifier: pydyf computes the /ID by serialising and compressing
                # every object a second time (40 ms a guide); /ID is optional without encryption.
                variant = {"pdf_variant": "pdf/a-3b"} if archive else {}
                with stage(timer, "write"), warnings_module.catch_warnings():
                    # PDF/A: WeasyPrint 70 opens its sRGB profile and never closes the file
                    warnings_module.simplefilter("ignore", ResourceWarning)
                    data = document.write_pdf(
                        attachments=files,
                        optimize_images=True,
                        finisher=compress_faster,
                        pdf_tags=tagged or archive,
                        **variant,
                    )
            except RecursionError:
                raise RenderError("the document is too deeply nested to lay out") from None
        return data, list(warnings)

    def _layout(
        self,
        html: str,
        base_url: Path,
        stylesheets: Sequence[Path],
        reuse: bool,
        warnings: list[str],
        tagged: bool = False,
    ) -> Document:
        from weasyprint import HTML

        sheets = [self.stylesheet(p) for p in stylesheets]

        def layout(source: str) -> Document:
            return HTML(string=source, base_url=str(base_url), url_fetcher=self.fetcher).render(
                font_config=self.font_config, stylesheets=sheets, pdf_tags=tagged
            )

        if reuse:
            key = repr((str(base_url), [_file_key(p) for p in stylesheets], tagged))
            document, reused_warnings = self.reuse.render(html, layout, key=key, tagged=tagged)
            warnings.extend(reused_warnings)
        else:
            document = layout(html)
        warnings.extend(drop_unsafe_links(document))
        return document
