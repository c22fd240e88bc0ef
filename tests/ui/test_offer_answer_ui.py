"""The candidate answers an offer on My work: `o` opens "Your offer", whose Accept sends
it on to the line manager and whose Decline (with an optional reason) frees the seat;
an offer left unanswered lapses in the maintenance pass."""

from __future__ import annotations

from textual.widgets import DataTable

from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market
from oppmarket.screens.my_work import MyWorkScreen
from oppmarket.screens.offer_answer import OfferAnswerDialog
from oppmarket.screens.releases import ReleasesScreen

from support import NOW, SIZE, Clock, build_org, notifications, open_app, opened, press, screen_text


def offer_to_eng1(db, clock=None) -> tuple[Market, int, int]:
    """'owner' offers eng1 (a report of 'mgr') the one seat of a 4 h/week gig.
    Returns the admin's market, the posting's id and the application's id."""
    admin = build_org(db, clock=clock or Clock(NOW), opportunities=0)
    owner = admin.as_user("owner")
    gig = owner.post(OpportunityDraft(title="Payments tracing", hours_per_week=4, seats=1), publish=True)
    app_id = admin.as_user("eng1").apply(gig.id, "Tracing is what I want to learn").application_id
    owner.offer(app_id, "Welcome aboard")
    return admin, gig.id, app_id


async def open_my_work(pilot) -> MyWorkScreen:
    return await opened(pilot, lambda: pilot.app.open_my_work("applications"), MyWorkScreen)


def statuses(screen: MyWorkScreen) -> dict[str, str]:
    table = screen.query_one("#applications-table", DataTable)
    return {table.get_row_at(r)[1].plain: table.get_row_at(r)[0].plain for r in range(table.row_count)}


async def test_the_candidate_accepts_and_the_manager_is_asked(db):
    admin, _, app_id = offer_to_eng1(db)
    mgr = admin.as_user("mgr")
    assert mgr.pending_releases() == []
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_work(pilot)
        assert statuses(screen) == {"Payments tracing": "Offered"}
        assert "accept or decline it (o) by 2026-03-09" in screen_text(app)
        await press(pilot, "o")
        assert isinstance(app.screen, OfferAnswerDialog)
        text = screen_text(app)
        assert "Answer by Monday 2026-03-09" in text and "4 h/week" in text
        await press(pilot, "a")
        assert app.screen is screen
        assert statuses(screen) == {"Payments tracing": "Accepted"}
        assert "You accepted “Payments tracing”; your line manager is asked to release your time." in (
            notifications(app))
        # The key is offered only while an offer waits for its answer.
        assert not screen.check_action("answer_offer", ())
    # The offer in the inbox is done; the manager's queue now holds the request.
    eng1 = admin.as_user("eng1")
    assert next(n for n in eng1.notifications() if n.link == f"offer:{app_id}").done
    assert [a.id for a in mgr.pending_releases()] == [app_id]
    app = open_app(db, "mgr")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot, lambda: pilot.app.open_releases(), ReleasesScreen)
        text = screen_text(app)
        assert "Eli Engineer" in text and "Payments tracing" in text


async def test_declining_with_a_reason_frees_the_seat(db):
    admin, gig_id, app_id = offer_to_eng1(db)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_work(pilot)
        await press(pilot, "o")
        # Decline first asks why, and the letters typed are the reason's, not keys.
        await press(pilot, "d")
        assert isinstance(app.screen, OfferAnswerDialog)
        await press(pilot, *"a clash", "enter")
        assert app.screen is screen
        assert statuses(screen) == {"Payments tracing": "Offer declined"}
    owner = admin.as_user("owner")
    answered = owner.application(app_id)
    assert (answered.status, answered.decline_reason) == ("offer_declined", "a clash")
    assert owner.opportunity(gig_id).seats_taken == 0
    assert owner.notifications()[0].text == ("Eli Engineer declined your offer for 'Payments tracing': a clash; "
                                             "the seat is free again")
    assert admin.as_user("mgr").notifications() == []


async def test_escape_leaves_the_offer_waiting(db):
    admin, _, app_id = offer_to_eng1(db)
    app = open_app(db, "eng1")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_work(pilot)
        await press(pilot, "o")
        await press(pilot, "escape")
        assert app.screen is screen
    assert admin.application(app_id).status == "offered"


async def test_an_unanswered_offer_lapses_when_maintenance_runs(db):
    clock = Clock(NOW)
    admin, gig_id, app_id = offer_to_eng1(db, clock)
    clock.advance(days=7, minutes=1)
    # Starting the app runs the maintenance pass, on the app's clock.
    app = open_app(db, "eng1", clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_my_work(pilot)
        assert statuses(screen) == {"Payments tracing": "Offer lapsed"}
        assert "The offer lapsed: it was not answered by 2026-03-09." in screen_text(app)
        await press(pilot, "o")
        assert app.screen is screen  # nothing left to answer
    owner = admin.as_user("owner")
    assert owner.application(app_id).status == "offer_lapsed"
    assert owner.opportunity(gig_id).seats_taken == 0
    assert "did not answer your offer for 'Payments tracing' in time" in owner.notifications()[0].text
