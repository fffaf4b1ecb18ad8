"""The free-text fields inside PNRGOV segments, read per AIRIMP.

SSR DOCS (`/P/GBR/123456789/GBR/12JUL64/M/23AUG19/SMITH/JOHN/ROBERT`: document type, issuing
country, number, nationality, birth date, gender, expiry, surname, given name, middle name),
SSR DOCO (other document, usually a visa: place of birth, type, number, place of issue, issue
date, country it is valid for), SSR DOCA (address: type, country, street, city, state, postal
code), the contact lines of IFT (`CTCE NAME//EXAMPLE.COM`, `CTCP BOG 571 600 5820`), ADD
addresses and FOP forms of payment.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ftfhub.domain import Document, PartialDate, Payment
from ftfhub.ingest.edifact import values
from ftfhub.ingest.edifact.pnr_links import card_key
from ftfhub.ingest.edifact.syntax import Segment
from ftfhub.ingest.errors import FieldError
from ftfhub.ingest.fields import normalise_document_number

_CTC = re.compile(r"(?:^|\s)CTC([A-Z])?\s*([A-Z]{3})?\s*(.*)$")
_POSTCODE = re.compile(r"^(?=.*\d)[A-Z0-9][A-Z0-9 -]{1,9}$")
_PHONE_RUN = re.compile(r"\d[\d \-./()]{5,}\d")
_T = TypeVar("_T")
FOP_METHODS = {
    "CC": "card",
    "CA": "cash",
    "CK": "cheque",
    "MS": "miscellaneous",
    "IN": "invoice",
    "GR": "government",
    "NR": "non_refundable",
}


@dataclass(frozen=True)
class Docs:
    """What one SSR DOCS said; `names` are (surname, given names)."""

    segment: Segment
    document: Document | None
    nationality: str | None
    birth: PartialDate | None
    gender: str | None
    infant: bool
    surname: str
    given: str
    reference: str  # the traveller reference number the SSR points to, if any
    realigned: bool = False  # the fields were not in AIRIMP order and were read by their form


def ssr_code(segment: Segment) -> str:
    return segment.value(0).upper()


def ssr_text(segment: Segment) -> str:
    """The free text of an SSR (component 9 of its first element, or the first component
    after the carrier that holds a `/`)."""
    parts = segment.element(0)
    if len(parts) > 8 and parts[8].strip():
        return parts[8]
    found = next((p for p in parts[4:] if "/" in p), "")
    # some senders put the text in an element of its own (`SSR+DOCS:HK:1:ZZ+::1+/P/GBR/…`)
    later = (p for e in segment.elements[1:] for p in e if "/" in p)
    return found or next(later, "")


def ssr_reference(segment: Segment) -> str:
    """The traveller reference number an SSR points to (`+::1.1`), "" if none."""
    return segment.value(1, 2)


def _fields(text: str) -> list[str]:
    body = text.strip()
    body = body[1:] if body.startswith("/") else body
    return [f.strip() for f in body.split("/")]


def _nat(code: str, field: str) -> str | None:
    return values.country(code, field) if code.strip() else None


_SEXES = frozenset({"M", "F", "U", "X", "MI", "FI", "UI"})


def _is_day(text: str) -> bool:
    return bool(values.DDMMMYY.match(text.strip().upper()))


def _in_order(f: list[str]) -> bool:
    """Whether birth date, gender and expiry stand where AIRIMP puts them (or are empty)."""
    born, sex, expiry = f[4], f[5].upper(), f[6]
    dates_fit = (not born or _is_day(born)) and (not expiry or _is_day(expiry))
    return dates_fit and (not sex or sex in _SEXES)


def _name_like(text: str) -> bool:
    return bool(text.strip()) and not _is_day(text) and text.strip().upper() not in _SEXES


def align_docs(fields: list[str]) -> tuple[list[str], bool]:
    """The ten AIRIMP DOCS fields (type, issuer, number, nationality, birth, gender, expiry,
    surname, given, middle) and whether they had to be found by their form: a slash left out
    or doubled (`////14FEB14/M//DOE/KAJ`, `/P/GBR/Z1////DOE/JANE`) shifts every field after
    it, so the birth date followed by a gender anchors the rest, else the first name-like
    field after the document's part starts the names."""
    f = fields + [""] * 10
    if _in_order(f):
        return f[:10], False
    anchor = next(
        (i for i in range(len(fields) - 1) if _is_day(f[i]) and f[i + 1].upper() in _SEXES), None
    )
    if anchor is not None:
        head, tail = f[:anchor][-4:], f[anchor + 2 : len(fields)]
        document = head + [""] * (4 - len(head))
        expiry = tail[0] if tail and (not tail[0] or _is_day(tail[0])) else None
        names = tail[1:] if expiry is not None else tail
        aligned = [*document, f[anchor], f[anchor + 1], expiry or "", *names]
        return (aligned + [""] * 10)[:10], True
    start = next((i for i in range(4, len(fields)) if _name_like(f[i])), None)
    if start is None:
        return f[:10], False
    middle = [x for x in f[4:start] if x.strip()]
    days = [x for x in middle if _is_day(x)]
    sex = next((x for x in middle if x.upper() in _SEXES), "")
    # two dates are birth then expiry; one alone could be either, and is not guessed
    born, expiry = (days[0], days[1]) if len(days) >= 2 else ("", "")
    aligned = [*f[:4], born, sex, expiry, *f[start : len(fields)]]
    return (aligned + [""] * 10)[:10], True


