"""The capability map on screen: opened with l, counted in a worker, narrowed with
real keys, and drilled into — where the people behind a count show only to those
allowed to see them."""

from __future__ import annotations

import threading

from oppmarket.market import Market
from oppmarket.screens.browse import BrowseScreen
from oppmarket.screens.capability_cell import CapabilityCellScreen
from oppmarket.screens.capability_map import CapabilityMapScreen
from oppmarket.screens.help import HelpScreen
from oppmarket.screens.opportunity import OpportunityScreen
from oppmarket.widgets.capability_grid import CapabilityGrid
from oppmarket.widgets.skill_jump import SkillJump

from support import SIZE, SMALL, build_org, notifications, open_app, press, screen_text, started
from support.capability import capability_org


async def open_map(pilot) -> CapabilityMapScreen:
    await press(pilot, "l")
    assert isinstance(pilot.app.screen, CapabilityMapScreen)
    return pilot.app.screen


def spot(screen: CapabilityMapScreen) -> tuple[str, str | None]:
    where = screen.query_one(CapabilityGrid).spot
    return where.row.name, where.column.name if where.column else None


async def test_h_opens_the_map_with_its_figures_and_the_highlighted_skill_in_words(db):
    capability_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await open_map(pilot)
        text = screen_text(app)
        assert "3 skills × 4 departments · largest gap first" in text
        assert "│ No Skill Demand Avail. Gap │ Data Platform Product department" in text
        assert "Python 5 3 2 │ 1 2 ✓1 +1 · 1" in text
        assert "SQL 3 2 1 │ 1 ✓1 · 1 ·" in text
        assert "Kubernetes 0 0 0 │ · 1 · ·" in text
        assert ("Python · every department: 4 people at level 1+ (3 self-declared, 1 endorsed, 0 certified), "
                "1 more stale Company-wide: 5 open seats need it · 3 available · gap 2") in text
        await press(pilot, "escape")
        assert isinstance(app.screen, BrowseScreen)


async def test_the_map_is_counted_in_a_worker_while_a_loading_indicator_shows(db, monkeypatch):
    capability_org(db)
    counting = threading.Event()
    release = threading.Event()
    real = Market.capability_map

    def slow(self, **kwargs):
        counting.set()
        release.wait(10)
        return real(self, **kwargs)

    monkeypatch.setattr(Market, "capability_map", slow)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await pilot.press("l")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CapabilityMapScreen)
        assert counting.wait(5)
        assert screen.query_one("#map-body").loading
        # The app still answers keys while the map is counted.
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        # An order asked for meanwhile is the order the map arrives in.
        await pilot.press("s")
        release.set()
        await press(pilot)
        assert not screen.query_one("#map-body").loading
        assert "3 skills × 4 departments · most demand first" in screen_text(app)


async def test_level_sort_and_jump_with_the_keys(db):
    capability_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        screen = await open_map(pilot)
        await press(pilot, "3")
        text = screen_text(app)
        assert "2 skills × 3 departments" in text and "Python 3 2 1 │" in text and "SQL 0 1 0 │" in text
        await press(pilot, "s")
        assert "most demand first" in screen_text(app)
        await press(pilot, "s")
        assert [r.name for r in screen.shown.rows] == ["Python", "SQL"]
        assert "by name" in screen_text(app)
        await press(pilot, "1", "slash")
        assert isinstance(app.screen, SkillJump)
        await press(pilot, *"k8s")
        assert "Kubernetes (alias k8s)" in screen_text(app)
        await press(pilot, "enter")
        assert app.screen is screen and spot(screen) == ("Kubernetes", None)
        # A skill the map leaves out is named, not silently ignored.
        await press(pilot, "slash", *"docker", "enter")
        assert spot(screen) == ("Kubernetes", None)
        assert any("Docker is not on the map as narrowed (level 1+)" in n for n in notifications(app))


