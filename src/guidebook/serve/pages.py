"""The web pages: My trip (a traveler), Bookings (an agency's batches), Brand (its look).

Server-rendered with Jinja2 (autoescaped), in the five languages (texts.py); htmx swaps the
live parts in (the plan as the trip form changes, a brand's preview, a batch's progress from
server-sent events) and every page also works without it. Every form carries a CSRF token.
"""

from __future__ import annotations

import asyncio
import base64
import re
import secrets
import shutil
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, HTTPException, Request
from starlette.datastructures import FormData, UploadFile
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from ..batch.service import RenderRequest
from ..errors import InputError, Problem
from ..guide import Inputs, plan_guide
from ..i18n import LANGUAGES
from ..inputs.bookings import COLUMNS
from ..plan.types import Plan
from ..render import fmt
from ..render.html import REASONS
from . import api
from .brands import BRAND_NAME, FIELDS, BrandDraft, preview_folder
from .problems import located
from .profiles import TripForm, field_of, inputs_from_data, sample_profile
from .renders import RenderBusy
from .security import (
    CLIENT_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    csrf_ok,
    csrf_token,
    session_value,
)
from .store import CheckedRow, Job, JobRow
from .texts import NATIVE_NAMES, Texts, choose, supported

HERE = Path(__file__).parent
router = APIRouter(include_in_schema=False)
LANG_COOKIE = "gb_lang"
YEAR = 365 * 24 * 3600
# The guide's formats a traveler picks from: (page size, booklet sheet)
DOWNLOADS = {"a5": ("a5", None), "pocket": ("a6", None), "booklet": ("a6", "a4")}
PREVIEW_PAGES = (1, 3)  # the cover and the itinerary
PREVIEW_DPI = 40
DAYS = ("none", "1 day", "%(days)s days")
CATEGORIES = {"booster": "Skin boosters", "laser": "Lasers", "facial": "Facials"}


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(languages=NATIVE_NAMES)
    env.filters["stamp"] = stamp
    return env


def stamp(seconds: float | None) -> str:
    """A moment as this computer's local date and time, "2026-10-02 14:30"."""
    return datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M") if seconds else ""


def server_of(request: Request) -> Any:
    return request.app.state.server


def language_of(request: Request) -> str:
    return choose(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
    )


def client_of(request: Request) -> str:
    value = request.cookies.get(CLIENT_COOKIE, "")
    return value if re.fullmatch(r"[0-9a-f]{32}", value) else ""


