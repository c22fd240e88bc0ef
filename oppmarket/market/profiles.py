"""People, departments, profiles, skills and interests."""

from __future__ import annotations

from collections.abc import Iterable

from peewee import JOIN, fn

from oppmarket import domain as d
from oppmarket import location as places
from oppmarket import policy
from oppmarket.db import models as M
from oppmarket.errors import Conflict, NotFound, PermissionDenied, ValidationError
from oppmarket.lifecycle import RELEASE_WAITING, WAITING_STATUSES
from oppmarket.market import records, validate
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import MAX_TEXT, MAX_WEEKLY_HOURS, int_field, length_field, required_field
from oppmarket.text import clean, clean_line


class ProfilesMixin(MarketCore):
    """Who is in the marketplace and what they can do or want to learn."""

    @api
    def whoami(self) -> d.Person:
        """The acting person's record (NotFound when they have no profile)."""
        return records.person(self._me())

    @api
    def has_profile(self, username: str | None = None) -> bool:
        username = username or self.actor
        return M.Employee.select().where(M.Employee.username == username).exists()

    @api
    def person(self, username: str) -> d.Person:
        row = M.Employee.get_or_none(M.Employee.username == username)
        if row is None:
            raise NotFound(f"nobody is called {username!r}")
        return records.person(row)

    @api
    def people(self, *, limit: int = 200, after_id: int | None = None) -> d.Page:
        query = M.Employee.select().order_by(M.Employee.id).limit(limit)
        if after_id is not None:
            query = query.where(M.Employee.id > after_id)
        rows = list(query)
        return d.Page(records.people(rows), rows[-1].id if len(rows) == limit else None)

    @api
    def personas(self) -> dict[str, list[d.Person]]:
        """People worth stepping into after a demo load: an engineer with matching
        work, a manager with applicants waiting, a line manager with releases
        waiting (`line_manager`), an admin."""
        admins = M.Employee.select().where(M.Employee.is_admin == True).order_by(M.Employee.id).limit(2)  # noqa: E712
        owners = (
            M.Employee.select(M.Employee, fn.COUNT(M.Application.id).alias("n"))
            .join(M.Opportunity, on=(M.Opportunity.owner == M.Employee.id))
            .join(M.Application)
            .where(M.Application.status.in_(WAITING_STATUSES))
            .group_by(M.Employee.id)
            .order_by(fn.COUNT(M.Application.id).desc(), M.Employee.id)
            .limit(2)
        )
        Report = M.Employee.alias()
        line_managers = (
            M.Employee.select(M.Employee, fn.COUNT(M.Application.id).alias("n"))
            .join(Report, on=(Report.manager == M.Employee.id))
            .join(M.Application, on=(M.Application.applicant == Report.id))
            .where(M.Application.status == RELEASE_WAITING)
            .group_by(M.Employee.id)
            .order_by(fn.COUNT(M.Application.id).desc(), M.Employee.id)
            .limit(2)
        )
        engineers = (
            M.Employee.select()
            .where(M.Employee.title.contains("Engineer"), M.Employee.is_admin == False)  # noqa: E712
            .order_by(M.Employee.id)
            .limit(2)
        )
        return {"engineer": list(records.people(list(engineers))), "manager": list(records.people(list(owners))),
                "line_manager": list(records.people(list(line_managers))), "admin": list(records.people(list(admins)))}

    @api
    def register_self(self, display_name: str, *, email: str = "", title: str = "") -> d.Person:
        """Create the actor's own profile. The first person on an empty database
        becomes its admin."""
        if self.actor is None:
            raise PermissionDenied("no user is acting")
        errors: dict[str, str] = {}
        name = required_field(errors, "display_name", clean_line(display_name or ""), 120, "your name")
        email = length_field(errors, "email", clean_line(email or ""), 200, "email")
        title = length_field(errors, "title", clean_line(title or ""), 120, "title")
        if errors:
            raise ValidationError(errors)

        def body():
            if M.Employee.select().where(M.Employee.username == self.actor).exists():
                raise Conflict(f"a profile for {self.actor!r} already exists")
            first = not M.Employee.select().exists()
            row = M.Employee.create(username=self.actor, display_name=name, email=email, title=title,
                                    is_admin=first, created_at=self.clock())
            self._audit(row, "register", "employee", row.id, admin=first)
            return row

        return records.person(self._tx(body))

    @api
    def departments(self) -> list[d.Department]:
        Parent = M.Department.alias()
        rows = (
            M.Department.select(M.Department.id, M.Department.name, Parent.name.alias("parent_name"))
            .join(Parent, JOIN.LEFT_OUTER, on=(M.Department.parent == Parent.id))
            .order_by(M.Department.name)
            .objects()
        )
        return [d.Department(r.id, r.name, r.parent_name) for r in rows]

    @api
    def profile(self, username: str | None = None) -> d.Profile:
        """A person's skills, interests and commitments (anyone may read a profile:
        skills are public, that is the point of the capability map)."""
        if username is None:
            row = self._me()
        else:
            row = M.Employee.get_or_none(M.Employee.username == username)
            if row is None:
                raise NotFound(f"nobody is called {username!r}")
        return records.profiles([row], self.clock())[0]

    @api
    def update_profile(
        self,
        *,
        display_name: str | None = None,
        email: str | None = None,
        title: str | None = None,
        weekly_hours: int | str | None = None,
        location: str | None = None,
        remote_preference: str | None = None,
        weekly_digest: bool | None = None,
    ) -> d.Person:
        """Change the actor's own name, email, title, location, remote preference (one
        of `location.PREFERENCES`) or weekly digest opt-in. Contracted hours set the
        time cap, so only the line manager or an admin may change them
        (`set_weekly_hours`); an admin may change their own here."""
        me, actor = self._me_person()
        errors: dict[str, str] = {}
        changes: dict = {}
        if display_name is not None:
            changes["display_name"] = required_field(errors, "display_name", clean_line(display_name), 120, "name")
        if email is not None:
            email = clean_line(email)
            if email and ("@" not in email or len(email) > 200):
                errors["email"] = "email must look like name@example.com"
            changes["email"] = email
        if title is not None:
            changes["title"] = length_field(errors, "title", clean_line(title), 120, "title")
        if weekly_hours is not None:
            changes["weekly_hours"] = int_field(errors, "weekly_hours", weekly_hours, 1, MAX_WEEKLY_HOURS,
                                                "weekly hours")
        if location is not None:
            changes["location"] = length_field(errors, "location", clean_line(location), 120, "location")
        if remote_preference is not None:
            if remote_preference not in places.PREFERENCES:
                errors["remote_preference"] = f"remote preference must be one of {', '.join(places.PREFERENCES)}"
            changes["remote_preference"] = remote_preference
        if weekly_digest is not None:
            changes["weekly_digest"] = bool(weekly_digest)
        if errors:
            raise ValidationError(errors)
        if "weekly_hours" in changes and (
                why := policy.may_set_hours(actor, actor.username, actor.manager_username)) is not None:
            raise PermissionDenied(why)
        if not changes:
            return records.person(me)

        def body():
            row = self._lock(M.Employee, me.id, "employee")
            # The audit keeps what each field was as well as what it became, so an edit
            # can be read back without replaying history; a field set to its own value
            # is no change and leaves no trace.
            changed = {field: {"old": getattr(row, field), "new": value}
                       for field, value in changes.items() if getattr(row, field) != value}
            if not changed:
                return
            M.Employee.update(**{field: c["new"] for field, c in changed.items()}).where(
                M.Employee.id == me.id).execute()
            self._audit(me, "update_profile", "employee", me.id, **changed)

        self._tx(body)
        return records.person(M.Employee.get_by_id(me.id))

    @api
    def resolve_skill(self, name_or_alias: str) -> d.SkillInfo:
        """A skill by its name or any alias, case-insensitively."""
        row = validate.skill_row(name_or_alias)
        if row is None:
            raise NotFound(f"no skill called {clean_line(name_or_alias)!r}")
        return records.skill_info(row)

    @api
    def skills(self) -> list[d.SkillInfo]:
        return records.skill_infos(list(M.Skill.select().order_by(M.Skill.name)))

    @api
    def set_skill(self, skill: str, level: int | str) -> d.SkillClaim:
        """Claim a skill at a level (1-5). A self-claim never lowers an endorsed level's
        evidence; it re-dates the claim."""
        me = self._me()
        errors: dict[str, str] = {}
        lvl = int_field(errors, "level", level, 1, 5, "level")
        row = validate.skill_row(skill or "")
        if row is None:
            errors["skill"] = f"no skill called {clean_line(skill or '')!r}"
        else:
            held = M.EmployeeSkill.select(M.EmployeeSkill.skill).where(M.EmployeeSkill.employee == me.id)
            validate.retired_refused(errors, "skill", row, {s for s, in held.tuples()})
        if errors:
            raise ValidationError(errors)

        def body():
            now = self.clock()
            existing = M.EmployeeSkill.get_or_none(employee=me.id, skill=row.id)
            if existing is None:
                M.EmployeeSkill.create(employee=me, skill=row, level=lvl, source="self", confirmed_at=now)
            else:
                M.EmployeeSkill.update(level=lvl, confirmed_at=now).where(M.EmployeeSkill.id == existing.id).execute()
            self._audit(me, "set_skill", "skill", row.id, level=lvl)

        self._tx(body)
        return next(c for c in self.profile().skills if c.skill_id == row.id)

    @api
    def remove_skill(self, skill: str) -> None:
        me = self._me()
        row = validate.skill_row(skill or "")
        if row is None:
            raise ValidationError({"skill": f"no skill called {clean_line(skill or '')!r}"})

        def body():
            n = M.EmployeeSkill.delete().where(M.EmployeeSkill.employee == me.id,
                                               M.EmployeeSkill.skill == row.id).execute()
            if not n:
                raise NotFound(f"you have not claimed {row.name}")
            self._audit(me, "remove_skill", "skill", row.id)

        self._tx(body)

    @api
    def set_interests(self, skills: Iterable[str]) -> tuple[str, ...]:
        """Replace the skills the actor wants to learn."""
        me = self._me()
        rows, unknown = [], []
        for name in skills:
            row = validate.skill_row(name)
            (rows.append(row) if row else unknown.append(clean_line(name)))
        if unknown:
            raise ValidationError({"interests": f"unknown skill(s): {', '.join(unknown)}"})
        errors: dict[str, str] = {}
        held = {s for s, in M.Interest.select(M.Interest.skill).where(M.Interest.employee == me.id).tuples()}
        for row in rows:
            validate.retired_refused(errors, "interests", row, held)
        if errors:
            raise ValidationError(errors)

        def body():
            M.Interest.delete().where(M.Interest.employee == me.id).execute()
            for row in {r.id: r for r in rows}.values():
                M.Interest.create(employee=me, skill=row)
            self._audit(me, "set_interests", "employee", me.id, skills=sorted(r.name for r in rows))

        self._tx(body)
        return self.profile().interests

    @api
    def add_skill(self, name: str, *, category: str = "General", description: str = "",
                  aliases: Iterable[str] = ()) -> d.SkillInfo:
        """Add a skill to the taxonomy (anyone may, when nothing close exists)."""
        me = self._me()
        errors: dict[str, str] = {}
        name = required_field(errors, "name", clean_line(name or ""), 80, "skill name")
        category = length_field(errors, "category", clean_line(category or "") or "General", 80, "category")
        description = length_field(errors, "description", clean(description or ""), MAX_TEXT, "description")
        aliases = [clean_line(a) for a in aliases if clean_line(a)]
        for alias in aliases:
            length_field(errors, "aliases", alias, 80, f"alias {alias[:20]!r}")
        if errors:
            raise ValidationError(errors)

        def body():
            if validate.skill_row(name) is not None:
                raise Conflict(f"a skill called {name!r} (or with that alias) already exists")
            row = M.Skill.create(name=name, category=category, description=description)
            for alias in aliases:
                if validate.skill_row(alias) is not None:
                    raise ValidationError({"aliases": f"{alias!r} already names a skill"})
                M.SkillAlias.create(skill=row, alias=alias)
            self._audit(me, "add_skill", "skill", row.id, name=name)
            return row

        return records.skill_info(self._tx(body))
