"""Imports and exports: people, skills and opportunities from parsed rows (see
`oppmarket.transfer`), every row or none, and the listings an export walks.

An import holds the write lock (on SQLite, the whole database's) only while it writes.
It checks every row against the stored data first, with a few bulk reads and no lock,
so a bad file is refused without holding anyone up; in the transaction it reads again
only what another writer may have changed meanwhile, then writes in batched
statements. Readers never wait for an import, and other writers only for seconds."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from peewee import JOIN

from oppmarket import domain as d
from oppmarket.db import bulk
from oppmarket.db import models as M
from oppmarket.errors import ImportErrors, PermissionDenied
from oppmarket.market import records, validate
from oppmarket.market.core import MarketCore, api
from oppmarket.text import clean_line

Progress = Callable[[str, int, int], None] | None
Plan = TypeVar("Plan")


def _tick(progress: Progress, stage: str, done: int, total: int) -> None:
    if progress is not None and (done == total or done % 250 == 0):
        progress(stage, done, total)


def _refuse(problems: dict[str, str]) -> None:
    if problems:
        raise ImportErrors(problems)


def _note(problems: dict[str, str], line: int, problem: str) -> None:
    """Add a problem of `line`, after any it already has."""
    key = f"line {line}"
    problems[key] = f"{problems[key]}; {problem}" if key in problems else problem


@dataclass(frozen=True)
class _Checked(Generic[Plan]):
    """The rows checked against themselves and the stored data: every problem by
    "line N", and the plan of what to write (of use only when there is none)."""

    problems: dict[str, str]
    plan: Plan

    def settled(self) -> Plan:
        _refuse(self.problems)
        return self.plan


def _ids_by_username(usernames: Iterable[str]) -> dict[str, int]:
    names = sorted(set(usernames))
    found: dict[str, int] = {}
    for start in range(0, len(names), validate.IN_CHUNK):
        found.update(M.Employee.select(M.Employee.username, M.Employee.id)
                     .where(M.Employee.username.in_(names[start:start + validate.IN_CHUNK])).tuples())
    return found


def _people_changed(rows, stored: dict[str, int], default_cap: int) -> list[bool | None]:
    """Per row: None when it adds a person, else whether it changes what is stored
    (a blank manager leaves the stored one, and a blank cap is `default_cap`, as the
    import does)."""
    Manager = M.Employee.alias()
    now: dict[int, tuple] = {}
    ids = sorted(stored.values())
    for start in range(0, len(ids), validate.IN_CHUNK):
        query = (M.Employee.select(M.Employee.id, M.Employee.display_name, M.Employee.email, M.Employee.title,
                                   M.Department.name, M.Employee.weekly_hours, M.Employee.cap_pct,
                                   M.Employee.is_admin, Manager.username)
                 .join(M.Department, JOIN.LEFT_OUTER, on=(M.Employee.department == M.Department.id))
                 .switch(M.Employee).join(Manager, JOIN.LEFT_OUTER, on=(M.Employee.manager == Manager.id))
                 .where(M.Employee.id.in_(ids[start:start + validate.IN_CHUNK])))
        now.update((pk, rest) for pk, *rest in query.tuples())
    changed: list[bool | None] = []
    for row in rows:
        if row.username not in stored:
            changed.append(None)
            continue
        *fields, manager = now[stored[row.username]]
        cap = default_cap if row.cap_pct is None else row.cap_pct
        wanted = [row.display_name, row.email, row.title, row.department or None, row.weekly_hours, cap, row.is_admin]
        changed.append(fields != wanted or bool(row.manager and row.manager != manager))
    return changed


def _skills_changed(rows, known: validate.LoadedLookups) -> list[bool | None]:
    """Per row: None when it adds a skill, else whether it changes the stored one's
    category or description (a blank one keeps the stored) or adds an alias."""
    changed: list[bool | None] = []
    for row in rows:
        skill = known.skills.get(row.name.lower())
        if skill is None:
            changed.append(None)
            continue
        changed.append(skill.category != row.category or bool(row.description and row.description != skill.description)
                       or any(alias.lower() not in known.aliases for alias in row.aliases))
    return changed


_WHAT = {M.Employee: "person", M.Department: "department", M.Skill: "skill", M.KeyRole: "key role"}


def _refuse_vanished(named: dict[type[M.BaseModel], set[int]]) -> None:
    """Refuse, under the lock, when a row the checked file names has gone since."""
    for model, ids in named.items():
        pk = model._meta.primary_key
        wanted = sorted(ids)
        found: set[int] = set()
        for start in range(0, len(wanted), validate.IN_CHUNK):
            found.update(i for i, in model.select(pk).where(pk.in_(wanted[start:start + validate.IN_CHUNK])).tuples())
        if len(found) < len(wanted):
            raise ImportErrors({"file": f"a {_WHAT[model]} it names was removed while it was being checked; "
                                        "import it again"})


@dataclass(frozen=True)
class _NewPostings:
    """A checked opportunities file, turned into column values before the write lock:
    the postings but for their timestamps, and their skills and learning steps, each
    with the index of its posting (whose id only the insert gives). `named` holds the
    ids of the stored rows the file names, to check again under the lock."""

    named: dict[type[M.BaseModel], set[int]]
    fields: list
    values: list[tuple]
    children: list[tuple[type[M.BaseModel], list, list[int], list[tuple]]]

    @classmethod
    def of(cls, checked: list[tuple]) -> _NewPostings:
        """From (row, owner, values, skills, steps) of each row, as `check_draft` left them."""
        named: dict[type[M.BaseModel], set[int]] = {
            M.Employee: set(), M.Department: set(), M.Skill: set(), M.KeyRole: set()}
        postings, skills, steps = [], [], []
        for index, (row, owner, values, draft_skills, draft_steps) in enumerate(checked):
            named[M.Employee].add(owner.id)
            if values["host"] is not None:
                named[M.Employee].add(values["host"].id)
            if values.get("department") is not None:
                named[M.Department].add(values["department"].id)
            if values["key_role"] is not None:
                named[M.KeyRole].add(values["key_role"])
            postings.append({**values, "department": values.get("department") or owner.department_id,
                             "owner": owner.id, "status": row.status})
            for skill, level, role in draft_skills:
                named[M.Skill].add(skill.id)
                skills.append((index, {"skill": skill.id, "level": level, "role": role}))
            steps += [(index, {"position": n, "title": title}) for n, title in enumerate(draft_steps, start=1)]
        children = []
        for model, kids in ((M.OpportunitySkill, skills), (M.LearningStep, steps)):
            fields, values = bulk.column_values(model, [kid for _, kid in kids])
            children.append((model, fields, [index for index, _ in kids], values))
        return cls(named, *bulk.column_values(M.Opportunity, postings), children)


class ImportsMixin(MarketCore):
    """Bulk data in and out, for admins (and the system, on a database its caller owns)."""

    def _import(self, what: str, object_type: str, rows, check: Callable[[], _Checked[Plan]],
                confirm: Callable[[Plan], Plan], write: Callable[[Plan], None]) -> int:
        """The one shape of an import: refuse the whole file when it contradicts itself
        or the stored data (`check`, which also makes the plan of what to write), all
        before taking the write lock; then, in one transaction, `confirm` the plan
        against what may have changed since, `write` it, and add one audit row."""
        me = self._require_importer()
        checked = check().settled()

        def body():
            write(confirm(checked))
            self._audit(me, f"import_{what}", object_type, None, rows=len(rows))
            return len(rows)

        return self._tx(body)

    @api
    def check_import(self, kind: str, rows) -> d.ImportCheck:
        """What importing `rows` (parsed by `transfer.read_rows`) would do, without
        writing: every problem the import would refuse them for, by line, and how many
        rows are new, change a stored record, or change nothing."""
        self._require_importer()
        checked = {"people": self._check_people, "skills": self._check_skills,
                   "opportunities": self._check_opportunities}[kind](rows, None)
        if kind == "people":
            changed = _people_changed(rows, checked.plan, self.default_cap_pct())
        elif kind == "skills":
            changed = _skills_changed(rows, checked.plan)
        else:
            changed = [None] * len(rows)  # every posting of a file is a new one
        return d.ImportCheck(problems=d.ImportProblem.all_of(checked.problems), new=changed.count(None),
                             changed=changed.count(True), unchanged=changed.count(False))

    def _check_people(self, rows, progress: Progress) -> _Checked[dict[str, int]]:
        """Check people rows; the plan is the ids of the file's people and managers
        already stored."""
        problems: dict[str, str] = {}
        seen: dict[str, int] = {}
        for row in rows:
            key = row.username.lower()
            if key in seen:
                _note(problems, row.line, f"username {row.username!r} is also on line {seen[key]}")
            seen[key] = row.line
        listed = {r.username for r in rows}
        stored = _ids_by_username(listed | {r.manager for r in rows if r.manager})
        for done, row in enumerate(rows, start=1):
            if len(row.department) > 120:
                _note(problems, row.line, "department: a department name must be at most 120 characters")
            if row.manager and row.manager not in listed and row.manager not in stored:
                _note(problems, row.line, f"manager: nobody is called {row.manager!r}")
            if row.manager == row.username:
                _note(problems, row.line, "manager: a person cannot manage themself")
            _tick(progress, "checking", done, len(rows))
        return _Checked(problems, stored)

    @api
    def import_people(self, rows, progress: Progress = None) -> int:
        """Add or update people from parsed rows; managers may be in the file or already
        in the marketplace. All rows or none."""
        departments = sorted({r.department for r in rows if r.department})

        def write(stored: dict[str, int]) -> None:
            department_ids = self._department_ids(departments)
            fields = (M.Employee.display_name, M.Employee.email, M.Employee.title, M.Employee.department,
                      M.Employee.weekly_hours, M.Employee.cap_pct, M.Employee.is_admin)

            default_cap = self.default_cap_pct()  # for rows that give no cap

            def values(row) -> tuple:
                return (row.display_name, row.email, row.title, department_ids.get(row.department), row.weekly_hours,
                        default_cap if row.cap_pct is None else row.cap_pct, row.is_admin)

            _tick(progress, "people", 0, len(rows))
            new = [row for row in rows if row.username not in stored]
            now = self.clock()
            added = bulk.insert_new(self.db, M.Employee, [
                {"username": row.username, "created_at": now, **{f.name: v for f, v in zip(fields, values(row))}}
                for row in new])
            bulk.update_rows(self.db, M.Employee, fields,
                             [(stored[row.username], *values(row)) for row in rows if row.username in stored])
            ids = {**stored, **dict(zip((row.username for row in new), added))}
            # Managers second, so a file may name a manager on a later line.
            _tick(progress, "managers", 0, len(rows))
            bulk.update_rows(self.db, M.Employee, (M.Employee.manager,),
                             [(ids[row.username], ids[row.manager]) for row in rows if row.manager])
            _tick(progress, "managers", len(rows), len(rows))

        return self._import("people", "employee", rows, lambda: self._check_people(rows, progress),
                            lambda _: self._check_people(rows, None).settled(), write)

    def _department_ids(self, names: list[str]) -> dict[str, int]:
        """The id of each department by name, adding those not yet there (call it in
        the write's transaction)."""
        ids: dict[str, int] = {}
        for start in range(0, len(names), validate.IN_CHUNK):
            ids.update(M.Department.select(M.Department.name, M.Department.id)
                       .where(M.Department.name.in_(names[start:start + validate.IN_CHUNK])).tuples())
        missing = [name for name in names if name not in ids]
        ids.update(zip(missing, bulk.insert_new(self.db, M.Department,
                                                [{"name": name} for name in missing])))
        return ids

    def _check_skills(self, rows, progress: Progress) -> _Checked[validate.LoadedLookups]:
        """Check skill rows; the plan is every stored skill and alias."""
        problems: dict[str, str] = {}
        names: dict[str, int] = {}
        for row in rows:
            for label in (row.name, *row.aliases):
                key = label.lower()
                if key in names and names[key] != row.line:
                    _note(problems, row.line, f"{label!r} also names a skill on line {names[key]}")
                names.setdefault(key, row.line)
        known = validate.LoadedLookups()
        for done, row in enumerate(rows, start=1):
            for alias in row.aliases:
                owner = known.skill(alias)
                if owner is not None and owner.name.lower() != row.name.lower():
                    _note(problems, row.line, f"alias {alias!r} already names {owner.name}")
            _tick(progress, "checking", done, len(rows))
        return _Checked(problems, known)

    @api
    def import_skills(self, rows, progress: Progress = None) -> int:
        """Add skills (or update the category and description of existing ones) with
        their aliases. All rows or none."""

        def write(known: validate.LoadedLookups) -> None:
            _tick(progress, "skills", 0, len(rows))
            new = [row for row in rows if row.name.lower() not in known.skills]
            added = bulk.insert_new(self.db, M.Skill, [
                {"name": row.name, "category": row.category, "description": row.description} for row in new])
            bulk.update_rows(self.db, M.Skill, (M.Skill.category, M.Skill.description), [
                (skill.id, row.category, row.description or skill.description)
                for row in rows if (skill := known.skills.get(row.name.lower())) is not None])
            ids = {key: skill.id for key, skill in known.skills.items()}
            ids.update(zip((row.name.lower() for row in new), added))
            taken = set(known.aliases)
            aliases = []
            for row in rows:
                for alias in row.aliases:
                    if alias.lower() not in taken:
                        taken.add(alias.lower())
                        aliases.append({"skill": ids[row.name.lower()], "alias": alias})
            bulk.insert_rows(self.db, M.SkillAlias, aliases)
            _tick(progress, "skills", len(rows), len(rows))

        return self._import("skills", "skill", rows, lambda: self._check_skills(rows, progress),
                            lambda _: self._check_skills(rows, None).settled(), write)

    def _check_opportunities(self, rows, progress: Progress) -> _Checked[_NewPostings]:
        """Check opportunity rows; the plan is the postings as column values."""
        people = {r.owner for r in rows} | {clean_line(r.draft.host) for r in rows if r.draft.host}
        lookups = validate.LoadedLookups(people)
        problems: dict[str, str] = {}
        checked = []
        for done, row in enumerate(rows, start=1):
            owner = lookups.person(row.owner)
            values, skills, steps, errors = validate.check_draft(row.draft, lookups)
            if owner is None:
                errors = {"owner": f"nobody is called {row.owner!r}", **errors}
            if errors:
                _note(problems, row.line, "; ".join(f"{k}: {v}" for k, v in errors.items()))
            checked.append((row, owner, values, skills, steps))
            _tick(progress, "checking", done, len(rows))
        return _Checked(problems, None if problems else _NewPostings.of(checked))

    @api
    def import_opportunities(self, rows, progress: Progress = None) -> int:
        """Add opportunities owned by existing people, with skills that exist by name
        or alias. All rows or none."""
        def confirm(postings: _NewPostings) -> _NewPostings:
            _refuse_vanished(postings.named)
            return postings

        def write(postings: _NewPostings) -> None:
            _tick(progress, "opportunities", 0, len(rows))
            # Stamped under the lock, so no posting is older than one committed before it
            # (the search index picks up changes by this stamp).
            now = M.Opportunity.created_at.db_value(self.clock())
            ids = bulk.insert_values(self.db, M.Opportunity,
                                     [*postings.fields, M.Opportunity.created_at, M.Opportunity.updated_at],
                                     [(*values, now, now) for values in postings.values], returning=True)
            for model, fields, parents, values in postings.children:
                bulk.insert_values(self.db, model, [model._meta.fields["opportunity"], *fields],
                                   [(ids[parent], *row) for parent, row in zip(parents, values)])
            _tick(progress, "opportunities", len(rows), len(rows))

        return self._import("opportunities", "opportunity", rows, lambda: self._check_opportunities(rows, progress),
                            confirm, write)

    @staticmethod
    def _every(page_after: Callable[[int | None], d.Page]) -> Iterator:
        """Every item of a keyset-paginated listing, a page at a time."""
        after = None
        while True:
            page = page_after(after)
            yield from page.items
            if page.next_after is None:
                return
            after = page.next_after

    def all_people(self) -> Iterable[d.Person]:
        """Every person, a page at a time (for export)."""
        return self._every(lambda after: self.people(limit=500, after_id=after))

    def all_opportunities(self) -> Iterable[d.Opportunity]:
        """Every opportunity but drafts, a page at a time (for export)."""
        return self._every(lambda after: self.opportunities(status=None, after_id=after, limit=500))

    @api
    def all_applications(self) -> list[d.Application]:
        """Every application (admins only: nobody else sees who applied to what)."""
        try:
            self._require_importer()
        except PermissionDenied:
            raise PermissionDenied("only an admin may list every application: nobody else sees who applied "
                                   "to what") from None
        return records.applications(M.Application.select().order_by(M.Application.id))
