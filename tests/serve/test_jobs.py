"""Batches through the server (serve/jobs.py): an upload's kind and shown name, every row checked
as `validate` checks it (a `profile` cell refused unread), a job's folder only from its id; and,
slow, a job run by the batch in a process of its own, stopped, resumed and expired."""

from __future__ import annotations

import asyncio
import time

import pytest
from helpers import BOOKING_ROWS, BOOKINGS_HEADER, SAMPLES, problems, write_csv

from guidebook.guide import load_shared
from guidebook.options import GuideOptions
from guidebook.serve.jobs import (
    FROM_EARLIER_RUN,
    JobManager,
    JobNotFound,
    check_upload,
    display_name,
    upload_kind,
)
from guidebook.serve.store import Store


@pytest.fixture(scope="module")
def shared():
    return load_shared(GuideOptions(clinics=SAMPLES / "clinics.yaml"))


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b"PK\x03\x04rest", "xlsx"), (b"name,arrival\n", "csv"), ("\ufeffname".encode(), "csv"),
     ("name".encode("utf-16"), "csv")],
)  # fmt: skip
def test_an_uploads_kind_comes_from_its_bytes(data, kind):
    assert upload_kind(data) == kind


def test_a_binary_file_is_refused():
    [problem] = problems(lambda: upload_kind(b"\x7fELF\x02\x01\x01\x00\x00\x00"))
    assert "neither a CSV file nor an Excel workbook" in problem.message


@pytest.mark.parametrize(
    ("name", "shown"),
    [("week 40.csv", "week 40.csv"), ("C:\\Users\\me\\week.csv", "week.csv"), ("../../x.csv", "x.csv"),
     ("a\x00b\nc.csv", "abc.csv"), ("", "bookings.csv"), (None, "bookings.csv"), ("x" * 300, "x" * 100)],
)  # fmt: skip
def test_the_name_shown_is_the_uploads_last_part_printable_and_short(name, shown):
    assert display_name(name, "csv") == shown


def test_every_row_is_checked_with_the_validate_messages_under_the_uploads_own_name(tmp_path, shared):
    path = write_csv(tmp_path)
    checks, warnings = check_upload(path, "week 40.csv", shared, max_rows=100)
    assert [c.line for c in checks] == list(range(2, 2 + len(BOOKING_ROWS))) and warnings == []
    by_line = {c.line: c for c in checks}
    assert by_line[2].problems == [] and by_line[2].cells["name"] == "김민지"
    [bad_date] = by_line[6].problems
    assert bad_date["column"] == "arrival" and bad_date["value"] == "2026-02-30T10:00"
    assert bad_date["text"].startswith("week 40.csv:6: row 6, column arrival: ")
    assert any(p["column"] == "treatments" and "rejuran-healer" in p["message"] for p in by_line[7].problems)
    assert str(tmp_path) not in repr(checks)


def test_a_profile_cell_is_refused_without_being_read(tmp_path, shared):
    (tmp_path / "p.yaml").write_text("traveler: [not read]\n", encoding="utf-8")
    path = write_csv(
        tmp_path,
        ["P1;Kim;2026-04-06T10:00;2026-04-12T18:00;aqua-peel;;;;p.yaml"],
        BOOKINGS_HEADER + ";profile",
    )
    [check] = check_upload(path, "b.csv", shared, max_rows=10)[0]
    [problem] = check.problems
    assert problem["column"] == "profile" and problem["message"].startswith("names a profile file")


def test_a_file_that_is_not_bookings_is_refused_whole_under_its_own_name(tmp_path, shared):
    path = write_csv(tmp_path, ["1;2"], "colour;size")
    found = problems(lambda: check_upload(path, "mine.csv", shared, max_rows=10))
    assert found and all(p.file == "mine.csv" for p in found)


def test_too_many_rows_or_too_long_a_check_stops_the_upload(tmp_path, shared):
    path = write_csv(tmp_path, BOOKING_ROWS[:3])
    assert "more than 2 rows" in problems(lambda: check_upload(path, "b.csv", shared, max_rows=2))[0].message
    slow = problems(lambda: check_upload(path, "b.csv", shared, max_rows=10, seconds=-1))
    assert "took longer than" in slow[0].message


