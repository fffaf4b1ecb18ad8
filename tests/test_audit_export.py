"""`ftfhub audit export` and the standalone verifier: an oversight body recomputes the chain
from a file, without ftfhub, and any change to the file is named by line and field."""

from __future__ import annotations

import ast
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from ftfhub.cli import app
from ftfhub.demo import run_demo
from verifier_tool import VERIFIER, verifier


class Demo:
    """A small demo world (every kind of event the loop writes), with its users' tokens."""

    def __init__(self, folder: Path) -> None:
        report = run_demo(folder, fighters=12, travellers=150, seed=5, console=Console(quiet=True))
        self.url = report.database
        self.demo_export = Path(report.audit_export)
        self.tokens = {name: token for name, _agency, _role, token in report.users}
        queries = folder / "queries.csv"
        queries.write_text("record_id,name\nq1,Karim Benali\n", encoding="utf-8")
        code, output = self.invoke(
            "analyst-be-piu",
            "screen",
            str(queries),
            "--purpose",
            "flight check",
            "--threshold",
            "0.35",
        )
        assert code == 0, output

    def invoke(self, user: str, *args: str) -> tuple[int, str]:
        env = {"FTFHUB_DATABASE_URL": self.url, "FTFHUB_TOKEN": self.tokens[user]}
        result = CliRunner().invoke(app, list(args), env=env)
        return result.exit_code, result.output

    def export(self, path: Path, *args: str, user: str = "auditor") -> str:
        code, output = self.invoke(
            user, "audit", "export", "--purpose", "annual review", "--output", str(path), *args
        )
        assert code == 0, output
        return output

    def rows(self, query: str) -> list[Any]:
        engine = create_engine(self.url)
        try:
            with engine.connect() as connection:
                return list(connection.execute(text(query)))
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return Demo(tmp_path_factory.mktemp("oversight") / "world")


