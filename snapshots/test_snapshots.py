"""Snapshots of the app's screens on fixed data with a fixed clock.

Update with `pytest snapshots --snapshot-update`, then look at every changed SVG.
"""

from __future__ import annotations

from types import SimpleNamespace

from oppmarket.market import Market

from support import SIZE, SMALL, build_org, open_app, pressing, settle, small_company


def test_first_run(snap_compare, db):
    app = open_app(db, "newcomer", can_switch_user=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_first_run_small(snap_compare, db):
    app = open_app(db, "newcomer", can_switch_user=True)
    assert snap_compare(app, terminal_size=SMALL, run_before=settle)


def test_persona_picker_after_the_demo(snap_compare, db, monkeypatch):
    def load_demo(self, *, employees=None, opportunities=None, progress=None):
        small_company(self.db)
        progress("done", 1, 1)
        return SimpleNamespace(engineer="eli", owner="omar", line_manager="maya", admin="admin")

    monkeypatch.setattr(Market, "load_demo", load_demo)
    app = open_app(db, "newcomer", can_switch_user=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("ctrl+d"))


def test_browse(snap_compare, db):
    small_company(db)
    app = open_app(db, "eli", can_switch_user=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_browse_small(snap_compare, db):
    small_company(db)
    app = open_app(db, "eli")
    assert snap_compare(app, terminal_size=SMALL, run_before=pressing("down", "down"))


def test_browse_empty(snap_compare, db):
    build_org(db, people=(), skills=(), opportunities=0)
    app = open_app(db, "admin")
    assert snap_compare(app, terminal_size=SMALL, run_before=settle)


def test_no_profile(snap_compare, db):
    small_company(db)
    app = open_app(db, "newcomer", can_switch_user=True)
    # An empty name: the message shows next to the field.
    assert snap_compare(app, terminal_size=SMALL, run_before=pressing("enter"))


def test_help(snap_compare, db):
    small_company(db)
    app = open_app(db, "eli")
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("question_mark"))
