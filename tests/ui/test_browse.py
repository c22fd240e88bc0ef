"""The browse screen, the opportunity screen and the palette's opportunity commands,
driven by real key presses on a temporary SQLite database."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Select

from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market
from oppmarket.screens.browse import BrowseScreen
from oppmarket.screens.opportunity import OpportunityScreen
from oppmarket.widgets.filter_bar import FilterBar
from oppmarket.widgets.opportunity_detail import OpportunityDetail
from oppmarket.widgets.opportunity_table import OpportunityTable
from oppmarket.widgets.search_bar import SearchBox

from support import (
    HOSTILE, SMALL, STAFF, Person, Skill, build_org, fixed_clock, open_app, post_all, press, screen_text, settle,
    started,
)

MIGRATE = "Migrate billing to the cluster"
CLINIC = "Python code clinic"
WAREHOUSE = "Tidy the data warehouse"
CLOUD = "Cloud practitioner path"
SHADOW = "Shadow an on-call shift"
OFFICE_HOURS = "Kubernetes office hours"
LOAD_TEST = "Load-test the checkout"

DANA = Person("dana", "Dana Data", title="Analyst", department="Data")
# Uncategorised, unlike the Market tests' skills.
BROWSE_SKILLS = (Skill("Python", aliases=("py",)), Skill("Kubernetes", aliases=("k8s",)), Skill("Docker"),
                 Skill("SQL"), Skill("Terraform"), Skill("AWS"))


def browse_org(db) -> dict[str, int]:
    """Eli (eng1) knows Python 4 and Docker 2 and wants to learn Kubernetes and
    Terraform; seven open opportunities of every kind ask for or grow those and
    others. Returns their ids by title."""
    eli = replace(STAFF["eng1"], skills={"Python": 4, "Docker": 2}, interests=("Kubernetes", "Terraform"))
    admin = build_org(db, people=(STAFF["mgr"], eli, STAFF["owner"], DANA), skills=BROWSE_SKILLS,
                      opportunities=0)
    drafts = [
        ("mgr", OpportunityDraft(title=MIGRATE, department="Platform", hours_per_week=4, end="2026-05-29",
                                 skills=[("Kubernetes", 3, "required"), ("Docker", 2, "required"),
                                       ("Terraform", 2, "grows")])),
        ("owner", OpportunityDraft(kind="mentorship", title=CLINIC, department="Product", hours_per_week=2,
                                   topics="testing, typing", skills=[("Python", 3, "required")])),
        ("owner", OpportunityDraft(title=WAREHOUSE, department="Data", hours_per_week=6, remote=False,
                                   location="Berlin office", end="2026-03-20", skills=[("SQL", 3, "required")])),
        ("mgr", OpportunityDraft(kind="learning", title=CLOUD, department="Platform", hours_per_week=3,
                                 end="2026-06-30", skills=[("AWS", 2, "grows"), ("Terraform", 1, "grows")],
                                 steps=["Cloud basics", "Networking", "Infrastructure as code"],
                                 certification="Cloud Practitioner")),
        ("owner", OpportunityDraft(kind="shadowing", title=SHADOW, department="Platform", hours_per_week=4,
                                   end="2026-03-27", host="mgr", skills=[("Kubernetes", 1, "grows")])),
        ("owner", OpportunityDraft(title=OFFICE_HOURS, department="Product", hours_per_week=2,
                                   skills=[("Kubernetes", 2, "required")])),
        ("owner", OpportunityDraft(title=LOAD_TEST, department="Product", hours_per_week=8,
                                   skills=[("Python", 2, "required")])),
    ]
    return post_all(admin, drafts)


async def search_for(pilot, query: str) -> None:
    """Press / and type `query`, then wait until the search has answered."""
    await pilot.press("slash", *[" " if c == " " else c for c in query])
    await pilot.pause(SearchBox.DEBOUNCE + 0.1)
    await settle(pilot)


def column(table: OpportunityTable, key: str) -> list[str]:
    """A column of the list as it reads on screen, top to bottom."""
    index = [c.key.value for c in table.ordered_columns].index(key)
    return [table.get_row_at(row)[index].plain for row in range(table.row_count)]


def titles(app) -> list[str]:
    return column(app.screen.query_one(OpportunityTable), "title")


# ---------------------------------------------------------------------- the list


async def test_for_you_lists_recommendations_best_match_first(db):
    browse_org(db)
    app = open_app(db, "eng1")
    async with started(app):
        assert isinstance(app.screen, BrowseScreen)
        text = screen_text(app)
        assert "For you All 7 recommended · best match for you first" in text
        assert "Kind Title Department h/wk Seats left Match Skills" in text
        table = app.screen.query_one(OpportunityTable)
        scores = [int(s) for s in column(table, "score")]
        assert scores == sorted(scores, reverse=True) == [100, 100, 85, 85, 70, 25, 25]
        assert titles(app)[:2] == [CLOUD, SHADOW]  # equal scores: the older first
        assert column(table, "kind")[:2] == ["Learning", "Shadowing"]
        assert column(table, "department")[0] == "Platform"
        assert column(table, "hours")[0] == "3" and column(table, "seats")[0] == "1"


async def test_sort_cycles_and_match_order_is_the_score_shown(db):
    ids = browse_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        table = app.screen.query_one(OpportunityTable)
        assert "s Sort: match" in screen_text(app)
        shown = [int(s) for s in column(table, "score")]
        assert shown == sorted(shown, reverse=True)

        await press(pilot, "s")
        text = screen_text(app)
        assert "s Sort: newest" in text and "7 recommended · newest first" in text
        assert titles(app) == sorted(ids, key=lambda t: -ids[t])

        await press(pilot, "s")
        assert "closing soonest first" in screen_text(app)
        # Soonest end first; the open-ended after, oldest first.
        assert titles(app) == [WAREHOUSE, SHADOW, MIGRATE, CLOUD, CLINIC, OFFICE_HOURS, LOAD_TEST]

        await press(pilot, "s")
        assert "s Sort: match" in screen_text(app)
        assert [int(s) for s in column(table, "score")] == shown


async def test_detail_pane_follows_the_cursor_and_explains_the_match(db):
    browse_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        detail = app.screen.query_one(OpportunityDetail)
        assert detail.opportunity.title == CLOUD
        for _ in range(4):
            await pilot.press("down")
        await pilot.pause()
        assert detail.opportunity.title == MIGRATE
        text = screen_text(app)
        assert "Gig · Platform · 4 h/week · remote · 1 of 1 seats left" in text
        assert "Your match 70/100" in text
        assert "Required skills 30/60 1 of 2 required skills (Docker 2/2); missing" in text
        assert detail.listed.match.term("required skills").detail.endswith("missing Kubernetes")
        assert "Growth 15/15 grows Terraform, which you want to learn" in text
        assert "Availability 15/15 fits your 8 h/week left" in text
        assert "What would raise it most: add Kubernetes at level 3: +30" in text
        await pilot.press("up")
        await pilot.pause()
        assert detail.opportunity.title == LOAD_TEST


async def test_view_switches_between_for_you_and_all(db):
    browse_org(db)
    admin = Market(db, "admin", clock=fixed_clock)
    mine = admin.as_user("eng1").post(OpportunityDraft(title="My own side project", hours_per_week=1),
                                      publish=True)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        assert "v View: For you" in screen_text(app)
        assert "My own side project" not in titles(app)  # nobody is recommended their own

        await press(pilot, "v")
        text = screen_text(app)
        assert "v View: All" in text and "8 open · row 1 · newest first" in text
        assert titles(app)[0] == "My own side project"
        # Every row has its match score, fetched for the page.
        assert all(s.isdigit() for s in column(app.screen.query_one(OpportunityTable), "score"))
        assert app.screen.query_one(OpportunityDetail).opportunity.id == mine.id

        await press(pilot, "s")
        assert "closing soonest first" in screen_text(app)
        assert titles(app)[:3] == [WAREHOUSE, SHADOW, MIGRATE]

        await press(pilot, "v")
        assert "7 recommended" in screen_text(app)


# ---------------------------------------------------------------------- search


async def test_a_misspelt_skill_or_an_alias_finds_the_opportunities(db):
    browse_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await search_for(pilot, "kubernets")
        assert isinstance(app.focused, SearchBox)
        text = screen_text(app)
        assert "Search 'kubernets' · 3 results · most relevant first" in text
        assert sorted(titles(app)) == sorted([MIGRATE, SHADOW, OFFICE_HOURS])
        assert column(app.screen.query_one(OpportunityTable), "matched") == ["Kubernetes"] * 3

        await pilot.press("ctrl+a", "ctrl+k", "k", "8", "s")
        await pilot.pause(SearchBox.DEBOUNCE + 0.1)
        await settle(pilot)
        assert sorted(titles(app)) == sorted([MIGRATE, SHADOW, OFFICE_HOURS])
        await pilot.press("enter")  # to the results
        await pilot.pause()
        assert isinstance(app.focused, OpportunityTable)
        text = screen_text(app)
        assert "Found by skill: Kubernetes (alias k8s)" in text
        assert "Your match" in text


async def test_search_answers_as_you_type_and_only_the_last_query_counts(db):
    browse_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await pilot.press("slash", *"python", "backspace", "backspace", "backspace", "backspace", "backspace",
                          "backspace", *"cloud")
        await pilot.pause(SearchBox.DEBOUNCE + 0.1)
        await settle(pilot)
        assert titles(app) == [CLOUD]
        assert "Search 'cloud' · 1 result" in screen_text(app)


async def test_slash_focuses_the_box_and_escape_clears_it(db):
    browse_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        assert isinstance(app.focused, OpportunityTable)
        await search_for(pilot, "k8s")
        assert app.screen.query_one(SearchBox).value == "k8s"
        assert len(titles(app)) == 3
        await press(pilot, "escape")
        assert app.screen.query_one(SearchBox).value == ""
        assert isinstance(app.focused, OpportunityTable)
        assert "7 recommended" in screen_text(app)
        assert len(titles(app)) == 7

        # From the list, escape also leaves the search results.
        await search_for(pilot, "k8s")
        await pilot.press("enter")
        await pilot.pause()
        assert "esc Clear search" in screen_text(app)
        await press(pilot, "escape")
        assert "7 recommended" in screen_text(app)


# ---------------------------------------------------------------------- filters


async def choose(pilot, select_id: str, downs: int) -> None:
    """Open a filter's menu and take the option `downs` rows below 'any'."""
    app = pilot.app
    app.screen.query_one(select_id, Select).focus()
    await press(pilot, "enter", *["down"] * downs, "enter")


