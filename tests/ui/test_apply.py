"""The apply form: a note, the hours proposed, the time-cap warning, refusals."""

from __future__ import annotations

from textual.widgets import Input, Static, TextArea

from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market
from oppmarket.screens.apply import ApplyScreen
from oppmarket.text import clean

from support import (
    HOSTILE, SIZE, SMALL, build_org, fixed_clock, notifications, open_app, opened, press, screen_text, settle,
)


def posting(db, hours: int = 4, title: str = "Data clinic") -> int:
    admin = build_org(db, opportunities=0)
    return admin.as_user("owner").post(OpportunityDraft(title=title, hours_per_week=hours), publish=True).id


async def open_apply(pilot, opportunity_id: int) -> ApplyScreen:
    return await opened(pilot, lambda: pilot.app.open_apply(opportunity_id), ApplyScreen)


def shown(screen, selector: str) -> str:
    static = screen.query_one(selector, Static)
    return str(static.content) if static.display else ""


async def test_apply_with_a_note_and_the_postings_hours(db):
    opp_id = posting(db, hours=3)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_apply(pilot, opp_id)
        text = screen_text(app)
        assert "Apply: Data clinic" in text
        assert "Gig · Omar Owner (owner) · 3 h/week · 1 of 1 seats left" in text
        assert shown(screen, "#cap-line") == "Your time cap is 8 h/week (20% of 40); 0 committed, 8 left."
        assert screen.query_one("#hours", Input).value == "3"  # the posting's hours
        assert screen.focused is screen.query_one("#note")
        await pilot.press(*"I ran the last one.")
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, ApplyScreen)
        assert ("You applied to “Data clinic”. Omar Owner has been told; follow it in My work (m)."
                in notifications(app))
    [application] = Market(db, "eng1").my_applications()
    assert (application.note, application.hours_per_week, application.status) == ("I ran the last one.", 3, "applied")
    # The owner hears of it at once.
    assert Market(db, "owner").notifications()[0].text == "Eli Engineer applied to 'Data clinic'"


async def test_the_time_cap_warning_shows_before_applying(db):
    opp_id = posting(db, hours=10)
    app = open_app(db, "eng1")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_apply(pilot, opp_id)
        warning = ("10 h/week would take you past your time cap: 0 of 8 h/week are already committed. "
                   "You may apply, but the owner cannot make you an offer until your manager raises your cap.")
        assert shown(screen, "#cap-warning") == warning
        assert "10 h/week would take you past your time cap" in screen_text(app)
        hours = screen.query_one("#hours", Input)
        hours.focus()
        await pilot.press("ctrl+u", "8")
        await pilot.pause()
        assert shown(screen, "#cap-warning") == ""
        await pilot.press("ctrl+u", "9")
        await pilot.pause()
        assert shown(screen, "#cap-warning").startswith("9 h/week would take you past your time cap")
        await pilot.press("enter")  # enter in the hours field applies
        await settle(pilot)
        assert not isinstance(app.screen, ApplyScreen)
        assert any("past your marketplace cap" in n for n in notifications(app))  # the Market's word
    assert Market(db, "eng1").my_applications()[0].hours_per_week == 9


async def test_a_second_application_is_refused_with_the_message(db):
    opp_id = posting(db)
    Market(db, "eng1", clock=fixed_clock).apply(opp_id, "first")
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_apply(pilot, opp_id)
        assert shown(screen, "#apply-earlier") == (
            "You already applied on 2026-03-02 (status: applied). Follow it in My work.")
        await press(pilot, *"again", "ctrl+s")
        assert app.screen is screen
        message = "you already applied to 'Data clinic' (status: applied)"
        assert shown(screen, "#apply-error") == f"Not sent: {message}."
        assert message in notifications(app)
    assert len(Market(db, "eng1").my_applications()) == 1


async def test_own_posting_is_refused_up_front(db):
    opp_id = posting(db)
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_apply(pilot, opp_id)
        assert shown(screen, "#apply-earlier") == "This is your own posting: you cannot apply to it."
        await press(pilot, "ctrl+s")
        assert "you cannot apply to your own posting" in notifications(app)
    assert Market(db, "owner").my_applications() == []


async def test_bad_hours_and_an_overlong_note_are_marked(db):
    opp_id = posting(db)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_apply(pilot, opp_id)
        screen.query_one("#hours", Input).value = "0"
        await press(pilot, "ctrl+s")
        assert shown(screen, "#hours_per_week-error") == "Hours per week must be between 1 and 40"
        assert screen.query_one("#hours").has_class("-invalid")
        screen.query_one("#hours", Input).value = "-2"
        screen.query_one("#note", TextArea).load_text("x" * 10_001)
        await press(pilot, "ctrl+s")
        assert shown(screen, "#note-error") == "Note must be at most 10000 characters"
        assert app.screen is screen
    assert Market(db, "eng1").my_applications() == []


async def test_markup_and_controls_in_the_note_are_stored_stripped_and_shown_literally(db):
    opp_id = posting(db, title=HOSTILE)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_apply(pilot, opp_id)
        assert f"Apply: {HOSTILE}" in screen_text(app)
        screen.query_one("#note", TextArea).load_text(f"{HOSTILE}\x1b[2J\x07")
        await press(pilot, "ctrl+s")
        assert f"You applied to “{HOSTILE}”." in notifications(app)[-1]
        await press(pilot, "m")
        text = screen_text(app)
        assert f"Your note: {HOSTILE}[2J" in text
        assert app.is_running
    assert Market(db, "eng1").my_applications()[0].note == clean(f"{HOSTILE}\x1b[2J\x07") == f"{HOSTILE}[2J"


async def test_escape_leaves_without_applying(db):
    opp_id = posting(db)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        await open_apply(pilot, opp_id)
        await press(pilot, *"maybe", "escape")
        assert not isinstance(app.screen, ApplyScreen)
    assert Market(db, "eng1").my_applications() == []


async def test_a_posting_that_is_gone_is_explained(db):
    opp_id = posting(db)
    Market(db, "owner", clock=fixed_clock).cancel(opp_id)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_apply(pilot, opp_id)
        assert shown(screen, "#apply-earlier") == "This posting is cancelled and takes no applications."
