"""The insights screen: z opens it, the figures are counted in a worker, the period
and the section change with real keys, and a line manager sees their own reports."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Select, TabbedContent

from oppmarket.screens.browse import BrowseScreen
from oppmarket.screens.insights import InsightsScreen

from support import Clock, NOW, build_org, open_app, press, screen_text, started
from support.insights import REASON, insights_org


async def test_z_opens_the_figures_and_keys_change_period_and_section(db):
    clock = Clock(NOW)
    insights_org(db, clock)
    app = open_app(db, "admin", clock=clock)
    async with started(app) as pilot:
        await press(pilot, "z")
        screen = app.screen
        assert isinstance(screen, InsightsScreen)
        text = screen_text(app)
        assert "Insights · the whole company (7 people)" in text
        assert "2 of 7 people took part (29%): 2 engagements, 0.29 per person." in text
        await press(pilot, "3")
        assert screen.query_one(TabbedContent).active == "tab-ledger"
        text = screen_text(app)
        assert "3 requests: 2 released, 1 declined" in text and REASON in text
        assert "Maya Manager" in text and "Omar Owner" in text
        # d steps through the periods: a year (the default), all time, then 30 days.
        assert screen.query_one("#insights-period", Select).value == 365
        await press(pilot, "d")
        assert screen.query_one("#insights-period", Select).value == 0
        assert "all time up to" in screen_text(app)
        await press(pilot, "d")
        assert screen.query_one("#insights-period", Select).value == 30
        assert screen.counted.period.since.date() == clock.now.date() - dt.timedelta(days=29)
        await press(pilot, "escape")
        assert isinstance(app.screen, BrowseScreen)


async def test_a_line_manager_sees_their_reports_without_other_departments_names(db):
    clock = Clock(NOW)
    insights_org(db, clock)
    app = open_app(db, "mgr", clock=clock)
    async with started(app) as pilot:
        await press(pilot, "z", "3")
        text = screen_text(app)
        assert "Insights · your 2 direct reports" in text
        assert "You: 2 requests: 1 released, 1 declined" in text
        assert "Omar Owner" not in text and "Olga Analyst" not in text


async def test_an_empty_period_says_so(db):
    build_org(db, opportunities=0)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await press(pilot, "z")
        assert "Nothing of yours happened in this period" in screen_text(app)
