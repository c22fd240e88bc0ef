"""The newcomer-lift simulation: small runs (60 people, a few weeks) of the real
marketplace. Same seed, same figures; the lift switch reaches the scores; seats and
time caps hold every week; the command's flags and output."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from oppmarket import cli, policy, simulate
from oppmarket.errors import ValidationError
from oppmarket.db import models as M
from oppmarket.lifecycle import HOLDING_STATUSES
from oppmarket.matching import TERM_NEWCOMER, WEIGHTS

PEOPLE, WEEKS, SEED = 60, 6, 11


def holding_too_much() -> list[str]:
    """Postings holding more offers and engagements than seats, and people holding
    more hours than their time cap, as read from the database."""
    holding = M.Application.select().where(M.Application.status.in_(HOLDING_STATUSES))
    seats = Counter(a.opportunity_id for a in holding)
    hours = Counter()
    for a in holding:
        hours[a.applicant_id] += a.hours_per_week
    wrong = [f"posting {o.id}: {seats[o.id]} of {o.seats} seats"
             for o in M.Opportunity.select() if seats[o.id] > o.seats]
    wrong += [f"{e.username}: {hours[e.id]} h/week" for e in M.Employee.select()
              if not policy.fits_cap(hours[e.id], 0, e.weekly_hours, e.cap_pct)]
    return wrong


def simulated(weights):
    """A run of PEOPLE for WEEKS, checking seats and caps after every week; returns
    the outcome, its engagements, what one person was recommended after the first
    week (when nobody has completed an engagement yet) and every week's breaches."""
    breaches, shown = [], []
    with simulate.throwaway_database() as db:
        world = simulate.Simulation(db, PEOPLE, SEED, weights)
        for week in range(WEEKS):
            world.step(week)
            breaches += [f"week {week + 1}: {problem}" for problem in holding_too_much()]
            if week == 0:
                shown = world.market_of(world.usernames[-1]).recommend(record=False)
        return simulate.outcome(world.usernames, world.engagements, lift=weights.newcomer_until > 0,
                                weeks=WEEKS), world.engagements, shown, breaches


@pytest.fixture(scope="module")
def with_lift():
    return simulated(WEIGHTS)


@pytest.fixture(scope="module")
def without_lift():
    return simulated(WEIGHTS.without_newcomer_lift())


def test_a_run_makes_engagements_within_seats_and_caps(with_lift, without_lift):
    for result, engagements, _, breaches in (with_lift, without_lift):
        assert result.engagements == len(engagements) > 0
        assert breaches == []
        assert 0 < result.engaged_share <= 1
        assert 0 <= result.gini < 1


def test_the_same_seed_gives_the_same_figures(with_lift):
    assert simulate.run(PEOPLE, WEEKS, SEED) == with_lift[0]


def test_the_lift_switch_reaches_the_scores(with_lift, without_lift):
    on, on_engagements, on_shown, _ = with_lift
    off, off_engagements, off_shown, _ = without_lift
    # Before anyone has an engagement, everyone shown a posting gets the whole lift, or none.
    assert on_shown and {r.match.term(TERM_NEWCOMER).points for r in on_shown} == {WEIGHTS.newcomer}
    assert off_shown and {r.match.term(TERM_NEWCOMER).points for r in off_shown} == {0}
    assert [r.match.score - WEIGHTS.newcomer for r in on_shown] == [r.match.score for r in off_shown]
    # The owners ranked by scores with the lift in them, or without.
    assert any(e.lift > 0 for e in on_engagements) and on.mean_score > on.mean_fit
    assert all(e.lift == 0 for e in off_engagements) and off.mean_score == off.mean_fit


def test_first_timers_are_counted_once_each(with_lift):
    result, engagements, _, _ = with_lift
    firsts = [e.username for e in engagements if e.first]
    assert len(firsts) == len(set(firsts)) == len({e.username for e in engagements})
    assert result.first_timer_share == pytest.approx(len(firsts) / len(engagements))


def test_outcome_counts_everyone_including_people_with_no_engagement():
    engagements = [simulate.Engagement("ana", 0, 80, 10, True), simulate.Engagement("ana", 2, 70, 3, False)]
    result = simulate.outcome(["ana", "bo", "cy", "di"], engagements, lift=True, weeks=3)
    assert result.gini == pytest.approx(0.75)
    assert (result.mean_score, result.mean_fit) == (75, 68.5)
    assert (result.engaged_share, result.first_timer_share) == (0.25, 0.5)


@pytest.mark.parametrize("people, weeks, seed, field", [
    (10, 4, 1, "people"), (PEOPLE, 0, 1, "weeks"), (PEOPLE, simulate.MAX_WEEKS + 1, 1, "weeks"),
    (PEOPLE, 4, -1, "seed"), (True, 4, 1, "people"),
])
def test_sizes_are_checked_by_field(people, weeks, seed, field):
    with pytest.raises(ValidationError) as error:
        simulate.run(people, weeks, seed)
    assert set(error.value.fields) == {field}


def test_the_command_prints_both_runs_and_leaves_no_database(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("OPPMARKET_DB", f"sqlite:///{tmp_path / 'mine.db'}")
    code = cli.main(["simulate", "--people", str(PEOPLE), "--weeks", "2", "--seed", str(SEED), "--json"])
    out = capsys.readouterr().out
    assert code == 0
    figures = json.loads(out)
    assert figures["seed"] == SEED and figures["newcomer"] == WEIGHTS.newcomer
    assert figures["with_lift"] == simulate.run(PEOPLE, 2, SEED).as_dict()
    assert figures["without_lift"]["lift"] is False
    assert figures["without_lift"]["mean_score"] == figures["without_lift"]["mean_fit"]
    assert not (tmp_path / "mine.db").exists()

    assert cli.main(["simulate", "--people", str(PEOPLE), "--weeks", "1"]) == 0
    out = capsys.readouterr().out
    assert f"{PEOPLE} people, 1 week, seed 7\n" in out
    assert f"newcomer lift: up to {WEIGHTS.newcomer} points, gone after {WEIGHTS.newcomer_until}" in out
    for row in ("Gini of engagements per person", "mean match score of engagements",
                "people with an engagement", "engagements going to first-timers"):
        assert row in out
    assert "The lift" in out


@pytest.mark.parametrize("flag, value, says", [
    ("--people", "9", "9 is not between 60 and 20000"),
    ("--people", "many", "'many' is not a whole number"),
    ("--weeks", "0", "0 is not between 1 and 104"),
    ("--weeks", "105", "105 is not between 1 and 104"),
    ("--seed", "-3", "-3 is not between 0"),
])
def test_a_bad_flag_names_itself(capsys, flag, value, says):
    with pytest.raises(SystemExit) as exc:
        cli.main(["simulate", flag, value])
    assert exc.value.code != 0
    err = capsys.readouterr().err
    assert f"argument {flag}: {says}" in err
