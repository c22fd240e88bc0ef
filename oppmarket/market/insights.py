"""Company-level figures: the capability map of skills by departments, and what lies
behind each of its cells.

Every figure is counted in SQL, grouped, in a fixed number of queries however many
people and opportunities there are; `oppmarket.capability` turns the counts into the
map, applying the time-cap rule of `policy` to each group of people."""

from __future__ import annotations

from collections.abc import Iterator

from peewee import JOIN, Case, Tuple, fn

from oppmarket import capability, policy
from oppmarket import domain as d
from oppmarket.capability import CapabilityMap, CellCount, CellDetail, Contract, Holder, SeatCount
from oppmarket.db import models as M
from oppmarket.errors import NotFound, ValidationError
from oppmarket.lifecycle import OppStatus
from oppmarket.market import records
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import int_field

DETAIL_OPPORTUNITIES = 200
"""At most this many opportunities behind one cell are listed (all are counted)."""
DETAIL_PEOPLE = 300
"""At most this many people behind one cell are listed (all are counted)."""


class InsightsMixin(MarketCore):
    """What the company can do and where it is thin."""

    @api
    def capability_map(self, *, level: int | str = 1, category: str | None = None,
                       sort: str = "gap") -> CapabilityMap:
        """Skills by departments: in each cell the people holding the skill at `level`
        or above, by source, stale claims apart; per skill the open seats that need it,
        the people available for them and the gap (see `oppmarket.capability`).
        Anyone in the marketplace may see the counts."""
        self._me()
        level = self._map_level(level)
        if sort not in capability.SORTS:
            raise ValidationError({"sort": f"sort must be one of {', '.join(capability.SORTS)}"})
        categories = tuple(r[0] for r in M.Skill.select(M.Skill.category).distinct()
                           .order_by(M.Skill.category).tuples())
        category = self._map_category(category, categories)
        skills = M.Skill.select(M.Skill.id, M.Skill.name, M.Skill.category)
        if category is not None:
            skills = skills.where(M.Skill.category == category)
        departments = M.Department.select(M.Department.id, M.Department.name)
        return capability.build_map(
            level=level, category=category, categories=categories, sort=sort,
            skills=self._rows(skills), departments=self._rows(departments),
            cells=self._cell_counts(level, category), seats=self._seat_counts(level, category),
        )

    @api
    def capability_detail(self, skill_id: int, *, department: int | None = None,
                          level: int | str = 1) -> CellDetail:
        """What lies behind one cell of the map: `department` is a department's id,
        `capability.NO_DEPARTMENT` for people in none, or None for the whole row. The
        counts are for everyone; the people only where `policy.may_see_skill_holder`
        lets the actor see them; the open opportunities that need the skill for anyone."""
        me, actor = self._me_person()
        level = self._map_level(level)
        skill = M.Skill.get_or_none(M.Skill.id == skill_id)
        if skill is None:
            raise NotFound(f"skill {skill_id} does not exist")
        department_name = None
        if department not in (None, capability.NO_DEPARTMENT):
            row = M.Department.get_or_none(M.Department.id == department)
            if row is None:
                raise NotFound(f"department {department} does not exist")
            department_name = row.name
        elif department == capability.NO_DEPARTMENT:
            department_name = capability.NO_DEPARTMENT_NAME

        rows = list(self._holder_rows(skill.id, department, level))
        now = self.clock()
        cell = capability.tally((r["source"], d.is_stale(r["confirmed_at"], now)) for r in rows)
        refusals = [policy.may_see_skill_holder(actor, r["username"], r["manager_username"]) for r in rows]
        shown = [r for r, why in zip(rows, refusals) if why is None]
        holders = sorted((self._holder(r, now) for r in shown),
                         key=lambda h: (h.stale, not h.available, -h.level, h.display_name.casefold(), h.username))
        hidden = len(rows) - len(shown)
        opportunities, total = self._needing(skill.id, level)
        return CellDetail(
            skill_id=skill.id, skill=skill.name, category=skill.category, department=department_name,
            level=level, cell=cell, holders=tuple(holders[:DETAIL_PEOPLE]), visible=len(holders), hidden=hidden,
            why_hidden=next((why for why in refusals if why is not None), None),
            opportunities=tuple(opportunities), opportunities_total=total,
            demand=sum(s.count * max(0, s.seats - s.taken) for s in self._seat_counts(level, None, skill.id)),
            available=sum(c.available for c in self._cell_counts(level, None, skill.id)),
        )

    # ------------------------------------------------------------------ checks

    @staticmethod
    def _map_level(level: int | str) -> int:
        errors: dict[str, str] = {}
        value = int_field(errors, "level", level, capability.LEVELS[0], capability.LEVELS[-1], "level")
        if errors:
            raise ValidationError(errors)
        return value

    @staticmethod
    def _map_category(category: str | None, categories: tuple[str, ...]) -> str | None:
        """The category as the taxonomy spells it, whatever its case."""
        if category is None or not category.strip():
            return None
        folded = category.strip().casefold()
        found = next((c for c in categories if c.casefold() == folded), None)
        if found is None:
            known = ", ".join(categories) or "none yet"
            raise ValidationError({"category": f"no category called {category.strip()!r} (there are: {known})"})
        return found

    # ------------------------------------------------------------------ the counts

    def _rows(self, query) -> Iterator[tuple]:
        """Plain tuples straight from the cursor, a batch at a time: these are ids, names
        and counts with nothing for the model layer to convert, and a large company has
        tens of thousands of them. Batches keep the thread from holding the interpreter
        for long, so the screen that asked stays quick to answer keys meanwhile."""
        cursor = self.db.execute(query)
        while batch := cursor.fetchmany(500):
            yield from batch

    @staticmethod
    def _claims(level: int, category: str | None, skill_id: int | None = None):
        """Claims of active people at `level` or above, of `category` or of one skill."""
        query = (M.EmployeeSkill.select().join(M.Employee)
                 .where(M.Employee.active == True, M.EmployeeSkill.level >= level))  # noqa: E712
        if skill_id is not None:
            query = query.where(M.EmployeeSkill.skill == skill_id)
        if category is not None:
            query = query.join_from(M.EmployeeSkill, M.Skill).where(M.Skill.category == category)
        return query

    def _cell_counts(self, level: int, category: str | None, skill_id: int | None = None) -> list[CellCount]:
        """One row per skill and department: a conditional count per source of the
        fresh claims, one of the stale ones, and one of the fresh ones whose holder's
        contract leaves time. Which contracts do is `capability.with_time`'s call, made
        on the few contracts there are rather than on every person."""
        held = records.commitments().alias("held")
        committed = fn.COALESCE(held.c.hours, 0)
        contracts = (M.Employee.select(M.Employee.weekly_hours, M.Employee.cap_pct, committed).distinct()
                     .join(held, JOIN.LEFT_OUTER, on=(held.c.person == M.Employee.id))
                     .where(M.Employee.active == True))  # noqa: E712
        free = [(c.weekly_hours, c.cap_pct, c.committed)
                for c in capability.with_time(Contract(*row) for row in self._rows(contracts))]
        fresh = M.EmployeeSkill.confirmed_at >= d.stale_before(self.clock())

        def count(condition):
            return fn.SUM(Case(None, [(condition, 1)], 0))

        query = (self._claims(level, category, skill_id)
                 .select(M.EmployeeSkill.skill, M.Employee.department,
                         *(count(fresh & (M.EmployeeSkill.source == source)) for source in d.SKILL_SOURCES),
                         count(~fresh),
                         count(fresh & Tuple(M.Employee.weekly_hours, M.Employee.cap_pct, committed).in_(free)))
                 .join_from(M.Employee, held, JOIN.LEFT_OUTER, on=(held.c.person == M.Employee.id))
                 .group_by(M.EmployeeSkill.skill, M.Employee.department))
        return [CellCount(*row) for row in self._rows(query)]

    @staticmethod
    def _open_needs(level: int, category: str | None = None, skill_id: int | None = None):
        """Required skills of open opportunities at `level` or above, each with the
        seats its opportunity has and holds."""
        held = records.seats_held().alias("held")
        query = (M.OpportunitySkill.select().join(M.Opportunity)
                 .join_from(M.Opportunity, held, JOIN.LEFT_OUTER, on=(held.c.opportunity == M.Opportunity.id))
                 .where(M.Opportunity.status == OppStatus.OPEN, M.OpportunitySkill.role == "required",
                        M.OpportunitySkill.level >= level))
        if skill_id is not None:
            query = query.where(M.OpportunitySkill.skill == skill_id)
        if category is not None:
            query = query.join_from(M.OpportunitySkill, M.Skill).where(M.Skill.category == category)
        return query, fn.COALESCE(held.c.seats, 0)

    def _seat_counts(self, level: int, category: str | None, skill_id: int | None = None) -> list[SeatCount]:
        query, taken = self._open_needs(level, category, skill_id)
        query = (query.select(M.OpportunitySkill.skill, M.Opportunity.seats, taken, fn.COUNT(M.OpportunitySkill.id))
                 .group_by(M.OpportunitySkill.skill, M.Opportunity.seats, taken))
        return [SeatCount(*row) for row in self._rows(query)]

    # ------------------------------------------------------------------ behind a cell

    @staticmethod
    def _holder_rows(skill_id: int, department: int | None, level: int):
        """Everyone behind a cell, with their manager's username (for the policy) and
        the hours their offers and engagements hold: one query."""
        Manager = M.Employee.alias("manager")
        held = records.commitments().alias("held")
        query = (InsightsMixin._claims(level, None, skill_id)
                 .select(M.EmployeeSkill.level, M.EmployeeSkill.source, M.EmployeeSkill.confirmed_at,
                         M.Employee.username, M.Employee.display_name, M.Employee.title,
                         M.Employee.weekly_hours, M.Employee.cap_pct, M.Employee.department.alias("department_id"),
                         M.Department.name.alias("department_name"), Manager.username.alias("manager_username"),
                         fn.COALESCE(held.c.hours, 0).alias("committed"))
                 .join_from(M.Employee, M.Department, JOIN.LEFT_OUTER)
                 .join_from(M.Employee, Manager, JOIN.LEFT_OUTER, on=(M.Employee.manager == Manager.id))
                 .join_from(M.Employee, held, JOIN.LEFT_OUTER, on=(held.c.person == M.Employee.id)))
        if department == capability.NO_DEPARTMENT:
            query = query.where(M.Employee.department.is_null())
        elif department is not None:
            query = query.where(M.Employee.department == department)
        return query.dicts()

    @staticmethod
    def _holder(row: dict, now) -> Holder:
        stale = d.is_stale(row["confirmed_at"], now)
        committed = int(row["committed"])
        left = max(0.0, policy.cap_hours(row["weekly_hours"], row["cap_pct"]) - committed)
        return Holder(
            username=row["username"], display_name=row["display_name"], title=row["title"],
            department=row["department_name"], level=row["level"], source=row["source"],
            confirmed_at=row["confirmed_at"], stale=stale, hours_left=left,
            available=not stale and capability.is_available(committed, row["weekly_hours"], row["cap_pct"]),
        )

    def _needing(self, skill_id: int, level: int) -> tuple[list[d.Opportunity], int]:
        """The open opportunities that require the skill at `level` or above, most
        seats left first (newest first among equals), and how many there are in all."""
        query, taken = self._open_needs(level, skill_id=skill_id)
        total = query.count()
        ids = [r[0] for r in query.select(M.Opportunity.id)
               .order_by((M.Opportunity.seats - taken).desc(), M.Opportunity.id.desc())
               .limit(DETAIL_OPPORTUNITIES).tuples()]
        rows = {r.id: r for r in M.Opportunity.select().where(M.Opportunity.id.in_(ids))}
        found = {o.id: o for o in records.opportunities(list(rows.values()))}
        return [found[i] for i in ids], total
