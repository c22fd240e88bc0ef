"""Postings: the ones the personas' stories need, one per key role for succession,
and the rest drawn by kind and status, each with dates that fit its status."""

from __future__ import annotations

import datetime as dt
import random

from oppmarket import lifecycle
from oppmarket.demo.builder import Builder, number_by_time
from oppmarket.demo.organisation import LEADERSHIP_SKILLS, OFFICES
from oppmarket.demo.plans import GIG, LEARNING, MENTORSHIP, SHADOWING, VOLUNTEERING, GigPlan, cohort_title
from oppmarket.demo.postings import (
    GIGS, LEARNING_PATHS, MENTORSHIP_THEMES, MENTORSHIP_TITLES, PERSONA_POSTINGS, SHADOWING_THEMES, SLOTS,
    VOLUNTEERING_THEMES,
)
from oppmarket.demo.remarks import CANCEL_REASONS
from oppmarket.domain import KINDS
from oppmarket.lifecycle import OppStatus


class Slots(dict):
    """Slot values for one title and description, drawn only when a template
    uses them, and then the same for both."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __missing__(self, name: str) -> str:
        value = self[name] = self.rng.choice(SLOTS[name])
        return value


# How many times an open posting is drawn again while its title is already open.
REDRAWS = 4


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
        grid = [(k, s) for s in lifecycle.OPP_STATUSES for k in KINDS]
        while len(self.opps) < self.n_opps:
            if grid:
                kind, status = grid.pop(0)
            else:
                kind = self.pick(KINDS, (40, 18, 14, 12, 16))
                status = self.pick(lifecycle.OPP_STATUSES, (7, 56, 10, 19, 8))
            self._random_posting(kind, status)
        number_by_time(self.opps, "created_at")

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
            "remote": remote, "status": OppStatus(status).value, "key_role": key_role, "certification": certification,
            "host": host, "topics": topics, "created_at": dates["created"], "updated_at": dates["updated"],
            "_seq": len(self.opps), "_required": [], "_grows": [], "_steps": list(steps),
            "_reason": rng.choice(CANCEL_REASONS) if status == OppStatus.CANCELLED else "",
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
        if status == OppStatus.DRAFT:
            created = created or self.days_ago(0.2, 20)
            start = today + rng.randint(14, 60) * day
            end = start + rng.randint(4, 12) * 7 * day
            updated = self.between(created, self.now)
        elif status == OppStatus.OPEN:
            created = created or self.days_ago(1, 60)
            start = created.date() + rng.randint(7, 50) * day
            end = start + rng.randint(3, 16) * 7 * day
            if end < today + 7 * day:
                end = today + rng.randint(7, 30) * day
            updated = self.between(created, min(created + 3 * day, self.now))
        elif status == OppStatus.CLOSED:
            created = created or self.days_ago(20, 120)
            start = created.date() + rng.randint(7, 30) * day
            end = max(start + rng.randint(4, 20) * 7 * day, today + rng.randint(7, 40) * day)
            updated = self.between(created + 7 * day, self.now)
        elif status == OppStatus.COMPLETED:
            created = created or self.days_ago(60, 540)
            age = (today - created.date()).days
            end = today - rng.randint(2, max(3, age - 30)) * day
            span = (end - created.date()).days
            start = created.date() + rng.randint(1, max(2, min(30, span // 2))) * day
            updated = min(self.now, dt.datetime.combine(end, dt.time(17)) + rng.randint(0, 72) * dt.timedelta(hours=1))
        else:  # OppStatus.CANCELLED
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
        colleagues = [pid for dept in eng_depts for pid in self.by_dept[dept]
                      if pid not in avoid and self.person(pid).seniority >= 3]

        def poster(posted_by: str) -> int:
            if posted_by == "owner":
                return owner
            if posted_by == "trainer":
                return self._learning_owner()
            return rng.choice(colleagues)

        story: dict[str, dict] = {}
        for plan in PERSONA_POSTINGS:
            # The poster is drawn before the posting date, as everywhere else.
            story[plan.story] = self._new_opp(
                kind=plan.kind, title=plan.title, description=plan.description, owner=poster(plan.posted_by),
                hours=plan.hours, seats=plan.seats, status=plan.status, required=plan.required, grows=plan.grows,
                steps=plan.steps, certification=plan.certification,
                created_at=self.days_ago(plan.age_days, plan.age_days))
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
                kind=SHADOWING, title=f"Shadow the {role['title']}",
                description=f"Spend time alongside {first}, our {role['title']}: planning, reviews and "
                            f"the hard calls. A way into {names} for people who might grow into the role.",
                owner=holder, host=holder, hours=rng.randint(3, 6), seats=rng.randint(1, 2),
                status=OppStatus.OPEN, grows=skills, key_role=role["id"])
        else:
            self._new_opp(
                kind=MENTORSHIP, title=f"Succession mentoring: {role['title']}",
                description=f"Monthly mentoring with {first} for people who could step into the "
                            f"{role['title']} role one day, focused on {names}.",
                owner=holder, hours=1, seats=rng.randint(1, 2), status=OppStatus.OPEN, grows=skills,
                topics=f"What the role really involves; {names}; the decisions you will face",
                key_role=role["id"])

    def _random_posting(self, kind: str, status: str) -> None:
        """One posting drawn at random. An open one is drawn again (a few times) while
        its title is one already open, so the list rarely repeats itself; one that
        still does names its host, mentor or team."""
        post = {GIG: self._random_gig, MENTORSHIP: self._random_mentorship, VOLUNTEERING: self._random_volunteering,
                SHADOWING: self._random_shadowing, LEARNING: self._random_cohort}[kind]
        if status != OppStatus.OPEN:
            post(status)
            return
        open_titles = {o["title"] for o in self.opps if o["status"] == OppStatus.OPEN}
        for _ in range(REDRAWS):
            post(status)
            if self.opps[-1]["title"] not in open_titles:
                return
            self.opps.pop()
        post(status)
        opp = self.opps[-1]
        if opp["title"] in open_titles:
            who = opp["host"] or opp["owner"]
            first = self.name_of(who).split()[0]
            opp["title"] += {SHADOWING: f", hosted by {first}", MENTORSHIP: f", with {first}"}.get(
                kind, f" ({self.dept_names[opp['department'] - 1]})")

    def _random_gig(self, status: str) -> None:
        rng, slots = self.rng, self.slot_values()
        dept_name = self.pick(self.dept_names, self.dept_sizes)
        plan = rng.choice(GIGS[dept_name])
        owner = self._gig_owner(self.dept_index[dept_name], plan)
        self._new_opp(kind=GIG, title=self.fill(plan.title, slots),
                      description=self.fill(plan.description, slots), owner=owner,
                      hours=self.pick((2, 3, 4, 5, 6, 8, 10), (12, 18, 22, 14, 14, 12, 8)),
                      seats=self.pick((1, 2, 3), (55, 30, 15)), status=status,
                      required=plan.required, grows=plan.grows)

    def _random_mentorship(self, status: str) -> None:
        """A themed mentorship now and then; mostly a senior offering their strongest skill."""
        rng = self.rng
        if rng.random() < 0.35:
            plan = rng.choice(MENTORSHIP_THEMES)
            owner = self._owner_for(plan.grows[0], min_level=4)
            self._new_opp(kind=MENTORSHIP, title=plan.title, description=plan.description, owner=owner,
                          hours=rng.choice((1, 1, 2)), seats=rng.randint(1, 2), status=status,
                          required=plan.required, grows=plan.grows, topics=plan.topics)
            return
        owner = rng.choice(self.seniors)
        top = self._best_claim(owner)
        name = self.skills[top - 1]["name"]
        title = rng.choice(MENTORSHIP_TITLES).format(skill=name)
        first = self.name_of(owner).split()[0]
        self._new_opp(kind=MENTORSHIP, title=title,
                      description=f"Regular sessions with {first}, who works with {name} every day. "
                                  "Bring real problems from your work; together we pick one stretch "
                                  "goal to finish this quarter.",
                      owner=owner, hours=rng.choice((1, 1, 2)), seats=rng.randint(1, 2), status=status,
                      grows=(top,),
                      topics=f"{name} fundamentals; reviewing your real work; a reading list; one stretch goal")

    def _random_volunteering(self, status: str) -> None:
        rng, slots = self.rng, self.slot_values()
        plan = rng.choice(VOLUNTEERING_THEMES)
        owner = rng.randrange(1, len(self.people) + 1)
        self._new_opp(kind=VOLUNTEERING, title=self.fill(plan.title, slots),
                      description=self.fill(plan.description, slots), owner=owner,
                      hours=rng.randint(1, 4), seats=rng.randint(2, 4), status=status, grows=plan.grows)

    def _random_shadowing(self, status: str) -> None:
        rng = self.rng
        plan = rng.choice(SHADOWING_THEMES)
        host = self._owner_for(plan.grows[0], min_level=3)
        owner = host if rng.random() < 0.7 or self.person(host).manager is None else self.person(host).manager
        self._new_opp(kind=SHADOWING, title=plan.title,
                      description=f"{plan.description} Your host is {self.name_of(host)}.",
                      owner=owner, host=host, hours=rng.randint(2, 8), seats=rng.randint(1, 2),
                      status=status, grows=plan.grows)

    def _random_cohort(self, status: str) -> None:
        rng = self.rng
        plan = rng.choice(LEARNING_PATHS)
        owner = self._learning_owner() if rng.random() < 0.6 else self._owner_for(plan.grows[0], min_level=4)
        self._new_opp(kind=LEARNING, title=cohort_title(plan), description=plan.description, owner=owner,
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
