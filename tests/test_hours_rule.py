"""Contracted hours are the line manager's or an admin's to set, never the person's
own: the time cap is a share of them, so raising them would raise the cap. Every
edit of a profile is audited with what each field was and what it became."""

from __future__ import annotations

import pytest

from oppmarket.domain import OpportunityDraft
from oppmarket.errors import Conflict, PermissionDenied, ValidationError


def draft(title: str, hours: int) -> OpportunityDraft:
    return OpportunityDraft(title=title, description="Help out.", hours_per_week=hours,
                            skills=[("Python", 2, "required")])


def over_the_cap(owner, market_as) -> int:
    """An application by eng1 (40 h at 20 % = 8 h/week) to a 10 h/week posting."""
    opp = owner.post(draft("Ten hours", 10), publish=True)
    app_id = market_as("eng1").apply(opp.id).application_id
    with pytest.raises(Conflict) as info:
        owner.offer(app_id)
    assert "cap" in str(info.value)
    return app_id


def audit_details(admin, action: str) -> list[dict]:
    return [e.detail for e in admin.audit_log(limit=50) if e.action == action]


def test_employee_cannot_raise_their_own_hours(org, owner, market_as, db_state):
    app_id = over_the_cap(owner, market_as)
    eng = market_as("eng1")
    before = db_state()
    with pytest.raises(PermissionDenied) as info:
        eng.update_profile(weekly_hours=80)
    assert "line manager or an admin" in str(info.value)
    # Nothing half-done either when the refused field comes with allowed ones.
    with pytest.raises(PermissionDenied):
        eng.update_profile(weekly_hours=80, title="Staff Engineer")
    assert db_state() == before
    assert (eng.whoami().weekly_hours, eng.whoami().cap_hours) == (40, 8)
    with pytest.raises(Conflict):
        owner.offer(app_id)


def test_a_colleague_cannot_set_someone_elses_hours(org, market_as, db_state):
    before = db_state()
    for who in ("eng1", "eng2", "owner", "loner"):
        with pytest.raises(PermissionDenied) as info:
            market_as(who).set_weekly_hours("eng1", 80)
        assert "line manager or an admin" in str(info.value), who
    assert db_state() == before


def test_manager_sets_hours_audited_and_the_person_is_told(org, owner, market_as):
    app_id = over_the_cap(owner, market_as)
    person = market_as("mgr").set_weekly_hours("eng1", 50)
    assert (person.weekly_hours, person.cap_hours) == (50, 10)
    assert [n.text for n in market_as("eng1").notifications()][0] == (
        "Your contracted hours are now 50 h/week (were 40): your marketplace time cap is 10 h/week")
    assert owner.offer(app_id).status == "offered"
    [detail] = audit_details(org, "set_weekly_hours")
    assert detail == {"old": 40, "new": 50}
    [event] = [e for e in org.audit_log(limit=50) if e.action == "set_weekly_hours"]
    assert event.actor == "mgr"


def test_admin_sets_anyones_hours_within_limits(org, market_as, db_state):
    assert org.set_weekly_hours("loner", 32).weekly_hours == 32
    before = db_state()
    for hours in (0, 81, "abc", None):
        with pytest.raises(ValidationError) as info:
            org.set_weekly_hours("loner", hours)
        assert "weekly_hours" in info.value.fields
    assert db_state() == before


def test_profile_edit_audits_old_and_new_values(org, market_as):
    eng = market_as("eng1")
    eng.update_profile(display_name="Eli E.", title="Software Engineer", email="eli@example.com")
    [detail] = audit_details(org, "update_profile")
    # The title was set to what it already was: no change, so not in the record.
    assert detail == {"display_name": {"old": "Eli Engineer", "new": "Eli E."},
                      "email": {"old": "", "new": "eli@example.com"}}


def test_profile_edit_that_changes_nothing_leaves_no_trace(org, market_as, db_state):
    eng = market_as("eng1")
    before = db_state()
    assert eng.update_profile(title="Software Engineer") == eng.whoami()
    assert db_state() == before
