"""A small demo hub to click through: the synthetic world loaded by real users of each
agency, identities resolved, a few cases opened — used by `ftfhub demo --serve` and by the
workbench's browser tests.

Every step goes through the services as a signed-in user would: nothing is written around
the policy or the audit trail.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from ftfhub.clock import utcnow
from ftfhub.domain.vocab import CaseCategory, CasePriority, Disclosure, Role
from ftfhub.services import Context, Database, identity
from ftfhub.services import cases as case_service
from ftfhub.services import identities as identity_service
from ftfhub.services.ingest import ingest_file


@dataclass(frozen=True)
class Login:
    user: str
    agency: str
    role: Role
    token: str


@dataclass
class DemoHub:
    url: str
    folder: Path
    logins: dict[str, Login] = field(default_factory=dict)
    records: int = 0
    hits: int = 0
    identities: int = 0

    def context(self, user: str, purpose: str = "") -> Context:
        db = Database(self.url)
        return Context(db, identity.authenticate(db, self.logins[user].token), purpose)


ADMIN = "hub-admin"


def user_name(agency: str, role: Role) -> str:
    """A demo user's name, the same in `make demo` and `ftfhub demo --serve`: the role and the
    agency (`analyst-be-fp`, `supervisor-gb-ctp`); the hub's one duty officer and auditor by
    their role alone (`duty-officer`, `auditor`) — one name for one person whichever command
    a newcomer ran, so the README's names work on both."""
    if agency == "HUB" and role in (Role.DUTY_OFFICER, Role.AUDITOR):
        return role.value
    return ADMIN if role is Role.ADMIN else f"{role.value}-{agency.lower()}"


def build_demo_hub(
    workdir: Path,
    *,
    fighters: int = 40,
    travellers: int = 300,
    seed: int = 7,
    resolve: bool = True,
    threshold: float = 0.7,
) -> DemoHub:
    """A fresh SQLite hub in `workdir`: an analyst per agency (plus a supervisor for the first),
    the hub's duty officer and auditor, the world's files loaded, identities resolved and a
    handful of cases opened by the analysts."""
    from ftfhub.scenario import build_world

    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    world = build_world(workdir / "files", seed=seed, fighters=fighters, travellers=travellers)
    url = f"sqlite:///{(workdir / 'ftfhub.db').resolve()}"
    db = Database(url)
    admin_token = identity.init_hub(db, ADMIN).token
    hub = DemoHub(url, workdir)
    hub.logins[ADMIN] = Login(ADMIN, "HUB", Role.ADMIN, admin_token)
    admin = Context(db, identity.authenticate(db, admin_token))
    agencies = list(dict.fromkeys(agency for agency, _, _ in world.inputs))
    for agency in agencies:
        if agency != "HUB":
            identity.add_agency(admin, agency, f"Agency {agency}")
        name = user_name(agency, Role.ANALYST)
        issued = identity.add_user(admin, name, agency, Role.ANALYST)
        hub.logins[name] = Login(name, agency, Role.ANALYST, issued.token)
    for agency, role in (("HUB", Role.DUTY_OFFICER), ("HUB", Role.AUDITOR)):
        name = user_name(agency, role)
        hub.logins[name] = Login(
            name, agency, role, identity.add_user(admin, name, agency, role).token
        )
    _grants(hub, admin, db, agencies[0])
    for agency, kind, path in world.inputs:
        ctx = Context(
            db, identity.authenticate(db, hub.logins[user_name(agency, Role.ANALYST)].token)
        )
        report = ingest_file(ctx, path, kind, threshold=threshold)
        hub.records += report.added
        hub.hits += report.hits_raised
    first = hub.logins[user_name(agencies[0], Role.ANALYST)]
    analyst = Context(db, identity.authenticate(db, first.token))
    if resolve:
        summary = identity_service.resolve_identities(analyst)
        hub.identities = summary.identities
    _cases(analyst)
    db.dispose()
    return hub


def _grants(hub: DemoHub, admin: Context, db: Database, grantee: str) -> None:
    """GB-CTP lets the first agency see its Records in full, the hub in summary: the pages
    show every level of need to know (the others stay hit-only)."""
    for owner, level in (("GB-CTP", Disclosure.FULL), ("HUB", Disclosure.SUMMARY)):
        if owner == grantee or owner not in {login.agency for login in hub.logins.values()}:
            continue
        name = user_name(owner, Role.SUPERVISOR)
        issued = identity.add_user(admin, name, owner, Role.SUPERVISOR)
        hub.logins[name] = Login(name, owner, Role.SUPERVISOR, issued.token)
        identity.grant(Context(db, identity.authenticate(db, issued.token)), grantee, level)


def _history(ctx: Context, subjects: list[str]) -> None:
    """Twelve weeks of simulated case work (cases opened, officers assigned, some closed), so
    the capacity page has a history to show. The cases' own dates are simulated, as `ftfhub
    demo` simulates time passing for escalation; their audit events keep the real time."""
    from unittest import mock

    now = utcnow()
    priorities = list(CasePriority)
    for week in range(12, 0, -1):
        at = now - timedelta(weeks=week)
        with mock.patch.object(case_service, "utcnow", return_value=at):
            for i in range(week % 3 + 1):
                subject = subjects[(week * 3 + i) % len(subjects)]
                case = case_service.open_case(
                    ctx,
                    subject,
                    title=f"Earlier subject {week}-{i}",
                    priority=priorities[(week + i) % 3],
                    officer=f"officer-{(week + i) % 4 + 1}",
                    next_review=(at + timedelta(days=90)).date(),
                )
                if (week + i) % 4 == 0:
                    case_service.update_case(ctx, case.id, closed=True)


def _cases(ctx: Context) -> None:
    """A few cases of the first agency, some assessed, one review overdue, and a history."""
    today = utcnow().date()
    own = sorted(identity_service.identities_of(ctx))[:6]
    plan = [
        (CasePriority.HIGH, today - timedelta(days=4), CaseCategory.ATTACK, "bought tickets twice"),
        (
            CasePriority.MEDIUM,
            today + timedelta(days=10),
            CaseCategory.REINTEGRATION,
            "in the programme",
        ),
        (CasePriority.MEDIUM, today + timedelta(days=20), None, ""),
        (CasePriority.LOW, today + timedelta(days=40), CaseCategory.RADICALISED, "online contacts"),
    ]
    for number, (subject, (priority, review, category, why)) in enumerate(
        zip(own, plan, strict=False)
    ):
        case = case_service.open_case(
            ctx,
            subject,
            title=f"Subject {number + 1}",
            priority=priority,
            officer=f"officer-{number % 2 + 1}",
            next_review=review,
        )
        if category is not None:
            case_service.set_category(ctx, case.id, category, why)
    if own:
        _history(ctx, own)
