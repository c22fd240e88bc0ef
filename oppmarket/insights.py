"""What the marketplace did over a period, as plain figures: participation, equal
access, the release ledger, hours unlocked, core work, skills gained.

Pure functions over plain values; `oppmarket.market` counts the rows and hands them
here, and `oppmarket simulate` uses the same measures on its generated organisation."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oppmarket.release_ledger import Ledger


def gini(counts: Iterable[float]) -> float:
    """The Gini coefficient of non-negative amounts (engagements per person, say):
    0 when everyone has the same, approaching 1 when one person has everything.
    0 for no people, for one person, and when nobody has anything."""
    values = sorted(float(c) for c in counts)
    if any(v < 0 for v in values):
        raise ValueError("gini needs amounts of zero or more")
    n = len(values)
    total = sum(values)
    if n < 2 or total == 0:
        return 0.0
    # Mean absolute difference over twice the mean, in its sorted closed form.
    weighted = sum((2 * i - n + 1) * v for i, v in enumerate(values))
    return weighted / (n * total)


# ---------------------------------------------------------------------- the period

NO_DEPARTMENT = "No department"
"""How people (or postings) in no department are grouped."""


@dataclass(frozen=True)
class Period:
    """From `since` (None: the beginning) up to `until`, excluded. Naive UTC, as every
    timestamp is stored."""

    since: dt.datetime | None
    until: dt.datetime

    def __post_init__(self) -> None:
        if self.since is not None and self.since > self.until:
            raise ValueError("a period cannot end before it starts")

    def holds(self, when: dt.datetime | None) -> bool:
        return when is not None and (self.since is None or when >= self.since) and when < self.until

    def days_within(self, start: dt.datetime, end: dt.datetime | None) -> float:
        """Days of [start, end) that fall in the period (`end` None: still going)."""
        first = start if self.since is None else max(start, self.since)
        last = self.until if end is None else min(end, self.until)
        return max(0.0, (last - first).total_seconds() / 86400)

    def before(self, when: dt.datetime | None) -> bool:
        """True when `when` lies before the period starts (never, from the beginning)."""
        return when is not None and self.since is not None and when < self.since


def period_words(period: Period) -> str:
    """'1 Dec 2025 – 1 Mar 2026' (both days included), or 'all time up to …'."""
    last = (period.until - dt.timedelta(microseconds=1)).date()
    end = f"{last.day} {last:%b %Y}"
    if period.since is None:
        return f"all time up to {end}"
    return f"{period.since.day} {period.since:%b %Y} – {end}"


# ---------------------------------------------------------------------- what is counted (the inputs)

@dataclass(frozen=True)
class Engagement:
    """An application that reached active, or completed: who, for which posting
    team, how many hours a week from `started` (its release) to `ended` (completion;
    None while active), and when the person's first engagement ever started."""

    person: int
    department: str | None
    team: str | None  # the posting's department
    hours_per_week: int
    started: dt.datetime
    ended: dt.datetime | None
    first_started: dt.datetime
    lender: int | None = None  # the participant's line manager
    borrower: int | None = None  # the manager whose team posted it
    counted: bool = True  # the participant is one of the people looked at

    def hours(self, period: Period) -> float:
        return self.hours_per_week * period.days_within(self.started, self.ended) / 7

    def overlaps(self, period: Period) -> bool:
        return self.started < period.until and (self.ended is None or period.since is None
                                                 or self.ended >= period.since)


@dataclass(frozen=True)
class Group:
    """A group of the people looked at (a department, and whether they had an
    engagement before the period), with what the market counted of them."""

    department: str | None
    returning: bool
    people: int = 0
    shown: int = 0  # recommendations first shown to them in the period
    reached: int = 0  # of them, people shown at least one
    applicants: int = 0  # of them, people who applied in the period
    applications: int = 0
    offers: int = 0  # of those applications, the ones that led to an offer


@dataclass(frozen=True)
class ReleaseRequest:
    """An accepted offer that asked a line manager to release a report's time."""

    manager: int | None
    asked_at: dt.datetime  # when the candidate accepted, and so the manager was asked
    decided_at: dt.datetime | None  # the release, automatic or not, or the decline
    status: str
    automatic: bool
    reason: str = ""  # why it was declined


@dataclass(frozen=True)
class Manager:
    id: int
    username: str
    display_name: str


@dataclass(frozen=True)
class AnswerCount:
    """How many of one role gave one answer (None: not yet) about engagements of so
    many hours a week."""

    role: str  # participant | manager
    answer: str | None
    hours_per_week: int
    count: int


# ---------------------------------------------------------------------- participation

@dataclass(frozen=True)
class DepartmentShare:
    name: str
    people: int
    participants: int
    engagements: int
    first_timers: int

    @property
    def share(self) -> float:
        return self.participants / self.people if self.people else 0.0


