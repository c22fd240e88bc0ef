"""Profile and inbox, and the whole journey: post, apply as someone else, follow it."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable

from oppmarket.market import Market
from oppmarket.screens.apply import ApplyScreen
from oppmarket.screens.browse import BrowseScreen
from oppmarket.widgets.confirm import ConfirmDialog
from oppmarket.screens.inbox import InboxScreen
from oppmarket.screens.my_work import MyWorkScreen
from oppmarket.screens.post import PostScreen
from oppmarket.screens.profile import AddSkillsDialog, InterestsDialog, LevelDialog, ProfileScreen
from oppmarket.widgets.opportunity_table import OpportunityTable
from oppmarket.widgets.skill_picker import SkillQuery

from support import (
    HOSTILE, NOW, SMALL, build_org, fixed_clock, notifications, open_app, press, screen_text, settle, started,
)


def header(app) -> str:
    """The screen's text from the header's title on (the header comes first)."""
    return screen_text(app).removeprefix("⭘ ")


async def go(pilot, key: str, screen_type) -> None:
    await press(pilot, key)
    assert isinstance(pilot.app.screen, screen_type), type(pilot.app.screen)


# ---------------------------------------------------------------------- profile


async def test_profile_shows_levels_sources_dates_and_stale_claims(db):
    admin = build_org(db, opportunities=0)
    eng = admin.as_user("eng1")
    eng.set_skill("Python", 4)
    Market(db, "eng1", clock=lambda: NOW - dt.timedelta(days=400)).set_skill("SQL", 2)
    eng.set_interests(["SQL"])
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await go(pilot, "u", ProfileScreen)
        text = screen_text(app)
        assert "Eli Engineer (eng1) · Software Engineer · Platform · manager mgr" in text
        assert ("Time 40 h/week of work · marketplace cap 20% = 8 h/week · 0 h/week committed · "
                "8 h/week left") in text
        assert "Wants to grow SQL" in text
        assert "Python 4 Advanced: solves hard problems, guides others you said so 2026-03-02" in text
        assert "SQL 2 Working: does routine tasks alone you said so 2025-01-26 stale" in text
        await pilot.press("down")
        await pilot.pause()
        assert "Stale: unconfirmed for over a year, so matching counts it a level lower." in screen_text(app)
        # y confirms it as it is: re-dated today, no longer stale.
        await press(pilot, "y")
        assert "Saved SQL: confirmed today." in notifications(app)
        assert "SQL 2 Working: does routine tasks alone you said so 2026-03-02" in screen_text(app)
    claim = next(c for c in Market(db, "eng1", clock=fixed_clock).profile().skills if c.skill == "SQL")
    assert claim.level == 2 and not claim.stale


async def test_adding_a_skill_raises_the_match_and_browse_shows_it(db):
    admin = build_org(db, opportunities=1)
    gig = admin.as_user("owner").my_postings()[0]  # requires Python 3, grows SQL
    before = Market(db, "eng1", clock=fixed_clock).match(gig.id)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await go(pilot, "u", ProfileScreen)
        assert "No skills yet. Press ctrl+n to add the skills you have" in screen_text(app)
        await go(pilot, "ctrl+n", AddSkillsDialog)
        await press(pilot, *"py")
        await press(pilot, "enter", "tab", "4", "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        assert "Added Python." in notifications(app)
        assert "Python 4 Advanced" in screen_text(app)

        await go(pilot, "g", InterestsDialog)
        await press(pilot, *"sql")
        await press(pilot, "enter", "ctrl+s")
        assert "Wants to grow SQL" in screen_text(app)

        after = Market(db, "eng1", clock=fixed_clock).match(gig.id)
        assert after.score > before.score
        assert after.term("required skills").points == 60 > before.term("required skills").points
        assert after.term("growth").points == 15 > before.term("growth").points

        await go(pilot, "b", BrowseScreen)
        if app.screen.view != "all":
            await press(pilot, "v")
        table = app.screen.query_one(OpportunityTable)
        row = next(r for r in range(table.row_count) if table.listed_at(r).opportunity.id == gig.id)
        assert table.listed_at(row).score == after.score


async def test_change_and_remove_a_skill(db):
    admin = build_org(db, opportunities=0)
    admin.as_user("eng1").set_skill("Python", 2)
    app = open_app(db, "eng1")
    async with started(app, SMALL) as pilot:
        await go(pilot, "u", ProfileScreen)
        await pilot.press("5")  # a digit sets the level at once
        await settle(pilot)
        assert Market(db, "eng1").profile().skills[0].level == 5
        await go(pilot, "enter", LevelDialog)
        assert "3 Practitioner: handles most work unaided" in screen_text(app)
        await pilot.press("up", "up", "enter")  # from 5 to 3
        await settle(pilot)
        assert Market(db, "eng1").profile().skills[0].level == 3
        await go(pilot, "x", ConfirmDialog)
        assert "Remove Python from your profile?" in screen_text(app)
        await press(pilot, "y")
        assert "Removed Python." in notifications(app)
        assert "No skills yet." in screen_text(app)
    assert Market(db, "eng1").profile().skills == ()


async def test_weekly_hours_are_shown_but_set_by_the_line_manager(db):
    admin = build_org(db, opportunities=0)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await go(pilot, "u", ProfileScreen)
        assert "Your line manager (mgr) or an admin sets your contracted hours and cap." in screen_text(app)
        await go(pilot, "h", ProfileScreen)  # no key of the employee's edits them
        admin.as_user("mgr").set_weekly_hours("eng1", 30)
        await press(pilot, "f5")
        assert "30 h/week of work · marketplace cap 20% = 6 h/week" in screen_text(app)


# ---------------------------------------------------------------------- inbox


async def test_inbox_lists_newest_first_and_marks_unread(db):
    admin = build_org(db, opportunities=2)
    owner = admin.as_user("owner")
    first, second = owner.my_postings()
    eng = admin.as_user("eng1")
    app_id = eng.apply(first.id).application_id
    owner.shortlist(app_id)
    owner.decline(eng.apply(second.id).application_id, "filled")
    eng.mark_read(eng.notifications()[-1].id)  # the oldest is read
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        assert header(app).startswith("oppmarket · 1 unread")
        await go(pilot, "i", InboxScreen)
        table = app.screen.query_one(DataTable)
        rows = [[c.plain for c in table.get_row_at(r)] for r in range(table.row_count)]
        assert [row[0] for row in rows] == ["●", ""]
        assert rows[0][2] == f"Your application to '{second.title}' was not taken forward: filled"
        assert rows[1][2] == f"You were shortlisted for '{first.title}'"
        assert "1 unread of 2." in screen_text(app)
        await press(pilot, "space")
        assert header(app).startswith("oppmarket —")
        assert "0 unread of 2." in screen_text(app)


async def test_enter_opens_what_a_notification_is_about_and_marks_it_read(db, monkeypatch):
    admin = build_org(db, opportunities=1)
    gig = admin.as_user("owner").my_postings()[0]
    admin.as_user("eng1").apply(gig.id)
    reviewed = []
    app = open_app(db, "owner")
    monkeypatch.setattr(app, "open_review", reviewed.append)
    async with started(app) as pilot:
        await go(pilot, "i", InboxScreen)
        await press(pilot, "enter")
        assert reviewed == [gig.id]  # someone applied: the owner reviews the applicants
        assert header(app).startswith("oppmarket —")
    assert Market(db, "owner").unread_count() == 0


async def test_an_applicant_follows_a_notification_to_my_work(db):
    admin = build_org(db, opportunities=1)
    owner = admin.as_user("owner")
    app_id = admin.as_user("eng1").apply(owner.my_postings()[0].id).application_id
    owner.shortlist(app_id)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await go(pilot, "i", InboxScreen)
        await press(pilot, "enter")
        assert isinstance(app.screen, MyWorkScreen)
        assert "Shortlisted" in screen_text(app)


async def test_mark_all_read_and_the_empty_inbox(db):
    admin = build_org(db, opportunities=2)
    for gig in admin.as_user("owner").my_postings():
        admin.as_user("eng1").apply(gig.id)
    app = open_app(db, "owner")
    async with started(app, SMALL) as pilot:
        assert "2 unread" in header(app)
        await go(pilot, "i", InboxScreen)
        await press(pilot, "ctrl+a")
        assert header(app).startswith("oppmarket —")
        assert "a" not in {k for k, b in app.screen.active_bindings.items() if b.enabled}
    assert Market(db, "owner").unread_count() == 0

    app = open_app(db, "mgr")
    async with started(app, SMALL) as pilot:
        await go(pilot, "i", InboxScreen)
        assert "Nothing here yet." in screen_text(app)
        await go(pilot, "escape", BrowseScreen)


async def test_notification_text_is_shown_literally(db):
    admin = build_org(db, opportunities=1)
    admin.add_person("odd", HOSTILE + "\x1b[5m", department="Product")
    admin.as_user("odd").apply(admin.as_user("owner").my_postings()[0].id)
    app = open_app(db, "owner")
    async with started(app) as pilot:
        await go(pilot, "i", InboxScreen)
        cell = app.screen.query_one(DataTable).get_row_at(0)[2]
        assert cell.plain == f"{HOSTILE}[5m applied to 'Gig 000'" and not cell.spans
        await pilot.click(DataTable)
        await pilot.pause()
        assert app.is_running


async def test_the_unread_count_is_in_the_header_of_every_screen(db):
    admin = build_org(db, opportunities=1)
    admin.as_user("eng1").apply(admin.as_user("owner").my_postings()[0].id)
    app = open_app(db, "owner")
    async with started(app, SMALL) as pilot:
        for key, screen in (("m", MyWorkScreen), ("u", ProfileScreen), ("i", InboxScreen), ("b", BrowseScreen),
                            ("p", PostScreen)):
            await go(pilot, key, screen)
            assert header(app).startswith("oppmarket · 1 unread — Omar Owner (owner)"), key
            if key == "p":
                await pilot.press("escape")


# ---------------------------------------------------------------------- the journey


async def test_post_then_apply_as_someone_else_then_follow_it(db):
    """An owner posts through the form; an engineer finds it in browse and applies;
    the owner's header and inbox say so; the engineer withdraws; the owner hears."""
    admin = build_org(db, opportunities=0)
    admin.add_skill("Kubernetes", category="Platform", aliases=["k8s"])
    app = open_app(db, "owner", can_switch_user=True)
    async with started(app) as pilot:
        await go(pilot, "p", PostScreen)
        await pilot.press(*"Helm chart for billing")
        app.screen.query_one("#required").query_one(SkillQuery).focus()
        await press(pilot, *"k8s")
        await press(pilot, "enter", "ctrl+o")
        assert isinstance(app.screen, MyWorkScreen)

        app.become("eng1")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        if app.screen.view != "all":
            await press(pilot, "v")
        table = app.screen.query_one(OpportunityTable)
        assert table.highlighted.opportunity.title == "Helm chart for billing"  # the newest
        await go(pilot, "a", ApplyScreen)
        await press(pilot, *"I run our clusters.", "ctrl+s")
        assert any(n.startswith("You applied to “Helm chart for billing”") for n in notifications(app))

        app.become("owner")
        await settle(pilot)
        assert header(app).startswith("oppmarket · 1 unread — Omar Owner (owner)")
        await go(pilot, "i", InboxScreen)
        assert "● 2026-03-02 09:00 Eli Engineer applied to 'Helm chart for billing'" in screen_text(app)
        await go(pilot, "m", MyWorkScreen)
        await pilot.press("2")
        await pilot.pause()
        assert "Applicants: 1 applied" in screen_text(app)

        app.become("eng1")
        await settle(pilot)
        await go(pilot, "m", MyWorkScreen)
        assert "What happens next: The owner (owner) has your application." in screen_text(app)
        await go(pilot, "w", ConfirmDialog)
        await press(pilot, "y")
        assert "Withdrawn" in screen_text(app)

        app.become("owner")
        await settle(pilot)
        await go(pilot, "i", InboxScreen)
        assert "Eli Engineer withdrew from 'Helm chart for billing'" in screen_text(app)


