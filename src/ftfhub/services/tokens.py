"""Bearer tokens: `ftf_<public id>_<secret>`; only an Argon2 hash of the secret is stored.

The public id is 12 random hex digits, the token row's name (a row id would tell whoever is
handed a token how many the hub has issued); a token issued before that (migration 0009)
keeps its row number as its public id, so it goes on working as it was handed out.

The secret is 256 random bits, not a password a person chose, so the hash needs no heavy
stretching: Argon2id at OWASP's minimum cost (19 MiB, 2 passes) keeps each check near 0.1 s.
"""

from __future__ import annotations

import re
import secrets

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_HASHER = PasswordHash((Argon2Hasher(time_cost=2, memory_cost=19456, parallelism=1),))
PREFIX = "ftf"


PUBLIC_ID = re.compile(r"[0-9a-f]{1,12}")
"""What a public id may be: a new one is 12 hex digits, an old one a decimal number."""


def new_public_id() -> str:
    return secrets.token_hex(6)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return _HASHER.hash(secret)


def secret_matches(secret: str, stored_hash: str) -> bool:
    try:
        return _HASHER.verify(secret, stored_hash)
    except Exception:  # a malformed stored hash never lets anyone in
        return False


def compose(public_id: str, secret: str) -> str:
    return f"{PREFIX}_{public_id}_{secret}"


def split(token: str) -> tuple[str, str] | None:
    """(public id, secret) of a well-formed token, else None: the public id is what a
    token's may be (`PUBLIC_ID`), so nothing longer or stranger is looked up."""
    prefix, _, rest = token.strip().partition("_")
    public_id, _, secret = rest.partition("_")
    if prefix != PREFIX or not secret or not PUBLIC_ID.fullmatch(public_id):
        return None
    return public_id, secret
