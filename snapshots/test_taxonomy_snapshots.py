"""Snapshots of the departments and skills taxonomy screens (admins), on the fixed
company of tests/support/taxonomy.py: `taxonomy_org`.

Update with `pytest snapshots/test_taxonomy_snapshots.py --snapshot-update`, then
look at every changed SVG.
"""

from __future__ import annotations

from oppmarket.screens.admin_departments import DepartmentsAdminScreen
from oppmarket.screens.admin_skills import SkillsAdminScreen

from support import SIZE, SMALL, open_app, opened, press
from support.taxonomy import taxonomy_org


def showing(screen_class, *keys: str):
    """A snapshot's run_before: open `screen_class` as the admin hub does, then press `keys`."""

    async def run_before(pilot) -> None:
        await opened(pilot, lambda: pilot.app.push_screen(screen_class()), screen_class)
        if keys:
            await press(pilot, *keys)

    return run_before


def test_skills_taxonomy(snap_compare, db):
    taxonomy_org(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SIZE, run_before=showing(SkillsAdminScreen, "down", "down"))


def test_skills_taxonomy_small(snap_compare, db):
    taxonomy_org(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SMALL, run_before=showing(SkillsAdminScreen))


def test_skill_merge_question(snap_compare, db):
    taxonomy_org(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SIZE,
                        run_before=showing(SkillsAdminScreen, "j", *"kube", "enter"))


def test_departments(snap_compare, db):
    taxonomy_org(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SIZE, run_before=showing(DepartmentsAdminScreen, "down"))


def test_departments_small(snap_compare, db):
    taxonomy_org(db)
    assert snap_compare(open_app(db, "admin"), terminal_size=SMALL, run_before=showing(DepartmentsAdminScreen))