def read_docs(
    segment: Segment, ref_year: int, flight_day: str = ""
) -> tuple[Docs, list[FieldError]]:
    """One SSR DOCS, and a FieldError for each AIRIMP field that could not be read (the rest
    is still read); `flight_day` (ISO) places a two-digit birth year before the flight."""
    f, realigned = align_docs(_fields(ssr_text(segment)))
    kind, issuer, number, nationality, born, sex, expiry = f[:7]
    faults: list[FieldError] = []

    def attempt(read: Callable[[], _T], default: _T) -> _T:
        try:
            return read()
        except FieldError as exc:
            faults.append(exc)
            return default

    document = None
    if normalise_document_number(number):
        expires = attempt(
            lambda: (
                values.ddmmmyy(expiry, "DOCS expiry", ref_year, future=True).isoformat()
                if expiry
                else ""
            ),
            "",
        )
        document = Document(
            values.document_type(kind) if kind else "unknown",
            attempt(lambda: _nat(issuer, "DOCS issuing country") or "", ""),
            normalise_document_number(number),
            expires,
        )
    code = sex.strip().upper()
    docs = Docs(
        segment=segment,
        document=document,
        nationality=attempt(lambda: _nat(nationality, "DOCS nationality"), None),
        birth=attempt(
            lambda: values.airimp_birth_date(born, "DOCS birth date", ref_year, flight_day), None
        ),
        gender=values.GENDERS.get(code),
        infant=code in ("MI", "FI"),
        surname=f[7],
        given=" ".join(x for x in (values.strip_title(f[8]), f[9]) if x),
        reference=ssr_reference(segment),
        realigned=realigned,
    )
    return docs, faults


def read_inft(segment: Segment, ref_year: int) -> tuple[str, str, PartialDate | None]:
    """SSR INFT (`SURNAME/GIVEN/10AUG11`, `SURNAME/GIVEN 10AUG11` as AIRIMP writes it, or
    `GIVEN/10AUG11` under the adult's surname): (surname, given name, birth date) of an
    infant on an adult's lap."""
    fields = []
    for text in _fields(ssr_text(segment)):
        words = text.split()
        if len(words) > 1 and _is_day(words[-1]):  # the birth date after a space
            fields += [" ".join(words[:-1]), words[-1]]
        elif text:
            fields.append(text)
    days = [x for x in fields if _is_day(x)]
    names = [x for x in fields if not _is_day(x)]
    birth = None
    if days:
        day = values.ddmmmyy(days[0], "INFT birth date", ref_year, future=False)
        birth = PartialDate(day.year, day.month, day.day, original=days[0].upper())
    surname, given = (names[0], " ".join(names[1:])) if len(names) > 1 else ("", "".join(names))
    return surname, values.strip_title(given), birth


