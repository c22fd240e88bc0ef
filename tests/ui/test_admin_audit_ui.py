"""The audit log screen: newest first, more rows as the cursor reaches the end,
filters (a bad date named on its field), ctrl+l clearing them, one event in full
with old -> new, an export of the filtered view, and nobody but admins reading it."""

from __future__ import annotations

import json

from textual.widgets import Input, Select

from oppmarket.domain import AuditFilter
from oppmarket.market import Market
from oppmarket.screens.admin_audit import PAGE, AuditAdminScreen
from oppmarket.screens.admin_audit_dialogs import AuditEventDialog, AuditExportForm, AuditFilterForm
from oppmarket.widgets.confirm import ConfirmDialog

from support import build_org, notifications, open_app, opened, press, screen_text, started


async def open_log(pilot) -> AuditAdminScreen:
    return await opened(pilot, lambda: pilot.app.push_screen(AuditAdminScreen()), AuditAdminScreen)


def toggle(admin: Market, times: int) -> None:
    for _ in range(times):
        admin.set_setting("release_auto_days", 11 if admin.release_auto_days() == 10 else 10)


async def test_more_rows_load_as_the_cursor_reaches_the_end(db):
    admin = build_org(db)
    toggle(admin, PAGE + 20)
    total = len(admin.audit_log(limit=1000))
    app = open_app(db, "admin")
    async with started(app) as pilot:
        screen = await open_log(pilot)
        assert len(screen.events) == PAGE
        assert f"Newest first · {PAGE} events shown, more below · no filters (f)" in screen_text(app)
        assert screen.events[0].action == "set_setting"
        toggle(admin, 3)  # recorded while the admin reads: above the list, not in it twice
        await press(pilot, "ctrl+end")
        assert len(screen.events) == total
        ids = [e.id for e in screen.events]
        assert ids == sorted(set(ids), reverse=True)
        assert f"{total} events shown · no filters" in screen_text(app)


async def test_filters_a_bad_date_on_its_field_and_ctrl_l_clears(db):
    admin = build_org(db)
    admin.set_setting("default_cap_pct", 30)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        screen = await open_log(pilot)
        everything = len(screen.events)
        await press(pilot, "f")
        form = app.screen
        assert isinstance(form, AuditFilterForm)
        form.query_one("#filter-action", Select).value = "set_setting"
        form.query_one("#filter-since", Input).value = "2026-13-01"
        await press(pilot, "ctrl+s")
        assert app.screen is form
        assert "'2026-13-01' is not a date: write YYYY-MM-DD" in screen_text(app)
        form.query_one("#filter-since", Input).value = "2026-03-01"
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        assert [e.action for e in screen.events] == ["set_setting"]
        assert "filters: set_setting · from 2026-03-01" in screen_text(app)
        await press(pilot, "f")
        app.screen.query_one("#filter-actor", Input).value = "nobody"
        await press(pilot, "ctrl+s")
        assert "No events match these filters — ctrl+l clears them." in screen_text(app)
        await press(pilot, "ctrl+l")
        assert len(screen.events) == everything


async def test_enter_shows_one_event_with_old_and_new(db):
    admin = build_org(db)
    admin.set_setting("session_idle_minutes", 15)
    app = open_app(db, "admin")
    async with started(app) as pilot:
        await open_log(pilot)
        await press(pilot, "enter")
        assert isinstance(app.screen, AuditEventDialog)
        text = screen_text(app)
        assert "Who: admin (identified by os-login)" in text
        assert "Did: set_setting on setting" in text
        assert "session_idle_minutes 0 → 15" in text
        await press(pilot, "escape")
        assert isinstance(app.screen, AuditAdminScreen)


async def test_ctrl_s_exports_the_filtered_view_and_asks_before_replacing(db, tmp_path):
    admin = build_org(db)
    admin.set_setting("default_cap_pct", 30)
    target = tmp_path / "log.json"
    app = open_app(db, "admin")
    async with started(app) as pilot:
        screen = await open_log(pilot)
        screen.filter = AuditFilter(action="set_setting")
        await press(pilot, "f5")
        await press(pilot, "ctrl+s")
        form = app.screen
        assert isinstance(form, AuditExportForm)
        form.query_one("#export-format", Select).value = "json"
        await pilot.pause()
        assert form.query_one("#export-path", Input).value.endswith(".json")
        form.query_one("#export-path", Input).value = str(target)
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        assert f"Exported 1 event(s) to {target}." in notifications(app)
        [row] = json.loads(target.read_text())
        assert row["detail"] == {"key": "default_cap_pct", "old": 20, "new": 30}
        target.write_text("keep")
        await press(pilot, "ctrl+s")
        app.screen.query_one("#export-path", Input).value = str(target)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "n")
        assert target.read_text() == "keep"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "y")
        assert app.screen is screen
        assert target.read_text().startswith("id,at,actor,identified_by,action")  # CSV, as the form chose


async def test_no_export_in_an_ssh_session(db):
    build_org(db)
    app = open_app(db, "admin", remote=True)
    async with started(app) as pilot:
        screen = await open_log(pilot)
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        assert any("off in an SSH session" in n for n in notifications(app))


async def test_someone_who_is_not_an_admin_is_told_and_shown_nothing(db):
    build_org(db)
    app = open_app(db, "mgr")
    async with started(app) as pilot:
        screen = await open_log(pilot)
        assert screen.events == []
        assert "only an admin may read the audit log" in " ".join(notifications(app))
        assert "The audit log is for admins: only an admin may read the audit log." in screen_text(app)
        assert not screen.check_action("filters", ())
