"""Identities: the list I may open, one Identity's dossier, and the adjudication queue."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ftfhub.services import InvalidRequest
from ftfhub.services import dossier as dossier_service
from ftfhub.services import identities as identity_service
from ftfhub.services import network as network_service
from ftfhub.workbench.auth import Ctx, Form
from ftfhub.workbench.charts import network_drawing
from ftfhub.workbench.purpose_pages import stated
from ftfhub.workbench.render import link, page

router = APIRouter()
FIELDS = ("names", "birth", "nationality", "gender", "documents")


PAGE = 200
"""Identities a page: at the demo's scale one agency's list was 19,000 rows and 3 MB."""


@router.get("/identities", response_class=HTMLResponse, name="identities")
def identities(
    request: Request,
    ctx: Ctx,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> Response:
    """The Identities that hold one of my agency's Records, a page at a time; with a purpose,
    partners' Records in each as far as I may know of them."""
    start = (page_number - 1) * PAGE
    total, found = identity_service.identities_page(ctx, start, PAGE)
    return page(
        request,
        "identities.html",
        identities=found,
        total=total,
        first=start + 1,
        page_number=page_number,
        more=total > start + PAGE,
        purpose=ctx.purpose,
    )


@router.get("/identities/{identity_id}", response_class=HTMLResponse, name="dossier")
def dossier(request: Request, ctx: Ctx, identity_id: str) -> Response:
    opened = dossier_service.open_dossier(ctx, identity_id)
    return page(request, "dossier.html", d=opened, purpose=ctx.purpose)


@router.get("/review", response_class=HTMLResponse, name="review")
def review(request: Request, ctx: Ctx, done: str = "") -> Response:
    queue = dossier_service.review_queue(ctx)
    return page(request, "review.html", queue=queue, done=done, fields=FIELDS, purpose=ctx.purpose)


@router.post("/review/judge", name="judge")
def judge(request: Request, ctx: Ctx, form: Form) -> Response:
    """Same or different, with a note and (for another agency's Record) a purpose."""
    verdict = form.get("verdict", "")
    if verdict not in ("same", "different"):
        raise InvalidRequest("choose same or different")
    if not form.get("note", "").strip():
        raise InvalidRequest("a judgement needs a note saying why")
    purposed = stated(request, ctx, form.get("purpose"))
    identity_service.judge(
        purposed,
        form.get("left", ""),
        form.get("right", ""),
        verdict == "same",
        form.get("note", "").strip(),
    )
    done = f"{form.get('left', '')} and {form.get('right', '')}: {verdict}"
    return RedirectResponse(link(request, "review") + "?" + urlencode({"done": done}), 303)


@router.get("/network/{reference}", response_class=HTMLResponse, name="network")
def network(request: Request, ctx: Ctx, reference: str) -> Response:
    """Two hops of links around one Record, drawn on the server; a node opens its own."""
    found = network_service.network(ctx, reference)
    return page(
        request, "network.html", net=found, drawing=network_drawing(found), purpose=ctx.purpose
    )
