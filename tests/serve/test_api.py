"""The HTTP API (serve/api.py): the catalogue, plans, guides and batches, problem details with
the CLI's own messages, the OpenAPI description; slow: guides and a batch made for real."""

from __future__ import annotations

import json
import subprocess
import zipfile
from io import BytesIO

import pytest
from click.testing import CliRunner
from helpers import (
    BOOKING_ROWS,
    SAMPLES,
    many_rows,
    sample_profile_json,
    served,
    wait_for,
    write_csv,
    write_file,
)

from guidebook.cli import main


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with served(tmp_path_factory.mktemp("data")) as client:
        yield client


def test_the_catalogue(client):
    body = client.get("/api/v1/catalogue").json()
    assert {t["id"] for t in body["treatments"]} >= {"pico-laser", "rejuran-healer"}


def test_a_profile_gives_its_plan_as_plan_json_does(client):
    response = client.post("/api/v1/plans", json=sample_profile_json())
    assert response.status_code == 200
    cli = CliRunner().invoke(
        main, ["plan", str(SAMPLES / "traveler.yaml"), "--clinics", str(SAMPLES / "clinics.yaml"), "--json"]
    )
    assert response.json() == json.loads(cli.output)


def test_a_bad_profile_is_a_problem_listing_the_validate_messages(client, tmp_path):
    profile = {
        "traveler": {"nmae": "x"},
        "trip": {"arrival": "2026-04-06T14:30", "departure": "2026-04-01T10:00"},
        "treatments": [{"id": "rejuran-heeler"}],
    }
    response = client.post("/api/v1/plans", json=profile)
    body = response.json()
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    assert body["type"].startswith("/docs#") and body["status"] == 422 and body["title"]
    texts = [p["text"] for p in body["problems"]]
    # the same problems `guidebook validate` finds in the same profile as a YAML file
    path = write_file(tmp_path, json.dumps(profile), "profile.yaml")
    cli = CliRunner().invoke(main, ["validate", str(path)])
    for text in texts:
        assert text.split(": ", 1)[1] in cli.output
    assert (
        "profile: treatments[0].id: unknown treatment; did you mean 'rejuran-healer'? "
        "(given: 'rejuran-heeler')" in texts
    )


