"""Checking what a person typed before anything is written: each problem becomes a
message on its field (`ValidationError`), never a database error. Also the look-ups
that turn a typed skill or department name into its row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from peewee import fn

from oppmarket import domain as d
from oppmarket.db import models as M
from oppmarket.errors import ValidationError
from oppmarket.text import clean, clean_line

MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_WEEKLY_HOURS = 80
MAX_SEATS = 500


def int_field(errors: dict, name: str, value, low: int, high: int, label: str) -> int | None:
    try:
        number = int(str(value).strip()) if not isinstance(value, int) or isinstance(value, bool) else value
    except (TypeError, ValueError):
        errors[name] = f"{label} must be a whole number"
        return None
    if isinstance(value, bool):
        errors[name] = f"{label} must be a whole number"
        return None
    if not low <= number <= high:
        errors[name] = f"{label} must be between {low} and {high}"
        return None
    return number


def length_field(errors: dict, name: str, value: str, limit: int, label: str) -> str:
    """Check a cleaned text against its column's size, so an over-long value is a
    message on the field and not a database error (PostgreSQL enforces varchar)."""
    if len(value) > limit:
        errors.setdefault(name, f"{label} must be at most {limit} characters (it has {len(value)})")
    return value


def required_field(errors: dict, name: str, value: str, limit: int, label: str) -> str:
    """A cleaned single line that must be given and fit its column."""
    if not value:
        errors[name] = f"{label} must not be empty"
    elif len(value) > limit:
        errors[name] = f"{label} must be at most {limit} characters"
    return value


def date_field(errors: dict, name: str, value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[name] = f"{name} must be a date like 2026-12-31"
        return None


def skill_row(name_or_alias: str) -> M.Skill | None:
    """A skill by its name or any alias, case-insensitively."""
    key = clean_line(name_or_alias)
    row = M.Skill.get_or_none(fn.LOWER(M.Skill.name) == key.lower())
    if row is None:
        alias = (
            M.SkillAlias.select(M.SkillAlias, M.Skill).join(M.Skill)
            .where(fn.LOWER(M.SkillAlias.alias) == key.lower()).first()
        )
        row = alias.skill if alias else None
    return row


def retired_refused(errors: dict, field: str, row: M.Skill, keep: Iterable[int] = ()) -> None:
    """A retired skill is no longer offered: naming it anew is a mistake on `field`.
    Rows that already hold it (`keep`, skill ids) may keep it: it stays on history."""
    if row.retired and row.id not in keep:
        errors[field] = f"{row.name} is retired and no longer offered; choose another skill"


class Lookups:
    """Where `check_draft` finds the rows a draft names: a query for each, which suits
    one form. An import of thousands of drafts passes `LoadedLookups` instead."""

    def skill(self, name_or_alias: str) -> M.Skill | None:
        return skill_row(name_or_alias)

    def person(self, username: str) -> M.Employee | None:
        return M.Employee.get_or_none(M.Employee.username == username)

    def department(self, name: str) -> M.Department | None:
        return M.Department.get_or_none(M.Department.name == name)

    def key_role_exists(self, key_role_id: int) -> bool:
        return M.KeyRole.select().where(M.KeyRole.id == key_role_id).exists()


ONE_BY_ONE = Lookups()
# Rows a single IN (...) names at most: well inside every backend's limit on bound values.
IN_CHUNK = 500


class LoadedLookups(Lookups):
    """The same answers as `Lookups`, from a few queries made up front: every skill with
    its aliases, every department and key role, and the people `usernames` names.
    Names of skills compare with Python's `lower()`, which folds letters beyond ASCII
    too (SQLite's LOWER folds only ASCII)."""

    def __init__(self, usernames: Iterable[str] = ()):
        self.skills: dict[str, M.Skill] = {}
        self.aliases: dict[str, M.Skill] = {}
        for skill in M.Skill.select().order_by(M.Skill.id):
            self.skills.setdefault(skill.name.lower(), skill)
        by_id = {skill.id: skill for skill in self.skills.values()}
        for alias, skill_id in M.SkillAlias.select(M.SkillAlias.alias, M.SkillAlias.skill).order_by(
                M.SkillAlias.id).tuples():
            if skill_id in by_id:
                self.aliases.setdefault(alias.lower(), by_id[skill_id])
        self.departments = {dep.name: dep for dep in M.Department.select()}
        self.key_roles = {key_role_id for key_role_id, in M.KeyRole.select(M.KeyRole.id).tuples()}
        self.people: dict[str, M.Employee] = {}
        names = sorted(set(usernames))
        for start in range(0, len(names), IN_CHUNK):
            for person in M.Employee.select().where(M.Employee.username.in_(names[start:start + IN_CHUNK])):
                self.people[person.username] = person

    def skill(self, name_or_alias: str) -> M.Skill | None:
        key = clean_line(name_or_alias).lower()
        return self.skills.get(key) or self.aliases.get(key)

    def person(self, username: str) -> M.Employee | None:
        return self.people.get(username)

    def department(self, name: str) -> M.Department | None:
        return self.departments.get(name)

    def key_role_exists(self, key_role_id: int) -> bool:
        return key_role_id in self.key_roles


def department_row(name: str, *, create: bool = False) -> M.Department:
    """A department by name; with `create`, one is added when none is called that
    (call it inside the write's transaction)."""
    name = clean_line(name)
    row = M.Department.get_or_none(M.Department.name == name)
    if row is None:
        if not create:
            raise ValidationError({"department": f"no department called {name!r}"})
        if len(name) > 120:
            raise ValidationError({"department": "department name must be at most 120 characters"})
        row = M.Department.create(name=name)
    return row


def _draft_skills(errors: dict, entries, lookups: Lookups,
                  keep: Iterable[int] = ()) -> list[tuple[M.Skill, int | None, str]]:
    skills = []
    seen = set()
    for entry in entries:
        try:
            name, level, role = entry
        except (TypeError, ValueError):
            errors["skills"] = "each skill needs a name, a level and a role"
            continue
        row = lookups.skill(str(name))
        if row is None:
            errors["skills"] = f"no skill called {clean_line(str(name))!r}"
            continue
        retired_refused(errors, "skills", row, keep)
        if role not in d.SKILL_ROLES:
            errors["skills"] = f"skill role must be 'required' or 'grows', not {role!r}"
            continue
        lvl = int_field(errors, "skills", level, 1, 5, f"level of {row.name}")
        if (row.id, role) in seen:
            errors["skills"] = f"{row.name} is listed twice as {role}"
            continue
        seen.add((row.id, role))
        skills.append((row, lvl, role))
    return skills


def check_draft(draft: d.OpportunityDraft, lookups: Lookups = ONE_BY_ONE,
                keep: Iterable[int] = ()) -> tuple[dict, list, list[str], dict[str, str]]:
    """A posting's form, checked: the column values, the skills as (row, level,
    role), the learning steps, and the problems by field (empty when none). The rows
    it names are found through `lookups`. A retired skill is refused unless the
    posting already has it (`keep`, skill ids)."""
    errors: dict[str, str] = {}
    values: dict = {}
    if draft.kind not in d.KINDS:
        errors["kind"] = f"kind must be one of {', '.join(d.KINDS)}"
    values["kind"] = draft.kind
    title = clean_line(draft.title or "")
    if not title:
        errors["title"] = "title must not be empty"
    elif len(title) > MAX_TITLE:
        errors["title"] = f"title must be at most {MAX_TITLE} characters (it has {len(title)})"
    values["title"] = title
    description = clean(draft.description or "").strip()
    if len(description) > MAX_TEXT:
        errors["description"] = f"description must be at most {MAX_TEXT} characters"
    values["description"] = description
    values["hours_per_week"] = int_field(errors, "hours_per_week", draft.hours_per_week, 1, 40, "hours per week")
    values["seats"] = int_field(errors, "seats", draft.seats, 1, MAX_SEATS, "seats")
    values["start"] = date_field(errors, "start", draft.start)
    values["end"] = date_field(errors, "end", draft.end)
    if values["start"] and values["end"] and values["end"] < values["start"]:
        errors["end"] = "end must not be before start"
    location = clean_line(draft.location or "")
    if len(location) > 120:
        errors["location"] = "location must be at most 120 characters"
    values["location"] = location
    values["remote"] = bool(draft.remote)
    certification = clean_line(draft.certification or "")
    if len(certification) > 200:
        errors["certification"] = "certification must be at most 200 characters"
    values["certification"] = certification
    topics = clean(draft.topics or "").strip()
    if len(topics) > MAX_TEXT:
        errors["topics"] = f"topics must be at most {MAX_TEXT} characters"
    values["topics"] = topics
    skills = _draft_skills(errors, draft.skills, lookups, keep)
    steps = [clean_line(s) for s in draft.steps if clean_line(s)]
    if draft.kind == "learning" and not steps and not errors.get("kind"):
        errors["steps"] = "a learning path needs at least one step"
    if any(len(s) > 200 for s in steps):
        errors["steps"] = "each step must be at most 200 characters"
    host = None
    if draft.host:
        host = lookups.person(clean_line(draft.host))
        if host is None:
            errors["host"] = f"no person called {clean_line(draft.host)!r}"
        elif not host.active:
            errors["host"] = f"{host.username} is inactive and cannot host"
    values["host"] = host
    if draft.department:
        dept = lookups.department(clean_line(draft.department))
        if dept is None:
            errors["department"] = f"no department called {clean_line(draft.department)!r}"
        values["department"] = dept
    values["key_role"] = draft.key_role_id
    if draft.key_role_id is not None and not lookups.key_role_exists(draft.key_role_id):
        errors["key_role_id"] = f"no key role {draft.key_role_id}"
    return values, skills, steps, errors


def write_draft_children(opp: M.Opportunity, skills: list, steps: list[str]) -> None:
    """Replace a posting's skills and learning steps with a checked draft's."""
    M.OpportunitySkill.delete().where(M.OpportunitySkill.opportunity == opp.id).execute()
    for row, level, role in skills:
        M.OpportunitySkill.create(opportunity=opp, skill=row, level=level, role=role)
    M.LearningStep.delete().where(M.LearningStep.opportunity == opp.id).execute()
    for position, title in enumerate(steps, start=1):
        M.LearningStep.create(opportunity=opp, position=position, title=title)
