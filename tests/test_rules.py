"""Behaviour rules: what they can say, what they cannot, and what they find on real messages."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ftfhub.domain import Document, Leg, Name, PartialDate, Payment, RecordData, Travel
from ftfhub.ingest.pnrgov import read_pnrgov_text
from ftfhub.rules import FACTS, Knowledge, RuleError, evaluate, load_rules, parse_rules
from ftfhub.rules.facts import facts_of

PNRGOV = Path(__file__).resolve().parents[2] / "shared" / "data" / "airline" / "pnrgov"


def _pnr(name: str) -> list[RecordData]:
    reading = read_pnrgov_text((PNRGOV / name).read_text("utf-8"), name)
    return [record for _, record in reading.records]


def _traveller(record_id: str = "T-1", **travel: object) -> RecordData:
    defaults: dict[str, object] = {
        "flight": "XQ123",
        "origin": "BRU",
        "destination": "IST",
        "date": "2024-03-01",
        "legs": (Leg("XQ123", "BRU", "IST", "2024-03-01T10:10", "2024-03-01T14:20"),),
    }
    defaults.update(travel)
    return RecordData(
        record_id,
        "travel",
        (Name("Pieter Claes"),),
        birth_dates=(PartialDate(1990, 1, 2),),
        nationalities=("BE",),
        gender="m",
        documents=(Document("passport", "BE", "EH000001", "2030-01-01"),),
        travel=Travel(**defaults),  # type: ignore[arg-type]
    )


RULES = """
rules:
  - name: last-minute one-way cash
    description: booked within three days, no way back, paid cash
    all:
      - booking.days_before_departure: {max: 3}
      - trip.one_way: true
      - payment.cash: true
  - name: card shared with another booking
    all:
      - payment.shared_with_other_booking: true
  - name: short stay via a hub
    all:
      - trip.stay_days: {min: 1, max: 3}
    any:
      - route.airports: [OOL, GZT]
      - route.via: IST
