"""A bookings table read record by record (inputs/table.py): a broken record never hides the ones
after it."""

from __future__ import annotations

import pytest
from helpers import problems

from guidebook.inputs.table import MAX_CELL, Table


def records(tmp_path, text: str) -> tuple[list[str], str, list]:  # noqa: ANN001
    path = tmp_path / "b.csv"
    path.write_text(text, encoding="utf-8")
    with Table(path) as table:
        return table.header, table.delimiter, list(table.records())


def test_records_keep_their_first_line_and_may_span_lines(tmp_path):
    header, delimiter, found = records(tmp_path, 'booking_id;name;notes\nB1;Ann;"two\nlines"\nB2;Lee;\n')
    assert (header, delimiter) == (["booking_id", "name", "notes"], ";")
    assert [(r.line, r.cells, r.problems) for r in found] == [
        (2, ["B1", "Ann", "two\nlines"], []),
        (4, ["B2", "Lee", ""], []),
    ]


def test_a_quote_left_open_fails_its_own_record_only(tmp_path):
    _, _, found = records(tmp_path, 'booking_id,name,notes\nB1,"Ann,x\nB2,Lee,y\nB3,Kim,z\n')
    assert [r.line for r in found] == [2, 3, 4]
    assert "never closed" in found[0].problems[0] and found[0].cells == []
    assert [r.cells for r in found[1:]] == [["B2", "Lee", "y"], ["B3", "Kim", "z"]]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ('"booking_id,name\nB1,Ann\n', "not a header row"),
    ],
)
def test_a_file_without_a_header_row_is_refused(tmp_path, text, message):
    path = tmp_path / "b.csv"
    path.write_text(text, encoding="utf-8")
    [p] = problems(lambda: Table(path))
    assert (p.location, p.line) == ("header", 1) and message in p.message


def test_an_overlong_cell_or_line_fails_its_record_and_the_next_ones_are_read(tmp_path):
    text = f"booking_id,name,notes\nB1,Ann,{'x' * (MAX_CELL + 1)}\nB2,{'y' * 200_000},z\nB3,Kim,ok\n"
    _, _, found = records(tmp_path, text)
    assert [r.line for r in found] == [2, 3, 4]
    assert all("longer than" in r.problems[0] for r in found[:2])
    assert found[2].cells == ["B3", "Kim", "ok"] and found[2].problems == []


def test_a_quoted_cell_with_line_breaks_that_look_like_text_is_one_record(tmp_path):
    _, _, found = records(
        tmp_path, 'booking_id,name,notes\nB1,Ann,"line one\nline two, still notes"\nB2,Lee,\n'
    )
    assert [(r.line, r.last_line) for r in found] == [(2, 3), (4, 4)]


def test_the_file_is_closed_when_the_header_is_refused(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text('"unclosed\n', encoding="utf-8")
    problems(lambda: Table(path))  # filterwarnings=error turns an unclosed file into a failure


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        ("\ufeffbooking_id,name\nB1,김민지\n".encode(), "utf-8-sig", ","),
        ("booking_id;name\nB1;김민지\n".encode(), "utf-8", ";"),
        ("booking_id\tname\r\nB1\t김민지\r\n".encode("utf-16"), "utf-16", "\t"),  # Excel's "Unicode text"
        ("booking_id\tname\nB1\t김민지\n".encode("utf-16-le"), "utf-16-le", "\t"),  # no byte-order mark
        ("booking_id\tname\nB1\t김민지\n".encode("utf-16-be"), "utf-16-be", "\t"),
    ],
)
def test_encodings_and_separators_as_spreadsheets_save_them(tmp_path, data, encoding, delimiter):
    path = tmp_path / "b.csv"
    path.write_bytes(data)
    with Table(path) as table:
        assert (table.encoding, table.delimiter, table.header) == (
            encoding,
            delimiter,
            ["booking_id", "name"],
        )
        assert [r.cells for r in table.records()] == [["B1", "김민지"]]


def test_a_named_encoding_reads_a_windows_file_and_the_names_people_use_are_understood(tmp_path):
    from guidebook.inputs.table import codec_name, sniff_encoding

    assert codec_name("Shift_JIS") == codec_name("sjis") == "cp932"  # Windows' superset
    assert codec_name("EUC-KR") == "cp949"
    assert (
        sniff_encoding(b"abcd", "cp949") == "cp949"
        and sniff_encoding(b"\xef\xbb\xbfab", "cp949") == "utf-8-sig"
    )
    path = tmp_path / "b.csv"
    path.write_bytes("booking_id,name\nB1,김민지\n".encode("cp949"))
    with Table(path, encoding="cp949") as table:
        assert [r.cells for r in table.records()] == [["B1", "김민지"]]
