"""Every figure of the insights on a small hand-built organisation whose answers are
worked out by hand: participation and its Gini, equal access, the release ledger and
its flag, hours unlocked, core work and skills gained; and the empty and one-person
cases."""

from __future__ import annotations

import datetime as dt

import pytest

from oppmarket.insights import (
    AnswerCount, Engagement, Group, Manager, Period, ReleaseRequest, band_of, core_work, equal_access,
    hours_unlocked, participation, period_words, skills_gained,
)
from oppmarket.lifecycle import AppStatus
from oppmarket.release_ledger import (
    FLAG_MIN_SETTLED, FLAG_POINTS, ledger, outcome, releases,
)

START = dt.datetime(2026, 1, 1)
PERIOD = Period(START, START + dt.timedelta(days=28))  # four weeks


def day(n: float) -> dt.datetime:
    return START + dt.timedelta(days=n)


# Five people: Ops (1, 2, 3), Sales (4, 5). Person 1 engaged before the period.
GROUPS = [Group("Ops", True, people=1, shown=4, reached=1, applicants=1, applications=2, offers=1),
          Group("Ops", False, people=2, shown=6, reached=2, applicants=1, applications=1, offers=1),
          Group("Sales", False, people=2, shown=0, reached=0, applicants=2, applications=3, offers=0)]
ENGAGEMENTS = [
    # Person 1: two engagements, the first ever long before the period.
    Engagement(1, "Ops", "Sales", 4, day(-14), day(14), day(-100), lender=10, borrower=20),
    Engagement(1, "Ops", "Ops", 2, day(7), None, day(-100), lender=10, borrower=10),
    # Person 2: a first-timer, 7 h/week for the two weeks from day 14.
    Engagement(2, "Ops", "Sales", 7, day(14), None, day(14), lender=10, borrower=20),
    # Ended before the period: not counted anywhere.
    Engagement(3, "Ops", "Ops", 9, day(-30), day(-2), day(-30), lender=10, borrower=10),
    # Someone from elsewhere on a Sales posting: borrowed hours only.
    Engagement(9, "Legal", "Sales", 1, day(0), day(28), day(0), lender=30, borrower=20, counted=False),
]


def test_period_holds_its_start_but_not_its_end():
    assert PERIOD.holds(START) and not PERIOD.holds(day(28)) and not PERIOD.holds(day(-1))
    assert PERIOD.days_within(day(-14), day(14)) == 14
    assert PERIOD.days_within(day(20), None) == 8
    assert Period(None, day(1)).days_within(day(-10), None) == 11
    assert period_words(PERIOD) == "1 Jan 2026 – 28 Jan 2026"
    with pytest.raises(ValueError):
        Period(day(2), day(1))


def test_participation_share_per_person_gini_and_first_timers():
    p = participation(PERIOD, GROUPS, ENGAGEMENTS)
    assert (p.people, p.participants, p.engagements) == (5, 2, 3)
    assert p.share == pytest.approx(2 / 5)
    assert p.per_person == pytest.approx(3 / 5)
    # Counts 2, 1, 0, 0, 0: pairwise |differences| summed over ordered pairs = 2 * (1+2+2+2 + 1+1+1) = 20,
    # over 2 * n^2 * mean = 2 * 25 * 0.6 = 30.
    assert p.gini == pytest.approx(20 / 30)
    assert p.first_timers == 1 and p.first_timer_engagements == 1
    assert p.first_timer_share == pytest.approx(1 / 3)
    ops, sales = p.by_department
    assert (ops.name, ops.people, ops.participants, ops.engagements, ops.first_timers) == ("Ops", 3, 2, 3, 1)
    assert ops.share == pytest.approx(2 / 3)
    assert (sales.name, sales.people, sales.participants, sales.share) == ("Sales", 2, 0, 0.0)


