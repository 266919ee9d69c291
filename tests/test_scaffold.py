"""Starter files for an agency (`init`) and a copy of the theme to edit (`eject`): scaffold.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import ROOT, SAMPLES, build_sample

from guidebook.cli import main
from guidebook.errors import OutputError
from guidebook.scaffold import SAMPLE_FILES, eject_theme, init_agency


def test_init_copies_the_samples_and_never_overwrites(tmp_path):
    written = init_agency(tmp_path / "agency")
    assert [p.relative_to(tmp_path / "agency").as_posix() for p in written] == list(SAMPLE_FILES)
    for path in written:
        assert path.read_bytes() == (SAMPLES / path.relative_to(tmp_path / "agency")).read_bytes()
    assert {"bookings.csv", "bookings.xlsx", "profiles/tanaka.yaml"} <= set(SAMPLE_FILES)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "brand.yaml").write_text("mine")
    with pytest.raises(OutputError, match="refusing to overwrite: .*brand.yaml"):
        init_agency(tmp_path / "other")
    assert sorted(p.name for p in (tmp_path / "other").iterdir()) == ["brand.yaml"]  # nothing else
    assert (tmp_path / "other" / "brand.yaml").read_text() == "mine"


def test_eject_copies_every_template_and_style(tmp_path):
    written = eject_theme(tmp_path / "mine")
    sources = {
        Path(kind) / p.relative_to(ROOT / kind): p
        for kind in ("templates", "styles")
        for p in (ROOT / kind).rglob("*")
        if p.is_file()
    }
    assert Path("templates/guide.html.j2") in sources and Path("styles/guide.css") in sources
    assert sorted(p.relative_to(tmp_path / "mine") for p in written) == sorted(sources)
    assert all((tmp_path / "mine" / rel).read_bytes() == src.read_bytes() for rel, src in sources.items())
    with pytest.raises(OutputError, match="refusing to overwrite"):
        eject_theme(tmp_path / "mine")


@pytest.mark.slow
def test_eject_then_build_gives_the_same_pdf(tmp_path):
    result = CliRunner().invoke(main, ["theme", "eject", str(tmp_path / "mine")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mine" / "templates" / "guide.html.j2").is_file()
    again = CliRunner().invoke(main, ["theme", "eject", str(tmp_path / "mine")])
    assert again.exit_code == 1 and "refusing to overwrite" in again.output
    built_in = build_sample(tmp_path / "a.pdf").read_bytes()
    ejected = build_sample(tmp_path / "b.pdf", theme=tmp_path / "mine").read_bytes()
    assert built_in == ejected


@pytest.mark.slow
def test_init_writes_files_that_build_as_they_are(tmp_path):
    folder = tmp_path / "agency"
    assert CliRunner().invoke(main, ["init", str(folder)]).exit_code == 0
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(folder / "traveler.yaml"),
            "--clinics",
            str(folder / "clinics.yaml"),
            "--brand",
            str(folder / "brand.yaml"),
            "-o",
            str(tmp_path / "g.pdf"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "#" in (folder / "brand.yaml").read_text()  # the comments came along


def test_the_sample_bookings_hold_the_same_bookings_as_csv_and_as_xlsx():
    """scripts/bookings_xlsx.py makes the workbook from the CSV: run it after editing the CSV."""
    from guidebook.inputs.bookings import COLUMNS, open_rows, profile_from_row
    from guidebook.inputs.load import load_catalogue, load_clinics

    catalogue = load_catalogue()
    clinics = load_clinics(SAMPLES / "clinics.yaml", catalogue)

    def profiles(name: str) -> list:
        path = SAMPLES / name
        return [profile_from_row(path, row, catalogue, clinics)[0] for row in open_rows(path)]

    csv_rows, xlsx_rows = profiles("bookings.csv"), profiles("bookings.xlsx")
    assert len(csv_rows) == 3 and csv_rows == xlsx_rows
    header = (SAMPLES / "bookings.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == list(COLUMNS)  # every column


@pytest.mark.slow
def test_init_bookings_make_guides_and_calendars_as_they_are(tmp_path):
    folder = tmp_path / "agency"
    assert CliRunner().invoke(main, ["init", str(folder)]).exit_code == 0
    out = tmp_path / "guides"
    args = ["batch", str(folder / "bookings.xlsx"), "-o", str(out), "--clinics", str(folder / "clinics.yaml")]
    result = CliRunner().invoke(main, [*args, "--brand", str(folder / "brand.yaml"), "--ics", "-j", "2"])
    assert result.exit_code == 0, result.output
    assert "3 ok" in result.output and "warning:" not in result.output
    assert len(list(out.glob("*.pdf"))) == len(list(out.glob("*.ics"))) == 3
