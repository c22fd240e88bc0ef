"""The inbox stays true: a release request or a core-work question answered elsewhere
(the CLI, another session) is no longer unread, and opening a release request lands
on that request, not on whoever heads the queue."""

from __future__ import annotations

from textual.widgets import DataTable

from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market
from oppmarket.screens.inbox import InboxScreen
from oppmarket.screens.releases import ReleasesScreen

from support import NOW, Clock, build_org, notifications, open_app, press, screen_text, staff, started


def two_offers(db) -> tuple[int, int]:
    """'owner' offers eng1 a gig and, an hour later, eng2 another: both report to mgr,
    who is asked to release each. Returns the two application ids."""
    clock = Clock(NOW)
    admin = build_org(db, clock=clock, joiners=staff("eng2"), opportunities=0)
    owner = admin.as_user("owner")
    gig = owner.post(OpportunityDraft(title="Payments tracing", hours_per_week=4), publish=True)
    talk = owner.post(OpportunityDraft(title="Conference talk", hours_per_week=3), publish=True)
    first = admin.as_user("eng1").apply(gig.id).application_id
    second = admin.as_user("eng2").apply(talk.id).application_id
    owner.offer(first)
    admin.as_user("eng1").accept(first)
    clock.advance(hours=1)
    owner.offer(second)
    admin.as_user("eng2").accept(second)
    return first, second


def rows(app) -> list[list[str]]:
    table = app.screen.query_one("#notifications", DataTable)
    return [[c.plain for c in table.get_row_at(r)] for r in range(table.row_count)]


async def open_inbox(pilot) -> None:
    await press(pilot, "i")
    assert isinstance(pilot.app.screen, InboxScreen)


async def test_a_release_decided_elsewhere_is_no_longer_unread(db):
    first, second = two_offers(db)
    Market(db, "mgr").release(first)  # from the command line, before the app starts
    app = open_app(db, "mgr")
    async with started(app) as pilot:
        assert "1 unread" in screen_text(app)
        await open_inbox(pilot)
        # Newest first: Erin's request still waits; Eli's is done.
        assert [(r[0], r[2].split(" accepted an offer")[0]) for r in rows(app)] == [("●", "Erin Engineer"),
                                                                              ("✓", "Eli Engineer")]
        assert "1 unread of 2." in screen_text(app)
        await press(pilot, "down")
        assert "Done: what this asked for has happened." in screen_text(app)


async def test_a_release_decided_in_another_session_leaves_an_open_inbox(db):
    first, second = two_offers(db)
    app = open_app(db, "mgr")
    async with started(app) as pilot:
        await open_inbox(pilot)
        assert [r[0] for r in rows(app)] == ["●", "●"]
        Market(db, "mgr").decline_release(second, "The quarter-end close needs everyone")  # meanwhile, elsewhere
        app.refresh_unread()  # as the app's timer does
        await press(pilot)
        assert [r[0] for r in rows(app)] == ["✓", "●"]
        assert "1 unread" in screen_text(app)


async def test_opening_a_release_request_lands_on_that_person(db):
    first, second = two_offers(db)
    app = open_app(db, "mgr")
    async with started(app) as pilot:
        await open_inbox(pilot)
        # The newest, Erin's, is second in the queue (Eli's release is due first).
        await press(pilot, "enter")
        screen = app.screen
        assert isinstance(screen, ReleasesScreen)
        assert screen.highlighted.application.id == second
        assert "Erin Engineer (eng2)" in screen_text(app)
        await press(pilot, "i", "down", "enter")
        assert isinstance(app.screen, ReleasesScreen)
        assert app.screen.highlighted.application.id == first


async def test_a_request_no_longer_waiting_says_so_and_stays_put(db):
    first, second = two_offers(db)
    Market(db, "eng2").withdraw(second)
    app = open_app(db, "mgr")
    async with started(app) as pilot:
        await open_inbox(pilot)
        # Eli withdrew: the newest notice says so; the request below it is done.
        request = next(i for i, r in enumerate(rows(app)) if "release or decline" in r[2])
        for _ in range(request):
            await press(pilot, "down")
        await press(pilot, "enter")
        assert isinstance(app.screen, InboxScreen)
        assert ("The offer of 'Conference talk' to Erin Engineer no longer waits for your release: "
                "it is withdrawn.") in notifications(app)


async def test_a_core_work_question_answered_elsewhere_is_done(db):
    first, _ = two_offers(db)
    Market(db, "mgr").release(first)
    Market(db, "owner").complete(first, 4, "Thank you")
    question = next(q for q in Market(db, "eng1").core_work_questions() if q.application_id == first)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await open_inbox(pilot)
        assert rows(app)[0][0] == "●" and "How did it affect your core work?" in rows(app)[0][2]
        Market(db, "eng1").answer_core_work(question.id, "better")  # in another session
        app.refresh_unread()
        await press(pilot)
        assert rows(app)[0][0] == "✓"
