"""Booking CSVs (inputs/bookings.py): streamed a row at a time, any delimiter and line end, each
problem named by row and column, a profile file filling what a row leaves empty."""

from __future__ import annotations

import os
import tracemalloc
from datetime import datetime
from decimal import Decimal

import pytest
from helpers import BOOKING_ROWS, BOOKINGS_HEADER, SAMPLES, problems, write_csv

from guidebook.cli import main
from guidebook.inputs.bookings import (
    COLUMNS,
    BookingsFormat,
    Row,
    check_header,
    count_rows,
    open_rows,
    profile_from_row,
)
from guidebook.inputs.load import load_catalogue, load_clinics
from guidebook.inputs.models import Profile


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


# -- bookings as coordinators have them: spreadsheet exports, headers in words, richer rows ------

EXPORT_ROWS = [
    ["Booking ID", "Name", "Arrival date", "Departure date", "Treatments", "Clinic", "Payment status"],
    ["B1", "Ann Lee", "13/10/2026 9:30", "20/10/2026 18:45", "aqua-peel; ipl", "haneul-skin-sinsa", "paid"],
    ["B2", "José Núñez", "14/10/2026 21:00", "19/10/2026 10:00", "pico-laser:1", "", "deposit"],
]


def profiles_of(path, shared, fmt=None, warnings=None) -> list[Profile]:  # noqa: ANN001
    return [
        profile_from_row(path, row, *shared, fmt=fmt)[0] for row in open_rows(path, fmt, warnings=warnings)
    ]


def export(
    rows: list[list[str]], *, delimiter=",", newline="\r\n", bom=True, quote_all=False, encoding="utf-8"
):  # noqa: ANN001, ANN201
    import csv
    import io

    buffer = io.StringIO()
    quoting = csv.QUOTE_NONNUMERIC if quote_all else csv.QUOTE_MINIMAL
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=quoting).writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode(encoding)


@pytest.mark.parametrize(
    ("program", "data"),
    [
        # Excel on Windows, "CSV UTF-8": a BOM, CRLF, commas
        ("excel", export(EXPORT_ROWS)),
        # Excel in a European locale: semicolons (the decimal mark is the comma)
        ("excel-eu", export(EXPORT_ROWS, delimiter=";")),
        # Excel's "Unicode text": UTF-16 with a BOM, tab-separated
        ("excel-unicode-text", export(EXPORT_ROWS, delimiter="\t", bom=True, encoding="utf-16")),
        # Google Sheets, File > Download > CSV: no BOM, CRLF, quotes only where needed
        ("google-sheets", export(EXPORT_ROWS, bom=False)),
        # LibreOffice Calc with "Quote all text cells": no BOM, LF
        ("libreoffice", export(EXPORT_ROWS, bom=False, newline="\n", quote_all=True)),
    ],
)
def test_exports_of_three_spreadsheet_programs_go_through_as_they_are(tmp_path, shared, program, data):
    path = tmp_path / "bookings.csv"
    path.write_bytes(data)
    said: list[str] = []
    ann, jose = profiles_of(path, shared, BookingsFormat(date_format="dmy"), said)
    assert ann.traveler.name == "Ann Lee" and jose.traveler.name == "José Núñez"
    assert ann.trip.arrival == datetime(2026, 10, 13, 9, 30) and jose.trip.arrival.hour == 21
    # the booked clinic takes what it offers (IPL); aqua peel goes to a partner clinic
    assert [(t.id, t.clinic) for t in ann.treatments] == [("aqua-peel", None), ("ipl", "haneul-skin-sinsa")]
    assert said == [
        f"{path}: column ignored (not guidebook's; `guidebook schema bookings` lists them, "
        "--strict-columns refuses them): 'Payment status'"
    ]


@pytest.mark.parametrize(
    ("header", "columns"),
    [
        ("Booking ID,Name,Arrival date,Departure", ["booking_id", "name", "arrival", "departure"]),
        ("BOOKING_ID, name ,ARRIVAL-DATE,departure date", ["booking_id", "name", "arrival", "departure"]),
        (
            "Ref,Guest name,E-mail,Mobile,Hotel,Flight home",
            ["booking_id", "name", "email", "phone", "hotel_name", "flight_out"],
        ),
        ("Traveller,Hotel name (Korean),Blood group,Notes", ["name", "hotel_name_ko", "blood_type", "notes"]),
        ("name,,Sales rep", ["name", None, None]),  # an empty header cell, an unknown column
    ],
)
def test_headers_are_matched_by_case_spaces_underscores_and_common_names(tmp_path, header, columns):
    assert check_header(tmp_path / "b.csv", header.split(",")).columns == columns


