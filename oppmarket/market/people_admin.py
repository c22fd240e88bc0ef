"""The admins' people: finding anyone (inactive people too), adding people, changing
their details, line manager, contracted hours and time cap, and their admin rights.

Every write here is an admin's (`policy.may_manage_people`), audited with the old and
new values. A manager is always an active person and never closes a loop
(`hierarchy.cycle_through`); the marketplace never loses its last active admin
(`policy.keeps_an_admin`). Deactivating someone lives in `deactivation`."""

from __future__ import annotations

from types import EllipsisType

from oppmarket import domain as d
from oppmarket import identity, notices, policy
from oppmarket.db import models as M
from oppmarket.errors import Conflict, PermissionDenied, ValidationError
from oppmarket.market import records, validate
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import MAX_WEEKLY_HOURS, int_field, length_field, required_field
from oppmarket.people import PersonEntry, find
from oppmarket.text import clean_line

# Columns an edit may change, as the audit names them.
DETAILS = ("display_name", "email", "title", "department", "manager")


class PeopleAdminMixin(MarketCore):
    """What admins do to people's records."""

    def _people_admin(self) -> M.Employee:
        me, actor = self._me_person()
        if (why := policy.may_manage_people(actor)) is not None:
            raise PermissionDenied(why)
        return me

    # ------------------------------------------------------------------ reading

    @api
    def people_entries(self, query: str = "", *, include_inactive: bool = False) -> list[PersonEntry]:
        """Admin: everyone (the active only, unless `include_inactive`) with their
        manager's name and how many report to them; with `query`, those it names
        (fuzzy, on username, name, title, department), best first."""
        self._people_admin()
        rows = M.Employee.select().order_by(M.Employee.display_name, M.Employee.username)
        if not include_inactive:
            rows = rows.where(M.Employee.active == True)  # noqa: E712
        return find(self._entries(list(rows)), clean_line(query or ""))

    @api
    def person_entry(self, username: str) -> PersonEntry:
        """Admin: one person as the people list shows them, active or not."""
        self._people_admin()
        return self._entries([self._employee_named(username)])[0]

    @staticmethod
    def _entries(rows: list[M.Employee]) -> list[PersonEntry]:
        people = records.people(rows)
        names = dict(M.Employee.select(M.Employee.id, M.Employee.display_name).where(
            M.Employee.id.in_({r.manager_id for r in rows if r.manager_id})).tuples())
        reports: dict[int, int] = {}
        for manager_id, in (M.Employee.select(M.Employee.manager).where(
                M.Employee.manager.in_([r.id for r in rows]), M.Employee.active == True).tuples()):  # noqa: E712
            reports[manager_id] = reports.get(manager_id, 0) + 1
        return [PersonEntry(p, names.get(r.manager_id), reports.get(r.id, 0)) for r, p in zip(rows, people)]

    # ------------------------------------------------------------------ checks

    def _check_manager(self, errors: dict, name: str | None, person_id: int | None) -> M.Employee | None:
        """The manager `name` names, or None for none; refused (in `errors`) when it is
        nobody, someone inactive, or a loop through `person_id`, named."""
        name = clean_line(name or "")
        if not name:
            return None
        row = M.Employee.get_or_none(M.Employee.username == name)
        if row is None:
            errors["manager"] = f"no person called {name!r}"
        elif not row.active:
            errors["manager"] = f"{row.username} is inactive and cannot be anyone's manager"
        elif person_id is not None and (loop := self._manager_loop(person_id, row)) is not None:
            errors["manager"] = loop
        return row

    @staticmethod
    def _details(errors: dict, values: dict, *, display_name=..., email=..., title=...) -> None:
        if display_name is not ...:
            values["display_name"] = required_field(errors, "display_name", clean_line(display_name or ""), 120,
                                                    "name")
        if email is not ...:
            values["email"] = length_field(errors, "email", clean_line(email or ""), 200, "email")
        if title is not ...:
            values["title"] = length_field(errors, "title", clean_line(title or ""), 120, "title")

    @staticmethod
    def _department(errors: dict, name: str | None) -> str | None:
        name = clean_line(name or "")
        length_field(errors, "department", name, 120, "department name")
        return name or None

    # ------------------------------------------------------------------ adding and editing

    @api
    def add_person(self, username: str, display_name: str, *, email: str = "", title: str = "",
                   department: str | None = None, manager: str | None = None, weekly_hours: int | str = 40,
                   cap_pct: int | str | None = None, is_admin: bool = False) -> d.Person:
        """Admin: add one person. Their time cap is the `default_cap_pct` setting
        unless given (the model's default when it is not set); a department named for
        the first time is added."""
        me = self._people_admin()
        errors: dict[str, str] = {}
        username = clean_line(username or "")
        if not identity.valid_username(username):
            errors["username"] = ("username must be 1-64 letters, digits, '.', '_' or '-', "
                                  "starting with a letter or digit")
        values: dict = {}
        self._details(errors, values, display_name=display_name, email=email, title=title)
        dept = self._department(errors, department)
        values["weekly_hours"] = int_field(errors, "weekly_hours", weekly_hours, 1, MAX_WEEKLY_HOURS, "weekly hours")
        default_cap = self.default_cap_pct()
        values["cap_pct"] = int_field(errors, "cap_pct", default_cap if cap_pct is None else cap_pct, 0, 100,
                                      "time cap %")
        mgr = self._check_manager(errors, manager, None)
        if errors:
            raise ValidationError(errors)

        def body():
            if M.Employee.select().where(M.Employee.username == username).exists():
                raise Conflict(f"username {username!r} is taken")
            values["department"] = validate.department_row(dept, create=True) if dept else None
            row = M.Employee.create(username=username, manager=mgr, is_admin=bool(is_admin),
                                    created_at=self.clock(), **values)
            self._audit(me, "add_person", "employee", row.id, username=username,
                        new=self._shown(values | {"manager": mgr, "is_admin": bool(is_admin)}))
            return row

        return records.person(self._tx(body))

    @api
    def edit_person(self, username: str, *, display_name: str | EllipsisType = ..., email: str | EllipsisType = ...,
                    title: str | EllipsisType = ..., department: str | None | EllipsisType = ...,
                    manager: str | None | EllipsisType = ...) -> d.Person:
        """Admin: change someone's name, email, title, department or line manager
        (what is not given stays; None or "" clears the department or manager)."""
        me = self._people_admin()
        errors: dict[str, str] = {}
        values: dict = {}
        self._details(errors, values, display_name=display_name, email=email, title=title)
        dept = self._department(errors, department) if department is not ... else ...
        if errors:
            raise ValidationError(errors)

        def body():
            row = self._lock(M.Employee, self._employee_named(username).id, "person")
            if manager is not ...:
                values["manager"] = self._check_manager(errors, manager, row.id)
                if errors:
                    raise ValidationError(errors)
            if dept is not ...:
                values["department"] = validate.department_row(dept, create=True) if dept else None
            before = {"display_name": row.display_name, "email": row.email, "title": row.title,
                      "department": row.department, "manager": row.manager}
            changed = {k: v for k, v in values.items() if self._shown({k: v}) != self._shown({k: before[k]})}
            if not changed:
                return row.username
            M.Employee.update(**changed).where(M.Employee.id == row.id).execute()
            self._audit(me, "edit_person", "employee", row.id,
                        old=self._shown({k: before[k] for k in changed}), new=self._shown(changed))
            if "manager" in changed:
                self._tell_new_manager(row, changed["manager"])
            return row.username

        return self.person(self._tx(body))

    def _tell_new_manager(self, row: M.Employee, manager: M.Employee | None) -> None:
        self._notify(row, notices.manager_changed(manager.display_name if manager else None))
        if manager is not None:
            self._notify(manager, notices.new_report(row.display_name))

    @api
    def set_manager(self, username: str, manager: str | None) -> d.Person:
        """Admin: someone's line manager (None: nobody). Refused for an inactive
        manager, or one that would close a loop, named."""
        return self.edit_person(username, manager=manager)

    @api
    def set_terms(self, username: str, *, weekly_hours: int | str | None = None,
                  cap_pct: int | str | None = None) -> d.Person:
        """Admin: someone's contracted hours a week and time cap, together in one
        change, so a move from 40 h at 20% to 20 h at 40% is never refused halfway. A
        cut below what their offers and engagements hold is refused
        (`policy.may_cut_cap`); the person is told."""
        me = self._people_admin()
        errors: dict[str, str] = {}
        hours = int_field(errors, "weekly_hours", weekly_hours, 1, MAX_WEEKLY_HOURS,
                          "weekly hours") if weekly_hours is not None else None
        pct = int_field(errors, "cap_pct", cap_pct, 0, 100, "time cap %") if cap_pct is not None else None
        if weekly_hours is None and cap_pct is None:
            errors["weekly_hours"] = "give the weekly hours, the time cap, or both"
        if errors:
            raise ValidationError(errors)

        def body():
            row = self._lock(M.Employee, self._employee_named(username).id, "person")
            old = (row.weekly_hours, row.cap_pct)
            new = (old[0] if hours is None else hours, old[1] if pct is None else pct)
            if new == old:
                return row.username
            committed = records.committed_hours([row.id]).get(row.id, 0)
            if (why := policy.may_cut_cap(row.display_name, committed, old, new)) is not None:
                raise ValidationError({"cap_pct" if new[1] != old[1] else "weekly_hours": why})
            M.Employee.update(weekly_hours=new[0], cap_pct=new[1]).where(M.Employee.id == row.id).execute()
            self._audit(me, "set_terms", "employee", row.id, old={"weekly_hours": old[0], "cap_pct": old[1]},
                        new={"weekly_hours": new[0], "cap_pct": new[1]})
            if new[0] != old[0]:
                self._notify(row, notices.hours_changed(new[0], old[0], policy.cap_hours(*new)))
            if new[1] != old[1]:
                self._notify(row, notices.cap_changed(new[1], old[1]))
            return row.username

        return self.person(self._tx(body))

    @api
    def set_admin(self, username: str, is_admin: bool) -> d.Person:
        """Admin: make someone an admin, or revoke it; never from the last active
        admin, and only an active person becomes one."""
        me = self._people_admin()

        def body():
            row = self._lock(M.Employee, self._employee_named(username).id, "person")
            if bool(row.is_admin) == bool(is_admin):
                return row.username
            if is_admin and not row.active:
                raise Conflict(f"{row.username} is inactive; reactivate them first")
            if not is_admin and (why := policy.keeps_an_admin(row.username, self._admins_besides(row))) is not None:
                raise Conflict(why)
            M.Employee.update(is_admin=bool(is_admin)).where(M.Employee.id == row.id).execute()
            self._audit(me, "make_admin" if is_admin else "revoke_admin", "employee", row.id,
                        old={"is_admin": bool(row.is_admin)}, new={"is_admin": bool(is_admin)})
            return row.username

        return self.person(self._tx(body))