"""


def test_last_minute_one_way_cash_fires_only_when_all_hold() -> None:
    rules = load_rules(RULES)
    cash = (Payment("cash", amount="300.00", currency="EUR"),)
    hit = _traveller("T-1", booked_on="2024-02-28", payments=cash)
    early = _traveller("T-2", booked_on="2024-01-05", payments=cash)
    card = _traveller("T-3", booked_on="2024-02-28", payments=(Payment("card", "VI", "X1"),))
    unknown = _traveller("T-4", payments=cash)  # no booking date: never fires on what is unknown
    found = evaluate(rules, [hit, early, card, unknown])
    assert [(h.rule, h.record_id) for h in found] == [("last-minute one-way cash", "T-1")]
    assert found[0].reasons == (
        "days between booking and departure: 2 (booking.days_before_departure ≤ 3)",
        "no flight back to where the journey started: true (trip.one_way is True)",
        "paid in cash: true (payment.cash is True)",
    )
    assert found[0].description == "booked within three days, no way back, paid cash"


def test_shared_card_across_bookings_on_a_real_message() -> None:
    """2_pnrs_basic: the same Visa card (…1186) paid both bookings; Cooper paid with another."""
    found = evaluate(load_rules(RULES), _pnr("gtas-loader__2_pnrs_basic.edi"))
    assert [(h.rule, h.record_id) for h in found] == [
        ("card shared with another booking", "MFN4TI-1"),
        ("card shared with another booking", "MFN4TI-2"),
        ("card shared with another booking", "23456-1"),
    ]


def test_length_of_stay_on_a_round_trip() -> None:
    """Pg77: SIN → OOL on 28 May (lands the 29th), back on 31 May: a two-day stay."""
    (kevin,) = _pnr("gtas-parsers__pnrMessagePg77.txt")
    facts = facts_of(kevin, Knowledge(), set(FACTS))
    assert facts["trip.stay_days"] == 2 and facts["trip.one_way"] is False
    assert facts["route.airports"] == ("SIN", "OOL")
    assert facts["payment.methods"] == ("cash",)
    assert facts["booking.checked_bags"] is None  # no check-in data: unknown, not zero
    found = evaluate(load_rules(RULES), [kevin])
    assert [h.rule for h in found] == ["short stay via a hub"]
    assert "airports on the journey: SIN, OOL (route.airports in OOL, GZT)" in found[0].reasons


def test_travelling_with_a_listed_person_and_a_stolen_document() -> None:
    rules = parse_rules(
        [
            {"name": "with a listed person", "all": [{"companion.listed": True}]},
            {"name": "stolen document", "all": [{"document.stolen": True}]},
        ]
    )
    smith, jones, *_ = _pnr("gtas-loader__2_pnrs_basic.edi")
    (charles,) = _pnr("gtas-parsers__pnrWithDoco.txt")
    knowledge = Knowledge(
        listed_record_ids=frozenset({"MFN4TI-2"}), stolen_documents=frozenset({"8675309"})
    )
    found = evaluate(rules, [smith, jones, charles], knowledge)
    assert [(h.rule, h.record_id) for h in found] == [
        ("with a listed person", "MFN4TI-1"),  # Jones is listed, Smith travels with him
        ("stolen document", "06A9FD-1"),  # the DOCO visa
    ]


@pytest.mark.parametrize(
    "fact",
    [
        "nationality",
        "traveller.nationality",
        "religion",
        "traveller.ethnicity",
        "name.origin",
        "name_origin",
        "surname",
        "names.script",
        "birth_place",
        "document.issuing_country",
        "traveller.age",
        "traveller.gender",
    ],
)
def test_a_rule_about_who_someone_is_is_refused_at_load(fact: str) -> None:
    text = f"- name: profiling\n  all:\n    - {fact}: SY\n"
    with pytest.raises(RuleError) as caught:
        load_rules(text, "profile.yaml")
    message = str(caught.value)
    assert message.startswith("profile.yaml: rule 'profiling': ")
    assert f"'{fact}' is about who a person is" in message
    assert "never at identity" in message


def test_unknown_facts_and_bad_tests_are_refused_clearly() -> None:
    with pytest.raises(RuleError, match=r"no fact 'route\.weather'; a rule may read: booking"):
        parse_rules([{"name": "x", "all": [{"route.weather": "sunny"}]}])
    with pytest.raises(RuleError, match="no fact '__import__"):
        parse_rules([{"name": "x", "all": [{"__import__('os').system('true')": True}]}])
    with pytest.raises(RuleError, match="min needs a whole number"):
        parse_rules([{"name": "x", "all": [{"payment.cash": {"min": 1}}]}])
    with pytest.raises(RuleError, match="yes/no fact"):
        parse_rules([{"name": "x", "all": [{"payment.cash": "yes"}]}])
    with pytest.raises(RuleError, match="'like' is not one of"):
        parse_rules([{"name": "x", "all": [{"route.origin": {"like": "I%"}}]}])
    with pytest.raises(RuleError, match="has no condition"):
        parse_rules([{"name": "x"}])
    with pytest.raises(RuleError, match="unknown key"):
        parse_rules([{"name": "x", "all": [{"payment.cash": True}], "python": "1"}])
    with pytest.raises(RuleError, match="appear twice"):
        parse_rules([{"name": "x", "all": [{"payment.cash": True}]}] * 2)
    with pytest.raises(RuleError, match=r"rules\.yaml: is not valid YAML"):
        load_rules("- name: [unclosed", "rules.yaml")
    # The parser's text spans lines: on a terminal it was one line of `\x0a` escapes.
    with pytest.raises(RuleError) as bad:
        load_rules("rules: [\n", "rules.yaml")
    assert str(bad.value) == (
        "rules.yaml: is not valid YAML at line 2, column 1:"
        " expected the node content, but found '<stream end>'"
    )


def test_facts_do_not_change_with_who_someone_is() -> None:
    """Two travellers who differ only in name, nationality, birth, gender, birth place and
    their document's issuing country have exactly the same facts: no rule can tell them
    apart."""
    for record in _pnr("gtas-loader__2_pnrs_basic.edi") + _pnr("gtas-parsers__pnrWithDoco.txt"):
        other = replace(
            record,
            names=(Name("عبد الله الحسيني", "primary", "arabic"), Name("Abu Bakr", "kunya")),
            nationalities=("SY", "IQ"),
            birth_dates=(PartialDate(1401, calendar="hijri"),),
            gender="f" if record.gender == "m" else "m",
            documents=tuple(replace(d, country="SY") for d in record.documents),
            extra=(("birth_place", "Raqqa"), ("residence", "SY")),
        )
        knowledge = Knowledge(frozenset({"MFN4TI-2"}), frozenset({"123456789"}))
        assert facts_of(record, knowledge, set(FACTS)) == facts_of(other, knowledge, set(FACTS))
