"""A line manager's team whose figures are known by heart, built through the Market
as people would build it (tests/support/roster.py, `STAFF`): mgr ── eng1, eng2.

Five weeks before NOW, eng1 (Python 4, SQL 2) is offered 'Payments tracing' (4 h/week)
and mgr releases it. Two weeks on, eng2 (SQL 3) is offered 'Data clinic' (2 h/week)
and mgr releases that too. A day before NOW, eng2 is offered 'Conference talk'
(3 h/week), which waits for mgr's release. The clock is left at NOW.

So eng1 holds 4 of 8 h/week, eng2 5 of 8 (one release waiting); the team gave the
marketplace 4 h a week for two weeks, then 6.
"""

from __future__ import annotations

import datetime as dt

from oppmarket.domain import OpportunityDraft

from support.clock import Clock
from support.constants import NOW
from support.org import build_org
from support.roster import STAFF

START = NOW - dt.timedelta(weeks=5)


def team_org(db, clock: Clock) -> dict[str, int]:
    """The team above (`clock` is set to START first); returns the application ids by
    title."""
    clock.now = START
    admin = build_org(db, clock=clock, joiners=(STAFF["eng2"],), opportunities=0)
    owner, mgr = admin.as_user("owner"), admin.as_user("mgr")
    for who, skills in (("eng1", {"Python": 4, "SQL": 2}), ("eng2", {"SQL": 3})):
        for skill, level in skills.items():
            admin.as_user(who).set_skill(skill, level)

    def offered(who: str, title: str, hours: int) -> int:
        opp = owner.post(OpportunityDraft(title=title, description="Help out.", department="Product",
                                          hours_per_week=hours), publish=True).id
        app = admin.as_user(who).apply(opp).application_id
        owner.offer(app)
        admin.as_user(who).accept(app)
        return app

    apps = {"Payments tracing": offered("eng1", "Payments tracing", 4)}
    mgr.release(apps["Payments tracing"])
    clock.advance(weeks=2)
    apps["Data clinic"] = offered("eng2", "Data clinic", 2)
    mgr.release(apps["Data clinic"])
    clock.now = NOW - dt.timedelta(days=1)
    apps["Conference talk"] = offered("eng2", "Conference talk", 3)
    clock.now = NOW
    return apps
