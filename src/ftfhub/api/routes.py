"""The endpoints: each parses, calls one service with the caller's context, returns its
typed view (the policy has already cut it down)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi import Path as InPath
from starlette.concurrency import run_in_threadpool

from ftfhub.api.deps import PAGE, Ctx, Limit, Offset
from ftfhub.api.errors import ServiceUnavailable, TooLarge, Unprocessable
from ftfhub.api.schemas import (
    Acknowledgement,
    Health,
    ManifestResponse,
    MatchRequest,
    MatchResponse,
    RecordResponse,
    RotatedToken,
)
from ftfhub.api.zones import zoned
from ftfhub.domain import RecordData
from ftfhub.domain.errors import IngestError
from ftfhub.domain.vocab import HitStatus, OnError, RecordKind
from ftfhub.ingest.person_file import read_person
from ftfhub.policy.views import HitListing
from ftfhub.services import hits as hit_service
from ftfhub.services import identity as identity_service
from ftfhub.services.ingest import ingest_file
from ftfhub.services.records import show_record
from ftfhub.services.screening import screen_records_async
from ftfhub.settings import Settings

router = APIRouter()
MAX_QUERIES = 1000


@router.post("/match", response_model=MatchResponse, tags=["screening"])
async def match(ctx: Ctx, body: MatchRequest, request: Request) -> MatchResponse:
    """Screen persons against every agency's holdings; each result lists matches best first,
    as far as each owner's handling code lets the caller see them."""
    # A coroutine: the work is CPU in this process either way, and on the event loop it
    # costs no hand-over to a worker thread (the service waits for its audit commit and
    # for any row reads without holding the loop).
    limit = request.app.state.max_queries
    if len(body.queries) > limit:
        raise TooLarge(f"{len(body.queries)} queries in one request; at most {limit}")
    kind = RecordKind(body.kind)
    records: dict[str, RecordData] = {}
    warnings: dict[str, list[str]] = {}
    for query_id, person in body.queries.items():
        if not query_id.strip() or len(query_id) > 200:
            raise Unprocessable(f"queries: '{query_id[:40]}' is not a usable id (1-200 chars)")
        # Read as the command line reads a query file: a value that cannot be used (a date
        # that does not exist) is left out with a warning, and the person is screened on the
        # rest; a person without a name cannot be.
        parsed = read_person(person.row(query_id), f"queries.{query_id}", kind.value)
        if parsed.error is not None or parsed.record is None:
            why = parsed.error.message if parsed.error else "cannot be read"
            field = parsed.error.field if parsed.error else "*"
            raise Unprocessable(f"queries.{query_id}.{field}: {why}")
        records[query_id] = parsed.record
        if parsed.warnings:
            warnings[query_id] = [f"{w.field}: {w.message}" for w in parsed.warnings]
    results = await screen_records_async(ctx, records, threshold=body.threshold, limit=body.limit)
    return MatchResponse(results={r.query_id: list(r.matches) for r in results}, warnings=warnings)


@router.post("/manifests", response_model=ManifestResponse, tags=["travel"])
async def manifest(
    ctx: Ctx,
    request: Request,
    on_error: Annotated[OnError, Query(description="abort: one bad traveller refuses all")] = (
        OnError.ABORT
    ),
) -> ManifestResponse:
    """A flight's passenger list in the body (UN/EDIFACT PAXLST or PNRGOV, or the manifest
    CSV in UTF-8): stored as the caller's travel Records, every traveller screened against
    the other agencies' holdings, hits raised. Nothing is stored when it is refused."""
    raw = await request.body()
    if not raw.strip():
        raise Unprocessable("the body is empty: send the manifest itself")
    if not raw.lstrip().startswith((b"UNA", b"UNB", b"UNH")):  # EDIFACT names its charset
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Unprocessable(
                f"the manifest is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset "
                f"{exc.start}): send it as UTF-8"
            ) from None
    return await run_in_threadpool(_load_manifest, ctx, raw, on_error)


