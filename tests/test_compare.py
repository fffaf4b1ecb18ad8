"""The match model: what counts, what counts little, and properties over any input."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from ftfhub.domain import Name, PartialDate, RecordData
from ftfhub.index import ScreeningIndex
from ftfhub.matching.compare import compare_records
from ftfhub.services.compare import compare_two


def rec(rid: str, name: str, *aliases: str, born: str = "", nat: str = "") -> RecordData:
    dates: tuple[PartialDate, ...] = ()
    if born:
        y, *rest = (int(x) for x in born.split("-"))
        dates = (PartialDate(y, *rest),)  # type: ignore[arg-type]
    names = (Name(name), *(Name(a, "alias") for a in aliases))
    return RecordData(rid, "watchlist", names, dates, (nat,) if nat else ())


def test_spellings_across_conventions_match() -> None:
    for a, b in [
        ("Abdelhamid Zerktouni", "ZERKTOUNI<<ABDELHAMID"),
        ("Nabil Abdessamad", "Abdüssamed, Nabil"),
        ("Youssef Benali", "Jussuf Ben Ali"),
    ]:
        assert compare_two(a, b, "1987-04-08", "1987-04-08").score > 0.99, (a, b)


def test_birth_date_conflict_outweighs_a_name_match() -> None:
    same = compare_two("Mohamed Ali", "Mohammed Ali", "1990-03-01", "1990-03-01")
    other = compare_two("Mohamed Ali", "Mohammed Ali", "1990-03-01", "1975-11-20")
    assert same.score > 0.99 and other.score < 0.05


def test_partial_and_swapped_dates_still_agree() -> None:
    year_only = compare_two("Tarek Belkacem", "Tarek Belkacem", "1988", "1988-05-17")
    swapped = compare_two("Tarek Belkacem", "Tarek Belkacem", "1988-05-07", "1988-07-05")
    conflict = compare_two("Tarek Belkacem", "Tarek Belkacem", "1988", "1979-05-17")
    assert year_only.weight > swapped.weight - 10 and swapped.weight > conflict.weight + 8


def test_common_names_count_for_little_rare_ones_for_much() -> None:
    holdings = [rec(f"p{i}", f"Mohamed Ali {s}") for i, s in enumerate(["Hassan", "Omar"] * 40)]
    holdings += [rec("rare", "Ilyas Zerktouni"), rec("common", "Mohamed Ali")]
    index = ScreeningIndex.build((r.record_id, r) for r in holdings)
    common = index.screen(rec("q1", "Mohammed Ali"), limit=1)[0]
    rare = index.screen(rec("q2", "Ilyas Zerktouni"), limit=1)[0]
    assert rare.key == "rare" and common.key == "common"
    assert rare.weight > common.weight + 5


def test_explanation_names_each_term() -> None:
    result = compare_two("Abdelhamid Zerktouni", "Abdel-Hamid Zerktoni", "1987", "1987-04-08")
    details = " | ".join(t.detail for t in result.terms)
    assert "zerktouni" in details and "birth year same" in details
    assert all(isinstance(t.weight, float) for t in result.terms)


def test_a_different_person_with_a_shared_given_name_is_not_a_match() -> None:
    assert compare_two("Ahmed Karimi", "Ahmed Boukhari").score < 0.2


NAMES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=40
)
LATINISH = st.lists(
    st.sampled_from(["abu", "al", "abd", "mohamed", "ali", "el", "ben", "youssef", "omar", "x"]),
    min_size=1,
    max_size=5,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(NAMES, NAMES)
def test_nothing_crashes_on_any_unicode(a: str, b: str) -> None:
    if not a.strip() or not b.strip():
        return
    result = compare_records(rec("a", a), rec("b", b))
    assert 0.0 <= result.score <= 1.0


@settings(max_examples=150, deadline=None)
@given(LATINISH | NAMES, LATINISH | NAMES)
def test_comparison_is_symmetric(a: str, b: str) -> None:
    if not a.strip() or not b.strip():
        return
    ab = compare_records(rec("a", a), rec("b", b)).weight
    ba = compare_records(rec("b", b), rec("a", a)).weight
    assert abs(ab - ba) < 1e-9


@settings(max_examples=150, deadline=None)
@given(LATINISH | NAMES, LATINISH | NAMES)
def test_a_name_matches_itself_at_least_as_well_as_anything_else(a: str, b: str) -> None:
    if not a.strip():
        return
    itself = compare_records(rec("a", a), rec("a2", a)).weight
    other = compare_records(rec("a", a), rec("b", b)).weight if b.strip() else float("-inf")
    assert itself >= other - 1e-9


def test_a_swapped_date_weighs_its_swap_rate_among_dates_that_have_a_swap() -> None:
    """u of the swapped level is one date's chance among dates that have a swap, so m is the
    share of such dates a clerk swaps (3 % of all dates: 0.03 over the 36 % with a day of 12 or
    less that is not the month), not of every date; a swap still weighs less than the same date."""
    same = compare_two("Tarek Belkacem", "Tarek Belkacem", "1988-05-07", "1988-05-07")
    swapped = compare_two("Tarek Belkacem", "Tarek Belkacem", "1988-05-07", "1988-07-05")
    month_only = compare_two("Tarek Belkacem", "Tarek Belkacem", "1988-05", "1988-05-17")
    swappable = (12 * 12 - 12) / 365.25
    expected = math.log2(0.03 / swappable * 16000)
    terms = {t["feature"]: t["weight"] for t in swapped.explanation()}
    assert abs(float(str(terms["birth_date"])) - expected) < 0.05
    assert month_only.weight < swapped.weight < same.weight - 2
