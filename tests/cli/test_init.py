"""`guidebook init` (cli/init.py): starter files in a folder, never overwritten.

(That the files build as they are: tests/test_scaffold.py.)"""

from __future__ import annotations

from helpers import SAMPLES

from guidebook.cli import main


def test_init_writes_the_starter_files_and_says_what_next(runner, tmp_path):
    folder = tmp_path / "agency"
    result = runner.invoke(main, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    for name in ("traveler.yaml", "clinics.yaml", "brand.yaml", "logo.svg"):
        assert f"wrote {folder / name}" in result.output
        assert (folder / name).read_bytes() == (SAMPLES / name).read_bytes()
    assert f"Next: guidebook build {folder}/traveler.yaml --clinics {folder}/clinics.yaml" in result.output
    again = runner.invoke(main, ["init", str(folder)])
    assert again.exit_code == 1 and "refusing to overwrite" in again.output


def test_init_writes_sample_bookings_with_every_column_and_says_how_to_batch_them(runner, tmp_path):
    from guidebook.inputs.bookings import COLUMNS

    folder = tmp_path / "agency"
    result = runner.invoke(main, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    for name in ("bookings.csv", "bookings.xlsx", "profiles/tanaka.yaml"):
        assert f"wrote {folder / name}" in result.output
    assert (folder / "bookings.csv").read_text(encoding="utf-8").splitlines()[0].split(",") == list(COLUMNS)
    assert f"or: guidebook batch {folder}/bookings.xlsx -o guides/" in result.output
    checked = runner.invoke(main, ["validate", str(folder / "bookings.xlsx"), str(folder / "clinics.yaml")])
    assert checked.exit_code == 0 and "bookings.xlsx: ok (bookings, 3 rows)" in checked.output
