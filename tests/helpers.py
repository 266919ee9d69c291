"""Helpers for the tests: the library's entry points with options as keywords, log checks,
the sample files, input files written for a test, bookings CSVs and their reports, polling.

The only place the tests work out where the repository is (ROOT, SAMPLES, DATA): every path a
test reads is under ROOT (tests/test_tests.py checks).
"""

from __future__ import annotations

import csv
import logging
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from guidebook.errors import InputError, Problem
from guidebook.guide import BuildResult, GuideRenderer, Inputs, build_guide, load_inputs
from guidebook.inputs.load import LoadedBrand
from guidebook.options import GuideOptions

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
DATA = Path(__file__).resolve().parent / "data"  # the tests' own files: golden HTML, spec examples
SAMPLE_OPTIONS = {"clinics": SAMPLES / "clinics.yaml", "brand": SAMPLES / "brand.yaml"}
SAMPLE_ARGS = [
    str(SAMPLES / "traveler.yaml"),
    "--clinics",
    str(SAMPLES / "clinics.yaml"),
    "--brand",
    str(SAMPLES / "brand.yaml"),
]


def build(
    profile: Path,
    *,
    output: Path,
    html: Path | None = None,
    ics: Path | None = None,
    renderer: GuideRenderer | None = None,
    **options: Any,
) -> BuildResult:
    """`build_guide` with GuideOptions given as keywords."""
    return build_guide(
        profile, output=output, options=GuideOptions(**options), html=html, ics=ics, renderer=renderer
    )


def load(profile: Path, **options: Any) -> Inputs:
    """`load_inputs` with GuideOptions given as keywords."""
    return load_inputs(profile, GuideOptions(**options))


def renderer(brand: LoadedBrand | None = None, *, reuse: bool = False, **options: Any) -> GuideRenderer:
    """A GuideRenderer with GuideOptions given as keywords."""
    return GuideRenderer(GuideOptions(**options), brand=brand, reuse=reuse)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def assert_no_warnings(logger: str = "") -> Iterator[None]:
    """Fail if anything logs a warning or an error inside the block (WeasyPrint's
    `assert_no_logs`): a blocked URL, an unknown CSS property, a missing glyph."""
    handler = _Records()
    log = logging.getLogger(logger)
    log.addHandler(handler)
    try:
        yield
    finally:
        log.removeHandler(handler)
    messages = [f"{r.name}: {r.getMessage()}" for r in handler.records]
    assert not messages, "unexpected warnings:\n" + "\n".join(messages)


def html_of(inputs: Inputs, guide_renderer: GuideRenderer | None = None, language: str | None = None) -> str:
    """The guide's HTML for `inputs` (planned with the default options), as the renderer makes it."""
    from guidebook.guide import plan_guide
    from guidebook.render.html import render_html

    guide_renderer = guide_renderer or renderer(inputs.brand)
    return render_html(
        profile=inputs.profile,
        plan=plan_guide(inputs),
        catalogue=inputs.catalogue,
        clinics=inputs.clinic_list,
        brand=guide_renderer.brand,
        theme=guide_renderer.theme,
        env=guide_renderer.env(language or inputs.profile.traveler.language),
    )


def layout(inputs: Inputs, guide_renderer: GuideRenderer | None = None) -> Any:
    """WeasyPrint's laid-out document (its boxes) of the guide for `inputs`."""
    from weasyprint import HTML

    guide_renderer = guide_renderer or renderer(inputs.brand)
    engine, theme = guide_renderer.engine, guide_renderer.theme
    return HTML(
        string=html_of(inputs, guide_renderer),
        base_url=str(theme.template_dirs[0]),
        url_fetcher=engine.fetcher,
    ).render(
        stylesheets=[engine.stylesheet(path) for path in theme.stylesheets], font_config=engine.font_config
    )


def build_sample(out: Path, **options: Any) -> Path:
    """The sample traveler's guide (sample clinics and brand) at `out`, built without a warning:
    none in the result (WeasyPrint's) and none logged (anything else's)."""
    with assert_no_warnings():
        result = build(SAMPLES / "traveler.yaml", output=out, **{**SAMPLE_OPTIONS, **options})
    assert result.warnings == []
    return out


def load_sample(**options: Any) -> Inputs:
    """The sample traveler's inputs, with the sample clinics and brand."""
    return load(SAMPLES / "traveler.yaml", **{**SAMPLE_OPTIONS, **options})


