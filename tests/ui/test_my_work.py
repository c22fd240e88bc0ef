"""My work: my applications along their lifecycle, my postings with their applicants."""

from __future__ import annotations

from textual.widgets import DataTable

from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market
from oppmarket.widgets.confirm import ConfirmDialog
from oppmarket.screens.help import HelpScreen
from oppmarket.screens.my_work import MyWorkScreen
from oppmarket.screens.post import PostScreen

from support import (
    HOSTILE, SIZE, SMALL, Person, build_org, fixed_clock, notifications, open_app, opened, press, screen_text,
    settle,
)


def shown_keys(app) -> set[str]:
    """The keys the footer shows as usable."""
    return {key for key, active in app.screen.active_bindings.items() if active.binding.show and active.enabled}


async def open_my_work(pilot, tab: str = "applications") -> MyWorkScreen:
    return await opened(pilot, lambda: pilot.app.open_my_work(tab), MyWorkScreen)


def table_titles(screen, which: str) -> list[str]:
    table = screen.query_one(f"#{which}-table", DataTable)
    return [table.get_row_at(row)[1].plain for row in range(table.row_count)]


# ---------------------------------------------------------------------- applications


async def test_applications_show_their_status_and_what_happens_next(db):
    admin = build_org(db, opportunities=3)
    owner, eng = admin.as_user("owner"), admin.as_user("eng1")
    gigs = {o.title: o.id for o in owner.my_postings()}
    eng.apply(gigs["Gig 000"], "keen")
    shortlisted = eng.apply(gigs["Gig 001"]).application_id
    offered = eng.apply(gigs["Gig 002"]).application_id
    owner.shortlist(shortlisted)
    owner.offer(offered)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_work(pilot)
        table = screen.query_one("#applications-table", DataTable)
        statuses = {table.get_row_at(r)[1].plain: table.get_row_at(r)[0].plain for r in range(table.row_count)}
        assert statuses == {"Gig 000": "Applied", "Gig 001": "Shortlisted", "Gig 002": "Offered"}
        for title, expected in (
            ("Gig 002", "What happens next: You have an offer: accept or decline it (o) by 2026-03-09. Only "
                        "once you accept is your line manager asked to release your 4 h/week"),
            ("Gig 001", "What happens next: You are on the shortlist."),
            ("Gig 000", "What happens next: The owner (owner) has your application."),
        ):
            table.move_cursor(row=table_titles(screen, "applications").index(title))
            await pilot.pause()
            text = screen_text(app)
            assert expected in text, title
        assert "Your note: keen" in text
        assert "Applied → Shortlisted → Offered → Accepted → Active → Completed" in text


async def test_withdraw_asks_first_and_tells_the_owner(db):
    admin = build_org(db, opportunities=1)
    gig = admin.as_user("owner").my_postings()[0]
    app_id = admin.as_user("eng1").apply(gig.id).application_id
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_work(pilot)
        assert "w" in shown_keys(app)
        await press(pilot, "w")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Withdraw from “Gig 000”?" in screen_text(app)
        await press(pilot, "n")
        assert Market(db, "eng1").application(app_id).status == "applied"

        await press(pilot, "w")
        await press(pilot, "y")
        assert app.screen is screen
        assert "You withdrew from “Gig 000”; the owner has been told." in notifications(app)
        assert "Withdrawn" in screen_text(app)
        assert "What happens next: You withdrew." in screen_text(app)
        assert "w" not in app.screen.active_bindings  # nothing left to withdraw: no key for it
    assert Market(db, "eng1").application(app_id).status == "withdrawn"
    assert Market(db, "owner").notifications()[0].text == "Eli Engineer withdrew from 'Gig 000'"


async def test_ended_applications_say_how_they_ended(db):
    admin = build_org(db, opportunities=1)
    owner = admin.as_user("owner")
    gig = owner.my_postings()[0]
    app_id = admin.as_user("eng1").apply(gig.id).application_id
    owner.decline(app_id, "we need SQL 4")
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        await open_my_work(pilot)
        text = screen_text(app)
        assert "Applied → ✗ Declined" in text
        assert "The owner did not take your application forward. Reason: we need SQL 4" in text


async def test_enter_on_an_application_shows_the_opportunity(db, monkeypatch):
    admin = build_org(db, opportunities=1)
    gig = admin.as_user("owner").my_postings()[0]
    admin.as_user("eng1").apply(gig.id)
    opened = []
    app = open_app(db, "eng1")
    monkeypatch.setattr(app, "open_opportunity", opened.append)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_work(pilot)
        await pilot.press("enter")
    assert opened == [gig.id]


# ---------------------------------------------------------------------- postings