def read_grps(segment: Segment) -> tuple[str, int]:
    """SSR GRPS (`TCP25 ZZ TOURS`, AIRIMP: the group's total in party and its name): (group
    name, seats, 0 when not given)."""
    text = ssr_text(segment) or " ".join(p for p in segment.element(0)[4:] if p.strip())
    words = text.replace("/", " ").split()
    seats = next((int(w[3:]) for w in words if w.startswith("TCP") and w[3:].isdigit()), 0)
    name = " ".join(w for w in words if not (w.startswith("TCP") and w[3:].isdigit()))
    return name, seats


def read_doco(segment: Segment, ref_year: int) -> tuple[Document | None, list[tuple[str, str]]]:
    """SSR DOCO: the other document (a visa) and what else it says, as extra fields."""
    f = _fields(ssr_text(segment)) + [""] * 7
    birth_place, kind, number, issued_at, issued_on, valid_for = f[:6]
    extra = [(k, v) for k, v in (("birth_place", birth_place), ("visa_issued_at", issued_at)) if v]
    if issued_on:
        day = values.ddmmmyy(issued_on, "DOCO issue date", ref_year, future=False)
        extra.append(("visa_issued_on", day.isoformat()))
    if not normalise_document_number(number):
        return None, extra
    country = ""
    try:
        country = _nat(valid_for, "DOCO country") or ""
    except FieldError:
        extra.append(("visa_valid_for", valid_for))
    return Document(values.document_type(kind), country, normalise_document_number(number)), extra


def read_doca(segment: Segment) -> tuple[str, str | None]:
    """SSR DOCA: (address as one line, country of that address)."""
    f = _fields(ssr_text(segment)) + [""] * 6
    country = _nat(f[1], "DOCA country")
    line = ", ".join(x for x in f[2:6] if x)
    return line, country


def email(text: str) -> str:
    """An AIRIMP e-mail (`//` for @, `..` for _, `./` for -) in its usual form."""
    value = text.strip().split()[0] if text.strip() else ""
    return value.replace("//", "@").replace("..", "_").replace("./", "-").lower()


def phones(text: str) -> list[str]:
    """The telephone numbers in a text, digits only (7 digits or more)."""
    found = []
    for run in _PHONE_RUN.findall(text):
        digits = re.sub(r"\D", "", run)
        if len(digits) >= 7:
            found.append(digits)
    return found


def contact(text: str) -> tuple[list[str], list[str]]:
    """(phones, e-mails) of an IFT contact line (`CTCx …`); empty if it is not one."""
    match = _CTC.search(text.strip().upper())
    if not match:
        return [], []
    if match.group(1) == "E" and ("//" in text or "@" in text):
        start = match.start(1) + 1
        return [], [email(text.strip()[start:])]
    return phones(match.group(3)), []


def address(segment: Segment) -> tuple[str, list[str]]:
    """ADD: (address line, telephone numbers in it)."""
    parts = [p.strip() for p in segment.element(1)]
    if not parts:
        return "", []
    parts += [""] * (8 - len(parts))
    street, country, postcode, rest = parts[1:5], parts[5], parts[6], parts[7:]
    numbers = phones(" ".join(rest))
    if not postcode and not numbers and _POSTCODE.match(rest[0]):
        postcode = rest[0]  # a postcode one place late, where the phone goes (`::GB::SL1AA`)
    line = ", ".join(p for p in [*street, postcode, country] if p)
    return line, numbers


def payments(segment: Segment, currency: str) -> list[Payment]:
    """FOP: every form of payment it gives (the composite repeats when a fare is paid part
    by card, part in cash): method, card type and masked number, amount."""
    found = []
    for index, element in enumerate(segment.elements):
        code = segment.value(index).upper()
        if not code and not any(part.strip() for part in element):
            continue
        amount = segment.value(index, 2)
        found.append(
            Payment(
                method=FOP_METHODS.get(code, code.lower() or "unknown"),
                card_type=segment.value(index, 3).upper(),
                card_number=segment.value(index, 4),
                amount=amount,
                currency=currency if amount else "",
            )
        )
    return found or [Payment(method="unknown")]


def card_keys(segment: Segment) -> list[str]:
    """The link keys of the cards an FOP gives (type, unmasked digits, expiry)."""
    found = []
    for index in range(len(segment.elements)):
        if segment.value(index).upper() != "CC":
            continue
        card = Payment("card", segment.value(index, 3), segment.value(index, 4))
        key = card_key(card, segment.value(index, 5))
        found += [key] if key else []
    return found
