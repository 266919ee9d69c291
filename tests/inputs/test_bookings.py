"""Booking CSVs (inputs/bookings.py): streamed a row at a time, any delimiter and line end, each
problem named by row and column, a profile file filling what a row leaves empty."""

from __future__ import annotations

import os
import tracemalloc

import pytest
from helpers import BOOKING_ROWS, BOOKINGS_HEADER, SAMPLES, problems, write_csv

from guidebook.cli import main
from guidebook.inputs.bookings import Row, count_rows, open_rows, profile_from_row
from guidebook.inputs.load import load_catalogue, load_clinics


@pytest.fixture(scope="module")
def shared():
    catalogue = load_catalogue()
    return catalogue, load_clinics(SAMPLES / "clinics.yaml", catalogue)


def test_a_csv_that_is_not_utf8_names_the_line(runner, tmp_path):
    path = tmp_path / "bookings.csv"
    path.write_bytes(b"booking_id,name\nB1,Ann\nB2,Jos\xe9\n")  # Latin-1, as an old Excel saves
    result = runner.invoke(main, ["batch", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{path}:3: line 3: not UTF-8 text" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.slow  # about 12 s: 14 MB parsed under tracemalloc
def test_a_200000_row_csv_is_streamed(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("booking_id,name,arrival,departure,treatments\n")
        for i in range(200_000):
            handle.write(f"B{i},Guest {i},2026-04-06T10:00,2026-04-12T18:00,aqua-peel\n")
    tracemalloc.start()
    count = sum(1 for _ in open_rows(path))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 200_000
    assert peak < 5 << 20  # a few rows at a time, not the file (about 14 MB)
    assert path.stat().st_size > 10 << 20


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_rows_are_read_with_either_delimiter_and_line_end(tmp_path, newline, delimiter):
    path = tmp_path / "b.csv"
    lines = ["booking_id,name,allergies", "B1,Ann,latex", "", 'B2,"Lee, Jo",', "B3,Kim"]
    if delimiter == ";":
        lines = [line.replace(",", ";") for line in lines]
    path.write_bytes(("\ufeff" + newline.join(lines) + newline).encode())
    rows = list(open_rows(path))
    assert [(r.line, r.booking_id) for r in rows] == [(2, "B1"), (4, "B2"), (5, "B3")]
    assert rows[0].cells == {"booking_id": "B1", "name": "Ann", "allergies": "latex"}
    assert rows[1].cells["name"] == "Lee, Jo".replace(",", delimiter)  # quoted: the delimiter is text
    assert "allergies" not in rows[2].cells  # a missing cell is not given
    assert count_rows(path) == 3


def test_an_unknown_column_or_no_name_column_is_reported_before_any_row(tmp_path):
    path = write_csv(tmp_path, BOOKING_ROWS[:1], BOOKINGS_HEADER.replace("name", "nmae"))
    found = problems(lambda: list(open_rows(path)))
    assert [(p.location, p.line) for p in found] == [("column 'nmae'", 1), ("header", 1)]
    assert "did you mean 'name'?" in found[0].message


def test_each_problem_of_a_row_names_its_column(tmp_path, shared):
    path = tmp_path / "b.csv"

    def found(line: int, **cells: str) -> dict:
        row = Row(
            line,
            f"B{line}",
            {
                "name": "Ann",
                "arrival": "2026-04-06T10:00",
                "departure": "2026-04-12T18:00",
                "treatments": "aqua-peel",
                **cells,
            },
        )
        return {p.location: p for p in problems(lambda: profile_from_row(path, row, *shared))}

    (tmp_path / "extra.csv").write_text(
        "name,arrival,departure,treatments\nAnn,2026-04-06T10:00,2026-04-12T18:00,aqua-peel,one too many\n"
    )
    [row] = open_rows(tmp_path / "extra.csv")
    [extra] = problems(lambda: profile_from_row(path, row, *shared))
    assert (extra.location, extra.line) == ("row 2, column -", 2)
    assert "more cells than the header" in extra.message
    [count] = found(6, treatments="aqua-peel:two").values()
    assert (count.location, count.value) == ("row 6, column treatments", "aqua-peel:two")
    bad = found(8, departure="soon", treatments="rejuran-heeler")
    assert set(bad) == {"row 8, column departure", "row 8, column treatments"}
    assert bad["row 8, column departure"].value == "soon"
    assert "did you mean 'rejuran-healer'?" in bad["row 8, column treatments"].message
    assert all(p.line == 8 and p.file == str(path) for p in bad.values())
    [language] = found(9, language="fr").values()
    assert language.location == "row 9, column language" and "unsupported language" in language.message
    [clinic] = found(10, clinic="nowhere").values()
    assert clinic.location == "row 10, column clinic" and "no clinic with this id" in clinic.message


def test_a_row_fills_in_a_profile_file_and_wins_where_both_give_a_value(tmp_path, shared):
    (tmp_path / "base.yaml").write_text(
        "traveler: {name: Base Name, home_currency: JPY, medical: {allergies: [latex]}}\n"
        "trip: {arrival: 2026-04-06T10:00, departure: 2026-04-12T18:00, hotel: {name: Base Hotel}}\n"
        "treatments: [{id: aqua-peel}]\n",
        encoding="utf-8",
    )
    row = Row(
        2,
        "B1",
        {
            "name": "Row Name",
            "profile": "base.yaml",
            "treatments": "pico-laser:1",
            "clinic": "haneul-skin-sinsa",
            "hotel_address_ko": "서울특별시 중구 명동8길 12",
        },
    )
    profile, base = profile_from_row(tmp_path / "b.csv", row, *shared)
    assert base == tmp_path / "base.yaml"
    assert (profile.traveler.name, profile.traveler.home_currency) == ("Row Name", "JPY")
    assert profile.traveler.medical.allergies == ["latex"]
    assert (profile.trip.hotel.name, profile.trip.hotel.address_ko) == (
        "Base Hotel",
        "서울특별시 중구 명동8길 12",
    )
    assert [(t.id, t.sessions, t.clinic) for t in profile.treatments] == [
        ("pico-laser", 1, "haneul-skin-sinsa")
    ]


# -- paths from a CSV cell stay in the CSV's folder; broken structure fails only its row ---------

PROFILE_ROW = (
    "booking_id,name,arrival,departure,treatments,profile\n"
    "B1,Ann,2026-04-06T10:00,2026-04-12T18:00,aqua-peel,{}\n"
)


@pytest.mark.parametrize(
    ("setup", "cell", "message"),
    [
        (lambda d: None, "/etc/passwd", "given relative to it"),
        (lambda d: None, "../outside.yaml", "leads out of it"),
        (lambda d: (d / "link.yaml").symlink_to("/etc/hostname"), "link.yaml", "leads out of it"),
        (lambda d: os.mkfifo(d / "pipe.yaml"), "pipe.yaml", "not a regular file"),
        (lambda d: (d / "dir.yaml").mkdir(), "dir.yaml", "folder"),
        (lambda d: None, "missing.yaml", "file not found"),
    ],
)
def test_a_profile_cell_stays_inside_the_csv_folder_and_names_a_regular_file(
    tmp_path, shared, setup, cell, message
):
    setup(tmp_path)
    path = tmp_path / "bookings.csv"
    path.write_text(PROFILE_ROW.format(cell), encoding="utf-8")
    [row] = list(open_rows(path))
    found = problems(lambda: profile_from_row(path, row, *shared))
    assert any(p.location == "row 2, column profile" and message in p.message for p in found), found


def test_a_header_with_a_column_twice_is_refused_before_any_row(tmp_path):
    path = tmp_path / "bookings.csv"
    path.write_text("booking_id,name,name,arrival\nB1,A,B,2026-04-06T10:00\n", encoding="utf-8")
    found = problems(lambda: list(open_rows(path)))
    assert [(p.location, p.line) for p in found] == [("column 'name'", 1)]
    assert "twice" in found[0].message


def test_a_repeated_header_row_and_a_broken_quote_fail_only_their_rows(tmp_path, shared):
    rows = [
        'B1,"Ann,2026-04-06T10:00,2026-04-12T18:00,aqua-peel',  # a quote never closed
        "B2,Bob,2026-04-06T10:00,2026-04-12T18:00,aqua-peel",
        "booking_id,name,arrival,departure,treatments",  # two exports pasted together
        "B3,Cai,2026-04-06T10:00,2026-04-12T18:00,aqua-peel",
    ]
    path = write_csv(tmp_path, rows, header="booking_id,name,arrival,departure,treatments")
    found = list(open_rows(path))
    assert [r.line for r in found] == [2, 3, 4, 5]
    assert [bool(r.problems) for r in found] == [True, False, True, False]
    for row in (found[1], found[3]):
        assert profile_from_row(path, row, *shared)[0].traveler.name in {"Bob", "Cai"}


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

cells = st.text(st.sampled_from('ab,;"\n\r '), max_size=8)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(cells, min_size=1, max_size=5), max_size=8))
def test_every_physical_line_is_accounted_for(tmp_path_factory, lines):
    """Hypothesis: whatever quotes and separators the cells hold, rows come out in order, each
    starting after the last line of the one before, and every line of the file belongs to a row
    (or is blank): a broken row never swallows the ones after it beyond its own lines."""
    path = tmp_path_factory.mktemp("c") / "b.csv"
    text = "booking_id,name,notes\n" + "".join(",".join(line).replace("\r", "") + "\n" for line in lines)
    path.write_text(text, encoding="utf-8")
    from guidebook.inputs.table import Table

    with Table(path) as table:
        records = list(table.records())
    physical = text.count("\n")
    last = 1
    for record in records:
        assert record.line == last + 1 or record.line > last  # in order, after the previous one
        assert record.last_line >= record.line
        last = record.last_line
    assert last <= physical
    by_line = text.split("\n")
    for record in records:  # no record holds a line that looks like a row of its own
        for number in range(record.line + 1, record.last_line + 1):
            line = by_line[number - 1]
            assert not (line.count(",") >= 2 and '"' not in line), (record, line)
