"""Identities through the services and the CLI: resolve, export, explain, judge, review, an
incremental run, and the audit trail (real SQLite, real DuckDB)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from acting import as_user
from ftfhub.domain.vocab import Role
from ftfhub.services import Database, InvalidRequest, NotFound, Unseen
from ftfhub.services.identities import (
    explain_identity,
    export_identities,
    identities_of,
    judge,
    resolve_identities,
    review_pairs,
)
from ftfhub.services.identity import grant
from ftfhub.services.ingest import ingest_file
from ftfhub.store.models import AuditEvent, Record

# Invented people; each listed by two agencies in their own spelling.
BE = (
    "record_id,name,aliases,birth_date,nationality,gender,documents\n"
    "BE-1,Abdelkarim Zerouali,Abu Yasin al-Hollandi,1987-04-08,BE,m,passport:BE:EH123456\n"
    "BE-2,Tarquin Vellacourt,,1979-11-02,BE,m,passport:BE:EH777001\n"
    "BE-3,Yannick Ostrowiecki,,1990-05-21,BE,m,\n"
    "BE-4,Corentin Malapert,,1984-02-13,BE,m,passport:BE:EH555123\n"
)
DE = (
    "record_id,name,aliases,birth_date,nationality,gender,documents\n"
    "DE-1,Abdelkarim Zeroual,,1987-04-08,BE,m,passport:BE:EH123456\n"
    "DE-2,Tarquin Velacourt,,1979-11-02,BE,m,\n"
    "DE-3,Ludovic Harcanville,,1966-08-30,FR,m,\n"
)
LATER = (
    "record_id,name,aliases,birth_date,nationality,gender,documents\n"
    "DE-9,Yannick Ostrowiecki,,1990-05-21,BE,m,\n"
)


@pytest.fixture()
def db(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'ids.db'}")
    for agency, text in (("BE-FP", BE), ("DE-BKA", DE)):
        path = tmp_path / f"{agency}.csv"
        path.write_text(text, encoding="utf-8")
        ingest_file(as_user(db, agency), path, "watchlist", raise_hits=False)
    return db


def _model_file(tmp_path: Path) -> Path:
    """A model trained on the synthetic world (a handful of records cannot train one)."""
    from ftfhub.linkage.model import LinkageModel

    path = Path(__file__).parent / "fixtures" / "linkage" / "model.json"
    assert LinkageModel.load(path).version
    return path


def _seed_model(db: Database, tmp_path: Path) -> None:
    from ftfhub.clock import utcnow
    from ftfhub.store.identities import ResolutionRun, save_run

    text = _model_file(tmp_path).read_text(encoding="utf-8")
    with db.transaction() as session:
        run = ResolutionRun(
            at=utcnow(), engine="duckdb", threshold=0.9, mode="full",
            model_version=json.loads(text)["version"], model=text,
        )  # fmt: skip
        save_run(session, run, [], [])


NEAR = "DE-4,Corentin Malapert,,,,m,\nDE-5,Yannick Ostrowieki,,1990,,,\n"


def resolved_with_near_pairs(path: Path) -> Database:
    """Both lists and two near misses of DE-BKA's resolved, and DE-BKA's records granted to
    BE-FP at summary level: a review queue with a partner's record in it."""
    db = Database(f"sqlite:///{path}")
    for agency, text in (("BE-FP", BE), ("DE-BKA", DE + NEAR)):
        csv_path = path.parent / f"{agency}.csv"
        csv_path.write_text(text, encoding="utf-8")
        ingest_file(as_user(db, agency), csv_path, "watchlist", raise_hits=False)
    _seed_model(db, path.parent)
    resolve_identities(as_user(db, "HUB", purpose="identity resolution test"))
    grant(as_user(db, "DE-BKA", Role.SUPERVISOR), "BE-FP", "summary")
    return db


