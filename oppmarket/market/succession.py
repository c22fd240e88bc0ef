"""Succession: the key roles, the skills each needs, and each role's bench.

Anyone in the marketplace may read the roles and how deep their benches are; who
stands on a bench shows only where `policy.may_see_skill_holder` allows (admins
everyone, line managers their reports), and only admins change the roles
(`policy.may_manage_key_roles`). The bench itself is `capability.bench`'s call, made
on every active person's claims on the roles' skills, fetched in one query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from types import EllipsisType

from peewee import JOIN

from oppmarket import capability, policy
from oppmarket import domain as d
from oppmarket.capability import Claim, Contender, KeyRoleBench, KeyRoleSummary, Requirement
from oppmarket.db import models as M
from oppmarket.errors import NotFound, PermissionDenied, ValidationError
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import MAX_TITLE, int_field, required_field, retired_refused, skill_row
from oppmarket.text import clean_line

MAX_ROLE_SKILLS = 20
RISK_ORDER = {risk: i for i, risk in enumerate(reversed(d.RISKS))}  # high first


def _role_records(rows: list[M.KeyRole]) -> list[d.KeyRole]:
    """Key roles with their holder, department and skills, in three queries."""
    if not rows:
        return []
    people = {r.id: (r.username, r.display_name) for r in M.Employee.select(
        M.Employee.id, M.Employee.username, M.Employee.display_name).where(
        M.Employee.id.in_({r.holder_id for r in rows if r.holder_id}))}
    departments = dict(M.Department.select(M.Department.id, M.Department.name).where(
        M.Department.id.in_({r.department_id for r in rows if r.department_id})).tuples())
    skills: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for role_id, name, level in (M.KeyRoleSkill.select(M.KeyRoleSkill.key_role, M.Skill.name, M.KeyRoleSkill.level)
                                 .join(M.Skill).where(M.KeyRoleSkill.key_role.in_([r.id for r in rows]))
                                 .order_by(M.KeyRoleSkill.level.desc(), M.Skill.name).tuples()):
        skills[role_id].append((name, level))
    return [d.KeyRole(id=r.id, title=r.title, holder_username=people.get(r.holder_id, (None, None))[0],
                      department=departments.get(r.department_id), risk=r.risk, skills=tuple(skills[r.id]),
                      holder_name=people.get(r.holder_id, (None, None))[1]) for r in rows]


def _requirements(role_ids: Iterable[int]) -> dict[int, list[Requirement]]:
    found: dict[int, list[Requirement]] = defaultdict(list)
    query = (M.KeyRoleSkill.select(M.KeyRoleSkill.key_role, M.KeyRoleSkill.skill, M.Skill.name, M.KeyRoleSkill.level)
             .join(M.Skill).where(M.KeyRoleSkill.key_role.in_(list(role_ids))))
    for role_id, skill_id, name, level in query.tuples():
        found[role_id].append(Requirement(skill_id, name, level))
    return found


class SuccessionMixin(MarketCore):
    """Key roles and their benches."""

    # ------------------------------------------------------------------ reading

    @api
    def key_roles(self) -> list[KeyRoleSummary]:
        """Every key role with the size of its bench, the riskiest first."""
        self._me()
        roles = _role_records(list(M.KeyRole.select()))
        needs = _requirements(r.id for r in roles)
        people = self._contenders({n.skill_id for group in needs.values() for n in group})
        summaries = [KeyRoleSummary(role, capability.bench_size(
            capability.bench(needs[role.id], people, holder=role.holder_username))) for role in roles]
        return sorted(summaries, key=lambda s: (RISK_ORDER.get(s.role.risk, 0), s.role.title.casefold(), s.role.id))

    @api
    def key_role(self, key_role_id: int) -> KeyRoleBench:
        """One key role and its bench: everyone on it counted, those the actor may see
        listed, ready now first."""
        me, actor = self._me_person()
        role = self._role(key_role_id)
        needs = _requirements([role.id])[role.id]
        candidates = capability.bench(needs, self._contenders({n.skill_id for n in needs}),
                                      holder=role.holder_username)
        refusals = [policy.may_see_skill_holder(actor, c.username, c.manager_username) for c in candidates]
        return KeyRoleBench(
            role=role, size=capability.bench_size(candidates),
            candidates=tuple(c for c, why in zip(candidates, refusals) if why is None),
            hidden=capability.bench_size(c for c, why in zip(candidates, refusals) if why is not None),
            why_hidden=next((why for why in refusals if why is not None), None))

    @staticmethod
    def _role(key_role_id: int) -> d.KeyRole:
        row = M.KeyRole.get_or_none(M.KeyRole.id == key_role_id)
        if row is None:
            raise NotFound(f"key role {key_role_id} does not exist")
        return _role_records([row])[0]

    def _contenders(self, skill_ids: set[int]) -> list[Contender]:
        """Every active person holding any of `skill_ids`, with those claims: one query."""
        if not skill_ids:
            return []
        Manager = M.Employee.alias("manager")
        query = (M.EmployeeSkill.select(M.EmployeeSkill.employee, M.EmployeeSkill.skill, M.EmployeeSkill.level,
                                        M.EmployeeSkill.confirmed_at, M.Employee.username, M.Employee.display_name,
                                        M.Employee.title, M.Department.name.alias("department"),
                                        Manager.username.alias("manager"))
                 .join(M.Employee)
                 .join_from(M.Employee, M.Department, JOIN.LEFT_OUTER)
                 .join_from(M.Employee, Manager, JOIN.LEFT_OUTER, on=(M.Employee.manager == Manager.id))
                 .where(M.Employee.active == True, M.EmployeeSkill.skill.in_(list(skill_ids)))  # noqa: E712
                 .order_by(M.EmployeeSkill.employee))
        now = self.clock()
        people: dict[int, tuple[dict, list[Claim]]] = {}
        for row in query.dicts():
            claims = people.setdefault(row["employee"], (row, []))[1]
            claims.append(Claim(row["skill"], row["level"], d.is_stale(row["confirmed_at"], now)))
        return [Contender(row["username"], row["display_name"], tuple(claims), title=row["title"],
                          department=row["department"], manager_username=row["manager"])
                for row, claims in people.values()]

    # ------------------------------------------------------------------ changing (admins)

    def _admin(self) -> M.Employee:
        me, actor = self._me_person()
        if (why := policy.may_manage_key_roles(actor)) is not None:
            raise PermissionDenied(why)
        return me

    @staticmethod
    def _check_fields(errors: dict, values: dict, *, title=..., holder=..., department=..., risk=...) -> None:
        """Check the fields given (Ellipsis: not given) into `values` as column values."""
        if title is not ...:
            values["title"] = required_field(errors, "title", clean_line(title or ""), MAX_TITLE, "title")
        if holder is not ...:
            name = clean_line(holder or "")
            row = M.Employee.get_or_none(M.Employee.username == name) if name else None
            if name and (row is None or not row.active):
                errors["holder"] = f"no active person called {name!r}"
            values["holder"] = row
        if department is not ...:
            name = clean_line(department or "")
            row = M.Department.get_or_none(M.Department.name == name) if name else None
            if name and row is None:
                errors["department"] = f"no department called {name!r}"
            values["department"] = row
        if risk is not ...:
            if risk not in d.RISKS:
                errors["risk"] = f"risk must be one of {', '.join(d.RISKS)}"
            values["risk"] = risk

    @staticmethod
    def _check_role_skills(errors: dict, skills: Iterable[tuple[str, int | str]],
                      keep: Iterable[int] = ()) -> list[tuple[M.Skill, int]]:
        checked: list[tuple[M.Skill, int]] = []
        seen: set[int] = set()
        for entry in skills:
            try:
                name, level = entry
            except (TypeError, ValueError):
                errors["skills"] = "each skill needs a name and a level"
                continue
            row = skill_row(str(name))
            if row is None:
                errors["skills"] = f"no skill called {clean_line(str(name))!r}"
                continue
            retired_refused(errors, "skills", row, keep)
            value = int_field(errors, "skills", level, 1, 5, f"level of {row.name}")
            if row.id in seen:
                errors["skills"] = f"{row.name} is listed twice"
            seen.add(row.id)
            checked.append((row, value))
        if len(checked) > MAX_ROLE_SKILLS:
            errors["skills"] = f"a key role needs at most {MAX_ROLE_SKILLS} skills"
        return checked

    @staticmethod
    def _write_skills(role_id: int, skills: list[tuple[M.Skill, int]]) -> None:
        M.KeyRoleSkill.delete().where(M.KeyRoleSkill.key_role == role_id).execute()
        for row, level in skills:
            M.KeyRoleSkill.create(key_role=role_id, skill=row.id, level=level)

    @api
    def add_key_role(self, title: str, *, holder: str | None = None, department: str | None = None,
                     risk: str = "medium", skills: Iterable[tuple[str, int | str]] = ()) -> d.KeyRole:
        """Admin: add a key role, with the skills it needs (name or alias, level 1-5)."""
        me = self._admin()
        errors: dict[str, str] = {}
        values: dict = {}
        self._check_fields(errors, values, title=title, holder=holder, department=department, risk=risk)
        checked = self._check_role_skills(errors, skills)
        if errors:
            raise ValidationError(errors)

        def body() -> int:
            row = M.KeyRole.create(**values)
            self._write_skills(row.id, checked)
            self._audit(me, "add_key_role", "key_role", row.id, new=self._shown(values),
                        skills={s.name: level for s, level in checked})
            return row.id

        return self._role(self._tx(body))

    @api
    def edit_key_role(self, key_role_id: int, *, title: str | EllipsisType = ...,
                      holder: str | None | EllipsisType = ..., department: str | None | EllipsisType = ...,
                      risk: str | EllipsisType = ...) -> d.KeyRole:
        """Admin: change a key role's title, holder, department or risk (what is not
        given stays; None or "" clears the holder or the department)."""
        me = self._admin()
        errors: dict[str, str] = {}
        values: dict = {}
        self._check_fields(errors, values, title=title, holder=holder, department=department, risk=risk)
        if errors:
            raise ValidationError(errors)

        def body() -> None:
            row = self._lock(M.KeyRole, key_role_id, "key role")
            before = {"title": row.title, "holder": row.holder, "department": row.department, "risk": row.risk}
            changed = {k: v for k, v in values.items()
                       if self._shown({k: v}) != self._shown({k: before[k]})}
            if not changed:
                return
            M.KeyRole.update(**changed).where(M.KeyRole.id == row.id).execute()
            self._audit(me, "edit_key_role", "key_role", row.id,
                        old=self._shown({k: before[k] for k in changed}), new=self._shown(changed))

        self._tx(body)
        return self._role(key_role_id)

    @api
    def set_key_role_skills(self, key_role_id: int, skills: Iterable[tuple[str, int | str]]) -> d.KeyRole:
        """Admin: the skills a key role needs, with levels, in place of those it had."""
        me = self._admin()
        errors: dict[str, str] = {}
        keep = {s for s, in M.KeyRoleSkill.select(M.KeyRoleSkill.skill)
                .where(M.KeyRoleSkill.key_role == key_role_id).tuples()}
        checked = self._check_role_skills(errors, skills, keep)
        if errors:
            raise ValidationError(errors)

        def body() -> None:
            row = self._lock(M.KeyRole, key_role_id, "key role")
            before = dict(M.KeyRoleSkill.select(M.Skill.name, M.KeyRoleSkill.level).join(M.Skill)
                          .where(M.KeyRoleSkill.key_role == row.id).tuples())
            after = {s.name: level for s, level in checked}
            if before == after:
                return
            self._write_skills(row.id, checked)
            self._audit(me, "set_key_role_skills", "key_role", row.id, old=before, new=after)

        self._tx(body)
        return self._role(key_role_id)

    @api
    def remove_key_role(self, key_role_id: int) -> None:
        """Admin: remove a key role. Its postings stay, no longer linked to it."""
        me = self._admin()

        def body() -> None:
            row = self._lock(M.KeyRole, key_role_id, "key role")
            role = _role_records([row])[0]
            unlinked = M.Opportunity.update(key_role=None).where(M.Opportunity.key_role == row.id).execute()
            M.KeyRoleSkill.delete().where(M.KeyRoleSkill.key_role == row.id).execute()
            M.KeyRole.delete().where(M.KeyRole.id == row.id).execute()
            self._audit(me, "remove_key_role", "key_role", row.id, postings_unlinked=unlinked,
                        old={"title": role.title, "holder": role.holder_username, "department": role.department,
                             "risk": role.risk, "skills": dict(role.skills)})

        self._tx(body)
