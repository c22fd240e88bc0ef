"""Snapshots of the insights screen on fixed data with a fixed clock
(tests/support/insights.py: `insights_org`).

Update with `pytest snapshots/test_insights_snapshots.py --snapshot-update`, then
look at every changed SVG.
"""

from __future__ import annotations

from support import NOW, SIZE, SMALL, Clock, open_app, pressing
from support.insights import insights_org


def _app(db, who: str):
    clock = Clock(NOW)
    insights_org(db, clock)
    return open_app(db, who, clock=clock)


def test_insights_participation(snap_compare, db):
    assert snap_compare(_app(db, "admin"), terminal_size=SIZE, run_before=pressing("z"))


def test_insights_releases_small(snap_compare, db):
    assert snap_compare(_app(db, "admin"), terminal_size=SMALL, run_before=pressing("z", "3"))
