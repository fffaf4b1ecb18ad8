"""`ftfhub screen FILE --server URL`: the file read here, screened by a running `ftfhub serve`.

The file is read in blocks by the same reader as local screening (so a bad value is reported
here, with its line), each block's persons are sent to `POST /match` in requests of at most
`PER_REQUEST`, as the user of the token, with the stated purpose; the server applies the
policy and audits each request. The answers are read back into the same typed views local
screening produces, so the output is the same.
"""

from __future__ import annotations

import ipaddress
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from pydantic import TypeAdapter

from ftfhub.domain import RecordData
from ftfhub.domain.errors import IngestError
from ftfhub.domain.vocab import OnError
from ftfhub.policy.views import MatchView, ScreenResult, SkippedRow
from ftfhub.services import ServiceError
from ftfhub.services.screen_stream import ScreenedBlock, read_blocks

PER_REQUEST = 500
API_KINDS = ("watchlist", "travel")  # what POST /match takes
TIMEOUT = 300.0
_MATCHES = TypeAdapter(dict[str, list[MatchView]])


class ServerError(ServiceError):
    """The server refused a request, or could not be reached; the message says which."""


class _Unfollowed(urllib.request.HTTPRedirectHandler):
    """Redirects are not followed: urllib sent a 301/302/303's new request, to whatever host
    it named, with the token in its Authorization header."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_Unfollowed)


def in_clear_elsewhere(address: urllib.parse.SplitResult) -> bool:
    """Plain HTTP to a host other than this machine: the bearer token, the purpose and every
    name, birth date and document number screened would be readable on the way."""
    if address.scheme != "http":
        return False
    host = (address.hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True  # a name: it may resolve to any machine


def person_of(record: RecordData) -> dict[str, object]:
    """A parsed query as the API's person (the generic person file's fields)."""
    names = [n.full for n in record.names]
    return {
        "name": names[0] if names else "",
        "aliases": names[1:50],
        "birth_date": record.birth_dates[0].iso() if record.birth_dates else "",
        "nationality": list(record.nationalities)[:10],
        "gender": record.gender or "",
        "documents": [d.text() for d in record.documents][:10],
    }


def screen_remote(
    server: str,
    token: str,
    path: Path,
    *,
    purpose: str,
    threshold: float,
    limit: int,
    kind: str,
    on_error: str,
    encoding: str | None,
) -> Iterator[ScreenedBlock]:
    address = urllib.parse.urlsplit(server)
    if address.scheme not in ("http", "https") or not address.netloc:
        # `--server 127.0.0.1:8000` (no scheme) was a ValueError traceback from urllib
        raise ServerError(
            f"--server takes the server's address with its scheme, e.g. http://127.0.0.1:8000,"
            f" not '{server}'"
        )
    url = server.rstrip("/") + "/match"
    if kind not in API_KINDS:
        raise ServerError(f"--server screens {' or '.join(API_KINDS)} queries, not '{kind}'")
    if in_clear_elsewhere(address):
        raise ServerError(
            f"{server} is plain HTTP to another machine: your token and the persons screened "
            "would cross the network unencrypted; give the hub's https:// address (plain "
            "http:// is for this machine only: localhost, 127.0.0.1, ::1)"
        )
    for block in read_blocks(path, kind, encoding):
        results: list[ScreenResult | SkippedRow] = []
        batch: dict[str, RecordData] = {}
        for row in block.rows:
            if row.error is not None:
                if OnError(on_error) is OnError.ABORT:
                    e = row.error
                    raise IngestError(e.file, e.message, e.line, e.field)
                results.extend(_send(url, token, purpose, batch, threshold, limit, kind))
                batch = {}
                results.append(SkippedRow(row.error.line, str(row.error)))
            elif row.record is not None:
                batch[row.record.record_id] = row.record
                if len(batch) >= PER_REQUEST:
                    results.extend(_send(url, token, purpose, batch, threshold, limit, kind))
                    batch = {}
        results.extend(_send(url, token, purpose, batch, threshold, limit, kind))
        warnings = tuple(w for row in block.rows for w in row.warnings)
        yield ScreenedBlock(tuple(results), warnings, block.position, block.size)


def _send(
    url: str,
    token: str,
    purpose: str,
    batch: dict[str, RecordData],
    threshold: float,
    limit: int,
    kind: str,
) -> list[ScreenResult]:
    if not batch:
        return []
    body = {
        "queries": {key: person_of(record) for key, record in batch.items()},
        "threshold": threshold,
        "limit": limit,
        "kind": kind,
    }
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode("utf-8"),
        headers={
            "Authorization": f"Bearer {token}",
            # A header goes out as Latin-1: send the purpose's UTF-8 bytes (the server reads
            # them back as UTF-8), so a purpose in any script neither fails nor is garbled.
            "X-Purpose": purpose.encode("utf-8").decode("latin-1"),
            "Content-Type": "application/json",
        },
        method="POST",
    )
    not_ours = (
        f"{url} is not an ftfhub server's API: give the address ftfhub serve prints,"
        " e.g. http://127.0.0.1:8000"
    )
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as answer:
            found = _MATCHES.validate_python(json.loads(answer.read())["results"])
    except urllib.error.HTTPError as exc:
        if exc.code in (404, 405):  # another path of the server, or another server
            raise ServerError(not_ours) from None
        if 300 <= exc.code < 400:
            moved = exc.headers.get("Location", "")
            raise ServerError(
                f"{url} sends screening elsewhere ({exc.code} to {moved[:200]}): it is not "
                "followed with your token; give --server the hub's own address"
            ) from None
        raise ServerError(f"the server refused: {_message(exc)}") from None
    except (ValueError, KeyError, TypeError):  # an answer, but not /match's JSON
        raise ServerError(not_ours) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ServerError(f"cannot reach the server at {url}: {reason}") from None
    return [ScreenResult(key, tuple(found.get(key, ()))) for key in batch]


def _message(exc: urllib.error.HTTPError) -> str:
    try:
        error = json.loads(exc.read())["error"]
        return f"{error['message']} (HTTP {exc.code})"
    except (ValueError, KeyError, TypeError):
        return f"HTTP {exc.code} {exc.reason}"
