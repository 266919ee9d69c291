"""The batch's settings and summary (batch/types.py): checked when made."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidebook.batch.types import BatchSettings, Summary
from guidebook.errors import OptionsError


def test_the_report_goes_to_the_output_folder_unless_given():
    assert BatchSettings(out_dir=Path("out")).report_path == Path("out/report.csv")
    assert BatchSettings(out_dir=Path("out"), report_format="json").report_path == Path("out/report.json")
    assert BatchSettings(out_dir=Path("out"), report=Path("r.csv")).report_path == Path("r.csv")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"report_format": "xml"}, "unknown report format 'xml'"),
        ({"jobs": -1}, "--jobs must be 1 or more"),
        ({"name": "{nothing}"}, "--name"),
    ],
)
def test_bad_settings_are_usage_errors(given, message):
    with pytest.raises(OptionsError, match=message):
        BatchSettings(out_dir=Path("out"), **given)


def test_the_summary_counts_every_row():
    assert Summary(ok=3, failed=2, skipped=1).total == 6


def test_a_delimiter_given_alone_is_how_the_bookings_are_read():
    from guidebook.inputs.bookings import BookingsFormat

    assert BatchSettings(out_dir=Path("out"), delimiter=";").bookings == BookingsFormat(delimiter=";")
    given = BookingsFormat(delimiter="\t", date_format="dmy")
    assert BatchSettings(out_dir=Path("out"), delimiter=";", bookings=given).bookings == given
