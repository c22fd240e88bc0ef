"""The admin console: A opens it for an admin, with what each part holds; a part's
number opens the part; anyone else is told it is for admins, and neither help nor the
palette offers it to them."""

from __future__ import annotations

from textual.command import CommandPalette

from oppmarket.screens.admin import AdminScreen
from oppmarket.screens.browse import BrowseScreen
from oppmarket.screens.help import HelpScreen
from oppmarket.screens.key_roles import KeyRolesScreen

from support import build_org, notifications, open_app, press, screen_text, started


async def test_an_admin_opens_the_console_and_a_part_by_its_number(db):
    build_org(db)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        await press(pilot, "A")
        assert isinstance(app.screen, AdminScreen)
        text = screen_text(app)
        # Ada Admin and the three people of the small organisation.
        assert "People 4 active · 0 inactive · 1 admin" in text and "find, add, edit" in text
        assert "Audit log" in text and "Backup" in text
        await press(pilot, "4")
        assert isinstance(app.screen, KeyRolesScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, AdminScreen)
        await press(pilot, "8")
        assert "oppmarket admin backup FILE" in screen_text(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, BrowseScreen)


async def test_an_employee_is_told_the_console_is_for_admins(db):
    build_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await press(pilot, "A")
        assert isinstance(app.screen, BrowseScreen)
        assert any("for admins" in n for n in notifications(app))
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "A" not in {k.key for k in app.screen.keys}


async def test_help_and_the_palette_offer_the_console_to_admins_only(db):
    build_org(db)
    for who, offered in (("admin", True), ("mgr", False)):
        app = open_app(db, who)
        async with started(app) as pilot:
            await press(pilot, "question_mark")
            assert ("Admin" in {k.description for k in app.screen.keys}) is offered, who
            await press(pilot, "escape", "ctrl+p")
            assert isinstance(app.screen, CommandPalette)
            await pilot.press(*"admin")
            await pilot.pause(0.3)
            assert ("Admin console" in screen_text(app)) is offered, who


async def test_every_part_opens_from_its_number_and_escape_comes_back(db):
    from oppmarket.screens.admin import PARTS

    build_org(db)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        await press(pilot, "A")
        for number, part in enumerate(PARTS, 1):
            if not part.screen:
                continue
            await press(pilot, str(number))
            assert type(app.screen).__name__ == part.screen.split(":")[1], part.name
            await press(pilot, "escape")
            assert isinstance(app.screen, AdminScreen), part.name


async def test_the_palette_opens_a_part_of_the_console(db):
    build_org(db)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        await press(pilot, "ctrl+p")
        await pilot.press(*"admin: audit")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "AuditAdminScreen"
        await press(pilot, "escape")
        assert isinstance(app.screen, AdminScreen)
