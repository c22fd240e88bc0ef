"""Postings: the ones the personas' stories need, one per key role for succession,
and the rest drawn by kind and status, each with dates that fit its status."""

from __future__ import annotations

import datetime as dt
import random

from oppmarket import domain as d
from oppmarket.demo.builder import Builder
from oppmarket.demo.organisation import LEADERSHIP_SKILLS, OFFICES
from oppmarket.demo.plans import GigPlan
from oppmarket.demo.postings import GIGS, LEARNING_PATHS, MENTORSHIP_TITLES, MENTORSHIPS, SHADOWING, SLOTS, VOLUNTEERING
from oppmarket.demo.remarks import CANCEL_REASONS


class Slots(dict):
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


class Opportunities(Builder):
    """Postings of every kind and status."""

    def fill(self, text: str, slots: Slots) -> str:
        return text.format_map(slots)

    def slot_values(self) -> Slots:
        return Slots(self.rng)

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