async def test_the_palette_leads_to_each_screen(db):
    build_org(db, opportunities=1)
    app = open_app(db, "owner")
    async with started(app) as pilot:
        await press(pilot, "ctrl+p")
        await press(pilot, *"my postings")
        assert "My postings" in screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, MyWorkScreen) and app.screen.tab == "postings"
        assert "Gig 000" in screen_text(app)

        await go(pilot, "p", PostScreen)
        await pilot.press(*"Unsaved")
        await press(pilot, "ctrl+p")
        await press(pilot, *"inbox")
        await press(pilot, "enter")
        assert isinstance(app.screen, ConfirmDialog)  # the form asks first, as with the keys
        await press(pilot, "y")
        assert isinstance(app.screen, InboxScreen)


async def test_news_reaches_an_open_inbox(db):
    admin = build_org(db, opportunities=2)
    first, second = admin.as_user("owner").my_postings()
    admin.as_user("eng1").apply(first.id)
    app = open_app(db, "owner")
    async with started(app) as pilot:
        await go(pilot, "i", InboxScreen)
        assert app.screen.query_one(DataTable).row_count == 1
        Market(db, "eng1", clock=fixed_clock).apply(second.id)  # meanwhile, elsewhere
        app.refresh_unread()  # as the app's timer does
        await settle(pilot)
        assert header(app).startswith("oppmarket · 2 unread")
        assert app.screen.query_one(DataTable).row_count == 2
        assert f"Eli Engineer applied to '{second.title}'" in screen_text(app)
