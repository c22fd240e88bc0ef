"""A realistic demo organisation, and scale data for benchmarks.

`generate` builds the whole organisation as plain records (one dict per row, keyed by
the model's field names, with explicit ids so rows can reference each other without a
round trip) from `random.Random(seed)`, so the same seed and `now` always give the
same rows. `load_demo` writes them through `oppmarket.db.bulk`.

The organisation respects the marketplace's invariants: per opportunity, offered plus
active applications never exceed its seats; per person, the hours of offered plus
active applications never exceed `weekly_hours * cap_pct / 100`; nobody applies to
their own posting, and nobody applies twice to the same one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import itertools
import json
import math
import random
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from oppmarket import domain as d
from oppmarket.demo.catalogue import (
    BUSINESS_QUALIFIERS, CATEGORY_BLURBS, LANGUAGE_QUALIFIERS, SKILL_CATALOGUE, TECH_CATEGORIES, TECH_QUALIFIERS,
)
from oppmarket.demo.organisation import (
    COMPANY_DOMAIN, DEPARTMENT_PLANS, FIRST_NAMES, KEY_ROLES, LAST_NAMES, LEADERSHIP_SKILLS, OFFICES,
    POPULAR_INTERESTS, SECOND_LANGUAGES,
)
from oppmarket.demo.plans import DepartmentPlan, GigPlan, Role, Team
from oppmarket.demo.postings import GIGS, LEARNING_PATHS, MENTORSHIP_TITLES, MENTORSHIPS, SHADOWING, SLOTS, VOLUNTEERING
from oppmarket.demo.remarks import CANCEL_REASONS, CORE_WORK_COMMENTS, DECLINE_REASONS, FEEDBACK, NOTES, RELEASE_REASONS
from oppmarket.errors import ValidationError

Progress = Callable[[str, int, int], None]

DEFAULT_EMPLOYEES = 250
DEFAULT_OPPORTUNITIES = 300
MIN_EMPLOYEES = 60
MIN_OPPORTUNITIES = 60
MAX_SKILLS = 15_000
RELEASE_DAYS = 5


@dataclass(frozen=True)
class DemoSummary:
    """What a demo load created, and the usernames of people worth stepping into."""

    departments: int
    employees: int
    skills: int
    opportunities: int
    applications: int
    engineer: str  # an IC engineer with strong matches and a few applications
    owner: str  # a manager whose open posting has applicants waiting for review
    line_manager: str  # a manager with a report's offer waiting for release
    admin: str


@dataclass(frozen=True)
class DemoOrganisation:
    """The generated rows, table by table in insert order (parents first)."""

    tables: tuple[tuple[str, list[dict]], ...]
    summary: DemoSummary

    def rows(self, table: str) -> list[dict]:
        """The rows of one table, e.g. rows("opportunity")."""
        return dict(self.tables)[table]


# Letters that NFKD does not split into an ASCII base plus an accent.
_UNSPLIT_LETTERS = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "đ": "d"})


class _Slots(dict):
    """Slot values for one title and description, drawn only when a template
    uses them, and then the same for both."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __missing__(self, name: str) -> str:
        value = self[name] = self.rng.choice(SLOTS[name])
        return value


def _season(day: dt.date) -> str:
    return ("winter", "spring", "summer", "autumn")[(day.month % 12) // 3]


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.translate(_UNSPLIT_LETTERS)).encode("ascii", "ignore").decode().lower()
    return "".join(c for c in plain if c.isalnum() or c == "-")


