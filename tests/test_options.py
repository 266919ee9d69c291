"""How guides are made (options.py): one frozen set of options, checked once, before any work."""

from __future__ import annotations

import os
from dataclasses import FrozenInstanceError
from datetime import date
from pathlib import Path
from unittest import mock

import pytest

from guidebook.errors import OptionsError, OutputError
from guidebook.options import GuideOptions, check_outputs

D = date.fromisoformat


def test_options_are_normalised_when_made():
    options = GuideOptions(
        page_format="Pocket",
        language="zh-TW",
        clinics="c.yaml",
        closed_dates=(D("2026-09-22"), D("2026-09-21"), D("2026-09-22")),
    )
    assert (options.page_format, options.language) == ("a6", "zh-Hant")
    assert options.clinics == Path("c.yaml") and options.input_files == (Path("c.yaml"),)
    assert options.closed_dates == (D("2026-09-21"), D("2026-09-22"))
    with pytest.raises(FrozenInstanceError):
        options.strict = True  # type: ignore[misc]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"page_format": "b5"}, "unknown page format 'b5'"),
        ({"booklet": "a3"}, "unknown booklet sheet 'a3'"),
        ({"booklet": "a4", "page_format": "letter"}, "a booklet is made from A5 or A6 pages"),
        ({"language": "fr"}, "unsupported language 'fr'"),
        ({"timeout": 0}, "the time limit must be between 0 and 3600 seconds"),
        ({"timeout": 3601}, "the time limit must be between 0 and 3600 seconds"),
    ],
)
def test_a_bad_option_or_combination_is_refused(given, message):
    with pytest.raises(OptionsError, match=message):
        GuideOptions(**given)


def test_the_fingerprint_changes_with_the_bytes_of_a_guide_not_with_the_time_limit():
    base = GuideOptions()
    assert base.fingerprint() == GuideOptions(timeout=30).fingerprint()
    assert base.fingerprint() != GuideOptions(white_label=True).fingerprint()
    assert base.fingerprint() != GuideOptions(closed_dates=(D("2026-09-21"),)).fingerprint()


def test_outputs_are_checked_before_any_work(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("x")
    check_outputs({"-o": tmp_path / "new" / "g.pdf", "--html": None}, inputs=[profile])
    with pytest.raises(OptionsError, match="is a folder"):
        check_outputs({"-o": tmp_path})
    with pytest.raises(OptionsError, match="--html and -o name the same file"):
        check_outputs({"-o": tmp_path / "g.pdf", "--html": tmp_path / "sub" / ".." / "g.pdf"})
    with pytest.raises(OptionsError, match="is an input file"):
        check_outputs({"-o": tmp_path / "." / "p.yaml"}, inputs=[profile])
    (tmp_path / "link.pdf").symlink_to(profile)
    with pytest.raises(OptionsError, match="is an input file"):
        check_outputs({"-o": tmp_path / "link.pdf"}, inputs=[profile])


def test_an_output_folder_that_cannot_be_written_is_an_output_error(tmp_path):
    with (
        mock.patch.object(os, "access", autospec=True, return_value=False) as access,
        pytest.raises(OutputError, match=r"cannot write in .* \(permission denied\)"),
    ):
        check_outputs({"-o": tmp_path / "deeper" / "g.pdf"})
    access.assert_called_once_with(tmp_path, os.W_OK | os.X_OK)  # the nearest folder that exists


def test_a_calendar_reminder_is_an_option_that_changes_the_guide():
    assert not GuideOptions().reminder
    assert GuideOptions(reminder=True).fingerprint() != GuideOptions().fingerprint()
