"""A review action's notifications wait out its undo window; an undo within it takes
them back, so nobody is told of either; blind review is stored per posting. On both
backends, with a settable clock."""

from __future__ import annotations

import pytest

from oppmarket.db import models as M
from oppmarket.db.connection import make_database, open_database
from oppmarket.db.schema import MIGRATIONS, database_version
from oppmarket.domain import OpportunityDraft
from oppmarket.errors import Conflict, PermissionDenied, ValidationError
from oppmarket.market import Market
from oppmarket.policy import UNDO_WINDOW_SECONDS

from support.releases import as_release


@pytest.fixture
def posting(org, market_as):
    return market_as("owner").post(OpportunityDraft(title="Data clinic", hours_per_week=2, seats=2), publish=True)


@pytest.fixture
def applied(posting, market_as) -> int:
    return market_as("eng1").apply(posting.id).application_id


def inbox(market_as, username: str) -> list[str]:
    return [n.text for n in market_as(username).notifications()]


def test_held_notifications_arrive_when_the_window_has_passed(applied, market_as, clock):
    owner = market_as("owner")
    owner.offer(applied, "Welcome", hold=True)
    assert inbox(market_as, "eng1") == [] and inbox(market_as, "mgr") == []
    assert market_as("eng1").unread_count() == 0
    # Marking everything read does not reach what has not arrived.
    assert market_as("eng1").mark_read() == 0

    clock.advance(seconds=UNDO_WINDOW_SECONDS - 1)
    assert inbox(market_as, "eng1") == []
    clock.advance(seconds=1)
    assert inbox(market_as, "eng1") == ["You have an offer for 'Data clinic': accept or decline by 2026-03-09 — Welcome"]
    assert market_as("eng1").unread_count() == 1
    # The manager hears only once the offer is accepted.
    assert inbox(market_as, "mgr") == []
    # Dated when it arrived.
    assert market_as("eng1").notifications()[0].created_at == clock.now


def test_an_undo_within_the_window_tells_nobody(applied, market_as, clock, db):
    owner = market_as("owner")
    owner.shortlist(applied, hold=True)
    owner.decline(applied, "Not now", hold=True)
    clock.advance(seconds=5)
    assert owner.undo(applied, action="decline").status == "shortlisted"
    # The decline and its undo are never told; the shortlist before them is, in time.
    clock.advance(seconds=5)
    assert inbox(market_as, "eng1") == ["You were shortlisted for 'Data clinic'"]
    clock.advance(hours=1)
    assert inbox(market_as, "eng1") == ["You were shortlisted for 'Data clinic'"]
    with db.connection_context():
        assert M.Notification.select().where(M.Notification.recipient == M.Employee.get(username="eng1")).count() == 1
    # The audit log keeps the action and its undo, and says what was taken back.
    log = market_as("admin").audit_log(limit=3)
    assert [(e.action, e.object_id) for e in log[:2]] == [("undo", applied), ("decline", applied)]
    assert log[0].detail == {"undone": "decline", "to_status": "shortlisted", "recalled": 1}


def test_an_undo_of_an_offer_within_the_window_tells_the_manager_nothing(applied, market_as, clock):
    owner = market_as("owner")
    owner.offer(applied, hold=True)
    owner.undo(applied)
    clock.advance(minutes=1)
    assert inbox(market_as, "eng1") == [] and inbox(market_as, "mgr") == []
    assert not market_as("mgr").pending_releases()


def test_an_undo_after_the_window_is_told(applied, market_as, clock):
    owner = market_as("owner")
    owner.decline(applied, hold=True)
    clock.advance(seconds=UNDO_WINDOW_SECONDS)
    owner.undo(applied)
    assert inbox(market_as, "eng1") == ["Your application to 'Data clinic' is back under review",
                                        "Your application to 'Data clinic' was not taken forward"]


