"""Request bodies: the person fields of DESIGN.md's generic person file, and the batch.

Unknown fields are refused (a misspelt `birthdate` must not be silently ignored). Values go
through the same reader as a person file's row (`ingest.person_file.record_from_row`), so a
date, a country or a document is checked by the same rules on every face.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ftfhub.policy.views import MatchView, OtherRecord


def _split(value: object) -> object:
    """A `|`-separated string, as the person file writes a list, is taken as that list."""
    if isinstance(value, str):
        return [part.strip() for part in value.split("|") if part.strip()]
    return value


Listed = Annotated[list[str], BeforeValidator(_split)]
"""A list of strings, or one string `|`-separated as in the person file."""


class Person(BaseModel):
    """One person to screen, as a row of the generic person file (a list field may be a
    JSON list or, as in the file, one `|`-separated string)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=500, description="Full name, any script")
    aliases: Listed = Field(default_factory=list, max_length=50, description="any script")
    birth_date: str = Field("", max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")
    nationality: Listed = Field(
        default_factory=list, max_length=10, description="ISO 3166 alpha-2 codes"
    )
    gender: Literal["m", "f", ""] = ""
    documents: Listed = Field(
        default_factory=list, max_length=10, description="type:country:number"
    )

    def row(self, query_id: str) -> dict[str, object]:
        return {
            "record_id": query_id,
            "name": self.name,
            "aliases": "|".join(self.aliases),
            "birth_date": self.birth_date,
            "nationality": "|".join(self.nationality),
            "gender": self.gender,
            "documents": "|".join(self.documents),
        }


class MatchRequest(BaseModel):
    """Persons keyed by the caller's own ids; results come back under the same ids."""

    model_config = ConfigDict(extra="forbid")

    queries: dict[str, Person] = Field(description="caller's id → person")
    threshold: float = Field(0.5, ge=0.0, le=1.0, description="lowest score to report")
    limit: int = Field(10, ge=1, le=100, description="matches per query")
    kind: Literal["watchlist", "travel"] = Field(
        "watchlist", description="what the queries are: travellers weigh a match more carefully"
    )


class MatchResponse(BaseModel):
    results: dict[str, list[MatchView]] = Field(description="the caller's id → matches")
    warnings: dict[str, list[str]] = Field(
        default_factory=dict, description="values left out of a query (it was screened on the rest)"
    )


class Acknowledgement(BaseModel):
    """An answer to a hit: a misspelt field is refused, not ignored."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field("", max_length=2000)


class RecordResponse(BaseModel):
    record: OtherRecord


class ManifestResponse(BaseModel):
    """A manifest loaded as the caller's agency's travel Records and screened."""

    file: str
    format_encoding: str
    travellers: int
    added: int
    new_versions: int
    unchanged: int
    hits_raised: int
    rejected: list[dict[str, object]]
    warnings: list[dict[str, object]] = []  # loaded, but with a note (line, field, message)
    rule_hits: list[dict[str, object]] = []  # behaviour rules (FTFHUB_RULES): rule, record, reasons


class RotatedToken(BaseModel):
    """A token issued to its own user, shown once: only its hash is kept."""

    token: str
    id: str = Field(description="the token's public id, the part between `ftf_` and its secret")
    expires_at: datetime


class Health(BaseModel):
    status: Literal["ok", "starting"]
    index_version: str | None = None
