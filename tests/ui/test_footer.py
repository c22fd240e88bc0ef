"""At 80 columns the footer still shows the screen's own essential keys and `?`: the
app's places to go (b m p i u t) leave it first, as the help and the palette list them."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from oppmarket.screens.review import ReviewScreen

from support import SIZE, SMALL, open_app, opened, press, settle
from support.review import posting_with_applicants


def footer_line(app) -> str:
    """The bottom line of the terminal, as the user sees it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True,
                      force_terminal=True, color_system="truecolor", legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return " ".join(console.export_text().rstrip("\n").split("\n")[-1].split())


# (who, where the app goes, the keys that screen must keep in sight at 80 columns)
SCREENS = [
    ("owner", ("browse",), ("/ Search", "a Apply", "f Filters")),
    ("owner", ("my_work", "postings"), ("e Edit", "^w Close", "x Cancel", "esc Back")),
    ("owner", "review", ("y Shortlist", "o Offer", "x Decline", "c Complete", "^w Close", "esc Back")),
    ("owner", ("inbox",), ("space Mark read", "^a All read", "esc Back")),
    ("owner", ("profile",), ("^n Add skill", "y Confirm", "x Remove", "esc Back")),
    ("owner", ("capability_map",), ("f Filters", "k Key roles", "esc Back")),
    ("owner", ("insights",), ("d Period", "esc Back")),
    ("mgr", ("team", "reports"), ("^t Time cap", "h Weekly hours")),
    ("mgr", ("team", "releases"), ("r Release", "x Decline", "^t Time cap", "h Weekly hours")),
]


@pytest.mark.parametrize(("who", "where", "keys"), SCREENS, ids=lambda v: v if isinstance(v, str) else None)
async def test_the_screens_keys_and_help_fit_in_80_columns(db, who, where, keys):
    _, opp_id = posting_with_applicants(db, 3)
    app = open_app(db, who)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        if where == "review":
            app.open_review(opp_id)
        else:
            app.action_go(*where)
        await settle(pilot)
        line = footer_line(app)
        for key in (*keys, "? Help", "q Quit"):
            assert key in line, f"{key!r} is cut from {line!r}"
        assert "b Browse" not in line  # the places to go made room


async def test_a_wide_terminal_shows_the_places_to_go_again(db):
    posting_with_applicants(db, 1)
    app = open_app(db, "owner")
    async with app.run_test(size=(170, 36)) as pilot:
        await settle(pilot)
        app.action_go("inbox")
        await settle(pilot)
        assert "b Browse" in footer_line(app) and "? Help" in footer_line(app)
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        assert "b Browse" not in footer_line(app) and "? Help" in footer_line(app)


async def test_a_long_undo_keeps_help_in_sight_at_80_columns(db):
    _, opp_id = posting_with_applicants(db, 3)
    app = open_app(db, "owner")
    async with app.run_test(size=SMALL) as pilot:
        await opened(pilot, lambda: app.open_review(opp_id), ReviewScreen)
        await press(pilot, "y")
        line = footer_line(app)
        assert "^z Undo " in line and "? Help" in line and "q Quit" in line
        assert app.screen.active_bindings["ctrl+z"].binding.description.startswith("Undo shortlist of ")
