"""Each record's features kept in the persisted index (`index/kept.py`): read back equal to the
features its fields give, compared with the same scores, their parts numbered afresh in the
reading process so that no level cached for another pair is read, and an index written by
the previous format refused (and rebuilt by its caller), never misread."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from ftfhub.domain import RecordData
from ftfhub.domain.record import Document, Name, PartialDate
from ftfhub.index import ScreeningIndex, kept, version
from ftfhub.index.store import IndexStore, load, save
from ftfhub.matching import features, name_compare, part_levels
from ftfhub.matching.compare import compare_features
from ftfhub.matching.features import clear_caches, record_features

# Invented people, in the scripts and shapes the name analysis treats apart.
RECORDS = [
    RecordData(
        "k1",
        "watchlist",
        (Name("Kelvadin Tarvanek"), Name("Abu Zorvan al-Meskani", "alias")),
        birth_dates=(PartialDate(1984, 11, 2, "gregorian", "02/11/1984"),),
        nationalities=("BE", "MA"),
        gender="male",
        documents=(Document("passport", "BE", "QX77120"), Document("id", "MA", "")),
    ),
    RecordData(
        "k2",
        "watchlist",
        (Name("زورفان بن قلداس", "primary", "arabic"), Name("Abdul Qelvar Benzorvi")),
        birth_dates=(PartialDate(1402, None, None, "hijri", "1402"), PartialDate(1981)),
    ),
    RecordData("k3", "travel", (Name("TARVANEK/KELVADIN MR"),), gender="M"),
    RecordData(
        "k4",
        "watchlist",
        (Name("Umm Selvira"), Name("Nurvel Ould Qambesh"), Name("  ")),
        nationalities=("FR",),
    ),
    RecordData("k5", "watchlist", (Name("Zhou Qelin"), Name("Vanderbelk Orvin"))),
]


def test_features_read_back_equal_what_the_fields_give(tmp_path: Path) -> None:
    index = ScreeningIndex.build((r.record_id, r) for r in RECORDS)
    save(index, tmp_path / "v")
    loaded = load(tmp_path / "v")
    for position, record in enumerate(RECORDS):
        fresh = record_features(loaded.record(record.record_id))
        assert loaded.features(position) == fresh
        assert loaded.features(position) == record_features(record)
    # Equal parts are one part in the table, and one object once made.
    assert len(loaded.kept.part_rows) < sum(
        len(n.parts) for r in RECORDS for n in record_features(r).names
    )
    made: dict[object, set[int]] = {}
    for position in range(len(RECORDS)):
        for name in loaded.features(position).names:
            for part in name.parts:
                made.setdefault(part, set()).add(id(part))
    assert all(len(ids) == 1 for ids in made.values())
    assert any(p.text == "kelvadin" for p in made)  # k1 and k3 share it


def test_a_loaded_index_gives_the_same_scores_to_the_bit(tmp_path: Path) -> None:
    index = ScreeningIndex.build((r.record_id, r) for r in RECORDS)
    save(index, tmp_path / "v")
    loaded = load(tmp_path / "v")
    queries = [*RECORDS, RecordData("q", "travel", (Name("KELVADIN TARVANEC"),))]
    for query in queries:
        mine = record_features(query)
        for position in range(len(RECORDS)):
            a = index.compare(mine, position)
            b = loaded.compare(mine, position)
            assert a.weight.hex() == b.weight.hex()
            assert a.explanation() == b.explanation()


def test_parts_read_from_disk_are_numbered_in_the_reading_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The writing process numbers its parts from 0 …
    monkeypatch.setattr(features, "_UIDS", itertools.count())
    clear_caches()
    written = ScreeningIndex.build([("k1", RECORDS[0])])
    assert min(p.uid for n in written.features(0).names for p in n.parts) == 0
    save(written, tmp_path / "v")
    # … and so does a fresh reading process, whose own parts' levels are cached first.
    monkeypatch.setattr(features, "_UIDS", itertools.count())
    clear_caches()
    part_levels._LEVELS.clear()
    name_compare._MERGES.clear()
    query = record_features(RecordData("q", "watchlist", (Name("Quorbin Selvadrax"),)))
    for name in query.names:
        for a in name.parts:
            assert part_levels.part_level(a, a)[0] == "exact"  # cached under (uid, uid)
    ours = {p.uid for n in query.names for p in n.parts}
    assert min(ours) == 0
    loaded = load(tmp_path / "v")
    theirs = {p.uid for n in loaded.features(0).names for p in n.parts}
    assert not theirs & ours  # drawn after ours, never read from the file
    assert "uid" not in kept.PART_FIELDS
    # The pair's levels are its own: nothing agrees, as when both sides are analysed here.
    found = loaded.compare(query, 0)
    clear_caches()
    alone = compare_features(
        query,
        record_features(RECORDS[0]),
        loaded.frequency,
        loaded.scoring,
        loaded.nationality_frequency,
    )
    assert found.weight.hex() == alone.weight.hex()
    assert not any(t.level in ("exact", "similar") for t in found.terms)


def test_records_added_after_a_load_are_kept_when_saved_again(tmp_path: Path) -> None:
    index = ScreeningIndex.build((r.record_id, r) for r in RECORDS[:2])
    save(index, tmp_path / "v1")
    loaded = load(tmp_path / "v1")
    for record in RECORDS[2:]:
        loaded.add(record.record_id, record)
    loaded.remove("k1")
    save(loaded, tmp_path / "v2")
    again = load(tmp_path / "v2")
    assert len(again.kept) == len(again.keys) == len(RECORDS)
    for position, record in enumerate(RECORDS):
        assert again.features(position) == record_features(record)
    assert "k1" not in again


def test_an_index_of_the_previous_format_is_refused_and_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = IndexStore(tmp_path / "idx")
    current = ScreeningIndex.build((r.record_id, r) for r in RECORDS)
    # Written as the previous code wrote it: format 1, no features beside the fields.
    monkeypatch.setattr(version, "FORMAT", 1)
    version._code_digest.cache_clear()
    old = ScreeningIndex.build((r.record_id, r) for r in RECORDS)
    assert old.version != current.version
    folder = store.publish(old)
    for stem in ("features", "parts"):
        (folder / f"{stem}.bin").unlink()
        (folder / f"{stem}_offsets.bin").unlink()
    monkeypatch.undo()
    assert store.load() is None  # another version: the caller rebuilds
    with pytest.raises(ValueError, match="version"):
        load(folder)
    store.publish(ScreeningIndex.build((r.record_id, r) for r in RECORDS))
    rebuilt = store.load()
    assert rebuilt is not None and rebuilt.features(0) == record_features(RECORDS[0])


def test_an_index_without_its_features_or_with_too_few_is_refused(tmp_path: Path) -> None:
    store = IndexStore(tmp_path / "idx")
    folder = store.publish(ScreeningIndex.build((r.record_id, r) for r in RECORDS))
    (folder / "features_offsets.bin").unlink()
    assert store.load() is None  # same version, files missing: not used
    folder = store.publish(ScreeningIndex.build((r.record_id, r) for r in RECORDS))
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    meta["keys"].append("k6")
    (folder / "meta.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ValueError, match="other records"):
        load(folder)
    assert store.load() is None


@pytest.mark.parametrize("stem", ["features", "parts", "payload"])
def test_an_index_with_a_file_cut_short_is_refused(tmp_path: Path, stem: str) -> None:
    store = IndexStore(tmp_path / "idx")
    folder = store.publish(ScreeningIndex.build((r.record_id, r) for r in RECORDS))
    blob = folder / f"{stem}.bin"
    blob.write_bytes(blob.read_bytes()[:-5])
    with pytest.raises(ValueError, match="cut short"):
        load(folder)
    assert store.load() is None  # the caller rebuilds


def test_a_kind_written_as_an_enum_is_kept_as_its_string(tmp_path: Path) -> None:
    from ftfhub.domain.vocab import RecordKind

    record = RecordData("e", RecordKind.TRAVEL, (Name("Selvadrax Quorbin"),))
    index = ScreeningIndex.build([("e", record)])
    save(index, tmp_path / "v")
    assert load(tmp_path / "v").features(0).kind == "travel"
