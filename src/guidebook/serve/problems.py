"""Errors as RFC 9457 problem details (application/problem+json), carrying the same located
messages as the command line: each input problem with its file, line or row, field and value,
and `text`, the very line `guidebook validate` prints."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from starlette.responses import JSONResponse

from ..errors import Problem

MEDIA_TYPE = "application/problem+json"
TYPES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid-input",
    429: "busy",
    500: "internal-error",
    503: "unavailable",
    504: "timeout",
}
TITLES = {
    400: "Bad request",
    401: "An access token is needed",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    415: "Unsupported media type",
    422: "The input has problems",
    429: "Busy: try again later",
    500: "Internal error",
    503: "Unavailable",
    504: "Took too long",
}
_COLUMN = re.compile(r"(?:^|, )column (?P<column>[^,]+)$")


def problem_type(status: int) -> str:
    """The `type` URI of a status: a page of the server's own API documentation."""
    return f"/docs#problem-{TYPES.get(status, 'error')}"


def located(problem: Problem) -> dict[str, Any]:
    """One input problem as JSON: where, what, the value given, and the CLI's own line."""
    return {
        "file": problem.file,
        "line": problem.line,
        "location": problem.location,
        "column": column_of(problem),
        "message": problem.message,
        "value": problem.value,
        "text": str(problem),
    }


def column_of(problem: Problem) -> str | None:
    """The column a bookings problem is in ("row 4, column arrival": "arrival"), else None."""
    found = _COLUMN.search(problem.location)
    return found.group("column") if found else None


def renamed(problems: Iterable[Problem], name: str) -> list[Problem]:
    """The problems of a file the server stored under its own name, shown with the name the
    person gave it (so no server path is ever shown)."""
    return [replace(p, file=name) for p in problems]


def problem_response(
    status: int,
    detail: str,
    *,
    problems: Iterable[Problem] = (),
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """An RFC 9457 problem details response."""
    body: dict[str, Any] = {
        "type": problem_type(status),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    listed = [located(p) for p in problems]
    if listed:
        body["problems"] = listed
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)
