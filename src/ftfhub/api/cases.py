"""Case endpoints: an agency's triage over the same services as the CLI and the workbench."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from ftfhub.api.deps import PAGE, Ctx, Limit, Offset, RowId
from ftfhub.api.zones import zoned
from ftfhub.domain.vocab import CaseCategory, CasePriority
from ftfhub.services import cases as case_service
from ftfhub.services.cases import CaseDetail, CaseView

router = APIRouter(prefix="/cases", tags=["cases"])


class NewCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(min_length=1, max_length=200, description="Identity id or reference")
    title: str = Field("", max_length=200)
    priority: CasePriority = CasePriority.MEDIUM
    officer: str = Field("", max_length=100)
    next_review: date | None = None
    note: str = Field("", max_length=5000)


class CategoryChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: CaseCategory
    why: str = Field(min_length=1, max_length=5000, description="The analyst's reason")


class CaseChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    priority: CasePriority | None = None
    officer: str | None = Field(None, max_length=100)
    next_review: date | None = None
    closed: bool | None = None


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=5000)


@router.get("", response_model=list[CaseView])
def list_cases(
    ctx: Ctx, response: Response, closed: bool = False, limit: Limit = PAGE, offset: Offset = 0
) -> list[CaseView]:
    """The caller's agency's cases, highest priority and earliest review first (then case
    number): a page of `limit`; when more follow, the `X-Next-Offset` header says where."""
    page = case_service.cases_page(ctx, include_closed=closed, limit=limit, offset=offset)
    if page.next_offset is not None:
        response.headers["X-Next-Offset"] = str(page.next_offset)
    return zoned(list(page.cases))


@router.post("", response_model=CaseView, status_code=201)
def open_case(ctx: Ctx, body: NewCase) -> CaseView:
    """Open a case (unassessed: only a person sets the category)."""
    return zoned(
        case_service.open_case(
            ctx,
            body.subject,
            title=body.title,
            priority=body.priority,
            officer=body.officer,
            next_review=body.next_review,
            note=body.note,
        )
    )


@router.get("/{number}", response_model=CaseDetail)
def show_case(ctx: Ctx, number: RowId) -> CaseDetail:
    return zoned(case_service.show_case(ctx, number))


@router.post("/{number}/category", response_model=CaseView)
def set_category(ctx: Ctx, number: RowId, body: CategoryChange) -> CaseView:
    """The analyst's category and the reason, recorded with the caller's name."""
    return zoned(case_service.set_category(ctx, number, body.category, body.why))


@router.patch("/{number}", response_model=CaseView)
def update_case(ctx: Ctx, number: RowId, body: CaseChange) -> CaseView:
    changed = case_service.update_case(
        ctx,
        number,
        priority=body.priority,
        officer=body.officer,
        next_review=body.next_review,
        closed=body.closed,
    )
    return zoned(changed)


@router.post("/{number}/notes", status_code=204)
def add_note(ctx: Ctx, number: RowId, body: Note) -> None:
    case_service.add_note(ctx, number, body.text)
