"""The capability map: what the company can do, and where it is thin. Pure figures
over counts (no database here): `Market.capability_map` counts in SQL, a fixed number
of queries however many people, and hands the counts to `build_map`.

Rows are skills, columns departments. A *cell* counts the active people of one
department who hold one skill at the chosen level or above, split by where the claim
comes from: self-declared, endorsed or certified. A stale claim (unconfirmed for a
year, as the profile shows it) is counted apart and in no other figure, so the map
never rests on what has likely faded. Per skill, company-wide:

- *demand*: the open seats that require the skill at the chosen level or above (the
  seats of open opportunities that no offer or engagement holds yet);
- *available*: the people who hold it at that level with a fresh claim and have at
  least an hour a week left under their time cap (`policy.fits_cap`);
- *gap*: demand minus available, never below 0 — the seats that would stay empty
  even if every available person took one. A surplus shows as available > demand.

The level applies to both sides. The department filter only chooses the columns:
every open seat is open to everyone, so the three figures stay company-wide.

Last, the bench strength of key roles: who is ready to step into one now, and who is
one or two skills short, with each gap named (`bench`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from oppmarket import policy
from oppmarket.domain import KeyRole, Opportunity, OpportunityDraft

NO_DEPARTMENT = 0
"""The column of people in no department (department ids start at 1)."""
NO_DEPARTMENT_NAME = "No department"
LEVELS = (1, 2, 3, 4, 5)
SORTS = ("gap", "demand", "name")
SORT_WORDS = {"gap": "largest gap first", "demand": "most demand first", "name": "by name"}
SMALLEST_COMMITMENT = 1
"""Hours a week: the least an opportunity asks, so the least time that makes someone available."""
DEEPEST = 4
"""Cells are shaded in depths 0 (nobody) to DEEPEST (the best-staffed cell of the map)."""


def is_available(committed: int, weekly_hours: int, cap_pct: int) -> bool:
    """Whether someone has time for the smallest commitment under their time cap."""
    return policy.fits_cap(committed, SMALLEST_COMMITMENT, weekly_hours, cap_pct)


def depth(people: int, deepest: int) -> int:
    """How dark a cell of `people` is shaded, when the best-staffed cell holds
    `deepest`: 0 for nobody, else 1 to DEEPEST on a square-root scale, so that a few
    deep cells do not wash every other one out to the palest shade."""
    if people <= 0 or deepest <= 0:
        return 0
    return min(DEEPEST, 1 + math.floor(DEEPEST * math.sqrt(min(people, deepest) / deepest) + 1e-9))


def depth_ranges(deepest: int) -> tuple[tuple[int, int, int], ...]:
    """(depth, fewest, most people) of each shade a map whose best-staffed cell holds
    `deepest` uses, for its legend; a shade no count falls in is left out."""
    floors = [bisect.bisect_left(range(1, deepest + 1), shade, key=lambda p: depth(p, deepest)) + 1
              for shade in range(1, DEEPEST + 1)]
    ranges = []
    for shade, low in enumerate(floors, start=1):
        high = floors[shade] - 1 if shade < DEEPEST else deepest
        if low <= high:
            ranges.append((shade, low, high))
    return tuple(ranges)


# ---------------------------------------------------------------------- the counts that come in


@dataclass(frozen=True)
class Contract:
    """Someone's terms as far as time goes: contracted hours a week, the time cap as a
    share of them, and the hours a week their offers and engagements already hold."""

    weekly_hours: int
    cap_pct: int
    committed: int


def with_time(contracts: Iterable[Contract]) -> list[Contract]:
    """Of `contracts`, those that leave time for the smallest commitment: the people
    holding them count as available."""
    return [c for c in contracts if is_available(c.committed, c.weekly_hours, c.cap_pct)]


@dataclass(frozen=True)
class CellCount:
    """The claims of one skill, at the chosen level or above, in one department (None:
    people in no department): fresh ones by source, stale ones, and of the fresh ones
    those whose holder has a contract `with_time`."""

    skill_id: int
    department_id: int | None
    self_declared: int = 0
    endorsed: int = 0
    certified: int = 0
    stale: int = 0
    available: int = 0


@dataclass(frozen=True)
class SeatCount:
    """How many open opportunities of `seats` seats, `taken` of them held, require one
    skill at the chosen level or above."""

    skill_id: int
    seats: int
    taken: int
    count: int


# ---------------------------------------------------------------------- the map


@dataclass(frozen=True)
class Cell:
    """The people behind one skill in one department (or in several, summed)."""

    self_declared: int = 0
    endorsed: int = 0
    certified: int = 0
    stale: int = 0

    @property
    def people(self) -> int:
        """Everyone with a fresh claim; the stale ones are counted apart."""
        return self.self_declared + self.endorsed + self.certified

    @property
    def backed(self) -> int:
        """Of `people`, those whose claim rests on evidence: endorsed or certified."""
        return self.endorsed + self.certified

    def __add__(self, other: Cell) -> Cell:
        return Cell(self.self_declared + other.self_declared, self.endorsed + other.endorsed,
                    self.certified + other.certified, self.stale + other.stale)


EMPTY = Cell()


def tally(claims: Iterable[tuple[str, bool]]) -> Cell:
    """One cell from the (source, stale) of each claim behind it: a stale claim counts
    as stale whatever its source, a fresh one by its source."""
    kinds: dict[str, int] = defaultdict(int)
    for source, stale in claims:
        kinds["stale" if stale else source] += 1
    return Cell(kinds["self"], kinds["endorsed"], kinds["certified"], kinds["stale"])


@dataclass(frozen=True)
class Peak:
    """The most people, endorsed or certified, and stale claims in any cell of one column."""

    people: int = 0
    backed: int = 0
    stale: int = 0


@dataclass(frozen=True)
class Column:
    key: int  # the department's id, or NO_DEPARTMENT
    name: str


@dataclass(frozen=True)
class SkillRow:
    skill_id: int
    name: str
    category: str
    cells: Mapping[int, Cell] = field(default_factory=dict)  # by column key; missing: EMPTY
    demand: int = 0
    available: int = 0

    def cell(self, key: int) -> Cell:
        return self.cells.get(key, EMPTY)

    @property
    def gap(self) -> int:
        return max(0, self.demand - self.available)

    @property
    def total(self) -> Cell:
        """The whole company's cell for this skill."""
        return sum(self.cells.values(), EMPTY)


