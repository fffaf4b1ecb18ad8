"""The screening index: same matches as scoring every record, kept current, persisted,
versioned, and brought up to date with the store after a restart."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from acting import ingest_with
from ftfhub.domain import RecordData
from ftfhub.domain.record import Document, Name, PartialDate
from ftfhub.index import ScreeningIndex
from ftfhub.index.location import index_root
from ftfhub.index.store import IndexStore, load, save
from ftfhub.matching.features import record_features

GIVEN = ["Karim", "Yassine", "Omar", "Nadia", "Samir", "Leila", "Tarek", "Imane", "Walid", "Amal"]
FAMILY = ["Benali", "Zerktouni", "Haddad", "Mansouri", "El Idrissi", "Chaoui", "Belkacem"]


def person(
    key: str, name: str, born: str = "", nat: str = "", kind: str = "watchlist"
) -> RecordData:
    dates = ()
    if born:
        parts = [int(p) for p in born.split("-")]
        dates = (PartialDate(parts[0], *([*parts[1:], None, None])[:2]),)
    return RecordData(
        record_id=key,
        kind=kind,
        names=(Name(name),),
        birth_dates=dates,
        nationalities=(nat,) if nat else (),
    )


def holdings(n: int, seed: int = 3) -> list[tuple[str, RecordData]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        name = f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        born = f"{rng.randint(1970, 1999)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if rng.random() < 0.3:
            born = born[:4]
        out.append((f"r{i}", person(f"r{i}", name, born, rng.choice(["MA", "BE", "FR", ""]))))
    return out


def brute_force(index: ScreeningIndex, query: RecordData, threshold: float) -> set[str]:
    """Every indexed record the model scores at or above `threshold`."""
    features = record_features(query)
    found = set()
    for key in index.positions:
        if index.compare(features, index.positions[key]).score >= threshold:
            found.add(key)
    return found


def test_candidates_reach_everything_the_model_finds() -> None:
    records = holdings(400)
    index = ScreeningIndex.build(records)
    rng = random.Random(9)
    queries = [rng.choice(records)[1] for _ in range(25)]
    queries += [person("t", "KARIM HADDAD", "1985-03-02", "MA", "travel")]
    total = 0
    for query in queries:
        expected = brute_force(index, query, 0.5)
        found = {m.key for m in index.screen(query, limit=1000, threshold=0.5)}
        assert found == expected
        total += len(expected)
    assert total >= 25  # each listed record finds itself at least


def test_remove_and_replace_keep_frequencies_current() -> None:
    index = ScreeningIndex.build(holdings(50))
    index.add("x", person("x", "Ilyas Qarawi", "1990-01-01"))
    before = index.frequency(record_features(index.record("x")).names[0].parts[1].freq_key)
    assert [m.key for m in index.screen(person("q", "Ilyas Qarawi", "1990-01-01"), limit=1)] == [
        "x"
    ]
    assert index.remove("x") and not index.remove("x")
    assert "x" not in index and len(index) == 50
    assert index.screen(person("q", "Ilyas Qarawi", "1990-01-01"), threshold=0.5) == []
    after = index.frequency(record_features(person("x", "Ilyas Qarawi")).names[0].parts[1].freq_key)
    assert after < before
    index.add("y", person("y", "Ilyas Qarawi", "1990-01-01"))
    index.add("y", person("y", "Nabil Sousi", "1975"))  # a correction replaces
    assert len(index) == 51
    assert index.screen(person("q", "Ilyas Qarawi", "1990-01-01"), threshold=0.5) == []


def test_exclude_owner_leaves_the_querying_agency_out() -> None:
    index = ScreeningIndex()
    index.add("a", person("a", "Ilyas Qarawi", "1990-01-01"), "BE-FP")
    index.add("b", person("b", "Ilyas Qarawi", "1990-01-01"), "DE-BKA")
    query = person("q", "Ilyas Qarawi", "1990-01-01")
    assert {m.owner for m in index.screen(query, exclude_owner="BE-FP")} == {"DE-BKA"}


def test_saved_index_loads_with_the_same_answers(tmp_path: Path) -> None:
    index = ScreeningIndex.build(holdings(300))
    index.add(
        "doc",
        RecordData(
            "doc",
            "watchlist",
            (Name("Qais Farouk"),),
            documents=(Document("passport", "BE", "EH1234"),),
        ),
    )
    index.remove("r7")
    save(index, tmp_path / "v1")
    loaded = load(tmp_path / "v1")
    assert len(loaded) == len(index) and "r7" not in loaded
    for _key, query in holdings(300)[:30]:
        a = [(m.key, round(m.score, 9)) for m in index.screen(query, threshold=0.3)]
        b = [(m.key, round(m.score, 9)) for m in loaded.screen(query, threshold=0.3)]
        assert a == b
    by_doc = RecordData(
        "q", "travel", (Name("KAIS FARUK"),), documents=(Document("P", "BE", "EH1234"),)
    )
    assert loaded.screen(by_doc, limit=1)[0].key == "doc"
    loaded.add("new", person("new", "Ilyas Qarawi", "1990-01-01"))  # grows after a load
    assert loaded.screen(person("q", "Ilyas Qarawi", "1990-01-01"), limit=1)[0].key == "new"


def test_publish_swaps_versions_and_refuses_a_stale_one(tmp_path: Path) -> None:
    store = IndexStore(tmp_path / "idx")
    assert store.load() is None
    first = store.publish(ScreeningIndex.build(holdings(20)))
    second = store.publish(ScreeningIndex.build(holdings(30)))
    assert store.current() == second and not first.exists()
    loaded = store.load()
    assert loaded is not None and len(loaded) == 30
    meta = second / "meta.json"
    meta.write_text(meta.read_text("utf-8").replace(loaded.version, "0" * 16), "utf-8")
    assert store.load() is None  # another model's index is never used


def test_index_root_is_beside_the_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FTFHUB_INDEX_DIR", raising=False)
    assert index_root(f"sqlite:///{tmp_path}/hub.db") == Path(f"{tmp_path}/hub.db.index")
    assert index_root("sqlite:///x.db", override=str(tmp_path)) == tmp_path


def test_the_services_index_is_persisted_and_follows_the_store(
    session: Session, fixtures_dir: Path
) -> None:
    from sqlalchemy import delete

    from ftfhub.services.index_access import forget_live_indexes, open_index, screening_index
    from ftfhub.store.models import Record

    url = session.get_bind().url.render_as_string(hide_password=False)
    forget_live_indexes()
    assert len(screening_index(session)) == 0
    session.add_all(_rows(session, ["Ilyas Qarawi", "Nabil Sousi", "Hakim Zerouali"]))
    session.commit()
    live = screening_index(session)
    assert len(live) == 3  # new rows caught up by the high-water mark
    first = session.query(Record).order_by(Record.id).first()
    assert first is not None
    first.superseded = True
    session.execute(
        delete(Record).where(Record.data["names"][0]["full"].as_string() == "Nabil Sousi")
    )
    session.commit()
    assert sorted(screening_index(session).keys_live()) == sorted(
        str(r.id) for r in session.query(Record).filter(Record.superseded.is_(False))
    )
    root = index_root(url)
    assert root is not None and (root / "CURRENT").exists()
    restarted = open_index(session, url)  # a new process: load, then catch up
    assert len(restarted) == 1
    forget_live_indexes()


def _rows(session: Session, names: list[str]) -> list[object]:
    from datetime import UTC, datetime

    from ftfhub.store.models import Agency, IngestBatch, Record

    session.add(Agency(code="BE-FP", name="BE-FP"))
    now = datetime.now(UTC)
    batch = IngestBatch(
        agency_code="BE-FP", kind="watchlist", file_name="f", file_sha256="0" * 64, created_at=now
    )
    session.add(batch)
    session.flush()
    rows: list[object] = []
    for i, name in enumerate(names):
        record = person(f"s{i}", name, "1990-01-01")
        rows.append(
            Record(
                agency_code="BE-FP",
                source_id=f"s{i}",
                kind="watchlist",
                primary_name=name,
                content_hash=str(i),
                data=record.to_json(),
                batch_id=batch.id,
                created_at=now,
            )
        )
    return rows


def test_a_database_made_again_under_the_same_name_gets_a_new_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index kept beside `ftfhub.db` is never served to a new database of that name."""
    from ftfhub.services.index_access import forget_live_indexes, screening_index
    from ftfhub.store.db import open_session

    monkeypatch.delenv("FTFHUB_INDEX_DIR", raising=False)
    (tmp_path / "list.csv").write_text(
        "record_id,name,birth_date\nA-1,Kelvadin Tarvanek,1970-01-01\n", encoding="utf-8"
    )
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    session = open_session(url)
    ingest_with(session, tmp_path / "list.csv", "BE-FP", "watchlist")
    assert len(screening_index(session)) == 1
    session.close()
    forget_live_indexes()
    (tmp_path / "hub.db").unlink()
    fresh = open_session(url)  # same name, new database: nothing in it
    assert len(screening_index(fresh)) == 0
    fresh.close()