def text_of(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    """The PDF's text (pdftotext), pages `first` to `last`, with every run of spaces as one."""
    args = ["pdftotext"] + (["-f", str(first), "-l", str(last)] if first else []) + [str(pdf), "-"]
    return " ".join(subprocess.run(args, capture_output=True, text=True, check=True).stdout.split())


def one_pass(guides: GuideRenderer, html: str) -> bytes:
    """The PDF of `html` laid out in one pass by the renderer's engine, without a warning."""
    data, warnings = guides.engine.render(
        html, base_url=guides.theme.template_dirs[0], stylesheets=guides.theme.stylesheets
    )
    assert warnings == []
    return data


# --- input files --------------------------------------------------------------------------------

GOOD_PROFILE = """\
traveler:
  name: Test Person
trip:
  arrival: 2026-04-06T14:30
  departure: 2026-04-17T19:10
treatments:
  - id: pico-laser
"""


def write_file(folder: Path, text: str, name: str = "profile.yaml") -> Path:
    """`text` written to `folder`/`name` (UTF-8)."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(call: Callable[[], object]) -> list[Problem]:
    """The problems of the InputError that `call()` must raise."""
    with pytest.raises(InputError) as info:
        call()
    return info.value.problems


# --- bookings CSVs and batch reports ------------------------------------------------------------

BOOKINGS_HEADER = "booking_id;name;arrival;departure;treatments;allergies;hotel_address_ko;clinic"
BOOKING_ROWS = [
    "B1;김민지;2026-04-06T10:00;2026-04-12T18:00;aqua-peel;;;",
    "B2;José Núñez;2026-04-06T10:00;2026-04-12T18:00;pico-laser:1;penicillin;;",
    "B3;../../evil;2026-04-06T10:00;2026-04-12T18:00;Aqua Peel;;;",
    "B2;José Núñez;2026-05-06T10:00;2026-05-12T18:00;hydrafacial;;;",  # same name as line 3
    "B5;Bad Date;2026-02-30T10:00;2026-03-04T18:00;aqua-peel;;;",
    "B6;Typo;2026-04-06T10:00;2026-04-12T18:00;rejuran-heeler;;;",
    "B7;;2026-04-06T10:00;2026-04-12T18:00;aqua-peel;;;",
    "B8;Nobody Clinic;2026-04-06T10:00;2026-04-12T18:00;aqua-peel;;;no-such-clinic",
    "B9;Hotel Without Name;2026-04-06T10:00;2026-04-12T18:00;aqua-peel;;서울특별시 중구 명동8길 12;",
]


def write_csv(folder: Path, rows: list[str] = BOOKING_ROWS, header: str = BOOKINGS_HEADER) -> Path:
    """A bookings CSV as Excel saves it: a byte-order mark, CRLF line ends."""
    path = folder / "bookings.csv"
    path.write_bytes(("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8"))
    return path


def read_report(path: Path) -> dict[int, dict[str, str]]:
    """A batch's CSV report, by CSV line."""
    with path.open(encoding="utf-8") as handle:
        return {int(r["line"]): r for r in csv.DictReader(handle)}


def many_rows(n: int) -> list[str]:
    return [f"M{i};Guest {i};2026-04-06T10:00;2026-04-12T18:00;aqua-peel;;;" for i in range(n)]


# --- waiting for something that happens in another process -------------------------------------


def wait_for(condition: Callable[[], object], what: str, *, timeout: float = 120.0) -> None:
    """Poll `condition` until it holds; fail naming `what` after a generous `timeout` (a
    deadline against a hang, not a measure of speed)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting after {timeout:g} s for {what}")
        time.sleep(0.05)


def processes_with(marker: str) -> list[int]:
    """The running (not zombie) processes whose command line holds `marker` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue  # ended while we looked
        if marker in cmdline and state not in {"Z", "X"}:
            found.append(int(entry.name))
    return found


# --- the web app (guidebook serve) --------------------------------------------------------------

SERVE_URL = "http://127.0.0.1:8000"  # the app's own address: TestClient sends it as the Host


@contextmanager
def served(data: Path, **settings: Any) -> Iterator[Any]:
    """A TestClient of the app with its data in `data` (the sample clinics and brand unless
    given), started (its lifespan) and stopped around the block; renderers start only when a
    guide is asked for unless warm=True."""
    from fastapi.testclient import TestClient

    from guidebook.serve.app import create_app
    from guidebook.serve.settings import ServeSettings

    given = {"clinics": SAMPLES / "clinics.yaml", "brand": SAMPLES / "brand.yaml", "warm": False, **settings}
    app = create_app(ServeSettings(data=data, **given))
    with TestClient(app, base_url=SERVE_URL) as client:
        yield client


def csrf_of(client: Any, page: str = "/trip") -> str:
    """The CSRF token a page gives this client (its forms carry it)."""
    import re

    html = client.get(page).text
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, f"no CSRF token in {page}"
    return found.group(1)


def sample_profile_json() -> dict[str, Any]:
    """The sample traveler's profile as JSON data (dates as text, as a client sends them)."""
    import json

    from guidebook.inputs.yaml import plain, read_yaml

    data = plain(read_yaml(SAMPLES / "traveler.yaml"))
    return json.loads(json.dumps(data, default=lambda value: value.isoformat()))


def pdf_structure(data: bytes) -> list[tuple[str, str]]:
    """A tagged PDF's structure tree in reading order: (type, alt text) of every element."""
    import io

    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    found: list[tuple[str, str]] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append((str(node.S), str(node.get("/Alt", ""))))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

    kids = pdf.Root.StructTreeRoot.K
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        walk(kid)
    return found
