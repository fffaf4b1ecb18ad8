"""Every error the API answers with: a status and a message, as JSON, never a traceback.

The services raise their own errors (`ServiceError` and the policy's `AccessDenied`), ingest
raises `IngestError` naming file, line and field; this module maps each to one HTTP status in
one place, and adds the API's own (a body too large, a batch too long, a body not UTF-8).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from ftfhub.domain.errors import FieldError, IngestError
from ftfhub.services import (
    InvalidRequest,
    NotFound,
    PurposeRequired,
    Refused,
    ServiceError,
    TryAgainLater,
)

log = logging.getLogger("ftfhub.api")


class ApiError(Exception):
    """An error of the API itself, with its HTTP status."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAuthenticated(ApiError):
    status = 401


class PurposeInAddress(ApiError):
    """A purpose sent in the address (`?purpose=`) rather than the X-Purpose header."""

    status = 400


class TooLarge(ApiError):
    status = 413


class Unprocessable(ApiError):
    status = 422


def _status(exc: Exception) -> int:
    if isinstance(exc, ApiError):
        return exc.status
    if type(exc).__name__ == "NotAuthenticated":  # the services' own (ftfhub.services.identity)
        return 401
    if isinstance(exc, PurposeRequired):
        return 400
    if isinstance(exc, Refused):
        return 403
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, (InvalidRequest, IngestError, FieldError)):
        return 422
    if isinstance(exc, TryAgainLater):
        return 503
    return 400


def error_body(
    status: int, message: str, errors: list[dict[str, object]] | None = None
) -> dict[str, object]:
    body: dict[str, object] = {"error": {"status": status, "message": message}}
    if errors:
        body["error"]["errors"] = errors  # type: ignore[index]
    return body


# Pydantic's own texts ("Input should be a valid integer, unable to parse string as an
# integer", "String should have at least 1 character") read as a library speaking: each kind a
# client can cause is said in the hub's words, naming the field, as the command line does.
_SAID: dict[str, str] = {
    "missing": "is required",
    "extra_forbidden": "unknown field",
    "string_type": "must be text",
    "string_too_short": "must be at least {min_length} character(s) long",
    "string_too_long": "must be at most {max_length} characters long",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "too_short": "must hold at least {min_length} item(s)",
    "too_long": "must hold at most {max_length} items",
    "list_type": "must be a list",
    "dict_type": "must be a JSON object",
    "model_attributes_type": "must be a JSON object",
    "enum": "must be one of {expected}",
    "literal_error": "must be one of {expected}",
    "date_type": "must be a date (YYYY-MM-DD)",
    "date_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "must be a date (YYYY-MM-DD) without a time",
    "datetime_type": "must be a date and time (ISO 8601, e.g. 2026-11-30T09:00:00Z)",
    "datetime_parsing": "must be a date and time (ISO 8601, e.g. 2026-11-30T09:00:00Z)",
    "datetime_from_date_parsing": "must be a date and time (ISO 8601, e.g. 2026-11-30T09:00:00Z)",
}
_PLACES = {"query": "in the query", "path": "in the path", "header": "header"}


def _said(error: Any) -> str:
    """One validation error in the hub's words (never the input echoed back)."""
    kind = str(error.get("type", ""))
    context = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    template = _SAID.get(kind)
    if template is not None:
        try:
            return template.format(**context)
        except (KeyError, IndexError):
            pass
    if kind == "value_error":  # the schema's own check: its message, without the prefix
        return str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return "is not valid here"


def _where(error: Any) -> str:
    """The field, by its name in the body (`queries.T-1.birth_date`), or a parameter named
    with where it goes (`limit (in the query)`)."""
    loc = [str(p) for p in error.get("loc", ())]
    place = _PLACES.get(loc[0]) if loc else None
    name = ".".join(loc[1:] if loc and (place or loc[0] == "body") else loc)
    if place:
        return f"{name} ({place})"
    return name or "body"


def _validation_errors(exc: RequestValidationError) -> tuple[str, list[dict[str, object]]]:
    """Each error as a field and a message in the hub's words (no input echoed back)."""
    problems: list[dict[str, object]] = []
    for error in exc.errors():
        kind = str(error.get("type", ""))
        where = _where(error)
        if kind == "json_invalid":
            where = f"body (at character {where})"
            reason = (error.get("ctx") or {}).get("error", "syntax error")
            message = f"the body is not valid JSON ({reason})"
        elif where == "body" and kind in ("dict_type", "model_attributes_type", "missing"):
            message = "the body is not a JSON object (send it as application/json)"
        else:
            message = _said(error)
        problems.append({"field": where, "message": message})
    first = problems[0] if problems else {"field": "body", "message": "is not valid"}
    return f"{first['field']}: {first['message']}", problems


def _unwrapped(exc: HTTPException) -> tuple[int, str]:
    """FastAPI answers any failure while reading a body with one 400 "error parsing the body"
    (its cause chained): say what the cause was — a chunked body cut off at the limit is the
    413 it would have been with a Content-Length, not a parse error."""
    cause = exc.__cause__
    if isinstance(cause, ApiError):
        return cause.status, cause.message
    if isinstance(cause, UnicodeDecodeError):
        return 400, "the body is not UTF-8 (send JSON in UTF-8)"
    if isinstance(cause, RecursionError):
        return 400, "the body's JSON is nested too deeply to read"
    return exc.status_code, str(exc.detail)


def install(app: FastAPI) -> None:
    """Map every error to a JSON answer."""

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        message, problems = _validation_errors(exc)
        status = 400 if "not valid JSON" in message else 422
        return JSONResponse(error_body(status, message, problems), status_code=status)

    @app.exception_handler(HTTPException)
    async def http(_: Request, exc: HTTPException) -> JSONResponse:
        status, message = _unwrapped(exc)
        return JSONResponse(error_body(status, message), status_code=status)

    @app.exception_handler(ServiceError)
    @app.exception_handler(Refused)
    @app.exception_handler(IngestError)
    @app.exception_handler(FieldError)
    @app.exception_handler(ApiError)
    async def known(_: Request, exc: Exception) -> JSONResponse:
        status = _status(exc)
        message = exc.message if isinstance(exc, ApiError) else str(exc)
        if isinstance(exc, PurposeRequired):  # the services name the CLI's option
            message = message.replace('--purpose "…"', "the X-Purpose header")
        message = message.replace('(--note "…")', '(the "note" field)')  # the CLI's option
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(error_body(status, message), status_code=status, headers=headers)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        body = error_body(500, "internal error: the request was not completed (see the server log)")
        return JSONResponse(body, status_code=500)


class ServiceUnavailable(ApiError):
    status = 503
