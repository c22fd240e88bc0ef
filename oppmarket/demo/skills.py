"""The skills taxonomy (grown with specialisms for scale data), each person's skill
claims and interests, and the key roles with the skills they need."""

from __future__ import annotations

import datetime as dt

from oppmarket import domain as d
from oppmarket.demo.builder import MAX_SKILLS, Builder, Person
from oppmarket.demo.catalogue import (
    BUSINESS_QUALIFIERS, CATEGORY_BLURBS, LANGUAGE_QUALIFIERS, SKILL_CATALOGUE, TECH_CATEGORIES, TECH_QUALIFIERS,
)
from oppmarket.demo.organisation import (
    DEPARTMENT_PLANS, KEY_ROLE_BENCHES, KEY_ROLES, LEADERSHIP_SKILLS, POPULAR_INTERESTS, SECOND_LANGUAGES,
)
from oppmarket.demo.plans import CERTIFIED, ENDORSED, SELF_ASSESSED


class Skills(Builder):
    """The taxonomy, profiles and key roles."""

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

    def _claim(self, p: Person, skill: int, level: int) -> None:
        rng = self.rng
        roll = rng.random()
        source = SELF_ASSESSED if roll < 0.74 else (ENDORSED if roll < 0.93 else CERTIFIED)
        evidence = 0 if source == SELF_ASSESSED else rng.randint(1, 4 if source == ENDORSED else 2)
        # Skewed toward recent claims, yet about a third are older than a year (stale).
        age = 730 * rng.random() ** 1.5
        confirmed = max(self.now - dt.timedelta(days=age, seconds=rng.randint(0, 86399)), p.created_at)
        self.claims[(p.id, skill)] = {"employee": p.id, "skill": skill, "level": level, "source": source,
                                      "evidence_count": evidence, "confirmed_at": confirmed}

    def _engineer_profile(self, p: Person) -> None:
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
                claim.update(source=SELF_ASSESSED, evidence_count=0,
                             confirmed_at=max(p.created_at, self.now - dt.timedelta(days=400)))
        for name in ("Machine Learning", "Rust", "OpenTelemetry"):
            self.interests.append({"employee": p.id, "skill": self.sid(name)})

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
            needs = list(zip(ids, (lvl for _, lvl in skills)))
            self._key_role(title, holder, dept, risk, needs)
            others = sorted((p for p in self.by_dept[dept] if p != holder and p not in self.personas.values()),
                            key=fit, reverse=True)
            self._groom(others, needs, KEY_ROLE_BENCHES.get(title, (0, 0, 0)))
        seniors = [p for p in self.people if p.seniority == 3]
        for _ in range(extra):
            p = rng.choice(seniors)
            self._key_role(f"{p.title}, {self.departments[p.dept]['name']}", p.id, p.dept,
                           rng.choice(d.RISKS), [(s, max(3, lvl)) for lvl, s in self._top_claims(p.id)])

    def _groom(self, people: list[int], needs: list[tuple[int, int]], shape: tuple[int, int, int]) -> None:
        """Bring the first of `people` to a role's levels: the first `shape[0]` in every
        skill, the next `shape[1]` in all but their weakest, the next `shape[2]` in all
        but their two weakest, which stay below the level. All these claims are
        fresh. No draw from the random stream, so everything built after stays as it was."""
        plan = [short for short, count in enumerate(shape) for _ in range(count)]
        for n, (pid, short) in enumerate(zip(people, plan)):
            mine = {skill: self.claims.get((pid, skill), {}).get("level", 0) for skill, _ in needs}
            weakest = [skill for skill, level in sorted(needs, key=lambda need: (mine[need[0]] - need[1], need[0]))]
            lacking = weakest[:short]
            confirmed = max(self.person(pid).created_at, self.now - dt.timedelta(days=20 + 37 * n))
            for skill, level in needs:
                if skill in lacking:
                    below = mine[skill] if 1 <= mine[skill] < level else max(1, level - 1 - lacking.index(skill))
                    self._set_claim(pid, skill, below, confirmed, endorsed=False)
                else:
                    self._set_claim(pid, skill, max(mine[skill], level), confirmed, endorsed=n % 2 == 0)

    def _set_claim(self, pid: int, skill: int, level: int, confirmed: dt.datetime, *, endorsed: bool) -> None:
        claim = self.claims.setdefault((pid, skill), {"employee": pid, "skill": skill, "source": SELF_ASSESSED,
                                                      "evidence_count": 0})
        claim.update(level=level, confirmed_at=confirmed)
        if endorsed and claim["source"] == SELF_ASSESSED:
            claim.update(source=ENDORSED, evidence_count=1)

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