@dataclass(frozen=True)
class Participation:
    people: int
    participants: int
    engagements: int
    per_person: float  # engagements per person looked at
    gini: float  # of engagements per person, nobody left out
    first_timers: int  # participants whose first engagement ever is in the period
    first_timer_engagements: int
    by_department: tuple[DepartmentShare, ...]

    @property
    def share(self) -> float:
        return self.participants / self.people if self.people else 0.0

    @property
    def first_timer_share(self) -> float:
        """Share of the period's engagements that went to first-timers."""
        return self.first_timer_engagements / self.engagements if self.engagements else 0.0


def _department(name: str | None) -> str:
    return name or NO_DEPARTMENT


def participation(period: Period, groups: Iterable[Group], engagements: Iterable[Engagement]) -> Participation:
    """Who took part in the period: every engagement overlapping it counts once."""
    people: Counter[str] = Counter()
    for g in groups:
        people[_department(g.department)] += g.people
    taken = [e for e in engagements if e.counted and e.overlaps(period)]
    per_person = Counter(e.person for e in taken)
    departments = {e.person: _department(e.department) for e in taken}
    first_timers = {e.person for e in taken if period.holds(e.first_started)}
    total = sum(people.values())
    rows = []
    for name in sorted(set(people) | set(departments.values()), key=str.casefold):
        mine = [p for p, d in departments.items() if d == name]
        rows.append(DepartmentShare(name, people[name], len(mine), sum(per_person[p] for p in mine),
                                    sum(1 for p in mine if p in first_timers)))
    counts = list(per_person.values()) + [0] * max(0, total - len(per_person))
    return Participation(
        people=total, participants=len(per_person), engagements=len(taken),
        per_person=len(taken) / total if total else 0.0, gini=gini(counts), first_timers=len(first_timers),
        first_timer_engagements=sum(per_person[p] for p in first_timers), by_department=tuple(rows))


# ---------------------------------------------------------------------- equal access

@dataclass(frozen=True)
class Access:
    """What a group of people was shown, applied for and was offered."""

    name: str
    people: int = 0
    shown: int = 0
    reached: int = 0
    applicants: int = 0
    applications: int = 0
    offers: int = 0

    @property
    def shown_per_person(self) -> float:
        return self.shown / self.people if self.people else 0.0

    @property
    def application_rate(self) -> float:
        """Share of the group who applied at least once."""
        return self.applicants / self.people if self.people else 0.0

    @property
    def selection_rate(self) -> float:
        """Share of the group's applications that led to an offer."""
        return self.offers / self.applications if self.applications else 0.0

    def plus(self, g: Group) -> Access:
        return Access(self.name, self.people + g.people, self.shown + g.shown, self.reached + g.reached,
                      self.applicants + g.applicants, self.applications + g.applications, self.offers + g.offers)


NEWCOMERS = "New to the marketplace"
RETURNING = "Engaged before"


@dataclass(frozen=True)
class EqualAccess:
    by_department: tuple[Access, ...]
    newcomers: Access  # no engagement before the period
    returning: Access  # at least one
    everyone: Access


def equal_access(groups: Iterable[Group]) -> EqualAccess:
    """Exposure, application rate and selection rate by department, and for people
    new to the marketplace against those who had engaged before."""
    departments: dict[str, Access] = {}
    newcomers, returning, everyone = Access(NEWCOMERS), Access(RETURNING), Access("Everyone")
    for g in groups:
        name = _department(g.department)
        departments[name] = departments.get(name, Access(name)).plus(g)
        if g.returning:
            returning = returning.plus(g)
        else:
            newcomers = newcomers.plus(g)
        everyone = everyone.plus(g)
    rows = tuple(departments[n] for n in sorted(departments, key=str.casefold))
    return EqualAccess(rows, newcomers, returning, everyone)


# ---------------------------------------------------------------------- hours unlocked

@dataclass(frozen=True)
class HoursUnlocked:
    total: float
    active: float  # of engagements still going
    completed: float
    by_team: tuple[tuple[str, float], ...]  # the capacity each posting team received, most first
    weekly: tuple[float, ...]  # hours per week through the period, oldest first


TREND_POINTS = 24
"""Points in the sparkline of hours through the period, at most."""


def hours_unlocked(period: Period, engagements: Iterable[Engagement]) -> HoursUnlocked:
    """Hours a week × weeks of the engagements of the people looked at, as far as
    they fall in the period."""
    taken = [e for e in engagements if e.counted and e.overlaps(period)]
    active = sum(e.hours(period) for e in taken if e.ended is None)
    completed = sum(e.hours(period) for e in taken if e.ended is not None)
    teams: Counter[str] = Counter()
    for e in taken:
        teams[_department(e.team)] += e.hours(period)
    return HoursUnlocked(active + completed, active, completed,
                         tuple(sorted(((t, h) for t, h in teams.items() if h > 0),
                                      key=lambda item: (-item[1], item[0].casefold()))),
                         _trend(period, taken))