def _load_manifest(ctx: Ctx, raw: bytes, on_error: OnError) -> ManifestResponse:
    """Load the body as a file named `manifest`: every message names it so, never the
    server's temporary folder (which said where and how the server keeps uploads)."""
    with tempfile.TemporaryDirectory(prefix="ftfhub-manifest-") as folder:
        path = Path(folder) / "manifest"
        path.write_bytes(raw)
        try:
            report = ingest_file(
                ctx,
                path,
                RecordKind.TRAVEL,
                on_error=on_error,
                encoding=None,
                threshold=Settings.from_env().hit_threshold,  # the hub's, as every face's
            )
        except IngestError as exc:
            raise IngestError("manifest", exc.message, exc.line, exc.field) from None
    report.errors[:] = [replace(e, file="manifest") for e in report.errors]
    if report.aborted:
        first = report.errors[0] if report.errors else None
        raise Unprocessable(
            f"manifest refused, nothing stored: {first}" if first else "manifest refused"
        )
    return ManifestResponse(
        file="manifest",
        format_encoding=report.encoding,
        travellers=report.rows_read,
        added=report.added,
        new_versions=report.new_versions,
        unchanged=report.unchanged,
        hits_raised=report.hits_raised,
        rejected=[{"line": e.line, "field": e.field, "message": e.message} for e in report.errors],
        # What the command line prints as "loaded, but: …" (a message whose trailer does not
        # match its header, a value read leniently): an API caller was told nothing of it.
        warnings=[
            {"line": w.line, "field": w.field, "message": w.message} for w in report.warnings
        ],
        rule_hits=[
            {"rule": h.rule, "record_id": h.record_id, "reasons": list(h.reasons)}
            for h in report.rule_hits
        ],
    )


@router.get("/records/{reference}", response_model=RecordResponse, tags=["records"])
def record(ctx: Ctx, reference: str) -> RecordResponse:
    """One Record by its owner's reference (`AGENCY:xxxxxxxxxxxx`), as far as the caller may
    see it; another agency's needs a stated purpose (the X-Purpose header)."""
    return RecordResponse(record=zoned(show_record(ctx, reference)))


@router.get("/hits", response_model=HitListing, tags=["hits"])
def hits(
    ctx: Ctx, status: HitStatus | None = None, limit: Limit = PAGE, offset: Offset = 0
) -> HitListing:
    """The hits the caller's agency must answer, and those on its own records: a page of
    `limit` hits: those the agency must answer, then those it raised on partners' records,
    each most urgent first (earliest deadline, then the oldest, then reference);
    while `more`, the next page is at `next_offset`."""
    return zoned(hit_service.list_hits(ctx, status, limit=limit, offset=offset))


HitRef = Annotated[str, InPath(max_length=64, description="the hit's reference, H-…")]
"""A hit by its reference. Anything else (a row number above all) is answered as a hit that
does not exist, never looked up."""


@router.post("/hits/{ref}/ack", status_code=204, tags=["hits"])
def acknowledge(ctx: Ctx, ref: HitRef, body: Acknowledgement | None = None) -> None:
    """Acknowledge a hit the caller's agency owns (stops its escalation)."""
    hit_service.acknowledge(ctx, ref, body.note if body else "")


@router.post("/tokens/rotate", response_model=RotatedToken, status_code=201, tags=["tokens"])
def rotate_token(ctx: Ctx) -> RotatedToken:
    """A new token for the caller, which only the caller has seen, for the one sent, which
    stops working (within a second): the admin saw the token it issued, and until it is
    rotated every event done with it names the admin (`token_issued_by`)."""
    issued = identity_service.rotate_token(ctx)
    return RotatedToken(token=issued.token, id=issued.token_id, expires_at=zoned(issued.expires_at))


@router.get("/health", response_model=Health, tags=["service"])
def health(request: Request) -> Health:
    """The process is up; with the index's version once it is loaded (null while loading),
    as /ready shows it."""
    index = request.app.state.index
    return Health(status="ok", index_version=index.version if index is not None else None)


@router.get("/ready", response_model=Health, tags=["service"])
def ready(request: Request) -> Health:
    """The index is loaded and the database answers: ready for traffic (else 503). Asked
    without a token, it says nothing of the holdings (not even how many records there are)."""
    index = request.app.state.index
    if index is None:
        raise ServiceUnavailable("the screening index is still loading")
    return Health(status="ok", index_version=index.version)
