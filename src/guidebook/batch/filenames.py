"""Output file names from a template, safe on every file system and never colliding."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Mapping

from ..errors import OptionsError

FIELDS = ("booking_id", "name", "arrival", "departure", "line")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
_UNSAFE = re.compile(r'[\\/:*?"<>|]')
MAX_BYTES = 120


def check_template(template: str) -> None:
    """A name template may use only the known fields, e.g. "{booking_id}-{name}"."""
    if len(template) > 200:
        raise OptionsError("--name: the template is too long (at most 200 characters)")
    try:
        parts = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise OptionsError(f"--name {template!r}: {exc}") from None
    if any(spec or conv for _, spec, conv in parts):
        raise OptionsError(
            f"--name {template!r}: write fields as plain {{name}}, without a format "
            "(no ':' or '!' inside the braces)"
        )
    fields = [f for f, _, _ in parts]
    unknown = [f for f in fields if f not in FIELDS]
    if unknown or not fields:
        raise OptionsError(
            f"--name {template!r}: use fields among {', '.join(FIELDS)} "
            "in braces, e.g. {booking_id}-{name}"
        )


def safe_filename(text: str, *, fallback: str = "guide", max_bytes: int = MAX_BYTES) -> str:
    """`text` as one file name: no path separators, no "..", no control characters, length
    capped in UTF-8 bytes, Unicode letters kept readable."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"\s+", "_", text.strip())
    text = text.strip("._- ")
    encoded = text.encode("utf-8")[:max_bytes]
    text = encoded.decode("utf-8", errors="ignore").rstrip("._- ")
    if not text:
        text = fallback
    if _RESERVED.match(text):
        text = "_" + text
    return text


class NameAllocator:
    """Hands out distinct names (case-insensitively, for macOS and Windows file systems)."""

    def __init__(self, template: str, suffix: str = ".pdf", *, reserved: Iterable[str] = ()):
        check_template(template)
        self.template = template
        self.suffix = suffix
        self.used: set[str] = {name.casefold() for name in reserved}  # input files in the folder

    def allocate(self, fields: Mapping[str, object], fallback: str) -> str:
        values = {k: str(fields.get(k, "")) for k in FIELDS}
        stem = safe_filename(self.template.format_map(values), fallback=fallback)
        name, n = stem + self.suffix, 1
        while name.casefold() in self.used:
            n += 1
            name = f"{stem}-{n}{self.suffix}"
        self.used.add(name.casefold())
        return name
