"""The server's database (serve/store.py): migrations from the first version, a newer database
refused, jobs with their checks and rows, the brand, retention."""

from __future__ import annotations

import sqlite3

import pytest

from guidebook.serve.store import MIGRATIONS, CheckedRow, Job, JobRow, Store, StoredBrand, StoreError


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path)
    store.open()
    yield store
    store.close()


def job(job_id: str = "a" * 32, status: str = "checked", updated: float = 100.0) -> Job:
    return Job(job_id, 100.0, updated, "bookings.csv", "csv", status, total=2, invalid=1)


def test_a_new_database_is_brought_to_the_latest_version_and_opening_it_again_changes_nothing(tmp_path):
    store = Store(tmp_path)
    assert store.open() == 0
    store.close()
    again = Store(tmp_path)
    assert again.open() == len(MIGRATIONS)
    version = again.db.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in again.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    again.close()
    assert version == len(MIGRATIONS)
    assert {"jobs", "job_checks", "job_rows", "brand"} <= tables


def test_a_database_made_by_a_newer_guidebook_is_refused_and_left_as_it_is(tmp_path):
    db = sqlite3.connect(tmp_path / "guidebook.sqlite3")
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(StoreError, match="made by a newer guidebook"):
        Store(tmp_path).open()
    db = sqlite3.connect(tmp_path / "guidebook.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
    db.close()


def test_a_file_that_is_not_a_database_is_one_clear_error(tmp_path):
    (tmp_path / "guidebook.sqlite3").write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="not a database"):
        Store(tmp_path).open()


def test_a_job_keeps_its_checks_rows_and_counts(store):
    checks = [
        CheckedRow(2, "B1", {"name": "김민지"}, []),
        CheckedRow(3, "B2", {"name": "X"}, [{"column": "arrival", "message": "bad", "text": "t"}]),
    ]
    store.add_job(job(), checks)
    assert store.checks("a" * 32) == checks
    store.set_status("a" * 32, "running")
    store.add_row("a" * 32, JobRow(2, "B1", "ok", "B1-김민지.pdf", ""))
    store.add_row("a" * 32, JobRow(3, "B2", "failed", None, "arrival: bad"))
    found = store.job("a" * 32)
    assert found.status == "running" and found.runs == 1 and found.started is not None
    assert found.counts == {"ok": 1, "failed": 1} and found.done == 2
    assert [r.line for r in store.rows("a" * 32)] == [2, 3]
    assert [j.id for j in store.unfinished()] == ["a" * 32]


def test_a_row_found_unchanged_on_resume_keeps_the_result_it_had(store):
    store.add_job(job(), [])
    store.add_row("a" * 32, JobRow(2, "B1", "warning", "B1.pdf", "no session of x fits"))
    store.add_row("a" * 32, JobRow(2, "B1", "ok", "B1.pdf", "made in an earlier run"), True)
    assert store.rows("a" * 32) == [JobRow(2, "B1", "warning", "B1.pdf", "no session of x fits")]
    store.add_row("a" * 32, JobRow(2, "B1", "ok", "B1.pdf", ""))  # made again: replaced
    assert store.rows("a" * 32)[0].status == "ok"


def test_only_jobs_that_ended_before_the_cutoff_expire_and_deleting_one_removes_its_rows(store):
    store.add_job(job("a" * 32, "done", updated=10.0), [CheckedRow(2, "B1", {}, [])])
    store.add_job(job("b" * 32, "running", updated=10.0), [])
    store.add_job(job("c" * 32, "done", updated=500.0), [])
    store.db.execute("UPDATE jobs SET updated = 10 WHERE id IN (?, ?)", ("a" * 32, "b" * 32))
    assert store.expired(before=100.0) == ["a" * 32]
    store.add_row("a" * 32, JobRow(2, "B1", "ok", "x.pdf", ""))
    store.delete_job("a" * 32)
    assert store.job("a" * 32) is None and store.rows("a" * 32) == [] and store.checks("a" * 32) == []


def test_the_brand_is_one_record_with_its_logo(store):
    assert store.brand() is None
    store.save_brand(StoredBrand({"agency": "A"}, b"<svg/>", "svg", 1.0))
    store.save_brand(StoredBrand({"agency": "B"}, None, None, 2.0))
    assert store.brand() == StoredBrand({"agency": "B"}, None, None, 2.0)
