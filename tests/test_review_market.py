"""Owner-side review helpers of Market: undo, closing with a bulk decline, counts."""

from __future__ import annotations

import pytest

from oppmarket.domain import OpportunityDraft
from oppmarket.errors import Conflict, PermissionDenied


@pytest.fixture
def posting(org, market_as):
    return market_as("owner").post(OpportunityDraft(title="Data clinic", hours_per_week=2, seats=2), publish=True)


def test_undo_decline_puts_the_application_back(posting, market_as):
    owner = market_as("owner")
    app_id = market_as("eng1").apply(posting.id).application_id
    owner.shortlist(app_id)
    owner.decline(app_id, "not now")
    assert owner.undo(app_id).status == "shortlisted"
    assert market_as("eng1").notifications()[0].text == "Your application to 'Data clinic' is back under review"
    assert owner.undo(app_id).status == "applied"  # then the shortlist
    with pytest.raises(Conflict, match="nothing to undo"):
        owner.undo(app_id)


def test_undo_offer_tells_the_candidate_and_not_the_manager(posting, market_as):
    owner = market_as("owner")
    app_id = market_as("eng1").apply(posting.id).application_id
    owner.offer(app_id)
    app = owner.undo(app_id)
    assert (app.status, app.offered_at, app.offer_due) == ("applied", None, None)
    assert "taken back" in market_as("eng1").notifications()[0].text
    # The manager never heard of an offer nobody accepted.
    assert market_as("mgr").notifications() == [] and not market_as("mgr").pending_releases()


def test_undo_after_the_candidate_accepted_is_refused(posting, market_as):
    owner = market_as("owner")
    app_id = market_as("eng1").apply(posting.id).application_id
    owner.offer(app_id)
    market_as("eng1").accept(app_id)
    with pytest.raises(Conflict):
        owner.undo(app_id)
    market_as("mgr").release(app_id)
    with pytest.raises(Conflict):
        owner.undo(app_id)


def test_only_the_owner_can_undo(posting, market_as):
    app_id = market_as("eng1").apply(posting.id).application_id
    market_as("owner").shortlist(app_id)
    with pytest.raises(PermissionDenied):
        market_as("admin").undo(app_id)


def test_close_and_decline_rest(posting, market_as):
    owner = market_as("owner")
    chosen = market_as("eng1").apply(posting.id).application_id
    waiting = [market_as(u).apply(posting.id).application_id for u in ("eng2", "loner", "owned")]
    owner.shortlist(waiting[0])
    owner.offer(chosen)
    assert owner.close_and_decline_rest(posting.id, "Thanks all") == 3
    assert owner.opportunity(posting.id).status == "closed"
    statuses = {a.applicant_username: a.status for a in owner.applicants(posting.id)}
    assert statuses == {"eng1": "offered", "eng2": "declined", "loner": "declined", "owned": "declined"}
    assert market_as("loner").notifications()[0].text.endswith("not taken forward: Thanks all")
    counts = owner.applicant_counts([posting.id])
    assert counts == {posting.id: {"offered": 1, "declined": 3}}
    assert market_as("eng2").applicant_counts([posting.id]) == {posting.id: {}}


def test_people_pages_carry_departments_managers_and_reports(org, market_as):
    page = market_as("eng1").people(limit=4)
    assert [p.username for p in page.items] == ["admin", "mgr", "eng1", "eng2"]
    assert page.next_after == page.items[-1].id
    by_name = {p.username: p for p in page.items}
    assert by_name["eng1"].manager_username == "mgr" and by_name["eng1"].department == "Platform"
    assert by_name["mgr"].has_reports and not by_name["eng1"].has_reports
    assert by_name["admin"].department is None and by_name["admin"].manager_username is None
    # Each record equals the one-person lookup.
    assert all(market_as(None).person(p.username) == p for p in page.items)
    rest = market_as("eng1").people(limit=4, after_id=page.next_after)
    assert [p.username for p in rest.items] == ["owner", "owned", "loner"] and rest.next_after is None
