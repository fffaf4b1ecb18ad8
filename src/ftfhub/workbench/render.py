"""Templates and the filters that show hostile text safely: escaped by Jinja, controls made
visible, and every name in its own direction-isolated run beside Latin text."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape

from ftfhub.clock import utcnow
from ftfhub.domain import PartialDate
from ftfhub.rendering.text import visible
from ftfhub.workbench.auth import current_session

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")


def link(request: Request, route: str, **params: Any) -> str:
    """The path of one of the workbench's routes, under the prefix it is mounted at (the
    outer app's router does not know the workbench's route names)."""
    path = request.app.url_path_for(route, **{k: str(v) for k, v in params.items()})
    return f"{request.scope.get('root_path', '')}{path}"


@pass_context
def _url_for(context: dict[str, Any], route: str, /, **params: Any) -> str:
    return link(context["request"], route, **params)


def name(text: object) -> Markup:
    """A name in any script, isolated so right-to-left text cannot reorder what is around it."""
    return Markup('<bdi dir="auto">{}</bdi>').format(escape(visible(str(text or ""))))


CLI_OPTION = re.compile(r' \(--[a-z-]+(?: "…")?\)')


def without_cli_option(message: str) -> str:
    """A service's refusal as the browser should read it: the services name the command
    line's option (`--purpose "…"`, `--why`, `--note "…"`), which a workbench user has no
    way to give; the form's field is right there."""
    return CLI_OPTION.sub("", message)


def birth(found: PartialDate) -> str:
    """A birth date as the analyst compares two: in the Gregorian calendar, whatever the
    source wrote (a PAXLST's `720304` is 1972-03-04), the original kept beside a Hijri one.
    Two sources of one date then read alike, and are not marked as differing."""
    if found.calendar != "gregorian" and found.original:
        return f"{found.iso()} ({found.calendar}: {found.original})"
    return found.iso()


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def countdown(deadline: datetime, now: datetime | None = None) -> str:
    """`in 5 h 12 min` or `overdue by 2 d 3 h`: what an analyst reads at a glance."""
    left = _naive(deadline) - _naive(now or utcnow())
    seconds = int(abs(left.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    text = f"{days} d {hours} h" if days else f"{hours} h {minutes} min"
    return f"in {text}" if left.total_seconds() >= 0 else f"overdue by {text}"


def overdue(deadline: datetime, now: datetime | None = None) -> bool:
    return _naive(deadline) < _naive(now or utcnow())


def iso(moment: datetime) -> str:
    """A moment in UTC for a `<time datetime>` attribute (stored times are naive UTC)."""
    return _naive(moment).isoformat(timespec="seconds") + "Z"


def when(moment: datetime | date | None) -> str:
    if moment is None:
        return "—"
    if isinstance(moment, datetime):
        return _naive(moment).strftime("%Y-%m-%d %H:%M UTC")
    return moment.isoformat()


def sentence(text: str) -> str:
    """A service's message as a sentence on a page: its first letter a capital. Messages are
    worded to follow `error:` on a terminal (`no record BE-FP:… that you see in full`), so a
    page that showed them alone began in lower case, as a fragment of a developer's log."""
    text = str(text or "")
    first = text.split(" ", 1)[0].rstrip(",;:")
    if not (first.isalpha() and first.islower()) or first == "ftfhub":
        return text  # a file's name, a command, a quoted value stay as they are written
    return text[:1].upper() + text[1:]


# What a user did, as a dossier's "Who looked" says it to an analyst; the audit trail's
# name of the action stays in the cell's title (it read `identity.explain`, `access.denied`).
_DEEDS = {
    "identity.explain": "opened this dossier",
    "record.open": "opened a record of it",
    "access.denied": "asked and was refused",
    "identity.judge": "judged a pair in it",
    "case.open": "opened a case on it",
}


def deed(action: str) -> str:
    return _DEEDS.get(str(action), str(action).replace(".", " ").replace("_", " "))


templates.env.filters["name"] = name
templates.env.filters["deed"] = deed
templates.env.filters["sentence"] = sentence
templates.env.filters["countdown"] = countdown
templates.env.filters["when"] = when
templates.env.filters["birth"] = birth
templates.env.filters["gregorian"] = PartialDate.iso
templates.env.filters["iso"] = iso
templates.env.filters["visible"] = lambda text: visible(str(text or ""), keep_newlines=True)
# A case's subject as a link to what it names: an Identity (its dossier) or a Record (by
# its owner's reference); anything else typed there stays text.
IDENTITY_ID = re.compile(r"ID-[0-9a-f]{1,12}")
REFERENCE = re.compile(r"[A-Z][A-Z0-9-]{1,31}:[0-9a-zA-Z]{12}")
templates.env.tests["match_identity"] = lambda text: bool(IDENTITY_ID.fullmatch(str(text)))
templates.env.tests["match_reference"] = lambda text: bool(REFERENCE.fullmatch(str(text)))
templates.env.globals["overdue"] = overdue
templates.env.globals["url_for"] = _url_for


def page(request: Request, template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    """A page with the signed-in user, the session's CSRF secret and the navigation."""
    session = current_session(request)
    values.setdefault("caller", session.caller if session else None)
    values.setdefault("csrf", session.csrf if session else "")
    values.setdefault("stated", session.purpose if session and session.caller else "")
    values.setdefault("here", request.url.path)
    values.setdefault("error", None)
    values.setdefault("today", utcnow().date())
    return templates.TemplateResponse(request, template, values, status_code=status_code)
