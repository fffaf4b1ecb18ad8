"""The need-to-know policy: every read of another agency's data goes through here.

By default (handling code H0) a partner learns only that the owner holds something and whom
to contact (hit/no-hit). Higher codes let the owner share identity fields (H2) or the whole
record (H3). The owner always sees its own records in full, and sees what matched and why.
"""

from __future__ import annotations

from typing import Any

from ftfhub.domain import RecordData

IDENTITY_FIELDS = ("names", "birth_dates", "nationalities", "gender")


def record_view(record: RecordData, owner: str, viewer: str | None) -> dict[str, Any]:
    """What `viewer` may see of a record owned by `owner` (None: the hub operator's own tools)."""
    data = record.to_json()
    if viewer is None or viewer == owner or record.handling_code == "H3":
        return data
    if record.handling_code == "H2":
        return {k: data[k] for k in ("record_id", "kind", *IDENTITY_FIELDS)}
    return {"record_id": None, "kind": record.kind, "withheld": True}


def match_view(
    *,
    record_id: str,
    owner: str,
    owner_contact: str,
    handling_code: str,
    score: float,
    explanation: list[dict[str, Any]],
    viewer: str | None,
) -> dict[str, Any]:
    """One screening match as `viewer` may see it."""
    if viewer is None or viewer == owner or handling_code in ("H2", "H3"):
        return {
            "record_id": record_id,
            "agency": owner,
            "score": round(score, 4),
            "explanation": explanation,
        }
    return {
        "record_id": None,
        "agency": owner,
        "score": round(score, 4),
        "explanation": [
            {
                "feature": "hit",
                "level": "withheld",
                "weight": None,
                "detail": f"{owner} holds a matching record: contact {owner_contact}",
            }
        ],
    }


def hit_view(hit: dict[str, Any], viewer: str) -> dict[str, Any]:
    """A hit as the owner (full: what matched and why) or the querying side (hit/no-hit:
    neither what the owner holds, how much, nor what the owner decided)."""
    if viewer == hit["owner_agency"]:
        return hit
    return {
        "id": hit["id"],
        "owner_agency": hit["owner_agency"],
        "contact": hit["owner_contact"],
        "your_record": hit["query_source_id"],
        "created_at": hit["created_at"],
        "message": f"{hit['owner_agency']} holds a record matching yours: contact "
        f"{hit['owner_contact']}",
    }


def hit_views(hits: list[dict[str, Any]], viewer: str) -> list[dict[str, Any]]:
    """Every hit the viewer may see; the querying side gets one row per (its record, owner),
    since one row per matched record would tell how many records the owner holds."""
    views: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for hit in hits:
        view = hit_view(hit, viewer)
        if viewer != hit["owner_agency"]:
            key = (view["your_record"], view["owner_agency"])
            if key in seen:
                continue
            seen.add(key)
        views.append(view)
    return views