def _sort_key(sort: str):
    if sort == "gap":
        return lambda r: (-r.gap, -r.demand, r.name.casefold(), r.skill_id)
    if sort == "demand":
        return lambda r: (-r.demand, -r.gap, r.name.casefold(), r.skill_id)
    return lambda r: (r.name.casefold(), r.skill_id)


@dataclass(frozen=True)
class CapabilityMap:
    """Skills by departments at one level, and the per-skill demand, supply and gap."""

    level: int
    category: str | None
    columns: tuple[Column, ...]
    rows: tuple[SkillRow, ...]
    categories: tuple[str, ...] = ()  # every category of the taxonomy, for a filter
    departments: tuple[Column, ...] = ()  # every column there is, before any filter
    sort: str = "gap"
    peaks: Mapping[int, Peak] = field(default_factory=dict)  # by column key, so no one redraws the map to size it

    def sorted_by(self, sort: str) -> CapabilityMap:
        if sort not in SORTS:
            raise ValueError(f"unknown sort {sort!r}")
        return replace(self, rows=tuple(sorted(self.rows, key=_sort_key(sort))), sort=sort)

    def only(self, keys: Iterable[int] | None) -> CapabilityMap:
        """The map with only the columns of `keys` (None: every column). The rows and
        their company-wide figures stay as they are."""
        if keys is None:
            return replace(self, columns=self.departments)
        wanted = set(keys)
        return replace(self, columns=tuple(c for c in self.departments if c.key in wanted))

    def column_named(self, name: str) -> Column | None:
        folded = name.strip().casefold()
        return next((c for c in self.departments if c.name.casefold() == folded), None)

    def row_of(self, skill_id: int) -> int | None:
        """The index of a skill's row, or None when the map leaves it out."""
        return next((i for i, r in enumerate(self.rows) if r.skill_id == skill_id), None)

    def peak(self) -> Peak:
        """The most people, endorsed or certified, and stale claims in any cell shown."""
        shown = [self.peaks.get(c.key, Peak()) for c in self.columns]
        return Peak(max((p.people for p in shown), default=0), max((p.backed for p in shown), default=0),
                    max((p.stale for p in shown), default=0))

    @property
    def deepest(self) -> int:
        """The most people in any cell shown: the darkest shade."""
        return self.peak().people