def test_equal_access_by_department_and_for_newcomers_against_returning():
    a = equal_access(GROUPS)
    ops, sales = a.by_department
    assert (ops.people, ops.shown, ops.applicants, ops.applications, ops.offers) == (3, 10, 2, 3, 2)
    assert ops.shown_per_person == pytest.approx(10 / 3)
    assert ops.application_rate == pytest.approx(2 / 3)
    assert ops.selection_rate == pytest.approx(2 / 3)
    assert (sales.application_rate, sales.selection_rate, sales.shown_per_person) == (1.0, 0.0, 0.0)
    assert (a.returning.people, a.returning.selection_rate) == (1, 0.5)
    assert (a.newcomers.people, a.newcomers.applications, a.newcomers.offers) == (4, 4, 1)
    assert a.newcomers.selection_rate == pytest.approx(1 / 4)
    assert a.everyone.people == 5 and a.everyone.application_rate == pytest.approx(4 / 5)


def test_hours_unlocked_are_hours_a_week_times_weeks_within_the_period():
    h = hours_unlocked(PERIOD, ENGAGEMENTS)
    # 4 h × 2 weeks (completed) + 2 h × 3 weeks + 7 h × 2 weeks (active); the ended one and
    # the other department's engagement are not the people looked at.
    assert h.completed == pytest.approx(8)
    assert h.active == pytest.approx(6 + 14)
    assert h.total == pytest.approx(28)
    assert h.by_team == (("Sales", pytest.approx(22)), ("Ops", pytest.approx(6)))
    # Four one-week slices: 4 + 0, 4 + 2, 2 + 7, 2 + 7 hours a week.
    assert h.weekly == pytest.approx((4, 6, 9, 9))


def request(manager, asked, decided, status, automatic=False, reason=""):
    return ReleaseRequest(manager, day(asked), None if decided is None else day(decided), status, automatic, reason)


A = AppStatus
REQUESTS = [
    request(10, 1, 2, A.ACTIVE),  # released in 1 day
    request(10, 1, 4, A.COMPLETED),  # released in 3 days
    request(10, 2, 3, A.RELEASE_DECLINED, reason="Quarter end"),  # declined in 1 day
    request(10, 3, 8, A.ACTIVE, automatic=True),
    request(10, 5, None, A.ACCEPTED),  # pending
    request(10, 5, None, A.WITHDRAWN),  # withdrawn before a decision
    request(20, 2, 9, A.RELEASE_DECLINED, reason="quarter  end"),
    request(20, 40, 41, A.ACTIVE),  # after the period
]


def test_each_request_has_one_outcome():
    assert [outcome(r) for r in REQUESTS[:6]] == ["granted", "granted", "refused", "automatic", "pending",
                                                   "undecided"]


def test_release_ledger_counts_rates_medians_and_reasons():
    led = ledger(PERIOD, REQUESTS, [Manager(10, "maya", "Maya"), Manager(20, "sam", "Sam")], ENGAGEMENTS)
    c = led.company
    assert (c.requests, c.released, c.declined, c.automatic, c.pending, c.undecided) == (7, 2, 2, 1, 1, 1)
    assert c.decline_rate == pytest.approx(2 / 5)
    # Manager decisions took 1, 3, 1 and 7 days.
    assert c.median_days == pytest.approx(2)
    maya, sam = sorted(led.managers, key=lambda m: m.username)
    assert (maya.releases.requests, maya.releases.settled, maya.releases.median_days) == (6, 4, 1)
    assert maya.releases.decline_rate == pytest.approx(1 / 4)
    assert sam.releases.decline_rate == 1.0 and sam.releases.median_days == 7
    # Reasons are counted together whatever their spacing; the same words in another case stay apart.
    assert led.reasons == (("Quarter end", 1), ("quarter end", 1))
    # Lent: maya's reports' 8 + 6 + 14 h (the ended one gave nothing in the period); borrowed: what
    # postings of her team received, 6 h. Sam's team borrowed 8 + 14 + 4 (the other department's).
    assert maya.lent_hours == pytest.approx(28) and maya.borrowed_hours == pytest.approx(6)
    assert sam.lent_hours == 0 and sam.borrowed_hours == pytest.approx(26)
    assert not maya.flagged and not sam.flagged  # sam settled only one


