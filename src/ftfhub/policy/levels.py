"""How far a viewer sees a Record: the owner's disclosure level, raised by the owner's grants.

Handling codes as agencies write them map onto the disclosure scale: H0 and H1 are hit-only
(H1 means "on request", and a request is a phone call, not a wider default), H2 is summary,
H3 is full. A Record may also carry `disclosure` itself (in `extra`), which wins.
"""

from __future__ import annotations

from collections.abc import Mapping

from ftfhub.domain.vocab import Disclosure, HandlingCode

_BY_CODE = {
    HandlingCode.H0: Disclosure.HIT_ONLY,
    HandlingCode.H1: Disclosure.HIT_ONLY,
    HandlingCode.H2: Disclosure.SUMMARY,
    HandlingCode.H3: Disclosure.FULL,
}


def record_level(handling_code: str, disclosure: str | None = None) -> Disclosure:
    """The level a Record's owner set; anything unknown is the strictest."""
    if disclosure:
        try:
            return Disclosure(disclosure)
        except ValueError:
            return Disclosure.HIT_ONLY
    try:
        return _BY_CODE[HandlingCode(handling_code)]
    except ValueError:
        return Disclosure.HIT_ONLY


def seen_level(
    viewer_agency: str,
    owner: str,
    level: Disclosure,
    grants: Mapping[str, Disclosure] | None = None,
) -> Disclosure:
    """What `viewer_agency` sees of a Record `owner` holds at `level`.

    The owner sees its own in full; another agency sees the Record's level, or more where
    the owner granted that agency more (`grants`: grantee agency → level, for this owner).
    """
    if viewer_agency == owner:
        return Disclosure.FULL
    granted = (grants or {}).get(viewer_agency)
    if granted is not None and granted.rank > level.rank:
        return granted
    return level