@pytest.fixture(scope="module")
def exported(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("export") / "trail.jsonl"
    demo.export(path)
    return path.read_bytes()


def lines_of(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def first_problem(data: bytes, **kw: Any) -> Any:
    result = verifier.verify(data, **kw)
    assert result.problems, "the verifier found nothing wrong"
    return result.problems[0]


def test_a_demo_trail_exports_and_verifies_with_the_standard_library_alone(
    demo: Demo, exported: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "trail.jsonl"
    path.write_bytes(exported)
    # -I -S: no site-packages, so ftfhub cannot be imported even by accident.
    run = subprocess.run(
        [sys.executable, "-I", "-S", str(VERIFIER), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("OK:")
    manifest = json.loads(lines_of(exported)[-1])
    events = [json.loads(line) for line in lines_of(exported)[:-1]]
    assert manifest["events"] == len(events) > 100 and manifest["withheld"] == 0
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert manifest["last_hash"] == events[-1]["hash"] == manifest["chain_head"]["hash"]
    assert {e["action"] for e in events} >= {
        "ingest",
        "hit.create",
        "hit.acknowledge",
        "hit.escalate",
        "screen",
    }


def test_the_verifier_imports_nothing_but_the_standard_library() -> None:
    tree = ast.parse(VERIFIER.read_text(encoding="utf-8"))
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert {name.split(".")[0] for name in imported} <= set(sys.stdlib_module_names) | {
        "__future__"
    }


def test_the_export_is_itself_an_event_naming_user_purpose_and_file(
    demo: Demo, tmp_path: Path
) -> None:
    path = tmp_path / "first.jsonl"
    demo.export(path, "--agency", "BE-FP")
    (last,) = demo.rows(
        "SELECT actor, agency, action, object_id, purpose, details FROM audit_events "
        "ORDER BY id DESC LIMIT 1"
    )
    details = last.details if isinstance(last.details, dict) else json.loads(last.details)
    assert (last.actor, last.agency, last.action, last.object_id, last.purpose) == (
        "auditor",
        "HUB",
        "audit.export",
        "BE-FP",
        "annual review",
    )
    assert details["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    later = tmp_path / "later.jsonl"
    demo.export(later)
    events = [json.loads(line) for line in lines_of(later.read_bytes())[:-1]]
    assert events[-1]["action"] == "audit.export" and events[-1]["details"] == details
    assert verifier.verify(later.read_bytes(), anchors=verifier.anchors_from(path)).problems == []


def test_the_export_event_gives_its_period_in_utc_with_its_zone(demo: Demo, tmp_path: Path) -> None:
    path = tmp_path / "period.jsonl"
    demo.export(path, "--since", "2026-11-01T10:00+01:00", "--until", "2100-01-01")
    later = tmp_path / "after.jsonl"
    demo.export(later)
    events = [json.loads(line) for line in lines_of(later.read_bytes())[:-1]]
    period = [e["details"] for e in events if e["action"] == "audit.export"][-1]
    assert (period["since"], period["until"]) == ("2026-11-01T09:00:00Z", "2100-01-01T00:00:00Z")
    assert verifier.verify(later.read_bytes()).problems == []


@pytest.mark.parametrize("user", ["analyst-be-fp", "supervisor-be-fp", "duty-officer", "hub-admin"])
def test_only_an_auditor_may_export(demo: Demo, tmp_path: Path, user: str) -> None:
    before = demo.rows("SELECT count(*) FROM audit_events")[0][0]
    path = tmp_path / "refused.jsonl"
    code, output = demo.invoke(
        user, "audit", "export", "--purpose", "curious", "--output", str(path)
    )
    assert code == 2 and "refused" in output and "export the audit trail" in output
    assert not path.exists() and list(tmp_path.iterdir()) == []
    # The refusal is in the trail: one event, naming who, the purpose and the rule.
    [(count,)] = demo.rows("SELECT count(*) FROM audit_events")
    assert count == before + 1
    [(actor, action, purpose, details)] = demo.rows(
        "SELECT actor, action, purpose, details FROM audit_events ORDER BY id DESC LIMIT 1"
    )
    assert (actor, action, purpose) == (user, "access.denied", "curious")
    assert json.loads(details)["rule"] == "role:audit.export"


def test_an_export_needs_a_stated_purpose(demo: Demo, tmp_path: Path) -> None:
    code, output = demo.invoke(
        "auditor", "audit", "export", "--purpose", "  ", "--output", str(tmp_path / "x.jsonl")
    )
    assert code == 2 and "purpose" in output
    assert list(tmp_path.iterdir()) == []


def _changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str) and len(value) == 64:
        return ("f" if value[0] != "f" else "e") + value[1:]
    if isinstance(value, str):
        return value[:-1] + ("9" if value[-1:] != "9" else "8") if value else "x"
    if isinstance(value, dict):
        return {**value, "note": "added later"}
    raise AssertionError(value)


EXPECTED_FIELD = {"id": "id", "prev_hash": "prev_hash", "hash": "hash"}


@pytest.mark.parametrize("name", [*verifier.HASHED, "hash"])
def test_changing_any_field_of_one_line_is_named_by_line_and_field(
    exported: bytes, name: str
) -> None:
    lines = lines_of(exported)
    number = len(lines) // 2
    event = json.loads(lines[number - 1])
    event[name] = _changed(event[name])
    lines[number - 1] = verifier.canonical_line(event)
    problem = first_problem(b"".join(lines))
    assert problem.line == number
    assert problem.field == EXPECTED_FIELD.get(name, "content"), problem


def test_a_deleted_line_is_named(exported: bytes) -> None:
    lines = lines_of(exported)
    gone = json.loads(lines[9])["id"]
    del lines[9]
    problem = first_problem(b"".join(lines))
    assert (problem.line, problem.field) == (10, "id")
    assert f"event {gone} is missing" in problem.message


def test_reordered_lines_are_named(exported: bytes) -> None:
    lines = lines_of(exported)
    lines[20], lines[21] = lines[21], lines[20]
    problem = first_problem(b"".join(lines))
    assert (problem.line, problem.field) == (21, "id")


@pytest.mark.parametrize("cut", ["manifest", "mid-line", "last-event"])
def test_a_truncated_file_is_named(exported: bytes, cut: str) -> None:
    lines = lines_of(exported)
    if cut == "manifest":
        data, where = b"".join(lines[:-1]), len(lines)
    elif cut == "mid-line":
        data, where = b"".join(lines[:30]) + lines[30][:40], 31
    else:  # an event cut from the end, the manifest kept
        data, where = b"".join(lines[:-2] + lines[-1:]), len(lines) - 1
    problem = first_problem(data)
    assert problem.line == where, problem
    if cut == "last-event":
        assert problem.field == "last_id" and "missing from the end" in problem.message


def test_an_edited_manifest_or_added_line_is_found(exported: bytes) -> None:
    lines = lines_of(exported)
    manifest = json.loads(lines[-1])
    manifest["events"] += 1
    problem = first_problem(b"".join([*lines[:-1], verifier.canonical_line(manifest)]))
    assert (problem.line, problem.field) == (len(lines), "events")
    appended = b"".join([*lines, lines[0]])
    assert first_problem(appended).line == len(lines)
    spaced = lines[5].replace(b'", "', b'",  "', 1)
    problem = first_problem(b"".join([*lines[:5], spaced, *lines[6:]]))
    assert problem.line == 6


def test_an_agency_export_withholds_the_others_events_yet_keeps_the_chain_checkable(
    demo: Demo, tmp_path: Path
) -> None:
    path = tmp_path / "be.jsonl"
    demo.export(path, "--agency", "BE-FP")
    data = path.read_bytes()
    assert verifier.verify(data).problems == []
    lines = [json.loads(line) for line in lines_of(data)]
    manifest, body = lines[-1], lines[:-1]
    shown = [e for e in body if e["kind"] == "event"]
    hidden = [e for e in body if e["kind"] == "withheld"]
    assert manifest["agency"] == "BE-FP" and shown and hidden
    assert all(set(e) == {"kind", "id", "prev_hash", "hash"} for e in hidden)
    assert all(
        e["agency"] == "BE-FP" or "BE-FP" in json.dumps(e["details"]) or e["object_id"] == "BE-FP"
        for e in shown
    )
    assert {"user.add", "agency.add", "hit.create"} <= {e["action"] for e in shown}
    raw = lines_of(data)
    index = next(i for i, e in enumerate(body) if e["kind"] == "withheld" and i > 0)
    del raw[index]
    assert first_problem(b"".join(raw)).line == index + 1


def test_the_export_carries_no_record_content(demo: Demo, exported: bytes) -> None:
    """The auditor reads the whole trail, never Record content: no name, birth date or
    document number of any Record is in the file."""
    text_ = exported.decode("utf-8")
    for (data,) in demo.rows("SELECT data FROM records"):
        record = data if isinstance(data, dict) else json.loads(data)
        for name in record["names"]:
            assert name["full"] not in text_
        for document in record.get("documents", []):
            assert document["number"] not in text_


def test_the_period_selects_events_and_a_bad_agency_or_period_is_refused(
    demo: Demo, tmp_path: Path
) -> None:
    code, output = demo.invoke("auditor", "audit", "export", "--purpose", "p", "--agency", "NOPE")
    assert code == 2 and "no agency NOPE" in output
    code, output = demo.invoke(
        "auditor",
        "audit",
        "export",
        "--purpose",
        "p",
        "--since",
        "2030-01-02",
        "--until",
        "2030-01-01",
    )
    assert code == 2 and "period is empty" in output
    path = tmp_path / "future.jsonl"
    demo.export(path, "--since", "2099-01-01")
    (manifest,) = [json.loads(line) for line in lines_of(path.read_bytes())]
    assert manifest["events"] == 0 and manifest["first_id"] is None
    assert verifier.verify(path.read_bytes()).problems == []


def test_an_export_to_standard_output_is_the_same_file(demo: Demo, tmp_path: Path) -> None:
    env = {"FTFHUB_DATABASE_URL": demo.url, "FTFHUB_TOKEN": demo.tokens["auditor"]}
    result = CliRunner().invoke(app, ["audit", "export", "--purpose", "piped"], env=env)
    assert result.exit_code == 0, result.output
    data = result.stdout_bytes
    assert verifier.verify(data).problems == []
    assert json.loads(lines_of(data)[-1])["exported_by"]["purpose"] == "piped"
    assert "verify_audit_export.py" in result.stderr and "sha256" in result.stderr


def test_the_verifiers_command_line(exported: bytes, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    good.write_bytes(exported)
    bad.write_bytes(exported.replace(b'"purpose": "', b'"purpose": "x', 1))
    manifest = json.loads(lines_of(exported)[-1])

    def run(*args: str) -> tuple[int, str]:
        done = subprocess.run(
            [sys.executable, "-I", "-S", str(VERIFIER), *args],
            capture_output=True,
            text=True,
            check=False,
        )
        return done.returncode, done.stdout + done.stderr

    code, output = run(str(bad))
    assert code == 1 and output.startswith(f"BROKEN: {bad}: line 1, field content")
    assert run(str(good), "--follows", str(good))[0] == 0
    assert run(str(good), "--head", f"{manifest['last_id']}:{manifest['last_hash']}")[0] == 0
    code, output = run(str(good), "--head", f"{manifest['last_id']}:{'0' * 64}")
    assert code == 1 and "rewritten" in output
    assert f"the head you kept (event {manifest['last_id']}, 0000" in output
    code, output = run(str(good), "--head", f"{manifest['last_id'] + 5}:{'0' * 64}")
    beyond = manifest["last_id"] + 5
    assert code == 0  # a head the export does not reach is said so, once
    assert f"note: the head you kept (event {beyond}) is outside this export" in output
    code, output = run(str(tmp_path / "missing.jsonl"))
    assert code == 2 and output.startswith("error:")
    assert run(str(good), "--head", "nonsense")[0] == 2


def test_the_oversight_guide_says_what_every_action_logs() -> None:
    from ftfhub.domain.vocab import AuditAction

    guide = (VERIFIER.parents[1] / "docs" / "oversight.md").read_text(encoding="utf-8")
    missing = [a.value for a in AuditAction if f"`{a.value}`" not in guide]
    assert missing == []


def test_the_demo_hands_out_its_trail_for_the_verifier(demo: Demo) -> None:
    data = demo.demo_export.read_bytes()
    assert verifier.verify(data).problems == []
    assert json.loads(lines_of(data)[-1])["exported_by"]["actor"] == "auditor"


def test_the_head_audit_verify_prints_checks_a_later_export(demo: Demo, tmp_path: Path) -> None:
    code, output = demo.invoke("auditor", "audit", "verify")
    assert code == 0, output
    (kept,) = [line.split("--head ")[1] for line in output.splitlines() if "--head " in line]
    path = tmp_path / "later.jsonl"
    demo.export(path)
    event_id, _, value = kept.partition(":")
    anchors = [(int(event_id), value, "the head kept")]
    assert verifier.verify(path.read_bytes(), anchors=anchors).problems == []
    lines = lines_of(path.read_bytes())
    line = json.loads(lines[int(event_id) - 1])
    assert line["id"] == int(event_id) and line["hash"] == value


def test_an_escalation_of_an_agencys_hit_is_about_that_agency() -> None:
    from ftfhub.services.audit_report import involves
    from ftfhub.store.models import AuditEvent

    escalation = AuditEvent(
        agency="HUB",
        action="hit.escalate",
        object_type="hit",
        object_id="7",
        details={"role": "duty-officer", "owner": "TR-EGM", "level": 1},
    )
    assert involves(escalation, "TR-EGM") and not involves(escalation, "BE-FP")
