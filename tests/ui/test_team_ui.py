"""The line manager's team view on `t`: each report's cap and what holds it, the
team's hours, setting a cap or weekly hours there (never below what a report
holds), the release queue as its second part; and the owner warned before an offer
the cap would refuse."""

from __future__ import annotations

from oppmarket.market import Market
from oppmarket.screens.releases import ReleasesScreen
from oppmarket.screens.review import ReviewScreen
from oppmarket.screens.team import TeamScreen
from oppmarket.widgets.prompt import TextPrompt

from support import NOW, SIZE, SMALL, Clock, build_org, notifications, open_app, opened, press, screen_text, settle
from support.team import team_org


def _app(db, who: str = "mgr"):
    clock = Clock(NOW)
    team_org(db, clock)
    return open_app(db, who, clock=clock)


async def open_team(pilot) -> TeamScreen:
    """The team view, opened by its key on the first screen."""
    await settle(pilot)
    await press(pilot, "t")
    assert isinstance(pilot.app.screen, TeamScreen)
    return pilot.app.screen


async def test_t_shows_each_report_and_what_holds_their_time(db):
    app = _app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot)
        text = screen_text(app)
        assert "2 reports · 9 of 16 h/week committed · 1 offer waits for your release (2)" in text
        # Nothing, then 4 h a week from 26 January, 6 from 9 February.
        assert "Hours a week, last 12 weeks ▁▁▁▁▁▁▅▆████ now 6 h Report" in text
        assert "Eli Engineer 20% 8 h 4 h 1 0 Python 4, SQL 2" in text
        assert "Erin Engineer 20% 8 h 5 h 1 1 SQL 3" in text
        # The highlighted report in full.
        assert "Time 4 of 8 h/week committed (cap 20% of 40 h) · 4 h/week left" in text
        assert "Engaged Payments tracing · Gig · 4 h/week" in text

        await press(pilot, "down")
        text = screen_text(app)
        assert "Engaged Data clinic · Gig · 2 h/week" in text
        assert ("Waiting Conference talk · Gig · 3 h/week · released automatically on 2026-03-06 unless you "
                "decide") in text


async def test_a_cap_set_from_the_team_never_goes_below_what_is_held(db):
    app = _app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot)
        await press(pilot, "down", "ctrl+t")  # Erin: 5 h held
        assert isinstance(app.screen, TextPrompt)
        assert "Erin Engineer: 5 of 8 h/week committed (cap 20% of 40 h)" in screen_text(app)
        await press(pilot, "ctrl+u", *"10", "enter")
        error = str(app.screen.query_one("#prompt-error").content)
        assert "Erin Engineer already has 5 h/week committed to offers and engagements" in error
        assert "the cap can go down to 13%" in error
        assert Market(db, "admin").person("eng2").cap_pct == 20

        await press(pilot, "ctrl+u", *"13", "enter")
        assert isinstance(app.screen, TeamScreen)
        assert "Erin Engineer's cap is now 13% (5.2 h/week)" in notifications(app)
        assert "Erin Engineer 13% 5.2 h 5 h" in screen_text(app)
    assert Market(db, "admin").person("eng2").cap_pct == 13


async def test_weekly_hours_set_from_the_team(db):
    app = _app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot)
        await press(pilot, "h")  # Eli: 4 h held at 20 %
        assert "Weekly hours of Eli Engineer" in screen_text(app)
        await press(pilot, "ctrl+u", *"15", "enter")  # 3 h
        assert "at 15 h a week the cap must be 27% or more; raise it first" in \
            str(app.screen.query_one("#prompt-error").content)
        await press(pilot, "ctrl+u", *"30", "enter")
        assert "Eli Engineer now works 30 h/week; their cap is 6 h/week" in notifications(app)
        assert "Eli Engineer 20% 6 h 4 h" in screen_text(app)


async def test_the_release_queue_is_the_team_view_s_second_part(db):
    apps = team_org(db, Clock(NOW))
    app = open_app(db, "mgr")
    async with app.run_test(size=SIZE) as pilot:
        await open_team(pilot)
        await press(pilot, "2")
        assert isinstance(app.screen, ReleasesScreen)
        assert "1 offer waiting for your release" in screen_text(app)
        await press(pilot, "r", "y")
        await press(pilot, "1")
        assert isinstance(app.screen, TeamScreen)
        assert "no offer waiting for your release" in screen_text(app)
        await pilot.click("#team-part-releases")  # the tab, with the mouse
        await settle(pilot)
        assert isinstance(app.screen, ReleasesScreen)
    assert Market(db, "admin").application(apps["Conference talk"]).status == "active"


async def test_someone_nobody_reports_to_sees_why_the_team_is_empty(db):
    app = _app(db, "eng1")
    async with app.run_test(size=SMALL) as pilot:
        await open_team(pilot)
        assert "Nobody reports to you, so you have no team here." in screen_text(app)
        assert "Set cap" not in screen_text(app)  # no key that can do nothing
        await press(pilot, "ctrl+t")
        assert isinstance(app.screen, TeamScreen)


async def test_the_owner_is_warned_before_an_offer_the_cap_would_refuse(db):
    admin = build_org(db)  # owner's gigs: 2, 3 and 4 h/week
    admin.set_cap("eng1", 5)  # 2 h/week
    gig = next(o for o in admin.as_user("owner").my_postings() if o.hours_per_week == 4)
    admin.as_user("eng1").apply(gig.id)
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, lambda: app.open_review(gig.id), ReviewScreen)
        assert "an offer would be refused: it passes their cap unless their line manager raises it" \
            in screen_text(app)
        await press(pilot, "o")
        assert isinstance(app.screen, TextPrompt)
        text = " ".join(str(app.screen.query_one(".dialog-text").content).split())
        assert ("Eli Engineer proposes 4 h/week and has 2 of 2 h/week left under their cap: the offer will be "
                "refused unless their line manager raises the cap first.") in text
        assert "Offer anyway" in screen_text(app)
        await press(pilot, "escape")
    assert Market(db, "admin").applicants(gig.id)[0].status == "applied"
