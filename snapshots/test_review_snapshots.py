"""Snapshots of reviewing applicants and of the release queue, on fixed data with a
fixed clock.

Update with `pytest snapshots/test_review_snapshots.py --snapshot-update`, then look at
every changed SVG.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from oppmarket.app import make_app
from oppmarket.db.connection import open_database
from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market

NOW = dt.datetime(2026, 3, 2, 9, 0)
WIDE = (120, 36)
SMALL = (80, 24)


def clock() -> dt.datetime:
    return NOW


@pytest.fixture
def db(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'm.db'}")
    yield database
    database.close()


# username, name, title, department, skills, interests, note
APPLICANTS = [
    ("eli", "Eli Brandt", "Software Engineer", "Platform", {"Kubernetes": 4, "Docker": 3, "Python": 3}, ["Terraform"],
     "I run our staging cluster and would like to own a production migration."),
    ("lena", "Lena Vogt", "Data Analyst", "Data", {"Python": 4, "Docker": 2}, ["Kubernetes", "Terraform"],
     "Containers are new to me beyond Docker, but I learn fast and want to grow into platform work."),
    ("ravi", "Ravi Menon", "Site Reliability Engineer", "Platform", {"Kubernetes": 3, "Docker": 3, "Terraform": 3},
     [], "Happy to pair on the Helm chart."),
    ("sofia", "Sofia Almeida", "Backend Engineer", "Payments", {"Python": 3, "Docker": 2, "Kubernetes": 1},
     ["Kubernetes"], "Billing is my team's neighbour; I know its quirks."),
    ("tom", "Tom Becker", "QA Engineer", "Product", {"Python": 2}, [], ""),
    ("yuki", "Yuki Tanaka", "Security Engineer", "Security", {"Kubernetes": 2, "Docker": 3}, ["Terraform"],
     "I would review the network policies as we go."),
]


def review_company(db) -> int:
    """An owner (Maya) with a two-seat gig and six applicants: one offered, one
    declined, the rest waiting. Their line manager is Omar. Returns the gig's id."""
    admin = Market(db, "admin", clock=clock)
    admin.register_self("Ada Admin")
    admin.add_person("maya", "Maya Okafor", title="Engineering Manager", department="Platform")
    admin.add_person("omar", "Omar Haddad", title="Head of Engineering", department="Engineering")
    for name, category in (("Python", "Languages"), ("Kubernetes", "Platform"), ("Docker", "Platform"),
                           ("Terraform", "Platform")):
        admin.add_skill(name, category=category)
    for username, name, title, department, skills, interests, _ in APPLICANTS:
        admin.add_person(username, name, email=f"{username}@example.com", title=title, department=department,
                         manager="omar")
        person = admin.as_user(username)
        for skill, level in skills.items():
            person.set_skill(skill, level)
        person.set_interests(interests)
    maya = admin.as_user("maya")
    gig = maya.post(OpportunityDraft(
        kind="gig", title="Migrate the billing service to Kubernetes", department="Platform",
        hours_per_week=4, seats=2, start="2026-03-16", end="2026-05-29",
        description="Move billing to the Kubernetes platform with a Helm chart and a rollback plan.",
        skills=[("Kubernetes", 3, "required"), ("Docker", 2, "required"), ("Python", 2, "required"),
                ("Terraform", 2, "grows")]), publish=True)
    ids = {}
    for username, *_, note in APPLICANTS:
        ids[username] = admin.as_user(username).apply(gig.id, note).application_id
    maya.offer(ids["ravi"], "Welcome aboard")
    maya.shortlist(ids["eli"])
    maya.decline(ids["tom"], "We need Kubernetes experience this time")
    return gig.id


def release_company(db) -> None:
    """Omar has two reports with offers waiting for his release."""
    review_company(db)
    admin = Market(db, "admin", clock=clock)
    hackathon = admin.post(OpportunityDraft(
        kind="volunteering", title="Organise the spring hackathon", hours_per_week=3, seats=4,
        start="2026-04-01", end="2026-04-30"), publish=True)
    admin.offer(admin.as_user("lena").apply(hackathon.id).application_id)


async def settle(pilot, rounds: int = 8) -> None:
    for _ in range(rounds):
        await asyncio.gather(*(worker.wait() for worker in list(pilot.app.workers)), return_exceptions=True)
        await pilot.pause()


def open_review(opp_id: int, *keys: str):
    async def run_before(pilot):
        await settle(pilot)
        pilot.app.open_review(opp_id)
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before


async def open_releases(pilot):
    await settle(pilot)
    pilot.app.open_releases()
    await settle(pilot)


def test_review(snap_compare, db):
    opp_id = review_company(db)
    app = make_app(db, "maya", clock=clock)
    assert snap_compare(app, terminal_size=WIDE, run_before=open_review(opp_id, "j", "space"))


def test_review_blind(snap_compare, db):
    opp_id = review_company(db)
    app = make_app(db, "maya", clock=clock)
    assert snap_compare(app, terminal_size=WIDE, run_before=open_review(opp_id, "b"))


def test_review_small(snap_compare, db):
    opp_id = review_company(db)
    app = make_app(db, "maya", clock=clock)
    assert snap_compare(app, terminal_size=SMALL, run_before=open_review(opp_id))


def test_review_empty(snap_compare, db):
    review_company(db)
    maya = Market(db, "maya", clock=clock)
    opp = maya.post(OpportunityDraft(title="Write the on-call handbook", hours_per_week=2), publish=True)
    app = make_app(db, "maya", clock=clock)
    assert snap_compare(app, terminal_size=SMALL, run_before=open_review(opp.id))


def test_release_queue(snap_compare, db):
    release_company(db)
    app = make_app(db, "omar", clock=clock)
    assert snap_compare(app, terminal_size=WIDE, run_before=open_releases)


def test_release_queue_small(snap_compare, db):
    release_company(db)
    app = make_app(db, "omar", clock=clock)
    assert snap_compare(app, terminal_size=SMALL, run_before=open_releases)


def test_release_queue_without_reports(snap_compare, db):
    review_company(db)
    app = make_app(db, "maya", clock=clock)
    assert snap_compare(app, terminal_size=SMALL, run_before=open_releases)
