"""A realistic demo organisation, and scale data for benchmarks.

`generate` builds the whole organisation as plain records (one dict per row, keyed by
the model's field names, with explicit ids so rows can reference each other without a
round trip) from `random.Random(seed)`, so the same seed and `now` always give the
same rows. `load_demo` writes them through `oppmarket.db.bulk`.

The organisation respects the marketplace's invariants, checked with the rules of
`oppmarket.policy`: per opportunity, offered plus active applications never exceed
its seats; per person, the hours of offered plus active applications stay within
their time cap; nobody applies to their own posting, and nobody applies twice to
the same one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
from collections.abc import Callable
from dataclasses import dataclass

from oppmarket.demo.applications import Applications
from oppmarket.demo.exposure import Exposures
from oppmarket.demo.inbox import Inbox
from oppmarket.demo.opportunities import Opportunities
from oppmarket.demo.outcomes import Outcomes
from oppmarket.demo.people import People
from oppmarket.demo.plans import GROWS, REQUIRED
from oppmarket.demo.searches import SavedSearches
from oppmarket.demo.skills import Skills
from oppmarket.errors import ValidationError

Progress = Callable[[str, int, int], None]

MIN_EMPLOYEES = 60
MIN_OPPORTUNITIES = 60


@dataclass(frozen=True)
class DemoSummary:
    """What a demo load created, and the usernames of people worth stepping into."""

    departments: int
    employees: int
    skills: int
    opportunities: int
    applications: int
    engineer: str  # an IC engineer with strong matches and a few applications
    owner: str  # a manager whose open posting has applicants waiting for review
    line_manager: str  # a manager with a report's offer waiting for release
    admin: str


@dataclass(frozen=True)
class DemoOrganisation:
    """The generated rows, table by table in insert order (parents first)."""

    tables: tuple[tuple[str, list[dict]], ...]
    summary: DemoSummary

    def rows(self, table: str) -> list[dict]:
        """The rows of one table, e.g. rows("opportunity")."""
        return dict(self.tables)[table]


class DemoBuilder(People, Skills, Opportunities, Applications, Outcomes, Inbox, Exposures, SavedSearches):
    """One organisation, built stage by stage (see `generate` for the order)."""

    def result(self) -> DemoOrganisation:
        def numbered(rows: list[dict]) -> list[dict]:
            for i, row in enumerate(rows, start=1):
                row["id"] = i
            return rows

        claims = numbered([self.claims[key] for key in sorted(self.claims)])
        opp_skills = []
        for opp in self.opps:
            for skill, level in opp["_required"]:
                opp_skills.append({"opportunity": opp["id"], "skill": skill, "level": level, "role": REQUIRED})
            for skill in opp["_grows"]:
                opp_skills.append({"opportunity": opp["id"], "skill": skill, "level": 2, "role": GROWS})
        audit = [{
            "id": 1, "actor": None, "identified_by": "system",  # no person loads it
            "action": "load_demo", "object_type": "database", "object_id": None,
            "detail": json.dumps({"seed": self.seed, "employees": len(self.people), "skills": len(self.skills),
                                  "opportunities": len(self.opps), "applications": len(self.apps),
                                  "scale": self.scaled}, sort_keys=True),
            "at": self.now,
        }]
        tables = (
            ("department", self.departments),
            ("employee", self.rows_people),
            ("skill", self.skills),
            ("skill_alias", self.aliases),
            ("employee_skill", claims),
            ("interest", numbered(self.interests)),
            ("key_role", self.key_roles),
            ("key_role_skill", numbered(self.key_role_skills)),
            ("opportunity", self.opps),
            ("opportunity_skill", numbered(opp_skills)),
            ("learning_step", self.steps),
            ("application", self.apps),
            ("step_progress", numbered(self.progress_rows)),
            ("endorsement", numbered(self.endorsements)),
            ("core_work_answer", numbered(self.core_work)),
            ("notification", self.notifications),
            ("exposure", self.exposures),
            ("saved_search", self.saved_searches),
            ("audit_event", audit),
        )
        username = {key: self.rows_people[pid - 1]["username"] for key, pid in self.personas.items()}
        summary = DemoSummary(
            departments=len(self.departments), employees=len(self.people), skills=len(self.skills),
            opportunities=len(self.opps), applications=len(self.apps), **username,
        )
        return DemoOrganisation(tables, summary)


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector. Building and writing millions of row
    dicts otherwise triggers full collections over the whole growing heap again
    and again; none of these rows form cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _naive_utc(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        now = dt.datetime.now(dt.UTC)
    if now.tzinfo is not None:
        now = now.astimezone(dt.UTC).replace(tzinfo=None)
    return now.replace(microsecond=0)


def _check_sizes(employees: int | None, opportunities: int | None) -> None:
    errors = {}
    if employees is not None and (isinstance(employees, bool) or not isinstance(employees, int)
                                  or employees < MIN_EMPLOYEES):
        errors["employees"] = f"employees must be a whole number of at least {MIN_EMPLOYEES}"
    if opportunities is not None and (isinstance(opportunities, bool) or not isinstance(opportunities, int)
                                      or opportunities < MIN_OPPORTUNITIES):
        errors["opportunities"] = f"opportunities must be a whole number of at least {MIN_OPPORTUNITIES}"
    if errors:
        raise ValidationError(errors)


def generate(*, employees: int | None = None, opportunities: int | None = None,
             now: dt.datetime | None = None, seed: int = 7, progress: Progress | None = None) -> DemoOrganisation:
    """Build the demo organisation in memory, without touching a database.

    With no sizes it is the hand-shaped demo (about 250 people and 300
    opportunities); with sizes it is the same shape at that scale, with a skill
    taxonomy grown up to 15,000 entries. The same arguments always give the same
    rows. `now` is naive UTC "today" for every date (default: the current time).
    """
    _check_sizes(employees, opportunities)
    builder = DemoBuilder(employees=employees, opportunities=opportunities, now=_naive_utc(now), seed=seed)
    steps = (builder.build_departments, builder.build_skills, builder.build_people, builder.choose_personas,
             builder.build_profiles, builder.build_key_roles, builder.build_opportunities, builder.build_steps,
             builder.build_applications, builder.build_outcomes, builder.build_notifications,
             builder.build_exposures, builder.build_saved_searches)
    with _gc_paused():
        for done, step in enumerate(steps, start=1):
            step()
            if progress:
                progress("planning", done, len(steps))
        return builder.result()


def load_demo(db, *, employees: int | None = None, opportunities: int | None = None,
              progress: Progress | None = None, now: dt.datetime | None = None, seed: int = 7) -> DemoSummary:
    """Generate the demo organisation and write it into the empty database `db`.

    `progress(stage, done, total)` is called as work advances: first the
    "planning" stage, then one stage per kind of row written ("people",
    "opportunities", ...). Raises Conflict if the database already holds people or
    opportunities. Returns the counts and the usernames of the personas.
    """
    from oppmarket.db import bulk

    with _gc_paused():
        organisation = generate(employees=employees, opportunities=opportunities, now=now, seed=seed,
                                progress=progress)
        bulk.write_rows(db, organisation.tables, progress=progress)
        return organisation.summary
