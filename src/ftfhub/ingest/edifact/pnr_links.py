"""The links between bookings of one PNRGOV message: same phone, e-mail, address or card.

Each contact is reduced to a key that leaves out what only the writing changes, so that the
same number, mailbox, street or card given two ways still links, and a value that says
nothing (`0000000`, `NONE//NONE.COM`, `UNKNOWN`, a card masked down to four digits with no
expiry) never does:

- phone: its digits, without the leading zeros of an international (`00`) or trunk (`0`)
  prefix; a national number (`0470 12 34 56`) is the same phone as the international one
  that ends with it (`+32 470 12 34 56`), when eight digits or more are shared;
- e-mail: lower case, without spaces; the AIRIMP forms are already undone by the reader;
- address: its letters and digits in order, in capitals, without its country code (SSR
  DOCA gives it apart, ADD within the address), so `14 Larkspur Row, London, E1 6AN` and
  `14 LARKSPUR ROW, LONDON, E16AN, GB` are one address;
- card: card type, the digits the sender left unmasked and the expiry. Four digits alone are
  shared by one card in ten thousand of a type: a message of a few hundred bookings would
  link strangers, so such a card links only with its expiry (or with eight digits or more).

A value given by more bookings than `MOST_BOOKINGS` is an agency's or airline's contact, not
a traveller's: it is not linked, and the reading says so.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ftfhub.domain import Payment, Relation
from ftfhub.ingest.countries import to_alpha2

MOST_BOOKINGS = 10
"""A contact given by more bookings of one message than this links none of them."""

PLACEHOLDER_WORDS = frozenset({
    "NONE", "NIL", "NA", "N/A", "NO", "UNKNOWN", "UNK", "TBA", "TBD", "XXX", "X", "NOTGIVEN",
    "NOADDRESS", "NOEMAIL", "NOMAIL", "NOPHONE", "NOREPLY", "DONOTREPLY", "TEST", "DUMMY",
})  # fmt: skip
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")


def phone_key(digits: str) -> str | None:
    """The digits of a phone without leading zeros; None for too few or a placeholder (one
    digit repeated, a run `1234567…`)."""
    key = re.sub(r"\D", "", digits).lstrip("0")
    if len(key) < 7 or len(set(key)) == 1 or key in _RUNS:
        return None
    return key


_RUNS = "12345678901234567890 98765432109876543210"


def email_key(address: str) -> str | None:
    """An e-mail in lower case without spaces; None for what is not one or a placeholder
    (`NONE//NONE.COM`, `NOEMAIL//…`)."""
    text = "".join(address.split()).lower()
    if not _EMAIL.match(text):
        return None
    local, _, domain = text.partition("@")
    if {local.upper().replace(".", ""), domain.split(".")[0].upper()} & PLACEHOLDER_WORDS:
        return None
    return text


def address_key(line: str) -> str | None:
    """An address's letters and digits in order, in capitals, without its country code (SSR
    DOCA gives the country apart, ADD within the line); None when too short to be one or
    nothing but placeholder words."""
    text = line.upper().strip()
    words = set(re.findall(r"[A-Z0-9/]+", text))
    parts = [part for part in text.split(",") if not _is_country(part)]
    key = re.sub(r"[^0-9A-Z]", "", "".join(parts))
    if len(key) < 6 or not re.search(r"[A-Z]", key) or words <= PLACEHOLDER_WORDS:
        return None
    return key


def _is_country(part: str) -> bool:
    code = part.strip()
    return 2 <= len(code) <= 3 and code.isalpha() and to_alpha2(code) is not None


def card_key(payment: Payment, expiry: str = "") -> str | None:
    """Card type, unmasked digits and expiry; None when too little is left to tell cards
    apart (no digits, or fewer than eight without an expiry)."""
    digits = re.sub(r"\D", "", payment.card_number)
    expiry = re.sub(r"\D", "", expiry)
    if len(digits) < 4 or (len(digits) < 8 and not expiry):
        return None
    return f"{payment.card_type.upper()}:{digits}:{expiry}"


def _phone_forms(keys: Iterable[str]) -> dict[str, str]:
    """Each phone key → the key it links by: a national number (`470123456`, eight digits or
    more) links as the one international number of the message that ends with it; with two
    such numbers it is left as it is (which one it is cannot be told)."""
    by_tail: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        by_tail[key[-8:]].add(key)
    forms = {}
    for same_tail in by_tail.values():
        for key in same_tail:
            longer = {k for k in same_tail if k != key and k.endswith(key)}
            forms[key] = longer.pop() if len(longer) == 1 and len(key) >= 8 else key
    return forms


@dataclass
class Contactable:
    """One traveller as the links see it: its booking and the keys of its contacts."""

    record_id: str
    name: str
    booking: object  # the booking it is on (travellers of one booking are travelled_with)
    anchor: int  # the segment its booking starts at, for a warning
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    cards: tuple[str, ...] = ()


def links(travellers: list[Contactable]) -> tuple[dict[str, list[Relation]], list[str]]:
    """The relations of each traveller (travelled with on its booking, and a shared contact
    with a traveller of another booking), and a warning for each contact too widely shared
    to link on."""
    found: dict[str, list[Relation]] = defaultdict(list)
    forms = _phone_forms(k for t in travellers for p in t.phones if (k := phone_key(p)))
    by_value: dict[tuple[str, str], list[Contactable]] = defaultdict(list)
    for t in travellers:
        keys = [("same_phone", forms[k]) for p in t.phones if (k := phone_key(p))]
        keys += [("same_email", k) for e in t.emails if (k := email_key(e))]
        keys += [("same_address", k) for a in t.addresses if (k := address_key(a))]
        keys += [("same_payment", card) for card in t.cards]
        for key in dict.fromkeys(keys):
            by_value[key].append(t)
    on_booking: dict[int, list[Contactable]] = defaultdict(list)
    for t in travellers:
        on_booking[id(t.booking)].append(t)
    for party in on_booking.values():
        for t in party:
            found[t.record_id] += [
                Relation("travelled_with", o.name, o.record_id) for o in party if o is not t
            ]
    seen = {record_id: set(relations) for record_id, relations in found.items()}
    warnings = []
    for (kind, value), group in by_value.items():
        bookings = {id(t.booking) for t in group}
        if len(bookings) > MOST_BOOKINGS:
            warnings.append(
                f"segment {group[0].anchor} (SRC): {kind.removeprefix('same_')} '{value}' is "
                f"given by {len(bookings)} bookings (an agency's or the airline's?); "
                "they are not linked by it"
            )
            continue
        for t in group:
            known = seen.setdefault(t.record_id, set())
            for other in group:
                relation = Relation(kind, other.name, other.record_id)
                if other.booking is not t.booking and relation not in known:
                    found[t.record_id].append(relation)
                    known.add(relation)
    return found, warnings
