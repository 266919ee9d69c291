"""An Excel workbook read as a bookings table (inputs/workbook.py): real .xlsx files made with
openpyxl here, their cells as a CSV export would hold them, and damaged or hostile files refused."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time

import pytest
from helpers import problems
from openpyxl import Workbook as Book

from guidebook.inputs import workbook
from guidebook.inputs.workbook import Workbook, cell_text, refuse_other_spreadsheet


def save(path, rows, *, title="Bookings", formats=None, extra_sheet=None):  # noqa: ANN001, ANN201
    book = Book()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for ref, number_format in (formats or {}).items():
        sheet[ref].number_format = number_format
    if extra_sheet:
        other = book.create_sheet(extra_sheet)
        other.append(["booking_id", "name"])
        other.append(["X1", "Other Sheet"])
    book.save(path)
    return path


def test_cells_read_as_a_csv_export_would_hold_them(tmp_path):
    path = save(
        tmp_path / "b.xlsx",
        [
            ["Booking ID", "Name", "Arrival date", "Arrival time", "Sessions", "Interpreter", "Rate"],
            ["B1", "Ann", date(2026, 10, 13), time(21, 30), 2, True, 9.25],
            ["B2", "  Bob  ", datetime(2026, 10, 13, 9, 30), None, 2.0, False, 1385],
            ["B3", "Cai", datetime(2026, 10, 13), None, None, None, None],
        ],
        formats={"C2": "dd/mm/yyyy", "C3": "dd/mm/yyyy hh:mm", "C4": "[$-409]d\\-mmm\\-yy;@"},
    )
    with Workbook(path) as book:
        assert (book.sheet, book.header_line) == ("Bookings", 1)
        assert book.header == [
            "Booking ID",
            "Name",
            "Arrival date",
            "Arrival time",
            "Sessions",
            "Interpreter",
            "Rate",
        ]
        records = list(book.records())
    assert [(r.line, r.cells) for r in records] == [
        (2, ["B1", "Ann", "2026-10-13", "21:30", "2", "yes", "9.25"]),
        (3, ["B2", "Bob", "2026-10-13T09:30", "", "2", "no", "1385"]),
        (4, ["B3", "Cai", "2026-10-13"]),  # a date format without hours: the date alone
    ]


def test_rows_keep_the_sheets_numbers_past_empty_rows_and_a_header_lower_down(tmp_path):
    path = save(
        tmp_path / "b.xlsx",
        [[None], ["name", "treatments"], ["Ann", "aqua-peel"], [None, None], ["Bob", "ipl"]],
    )
    with Workbook(path) as book:
        assert (book.header, book.header_line) == (["name", "treatments"], 2)
        assert [(r.line, r.cells) for r in book.records() if r.cells] == [
            (3, ["Ann", "aqua-peel"]),
            (5, ["Bob", "ipl"]),
        ]


def test_the_first_sheet_or_the_one_named(tmp_path):
    path = save(tmp_path / "b.xlsx", [["name"], ["First Sheet"]], title="Main", extra_sheet="Week 42")
    with Workbook(path) as book:
        assert book.sheet == "Main" and list(book.records())[0].cells == ["First Sheet"]
    with Workbook(path, sheet="week 42") as book:  # case and spaces as a person types them
        assert book.sheet == "Week 42" and list(book.records())[0].cells == ["X1", "Other Sheet"]
    [p] = problems(lambda: Workbook(path, sheet="Week 43"))
    assert (
        p.location == "sheet 'Week 43'" and "no sheet of this name (sheets: 'Main', 'Week 42')" in p.message
    )


@pytest.mark.parametrize(
    ("write", "message"),
    [
        (lambda p: p.write_bytes(b"booking_id,name\nB1,Ann\n"), "is not an Excel workbook"),
        (
            lambda p: zipfile.ZipFile(p, "w").writestr("hello.txt", "hi"),
            "cannot be read as an Excel workbook",
        ),
        (lambda p: save(p, [[None]]), "is empty; the first row names the columns"),
    ],
)
def test_a_damaged_or_empty_workbook_is_one_clear_problem(tmp_path, write, message):
    path = tmp_path / "b.xlsx"
    write(path)
    [p] = problems(lambda: Workbook(path))
    assert message in p.message and "Traceback" not in p.message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_UNPACKED", 8 << 20)  # the real bound is 500 MB
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (9 << 20))  # 9 MB of zeros, 9 KB packed
    assert path.stat().st_size < 100_000
    [p] = problems(lambda: Workbook(path))
    assert "unpacks to 9 MB (at most 8 MB); refused" in p.message


@pytest.mark.parametrize(("suffix", "what"), [(".xls", "an old Excel file"), (".ods", "LibreOffice")])
def test_other_spreadsheets_say_how_to_save_them(tmp_path, suffix, what):
    path = tmp_path / f"b{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    [p] = problems(lambda: refuse_other_spreadsheet(path))
    assert what in p.message and "save it as an Excel workbook (.xlsx) or as CSV UTF-8" in p.message


def test_cell_text_of_values_without_a_cell():
    class Cell:
        def __init__(self, value, number_format="General"):  # noqa: ANN001
            self.value, self.number_format = value, number_format

    assert cell_text(Cell(None)) == ""
    assert cell_text(Cell(3.0)) == "3" and cell_text(Cell(3.5)) == "3.5"
    assert cell_text(Cell(datetime(2026, 10, 13), 'yyyy"년" mm"월" dd"일"')) == "2026-10-13"
    assert cell_text(Cell(datetime(2026, 10, 13), "yyyy-mm-dd h:mm")) == "2026-10-13T00:00"
    assert cell_text(Cell(821012345678)) == "821012345678"


def test_an_xml_entity_bomb_in_a_sheet_is_one_problem_not_a_hang_or_a_traceback(tmp_path):
    made = save(tmp_path / "ok.xlsx", [["name"], ["Ann"]])
    entities = '<!ENTITY e0 "lolololololololololol">' + "".join(
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10)
    )
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(bomb, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode().split("?>", 1)[-1]
                data = f"<!DOCTYPE worksheet [{entities}]>{text.replace('Ann', '&e9;')}".encode()
            target.writestr(info, data)
    with Workbook(bomb) as book:
        [p] = problems(lambda: list(book.records()))
    assert p.location == "sheet 'Bookings'" and p.message.startswith("cannot be read past row 1")
    assert "save it again" in p.message
