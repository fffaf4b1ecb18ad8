"""Rules that look at behaviour, never at who someone is.

A small declarative language (YAML, `language.py`) over a fixed vocabulary of facts about a
travel Record (`facts.py`: route, dates, length of stay, booking and payment behaviour,
travelling with a listed person, a document reported stolen), evaluated on every manifest
(`evaluate.py`). The vocabulary has no fact about nationality, ethnicity, religion, a name or
its origin, so no rule can read them; a rule that tries is refused when it is loaded.
Pure: imports only the domain.
"""

from ftfhub.rules.evaluate import RuleHit, evaluate
from ftfhub.rules.facts import FACTS, Knowledge
from ftfhub.rules.language import Rule, RuleError, load_rules, parse_rules

__all__ = [
    "FACTS",
    "Knowledge",
    "Rule",
    "RuleError",
    "RuleHit",
    "evaluate",
    "load_rules",
    "parse_rules",
]
