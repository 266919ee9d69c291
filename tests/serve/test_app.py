"""The app (serve/app.py): its data folder (owner only, its secret kept across restarts), the
saved brand and the brand file the CLI uses, bad input files refused before it starts; slow: a
server restarted in the middle of a batch resumes it and loses no finished guide."""

from __future__ import annotations

import os
import stat

import pytest
from helpers import BOOKING_ROWS, problems, served, wait_for, write_csv, write_file

from guidebook.serve.app import check_inputs, secret_of
from guidebook.serve.settings import ServeSettings


def test_the_data_folder_is_its_owners_only_and_its_secret_outlives_a_restart(tmp_path):
    data = tmp_path / "data"
    with served(data) as client:
        assert client.get("/").status_code == 200
        first = client.app.state.server.secret
    assert stat.S_IMODE(os.stat(data).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(data / "secret").st_mode) == 0o600
    assert secret_of(data) == first and len(first) == 32
    assert {p.name for p in data.iterdir()} >= {"guidebook.sqlite3", "secret", "jobs", "tmp", "brand"}


def test_the_brand_given_at_the_first_start_is_saved_as_the_brand_file_the_cli_uses(tmp_path):
    with served(tmp_path) as client:
        server = client.app.state.server
        assert server.brand_file == tmp_path / "brand" / "brand.yaml"
        assert server.inputs.brand.brand.agency == "Bloom Route Travel"
        assert sorted(p.name for p in (tmp_path / "brand").iterdir()) == ["brand.yaml", "logo.svg"]
        assert client.get("/brand/brand.yaml").text.startswith("# The agency's brand")
    # the saved brand wins over --brand afterwards: another file given later is not read
    other = write_file(tmp_path, "agency: Other Agency\n", "other.yaml")
    with served(tmp_path, brand=other) as client:
        assert client.app.state.server.inputs.brand.brand.agency == "Bloom Route Travel"


def test_bad_input_files_are_refused_before_the_server_starts(tmp_path):
    clinics = write_file(tmp_path, "clinics:\n  - id: Bad Id\n", "clinics.yaml")
    found = problems(lambda: check_inputs(ServeSettings(data=tmp_path, clinics=clinics)))
    assert found and all(p.file == str(clinics) for p in found)


@pytest.mark.slow
def test_a_server_restarted_in_the_middle_of_a_batch_resumes_it_and_loses_no_guide(tmp_path):
    data = tmp_path / "data"
    upload = write_csv(tmp_path, BOOKING_ROWS[:2] + [BOOKING_ROWS[4]]).read_bytes()
    with served(data, jobs=1) as client:
        job = client.post("/api/v1/batches", files={"file": ("b.csv", upload, "text/csv")}).json()
        url = job["links"]["self"]
        wait_for(lambda: client.get(url).json()["status"] == "done", "the batch to end")
        guides = data / "jobs" / job["id"] / "guides"
        made = {p.name: p.stat().st_mtime_ns for p in guides.glob("*.pdf")}
        store = client.app.state.server.store
        # as if the server had been stopped while the batch ran, before its last row was stored
        store.db.execute("UPDATE jobs SET status = 'running' WHERE id = ?", (job["id"],))
        store.db.execute("DELETE FROM job_rows WHERE job_id = ? AND line = 3", (job["id"],))
    with served(data, jobs=1) as client:
        wait_for(lambda: client.get(url).json()["status"] == "done", "the resumed batch to end")
        resumed = client.get(url).json()
        assert resumed["runs"] == 2 and resumed["counts"] == {
            "ok": 2,
            "warning": 0,
            "failed": 1,
            "skipped": 0,
        }
        assert {p.name: p.stat().st_mtime_ns for p in guides.glob("*.pdf")} == made  # none made again
        rows = {r["line"]: r for r in client.get(f"{url}/rows").json()["rows"]}
        assert rows[3]["status"] == "ok" and rows[3]["message"] == "made in an earlier run of this batch"
        assert len(client.get(f"{url}/zip").content) > 1000
