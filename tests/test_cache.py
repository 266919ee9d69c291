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


def test_a_value_is_computed_once_and_read_again_from_the_cache(tmp_path, monkeypatch):
    from unittest import mock

    from guidebook.cache import remembered

    monkeypatch.setenv("GUIDEBOOK_CACHE", str(tmp_path))

    def holiday() -> dict[str, object]:
        raise AssertionError("replaced by the mock")

    compute = mock.create_autospec(holiday, return_value={"date": (2026, 9, 24), "name": "Chuseok"})
    assert remembered("kind", "key 1", compute) == compute.return_value
    assert remembered("kind", "key 1", compute) == compute.return_value
    assert compute.call_count == 1
    remembered("kind", "key 2", compute)  # another key: computed
    assert compute.call_count == 2
    for kept in (tmp_path / "kind").iterdir():
        kept.write_bytes(b"damaged")  # never trusted: computed again
    assert remembered("kind", "key 1", compute) == compute.return_value and compute.call_count == 3


def test_a_cache_that_cannot_be_written_just_means_computing(tmp_path, monkeypatch):
    from guidebook.cache import remembered

    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("GUIDEBOOK_CACHE", str(tmp_path / "file"))
    assert remembered("kind", "key", lambda: 42) == 42


def test_the_holidays_of_a_stay_are_the_packages_and_kept(tmp_path, monkeypatch):
    from datetime import date

    from guidebook.guide import public_holidays
    from guidebook.plan.itinerary import korean_holidays

    monkeypatch.setenv("GUIDEBOOK_CACHE", str(tmp_path))
    stay = (date(2026, 9, 19), date(2026, 9, 30))
    assert public_holidays(*stay) == korean_holidays(*stay)
    assert date(2026, 9, 25) in public_holidays(*stay)  # Chuseok
    assert len(list((tmp_path / "holidays").iterdir())) == 1
