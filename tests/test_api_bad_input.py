"""Every endpoint against bad input: no token, a wrong one, invalid JSON, an unknown field,
a 10 MB body, a non-UTF-8 manifest, another agency's hit, record or case — each answered with
a 4xx and a message that says what is wrong, and nothing written (records, hits, audit)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from acting import own_reference
from ftfhub.services import Database
from test_api import QUERY, TOKENS, auth, counts, hub

__all__ = ["hub"]  # the fixture, shared with test_api

BIG = 10 * 2**20
# (method, path, a valid JSON body or None, an unknown field to add to it)
WITH_BODY = [
    ("POST", "/match", QUERY, "birthdate"),
    ("POST", "/hits/1/ack", {"note": "seen"}, "nota"),
    ("POST", "/cases", {"subject": "I-1"}, "priorty"),
    ("PATCH", "/cases/1", {"officer": "o-1"}, "oficer"),
    ("POST", "/cases/1/category", {"category": "unassessed", "why": "w"}, "reason"),
    ("POST", "/cases/1/notes", {"text": "t"}, "txt"),
]
ALL = [
    *[(m, p) for m, p, _, _ in WITH_BODY],
    ("POST", "/manifests"),
    ("GET", "/records/BE-FP:000000000000"),
    ("GET", "/hits"),
    ("GET", "/cases"),
    ("GET", "/cases/1"),
]


def _error(answer: object) -> str:
    body = answer.json()  # type: ignore[attr-defined]
    message: str = body["error"]["message"]
    assert "Traceback" not in answer.text  # type: ignore[attr-defined]
    return message


@pytest.mark.parametrize(("method", "path"), ALL)
def test_no_token_or_a_forged_one_is_401_and_writes_nothing(
    hub: tuple[TestClient, Database], method: str, path: str
) -> None:
    client, db = hub
    before = counts(db)
    for headers in (
        {},
        {"Authorization": "Bearer ftf_2_forged"},
        {"Authorization": "Basic x"},
        {"Authorization": "Bearer ftf_99999999999999999999999_x"},  # no 64-bit id
    ):
        answer = client.request(method, path, headers=headers, json={})
        assert answer.status_code == 401, (headers, answer.text)
        assert "token" in _error(answer)
    assert counts(db) == before


@pytest.mark.parametrize(("method", "path", "body", "unknown"), WITH_BODY)
def test_invalid_json_unknown_fields_and_huge_bodies_are_refused(
    hub: tuple[TestClient, Database], method: str, path: str, body: dict[str, object], unknown: str
) -> None:
    client, db = hub
    before = counts(db)
    headers = {**auth("be-token"), "Content-Type": "application/json"}
    broken = client.request(method, path, content=b'{"note": "x",', headers=headers)
    assert broken.status_code == 400 and "not valid JSON" in _error(broken)
    misspelt = {**body, unknown: "x"}
    answer = client.request(method, path, content=json.dumps(misspelt), headers=headers)
    assert answer.status_code == 422, answer.text
    assert unknown in _error(answer) or unknown in answer.text
    huge = b'{"note": "' + b"x" * BIG + b'"}'
    answer = client.request(method, path, content=huge, headers=headers)
    assert answer.status_code == 413 and "bytes" in _error(answer)
    assert counts(db) == before


def test_a_chunked_body_past_the_limit_is_413_and_unreadable_json_says_why(
    hub: tuple[TestClient, Database],
) -> None:
    """A body sent without a Content-Length is cut off at the limit with the same 413; a body
    that is not UTF-8, or nested past what a parser follows, is a 400 that says so."""
    client, db = hub
    before = counts(db)
    headers = {**auth("be-token"), "Content-Type": "application/json"}

    def chunks() -> object:
        yield b'{"queries": {"a": {"name": "'
        for _ in range(BIG // 2**16):
            yield b"x" * 2**16
        yield b'"}}}'

    answer = client.post("/match", content=chunks(), headers=headers)  # type: ignore[arg-type]
    assert answer.status_code == 413 and "bytes" in _error(answer)
    latin1 = '{"queries": {"a": {"name": "Zérouali"}}}'.encode("latin-1")
    answer = client.post("/match", content=latin1, headers=headers)
    assert answer.status_code == 400 and "UTF-8" in _error(answer)
    deep = b"[" * 100_000 + b"]" * 100_000
    answer = client.post("/match", content=deep, headers=headers)
    assert answer.status_code == 400 and "nested" in _error(answer)
    assert counts(db) == before


def test_manifests_over_the_limit_or_not_utf8_are_refused_whole(
    hub: tuple[TestClient, Database],
) -> None:
    client, db = hub
    before = counts(db)
    rows = "record_id,name,birth_date\n" + "".join(
        f"T-{n},Traveller Number{n},1980-01-01\n" for n in range(BIG // 40)
    )
    answer = client.post("/manifests", content=rows.encode(), headers=auth("piu-token"))
    assert answer.status_code == 413 and "bytes" in _error(answer)
    cp1256 = "record_id,name\nT-1,عبد الكريم\n".encode("cp1256")
    answer = client.post("/manifests", content=cp1256, headers=auth("piu-token"))
    assert answer.status_code == 422 and "UTF-8" in _error(answer)
    answer = client.post(
        "/manifests?on_error=sometimes", content=b"record_id,name\n", headers=auth("piu-token")
    )
    assert answer.status_code == 422 and "on_error" in answer.text
    assert counts(db) == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [(m, p.replace("/1", "/" + "9" * 23), b) for m, p, b, _ in WITH_BODY if "/cases/1" in p]
    + [("GET", "/cases/" + "9" * 23, None)],
)
def test_a_case_number_no_database_row_can_have_is_422_not_500(
    hub: tuple[TestClient, Database], method: str, path: str, body: dict[str, object] | None
) -> None:
    client, db = hub
    before = counts(db)
    answer = client.request(method, path, json=body, headers=auth("be-token"))
    assert answer.status_code == 422, answer.text
    assert "must be at most" in _error(answer)
    assert counts(db) == before


@pytest.mark.parametrize("path", ["/hits", "/cases"])
def test_an_offset_past_any_database_integer_is_422_not_500(
    hub: tuple[TestClient, Database], path: str
) -> None:
    """An offset past 2^63 - 1 overflowed the database's integer: a 500 (hostile pass)."""
    client, _ = hub
    for offset in (str(2**63), "9" * 23):
        answer = client.get(f"{path}?offset={offset}", headers=auth("be-token"))
        assert answer.status_code == 422, answer.text
        assert "offset (in the query): must be at most" in _error(answer)
    assert client.get(f"{path}?offset={2**63 - 1}", headers=auth("be-token")).status_code == 200


