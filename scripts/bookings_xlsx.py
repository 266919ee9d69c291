"""Write samples/bookings.xlsx from samples/bookings.csv, as a coordinator's sheet holds it.

Dates and times are real spreadsheet dates and times (not text), the header is in words
("Booking ID", "Arrival date"), and the sheet is named "Bookings": the workbook exercises what
`guidebook batch` reads from Excel. tests/test_scaffold.py checks that both files hold the
same bookings. Run after changing the CSV: .venv/bin/python scripts/bookings_xlsx.py
"""

from __future__ import annotations

import csv
import sys
from datetime import date, datetime, time
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parents[1]
FIXED = datetime(2026, 1, 1)  # the workbook's own created/modified dates


def header_words(column: str) -> str:
    """booking_id -> Booking ID, arrival -> Arrival date: as a person titles a column."""
    words = {"booking_id": "Booking ID", "arrival": "Arrival date", "departure": "Departure date"}
    return words.get(column, column.replace("_", " ").replace(" ko", " (Korean)").capitalize())


def typed(column: str, text: str) -> object:
    """A cell's value as a spreadsheet holds it: dates, times and numbers as such."""
    if not text:
        return None
    if column in {"arrival", "departure", "exchange_rate_date"}:
        if " " in text:
            return datetime.fromisoformat(text)
        return date.fromisoformat(text)
    if column.endswith("_time") and text[:1].isdigit():
        return time.fromisoformat(text)
    if column == "exchange_rate":
        return float(text) if "." in text else int(text)
    return text


def main(
    source: Path = ROOT / "samples" / "bookings.csv", target: Path = ROOT / "samples" / "bookings.xlsx"
) -> None:
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Bookings"
    header = rows[0]
    sheet.append([header_words(c) for c in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows[1:]:
        sheet.append([typed(c, v) for c, v in zip(header, row, strict=True)])
    for column, cells in zip(header, sheet.iter_cols(min_row=2), strict=True):
        for cell in cells:
            if isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(cell.value, time):
                cell.number_format = "h:mm AM/PM"
        sheet.column_dimensions[cells[0].column_letter].width = max(12, len(header_words(column)) + 2)
    book.properties.creator = "guidebook"
    book.properties.created = book.properties.modified = FIXED
    book.save(target)
    print(f"wrote {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