def _trend(period: Period, taken: list[Engagement]) -> tuple[float, ...]:
    """Hours per week in each of up to TREND_POINTS slices of the period (from the
    first engagement when the period has no start)."""
    start = period.since or min((e.started for e in taken), default=None)
    if start is None or start >= period.until:
        return ()
    span = period.until - start
    points = max(1, min(TREND_POINTS, int(span / dt.timedelta(weeks=1))))
    step = span / points
    slices = [Period(start + step * i, start + step * (i + 1)) for i in range(points)]
    weeks = step / dt.timedelta(weeks=1)
    return tuple(sum(e.hours(s) for e in taken) / weeks for s in slices)


# ---------------------------------------------------------------------- core work

HOURS_BANDS = ((1, 2), (3, 4), (5, 8), (9, None))
"""Hours per week bands the core-work answers are compared in."""


def band_of(hours: int) -> str:
    for low, high in HOURS_BANDS:
        if high is None or hours <= high:
            return f"{low}+ h/week" if high is None else f"{low}-{high} h/week"
    raise AssertionError("the last band is open")


@dataclass(frozen=True)
class Answers:
    """better / same / worse counts, and questions not answered yet."""

    better: int = 0
    same: int = 0
    worse: int = 0
    unanswered: int = 0

    @property
    def answered(self) -> int:
        return self.better + self.same + self.worse


@dataclass(frozen=True)
class CoreWorkBand:
    band: str
    participants: Answers
    managers: Answers


@dataclass(frozen=True)
class CoreWork:
    bands: tuple[CoreWorkBand, ...]  # only bands with a question asked
    participants: Answers
    managers: Answers


def core_work(counts: Iterable[AnswerCount]) -> CoreWork:
    """Participants' and managers' answers side by side, by hours a week band."""
    tally: dict[tuple[str, str], Counter[str]] = {}
    for c in counts:
        tally.setdefault((band_of(c.hours_per_week), c.role), Counter())[c.answer or "unanswered"] += c.count

    def answers(*keys: tuple[str, str]) -> Answers:
        total: Counter[str] = Counter()
        for key in keys:
            total.update(tally.get(key, Counter()))
        return Answers(total["better"], total["same"], total["worse"], total["unanswered"])

    bands = tuple(band_of(low) for low, _ in HOURS_BANDS)
    rows = tuple(CoreWorkBand(b, answers((b, "participant")), answers((b, "manager")))
                 for b in bands if (b, "participant") in tally or (b, "manager") in tally)
    return CoreWork(rows, answers(*((b, "participant") for b in bands)), answers(*((b, "manager") for b in bands)))


# ---------------------------------------------------------------------- skills gained

@dataclass(frozen=True)
class SkillsGained:
    endorsements: int
    endorsed_people: int
    certifications: int
    certified_people: int
    top_endorsed: tuple[tuple[str, int], ...]
    top_certified: tuple[tuple[str, int], ...]


TOP_SKILLS = 5


def skills_gained(endorsed: Iterable[tuple[str, int]], endorsed_people: int,
                  certified: Iterable[tuple[str, int]], certified_people: int) -> SkillsGained:
    """Endorsements and certifications of the period, with the skills most gained."""
    def top(counts: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(counts, key=lambda item: (-item[1], item[0].casefold())))

    endorsed, certified = top(endorsed), top(certified)
    return SkillsGained(sum(n for _, n in endorsed), endorsed_people, sum(n for _, n in certified),
                        certified_people, endorsed[:TOP_SKILLS], certified[:TOP_SKILLS])


# ---------------------------------------------------------------------- all of it

@dataclass(frozen=True)
class Insights:
    period: Period
    scope: str  # one of policy's scopes: COMPANY_SCOPE, REPORTS_SCOPE, SELF_SCOPE
    scope_words: str  # "the whole company", "your 4 direct reports", …
    participation: Participation
    access: EqualAccess
    ledger: Ledger | None  # None when the actor manages nobody and is no admin
    hours: HoursUnlocked
    core_work: CoreWork
    skills: SkillsGained

    @property
    def empty(self) -> bool:
        """Nothing happened in the period for the people looked at."""
        p, a = self.participation, self.access.everyone
        return not (p.engagements or a.shown or a.applications or self.core_work.participants.answered
                    or self.core_work.managers.answered or self.skills.endorsements or self.skills.certifications
                    or (self.ledger and self.ledger.releases.requests))
