"""`guidebook serve`: the web app and the HTTP API on the library, as one ASGI app.

`create_app(settings)` makes the app (FastAPI: the API and its OpenAPI description; Jinja2 pages
with htmx for the live parts; static files shipped in the package, no CDN). Starting it
(its lifespan) opens the data folder: the database (store.py), the saved brand, the render host
(renders.py) and the batch runner (jobs.py), and resumes any batch a stopped server left.
`run(settings)` serves it with uvicorn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles

from .._version import __version__
from ..batch.service import HostSettings
from ..errors import InputError, OptionsError, Problem
from ..guide import SharedInputs, load_shared
from ..inputs.load import LoadedBrand, load_brand
from ..options import GuideOptions
from .brands import BRAND_FILE, BrandDraft
from .jobs import JobManager, JobNotFound
from .problems import problem_response
from .profiles import sample_profile
from .renders import RenderBusy, RenderClient
from .security import Guard, Limits
from .settings import ServeSettings
from .store import Store, StoredBrand

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
SECRET_FILE = "secret"
RETENTION_EVERY = 3600.0  # seconds between two removals of expired batches


@dataclass
class Server:
    """What the routes share: the settings, the database, the inputs every guide is made from,
    the render host and the batches."""

    settings: ServeSettings
    store: Store
    secret: bytes
    templates: jinja2.Environment
    shared: SharedInputs | None = None
    renders: RenderClient | None = None
    jobs: JobManager | None = None
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)

    @property
    def data(self) -> Path:
        return self.settings.data

    @property
    def tmp(self) -> Path:
        """Temporary results (a guide on its way to a client, a brand preview): cleared at start."""
        return self.data / "tmp"

    @property
    def brand_folder(self) -> Path:
        return self.data / "brand"

    @property
    def brand_file(self) -> Path | None:
        path = self.brand_folder / BRAND_FILE
        return path if path.is_file() else None

    def options(self, **choices: Any) -> GuideOptions:
        """The options of a guide made here, with a request's choices (format, booklet)."""
        return self.settings.guide_options(brand=self.brand_file, **choices)

    @property
    def inputs(self) -> SharedInputs:
        assert self.shared is not None, "the server has not started"
        return self.shared

    @property
    def renderer(self) -> RenderClient:
        assert self.renders is not None, "the server has not started"
        return self.renders

    @property
    def batches(self) -> JobManager:
        assert self.jobs is not None, "the server has not started"
        return self.jobs

    def host_settings(self) -> HostSettings:
        base = self.options()
        return HostSettings(
            options=base,
            scratch=str(self.tmp),
            workers=self.settings.workers,
            queue=self.settings.queue,
            warm=(replace(base, page_format="a6"),),
            profile=sample_profile(self.inputs),
        )

    async def use_brand(self, brand: LoadedBrand | None) -> None:
        """A new saved brand: every guide from now on is made with it (a new render host)."""
        self.shared = replace(self.inputs, brand=brand)
        await self.renderer.restart(self.host_settings())


def secret_of(data: Path) -> bytes:
    """The data folder's own secret (CSRF tokens, login cookies): made once, kept across restarts."""
    path = data / SECRET_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    value = secrets.token_bytes(32)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value.hex())
    return value


def prepare_data(data: Path) -> None:
    """The data folder, readable by its owner only (it holds medical data), with an empty tmp/."""
    data.mkdir(parents=True, exist_ok=True)
    os.chmod(data, 0o700)
    shutil.rmtree(data / "tmp", ignore_errors=True)
    (data / "tmp").mkdir()
    (data / "jobs").mkdir(exist_ok=True)


async def open_brand(server: Server) -> LoadedBrand | None:
    """The saved brand, written out as the brand file again; or, the first time, the brand file
    given with --brand, saved."""
    store = server.store
    stored = await store.call(store.brand)
    if stored is None and server.settings.brand is not None:
        draft = BrandDraft.from_brand(load_brand(server.settings.brand))
        stored = StoredBrand(draft.fields, draft.logo, draft.logo_kind, 0.0)
        await store.call(store.save_brand, stored)
    if stored is None:
        return None
    draft = BrandDraft(stored.fields, stored.logo, stored.logo_kind)
    return await asyncio.to_thread(draft.save, server.brand_folder)


def check_inputs(settings: ServeSettings) -> None:
    """The clinics, catalogue and brand files given, checked before the server starts
    (InputError with every problem)."""
    load_shared(GuideOptions(clinics=settings.clinics, catalogue=settings.catalogue, brand=settings.brand))


