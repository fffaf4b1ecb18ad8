"""Log-in, the hits inbox, one hit, one record, search and screen, oversight.

Every handler calls the same service function as the API route of the same data, through
its module (`hit_service.list_hits`), so a test can watch which service a page used.
"""

from __future__ import annotations

import hmac
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ftfhub.domain import RecordData
from ftfhub.domain.errors import IngestError
from ftfhub.domain.vocab import HitStatus, RecordKind, Role
from ftfhub.ingest.detect import parse_file
from ftfhub.ingest.person_file import read_person
from ftfhub.policy import Permission, may
from ftfhub.policy.views import EscalatedHit, ScreenResult, SkippedRow
from ftfhub.services import InvalidRequest, PurposeRequired, Refused
from ftfhub.services import audit_queries as audit_service
from ftfhub.services import hits as hit_service
from ftfhub.services import records as record_service
from ftfhub.services import schedule as schedule_service
from ftfhub.services import screening as screening_service
from ftfhub.workbench.auth import (
    BadForm,
    Ctx,
    Form,
    HitRef,
    current_session,
    database,
    is_not_authenticated,
    sessions,
)
from ftfhub.workbench.purpose_pages import stated
from ftfhub.workbench.render import link, page, without_cli_option
from ftfhub.workbench.sessions import COOKIE

router = APIRouter()
WORKING_ROLES = (Role.ANALYST, Role.SUPERVISOR, Role.DUTY_OFFICER)
"""Roles whose home is the hits inbox; the auditor's and the admin's is oversight."""
MAX_UPLOAD = 5 * 2**20
INBOX_LIMIT = 200
DEFAULT_THRESHOLD = 0.5
"""The search's lowest score unless the analyst sets one, as `ftfhub screen`'s."""
"""The inbox shows this many hits, the most urgent first (its deadline)."""


def _cookie(request: Request, response: Response, session_id: str) -> None:
    response.set_cookie(
        COOKIE,
        session_id,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=request.scope.get("root_path") or "/",
    )


@router.get("/login", response_class=HTMLResponse, name="login_form")
def login_form(request: Request, next: str = "", ended: bool = False) -> Response:
    """The log-in form, with the CSRF secret of a fresh, not yet signed-in session; `next`
    is the page to return to, `ended` says a session ended."""
    fresh = sessions(request).new()
    wanted = _local(request, next)
    response = page(request, "login.html", csrf=fresh.csrf, caller=None, next=wanted, ended=ended)
    _cookie(request, response, fresh.id)
    return response


def _local(request: Request, wanted: str) -> str:
    """`wanted` if it is a page of this workbench, else "": a log-in never sends the browser
    elsewhere (`//evil.example`, `https://…`, `/workbench/../api`)."""
    root = f"{request.scope.get('root_path', '')}/"
    if (
        not wanted.startswith(root)
        or wanted.startswith("//")
        or any(c in wanted for c in "\\\r\n")
        or "/.." in wanted
    ):
        return ""
    return wanted[:2000]


@router.post("/login", name="login")
async def login(request: Request) -> Response:
    form = await request.form()
    pending = current_session(request)
    sent, token = form.get("csrf"), form.get("token")
    if pending is None or not isinstance(sent, str) or sent != pending.csrf:
        raise BadForm
    token = token.strip() if isinstance(token, str) else ""
    try:
        caller = request.app.state.tokens.caller(database(request), token)
    except Exception as exc:
        if not is_not_authenticated(exc):
            raise
        return page(
            request,
            "login.html",
            401,
            csrf=pending.csrf,
            caller=None,
            error=str(exc),
            next=_local(request, str(form.get("next") or "")),
        )
    sessions(request).drop(pending.id)
    signed = sessions(request).new(token, caller)
    home = "inbox" if caller.role in WORKING_ROLES else "oversight"
    wanted = _local(request, str(form.get("next") or ""))
    response = RedirectResponse(wanted or link(request, home), status_code=303)
    _cookie(request, response, signed.id)
    return response


