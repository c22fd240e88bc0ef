"""The state every stage of the demo generator shares, and the random draws they
all make. Each stage (people, skills, opportunities, ...) is a subclass in a module
of its own; `generator.DemoBuilder` puts them together."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass

from oppmarket.demo.plans import Role, Team
from oppmarket.lifecycle import AppStatus

DEFAULT_EMPLOYEES = 250
DEFAULT_OPPORTUNITIES = 300
MAX_SKILLS = 15_000
# Applications whose time was released, so the engagement started.
STARTED_STATUSES = (AppStatus.ACTIVE.value, AppStatus.COMPLETED.value)


def number_by_time(rows: list[dict], when: str) -> None:
    """Sort `rows` by their `when` field (ties in the order they were made) and number
    them from 1, so ids read chronologically."""
    rows.sort(key=lambda row: (row[when], row["_seq"]))
    for i, row in enumerate(rows, start=1):
        row["id"] = i


@dataclass
class Person:
    """One employee while the organisation is built: their row's fields, and the role,
    team and seniority the later stages draw on."""

    id: int
    dept: int
    title: str
    manager: int | None
    seniority: int  # 1-3 for contributors, 4 for managers, 5 for heads
    role: Role | None
    team: Team | None
    weekly_hours: int
    cap_pct: int
    created_at: dt.datetime
    username: str = ""
    display_name: str = ""
    reports: int = 0


class Builder:
    """Builds one organisation. Every random choice comes from `self.rng`, in a
    fixed order, so a seed and a `now` determine every row."""

    # Set by the stage that builds them.
    dept_names: tuple[str, ...]
    dept_sizes: tuple[int, ...]
    story: dict[str, dict]  # the personas' postings by the part they play in the story
    steps: list[dict]
    progress_rows: list[dict]
    endorsements: list[dict]
    core_work: list[dict]
    notifications: list[dict]

    def __init__(self, *, employees: int | None, opportunities: int | None, now: dt.datetime, seed: int):
        self.rng = random.Random(seed)
        self.seed = seed
        self.now = now
        self.today = now.date()
        self.scaled = employees is not None or opportunities is not None
        self.n_people = DEFAULT_EMPLOYEES if employees is None else employees
        self.n_opps = DEFAULT_OPPORTUNITIES if opportunities is None else opportunities
        self.departments: list[dict] = []
        self.dept_index: dict[str, int] = {}
        self.skills: list[dict] = []
        self.aliases: list[dict] = []
        self.skill_id: dict[str, int] = {}
        self.variants: dict[int, list[int]] = defaultdict(list)
        self.people: list[Person] = []
        self.rows_people: list[dict] = []
        self.claims: dict[tuple[int, int], dict] = {}
        self.interests: list[dict] = []
        self.by_dept: dict[int, list[int]] = defaultdict(list)
        self.holders: dict[int, list[int]] = defaultdict(list)
        self.key_roles: list[dict] = []
        self.key_role_skills: list[dict] = []
        self.key_role_skill_ids: dict[int, list[int]] = {}
        self._trainers: list[int] | None = None
        self._cumulative: dict[tuple[int, ...], tuple[int, ...]] = {}
        self._gig_owners: dict[tuple[int, str], list[int]] = {}
        self._experts: dict[tuple[int, int], list[int]] = {}
        self.seniors: list[int] = []
        self.opps: list[dict] = []
        self.apps: list[dict] = []
        self.committed: dict[int, int] = defaultdict(int)
        self.holding: dict[int, int] = defaultdict(int)
        self.finished: dict[int, int] = defaultdict(int)
        self.applied: set[tuple[int, int]] = set()
        self.personas: dict[str, int] = {}

    def sid(self, name: str) -> int:
        """A skill's id by exact catalogue name (a typo in the catalogue fails loudly)."""
        try:
            return self.skill_id[name.lower()]
        except KeyError:
            raise KeyError(f"demo catalogue names an unknown skill {name!r}") from None

    def pick(self, options: tuple, weights: tuple[int, ...]):
        """One of `options`, by `weights` (cumulative weights are worked out once)."""
        cumulative = self._cumulative.get(weights)
        if cumulative is None:
            cumulative = self._cumulative[weights] = tuple(itertools.accumulate(weights))
        return self.rng.choices(options, cum_weights=cumulative)[0]

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        if end <= start:
            return start
        seconds = int((end - start).total_seconds() * self.rng.random())
        return start + dt.timedelta(seconds=seconds)

    def days_ago(self, low: float, high: float) -> dt.datetime:
        return self.now - dt.timedelta(seconds=int(self.rng.uniform(low, high) * 86400))

    def name_of(self, person_id: int) -> str:
        return self.rows_people[person_id - 1]["display_name"]

    def person(self, person_id: int) -> Person:
        return self.people[person_id - 1]