def create_app(settings: ServeSettings) -> FastAPI:
    """The app: pages, API, OpenAPI at /docs, static files; started by its lifespan."""
    from . import api, pages

    prepare_data(settings.data)
    server = Server(settings, Store(settings.data), secret_of(settings.data), pages.environment())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await start(server)
        try:
            yield
        finally:
            await stop(server)

    app = FastAPI(
        title="guidebook",
        version=__version__,
        summary="Printable guides for a skin-treatment trip to Seoul, from a profile or a file of bookings.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.server = server
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    api.describe(app)
    _handlers(app)
    hosts = None
    if settings.loopback:
        names = {settings.host, "127.0.0.1", "localhost", "[::1]"}
        hosts = frozenset({f"{n}:{settings.port}" for n in names} | names)
    app.add_middleware(
        Guard,
        secret=server.secret,
        token=settings.token,
        hosts=hosts,
        limits=Limits(upload=settings.max_upload, logo=settings.max_logo),
    )
    return app


async def start(server: Server) -> None:
    settings, store = server.settings, server.store
    await store.call(store.open)
    brand = await open_brand(server)
    shared = await asyncio.to_thread(load_shared, settings.guide_options())
    server.shared = replace(shared, brand=brand)
    server.renders = RenderClient(server.host_settings())
    server.jobs = JobManager(
        server.data / "jobs",
        store,
        shared=lambda: server.inputs,
        options=server.options,
        jobs=settings.jobs,
        max_rows=settings.max_rows,
        keep_days=settings.keep_days,
    )
    if settings.warm:
        server.tasks.append(asyncio.create_task(_warm(server.renders)))
    await server.jobs.resume_unfinished()
    server.tasks.append(asyncio.create_task(server.jobs.run_forever()))
    server.tasks.append(asyncio.create_task(_expire(server.jobs)))


async def stop(server: Server) -> None:
    for task in server.tasks:
        task.cancel()
    for task in server.tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    server.tasks.clear()
    if server.jobs is not None:
        for running in list(server.jobs.running.values()):
            running.process.kill()  # the job stays "running": the next start resumes it
            await asyncio.to_thread(running.process.join, 10)
    if server.renders is not None:
        await server.renders.close()
    await asyncio.to_thread(server.store.shutdown)


async def _warm(renders: RenderClient) -> None:
    try:
        await renders.start()
    except Exception as exc:  # noqa: BLE001 - the next guide asked for tries again, and says why
        log.warning("the renderers did not start: %s", exc)


async def _expire(jobs: JobManager) -> None:
    while True:
        with contextlib.suppress(Exception):
            await jobs.expire()
        await asyncio.sleep(RETENTION_EVERY)


def _handlers(app: FastAPI) -> None:
    """Errors as problem details on the API; as pages elsewhere (pages.py)."""
    from . import pages

    def wants_page(request: Request) -> bool:
        return not request.url.path.startswith(("/api/", "/openapi.json"))

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Response:
        if wants_page(request):
            return pages.error_page(request, 422, exc.problems)
        return problem_response(422, "the input has problems; each is listed", problems=exc.problems)

    @app.exception_handler(OptionsError)
    async def options_error(request: Request, exc: OptionsError) -> Response:
        if wants_page(request):
            return pages.error_page(request, 400, [Problem("", "", str(exc))])
        return problem_response(400, str(exc))

    @app.exception_handler(RenderBusy)
    async def busy(request: Request, exc: RenderBusy) -> Response:
        headers = {"retry-after": str(exc.retry_after)}
        if wants_page(request):
            return pages.error_page(request, 429, [], headers=headers, retry_after=exc.retry_after)
        return problem_response(429, str(exc), headers=headers, retry_after=exc.retry_after)

    @app.exception_handler(JobNotFound)
    async def no_job(request: Request, exc: JobNotFound) -> Response:
        if wants_page(request):
            return pages.error_page(request, 404, [])
        return problem_response(404, "no batch with this id")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_page(request):
            return pages.error_page(request, exc.status_code, [], headers=exc.headers)
        return problem_response(exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        found = [
            Problem("request", ".".join(str(k) for k in e.get("loc", ())), str(e.get("msg", "")))
            for e in exc.errors()
        ]
        if wants_page(request):
            return pages.error_page(request, 400, found)
        return problem_response(400, "the request has problems; each is listed", problems=found)


def run(settings: ServeSettings) -> None:
    """Serve the app with uvicorn until Ctrl-C or SIGTERM."""
    import uvicorn

    app = create_app(settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        server_header=False,
        proxy_headers=False,
        timeout_graceful_shutdown=10,
    )
