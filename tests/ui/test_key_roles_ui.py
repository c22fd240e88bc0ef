"""Key roles on screen: opened from the capability map with k, each bench behind
enter, names only for those allowed to see them, admins' changes through dialogs,
and p on a candidate opening the post form filled in for their gap."""

from __future__ import annotations

from textual.widgets import Input, Select

from oppmarket.db import models as M
from oppmarket.screens.key_role_dialogs import GapPostingChoice, KeyRoleForm
from oppmarket.screens.key_roles import KeyRoleBenchScreen, KeyRolesScreen
from oppmarket.screens.my_work import MyWorkScreen
from oppmarket.screens.post import PostScreen
from oppmarket.widgets.confirm import ConfirmDialog
from oppmarket.widgets.skill_picker import SkillPicker

from support import SMALL, build_org, notifications, open_app, press, screen_text, started
from support.succession import succession_org


async def open_roles(pilot) -> KeyRolesScreen:
    await press(pilot, "l", "k")
    assert isinstance(pilot.app.screen, KeyRolesScreen)
    return pilot.app.screen


async def test_a_shadowing_posted_from_a_bench_candidate(db):
    succession_org(db)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        await open_roles(pilot)
        text = screen_text(app)
        assert "3 key roles · 1 high risk · 1 with nobody ready now" in text
        assert "Head of Platform Maya Okafor Platform high 1 1 2" in text
        await press(pilot, "enter")
        bench = app.screen
        assert isinstance(bench, KeyRoleBenchScreen)
        text = screen_text(app)
        assert "Bench: Ready now: 1 · One skill short: 1 · Two skills short: 2" in text
        assert "Ready now Eli Brandt Platform —" in text
        assert "One skill short Nora Lindqvist Platform Kubernetes 3/4" in text
        assert "Two skills short Kai Mensah Platform Kubernetes 2/4, Incident response 0/4" in text
        await press(pilot, "down", "down", "p")
        assert isinstance(app.screen, GapPostingChoice)
        await press(pilot, "s")
        form = app.screen
        assert isinstance(form, PostScreen)
        assert form.query_one("#kind", Select).value == "shadowing"
        assert form.query_one("#title", Input).value == "Shadowing Maya Okafor: Kubernetes, Incident response"
        assert form.query_one("#host", Input).value == "maya"
        assert form.query_one("#department", Select).value == "Platform"
        assert form.query_one("#hours", Input).value == "4"
        assert form.query_one("#grows", SkillPicker).value == [("Kubernetes", 4), ("Incident response", 4)]
        await press(pilot, "ctrl+o")
        assert isinstance(app.screen, MyWorkScreen)
    with db.connection_context():
        opp = M.Opportunity.get(M.Opportunity.title == "Shadowing Maya Okafor: Kubernetes, Incident response")
        role = M.KeyRole.get(M.KeyRole.title == "Head of Platform")
        assert (opp.kind, opp.status, opp.host.username, opp.key_role_id, opp.owner.username) == (
            "shadowing", "open", "maya", role.id, "admin")
        assert sorted((s.skill.name, s.level, s.role) for s in opp.skills) == [
            ("Incident response", 4, "grows"), ("Kubernetes", 4, "grows")]


async def test_a_mentorship_takes_the_gap_as_topics_and_nothing_is_posted_until_saved(db):
    succession_org(db)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        await open_roles(pilot)
        await press(pilot, "enter", "down", "p", "m")
        form = app.screen
        assert form.query_one("#kind", Select).value == "mentorship"
        assert form.query_one("#topics", Input).value == "Kubernetes"
        await press(pilot, "escape")
        assert isinstance(app.screen, KeyRoleBenchScreen)
    with db.connection_context():
        assert M.Opportunity.select().count() == 0


async def test_p_waits_for_a_candidate_with_a_gap(db):
    succession_org(db)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        await open_roles(pilot)
        await press(pilot, "enter", "p")  # Eli is ready now: nothing to grow
        assert isinstance(app.screen, KeyRoleBenchScreen)
        assert "Eli Brandt is ready now: there is no gap to grow." in notifications(app)


async def test_a_line_manager_sees_their_reports_and_counts_the_rest(db):
    succession_org(db)
    app = open_app(db, "omar")
    async with started(app) as pilot:
        roles = await open_roles(pilot)
        assert "^n Add" not in screen_text(app) and "x Delete" not in screen_text(app)
        assert not roles.check_action("add", ())
        await press(pilot, "down", "enter")  # Head of Data
        text = screen_text(app)
        assert "Lena Vogt" in text and "Sam Rivera" not in text
        assert "1 more person on this bench is not shown to you" in text


async def test_an_admin_adds_sets_skills_and_removes_a_role(db):
    succession_org(db)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        roles = await open_roles(pilot)
        await press(pilot, "ctrl+n")
        assert isinstance(app.screen, KeyRoleForm)
        await press(pilot, *"Head of People", "tab", *"nobody", "ctrl+s")
        assert "No active person called 'nobody'" in screen_text(app)
        app.screen.query_one("#role-holder", Input).value = "sam"
        await press(pilot, "ctrl+s")
        assert app.screen is roles
        assert roles.current.role.title == "Head of People" and roles.current.role.holder_username == "sam"
        await press(pilot, "ctrl+k", *"SQL", "enter", "ctrl+s")
        assert roles.current.role.skills == (("SQL", 4),)
        assert "Head of People Sam Rivera People" not in screen_text(app)  # no department given
        await press(pilot, "x")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "y")
        assert [s.role.title for s in roles.summaries] == ["Head of Platform", "Head of Data", "Community lead"]


async def test_the_empty_states(db):
    build_org(db, opportunities=0)
    app = open_app(db, "eng1")
    async with started(app, size=SMALL) as pilot:
        await open_roles(pilot)
        assert "No key roles yet — admins add one with ctrl+n." in screen_text(app)


async def test_the_palette_leads_to_the_key_roles(db):
    succession_org(db)
    app = open_app(db, "sam")
    async with started(app) as pilot:
        await press(pilot, "ctrl+p")
        await press(pilot, *"key roles")
        await press(pilot, "enter")
        assert isinstance(app.screen, KeyRolesScreen)
        await press(pilot, "down", "down", "enter")
        assert "This role needs no skills yet" in screen_text(app)
