"""Running the marketplace: settings, the audit log, imports and exports, and the
demo organisation."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator

from peewee import JOIN, fn

from oppmarket import domain as d
from oppmarket import policy
from oppmarket.db import models as M
from oppmarket.errors import Conflict, PermissionDenied, ValidationError
from oppmarket.market import records, validate
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import int_field


class AdminMixin(MarketCore):
    """What admins (and the system, on a database its caller owns) do."""

    @api
    def audit_log(self, *, limit: int = 200, after_id: int | None = None) -> list[d.AuditEntry]:
        me, actor = self._me_person()
        if (why := policy.may_administer(actor)) is not None:
            raise PermissionDenied(why)
        # The actor's name comes as a flat column: a partially selected joined model
        # would hide the foreign key (actor_id reads as None).
        query = (M.AuditEvent.select(M.AuditEvent, M.Employee.username.alias("actor_username"))
                 .join(M.Employee, JOIN.LEFT_OUTER).order_by(M.AuditEvent.id.desc()).limit(limit))
        if after_id is not None:
            query = query.where(M.AuditEvent.id < after_id)
        return [d.AuditEntry(e.id, e.actor_username, e.action, e.object_type,
                             e.object_id, json.loads(e.detail or "{}"), e.at) for e in query.objects()]

    @api
    def set_release_auto_days(self, days: int | str) -> int:
        me, actor = self._me_person()
        if (why := policy.may_administer(actor)) is not None:
            raise PermissionDenied(why)
        errors: dict[str, str] = {}
        n = int_field(errors, "release_auto_days", days, 1, 60, "automatic release days")
        if errors:
            raise ValidationError(errors)

        def body():
            M.Setting.insert(key="release_auto_days", value=str(n)).on_conflict(
                conflict_target=[M.Setting.key], update={M.Setting.value: str(n)}).execute()
            self._audit(me, "set_setting", "setting", None, key="release_auto_days", value=n)

        self._tx(body)
        return n

    @api
    def is_empty(self) -> bool:
        """True when the database holds no people and no opportunities yet."""
        return not M.Employee.select().exists() and not M.Opportunity.select().exists()

    def load_demo(self, *, employees: int | None = None, opportunities: int | None = None,
                  progress: Callable[[str, int, int], None] | None = None):
        """Load the demo organisation (or, with sizes, scale data) into an empty
        database. See `oppmarket.demo`."""
        from oppmarket import demo

        if not self.is_empty():
            raise Conflict("the database already holds data; the demo loads only into an empty one")
        return demo.load_demo(self.db, employees=employees, opportunities=opportunities,
                              progress=progress, now=self.clock())

    # ------------------------------------------------------------------ import and export

    def _require_importer(self) -> M.Employee | None:
        """Imports are for admins, or for the system (the CLI on a database the caller
        owns, before anyone is in it; the CLI decides that before acting as nobody)."""
        if self.actor is None:
            return None
        me, actor = self._me_person()
        if (why := policy.may_import(actor, owns_database=False)) is not None:
            raise PermissionDenied(why)
        return me

    @staticmethod
    def _tick(progress, stage: str, done: int, total: int) -> None:
        if progress is not None and (done == total or done % 250 == 0):
            progress(stage, done, total)

    @api
    def import_people(self, rows, progress=None) -> int:
        """Add or update people from parsed rows (see `oppmarket.transfer`); managers may
        be in the file or already in the marketplace. All rows or none."""
        from oppmarket.transfer import ImportErrors

        me = self._require_importer()
        problems: dict[str, str] = {}
        seen: dict[str, int] = {}
        for row in rows:
            key = row.username.lower()
            if key in seen:
                problems[f"line {row.line}"] = f"username {row.username!r} is also on line {seen[key]}"
            seen[key] = row.line
        in_file = {r.username for r in rows}

        def body():
            for row in rows:
                if row.manager and row.manager not in in_file and not M.Employee.select().where(
                        M.Employee.username == row.manager).exists():
                    problems[f"line {row.line}"] = f"manager: nobody is called {row.manager!r}"
                if row.manager == row.username:
                    problems[f"line {row.line}"] = "manager: a person cannot manage themself"
            if problems:
                raise ImportErrors(problems)
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
                self._tick(progress, "people", done, 2 * len(rows))
            for done, row in enumerate(rows, start=len(rows) + 1):
                if row.manager:
                    manager_id = ids.get(row.manager) or M.Employee.get(M.Employee.username == row.manager).id
                    M.Employee.update(manager=manager_id).where(M.Employee.id == ids[row.username]).execute()
                self._tick(progress, "managers", done, 2 * len(rows))
            self._audit(me, "import_people", "employee", None, rows=len(rows))
            return len(rows)

        if problems:
            raise ImportErrors(problems)
        return self._tx(body)

    @api
    def import_skills(self, rows, progress=None) -> int:
        """Add skills (or update the category and description of existing ones) with
        their aliases. All rows or none."""
        from oppmarket.transfer import ImportErrors

        me = self._require_importer()
        problems: dict[str, str] = {}
        names: dict[str, int] = {}
        for row in rows:
            for label in (row.name, *row.aliases):
                key = label.lower()
                if key in names and names[key] != row.line:
                    problems[f"line {row.line}"] = f"{label!r} also names a skill on line {names[key]}"
                names.setdefault(key, row.line)
        if problems:
            raise ImportErrors(problems)

        def body():
            for row in rows:
                for alias in row.aliases:
                    owner = validate.skill_row(alias)
                    if owner is not None and owner.name.lower() != row.name.lower():
                        problems[f"line {row.line}"] = f"alias {alias!r} already names {owner.name}"
            if problems:
                raise ImportErrors(problems)
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
                self._tick(progress, "skills", done, len(rows))
            self._audit(me, "import_skills", "skill", None, rows=len(rows))
            return len(rows)

        return self._tx(body)

    @api
    def import_opportunities(self, rows, progress=None) -> int:
        """Add opportunities owned by existing people, with skills that exist by name
        or alias. All rows or none."""
        from oppmarket.transfer import ImportErrors

        me = self._require_importer()
        problems: dict[str, str] = {}

        def body():
            checked = []
            for done, row in enumerate(rows, start=1):
                owner = M.Employee.get_or_none(M.Employee.username == row.owner)
                values, skills, steps, errors = validate.check_draft(row.draft)
                if owner is None:
                    errors = {"owner": f"nobody is called {row.owner!r}", **errors}
                if errors:
                    problems[f"line {row.line}"] = "; ".join(f"{k}: {v}" for k, v in errors.items())
                checked.append((row, owner, values, skills, steps))
                self._tick(progress, "checking", done, len(rows))
            if problems:
                raise ImportErrors(problems)
            now = self.clock()
            for done, (row, owner, values, skills, steps) in enumerate(checked, start=1):
                if values.get("department") is None:
                    values["department"] = owner.department_id
                opp = M.Opportunity.create(owner=owner, status=row.status, created_at=now, updated_at=now, **values)
                validate.write_draft_children(opp, skills, steps)
                self._tick(progress, "opportunities", done, len(rows))
            self._audit(me, "import_opportunities", "opportunity", None, rows=len(rows))
            return len(rows)

        return self._tx(body)

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
