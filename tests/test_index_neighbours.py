"""A name part one letter away from the query's shares no blocking key with it, yet the model
may find the pair (a transliteration, a doubled letter, two parts written as one): the index
probes keys one letter away for the candidates an exact birth date or a document found."""

from __future__ import annotations

import dataclasses

import pytest

from ftfhub.domain import RecordData
from ftfhub.domain.record import Name, PartialDate
from ftfhub.index import ScreeningIndex
from ftfhub.index import candidates as candidates_module
from ftfhub.index import search as search_module
from ftfhub.index.keys import deletions, neighbour_keys, record_keys
from ftfhub.index.probes import pair_deletions, paired_keys
from ftfhub.matching.features import RecordFeatures, record_features
from ftfhub.matching.parameters import DEFAULT

# The prior a million records give: a shared given name and birth date are not enough alone.
MILLION = dataclasses.replace(DEFAULT, prior_weight=-20.6, prior_weight_travel=-24.1)
BORN = PartialDate(1984, 3, 17)


def test_deletions_leave_out_one_letter_of_the_skeleton_not_of_its_affixes() -> None:
    assert deletions("bzd") == ("zd", "bd", "bz")
    assert deletions("abd|lw") == ("abd|w", "abd|l")
    assert deletions("abu|abd|krm|din") == ("abu|abd|rm|din", "abu|abd|km|din", "abu|abd|kr|din")
    assert deletions("mn") == ()  # `m` and `n` would be neighbours of every such name
    assert deletions("abd|w") == ()


def test_two_skeletons_one_letter_apart_share_a_neighbour_key() -> None:
    def posted(key: str) -> set[str]:
        return {key, *(f"-{d}" for d in deletions(key))}

    for query, record in [("jzl", "jsl"), ("zd", "bzd"), ("abd|w", "abd|lw"), ("bzd", "zd")]:
        assert set(neighbour_keys((query,))) & posted(record), (query, record)
    assert not set(neighbour_keys(("jzl",))) & posted("mrzk")


def test_a_record_is_posted_under_its_parts_neighbour_keys() -> None:
    record = RecordData(record_id="r", kind="watchlist", names=(Name("Nabil Bouzzid"),))
    keys = record_keys(record_features(record))
    assert {"-zd", "-bd", "-bz", "-nb", "-nl", "-bl"} <= keys
    assert "bzd" in keys


def holdings(name: str) -> list[tuple[str, RecordData]]:
    """The listed record, born on `BORN`, and namesakes of its given name born on other
    days (so that the given name is not rare)."""
    listed = RecordData(
        record_id="r0",
        kind="watchlist",
        names=(Name(name),),
        birth_dates=(BORN,),
        gender="m",
        nationalities=("BE",),
    )
    given = name.split()[0]
    others = [
        RecordData(
            record_id=f"r{i}",
            kind="watchlist",
            names=(Name(f"{given} Haddad" if i % 2 else "Omar Chaoui"),),
            birth_dates=(PartialDate(1950 + i % 40, 1 + i % 12, 1 + i % 28),),
            gender="m",
        )
        for i in range(1, 300)
    ]
    return [("r0", listed), *((r.record_id, r) for r in others)]


def a_pair_the_model_finds(
    listed: str, travelling: str
) -> tuple[ScreeningIndex, RecordData, RecordFeatures]:
    """The index of one listed person and a traveller the model scores at 0.5 or above."""
    index = ScreeningIndex.build(holdings(listed), params=MILLION)
    query = dated_traveller(travelling)
    features = record_features(query)
    assert index.compare(features, index.positions["r0"]).score >= 0.5
    return index, query, features


def dated_traveller(name: str) -> RecordData:
    """A man travelling under `name` with the listed person's exact birth date."""
    return RecordData(
        record_id="t",
        kind="travel",
        names=(Name(name),),
        birth_dates=(BORN,),
        gender="m",
        nationalities=("BE",),
    )