def _apportion(total: int, weights: list[int]) -> list[int]:
    """Split `total` by `weights` with the largest-remainder method (sums exactly)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [math.floor(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _leader_layers(ics: int) -> list[int]:
    """Managers needed per layer above `ics` people: teams of about seven, then
    groups of about six managers, until a head can manage the top layer directly."""
    layers = []
    below = ics
    span = 7
    while True:
        above = math.ceil(below / span)
        layers.append(above)
        if above <= 8:
            return layers
        below, span = above, 6


@dataclass
class _Person:
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

    @property
    def cap_hours(self) -> float:
        return self.weekly_hours * self.cap_pct / 100


class _Builder:
    """Builds one organisation. Every random choice comes from `self.rng`, in a
    fixed order, so a seed and a `now` determine every row."""

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
        self.people: list[_Person] = []
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

    # ------------------------------------------------------------------ helpers

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

    def fill(self, text: str, slots: _Slots) -> str:
        return text.format_map(slots)

    def slot_values(self) -> _Slots:
        return _Slots(self.rng)

    def name_of(self, person_id: int) -> str:
        return self.rows_people[person_id - 1]["display_name"]

    def person(self, person_id: int) -> _Person:
        return self.people[person_id - 1]

    # ------------------------------------------------------------------ departments

    def build_departments(self) -> None:
        for plan in DEPARTMENT_PLANS:
            row = {"id": len(self.departments) + 1, "name": plan.name,
                   "parent": self.dept_index[plan.parent] + 1 if plan.parent else None}
            self.dept_index[plan.name] = len(self.departments)
            self.departments.append(row)

    # ------------------------------------------------------------------ skills

    def build_skills(self) -> None:
        taken: set[str] = set()
        base: list[tuple[int, str]] = []
        for category, entries in SKILL_CATALOGUE.items():
            for entry in entries:
                name, aliases = (entry, []) if isinstance(entry, str) else entry
                skill = self._add_skill(name, category, CATEGORY_BLURBS[category].format(name=name), taken)
                base.append((skill, category))
                for alias in aliases:
                    self.aliases.append({"id": len(self.aliases) + 1, "skill": skill, "alias": alias})
        alias_keys = [a["alias"].lower() for a in self.aliases]
        clashes = sorted({a for a in alias_keys if alias_keys.count(a) > 1 or a in taken})
        if clashes:
            raise ValueError(f"demo skill aliases clash with each other or with skill names: {clashes}")
        taken.update(alias_keys)
        target = len(self.skills)
        if self.scaled:
            target = min(MAX_SKILLS, max(len(self.skills), self.n_people * 3 // 2))
        depth = max(len(TECH_QUALIFIERS), len(BUSINESS_QUALIFIERS))
        for round_ in range(depth):
            for skill, category in base:
                if len(self.skills) >= target:
                    return
                if category == "Spoken Languages":
                    qualifiers = LANGUAGE_QUALIFIERS
                else:
                    qualifiers = TECH_QUALIFIERS if category in TECH_CATEGORIES else BUSINESS_QUALIFIERS
                if round_ >= len(qualifiers):
                    continue
                base_name = self.skills[skill - 1]["name"]
                name = f"{base_name} {qualifiers[round_]}"
                if name.lower() in taken or len(name) > 80:
                    continue
                variant = self._add_skill(name, category,
                                          f"{qualifiers[round_]}: a specialism within {base_name}.", taken)
                self.variants[skill].append(variant)

    def _add_skill(self, name: str, category: str, description: str, taken: set[str]) -> int:
        if name.lower() in taken:
            raise ValueError(f"demo skill {name!r} is listed twice")
        taken.add(name.lower())
        skill = len(self.skills) + 1
        self.skills.append({"id": skill, "name": name, "category": category, "description": description})
        self.skill_id[name.lower()] = skill
        return skill

    # ------------------------------------------------------------------ people

    def build_people(self) -> None:
        flexible = [p for p in DEPARTMENT_PLANS if p.fixed is None]
        fixed_total = sum(p.fixed for p in DEPARTMENT_PLANS if p.fixed is not None)
        counts = dict(zip((p.name for p in flexible),
                          _apportion(self.n_people - fixed_total, [p.weight for p in flexible])))
        heads: dict[str, int] = {}
        used_usernames: set[str] = set()
        for plan in DEPARTMENT_PLANS:
            dept = self.dept_index[plan.name]
            size = plan.fixed if plan.fixed is not None else counts[plan.name]
            if plan.parent is None and plan.name != DEPARTMENT_PLANS[0].name:
                boss = heads[DEPARTMENT_PLANS[0].name]
            else:
                boss = heads.get(plan.parent) if plan.parent else None
            head = self._hire(dept, plan.head_title, boss, 5, None, None, used_usernames)
            heads[plan.name] = head
            self._staff(plan, dept, head, size - 1, used_usernames)
        self.rows_people = [self._person_row(p) for p in self.people]
        self.dept_names = tuple(plan.name for plan in DEPARTMENT_PLANS)
        self.dept_sizes = tuple(len(self.by_dept[i]) for i in range(len(DEPARTMENT_PLANS)))
        self.seniors = [p.id for p in self.people if p.seniority >= 3]

    def _staff(self, plan: DepartmentPlan, dept: int, head: int, rest: int, used: set[str]) -> None:
        all_roles = tuple(r for team in plan.teams for r in team.roles)
        if rest <= 0:
            return
        # Small departments stay flat under their head, so every kind of team is present.
        if plan.teams[0].manager_title is None or rest <= max(8, 5 * len(plan.teams)):
            for _ in range(rest):
                role = self._pick_role(all_roles)
                team = next(t for t in plan.teams if role in t.roles)
                self._hire(dept, role.title, head, role.seniority, role, team, used)
            return
        ics = rest
        while ics + sum(_leader_layers(ics)) > rest:
            ics -= 1
        layers = _leader_layers(ics)
        ics = rest - sum(layers)
        flavours = self._team_flavours(plan.teams, layers[0])
        # Create leaders top-down, so every manager has a smaller id than their reports.
        parents = [head]
        for depth, count in enumerate(reversed(layers)):
            bottom = depth == len(layers) - 1
            created = []
            for i in range(count):
                boss = parents[i * len(parents) // count]
                if bottom:
                    team = flavours[i]
                    title = team.manager_title
                else:
                    team = None
                    title = (f"Senior {flavours[i * len(flavours) // count].manager_title}"
                             if depth == len(layers) - 2 else f"Associate Director, {plan.name}")
                created.append(self._hire(dept, title, boss, 4, None, team, used))
            parents = created
        for i in range(ics):
            boss = parents[i * len(parents) // ics]
            team = self.person(boss).team or plan.teams[0]
            role = self._pick_role(team.roles)
            self._hire(dept, role.title, boss, role.seniority, role, team, used)

    @staticmethod
    def _team_flavours(teams: tuple[Team, ...], managers: int) -> list[Team]:
        """Which kind of team each first-line manager leads: shared out by the
        teams' role weights and interleaved, so neighbouring managers differ."""
        counts = _apportion(managers, [sum(r.weight for r in t.roles) for t in teams])
        out: list[Team] = []
        while len(out) < managers:
            for i, team in enumerate(teams):
                if counts[i] > 0:
                    out.append(team)
                    counts[i] -= 1
        return out

    def _pick_role(self, roles: tuple[Role, ...]) -> Role:
        return self.pick(roles, tuple(r.weight for r in roles))

    def _hire(self, dept: int, title: str, manager: int | None, seniority: int,
              role: Role | None, team: Team | None, used: set[str]) -> int:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        stem = f"{_ascii_slug(first)}.{_ascii_slug(last)}"
        username, n = stem, 1
        while username in used:
            n += 1
            username = f"{stem}{n}"
        used.add(username)
        roll = rng.random()
        weekly = 40 if roll < 0.9 else rng.choice((32, 30, 24, 20))
        roll = rng.random()
        cap = 20 if roll < 0.88 else (10 if roll < 0.94 else 30)
        tenure = rng.uniform(700, 2900) if seniority >= 5 else rng.uniform(15, 2600)
        person = _Person(
            id=len(self.people) + 1, dept=dept, title=title, manager=manager, seniority=seniority,
            role=role, team=team, weekly_hours=weekly, cap_pct=cap,
            created_at=self.days_ago(tenure, tenure), username=username, display_name=f"{first} {last}",
        )
        self.people.append(person)
        self.by_dept[dept].append(person.id)
        if manager is not None:
            self.person(manager).reports += 1
        return person.id

    def _person_row(self, p: _Person) -> dict:
        return {
            "id": p.id, "username": p.username, "display_name": p.display_name,
            "email": f"{p.username}@{COMPANY_DOMAIN}", "title": p.title,
            "department": p.dept + 1, "manager": p.manager, "weekly_hours": p.weekly_hours,
            "cap_pct": p.cap_pct, "is_admin": False, "active": True, "created_at": p.created_at,
        }

    def choose_personas(self) -> None:
        """Pick the people a demo visitor steps into, and fix the few facts their
        stories depend on (an engineer's title and hours, the admins)."""
        people = self.people
        platform = self.dept_index["Platform"]

        def ic_engineer(p: _Person) -> bool:
            return p.reports == 0 and p.role is not None and "Engineer" in p.title

        candidates = [p for p in people if ic_engineer(p) and p.dept == platform and p.manager
                      and self.person(p.manager).seniority == 4]
        candidates = candidates or [p for p in people if ic_engineer(p) and p.manager] \
            or [p for p in people if p.reports == 0 and p.manager]
        engineer = candidates[0]
        engineer.title, engineer.weekly_hours, engineer.cap_pct = "Senior Software Engineer", 40, 20
        engineer.created_at = min(engineer.created_at, self.now - dt.timedelta(days=1100))
        line_manager = self.person(engineer.manager)
        data = self.dept_index["Data & Analytics"]
        managers = [p for p in people if p.reports > 0 and p.id != line_manager.id and p.manager is not None]
        owner = next((p for p in managers if p.dept == data and p.seniority == 4), None) or managers[0]
        it = self.dept_index["Workplace & IT"]
        staff = [p for p in people if p.dept == it and p.reports == 0] or \
            [p for p in people if p.reports == 0 and p.id not in (engineer.id,)]
        admin = staff[0]
        admin.title = "IT Systems Administrator"
        self.personas = {"engineer": engineer.id, "owner": owner.id,
                         "line_manager": line_manager.id, "admin": admin.id}
        for p in (engineer, admin):
            self.rows_people[p.id - 1].update(title=p.title, weekly_hours=p.weekly_hours, cap_pct=p.cap_pct,
                                              created_at=p.created_at)
        self.rows_people[admin.id - 1]["is_admin"] = True
        # A second admin in People operations, so the role is not a single point of failure.
        people_dept = self.dept_index["People"]
        ops = next((p for p in people if p.dept == people_dept and p.title == "People Operations Specialist"), None)
        if ops is not None:
            self.rows_people[ops.id - 1]["is_admin"] = True

    # ------------------------------------------------------------------ profiles

    def build_profiles(self) -> None:
        rng = self.rng
        engineer = self.personas["engineer"]
        for p in self.people:
            if p.id == engineer:
                self._engineer_profile(p)
                continue
            plan = DEPARTMENT_PLANS[p.dept]
            picks: list[tuple[str, int, int]] = []  # (name, low, high)
            if p.role is not None:
                core = p.role.skills
                k = rng.randint(min(4, len(core)), len(core))
                chosen = list(core[:2]) + rng.sample(core[2:], max(0, k - 2))
                base = p.role.seniority
                picks += [(name, base, base + 2) for name in chosen]
            else:
                lead = LEADERSHIP_SKILLS
                picks += [(name, 3, 5) for name in rng.sample(lead, rng.randint(3, 5))]
                team_roles = p.team.roles if p.team else tuple(r for t in plan.teams for r in t.roles)
                craft = team_roles[0].skills
                picks += [(name, 3, 4) for name in rng.sample(craft, min(len(craft), rng.randint(2, 3)))]
            picks += [(name, 1, 3) for name in rng.sample(plan.pool, min(len(plan.pool), rng.randint(1, 3)))]
            if rng.random() < 0.6:
                picks.append(("English", 4, 5))
            if rng.random() < 0.3:
                picks.append((rng.choice(SECOND_LANGUAGES), 2, 5))
            for name, low, high in picks:
                skill = self.sid(name)
                if self.scaled and self.variants.get(skill) and rng.random() < 0.15:
                    skill = rng.choice(self.variants[skill])
                if (p.id, skill) in self.claims:
                    continue
                level = max(1, min(5, rng.randint(low, high)))
                self._claim(p, skill, level)
            seen: list[int] = []
            for name in rng.sample(POPULAR_INTERESTS + plan.pool, rng.randint(1, 4)):
                skill = self.sid(name)
                if (p.id, skill) not in self.claims and skill not in seen:
                    seen.append(skill)
                    self.interests.append({"employee": p.id, "skill": skill})
        for (person, skill), claim in self.claims.items():
            if claim["level"] >= 2:
                self.holders[skill].append(person)

    def _claim(self, p: _Person, skill: int, level: int) -> None:
        rng = self.rng
        roll = rng.random()
        source = "self" if roll < 0.74 else ("endorsed" if roll < 0.93 else "certified")
        evidence = 0 if source == "self" else rng.randint(1, 4 if source == "endorsed" else 2)
        # Skewed toward recent claims, yet about a third are older than a year (stale).
        age = 730 * rng.random() ** 1.5
        confirmed = max(self.now - dt.timedelta(days=age, seconds=rng.randint(0, 86399)), p.created_at)
        self.claims[(p.id, skill)] = {"employee": p.id, "skill": skill, "level": level, "source": source,
                                      "evidence_count": evidence, "confirmed_at": confirmed}

    def _engineer_profile(self, p: _Person) -> None:
        """The engineer persona's profile is fixed, so the opportunities written for
        them match well whatever the random draw gave everyone else."""
        profile = (("Python", 4), ("Go", 3), ("Kubernetes", 3), ("Docker", 4), ("PostgreSQL", 3),
                   ("SQL", 3), ("Linux", 4), ("Continuous Integration & Delivery", 3),
                   ("Amazon Web Services", 3), ("Terraform", 2), ("English", 5))
        for name, level in profile:
            self._claim(p, self.sid(name), level)
            claim = self.claims[(p.id, self.sid(name))]
            # One stale claim shows the "confirm your skills" nudge.
            if name == "Terraform":
                claim.update(source="self", evidence_count=0,
                             confirmed_at=max(p.created_at, self.now - dt.timedelta(days=400)))
        for name in ("Machine Learning", "Rust", "OpenTelemetry"):
            self.interests.append({"employee": p.id, "skill": self.sid(name)})

    # ------------------------------------------------------------------ key roles

    def build_key_roles(self) -> None:
        rng = self.rng
        plans = list(KEY_ROLES)
        extra = max(0, self.n_people // 200 - len(plans)) if self.scaled else 0
        for title, dept_name, skills, risk in plans:
            dept = self.dept_index[dept_name]
            ids = [self.sid(name) for name, _ in skills]

            def fit(pid: int) -> tuple[int, int]:
                return (sum(min(self.claims.get((pid, s), {}).get("level", 0), lvl)
                            for s, (_, lvl) in zip(ids, skills)), -pid)

            holder = max(self.by_dept[dept], key=fit)
            self._key_role(title, holder, dept, risk, list(zip(ids, (lvl for _, lvl in skills))))
        seniors = [p for p in self.people if p.seniority == 3]
        for _ in range(extra):
            p = rng.choice(seniors)
            self._key_role(f"{p.title}, {self.departments[p.dept]['name']}", p.id, p.dept,
                           rng.choice(d.RISKS), [(s, max(3, lvl)) for lvl, s in self._top_claims(p.id)])

    def _top_claims(self, person: int) -> list[tuple[int, int]]:
        role = self.person(person).role
        names = role.skills[:3] if role else LEADERSHIP_SKILLS[:3]
        return [(self.claims.get((person, self.sid(n)), {}).get("level", 3), self.sid(n)) for n in names]

    def _key_role(self, title: str, holder: int, dept: int, risk: str, skills: list[tuple[int, int]]) -> None:
        key = len(self.key_roles) + 1
        self.key_roles.append({"id": key, "title": title, "holder": holder, "department": dept + 1, "risk": risk})
        seen: list[int] = []
        for skill, level in skills:
            if skill not in seen:
                seen.append(skill)
                self.key_role_skills.append({"key_role": key, "skill": skill, "level": level})
        self.key_role_skill_ids[key] = seen

    # ------------------------------------------------------------------ opportunities

    def build_opportunities(self) -> None:
        """Persona stories first, then one posting per key role, then the rest at
        random; finally order them by creation time so ids read chronologically."""
        self.story = self._persona_postings()
        for role in self.key_roles:
            self._key_role_posting(role)
        grid = [(k, s) for s in d.OPP_STATUSES for k in d.KINDS]
        while len(self.opps) < self.n_opps:
            if grid:
                kind, status = grid.pop(0)
            else:
                kind = self.pick(d.KINDS, (40, 18, 14, 12, 16))
                status = self.pick(d.OPP_STATUSES, (7, 56, 10, 19, 8))
            self._random_posting(kind, status)
        self.opps.sort(key=lambda o: (o["created_at"], o["_seq"]))
        for i, opp in enumerate(self.opps, start=1):
            opp["id"] = i

    def _new_opp(self, *, kind: str, title: str, description: str, owner: int, hours: int, seats: int,
                 status: str, required=(), grows=(), steps=(), certification: str = "", host: int | None = None,
                 topics: str = "", key_role: int | None = None, created_at: dt.datetime | None = None) -> dict:
        rng = self.rng
        dates = self._posting_dates(status, created_at)
        remote = rng.random() < 0.65
        office = rng.choice(OFFICES)
        location = office if not remote or rng.random() < 0.5 else ""
        where = "Remote-friendly" if remote else f"In person at the {office} office"
        description = f"{description}\n\n{where}; about {hours} h/week."
        # A learning cohort is named for the season it starts in.
        title = title.replace("{cohort}", f"{_season(dates['start'])} {dates['start'].year}")
        opp = {
            "id": None, "kind": kind, "title": title, "description": description, "owner": owner,
            "department": self.person(owner).dept + 1, "hours_per_week": hours,
            "start": dates["start"], "end": dates["end"], "seats": seats, "location": location,
            "remote": remote, "status": status, "key_role": key_role, "certification": certification,
            "host": host, "topics": topics, "created_at": dates["created"], "updated_at": dates["updated"],
            "_seq": len(self.opps), "_required": [], "_grows": [], "_steps": list(steps),
            "_reason": rng.choice(CANCEL_REASONS) if status == "cancelled" else "",
        }
        for name, level in required:
            skill = self.sid(name) if isinstance(name, str) else name
            if skill not in [s for s, _ in opp["_required"]]:
                opp["_required"].append((skill, level))
        for name in grows:
            skill = self.sid(name) if isinstance(name, str) else name
            if self.scaled and self.variants.get(skill) and rng.random() < 0.2:
                skill = rng.choice(self.variants[skill])
            if skill not in opp["_grows"]:
                opp["_grows"].append(skill)
        self.opps.append(opp)
        return opp

    def _posting_dates(self, status: str, created: dt.datetime | None) -> dict:
        rng, today = self.rng, self.today
        day = dt.timedelta(days=1)
        if status == "draft":
            created = created or self.days_ago(0.2, 20)
            start = today + rng.randint(14, 60) * day
            end = start + rng.randint(4, 12) * 7 * day
            updated = self.between(created, self.now)
        elif status == "open":
            created = created or self.days_ago(1, 60)
            start = created.date() + rng.randint(7, 50) * day
            end = start + rng.randint(3, 16) * 7 * day
            if end < today + 7 * day:
                end = today + rng.randint(7, 30) * day
            updated = self.between(created, min(created + 3 * day, self.now))
        elif status == "closed":
            created = created or self.days_ago(20, 120)
            start = created.date() + rng.randint(7, 30) * day
            end = max(start + rng.randint(4, 20) * 7 * day, today + rng.randint(7, 40) * day)
            updated = self.between(created + 7 * day, self.now)
        elif status == "completed":
            created = created or self.days_ago(60, 540)
            age = (today - created.date()).days
            end = today - rng.randint(2, max(3, age - 30)) * day
            span = (end - created.date()).days
            start = created.date() + rng.randint(1, max(2, min(30, span // 2))) * day
            updated = min(self.now, dt.datetime.combine(end, dt.time(17)) + rng.randint(0, 72) * dt.timedelta(hours=1))
        else:  # cancelled
            created = created or self.days_ago(5, 200)
            start = created.date() + rng.randint(7, 40) * day
            end = start + rng.randint(4, 12) * 7 * day
            updated = self.between(created + day, self.now)
        return {"created": created, "updated": max(updated, created), "start": start, "end": end}

    def _persona_postings(self) -> dict[str, dict]:
        """The postings behind the personas' stories; see `_persona_applications`."""
        rng = self.rng
        engineer, owner = self.personas["engineer"], self.personas["owner"]
        line_manager = self.personas["line_manager"]
        avoid = {engineer, line_manager, owner}
        eng_depts = [self.dept_index[n] for n in ("Platform", "Product Engineering", "Data & Analytics")]
        others = [pid for dept in eng_depts for pid in self.by_dept[dept]
                  if pid not in avoid and self.person(pid).seniority >= 3]
        story: dict[str, dict] = {}
        story["owner_posting"] = self._new_opp(
            kind="gig", title="Churn-risk score for Customer Success",
            description="Customer Success wants an early warning when an account starts to drift. "
                        "Build a first churn-risk score from product usage and support tickets, and "
                        "explain which signals matter so the team trusts it.",
            owner=owner, hours=4, seats=2, status="open", required=(("Python", 3), ("SQL", 2)),
            grows=("Machine Learning", "Feature Engineering"), created_at=self.days_ago(9, 9))
        story["offered"] = self._new_opp(
            kind="gig", title="Add OpenTelemetry tracing to the payments API",
            description="When the payments API is slow nobody can tell why. Instrument it end to end "
                        "and build the first latency dashboards with the on-call team.",
            owner=rng.choice(others), hours=4, seats=2, status="open", required=(("Go", 3), ("Docker", 2)),
            grows=("OpenTelemetry", "Observability"), created_at=self.days_ago(20, 20))
        story["applied"] = self._new_opp(
            kind="gig", title="Prototype a Rust rewrite of the log shipper",
            description="The log shipper eats a whole core on busy nodes. Prototype a Rust version, "
                        "benchmark it against the current one and recommend whether to switch.",
            owner=rng.choice(others), hours=3, seats=1, status="open", required=(("Linux", 3), ("Go", 2)),
            grows=("Rust", "Performance Engineering"), created_at=self.days_ago(6, 6))
        story["match_cron"] = self._new_opp(
            kind="gig", title="Move the nightly batch jobs to Kubernetes CronJobs",
            description="Twelve cron jobs still run on a single VM nobody wants to patch. Move them "
                        "onto the cluster with proper retries and alerting.",
            owner=rng.choice(others), hours=3, seats=1, status="open", required=(("Kubernetes", 3), ("Python", 3)),
            grows=("Helm", "Observability"), created_at=self.days_ago(4, 4))
        story["match_backup"] = self._new_opp(
            kind="gig", title="Harden the PostgreSQL backups and test restores",
            description="We take backups but have not restored one in a year. Automate restore tests "
                        "and document the recovery procedure.",
            owner=rng.choice(others), hours=2, seats=1, status="open", required=(("PostgreSQL", 3), ("Linux", 3)),
            grows=("Site Reliability Engineering", "Database Migrations"), created_at=self.days_ago(3, 3))
        story["match_features"] = self._new_opp(
            kind="gig", title="Build a feature store for the ML team",
            description="Data scientists copy the same feature SQL into every notebook. Build a small "
                        "feature store on PostgreSQL with the ML engineers.",
            owner=rng.choice(others), hours=4, seats=2, status="open", required=(("Python", 4), ("PostgreSQL", 2)),
            grows=("Machine Learning", "Feature Engineering"), created_at=self.days_ago(12, 12))
        path = next(p for p in LEARNING_PATHS if p.title == "Machine learning foundations")  # an interest of theirs
        story["active"] = self._new_opp(
            kind="learning", title=f"{path.title} — {{cohort}} cohort",
            description=path.description, owner=self._learning_owner(), hours=2, seats=4, status="open",
            required=path.required, grows=path.grows, steps=path.steps, certification=path.certification,
            created_at=self.days_ago(40, 40))
        story["completed"] = self._new_opp(
            kind="gig", title="Halve CI time for the search service",
            description="Builds took 25 minutes. Profile the pipeline, add caching and split the slow "
                        "suites so reviews stop waiting on CI.",
            owner=rng.choice(others), hours=3, seats=1, status="completed",
            required=(("Continuous Integration & Delivery", 3), ("Bash", 2)),
            grows=("GitHub Actions", "Bazel"), created_at=self.days_ago(150, 150))
        return story

    def _learning_owner(self) -> int:
        if self._trainers is None:
            people = self.by_dept[self.dept_index["People"]]
            self._trainers = [p for p in people if self.person(p).title in (
                "Learning & Development Specialist", "Learning & Development Lead")] or people
        return self.rng.choice(self._trainers)

    def _key_role_posting(self, role: dict) -> None:
        rng = self.rng
        holder = role["holder"]
        skills = self.key_role_skill_ids[role["id"]][:2]
        names = " and ".join(self.skills[s - 1]["name"] for s in skills)
        first = self.name_of(holder).split()[0]
        if rng.random() < 0.5:
            self._new_opp(
                kind="shadowing", title=f"Shadow the {role['title']}",
                description=f"Spend time alongside {first}, our {role['title']}: planning, reviews and "
                            f"the hard calls. A way into {names} for people who might grow into the role.",
                owner=holder, host=holder, hours=rng.randint(3, 6), seats=rng.randint(1, 2), status="open",
                grows=skills, key_role=role["id"])
        else:
            self._new_opp(
                kind="mentorship", title=f"Succession mentoring: {role['title']}",
                description=f"Monthly mentoring with {first} for people who could step into the "
                            f"{role['title']} role one day, focused on {names}.",
                owner=holder, hours=1, seats=rng.randint(1, 2), status="open", grows=skills,
                topics=f"What the role really involves; {names}; the decisions you will face",
                key_role=role["id"])

    def _random_posting(self, kind: str, status: str) -> None:
        rng = self.rng
        slots = self.slot_values()
        if kind == "gig":
            dept_name = self.pick(self.dept_names, self.dept_sizes)
            plan = rng.choice(GIGS[dept_name])
            owner = self._gig_owner(self.dept_index[dept_name], plan)
            self._new_opp(kind=kind, title=self.fill(plan.title, slots),
                          description=self.fill(plan.description, slots), owner=owner,
                          hours=self.pick((2, 3, 4, 5, 6, 8, 10), (12, 18, 22, 14, 14, 12, 8)),
                          seats=self.pick((1, 2, 3), (55, 30, 15)), status=status,
                          required=plan.required, grows=plan.grows)
        elif kind == "mentorship":
            if rng.random() < 0.35:
                plan = rng.choice(MENTORSHIPS)
                owner = self._owner_for(plan.grows[0], min_level=4)
                self._new_opp(kind=kind, title=plan.title, description=plan.description, owner=owner,
                              hours=rng.choice((1, 1, 2)), seats=rng.randint(1, 2), status=status,
                              required=plan.required, grows=plan.grows, topics=plan.topics)
            else:
                owner = rng.choice(self.seniors)
                top = self._best_claim(owner)
                name = self.skills[top - 1]["name"]
                title = rng.choice(MENTORSHIP_TITLES).format(skill=name)
                first = self.name_of(owner).split()[0]
                self._new_opp(kind=kind, title=title,
                              description=f"Regular sessions with {first}, who works with {name} every day. "
                                          "Bring real problems from your work; together we pick one stretch "
                                          "goal to finish this quarter.",
                              owner=owner, hours=rng.choice((1, 1, 2)), seats=rng.randint(1, 2), status=status,
                              grows=(top,),
                              topics=f"{name} fundamentals; reviewing your real work; a reading list; one stretch goal")
        elif kind == "volunteering":
            plan = rng.choice(VOLUNTEERING)
            owner = rng.randrange(1, len(self.people) + 1)
            self._new_opp(kind=kind, title=self.fill(plan.title, slots),
                          description=self.fill(plan.description, slots), owner=owner,
                          hours=rng.randint(1, 4), seats=rng.randint(2, 4), status=status, grows=plan.grows)
        elif kind == "shadowing":
            plan = rng.choice(SHADOWING)
            host = self._owner_for(plan.grows[0], min_level=3)
            owner = host if rng.random() < 0.7 or self.person(host).manager is None else self.person(host).manager
            self._new_opp(kind=kind, title=plan.title,
                          description=f"{plan.description} Your host is {self.name_of(host)}.",
                          owner=owner, host=host, hours=rng.randint(2, 8), seats=rng.randint(1, 2),
                          status=status, grows=plan.grows)
        else:
            plan = rng.choice(LEARNING_PATHS)
            owner = self._learning_owner() if rng.random() < 0.6 else self._owner_for(plan.grows[0], min_level=4)
            title = f"{plan.title} — {{cohort}} cohort"
            self._new_opp(kind=kind, title=title, description=plan.description, owner=owner,
                          hours=rng.randint(1, 4), seats=rng.randint(3, 4), status=status,
                          required=plan.required, grows=plan.grows, steps=plan.steps,
                          certification=plan.certification)

    def _gig_owner(self, dept: int, plan: GigPlan) -> int:
        """Someone in the department who knows the work: a holder of one of the
        gig's skills, preferring seniors; anyone senior there when nobody does."""
        key = (dept, plan.title)
        candidates = self._gig_owners.get(key)
        if candidates is None:
            members = self.by_dept[dept]
            skills = [self.sid(name) for name, _ in plan.required] + [self.sid(name) for name in plan.grows]
            knowing = [p for p in members if any((p, s) in self.claims for s in skills)]
            senior = [p for p in knowing if self.person(p).seniority >= 3]
            candidates = senior or knowing or [p for p in members if self.person(p).seniority >= 3] or members
            self._gig_owners[key] = candidates
        return self.rng.choice(candidates)

    def _owner_for(self, skill_name: str, *, min_level: int) -> int:
        skill = self.sid(skill_name)
        experts = self._experts.get((skill, min_level))
        if experts is None:
            experts = [p for p in self.holders.get(skill, ()) if self.claims[(p, skill)]["level"] >= min_level]
            self._experts[(skill, min_level)] = experts
        return self.rng.choice(experts) if experts else self.rng.randrange(1, len(self.people) + 1)

    def _best_claim(self, person: int) -> int:
        role = self.person(person).role
        names = role.skills if role else LEADERSHIP_SKILLS
        best = max(names, key=lambda n: (self.claims.get((person, self.sid(n)), {}).get("level", 0), -names.index(n)))
        return self.sid(best)

    # ------------------------------------------------------------------ applications

    def build_applications(self) -> None:
        self._persona_applications()
        for opp in self.opps:
            if opp["status"] == "draft":
                continue
            want = self._applicant_count(opp)
            for applicant in self._applicants(opp, want):
                self._random_application(opp, applicant)
        self.apps.sort(key=lambda a: (a["applied_at"], a["_seq"]))
        for i, app in enumerate(self.apps, start=1):
            app["id"] = i

    def _applicant_count(self, opp: dict) -> int:
        rng = self.rng
        status = opp["status"]
        if status == "open":
            return self.pick((0, 1, 2, 3, 4, 5, 6), (14, 20, 22, 18, 12, 8, 6))
        if status == "closed":
            return rng.randint(2, 6)
        if status == "completed":
            return rng.randint(1, 5)
        return rng.randint(0, 3)

    def _applicants(self, opp: dict, want: int) -> list[int]:
        rng = self.rng
        excluded = {opp["owner"], opp["host"]}
        found: list[int] = []
        required = [s for s, _ in opp["_required"]]
        dept_members = self.by_dept[opp["department"] - 1]
        tries = 0
        while len(found) < want and tries < want * 6:
            tries += 1
            roll = rng.random()
            if required and roll < 0.45 and self.holders.get(required[0]):
                pool = self.holders[rng.choice(required)] or dept_members
            elif roll < 0.7:
                pool = dept_members
            else:
                pool = None
            person = rng.choice(pool) if pool else rng.randrange(1, len(self.people) + 1)
            if person in excluded or (opp["id"], person) in self.applied or person in found:
                continue
            found.append(person)
        return found

    def _random_application(self, opp: dict, person: int) -> None:
        status = opp["status"]
        if status == "open":
            allowed = ("applied", "shortlisted", "offered", "active", "withdrawn", "declined", "release_declined")
            weights = (34, 18, 10, 15, 8, 10, 5)
            if opp["kind"] in ("learning", "mentorship", "volunteering"):
                allowed, weights = allowed + ("completed",), weights + (6,)
        elif status == "closed":
            allowed = ("shortlisted", "offered", "active", "declined", "withdrawn", "release_declined", "completed")
            weights = (8, 10, 35, 25, 10, 7, 5)
        elif status == "completed":
            allowed, weights = ("completed", "declined", "withdrawn", "release_declined"), (60, 25, 10, 5)
        else:
            allowed, weights = ("cancelled", "withdrawn", "declined"), (70, 20, 10)
        wanted = self.pick(allowed, weights)
        if self._add_application(opp, person, wanted) is None:
            fallback = "shortlisted" if status == "open" else "declined"
            self._add_application(opp, person, fallback)

    def _add_application(self, opp: dict, person: int, status: str, *, when: dt.datetime | None = None,
                         note: str | None = None) -> dict | None:
        """Add one application in `status` with a consistent timeline, or return None
        when it would break a rule (seats, time cap, a missing line manager)."""
        rng = self.rng
        p = self.person(person)
        hours = opp["hours_per_week"]
        manager = p.manager
        if status in ("offered", "release_declined") and manager is None:
            return None
        if status in d.HOLDING_STATUSES:
            if self.holding[opp["id"]] >= opp["seats"]:
                return None
            if self.committed[person] + hours > p.cap_hours + 1e-9:
                return None
        if status == "completed" and opp["status"] == "completed" and self.finished[opp["id"]] >= opp["seats"]:
            return None
        times = self._timeline(opp, status, when)
        if times is None:
            return None
        grow = self.skills[opp["_grows"][0] - 1]["name"] if opp["_grows"] else "this"
        app = {
            "id": None, "opportunity": opp["id"], "applicant": person, "status": status,
            "note": rng.choice(NOTES).format(grow=grow) if note is None else note,
            "hours_per_week": hours, "applied_at": times["applied"], "updated_at": times["updated"],
            "offered_at": times.get("offered"), "release_due": None, "released_by": None,
            "released_at": None, "release_automatic": False, "release_reason": "", "decline_reason": "",
            "rating": None, "feedback": "", "completed_at": None, "_seq": len(self.apps), "_opp": opp,
        }
        if status == "offered":
            app["release_due"] = times["offered"] + dt.timedelta(days=RELEASE_DAYS)
        if status in ("active", "completed"):
            released = times["released"]
            if manager is None:
                # Nobody to release the time: the engagement started at the offer.
                app.update(released_at=times["offered"], release_automatic=True, release_reason="no line manager")
            elif released - times["offered"] >= dt.timedelta(days=RELEASE_DAYS) or rng.random() < 0.15:
                app.update(released_at=min(times["offered"] + dt.timedelta(days=RELEASE_DAYS), released),
                           release_automatic=True)
            else:
                app.update(released_at=released, released_by=manager)
            if manager is not None:
                app["release_due"] = times["offered"] + dt.timedelta(days=RELEASE_DAYS)
        if status == "release_declined":
            app.update(released_by=manager, released_at=times["released"], release_reason=rng.choice(RELEASE_REASONS),
                       release_due=times["offered"] + dt.timedelta(days=RELEASE_DAYS))
        if status == "declined":
            app["decline_reason"] = rng.choice(DECLINE_REASONS)
        if status == "cancelled":
            app["decline_reason"] = opp["_reason"]
        if status == "completed":
            rating = self.pick((5, 4, 3, 2, 1), (40, 35, 17, 6, 2))
            app.update(rating=rating, feedback=rng.choice(FEEDBACK[rating]), completed_at=times["completed"])
            self.finished[opp["id"]] += 1
        if status in d.HOLDING_STATUSES:
            self.holding[opp["id"]] += 1
            self.committed[person] += hours
        self.applied.add((opp["id"], person))
        self.apps.append(app)
        return app

    def _timeline(self, opp: dict, status: str, when: dt.datetime | None) -> dict | None:
        """Event times for an application that ends in `status`; None when the
        posting is too young for that story."""
        rng, now = self.rng, self.now
        hour, day = dt.timedelta(hours=1), dt.timedelta(days=1)
        created = opp["created_at"] + hour
        if opp["status"] == "completed":
            horizon = min(now, dt.datetime.combine(opp["end"], dt.time(17)))
        elif opp["status"] == "cancelled":
            horizon = opp["updated_at"]
        else:
            horizon = now
        if horizon <= created + hour:
            return None
        if status in ("applied", "withdrawn", "declined", "shortlisted", "cancelled"):
            applied = when or self.between(created, horizon - hour)
            if status == "cancelled":  # cancelling the posting cancelled everyone still in play
                return {"applied": applied, "updated": opp["updated_at"]}
            return {"applied": applied, "updated": applied if status == "applied" else self.between(applied, horizon)}
        if status == "offered":
            if when is not None:
                offered = when
            else:
                # Most offers are recent; a few have passed their release deadline.
                late = rng.random() < 0.15
                offered = self.days_ago(5.3, 9) if late else self.days_ago(0.1, 4.6)
            if offered <= created + hour:
                offered = self.between(max(created + hour, now - 4 * day), now)
                if offered <= created + hour:
                    return None
            applied = self.between(created, offered - min(hour, offered - created))
            return {"applied": applied, "offered": offered, "updated": offered}
        # active, release_declined, completed: offered, then decided.
        start = created
        if status == "completed" and opp["status"] == "completed":
            finish = horizon
        elif status == "completed":
            if horizon - created < 14 * day:
                return None
            finish = self.between(created + 10 * day, horizon)
        else:
            finish = horizon
        applied = when or self.between(start, start + (finish - start) * 0.3)
        offered = self.between(applied, applied + (finish - applied) * 0.3)
        released = min(offered + dt.timedelta(seconds=rng.randint(7200, 6 * 86400)), finish)
        out = {"applied": applied, "offered": offered, "released": released, "updated": released}
        if status == "completed":
            out["completed"] = finish
            out["updated"] = finish
        return out

    def _persona_applications(self) -> None:
        """The personas' stories: the engineer has a completed gig, an active
        learning path, an offer waiting on their manager, a shortlisting and a fresh
        application; the owner's posting has applicants waiting for review; the line
        manager (the engineer's manager) has that offer to release."""
        story, rng = self.story, self.rng
        engineer = self.personas["engineer"]
        posting = story["owner_posting"]
        now, day, hour = self.now, dt.timedelta(days=1), dt.timedelta(hours=1)
        self._add_application(story["completed"], engineer, "completed",
                              note="I sped up our own pipeline last year and would enjoy doing it again.")
        self._add_application(story["active"], engineer, "active", note="Machine learning is next on my list.")
        self._add_application(story["offered"], engineer, "offered", when=now - 0.8 * day,
                              note="Tracing is exactly what I want to learn next.")
        self._add_application(posting, engineer, "shortlisted", when=now - 6 * day,
                              note="I know the usage tables well and would love to try a first model.")
        self._add_application(story["applied"], engineer, "applied", when=now - 1.5 * day,
                              note="I've been learning Rust on weekends; this would be a great first real project.")
        avoid = {engineer, posting["owner"]}
        pool = [p for p in self.holders.get(self.sid("Python"), []) if p not in avoid] \
            or [p.id for p in self.people if p.id not in avoid]
        for status in ("applied", "shortlisted", "applied", "applied", "withdrawn"):
            person = rng.choice(pool)
            while (posting["id"], person) in self.applied:
                person = rng.choice(pool)
            self._add_application(posting, person, status, when=self.between(now - 8 * day, now - 2 * hour))

    # ------------------------------------------------------------------ outcomes

    def build_steps(self) -> None:
        self.steps: list[dict] = []
        for opp in self.opps:
            opp["_step_ids"] = []
            for position, title in enumerate(opp["_steps"], start=1):
                step = len(self.steps) + 1
                self.steps.append({"id": step, "opportunity": opp["id"], "position": position, "title": title})
                opp["_step_ids"].append(step)

    def build_outcomes(self) -> None:
        """What completed engagements left behind: endorsements that raise the
        participant's skill evidence, the core-work question for participant and
        manager, and progress through learning steps."""
        rng = self.rng
        self.endorsements: list[dict] = []
        self.core_work: list[dict] = []
        self.progress_rows: list[dict] = []
        for app in self.apps:
            opp = app["_opp"]
            status = app["status"]
            if opp["_step_ids"] and status in ("active", "completed"):
                self._step_progress(app, opp)
            if status != "completed":
                continue
            person = self.person(app["applicant"])
            at = app["completed_at"]
            certified = opp["kind"] == "learning"
            endorsed: list[tuple[int, int]] = []
            if opp["_grows"]:
                endorsed.append((opp["_grows"][0], rng.randint(2, 3)))
            if opp["_required"] and rng.random() < 0.5:
                skill, level = opp["_required"][0]
                current = self.claims.get((person.id, skill), {}).get("level", level)
                endorsed.append((skill, max(level, current)))
            for skill, level in endorsed:
                self.endorsements.append({"application": app["id"], "skill": skill, "level": level, "at": at})
                self._endorse(person, skill, level, at, certified)
            respondents = [(person.id, "participant")]
            if person.manager is not None:
                respondents.append((person.manager, "manager"))
            for respondent, role in respondents:
                answered = rng.random() < 0.85
                answer = self.pick(d.CORE_WORK_ANSWERS, (45, 40, 15)) if answered else None
                self.core_work.append({
                    "application": app["id"], "respondent": respondent, "role": role, "answer": answer,
                    "comment": rng.choice(CORE_WORK_COMMENTS[answer]) if answer else "",
                    "asked_at": at,
                    "answered_at": self.between(at, min(self.now, at + 10 * dt.timedelta(days=1))) if answered else None,
                })

    def _step_progress(self, app: dict, opp: dict) -> None:
        steps = opp["_step_ids"]
        begun = app["released_at"] or app["offered_at"] or app["applied_at"]
        if app["status"] == "completed":
            done, until = len(steps), app["completed_at"]
        else:
            done, until = self.rng.randint(1, max(1, len(steps) - 1)), self.now
        times = sorted(self.between(begun, until) for _ in range(done))
        for step, at in zip(steps, times):
            self.progress_rows.append({"application": app["id"], "step": step, "done_at": at})

    def _endorse(self, person: _Person, skill: int, level: int, at: dt.datetime, certified: bool) -> None:
        claim = self.claims.get((person.id, skill))
        if claim is None:
            self.claims[(person.id, skill)] = {
                "employee": person.id, "skill": skill, "level": level,
                "source": "certified" if certified else "endorsed", "evidence_count": 1, "confirmed_at": at}
            return
        claim.update(
            level=max(claim["level"], level),
            source="certified" if certified or claim["source"] == "certified" else "endorsed",
            evidence_count=claim["evidence_count"] + 1,
            confirmed_at=max(claim["confirmed_at"], at),
        )

    # ------------------------------------------------------------------ inbox

    def build_notifications(self) -> None:
        """The notifications each application's history would have sent, as the
        market words them. Only the last 90 days are kept, as an inbox would."""
        rng, now = self.rng, self.now
        since = now - dt.timedelta(days=90)
        out: list[tuple[dt.datetime, int, str, str]] = []

        def send(recipient: int | None, text: str, link: str, at: dt.datetime | None) -> None:
            if recipient is not None and at is not None and at >= since:
                out.append((at, recipient, text, link))

        for app in self.apps:
            opp = app["_opp"]
            title, status, aid = opp["title"], app["status"], app["id"]
            person = self.person(app["applicant"])
            name, owner, manager = person.display_name, opp["owner"], person.manager
            link = f"app:{aid}"
            send(owner, f"{name} applied to '{title}'", link, app["applied_at"])
            if status == "shortlisted":
                send(person.id, f"You were shortlisted for '{title}'", link, app["updated_at"])
            if app["offered_at"] is not None and manager is not None:
                send(person.id, f"You have an offer for '{title}'; waiting for your manager's release", link, app["offered_at"])
                due = app["offered_at"] + dt.timedelta(days=RELEASE_DAYS)
                send(manager, f"{name} was offered '{title}' ({app['hours_per_week']} h/week): release or decline "
                              f"by {due:%Y-%m-%d}, or it is released automatically", f"release:{aid}", app["offered_at"])
            if status in ("active", "completed"):
                released = app["released_at"]
                if manager is None:
                    send(person.id, f"You have an offer for '{title}' and can start", link, released)
                elif app["release_automatic"]:
                    send(person.id, f"Your time for '{title}' was released automatically (no decision within the "
                                    "deadline): you can start", link, released)
                    send(manager, f"{name}'s release for '{title}' was granted automatically: no decision was made "
                                  "in time", link, released)
                    send(owner, f"{name} was released automatically for '{title}'", link, released)
                else:
                    send(person.id, f"Your manager released your time for '{title}': you can start", link, released)
                    send(owner, f"{name}'s manager released them for '{title}'", link, released)
            if status == "completed":
                send(person.id, f"'{title}' is complete — rated {app['rating']}/5. How did it affect your core work?",
                     f"corework:{aid}", app["completed_at"])
                send(manager, f"{name} completed '{title}'. How did it affect their core work?",
                     f"corework:{aid}", app["completed_at"])
            elif status == "release_declined":
                reason = app["release_reason"]
                send(person.id, f"Your manager declined your time for '{title}': {reason}", link, app["released_at"])
                send(owner, f"{name}'s manager declined their release for '{title}': {reason}", link, app["released_at"])
            elif status == "withdrawn":
                send(owner, f"{name} withdrew from '{title}'", f"opp:{opp['id']}", app["updated_at"])
            elif status == "declined":
                why = f": {app['decline_reason']}" if app["decline_reason"] else ""
                send(person.id, f"Your application to '{title}' was not taken forward{why}", link, app["updated_at"])
            elif status == "cancelled":
                why = f": {app['decline_reason']}" if app["decline_reason"] else ""
                send(person.id, f"'{title}' was cancelled{why}", link, app["updated_at"])
        admins = [row["id"] for row in self.rows_people if row["is_admin"]]
        for admin in admins:
            send(admin, f"The demo organisation is loaded: {len(self.people)} people, {len(self.opps)} "
                        f"opportunities and {len(self.apps)} applications. The audit log records the load.", "", now)
        # Inbox order is by id, so ids follow time.
        out.sort(key=lambda n: (n[0], n[1]))
        self.notifications = []
        for i, (at, recipient, text, link) in enumerate(out, start=1):
            age = now - at
            read = age > dt.timedelta(days=7) or (age > dt.timedelta(days=2) and rng.random() < 0.4)
            self.notifications.append({"id": i, "recipient": recipient, "text": text, "link": link,
                                       "read": read, "created_at": at})

    # ------------------------------------------------------------------ result

    def result(self) -> DemoOrganisation:
        def numbered(rows: list[dict]) -> list[dict]:
            for i, row in enumerate(rows, start=1):
                row["id"] = i
            return rows

        claims = numbered([self.claims[key] for key in sorted(self.claims)])
        opp_skills = []
        for opp in self.opps:
            for skill, level in opp["_required"]:
                opp_skills.append({"opportunity": opp["id"], "skill": skill, "level": level, "role": "required"})
            for skill in opp["_grows"]:
                opp_skills.append({"opportunity": opp["id"], "skill": skill, "level": 2, "role": "grows"})
        audit = [{
            "id": 1, "actor": None, "action": "load_demo", "object_type": "database", "object_id": None,
            "detail": json.dumps({"seed": self.seed, "employees": len(self.people), "skills": len(self.skills),
                                  "opportunities": len(self.opps), "applications": len(self.apps),
                                  "scale": self.scaled}, sort_keys=True),
            "at": self.now,
        }]
        tables = (
            ("department", self.departments),
            ("employee", self.rows_people),
            ("skill", self.skills),
            ("skill_alias", self.aliases),
            ("employee_skill", claims),
            ("interest", numbered(self.interests)),
            ("key_role", self.key_roles),
            ("key_role_skill", numbered(self.key_role_skills)),
            ("opportunity", self.opps),
            ("opportunity_skill", numbered(opp_skills)),
            ("learning_step", self.steps),
            ("application", self.apps),
            ("step_progress", numbered(self.progress_rows)),
            ("endorsement", numbered(self.endorsements)),
            ("core_work_answer", numbered(self.core_work)),
            ("notification", self.notifications),
            ("audit_event", audit),
        )
        username = {key: self.rows_people[pid - 1]["username"] for key, pid in self.personas.items()}
        summary = DemoSummary(
            departments=len(self.departments), employees=len(self.people), skills=len(self.skills),
            opportunities=len(self.opps), applications=len(self.apps), **username,
        )
        return DemoOrganisation(tables, summary)


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector. Building and writing millions of row
    dicts otherwise triggers full collections over the whole growing heap again
    and again; none of these rows form cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _naive_utc(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        now = dt.datetime.now(dt.UTC)
    if now.tzinfo is not None:
        now = now.astimezone(dt.UTC).replace(tzinfo=None)
    return now.replace(microsecond=0)


def _check_sizes(employees: int | None, opportunities: int | None) -> None:
    errors = {}
    if employees is not None and (isinstance(employees, bool) or not isinstance(employees, int)
                                  or employees < MIN_EMPLOYEES):
        errors["employees"] = f"employees must be a whole number of at least {MIN_EMPLOYEES}"
    if opportunities is not None and (isinstance(opportunities, bool) or not isinstance(opportunities, int)
                                      or opportunities < MIN_OPPORTUNITIES):
        errors["opportunities"] = f"opportunities must be a whole number of at least {MIN_OPPORTUNITIES}"
    if errors:
        raise ValidationError(errors)


def generate(*, employees: int | None = None, opportunities: int | None = None,
             now: dt.datetime | None = None, seed: int = 7, progress: Progress | None = None) -> DemoOrganisation:
    """Build the demo organisation in memory, without touching a database.

    With no sizes it is the hand-shaped demo (about 250 people and 300
    opportunities); with sizes it is the same shape at that scale, with a skill
    taxonomy grown up to 15,000 entries. The same arguments always give the same
    rows. `now` is naive UTC "today" for every date (default: the current time).
    """
    _check_sizes(employees, opportunities)
    builder = _Builder(employees=employees, opportunities=opportunities, now=_naive_utc(now), seed=seed)
    steps = (builder.build_departments, builder.build_skills, builder.build_people, builder.choose_personas,
             builder.build_profiles, builder.build_key_roles, builder.build_opportunities, builder.build_steps,
             builder.build_applications, builder.build_outcomes, builder.build_notifications)
    with _gc_paused():
        for done, step in enumerate(steps, start=1):
            step()
            if progress:
                progress("planning", done, len(steps))
        return builder.result()


def load_demo(db, *, employees: int | None = None, opportunities: int | None = None,
              progress: Progress | None = None, now: dt.datetime | None = None, seed: int = 7) -> DemoSummary:
    """Generate the demo organisation and write it into the empty database `db`.

    `progress(stage, done, total)` is called as work advances: first the
    "planning" stage, then one stage per kind of row written ("people",
    "opportunities", ...). Raises Conflict if the database already holds people or
    opportunities. Returns the counts and the usernames of the personas.
    """
    from oppmarket.db import bulk

    with _gc_paused():
        organisation = generate(employees=employees, opportunities=opportunities, now=now, seed=seed,
                                progress=progress)
        bulk.write_rows(db, organisation.tables, progress=progress)
        return organisation.summary
