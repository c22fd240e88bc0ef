"""Snapshots of the app's screens on fixed data with a fixed clock.

Update with `pytest snapshots --snapshot-update`, then look at every changed SVG.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from types import SimpleNamespace

import pytest
from textual.widgets import Input

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


def small_company(db) -> None:
    """A handful of people and one opportunity of every kind."""
    admin = Market(db, "admin", clock=clock)
    admin.register_self("Ada Admin")
    admin.add_person("maya", "Maya Okafor", title="Engineering Manager", department="Platform")
    admin.add_person("eli", "Eli Brandt", title="Software Engineer", department="Platform", manager="maya")
    admin.add_person("omar", "Omar Haddad", title="Product Lead", department="Product")
    admin.add_person("lena", "Lena Vogt", title="Data Analyst", department="Data", manager="omar")
    admin.add_person("sam", "Sam Rivera", title="People Partner", department="People")
    for name, category, aliases in (
        ("Python", "Languages", ["py"]), ("SQL", "Data", []), ("Kubernetes", "Platform", ["k8s"]),
        ("Docker", "Platform", []), ("Terraform", "Platform", []), ("Data visualisation", "Data", []),
        ("Public speaking", "Communication", []), ("Event planning", "Communication", []),
        ("Incident response", "Platform", []), ("AWS", "Cloud", []),
    ):
        admin.add_skill(name, category=category, aliases=aliases)
    omar, maya, lena, sam = (admin.as_user(u) for u in ("omar", "maya", "lena", "sam"))
    maya.post(OpportunityDraft(
        kind="learning", title="Cloud practitioner path", department="Platform", hours_per_week=3,
        seats=10, description="Six weeks from zero to the internal cloud certification.",
        skills=[("AWS", 2, "grows"), ("Terraform", 1, "grows")],
        steps=["Cloud basics", "Networking", "Infrastructure as code"], certification="Cloud Practitioner"),
        publish=True)
    maya.post(OpportunityDraft(
        kind="shadowing", title="Shadow an on-call shift", department="Platform", hours_per_week=4,
        description="Sit with the on-call engineer for a week of shifts and see incidents handled live.",
        skills=[("Incident response", 2, "grows")], host="eli", start="2026-03-23", end="2026-03-27"),
        publish=True)
    sam.post(OpportunityDraft(
        kind="volunteering", title="Organise the spring hackathon", department="People", hours_per_week=3,
        seats=4, remote=False, location="Berlin office",
        description="Plan two days of hacking for 150 people: venue, themes, judges and food.",
        skills=[("Event planning", 2, "required"), ("Public speaking", 2, "grows")]), publish=True)
    lena.post(OpportunityDraft(
        kind="mentorship", title="Mentor a new data analyst", department="Data", hours_per_week=2,
        description="An hour a week with a new analyst, for a quarter.", topics="SQL style, dashboards",
        skills=[("SQL", 4, "required"), ("Data visualisation", 3, "required"), ("Public speaking", 2, "grows")]),
        publish=True)
    omar.post(OpportunityDraft(
        kind="gig", title="Fix the [bold]flaky[/] checkout tests", department="Product", hours_per_week=2,
        description="Our checkout suite fails one run in five. Find out why and make it boring again.",
        skills=[("Python", 3, "required")]), publish=True)
    maya.post(OpportunityDraft(
        kind="gig", title="Migrate the billing service to Kubernetes", department="Platform",
        hours_per_week=6, seats=2, start="2026-03-16", end="2026-05-29",
        description=("Billing still runs on two hand-built VMs. Move it to our Kubernetes platform "
                     "with a proper Helm chart, health checks and a rollback plan.\n\n"
                     "You will pair with the platform team twice a week."),
        skills=[("Kubernetes", 3, "required"), ("Docker", 2, "required"), ("Python", 2, "required"),
                ("Terraform", 2, "grows")]), publish=True)


async def settle(pilot, rounds: int = 8) -> None:
    for _ in range(rounds):
        await asyncio.gather(*(worker.wait() for worker in list(pilot.app.workers)), return_exceptions=True)
        await pilot.pause()


def test_first_run(snap_compare, db):
    app = make_app(db, "newcomer", can_switch_user=True, clock=clock)
    assert snap_compare(app, terminal_size=WIDE, run_before=settle)


def test_first_run_small(snap_compare, db):
    app = make_app(db, "newcomer", can_switch_user=True, clock=clock)
    assert snap_compare(app, terminal_size=SMALL, run_before=settle)


def test_persona_picker_after_the_demo(snap_compare, db, monkeypatch):
    def load_demo(self, *, employees=None, opportunities=None, progress=None):
        small_company(self.db)
        progress("done", 1, 1)
        return SimpleNamespace(engineer="eli", owner="omar", line_manager="maya", admin="admin")

    monkeypatch.setattr(Market, "load_demo", load_demo)
    app = make_app(db, "newcomer", can_switch_user=True, clock=clock)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_browse(snap_compare, db):
    small_company(db)
    app = make_app(db, "eli", can_switch_user=True, clock=clock)
    assert snap_compare(app, terminal_size=WIDE, run_before=settle)


def test_browse_small(snap_compare, db):
    small_company(db)
    app = make_app(db, "eli", clock=clock)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_browse_empty(snap_compare, db):
    Market(db, "admin", clock=clock).register_self("Ada Admin")
    app = make_app(db, "admin", clock=clock)
    assert snap_compare(app, terminal_size=SMALL, run_before=settle)


def test_no_profile(snap_compare, db):
    small_company(db)
    app = make_app(db, "newcomer", can_switch_user=True, clock=clock)

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.press("enter")  # an empty name: the message shows next to the field
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_help(snap_compare, db):
    small_company(db)
    app = make_app(db, "eli", clock=clock)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)
