"""The release queue of a line manager: release, decline with a reason, raise a cap,
and the automatic release of an undecided request, with the clock injected."""

from __future__ import annotations

from textual.widgets import DataTable

from oppmarket.domain import OpportunityDraft
from oppmarket.lifecycle import AppStatus
from oppmarket.market import Market
from oppmarket.screens.releases import ReleasesScreen, time_left
from oppmarket.widgets.confirm import ConfirmDialog
from oppmarket.widgets.prompt import TextPrompt

from support import (
    NOW, SIZE, SMALL, Clock, build_org, notifications, open_app, opened, press, screen_text, settle, staff, started,
)


def two_offers(db, ticking: Clock | None = None) -> tuple[Market, int, int]:
    """'owner' offers a 4 h/week gig to eng1 and, an hour later, a 3 h/week one to
    eng2, both reports of 'mgr', and each accepts at once. Returns the admin's market and the two application ids."""
    ticking = ticking or Clock(NOW)
    admin = build_org(db, clock=ticking, joiners=staff("eng2"), opportunities=0)
    owner = admin.as_user("owner")
    gig = owner.post(OpportunityDraft(title="Payments tracing", hours_per_week=4, start="2026-03-16",
                                      end="2026-05-29"), publish=True)
    talk = owner.post(OpportunityDraft(title="Conference talk", hours_per_week=3), publish=True)
    first = admin.as_user("eng1").apply(gig.id, "Tracing is what I want to learn").application_id
    second = admin.as_user("eng2").apply(talk.id).application_id
    owner.offer(first)
    admin.as_user("eng1").accept(first)
    ticking.advance(hours=1)
    owner.offer(second)
    admin.as_user("eng2").accept(second)
    return admin, first, second


async def open_queue(pilot) -> ReleasesScreen:
    """The queue, opened the way `t` opens it (where the focus does not take letters)."""
    return await opened(pilot, lambda: pilot.app.action_go("releases"), ReleasesScreen)


def status(db, app_id: int) -> str:
    return Market(db, "admin").application(app_id).status


async def test_the_queue_shows_what_a_manager_needs_to_decide(db):
    two_offers(db)
    app = open_app(db, "mgr")
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot)
        text = screen_text(app)
        assert "2 offers waiting for your release" in text
        assert "released automatically after 5 days: silence is not a veto" in text
        for expected in ("Eli Engineer", "Payments tracing", "2026-03-16 → 2026-05-29", "4/8 h",
                         "Erin Engineer", "Conference talk", "3/8 h", "5 days left"):
            assert expected in text
        # The highlighted request in full.
        assert "4 of 8 h/week committed (cap 20% of 40 h), this offer included" in text
        assert "released automatically on 2026-03-07 09:00 unless you decide: 5 days left" in text
        assert "owner Omar Owner (owner)" in text


async def test_the_palette_opens_the_queue(db):
    two_offers(db)
    app = open_app(db, "mgr")
    async with started(app) as pilot:
        await press(pilot, "ctrl+p")
        await press(pilot, *"release queue")
        await press(pilot, "enter")
        assert isinstance(app.screen, ReleasesScreen)
        assert "2 offers waiting for your release" in screen_text(app)


async def test_release_one_and_decline_one_with_a_reason(db):
    _, first, second = two_offers(db)
    app = open_app(db, "mgr")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_queue(pilot)
        table = screen.query_one(DataTable)
        assert screen.highlighted.application.id == first
        await press(pilot, "r", "y")
        assert status(db, first) == "active"
        assert "Released Eli Engineer for 'Payments tracing'; they and the owner are told" in notifications(app)
        assert table.row_count == 1

        await press(pilot, "x")
        assert isinstance(app.screen, TextPrompt)
        assert "Decline the release of Erin Engineer" in screen_text(app)
        await pilot.press("enter")  # no reason: refused next to the field
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        assert "a reason is required to decline a release" in str(app.screen.query_one("#prompt-error").content)
        assert status(db, second) == "accepted"

        await press(pilot, *"Quarter-end close", "enter")
        assert isinstance(app.screen, ReleasesScreen)
        assert "Declined the release of Erin Engineer for 'Conference talk'" in notifications(app)
        assert "Nothing is waiting for your release." in screen_text(app)

    declined = Market(db, "admin").application(second)
    assert (declined.status, declined.release_reason) == ("release_declined", "Quarter-end close")
    assert Market(db, "eng2").notifications()[0].text == \
        "Your manager declined your time for 'Conference talk': Quarter-end close"
    assert Market(db, "eng1").notifications()[0].text.startswith("Your manager released your time")


