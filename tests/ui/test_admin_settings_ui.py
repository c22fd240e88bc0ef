"""The settings screen: each setting with its value, default and range; e changes
the highlighted one, a value out of range is refused on its field, and a saved value
shows at once and is in the audit log."""

from __future__ import annotations

from textual.widgets import Input

from oppmarket.market import Market
from oppmarket.screens.admin_settings import SettingForm, SettingsAdminScreen

from support import SMALL, build_org, notifications, open_app, opened, press, screen_text, started


async def open_settings(pilot) -> SettingsAdminScreen:
    return await opened(pilot, lambda: pilot.app.push_screen(SettingsAdminScreen()), SettingsAdminScreen)


async def test_an_admin_changes_a_setting_and_a_bad_value_stays_on_its_field(db):
    build_org(db)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        screen = await open_settings(pilot)
        text = screen_text(app)
        assert "Automatic release 5 days 5 1–60" in text
        assert "Idle session timeout 0 minutes (never) 0 0–1440" in text
        assert "Days an accepted offer waits for the line manager's answer" in text
        await press(pilot, "e")
        assert isinstance(app.screen, SettingForm)
        field = app.screen.query_one("#setting-value", Input)
        field.value = ""
        await press(pilot, *"90", "ctrl+s")
        assert isinstance(app.screen, SettingForm)
        assert "Automatic release must be a whole number from 1 to 60 (days)" in screen_text(app)
        assert Market(db, "admin").release_auto_days() == 5
        field.value = ""
        await press(pilot, *"9", "enter")
        assert app.screen is screen
        assert "Automatic release is now 9 days (was 5)." in notifications(app)
        assert "Automatic release 9 days · changed 5 1–60" in screen_text(app)
    [event] = Market(db, "admin").audit_events(action="set_setting").events
    assert (event.actor, event.detail) == ("admin", {"key": "release_auto_days", "old": 5, "new": 9})


async def test_the_highlighted_settings_words_follow_the_cursor(db):
    build_org(db)
    app = open_app(db, "admin")
    async with started(app, size=SMALL) as pilot:
        await open_settings(pilot)
        await press(pilot, "down", "down", "down")
        text = screen_text(app)
        assert "Idle session timeout (session_idle_minutes):" in text
        assert "An idle_minutes in the config file comes first" in text
        await press(pilot, "escape")
        assert not isinstance(app.screen, SettingsAdminScreen)


async def test_someone_who_is_not_an_admin_cannot_edit(db):
    build_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        screen = await open_settings(pilot)
        assert "Automatic release" in screen_text(app)
        assert not screen.check_action("edit", ())
        await press(pilot, "e")
        assert app.screen is screen
        assert "e Edit" not in screen_text(app)