def test_resolve_export_explain_judge_and_review(db: Database, tmp_path: Path) -> None:
    _seed_model(db, tmp_path)
    hub = as_user(db, "HUB", purpose="identity resolution test")
    summary = resolve_identities(hub)
    assert summary.mode == "full" and summary.records == 7
    ids = identities_of(hub)
    by_record = {m.record_id: i for i, ms in ids.items() for m in ms}
    assert by_record["BE-1"] == by_record["DE-1"]
    assert by_record["BE-2"] == by_record["DE-2"]
    assert by_record["BE-3"] != by_record["DE-3"]

    # Belgium sees only its own records: the Germans in its identities are hit-only and no
    # hit told Belgium of them (an identity run notifies no owner, so it tells no one).
    be = as_user(db, "BE-FP", purpose="")
    assert {m.agency for m in export_identities(be)} == {"BE-FP"}
    shown = export_identities(as_user(db, "BE-FP", purpose="case 17"))
    assert {m.agency for m in shown} == {"BE-FP"}

    view = explain_identity(hub, by_record["BE-1"])
    assert view.pairs and view.pairs[0].terms[0]["feature"] == "prior"
    assert any(t["feature"] == "document" for t in view.pairs[0].terms)
    # Nothing of another agency's in it for Belgium: no purpose asked (asking would tell).
    assert {m.agency for m in explain_identity(be, by_record["BE-1"]).members} == {"BE-FP"}
    with pytest.raises(NotFound):
        explain_identity(be, by_record["DE-3"])

    # An analyst says BE-2 and DE-2 are different people: the next runs keep them apart.
    # (The hub's analyst: each agency sees the other's record as a hit only, never judged.)
    judge(hub, "BE-FP/BE-2", "DE-BKA/DE-2", False, "different fathers")
    again = resolve_identities(hub, full=True)
    assert again.mode == "full"
    ids = identities_of(hub)
    by_record = {m.record_id: i for i, ms in ids.items() for m in ms}
    assert by_record["BE-2"] != by_record["DE-2"]

    # A new record is linked incrementally; the judgement still holds.
    later = tmp_path / "later.csv"
    later.write_text(LATER, encoding="utf-8")
    ingest_file(as_user(db, "DE-BKA"), later, "watchlist", raise_hits=False)
    step = resolve_identities(hub)
    assert step.mode == "incremental" and step.new_records == 1
    ids = identities_of(hub)
    by_record = {m.record_id: i for i, ms in ids.items() for m in ms}
    assert by_record["BE-3"] == by_record["DE-9"]
    assert by_record["BE-2"] != by_record["DE-2"]
    assert isinstance(review_pairs(hub), list)

    with db.transaction() as session:
        actions = [e.action for e in session.execute(select(AuditEvent)).scalars()]
    assert actions.count("identities.resolve") == 3
    assert "identity.judge" in actions and "identities.export" in actions


def test_cli_resolve_export_explain_and_judge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cli_world import set_up

    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    hub = set_up(tmp_path, {"BE-FP": [("ana", "analyst")], "HUB": [("hubby", "analyst")]})
    (tmp_path / "be.csv").write_text(BE, encoding="utf-8")
    hub.run("ana", "ingest", str(tmp_path / "be.csv"), "--kind", "watchlist")
    _seed_model(Database(f"sqlite:///{tmp_path / 'cli.db'}"), tmp_path)
    said = hub.run("hubby", "resolve")
    assert "identities" in said
    assert said.startswith("resolving new records")  # said before the wait, not only after
    target = tmp_path / "ids.csv"
    hub.run("hubby", "identities", "export", "--output", str(target), "--purpose", "audit")
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert len(rows) == 4 and set(rows[0]) == {"identity_id", "agency", "record_id"}
    identity = next(r["identity_id"] for r in rows if r["record_id"] == "BE-1")
    shown = hub.run("ana", "identities", "explain", identity, "--json")
    assert json.loads(shown[shown.index("{") :])["identity_id"] == identity
    code, output = hub.invoke("ana", "judge", "BE-FP/BE-1", "BE-FP/BE-2", "maybe")
    assert code == 2 and "same or different" in output
    hub.run("ana", "judge", "BE-FP/BE-1", "BE-FP/BE-2", "different", "--note", "two men")
    assert "pair(s) to review" in hub.run("ana", "review")


