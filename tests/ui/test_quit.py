"""Quitting (q, ctrl+q) never loses unsaved work without asking first."""

from __future__ import annotations

from textual.widgets import Checkbox, Input

from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market
from oppmarket.screens.apply import ApplyScreen
from oppmarket.screens.post import PostScreen
from oppmarket.widgets.confirm import ConfirmDialog

from support import SIZE, build_org, open_app, opened, press, screen_text, settle


async def test_ctrl_q_on_a_post_form_with_a_draft_asks_and_can_stay(db):
    build_org(db, opportunities=0)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "p")
        form = app.screen
        assert isinstance(form, PostScreen)
        await press(pilot, *"Half a thought", "ctrl+q")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Leave without saving?" in screen_text(app)
        await press(pilot, "n")
        assert app.return_code is None  # still running
        assert app.screen is form
        assert form.query_one("#title", Input).value == "Half a thought"

        # q from a field that takes no text is the app's quit key: it asks too.
        form.query_one("#remote", Checkbox).focus()
        await press(pilot, "q")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "y")
        assert app.return_code == 0
    assert Market(db, "eng1").my_postings() == []


async def test_quitting_an_untouched_form_asks_nothing(db):
    build_org(db, opportunities=0)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "p")
        assert isinstance(app.screen, PostScreen)
        await press(pilot, "ctrl+q")
        assert app.return_code == 0


async def test_ctrl_q_with_a_half_written_application_asks_first(db):
    admin = build_org(db, opportunities=0)
    opp = admin.as_user("owner").post(OpportunityDraft(title="Data clinic", hours_per_week=3), publish=True)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        form = await opened(pilot, lambda: app.open_apply(opp.id), ApplyScreen)
        await press(pilot, *"Because I care", "ctrl+q")
        assert isinstance(app.screen, ConfirmDialog)
        assert "The note you wrote to the owner will be lost." in screen_text(app)
        await press(pilot, "n")
        assert app.screen is form and app.return_code is None
        await press(pilot, "ctrl+q", "y")
        assert app.return_code == 0
    assert Market(db, "eng1").my_applications() == []