@router.post("/logout", name="logout")
def logout(request: Request, form: Form) -> Response:
    del form
    session = current_session(request)
    if session is not None:
        sessions(request).drop(session.id)
    response = RedirectResponse(link(request, "login_form"), status_code=303)
    response.delete_cookie(COOKIE, path=request.scope.get("root_path") or "/")
    return response


@router.get("/", response_class=HTMLResponse, name="inbox")
def inbox(
    request: Request,
    ctx: Ctx,
    done: str = "",
    show_all: bool = False,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    """New, overdue and escalated hits of my agency, a page of the most urgent at a time;
    for the duty officer, what is late anywhere. The auditor and the admin read no hits:
    the workbench's address (where a log-in returns to) takes them to oversight, their
    home, not to a refusal."""
    if ctx.caller.role not in WORKING_ROLES:
        return RedirectResponse(link(request, "oversight"), status_code=303)
    offset = (page_number - 1) * INBOX_LIMIT
    listing = hit_service.list_hits(ctx, open_only=not show_all, limit=INBOX_LIMIT, offset=offset)
    late: tuple[EscalatedHit, ...] = ()
    if may(ctx.caller.viewer, Permission.HITS_OVERDUE):
        late = schedule_service.overdue(ctx)
    return page(
        request,
        "inbox.html",
        listing=listing,
        late=late,
        done=done,
        show_all=show_all,
        limit=INBOX_LIMIT,
        page_number=page_number,
        first=offset + 1,
    )


@router.post("/hits/{hit_id}/answer", name="answer_hit")
def answer_hit(request: Request, ctx: Ctx, hit_id: HitRef, form: Form) -> Response:
    """Acknowledge, action or dismiss: the note is required (by the service)."""
    action, note = form.get("action", ""), form.get("note", "")
    try:
        if action == "acknowledge":
            hit_service.acknowledge(ctx, hit_id, note)
        elif action in (HitStatus.ACTIONED.value, HitStatus.DISMISSED.value):
            hit_service.close(ctx, hit_id, action, note)
        else:
            raise InvalidRequest(f"'{action}' is not acknowledge, actioned or dismissed")
    except (InvalidRequest, Refused) as exc:
        listing = hit_service.list_hits(ctx, open_only=True, limit=INBOX_LIMIT)
        return page(
            request,
            "inbox.html",
            422,
            listing=listing,
            late=(),
            done="",
            error=without_cli_option(str(exc)),
            show_all=False,
            limit=INBOX_LIMIT,
            page_number=1,
            first=1,
        )
    url = (
        link(request, "inbox")
        + "?"
        + urlencode({"done": f"hit {hit_service.typed_ref(hit_id)}: {action}"})
    )
    return RedirectResponse(url, status_code=303)


@router.get("/hits/{hit_id}", response_class=HTMLResponse, name="hit")
def hit(request: Request, ctx: Ctx, hit_id: HitRef) -> Response:
    """One hit; the querying side's view of another agency's record asks for a purpose."""
    view = hit_service.show_hit(ctx, hit_id)
    return page(request, "hit.html", hit=view, purpose=ctx.purpose)


@router.get("/records/{reference}", response_class=HTMLResponse, name="record")
def record(request: Request, ctx: Ctx, reference: str) -> Response:
    view = record_service.show_record(ctx, reference)
    return page(request, "record.html", view=view, purpose=ctx.purpose)


@router.get("/search", response_class=HTMLResponse, name="search_form")
def search_form(request: Request, ctx: Ctx) -> Response:
    del ctx
    return page(request, "search.html", results=None, query={}, warnings=())


@router.post("/search", response_class=HTMLResponse, name="search")
def search(request: Request, ctx: Ctx, form: Form) -> Response:
    """One person, a name in any script with an optional birth date and nationality."""
    fields = ("name", "birth_date", "nationality", "purpose", "threshold")
    query = {k: form.get(k, "").strip() for k in fields}
    person = {k: v for k, v in query.items() if k not in ("purpose", "threshold")}
    # a person typing `be|ma` in a search box means BE|MA (a file's codes stay as written)
    person["nationality"] = person["nationality"].upper()
    parsed = read_person({"record_id": "query", **person}, "search form", "watchlist")
    threshold = _threshold(query["threshold"])
    if parsed.error is not None or parsed.record is None or threshold is None:
        if threshold is None:
            error = "lowest score: a number from 0 to 1, e.g. 0.5"
        else:
            why = parsed.error.message if parsed.error else "cannot be read"
            error = f"{parsed.error.field if parsed.error else 'name'}: {why}"
        return page(
            request, "search.html", 422, results=None, query=query, warnings=(), error=error
        )
    people: dict[str, RecordData] = {"query": parsed.record}
    ctx = stated(request, ctx, form.get("purpose"))
    try:
        results = screening_service.screen_records(
            ctx, people, threshold=threshold, channel="workbench"
        )
    except PurposeRequired as exc:  # the form again, as it was filled in, not a dead end
        error = f"purpose: {without_cli_option(str(exc))}; say why you search"
        return page(
            request, "search.html", 400, results=None, query=query, warnings=(), error=error
        )
    warnings = tuple(f"{w.field}: {w.message}" for w in parsed.warnings)
    return page(
        request,
        "search.html",
        results=results,
        query=query,
        warnings=warnings,
        threshold=threshold,
        purpose=ctx.purpose,
    )


def _threshold(sent: str) -> float | None:
    """The lowest score the search reports (the CLI's --threshold; 0.5 when left empty), or
    None when it is not a number from 0 to 1."""
    try:
        value = float(sent) if sent else DEFAULT_THRESHOLD
    except ValueError:
        return None
    return value if 0.0 <= value <= 1.0 else None


@router.post("/screen", response_class=HTMLResponse, name="screen_file")
async def screen_file(
    request: Request, ctx: Ctx, manifest: Annotated[UploadFile, File()]
) -> Response:
    """A manifest or person file dropped on the page, screened row by row."""
    session = current_session(request)
    form = await request.form()
    sent = form.get("csrf")
    if session is None or not isinstance(sent, str) or not hmac.compare_digest(sent, session.csrf):
        raise BadForm
    raw = await manifest.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        raise InvalidRequest(f"the file is over {MAX_UPLOAD:,} bytes")
    label = upload_label(manifest.filename)
    ctx = stated(request, ctx, form.get("purpose"))
    outcome, names = await run_in_threadpool(_screen_upload, ctx, raw, label)
    warnings = tuple(str(w) for w in outcome.warnings)
    return page(
        request,
        "search.html",
        results=outcome.results,
        tally=file_tally(outcome.results, ctx.caller.agency),
        query={},
        warnings=warnings,
        file=label,
        names=names,
        threshold=DEFAULT_THRESHOLD,
        purpose=ctx.purpose,
    )


def upload_label(filename: str | None) -> str:
    """The name a page gives an uploaded file: the browser's, without its folders, control
    characters or more than 120 characters; `manifest` when nothing of it is left."""
    name = "".join(c for c in Path(filename or "").name if c.isprintable())[:120].strip()
    return name if name not in ("", ".", "..") else "manifest"


def _local_name(label: str) -> str:
    """The uploaded file's name on the server's disk: never the browser's (`..` named the
    folder itself, 300 characters were too long for the disk: a 500), only its extension,
    which tells a workbook from a text file."""
    suffix = Path(label).suffix.lower()
    return "upload" + (suffix if suffix[1:].isalnum() and len(suffix) <= 6 else "")


@dataclass(frozen=True)
class FileTally:
    """A screened file at a glance, above its results: a manifest of 2,000 travellers was
    2,000 sections in file order (4 MB), and the few with a partner's record were found only
    by scrolling through all of them. `partners` are (section number, query id)."""

    screened: int
    left_out: int
    matched: int
    partners: tuple[tuple[int, str], ...]


def file_tally(results: Sequence[ScreenResult | SkippedRow], agency: str) -> FileTally:
    screened = [(n, r) for n, r in enumerate(results, 1) if isinstance(r, ScreenResult)]
    partners = tuple(
        (n, r.query_id) for n, r in screened if any(m.held.agency != agency for m in r.matches)
    )
    matched = sum(1 for _, r in screened if r.matches)
    return FileTally(len(screened), len(results) - len(screened), matched, partners)


def _screen_upload(
    ctx: Ctx, raw: bytes, label: str
) -> tuple[screening_service.ScreenOutcome, dict[str, str]]:
    """Screen the upload as a file named `label`: a PAXLST or PNRGOV message as travellers
    (the page offers them; as a person file they were refused), and every message naming
    the file by its name, never by the server's temporary folder. With each query's name:
    a message's travellers have no id of their own but `XQ123-2024-03-01-1a2b3c…`."""
    kind = screening_service.query_kind(raw, RecordKind.WATCHLIST)
    names: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="ftfhub-upload-") as folder:
        path = Path(folder) / _local_name(label)
        path.write_bytes(raw)
        try:
            outcome = screening_service.screen_file(ctx, path, kind=kind, on_error="skip")
            # every query under its name as well as its id (a person file's rows read
            # 'Query q1' alone)
            rows, _ = parse_file(raw, path, kind.value, lenient=True)
            names = {r.record.record_id: r.record.primary_name for r in rows if r.record}
        except IngestError as exc:
            raise IngestError(label, exc.message, exc.line, exc.field) from None
    return screening_service.ScreenOutcome(
        tuple(
            SkippedRow(r.line, r.message.replace(str(path), label).replace(path.name, label))
            if isinstance(r, SkippedRow)
            else r
            for r in outcome.results
        ),
        tuple(replace(w, file=label) for w in outcome.warnings),
    ), names


