"""Snapshots of "Your offer", the candidate's answer to an offer on My work, on fixed
data with a fixed clock.

Update with `pytest snapshots/test_offer_snapshots.py --snapshot-update`, then look at
every changed SVG.
"""

from __future__ import annotations

import datetime as dt

from oppmarket.domain import OpportunityDraft

from support import NOW, SIZE, SMALL, Clock, build_org, open_app, press, settle


def offered(db) -> None:
    """Omar Owner offers Eli Engineer a seat on a mentorship; Eli applied elsewhere an
    hour before, so the offer is the newest row, where My work's cursor starts."""
    clock = Clock(NOW - dt.timedelta(hours=1))
    admin = build_org(db, clock=clock, opportunities=0)
    owner, eng = admin.as_user("owner"), admin.as_user("eng1")
    mentoring = owner.post(OpportunityDraft(
        kind="mentorship", title="Pair with the payments team on tracing", hours_per_week=3, seats=1,
        start="2026-03-16", end="2026-05-29"), publish=True)
    other = owner.post(OpportunityDraft(title="Write the on-call runbook", hours_per_week=2), publish=True)
    eng.apply(other.id, "I keep being asked where the dashboards are")
    clock.advance(hours=1)
    owner.offer(eng.apply(mentoring.id, "Tracing is what I want to learn").application_id, "Welcome aboard")


def answering(*keys: str):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_my_work("applications")
        await settle(pilot)
        await press(pilot, "o", *keys)

    return run_before


def test_your_offer(snap_compare, db):
    offered(db)
    assert snap_compare(open_app(db, "eng1"), terminal_size=SIZE, run_before=answering())


def test_your_offer_small(snap_compare, db):
    offered(db)
    assert snap_compare(open_app(db, "eng1"), terminal_size=SMALL, run_before=answering())


def test_your_offer_declining_small(snap_compare, db):
    offered(db)
    assert snap_compare(open_app(db, "eng1"), terminal_size=SMALL, run_before=answering("d", *"bad timing"))
