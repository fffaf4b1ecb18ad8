"""The workbench as a sub-application of the API: its own pages, static files and error
pages (HTML, where the API answers JSON), the same database and token check."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from ftfhub.domain.errors import IngestError
from ftfhub.services import NotFound, PurposeRequired, Refused, ServiceError
from ftfhub.services.context import Database
from ftfhub.workbench import cases_pages, identity_pages, pages, purpose_pages
from ftfhub.workbench.auth import BadForm, SignInNeeded, TokenCheck
from ftfhub.workbench.render import HERE, link, page, without_cli_option
from ftfhub.workbench.sessions import Sessions

log = logging.getLogger("ftfhub.workbench")
PREFIX = "/workbench"


def workbench_app(db: Database, tokens: TokenCheck) -> FastAPI:
    sub = FastAPI(title="ftfhub workbench", docs_url=None, redoc_url=None, openapi_url=None)
    sub.state.db, sub.state.tokens, sub.state.sessions = db, tokens, Sessions()
    sub.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    sub.include_router(pages.router)
    sub.include_router(cases_pages.router)
    sub.include_router(identity_pages.router)
    sub.include_router(purpose_pages.router)
    _errors(sub)
    sub.middleware("http")(_guarded)
    return sub


PAGE_HEADERS = {
    # Only the workbench's own script and style; no page may frame it (a hostile site
    # laying it under its own buttons), nor send a form elsewhere.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # a page's address can hold a purpose or a reference
}


async def _guarded(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Every answer with the headers above; a page (HTML) is never kept by the browser's
    cache, so after logging out the Back button shows no dossier, hit or record."""
    response = await call_next(request)
    response.headers.update(PAGE_HEADERS)
    if response.headers.get("content-type", "").startswith("text/html"):
        response.headers["Cache-Control"] = "no-store"
    return response


def _errors(sub: FastAPI) -> None:
    @sub.exception_handler(SignInNeeded)
    async def sign_in(request: Request, exc: Exception) -> Response:
        # Back to the page asked for once logged in (a link opened, a bookmark), and say
        # why the log-in page is shown when a session ended. A form's page is not known.
        query = {"ended": "1"} if isinstance(exc, SignInNeeded) and exc.ended else {}
        if request.method == "GET":
            wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            query["next"] = wanted
        url = link(request, "login_form") + (f"?{urlencode(query)}" if query else "")
        return RedirectResponse(url, status_code=303)

    @sub.exception_handler(BadForm)
    async def bad_form(request: Request, _: Exception) -> Response:
        message = "This form has expired or did not come from this page: open the page again."
        return page(request, "error.html", 403, message=message)

    @sub.exception_handler(PurposeRequired)
    async def purpose(request: Request, exc: Exception) -> Response:
        message = without_cli_option(str(exc))
        if request.method != "GET":  # a form: its own purpose field was left empty
            return page(request, "error.html", 400, message=f"{message}: fill in the purpose")
        wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return page(request, "purpose.html", 400, message=message, next=wanted)

    @sub.exception_handler(IngestError)
    async def unreadable_file(request: Request, exc: Exception) -> Response:
        return page(request, "error.html", 422, message=str(exc))

    @sub.exception_handler(ServiceError)
    @sub.exception_handler(Refused)
    async def refused(request: Request, exc: Exception) -> Response:
        status = 404 if isinstance(exc, NotFound) else 422
        if isinstance(exc, Refused):
            status = 403
        message = without_cli_option(str(exc))
        return page(request, "error.html", status, message=message, back=_came_from(request))

    # A mangled link (a hit number too big or not a number, a page that is not there) is a
    # page with a way back, as every other refusal is, not the API's JSON in the browser.
    @sub.exception_handler(RequestValidationError)
    async def unreadable(request: Request, exc: RequestValidationError) -> Response:
        return page(request, "error.html", 422, message=_validation_message(exc))

    @sub.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = "There is no such page." if exc.status_code == 404 else str(exc.detail)
        return page(request, "error.html", exc.status_code, message=message)

    # A fault of ours: a page that says so, with the way back, as the API answers JSON; it
    # was the bare text "Internal Server Error". The traceback still goes to the server log.
    @sub.exception_handler(Exception)
    async def fault(request: Request, exc: Exception) -> Response:
        del exc
        message = (
            "Something went wrong on the server and this was not done. It is in the server's"
            " log: try again, or tell the hub's administrator what you were doing."
        )
        return page(request, "error.html", 500, message=message)


def _came_from(request: Request) -> str:
    """The workbench page a refused form was sent from (its own Referer), to go back to it
    with what was typed, rather than only to the inbox."""
    if request.method == "GET":
        return ""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc != request.url.netloc:
        return ""
    root = f"{request.scope.get('root_path', '')}/"
    path = referer.path + (f"?{referer.query}" if referer.query else "")
    return path if path.startswith(root) and not path.startswith("//") else ""


# What each value of an address or form the workbench reads must be, in the words of its
# pages, and where to find a good one.
_READS_AS: dict[str, tuple[str, str]] = {
    "hit_id": ("a hit reference", "the inbox lists each hit's reference, H-…"),
    "case_id": ("a case number", "the case board lists them"),
    "page": ("a page number", "pages count from 1"),
    "show_all": ("true or false", ""),
    "ended": ("true or false", ""),
}
_MISSING = {"manifest": "No file was chosen: choose a manifest or person file to screen."}


def _validation_message(exc: RequestValidationError) -> str:
    """Each value that could not be read, in words: `'abc' is not a hit number (the inbox
    lists each hit's number)`. It was pydantic's `hit_id: Input should be a valid integer,
    unable to parse string as an integer` (or `less than or equal to 9223372036854775807`)."""
    parts = []
    for error in exc.errors():
        loc = error.get("loc", ())
        name = str(loc[-1]) if len(loc) > 1 else ""
        if error.get("type") == "missing":
            parts.append(_MISSING.get(name, f"{name.replace('_', ' ') or 'a value'} is missing"))
            continue
        wanted, hint = _READS_AS.get(name, (f"a {name.replace('_', ' ')} this page can use", ""))
        given = str(error.get("input", ""))
        given = given if len(given) <= 40 else given[:40] + "…"
        parts.append(f"'{given}' is not {wanted}" + (f" ({hint})" if hint else ""))
    return "; ".join(parts) or "The request cannot be read."


def mount(app: FastAPI) -> None:
    """Serve the workbench at /workbench of the API app (same database, same token check)."""
    app.mount(PREFIX, workbench_app(app.state.db, app.state.tokens), name="workbench")

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/", status_code=307)
