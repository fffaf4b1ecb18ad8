"""Behaviour rules over a manifest: parse it, learn which travellers are listed, run the rules.

A rule hit is a lead for an analyst, never a decision; the check leaves one audit event with
the rules run and how many travellers they flagged (the reasons go to the caller only).
"Listed" means screening found a match in another agency's holdings at the hub's hit
threshold (`FTFHUB_HIT_THRESHOLD`), so `companion.listed` can say that someone travels on one
booking with a listed person. The caller picks no threshold: one below the hub's would tell
it of matches the owner never hears of, and one raised step by step the withheld score.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ftfhub.domain import RecordData
from ftfhub.domain.errors import RowError
from ftfhub.domain.vocab import AuditAction, RecordKind
from ftfhub.ingest.detect import parse_file
from ftfhub.ingest.fields import normalise_document_number
from ftfhub.ingest.reader import read_bytes
from ftfhub.policy import Permission, check
from ftfhub.rules import Knowledge, Rule, RuleError, RuleHit, evaluate, load_rules
from ftfhub.services.auditing import audit
from ftfhub.services.context import Context, InvalidRequest
from ftfhub.services.denials import guarded
from ftfhub.services.index_access import screening_index
from ftfhub.settings import Settings
from ftfhub.store.models import Hit, Record

RULES_VARIABLE = "FTFHUB_RULES"
"""Path of the hub's rules file: when set, the rules run on every travel file loaded."""


@dataclass(frozen=True)
class RuleCheck:
    """What the rules found on one manifest."""

    travellers: int
    hits: tuple[RuleHit, ...]
    skipped: tuple[RowError, ...]


def read_rules_file(path: Path) -> tuple[Rule, ...]:
    """A rules file, or InvalidRequest naming the file and the rule at fault."""
    try:
        return load_rules(path.read_text("utf-8"), str(path))
    except OSError as exc:
        raise InvalidRequest(f"{path}: cannot be read: {exc.strerror}") from None
    except (RuleError, UnicodeDecodeError) as exc:
        raise InvalidRequest(str(exc)) from None


@guarded("file", "path")
def check_manifest(
    ctx: Context,
    path: Path,
    rules: Sequence[Rule],
    *,
    stolen_documents: Iterable[str] = (),
    encoding: str | None = None,
) -> RuleCheck:
    """Run `rules` over every traveller of a manifest (PAXLST, PNRGOV or CSV)."""
    check(ctx.caller.viewer, Permission.SCREEN)
    raw = read_bytes(path)
    rows, _ = parse_file(raw, path, RecordKind.TRAVEL, encoding)
    parsed = list(rows)
    records = [r.record for r in parsed if r.record is not None]
    skipped = tuple(r.error for r in parsed if r.error is not None)
    stolen = frozenset(normalise_document_number(d).upper() for d in stolen_documents if d)
    threshold = Settings.from_env().hit_threshold
    with ctx.db.transaction() as session:
        index = screening_index(session)
        listed = frozenset(
            r.record_id
            for r in records
            if index.screen(r, limit=1, threshold=threshold, exclude_owner=ctx.caller.agency)
        )
        hits = tuple(evaluate(rules, records, Knowledge(listed, stolen)))
        audit(
            session,
            ctx,
            AuditAction.SCREEN,
            "file",
            path.name,
            {
                "rules": [rule.name for rule in rules],
                "travellers": len(records),
                "rule_hits": len(hits),
                "stolen_documents_given": len(stolen),
            },
            purpose=ctx.purpose or "behaviour rules",
        )
    return RuleCheck(len(records), hits, skipped)


def configured_rules() -> tuple[Rule, ...]:
    """The hub's rules (the file FTFHUB_RULES names), none when it is not set; a file that
    cannot be used is refused before anything is loaded."""
    path = os.environ.get(RULES_VARIABLE, "").strip()
    return read_rules_file(Path(path)) if path else ()


def rule_hits_for_rows(
    rows: Sequence[Record], hits: Sequence[Hit], rules: Sequence[Rule]
) -> tuple[RuleHit, ...]:
    """The rules over travel rows just loaded, inside the loading transaction: a traveller
    whose row raised a hit counts as listed (so `companion.listed` sees their companions)."""
    if not rules or not rows:
        return ()
    flagged = {hit.query_record_id for hit in hits}
    listed = frozenset(row.source_id for row in rows if row.id in flagged)
    records = [RecordData.from_json(row.data) for row in rows]
    return tuple(evaluate(rules, records, Knowledge(listed_record_ids=listed)))
