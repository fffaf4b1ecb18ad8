"""The rule language: YAML, read into typed rules, checked before any rule runs.

A rules file is a list of rules (or `rules:` holding one)::

    - name: last-minute one-way paid in cash
      description: booked within three days, no return flight, cash
      all:                                  # every condition must hold
        - booking.days_before_departure: {max: 3}
        - trip.one_way: true
        - payment.cash: true
      any:                                  # and, if given, at least one of these
        - route.via: [IST, SAW]
        - companion.listed: true

A condition names one fact (rules/facts.py) and tests it: a plain value (`true`, `IST`: is,
or contains for a set of codes), a list (is one of, or shares one with), or a mapping of
`min`, `max`, `in`, `not_in`, `is`. Nothing is evaluated as code. A rule that names a fact
describing who a person is — nationality, ethnicity, religion, a name or its origin, or a
proxy for them such as birth place or a document's issuing country — is refused at load with
an error saying so; any other unknown fact is refused with the list of facts there are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import yaml

from ftfhub.rules.facts import FACTS, FactValue

MAX_TEXT = 200
MAX_LIST = 1000

IDENTITY_WORDS = frozenset(
    {
        "name", "names", "surname", "surnames", "given", "given_names", "first_name",
        "last_name", "family_name", "kunya", "alias", "aliases", "name_origin", "origin_of_name",
        "script", "language", "transliteration", "nationality", "nationalities", "citizenship",
        "citizen", "country_of_birth", "birth_country", "birth_place", "place_of_birth",
        "birthplace", "birth", "birth_date", "date_of_birth", "dob", "age", "ethnicity",
        "ethnic", "ethnic_origin", "race", "racial", "religion", "religious", "faith", "sect",
        "creed", "tribe", "clan", "caste", "gender", "sex", "residence", "country",
        "issuing_country", "issuer", "mother", "father", "family",
    }
)  # fmt: skip
"""Words that, anywhere in a fact's name, mean the rule wants to know who someone is."""


class RuleError(ValueError):
    """A rules file that cannot be used; the message names the rule and what is wrong."""


class Op(StrEnum):
    IS = "is"
    IN = "in"
    NOT_IN = "not_in"
    MIN = "min"
    MAX = "max"


@dataclass(frozen=True)
class Condition:
    fact: str
    op: Op
    value: bool | int | str | tuple[str, ...]

    def text(self) -> str:
        shown = ", ".join(self.value) if isinstance(self.value, tuple) else str(self.value)
        symbol = {Op.IS: "is", Op.IN: "in", Op.NOT_IN: "not in", Op.MIN: "≥", Op.MAX: "≤"}
        return f"{self.fact} {symbol[self.op]} {shown}"


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    all: tuple[Condition, ...]
    any: tuple[Condition, ...] = ()


def _words(fact: str) -> set[str]:
    parts = re.split(r"[.\s]+", fact.strip().lower().replace("-", "_"))
    words = set(parts)
    for part in parts:
        words.update(part.split("_"))
    return words


def check_fact(fact: str, rule: str) -> None:
    """Refuse a fact that is not in the vocabulary; say why when it is about identity."""
    if fact in FACTS:
        return
    identity = sorted(_words(fact) & IDENTITY_WORDS)
    if identity:
        raise RuleError(
            f"rule '{rule}': '{fact}' is about who a person is ({', '.join(identity)}); rules "
            "look at behaviour, never at identity: nationality, ethnicity, religion, a name or "
            "its origin, or a proxy for them, cannot be read by a rule"
        )
    raise RuleError(
        f"rule '{rule}': there is no fact '{fact}'; a rule may read: {', '.join(sorted(FACTS))}"
    )


def _value(raw: Any, kind: type, op: Op, where: str) -> bool | int | str | tuple[str, ...]:
    if op in (Op.MIN, Op.MAX):
        if kind is not int or isinstance(raw, bool) or not isinstance(raw, int):
            raise RuleError(f"{where}: {op} needs a whole number and a counted fact")
        return raw
    if op in (Op.IN, Op.NOT_IN):
        items = raw if isinstance(raw, list) else [raw]
        if kind not in (str, tuple) or not items or len(items) > MAX_LIST:
            raise RuleError(f"{where}: {op} needs a list of codes and a fact made of codes")
        if not all(isinstance(i, str | int) and not isinstance(i, bool) for i in items):
            raise RuleError(f"{where}: {op} takes codes (text), not {items!r}")
        return tuple(str(i).strip().upper()[:MAX_TEXT] for i in items)
    if kind is bool:
        if not isinstance(raw, bool):
            raise RuleError(f"{where}: is a yes/no fact; write true or false")
        return raw
    if kind is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise RuleError(f"{where}: is a number; write a whole number")
        return raw
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise RuleError(f"{where}: is a code; write it as text")
    return str(raw).strip().upper()[:MAX_TEXT]