def test_a_manager_is_flagged_only_far_above_the_company_on_enough_requests():
    company = [request(1, 1, 2, A.ACTIVE) for _ in range(20)]
    declining = [request(2, 1, 2, A.RELEASE_DECLINED, reason="no") for _ in range(2)]
    declining += [request(2, 1, 2, A.ACTIVE) for _ in range(FLAG_MIN_SETTLED - 2)]
    managers = [Manager(1, "a", "A"), Manager(2, "b", "B")]
    led = ledger(PERIOD, company + declining, managers, [])
    rate = 2 / FLAG_MIN_SETTLED
    assert (rate - led.company.decline_rate) * 100 >= FLAG_POINTS
    assert [m.username for m in led.managers if m.flagged] == ["b"]
    assert led.managers[0].username == "b"  # flagged first
    # One settled request fewer is not enough to mean something.
    led = ledger(PERIOD, company + declining[:-1], managers, [])
    assert not any(m.flagged for m in led.managers)


def test_a_line_manager_is_compared_with_the_whole_company():
    led = ledger(PERIOD, REQUESTS, [Manager(20, "sam", "Sam")], ENGAGEMENTS)
    assert led.releases.requests == 1 and led.company.requests == 7
    assert [m.username for m in led.managers] == ["sam"]
    assert led.reasons == (("quarter end", 1),)


def test_core_work_answers_side_by_side_by_hours_band():
    counts = [AnswerCount("participant", "better", 2, 3), AnswerCount("participant", "worse", 1, 1),
              AnswerCount("manager", "same", 2, 2), AnswerCount("manager", None, 2, 1),
              AnswerCount("participant", "same", 10, 1)]
    c = core_work(counts)
    assert [b.band for b in c.bands] == ["1-2 h/week", "9+ h/week"]
    low = c.bands[0]
    assert (low.participants.better, low.participants.worse, low.participants.answered) == (3, 1, 4)
    assert (low.managers.same, low.managers.unanswered, low.managers.answered) == (2, 1, 2)
    assert (c.participants.better, c.participants.same, c.participants.worse) == (3, 1, 1)
    assert [band_of(h) for h in (1, 2, 3, 4, 5, 8, 9, 40)] == ["1-2 h/week"] * 2 + ["3-4 h/week"] * 2 + [
        "5-8 h/week"] * 2 + ["9+ h/week"] * 2


def test_skills_gained_are_totalled_and_the_most_gained_come_first():
    s = skills_gained([("SQL", 1), ("Python", 3), ("Excel", 1)], 2, [("English", 2)], 2)
    assert (s.endorsements, s.endorsed_people, s.certifications, s.certified_people) == (5, 2, 2, 2)
    assert s.top_endorsed == (("Python", 3), ("Excel", 1), ("SQL", 1))


def test_nothing_at_all_gives_zeros_not_errors():
    p = participation(PERIOD, [], [])
    assert (p.people, p.participants, p.share, p.per_person, p.gini, p.first_timer_share) == (0, 0, 0, 0, 0, 0)
    assert p.by_department == ()
    a = equal_access([])
    assert (a.everyone.application_rate, a.everyone.selection_rate, a.everyone.shown_per_person) == (0, 0, 0)
    h = hours_unlocked(PERIOD, [])
    assert (h.total, h.by_team) == (0, ())
    assert h.weekly == (0, 0, 0, 0)
    assert hours_unlocked(Period(None, START), []).weekly == ()
    r = releases([])
    assert (r.requests, r.decline_rate, r.median_days) == (0, 0, None)
    led = ledger(PERIOD, [], [Manager(1, "a", "A")], [])
    assert led.managers == () and led.reasons == ()
    assert core_work([]).bands == ()


def test_one_person():
    groups = [Group(None, False, people=1, applicants=1, applications=1, offers=1)]
    taken = [Engagement(1, None, None, 3, day(0), day(7), day(0))]
    p = participation(PERIOD, groups, taken)
    assert (p.people, p.participants, p.engagements, p.gini, p.first_timers) == (1, 1, 1, 0.0, 1)
    assert [(d.name, d.share) for d in p.by_department] == [("No department", 1.0)]
    assert hours_unlocked(PERIOD, taken).total == pytest.approx(3)
    assert hours_unlocked(PERIOD, taken).by_team == (("No department", pytest.approx(3)),)
    assert equal_access(groups).everyone.selection_rate == 1.0
