"""Where guidebook keeps what it makes once per machine (cache.py)."""

from __future__ import annotations

import pytest

from guidebook.cache import cache_dir


@pytest.mark.parametrize(
    ("own", "xdg", "expected"),
    [
        ("own", "xdg", "own"),  # GUIDEBOOK_CACHE wins
        (None, "xdg", "xdg/guidebook"),
        (None, "relative", "home/.cache/guidebook"),  # a relative XDG_CACHE_HOME is ignored
        (None, None, "home/.cache/guidebook"),
    ],
)
def test_the_cache_folder_follows_the_environment(monkeypatch, tmp_path, own, xdg, expected):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # a made-up home: nothing is read there
    values = {
        "GUIDEBOOK_CACHE": own and str(tmp_path / own),
        "XDG_CACHE_HOME": "relative/xdg" if xdg == "relative" else xdg and str(tmp_path / xdg),
    }
    for name, value in values.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert cache_dir() == tmp_path / expected


def test_a_relative_guidebook_cache_is_taken_from_the_current_folder(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GUIDEBOOK_CACHE", "cache")
    assert cache_dir() == tmp_path / "cache"