@pytest.mark.parametrize(
    ("listed", "travelling"),
    [
        ("Nabil Hamrouchi", "NABIL AMROUCHI"),  # a letter more
        ("Samir El-Dschasuli", "SAMIR EL JAZOULI"),  # a letter changed
        ("Nabil Bouzzid", "NABIL BOU ZID"),  # two parts written as one
    ],
)
def test_a_part_one_letter_off_is_found_with_the_exact_birth_date(
    listed: str, travelling: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    index, query, features = a_pair_the_model_finds(listed, travelling)
    theirs = {k for n in record_features(index.record("r0")).names for p in n.parts for k in p.keys}
    parts = features.names[0].parts
    assert any(not set(p.keys) & theirs for p in parts)  # a part shares no key, not even loose
    assert [m.key for m in index.screen(query, 10, 0.5)] == ["r0"]
    # Without the neighbour keys the index would not have scored it.
    monkeypatch.setattr(candidates_module.NameSearch, "_neighbours", lambda *a, **k: None)
    assert [m.key for m in index.screen(query, 10, 0.5)] == []


def crowd(listed: RecordData) -> list[tuple[str, RecordData]]:
    """`listed` among others of other names, born on other days."""
    names = ("Omar Chaoui", "Karim Haddad", "Nadia Bennani", "Samir Azouzi", "Leila Mansouri")
    others = [
        RecordData(
            record_id=f"n{i}",
            kind="watchlist",
            names=(Name(names[i % len(names)]),),
            birth_dates=(PartialDate(1950 + i % 40, 1 + i % 12, 1 + i % 28),),
        )
        for i in range(1, 200)
    ]
    return [(listed.record_id, listed), *((r.record_id, r) for r in others)]


@pytest.mark.parametrize(
    ("listed", "query"),
    [
        # Two words of one name written as one on the other side (`BEN JELLOUN` ~
        # `Bencellun`), and the passport's own line beside the printed name: a bound that
        # counted each query part once fell under what the model gives (a true hit of the
        # demo world lost).
        (
            RecordData(
                record_id="r0",
                kind="watchlist",
                names=(Name("Yasemen bin Abbas Bencellun"),),
                birth_dates=(PartialDate(1958),),
                nationalities=("DE", "DZ"),
            ),
            RecordData(
                record_id="t",
                kind="travel",
                names=(Name("YASMINE BEN JELLOUN"), Name("BEN<JELLOUN<<YASMINE", "mrz")),
                birth_dates=(PartialDate(1958, 4, 20),),
                nationalities=("DE",),
            ),
        ),
        # A name in Arabic script with its kunya, no birth date, against its romanisation.
        (
            RecordData(
                record_id="r0",
                kind="watchlist",
                names=(Name("Jawad Musaev"),),
                birth_dates=(PartialDate(1992, 7, 12),),
                nationalities=("RU",),
            ),
            RecordData(
                record_id="t",
                kind="capture",
                names=(Name("جواد محمود موساييف"), Name("أبو حسن الشيشاني", "kunya")),
            ),
        ),
    ],
)
def test_what_the_model_finds_reaches_scoring_whatever_the_query_writes(
    listed: RecordData, query: RecordData
) -> None:
    """The cheap bound must never fall under the model: whatever the model scores at the
    threshold or above is among the matches (candidate recall)."""
    index = ScreeningIndex.build(crowd(listed))
    full = index.compare(record_features(query), index.positions["r0"]).score
    assert full > 0.0  # the model finds something to weigh
    # at a threshold just under the model's score, the record must still reach scoring
    for threshold in (full * 0.999, min(full * 0.999, 0.7)):
        assert "r0" in [m.key for m in index.screen(query, 10, threshold)], (full, threshold)


# A slip on a letter of a two-letter spelling (`rh` written for `gh`) changes two letters of
# one part's skeleton and one of the other's, so the two share no key one letter away: the
# query probes its keys less two neighbouring letters too (`index/probes.py`).
def test_pair_deletions_leave_out_two_neighbouring_letters_not_the_affixes() -> None:
    assert pair_deletions("rhzl") == ("zl", "rl", "rh")
    assert pair_deletions("abd|krm|din") == ()  # three letters: one letter off is enough
    assert pair_deletions("abu|mhmd") == ("abu|md", "abu|mh")
    assert pair_deletions("kzl") == ()
    assert paired_keys(("rhzl", "kzl")) == ("-zl", "-rl", "-rh")


def test_two_letters_against_one_share_a_paired_key_and_no_neighbour_key() -> None:
    def posted(key: str) -> set[str]:
        return {key, *(f"-{d}" for d in deletions(key))}

    assert not set(neighbour_keys(("rhzl",))) & posted("kzl")
    assert set(paired_keys(("rhzl",))) & posted("kzl")
    assert not set(paired_keys(("rhzl",))) & posted("mrk")


def plain(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(k for k in keys if not k.startswith("~"))


@pytest.mark.parametrize(
    ("listed", "travelling"),
    [("Karim Ghazouli", "KARIM RHAZOULI"), ("Nabil Ghanduri", "NABIL RHANDOURI")],
)
def test_a_two_letter_spelling_one_letter_off_is_found_with_the_exact_birth_date(
    listed: str, travelling: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    index, query, features = a_pair_the_model_finds(listed, travelling)
    theirs = {
        k
        for n in record_features(index.record("r0")).names
        for p in n.parts
        for k in (*p.keys, *(f"-{d}" for key in plain(p.keys) for d in deletions(key)))
    }
    mine = [plain(p.keys) for p in features.names[0].parts]
    # one part shares no key, not even one letter away
    assert any(not (set(keys) | set(neighbour_keys(keys))) & theirs for keys in mine)
    assert [m.key for m in index.screen(query, 10, 0.5)] == ["r0"]
    # Without the keys less two letters the index would not have scored it.
    monkeypatch.setattr(search_module, "paired_keys", lambda plain: ())
    assert [m.key for m in index.screen(query, 10, 0.5)] == []
