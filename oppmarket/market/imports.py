"""Imports and exports: people, skills and opportunities from parsed rows (see
`oppmarket.transfer`), every row or none, and the listings an export walks."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from peewee import fn

from oppmarket import domain as d
from oppmarket import policy
from oppmarket.db import models as M
from oppmarket.errors import ImportErrors, PermissionDenied
from oppmarket.market import records, validate
from oppmarket.market.core import MarketCore, api

Progress = Callable[[str, int, int], None] | None


def _tick(progress: Progress, stage: str, done: int, total: int) -> None:
    if progress is not None and (done == total or done % 250 == 0):
        progress(stage, done, total)


def _refuse(problems: dict[str, str]) -> None:
    if problems:
        raise ImportErrors(problems)


class ImportsMixin(MarketCore):
    """Bulk data in and out, for admins (and the system, on a database its caller owns)."""

    def _require_importer(self) -> M.Employee | None:
        """Imports are for admins, or for the system (the CLI on a database the caller
        owns, before anyone is in it; the CLI decides that before acting as nobody)."""
        if self.actor is None:
            return None
        me, actor = self._me_person()
        if (why := policy.may_import(actor, owns_database=False)) is not None:
            raise PermissionDenied(why)
        return me

    def _import(self, what: str, object_type: str, rows, in_file: dict[str, str],
                write: Callable[[], None]) -> int:
        """The one shape of an import: refuse the whole file when it contradicts itself
        (`in_file`), then, in one transaction, `write` (which refuses on what contradicts
        the stored data before it writes anything) and one audit row."""
        me = self._require_importer()
        _refuse(in_file)

        def body():
            write()
            self._audit(me, f"import_{what}", object_type, None, rows=len(rows))
            return len(rows)

        return self._tx(body)

    @api
    def import_people(self, rows, progress: Progress = None) -> int:
        """Add or update people from parsed rows; managers may be in the file or already
        in the marketplace. All rows or none."""
        in_file: dict[str, str] = {}
        seen: dict[str, int] = {}
        for row in rows:
            key = row.username.lower()
            if key in seen:
                in_file[f"line {row.line}"] = f"username {row.username!r} is also on line {seen[key]}"
            seen[key] = row.line
        listed = {r.username for r in rows}

        def write():
            problems: dict[str, str] = {}
            for row in rows:
                if row.manager and row.manager not in listed and not M.Employee.select().where(
                        M.Employee.username == row.manager).exists():
                    problems[f"line {row.line}"] = f"manager: nobody is called {row.manager!r}"
                if row.manager == row.username:
                    problems[f"line {row.line}"] = "manager: a person cannot manage themself"
            _refuse(problems)
            now = self.clock()
            ids: dict[str, int] = {}
            for done, row in enumerate(rows, start=1):
                dept = validate.department_row(row.department, create=True) if row.department else None
                values = dict(display_name=row.display_name, email=row.email, title=row.title,
                              department=dept, weekly_hours=row.weekly_hours, cap_pct=row.cap_pct,
                              is_admin=row.is_admin)
                existing = M.Employee.get_or_none(M.Employee.username == row.username)
                if existing is None:
                    ids[row.username] = M.Employee.create(username=row.username, created_at=now, **values).id
                else:
                    M.Employee.update(**values).where(M.Employee.id == existing.id).execute()
                    ids[row.username] = existing.id
                _tick(progress, "people", done, 2 * len(rows))
            # Managers second, so a file may name a manager on a later line.
            for done, row in enumerate(rows, start=len(rows) + 1):
                if row.manager:
                    manager_id = ids.get(row.manager) or M.Employee.get(M.Employee.username == row.manager).id
                    M.Employee.update(manager=manager_id).where(M.Employee.id == ids[row.username]).execute()
                _tick(progress, "managers", done, 2 * len(rows))

        return self._import("people", "employee", rows, in_file, write)

    @api
    def import_skills(self, rows, progress: Progress = None) -> int:
        """Add skills (or update the category and description of existing ones) with
        their aliases. All rows or none."""
        in_file: dict[str, str] = {}
        names: dict[str, int] = {}
        for row in rows:
            for label in (row.name, *row.aliases):
                key = label.lower()
                if key in names and names[key] != row.line:
                    in_file[f"line {row.line}"] = f"{label!r} also names a skill on line {names[key]}"
                names.setdefault(key, row.line)

        def write():
            problems: dict[str, str] = {}
            for row in rows:
                for alias in row.aliases:
                    owner = validate.skill_row(alias)
                    if owner is not None and owner.name.lower() != row.name.lower():
                        problems[f"line {row.line}"] = f"alias {alias!r} already names {owner.name}"
            _refuse(problems)
            for done, row in enumerate(rows, start=1):
                skill = M.Skill.get_or_none(fn.LOWER(M.Skill.name) == row.name.lower())
                if skill is None:
                    skill = M.Skill.create(name=row.name, category=row.category, description=row.description)
                else:
                    M.Skill.update(category=row.category, description=row.description or skill.description).where(
                        M.Skill.id == skill.id).execute()
                for alias in row.aliases:
                    if not M.SkillAlias.select().where(fn.LOWER(M.SkillAlias.alias) == alias.lower()).exists():
                        M.SkillAlias.create(skill=skill, alias=alias)
                _tick(progress, "skills", done, len(rows))

        return self._import("skills", "skill", rows, in_file, write)

    @api
    def import_opportunities(self, rows, progress: Progress = None) -> int:
        """Add opportunities owned by existing people, with skills that exist by name
        or alias. All rows or none."""
        def write():
            problems: dict[str, str] = {}
            checked = []
            for done, row in enumerate(rows, start=1):
                owner = M.Employee.get_or_none(M.Employee.username == row.owner)
                values, skills, steps, errors = validate.check_draft(row.draft)
                if owner is None:
                    errors = {"owner": f"nobody is called {row.owner!r}", **errors}
                if errors:
                    problems[f"line {row.line}"] = "; ".join(f"{k}: {v}" for k, v in errors.items())
                checked.append((row, owner, values, skills, steps))
                _tick(progress, "checking", done, len(rows))
            _refuse(problems)
            now = self.clock()
            for done, (row, owner, values, skills, steps) in enumerate(checked, start=1):
                if values.get("department") is None:
                    values["department"] = owner.department_id
                opp = M.Opportunity.create(owner=owner, status=row.status, created_at=now, updated_at=now, **values)
                validate.write_draft_children(opp, skills, steps)
                _tick(progress, "opportunities", done, len(rows))

        return self._import("opportunities", "opportunity", rows, {}, write)

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
