"""Departments as admins keep them: each with everything that names it, added,
renamed (unique whatever the case), moved under another (never into a loop) and
merged into another, every reference moving with it in one transaction."""

from __future__ import annotations

from collections import Counter
from types import EllipsisType

from peewee import fn

from oppmarket import domain as d
from oppmarket import policy
from oppmarket.db import models as M
from oppmarket.errors import NotFound, ValidationError
from oppmarket.hierarchy import cycle_through, loop_words
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import required_field
from oppmarket.text import clean_line

MAX_DEPARTMENT_NAME = 120


def _usages(rows: list[M.Department]) -> list[d.DepartmentUsage]:
    """Departments with their people, postings, key roles, sub-departments and the
    saved searches filtering on their name: a few grouped counts in all."""
    ids = [r.id for r in rows]
    names = dict(M.Department.select(M.Department.id, M.Department.name).tuples())

    def count(model, field) -> Counter:
        return Counter(dict(model.select(field, fn.COUNT(model.id)).where(field.in_(ids))
                            .group_by(field).tuples())) if ids else Counter()

    people, postings = count(M.Employee, M.Employee.department), count(M.Opportunity, M.Opportunity.department)
    roles, children = count(M.KeyRole, M.KeyRole.department), count(M.Department, M.Department.parent)
    searches = Counter(dict(M.SavedSearch.select(M.SavedSearch.department, fn.COUNT(M.SavedSearch.id))
                            .where(M.SavedSearch.department.in_([r.name for r in rows]))
                            .group_by(M.SavedSearch.department).tuples())) if rows else Counter()
    return [d.DepartmentUsage(r.id, r.name, names.get(r.parent_id), people[r.id], postings[r.id], roles[r.id],
                              children[r.id], searches[r.name]) for r in rows]


def _department(name: str, field: str = "department") -> M.Department:
    """A department by its exact name, else by its name in any case."""
    key = clean_line(name or "")
    row = M.Department.get_or_none(M.Department.name == key)
    if row is None:
        folded = [r for r in M.Department.select() if r.name.casefold() == key.casefold()]
        row = folded[0] if len(folded) == 1 else None
    if row is None and field == "department":
        raise NotFound(f"no department called {key!r}")
    if row is None:
        raise ValidationError({field: f"no department called {key!r}"})
    return row


def _free_name(errors: dict, name: str, keep: M.Department | None = None) -> str:
    """A department name that is given, fits, and no other department has in any case."""
    name = required_field(errors, "name", clean_line(name or ""), MAX_DEPARTMENT_NAME, "department name")
    if name and "name" not in errors:
        taken = next((r for r in M.Department.select()
                      if r.name.casefold() == name.casefold() and (keep is None or r.id != keep.id)), None)
        if taken is not None:
            errors["name"] = f"a department called {taken.name!r} already exists"
    return name


def _loop(child: M.Department, parent: M.Department | None) -> str | None:
    """The loop giving `child` the parent `parent` would close, in names; None if none."""
    if parent is None:
        return None
    parents = dict(M.Department.select(M.Department.id, M.Department.parent).tuples())
    chain = cycle_through(child.id, parent.id, parents.get)
    if chain is None:
        return None
    names = dict(M.Department.select(M.Department.id, M.Department.name).tuples())
    return loop_words([names[i] for i in chain])


