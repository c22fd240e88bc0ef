"""Insights counted from the database, on both backends: the figures of a known
organisation (tests/support/insights.py), the period, and who sees what: an admin the
whole company, a line manager their direct reports and their own releases, anyone
else their own participation; never a name from another department for a non-admin."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from oppmarket import render_insights
from oppmarket.errors import ValidationError

from support import NOW
from support.insights import REASON, insights_org


@pytest.fixture
def known(db, clock, market_as):
    insights_org(db, clock)
    return market_as


def test_the_admin_sees_the_whole_company(known):
    found = known("admin").insights()
    assert found.scope == "company"
    p = found.participation
    # admin, mgr, eng1, eng2, owner, owned, loner; eng1 and owned took part, both for the first time.
    assert (p.people, p.participants, p.engagements, p.first_timers) == (7, 2, 2, 2)
    assert p.gini == pytest.approx(5 / 7)
    assert {d.name: (d.people, d.participants) for d in p.by_department} == {
        "No department": (2, 0), "Platform": (3, 1), "Product": (2, 1)}
    a = found.access
    assert (a.everyone.applicants, a.everyone.applications, a.everyone.offers) == (3, 3, 3)
    assert a.everyone.application_rate == pytest.approx(3 / 7)
    led = found.ledger
    # owned's release was asked of owner, their manager, as eng1's and eng2's were of mgr.
    assert (led.company.requests, led.company.released, led.company.declined) == (3, 2, 1)
    assert led.company.median_days == pytest.approx(2)
    assert led.reasons == ((REASON, 1),)
    by_name = {m.username: m for m in led.managers}
    assert set(by_name) == {"mgr", "owner"}
    # eng1 gave 4 h for the 2 weeks to completion, owned 4 h for the 2 weeks since (still active),
    # both on the posting of owner, who manages people: their team borrowed both.
    assert (by_name["mgr"].lent_hours, by_name["mgr"].borrowed_hours) == (pytest.approx(8), 0)
    assert (by_name["owner"].lent_hours, by_name["owner"].borrowed_hours) == (pytest.approx(8), pytest.approx(16))
    h = found.hours
    assert h.completed == pytest.approx(8) and h.active == pytest.approx(4 * 14 / 7)
    assert h.by_team == (("Product", pytest.approx(16)),)
    c = found.core_work
    assert (c.participants.better, c.managers.same) == (1, 1)
    assert (found.skills.endorsements, found.skills.top_endorsed) == (1, (("SQL", 1),))


def test_a_line_manager_sees_their_direct_reports_and_their_own_releases(known):
    found = known("mgr").insights()
    assert found.scope == "reports" and found.scope_words == "your 2 direct reports"
    p = found.participation
    assert (p.people, p.participants, p.engagements) == (2, 1, 1)
    assert [m.username for m in found.ledger.managers] == ["mgr"]
    assert (found.ledger.releases.requests, found.ledger.company.requests) == (2, 3)
    assert found.ledger.releases.decline_rate == pytest.approx(0.5)
    assert found.core_work.managers.same == 1


def test_a_non_admin_never_sees_a_name_from_another_department(known):
    """mgr (Platform) may see the company's counts, never who is behind them in Product."""
    seen = json.dumps(render_insights.document(known("mgr").insights()))
    for name in ("owner", "Omar Owner", "owned", "Olga Analyst", "loner", "Luca Loner"):
        assert name not in seen
    # The same figures for an admin name the Product manager.
    assert "Omar Owner" in json.dumps(render_insights.document(known("admin").insights()))


def test_an_employee_sees_only_their_own_participation(known):
    found = known("eng2").insights()
    assert found.scope == "self" and found.ledger is None
    assert (found.participation.people, found.participation.engagements) == (1, 0)
    assert (found.access.everyone.applications, found.access.everyone.offers) == (1, 1)
    seen = json.dumps(render_insights.document(found))
    assert "Eli Engineer" not in seen and "eng1" not in seen and REASON not in seen


def test_the_period_bounds_every_figure(known):
    # The day of the offers alone: applications and requests, no engagement yet.
    first = known("admin").insights(since=NOW.date(), until=NOW.date())
    assert first.period.until == dt.datetime.combine(NOW.date() + dt.timedelta(days=1), dt.time())
    assert first.access.everyone.applications == 3 and first.ledger.company.requests == 3
    assert first.participation.engagements == 0 and first.hours.total == 0
    # The day of the completion: both engagements ran, nobody applied; its endorsement and answers.
    late = known("admin").insights(since=(NOW + dt.timedelta(days=16)).date())
    assert late.participation.engagements == 2 and late.access.everyone.applications == 0
    assert late.skills.endorsements == 1 and late.core_work.participants.better == 1
    assert late.ledger.company.requests == 0


@pytest.mark.parametrize(("since", "until", "field"), [
    ("2026-02-30", None, "since"), (None, "soon", "until"), ("2026-03-05", "2026-03-01", "until"),
    ("2099-01-01", None, "since")])
def test_a_bad_period_names_its_field(known, since, until, field):
    with pytest.raises(ValidationError) as raised:
        known("admin").insights(since=since, until=until)
    assert field in raised.value.fields


def test_an_empty_marketplace_has_nothing_to_show(org, market_as):
    found = market_as("admin").insights()
    assert found.empty and found.participation.people == 7 and found.ledger.managers == ()