def manager(tmp_path, shared, **kwargs):
    store = Store(tmp_path)
    store.open()
    return JobManager(
        tmp_path / "jobs",
        store,
        shared=lambda: shared,
        options=lambda: GuideOptions(clinics=SAMPLES / "clinics.yaml"),
        **kwargs,
    )


def test_a_jobs_folder_comes_from_its_id_only(tmp_path, shared):
    jobs = manager(tmp_path, shared)
    assert jobs.folder("0" * 32) == tmp_path / "jobs" / ("0" * 32)
    for bad in ["../" + "0" * 29, "0" * 31, "A" * 32, "0" * 32 + "/x"]:
        with pytest.raises(JobNotFound):
            jobs.folder(bad)
    with pytest.raises(JobNotFound):
        asyncio.run(jobs.get("../etc"))


def test_an_upload_is_stored_checked_and_listed_and_a_bad_one_leaves_nothing(tmp_path, shared):
    jobs = manager(tmp_path, shared)

    async def scenario():
        data = write_csv(tmp_path, BOOKING_ROWS[:5]).read_bytes()
        job = await jobs.create("../../week.csv", data)
        assert (job.upload, job.kind, job.status, job.total, job.invalid) == (
            "week.csv",
            "csv",
            "checked",
            5,
            1,
        )
        assert jobs.upload_path(job).read_bytes() == data
        assert sorted(p.name for p in jobs.upload_path(job).parent.iterdir()) == ["bookings.csv"]
        with pytest.raises(Exception, match="input error"):
            await jobs.create("bad.csv", b"colour;size\n1;2\n")
        assert [p.name for p in (tmp_path / "jobs").iterdir()] == [job.id]
        queued = await jobs.start(job.id)
        assert queued.status == "queued" and jobs.queue.get_nowait() == job.id

    asyncio.run(scenario())


def test_a_server_stopped_mid_batch_queues_it_again_and_old_jobs_expire(tmp_path, shared):
    jobs = manager(tmp_path, shared, keep_days=1)
    store = jobs.store

    async def scenario():
        job = await jobs.create("b.csv", write_csv(tmp_path, BOOKING_ROWS[:1]).read_bytes())
        await store.call(store.set_status, job.id, "running")
        assert await jobs.resume_unfinished() == [job.id]
        resumed = await jobs.get(job.id)
        assert resumed.status == "queued" and resumed.message == "resumed after the server restarted"
        await store.call(store.set_status, job.id, "done")
        assert await jobs.expire(now=time.time() + 3600) == []
        assert await jobs.expire(now=time.time() + 2 * 86400) == [job.id]
        assert not jobs.folder(job.id).exists()
        with pytest.raises(JobNotFound):
            await jobs.get(job.id)

    asyncio.run(scenario())


@pytest.mark.slow
def test_a_job_runs_in_a_process_of_its_own_and_a_second_run_keeps_the_guides_it_made(tmp_path, shared):
    jobs = manager(tmp_path, shared, jobs=1)

    async def scenario():
        job = await jobs.create(
            "b.csv", write_csv(tmp_path, BOOKING_ROWS[:2] + [BOOKING_ROWS[4]]).read_bytes()
        )
        changed = jobs.event(job.id)
        await jobs.start(job.id)
        assert jobs.queue.get_nowait() == job.id
        await jobs.run(await jobs.get(job.id))
        assert changed.is_set()
        done = await jobs.get(job.id)
        assert done.status == "done" and done.counts == {"ok": 2, "failed": 1} and done.runs == 1
        folder = jobs.folder(job.id)
        assert (folder / "report.csv").is_file() and (folder / "guides.zip").is_file()
        made = {p.name: p.stat().st_mtime_ns for p in jobs.guides(job.id).glob("*.pdf")}
        assert len(made) == 2
        await jobs.store.call(jobs.store.set_status, job.id, "queued")
        await jobs.run(await jobs.get(job.id))  # as after a restart: the batch resumes
        again = await jobs.get(job.id)
        assert again.status == "done" and again.runs == 2 and again.counts == {"ok": 2, "failed": 1}
        assert {p.name: p.stat().st_mtime_ns for p in jobs.guides(job.id).glob("*.pdf")} == made
        rows = await jobs.store.call(jobs.store.rows, job.id)
        assert all(r.message != FROM_EARLIER_RUN for r in rows)  # their first results are kept

    asyncio.run(scenario())
