"""What a fresh-clone pass through the API found, as a PIU operator sending messy manifests:
each test failed before its fix."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from ftfhub.services import Database
from test_api import auth, counts, hub

__all__ = ["hub"]  # the fixture, shared with test_api

PAXLST = (
    "UNA:+.? '\n"
    "UNB+UNOA:4+AIR1+DHS+070218:1545+000006640++DHS'\n"
    "UNH+PAX001+PAXLST:D:05B:UN:IATA'\n"
    "BGM+745'\n"
    "TDT+20+XQ123+++XQ'LOC+125+IST'DTM+189:2403011540:201'LOC+87+BRU'DTM+232:2403011740:201'\n"
    "NAD+FL+++DEMIR:YUSUF:CAN'ATT+2++M'DTM+329:850101'NAT+2+TR'DOC+P+U7654321'\n"
    "CNT+42:1'UNT+20+PAX001'{after}UNZ+1+000006640'"
)


def test_a_refused_manifest_names_the_manifest_never_the_servers_temporary_folder(
    hub: tuple[TestClient, Database],
) -> None:
    client, db = hub
    before = counts(db)
    twice = "record_id,name\nT-1,Pieter Janssens\nT-1,Pieter Janssens\n"
    answer = client.post("/manifests", content=twice.encode(), headers=auth("piu-token"))
    assert answer.status_code == 422
    message = answer.json()["error"]["message"]
    assert message.startswith("manifest refused, nothing stored: manifest, line 3")
    assert "/tmp" not in answer.text and "ftfhub-manifest-" not in answer.text
    # A file that cannot be read at all (NUL bytes) names it the same way.
    answer = client.post(
        "/manifests", content=b"record_id,name\nT-1,A\x00B\n", headers=auth("piu-token")
    )
    assert answer.status_code == 422 and answer.json()["error"]["message"].startswith("manifest: ")
    assert "ftfhub-manifest-" not in answer.text
    assert counts(db)[:2] == before[:2]


def test_a_manifest_loaded_with_a_note_says_so(hub: tuple[TestClient, Database]) -> None:
    client, _ = hub
    body = PAXLST.format(after="NAD+FL+++LATE:TRAVELLER'")  # after the message's end
    answer = client.post("/manifests", content=body.encode(), headers=auth("piu-token"))
    assert answer.status_code == 200, answer.text
    loaded = answer.json()
    assert loaded["added"] == 1 and loaded["rejected"] == []
    assert [w["field"] for w in loaded["warnings"]] == ["EDIFACT"]
    assert "after the end of the message" in loaded["warnings"][0]["message"]


def test_the_api_docs_load_nothing_from_the_internet(hub: tuple[TestClient, Database]) -> None:
    """/docs pulled Swagger UI's script and style from a public CDN: on an agency's closed
    network the page stayed blank."""
    client, _ = hub
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        scripts = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert scripts and all(url.startswith("/") for url in scripts), (page, scripts)
        for url in scripts:
            assert client.get(url).status_code == 200, url
