"""Browse across visits and as the list changes: it keeps its place when you leave
and come back, starts at the top on a new order or filter, marks what you are in,
and tells titles that read alike apart."""

from __future__ import annotations

from dataclasses import replace

from oppmarket.domain import OpportunityDraft
from oppmarket.screens.browse import ALL, BrowseScreen
from oppmarket.screens.opportunity import OpportunityScreen
from oppmarket.widgets.opportunity_detail import OpportunityDetail
from oppmarket.widgets.opportunity_table import OpportunityTable
from oppmarket.widgets.search_bar import SearchBox

from support import STAFF, build_org, open_app, post_all, press, screen_text, settle, started

PYTHON = [("Python", 2, "required")]


def python_org(db, drafts: list[tuple[str, OpportunityDraft]]) -> dict[str, int]:
    """Eli (eng1) knows Python 3; `drafts` are published; returns their ids by title."""
    eli = replace(STAFF["eng1"], skills={"Python": 3})
    admin = build_org(db, people=(STAFF["mgr"], eli, STAFF["eng2"], STAFF["owner"]), opportunities=0)
    return post_all(admin, drafts)


def gigs(count: int, **fields) -> list[tuple[str, OpportunityDraft]]:
    """`count` Python gigs by the owner, each closing a day later than the last."""
    return [("owner", OpportunityDraft(title=f"Python gig {n}", hours_per_week=2, skills=PYTHON,
                                       end=f"2026-05-{n + 1:02d}", **fields)) for n in range(count)]


def table(app) -> OpportunityTable:
    return app.screen.query_one(OpportunityTable)


def title_at(app, row: int) -> str:
    listed = table(app).listed_at(row)
    return listed.opportunity.title if listed else ""


async def test_browse_is_as_you_left_it_after_my_work(db):
    python_org(db, gigs(8))
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await press(pilot, "v", "s")  # every open one, closing soonest first
        await press(pilot, "down", "down", "down")
        left_on = title_at(app, 3)
        assert left_on == "Python gig 3"
        await press(pilot, "m")
        assert not isinstance(app.screen, BrowseScreen)
        await pilot.press("escape")
        await pilot.pause()
        # At once: the same list, order and cursor, before anything is fetched again.
        browse = app.screen
        assert isinstance(browse, BrowseScreen) and browse.view == ALL and browse.sort == "closing"
        assert not table(app).loading and table(app).cursor_row == 3 and title_at(app, 3) == left_on
        assert "8 open · row 4 · closing soonest first" in screen_text(app)
        await settle(pilot)
        assert table(app).cursor_row == 3 and browse.query_one(OpportunityDetail).opportunity.title == left_on


async def test_a_search_and_its_filters_survive_a_visit_elsewhere(db):
    python_org(db, gigs(3) + [("owner", OpportunityDraft(title="Remote Python clinic", hours_per_week=2,
                                                         kind="mentorship", skills=PYTHON))])
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await pilot.press("slash", *"python")
        await pilot.pause(SearchBox.DEBOUNCE + 0.1)
        await press(pilot, "enter")
        await press(pilot, "f", "enter", "down", "down", "enter", "escape")  # kind: mentorship
        assert [title_at(app, r) for r in range(table(app).row_count)] == ["Remote Python clinic"]
        await press(pilot, "u")
        await press(pilot, "b")
        text = screen_text(app)
        assert "'python' · 1 result" in text and "only mentorship" in text
        assert app.screen.query_one(SearchBox).value == "python"
        assert [title_at(app, r) for r in range(table(app).row_count)] == ["Remote Python clinic"]


async def test_a_new_order_or_filter_starts_at_the_top(db):
    python_org(db, gigs(6) + [("owner", OpportunityDraft(title="Python mentoring", kind="mentorship",
                                                         hours_per_week=2, skills=PYTHON))])
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await press(pilot, "down", "down", "down")
        assert table(app).cursor_row == 3
        await press(pilot, "s")  # newest first: what was on row 3 is now elsewhere
        assert table(app).cursor_row == 0 and title_at(app, 0) == "Python mentoring"
        await press(pilot, "down", "down")
        await press(pilot, "f", "tab", "tab", "tab", "space", "escape")  # remote only: the same rows
        assert table(app).cursor_row == 0


async def test_for_you_leaves_out_what_you_are_in_and_what_is_full(db):
    ids = python_org(db, gigs(4, seats=1))
    app = open_app(db, "eng1")
    eng1 = app.market
    applied = eng1.apply(ids["Python gig 1"]).application_id
    owner = eng1.as_user("owner")
    owner.shortlist(applied)
    owner.offer(eng1.as_user("eng2").apply(ids["Python gig 2"]).application_id)  # its one seat is taken
    async with started(app) as pilot:
        shown = [title_at(app, r) for r in range(table(app).row_count)]
        assert sorted(shown) == ["Python gig 0", "Python gig 3"]
        assert "2 recommended" in screen_text(app)

        # Every open one is under All, the one you are in with your status on it.
        await press(pilot, "v")
        row = next(r for r in range(table(app).row_count) if title_at(app, r) == "Python gig 1")
        title_cell = table(app).get_row_at(row)[1].plain
        assert title_cell.startswith("Shortlisted Python gig 1")
        await press(pilot, *["down"] * row)
        assert "Your application: Shortlisted" in screen_text(app)
        assert app.screen.check_action("apply", ()) is None  # shown, but not offered
        await press(pilot, "enter")
        assert isinstance(app.screen, OpportunityScreen)
        text = screen_text(app)
        assert "Your application: Shortlisted" in text and "Press a to apply" not in text
        assert app.screen.check_action("apply", ()) is None


async def test_titles_that_read_alike_at_80_columns_say_what_differs(db):
    long = "Add OpenTelemetry tracing to the {} service"
    drafts = [("owner", OpportunityDraft(title=long.format(name), hours_per_week=2, skills=PYTHON))
              for name in ("notifications", "notification-preferences")]
    drafts += [("owner", OpportunityDraft(title="Python code clinic", department=dept, hours_per_week=2,
                                          skills=PYTHON)) for dept in ("Platform", "Product")]
    python_org(db, drafts)
    app = open_app(db, "eng1")
    async with started(app, size=(80, 24)) as pilot:
        await press(pilot, "v")
        text = screen_text(app)
        assert "Kind Title h/wk Left Match" in text  # the title has the department's room
        cells = [table(app).get_row_at(r)[1].plain for r in range(table(app).row_count)]
        assert len(set(cells)) == 4
        assert any(c.endswith("notifications service") for c in cells)
        assert any(c.endswith("preferences service") for c in cells)
        assert "Python code clinic · Platform" in cells and "Python code clinic · Product" in cells
