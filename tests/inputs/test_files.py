"""Opening an input file safely (inputs/files.py): a regular file of bounded size, inside the
folder it is given relative to."""

from __future__ import annotations

import os

from helpers import problems

from guidebook.inputs.files import confined, open_regular, read_text


def test_a_regular_file_is_read_as_utf8_without_its_bom(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_bytes("\ufefftraveler: 김민지\n".encode())
    assert read_text(path) == "traveler: 김민지\n"
    with open_regular(path) as handle:
        assert handle.read(3) == b"\xef\xbb\xbf"


def test_a_pipe_a_folder_a_missing_or_huge_file_is_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe")  # reading it would wait for a writer forever
    [p] = problems(lambda: read_text(tmp_path / "pipe"))
    assert "not a regular file" in p.message
    [p] = problems(lambda: read_text(tmp_path))
    assert "folder" in p.message
    [p] = problems(lambda: read_text(tmp_path / "nowhere.yaml"))
    assert p.message == "file not found" and p.file == str(tmp_path / "nowhere.yaml")
    (tmp_path / "big.yaml").write_text("x" * 11)
    [p] = problems(lambda: read_text(tmp_path / "big.yaml", max_bytes=10))
    assert "too large" in p.message
    (tmp_path / "latin1.yaml").write_bytes(b"name: Jos\xe9\n")
    [p] = problems(lambda: read_text(tmp_path / "latin1.yaml"))
    assert "not UTF-8 text" in p.message


def test_a_name_must_stay_inside_its_folder(tmp_path):
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "logo.svg").write_text("<svg/>")
    (tmp_path / "brand" / "escape.svg").symlink_to(tmp_path / "outside.svg")
    assert confined(tmp_path / "brand", "logo.svg") == (tmp_path / "brand" / "logo.svg").resolve()
    for name in ("../outside.svg", "escape.svg", str(tmp_path / "brand" / "logo.svg")):
        [p] = problems(lambda name=name: confined(tmp_path / "brand", name, what="a logo"))
        assert p.message.startswith(f"must be a logo inside {tmp_path / 'brand'}")