def test_a_column_named_twice_by_two_of_its_names_is_refused(tmp_path):
    [p] = problems(lambda: check_header(tmp_path / "b.csv", ["Name", "Arrival", "Arrival date"]))
    assert p.location == "column 'Arrival date'"
    assert p.message == "names the same column as 'Arrival' (arrival); keep one of them"


def test_unknown_columns_are_listed_once_and_refused_only_with_strict_columns(tmp_path, shared):
    path = tmp_path / "b.csv"
    path.write_text(
        "name,arrival,departure,treatments,Sales rep,Paid\n"
        "Ann,2026-04-06T10:00,2026-04-12T18:00,aqua-peel,Kim,yes\n"
        "Bob,2026-04-06T10:00,2026-04-12T18:00,aqua-peel,Lee,no\n",
        encoding="utf-8",
    )
    said: list[str] = []
    assert len(profiles_of(path, shared, warnings=said)) == 2
    [warning] = said
    assert warning.endswith("'Sales rep', 'Paid'")
    found = problems(lambda: list(open_rows(path, BookingsFormat(strict_columns=True))))
    assert [p.location for p in found] == ["column 'Sales rep'", "column 'Paid'"]
    assert all("unknown column" in p.message for p in found)


@pytest.mark.parametrize(
    ("cells", "fmt", "column", "message"),
    [
        (
            {"arrival": "13/10/2026"},
            None,
            "arrival",
            "has a date but no time: the arrival needs a time too, e.g. 13/10/2026 14:30 (Seoul "
            "time), or a time in an arrival_time column; if it is not known yet, write TBC",
        ),
        (
            {"arrival": "05/06/2026 10:00"},
            None,
            "arrival",
            "could be 5 June 2026 (day first: --date-format dmy)",
        ),
        ({"arrival": "2026-02-30T10:00"}, None, "arrival", "February has no 30th"),
        ({"departure": "31/04/2026 18:00"}, "dmy", "departure", "April has no 31st"),
        (
            {"treatments": "aqua-peel, ipl"},
            None,
            "treatments",
            "separate treatments with ; (write: aqua-peel; ipl)",
        ),
        ({"treatments": "aqua-peel:two"}, None, "treatments", "sessions after ':' must be a whole number"),
        ({"budget": "1800"}, None, "budget", "needs its currency: write e.g. 1800 USD"),
        ({"exchange_rate": "1385"}, None, "exchange_rate", "needs the day the rate was checked"),
        (
            {"exchange_rate": "1385", "exchange_rate_date": "soon"},
            None,
            "exchange_rate_date",
            "is not a date",
        ),
        ({"interpreter": "maybe"}, None, "interpreter", "not yes or no"),
        ({"phone": "8.21012E+11"}, None, "phone", "the spreadsheet turned this phone number into a number"),
        ({"home_currency": "dollars"}, None, "home_currency", "not a currency code: write the three letters"),
        (
            {"nationality": "USA"},
            None,
            "nationality",
            "a two-letter country code such as US, JP, CN or TW (ISO 3166)",
        ),
        (
            {"language": "english!"},
            None,
            "language",
            "a language code such as en, ja, zh-Hans or ko (a BCP 47 tag)",
        ),
        ({"blood_type": "Z"}, None, "blood_type", "must be one of"),
        (
            {"arrival_time": "9:30"},
            None,
            "arrival_time",
            "arrival already has a time (10:00); keep one of them",
        ),
        ({"email": "not-an-email"}, None, "email", "has characters or a form that is not allowed here"),
    ],
)
def test_cells_that_cannot_be_read_are_one_located_problem_each(
    tmp_path, shared, cells, fmt, column, message
):
    row = Row(
        5,
        "B5",
        {
            "name": "Ann",
            "arrival": "2026-04-06T10:00",
            "departure": "2026-04-12T18:00",
            "treatments": "aqua-peel",
            **cells,
        },
    )
    fmt = BookingsFormat(date_format=fmt)
    [p] = problems(lambda: profile_from_row(tmp_path / "b.csv", row, *shared, fmt=fmt))
    assert (p.location, p.line) == (f"row 5, column {column}", 5)
    assert message in p.message, p.message


