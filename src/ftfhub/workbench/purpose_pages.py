"""The purpose of access, stated by a form posted to the server and kept in the session.

A purpose in an address (`?purpose=case 12`) lands in the web server's access log, the
browser's history and the `Referer` of the next request: the reason an analyst opened a
partner's record, written where no one audits it. So a purpose is posted (with the session's
CSRF secret), kept in the server-side session, and shown on every page with a way to clear it;
each read still states it in its audit event, through the same services.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ftfhub.services import Context
from ftfhub.workbench.auth import Form, Signed, current_session, spoken
from ftfhub.workbench.render import link

router = APIRouter()


def back_to(request: Request, wanted: str) -> str:
    """The workbench page to go back to: a path of the workbench only (never another site,
    never `//host`), without any `purpose` left in its query."""
    home = link(request, "inbox")
    root = request.scope.get("root_path", "")
    parts = urlsplit(wanted)
    if parts.scheme or parts.netloc or "\\" in wanted or not parts.path.startswith(f"{root}/"):
        return home
    if parts.path.startswith("//"):
        return home
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "purpose"])
    return parts.path + (f"?{query}" if query else "")


def stated(request: Request, ctx: Context, sent: object) -> Context:
    """The purpose typed into a form (a search, a file screened, a judgement), kept as the
    session's: what is opened from its page is read for it, without an address carrying it."""
    purpose = spoken(sent)
    session = current_session(request)
    if session is not None and purpose:
        session.purpose = purpose
    return ctx.with_purpose(purpose)


@router.post("/purpose", name="set_purpose")
def set_purpose(request: Request, session: Signed, form: Form) -> Response:
    """State (or, empty, clear) the purpose of this session's reads, then back to the page."""
    session.purpose = spoken(form.get("purpose"))
    return RedirectResponse(back_to(request, form.get("next", "")), status_code=303)