def _conditions(raw: Any, rule: str) -> list[Condition]:
    if not isinstance(raw, dict) or len(raw) != 1:
        raise RuleError(f"rule '{rule}': each condition is one `fact: test`, not {raw!r}")
    ((fact, test),) = raw.items()
    fact = str(fact)
    check_fact(fact, rule)
    kind, where = FACTS[fact].kind, f"rule '{rule}', {fact}"
    if isinstance(test, dict):
        found = []
        for key, value in test.items():
            if key not in Op.__members__.values():
                raise RuleError(f"{where}: '{key}' is not one of min, max, in, not_in, is")
            op = Op(key)
            found.append(Condition(fact, op, _value(value, kind, op, where)))
        if not found:
            raise RuleError(f"{where}: an empty test")
        return found
    op = Op.IN if isinstance(test, list) else Op.IS
    return [Condition(fact, op, _value(test, kind, op, where))]


def _rule(raw: Any, index: int) -> Rule:
    if not isinstance(raw, dict):
        raise RuleError(f"rule {index}: a rule is a mapping with name, all and/or any")
    name = str(raw.get("name") or "").strip()
    if not name or len(name) > MAX_TEXT:
        raise RuleError(f"rule {index}: needs a name (up to {MAX_TEXT} characters)")
    unknown = set(raw) - {"name", "description", "all", "any"}
    if unknown:
        raise RuleError(f"rule '{name}': unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    parts: dict[str, list[Condition]] = {"all": [], "any": []}
    for key in parts:
        items = raw.get(key) or []
        if not isinstance(items, list):
            raise RuleError(f"rule '{name}': '{key}' is a list of conditions")
        for item in items:
            parts[key] += _conditions(item, name)
    if not parts["all"] and not parts["any"]:
        raise RuleError(f"rule '{name}': has no condition (give `all:` or `any:`)")
    description = str(raw.get("description") or "")[:MAX_TEXT]
    return Rule(name, description, tuple(parts["all"]), tuple(parts["any"]))


def parse_rules(data: Any) -> tuple[Rule, ...]:
    """Rules from already-loaded YAML/JSON data (a list, or a mapping with `rules`)."""
    if isinstance(data, dict) and set(data) == {"rules"}:
        data = data["rules"]
    if not isinstance(data, list):
        raise RuleError("a rules file is a list of rules (or `rules:` holding one)")
    rules = tuple(_rule(item, index) for index, item in enumerate(data, start=1))
    names = [r.name for r in rules]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise RuleError(f"rule names must be unique: {', '.join(twice)} appear twice")
    return rules


def _where_and_what(exc: yaml.YAMLError) -> str:
    """` at line 2, column 1: expected the node content, but found '<stream end>'`: the
    parser's own text spans lines and quotes the file back, which a terminal showed as
    one line of `\\x0a` escapes."""
    if not isinstance(exc, yaml.MarkedYAMLError) or exc.problem_mark is None:
        return f" ({' '.join(str(exc).split())})"
    mark = exc.problem_mark
    problem = " ".join((exc.problem or "cannot be read").split())
    return f" at line {mark.line + 1}, column {mark.column + 1}: {problem}"


def load_rules(text: str, source: str = "rules") -> tuple[Rule, ...]:
    """Rules from YAML text; RuleError names the source and the rule at fault."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleError(f"{source}: is not valid YAML{_where_and_what(exc)}") from None
    try:
        return parse_rules(data)
    except RuleError as exc:
        raise RuleError(f"{source}: {exc}") from None


def holds(condition: Condition, value: FactValue) -> bool:
    """Whether one condition holds for a fact's value (never for an unknown value)."""
    if value is None:
        return False
    op, wanted = condition.op, condition.value
    if isinstance(value, tuple):
        have = {v.upper() for v in value}
        wanted_set = set(wanted) if isinstance(wanted, tuple) else {str(wanted)}
        return bool(have & wanted_set) != (op is Op.NOT_IN)
    if op is Op.MIN:
        return isinstance(value, int) and isinstance(wanted, int) and value >= wanted
    if op is Op.MAX:
        return isinstance(value, int) and isinstance(wanted, int) and value <= wanted
    if isinstance(value, str):
        text = value.upper()
        if op is Op.IN:
            return isinstance(wanted, tuple) and text in wanted
        if op is Op.NOT_IN:
            return isinstance(wanted, tuple) and text not in wanted
        return text == wanted
    return value == wanted
