"""How well an opportunity fits a person: a 0-100 score with its reasons, term by term,
and what would raise it most. Pure functions over `oppmarket.domain` records.

The terms and their weights (all in `WEIGHTS`, the only place they live):

- Required skills: each required skill holds an equal share; a level below the one
  asked for earns that fraction of the share (level 2 of 3 earns 2/3). An opportunity
  with no required skills gives the full share. A stale claim (unconfirmed for a year)
  counts one level lower: the skill has likely faded, and confirming it restores it.
- Growth: full points when the opportunity grows at least one skill the person wants
  to learn; the marketplace serves the person, not only the role.
- Availability: full points when the weekly hours fit what is left under the person's
  time cap, else the fraction that fits.
- Newcomer lift: a small lift for people with few completed engagements, fading to
  nothing, so opportunities do not only go to the already well-connected.
  `Weights.without_newcomer_lift()` turns it off (`oppmarket simulate` measures what
  it does by running the marketplace both ways).

Each term's points are rounded half up and the score is their sum, so the terms shown
always add up to the score. Rankings sort by score, then a stable key, so an audit can
reproduce them.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from oppmarket.domain import Opportunity, OppSkill, Profile, SkillClaim


@dataclass(frozen=True)
class Weights:
    """Maximum points per term (they sum to 100) and the two knobs that shape them."""

    required: int = 60
    growth: int = 15
    availability: int = 15
    newcomer: int = 10
    stale_level_penalty: int = 1  # a stale claim counts this many levels lower
    newcomer_until: int = 3  # completed engagements at which the lift has faded to 0; 0 turns it off

    def __post_init__(self) -> None:
        total = self.required + self.growth + self.availability + self.newcomer
        if total != 100:
            raise ValueError(f"match weights must sum to 100, not {total}")
        if self.newcomer_until < 0:
            raise ValueError(f"newcomer_until must be 0 (no lift) or more, not {self.newcomer_until}")

    def without_newcomer_lift(self) -> Weights:
        """The same weights with the newcomer lift turned off: every other term scores
        as before, and nobody gets the lift's points."""
        return replace(self, newcomer_until=0)


WEIGHTS = Weights()

TERM_REQUIRED = "required skills"
TERM_GROWTH = "growth"
TERM_AVAILABILITY = "availability"
TERM_NEWCOMER = "newcomer lift"


@dataclass(frozen=True)
class Term:
    """One reason in a match: `points` earned of `max_points`, and why in a line."""

    name: str
    points: int
    max_points: int
    detail: str


@dataclass(frozen=True)
class Match:
    """A match score (0-100, the sum of the terms' points), a sentence summing it up,
    and the one change that would raise it most (None when none would)."""

    score: int
    terms: tuple[Term, ...]
    summary: str
    raise_hint: str | None

    def term(self, name: str) -> Term:
        """The term called `name` (one of the TERM_* names)."""
        return next(t for t in self.terms if t.name == name)


def _round(points: float) -> int:
    # Half up, not to even: 2.5 points shows as 3 every time, as a person would round.
    return math.floor(points + 0.5)


def _hours(value: float) -> str:
    return f"{value:g} h/week"


def _claims_by_skill(claims: Iterable[SkillClaim]) -> dict[object, SkillClaim]:
    # By id, and by name for records built without ids (imports, hand-made profiles).
    found: dict[object, SkillClaim] = {}
    for claim in claims:
        found[claim.skill_id] = claim
        found[claim.skill.casefold()] = claim
    return found


def _claim_for(claims: Mapping[object, SkillClaim], skill: OppSkill) -> SkillClaim | None:
    return claims.get(skill.skill_id) or claims.get(skill.skill.casefold())


def effective_level(claim: SkillClaim | None, weights: Weights | None = None) -> int:
    """The level a claim counts at: its level, or one lower when it is stale."""
    if claim is None:
        return 0
    penalty = (weights or WEIGHTS).stale_level_penalty
    return max(0, claim.level - penalty) if claim.stale else claim.level


def _required_points(required: tuple[OppSkill, ...], levels: list[int], w: Weights) -> float:
    """Points for required skills held at `levels` (effective, one per skill)."""
    if not required:
        return float(w.required)
    share = w.required / len(required)
    return sum(share * min(level / max(1, s.level), 1.0) for s, level in zip(required, levels))


def _required_term(
    required: tuple[OppSkill, ...], claims: Mapping[object, SkillClaim], levels: list[int], w: Weights
) -> tuple[Term, str]:
    points = _round(_required_points(required, levels, w))
    if not required:
        return Term(TERM_REQUIRED, points, w.required, "no required skills"), "no required skills"
    held, missing = [], []
    for skill, level in zip(required, levels):
        claim = _claim_for(claims, skill)
        if claim is None or level == 0:
            missing.append(skill.skill)
            if claim is not None and claim.stale:
                held.append(f"{skill.skill} {claim.level}/{skill.level} (stale: counts as 0)")
            continue
        note = f" (stale: counts as {level})" if claim.stale and level != claim.level else ""
        held.append(f"{skill.skill} {claim.level}/{skill.level}{note}")
    have = len(required) - len(missing)
    summary = f"{have} of {len(required)} required skills"
    if held:
        summary += f" ({', '.join(held)})"
    detail = summary + (f"; missing {', '.join(missing)}" if missing else "")
    return Term(TERM_REQUIRED, points, w.required, detail), summary


