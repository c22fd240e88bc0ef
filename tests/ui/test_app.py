"""The terminal app, driven by real key presses on a temporary SQLite database."""

from __future__ import annotations

from types import SimpleNamespace

from textual.widgets import Button, Input

from oppmarket.domain import OpportunityDraft
from oppmarket.errors import Conflict
from oppmarket.market import Market
from oppmarket.screens.apply import ApplyScreen
from oppmarket.screens.browse import BrowseScreen
from oppmarket.screens.first_run import FirstRunScreen, ImportHelp
from oppmarket.screens.help import HelpScreen
from oppmarket.screens.no_profile import NoProfileScreen
from oppmarket.screens.persona import PersonaPicker
from oppmarket.screens.starting import StartingScreen
from oppmarket.widgets.opportunity_detail import OpportunityDetail
from oppmarket.widgets.opportunity_table import OpportunityTable

from support import HOSTILE, build_org, notifications, open_app, opened, press, screen_text, settle, started


def fake_demo(monkeypatch) -> None:
    """Stand in for the demo loader with a small organisation, reporting progress
    the way the real one does."""

    def load_demo(self, *, employees=None, opportunities=None, progress=None):
        stages = ("people", "skills", "opportunities")
        for index, stage in enumerate(stages):
            if progress:
                progress(stage, 0, 10)
                progress(stage, 10, 10)
            if index == 0:
                build_org(self.db)
        return SimpleNamespace(engineer="eng1", owner="owner", line_manager="mgr", admin="admin",
                               employees=4, skills=2, opportunities=3, applications=0)

    monkeypatch.setattr(Market, "load_demo", load_demo)


# ---------------------------------------------------------------------- first run


async def test_empty_database_opens_first_run_and_demo_leads_to_browse(db, monkeypatch):
    fake_demo(monkeypatch)
    app = open_app(db, "newcomer", can_switch_user=True)
    async with started(app) as pilot:
        assert isinstance(app.screen, FirstRunScreen)
        text = screen_text(app)
        assert "Load the demo organisation" in text
        assert "Import your own data" in text

        await press(pilot, "ctrl+d")
        assert isinstance(app.screen, PersonaPicker)
        text = screen_text(app)
        for line in ("Engineer", "Eli Engineer (eng1)", "Owner", "Omar Owner (owner)",
                     "Line manager", "Maya Manager (mgr)", "Admin", "Ada Admin (admin)"):
            assert line in text

        await pilot.press("down", "enter")  # the owner
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        assert app.market.actor == "owner"
        assert "oppmarket — Omar Owner (owner) · 3 open" in screen_text(app)
        # Nobody is recommended their own postings; every open one is under All.
        assert "Nothing recommended yet" in screen_text(app)
        await press(pilot, "v")
        table = app.screen.query_one(OpportunityTable)
        assert table.row_count == 3


async def test_the_real_demo_loads_and_its_engineer_browses(db):
    app = open_app(db, "newcomer", can_switch_user=True)
    async with started(app) as pilot:
        await pilot.press("ctrl+d")
        await settle(pilot, rounds=20)
        assert isinstance(app.screen, PersonaPicker)
        summary_users = [p.username for p in app.screen.personas]
        assert [p.role for p in app.screen.personas] == ["engineer", "owner", "line_manager", "admin"]

        await press(pilot, "enter")
        assert isinstance(app.screen, BrowseScreen)
        engineer = Market(db, summary_users[0]).whoami()
        assert app.market.actor == engineer.username
        open_count = Market(db, None).count_opportunities("open")
        assert open_count > 0
        assert f"{engineer.display_name} ({engineer.username}) · {open_count} open" in screen_text(app)

        table = app.screen.query_one(OpportunityTable)
        detail = app.screen.query_one(OpportunityDetail)
        assert 0 < table.row_count <= BrowseScreen.RECOMMEND_LIMIT  # For you
        await pilot.press("v")  # All
        await settle(pilot)
        assert table.row_count == min(open_count, BrowseScreen.PAGE_SIZE)
        assert all(o.status == "open" for o in table.opportunities)
        await pilot.press("down", "down")
        await pilot.pause()
        assert detail.opportunity == table.opportunities[2]
        assert detail.opportunity.title in screen_text(app)


async def test_demo_progress_is_shown_while_it_loads(db, monkeypatch):
    seen = []

    def load_demo(self, *, employees=None, opportunities=None, progress=None):
        progress("people", 5, 10)
        seen.append(app.screen.query_one("#demo-stage").content)
        raise Conflict("the database already holds data")

    monkeypatch.setattr(Market, "load_demo", load_demo)
    app = open_app(db, "newcomer", can_switch_user=True)
    async with started(app) as pilot:
        await press(pilot, "ctrl+d")
        assert "Loading the demo: people" in str(seen[0])
        # The failure is a notification, and the choices come back.
        assert "the database already holds data" in notifications(app)
        assert isinstance(app.screen, FirstRunScreen)
        assert not app.screen.query_one("#load-demo", Button).disabled


