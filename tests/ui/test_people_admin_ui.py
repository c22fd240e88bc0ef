"""People on screen, for admins: find someone with /, change them with e (the
manager picked by a few letters), deactivate someone with x once each of their
postings has a new owner, and the refusals shown next to their fields."""

from __future__ import annotations

from textual.widgets import Input

from oppmarket.db import models as M
from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market
from oppmarket.screens.admin_people import PeopleAdminScreen
from oppmarket.screens.admin_people_dialogs import DeactivateForm, PersonForm
from oppmarket.widgets.confirm import ConfirmDialog

from support import STAFF, build_org, fixed_clock, notifications, open_app, opened, press, screen_text, staff


def people_org(db):
    """The test staff; owner has an open gig eng1 applied to, and Olga reports to owner."""
    admin = build_org(db, people=staff(*STAFF), opportunities=0)
    gig = admin.as_user("owner").post(OpportunityDraft(title="Owner's gig", skills=[("SQL", 2, "required")]),
                                      publish=True)
    admin.as_user("eng1").apply(gig.id)
    return gig.id


async def open_people(pilot) -> PeopleAdminScreen:
    return await opened(pilot, lambda: pilot.app.push_screen(PeopleAdminScreen()), PeopleAdminScreen)


async def test_find_a_person_and_edit_their_manager(db):
    people_org(db)
    app = open_app(db, "admin")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_people(pilot)
        assert "7 active · 0 inactive · 1 admin" in screen_text(app)
        await press(pilot, "slash", *"olga")
        assert [e.person.username for e in screen.entries] == ["owned"]
        assert "1 found for “olga”" in screen_text(app)
        await press(pilot, "enter", "e")
        form = app.screen
        assert isinstance(form, PersonForm)
        manager = form.query_one("#person-manager Input", Input)
        manager.value = ""
        manager.focus()
        await press(pilot, *"maya")
        assert "Maya Manager (mgr)" in screen_text(app)
        await press(pilot, "enter")  # takes the one the picker offers
        assert manager.value == "mgr"
        form.query_one("#person-title", Input).value = ""
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        assert "Saved Olga Analyst (owned)." in notifications(app)
        assert screen.current.person.manager_username == "mgr"
        assert "Reports to Maya Manager" in screen_text(app)
        await press(pilot, "escape")  # clears the search
        assert app.screen is screen and len(screen.entries) == 7


async def test_a_loop_is_refused_next_to_the_manager_field(db):
    people_org(db)
    app = open_app(db, "admin")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_people(pilot)
        await press(pilot, "slash", *"maya", "enter", "e")
        form = app.screen
        form.query_one("#person-manager Input", Input).value = "eng1"
        await press(pilot, "ctrl+s")
        assert app.screen is form
        assert "Eng1 cannot manage mgr: that would make a loop, mgr → eng1 → mgr" in screen_text(app)
        await press(pilot, "escape")
        assert app.screen is screen


async def test_deactivate_with_the_posting_handed_over(db):
    gig = people_org(db)
    app = open_app(db, "admin")
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_people(pilot)
        await press(pilot, "slash", *"omar", "enter", "x")
        form = app.screen
        assert isinstance(form, DeactivateForm)
        text = screen_text(app)
        assert "“Owner's gig” (open, 1 in play)" in text and "Reporting to them: Olga Analyst." in text
        await press(pilot, "ctrl+s")  # nothing decided yet
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "y")
        assert app.screen is form
        assert "Name their new manager, or none" not in screen_text(app)  # empty means nobody
        assert "Give each open posting a new owner" not in screen_text(app)
        assert "A reason is needed to cancel 'Owner's gig'" in screen_text(app)
        form.query_one(f"#owner-{gig} Input", Input).value = "eng2"
        form.query_one("#reports-to Input", Input).value = "mgr"
        await press(pilot, "ctrl+s", "y")
        assert app.screen is screen
        assert "Deactivated Omar Owner: their work is handed over." in notifications(app)
        assert "INACTIVE" in screen_text(app) and "y lets them back in" in screen_text(app)
    with db.connection_context():
        owner = M.Employee.get(M.Employee.username == "owner")
        assert not owner.active
        assert M.Opportunity.get_by_id(gig).owner.username == "eng2"
        assert M.Employee.get(M.Employee.username == "owned").manager.username == "mgr"


async def test_a_refusal_below_the_fold_is_scrolled_into_sight(db):
    """At 80×24 the deactivation form is longer than the screen: its first message
    comes into view rather than waiting below."""
    people_org(db)
    owner = Market(db, "owner", clock=fixed_clock)
    for n in range(3):
        owner.post(OpportunityDraft(title=f"Another gig {n}", description="More.", hours_per_week=2), publish=True)
    app = open_app(db, "admin")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_people(pilot)
        await press(pilot, "slash", *"omar", "enter", "x")
        await press(pilot, "ctrl+s", "y")
        assert isinstance(app.screen, DeactivateForm)
        assert "A reason is needed to cancel" in screen_text(app)


async def test_an_employee_sees_nothing_and_changes_nothing(db):
    people_org(db)
    app = open_app(db, "eng2")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_people(pilot)
        await pilot.pause()
        assert "only an admin may add, change or deactivate people" in " ".join(notifications(app))