async def test_filters_choose_a_category_and_a_department(db):
    capability_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        screen = await open_map(pilot)
        # Categories: Data, Languages, Platform.
        await press(pilot, "f", "enter", "down", "down", "enter")
        assert screen.view.category == "Languages"
        assert "1 skill × 4 departments" in screen_text(app)
        # Departments: Data, Platform, Product, No department; the figures stay company-wide.
        await press(pilot, "tab", "enter", "down", "down", "enter", "escape")
        assert "1 skill × 1 of 4 departments" in screen_text(app)
        assert "Python 5 3 2 │ 2 ✓1 +1" in screen_text(app)
        await press(pilot, "ctrl+l")
        assert "3 skills × 4 departments" in screen_text(app)


async def test_drill_down_from_a_cell_to_its_opportunities_and_people(db):
    """A line manager sees their own reports behind a cell; enter on an opportunity
    opens it, escape comes back."""
    capability_org(db)
    app = open_app(db, "mgr")
    async with started(app) as pilot:
        screen = await open_map(pilot)
        await press(pilot, "right", "right")
        assert spot(screen) == ("Python", "Platform")
        await press(pilot, "enter")
        cell = app.screen
        assert isinstance(cell, CapabilityCellScreen)
        text = screen_text(app)
        assert ("Python · Platform: 2 people at level 1+ (1 self-declared, 1 endorsed, 0 certified), 1 more stale"
                in text)
        assert "Open opportunities that need it at level 1+: 2" in text
        assert "Reporting revamp Gig Product 3+ 3 of 3 4" in text
        assert "Coding club Volunteer Product 1+ 2 of 2 2" in text
        assert "People you may see: 3" in text
        assert "Maya Manager Platform 4 Advanced self-declared" in text
        assert "Eli Engineer Platform 3 Practitioner endorsed" in text
        assert "Erin Engineer Platform 2 Working certified 2025-01-26 stale" in text
        assert "not shown to you" not in text
        await press(pilot, "enter")
        assert isinstance(app.screen, OpportunityScreen)
        await press(pilot, "escape")
        assert app.screen is cell
        await press(pilot, "escape")
        assert app.screen is screen and spot(screen) == ("Python", "Platform")


async def test_someone_else_sees_the_counts_but_not_the_names(db):
    capability_org(db)
    app = open_app(db, "ana")
    async with started(app, SMALL) as pilot:
        await open_map(pilot)
        await press(pilot, "right", "right", "enter")
        assert isinstance(app.screen, CapabilityCellScreen)
        text = screen_text(app)
        assert "Python · Platform: 2 people at level 1+" in text
        assert "3 people behind this count are not shown to you: only admins, and line managers for" in text
        for name in ("Maya", "Eli", "Erin"):
            assert name not in text


async def test_an_empty_marketplace_says_how_the_map_fills_in(db):
    build_org(db, people=(), skills=(), opportunities=0)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        await open_map(pilot)
        assert "Nobody has claimed a skill yet, and no open opportunity asks for one." in screen_text(app)
        await press(pilot, "enter")  # nothing to drill into
        assert isinstance(app.screen, CapabilityMapScreen)


async def test_the_palette_and_the_help_know_the_map(db):
    capability_org(db)
    app = open_app(db, "eng1")
    async with started(app, SIZE) as pilot:
        await press(pilot, "ctrl+p")
        await press(pilot, *"capability map")
        # The palette searches as it is typed into: pick only once the command is offered.
        assert "Capability map" in screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, CapabilityMapScreen)
        await press(pilot, "question_mark")
        assert "Keys: Capability map" in screen_text(app)
        keys = {(k.section, k.key, k.description) for k in app.screen.keys}
        assert {("On this screen", "f", "Filters"), ("On this screen", "s", "Sort: gap"),
                ("On this screen", "/", "Jump"), ("On this screen", "1-5", "Level"),
                ("On this screen", "esc", "Back"), ("In the map", "⏎", "Drill down"),
                ("Everywhere", "l", "Capability map")} <= keys