async def test_postings_count_applicants_by_state(db):
    admin = build_org(db, joiners=[Person(username, name, department="Platform", manager="mgr")
                                   for username, name in (("eng2", "Erin Engineer"), ("eng3", "Ezra Engineer"))],
                      opportunities=0)
    owner = admin.as_user("owner")
    busy = owner.post(OpportunityDraft(title="Busy gig", seats=3), publish=True)
    owner.post(OpportunityDraft(title="Quiet draft"))
    ids = [admin.as_user(u).apply(busy.id).application_id for u in ("eng1", "eng2", "eng3")]
    owner.shortlist(ids[1])
    owner.offer(ids[2])
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_work(pilot, "postings")
        table = screen.query_one("#postings-table", DataTable)
        rows = {table.get_row_at(r)[1].plain: [c.plain for c in table.get_row_at(r)] for r in range(table.row_count)}
        assert rows["Busy gig"] == ["Open", "Busy gig", "1", "1", "1", "·", "1/3"]
        assert rows["Quiet draft"] == ["Draft", "Quiet draft", "·", "·", "·", "·", "0/1"]
        table.move_cursor(row=list(rows).index("Busy gig"))
        await pilot.pause()
        assert "Applicants: 1 applied · 1 shortlisted · 1 offered" in screen_text(app)


async def test_open_close_and_cancel_a_posting(db):
    admin = build_org(db, opportunities=0)
    owner = admin.as_user("owner")
    gig = owner.post(OpportunityDraft(title="Small gig"))
    app_id = None
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        await open_my_work(pilot, "postings")
        assert {"ctrl+o", "e", "x"} <= shown_keys(app) and "ctrl+w" not in shown_keys(app)
        await press(pilot, "ctrl+o")
        assert "“Small gig” is open to applicants." in notifications(app)
        assert Market(db, "owner").opportunity(gig.id).status == "open"
        app_id = Market(db, "eng1", clock=fixed_clock).apply(gig.id).application_id

        await press(pilot, "ctrl+w")
        assert Market(db, "owner").opportunity(gig.id).status == "closed"
        assert "Closed: no new applicants" in screen_text(app)

        await press(pilot, "x")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Cancel “Small gig”?" in screen_text(app)
        await pilot.press("escape")  # no
        await settle(pilot)
        assert Market(db, "owner").opportunity(gig.id).status == "closed"
        await press(pilot, "x")
        await press(pilot, "y")
        assert "“Small gig” is cancelled; everyone in play has been told." in notifications(app)
        assert {"o", "c", "x", "e"}.isdisjoint(shown_keys(app))
    assert Market(db, "owner").opportunity(gig.id).status == "cancelled"
    assert Market(db, "eng1").application(app_id).status == "cancelled"
    assert Market(db, "eng1").notifications()[0].text == "'Small gig' was cancelled"


async def test_enter_reviews_the_applicants_and_e_edits(db, monkeypatch):
    admin = build_org(db, opportunities=1)
    gig = admin.as_user("owner").my_postings()[0]
    reviewed = []
    app = open_app(db, "owner")
    monkeypatch.setattr(app, "open_review", reviewed.append)
    async with app.run_test(size=SIZE) as pilot:
        await open_my_work(pilot, "postings")
        await pilot.press("enter")
        assert reviewed == [gig.id]
        await press(pilot, "e")
        assert isinstance(app.screen, PostScreen) and app.screen.opportunity_id == gig.id


async def test_each_tab_shows_only_its_own_keys(db):
    build_org(db, opportunities=1)
    app = open_app(db, "owner")
    async with app.run_test(size=SMALL) as pilot:
        await open_my_work(pilot, "applications")
        assert {"w", "e", "ctrl+o", "ctrl+w", "x"}.isdisjoint(shown_keys(app) - {"w"})
        await pilot.press("2")
        await pilot.pause()
        assert "w" not in app.screen.active_bindings
        assert {"e", "ctrl+w", "x"} <= shown_keys(app)
        assert "ctrl+o" not in app.screen.active_bindings  # not even greyed out
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = {(k.key, k.description) for k in app.screen.keys}
        assert {("e", "Edit"), ("^w", "Close"), ("x", "Cancel"),
                ("⏎", "Review"), ("1", "Applications"), ("2", "Postings"), ("esc", "Back")} <= listed
        # The posting is open already: neither the footer nor the help offers to open it.
        assert ("^o", "Publish") not in listed


async def test_empty_tabs_explain_themselves(db):
    build_org(db, opportunities=0)
    app = open_app(db, "eng1")
    async with app.run_test(size=SMALL) as pilot:
        await open_my_work(pilot)
        assert "You have not applied to anything yet." in screen_text(app)
        await pilot.press("2")
        await pilot.pause()
        assert "You have not posted anything yet." in screen_text(app)
        await press(pilot, "escape")
        assert type(app.screen).__name__ == "BrowseScreen"


async def test_titles_are_shown_literally(db):
    admin = build_org(db, opportunities=0)
    gig = admin.as_user("owner").post(OpportunityDraft(title=HOSTILE), publish=True)
    admin.as_user("eng1").apply(gig.id, HOSTILE)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_work(pilot)
        cell = screen.query_one("#applications-table", DataTable).get_row_at(0)[1]
        assert cell.plain == HOSTILE and not cell.spans
        assert f"Your note: {HOSTILE}" in screen_text(app)
        await pilot.click("#application-detail")
        await pilot.pause()
        assert app.is_running


async def test_a_draft_reads_drafted_not_posted(db):
    admin = build_org(db, opportunities=0)
    admin.as_user("owner").post(OpportunityDraft(title="Half-baked idea", hours_per_week=2))
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        await open_my_work(pilot, "postings")
        text = screen_text(app)
        assert "Half-baked idea" in text and "drafted 20" in text
        assert "posted 20" not in text
