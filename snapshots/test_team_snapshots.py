"""Snapshots of the line manager's team view on fixed data with a fixed clock
(tests/support/team.py: `team_org`).

Update with `pytest snapshots/test_team_snapshots.py --snapshot-update`, then look
at every changed SVG.
"""

from __future__ import annotations

from support import NOW, SIZE, SMALL, Clock, open_app, pressing
from support.team import team_org


def _app(db, who: str = "mgr"):
    clock = Clock(NOW)
    team_org(db, clock)
    return open_app(db, who, clock=clock)


def test_team_reports(snap_compare, db):
    assert snap_compare(_app(db), terminal_size=SIZE, run_before=pressing("t", "down"))


def test_team_reports_small(snap_compare, db):
    assert snap_compare(_app(db), terminal_size=SMALL, run_before=pressing("t"))


def test_team_cap_cut_refused(snap_compare, db):
    assert snap_compare(_app(db), terminal_size=SIZE,
                        run_before=pressing("t", "down", "ctrl+t", "ctrl+u", "1", "0", "enter"))


def test_team_release_queue_small(snap_compare, db):
    assert snap_compare(_app(db), terminal_size=SMALL, run_before=pressing("t", "2"))


def test_team_nobody_reports(snap_compare, db):
    assert snap_compare(_app(db, "eng1"), terminal_size=SMALL, run_before=pressing("t"))
