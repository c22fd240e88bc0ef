"""Snapshots of the imports screen: a people file with a bad row, previewed, at
120x36 and 80x24, on fixed data with a fixed clock. The file sits in the working
folder so the path on screen is the same on every run.

Update with `pytest snapshots/test_admin_imports_snapshots.py --snapshot-update`,
then look at every changed SVG.
"""

from __future__ import annotations

from textual.widgets import Input

from oppmarket.screens.admin_imports import ImportsAdminScreen

from support import SIZE, SMALL, build_org, open_app, press, settle

PEOPLE = ("username,display_name,email,title,department,manager,weekly_hours,cap_pct,is_admin\n"
          "eng1,Eli Engineer,,Staff Engineer,Platform,mgr,,,\n"
          "kim,Kim Kato,kim@example.com,Analyst,Data,,32,15,\n"
          "lou,Lou Lam,not-an-address,,,,,,\n"
          "max,Max Moss,,,Data,ghost,,,\n")


async def previewed(pilot) -> None:
    await settle(pilot)
    pilot.app.push_screen(ImportsAdminScreen())
    await settle(pilot)
    pilot.app.screen.query_one("#import-path", Input).value = "people.csv"
    await press(pilot, "enter")


def test_import_preview(snap_compare, db, tmp_path, monkeypatch):
    build_org(db, opportunities=0)
    (tmp_path / "people.csv").write_text(PEOPLE)
    monkeypatch.chdir(tmp_path)
    assert snap_compare(open_app(db, "admin"), terminal_size=SIZE, run_before=previewed)


def test_import_preview_small(snap_compare, db, tmp_path, monkeypatch):
    build_org(db, opportunities=0)
    (tmp_path / "people.csv").write_text(PEOPLE)
    monkeypatch.chdir(tmp_path)
    assert snap_compare(open_app(db, "admin"), terminal_size=SMALL, run_before=previewed)
