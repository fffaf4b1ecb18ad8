"""Identities as use cases: resolve every current Record, export, page through and explain
them; analysts' judgements and the review queue are in `services/adjudication.py`, the
need-to-know cut all of them apply in `services/identity_views.py` (both re-exported here,
where the faces import them from).

The regional hub (agency `HUB`), which runs resolution for its members, sees every Identity
with the owners' record ids, so that `ftfhub identities export` gives the whole resolution as
DESIGN.md's contract says; opening one (explain) still takes a purpose and is audited.
Analysts' judgements are stored and given to every later run, full or incremental.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy.orm import Session

from ftfhub.domain.vocab import AuditAction, Disclosure
from ftfhub.linkage import LinkageModel
from ftfhub.linkage.score import score_rows
from ftfhub.linkage.table import build_rows, with_frequencies
from ftfhub.policy import Permission, check
from ftfhub.services.adjudication import judge as judge
from ftfhub.services.adjudication import review_pairs as review_pairs
from ftfhub.services.auditing import audit
from ftfhub.services.context import Context, Unseen
from ftfhub.services.denials import guarded
from ftfhub.services.identity_views import HUB as HUB
from ftfhub.services.identity_views import IdentityRows as IdentityRows
from ftfhub.services.identity_views import IdentityView as IdentityView
from ftfhub.services.identity_views import Member as Member
from ftfhub.services.identity_views import PairView as PairView
from ftfhub.services.identity_views import Shown
from ftfhub.services.resolution import RunSummary as RunSummary
from ftfhub.services.resolution import judged
from ftfhub.services.resolution import resolve_identities as resolve_identities
from ftfhub.store import identities as store
from ftfhub.store.records import record_data, records_by_id


@guarded()
def export_identities(ctx: Context) -> list[Member]:
    """One row per Record the caller may know of, by Identity (others' need a purpose)."""
    check(ctx.caller.viewer, Permission.EXPORT)
    with ctx.db.transaction() as session:
        shown = Shown(ctx, session, store.memberships(session))
        ids = shown.told(shown.exported(ctx.purpose))
        result = [shown.member(r) for r in ids]
        _audit_export(session, ctx, len(result), shown.disclosed(ids, shown.agency == HUB))
    return result


def _audit_export(session: Session, ctx: Context, rows: int, disclosed: dict[str, Any]) -> None:
    audit(
        session,
        ctx,
        AuditAction.IDENTITIES_EXPORT,
        "identities",
        "*",
        {"rows": rows, **disclosed},
        purpose=ctx.purpose or "export own identities",
    )


@guarded()
def identities_page(ctx: Context, start: int, count: int) -> tuple[int, list[IdentityRows]]:
    """One page of `identities_of` (Identities holding most of the caller's own Records
    first, then by id: `Shown.ranked`): how many there are, and the
    `count` from the `start`-th (from 0) with their Members. Only that page's members are
    read; the export is audited as `export_identities` audits it."""
    check(ctx.caller.viewer, Permission.EXPORT)
    with ctx.db.transaction() as session:
        shown = Shown(ctx, session, store.memberships(session))
        ids = shown.exported(ctx.purpose)
        grouped: dict[str, list[int]] = defaultdict(list)
        for r in ids:
            grouped[shown.members[r]].append(r)
        order = shown.ranked(ids)
        page = order[start : start + count] if start >= 0 and count > 0 else []
        told = [(i, shown.told(grouped[i])) for i in page]
        result = [(i, [shown.member(r) for r in members]) for i, members in told]
        on_page = [r for _, members in told for r in members]
        _audit_export(session, ctx, len(ids), shown.disclosed(on_page, shown.agency == HUB))
    return len(order), result


@guarded("identity", "identity_id")
def explain_identity(ctx: Context, identity_id: str) -> IdentityView:
    """The Records of one Identity and the evidence that joined them, term by term."""
    check(ctx.caller.viewer, Permission.SCREEN)
    with ctx.db.transaction() as session:
        members = store.memberships(session)
        shown = Shown(ctx, session, members)
        if identity_id not in shown.open_ids:
            raise Unseen(f"no identity {identity_id} that you may open")
        current = (r for r, i in members.items() if i == identity_id and r in shown.current)
        ids = shown.told(sorted(current))
        if shown.others_shown(ids):
            ctx.require_purpose("opening an identity with other agencies' records")
        rows = records_by_id(session, ids)
        run = store.latest_run(session)
        assert run is not None
        model = LinkageModel.from_json(json.loads(run.model))
        items = [(str(r), rows[r].agency_code, record_data(rows[r])) for r in ids]
        shown.rows.update(rows)
        scored = {
            str(r["unique_id"]): with_frequencies(r, model.frequencies) for r in build_rows(items)
        }
        decided = {frozenset((j.left, j.right)): j.same for j in judged(session)}
        inside = {str(r) for r in ids}
        pairs = []
        for a, b, _ in store.evidence(session):
            if str(a) in inside and str(b) in inside:
                level = shown.pair_level(a, b)
                if level is Disclosure.HIT_ONLY:
                    continue
                score = score_rows(model, scored[str(a)], scored[str(b)])
                same = decided.get(frozenset((str(a), str(b))))
                pairs.append(
                    PairView(
                        shown.member(a),
                        shown.member(b),
                        score.weight,
                        score.probability,
                        tuple(score.explanation()) if level is Disclosure.FULL else (),
                        "" if same is None else ("same" if same else "different"),
                    )
                )
        pairs.sort(key=lambda p: -p.weight)
        audit(
            session,
            ctx,
            AuditAction.IDENTITY_EXPLAIN,
            "identity",
            identity_id,
            shown.disclosed(ids),
        )
    return IdentityView(identity_id, tuple(shown.member(r) for r in ids), tuple(pairs))


@guarded()
def identities_of(ctx: Context) -> dict[str, list[Member]]:
    """The caller's view of every Identity they may open (for tests and the workbench)."""
    grouped: dict[str, list[Member]] = defaultdict(list)
    for member in export_identities(ctx):
        grouped[member.identity_id].append(member)
    return dict(grouped)
