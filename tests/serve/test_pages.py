"""The web pages (serve/pages.py): My trip, Bookings, Brand, in five languages, each form with its
CSRF token; slow: a real browser (Debian's chromium, driven by Playwright) fills the trip form and
sees the plan change, downloads the guide, uploads bookings with a bad row and sees the error on
that row, runs the batch to 100% and downloads the zip, changes the brand's colour and sees the
preview change; every page passes axe-core's accessibility check and fits a phone's width."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from helpers import BOOKING_ROWS, ROOT, SAMPLES, csrf_of, served, wait_for, write_csv


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with served(tmp_path_factory.mktemp("data")) as client:
        yield client


TRIP = {
    "name": "Olivia Test",
    "language": "en",
    "arrival_date": "2026-09-19",
    "arrival_time": "15:20",
    "departure_date": "2026-09-30",
    "departure_time": "18:45",
    "treatment": ["pico-laser", "rejuran-healer"],
}


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "My trip"),
        ("ja", "わたしの旅"),
        ("zh-Hans", "我的行程"),
        ("zh-Hant", "我的行程"),
        ("ko", "내 여행"),
    ],
)
def test_the_trip_page_is_in_five_languages(client, lang, words):
    html = client.get(f"/trip?lang={lang}").text
    client.cookies.delete("gb_lang")  # the choice is kept in a cookie: the other tests read English
    assert f'<html lang="{lang}">' in html and f"<h1>{words}</h1>" in html


def test_the_pages_language_is_the_browsers_then_kept_once_chosen(tmp_path):
    with served(tmp_path) as client:
        assert '<html lang="ko">' in client.get("/trip", headers={"accept-language": "ko-KR,ko;q=0.9"}).text
        client.get("/trip?lang=ja")
        assert '<html lang="ja">' in client.get("/trip", headers={"accept-language": "ko-KR"}).text


def test_the_trip_form_lists_the_catalogue_with_prices_and_downtime(client):
    html = client.get("/trip").text
    assert 'name="treatment" value="pico-laser"' in html and "₩100,000–₩300,000" in html
    assert re.search(r"downtime \d+ days?", html)


def test_the_plan_follows_the_form(client):
    token = csrf_of(client)
    long_stay = client.post("/trip/plan", data={**TRIP, "csrf": token}).text
    assert "11 nights in Seoul" in long_stay and "Pico Laser 1/" in long_stay
    short = client.post("/trip/plan", data={**TRIP, "departure_date": "2026-09-21", "csrf": token}).text
    assert "2 nights in Seoul" in short and "Not in this trip" in short


def test_the_forms_problems_land_on_their_fields(client):
    token = csrf_of(client)
    html = client.post(
        "/trip/plan", data={**TRIP, "name": "", "departure_date": "2026-09-10", "csrf": token}
    ).text
    assert re.search(r'id="error-name" hx-swap-oob="true">[^<]+<', html)
    assert re.search(
        r'id="error-departure_date" hx-swap-oob="true">[^<]*departure must come after arrival', html
    )
    assert "profile: traveler.name: " in html


def test_an_empty_form_shows_no_problems_yet(client):
    html = client.post("/trip/plan", data={"csrf": csrf_of(client)}).text
    assert "your plan appears here" in html and "problems" not in html


def test_without_javascript_the_form_posts_to_a_page_with_the_plan(client):
    html = client.post("/trip", data={**TRIP, "csrf": csrf_of(client)}).text
    assert "<h1>My trip</h1>" in html and "11 nights in Seoul" in html and 'value="Olivia Test"' in html


def test_an_upload_shows_every_row_with_its_problems_on_its_cell(client, tmp_path):
    token = csrf_of(client, "/bookings")
    data = write_csv(tmp_path, BOOKING_ROWS).read_bytes()
    response = client.post("/bookings", data={"csrf": token}, files={"file": ("week.csv", data, "text/csv")})
    assert response.status_code == 200 and response.url.path.startswith("/bookings/")
    html = response.text
    row = re.search(r'<tr id="row-6" class="bad">.*?</tr>', html, re.S).group(0)
    assert re.search(
        r'<td class="bad" data-column="arrival">2026-02-30T10:00<span class="cell-problem">', row
    )
    assert "5 of 9 rows have problems" in html and "Make the guides" in html
    listing = client.get("/bookings").text
    assert "week.csv" in listing


def test_an_upload_that_is_not_bookings_shows_its_problems(client):
    token = csrf_of(client, "/bookings")
    response = client.post(
        "/bookings", data={"csrf": token}, files={"file": ("x.csv", b"a;b\n1;2\n", "text/csv")}
    )
    assert response.status_code == 422 and "x.csv:1: " in response.text


def test_a_brand_with_a_bad_colour_is_not_saved(client):
    token = csrf_of(client, "/brand")
    form = {"csrf": token, "agency": "A", "primary": "javascript:alert(1)", "accent": "#ffffff"}
    response = client.post("/brand", data=form)
    assert (
        response.status_code == 422 and "brand: colors.primary: a colour must be a hex code" in response.text
    )
    assert "Bloom Route Travel" in client.get("/brand").text  # the saved brand is unchanged


def test_an_error_page_is_a_page(client):
    response = client.get("/bookings/" + "0" * 32)
    assert response.status_code == 404 and "<h1>Something went wrong</h1>" in response.text


# -- slow: a real browser ------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium")
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
needs_browser = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium (scripts/install-system-deps.sh)"
)
PHONE = {"width": 375, "height": 740}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """`guidebook serve` in a process of its own, on a free port of 127.0.0.1."""
    port = free_port()
    data = tmp_path_factory.mktemp("served")
    args = [sys.executable, "-m", "guidebook.cli", "serve", "--port", str(port), "--data", str(data)]
    args += [
        "--clinics",
        str(SAMPLES / "clinics.yaml"),
        "--brand",
        str(SAMPLES / "brand.yaml"),
        "--workers",
        "1",
        "-j",
        "1",
    ]
    env = {k: v for k, v in os.environ.items() if k != "GUIDEBOOK_TOKEN"}
    process = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )

    def listening() -> bool:
        assert process.poll() is None, process.stderr.read()
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    wait_for(listening, "the server to listen")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=30)
    process.stderr.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server) -> Iterator[Any]:
    context = browser.new_context(base_url=server, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda m: errors.append(m.text) if m.type == "error" and "htmx:" not in m.text else None
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == [], errors  # no script error, no resource the policy blocked


def accessible(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def fits(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{overflow} px wider than the phone's screen"


@pytest.mark.slow
@needs_browser
def test_a_traveler_fills_the_form_sees_the_plan_change_and_downloads_her_guide(page, tmp_path):
    page.goto("/trip?lang=en")
    page.fill("#f-name", "Olivia Test")
    page.fill("#f-arrival_date", "2026-09-19")
    page.fill("#f-departure_date", "2026-09-30")
    page.check("#t-pico-laser")
    page.check("#t-rejuran-healer")
    page.wait_for_selector("#plan .summary:has-text('11 nights')")
    assert page.locator("#not-in-trip").count() in (0, 1)
    before = page.inner_text("#plan")
    page.fill("#f-departure_date", "2026-09-22")
    page.wait_for_selector("#plan .summary:has-text('3 nights')")
    assert page.inner_text("#plan") != before and page.locator("#not-in-trip").count() == 1
    accessible(page)
    with page.expect_download(timeout=180_000) as info:
        page.click("button[value=a5]", timeout=180_000)
    path = tmp_path / "guide.pdf"
    info.value.save_as(path)
    assert info.value.suggested_filename == "Olivia_Test-a5.pdf"
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "Olivia Test" in text and "Bloom Route Travel" in text


@pytest.mark.slow
@needs_browser
def test_an_agency_uploads_bookings_sees_the_bad_row_runs_the_batch_and_downloads_the_zip(page, tmp_path):
    page.goto("/bookings?lang=en")
    accessible(page)
    page.set_input_files("#f-file", write_csv(tmp_path, BOOKING_ROWS[:2] + [BOOKING_ROWS[4]]))
    page.click("form.upload button[type=submit]")
    bad = page.locator("#row-4 td.bad[data-column=arrival]")
    assert "not a valid date" in bad.inner_text() or "2026-02-30" in bad.inner_text()
    assert page.locator("#row-2 td.bad").count() == 0
    accessible(page)
    page.click("text=Make the guides", timeout=60_000)
    page.wait_for_selector(".percent:has-text('100%')", timeout=180_000)
    page.wait_for_selector(".status-done")
    assert "2 made" in page.inner_text("#progress") and "1 failed" in page.inner_text("#progress")
    accessible(page)
    with page.expect_download(timeout=60_000) as info:
        page.click("text=Download every guide (zip)")
    path = tmp_path / "guides.zip"
    info.value.save_as(path)
    names = sorted(zipfile.ZipFile(path).namelist())
    assert names == ["B1-김민지.pdf", "B2-José_Núñez.pdf", "report.csv"]


@pytest.mark.slow
@needs_browser
def test_changing_the_brand_colour_changes_the_preview(page):
    page.goto("/brand?lang=en")
    page.wait_for_selector("#preview img")
    accessible(page)
    before = page.get_attribute("#preview img", "src")
    page.fill("#f-primary", "#aa1111")
    page.wait_for_function(
        "old => { const img = document.querySelector('#preview img'); return img && img.src !== old; }",
        arg=before,
        timeout=120_000,
    )
    after = page.get_attribute("#preview img", "src")
    assert after.startswith("data:image/png;base64,") and after != before


@pytest.mark.slow
@needs_browser
@pytest.mark.parametrize("path", ["/", "/trip", "/bookings", "/brand", "/trip?lang=ja", "/bookings?lang=ko"])
def test_every_page_fits_a_phone_and_passes_the_accessibility_check(browser, server, path):
    context = browser.new_context(base_url=server, viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto(path)
    page.wait_for_load_state("networkidle")
    if path.startswith("/trip"):  # with a plan, its long names and its costs
        page.fill("#f-name", "Olivia Park-Martin")
        page.check("#t-pico-laser")
        page.check("#t-rejuran-healer")
        page.wait_for_selector("#plan table.costs")
    fits(page)
    accessible(page)
    context.close()
