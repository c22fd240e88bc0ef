"""Helpers shared by the Pilot-driven UI tests (tests/test_*.py) and snapshots."""

from __future__ import annotations

import asyncio
import datetime as dt
import io

import pytest
from rich.console import Console

from oppmarket.db.connection import open_database
from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market

NOW = dt.datetime(2026, 3, 2, 9, 0)
SIZE = (120, 36)
SMALL = (80, 24)
HOSTILE = "[bold red]x[/] and [@click=app.quit]q[/]"


def clock() -> dt.datetime:
    return NOW


@pytest.fixture
def db(tmp_path):
    """UI tests run on SQLite only: the backends are covered by the Market tests."""
    database = open_database(f"sqlite:///{tmp_path / 'm.db'}")
    yield database
    database.close()


def build_org(db, opportunities: int = 3) -> Market:
    """A small organisation with `opportunities` open gigs owned by 'owner'; returns
    the admin's market."""
    admin = Market(db, "admin", clock=clock)
    admin.register_self("Ada Admin")
    admin.add_person("mgr", "Maya Manager", title="Engineering Manager", department="Platform")
    admin.add_person("eng1", "Eli Engineer", title="Software Engineer", department="Platform", manager="mgr")
    admin.add_person("owner", "Omar Owner", title="Product Lead", department="Product")
    admin.add_skill("Python", category="Languages", aliases=["py"])
    admin.add_skill("SQL", category="Data")
    owner = admin.as_user("owner")
    for number in range(opportunities):
        owner.post(OpportunityDraft(
            title=f"Gig {number:03d}", description=f"Description of gig {number}.",
            department="Product", hours_per_week=2 + number % 5,
            skills=[("Python", 3, "required"), ("SQL", 2, "grows")]), publish=True)
    return admin


async def settle(pilot, rounds: int = 8) -> None:
    """Let workers finish and their results reach the screen (a start hands over to
    a screen that starts workers of its own)."""
    for _ in range(rounds):
        # A failed or cancelled worker is the app's to report; tests look at the result.
        await asyncio.gather(*(worker.wait() for worker in list(pilot.app.workers)), return_exceptions=True)
        await pilot.pause()


def screen_text(app) -> str:
    """The screen as the user sees it, as plain text with runs of blanks (and the
    line ends of wrapped paragraphs) collapsed to one space."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True,
                      force_terminal=True, color_system="truecolor", legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return " ".join(console.export_text().split())


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]
