"""Shared fixtures: a small catalogue built in code, with explicit figures, and a profile factory.

The figures are chosen for the tests, not taken from the real catalogue, so the planner tests do
not change when the data file does.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import pytest
from click.testing import CliRunner

from guidebook.inputs.catalogue import Catalogue, Treatment
from guidebook.inputs.models import Profile

# The trimmed Korean faces (fonts.py) go to a cache of the test run, not the user's ~/.cache.
# Removed when the run ends, unless the caller gave its own.
if "GUIDEBOOK_CACHE" not in os.environ:
    os.environ["GUIDEBOOK_CACHE"] = tempfile.mkdtemp(prefix="guidebook-cache-")
    atexit.register(shutil.rmtree, os.environ["GUIDEBOOK_CACHE"], ignore_errors=True)

CHECKED = date(2026, 1, 1)
SRC: dict[str, Any] = {"source": "test fixture", "checked": CHECKED}


def _fig(value: int) -> dict[str, Any]:
    return {"value": value, **SRC}


def treatment(
    id: str,
    category: str = "facial",
    *,
    minutes: int = 30,
    price: tuple[int, int] | None = (100_000, 200_000),
    downtime: int = 0,
    sessions: int = 1,
    interval: int = 7,
    buffer: int = 1,
    order: int = 50,
    combines: tuple[str, ...] = (),
    apart: dict[str, int] | None = None,
    prep: tuple[tuple[int, str], ...] = (),
    on_day: tuple[str, ...] = (),
    after: tuple[tuple[int, str], ...] = (),
) -> Treatment:
    """A catalogue treatment with the given rules; the name is the id in title case."""
    low, high = price if price else (None, None)
    return Treatment.model_validate(
        {
            "id": id,
            "name": id.replace("-", " ").title(),
            "name_ko": "시술",
            "category": category,
            "purpose": "test",
            "duration_min": _fig(minutes),
            "price_krw": {"low": low, "high": high, **SRC},
            "downtime_days": _fig(downtime),
            "downtime_note": "test",
            "sessions": _fig(sessions),
            "interval_days": _fig(interval),
            "flight_buffer_days": _fig(buffer),
            "day_order": order,
            "combines_with": list(combines),
            "keep_apart": apart or {},
            "prep": [{"days": d, "text": t} for d, t in prep],
            "on_the_day": list(on_day),
            "aftercare": [{"days": d, "text": t} for d, t in after],
        }
    )


def catalogue_of(*treatments: Treatment) -> Catalogue:
    """A catalogue holding these treatments and a consultation fee of 10,000-30,000 won."""
    return Catalogue.model_validate(
        {
            "version": 1,
            "checked": CHECKED,
            "sources": {"fixture": "built in tests"},
            "consultation_fee_krw": {"low": 10_000, "high": 30_000, **SRC},
            "treatments": [t.model_dump() for t in treatments],
        }
    )


FIXTURE_TREATMENTS = (
    treatment(
        "rejuran-healer",
        "booster",
        minutes=30,
        price=(300_000, 700_000),
        downtime=1,
        sessions=3,
        interval=7,
        buffer=3,
        order=20,
        combines=("pico-laser", "aqua-peel"),
        prep=((3, "Avoid aspirin and fish oil"),),
        on_day=("Come without make-up",),
        after=((1, "No make-up, sauna or alcohol"),),
    ),
    treatment(
        "pico-laser",
        "laser",
        minutes=20,
        price=(100_000, 300_000),
        downtime=0,
        sessions=5,
        interval=7,
        buffer=1,
        order=10,
        combines=("rejuran-healer", "aqua-peel", "exosome"),
        prep=((3, "Stop retinoids"), (14, "Avoid sun and tanning")),
        on_day=("Come without make-up",),
        after=((14, "Use SPF 50 sunscreen"), (3, "No scrubs")),
    ),
    treatment(
        "fractional-laser",
        "laser",
        minutes=40,
        price=(300_000, 1_000_000),
        downtime=5,
        sessions=3,
        interval=28,
        buffer=7,
        order=5,
        prep=((7, "Stop retinoids"), (28, "Avoid sun and tanning")),
        on_day=("Bring a hat and a mask",),
        after=((30, "Strict sun protection"), (7, "No retinoids")),
    ),
    treatment(
        "aqua-peel",
        "facial",
        minutes=30,
        price=(50_000, 150_000),
        downtime=0,
        sessions=1,
        interval=30,
        buffer=0,
        order=1,
        combines=("rejuran-healer", "pico-laser"),
        apart={"fractional-laser": 14},
    ),
    treatment(
        "exosome",
        "booster",
        minutes=20,
        price=None,
        downtime=0,
        sessions=1,
        interval=14,
        buffer=1,
        order=30,
        combines=("pico-laser",),
    ),
)


@pytest.fixture
def catalogue() -> Catalogue:
    return catalogue_of(*FIXTURE_TREATMENTS)


Request = str | tuple[str, int] | tuple[str, int | None, str]


def profile_of(arrival: str, departure: str, requests: list[Request], **extra: Any) -> Profile:
    """A profile for a stay (ISO dates, 14:30 in, 19:10 out) asking for these treatments.

    A request is an id, (id, sessions) or (id, sessions, clinic id).
    """
    wanted = []
    for r in requests:
        r = (r,) if isinstance(r, str) else r
        entry: dict[str, Any] = {"id": r[0]}
        if len(r) > 1 and r[1] is not None:
            entry["sessions"] = r[1]
        if len(r) > 2:
            entry["clinic"] = r[2]
        wanted.append(entry)
    trip = extra.pop("trip", {})
    return Profile.model_validate(
        {
            "traveler": extra.pop("traveler", {"name": "Test Traveler"}),
            "trip": {
                "arrival": datetime.combine(date.fromisoformat(arrival), time(14, 30)),
                "departure": datetime.combine(date.fromisoformat(departure), time(19, 10)),
                **trip,
            },
            "treatments": wanted,
            **extra,
        }
    )


@pytest.fixture
def make_profile() -> Callable[..., Profile]:
    return profile_of


@pytest.fixture
def make_treatment() -> Callable[..., Treatment]:
    return treatment


@pytest.fixture
def make_catalogue() -> Callable[..., Catalogue]:
    return catalogue_of


@pytest.fixture
def runner() -> CliRunner:
    """Runs the `guidebook` command in this process (click's test runner)."""
    return CliRunner()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-testdata",
        action="store_true",
        help="Rewrite the golden files in tests/data/ from the current output.",
    )