async def test_filters_combine_with_each_other_with_the_view_and_with_search(db):
    browse_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.focused, Select) and app.focused.id == "filter-kind"
        await pilot.press("enter", "down", "enter")  # Gig
        await settle(pilot)
        assert sorted(titles(app)) == sorted([MIGRATE, WAREHOUSE, OFFICE_HOURS, LOAD_TEST])
        await pilot.press("tab", "tab")  # past the department, to the hours
        await pilot.press("enter", "down", "down", "enter")  # at most 4 h/week
        await settle(pilot)
        assert sorted(titles(app)) == sorted([MIGRATE, OFFICE_HOURS])
        await pilot.press("tab", "space")  # remote only
        await settle(pilot)
        assert app.screen.query_one(FilterBar).filters.remote_only
        assert sorted(titles(app)) == sorted([MIGRATE, OFFICE_HOURS])
        text = screen_text(app)
        assert "only gig, ≤ 4 h/wk, remote" in text

        await pilot.press("escape")  # back to the list, filters kept
        await pilot.pause()
        assert isinstance(app.focused, OpportunityTable)
        await choose(pilot, "#filter-department", 3)  # Product (Data, Platform, Product)
        assert titles(app) == [OFFICE_HOURS]

        # The same filters on every open opportunity, applied by the database.
        app.screen.query_one(OpportunityTable).focus()
        await press(pilot, "v")
        assert titles(app) == [OFFICE_HOURS]
        assert "1 open" in screen_text(app)

        # And on search results.
        await search_for(pilot, "k8s")
        assert titles(app) == [OFFICE_HOURS]
        await pilot.press("ctrl+l")  # clear the search and every filter
        await settle(pilot)
        assert app.screen.query_one(FilterBar).filters.active is False
        assert app.screen.query_one(SearchBox).value == ""
        assert len(titles(app)) == 7


