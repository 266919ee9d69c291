"""Untrusted text is shown as typed, never run as markup or template code, never fetched."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from helpers import build
from pypdf import PdfReader

from guidebook.pdf.fetcher import AllowListFetcher
from guidebook.render.theme import default_theme

HOSTILE = {
    "name": '<img src="file:///etc/passwd"> {{ 7*7 }}',
    "notes": "</style><link rel=attachment href=file:///etc/passwd>{% for x in range(3) %}X{% endfor %}",
    "hotel": "<script>alert(1)</script><object data=file:///etc/hostname></object>",
}


@pytest.mark.slow
def test_hostile_text_is_escaped_and_nothing_is_fetched(tmp_path, write_profile):
    html = tmp_path / "g.html"
    profile = write_profile(name=HOSTILE["name"], hotel=HOSTILE["hotel"], notes=HOSTILE["notes"],
                            address_ko="서울 <b>bold</b>")
    result = build(profile, output=tmp_path / "g.pdf", html=html)
    source = html.read_text()
    assert "<img src=\"file:///etc/passwd\">" not in source
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt; {{ 7*7 }}" in source
    assert "<script>" not in source and "<link rel=attachment" not in source
    assert "XXX" not in source  # the template loop in the notes was not run
    assert result.warnings == []  # escaped text asks for nothing, so nothing was blocked
    reader = PdfReader(tmp_path / "g.pdf")
    assert list(reader.attachments) == ["trip.ics"]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(tmp_path / "g.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "{{ 7*7 }}" in text and "49" not in text.split("{{ 7*7 }}")[0][-5:]
        assert "root:" not in text


def test_fetcher_allows_only_its_folders_and_data_urls(tmp_path):
    theme = default_theme()
    fetcher = AllowListFetcher([theme / "styles"])
    css = (theme / "styles" / "guide.css").as_uri()
    response = fetcher.fetch(css)
    assert b"@page" in response.read()
    response.close()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    outside = theme / "samples" / "traveler.yaml"
    for url in ["file:///etc/passwd", css.replace("guide.css", "../../../../etc/passwd"),
                css.replace("guide.css", "../samples/traveler.yaml"), outside.as_uri(),
                "http://127.0.0.1:9/", "https://example.com/x.png", "ftp://example.com/x",
                "file://otherhost/etc/passwd"]:
        with pytest.raises(PermissionError):
            fetcher.fetch(url)
