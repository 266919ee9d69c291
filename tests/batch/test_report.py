"""The batch's report (batch/report.py): every row in the CSV's order, readable after every row,
and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import json

import pytest

from guidebook.batch.report import ReportWriter, safe_cell
from guidebook.batch.types import RowResult


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Ann", "Ann"),
        ("", ""),
        (None, ""),
        (3, "3"),
    ],
)
def test_a_cell_is_shown_as_text_never_run_as_a_formula(value, shown):
    assert safe_cell(value) == shown


def test_rows_are_written_in_the_csv_order_whatever_order_they_end_in(tmp_path):
    path = tmp_path / "report.csv"
    with ReportWriter(path, "csv") as report:
        report.add(1, RowResult(3, "B2", "failed", None, "=cmd|' /C calc'!A0"))
        assert list(csv.reader(path.read_text(encoding="utf-8").splitlines())) == [
            ["booking_id", "line", "status", "output", "message"]
        ]  # the header, there from the start
        report.add(0, RowResult(2, "B1", "ok", "B1.pdf"))
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    assert [(r["line"], r["status"], r["output"]) for r in rows] == [
        ("2", "ok", "B1.pdf"),
        ("3", "failed", ""),
    ]
    assert rows[1]["message"] == "'=cmd|' /C calc'!A0"


def test_a_json_report_is_a_whole_array_after_every_row(tmp_path):
    path = tmp_path / "report.json"
    with ReportWriter(path, "json") as report:
        assert json.loads(path.read_text()) == []
        report.add(0, RowResult(2, "B1", "ok", "B1.pdf"))
        assert [r["booking_id"] for r in json.loads(path.read_text())] == ["B1"]
        report.add(1, RowResult(3, "B2", "failed", None, "column arrival: not a date"))
    assert json.loads(path.read_text()) == [
        {"booking_id": "B1", "line": 2, "status": "ok", "output": "B1.pdf", "message": ""},
        {
            "booking_id": "B2",
            "line": 3,
            "status": "failed",
            "output": None,
            "message": "column arrival: not a date",
        },
    ]