def build_map(
    *,
    level: int,
    skills: Iterable[tuple[int, str, str]],
    departments: Iterable[tuple[int, str]],
    cells: Iterable[CellCount],
    seats: Iterable[SeatCount],
    category: str | None = None,
    categories: Iterable[str] = (),
    sort: str = "gap",
) -> CapabilityMap:
    """The map from counts already narrowed to `level` (and to `category`, if given;
    `skills` may hold others, which are left out). A skill is a row when anyone holds
    it at the level, freshly or not, or an open seat asks for it; every department is a
    column, and 'No department' too when someone in none holds a skill."""
    names = {skill_id: (name, cat) for skill_id, name, cat in skills
             if category is None or cat == category}
    found: dict[int, dict[int, Cell]] = defaultdict(dict)
    available: dict[int, int] = defaultdict(int)
    highest: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # people, backed, stale by column
    for c in cells:
        people = c.self_declared + c.endorsed + c.certified
        if c.skill_id not in names or not (people or c.stale):
            continue
        key = c.department_id or NO_DEPARTMENT
        found[c.skill_id][key] = Cell(c.self_declared, c.endorsed, c.certified, c.stale)
        available[c.skill_id] += c.available
        top = highest[key]
        top[:] = max(top[0], people), max(top[1], c.endorsed + c.certified), max(top[2], c.stale)
    peaks = {key: Peak(*top) for key, top in highest.items()}
    demand: dict[int, int] = defaultdict(int)
    for s in seats:
        demand[s.skill_id] += s.count * max(0, s.seats - s.taken)

    rows = [SkillRow(skill_id, *names[skill_id], found.get(skill_id, {}), demand.get(skill_id, 0),
                     available.get(skill_id, 0))
            for skill_id in set(found) | {k for k, v in demand.items() if v} if skill_id in names]
    columns = sorted((Column(key, name) for key, name in departments), key=lambda c: (c.name.casefold(), c.key))
    if NO_DEPARTMENT in peaks:
        columns.append(Column(NO_DEPARTMENT, NO_DEPARTMENT_NAME))
    every = tuple(columns)
    return CapabilityMap(level, category, every, tuple(rows), tuple(categories), every, peaks=peaks).sorted_by(sort)


# ---------------------------------------------------------------------- drilling down


@dataclass(frozen=True)
class Holder:
    """Someone behind a cell, for a viewer allowed to see them."""

    username: str
    display_name: str
    title: str
    department: str | None
    level: int
    source: str
    confirmed_at: dt.datetime
    stale: bool
    hours_left: float  # under their time cap this week
    available: bool  # a fresh claim and time for the smallest commitment


@dataclass(frozen=True)
class CellDetail:
    """What lies behind one cell (or, with `department` None, a whole row): its counts,
    the people the viewer may see, and the open opportunities that need the skill."""

    skill_id: int
    skill: str
    category: str
    department: str | None  # None: every department
    level: int
    cell: Cell
    holders: tuple[Holder, ...]  # the first of those the viewer may see: fresh, available, ablest first
    visible: int  # how many the viewer may see in all
    hidden: int  # the people the viewer sees only as a count
    why_hidden: str | None  # the rule that hides them, when any are hidden
    opportunities: tuple[Opportunity, ...]  # open, requiring the skill at the level; most seats left first
    opportunities_total: int
    demand: int
    available: int

    @property
    def gap(self) -> int:
        return max(0, self.demand - self.available)


# ---------------------------------------------------------------------- bench strength
# A key role's bench: who could step into it, if its holder left tomorrow. Someone is
# on the bench when they hold at least one of the role's skills (at any level) and are
# short of at most BENCH_DEPTH of them; short of none, they are ready now. A stale
# claim never makes anyone ready: it stands as a gap, the level it claims named, until
# it is confirmed, for the same reason the map counts it apart.

BENCH_DEPTH = 2
READINESS = ("Ready now", "One skill short", "Two skills short")
"""How each group of a bench is called, by how many skills its people are short."""


@dataclass(frozen=True)
class Requirement:
    """A skill a key role needs, at a level."""

    skill_id: int
    skill: str
    level: int


@dataclass(frozen=True)
class Claim:
    """What someone claims of one skill, and whether the claim has gone stale."""

    skill_id: int
    level: int
    stale: bool = False


@dataclass(frozen=True)
class Contender:
    """Someone who might be on a bench: who they are, and their claims on the role's skills."""

    username: str
    display_name: str
    claims: tuple[Claim, ...] = ()
    title: str = ""
    department: str | None = None
    manager_username: str | None = None
    active: bool = True


@dataclass(frozen=True)
class Gap:
    """A skill someone lacks for a role: the level they hold (0: none), the level the
    role needs, and whether what they hold is stale (confirming it may close the gap)."""

    skill_id: int
    skill: str
    has: int
    needs: int
    stale: bool = False

    def words(self) -> str:
        """'Kubernetes 3/4', 'SQL 0/3', 'Python 5/4 stale'."""
        return f"{self.skill} {self.has}/{self.needs}" + (" stale" if self.stale else "")


