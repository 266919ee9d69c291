"""The HTTP API, /api/v1: plans, guides, batches and the catalogue, described by OpenAPI (/docs).

A profile is JSON shaped as the YAML profile file (`guidebook schema profile`). Errors are RFC
9457 problem details (problems.py) whose `problems` carry the command line's located messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, File, Query, Request, UploadFile
from fastapi.openapi.utils import get_openapi
from starlette.background import BackgroundTask
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse

from ..batch.filenames import safe_filename
from ..batch.service import RenderOutcome, RenderRequest
from ..errors import InputError, Problem
from ..guide import Inputs, plan_guide
from ..inputs.catalogue import Catalogue
from ..inputs.models import Profile
from ..plan.types import Plan
from .jobs import JobNotFound
from .problems import MEDIA_TYPE, problem_response
from .profiles import inputs_from_data, parse_json
from .store import Job

router = APIRouter(prefix="/api/v1", tags=["api"])
Format = Literal["a5", "pocket", "a6", "a4", "letter"]
Sheet = Literal["a4", "letter"]
Output = Literal["pdf", "html"]
HEARTBEAT = 15.0  # seconds between keep-alive comments on an event stream
PROBLEM = {"description": "problem details (RFC 9457)", "content": {MEDIA_TYPE: {}}}
PROFILE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A traveler's profile as JSON, shaped as the YAML profile file",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Profile"}}},
    }
}


def server_of(request: Request) -> Any:
    return request.app.state.server


async def read_inputs(request: Request, language: str | None = None) -> Inputs:
    """The request's profile, validated (InputError: a 422 with every problem)."""
    data = parse_json(await request.body())
    server = server_of(request)
    return await asyncio.to_thread(inputs_from_data, data, server.inputs, language=language)


@router.get("/catalogue", summary="The treatment catalogue: prices, downtime, sessions, timing rules")
async def catalogue(request: Request) -> Response:
    shared = server_of(request).inputs
    return Response(shared.catalogue.model_dump_json(), media_type="application/json")


