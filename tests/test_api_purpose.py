"""A purpose is taken from the X-Purpose header only: one sent in the address (`?purpose=`,
kept by access logs, proxies and browser histories) is refused with a message that says
where to send it, on every route that takes a purpose, and nothing is read or written."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

import test_api
from ftfhub.services import Database
from test_api import auth, counts

hub = test_api.hub  # the same hub as test_api's: three agencies, BE-FP's watchlist loaded


def _routes_taking_a_purpose(client: TestClient) -> list[tuple[str, str]]:
    """(method, path) of every operation the API's own document says takes X-Purpose."""
    spec = client.get("/openapi.json").json()
    return [
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if any(p["name"].lower() == "x-purpose" for p in operation.get("parameters", ()))
    ]


def test_a_purpose_in_the_address_is_refused_on_every_route_that_takes_one(
    hub: tuple[TestClient, Database],
) -> None:
    client, db = hub
    routes = _routes_taking_a_purpose(client)
    gets = [path for method, path in routes if method == "GET"]
    assert "/records/{reference}" in gets and "/hits" in gets and len(gets) >= 4
    before = counts(db)
    for method, path in routes:
        address = re.sub(r"\{[^}]+\}", "1", path)
        for query in ({"purpose": "case 42"}, {"Purpose": "case 42", "limit": "1"}):
            answer = client.request(method, address, params=query, headers=auth("fr-token"))
            assert answer.status_code == 400, (method, path, answer.text)
            message = answer.json()["error"]["message"]
            assert "X-Purpose header" in message and "Traceback" not in answer.text
    assert counts(db) == before  # nothing read, nothing written, no event


def test_the_header_alone_opens_a_partners_record_and_the_refusal_says_the_header(
    hub: tuple[TestClient, Database],
) -> None:
    client, _ = hub
    [match] = client.post(
        "/match", json={"queries": {"q": {"name": "Abdelkarim Zerouali"}}}, headers=auth("fr-token")
    ).json()["results"]["q"]
    reference = match["held"]["reference"]
    assert client.get(f"/records/{reference}", headers=auth("fr-token")).status_code == 200
    none = client.get(f"/records/{reference}", headers=auth("fr-token", purpose=""))
    said = none.json()["error"]["message"]
    assert none.status_code == 400 and "X-Purpose header" in said and "?purpose" not in said


def test_the_openapi_document_offers_the_header_not_a_query_parameter(
    hub: tuple[TestClient, Database],
) -> None:
    client, _ = hub
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/records/{reference}"]["get"]
    where = {(p["name"].lower(), p["in"]) for p in operation["parameters"]}
    assert ("x-purpose", "header") in where and ("purpose", "query") not in where
