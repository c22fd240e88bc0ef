"""Snapshots of the admins' settings and audit log, on the small organisation with a
few settings changed, on a fixed clock.

Update with `pytest snapshots/test_admin_audit_snapshots.py --snapshot-update`, then
look at every changed SVG.
"""

from __future__ import annotations

from oppmarket.screens.admin_audit import AuditAdminScreen
from oppmarket.screens.admin_settings import SettingsAdminScreen

from support import SIZE, SMALL, build_org, open_app, press, settle


def changed_org(db):
    admin = build_org(db)
    admin.set_setting("release_auto_days", 9)
    admin.set_setting("session_idle_minutes", 30)
    admin.as_user("mgr").set_cap("eng1", 30)
    return admin


def opening(screen_class, *keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.push_screen(screen_class())
        await settle(pilot)
        if keys:
            await press(pilot, *keys)

    return run_before


def test_settings(snap_compare, db):
    changed_org(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SIZE, run_before=opening(SettingsAdminScreen, "down"))


def test_settings_small(snap_compare, db):
    changed_org(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SMALL, run_before=opening(SettingsAdminScreen))


def test_audit_log(snap_compare, db):
    changed_org(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SIZE, run_before=opening(AuditAdminScreen))


def test_audit_log_small(snap_compare, db):
    changed_org(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SMALL, run_before=opening(AuditAdminScreen))


def test_audit_event(snap_compare, db):
    changed_org(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SIZE, run_before=opening(AuditAdminScreen, "enter"))


def test_audit_event_small(snap_compare, db):
    changed_org(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SMALL,
                        run_before=opening(AuditAdminScreen, "down", "enter"))