@router.post(
    "/plans",
    summary="A profile's plan: itinerary, sessions that do not fit and why, checklist dates, costs",
    openapi_extra=PROFILE_BODY,
    responses={
        200: {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Plan"}}}},
        422: PROBLEM,
    },
)
async def plans(
    request: Request, lang: Annotated[str | None, Query(description="guide language")] = None
) -> Response:
    server = server_of(request)
    inputs = await read_inputs(request, lang)
    plan: Plan = await asyncio.to_thread(plan_guide, inputs, server.options())
    return Response(plan.model_dump_json(), media_type="application/json")


async def render(
    request: Request, inputs: Inputs, output: str, *, page_format: str = "a5", booklet: str | None = None
) -> tuple[RenderOutcome, Path]:
    """One guide from the render host, written to a temporary file of the server's own."""
    server = server_of(request)
    options = server.options(page_format=page_format, booklet=booklet)
    path = server.tmp / f"{uuid.uuid4().hex}.{output}"
    job = RenderRequest(
        inputs.profile, options, inputs.brand, output=output, path=str(path), warnings=inputs.warnings
    )
    try:
        outcome = await server.renderer.render(job)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if not outcome.ok:
        path.unlink(missing_ok=True)
    return outcome, path


def failed(outcome: RenderOutcome) -> Response:
    status = 504 if "took longer than" in outcome.message else 500
    return problem_response(status, outcome.message)


def guide_response(outcome: RenderOutcome, path: Path, output: str, name: str) -> Response:
    """The file, removed once sent; its warnings in a header."""
    filename = safe_filename(name, fallback="guide") + (".pdf" if output == "pdf" else ".html")
    headers = {
        "guidebook-warnings": json.dumps(outcome.warnings),
        "guidebook-missing": json.dumps(outcome.missing),
    }
    if output == "html":
        # The guide's HTML is for reading, not for running: no script, no form, no fetch.
        headers["content-security-policy"] = (
            "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
        )
        media = "text/html; charset=utf-8"
    else:
        media = "application/pdf"
    return FileResponse(
        path,
        media_type=media,
        filename=filename,
        content_disposition_type="attachment" if output == "pdf" else "inline",
        headers=headers,
        background=BackgroundTask(os.unlink, path),
    )


@router.post(
    "/guides",
    summary="A profile's guide: the PDF (or its HTML)",
    openapi_extra=PROFILE_BODY,
    responses={
        200: {"content": {"application/pdf": {}, "text/html": {}}, "description": "the guide"},
        422: PROBLEM,
        429: PROBLEM,
        504: PROBLEM,
    },
)
async def guides(
    request: Request,
    format: Annotated[Format, Query(description="page size; pocket is A6")] = "a5",
    booklet: Annotated[Sheet | None, Query(description="impose on these sheets for home printing")] = None,
    output: Annotated[Output | None, Query(description="pdf (default) or html; else from Accept")] = None,
    lang: Annotated[str | None, Query(description="guide language")] = None,
) -> Response:
    kind = output or ("html" if "text/html" in request.headers.get("accept", "") else "pdf")
    inputs = await read_inputs(request, lang)
    outcome, path = await render(request, inputs, kind, page_format=format, booklet=booklet)
    if not outcome.ok:
        return failed(outcome)
    return guide_response(outcome, path, kind, inputs.profile.traveler.name)


# -- batches ------------------------------------------------------------------------------------


def job_json(job: Job) -> dict[str, Any]:
    base = f"/api/v1/batches/{job.id}"
    finished = job.status == "done"
    return {
        "id": job.id,
        "upload": job.upload,
        "kind": job.kind,
        "status": job.status,
        "created": _iso(job.created),
        "started": _iso(job.started),
        "finished": _iso(job.finished),
        "rows": job.total,
        "invalid_rows": job.invalid,
        "done": job.done,
        "counts": {k: job.counts.get(k, 0) for k in ("ok", "warning", "failed", "skipped")},
        "message": job.message,
        "runs": job.runs,
        "links": {
            "self": base,
            "rows": f"{base}/rows",
            "events": f"{base}/events",
            "report": f"{base}/report" if finished else None,
            "zip": f"{base}/zip" if finished else None,
        },
    }


def _iso(stamp: float | None) -> str | None:
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds") if stamp else None


@router.post(
    "/batches",
    status_code=201,
    summary="Upload bookings (CSV or .xlsx): every row is checked; the batch starts unless start=false",
    responses={422: PROBLEM, 413: PROBLEM},
)
async def create_batch(
    request: Request,
    file: Annotated[UploadFile, File(description="the bookings: CSV or an Excel workbook (.xlsx)")],
    start: Annotated[bool, Query(description="start the batch at once")] = True,
) -> JSONResponse:
    jobs = server_of(request).batches
    job = await jobs.create(file.filename, await file.read())
    if start:
        job = await jobs.start(job.id)
    body = job_json(job)
    return JSONResponse(body, status_code=201, headers={"location": body["links"]["self"]})


@router.get("/batches", summary="The batches, newest first")
async def list_batches(request: Request) -> list[dict[str, Any]]:
    store = server_of(request).store
    return [job_json(j) for j in await store.call(store.jobs)]


@router.get("/batches/{job_id}", summary="A batch's state and counts", responses={404: PROBLEM})
async def get_batch(request: Request, job_id: str) -> dict[str, Any]:
    return job_json(await server_of(request).batches.get(job_id))


@router.get(
    "/batches/{job_id}/rows",
    summary="Every row: its check, and its result once made",
    responses={404: PROBLEM},
)
async def batch_rows(request: Request, job_id: str) -> dict[str, Any]:
    server = server_of(request)
    job = await server.batches.get(job_id)
    checks = await server.store.call(server.store.checks, job.id)
    results = {r.line: r for r in await server.store.call(server.store.rows, job.id)}
    rows = []
    for c in checks:
        r = results.get(c.line)
        rows.append(
            {
                "line": c.line,
                "booking_id": c.booking_id,
                "problems": c.problems,
                "status": r.status if r else None,
                "output": r.output if r else None,
                "message": r.message if r else None,
            }
        )
    return {"batch": job_json(job), "rows": rows}


@router.post(
    "/batches/{job_id}/start", status_code=202, summary="Start (or resume) a batch", responses={404: PROBLEM}
)
async def start_batch(request: Request, job_id: str) -> dict[str, Any]:
    return job_json(await server_of(request).batches.start(job_id))


@router.post(
    "/batches/{job_id}/stop",
    status_code=202,
    summary="Stop a batch (finished guides stay)",
    responses={404: PROBLEM},
)
async def stop_batch(request: Request, job_id: str) -> dict[str, Any]:
    jobs = server_of(request).batches
    await jobs.stop(job_id)
    return job_json(await jobs.get(job_id))


@router.delete(
    "/batches/{job_id}", status_code=204, summary="Remove a batch and its files", responses={404: PROBLEM}
)
async def delete_batch(request: Request, job_id: str) -> Response:
    await server_of(request).batches.delete(job_id)
    return Response(status_code=204)


async def events(request: Request, job_id: str, render: Any) -> StreamingResponse:
    """A batch's progress as server-sent events: `render(job)` gives each event's (name, data),
    sent at every change, until the batch is no longer queued or running."""
    jobs = server_of(request).batches
    await jobs.get(job_id)

    async def stream() -> AsyncIterator[str]:
        while True:
            changed = jobs.event(job_id)
            try:
                job = await jobs.get(job_id)
            except JobNotFound:
                return
            for name, data in await render(job):
                lines = "".join(f"data: {line}\n" for line in data.splitlines() or [""])
                yield f"event: {name}\n{lines}\n"
            if job.status not in {"queued", "running"}:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), HEARTBEAT)
                continue
            yield ": still working\n\n"

    headers = {"x-accel-buffering": "no"}
    return StreamingResponse(stream(), media_type="text/event-stream", headers=headers)