async def test_import_explains_the_cli_commands(db):
    app = open_app(db, "newcomer", can_switch_user=True)
    async with started(app) as pilot:
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, ImportHelp)
        text = screen_text(app)
        for what in ("people", "skills", "opportunities"):
            assert f"oppmarket import {what} FILE.csv" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FirstRunScreen)


async def test_shared_empty_database_offers_no_demo(db):
    app = open_app(db, "newcomer", can_switch_user=False)
    async with started(app) as pilot:
        assert isinstance(app.screen, FirstRunScreen)
        assert not app.screen.query("#load-demo")
        await press(pilot, "ctrl+d")
        assert Market(db, None).is_empty()


# ---------------------------------------------------------------------- no profile


async def test_unknown_user_creates_a_profile(db):
    build_org(db)
    app = open_app(db, "newbie", can_switch_user=True)
    async with started(app) as pilot:
        assert isinstance(app.screen, NoProfileScreen)
        assert "You (newbie) have no profile here yet" in screen_text(app)

        await pilot.press("enter")  # an empty name
        await settle(pilot)
        error = str(app.screen.query_one("#display-name-error").content)
        assert "must not be empty" in error
        assert app.screen.query_one(Input).has_class("-invalid")

        await press(pilot, *"Nora Newbie", "enter")
        assert isinstance(app.screen, BrowseScreen)
        assert "Nora Newbie (newbie)" in screen_text(app)
    assert Market(db, "newbie").whoami().display_name == "Nora Newbie"


async def test_unknown_user_on_a_shared_database_is_told_to_ask_an_admin(db):
    build_org(db)
    app = open_app(db, "stranger", can_switch_user=False)
    async with started(app) as pilot:
        assert isinstance(app.screen, NoProfileScreen)
        text = screen_text(app)
        assert "Ask one of your admins to add you" in text
        assert not app.screen.query(Input)
        await pilot.press("f2")  # no persona picking here
        await settle(pilot)
        assert isinstance(app.screen, NoProfileScreen)
        await pilot.press("q")
    assert not Market(db, "stranger").has_profile()


async def test_before_a_profile_the_marketplace_keys_are_not_offered(db):
    build_org(db)
    app = open_app(db, "stranger", can_switch_user=False)
    async with started(app) as pilot:
        assert isinstance(app.screen, NoProfileScreen)
        offered = {active.binding.description for active in app.screen.active_bindings.values()}
        assert {"Browse", "My work", "Post", "Inbox", "Profile", "Team"}.isdisjoint(offered)
        assert "Quit" in offered
        await press(pilot, "b")
        assert isinstance(app.screen, NoProfileScreen)
        assert not notifications(app)  # not a key that only says "no"


async def test_unknown_user_picks_a_persona(db):
    admin = build_org(db)
    owner = admin.as_user("owner")
    opp = owner.my_postings()[0]
    admin.as_user("eng1").apply(opp.id, "keen")
    app = open_app(db, "newbie", can_switch_user=True)
    async with started(app) as pilot:
        await press(pilot, "f2")
        assert isinstance(app.screen, PersonaPicker)
        assert "Omar Owner (owner)" in screen_text(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, NoProfileScreen)


async def test_a_domain_error_is_a_notification(db):
    build_org(db)
    app = open_app(db, "newbie", can_switch_user=True)
    async with started(app) as pilot:
        Market(db, "newbie").register_self("Someone Else")  # meanwhile, elsewhere
        await press(pilot, *"Nora", "enter")
        assert any("a profile for 'newbie' already exists" in m for m in notifications(app))
        assert isinstance(app.screen, NoProfileScreen)


# ---------------------------------------------------------------------- browse


async def test_browse_detail_pane_follows_the_cursor(db):
    build_org(db, opportunities=3)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        assert isinstance(app.screen, BrowseScreen)
        await pilot.press("v")  # All
        await settle(pilot)
        detail = app.screen.query_one(OpportunityDetail)
        assert detail.opportunity.title == "Gig 002"  # newest first
        await pilot.press("down")
        await pilot.pause()
        assert detail.opportunity.title == "Gig 001"
        assert "Description of gig 1." in screen_text(app)
        await pilot.press("down")
        await pilot.pause()
        assert detail.opportunity.title == "Gig 000"