async def test_on_site_work_is_filtered_out_by_remote_only(db):
    browse_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        assert WAREHOUSE in titles(app)
        app.screen.query_one("#filter-remote").focus()
        await press(pilot, "space")
        assert WAREHOUSE not in titles(app) and len(titles(app)) == 6


# ---------------------------------------------------------------------- empty states


async def test_no_search_results_say_what_to_try(db):
    browse_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await choose(pilot, "#filter-kind", 1)  # Gig
        await search_for(pilot, "rust")
        text = screen_text(app)
        assert "No gigs match 'rust' — try another kind, or clear the filters (ctrl+l)." in text
        assert "0 results" in text
        assert not app.screen.query_one(OpportunityTable).display

        await pilot.press("ctrl+a", "ctrl+k", *"rust", "space", *"golang")
        await pilot.pause(SearchBox.DEBOUNCE + 0.1)
        await settle(pilot)
        assert "No gigs match 'rust golang' — try fewer words, another kind, or clear the filters (ctrl+l)." \
            in screen_text(app)

        await press(pilot, "ctrl+l")
        assert "7 recommended" in screen_text(app)


async def test_an_empty_profile_is_told_how_to_get_recommendations(db):
    admin = build_org(db, opportunities=0)
    admin.as_user("eng1").post(OpportunityDraft(title="My own side project", hours_per_week=1), publish=True)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        text = screen_text(app)
        assert "Nothing recommended yet: add skills and interests in your profile (u)" in text
        await press(pilot, "v")
        assert titles(app) == ["My own side project"]


