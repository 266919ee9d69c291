"""What every request goes through before the app sees it, and every response on its way out.

- The Host header must name the server (a page of another site cannot reach it by making a
  name of its own point at 127.0.0.1: DNS rebinding), unless it listens on another address
  (which needs a token).
- With an access token, every request needs it: `Authorization: Bearer TOKEN` for the API, or
  the cookie the login page sets (an HMAC of the token, never the token itself).
- A request that changes anything (not GET or HEAD) must come from the server's own pages or
  from a program that is not a browser: a browser's Origin or Sec-Fetch-Site that names
  another site is refused. Forms also carry a CSRF token (`csrf_token`, checked by the routes).
- Bodies are limited in size (413): an upload of bookings, a logo, anything else.
- Every response gets a strict Content-Security-Policy (scripts, styles and pictures from the
  server only; no inline script) and the usual headers, and is not cached (guides and forms hold
  medical data), except the static files.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from .problems import MEDIA_TYPE, TITLES, problem_type

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CLIENT_COOKIE = "gb_client"  # a random id for each browser: the CSRF token is made from it
SESSION_COOKIE = "gb_session"  # set after logging in with the token
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# Swagger UI sets style attributes as it draws: its page alone allows them.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
OPEN_PATHS = ("/static/", "/login", "/favicon.ico")


def keyed(secret: bytes, purpose: str, value: str) -> str:
    return hmac.new(secret, f"{purpose}\0{value}".encode(), hashlib.sha256).hexdigest()


def csrf_token(secret: bytes, client: str) -> str:
    """The CSRF token of a browser (its client cookie)."""
    return keyed(secret, "csrf", client)


def csrf_ok(secret: bytes, client: str | None, given: str | None) -> bool:
    return bool(client and given) and hmac.compare_digest(csrf_token(secret, client or ""), given or "")


def session_value(secret: bytes, token: str) -> str:
    """The login cookie's value for a token (so the cookie never holds the token itself)."""
    return keyed(secret, "session", token)


@dataclass(frozen=True)
class Limits:
    upload: int  # a bookings file
    logo: int
    other: int = 1 << 20  # a profile, a form

    def of(self, path: str) -> int:
        """Bytes a request body to `path` may have: the file, and room for the form around it."""
        if path.startswith(("/api/v1/batches", "/bookings")):
            return self.upload + (256 << 10)
        if path.startswith("/brand"):
            return self.logo + (256 << 10)
        return self.other


class BodyTooLarge(Exception):
    pass


class Guard:
    """The ASGI middleware described above."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        secret: bytes,
        token: str | None,
        hosts: frozenset[str] | None,
        limits: Limits,
    ):
        self.app, self.secret, self.token, self.hosts, self.limits = app, secret, token, hosts, limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        path: str = scope.get("path", "")
        started = False
        csp = DOCS_CSP if path == "/docs" else CSP

        async def secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                out = list(message.get("headers", []))
                present = {k.decode("latin-1").lower() for k, _ in out}
                extra = {"content-security-policy": csp, **HEADERS}
                extra["cache-control"] = "max-age=3600" if path.startswith("/static/") else "no-store"
                out += [(k.encode(), v.encode()) for k, v in extra.items() if k not in present]
                message["headers"] = out
            await send(message)

        refusal = self._refusal(scope["method"], path, headers)
        if refusal is not None:
            await refusal(secured)
            return
        limit = self.limits.of(path)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _problem(413, f"the request is larger than {limit:,} bytes")(secured)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, limited, secured)
        except BodyTooLarge:
            if not started:
                await _problem(413, f"the request is larger than {limit:,} bytes")(secured)
        except Exception as exc:  # noqa: BLE001 - answered here, logged without its message
            # The type and the route only: a message or a traceback might hold what a traveler
            # typed (medical data is never logged).
            log.error("internal error on %s %s: %s", scope["method"], path, type(exc).__name__)
            if not started:
                await _problem(500, "internal error; the server's log names it")(secured)

    def _refusal(
        self, method: str, path: str, headers: dict[str, str]
    ) -> Callable[[Send], Awaitable[None]] | None:
        host = headers.get("host", "")
        if self.hosts is not None and host.lower() not in self.hosts:
            return _problem(400, "this server answers only to its own address (the Host header)")
        if method not in SAFE_METHODS:
            origin = headers.get("origin")
            site = headers.get("sec-fetch-site")
            if (origin and origin not in {f"http://{host}", f"https://{host}"}) or site in {
                "cross-site",
                "same-site",
            }:
                return _problem(403, "a request from another site's page is refused")
        if self.token and not path.startswith(OPEN_PATHS) and not self._authorized(headers):
            if path.startswith("/api/") or path in {"/openapi.json"}:
                return _problem(
                    401,
                    "give the access token: Authorization: Bearer TOKEN",
                    {"www-authenticate": 'Bearer realm="guidebook"'},
                )
            return _redirect("/login")
        return None

    def _authorized(self, headers: dict[str, str]) -> bool:
        assert self.token is not None
        given = headers.get("authorization", "")
        if given.lower().startswith("bearer ") and hmac.compare_digest(given[7:].strip(), self.token):
            return True
        cookie = cookies(headers.get("cookie", "")).get(SESSION_COOKIE, "")
        return bool(cookie) and hmac.compare_digest(cookie, session_value(self.secret, self.token))


def cookies(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            out[name] = value
    return out


def _problem(
    status: int, detail: str, extra: dict[str, str] | None = None
) -> Callable[[Send], Awaitable[None]]:
    title = TITLES.get(status, "Error")
    body = json.dumps(
        {"type": problem_type(status), "title": title, "status": status, "detail": detail}
    ).encode()
    headers = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in (extra or {}).items()]

    async def respond(send: Send) -> None:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return respond


def _redirect(location: str) -> Callable[[Send], Awaitable[None]]:
    async def respond(send: Send) -> None:
        headers = [(b"location", location.encode()), (b"content-length", b"0")]
        await send({"type": "http.response.start", "status": 303, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    return respond