def test_leaving_the_review_delivers_what_was_held_at_once(posting, applied, market_as, clock):
    other = market_as("eng2").apply(posting.id).application_id
    owner = market_as("owner")
    owner.shortlist(applied, hold=True)
    assert market_as("eng2").deliver_held() == 0
    owner.decline(other, hold=True)
    assert owner.deliver_held() == 2
    assert inbox(market_as, "eng1") == ["You were shortlisted for 'Data clinic'"]
    assert inbox(market_as, "eng2") == ["Your application to 'Data clinic' was not taken forward"]
    assert owner.deliver_held() == 0
    # Once told, an undo is told too.
    owner.undo(applied)
    assert inbox(market_as, "eng1")[0] == "Your application to 'Data clinic' is back to applied"


def test_undo_takes_back_only_the_action_it_names(applied, market_as):
    owner = market_as("owner")
    owner.shortlist(applied)
    with pytest.raises(Conflict, match="the last action on this application is a shortlist, not a decline"):
        owner.undo(applied, action="decline")
    with pytest.raises(ValidationError) as info:
        owner.undo(applied, action="complete")
    assert "action" in info.value.fields
    assert owner.application(applied).status == "shortlisted"


def test_without_hold_an_action_is_told_at_once(applied, market_as):
    market_as("owner").shortlist(applied)
    assert inbox(market_as, "eng1") == ["You were shortlisted for 'Data clinic'"]


# ---------------------------------------------------------------------- blind review


def test_blind_review_is_the_owner_s_choice_and_stays(posting, market_as, db):
    owner = market_as("owner")
    assert owner.opportunity(posting.id).blind_review is False
    assert owner.set_blind_review(posting.id, True).blind_review is True
    assert market_as("owner").opportunity(posting.id).blind_review is True
    assert owner.set_blind_review(posting.id, True).blind_review is True  # no change, no new audit row
    with pytest.raises(PermissionDenied, match=r"only the owner \(owner\) may do that to this posting"):
        market_as("admin").set_blind_review(posting.id, False)
    with pytest.raises(ValidationError) as info:
        owner.set_blind_review(posting.id, "no")
    assert "blind" in info.value.fields
    assert owner.set_blind_review(posting.id, False).blind_review is False
    blind_rows = [(e.actor, e.detail) for e in market_as("admin").audit_log(limit=20) if e.action == "blind_review"]
    assert blind_rows == [("owner", {"blind": False}), ("owner", {"blind": True})]


# ---------------------------------------------------------------------- migration 3


@pytest.mark.blank_database  # it builds the schema of an older release itself
def test_a_version_2_database_gains_held_notifications_and_blind_review(db_url):
    old = make_database(db_url)
    old.bind(M.MODELS, bind_refs=False, bind_backrefs=False)
    with old.connection_context():
        as_release(old, 2)
        assert database_version(old) == 2
    old.close()
    # Rows as version 2 wrote them.
    raw = make_database(db_url)
    with raw.connection_context():
        raw.execute_sql("INSERT INTO employee (username, display_name, email, title, weekly_hours, cap_pct, "
                        "is_admin, active, created_at) VALUES ('owner', 'Omar Owner', '', '', 40, 20, "
                        "false, true, '2026-01-05 09:00:00')")
        raw.execute_sql("INSERT INTO opportunity (kind, title, description, owner_id, hours_per_week, seats, "
                        "location, remote, status, certification, topics, created_at, updated_at) VALUES "
                        "('gig', 'Old gig', '', (SELECT id FROM employee), 2, 1, '', true, 'open', '', '', "
                        "'2026-01-05 09:00:00', '2026-01-05 09:00:00')")
        raw.execute_sql("INSERT INTO notification (recipient_id, text, link, read, created_at) VALUES "
                        "((SELECT id FROM employee), 'Welcome', '', false, '2026-01-05 09:00:00')")
    raw.close()

    db = open_database(db_url)
    try:
        with db.connection_context():
            assert database_version(db) == max(MIGRATIONS)
        owner = Market(db, "owner")
        assert [n.text for n in owner.notifications()] == ["Welcome"] and owner.unread_count() == 1
        opp_id = owner.my_postings()[0].id
        assert owner.opportunity(opp_id).blind_review is False
        assert owner.set_blind_review(opp_id, True).blind_review is True
    finally:
        db.close()
