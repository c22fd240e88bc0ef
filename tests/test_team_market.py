"""The line manager's team: each report's cap and what holds it, their engagements,
releases waiting and skills, the team's hours week by week; and the rule that a cap is
never cut below what a report already holds."""

from __future__ import annotations

import datetime as dt

import pytest

from oppmarket import policy
from oppmarket.domain import OpportunityDraft
from oppmarket.errors import ValidationError

from support import NOW


def gig(owner, title: str, hours: int) -> int:
    return owner.post(OpportunityDraft(title=title, description="Help out.", hours_per_week=hours),
                      publish=True).id


def offered(owner, market_as, who: str, title: str, hours: int) -> int:
    """`who` applies to a new gig of `hours` a week, is offered a seat and accepts it."""
    app_id = market_as(who).apply(gig(owner, title, hours)).application_id
    owner.offer(app_id)
    market_as(who).accept(app_id)
    return app_id


def test_a_cap_cut_below_what_is_held_is_refused_naming_the_hours(org, owner, market_as, db_state):
    offered(owner, market_as, "eng1", "Tracing", 6)  # eng1: 40 h at 20 % = 8 h/week
    mgr = market_as("mgr")
    before = db_state()
    with pytest.raises(ValidationError) as info:
        mgr.set_cap("eng1", 10)
    why = info.value.fields["cap_pct"]
    assert "Eli Engineer already has 6 h/week committed" in why
    assert "more than 4 h/week (10% of 40 h)" in why
    assert "the cap can go down to 15%" in why
    assert db_state() == before  # nothing written, nobody told, nothing audited

    assert mgr.set_cap("eng1", 15).cap_hours == 6  # exactly what is held is fine
    assert mgr.set_cap("eng1", 50).cap_pct == 50  # and a raise always is
    assert [(e.detail["old"], e.detail["new"]) for e in org.audit_log(limit=20) if e.action == "set_cap"] == \
        [(15, 50), (20, 15)]


def test_weekly_hours_that_would_cut_the_cap_below_what_is_held_are_refused(org, owner, market_as, db_state):
    offered(owner, market_as, "eng1", "Tracing", 6)
    before = db_state()
    with pytest.raises(ValidationError) as info:
        org.set_weekly_hours("eng1", 20)  # an admin too: 20 % of 20 h is 4 h
    assert "at 20 h a week the cap must be 30% or more; raise it first" in info.value.fields["weekly_hours"]
    assert db_state() == before
    org.set_cap("eng1", 30)
    assert org.set_weekly_hours("eng1", 20).cap_hours == 6


def test_a_cut_nothing_holds_is_allowed(org, market_as):
    assert market_as("mgr").set_cap("eng2", 0).cap_hours == 0


def test_the_team_shows_each_report_and_what_holds_their_time(org, owner, market_as, clock):
    eng1 = market_as("eng1")
    eng1.set_skill("Python", 4)
    eng1.set_skill("SQL", 2)
    engaged = offered(owner, market_as, "eng1", "Tracing", 3)
    market_as("mgr").release(engaged)
    waiting = offered(owner, market_as, "eng1", "Conference talk", 2)
    market_as("eng2").apply(gig(owner, "Not offered", 4))  # an application holds nothing

    found = market_as("mgr").team()
    assert [r.profile.person.username for r in found.reports] == ["eng1", "eng2"]  # Eli, Erin
    eli, erin = found.reports
    assert eli.profile.committed_hours == 5 and eli.profile.person.cap_hours == 8
    assert [(c.title, c.hours_per_week) for c in eli.engagements] == [("Tracing", 3)]
    assert [(c.application_id, c.title) for c in eli.pending_releases] == [(waiting, "Conference talk")]
    assert [c.skill for c in eli.top_skills] == ["Python", "SQL"]
    assert (erin.profile.committed_hours, erin.commitments) == (0, ())
    assert (found.committed, found.cap_hours, found.pending_releases) == (5, 16, 1)


def test_the_team_s_hours_week_by_week(org, owner, market_as, clock):
    mgr = market_as("mgr")
    first = offered(owner, market_as, "eng1", "Tracing", 4)
    mgr.release(first)  # Monday 2 March, 09:00
    clock.advance(weeks=1)
    second = offered(owner, market_as, "eng2", "Talk", 2)
    mgr.release(second)  # Monday 9 March, 09:00
    clock.advance(weeks=1, days=3, hours=15)  # Thursday 19 March, midnight
    owner.complete(first, rating=4)

    weeks = mgr.team(weeks=4).weeks
    assert [w.start for w in weeks] == [dt.date(2026, 2, 23), dt.date(2026, 3, 2), dt.date(2026, 3, 9),
                                        dt.date(2026, 3, 16)]
    assert weeks[0].hours == 0
    # The first week from Monday 09:00: 4 h for 159 of its 168 hours.
    assert weeks[1].hours == pytest.approx(4 * 159 / 168)
    assert weeks[2].hours == pytest.approx(4 + 2 * 159 / 168)
    # This week so far (three days): Tracing ended at its completion, Talk goes on.
    assert weeks[3].hours == pytest.approx(4 + 2)


def test_someone_nobody_reports_to_has_an_empty_team(org, market_as):
    found = market_as("eng1").team()
    assert found.reports == () and found.committed == 0
    assert len(found.weeks) == 12 and all(w.hours == 0 for w in found.weeks)


def test_the_number_of_weeks_is_checked(org, market_as):
    for bad in (0, "many", 500):
        with pytest.raises(ValidationError) as info:
            market_as("mgr").team(weeks=bad)
        assert "weeks" in info.value.fields


def test_the_cut_rule_in_words():
    # A raise is never refused, even when it stays short of what is held.
    assert policy.may_cut_cap("Eli", 10, (40, 10), (40, 20)) is None
    assert policy.may_cut_cap("Eli", 10, (40, 30), (40, 25)) is None  # 10 h still fits
    assert policy.may_cut_cap("Eli", 41, (40, 100), (20, 100)) == (
        "Eli already has 41 h/week committed to offers and engagements, more than 20 h/week (100% of 20 h): "
        "no cap covers that at 20 h a week; end or decline some of it first")
    assert policy.lowest_cap_pct(6, 40) == 15 and policy.lowest_cap_pct(7, 40) == 18


def test_the_week_starts_on_monday():
    from oppmarket.team import week_starts

    sunday_night = dt.datetime(2026, 3, 8, 23, 0)
    assert week_starts(sunday_night, 2) == (dt.datetime(2026, 2, 23), dt.datetime(2026, 3, 2))
    assert week_starts(NOW, 1) == (dt.datetime(2026, 3, 2),)
