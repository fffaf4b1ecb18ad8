"""A log-in form's session is short-lived and bounded: anyone, with no token, may ask for the
form, and each was a session kept for eight hours, so a flood of anonymous requests grew the
server's memory without bound and, past 50,000, made every new session sweep them all under
the lock every workbench request takes."""

from __future__ import annotations

import time

from ftfhub.domain.vocab import Role
from ftfhub.services import Caller
from ftfhub.workbench.sessions import MAX_PENDING, Sessions


def test_anonymous_log_in_forms_are_bounded_and_never_push_out_a_signed_in_user() -> None:
    sessions = Sessions()
    signed = sessions.new("ftf_x_y", Caller("ana", "BE-FP", Role.ANALYST))
    forms = [sessions.new() for _ in range(MAX_PENDING + 5_000)]
    assert len(sessions) == MAX_PENDING + 1
    assert sessions.get(signed.id) is signed
    assert sessions.get(forms[0].id) is None  # the oldest forms are forgotten first
    assert sessions.get(forms[-1].id) is forms[-1]
    started = time.process_time()
    for _ in range(1_000):
        sessions.new()
    assert time.process_time() - started < 0.5  # was 1.3 s past 50,000 forms


def test_a_log_in_form_waits_minutes_not_hours() -> None:
    sessions = Sessions(pending_seconds=0.05)
    form = sessions.new()
    signed = sessions.new("ftf_x_y", Caller("ana", "BE-FP", Role.ANALYST))
    assert sessions.get(form.id) is form
    time.sleep(0.1)
    assert sessions.get(form.id) is None
    assert sessions.get(signed.id) is signed
    sessions.drop(signed.id)
    assert sessions.get(signed.id) is None and len(sessions) == 0
