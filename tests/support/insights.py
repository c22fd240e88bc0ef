"""A small organisation whose insights are known by heart, built through the Market
as people would build it (tests/support/roster.py, `STAFF`):

    Platform: mgr ── eng1, eng2      Product: owner ── owned      no department: admin, loner

owner posts 'Data clean-up' (4 h/week, Product, grows SQL) with three seats. At NOW
eng1, eng2 and owned apply and are offered a seat. Two days later mgr releases eng1
and declines eng2 ("Quarter end"); owner releases owned. Two weeks after that owner
completes eng1's engagement endorsing SQL; eng1 answers 'better', mgr 'same'. owned
is still active. The clock is left at NOW + 16 days.
"""

from __future__ import annotations

from oppmarket.domain import OpportunityDraft

from support.clock import Clock
from support.org import build_org
from support.roster import SKILLS, STAFF

REASON = "Quarter end"


def insights_org(db, clock: Clock) -> dict[str, int]:
    """The organisation above; returns the application ids by applicant."""
    admin = build_org(db, clock=clock, people=STAFF.values(), skills=SKILLS, opportunities=0)
    owner = admin.as_user("owner")
    opp = owner.post(OpportunityDraft(title="Data clean-up", department="Product", hours_per_week=4, seats=3,
                                      skills=[("SQL", 2, "grows")]), publish=True).id
    apps = {who: admin.as_user(who).apply(opp).application_id for who in ("eng1", "eng2", "owned")}
    for who, app in apps.items():
        owner.offer(app)
        admin.as_user(who).accept(app)
    clock.advance(days=2)
    mgr = admin.as_user("mgr")
    mgr.release(apps["eng1"])
    mgr.decline_release(apps["eng2"], REASON)
    owner.release(apps["owned"])
    clock.advance(days=14)
    owner.complete(apps["eng1"], 5, "Thorough", endorsements={"SQL": 2})
    for who, answer in (("eng1", "better"), ("mgr", "same")):
        me = admin.as_user(who)
        question = me.core_work_questions()[0]
        me.answer_core_work(question.id, answer)
    return apps
