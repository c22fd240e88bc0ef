"""Snapshots of the saved-searches dialog over browse and of the where-you-work
dialog over the profile, at 120x36 and 80x24, on fixed data with a fixed clock.

Update with `pytest snapshots --snapshot-update`, then look at every changed SVG.
"""

from __future__ import annotations

from oppmarket.market import Market
from oppmarket.widgets.search_bar import SearchBox

from support import SIZE, SMALL, fixed_clock, open_app, press, pressing, settle, small_company


def eli_with_saved_searches(db) -> None:
    """The small company; Eli knows Python, lives in Berlin and keeps two searches."""
    small_company(db)
    eli = Market(db, "eli", clock=fixed_clock)
    eli.set_skill("Python", 4)
    eli.update_profile(location="Berlin", remote_preference="nearby", weekly_digest=True)
    eli.save_search("Cluster work", query="k8s")
    eli.save_search("Short remote gigs", kind="gig", max_hours=4, remote_only=True)


async def saving_a_search(pilot) -> None:
    """Search for 'python', back to the list, then open the saved searches."""
    await settle(pilot)
    await pilot.press("slash", *"python")
    await pilot.pause(SearchBox.DEBOUNCE + 0.1)
    await settle(pilot)
    await press(pilot, "enter", "ctrl+s")


def test_saved_searches(snap_compare, db):
    eli_with_saved_searches(db)
    assert snap_compare(open_app(db, "eli"), terminal_size=SIZE, run_before=saving_a_search)


def test_saved_searches_small(snap_compare, db):
    eli_with_saved_searches(db)
    assert snap_compare(open_app(db, "eli"), terminal_size=SMALL, run_before=pressing("ctrl+s"))


def test_where_you_work(snap_compare, db):
    eli_with_saved_searches(db)
    assert snap_compare(open_app(db, "eli"), terminal_size=SIZE, run_before=pressing("u", "e"))


def test_where_you_work_small(snap_compare, db):
    eli_with_saved_searches(db)
    assert snap_compare(open_app(db, "eli"), terminal_size=SMALL, run_before=pressing("u", "e"))