async def test_an_empty_marketplace_says_so_in_both_views(db):
    build_org(db, opportunities=0)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        assert "No open opportunities yet." in screen_text(app)
        await press(pilot, "v")
        assert "No open opportunities yet." in screen_text(app)


async def test_recommendations_without_skills_are_labelled_as_the_newest(db):
    build_org(db, opportunities=3)
    app = open_app(db, "eng1")
    async with started(app):
        assert "Your profile lists no skills or interests yet, so these are simply the newest." \
            in screen_text(app)


async def test_filters_that_leave_nothing_say_so(db):
    browse_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await choose(pilot, "#filter-kind", 3)  # Volunteering
        assert ("None of the volunteering roles open now is recommended for you — clear the filters "
                "(ctrl+l), or see every open one with v.") in screen_text(app)
        app.screen.query_one(OpportunityTable).focus()
        await press(pilot, "v")
        assert "No open volunteering roles — clear the filters (ctrl+l) to see them all." in screen_text(app)


# ---------------------------------------------------------------------- enter and a


async def test_enter_opens_the_full_detail_with_the_learning_steps(db):
    ids = browse_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        assert "⏎ Open" in screen_text(app)
        await pilot.press("enter")  # the cloud path is first
        await settle(pilot)
        assert isinstance(app.screen, OpportunityScreen)
        assert app.screen.opportunity_id == ids[CLOUD]
        text = screen_text(app)
        assert "Cloud practitioner path Learning path · Platform · 3 h/week" in text
        assert "Why it fits you Your match 100/100" in text
        assert "Growth 15/15 grows Terraform, which you want to learn" in text
        assert "A perfect fit." in text
        assert "Certifies Cloud Practitioner" in text
        assert "Steps 1. Cloud basics 2. Networking 3. Infrastructure as code" in text
        assert "a Apply" in text and "esc Back" in text

        await press(pilot, "escape")
        assert isinstance(app.screen, BrowseScreen)


async def test_the_detail_screen_names_the_shadowing_host_and_mentorship_topics(db):
    ids = browse_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        app.open_opportunity(ids[SHADOW])
        await settle(pilot)
        assert "Host Maya Manager (mgr)" in screen_text(app)
        await pilot.press("escape")
        app.open_opportunity(ids[CLINIC])
        await settle(pilot)
        text = screen_text(app)
        assert "Topics testing, typing" in text
        assert "Required skills 60/60 1 of 1 required skills (Python 4/3)" in text