@dataclass(frozen=True)
class Candidate:
    """Someone on a bench, with what they lack (nothing: ready now)."""

    username: str
    display_name: str
    title: str
    department: str | None
    manager_username: str | None
    gaps: tuple[Gap, ...]

    @property
    def short(self) -> int:
        """How many of the role's skills they lack: 0 ready now, 1 or 2."""
        return len(self.gaps)

    @property
    def readiness(self) -> str:
        return READINESS[self.short]


@dataclass(frozen=True)
class BenchSize:
    """How many people are ready now, one skill short and two skills short."""

    ready: int = 0
    one_short: int = 0
    two_short: int = 0

    @property
    def total(self) -> int:
        return self.ready + self.one_short + self.two_short

    def by_short(self) -> tuple[int, int, int]:
        return self.ready, self.one_short, self.two_short


def bench_size(candidates: Iterable[Candidate]) -> BenchSize:
    counts = [0] * (BENCH_DEPTH + 1)
    for candidate in candidates:
        counts[candidate.short] += 1
    return BenchSize(*counts)


def _gap(need: Requirement, claim: Claim | None) -> Gap | None:
    if claim is None:
        return Gap(need.skill_id, need.skill, 0, need.level)
    if claim.stale or claim.level < need.level:
        return Gap(need.skill_id, need.skill, claim.level, need.level, claim.stale)
    return None


def bench(required: Iterable[Requirement], people: Iterable[Contender], *,
          holder: str | None = None) -> tuple[Candidate, ...]:
    """The bench of a role needing `required`, drawn from `people` (the `holder` and
    inactive people left out): ready now first, then one skill short, then two; within
    a group the fewest levels to go first, then by name."""
    needs = tuple(required)
    wanted = {n.skill_id for n in needs}
    found = []
    for person in people:
        if not person.active or person.username == holder:
            continue
        claims = {c.skill_id: c for c in person.claims if c.skill_id in wanted and c.level >= 1}
        if not claims:
            continue
        gaps = tuple(g for g in (_gap(n, claims.get(n.skill_id)) for n in needs) if g is not None)
        if len(gaps) <= BENCH_DEPTH:
            found.append(Candidate(person.username, person.display_name, person.title, person.department,
                                   person.manager_username, gaps))

    def order(c: Candidate):
        # A stale claim at the level is a level to go: the one to confirm.
        to_go = sum(max(1, g.needs - g.has) for g in c.gaps)
        return c.short, to_go, c.display_name.casefold(), c.username

    return tuple(sorted(found, key=order))


@dataclass(frozen=True)
class KeyRoleSummary:
    """A key role as the list shows it: the role and the size of its bench."""

    role: KeyRole
    size: BenchSize


@dataclass(frozen=True)
class KeyRoleBench:
    """A key role with its bench: everyone counted, the people the viewer may see
    listed (`policy.may_see_skill_holder`), the others only counted."""

    role: KeyRole
    size: BenchSize
    candidates: tuple[Candidate, ...]  # those the viewer may see
    hidden: BenchSize  # those the viewer sees only as a count
    why_hidden: str | None = None


def gap_posting(role: KeyRole, gaps: Iterable[Gap], kind: str) -> OpportunityDraft:
    """A posting that would close `gaps` for the role: a shadowing of its holder
    ("shadowing") or a mentorship with them ("mentorship"). Its title names the holder
    and the skills; the skills are what it grows, to the level the role needs."""
    if kind not in ("shadowing", "mentorship"):
        raise ValueError(f"a gap is closed by shadowing or mentorship, not {kind!r}")
    if role.holder_username is None:
        raise ValueError("a role without a holder has nobody to shadow or be mentored by")
    skills = tuple(gaps)
    names = ", ".join(g.skill for g in skills)
    holder = role.holder_name or role.holder_username
    if kind == "shadowing":
        title = f"Shadowing {holder}: {names}"
        about = (f"Time alongside {holder}, {role.title}, to see the work from the inside and grow "
                 f"{names} toward what the role needs.")
    else:
        title = f"Mentorship with {holder}: {names}"
        about = f"Regular sessions with {holder}, {role.title}, on {names}: what the role needs and how to get there."
    return OpportunityDraft(
        kind=kind, title=title[:200], description=about, department=role.department,
        hours_per_week=4 if kind == "shadowing" else 2,
        skills=[(g.skill, g.needs, "grows") for g in skills],
        host=role.holder_username if kind == "shadowing" else None,
        topics=names if kind == "mentorship" else "", key_role_id=role.id)
