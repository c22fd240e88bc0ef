"""Snapshots of the admin console (the parts have their own).

Update with `pytest snapshots/test_admin_snapshots.py --snapshot-update`, then look at
every changed SVG.
"""

from __future__ import annotations

from support import SIZE, SMALL, build_org, open_app, pressing


def test_admin_console(snap_compare, db):
    build_org(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SIZE, run_before=pressing("A"))


def test_admin_console_small(snap_compare, db):
    build_org(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SMALL, run_before=pressing("A", "8"))
