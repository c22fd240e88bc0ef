"""The post and edit form, driven by real key presses on a temporary SQLite database."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market
from oppmarket.screens.browse import BrowseScreen
from oppmarket.widgets.confirm import ConfirmDialog
from oppmarket.screens.my_work import MyWorkScreen
from oppmarket.screens.post import PostScreen
from oppmarket.text import clean, clean_line
from oppmarket.widgets.opportunity_table import OpportunityTable
from oppmarket.widgets.skill_picker import SkillPicker, SkillQuery

from support import HOSTILE, SIZE, SMALL, build_org, notifications, open_app, press, screen_text, settle, started

# Control characters a paste could carry: an escape sequence, a bell, a C1 control.
CONTROLS = "\x1b[31m\x07\x9b"


def org(db) -> Market:
    admin = build_org(db, opportunities=1)
    admin.add_skill("Kubernetes", category="Platform", aliases=["k8s"])
    admin.add_skill("Docker", category="Platform")
    return admin


async def open_form(pilot) -> PostScreen:
    await settle(pilot)
    await press(pilot, "p")
    screen = pilot.app.screen
    assert isinstance(screen, PostScreen)
    return screen


async def type_into(pilot, selector: str, text: str) -> None:
    pilot.app.screen.query_one(selector).focus()
    await press(pilot, *text)


def error_of(screen, field: str) -> str:
    static = screen.query_one(f"#{field}-error", Static)
    return str(static.content) if static.display else ""


def shown(screen, selector: str) -> bool:
    """Whether the widget and every container around it are displayed."""
    widget = screen.query_one(selector)
    return all(node.display for node in widget.ancestors_with_self if node is not screen.app)


def picker_query(screen, picker: str) -> SkillQuery:
    return screen.query_one(f"#{picker}", SkillPicker).query_one(SkillQuery)


# ---------------------------------------------------------------------- posting


async def test_post_a_gig_with_skills_and_find_it_in_browse(db):
    org(db)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        assert screen.focused is screen.query_one("#title")
        await pilot.press(*"Move billing to Kubernetes", "tab")
        await pilot.press(*"Two VMs to a Helm chart.")
        # The skill picker: typing an alias offers the skill, enter takes it, and in
        # the list below a digit sets its level.
        picker_query(screen, "required").focus()
        await press(pilot, *"k8s")
        assert "Kubernetes (alias k8s)" in screen_text(app)
        assert "as a new skill" not in screen_text(app)
        await pilot.press("enter")
        await press(pilot, *"pyth")
        await pilot.press("enter", "tab", "4")  # the skill just added is highlighted
        await settle(pilot)
        assert screen.query_one("#required", SkillPicker).value == [("Kubernetes", 3), ("Python", 4)]
        assert "Python 4 Advanced: solves hard problems, guides others" in screen_text(app)
        picker_query(screen, "grows").focus()
        await press(pilot, *"dock", "enter")
        await press(pilot, "ctrl+o")

        assert isinstance(app.screen, MyWorkScreen)
        assert "“Move billing to Kubernetes” is open: everyone can find it and apply." in notifications(app)
        assert "Move billing to Kubernetes" in screen_text(app)

        await press(pilot, "b")
        assert isinstance(app.screen, BrowseScreen)
        if app.screen.view != "all":
            await pilot.press("v")  # from the recommendations to every open opportunity
            await settle(pilot)
        titles = [o.title for o in app.screen.query_one(OpportunityTable).opportunities]
        assert "Move billing to Kubernetes" in titles

    posted = next(o for o in Market(db, "eng1").my_postings() if o.title == "Move billing to Kubernetes")
    assert posted.status == "open" and posted.kind == "gig" and posted.description == "Two VMs to a Helm chart."
    assert {(s.skill, s.level, s.role) for s in posted.skills} == {
        ("Kubernetes", 3, "required"), ("Python", 4, "required"), ("Docker", 2, "grows")}


async def test_save_a_draft_of_each_kind_with_its_own_fields(db):
    org(db)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        # The kind is chosen with keys: the list opens on enter.
        screen.query_one("#kind", Select).focus()
        await press(pilot, "enter", "down", "down", "down", "down", "enter")
        assert screen.query_one("#kind", Select).value == "learning"
        assert shown(screen, "#steps") and not shown(screen, "#host")
        await type_into(pilot, "#title", "Cloud path")
        screen.query_one("#steps", TextArea).focus()
        await pilot.press(*"Basics", "enter", *"Networking")
        await type_into(pilot, "#certification", "Cloud Practitioner")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, MyWorkScreen)
        assert any("saved as a draft" in n for n in notifications(app))

        screen = await open_form(pilot)
        screen.query_one("#kind", Select).value = "shadowing"
        await settle(pilot)
        assert shown(screen, "#host") and not shown(screen, "#steps")
        await type_into(pilot, "#title", "Shadow on-call")
        await type_into(pilot, "#host", "mgr")
        await press(pilot, "ctrl+s")

        screen = await open_form(pilot)
        screen.query_one("#kind", Select).value = "mentorship"
        await settle(pilot)
        await type_into(pilot, "#title", "Mentor an analyst")
        await type_into(pilot, "#topics", "SQL style")
        await press(pilot, "ctrl+s")

    mine = {o.title: o for o in Market(db, "eng1").my_postings()}
    assert mine["Cloud path"].kind == "learning" and mine["Cloud path"].status == "draft"
    assert mine["Cloud path"].steps == ("Basics", "Networking")
    assert mine["Cloud path"].certification == "Cloud Practitioner"
    assert mine["Shadow on-call"].host_username == "mgr"
    assert mine["Mentor an analyst"].topics == "SQL style"


async def test_a_new_skill_is_offered_only_when_nothing_close_exists(db):
    org(db)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        picker_query(screen, "required").focus()
        for close in ("k8s", "pytho", "Dockr"):
            await press(pilot, *close)
            assert "as a new skill" not in screen_text(app), close
            picker_query(screen, "required").value = ""
        await press(pilot, *"Quantum basket weaving")
        assert "+ Add “Quantum basket weaving” as a new skill" in screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "y")
        assert app.screen is screen
        assert screen.query_one("#required", SkillPicker).value == [("Quantum basket weaving", 3)]
    assert Market(db, "eng1").resolve_skill("quantum basket weaving").name == "Quantum basket weaving"


async def test_chosen_skills_change_level_and_go_with_keys(db):
    org(db)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        picker_query(screen, "required").focus()
        await press(pilot, *"py")
        await press(pilot, "enter", *"sql")
        await pilot.press("enter", *"py")  # a skill already listed is not listed twice
        await settle(pilot)
        await press(pilot, "enter")
        assert "Python is already listed." in notifications(app)
        picker = screen.query_one("#required", SkillPicker)
        assert picker.value == [("Python", 3), ("SQL", 3)]
        await pilot.press("tab", "5", "down", "1")
        assert picker.value == [("Python", 5), ("SQL", 1)]
        await pilot.press("x")
        assert picker.value == [("Python", 5)]


# ---------------------------------------------------------------------- validation


async def test_every_invalid_field_is_marked_and_nothing_is_saved(db):
    org(db)
    app = open_app(db, "eng1")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_form(pilot)
        screen.query_one("#hours", Input).value = "-3"
        screen.query_one("#seats", Input).value = "0"
        screen.query_one("#start", Input).value = "2026-05-01"
        screen.query_one("#end", Input).value = "2026-04-01"
        await press(pilot, "ctrl+o")
        assert isinstance(app.screen, PostScreen)
        assert error_of(screen, "title") == "Title must not be empty"
        assert error_of(screen, "hours_per_week") == "Hours per week must be between 1 and 40"
        assert error_of(screen, "seats") == "Seats must be between 1 and 500"
        assert error_of(screen, "end") == "End must not be before start"
        assert error_of(screen, "start") == ""
        for selector in ("#title", "#hours", "#seats", "#end"):
            assert screen.query_one(selector).has_class("-invalid"), selector
        assert not screen.query_one("#start").has_class("-invalid")
        assert screen.focused is screen.query_one("#title")  # the first to fix
        assert "Not saved: 4 fields to fix." in notifications(app)
        assert "Title must not be empty" in screen_text(app)

        # Fixing them one by one: a message goes as soon as its field is right.
        screen.query_one("#title", Input).value = "Fine title"
        screen.query_one("#hours", Input).value = "1000"
        await press(pilot, "ctrl+o")
        assert error_of(screen, "title") == ""
        assert error_of(screen, "hours_per_week") == "Hours per week must be between 1 and 40"
        assert not screen.query_one("#title").has_class("-invalid")
    assert Market(db, "eng1").my_postings() == []


async def test_a_fields_message_goes_once_the_field_is_edited(db):
    org(db)
    app = open_app(db, "eng1")
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_form(pilot)
        screen.query_one("#hours", Input).value = "-3"
        await press(pilot, "ctrl+o")
        assert error_of(screen, "title") == "Title must not be empty"
        assert error_of(screen, "hours_per_week") == "Hours per week must be between 1 and 40"
        assert error_of(screen, "form") == "Not saved: 2 fields to fix."

        await press(pilot, *"Fine title")  # the title has the focus, as the first to fix
        assert error_of(screen, "title") == ""
        assert not screen.query_one("#title").has_class("-invalid")
        assert error_of(screen, "hours_per_week") == "Hours per week must be between 1 and 40"
        assert error_of(screen, "form") == "Not saved: 2 fields to fix."

        await type_into(pilot, "#hours", "4")
        assert error_of(screen, "hours_per_week") == ""
        assert error_of(screen, "form") == ""
    assert Market(db, "eng1").my_postings() == []


@pytest.mark.parametrize(("field", "value", "message"), [
    ("#title", "x" * 10_000, "Title must be at most 200 characters (it has 10000)"),
    ("#start", "next week", "Start must be a date like 2026-12-31"),
    ("#hours", "0", "Hours per week must be between 1 and 40"),
    ("#seats", "501", "Seats must be between 1 and 500"),
])
async def test_one_bad_field_is_refused_with_its_message(db, field, value, message):
    org(db)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        if field != "#title":
            screen.query_one("#title", Input).value = "A title"
        screen.query_one(field, Input).value = value  # as a paste would
        await press(pilot, "ctrl+s")
        name = {"#hours": "hours_per_week"}.get(field, field[1:])
        assert error_of(screen, name) == message
        assert isinstance(app.screen, PostScreen)
    assert Market(db, "eng1").my_postings() == []


async def test_unknown_host_and_department_are_named(db):
    org(db)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        screen.query_one("#kind", Select).value = "shadowing"
        screen.query_one("#title", Input).value = "Shadow"
        screen.query_one("#host", Input).value = HOSTILE
        await press(pilot, "ctrl+s")
        assert error_of(screen, "host") == f"No person called {HOSTILE!r}"
        assert f"No person called {HOSTILE!r}" in screen_text(app)  # literally, not as markup


async def test_markup_and_control_characters_are_stored_stripped_and_shown_literally(db):
    org(db)
    hostile = HOSTILE + CONTROLS
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        screen.query_one("#kind", Select).value = "learning"
        await settle(pilot)
        for selector in ("#title", "#location", "#certification"):
            screen.query_one(selector, Input).value = hostile
        screen.query_one("#description", TextArea).load_text(f"{hostile}\nsecond line")
        screen.query_one("#steps", TextArea).load_text(f"{hostile}\n{HOSTILE}")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, MyWorkScreen)
        await press(pilot, "2")
        text = screen_text(app)
        assert clean_line(hostile) in text  # the title, as typed but for the controls
        await pilot.click("#posting-detail")  # a link would quit the app
        await pilot.pause()
        assert app.is_running

        screen = await open_form(pilot)
        screen.query_one("#kind", Select).value = "mentorship"
        await settle(pilot)
        screen.query_one("#title", Input).value = "Mentoring"
        screen.query_one("#topics", Input).value = hostile
        await press(pilot, "ctrl+s")

    mine = {o.kind: o for o in Market(db, "eng1").my_postings()}
    learning = mine["learning"]
    assert learning.title == clean_line(hostile) == HOSTILE + "[31m"
    assert learning.description == clean(f"{hostile}\nsecond line")
    assert learning.location == learning.certification == clean_line(hostile)
    assert learning.steps == (clean_line(hostile), HOSTILE)
    assert mine["mentorship"].topics == clean_line(hostile)
    for value in (learning.title, learning.description, mine["mentorship"].topics):
        assert not any(c in value for c in "\x1b\x07\x9b")


# ---------------------------------------------------------------------- leaving


async def test_leaving_with_unsaved_changes_asks_first(db):
    org(db)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_form(pilot)
        await press(pilot, *"Half a thought", "escape")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Leave without saving?" in screen_text(app)
        await press(pilot, "n")
        assert app.screen is screen
        assert screen.query_one("#title", Input).value == "Half a thought"

        # A global key from a field that is not a text field asks too.
        screen.query_one("#remote", Checkbox).focus()
        await press(pilot, "m")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "y")
        assert isinstance(app.screen, MyWorkScreen)
    assert Market(db, "eng1").my_postings() == []


async def test_leaving_an_untouched_form_asks_nothing(db):
    org(db)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        await open_form(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, BrowseScreen)


# ---------------------------------------------------------------------- editing


async def test_edit_a_posting_from_my_work(db):
    admin = org(db)
    eng = admin.as_user("eng1")
    posted = eng.post(OpportunityDraft(kind="learning", title="Docs path", hours_per_week=3, seats=4,
                                       skills=[("Python", 2, "required")], steps=["Read", "Write"],
                                       certification="Docs writer"), publish=True)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await press(pilot, "m", "2")
        await press(pilot, "e")
        screen = app.screen
        assert isinstance(screen, PostScreen) and screen.opportunity_id == posted.id
        assert screen.query_one("#title", Input).value == "Docs path"
        assert screen.query_one("#steps", TextArea).text == "Read\nWrite"
        assert screen.query_one("#required", SkillPicker).value == [("Python", 2)]
        assert "Edit: Docs path (open)" in screen_text(app)
        assert not shown(screen, "#publish")  # an open posting stays open
        assert not screen.unsaved
        await pilot.press("end", *" and style")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, MyWorkScreen)
        assert "Saved your changes to “Docs path and style”." in notifications(app)
    edited = Market(db, "eng1").opportunity(posted.id)
    assert edited.title == "Docs path and style" and edited.status == "open"
    assert edited.steps == ("Read", "Write") and edited.seats == 4


async def test_editing_keeps_what_the_form_does_not_show(db):
    from oppmarket.db import models as M

    admin = org(db)
    with db.connection_context():
        role = M.KeyRole.create(title="Head of Data", risk="high").id
    mentoring = admin.as_user("eng1").post(OpportunityDraft(
        kind="mentorship", title="Succession mentoring", topics="Roadmaps", key_role_id=role), publish=True)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        app.open_post(mentoring.id)
        await settle(pilot)
        app.screen.query_one("#topics", Input).value = "Roadmaps, hiring"
        await press(pilot, "ctrl+s")
    edited = Market(db, "eng1").opportunity(mentoring.id)
    assert edited.topics == "Roadmaps, hiring" and edited.key_role_id == role


async def test_publish_a_draft_from_its_edit_form(db):
    admin = org(db)
    draft = admin.as_user("eng1").post(OpportunityDraft(title="Not yet"))
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        app.open_post(draft.id)
        await settle(pilot)
        assert shown(app.screen, "#publish")
        await press(pilot, "ctrl+o")
    assert Market(db, "eng1").opportunity(draft.id).status == "open"


async def test_someone_elses_posting_cannot_be_edited(db):
    admin = org(db)
    theirs = admin.as_user("owner").my_postings()[0]
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        app.open_post(theirs.id)
        await settle(pilot)
        assert not isinstance(app.screen, PostScreen)
        assert "only the owner (owner) may do that to this posting" in notifications(app)
