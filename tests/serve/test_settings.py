"""The server's settings (serve/settings.py): a public address needs a token, limits are checked
when made, the data folder's default."""

from __future__ import annotations

import pytest

from guidebook.errors import OptionsError
from guidebook.serve.settings import ServeSettings, default_data_dir, is_loopback

TOKEN = "s3cret-token-of-32-characters-xx"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.9.1", True), ("::1", True), ("[::1]", True), ("localhost", True),
     ("0.0.0.0", False), ("192.168.1.20", False), ("example.org", False), ("::", False)],
)  # fmt: skip
def test_only_this_machines_own_addresses_are_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_the_default_is_this_machine_only_and_needs_no_token(tmp_path):
    settings = ServeSettings(data=tmp_path)
    assert settings.host == "127.0.0.1" and settings.loopback and settings.token is None
    assert settings.url == "http://127.0.0.1:8000"


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20"])
def test_any_other_address_refuses_to_start_without_a_token(tmp_path, host):
    with pytest.raises(OptionsError, match="--token or the GUIDEBOOK_TOKEN"):
        ServeSettings(data=tmp_path, host=host)
    assert not ServeSettings(data=tmp_path, host=host, token=TOKEN).loopback


def test_a_short_token_is_refused(tmp_path):
    with pytest.raises(OptionsError, match="at least 16 characters"):
        ServeSettings(data=tmp_path, host="0.0.0.0", token="short")


@pytest.mark.parametrize(
    ("field", "value"),
    [("port", 70000), ("workers", -1), ("queue", 0), ("timeout", 0), ("timeout", 7200), ("keep_days", 0),
     ("max_upload", 10), ("max_rows", 0)],
)  # fmt: skip
def test_bad_limits_are_usage_errors(tmp_path, field, value):
    with pytest.raises(OptionsError):
        ServeSettings(data=tmp_path, **{field: value})


def test_a_guide_made_by_the_server_has_its_clinics_time_limit_and_the_requests_choices(tmp_path):
    settings = ServeSettings(data=tmp_path, clinics=tmp_path / "c.yaml", timeout=30)
    options = settings.guide_options(brand=tmp_path / "b.yaml", page_format="pocket", booklet="a4")
    assert (options.clinics, options.brand, options.timeout) == (tmp_path / "c.yaml", tmp_path / "b.yaml", 30)
    assert (options.page_format, options.booklet) == ("a6", "a4")


def test_the_data_folder_follows_xdg_data_home_when_it_is_absolute(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_data_dir() == tmp_path / "guidebook"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/folder")
    assert default_data_dir() != tmp_path / "guidebook"
    assert default_data_dir().is_absolute() and default_data_dir().name == "guidebook"
