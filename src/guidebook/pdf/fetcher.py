"""The only way WeasyPrint reaches a file: allowed folders and data: URLs, never the network."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher

MAX_BYTES = 20 << 20


class AllowListFetcher(URLFetcher):  # type: ignore[misc]
    """Fetches files under the theme and brand folders, and data: URLs; refuses the rest."""

    def __init__(self, roots: Iterable[Path]):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, timeout=5)
        self.roots = tuple(Path(r).resolve() for r in roots)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(url2pathname(unquote(parts.path))).resolve()
            if (
                any(path.is_relative_to(root) for root in self.roots)
                and path.is_file()
                and path.stat().st_size <= MAX_BYTES
            ):
                return super().fetch(path.as_uri(), headers)
        message = f"blocked a resource outside the allowed folders: {url[:200]}"
        # WeasyPrint words some failures vaguely ("Font-face cannot be loaded"): say which.
        logging.getLogger("weasyprint").warning(message)
        raise PermissionError(message)
