"""Snapshots of the browse screen and the opportunity screen on fixed data with a
fixed clock.

Update with `pytest snapshots --snapshot-update`, then look at every changed SVG.
"""

from __future__ import annotations

from oppmarket.app import make_app
from oppmarket.market import Market
from oppmarket.widgets.search_bar import SearchBox

from test_snapshots import SMALL, WIDE, clock, db, settle, small_company  # noqa: F401


def engineer_with_a_profile(db) -> None:
    """The small company, with Eli knowing Python and Docker and wanting to learn
    Kubernetes and Terraform, so that matches have something to say."""
    small_company(db)
    eli = Market(db, "eli", clock=clock)
    eli.set_skill("Python", 4)
    eli.set_skill("Docker", 2)
    eli.set_skill("SQL", 3)
    eli.set_interests(["Kubernetes", "Terraform"])


def searching(query: str, *keys: str):
    """run_before: type `query` into the search box, wait for the answer, then
    press `keys`."""

    async def run_before(pilot):
        await settle(pilot)
        pilot.app.screen.query_one(SearchBox).cursor_blink = False
        await pilot.press("slash", *[" " if c == " " else c for c in query])
        await pilot.pause(SearchBox.DEBOUNCE + 0.1)
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)

    return run_before


def test_browse_recommended(snap_compare, db):
    engineer_with_a_profile(db)
    app = make_app(db, "eli", clock=clock)
    assert snap_compare(app, terminal_size=WIDE, run_before=settle)


def test_browse_recommended_small(snap_compare, db):
    engineer_with_a_profile(db)
    app = make_app(db, "eli", clock=clock)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_browse_search_results(snap_compare, db):
    engineer_with_a_profile(db)
    app = make_app(db, "eli", clock=clock)
    assert snap_compare(app, terminal_size=WIDE, run_before=searching("k8s", "enter"))


def test_browse_search_results_small(snap_compare, db):
    engineer_with_a_profile(db)
    app = make_app(db, "eli", clock=clock)
    assert snap_compare(app, terminal_size=SMALL, run_before=searching("kubernets", "enter"))


def test_browse_no_results(snap_compare, db):
    engineer_with_a_profile(db)
    app = make_app(db, "eli", clock=clock)
    assert snap_compare(app, terminal_size=SMALL, run_before=searching("rust golang"))


def test_browse_all_filtered(snap_compare, db):
    engineer_with_a_profile(db)
    app = make_app(db, "eli", clock=clock)

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        pilot.app.screen.query_one("#filter-remote").focus()
        await pilot.press("space", "escape")
        await settle(pilot)

    assert snap_compare(app, terminal_size=WIDE, run_before=run_before)


def test_opportunity_screen(snap_compare, db):
    engineer_with_a_profile(db)
    app = make_app(db, "eli", clock=clock)
    assert snap_compare(app, terminal_size=WIDE, run_before=searching("cloud path", "enter", "enter"))


def test_opportunity_screen_small(snap_compare, db):
    engineer_with_a_profile(db)
    app = make_app(db, "eli", clock=clock)
    assert snap_compare(app, terminal_size=SMALL, run_before=searching("billing", "enter", "enter"))
