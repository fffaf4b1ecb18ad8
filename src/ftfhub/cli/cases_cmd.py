"""`ftfhub cases …`: an agency's triage of the people it monitors."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from ftfhub.cli.common import RowId, acting, console, errors_as_messages, out, print_table
from ftfhub.cli.paging import PAGE, Limit, Offset, say_more
from ftfhub.cli.render import minutes_utc
from ftfhub.clock import utcnow
from ftfhub.domain.vocab import CaseCategory, CasePriority
from ftfhub.rendering.terminal import plain
from ftfhub.services import cases as case_service
from ftfhub.services.cases import CaseView

cases_app = typer.Typer(help="Cases: category, priority, officer, review.", no_args_is_help=True)
CATEGORIES = ", ".join(c.value for c in CaseCategory)
PRIORITIES = ", ".join(p.value for p in CasePriority)


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _titled(case: CaseView) -> str:
    """The subject, then the title when there is one: the subject is what the case's events
    record as shown (a partner's reference is a disclosure), so it is never hidden behind
    a title, as the API and the workbench show it too."""
    title = case.title if case.title and case.title != case.subject else ""
    return f"{case.subject} — {title}" if title else case.subject


def _line(case: CaseView) -> str:
    late = " REVIEW OVERDUE" if case.review_overdue(utcnow().date()) else ""
    return (
        f"case {case.id} [{case.category.value}] {case.priority.value} "
        f"{_titled(case)} review {case.next_review or '-'}{late}"
    )


@cases_app.command("add")
def cases_add(
    subject: Annotated[
        str,
        typer.Argument(
            help="An Identity id, a record reference, or one of your records as AGENCY/record_id"
        ),
    ],
    title: Annotated[str, typer.Option(help="A short title (default: the subject)")] = "",
    priority: Annotated[str, typer.Option(help=PRIORITIES)] = "medium",
    officer: Annotated[str, typer.Option(help="Assigned officer")] = "",
    review: Annotated[str | None, typer.Option(help="Next review date YYYY-MM-DD")] = None,
    note: Annotated[str, typer.Option(help="A first note for the case's history")] = "",
) -> None:
    """Open a case for your agency (unassessed until you set a category)."""
    ctx = acting()
    with errors_as_messages():
        case = case_service.open_case(
            ctx,
            subject,
            title=title,
            priority=priority,
            officer=officer,
            next_review=_day(review),
            note=note,
        )
    out.print(plain(_line(case)))


@cases_app.command("list")
def cases_list(
    closed: Annotated[bool, typer.Option(help="Include closed cases")] = False,
    limit: Limit = PAGE,
    offset: Offset = 0,
) -> None:
    """Your agency's cases, highest priority and earliest review first, a page at a time."""
    ctx = acting()
    with errors_as_messages():
        page = case_service.cases_page(ctx, include_closed=closed, limit=limit, offset=offset)
    cases = page.cases
    table = Table(title=f"Cases of {ctx.caller.agency}")
    # The subject whole on a narrow terminal (the title folds instead): it is what the
    # events record as shown, and a reference cut in two reads as two.
    widest = max((len(c.subject) for c in cases), default=0)
    for column in ("id", "category", "priority", "subject", "title", "officer", "review"):
        table.add_column(column, min_width=widest if column == "subject" else None)
    today = utcnow().date()
    for c in cases:
        review = f"{c.next_review or '-'}" + (" OVERDUE" if c.review_overdue(today) else "")
        table.add_row(
            str(c.id),
            c.category.value,
            c.priority.value,
            plain(c.subject),
            plain(c.title if c.title != c.subject else ""),
            plain(c.officer),
            review,
        )
    empty = "none from this offset" if offset else "none yet: ftfhub cases add SUBJECT opens one"
    print_table(table, empty)
    say_more("cases", page.next_offset, limit)


@cases_app.command("show")
def cases_show(case_id: RowId) -> None:
    """One case and its history."""
    ctx = acting()
    with errors_as_messages():
        detail = case_service.show_case(ctx, case_id)
    out.print(plain(_line(detail.case)))
    if detail.case.category_by:
        out.print(plain(f"category set by {detail.case.category_by}: {detail.case.category_why}"))
    for entry in detail.history:
        out.print(plain(f"{minutes_utc(entry.at)} {entry.actor} {entry.kind}: {entry.text}"))


@cases_app.command("move")
def cases_move(
    case_id: RowId,
    category: Annotated[str, typer.Option(help=CATEGORIES)],
    why: Annotated[str, typer.Option(help="Your reason (required, kept with your name)")],
) -> None:
    """Set a case's category: your judgement, with the reason."""
    ctx = acting()
    with errors_as_messages():
        case = case_service.set_category(ctx, case_id, category, why)
    out.print(plain(_line(case)))


@cases_app.command("set")
def cases_set(
    case_id: RowId,
    priority: Annotated[str | None, typer.Option(help=PRIORITIES)] = None,
    officer: Annotated[str | None, typer.Option(help="Assigned officer")] = None,
    review: Annotated[str | None, typer.Option(help="Next review date YYYY-MM-DD")] = None,
    close: Annotated[bool, typer.Option(help="Close the case")] = False,
) -> None:
    """Change priority, assigned officer or next review date, or close the case."""
    ctx = acting()
    with errors_as_messages():
        case = case_service.update_case(
            ctx,
            case_id,
            priority=priority,
            officer=officer,
            next_review=_day(review),
            closed=True if close else None,
        )
    out.print(plain(_line(case)))


@cases_app.command("note")
def cases_note(case_id: RowId, text: str) -> None:
    """Add a note to a case's history."""
    ctx = acting()
    with errors_as_messages():
        case_service.add_note(ctx, case_id, text)
    console.print(f"note added to case {case_id}")


def register(app: typer.Typer) -> None:
    app.add_typer(cases_app, name="cases")
