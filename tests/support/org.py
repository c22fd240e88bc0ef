"""The one builder of test organisations. Every organisation starts the same way, with
Ada Admin registering first (which makes her the admin); the parameters say who and
what comes next, in the order the rows are written."""

from __future__ import annotations

import atexit
import functools
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import peewee

from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market

from support.clock import fixed_clock
from support.roster import COMPANY, COMPANY_POSTINGS, COMPANY_SKILLS, SKILLS, STAFF, Person, Skill


def staff(*usernames: str) -> tuple[Person, ...]:
    return tuple(STAFF[username] for username in usernames)


def gigs(count: int) -> list[tuple[str, OpportunityDraft]]:
    """`count` open gigs owned by 'owner', ask Python 3 and grow SQL, 2 to 6 h/week."""
    return [("owner", OpportunityDraft(
        title=f"Gig {number:03d}", description=f"Description of gig {number}.",
        department="Product", hours_per_week=2 + number % 5,
        skills=[("Python", 3, "required"), ("SQL", 2, "grows")])) for number in range(count)]


def claim(market: Market, person: Person) -> None:
    """`person` claims their skills, then their interests."""
    me = market.as_user(person.username)
    for skill, level in person.skills.items():
        me.set_skill(skill, level)
    if person.interests is not None:
        me.set_interests(list(person.interests))


def hire(admin: Market, people: Iterable[Person]) -> None:
    """Add each person and let them claim their skills before the next one joins."""
    for person in people:
        admin.add_person(person.username, person.name, **person.details())
        claim(admin, person)


def post_all(admin: Market, postings: Iterable[tuple[str, OpportunityDraft]]) -> dict[str, int]:
    """Publish each (poster, draft); returns the ids by title."""
    return {draft.title: admin.as_user(poster).post(draft, publish=True).id for poster, draft in postings}


# Organisations already built in this test process, as copies of their SQLite file
# by what they were built from: building one writes every row through `Market`
# (hundreds of transactions for a long list), while copying the file is one step.
_BUILT: dict[str, Path] = {}


@functools.cache
def _folder() -> Path:
    folder = tempfile.mkdtemp(prefix="oppmarket-orgs-")
    atexit.register(shutil.rmtree, folder, True)
    return Path(folder)


def _keep(db) -> Path:
    """A consistent copy of `db`'s file (SQLite's backup: it does not depend on the
    write-ahead log being folded back), as one self-contained file."""
    kept = _folder() / f"org{len(_BUILT)}.db"
    copy = sqlite3.connect(kept)
    db.connection().backup(copy)
    copy.execute("PRAGMA journal_mode=DELETE")  # the database takes WAL again as it opens it
    copy.close()
    return kept


def _restore(db, kept: Path) -> None:
    db.close()
    for leftover in (f"{db.database}-wal", f"{db.database}-shm"):
        Path(leftover).unlink(missing_ok=True)
    shutil.copyfile(kept, db.database)
    db.connect()


def build_org(
    db,
    *,
    clock: Callable = fixed_clock,
    people: Iterable[Person] = staff("mgr", "eng1", "owner"),
    skills: Iterable[Skill] = SKILLS[:2],
    joiners: Iterable[Person] = (),
    opportunities: int = 3,
) -> Market:
    """An organisation; returns the admin's market. In order: Ada Admin registers, the
    admin adds `people`, then the `skills`; then `people` claim their skills and
    interests; then `joiners` join one by one, each claiming theirs at once; last,
    'owner' publishes `opportunities` gigs (see `gigs`).

    The default is the small organisation of the UI tests: mgr with a report eng1, and
    owner, who posts three gigs that ask for Python and grow SQL."""
    people, skills, joiners = tuple(people), tuple(skills), tuple(joiners)
    # Only on the fixed clock is the same recipe the same database.
    recipe = repr((people, skills, joiners, opportunities)) if (
        clock is fixed_clock and isinstance(db, peewee.SqliteDatabase)) else None
    if recipe in _BUILT:
        _restore(db, _BUILT[recipe])
        return Market(db, "admin", clock=clock)
    admin = _build(db, clock, people, skills, joiners, opportunities)
    if recipe is not None:
        _BUILT[recipe] = _keep(db)
    return admin


def _build(db, clock, people, skills, joiners, opportunities) -> Market:
    admin = Market(db, "admin", clock=clock)
    admin.register_self("Ada Admin")
    for person in people:
        admin.add_person(person.username, person.name, **person.details())
    for skill in skills:
        options = {"category": skill.category} if skill.category is not None else {}
        admin.add_skill(skill.name, aliases=list(skill.aliases), **options)
    for person in people:
        claim(admin, person)
    hire(admin, joiners)
    post_all(admin, gigs(opportunities))
    return admin


def small_company(db) -> dict[str, int]:
    """The snapshots' company: five people under Ada Admin, ten skills and one open
    opportunity of every kind. Returns the opportunities' ids by title."""
    admin = build_org(db, people=COMPANY, skills=COMPANY_SKILLS, opportunities=0)
    return post_all(admin, COMPANY_POSTINGS)
