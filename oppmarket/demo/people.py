"""Departments, the people in them (heads, managers, contributors) and the personas
a demo visitor steps into."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import unicodedata

from oppmarket.demo.builder import Builder, Person
from oppmarket.demo.organisation import COMPANY_DOMAIN, DEPARTMENT_PLANS, FIRST_NAMES, LAST_NAMES
from oppmarket.demo.plans import DepartmentPlan, Role, Team

# Letters that NFKD does not split into an ASCII base plus an accent.
# The share of the demo's people (in percent) who are open to invitations to apply.
OPEN_TO_INVITATIONS_PCT = 35


def open_to_invitations(username: str) -> bool:
    """Whether a demo person is open to invitations: drawn from their username, not from
    the generator's random stream, so that every other draw of the demo stays as it was."""
    return int(hashlib.sha256(username.encode()).hexdigest()[:8], 16) % 100 < OPEN_TO_INVITATIONS_PCT


_UNSPLIT_LETTERS = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "đ": "d"})


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


class People(Builder):
    """Departments, people and personas."""

    def build_departments(self) -> None:
        for plan in DEPARTMENT_PLANS:
            row = {"id": len(self.departments) + 1, "name": plan.name,
                   "parent": self.dept_index[plan.parent] + 1 if plan.parent else None}
            self.dept_index[plan.name] = len(self.departments)
            self.departments.append(row)

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
        person = Person(
            id=len(self.people) + 1, dept=dept, title=title, manager=manager, seniority=seniority,
            role=role, team=team, weekly_hours=weekly, cap_pct=cap,
            created_at=self.days_ago(tenure, tenure), username=username, display_name=f"{first} {last}",
        )
        self.people.append(person)
        self.by_dept[dept].append(person.id)
        if manager is not None:
            self.person(manager).reports += 1
        return person.id

    def _person_row(self, p: Person) -> dict:
        return {
            "id": p.id, "username": p.username, "display_name": p.display_name,
            "email": f"{p.username}@{COMPANY_DOMAIN}", "title": p.title,
            "department": p.dept + 1, "manager": p.manager, "weekly_hours": p.weekly_hours,
            "cap_pct": p.cap_pct, "is_admin": False, "active": True, "created_at": p.created_at,
            "open_to_invitations": open_to_invitations(p.username),
        }

    def choose_personas(self) -> None:
        """Pick the people a demo visitor steps into, and fix the few facts their
        stories depend on (an engineer's title and hours, the admins)."""
        people = self.people
        platform = self.dept_index["Platform"]

        def ic_engineer(p: Person) -> bool:
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
