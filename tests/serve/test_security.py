"""What every request goes through (serve/security.py): the Host header, the token, same-origin
changes, CSRF tokens, body limits, and the headers of every response."""

from __future__ import annotations

import pytest
from helpers import SERVE_URL, csrf_of, served

from guidebook.serve.security import CSP, Limits, csrf_ok, csrf_token, session_value

TOKEN = "a-long-enough-access-token-0123456789"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with served(tmp_path_factory.mktemp("data"), max_upload=64 << 10, max_logo=16 << 10) as client:
        yield client


@pytest.mark.parametrize("path", ["/", "/trip", "/api/v1/catalogue", "/docs", "/static/app.css", "/nowhere"])
def test_every_response_has_a_strict_policy_and_the_usual_headers(client, path):
    response = client.get(path)
    headers = response.headers
    policy = headers["content-security-policy"]
    assert (
        "default-src 'none'" in policy
        and "script-src 'self'" in policy
        and "frame-ancestors 'none'" in policy
    )
    assert "unsafe-eval" not in policy and "http" not in policy
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cache-control"] == ("max-age=3600" if path.startswith("/static/") else "no-store")
    if path != "/docs":  # Swagger UI's page alone allows style attributes
        assert policy == CSP


def test_a_name_that_is_not_the_servers_is_refused_against_dns_rebinding(client):
    response = client.get("/trip", headers={"host": "evil.example:8000"})
    assert response.status_code == 400 and response.headers["content-type"] == "application/problem+json"
    assert "content-security-policy" in response.headers
    assert client.get("/trip", headers={"host": "localhost:8000"}).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [{"origin": "https://evil.example"}, {"origin": "null"}, {"sec-fetch-site": "cross-site"},
     {"sec-fetch-site": "same-site"}],
)  # fmt: skip
def test_a_change_asked_by_another_sites_page_is_refused(client, headers):
    response = client.post("/api/v1/plans", content=b"{}", headers=headers)
    assert response.status_code == 403


def test_a_program_that_is_not_a_browser_and_the_servers_own_pages_may_post(client):
    assert client.post("/api/v1/plans", content=b"{}").status_code == 422
    same = {"origin": SERVE_URL, "sec-fetch-site": "same-origin"}
    assert client.post("/api/v1/plans", content=b"{}", headers=same).status_code == 422


def test_a_form_without_this_browsers_csrf_token_is_refused(client):
    token = csrf_of(client)
    assert client.post("/trip/plan", data={"name": "A"}).status_code == 403
    assert client.post("/trip/plan", data={"name": "A", "csrf": "0" * 64}).status_code == 403
    assert client.post("/trip/plan", data={"name": "A", "csrf": token}).status_code == 200
    assert client.post("/trip/plan", data={"name": "A"}, headers={"x-csrf-token": token}).status_code == 200


def test_csrf_tokens_belong_to_one_browser():
    secret = b"k" * 32
    token = csrf_token(secret, "a" * 32)
    assert csrf_ok(secret, "a" * 32, token)
    assert not csrf_ok(secret, "b" * 32, token) and not csrf_ok(secret, None, token)
    assert not csrf_ok(secret, "a" * 32, "") and not csrf_ok(b"j" * 32, "a" * 32, token)


def test_bodies_over_their_limit_are_refused(client):
    declared = client.post("/api/v1/plans", content=b"{" + b" " * (2 << 20) + b"}")
    assert declared.status_code == 413 and declared.headers["content-type"] == "application/problem+json"

    def chunks():  # no Content-Length: counted as it comes
        for _ in range(40):
            yield b" " * (64 << 10)

    streamed = client.post("/api/v1/plans", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    upload = client.post(
        "/api/v1/batches", files={"file": ("b.csv", b"name\n" + b"x\n" * (200 << 10), "text/csv")}
    )
    assert upload.status_code == 413


def test_limits_by_path():
    limits = Limits(upload=10 << 20, logo=1 << 20)
    assert limits.of("/api/v1/batches") > 10 << 20 and limits.of("/bookings") > 10 << 20
    assert 1 << 20 < limits.of("/brand/preview") < 2 << 20 and limits.of("/api/v1/plans") == 1 << 20


def test_with_a_token_every_request_needs_it(tmp_path):
    with served(tmp_path, token=TOKEN) as client:
        refused = client.get("/api/v1/catalogue")
        assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
        assert (
            client.get("/api/v1/catalogue", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200
        )
        assert client.get("/api/v1/catalogue", headers={"authorization": "Bearer wrong"}).status_code == 401
        page = client.get("/trip", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/login"
        assert client.get("/static/app.css").status_code == 200
        token = csrf_of(client, "/login")
        assert client.post("/login", data={"token": "wrong", "csrf": token}).status_code == 401
        logged = client.post("/login", data={"token": TOKEN, "csrf": token}, follow_redirects=False)
        assert logged.status_code == 303 and TOKEN not in logged.headers["set-cookie"]
        assert client.get("/trip").status_code == 200  # the login cookie


def test_the_login_cookie_is_a_keyed_hash_of_the_token():
    assert session_value(b"k" * 32, TOKEN) != TOKEN and len(session_value(b"k" * 32, TOKEN)) == 64