@router.get(
    "/batches/{job_id}/events",
    summary="Progress as server-sent events: `progress` at each row, then `end`",
    responses={200: {"content": {"text/event-stream": {}}}, 404: PROBLEM},
)
async def batch_events(request: Request, job_id: str) -> StreamingResponse:
    async def render(job: Job) -> list[tuple[str, str]]:
        out = [("progress", json.dumps(job_json(job)))]
        if job.status not in {"queued", "running"}:
            out.append(("end", json.dumps({"status": job.status})))
        return out

    return await events(request, job_id, render)


async def finished_file(request: Request, job_id: str, name: str) -> Path:
    jobs = server_of(request).batches
    job = await jobs.get(job_id)
    path: Path = jobs.folder(job.id) / name
    if job.status != "done" or not path.is_file():
        raise InputError(
            [Problem("batch", "", f"the batch is {job.status}: its {name} is made when it is done")]
        )
    return path


@router.get("/batches/{job_id}/report", summary="The report: one line a row (CSV)", responses={404: PROBLEM})
async def batch_report(request: Request, job_id: str) -> FileResponse:
    path = await finished_file(request, job_id, "report.csv")
    return FileResponse(path, media_type="text/csv; charset=utf-8", filename="report.csv")


@router.get(
    "/batches/{job_id}/zip", summary="Every guide and the report, in one zip", responses={404: PROBLEM}
)
async def batch_zip(request: Request, job_id: str) -> FileResponse:
    path = await finished_file(request, job_id, "guides.zip")
    return FileResponse(path, media_type="application/zip", filename=f"guides-{job_id[:8]}.zip")


@router.get("/batches/{job_id}/guides/{line}", summary="One row's guide (PDF)", responses={404: PROBLEM})
async def batch_guide(request: Request, job_id: str, line: int) -> Response:
    server = server_of(request)
    job = await server.batches.get(job_id)
    rows = {r.line: r for r in await server.store.call(server.store.rows, job.id)}
    row = rows.get(line)
    path = server.batches.guide_path(job.id, row.output) if row and row.output else None
    if path is None:
        return problem_response(404, f"no guide for line {line}")
    return FileResponse(path, media_type="application/pdf", filename=path.name)


# -- the OpenAPI description ----------------------------------------------------------------------


def describe(app: FastAPI) -> None:
    """The OpenAPI document, with the profile, plan and catalogue schemas the routes name."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=(
                "Every error is an RFC 9457 problem (application/problem+json); input problems are "
                "listed in `problems`, each with its file, line or row, field, value and `text`, the "
                "line `guidebook validate` prints. With an access token, send it as "
                "`Authorization: Bearer TOKEN`. A full queue answers 429 with Retry-After."
            ),
            routes=app.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (Profile, Plan, Catalogue):
            found = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(found.pop("$defs", {}))
            components[model.__name__] = found
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
