"""Cases as a board: one column per category (as analysts set them), overdue reviews
flagged; one case with its history; forms to open, move, re-prioritise and annotate."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ftfhub.domain.vocab import CaseCategory, CasePriority
from ftfhub.services import InvalidRequest
from ftfhub.services import capacity as capacity_service
from ftfhub.services import cases as case_service
from ftfhub.workbench.auth import Ctx, Form, RowId
from ftfhub.workbench.charts import capacity_chart
from ftfhub.workbench.render import link, page

router = APIRouter()


def _date(text: str, what: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidRequest(f"{what}: '{text}' is not a date (YYYY-MM-DD)") from None


@router.get("/cases", response_class=HTMLResponse, name="cases")
def board(request: Request, ctx: Ctx, subject: str = "") -> Response:
    """The board; `subject` (from a dossier's "Open a case") fills in and opens the form."""
    cases = case_service.list_cases(ctx)
    columns = {c: [k for k in cases if k.category is c] for c in CaseCategory}
    return page(
        request,
        "cases.html",
        columns=columns,
        categories=list(CaseCategory),
        priorities=list(CasePriority),
        cases=cases,
        subject=subject.strip()[:200],
    )


@router.post("/cases", name="open_case")
def open_case(request: Request, ctx: Ctx, form: Form) -> Response:
    opened = case_service.open_case(
        ctx,
        form.get("subject", ""),
        title=form.get("title", ""),
        priority=form.get("priority", "medium"),
        officer=form.get("officer", ""),
        next_review=_date(form.get("next_review", ""), "next review"),
        note=form.get("note", ""),
    )
    return RedirectResponse(link(request, "case", case_id=opened.id), status_code=303)


@router.get("/cases/{case_id}", response_class=HTMLResponse, name="case")
def case(request: Request, ctx: Ctx, case_id: RowId) -> Response:
    detail = case_service.show_case(ctx, case_id)
    return page(
        request,
        "case.html",
        detail=detail,
        categories=list(CaseCategory),
        priorities=list(CasePriority),
    )


@router.post("/cases/{case_id}/category", name="case_category")
def move(request: Request, ctx: Ctx, case_id: RowId, form: Form) -> Response:
    """The analyst's category and the reason, both required."""
    case_service.set_category(ctx, case_id, form.get("category", ""), form.get("why", ""))
    return RedirectResponse(link(request, "case", case_id=case_id), status_code=303)


@router.post("/cases/{case_id}/update", name="case_update")
def update(request: Request, ctx: Ctx, case_id: RowId, form: Form) -> Response:
    case_service.update_case(
        ctx,
        case_id,
        priority=form.get("priority") or None,
        officer=form.get("officer"),
        next_review=_date(form.get("next_review", ""), "next review"),
        closed=form.get("closed") == "yes" or None,
    )
    return RedirectResponse(link(request, "case", case_id=case_id), status_code=303)


@router.post("/cases/{case_id}/note", name="case_note")
def note(request: Request, ctx: Ctx, case_id: RowId, form: Form) -> Response:
    case_service.add_note(ctx, case_id, form.get("text", ""))
    return RedirectResponse(link(request, "case", case_id=case_id), status_code=303)


@router.get("/capacity", response_class=HTMLResponse, name="capacity")
def capacity(request: Request, ctx: Ctx) -> Response:
    report = capacity_service.capacity(ctx)
    return page(
        request,
        "capacity.html",
        report=report,
        chart=capacity_chart(report.points),
        priorities=list(CasePriority),
    )