class DepartmentsMixin(MarketCore):
    """The departments people, postings and key roles belong to (admins)."""

    @api
    def department_usages(self) -> list[d.DepartmentUsage]:
        """Admin: every department, by name, with what names it."""
        self._allowed(policy.may_administer)
        return _usages(list(M.Department.select().order_by(M.Department.name)))

    @api
    def department_usage(self, name: str) -> d.DepartmentUsage:
        """Admin: one department (by name, in any case) with what names it."""
        self._allowed(policy.may_administer)
        return _usages([_department(name)])[0]

    @api
    def add_department(self, name: str, *, parent: str | None = None) -> d.DepartmentUsage:
        """Admin: a new department, under `parent` or at the top."""
        me = self._allowed(policy.may_manage_taxonomy)

        def body() -> int:
            errors: dict[str, str] = {}
            value = _free_name(errors, name)
            above = _department(parent, "parent") if clean_line(parent or "") else None
            if errors:
                raise ValidationError(errors)
            row = M.Department.create(name=value, parent=above)
            self._audit(me, "add_department", "department", row.id,
                        new={"name": value, "parent": above.name if above else None})
            return row.id

        return _usages([M.Department.get_by_id(self._tx(body))])[0]

    @api
    def rename_department(self, old: str, new: str) -> d.DepartmentUsage:
        """Admin: rename a department; saved searches filtering on the old name follow."""
        return self.edit_department(old, name=new)

    @api
    def set_department_parent(self, name: str, parent: str | None) -> d.DepartmentUsage:
        """Admin: put a department under `parent` (None or "": at the top), refusing
        a parent that sits below it, which would make the tree a loop."""
        return self.edit_department(name, parent=parent)

    @api
    def edit_department(self, department: str, *, name: str | EllipsisType = ...,
                        parent: str | None | EllipsisType = ...) -> d.DepartmentUsage:
        """Admin: rename a department and/or move it under another `parent` (None or
        "": at the top) in one transaction; what is not given stays. A name another
        department has (in any case) and a parent below it (a loop, named) are refused."""
        me = self._allowed(policy.may_manage_taxonomy)

        def body() -> int:
            row = self._lock(M.Department, _department(department).id, "department")
            errors: dict[str, str] = {}
            value = row.name if name is ... else _free_name(errors, name, keep=row)
            above = M.Department.get_or_none(M.Department.id == row.parent_id) if row.parent_id else None
            if parent is not ...:
                above = _department(parent, "parent") if clean_line(parent or "") else None
                if above is not None and above.id == row.id:
                    errors["parent"] = f"{row.name} cannot sit under itself"
                elif (loop := _loop(row, above)) is not None:
                    errors["parent"] = f"{above.name} sits under {row.name}; that would make a loop: {loop}"
            if errors:
                raise ValidationError(errors)
            old = {"name": row.name, "parent": M.Department.get_by_id(row.parent_id).name if row.parent_id else None}
            new = {"name": value, "parent": above.name if above else None}
            changed = [key for key in old if old[key] != new[key]]
            if not changed:
                return row.id
            M.Department.update(name=value, parent=above).where(M.Department.id == row.id).execute()
            searches = M.SavedSearch.update(department=value).where(M.SavedSearch.department == row.name).execute() \
                if value != row.name else 0
            self._audit(me, "edit_department", "department", row.id, old={k: old[k] for k in changed},
                        new={k: new[k] for k in changed}, **({"saved_searches": searches} if searches else {}))
            return row.id

        return _usages([M.Department.get_by_id(self._tx(body))])[0]

    @api
    def merge_departments(self, source: str, into: str) -> d.DepartmentUsage:
        """Admin: merge `source` into `into` in one transaction: its people, postings,
        key roles, sub-departments and saved-search filters move to `into`, then it
        goes. When `into` sits below `source`, it first takes `source`'s place in the
        tree, so no loop forms."""
        me = self._allowed(policy.may_manage_taxonomy)

        def body() -> int:
            first, second = _department(source), _department(into, "into")
            if first.id == second.id:
                raise ValidationError({"into": f"{first.name} cannot be merged into itself"})
            for pk in sorted((first.id, second.id)):  # one lock order for every merge
                self._lock(M.Department, pk, "department")
            before = _usages([first])[0]
            parents = dict(M.Department.select(M.Department.id, M.Department.parent).tuples())
            if cycle_through(first.id, second.id, parents.get) is not None:  # `into` sits below `source`
                M.Department.update(parent=first.parent_id).where(M.Department.id == second.id).execute()
            M.Department.update(parent=second.id).where(M.Department.parent == first.id,
                                                        M.Department.id != second.id).execute()
            for model in (M.Employee, M.Opportunity, M.KeyRole):
                model.update(department=second.id).where(model.department == first.id).execute()
            M.SavedSearch.update(department=second.name).where(M.SavedSearch.department == first.name).execute()
            M.Department.delete().where(M.Department.id == first.id).execute()
            self._audit(me, "merge_departments", "department", second.id,
                        old={"name": first.name, "parent": before.parent},
                        new={"into": second.name}, moved={one: n for one, _, n in before.counts() if n})
            return second.id

        return _usages([M.Department.get_by_id(self._tx(body))])[0]
