"""Match scores with worked examples. The weights (see `oppmarket.matching.WEIGHTS`):
required skills 60, growth 15, availability 15, newcomer lift 10; a stale claim counts
one level lower; the lift fades to nothing at 3 completed engagements. Each term is
rounded half up and the score is the sum of the terms."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from oppmarket.domain import Opportunity, OppSkill, Person, Profile, SkillClaim
from oppmarket.matching import (
    TERM_AVAILABILITY,
    TERM_GROWTH,
    TERM_NEWCOMER,
    TERM_REQUIRED,
    WEIGHTS,
    Weights,
    match,
    rank_applicants,
    rank_opportunities,
    tie_break,
)

NOW = dt.datetime(2025, 3, 1, 9, 0)
SKILL_IDS = {"Python": 1, "SQL": 2, "Docker": 3, "Go": 4, "Kubernetes": 5, "Rust": 6, "Figma": 7, "Excel": 8}


def person(username="ana", weekly_hours=40, cap_pct=20) -> Person:
    return Person(1, username, username.title(), f"{username}@example.com", "Engineer", "Platform", 1, None,
                  weekly_hours, cap_pct, False, True)


def claim(skill: str, level: int, stale: bool = False) -> SkillClaim:
    return SkillClaim(SKILL_IDS[skill], skill, "Tech", level, "self", 0, NOW, stale)


def profile(skills=(), interests=(), committed=4, engagements=0, username="ana", **person_kw) -> Profile:
    return Profile(person(username, **person_kw), tuple(skills), tuple(interests), committed, engagements)


def opportunity(required=(), grows=(), hours=4, opp_id=7) -> Opportunity:
    skills = tuple(OppSkill(SKILL_IDS[n], n, lvl, "required") for n, lvl in required)
    skills += tuple(OppSkill(SKILL_IDS[n], n, 2, "grows") for n in grows)
    return Opportunity(opp_id, "gig", f"Gig {opp_id}", "", "bob", "Bob", None, hours, None, None, 1, 0, "", True,
                       "open", NOW, NOW, skills)


def points(m, name):
    return m.term(name).points


def test_weights_sum_to_100_and_are_checked():
    assert WEIGHTS.required + WEIGHTS.growth + WEIGHTS.availability + WEIGHTS.newcomer == 100
    with pytest.raises(ValueError, match="sum to 100"):
        Weights(required=70)


def test_the_worked_example_from_the_architecture():
    me = profile(
        skills=[claim("Python", 4), claim("SQL", 3), claim("Docker", 2)],
        interests=["Kubernetes"],
        committed=4,  # cap 40 h * 20 % = 8 h, 4 committed -> 4 h left
        engagements=0,
    )
    opp = opportunity(required=[("Python", 3), ("SQL", 3), ("Docker", 3), ("Go", 2)], grows=["Kubernetes"], hours=4)
    m = match(me, opp)
    # required: 60 / 4 = 15 a skill; Python 15 + SQL 15 + Docker 15 * 2/3 = 10 + Go 0 = 40
    # growth 15 (Kubernetes is wanted), availability 15 (4 h fit 4 h left), lift 10 (none yet)
    assert [(t.name, t.points, t.max_points) for t in m.terms] == [
        (TERM_REQUIRED, 40, 60),
        (TERM_GROWTH, 15, 15),
        (TERM_AVAILABILITY, 15, 15),
        (TERM_NEWCOMER, 10, 10),
    ]
    assert m.score == 80 == sum(t.points for t in m.terms)
    assert m.summary == (
        "3 of 4 required skills (Python 4/3, SQL 3/3, Docker 2/3); grows Kubernetes, which you want to learn; "
        "fits your 4 h/week left; newcomer lift +10 (no past engagements)"
    )
    assert m.term(TERM_REQUIRED).detail.endswith("; missing Go")
    # Go at level 2 adds its whole share (40 -> 55, +15); Docker at 3 only its last third (+5).
    assert m.raise_hint == "add Go at level 2: +15"


def test_raise_hint_names_the_skill_to_level_up():
    me = profile(skills=[claim("Python", 1), claim("SQL", 2)])
    opp = opportunity(required=[("Python", 4), ("SQL", 3)])
    m = match(me, opp)
    # 30 a skill: Python 30 * 1/4 = 7.5, SQL 30 * 2/3 = 20 -> 27.5 -> 28 (half up)
    assert points(m, TERM_REQUIRED) == 28
    # Python to 4: 30 + 20 = 50 (+22); SQL to 3: 7.5 + 30 = 37.5 -> 38 (+10)
    assert m.raise_hint == "raise Python to level 4: +22"


def test_no_required_skills_means_full_coverage_and_no_hint():
    m = match(profile(engagements=5), opportunity(hours=2))
    assert m.term(TERM_REQUIRED).points == 60
    assert m.term(TERM_REQUIRED).detail == "no required skills"
    # 60 + growth 0 + availability 15 + lift 0 (5 engagements)
    assert m.score == 75
    assert m.raise_hint is None
    assert m.summary == "no required skills; fits your 4 h/week left"


def test_nothing_to_raise_when_every_skill_is_met():
    m = match(profile(skills=[claim("Python", 5)]), opportunity(required=[("Python", 3)]))
    assert points(m, TERM_REQUIRED) == 60
    assert m.raise_hint is None


def test_stale_claims_count_one_level_lower():
    me = profile(skills=[claim("Python", 4, stale=True)])
    m = match(me, opportunity(required=[("Python", 4)]))
    # counts as 3 of 4: 60 * 3/4 = 45
    assert points(m, TERM_REQUIRED) == 45
    assert "Python 4/4 (stale: counts as 3)" in m.summary
    assert m.raise_hint == "confirm Python (stale): +15"

    # a stale claim above the level asked for still covers it: 5 - 1 = 4 >= 4
    assert points(match(profile(skills=[claim("Python", 5, stale=True)]), opportunity(required=[("Python", 4)])),
                  TERM_REQUIRED) == 60


def test_stale_level_one_counts_as_missing():
    m = match(profile(skills=[claim("Go", 1, stale=True)]), opportunity(required=[("Go", 2)]))
    assert points(m, TERM_REQUIRED) == 0
    assert m.summary.startswith("0 of 1 required skills (Go 1/2 (stale: counts as 0))")
    assert m.raise_hint == "raise Go to level 2: +60"


def test_rounding_is_half_up():
    # 8 required skills share 60: 7.5 each; three held fully -> 22.5 -> 23 (not 22)
    names = ["Python", "SQL", "Docker", "Go", "Kubernetes", "Rust", "Figma", "Excel"]
    me = profile(skills=[claim("Python", 3), claim("SQL", 3), claim("Docker", 3)])
    m = match(me, opportunity(required=[(n, 3) for n in names]))
    assert points(m, TERM_REQUIRED) == 23


@pytest.mark.parametrize(
    ("committed", "hours", "expected", "text"),
    [
        (4, 4, 15, "fits your 4 h/week left"),
        (4, 6, 10, "needs 6 h/week; you have 4 h/week left"),  # 15 * 4/6 = 10
        (6, 8, 4, "needs 8 h/week; you have 2 h/week left"),  # 15 * 2/8 = 3.75 -> 4
        (8, 2, 0, "needs 2 h/week; you have no time left under your cap"),
        (8, 0, 15, "needs no weekly hours"),
    ],
)
def test_availability_against_the_time_cap(committed, hours, expected, text):
    m = match(profile(committed=committed), opportunity(hours=hours))
    assert (m.term(TERM_AVAILABILITY).points, m.term(TERM_AVAILABILITY).detail) == (expected, text)


def test_fractional_cap():
    # 37 h at 15 % = 5.55 h; nothing committed; a 6 h gig: 15 * 5.55 / 6 = 13.875 -> 14
    m = match(profile(committed=0, weekly_hours=37, cap_pct=15), opportunity(hours=6))
    assert m.term(TERM_AVAILABILITY).points == 14
    assert m.term(TERM_AVAILABILITY).detail == "needs 6 h/week; you have 5.55 h/week left"


@pytest.mark.parametrize(("engagements", "lift"), [(0, 10), (1, 7), (2, 3), (3, 0), (12, 0)])
def test_newcomer_lift_fades(engagements, lift):
    # 10 * (3 - n) / 3: 10, 6.67 -> 7, 3.33 -> 3, 0
    assert points(match(profile(engagements=engagements), opportunity()), TERM_NEWCOMER) == lift


def test_newcomer_lift_in_words():
    m = match(profile(engagements=1), opportunity())
    assert m.term(TERM_NEWCOMER).detail == "1 past engagement: a lift for people new to the marketplace, gone after 3"
    assert m.summary.endswith("; newcomer lift +7 (1 past engagement)")


def test_engagements_argument_overrides_the_profile():
    m = match(profile(engagements=0), opportunity(), engagements=3)
    assert points(m, TERM_NEWCOMER) == 0
    assert m.term(TERM_NEWCOMER).detail == "3 past engagements: no newcomer lift"


def test_growth_needs_a_wanted_skill():
    opp = opportunity(grows=["Kubernetes", "Go"])
    assert points(match(profile(interests=["Rust"]), opp), TERM_GROWTH) == 0
    assert match(profile(interests=["Rust"]), opp).term(TERM_GROWTH).detail == (
        "grows Kubernetes, Go; none is on your learning list"
    )
    both = match(profile(interests=["go", "kubernetes"]), opp)  # names compare without case
    assert points(both, TERM_GROWTH) == 15
    assert both.term(TERM_GROWTH).detail == "grows Kubernetes and Go, which you want to learn"
    assert match(profile(), opportunity()).term(TERM_GROWTH).detail == "grows no listed skill"


def test_claims_match_by_name_when_ids_differ():
    imported = SkillClaim(99, "python", "Tech", 3, "self", 0, NOW, False)
    assert points(match(profile(skills=[imported]), opportunity(required=[("Python", 3)])), TERM_REQUIRED) == 60


def test_rank_opportunities_by_score_then_id():
    me = profile(skills=[claim("Python", 3)], engagements=3)
    opps = [
        opportunity(required=[("Go", 2)], opp_id=3),  # 0 + 15 = 15
        opportunity(required=[("Python", 3)], opp_id=9),  # 60 + 15 = 75
        opportunity(required=[("Python", 3)], opp_id=4),  # 75, lower id first
        opportunity(required=[("Python", 3)], hours=8, opp_id=1),  # 60 + 15 * 4/8 = 67.5 -> 68
    ]
    ranked = rank_opportunities(me, opps)
    assert [(o.id, m.score) for o, m in ranked] == [(4, 75), (9, 75), (1, 68), (3, 15)]
    assert rank_opportunities(me, reversed(opps)) == ranked


def test_rank_applicants_is_reproducible():
    opp = opportunity(required=[("Python", 3)], opp_id=42)
    applicants = [
        profile(skills=[claim("Python", 3)], engagements=3, username=name) for name in ("ana", "ben", "cy", "dee")
    ] + [profile(skills=[claim("Python", 1)], engagements=3, username="eve")]
    ranked = rank_applicants(opp, applicants)
    # four tie at 75 and go in hash order; eve (60 * 1/3 = 20, + 15 = 35) is last
    tied = sorted(["ana", "ben", "cy", "dee"], key=lambda u: hashlib.sha256(f"42:{u}".encode()).hexdigest())
    assert [p.person.username for p, _ in ranked] == tied + ["eve"]
    assert [m.score for _, m in ranked] == [75, 75, 75, 75, 35]
    assert rank_applicants(opp, reversed(applicants)) == ranked
    assert tie_break(42, "ana") == hashlib.sha256(b"42:ana").hexdigest()


def test_rank_applicants_uses_engagement_overrides():
    opp = opportunity(opp_id=5)
    veteran = profile(engagements=0, username="vic")
    newcomer = profile(engagements=0, username="nia")
    ranked = rank_applicants(opp, [veteran, newcomer], engagements={"vic": 4})
    # nia 60 + 15 + 10 = 85; vic 60 + 15 + 0 = 75
    assert [(p.person.username, m.score) for p, m in ranked] == [("nia", 85), ("vic", 75)]


def test_without_the_newcomer_lift_only_the_lift_changes():
    me = profile(engagements=0)
    opp = opportunity()
    with_lift = match(me, opp)
    without = match(me, opp, weights=WEIGHTS.without_newcomer_lift())
    assert with_lift.term(TERM_NEWCOMER).points == WEIGHTS.newcomer
    assert without.term(TERM_NEWCOMER).points == 0
    assert without.term(TERM_NEWCOMER).detail == "no past engagements: the newcomer lift is off"
    assert without.score == with_lift.score - WEIGHTS.newcomer
    assert [t for t in without.terms if t.name != TERM_NEWCOMER] == [
        t for t in with_lift.terms if t.name != TERM_NEWCOMER]
    # Passing the default weights scores exactly as passing none.
    assert match(me, opp, weights=WEIGHTS) == with_lift