@pytest.mark.parametrize(
    ("body", "status"),
    [(b"not json", 422), (b"[]", 422), (b"[" * 50 + b"]" * 50, 422), (b"", 422)],
)
def test_a_body_that_is_no_profile_is_a_problem(client, body, status):
    response = client.post("/api/v1/plans", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status and response.json()["problems"][0]["file"] == "profile"


def test_a_bad_query_is_a_problem(client):
    response = client.post("/api/v1/guides?format=b5", json=sample_profile_json())
    assert response.status_code == 400 and response.json()["problems"][0]["location"].startswith("query")


def test_an_upload_gives_a_job_with_every_row_checked(client, tmp_path):
    data = write_csv(tmp_path, BOOKING_ROWS).read_bytes()
    response = client.post("/api/v1/batches?start=false", files={"file": ("week 40.csv", data, "text/csv")})
    assert response.status_code == 201
    job = response.json()
    assert response.headers["location"] == job["links"]["self"] == f"/api/v1/batches/{job['id']}"
    assert (job["upload"], job["status"], job["rows"], job["invalid_rows"]) == (
        "week 40.csv",
        "checked",
        9,
        5,
    )
    rows = client.get(job["links"]["rows"]).json()["rows"]
    bad = {r["line"]: r["problems"] for r in rows if r["problems"]}
    assert sorted(bad) == [6, 7, 8, 9, 10]
    assert bad[6][0]["text"].startswith("week 40.csv:6: row 6, column arrival:")
    assert client.get(f"/api/v1/batches/{job['id']}").json()["id"] == job["id"]
    assert any(j["id"] == job["id"] for j in client.get("/api/v1/batches").json())
    assert client.get(f"/api/v1/batches/{job['id']}/zip").status_code == 422  # not made yet
    assert client.delete(f"/api/v1/batches/{job['id']}").status_code == 204
    assert client.get(f"/api/v1/batches/{job['id']}").status_code == 404


def test_an_upload_that_is_not_bookings_is_one_problem_with_the_uploads_name(client):
    response = client.post("/api/v1/batches", files={"file": ("mine.csv", b"colour;size\n1;2\n", "text/csv")})
    body = response.json()
    assert response.status_code == 422 and all(p["file"] == "mine.csv" for p in body["problems"])


@pytest.mark.parametrize("job_id", ["nope", "0" * 32, "..%2F..%2Fetc"])
def test_an_unknown_batch_is_404(client, job_id):
    response = client.get(f"/api/v1/batches/{job_id}")
    assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"


def test_the_openapi_description_names_every_route_and_the_profile_schema(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/v1/plans", "/api/v1/guides", "/api/v1/batches", "/api/v1/catalogue"} <= set(spec["paths"])
    assert {"Profile", "Plan", "Catalogue", "Traveler"} <= set(spec["components"]["schemas"])
    body = spec["paths"]["/api/v1/plans"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Profile"}
    assert all(not path.startswith(("/trip", "/bookings", "/brand")) for path in spec["paths"])


def test_the_documentation_page_loads_swagger_ui_from_the_server_itself(client):
    html = client.get("/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in html and "http" not in html.replace("http-equiv", "")
    for asset in ("swagger/swagger-ui-bundle.js", "swagger/swagger-ui.css", "swagger-init.js", "htmx.min.js"):
        assert client.get(f"/static/{asset}").status_code == 200


# -- slow: guides and batches made for real ----------------------------------------------------------


@pytest.fixture(scope="module")
def renders(tmp_path_factory):
    with served(tmp_path_factory.mktemp("data"), workers=1, jobs=1, queue=1) as client:
        yield client


def text_of_pdf(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(out.decode().split())


@pytest.mark.slow
def test_a_profile_gives_its_guide_as_a_pdf_or_its_html(renders):
    pdf = renders.post("/api/v1/guides?format=pocket", json=sample_profile_json())
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert 'filename="Olivia_Park-Martin.pdf"' in pdf.headers["content-disposition"]
    assert "Olivia Park-Martin" in text_of_pdf(pdf.content) and "Bloom Route Travel" in text_of_pdf(
        pdf.content
    )
    assert json.loads(pdf.headers["guidebook-warnings"]) == []
    html = renders.post("/api/v1/guides", json=sample_profile_json(), headers={"accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html") and "Olivia Park-Martin" in html.text
    assert html.headers["content-security-policy"].startswith("sandbox")
    assert list((renders.app.state.server.tmp).glob("*.pdf")) == []  # each sent once, then removed


@pytest.mark.slow
def test_a_full_queue_answers_429_with_retry_after(renders):
    from concurrent.futures import ThreadPoolExecutor

    capacity = renders.app.state.server.renderer.capacity  # one worker and a queue of one
    assert capacity == 2
    with ThreadPoolExecutor(6) as pool:
        responses = list(
            pool.map(lambda _: renders.post("/api/v1/guides", json=sample_profile_json()), range(6))
        )
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(200) >= 2 and 429 in statuses and set(statuses) <= {200, 429}
    busy = next(r for r in responses if r.status_code == 429)
    assert int(busy.headers["retry-after"]) >= 1 and busy.json()["retry_after"] >= 1


@pytest.mark.slow
def test_a_batch_through_the_api_runs_to_the_end_with_its_events_report_and_zip(renders, tmp_path):
    data = write_csv(tmp_path, BOOKING_ROWS[:2] + [BOOKING_ROWS[4]] + many_rows(2)).read_bytes()
    job = renders.post("/api/v1/batches", files={"file": ("b.csv", data, "text/csv")}).json()
    assert job["status"] in {"queued", "running"}
    with renders.stream("GET", job["links"]["events"]) as events:
        lines = [line for line in events.iter_lines() if line]
    names = [line.split(": ", 1)[1] for line in lines if line.startswith("event: ")]
    assert names[-2:] == ["progress", "end"] and names.count("end") == 1
    last = json.loads([line for line in lines if line.startswith("data: ")][-2][6:])
    assert last["status"] == "done" and last["done"] == 5 and last["counts"]["ok"] == 4
    wait_for(lambda: renders.get(job["links"]["self"]).json()["status"] == "done", "the batch to end")
    report = renders.get(f"{job['links']['self']}/report")
    assert (
        report.status_code == 200 and report.text.splitlines()[0] == "booking_id,line,status,output,message"
    )
    archive = zipfile.ZipFile(BytesIO(renders.get(f"{job['links']['self']}/zip").content))
    assert sorted(archive.namelist()) == sorted(
        [*(r.split(",")[3] for r in report.text.splitlines()[1:] if ",ok," in r), "report.csv"]
    )
    guide = renders.get(f"{job['links']['self']}/guides/2")
    assert guide.status_code == 200 and "김민지" in text_of_pdf(guide.content)
    assert renders.get(f"{job['links']['self']}/guides/4").status_code == 404  # the bad date
