"""Running rules over the travellers of a manifest: pure, one hit per rule and traveller."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ftfhub.domain import RecordData
from ftfhub.rules.facts import FACTS, FactValue, Knowledge, facts_of
from ftfhub.rules.language import Condition, Rule, holds


@dataclass(frozen=True)
class RuleHit:
    """A traveller whose behaviour matched a rule: a lead for an analyst, never a decision."""

    rule: str
    record_id: str
    reasons: tuple[str, ...]
    description: str = ""


def _reason(condition: Condition, value: FactValue) -> str:
    shown = ", ".join(value) if isinstance(value, tuple) else str(value).lower()
    fact = FACTS[condition.fact]
    return f"{fact.description}: {shown} ({condition.text()})"


def check(rule: Rule, facts: dict[str, FactValue]) -> tuple[str, ...] | None:
    """The reasons a rule holds for one traveller's facts, or None if it does not."""
    reasons = []
    for condition in rule.all:
        if not holds(condition, facts[condition.fact]):
            return None
        reasons.append(_reason(condition, facts[condition.fact]))
    met = [c for c in rule.any if holds(c, facts[c.fact])]
    if rule.any and not met:
        return None
    reasons += [_reason(c, facts[c.fact]) for c in met]
    return tuple(reasons)


def evaluate(
    rules: Iterable[Rule], records: Iterable[RecordData], knowledge: Knowledge | None = None
) -> list[RuleHit]:
    """Every rule over every travel Record; hits in record order, then rule order."""
    rules = tuple(rules)
    known = knowledge or Knowledge()
    needed = {c.fact for rule in rules for c in (*rule.all, *rule.any)}
    hits = []
    for record in records:
        if record.travel is None and record.kind != "travel":
            continue
        facts = facts_of(record, known, needed)
        for rule in rules:
            reasons = check(rule, facts)
            if reasons is not None:
                hits.append(RuleHit(rule.name, record.record_id, reasons, rule.description))
    return hits
