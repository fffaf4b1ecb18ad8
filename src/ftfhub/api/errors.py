"""Every error the API answers with: a status and a message, as JSON, never a traceback.

The services raise their own errors (`ServiceError` and the policy's `AccessDenied`), ingest
raises `IngestError` naming file, line and field; this module maps each to one HTTP status in
one place, and adds the API's own (a body too large, a batch too long, a body not UTF-8).
"""

from __future__ import annotations

import logging

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


def _validation_errors(exc: RequestValidationError) -> tuple[str, list[dict[str, object]]]:
    """Pydantic's errors as `field: message` lines (no input echoed back)."""
    problems: list[dict[str, object]] = []
    for error in exc.errors():
        kind = str(error.get("type", ""))
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        if kind == "json_invalid":
            where = f"body (at character {where})"
        if kind == "json_invalid":
            message = (
                f"the body is not valid JSON ({error.get('ctx', {}).get('error', 'syntax error')})"
            )
        elif where == "body" and kind in ("dict_type", "model_attributes_type"):
            message = "the body is not a JSON object (send it as application/json)"
        elif kind == "extra_forbidden":
            message = "unknown field"
        else:
            message = str(error.get("msg", "invalid"))
        problems.append({"field": where, "message": message})
    first = problems[0] if problems else {"field": "body", "message": "invalid"}
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
            message = message.replace('--purpose "…"', "the X-Purpose header or ?purpose=")
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