def test_a_hit_only_partners_record_shows_no_score_or_terms_in_explain_or_review(
    tmp_path: Path,
) -> None:
    """Hit-only means a partner learns that a record matches and whom to contact: not the
    weight of the pair (a review queue of probabilities below the hit threshold), nor its
    terms ('document same' says the owner holds that passport number)."""
    db = Database(f"sqlite:///{tmp_path / 'ids.db'}")
    near = "DE-4,Corentin Malapert,,,,m,\nDE-5,Yannick Ostrowieki,,1990,,,\n"
    for agency, text in (("BE-FP", BE), ("DE-BKA", DE + near)):
        path = tmp_path / f"{agency}.csv"
        path.write_text(text, encoding="utf-8")
        ingest_file(as_user(db, agency), path, "watchlist", raise_hits=False)
    _seed_model(db, tmp_path)
    hub = as_user(db, "HUB", purpose="identity resolution test")
    resolve_identities(hub)
    assert any(p.right.agency == "DE-BKA" for p in review_pairs(hub))  # uncertain pairs exist
    be = as_user(db, "BE-FP", purpose="case 17")
    assert all({p.left.agency, p.right.agency} == {"BE-FP"} for p in review_pairs(be))
    zerouali = {m.record_id: i for i, ms in identities_of(hub).items() for m in ms}["BE-1"]
    view = explain_identity(be, zerouali)
    assert {m.agency for m in view.members} == {"BE-FP"}  # no hit told BE-FP of DE-1
    assert view.pairs == ()
    # Shown as a summary (a score, as screening shows it), still without the terms.
    grant(as_user(db, "DE-BKA", Role.SUPERVISOR), "BE-FP", "summary")
    (pair,) = explain_identity(be, zerouali).pairs
    assert pair.probability > 0.9 and pair.terms == ()
    assert explain_identity(hub, zerouali).pairs[0].terms


def test_judge_takes_a_whole_reference_never_a_prefix(db: Database) -> None:
    """A prefix of a reference found the first record it began with: `DE-BKA:` judged any
    German record, and walking prefixes ('a', 'ab' …) told a hit-only owner's references and
    how many records it holds."""
    be = as_user(db, "BE-FP", purpose="case 17")
    with db.transaction() as session:
        digest = (
            session.execute(select(Record.content_hash).where(Record.agency_code == "DE-BKA"))
            .scalars()
            .first()
        )
    assert digest
    for probe in ("DE-BKA:", f"DE-BKA:{digest[:1]}", f"DE-BKA:{digest[:11]}", "DE-BKA:%"):
        with pytest.raises(InvalidRequest, match="not a record reference"):
            judge(be, "BE-FP/BE-1", probe, False, "probe")
    # A whole reference of a record Belgium was never told of (no hit, no identity: DE-BKA's
    # are hit-only) is answered exactly as a made-up one: trying references tells nothing.
    with pytest.raises(Unseen) as real:
        judge(be, "BE-FP/BE-1", f"DE-BKA:{digest[:12]}", False, "probe")
    with pytest.raises(Unseen) as made_up:
        judge(be, "BE-FP/BE-1", "DE-BKA:000000000000", False, "probe")
    assert str(real.value).replace(digest[:12], "000000000000") == str(made_up.value)


def test_review_shows_a_partners_record_only_for_a_stated_purpose(tmp_path: Path) -> None:
    """A pair with a partner's summary-level Record in the review queue is a read of that
    Record: it was listed, and audited, with an empty purpose."""
    db = resolved_with_near_pairs(tmp_path / "rev.db")
    stated = review_pairs(as_user(db, "BE-FP", purpose="case 17"))
    assert any("DE-BKA" in (p.left.agency, p.right.agency) for p in stated)
    unstated = review_pairs(as_user(db, "BE-FP", purpose=""))
    assert all({p.left.agency, p.right.agency} == {"BE-FP"} for p in unstated)
    with db.transaction() as session:
        purposes = [
            e.purpose
            for e in session.execute(select(AuditEvent)).scalars()
            if e.action == "identities.review"
        ]
    assert purposes == ["case 17", "review own pairs"]
