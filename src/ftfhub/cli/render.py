"""Typed views as JSON for scripts: the shape DESIGN.md promises for `screen` and friends."""

from __future__ import annotations

from datetime import datetime

from ftfhub.clock import iso_utc
from ftfhub.policy.views import (
    EscalatedHit,
    MatchView,
    OtherRecord,
    OwnedHit,
    PartnerHit,
    ScreenResult,
    Term,
)

JSON = dict[str, object]


def term_json(term: Term) -> JSON:
    return {
        "feature": term.feature,
        "level": term.level,
        "weight": term.weight,
        "detail": term.detail,
    }


def other_json(other: OtherRecord) -> JSON:
    data: JSON = {
        "agency": other.agency,
        "contact": other.contact,
        "reference": other.reference,
        "disclosure": other.level.value,
        "record_id": other.record_id,
    }
    if other.summary is not None:
        data["summary"] = {
            "names": list(other.summary.names),
            "birth_year": other.summary.birth_year,
            "nationalities": list(other.summary.nationalities),
        }
    if other.record is not None:
        data["record"] = other.record.to_json()
    return data


def match_json(match: MatchView) -> JSON:
    return {
        "record_id": match.held.record_id,
        "agency": match.held.agency,
        "score": match.score,
        "explanation": [term_json(t) for t in match.explanation],
        "held": other_json(match.held),
    }


def screen_json(result: ScreenResult) -> JSON:
    return {"query_id": result.query_id, "matches": [match_json(m) for m in result.matches]}


def _at(value: datetime) -> str:
    return iso_utc(value)


def minutes_utc(value: datetime) -> str:
    """A time for a table, to the minute, saying its zone (`2026-12-01 09:00 UTC`): a
    deadline read as local time is hours off for a partner in another zone."""
    return f"{iso_utc(value, 'minutes')[:-1].replace('T', ' ')} UTC"


def owned_json(hit: OwnedHit) -> JSON:
    return {
        "id": hit.id,
        "direction": "owned",
        "status": hit.status.value,
        "score": hit.score,
        "escalation_level": hit.escalation_level,
        "created_at": _at(hit.created_at),
        "deadline": _at(hit.deadline),
        "own": {"record_id": hit.own.record_id, "name": hit.own.name},
        "querying": other_json(hit.querying),
        "explanation": [term_json(t) for t in hit.explanation],
        "note": hit.note,
    }


def partner_json(hit: PartnerHit) -> JSON:
    return {
        "id": hit.id,
        "direction": "partner",
        "created_at": _at(hit.created_at),
        "your_record": hit.your_record,
        "owner": other_json(hit.owner),
        "message": hit.message,
    }


def escalated_json(hit: EscalatedHit) -> JSON:
    return {
        "id": hit.id,
        "direction": "escalated",
        "status": hit.status.value,
        "escalation_level": hit.escalation_level,
        "deadline": _at(hit.deadline),
        "owner": {
            "agency": hit.owner_agency,
            "contact": hit.owner_contact,
            "reference": hit.owner_reference,
        },
        "querying": {
            "agency": hit.querying_agency,
            "contact": hit.querying_contact,
            "reference": hit.querying_reference,
        },
    }
