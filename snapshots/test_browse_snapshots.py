"""Snapshots of the browse screen and the opportunity screen on fixed data with a
fixed clock.

Update with `pytest snapshots --snapshot-update`, then look at every changed SVG.
"""

from __future__ import annotations

from oppmarket.market import Market
from oppmarket.widgets.search_bar import SearchBox

from support import SIZE, SMALL, fixed_clock, open_app, press, pressing, settle, small_company


def engineer_with_a_profile(db) -> None:
    """The small company, with Eli knowing Python and Docker and wanting to learn
    Kubernetes and Terraform, so that matches have something to say."""
    small_company(db)
    eli = Market(db, "eli", clock=fixed_clock)
    eli.set_skill("Python", 4)
    eli.set_skill("Docker", 2)
    eli.set_skill("SQL", 3)
    eli.set_interests(["Kubernetes", "Terraform"])


def searching(query: str, *keys: str):
    """run_before: type `query` into the search box, wait for the answer, then
    press `keys`."""

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("slash", *[" " if c == " " else c for c in query])
        await pilot.pause(SearchBox.DEBOUNCE + 0.1)
        await settle(pilot)
        if keys:
            await press(pilot, *keys)

    return run_before


def test_browse_recommended(snap_compare, db):
    engineer_with_a_profile(db)
    app = open_app(db, "eli")
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_browse_recommended_small(snap_compare, db):
    engineer_with_a_profile(db)
    app = open_app(db, "eli")
    assert snap_compare(app, terminal_size=SMALL, run_before=pressing("down", "down"))


def test_browse_search_results(snap_compare, db):
    engineer_with_a_profile(db)
    app = open_app(db, "eli")
    assert snap_compare(app, terminal_size=SIZE, run_before=searching("k8s", "enter"))


def test_browse_search_results_small(snap_compare, db):
    engineer_with_a_profile(db)
    app = open_app(db, "eli")
    assert snap_compare(app, terminal_size=SMALL, run_before=searching("kubernets", "enter"))


def test_browse_no_results(snap_compare, db):
    engineer_with_a_profile(db)
    app = open_app(db, "eli")
    assert snap_compare(app, terminal_size=SMALL, run_before=searching("rust golang"))


def test_browse_all_filtered(snap_compare, db):
    engineer_with_a_profile(db)
    app = open_app(db, "eli")

    async def run_before(pilot):
        await settle(pilot)
        await press(pilot, "v")
        pilot.app.screen.query_one("#filter-remote").focus()
        await press(pilot, "space", "escape")

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_opportunity_screen(snap_compare, db):
    engineer_with_a_profile(db)
    app = open_app(db, "eli")
    assert snap_compare(app, terminal_size=SIZE, run_before=searching("cloud path", "enter", "enter"))


def test_opportunity_screen_small(snap_compare, db):
    engineer_with_a_profile(db)
    app = open_app(db, "eli")
    assert snap_compare(app, terminal_size=SMALL, run_before=searching("billing", "enter", "enter"))
