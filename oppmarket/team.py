"""A line manager's team: each direct report's time cap and what holds it (their
engagements and the offers waiting for a release), their strongest skills, and the
team's marketplace hours week by week. Plain records and arithmetic; `Market.team`
fills them from the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from oppmarket.domain import Profile, SkillClaim
from oppmarket.insights import Period
from oppmarket.lifecycle import RELEASE_WAITING, AppStatus

WEEKS = 12
"""Weeks of team hours the view shows unless asked for another number."""
MAX_WEEKS = 104
TOP_SKILLS = 3
"""Skills shown per report in the list (the card shows them all)."""


@dataclass(frozen=True)
class Commitment:
    """An offer or engagement of a report's that holds hours under their cap."""

    application_id: int
    opportunity_id: int
    title: str
    kind: str
    hours_per_week: int
    status: str
    release_due: dt.datetime | None

    @property
    def waiting_release(self) -> bool:
        return self.status == RELEASE_WAITING


@dataclass(frozen=True)
class Report:
    """One direct report as their line manager sees them."""

    profile: Profile
    commitments: tuple[Commitment, ...]

    @property
    def engagements(self) -> tuple[Commitment, ...]:
        return tuple(c for c in self.commitments if c.status == AppStatus.ACTIVE)

    @property
    def pending_releases(self) -> tuple[Commitment, ...]:
        return tuple(c for c in self.commitments if c.waiting_release)

    @property
    def top_skills(self) -> tuple[SkillClaim, ...]:
        return strongest(self.profile.skills, TOP_SKILLS)


@dataclass(frozen=True)
class Span:
    """Hours a week someone gave the marketplace from `started` (the release) to
    `ended` (completion; None while it goes on)."""

    hours_per_week: int
    started: dt.datetime
    ended: dt.datetime | None


@dataclass(frozen=True)
class Week:
    """A calendar week from Monday `start`, and the team's marketplace hours a week in
    it (over the part already past, for the week under way)."""

    start: dt.date
    hours: float


@dataclass(frozen=True)
class Team:
    reports: tuple[Report, ...]
    weeks: tuple[Week, ...]

    @property
    def committed(self) -> int:
        return sum(r.profile.committed_hours for r in self.reports)

    @property
    def cap_hours(self) -> float:
        return sum(r.profile.person.cap_hours for r in self.reports)

    @property
    def pending_releases(self) -> int:
        return sum(len(r.pending_releases) for r in self.reports)


def strongest(claims: Iterable[SkillClaim], count: int) -> tuple[SkillClaim, ...]:
    """Fresh claims before stale ones, highest level, most evidence, then by name."""
    ranked = sorted(claims, key=lambda c: (c.stale, -c.level, -c.evidence_count, c.skill.casefold()))
    return tuple(ranked[:count])


def week_starts(now: dt.datetime, weeks: int) -> tuple[dt.datetime, ...]:
    """Midnight of the Monday of each of the last `weeks` weeks, oldest first; the
    last is this week's."""
    monday = dt.datetime.combine(now.date() - dt.timedelta(days=now.weekday()), dt.time())
    return tuple(monday - dt.timedelta(weeks=back) for back in range(weeks - 1, -1, -1))


def weekly_hours(spans: Iterable[Span], now: dt.datetime, weeks: int = WEEKS) -> tuple[Week, ...]:
    """The team's marketplace hours a week in each of the last `weeks` weeks: each
    span counts its hours a week for the share of the week it covered."""
    spans = list(spans)
    found = []
    for start in week_starts(now, weeks):
        end = min(start + dt.timedelta(weeks=1), now)
        days = (end - start).total_seconds() / 86400
        if days <= 0:
            found.append(Week(start.date(), 0.0))
            continue
        period = Period(start, end)
        held = sum(s.hours_per_week * period.days_within(s.started, s.ended) for s in spans)
        found.append(Week(start.date(), held / days))
    return tuple(found)
