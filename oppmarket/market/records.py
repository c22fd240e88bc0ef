"""Rows into the plain records of `oppmarket.domain`, a batch at a time.

One path per record type, and a fixed number of queries per batch however many rows
it holds: converting one row is converting a batch of one."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from dataclasses import fields

from peewee import JOIN, ForeignKeyField, fn

from oppmarket import domain as d
from oppmarket.db import models as M
from oppmarket.lifecycle import HOLDING_STATUSES, REAPPLY_STATUSES, AppStatus


def _record(cls, row: M.BaseModel, **joined):
    """A record of `cls`: the fields given in `joined` (names from other tables, counts),
    every other one from the row's own column of the same name. A reference column is
    never read here, as that would be one more query per row."""
    values = {}
    for field in fields(cls):
        if field.name in joined:
            values[field.name] = joined[field.name]
        elif isinstance(row._meta.fields.get(field.name), ForeignKeyField):
            raise TypeError(f"{cls.__name__}.{field.name} names a reference; join it in")
        else:
            values[field.name] = getattr(row, field.name)
    return cls(**values)


def people(rows: list[M.Employee]) -> tuple[d.Person, ...]:
    """Convert people in three queries, not three per person."""
    if not rows:
        return ()
    dept_ids = list({r.department_id for r in rows if r.department_id})
    depts = dict(M.Department.select(M.Department.id, M.Department.name)
                 .where(M.Department.id.in_(dept_ids)).tuples()) if dept_ids else {}
    manager_ids = list({r.manager_id for r in rows if r.manager_id})
    managers = dict(M.Employee.select(M.Employee.id, M.Employee.username)
                    .where(M.Employee.id.in_(manager_ids)).tuples()) if manager_ids else {}
    # Someone whose reports have all been deactivated manages nobody any more.
    with_reports = {r[0] for r in M.Employee.select(M.Employee.manager).where(
        M.Employee.manager.in_([r.id for r in rows]), M.Employee.active == True).distinct().tuples()}  # noqa: E712
    return tuple(
        _record(d.Person, r, department=depts.get(r.department_id), manager_username=managers.get(r.manager_id),
                has_reports=r.id in with_reports)
        for r in rows
    )


def person(row: M.Employee) -> d.Person:
    return people([row])[0]


def skill_infos(rows: list[M.Skill]) -> list[d.SkillInfo]:
    """Skills with their aliases (alphabetical), in two queries."""
    aliases: dict[int, list[str]] = defaultdict(list)
    for a in M.SkillAlias.select().where(M.SkillAlias.skill.in_([r.id for r in rows])).order_by(M.SkillAlias.alias):
        aliases[a.skill_id].append(a.alias)
    return [d.SkillInfo(s.id, s.name, s.category, s.description, tuple(aliases.get(s.id, ())), s.retired)
            for s in rows]


def skill_info(row: M.Skill) -> d.SkillInfo:
    return skill_infos([row])[0]


def commitments():
    """A subquery of (person, hours): per person, the hours per week their offers and
    engagements hold, which is what counts against the time cap. A person holding
    none has no row."""
    return (M.Application.select(M.Application.applicant.alias("person"),
                                 fn.SUM(M.Application.hours_per_week).alias("hours"))
            .where(M.Application.status.in_(HOLDING_STATUSES))
            .group_by(M.Application.applicant))


def seats_held():
    """A subquery of (opportunity, seats): per opportunity, the seats its offers and
    engagements hold. An opportunity holding none has no row."""
    return (M.Application.select(M.Application.opportunity.alias("opportunity"),
                                 fn.COUNT(M.Application.id).alias("seats"))
            .where(M.Application.status.in_(HOLDING_STATUSES))
            .group_by(M.Application.opportunity))


def full_postings():
    """A subquery of the ids of opportunities whose every seat is held by an offer
    or an engagement."""
    return (M.Application.select(M.Application.opportunity)
            .join(M.Opportunity)
            .where(M.Application.status.in_(HOLDING_STATUSES))
            .group_by(M.Application.opportunity, M.Opportunity.seats)
            .having(fn.COUNT(M.Application.id) >= M.Opportunity.seats))


def taken_part_in(employee_id: int):
    """A subquery of the ids of opportunities `employee_id` is in, or has been
    through: every one they applied to but withdrew from."""
    return (M.Application.select(M.Application.opportunity)
            .where(M.Application.applicant == employee_id, M.Application.status.not_in(REAPPLY_STATUSES)))


def committed_hours(employee_ids: Iterable[int]) -> dict[int, int]:
    """Per person, the hours per week their offers and engagements hold (what counts
    against the time cap); a person holding none is left out."""
    ids = list(employee_ids)
    return {employee: int(total or 0)
            for employee, total in commitments().where(M.Application.applicant.in_(ids)).tuples()}


def opportunities(rows: list[M.Opportunity], detail: bool = False) -> list[d.Opportunity]:
    """Convert rows in a few batched queries (skills, seats, owners; steps with `detail`)."""
    if not rows:
        return []
    ids = [r.id for r in rows]
    skills: dict[int, list[d.OppSkill]] = defaultdict(list)
    query = (
        M.OpportunitySkill.select(M.OpportunitySkill, M.Skill)
        .join(M.Skill)
        .where(M.OpportunitySkill.opportunity.in_(ids))
        .order_by(M.OpportunitySkill.role.desc(), M.OpportunitySkill.level.desc(), M.Skill.name)
    )
    for s in query:
        skills[s.opportunity_id].append(d.OppSkill(s.skill_id, s.skill.name, s.level, s.role))
    taken = dict(seats_held().where(M.Application.opportunity.in_(ids)).tuples())
    people_ids = {r.owner_id for r in rows} | {r.host_id for r in rows if r.host_id}
    owners = {
        e.id: e for e in M.Employee.select(M.Employee.id, M.Employee.username, M.Employee.display_name)
        .where(M.Employee.id.in_(list(people_ids)))
    }
    dept_ids = {r.department_id for r in rows if r.department_id}
    depts = dict(
        M.Department.select(M.Department.id, M.Department.name)
        .where(M.Department.id.in_(list(dept_ids))).tuples()
    ) if dept_ids else {}
    steps: dict[int, list[str]] = defaultdict(list)
    if detail:
        for s in M.LearningStep.select().where(M.LearningStep.opportunity.in_(ids)).order_by(M.LearningStep.position):
            steps[s.opportunity_id].append(s.title)
    return [
        _record(d.Opportunity, r, owner_username=owners[r.owner_id].username,
                owner_name=owners[r.owner_id].display_name, department=depts.get(r.department_id),
                seats_taken=taken.get(r.id, 0), skills=tuple(skills.get(r.id, ())), steps=tuple(steps.get(r.id, ())),
                host_username=owners[r.host_id].username if r.host_id in owners else None)
        for r in rows
    ]


def applications(query) -> list[d.Application]:
    """The applications `query` selects, with their posting's and people's names
    joined in: one query however many."""
    Applicant = M.Employee.alias("applicant")
    Owner = M.Employee.alias("owner")
    Releaser = M.Employee.alias("releaser")
    rows = (
        query.select(
            M.Application,
            M.Opportunity.title,
            M.Opportunity.kind,
            Owner.username.alias("owner_username"),
            Applicant.username.alias("applicant_username"),
            Applicant.display_name.alias("applicant_name"),
            Releaser.username.alias("released_by_username"),
        )
        .join_from(M.Application, M.Opportunity)
        .join_from(M.Opportunity, Owner, on=(M.Opportunity.owner == Owner.id))
        .join_from(M.Application, Applicant, on=(M.Application.applicant == Applicant.id))
        .join_from(M.Application, Releaser, JOIN.LEFT_OUTER, on=(M.Application.released_by == Releaser.id))
        .objects()
    )
    return [
        _record(d.Application, a, opportunity_title=a.title, opportunity_kind=a.kind,
                owner_username=a.owner_username, applicant_username=a.applicant_username,
                applicant_name=a.applicant_name, released_by=a.released_by_username)
        for a in rows
    ]


def profiles(rows: list[M.Employee], now: dt.datetime) -> list[d.Profile]:
    """People with their skill claims (stale ones marked as of `now`), interests,
    committed hours and completed engagements, in a few queries for the lot."""
    ids = [r.id for r in rows]
    claims: dict[int, list[d.SkillClaim]] = defaultdict(list)
    for s in (M.EmployeeSkill.select(M.EmployeeSkill, M.Skill).join(M.Skill)
              .where(M.EmployeeSkill.employee.in_(ids)).order_by(M.EmployeeSkill.level.desc(), M.Skill.name)):
        claims[s.employee_id].append(d.SkillClaim(
            skill_id=s.skill_id, skill=s.skill.name, category=s.skill.category, level=s.level,
            source=s.source, evidence_count=s.evidence_count, confirmed_at=s.confirmed_at,
            stale=d.is_stale(s.confirmed_at, now),
        ))
    interests: dict[int, list[str]] = defaultdict(list)
    for i in (M.Interest.select(M.Interest, M.Skill).join(M.Skill)
              .where(M.Interest.employee.in_(ids)).order_by(M.Skill.name)):
        interests[i.employee_id].append(i.skill.name)
    hours = committed_hours(ids)
    engagements = {employee: n for employee, (n, _) in track_records(ids).items()}
    return [
        d.Profile(p, tuple(claims.get(r.id, ())), tuple(interests.get(r.id, ())), hours.get(r.id, 0),
                  engagements.get(r.id, 0))
        for r, p in zip(rows, people(rows))
    ]


def track_records(employee_ids: Iterable[int]) -> dict[int, tuple[int, float | None]]:
    """Per person, how many engagements they completed and their average rating (None
    when none was rated); a person with none is left out."""
    return {
        employee: (int(n or 0), float(avg) if avg is not None else None)
        for employee, n, avg in M.Application.select(
            M.Application.applicant, fn.COUNT(M.Application.id), fn.AVG(M.Application.rating))
        .where(M.Application.applicant.in_(list(employee_ids)), M.Application.status == AppStatus.COMPLETED)
        .group_by(M.Application.applicant).tuples()
    }
