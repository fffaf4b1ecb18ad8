"""Birth and event dates as the world's writers record them: exact, swapped, partial, Hijri.

Lists mostly have the true date, sometimes day and month swapped (the American order read as
European), only the year, or nothing. Captured forms write the year, `12/03/1985`,
`00/00/1985`, a Hijri year (`1405`, `1405 هـ`) or a full Hijri date (`1405/03/12`), now and
then in Arabic-Indic digits. Passports give the MRZ `YYMMDD`.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta

from hijridate import Gregorian

_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def choose(rng: random.Random, weights: Mapping[str, float]) -> str:
    """A key of ``weights``, drawn by weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def between(rng: random.Random, start: date, end: date) -> date:
    """A day in [start, end]."""
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def hijri(day: date) -> tuple[int, int, int]:
    """The Hijri (Umm al-Qura) date of a Gregorian day."""
    h = Gregorian(day.year, day.month, day.day).to_hijri()
    return h.year, h.month, h.day


def arabic_digits(text: str) -> str:
    """The text with Arabic-Indic digits, as many Arabic forms are filled in."""
    return text.translate(_ARABIC_DIGITS)


def listed_birth(day: date, rng: random.Random, weights: Mapping[str, float]) -> str:
    """A birth date as a list records it (`exact`, `swapped`, `year`, `missing`), ISO form."""
    kind = choose(rng, weights)
    if kind == "missing":
        return ""
    if kind == "year":
        return f"{day.year:04d}"
    if kind == "swapped" and day.day <= 12 and day.day != day.month:
        return f"{day.year:04d}-{day.day:02d}-{day.month:02d}"
    return day.isoformat()


def captured_birth(day: date, rng: random.Random, weights: Mapping[str, float]) -> str:
    """A birth date as a captured form writes it (Gregorian or Hijri, partial)."""
    kind = choose(rng, weights)
    hy, hm, hd = hijri(day)
    text = {
        "missing": "",
        "year": f"{day.year}",
        "dmy": f"{day.day:02d}/{day.month:02d}/{day.year}",
        "iso": day.isoformat(),
        "zero_dmy": f"00/00/{day.year}",
        "hijri_year": f"{hy}",
        "hijri_suffix": f"{hy} هـ",
        "hijri_full": f"{hy}/{hm:02d}/{hd:02d}",
    }[kind]
    return text


def captured_event(day: date, rng: random.Random, hijri_share: float) -> str:
    """An event date on a form (entry into the territory): Hijri `1435/08/14` or `14/06/2014`."""
    if rng.random() < hijri_share:
        hy, hm, hd = hijri(day)
        return f"{hy}/{hm:02d}/{hd:02d}"
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def mrz_date(day: date) -> str:
    """`YYMMDD`, as in the machine-readable zone."""
    return day.strftime("%y%m%d")