def page(
    request: Request,
    template: str,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page (or a fragment) in the visitor's language, with the CSRF token of its forms."""
    server = server_of(request)
    language = language_of(request)
    client = client_of(request) or secrets.token_hex(16)
    html = server.templates.get_template(template).render(
        _=Texts(language),
        lang=language,
        csrf=csrf_token(server.secret, client),
        path=request.url.path,
        token_needed=bool(server.settings.token),
        **context,
    )
    response = HTMLResponse(html, status_code=status, headers=dict(headers or {}))
    if client_of(request) != client:
        response.set_cookie(CLIENT_COOKIE, client, max_age=YEAR, httponly=True, samesite="strict")
    asked = supported(request.query_params.get("lang"))
    if asked and asked != request.cookies.get(LANG_COOKIE):
        response.set_cookie(LANG_COOKIE, asked, max_age=YEAR, httponly=True, samesite="strict")
    return response


def error_page(
    request: Request,
    status: int,
    problems: list[Problem],
    *,
    headers: Mapping[str, str] | None = None,
    retry_after: int | None = None,
) -> HTMLResponse:
    return page(
        request,
        "error.html.j2",
        status=status,
        headers=headers,
        status_code=status,
        problems=[located(p) for p in problems],
        retry_after=retry_after,
    )


class Posted(FormData):
    """A posted form's text fields, and its files read (name, bytes): the upload's temporary
    files are closed at once."""

    files: dict[str, tuple[str, bytes]]


async def checked_form(request: Request) -> Posted:
    """The posted form, if its CSRF token is this browser's; 403 otherwise."""
    form = await request.form(max_files=2, max_fields=200)
    try:
        files: dict[str, tuple[str, bytes]] = {}
        fields: list[tuple[str, str | UploadFile]] = []
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                if value.filename:
                    files[key] = (value.filename, await value.read())
            else:
                fields.append((key, value))
    finally:
        await form.close()
    posted = Posted(fields)
    posted.files = files
    given = request.headers.get(CSRF_HEADER) or str(posted.get(CSRF_FIELD) or "")
    if not csrf_ok(server_of(request).secret, client_of(request), given):
        raise HTTPException(403, "the form has expired or came from elsewhere; reload the page and try again")
    return posted


@router.get("/favicon.ico")
async def favicon() -> RedirectResponse:
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.get("/")
async def home(request: Request) -> HTMLResponse:
    return page(request, "home.html.j2", page_name="home")


# -- My trip --------------------------------------------------------------------------------------


def treatment_choices(inputs: Any, texts: Texts) -> list[dict[str, Any]]:
    """The catalogue's treatments by kind, with their price a session, downtime and sessions."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for t in inputs.catalogue.treatments:
        price = t.price_krw
        if price.low is not None:
            cost = f"{fmt.krw(price.low, texts.locale)}–{fmt.krw(price.high, texts.locale)}"
        else:
            cost = texts("ask the clinic")
        days = t.downtime_days.value
        groups.setdefault(t.category, []).append(
            {
                "id": t.id,
                "name": texts.data(t.name),
                "price": cost,
                "downtime": texts(DAYS[min(days, 2)], days=days),
                "sessions": t.sessions.value,
            }
        )
    return [{"title": texts(CATEGORIES.get(k, k)), "treatments": v} for k, v in groups.items()]


def default_form(language: str) -> TripForm:
    arrival = date.today() + timedelta(days=30)
    return TripForm(
        {
            "language": language,
            "arrival_date": arrival.isoformat(),
            "arrival_time": "14:00",
            "departure_date": (arrival + timedelta(days=7)).isoformat(),
            "departure_time": "18:00",
        }
    )


def plan_view(plan: Plan, inputs: Inputs, texts: Texts) -> dict[str, Any]:
    """The plan as the page shows it, in the page's language."""
    locale, language = texts.locale, texts.language
    catalogue = inputs.catalogue
    names = {t.id: texts.data(t.name) for t in catalogue.treatments}
    clinics = {c.id: c.name_in(language) for c in inputs.clinic_list}
    days: list[dict[str, Any]] = []
    for d in plan.days:
        notes = []
        if d.is_arrival:
            notes.append(texts("arrival"))
        if d.is_departure:
            notes.append(texts("departure"))
        if d.holiday:
            notes.append(
                texts("holiday: %(name)s", name="; ".join(texts.data(p) for p in d.holiday.split("; ")))
            )
        if d.closed:
            notes.append(texts("clinics closed"))
        visits = []
        for a in d.appointments:
            what = texts("consultation") if a.kind == "consultation" else names.get(a.treatment_id or "", "")
            if a.session:
                what += f" {a.session}/{a.sessions_in_stay}"
            where = clinics.get(a.clinic_id or "") or texts("clinic to be confirmed")
            visits.append({"time": fmt.clock(a.start, locale), "what": what, "where": where})
        days.append(
            {
                "date": fmt.day(d.date, locale),
                "notes": notes,
                "visits": visits,
                "recovery": [names.get(t, t) for t in d.downtime],
            }
        )

    def reason(u: Any) -> str:
        if language == "en" or u.reason_code == "medical":
            return texts.data(u.reason)
        t = catalogue.get(u.treatment_id)
        number = t.interval_days.value if u.reason_code == "interval" else max(1, t.flight_buffer_days.value)
        return texts.data(REASONS[u.reason_code]) % {"name": names[t.id], "days": number, "num": u.session}

    unplaced = [
        {
            "name": names.get(u.treatment_id, u.treatment_id),
            "session": u.session,
            "requested": u.requested,
            "reason": reason(u),
            "earliest": fmt.short_day(u.earliest, locale) if u.earliest else None,
        }
        for u in plan.unplaced
    ]
    c = plan.costs

    def krw_range(low: int | None, high: int | None) -> str:
        if low is None:
            return texts("ask the clinic")
        return fmt.krw(low, locale) if low == high else f"{fmt.krw(low, locale)}–{fmt.krw(high, locale)}"

    costs = {
        "rows": [
            {
                "name": names.get(r.treatment_id, r.treatment_id),
                "sessions": r.sessions,
                "unit": krw_range(r.unit_low, r.unit_high),
                "total": krw_range(r.low, r.high),
            }
            for r in c.rows
        ],
        "consultations": c.consultations,
        "consultation": krw_range(c.consultation_low, c.consultation_high),
        "total": krw_range(c.total_low, c.total_high),
        "home": home_range(c.home, locale) if c.home else None,
        "over_budget": c.over_budget,
    }
    count = sum(len(d.appointments) for d in plan.days)
    return {
        "nights": (plan.departure - plan.arrival).days,
        "visits": count,
        "days": days,
        "unplaced": unplaced,
        "costs": costs,
        "cautions": [texts.data(p.text) for p in plan.cautions],
    }


def home_range(home: Any, locale: str) -> str:
    """The total in the traveler's currency, rounded as a person says it: "$1,580–$3,140"."""
    return f"{fmt.estimate(home.low, home.currency, locale)}–{fmt.estimate(home.high, home.currency, locale)}"


async def trip_plan(request: Request, form: TripForm) -> dict[str, Any]:
    """The plan of the form's trip, or its problems (each also by the field it is about)."""
    server = server_of(request)
    texts = Texts(language_of(request))
    if not form.values.get("name") and not form.treatments:
        return {"plan": None, "problems": [], "by_field": {}}  # nothing typed yet: no problems shown
    try:
        inputs = await asyncio.to_thread(inputs_from_data, form.profile_data(), server.inputs)
        plan = await asyncio.to_thread(plan_guide, inputs, server.options())
    except InputError as exc:
        by_field: dict[str, list[str]] = {}
        for p in exc.problems:
            by_field.setdefault(field_of(p) or "form", []).append(p.message)
        return {"plan": None, "problems": [located(p) for p in exc.problems], "by_field": by_field}
    return {"plan": plan_view(plan, inputs, texts), "problems": [], "by_field": {}}


def trip_context(request: Request, form: TripForm, result: dict[str, Any]) -> dict[str, Any]:
    server = server_of(request)
    texts = Texts(language_of(request))
    return {
        "page_name": "trip",
        "form": form,
        "groups": treatment_choices(server.inputs, texts),
        "guide_languages": list(LANGUAGES),
        **result,
    }


@router.get("/trip")
async def trip(request: Request) -> HTMLResponse:
    form = default_form(language_of(request))
    result: dict[str, Any] = {"plan": None, "problems": [], "by_field": {}}
    return page(request, "trip.html.j2", **trip_context(request, form, result))


def _form_of(request: Request, data: FormData) -> TripForm:
    ids = [t.id for t in server_of(request).inputs.catalogue.treatments]
    return TripForm.parse(data, ids)


@router.post("/trip")
async def trip_posted(request: Request) -> HTMLResponse:
    """The page with its plan (for a browser without JavaScript)."""
    form = _form_of(request, await checked_form(request))
    result = await trip_plan(request, form)
    return page(request, "trip.html.j2", **trip_context(request, form, result))


@router.post("/trip/plan")
async def trip_plan_fragment(request: Request) -> HTMLResponse:
    """The plan, for htmx to swap in as the form changes (with each field's problems)."""
    form = _form_of(request, await checked_form(request))
    result = await trip_plan(request, form)
    return page(request, "plan.html.j2", oob=True, **result)


@router.post("/trip/guide")
async def trip_guide(request: Request) -> Response:
    """The guide of the form's trip as a PDF download: A5, pocket (A6), or a pocket booklet."""
    data = await checked_form(request)
    form = _form_of(request, data)
    choice = DOWNLOADS.get(str(data.get("format") or "a5"), DOWNLOADS["a5"])
    server = server_of(request)
    try:
        inputs = await asyncio.to_thread(inputs_from_data, form.profile_data(), server.inputs)
    except InputError:
        result = await trip_plan(request, form)
        return page(request, "trip.html.j2", status=422, **trip_context(request, form, result))
    outcome, path = await api.render(request, inputs, "pdf", page_format=choice[0], booklet=choice[1])
    if not outcome.ok:
        status = 504 if "took longer than" in outcome.message else 500
        return error_page(request, status, [Problem("", "", outcome.message)])
    suffix = str(data.get("format") or "a5")
    return api.guide_response(outcome, path, "pdf", f"{inputs.profile.traveler.name}-{suffix}")


# -- Bookings -------------------------------------------------------------------------------------


@router.get("/bookings")
async def bookings(request: Request) -> HTMLResponse:
    store = server_of(request).store
    jobs = await store.call(store.jobs)
    return page(request, "bookings.html.j2", page_name="bookings", jobs=jobs, problems=[])


@router.post("/bookings")
async def upload(request: Request) -> Response:
    data = await checked_form(request)
    file = data.files.get("file")
    server = server_of(request)
    if file is None:
        problems = [located(Problem("upload", "", "choose a CSV file or an Excel workbook (.xlsx) first"))]
        jobs = await server.store.call(server.store.jobs)
        return page(
            request, "bookings.html.j2", status=422, page_name="bookings", jobs=jobs, problems=problems
        )
    try:
        job = await server.batches.create(file[0], file[1])
    except InputError as exc:
        jobs = await server.store.call(server.store.jobs)
        listed = [located(p) for p in exc.problems]
        return page(request, "bookings.html.j2", status=422, page_name="bookings", jobs=jobs, problems=listed)
    return RedirectResponse(f"/bookings/{job.id}", status_code=303)


def check_table(checks: list[CheckedRow], results: dict[int, JobRow]) -> dict[str, Any]:
    """The rows as a table: the file's columns (in guidebook's order), each cell with the
    problems found in it, and each row's result once made."""
    present = {k for c in checks for k in c.cells}
    columns = [c for c in COLUMNS if c in present]
    rows = []
    for c in checks:
        by_column: dict[str, list[str]] = {}
        listed = []  # each problem, by its column, as the row's result until the row is made
        for p in c.problems:
            column = p.get("column")
            if column in columns:
                by_column.setdefault(column, []).append(p["message"])
            given = f" (given: {p['value']!r})" if p.get("value") else ""
            listed.append(f"{column}: {p['message']}{given}" if column and column != "-" else p["message"])
        result = results.get(c.line)
        rows.append(
            {
                "line": c.line,
                "booking_id": c.booking_id,
                "cells": [
                    {"column": k, "value": c.cells.get(k, ""), "problems": by_column.get(k, [])}
                    for k in columns
                ],
                "problems": [p["text"] for p in c.problems],
                "listed": listed,
                "result": result,
            }
        )
    return {"columns": columns, "rows": rows}


async def job_context(request: Request, job: Job) -> dict[str, Any]:
    server = server_of(request)
    checks = await server.store.call(server.store.checks, job.id)
    results = {r.line: r for r in await server.store.call(server.store.rows, job.id)}
    table = await asyncio.to_thread(check_table, checks, results)  # thousands of rows: off the loop
    return {"page_name": "bookings", "job": job, **table}


@router.get("/bookings/{job_id}")
async def job_page(request: Request, job_id: str) -> HTMLResponse:
    job = await server_of(request).batches.get(job_id)
    context = await job_context(request, job)
    return await asyncio.to_thread(page, request, "job.html.j2", **context)


@router.post("/bookings/{job_id}/start")
async def job_start(request: Request, job_id: str) -> RedirectResponse:
    await checked_form(request)
    await server_of(request).batches.start(job_id)
    return RedirectResponse(f"/bookings/{job_id}", status_code=303)


@router.post("/bookings/{job_id}/stop")
async def job_stop(request: Request, job_id: str) -> RedirectResponse:
    await checked_form(request)
    await server_of(request).batches.stop(job_id)
    return RedirectResponse(f"/bookings/{job_id}", status_code=303)


@router.post("/bookings/{job_id}/delete")
async def job_delete(request: Request, job_id: str) -> RedirectResponse:
    await checked_form(request)
    await server_of(request).batches.delete(job_id)
    return RedirectResponse("/bookings", status_code=303)


@router.get("/bookings/{job_id}/events")
async def job_events(request: Request, job_id: str) -> Response:
    """The progress as HTML for htmx's server-sent-events extension: `progress` at each change,
    then `end`."""
    server = server_of(request)
    texts = Texts(language_of(request))
    template = server.templates.get_template("progress.html.j2")

    async def render(job: Job) -> list[tuple[str, str]]:
        context = await job_context(request, job)
        html = await asyncio.to_thread(
            template.render, _=texts, lang=texts.language, csrf="", live=True, **context
        )
        out = [("progress", html)]
        if job.status not in {"queued", "running"}:
            out.append(("end", ""))
        return out

    return await api.events(request, job_id, render)


@router.get("/bookings/{job_id}/zip")
async def job_zip(request: Request, job_id: str) -> FileResponse:
    return await api.batch_zip(request, job_id)


@router.get("/bookings/{job_id}/report")
async def job_report(request: Request, job_id: str) -> FileResponse:
    return await api.batch_report(request, job_id)


@router.get("/bookings/{job_id}/guides/{line}")
async def job_guide(request: Request, job_id: str, line: int) -> Response:
    return await api.batch_guide(request, job_id, line)


# -- Brand ------------------------------------------------------------------------------------------


async def stored_draft(request: Request) -> BrandDraft | None:
    store = server_of(request).store
    stored = await store.call(store.brand)
    return BrandDraft(stored.fields, stored.logo, stored.logo_kind) if stored else None


async def posted_draft(request: Request) -> tuple[FormData, BrandDraft]:
    """The brand form's draft; InputError for a logo that is too large or not a picture."""
    data = await checked_form(request)
    logo = data.files.get("logo")
    content = logo[1] if logo else None
    limit = server_of(request).settings.max_logo
    if content is not None and len(content) > limit:
        raise InputError(
            [Problem(BRAND_NAME, "logo", f"is too large ({len(content):,} bytes; at most {limit:,})")]
        )
    return data, BrandDraft.parse(data, content or None, await stored_draft(request))


def brand_context(request: Request, draft: BrandDraft | None, **extra: Any) -> dict[str, Any]:
    server = server_of(request)
    fields = dict.fromkeys(FIELDS, "")
    fields.update({"primary": "#0F6E8C", "accent": "#E8A0B4"})
    if draft is not None:
        fields.update({k: v for k, v in draft.fields.items() if v})
    return {
        "page_name": "brand",
        "fields": fields,
        "has_logo": bool(draft and draft.logo),
        "brand_file": str(server.brand_folder / "brand.yaml") if server.brand_file else None,
        "problems": [],
        "saved": False,
        **extra,
    }


@router.get("/brand")
async def brand(request: Request) -> HTMLResponse:
    return page(request, "brand.html.j2", **brand_context(request, await stored_draft(request)))


@router.post("/brand")
async def brand_save(request: Request) -> HTMLResponse:
    server = server_of(request)
    try:
        _, draft = await posted_draft(request)
        folder, _loaded = await asyncio.to_thread(preview_folder, server.tmp, draft)  # checked first
        await asyncio.to_thread(shutil.rmtree, folder, True)
    except InputError as exc:
        context = brand_context(
            request, await stored_draft(request), problems=[located(p) for p in exc.problems]
        )
        return page(request, "brand.html.j2", status=422, **context)
    from .store import StoredBrand

    await server.store.call(
        server.store.save_brand, StoredBrand(draft.fields, draft.logo, draft.logo_kind, 0.0)
    )
    loaded = await asyncio.to_thread(draft.save, server.brand_folder)
    await server.use_brand(loaded)
    return page(request, "brand.html.j2", **brand_context(request, draft, saved=True))


@router.post("/brand/preview")
async def brand_preview(request: Request) -> HTMLResponse:
    """Pictures of the cover and the itinerary page of the sample guide in the draft brand."""
    server = server_of(request)
    try:
        _, draft = await posted_draft(request)
        folder, loaded = await asyncio.to_thread(preview_folder, server.tmp, draft)
    except InputError as exc:
        return page(
            request, "preview.html.j2", images=[], problems=[located(p) for p in exc.problems], busy=None
        )
    try:
        profile = sample_profile(server.inputs)
        if profile is None:
            raise InputError([Problem("sample", "", "the sample traveler could not be loaded")])
        job = RenderRequest(
            profile, server.options(), loaded, output="pages", pages=PREVIEW_PAGES, dpi=PREVIEW_DPI
        )
        outcome = await server.renderer.render(job)
    except RenderBusy as exc:
        return page(request, "preview.html.j2", images=[], problems=[], busy=exc.retry_after)
    finally:
        await asyncio.to_thread(shutil.rmtree, folder, True)
    if not outcome.ok:
        return page(
            request,
            "preview.html.j2",
            images=[],
            problems=[located(Problem("", "", outcome.message))],
            busy=None,
        )
    images = ["data:image/png;base64," + base64.b64encode(i).decode("ascii") for i in outcome.images]
    return page(request, "preview.html.j2", images=images, problems=[], busy=None)


@router.get("/brand/brand.yaml")
async def brand_file(request: Request) -> Response:
    path = server_of(request).brand_file
    if path is None:
        raise HTTPException(404, "no brand has been saved yet")
    return FileResponse(path, media_type="application/yaml", filename="brand.yaml")


# -- Login and the API's documentation -------------------------------------------------------------


@router.get("/login")
async def login(request: Request) -> HTMLResponse:
    return page(request, "login.html.j2", page_name="login", failed=False)


@router.post("/login")
async def login_posted(request: Request) -> Response:
    server = server_of(request)
    data = await checked_form(request)
    token = server.settings.token
    given = str(data.get("token") or "")
    if not token or not secrets.compare_digest(given.encode(), token.encode()):
        return page(request, "login.html.j2", status=401, page_name="login", failed=True)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, session_value(server.secret, token), httponly=True, samesite="strict")
    return response


@router.get("/docs")
async def docs(request: Request) -> HTMLResponse:
    """The API's documentation: Swagger UI from the package's own files."""
    return page(request, "docs.html.j2")