def test_an_unknown_clinic_is_one_problem_whatever_the_treatments(tmp_path, shared):
    row = Row(
        3,
        "B3",
        {
            "name": "Ann",
            "arrival": "2026-04-06T10:00",
            "departure": "2026-04-12T18:00",
            "treatments": "aqua-peel; ipl; hydrafacial",
            "clinic": "haneul-skin-sinsaa",
        },
    )
    [p] = problems(lambda: profile_from_row(tmp_path / "b.csv", row, *shared))
    assert p.location == "row 3, column clinic" and "did you mean 'haneul-skin-sinsa'?" in p.message
    named = Row(3, "B3", {**row.cells, "clinic": "Haneul Skin Clinic Sinsa"})  # its name, as typed
    profile, _ = profile_from_row(tmp_path / "b.csv", named, *shared)
    assert {t.clinic for t in profile.treatments} <= {"haneul-skin-sinsa", None}


def test_a_time_to_be_confirmed_never_becomes_a_made_up_time(tmp_path, shared):
    cells = {"name": "Ann", "arrival": "2026-04-06", "departure": "2026-04-12", "treatments": "aqua-peel"}
    path = tmp_path / "b.csv"
    tbc = BookingsFormat(time_tbc=True)
    trip = profile_from_row(path, Row(2, "B", cells), *shared, fmt=tbc)[0].trip
    assert (trip.arrival_time_tbc, trip.departure_time_tbc) == (True, True)
    trip = profile_from_row(
        path, Row(2, "B", {**cells, "arrival_time": "9:30 PM", "departure_time": "TBC"}), *shared
    )[0].trip
    assert trip.arrival == datetime(2026, 4, 6, 21, 30) and not trip.arrival_time_tbc
    assert trip.departure_time_tbc
    trip = profile_from_row(
        path, Row(2, "B", {**cells, "arrival": "2026-04-06 tbc", "departure": "2026-04-12 9:00"}), *shared
    )[0].trip
    assert trip.arrival_time_tbc and not trip.departure_time_tbc
    found = problems(lambda: profile_from_row(path, Row(2, "B", cells), *shared))
    assert [p.location for p in found] == ["row 2, column arrival", "row 2, column departure"]
    assert all("--time-tbc" in p.message for p in found)


def test_every_column_of_a_rich_row_lands_in_the_profile(tmp_path, shared):
    cells = {
        "booking_id": "S-1",
        "name": "Olivia Park-Martin",
        "language": "en",
        "home_currency": "usd",
        "email": "olivia@example.org",
        "phone": "+1 206 555 0172",
        "nationality": "us",
        "arrival": "2026-09-19",
        "arrival_time": "3:20 PM",
        "departure": "2026-09-30 18:45",
        "flight_in": "OZ271",
        "flight_out": "OZ272",
        "hotel_name": "Hanok Garden Stay Sinsa",
        "hotel_name_ko": "한옥가든스테이 신사",
        "hotel_address": "18 Dosan-daero 15-gil, Gangnam-gu, Seoul",
        "hotel_address_ko": "서울특별시 강남구 도산대로15길 18",
        "hotel_phone": "+82 2 555 0177",
        "treatments": "pico-laser:2; Rejuran Healer:1",
        "clinic": "haneul-skin-sinsa",
        "interpreter": "yes",
        "allergies": "lidocaine; latex",
        "medications": "levothyroxine",
        "conditions": "melasma; rosacea",
        "blood_type": "o rh+",
        "emergency_contact_name": "Daniel Martin",
        "emergency_contact_phone": "+1 206 555 0188",
        "emergency_contact_relation": "husband",
        "budget": "USD 1,800",
        "exchange_rate": "1385.5",
        "exchange_rate_date": "01/09/2026",
        "notes": "Prefers mornings.",
    }
    assert set(cells) == set(COLUMNS) - {"departure_time", "profile"}
    p, _ = profile_from_row(
        tmp_path / "b.csv", Row(2, "S-1", cells), *shared, fmt=BookingsFormat(date_format="dmy")
    )
    t, trip, medical = p.traveler, p.trip, p.traveler.medical
    assert (t.email, t.phone, t.nationality, t.home_currency) == (
        "olivia@example.org",
        "+1 206 555 0172",
        "US",
        "USD",
    )
    assert (trip.arrival, trip.departure) == (datetime(2026, 9, 19, 15, 20), datetime(2026, 9, 30, 18, 45))
    assert (trip.flight_in, trip.flight_out, trip.interpreter) == ("OZ271", "OZ272", True)
    assert (trip.hotel.name_ko, trip.hotel.phone) == ("한옥가든스테이 신사", "+82 2 555 0177")
    assert (medical.allergies, medical.medications, medical.conditions, medical.blood_type) == (
        ["lidocaine", "latex"],
        ["levothyroxine"],
        ["melasma", "rosacea"],
        "O+",
    )
    assert (t.emergency_contact.relation, p.notes) == ("husband", "Prefers mornings.")
    assert (p.budget.currency, p.budget.max) == ("USD", 1800)
    assert (p.exchange_rate.krw_per_unit, str(p.exchange_rate.as_of)) == (Decimal("1385.5"), "2026-09-01")
    assert [(r.id, r.sessions) for r in p.treatments] == [("pico-laser", 2), ("rejuran-healer", 1)]