def _growth_term(opp: Opportunity, interests: tuple[str, ...], w: Weights) -> tuple[Term, str | None]:
    wanted = {name.casefold() for name in interests}
    grown = [s.skill for s in opp.grows if s.skill.casefold() in wanted]
    if grown:
        names = " and ".join([", ".join(grown[:-1]), grown[-1]] if len(grown) > 1 else grown)
        text = f"grows {names}, which you want to learn"
        return Term(TERM_GROWTH, w.growth, w.growth, text), text
    if opp.grows:
        detail = f"grows {', '.join(s.skill for s in opp.grows)}; none is on your learning list"
    else:
        detail = "grows no listed skill"
    return Term(TERM_GROWTH, 0, w.growth, detail), None


def _availability_term(hours: int, left: float, w: Weights) -> tuple[Term, str]:
    if hours <= 0:
        text = "needs no weekly hours"
        points = w.availability
    elif hours <= left:
        text = f"fits your {_hours(left)} left"
        points = w.availability
    elif left <= 0:
        text = f"needs {_hours(hours)}; you have no time left under your cap"
        points = 0
    else:
        text = f"needs {_hours(hours)}; you have {_hours(left)} left"
        points = _round(w.availability * left / hours)
    return Term(TERM_AVAILABILITY, points, w.availability, text), text


def _newcomer_term(engagements: int, w: Weights) -> tuple[Term, str | None]:
    until = w.newcomer_until
    past = f"{engagements or 'no'} past engagement{'' if engagements == 1 else 's'}"
    if until <= 0:
        return Term(TERM_NEWCOMER, 0, w.newcomer, f"{past}: the newcomer lift is off"), None
    points = _round(w.newcomer * max(0, until - engagements) / until)
    if points:
        detail = f"{past}: a lift for people new to the marketplace, gone after {until}"
        return Term(TERM_NEWCOMER, points, w.newcomer, detail), f"newcomer lift +{points} ({past})"
    return Term(TERM_NEWCOMER, 0, w.newcomer, f"{past}: no newcomer lift"), None


def _raise_hint(
    required: tuple[OppSkill, ...], claims: Mapping[object, SkillClaim], levels: list[int], points: int,
    w: Weights,
) -> str | None:
    """The required skill whose claim, brought up to the level asked for (and
    confirmed), would add the most points; the first in the posting's order on a tie."""
    best: tuple[int, str] | None = None
    for i, skill in enumerate(required):
        if levels[i] >= skill.level:
            continue
        improved = list(levels)
        improved[i] = skill.level
        gain = _round(_required_points(required, improved, w)) - points
        if gain <= 0 or (best is not None and gain <= best[0]):
            continue
        claim = _claim_for(claims, skill)
        if claim is None:
            text = f"add {skill.skill} at level {skill.level}: +{gain}"
        elif claim.level >= skill.level:
            text = f"confirm {skill.skill} (stale): +{gain}"
        else:
            text = f"raise {skill.skill} to level {skill.level}: +{gain}"
        best = (gain, text)
    return best[1] if best else None


def match(profile: Profile, opp: Opportunity, *, engagements: int | None = None,
          weights: Weights | None = None) -> Match:
    """How well `opp` fits the person in `profile`, term by term.

    `engagements` overrides `profile.engagements` (completed engagements) for the
    newcomer lift, for callers that count them another way. `weights` replaces
    `WEIGHTS` (the simulation compares the marketplace with and without the lift).
    """
    w = weights or WEIGHTS
    claims = _claims_by_skill(profile.skills)
    required = opp.required
    levels = [effective_level(_claim_for(claims, s), w) for s in required]
    req_term, req_text = _required_term(required, claims, levels, w)
    growth_term, growth_text = _growth_term(opp, profile.interests, w)
    time_term, time_text = _availability_term(opp.hours_per_week, profile.hours_left, w)
    past = profile.engagements if engagements is None else engagements
    new_term, new_text = _newcomer_term(max(0, past), w)
    terms = (req_term, growth_term, time_term, new_term)
    summary = "; ".join(text for text in (req_text, growth_text, time_text, new_text) if text)
    return Match(
        score=sum(t.points for t in terms),
        terms=terms,
        summary=summary,
        raise_hint=_raise_hint(required, claims, levels, req_term.points, w),
    )


def tie_break(opp_id: int, username: str) -> str:
    """The stable key that orders applicants with equal scores: a hash of the
    opportunity and the username. Anyone can recompute it, and unlike alphabetical
    order it does not favour the same names on every posting."""
    return hashlib.sha256(f"{opp_id}:{username}".encode()).hexdigest()


def rank_applicants(
    opp: Opportunity, profiles: Iterable[Profile], *, engagements: Mapping[str, int] | None = None,
    weights: Weights | None = None,
) -> list[tuple[Profile, Match]]:
    """Applicants best match first; equal scores in `tie_break` order.
    `engagements` maps usernames to counts that override their profiles'."""
    counts = engagements or {}
    scored = [(p, match(p, opp, engagements=counts.get(p.person.username), weights=weights)) for p in profiles]
    scored.sort(key=lambda pm: (-pm[1].score, tie_break(opp.id, pm[0].person.username)))
    return scored


def rank_opportunities(
    profile: Profile, opportunities: Iterable[Opportunity], *, engagements: int | None = None,
    weights: Weights | None = None,
) -> list[tuple[Opportunity, Match]]:
    """Opportunities for one person, best match first; equal scores by opportunity id."""
    scored = [(o, match(profile, o, engagements=engagements, weights=weights)) for o in opportunities]
    scored.sort(key=lambda om: (-om[1].score, om[0].id))
    return scored
