"""`ftfhub screen` in blocks (any length, constant memory, a progress bar on request) and
`--server` against a real `ftfhub serve` on loopback: the same output either way."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select
from typer.testing import CliRunner

from cli_world import Hub, set_up
from ftfhub.api import create_app
from ftfhub.cli import app
from ftfhub.domain.vocab import AuditAction
from ftfhub.services import Database
from ftfhub.services.index_access import forget_live_indexes
from ftfhub.services.screen_stream import read_blocks
from ftfhub.store.models import AuditEvent

LIST = (
    "record_id,name,aliases,birth_date,nationality,gender,documents,address\n"
    "BE-1,Abdelkarim Zerouali,Abu Yasin al-Hollandi,1987-04-08,BE,m,passport:BE:EH123456,\n"
    "BE-2,Karim Benhaddou,,1990-01-01,BE,m,,\n"
    "BE-3,Samira Oulad Ali,,1992-03-03,MA|BE,f,,\n"
)
QUERIES = (
    "record_id,name,aliases,birth_date,nationality,gender,documents,address\n"
    "q1,ZEROUALI<<ABDELKARIM,,1987-04-08,BE,m,passport:BE:EH123456,\n"
    'q2,Pieter Janssens,,1980-02-02,BE,m,,"Rue Haute 1\n1000 Brussels"\n'
    "q3,عبد الكريم زروالي,,1987,,,,\n"
    "q4,Karim Benhaddou,,1990-01-01,BE,m,,\n"
    "q5,Samira Ouled Ali,,1992-13-03,MA,f,,\n"  # a month that does not exist: a warning
    "q6,Jan de Vries,,1975-05-05,NL,m,,\n"
    "q7,Abdelkarim Zeroual,Abu Yassin,1987,BE,m,,\n"
)


@pytest.fixture()
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hub]:
    forget_live_indexes()
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    (tmp_path / "list.csv").write_text(LIST, encoding="utf-8")
    (tmp_path / "queries.csv").write_text(QUERIES, encoding="utf-8")
    world = set_up(tmp_path, {"BE-FP": [("fp", "analyst")], "BE-PIU": [("piu", "analyst")]})
    world.run("fp", "ingest", str(tmp_path / "list.csv"), "--kind", "watchlist")
    yield world
    forget_live_indexes()


def test_blocks_keep_the_files_line_numbers_and_quoted_cells_whole(tmp_path: Path) -> None:
    path = tmp_path / "queries.csv"
    path.write_text(QUERIES, encoding="utf-8")
    blocks = list(read_blocks(path, "watchlist", block_rows=2))
    assert len(blocks) >= 3
    rows = [row for block in blocks for row in block.rows]
    assert [r.record.record_id for r in rows if r.record] == [f"q{n}" for n in range(1, 8)]
    # q2's address runs over lines 3-4, so q3 is line 5 and q5 (the warning) line 7
    assert [r.line for r in rows] == [2, 3, 5, 6, 7, 8, 9]
    q2 = next(r.record for r in rows if r.record and r.record.record_id == "q2")
    assert q2 is not None and "1000 Brussels" in str(q2.to_json())
    [warning] = [w for r in rows for w in r.warnings]
    assert warning.line == 7 and warning.field == "birth_date"
    assert blocks[-1].position == blocks[-1].size == path.stat().st_size


def test_a_json_lines_file_and_an_encoding_held_through_every_block(tmp_path: Path) -> None:
    lines = [json.dumps({"record_id": f"j{n}", "name": f"Yıldız Şahin {n}"}) for n in range(7)]
    jsonl = tmp_path / "q.jsonl"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = [row for block in read_blocks(jsonl, "watchlist", block_rows=3) for row in block.rows]
    assert [r.line for r in rows] == list(range(1, 8))
    turkish = tmp_path / "q.csv"
    turkish.write_bytes(
        ("record_id,name\n" + "".join(f"t{n},Yıldız Şahin\n" for n in range(7))).encode("cp1254")
    )
    rows = [r for b in read_blocks(turkish, "watchlist", "cp1254", block_rows=2) for r in b.rows]
    assert {r.record.names[0].full for r in rows if r.record} == {"Yıldız Şahin"}


def test_screening_in_blocks_gives_what_one_block_gives_and_audits_each(
    hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = str(tmp_path / "queries.csv")
    whole = hub.run("piu", "screen", queries, "--purpose", "flight BA123")
    monkeypatch.setattr("ftfhub.services.screen_stream.BLOCK_ROWS", 2)
    before = _screen_events(tmp_path)
    blocks = hub.run("piu", "screen", queries, "--purpose", "flight BA123")
    assert _json_lines(blocks) == _json_lines(whole)
    assert len(_json_lines(whole)) == 7
    events = _screen_events(tmp_path)[len(before) :]
    assert len(events) == 4  # one per block of two rows
    assert sum(e.details["queries"] for e in events) == 7
    assert {e.purpose for e in events} == {"flight BA123"}


def test_a_progress_bar_on_stderr_only_when_asked(hub: Hub, tmp_path: Path) -> None:
    queries = str(tmp_path / "queries.csv")
    env = {"FTFHUB_TOKEN": hub.tokens["piu"]}
    args = ["screen", queries, "--purpose", "flight BA123"]
    shown = CliRunner().invoke(app, [*args, "--progress"], env=env)
    quiet = CliRunner().invoke(app, args, env=env)
    assert shown.exit_code == quiet.exit_code == 0, shown.output
    assert "screening" in shown.stderr and "100%" in shown.stderr
    assert "screening" not in quiet.stderr
    assert _json_lines(shown.stdout) == _json_lines(quiet.stdout)


class _Server:
    """`ftfhub serve`'s app under a real uvicorn on a free loopback port."""

    def __init__(self, db: Database) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(
            create_app(db, escalate_every=0), port=self.port, log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.server.started
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def test_screening_through_a_running_server_prints_the_same(hub: Hub, tmp_path: Path) -> None:
    queries = str(tmp_path / "queries.csv")
    local = hub.run("fp", "screen", queries, "--purpose", "case 12", "--threshold", "0.3")
    db = Database(f"sqlite:///{tmp_path / 'cli.db'}")
    with _Server(db) as url:
        remote = hub.run(
            "fp", "screen", queries, "--purpose", "case 12", "--threshold", "0.3", "--server", url
        )
        code, refused = hub.invoke("fp", "screen", queries, "--server", url)  # no purpose
        assert code == 2 and "purpose" in refused
        env = {"FTFHUB_TOKEN": "ftf_1_forged"}
        forged = CliRunner().invoke(
            app, ["screen", queries, "--purpose", "x", "--server", url], env=env
        )
        assert forged.exit_code == 2 and "token is not valid" in forged.output
    assert _json_lines(remote) == _json_lines(local)
    assert any(line["matches"] for line in _json_lines(local))
    # the warning for q5's birth date is the file's own, read on this side
    assert "line 7, field 'birth_date'" in " ".join(remote.split())
    code, other_kind = hub.invoke(
        "fp", "screen", queries, "--purpose", "x", "--kind", "notice", "--server", "http://x"
    )
    assert code == 2 and "not 'notice'" in other_kind
    code, unreachable = hub.invoke(
        "fp", "screen", queries, "--purpose", "x", "--server", f"http://127.0.0.1:{_free()}"
    )
    assert code == 2 and "cannot reach the server" in unreachable
    for typo in ("127.0.0.1:8000", "nonsense", "ftp://host"):  # a ValueError traceback
        code, bad = hub.invoke("fp", "screen", queries, "--purpose", "x", "--server", typo)
        assert code == 2 and "Traceback" not in bad, bad
        assert "e.g. http://127.0.0.1:8000" in " ".join(bad.split())


def test_a_server_address_that_is_not_ftfhubs_api_is_said_so(hub: Hub, tmp_path: Path) -> None:
    """`--server http://host:8000/workbench` answered `the server refused: HTTP 404 Not
    Found`, and a server that answers a POST with a web page (a proxy's log-in page) was a
    JSONDecodeError traceback."""
    import http.server
    import threading

    class Page(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html>please sign in</html>")

        def log_message(self, *args: object) -> None:
            pass

    queries = str(tmp_path / "queries.csv")
    page = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=page.serve_forever, daemon=True).start()
    try:
        addresses = [f"http://127.0.0.1:{page.server_address[1]}"]
        with _Server(Database(f"sqlite:///{tmp_path / 'cli.db'}")) as url:
            addresses.append(f"{url}/workbench")
            for address in addresses:
                code, said = hub.invoke(
                    "fp", "screen", queries, "--purpose", "x", "--server", address
                )
                said = " ".join(said.split())
                assert code == 2 and "Traceback" not in said, said
                assert f"{address}/match is not an ftfhub server's API" in said, said
    finally:
        page.shutdown()
        page.server_close()


def test_a_purpose_in_any_script_reaches_the_servers_audit_trail_whole(
    hub: Hub, tmp_path: Path
) -> None:
    """A header carries Latin-1 only: an Arabic purpose was a UnicodeEncodeError traceback."""
    queries = str(tmp_path / "queries.csv")
    purpose = "فحص الرحلة — contrôle"
    db = Database(f"sqlite:///{tmp_path / 'cli.db'}")
    with _Server(db) as url:
        hub.run("fp", "screen", queries, "--purpose", purpose, "--server", url)
    with db.transaction() as session:
        kept = session.execute(
            select(AuditEvent.purpose).where(AuditEvent.object_type == "api")
        ).scalars()
        assert purpose in set(kept)


def _free() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _json_lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def _screen_events(folder: Path) -> list[AuditEvent]:
    db = Database(f"sqlite:///{folder / 'cli.db'}")
    with db.transaction() as session:
        stmt = select(AuditEvent).where(AuditEvent.action == AuditAction.SCREEN.value)
        return list(session.execute(stmt.order_by(AuditEvent.id)).scalars())


def test_a_server_that_sends_screening_elsewhere_is_not_followed_with_the_token(
    hub: Hub, tmp_path: Path
) -> None:
    """A 302 from `--server` was followed by urllib with the token in its Authorization
    header, to whatever host the redirect named (hostile pass, 2026-12-01). It is refused,
    naming where it pointed, and the other host hears nothing."""
    import http.server

    heard: list[str] = []

    class Elsewhere(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            heard.append(self.headers.get("Authorization", ""))
            self.send_response(200)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Elsewhere)
    target = f"http://127.0.0.1:{other.server_address[1]}/collect"

    class Mover(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    mover = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Mover)
    for server in (other, mover):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        address = f"http://127.0.0.1:{mover.server_address[1]}"
        queries = str(tmp_path / "queries.csv")
        code, said = hub.invoke("fp", "screen", queries, "--purpose", "x", "--server", address)
        assert heard == []  # the token went to the other host
        said = " ".join(said.split())
        assert code == 2 and "Traceback" not in said, said
        assert f"sends screening elsewhere (302 to {target})" in said, said
    finally:
        for server in (other, mover):
            server.shutdown()
            server.server_close()


def test_plain_http_to_another_machine_is_refused_before_anything_is_sent(
    hub: Hub, tmp_path: Path
) -> None:
    """`--server http://hub.example` sent the bearer token, the purpose and every name and
    birth date screened unencrypted across the network; plain HTTP is for this machine."""
    queries = str(tmp_path / "queries.csv")
    for address in ("http://hub.example.invalid:8000", "http://192.0.2.7", "http://[2001:db8::1]"):
        code, said = hub.invoke("fp", "screen", queries, "--purpose", "x", "--server", address)
        said = " ".join(said.split())
        assert code == 2 and "unencrypted" in said and "cannot reach" not in said, said
    for address in ("https://hub.example.invalid", f"http://localhost:{_free()}"):
        code, said = hub.invoke("fp", "screen", queries, "--purpose", "x", "--server", address)
        assert code == 2 and "cannot reach the server" in " ".join(said.split()), said
