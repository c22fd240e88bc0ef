"""Snapshots of the capability map and of what lies behind a cell, on fixed data with
a fixed clock (tests/support/capability.py: `map_company`).

Update with `pytest snapshots/test_capability_snapshots.py --snapshot-update`, then
look at every changed SVG.
"""

from __future__ import annotations

from support import SIZE, SMALL, build_org, open_app, pressing
from support.capability import map_company

# Categories in the filter: Cloud, Communication, Data, Languages, Platform.
PLATFORM = ("f", "enter", *["down"] * 5, "enter", "escape")


def test_capability_map(snap_compare, db):
    map_company(db)
    app = open_app(db, "admin")
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("l"))


def test_capability_map_filtered(snap_compare, db):
    """Platform skills at level 2 or above, sorted by demand."""
    map_company(db)
    app = open_app(db, "admin")
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("l", "2", *PLATFORM, "s"))


def test_capability_map_small(snap_compare, db):
    map_company(db)
    app = open_app(db, "admin")
    assert snap_compare(app, terminal_size=SMALL, run_before=pressing("l", "down", "right", "right"))


def test_capability_map_empty(snap_compare, db):
    build_org(db, people=(), skills=(), opportunities=0)
    app = open_app(db, "admin")
    assert snap_compare(app, terminal_size=SMALL, run_before=pressing("l"))


def test_capability_cell(snap_compare, db):
    """A line manager behind Kubernetes in her own department: her reports by name."""
    map_company(db)
    app = open_app(db, "maya")
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("l", "slash", *"k8s", "enter", "right",
                                                                     "right", "right", "enter"))
