"""Rebuilding when an input changes (watch.py, `guidebook build --watch`)."""

from __future__ import annotations

from guidebook.watch import snapshot, watch


def test_watch_rebuilds_on_change(tmp_path):
    watched = tmp_path / "profile.yaml"
    watched.write_text("a")
    calls = []

    def rebuild() -> None:
        calls.append(watched.read_text())
        if len(calls) == 1:
            watched.write_text("bb")  # changed after the first build

    watch(lambda: [watched], rebuild, interval=0.05, rounds=4)
    assert calls == ["a", "bb"]


def test_a_snapshot_tells_a_missing_file_from_a_changed_one(tmp_path):
    here, gone = tmp_path / "here.yaml", tmp_path / "gone.yaml"
    here.write_text("a")
    first = snapshot([here, gone])
    assert first[gone] == (-1, -1) and first[here][1] == 1
    here.write_text("ab")
    assert snapshot([here, gone]) != first


def test_no_change_no_rebuild(tmp_path):
    watched = tmp_path / "profile.yaml"
    watched.write_text("a")
    calls = []
    watch(lambda: [watched], lambda: calls.append(1), interval=0.01, rounds=3)
    assert calls == [1]  # the first build only
