"""An inbox item that asks for something is done once that has happened, however and
wherever it happened: decided in the queue or the CLI, by the automatic release, by
the applicant withdrawing; a question answered. Done counts as read."""

from __future__ import annotations

import datetime as dt

import pytest

from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market


@pytest.fixture
def offered(org, owner, market_as) -> int:
    """eng1 (a report of mgr) is offered a gig and accepts: mgr is asked to release their time."""
    gig = owner.post(OpportunityDraft(title="Payments tracing", hours_per_week=4), publish=True)
    app_id = market_as("eng1").apply(gig.id).application_id
    owner.offer(app_id)
    market_as("eng1").accept(app_id)
    return app_id


def release_request(market: Market, app_id: int):
    return next(n for n in market.notifications() if n.link == f"release:{app_id}")


def test_a_release_request_waits_until_it_is_decided(offered, market_as):
    mgr = market_as("mgr")
    request = release_request(mgr, offered)
    assert (request.read, request.done) == (False, False)
    assert mgr.unread_count() == 1
    assert mgr.notifications(unread_only=True) == [request]


@pytest.mark.parametrize("decided_by", ["release", "decline", "withdraw", "automatic"])
def test_a_release_request_is_done_however_it_was_decided(offered, db, clock, decided_by):
    mgr = Market(db, "mgr", clock=clock)
    assert mgr.unread_count() == 1
    # Another session, as another process would: its own market on the same database.
    if decided_by == "release":
        Market(db, "mgr", clock=clock).release(offered)
    elif decided_by == "decline":
        Market(db, "mgr", clock=clock).decline_release(offered, "The quarter-end close needs everyone")
    elif decided_by == "withdraw":
        Market(db, "eng1", clock=clock).withdraw(offered)
    else:
        clock.advance(days=6)
        assert Market(db, None, clock=clock).run_maintenance() == 1
    request = release_request(mgr, offered)
    assert (request.read, request.done) == (True, True)
    # What it says afterwards (the withdrawal, the automatic release) is news, not done.
    assert mgr.unread_count() == sum(not n.read for n in mgr.notifications())
    assert all(n.link != f"release:{offered}" for n in mgr.notifications(unread_only=True))


def test_a_core_work_question_is_done_for_whoever_answered_it(offered, market_as, owner):
    market_as("mgr").release(offered)
    owner.complete(offered, 5, "Great work")
    eng1, mgr = market_as("eng1"), market_as("mgr")
    asked = {m: next(n for n in m.notifications() if n.link == f"corework:{offered}") for m in (eng1, mgr)}
    assert not any(n.done for n in asked.values())
    before = {m: m.unread_count() for m in (eng1, mgr)}
    question = next(q for q in eng1.core_work_questions() if q.application_id == offered)
    Market(eng1.db, "eng1", clock=eng1.clock).answer_core_work(question.id, "better")
    assert next(n for n in eng1.notifications() if n.link == f"corework:{offered}").done
    assert eng1.unread_count() == before[eng1] - 1
    # The manager's own question still waits for them.
    assert not next(n for n in mgr.notifications() if n.link == f"corework:{offered}").done
    assert mgr.unread_count() == before[mgr]


def test_done_is_read_from_the_data_and_marking_read_still_works(offered, market_as, db):
    from oppmarket.db import models as M

    mgr = market_as("mgr")
    mgr.release(offered)
    with db.connection_context():
        stored = M.Notification.get(M.Notification.link == f"release:{offered}")
    # Nothing was written to the notification: its state is the application's.
    assert stored.read is False
    request = release_request(mgr, offered)
    assert mgr.mark_read(request.id) == 1
    assert release_request(mgr, offered).read


def test_an_unknown_or_malformed_link_is_no_action_item(org, market_as, db, clock):
    from oppmarket.db import models as M

    with db.connection_context():
        eng1 = M.Employee.get(M.Employee.username == "eng1")
        for link in ("release:", "release:x", "corework:", "opp:7", ""):
            M.Notification.create(recipient=eng1, text="odd", link=link, created_at=dt.datetime(2026, 3, 2))
    me = market_as("eng1")
    assert me.unread_count() == 5
    assert not any(n.done for n in me.notifications())
