"""The network's links come from what Records say, and walk two hops at most."""

from __future__ import annotations

from ftfhub.domain import RecordData
from ftfhub.domain.record import Name, Payment, Relation, Travel
from ftfhub.services.network import _walk, link_keys


def person(rid: str, name: str, **kw: object) -> RecordData:
    return RecordData(record_id=rid, kind="captured_document", names=(Name(name),), **kw)  # type: ignore[arg-type]


def test_links_from_recommender_entry_booking_contacts_and_family() -> None:
    form = person(
        "F1",
        "Karim Aouad",
        relations=(Relation("recommender", "Abu  Hamza"), Relation("mother", "Fatima Z")),
        extra=(("entry_date", "2014-03-02"), ("entry_point", "Tal Abyad")),
    )
    assert link_keys(form) == {
        ("recommender", "abu hamza"),
        ("family", "fatima z"),
        ("entry", "2014-03-02 at Tal Abyad"),
    }
    flyer = person(
        "T1",
        "Karim Aouad",
        travel=Travel(
            booking_reference="abc123",
            phones=("+32 470 11 22 33",),
            emails=(" K@Example.org",),
            payments=(Payment("card", card_number="4111XXXX1111"),),
        ),
    )
    assert link_keys(flyer) == {
        ("booking", "ABC123"),
        ("phone", "32470112233"),
        ("email", "k@example.org"),
        ("payment", "4111XXXX1111"),
    }


def test_the_walk_stops_at_two_hops() -> None:
    chain = {
        "A:1": ("A", person("1", "One", relations=(Relation("recommender", "r1"),))),
        "A:2": (
            "A",
            person("2", "Two", relations=(Relation("recommender", "r1"), Relation("family", "f2"))),
        ),
        "B:3": (
            "B",
            person(
                "3", "Three", relations=(Relation("family", "f2"), Relation("recommender", "r3"))
            ),
        ),
        "B:4": ("B", person("4", "Four", relations=(Relation("recommender", "r3"),))),
    }
    found = _walk("A:1", chain, hops=2)
    assert {(n.reference, n.hop) for n in found.nodes} == {("A:1", 0), ("A:2", 1), ("B:3", 2)}
    assert {(link.kind, link.value) for link in found.links} == {
        ("recommender", "r1"),
        ("family", "f2"),
    }
