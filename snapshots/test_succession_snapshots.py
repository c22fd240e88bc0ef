"""Snapshots of the key roles and of one role's bench, on fixed data with a fixed
clock (tests/support/succession.py: `succession_org`).

Update with `pytest snapshots/test_succession_snapshots.py --snapshot-update`, then
look at every changed SVG.
"""

from __future__ import annotations

from support import SIZE, SMALL, build_org, open_app, pressing
from support.succession import succession_org


def test_key_roles(snap_compare, db):
    succession_org(db)
    app = open_app(db, "admin")
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("l", "k"))


def test_key_roles_small(snap_compare, db):
    succession_org(db)
    app = open_app(db, "admin")
    assert snap_compare(app, terminal_size=SMALL, run_before=pressing("l", "k"))


def test_key_roles_empty(snap_compare, db):
    build_org(db, opportunities=0)
    app = open_app(db, "eng1")
    assert snap_compare(app, terminal_size=SMALL, run_before=pressing("l", "k"))


def test_key_role_bench(snap_compare, db):
    succession_org(db)
    app = open_app(db, "admin")
    assert snap_compare(app, terminal_size=SIZE, run_before=pressing("l", "k", "enter", "down"))


def test_key_role_bench_small(snap_compare, db):
    """A line manager: her reports by name, the rest as a count."""
    succession_org(db)
    app = open_app(db, "maya")
    assert snap_compare(app, terminal_size=SMALL, run_before=pressing("l", "k", "enter"))