@pytest.fixture
def update_testdata(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-testdata"))


def profile_text(**fields: str) -> str:
    """A small valid profile in YAML; any text field can be replaced (single-quoted YAML)."""
    return f"""\
traveler:
  name: '{fields.get("name", "Test Person")}'
  medical:
    allergies: ['{fields.get("allergy", "latex")}']
    notes: '{fields.get("notes", "none")}'
trip:
  arrival: 2026-04-06T14:30
  departure: 2026-04-12T19:10
  hotel:
    name: '{fields.get("hotel", "Hotel")}'
    address: '{fields.get("address", "1 Road")}'
    address_ko: '{fields.get("address_ko", "서울특별시 중구 명동8길 12")}'
treatments:
  - id: aqua-peel
notes: '{fields.get("notes", "none")}'
"""


@pytest.fixture
def write_profile(tmp_path) -> Callable[..., Any]:
    """Write profile_text(**fields) to a file in tmp_path and return its path."""

    def write(*, edit: Callable[[str], str] = str, file: str = "profile.yaml", **fields: str):  # noqa: ANN202
        path = tmp_path / file
        path.write_text(edit(profile_text(**fields)), encoding="utf-8")
        return path

    return write


@pytest.fixture
def pdf_pictures(tmp_path) -> Callable[..., Any]:
    """PDF bytes -> one RGB picture a page (pdftocairo), to compare pages pixel by pixel."""
    from PIL import Image

    def pictures(data: bytes, name: str, dpi: int = 30) -> list[Any]:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "g.pdf").write_bytes(data)
        subprocess.run(
            ["pdftocairo", "-png", "-r", str(dpi), str(folder / "g.pdf"), str(folder / "p")], check=True
        )
        return [Image.open(p).convert("RGB") for p in sorted(folder.glob("p-*.png"))]

    return pictures
