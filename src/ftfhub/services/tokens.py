"""Bearer tokens: `ftf_<id>_<secret>`; only an Argon2 hash of the secret is stored.

The secret is 256 random bits, not a password a person chose, so the hash needs no heavy
stretching: Argon2id at OWASP's minimum cost (19 MiB, 2 passes) keeps each check near 0.1 s.
"""

from __future__ import annotations

import secrets

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_HASHER = PasswordHash((Argon2Hasher(time_cost=2, memory_cost=19456, parallelism=1),))
PREFIX = "ftf"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return _HASHER.hash(secret)


def secret_matches(secret: str, stored_hash: str) -> bool:
    try:
        return _HASHER.verify(secret, stored_hash)
    except Exception:  # a malformed stored hash never lets anyone in
        return False


def compose(token_id: int, secret: str) -> str:
    return f"{PREFIX}_{token_id}_{secret}"


def split(token: str) -> tuple[int, str] | None:
    """(token id, secret) of a well-formed token, else None. The id is ASCII digits that fit
    a 64-bit database integer: a longer one (or a `²` that `isdigit` takes) is a forged token,
    not an overflow in the database driver."""
    prefix, _, rest = token.strip().partition("_")
    token_id, _, secret = rest.partition("_")
    if prefix != PREFIX or not secret or not (token_id.isascii() and token_id.isdigit()):
        return None
    number = int(token_id)
    return (number, secret) if number < 2**63 else None
