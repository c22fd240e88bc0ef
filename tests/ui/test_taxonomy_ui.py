"""The departments and skills admin screens: each list with its usage counts, / to
find, a skill merged by picking the target with a few typed letters after its usage
is shown, retiring that asks first, aliases and departments changed through dialogs."""

from __future__ import annotations

from textual.widgets import Input

from oppmarket.db import models as M
from oppmarket.screens.admin_departments import DepartmentsAdminScreen
from oppmarket.screens.admin_skills import SkillsAdminScreen
from oppmarket.screens.admin_taxonomy_dialogs import DepartmentForm, MergeTargetPicker, SkillAliases
from oppmarket.widgets.confirm import ConfirmDialog

from support import SMALL, build_org, open_app, opened, press, screen_text, started
from support.taxonomy import INTO, SOURCE, taxonomy_org


async def showing(pilot, screen_class):
    """Open `screen_class` as the admin hub does, once it has settled."""
    return await opened(pilot, lambda: pilot.app.push_screen(screen_class()), screen_class)


def rows_using(db, name: str) -> dict[str, int]:
    with db.connection_context():
        skill = M.Skill.get_or_none(M.Skill.name == name)
        if skill is None:
            return {}
        return {model._meta.table_name: model.select().where(model.skill == skill.id).count()
                for model in (M.EmployeeSkill, M.Interest, M.OpportunitySkill, M.Endorsement, M.KeyRoleSkill,
                              M.SkillAlias)}


async def test_a_skill_merged_by_picking_the_target(db):
    taxonomy_org(db)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        screen = await showing(pilot, SkillsAdminScreen)
        text = screen_text(app)
        assert "5 skills · 0 retired · 1 used nowhere" in text
        assert "Container orchestration Platform 3 2 3 1 2 1" in text
        await press(pilot, "slash", *"orch")
        assert [u.skill.name for u in screen.shown] == [SOURCE]
        await press(pilot, "enter", "j")
        assert isinstance(app.screen, MergeTargetPicker)
        await press(pilot, *"kubrnetes")  # a typo is fine
        await press(pilot, "enter")
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)
        text = screen_text(app)
        assert "Merge “Container orchestration” into “Kubernetes”?" in text
        assert "Moves 3 claims, 2 interests, 3 postings, 1 endorsement, 2 key roles, 1 alias," in text
        await press(pilot, "y")
        assert app.screen is screen
        assert "Merged “Container orchestration” into “Kubernetes”." in [n.message for n in app._notifications]
        assert screen.current.skill.name == INTO
        assert "Used by 3 claims, 2 interests, 3 postings, 1 endorsement, 2 key roles, 3 aliases" in screen_text(app)
    assert rows_using(db, SOURCE) == {}
    assert rows_using(db, INTO) == {"employee_skill": 3, "interest": 2, "opportunity_skill": 3, "endorsement": 1,
                                    "key_role_skill": 2, "skill_alias": 3}


async def test_a_merge_answered_no_changes_nothing(db):
    taxonomy_org(db)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        await showing(pilot, SkillsAdminScreen)
        await press(pilot, "j", *"kube", "enter")  # Container orchestration is first
        await press(pilot, "n")
    assert rows_using(db, SOURCE)["employee_skill"] == 3


async def test_retiring_shows_the_usage_and_asks(db):
    taxonomy_org(db)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        screen = await showing(pilot, SkillsAdminScreen)
        await press(pilot, "x")
        assert isinstance(app.screen, ConfirmDialog)
        assert "It stays on 3 claims, 2 interests" in screen_text(app)
        await press(pilot, "y")
        assert screen.current.skill.retired
        assert "Container orchestration Platform 3 2 3 1 2 1 retired" in screen_text(app)
        assert SOURCE not in {h.name for h in app.market.search_skills("orchestration", 5)}
        await press(pilot, "y")  # offered again
        assert not screen.current.skill.retired


async def test_aliases_are_added_and_removed_from_a_skill(db):
    taxonomy_org(db)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        screen = await showing(pilot, SkillsAdminScreen)
        await press(pilot, "down", "enter")  # Docker
        assert isinstance(app.screen, SkillAliases)
        assert "No aliases yet." in screen_text(app)
        await press(pilot, *"containers", "ctrl+n")
        await press(pilot, *"k8s", "ctrl+n")
        assert "'k8s' is already an alias of Kubernetes" in screen_text(app)
        await press(pilot, "tab", "x", "y")
        await press(pilot, "escape")
        assert app.screen is screen
        assert screen.current.skill.aliases == ()
        await press(pilot, "e")
        app.screen.query_one("#skill-name", Input).value = "Docker engine"
        await press(pilot, "ctrl+s")
        assert screen.current.skill.name == "Docker engine" and screen.current.skill.aliases == ("Docker",)


async def test_a_department_is_added_edited_and_a_loop_refused(db):
    taxonomy_org(db)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        screen = await showing(pilot, DepartmentsAdminScreen)
        text = screen_text(app)
        assert "3 departments · 2 at the top" in text
        assert "Platform Engineering 3 1 2 0 1" in text
        await press(pilot, "ctrl+n", *"Data", "ctrl+s")
        assert app.screen is screen and screen.current.name == "Data"
        await press(pilot, "home", "enter")  # Data, first again by name
        assert isinstance(app.screen, DepartmentForm)
        form = app.screen
        form.query_one("#department-parent").value = "Product"
        await press(pilot, "ctrl+s")
        assert screen.current.parent == "Product"
        await press(pilot, "down", "e")  # Engineering under Platform: a loop
        app.screen.query_one("#department-parent").value = "Platform"
        await press(pilot, "ctrl+s")
        assert "Platform sits under Engineering; that would make a loop" in screen_text(app)


async def test_the_empty_states(db):
    build_org(db, skills=(), opportunities=0, people=())
    app = open_app(db, "admin")
    async with started(app, size=SMALL) as pilot:
        await showing(pilot, SkillsAdminScreen)
        assert "No skills yet — add the first with ctrl+n" in screen_text(app)
        await press(pilot, "escape")
        screen = await showing(pilot, DepartmentsAdminScreen)
        assert "No departments yet — add the first with ctrl+n." in screen_text(app)
        await press(pilot, "ctrl+n", *"Platform", "ctrl+s", "slash", *"zzz")
        assert "No department matches “zzz”." in screen_text(app)
        await press(pilot, "escape")
        assert screen.shown and app.screen is screen
