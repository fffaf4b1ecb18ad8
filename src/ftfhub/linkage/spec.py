"""The linkage model's shape: comparisons with their levels, and the blocking rules.

Each level is a condition from `levels` (one definition, two renderings: SQL for Splink and
Python for real-time scoring) and the words an analyst reads, in the vocabulary of screening's
explanations ("surname spelling variant", "birth date same").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ftfhub.linkage.levels import (
    Cond,
    Dialect,
    both,
    common,
    contained,
    edits,
    either,
    empty,
    negate,
    overlap,
    same,
    to_sql,
)

# 4: Hijri years by month; 3: names and kunyas in spelling keys; 2: trained in DuckDB
MODEL_VERSION = "ftfhub-linkage-4"


@dataclass(frozen=True)
class LevelSpec:
    label: str  # the words of the explanation
    cond: Cond | None  # None: the else level
    null: bool = False
    tf_column: str = ""
    tf_weight: float = 1.0  # the share of the level's evidence the one value carries


@dataclass(frozen=True)
class ComparisonSpec:
    name: str
    levels: tuple[LevelSpec, ...]


def _name_levels() -> tuple[LevelSpec, ...]:
    """One comparison for the whole name, so that a surname, a given name and the full name
    agreeing are not counted as three independent pieces of evidence. Term frequencies adjust
    the levels where one value carries the agreement (the full name, the surname, the given
    name)."""
    surname_close = either(overlap("surname_keys"), edits("surname_soft", 2))
    given_close = either(overlap("given_keys"), edits("given_soft", 2))
    return (
        LevelSpec("no name to compare", empty("name_parts"), null=True),
        LevelSpec("names same", same("full_name"), tf_column="full_name"),
        LevelSpec(
            "surname same, given name close",
            both(same("surname"), given_close),
            tf_column="surname",
            # The surname's rarity is half the evidence: the given name agreeing is the rest.
            tf_weight=0.5,
        ),
        LevelSpec("every name part a spelling variant", overlap("full_keys")),
        LevelSpec(
            "surname and given name spelling variants",
            both(overlap("surname_keys"), overlap("given_keys")),
        ),
        LevelSpec("surname and given name close", both(surname_close, given_close)),
        LevelSpec("every part of one name in the other", contained("name_parts")),
        LevelSpec("two name parts same", common("name_parts", 2)),
        LevelSpec("two name parts spelling variants", common("name_keys", 2)),
        LevelSpec("surname same, given name differs", same("surname"), tf_column="surname"),
        LevelSpec("given name same, surname differs", same("given"), tf_column="given"),
        LevelSpec("one name part same", overlap("name_parts")),
        LevelSpec("one name part spelling variant", overlap("name_keys")),
        LevelSpec("names differ", None),
    )


def _document_levels() -> tuple[LevelSpec, ...]:
    """Documents and nationality as one comparison: a dual national travels on one passport
    and is listed under the other, so different documents and different nationalities are
    one fact, not two pieces of evidence (counted apart, they sank such pairs twice)."""
    has_document = negate(empty("doc_numbers"))
    return (
        LevelSpec(
            "no document or nationality to compare",
            both(empty("doc_numbers"), empty("nationalities")),
            null=True,
        ),
        LevelSpec("document same", overlap("doc_numbers")),
        LevelSpec("document number one character off", edits("doc_first", 1)),
        LevelSpec(
            "documents differ, nationality same", both(has_document, overlap("nationalities"))
        ),
        LevelSpec(
            "documents and nationalities differ",
            both(has_document, negate(empty("nationalities"))),
        ),
        LevelSpec("documents differ", has_document),
        LevelSpec("nationality same", overlap("nationalities")),
        LevelSpec("nationality differs", None),
    )


COMPARISONS: tuple[ComparisonSpec, ...] = (
    ComparisonSpec("name", _name_levels()),
    ComparisonSpec(
        "kunya",
        (
            LevelSpec("no kunya to compare", empty("kunya_names"), null=True),
            LevelSpec("kunya same", overlap("kunya_names")),
            LevelSpec("kunyas differ", None),
        ),
    ),
    ComparisonSpec(
        "birth_date",
        (
            LevelSpec("no birth date to compare", empty("dob_y"), null=True),
            LevelSpec("birth date same", overlap("dob_full")),
            LevelSpec("birth date one digit off", edits("dob_first", 1)),
            LevelSpec(
                "birth year and month same (one side has no day)",
                both(overlap("dob_ym"), empty("dob_full")),
            ),
            LevelSpec("birth year and month same, day differs", overlap("dob_ym")),
            # One side gives only a year, Gregorian or Hijri, and the other falls in it (a
            # Hijri year is checked month by month: it straddles two Gregorian years).
            LevelSpec(
                "birth year same (one side has the year only)",
                either(overlap("dob_months"), both(overlap("dob_y"), empty("dob_months"))),
            ),
            LevelSpec("birth year same, month or day differs", overlap("dob_y")),
            LevelSpec("birth year one off", overlap("dob_near")),
            LevelSpec("birth dates differ", None),
        ),
    ),
    ComparisonSpec("document", _document_levels()),
    ComparisonSpec(
        "address",
        (
            LevelSpec("no address to compare", empty("address_tokens"), null=True),
            LevelSpec("address same", same("address")),
            LevelSpec("address mostly same", common("address_tokens", 3)),
            LevelSpec("address partly same", common("address_tokens", 2)),
            LevelSpec("address one word same", overlap("address_tokens")),
            LevelSpec("address differs", None),
        ),
    ),
)
# Gender is left out on purpose: it is rarely recorded wrongly and rarely discriminates
# among records that already share names and dates, and EM would learn it from travellers.

# Blocking: pairs sharing a document; a full birth date and a name key; two name parts of
# one name with a birth year; two name parts few records share (no date needed); a kunya
# with a birth year, or a kunya few records share. Every list is exploded, so each rule is
# an equi-join. A common name pair or kunya on its own is not a rule: at a million records
# it would compare every namesake with every other (hundreds of millions of pairs).
BLOCKING_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("l.doc_numbers = r.doc_numbers", ("doc_numbers",)),
    (
        "l.dob_first = r.dob_first AND l.dob_first <> '' AND l.name_keys = r.name_keys",
        ("name_keys",),
    ),
    ("l.name_years = r.name_years", ("name_years",)),
    ("l.rare_pairs = r.rare_pairs", ("rare_pairs",)),
    ("l.kunya_years = r.kunya_years", ("kunya_years",)),
    ("l.rare_kunyas = r.rare_kunyas", ("rare_kunyas",)),
)


def _level_dict(level: LevelSpec, d: Dialect) -> dict[str, Any]:
    out: dict[str, Any] = {"label_for_charts": level.label}
    if level.cond is None:
        out["sql_condition"] = "ELSE"
    else:
        out["sql_condition"] = to_sql(level.cond, d)
    if level.null:
        out["is_null_level"] = True
    if level.tf_column:
        out["tf_adjustment_column"] = f"{level.tf_column}"
        out["tf_adjustment_weight"] = level.tf_weight
        # The level's own u is the base of the adjustment (its condition also checks blanks,
        # so Splink cannot recognise it as a plain exact match).
        out["disable_tf_exact_match_detection"] = True
    return out


def settings(dialect: Dialect, link_type: str = "dedupe_only") -> dict[str, Any]:
    """The Splink settings of the untrained model."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": 1e-4,
        "comparisons": [
            {
                "output_column_name": c.name,
                "comparison_description": c.name,
                "comparison_levels": [_level_dict(level, dialect) for level in c.levels],
            }
            for c in COMPARISONS
        ],
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": sql, "arrays_to_explode": list(arrays)}
            for sql, arrays in BLOCKING_RULES
        ],
        "additional_columns_to_retain": ["owner"],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
    }
