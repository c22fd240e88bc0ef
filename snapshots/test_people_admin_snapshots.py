"""Snapshots of the admins' people screen and its deactivation dialog, on the small
company of the snapshots (tests/support/org.py: `small_company`) with a fixed clock.

Update with `pytest snapshots/test_people_admin_snapshots.py --snapshot-update`, then
look at every changed SVG.
"""

from __future__ import annotations

from oppmarket.screens.admin_people import PeopleAdminScreen

from support import SIZE, SMALL, open_app, press, settle, small_company


def people_then(*keys: str):
    """A snapshot's run_before: open the people screen, then press `keys`."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.push_screen(PeopleAdminScreen())
        await settle(pilot)
        await press(pilot, *keys)

    return run_before


def test_people(snap_compare, db):
    small_company(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SIZE, run_before=people_then("down"))


def test_people_small(snap_compare, db):
    small_company(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SMALL, run_before=people_then())


def test_people_found(snap_compare, db):
    small_company(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SMALL, run_before=people_then("slash", *"platfrm"))


def test_people_deactivating(snap_compare, db):
    """Maya owns postings and manages Eli: each needs a decision."""
    small_company(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SIZE,
                        run_before=people_then("slash", *"maya", "enter", "x"))
