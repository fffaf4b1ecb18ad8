"""PAXLST lists that are neither passengers nor crew (BGM document codes other than 745, 250
and 336): read, with the code on every Record, and said (invented names)."""

from __future__ import annotations

import pytest

from ftfhub.ingest.paxlst import read_paxlst_text

_PAX = (
    "UNA:+.? 'UNB+UNOA:4+ZZ+BEPIU+261201:0600+R4'UNH+1+PAXLST:D:05B:UN:IATA'BGM+{code}'"
    "TDT+20+ZZ455+++ZZ'LOC+125+BRU'DTM+189:2612010900:201'LOC+87+IST'"
    "NAD+FL+++TRAVNIKAR:ZOFIA'ATT+2++F'DTM+329:870304'NAT+2+SVN'DOC+P+PB0099881'"
    "CNT+42:1'UNT+12+1'UNZ+1+R4'"
)


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("266", "is a flight close-out (who boarded, sent when the doors close)"),
        ("999", "is not a passenger or crew list"),
        ("", "is not a passenger or crew list"),
    ],
)
def test_a_paxlst_that_is_neither_a_passenger_nor_a_crew_list(code: str, said: str) -> None:
    """Before, any BGM code but 250/336 was loaded as a passenger list without a word."""
    reading = read_paxlst_text(_PAX.format(code=code), "list.edi")
    (record,) = [r for _, r in reading.records]
    assert record.primary_name == "ZOFIA TRAVNIKAR" and record.nationalities == ("SI",)
    assert [d.number for d in record.documents] == ["PB0099881"]
    assert record.travel and record.travel.role == "passenger"
    assert ("list_code", code or "none") in record.extra
    shown = code or "none"
    assert reading.warnings == [
        f"segment 3 (BGM): document code '{shown}' {said}; its travellers are read by their "
        f"NAD codes and loaded with list_code {shown}"
    ]
    assert not reading.errors


def test_a_passenger_list_says_nothing_of_its_code() -> None:
    reading = read_paxlst_text(_PAX.format(code="745"), "list.edi")
    (record,) = [r for _, r in reading.records]
    assert not [k for k, _ in record.extra if k == "list_code"] and not reading.warnings