async def test_raise_a_report_s_cap(db):
    two_offers(db)
    app = open_app(db, "mgr")
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot)
        await press(pilot, "ctrl+t")
        assert isinstance(app.screen, TextPrompt)
        assert "Eli Engineer: 4 of 8 h/week committed (cap 20% of 40 h)" in screen_text(app)
        await press(pilot, "ctrl+u", *"150", "enter")
        assert "time cap % must be between 0 and 100" in str(app.screen.query_one("#prompt-error").content)
        await press(pilot, "ctrl+u", *"30", "enter")
        assert isinstance(app.screen, ReleasesScreen)
        assert "Eli Engineer's cap is now 30% (12 h/week)" in notifications(app)
        assert "4/12 h" in screen_text(app)
    assert Market(db, "eng1").whoami().cap_pct == 30


async def test_set_a_report_s_weekly_hours(db):
    two_offers(db)
    app = open_app(db, "mgr")
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot)
        await press(pilot, "h")
        assert isinstance(app.screen, TextPrompt)
        assert "Weekly hours of Eli Engineer" in screen_text(app)
        await press(pilot, "ctrl+u", *"0", "enter")
        assert "weekly hours must be between" in str(app.screen.query_one("#prompt-error").content)
        await press(pilot, "ctrl+u", *"30", "enter")
        assert isinstance(app.screen, ReleasesScreen)
        assert "Eli Engineer now works 30 h/week; their cap is 6 h/week" in notifications(app)
    assert Market(db, "eng1").whoami().weekly_hours == 30
    assert "30 h/week" in Market(db, "eng1").notifications()[0].text


async def test_an_undecided_request_is_released_automatically(db):
    ticking = Clock(NOW)
    _, first, second = two_offers(db, ticking)  # the clock is now an hour on
    app = open_app(db, "mgr", clock=ticking)
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot)
        assert "4 days left" in screen_text(app) and "5 days left" in screen_text(app)

        ticking.advance(days=4, hours=11)
        await pilot.press("2")  # the queue again: it reads the clock each time
        await settle(pilot)
        text = screen_text(app)
        assert "12 h left" in text and "13 h left" in text

        await pilot.press("r", "y")  # decide on the first one only
        await settle(pilot)
        ticking.advance(hours=13)  # the other's deadline
        await press(pilot, "2")
        assert "1 offer was released automatically: no decision came in time" in notifications(app)
        assert "Nothing is waiting for your release." in screen_text(app)

    auto = Market(db, "admin").application(second)
    assert (auto.status, auto.release_automatic, auto.released_by) == ("active", True, None)
    decided = Market(db, "admin").application(first)
    assert (decided.status, decided.release_automatic, decided.released_by) == ("active", False, "mgr")
    assert Market(db, "eng2").notifications()[0].text == \
        "Your time for 'Conference talk' was released automatically (no decision within the deadline): you can start"
    assert Market(db, "mgr").notifications()[0].text == \
        "Erin Engineer's release for 'Conference talk' was granted automatically: no decision was made in time"
    assert Market(db, "owner").notifications()[0].text == \
        "Erin Engineer was released automatically for 'Conference talk'"


async def test_a_restart_after_the_deadline_releases_automatically(db):
    ticking = Clock(NOW)
    _, first, second = two_offers(db, ticking)
    ticking.advance(days=6)
    app = open_app(db, "eng1", clock=ticking)  # whoever starts the app
    async with started(app):
        pass  # starting is what grants the overdue releases
    assert status(db, first) == status(db, second) == "active"
    assert Market(db, "admin").application(first).release_automatic


async def test_no_reports_no_requests(db):
    two_offers(db)
    app = open_app(db, "eng1")
    async with app.run_test(size=SMALL) as pilot:
        await open_queue(pilot)
        text = screen_text(app)
        assert "Nobody reports to you, so no release requests come to you." in text
        await pilot.press("r")  # nothing to release: nothing happens
        await settle(pilot)
        assert not any("Could not" in n for n in notifications(app))


async def test_a_manager_with_nothing_waiting(db):
    build_org(db)
    app = open_app(db, "mgr")
    async with app.run_test(size=SMALL) as pilot:
        await open_queue(pilot)
        assert "Nothing is waiting for your release." in screen_text(app)


def test_time_left_wording():
    assert time_left(NOW.replace(day=7), NOW) == "5 days left"
    assert time_left(NOW.replace(day=3, hour=8), NOW) == "23 h left"
    assert time_left(NOW.replace(hour=9, minute=30), NOW) == "1 h left"
    assert time_left(NOW, NOW) == "due now"
    assert time_left(None, NOW) == "—"


async def test_r_asks_before_it_releases_and_no_leaves_the_offer_waiting(db):
    _, first, _ = two_offers(db)
    app = open_app(db, "mgr")
    async with app.run_test(size=SIZE) as pilot:
        await open_queue(pilot)
        await press(pilot, "r")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Release Eli Engineer's time?" in screen_text(app)
        await press(pilot, "n")
        assert isinstance(app.screen, ReleasesScreen)
        assert status(db, first) == AppStatus.ACCEPTED  # still waiting for the release
        await press(pilot, "f5")  # reload is not r: still nothing released
        assert status(db, first) == AppStatus.ACCEPTED