async def test_a_asks_the_app_to_open_the_apply_form_and_applies_nothing(db, monkeypatch):
    ids = browse_org(db)
    app = open_app(db, "eng1")
    asked = []
    monkeypatch.setattr(type(app), "open_apply", lambda self, opp_id: asked.append(opp_id))
    async with started(app) as pilot:
        assert "a Apply" in screen_text(app)
        await press(pilot, "down", "a")
        assert asked == [ids[SHADOW]]
        await press(pilot, "enter")
        await press(pilot, "a")
        assert asked == [ids[SHADOW], ids[SHADOW]]
    assert Market(db, "eng1").my_applications() == []


async def test_a_opens_the_apply_form(db):
    pytest.importorskip("oppmarket.screens.apply")
    from oppmarket.screens.apply import ApplyScreen

    ids = browse_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await press(pilot, "a")
        assert isinstance(app.screen, ApplyScreen)
        assert app.screen.opportunity_id == ids[CLOUD]
    assert Market(db, "eng1").my_applications() == []


async def test_a_is_not_offered_on_your_own_posting(db, monkeypatch):
    browse_org(db)
    app = open_app(db, "mgr")
    asked = []
    monkeypatch.setattr(type(app), "open_apply", lambda self, opp_id: asked.append(opp_id))
    async with started(app) as pilot:
        await pilot.press("v")  # every open one: the newest is Omar's
        await settle(pilot)
        await pilot.press("end")  # the oldest is Maya's own
        await settle(pilot)
        assert titles(app)[-1] == MIGRATE
        await pilot.press("a")
        await press(pilot, "enter")
        assert "You posted this, so you cannot apply." in screen_text(app)
        await press(pilot, "a")
    assert asked == []


# ---------------------------------------------------------------------- palette


async def test_the_palette_opens_an_opportunity_by_a_fuzzy_title(db):
    ids = browse_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await press(pilot, "ctrl+p")
        await press(pilot, *"migrat biling")
        assert f"Open: {MIGRATE}" in screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, OpportunityScreen)
        assert app.screen.opportunity_id == ids[MIGRATE]
        assert "Your match 70/100" in screen_text(app)


async def test_the_palette_lists_a_skill_by_its_alias(db):
    browse_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await press(pilot, "ctrl+p")
        await press(pilot, *"k8s")
        assert "Search skill: Kubernetes (alias k8s)" in screen_text(app)
        # The skill is listed after the opportunities it found: pick it.
        hits = app.screen.query_one("CommandList")
        while "Search skill" not in str(hits.get_option_at_index(hits.highlighted).prompt):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause(SearchBox.DEBOUNCE + 0.1)
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert app.screen.query_one(SearchBox).value == "Kubernetes"
        assert sorted(titles(app)) == sorted([MIGRATE, SHADOW, OFFICE_HOURS])


# ---------------------------------------------------------------------- hostile text


async def test_hostile_text_is_shown_literally_everywhere(db):
    ids = browse_org(db)
    admin = Market(db, "admin", clock=fixed_clock)
    admin.add_skill("[b]Rust[/b]")
    admin.add_person("odd", HOSTILE, title="Engineer", department="Product")
    hostile = admin.as_user("odd").post(OpportunityDraft(
        title=HOSTILE, description=HOSTILE, hours_per_week=2, topics=HOSTILE,
        skills=[("[b]Rust[/b]", 2, "required"), ("Kubernetes", 1, "grows")]), publish=True)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await search_for(pilot, "rust")
        await press(pilot, "enter")
        table = app.screen.query_one(OpportunityTable)
        assert table.opportunities[0].id == hostile.id
        for key in ("title", "skills", "matched"):
            if key in [c.key.value for c in table.ordered_columns]:
                cell = table.get_row_at(0)[[c.key.value for c in table.ordered_columns].index(key)]
                assert not cell.spans
        assert column(table, "title")[0] == HOSTILE
        text = screen_text(app)
        assert "Found by skill: [b]Rust[/b]" in text
        assert "missing [b]Rust[/b]" in text
        await pilot.click(OpportunityDetail)  # a link would quit the app
        await pilot.pause()
        assert app.is_running

        table.focus()
        await press(pilot, "enter")
        text = screen_text(app)
        assert HOSTILE in text and f"Topics {HOSTILE}" in text
        assert f"Owner {HOSTILE} (odd)" in text
        await pilot.click("#opportunity")
        await pilot.pause()
        assert app.is_running
        await press(pilot, "escape")

        await press(pilot, "ctrl+p")
        await press(pilot, *"bold red")
        assert f"Open: {HOSTILE}" in screen_text(app)
    assert ids  # the others are still there


