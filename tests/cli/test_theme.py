"""`guidebook theme eject` (cli/theme.py): a copy of the theme to edit, never overwritten.

(That an ejected theme builds the same PDF: tests/test_scaffold.py.)"""

from __future__ import annotations

from guidebook.cli import main


def test_eject_says_how_many_files_and_how_to_build_with_them(runner, tmp_path):
    folder = tmp_path / "mine"
    result = runner.invoke(main, ["theme", "eject", str(folder)])
    assert result.exit_code == 0, result.output
    written = [p for p in folder.rglob("*") if p.is_file()]
    assert result.output.strip() == f"wrote {len(written)} files into {folder}; build with --theme {folder}"
    assert (folder / "styles" / "guide.css").is_file()
    again = runner.invoke(main, ["theme", "eject", str(folder)])
    assert again.exit_code == 1 and "refusing to overwrite" in again.output