def test_a_csv_that_is_not_utf8_says_which_setting_saves_it_and_guesses_its_encoding(tmp_path, shared):
    path = tmp_path / "bookings.csv"
    path.write_bytes(
        "name,arrival,departure,treatments\n김민지,2026-04-06T10:00,2026-04-12T18:00,aqua-peel\n".encode(
            "cp949"
        )
    )
    [p] = problems(lambda: list(open_rows(path)))
    assert p.location == "line 2" and p.message.startswith("not UTF-8 text")
    assert '"CSV UTF-8 (Comma delimited)"' in p.message
    assert "it reads as Korean Windows text (CP949): give --encoding cp949" in p.message
    [profile] = profiles_of(path, shared, BookingsFormat(encoding="cp949"))
    assert profile.traveler.name == "김민지"
    japanese = tmp_path / "jp.csv"
    japanese.write_bytes(
        "name,arrival,departure,treatments\n田中ゆい,2026-04-06T10:00,2026-04-12T18:00,ipl\n".encode(
            "shift_jis"
        )
    )
    assert "--encoding shift_jis" in problems(lambda: list(open_rows(japanese)))[0].message
    [profile] = profiles_of(japanese, shared, BookingsFormat(encoding="Shift_JIS"))
    assert profile.traveler.name == "田中ゆい"
    wrong = problems(lambda: list(open_rows(path, BookingsFormat(encoding="shift_jis"))))
    assert wrong[0].message.startswith("not CP932 text as --encoding says")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"date_format": "ddmmyyyy"}, "unknown date format"),
        ({"encoding": "nope"}, "unknown encoding 'nope'"),
        ({"delimiter": "|"}, "unknown delimiter"),
    ],
)
def test_a_bad_reading_option_is_a_usage_error(value, message):
    from guidebook.errors import OptionsError

    with pytest.raises(OptionsError, match=message):
        BookingsFormat(**value)


def test_an_xlsx_reads_as_its_csv_does_with_problems_located_by_sheet_row_and_column(tmp_path, shared):
    from openpyxl import Workbook as Book

    book = Book()
    sheet = book.active
    sheet.title = "Week 42"
    sheet.append(
        ["Booking ID", "Name", "Arrival date", "Arrival time", "Departure date", "Treatments", "Notes"]
    )
    sheet.append(
        [
            "B1",
            "Ann",
            datetime(2026, 10, 13),
            datetime(2026, 10, 13, 21, 30).time(),
            datetime(2026, 10, 20, 18, 0),
            "aqua-peel",
            "vegetarian",
        ]
    )
    sheet.append(
        ["B2", "Bob", datetime(2026, 10, 13), None, datetime(2026, 10, 20, 18, 0), "aqua-peel, ipl", None]
    )
    sheet["C2"].number_format = sheet["C3"].number_format = "dd/mm/yyyy"
    sheet["E2"].number_format = sheet["E3"].number_format = "dd/mm/yyyy hh:mm"
    path = tmp_path / "bookings.xlsx"
    book.save(path)
    first, second = open_rows(path)
    assert (first.sheet, first.line, first.booking_id) == ("Week 42", 2, "B1")
    profile, _ = profile_from_row(path, first, *shared)
    assert profile.trip.arrival == datetime(2026, 10, 13, 21, 30) and profile.notes == "vegetarian"
    found = problems(lambda: profile_from_row(path, second, *shared))
    assert [(p.location, p.line) for p in found] == [
        ("sheet 'Week 42', row 3, column arrival", 3),
        ("sheet 'Week 42', row 3, column treatments", 3),
    ]
    assert str(found[1]).startswith(
        f"{path}:3: sheet 'Week 42', row 3, column treatments: separate treatments with ;"
    )
