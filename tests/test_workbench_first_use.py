"""What a first-time analyst could not do or could not make sense of in the workbench, seen
in a fresh-clone pass through make demo's world in a real browser: each test failed before
its fix."""

from __future__ import annotations

import re

import pytest

from ftfhub.domain.vocab import Disclosure
from ftfhub.policy.views import HitListing, OtherRecord
from ftfhub.services import dossier as dossier_service
from ftfhub.services.dossier import Dossier
from ftfhub.services.identities import IdentityView, Member
from test_workbench import World, opened_for, signed_in, world  # noqa: F401 (a fixture)


def _dossier_of_partners(monkeypatch: pytest.MonkeyPatch) -> None:
    """ID-7: two partners' records, each shared with the viewer at hit-only level."""
    held = tuple(
        OtherRecord(agency, f"desk@{agency.lower()}.example", f"{agency}:0a1b2c3d4e5f", level)
        for agency in ("DE-BKA", "TR-EGM")
        for level in (Disclosure.HIT_ONLY,)
    )
    members = tuple(Member("ID-7", r.agency, r.reference) for r in held)
    opened = Dossier(IdentityView("ID-7", members, ()), held, (), (), HitListing(), ())
    monkeypatch.setattr(dossier_service, "open_dossier", lambda ctx, identity_id: opened)


def test_a_dossier_with_hit_only_records_says_their_evidence_is_withheld_not_one_record(
    world: World,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A dossier of three records, two of them partners' at hit-only level, headed 'Records
    (3)' and then said 'One record: nothing joined.' under the evidence."""
    _dossier_of_partners(monkeypatch)
    client, _ = signed_in(world, "be")
    page = opened_for(client, "/workbench/identities/ID-7", "case 4")
    assert page.status_code == 200, page.text
    evidence = page.text[page.text.find("The evidence that joined them") :]
    assert "One record: nothing joined." not in evidence
    assert "hit-only level (DE-BKA, TR-EGM)" in evidence


def test_a_case_is_opened_from_the_dossier_and_its_subject_leads_back_to_it(
    world: World,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The dossier had no way to open a case on the person, the form's subject had to be
    copied by hand, and the case's subject was text that led nowhere."""
    _dossier_of_partners(monkeypatch)
    # What is under test is how a case's subject is drawn, whatever a case holds (cases
    # opened before subjects were checked included); the check that a case holds only a
    # subject its agency may open is tested in test_partner_holes.
    from ftfhub.services import cases as case_service

    monkeypatch.setattr(case_service, "readable_subject", lambda *args: None)
    client, csrf = signed_in(world, "be")
    dossier = opened_for(client, "/workbench/identities/ID-7", "case 4").text
    found = re.search(r'<a href="([^"]+)">Open a case on this person</a>', dossier)
    assert found, "no way from the dossier to a case"
    board = client.get(found.group(1).replace("&amp;", "&"))
    assert board.status_code == 200
    assert '<details class="card" open>' in board.text
    assert 'name="subject" required maxlength="200" value="ID-7"' in board.text
    for subject, target in (
        ("ID-7", "/workbench/identities/ID-7"),
        ("DE-BKA:0a1b2c3d4e5f", "/workbench/records/DE-BKA:0a1b2c3d4e5f"),
        ('"><script>x</script>', None),
    ):
        opened = client.post(
            "/workbench/cases", data={"csrf": csrf, "subject": subject, "title": "T"}
        )
        assert opened.status_code == 200, opened.text
        shown = opened.text[opened.text.find("<dt>Subject</dt>") :]
        shown = shown[: shown.find("</dd>")]
        if target:
            assert f'<a href="{target}"><code>{subject}</code></a>' in shown
        else:
            assert "<a " not in shown and "<script>" not in shown


def test_a_dossier_says_who_looked_and_what_they_did_in_words(
    world: World,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """'Who looked' listed the audit trail's names of actions (`identity.explain`,
    `access.denied`), and a dossier without hits said `None.`."""
    from datetime import datetime

    from ftfhub.services.dossier import Look

    _dossier_of_partners(monkeypatch)
    opened = dossier_service.open_dossier(None, "ID-7")  # type: ignore[arg-type]
    at = datetime(2026, 11, 30, 9, 15)
    looks = (
        Look(at, "ana.be", "BE-FP", "identity.explain", "case 4"),
        Look(at, "ana.be", "BE-FP", "access.denied", ""),
        Look(at, "ana.be", "BE-FP", "case.note", ""),
    )
    shown = Dossier(opened.identity, opened.records, (), (), HitListing(), looks)
    monkeypatch.setattr(dossier_service, "open_dossier", lambda ctx, identity_id: shown)
    client, _ = signed_in(world, "be")
    page = opened_for(client, "/workbench/identities/ID-7", "case 4").text
    assert '<td title="identity.explain">opened this dossier</td>' in page
    assert '<td title="access.denied">asked and was refused</td>' in page
    assert '<td title="case.note">case note</td>' in page
    assert "<li>No hit on these records.</li>" in page and "<li>None.</li>" not in page
