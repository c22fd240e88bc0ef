"""The shapes of the demo's data tables, and the helpers that keep the tables short.

A table writes a list of names as one string, "Python|SQL|Go", and skills with the
level they ask for as "Python:3|SQL:2"; the helpers here turn them into tuples.
"""

from __future__ import annotations

from dataclasses import dataclass

from oppmarket.domain import KINDS, SKILL_ROLES, SKILL_SOURCES
from oppmarket.lifecycle import OppStatus

# The words the domain spells once, by name for the tables and the generator.
GIG, MENTORSHIP, VOLUNTEERING, SHADOWING, LEARNING = KINDS
SELF_ASSESSED, ENDORSED, CERTIFIED = SKILL_SOURCES
REQUIRED, GROWS = SKILL_ROLES


@dataclass(frozen=True)
class Role:
    title: str
    seniority: int  # 1 junior, 2 mid, 3 senior
    skills: tuple[str, ...]  # the role's core skills, most central first
    weight: int = 1


@dataclass(frozen=True)
class Team:
    manager_title: str | None  # None: the department's people report to its head
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class DepartmentPlan:
    name: str
    parent: str | None
    head_title: str
    weight: int
    teams: tuple[Team, ...]
    pool: tuple[str, ...]  # skills common in the department beyond the core ones
    fixed: int | None = None  # a headcount that does not grow with the company


@dataclass(frozen=True)
class GigPlan:
    title: str
    description: str
    required: tuple[tuple[str, int], ...]
    grows: tuple[str, ...]


@dataclass(frozen=True)
class ThemePlan:
    title: str
    description: str
    grows: tuple[str, ...]
    required: tuple[tuple[str, int], ...] = ()
    topics: str = ""
    steps: tuple[str, ...] = ()
    certification: str = ""


@dataclass(frozen=True)
class StoryPosting:
    """A posting one of the personas' stories is built on."""

    story: str  # its part in the story: the persona applications look it up by this
    posted_by: str  # "owner": the owner persona; "colleague": a senior engineer; "trainer": L&D
    kind: str
    status: str
    title: str
    description: str
    hours: int
    seats: int
    required: tuple[tuple[str, int], ...]
    grows: tuple[str, ...]
    age_days: int  # how long ago it was posted
    steps: tuple[str, ...] = ()
    certification: str = ""


def pipe_separated(text: str) -> tuple[str, ...]:
    """("Python", "SQL") from "Python|SQL"."""
    return tuple(s.strip() for s in text.split("|"))


def levels(text: str) -> tuple[tuple[str, int], ...]:
    """(("Python", 3), ("SQL", 2)) from "Python:3|SQL:2"; () from ""."""
    return tuple((name.rsplit(":", 1)[0], int(name.rsplit(":", 1)[1])) for name in text.split("|") if name)


def role(title: str, seniority: int, skills: str, weight: int = 1) -> Role:
    return Role(title, seniority, pipe_separated(skills), weight)


def gig(title: str, description: str, required: str, grows: str) -> GigPlan:
    return GigPlan(title, description, levels(required), pipe_separated(grows))


def cohort_title(path: ThemePlan) -> str:
    """A learning path's title as one cohort of it; the generator fills in {cohort}."""
    return f"{path.title} — {{cohort}} cohort"


def story_gig(story: str, posted_by: str, title: str, description: str, hours: int, seats: int, required: str,
              grows: str, age_days: int, status: str = OppStatus.OPEN) -> StoryPosting:
    return StoryPosting(story, posted_by, GIG, status, title, description, hours, seats, levels(required),
                        pipe_separated(grows), age_days)