async def test_browse_pages_as_the_cursor_nears_the_end(db, monkeypatch):
    monkeypatch.setattr(BrowseScreen, "PAGE_SIZE", 30)
    monkeypatch.setattr(OpportunityTable, "NEAR_END", 5)
    build_org(db, opportunities=70)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await pilot.press("v")  # All
        await settle(pilot)
        table = app.screen.query_one(OpportunityTable)
        assert table.row_count == 30  # one page, not the whole table
        assert "70 open" in screen_text(app)
        await press(pilot, "end")
        assert table.row_count == 60
        await press(pilot, "end")
        assert table.row_count == 70
        titles = [o.title for o in table.opportunities]
        assert titles == [f"Gig {n:03d}" for n in range(69, -1, -1)]  # no gaps, no repeats


async def test_user_text_is_shown_literally(db):
    admin = build_org(db, opportunities=0)
    admin.as_user("owner").post(OpportunityDraft(title=HOSTILE, description=HOSTILE, hours_per_week=2),
                                publish=True)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        table = app.screen.query_one(OpportunityTable)
        title_cell = table.get_row_at(0)[1]
        assert title_cell.plain == HOSTILE and not title_cell.spans
        text = screen_text(app)
        assert HOSTILE in text  # the detail pane, in full
        await pilot.click(OpportunityDetail)  # a link would quit the app
        await pilot.pause()
        assert app.is_running


async def test_no_open_opportunities_says_so(db):
    build_org(db, opportunities=0)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        assert "No open opportunities yet." in screen_text(app)  # For you
        await pilot.press("v")  # All
        await settle(pilot)
        assert "No open opportunities yet." in screen_text(app)
        assert "0 open" in screen_text(app)


async def test_help_lists_the_keys(db):
    build_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for expected in ("On this screen", "f5 Reload", "Everywhere", "? Help", "q Quit"):
            assert expected in text
        app.screen.query_one("#help-keys").scroll_end(animate=False)  # the list is longer than the screen
        await pilot.pause()
        text = screen_text(app)
        for expected in ("^p Palette",):
            assert expected in text
        listed = {(k.section, k.key, k.description) for k in app.screen.keys}
        assert ("In the opportunity list", "↓", "Cursor down") in listed
        assert ("In the opportunity list", "end", "Last row") in listed
        await pilot.press("question_mark")  # ? closes it again
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)


async def test_quit(db):
    build_org(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


# ---------------------------------------------------------------------- personas


async def test_palette_switches_persona(db):
    build_org(db)
    app = open_app(db, "eng1", can_switch_user=True)
    async with started(app) as pilot:
        await press(pilot, "ctrl+p")
        await press(pilot, *"persona maya")
        assert "Switch persona: Maya Manager (mgr)" in screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, BrowseScreen)
        assert app.market.actor == "mgr"
        assert "Maya Manager (mgr)" in screen_text(app)


async def test_the_audit_log_records_a_switched_persona_as_stepped_in(db):
    first, second = (gig.id for gig in build_org(db).as_user("owner").my_postings()[:2])
    app = open_app(db, "eng1", can_switch_user=True)  # identified by the OS login
    async with started(app) as pilot:
        await opened(pilot, lambda: app.open_apply(first), ApplyScreen)
        await press(pilot, "ctrl+s")
        await press(pilot, "ctrl+p")
        await press(pilot, *"persona maya")
        await press(pilot, "enter")
        assert app.market.actor == "mgr"
        await opened(pilot, lambda: app.open_apply(second), ApplyScreen)
        await press(pilot, "ctrl+s")
    log = Market(db, "admin").audit_log(limit=2)
    assert [(e.action, e.actor, e.identified_by) for e in reversed(log)] == [
        ("apply", "eng1", "os-login"), ("apply", "mgr", "as")]


async def test_palette_shows_names_literally(db):
    admin = build_org(db)
    admin.add_person("odd", HOSTILE, title="[b]Boss[/b]", department="Product")
    app = open_app(db, "eng1", can_switch_user=True)
    async with started(app) as pilot:
        await press(pilot, "ctrl+p")
        await press(pilot, *"switch persona odd")
        text = screen_text(app)
        assert f"Switch persona: {HOSTILE} (odd)" in text
        assert "[b]Boss[/b] · Product" in text
        await press(pilot, "enter")
        assert app.is_running and app.market.actor == "odd"
        assert f"oppmarket — {HOSTILE} (odd)" in screen_text(app)


async def test_palette_offers_no_persona_switch_on_a_shared_database(db):
    build_org(db)
    app = open_app(db, "eng1", can_switch_user=False)
    async with started(app) as pilot:
        await press(pilot, "ctrl+p")
        await press(pilot, *"persona maya")
        assert "Switch persona" not in screen_text(app)


async def test_inactive_profile_is_explained(db, monkeypatch):
    build_org(db)

    def whoami(self):
        raise Conflict("the profile of 'eng1' is inactive")

    monkeypatch.setattr(Market, "whoami", whoami)
    app = open_app(db, "eng1")
    async with started(app):
        assert isinstance(app.screen, StartingScreen)
        assert "Could not open the marketplace: the profile of 'eng1' is inactive" in screen_text(app)