# ---------------------------------------------------------------------- long lists


async def test_a_long_list_is_a_window_of_pages_both_ways(db, monkeypatch):
    monkeypatch.setattr(BrowseScreen, "PAGE_SIZE", 30)
    monkeypatch.setattr(OpportunityTable, "NEAR_END", 5)
    monkeypatch.setattr(OpportunityTable, "MAX_ROWS", 90)
    build_org(db, opportunities=300)
    everything = [f"Gig {n:03d}" for n in range(299, -1, -1)]  # newest first
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await press(pilot, "v")
        table = app.screen.query_one(OpportunityTable)
        assert table.row_count == 30  # one page, not the whole list
        assert "300 open · row 1" in screen_text(app)

        def held_rows_are_the_list_from(start: int) -> None:
            assert table.window_start == start
            assert [o.title for o in table.opportunities] == everything[start:start + table.row_count]
            assert table.row_count <= OpportunityTable.MAX_ROWS

        for _ in range(8):
            await press(pilot, "end")
        held_rows_are_the_list_from(table.window_start)
        assert table.window_start > 0  # rows far above were dropped
        assert f"row {table.position}" in screen_text(app)
        assert table.highlighted.opportunity.title == everything[table.position - 1]
        while table.next_after is not None:
            await press(pilot, "end")
        assert table.opportunities[-1].title == "Gig 000"
        assert "300 open · row 300" in screen_text(app)
        held_rows_are_the_list_from(300 - table.row_count)

        # Back up a page at a time: the rows dropped come back, in order.
        start = table.window_start
        for _ in range(5):
            await press(pilot, "pageup")
        assert 0 < table.window_start < start
        held_rows_are_the_list_from(table.window_start)
        assert table.highlighted.opportunity.title == everything[table.position - 1]

        await pilot.press("home")  # straight to the top, fetched again
        await settle(pilot)
        held_rows_are_the_list_from(0)
        assert table.cursor_row == 0 and table.row_count == 30
        assert "300 open · row 1 ·" in screen_text(app)

        # Scrolling all the way back up page by page gets there too.
        for _ in range(8):
            await press(pilot, "end")
        while table.window_start or table.cursor_row:
            await press(pilot, "pageup")
        held_rows_are_the_list_from(0)


# ---------------------------------------------------------------------- small terminal


async def test_search_results_and_their_scores_fit_80_by_24(db):
    browse_org(db)
    app = open_app(db, "eng1")
    async with started(app, SMALL) as pilot:
        await search_for(pilot, "k8s")
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Kind Title Matched h/wk Left Match" in text
        assert "Kubernetes (alia" in text  # cut to fit, in full in the pane below
        table = app.screen.query_one(OpportunityTable)
        assert table.size.height >= 8 and app.screen.query_one(OpportunityDetail).size.height >= 7
        assert "Found by skill: Kubernetes (alias k8s)" in text


async def test_keys_held_down_are_not_lost_at_the_edge_of_a_page(db, monkeypatch):
    monkeypatch.setattr(BrowseScreen, "PAGE_SIZE", 30)
    monkeypatch.setattr(OpportunityTable, "NEAR_END", 5)
    monkeypatch.setattr(OpportunityTable, "MAX_ROWS", 90)
    build_org(db, opportunities=300)
    everything = [f"Gig {n:03d}" for n in range(299, -1, -1)]
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await press(pilot, "v")
        table = app.screen.query_one(OpportunityTable)
        await pilot.press(*["down"] * 40)  # faster than pages arrive, over a page edge
        await settle(pilot)
        assert table.position == 41
        assert table.highlighted.opportunity.title == everything[40]
        page = table.scrollable_content_region.height - table.header_height
        await press(pilot, *["pagedown"] * 3)  # far enough that rows above are dropped
        assert table.position == 41 + 3 * page
        assert table.window_start > 0
        await press(pilot, *["up"] * 80)  # back over the dropped rows
        assert table.position == 41 + 3 * page - 80
        assert table.highlighted.opportunity.title == everything[table.position - 1]
        assert f"row {table.position}" in screen_text(app)
