"""The only way WeasyPrint reaches a file (pdf/fetcher.py): allowed folders and data: URLs.

(The fetch targets under /etc here are what must be refused, not inputs.)"""

from __future__ import annotations

import logging
from unittest import mock

import pytest

from guidebook.pdf import fetcher as fetcher_module
from guidebook.pdf.fetcher import AllowListFetcher
from guidebook.render.theme import default_theme


def test_fetcher_allows_only_its_folders_and_data_urls(tmp_path):
    theme = default_theme()
    fetcher = AllowListFetcher([theme / "styles"])
    css = (theme / "styles" / "guide.css").as_uri()
    response = fetcher.fetch(css)
    assert b"@page" in response.read()
    response.close()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    outside = theme / "samples" / "traveler.yaml"
    for url in [
        "file:///etc/passwd",
        css.replace("guide.css", "../../../../etc/passwd"),
        css.replace("guide.css", "../samples/traveler.yaml"),
        outside.as_uri(),
        "http://127.0.0.1:9/",
        "https://example.com/x.png",
        "ftp://example.com/x",
        "file://otherhost/etc/passwd",
    ]:
        with pytest.raises(PermissionError):
            fetcher.fetch(url)


def test_a_refused_fetch_is_logged_for_the_warnings_and_huge_files_are_refused(tmp_path, caplog):
    (tmp_path / "big.css").write_text("x" * 11)
    fetcher = AllowListFetcher([tmp_path])
    with mock.patch.object(fetcher_module, "MAX_BYTES", 10), pytest.raises(PermissionError):
        fetcher.fetch((tmp_path / "big.css").as_uri())
    with caplog.at_level(logging.WARNING, logger="weasyprint"), pytest.raises(PermissionError):
        fetcher.fetch("https://example.com/x.png")
    assert [r.getMessage() for r in caplog.records][-1] == (
        "blocked a resource outside the allowed folders: https://example.com/x.png"
    )
    (tmp_path / "small.css").write_text("x" * 10)
    with mock.patch.object(fetcher_module, "MAX_BYTES", 10):
        response = fetcher.fetch((tmp_path / "small.css").as_uri())
        assert response.read() == b"x" * 10
        response.close()