def test_a_hit_asked_for_by_any_number_is_one_that_does_not_exist(
    hub: tuple[TestClient, Database],
) -> None:
    """A hit is named by its reference; a number, however large, is looked up as none."""
    client, db = hub
    before = counts(db)
    for asked in ("1", "9" * 23, "H-000000000000"):
        answer = client.post(f"/hits/{asked}/ack", json={"note": "x"}, headers=auth("be-token"))
        assert answer.status_code == 404, answer.text
        assert _error(answer) == f"hit {asked} is not one of BE-FP's"
    assert counts(db)[:2] == before[:2]


def test_another_agencys_hit_record_or_case_is_refused_with_a_reason(
    hub: tuple[TestClient, Database],
) -> None:
    client, db = hub
    loaded = (
        "record_id,name,birth_date,nationality,gender\nT-1,ZEROUALI<<ABDELKARIM,1987-04-08,BE,m\n"
    )
    assert client.post("/manifests", content=loaded.encode(), headers=auth("piu-token")).json()[
        "hits_raised"
    ]
    hit_id = client.get("/hits", headers=auth("be-token")).json()["owned"][0]["id"]
    subject = own_reference(db, "BE-FP")
    made = client.post("/cases", json={"subject": subject}, headers=auth("be-token")).json()
    before = counts(db)
    for method, path, body in (
        ("POST", f"/hits/{hit_id}/ack", {"note": "not ours"}),
        ("GET", f"/cases/{made['id']}", None),
        ("PATCH", f"/cases/{made['id']}", {"officer": "o-2"}),
        ("POST", f"/cases/{made['id']}/notes", {"text": "t"}),
    ):
        answer = client.request(method, path, json=body, headers=auth("fr-token"))
        assert 400 <= answer.status_code < 500, (path, answer.text)
        assert len(_error(answer)) > 10
    assert client.get("/hits", headers=auth("fr-token")).json()["owned"] == []
    assert counts(db)[:2] == before[:2]  # no record or hit written by a refused call
    assert TOKENS["fr-token"]


def test_a_422_names_the_field_in_the_hubs_words_never_pydantics(
    hub: tuple[TestClient, Database],
) -> None:
    """Each invalid value is answered with its field and what it must be, as the command line
    says it: pydantic's own texts ('Input should be…', 'String should have…') read as a
    library speaking, and said nothing about where a query parameter goes."""
    client, db = hub
    before = counts(db)
    headers = auth("be-token")
    cases = [
        ("POST", "/match", {"queries": {"q1": {"name": ""}}}, "queries.q1.name", "at least 1"),
        ("POST", "/match", {"queries": {"q1": {"gender": "m"}}}, "queries.q1.name", "required"),
        (
            "POST",
            "/match",
            {"queries": {"q1": {"name": "A B", "gender": "x"}}},
            "queries.q1.gender",
            "must be one of 'm', 'f' or ''",
        ),
        ("POST", "/match", {"queries": {"q1": {"name": 7}}}, "queries.q1.name", "must be text"),
        ("GET", "/hits?limit=many", None, "limit (in the query)", "whole number"),
        ("GET", "/hits?limit=0", None, "limit (in the query)", "at least 1"),
    ]
    for method, path, body, field, said in cases:
        answer = client.request(method, path, json=body, headers=headers)
        assert answer.status_code == 422, answer.text
        message = _error(answer)
        assert message.startswith(f"{field}: ") and said in message, message
        assert answer.json()["error"]["errors"][0]["field"] == field
        for library in ("Input should", "String should", "Field required", "pydantic", "url"):
            assert library not in answer.text, answer.text
    assert counts(db) == before


@pytest.mark.parametrize(("method", "path"), [*ALL, ("GET", "/health"), ("GET", "/docs")])
def test_no_answer_of_the_api_may_be_cached_or_sniffed(
    hub: tuple[TestClient, Database], method: str, path: str
) -> None:
    """A record, a hit or a case is personal data: no browser (the Swagger page calls the
    API from one) or proxy may keep it, and an error repeating what was asked is never read
    as a page. The API's answers carried neither header (hostile pass, 2026-12-01)."""
    client, _ = hub
    answers = [
        client.request(method, path, headers=auth("be-token")),
        client.request(method, path, headers=auth("forged")),
        client.post("/match", content=b"x" * (BIG + 1), headers=auth("be-token")),
    ]
    for answer in answers:
        assert answer.headers.get("cache-control") == "no-store", (answer.status_code, path)
        assert answer.headers.get("x-content-type-options") == "nosniff"
    page = client.get("/workbench/login")
    assert page.headers.get("cache-control") == "no-store"  # the workbench's own, once
    assert page.headers.get_list("cache-control") == ["no-store"]