@router.get("/oversight", response_class=HTMLResponse, name="oversight")
def oversight(request: Request, ctx: Ctx) -> Response:
    """The audit trail as a page: the chain's status, events and disclosures between
    agencies. Events name actions and objects, never a Record's content."""
    chain = audit_service.verify(ctx)
    events = audit_service.list_events(ctx, limit=200)
    disclosures = [e for e in events if _discloses(e)]
    return page(
        request,
        "oversight.html",
        chain=chain,
        events=events,
        disclosures=disclosures,
        refusals=[e for e in events if e.refused_by],
        auditor=ctx.caller.role in (Role.AUDITOR, Role.ADMIN),
    )


# Reads of Identities: partners' records are in them only for a stated purpose (a dossier
# or an explanation with partners' records, partners' pairs to adjudicate, an export with
# partners' rows), so a purpose says that partners' data may have been shown; without one
# the services write these in its place (services/identities.py, adjudication.py), and only
# one's own was.
_IDENTITY_READS = ("identity.explain", "identities.export", "identities.review")
_OWN_ONLY = ("", "export own identities", "review own pairs")


def _discloses(event: audit_service.AuditEventView) -> bool:
    """An event that may have shown one agency's data to another: a screening, a hit opened,
    a record (or the network around one) opened by another agency, another agency's records
    exported, an Identity's partners' records read for a purpose. An agency opening its own
    record is no disclosure; it filled the table the auditor reads for them. Any event the
    oversight report draws a disclosure line from is one (a case read whose subject is a
    partner's record, too)."""
    if event.disclosed or event.action in ("screen", "hit.open"):
        return True
    kind, _, reference = event.object.partition(":")
    if event.action in _IDENTITY_READS:
        return event.purpose not in _OWN_ONLY
    if event.action == "records.export":
        return kind == "agency" and reference != event.agency
    if event.action != "record.open":
        return False
    return kind not in ("record", "network") or reference.partition(":")[0] != event.agency
