"""Undo on the review screen takes back only the last action of this visit, names it in
the footer, and an action taken back within its window tells nobody; blind review
stays on for a posting until its owner turns it off."""

from __future__ import annotations

from contextlib import asynccontextmanager

from oppmarket.market import Market
from oppmarket.screens.complete import CompleteDialog
from oppmarket.screens.review import ReviewScreen

from support import SIZE, SMALL, Clock, notifications, open_app, press, screen_text
from support.review import NAMES, key_then_enter, open_review, order, posting_with_applicants, statuses


def inbox(db, username: str, clock) -> list[str]:
    return [n.text for n in Market(db, username, clock=clock).notifications()]


@asynccontextmanager
async def reviewing(db, clock: Clock, count: int = 2, size: tuple[int, int] = SIZE):
    """The owner's review of a posting with `count` applicants, on `clock`: (app, pilot, id)."""
    _, opp_id = posting_with_applicants(db, count, clock=clock)
    app = open_app(db, "owner", clock=clock)
    async with app.run_test(size=size) as pilot:
        await open_review(pilot, opp_id)
        yield app, pilot, opp_id


async def highlight(pilot, username: str) -> None:
    screen = pilot.app.screen
    screen.table.move_cursor(row=order(pilot.app).index(username))
    await pilot.pause()


# ---------------------------------------------------------------------- what ctrl+z takes back


async def test_after_a_complete_u_does_not_reach_back_to_an_earlier_decline(db):
    admin, opp_id = posting_with_applicants(db, 3)
    owner = admin.as_user("owner")
    apps = {a.applicant_username: a.id for a in owner.applicants(opp_id)}
    owner.offer(apps["marrow"])
    admin.as_user(owner.application(apps["marrow"]).applicant_username).accept(apps["marrow"])
    admin.as_user("mgr").release(apps["marrow"])
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, opp_id)
        await highlight(pilot, "tansy")
        await key_then_enter(pilot, "x")
        assert statuses(db, opp_id)["tansy"] == "declined"

        await highlight(pilot, "marrow")
        await press(pilot, "c")
        assert isinstance(app.screen, CompleteDialog)
        await press(pilot, "5")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, ReviewScreen)
        assert statuses(db, opp_id)["marrow"] == "completed"

        await press(pilot, "ctrl+z")
        assert statuses(db, opp_id)["tansy"] == "declined"
        assert notifications(app)[-1] == ("Completing with Mirela Marrowby cannot be undone; "
                                          "ctrl+z takes back only the last shortlist, offer or decline")


async def test_on_a_new_visit_u_takes_back_nothing(db):
    admin, opp_id = posting_with_applicants(db, 2)
    owner = admin.as_user("owner")
    apps = {a.applicant_username: a.id for a in owner.applicants(opp_id)}
    owner.offer(apps["quill"])
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, opp_id)
        await highlight(pilot, "quill")
        await press(pilot, "ctrl+z")
        assert statuses(db, opp_id)["quill"] == "offered"
        assert notifications(app)[-1] == "Nothing to undo: ctrl+z takes back the last shortlist, offer or decline you made here"


async def test_u_takes_back_only_the_last_action_and_the_footer_names_it(db):
    _, opp_id = posting_with_applicants(db, 3)
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, opp_id)
        assert "^z Undo " in screen_text(app) and "^z Undo shortlist" not in screen_text(app)
        await highlight(pilot, "quill")
        await press(pilot, "y")
        assert "^z Undo shortlist of Quentin c Complete" in screen_text(app)
        await highlight(pilot, "tansy")
        await key_then_enter(pilot, "x")
        assert "^z Undo decline of Tobias c Complete" in screen_text(app)

        # Blind review names them by rank, in the footer too.
        await press(pilot, "ctrl+b")
        rank = order(app).index("tansy") + 1
        assert f"^z Undo decline of Applicant {rank}" in screen_text(app)
        assert "Tansworth" not in screen_text(app)
        await press(pilot, "ctrl+b")

        await press(pilot, "ctrl+z")
        assert statuses(db, opp_id) == {"quill": "shortlisted", "marrow": "applied", "tansy": "applied"}
        assert notifications(app)[-1] == "Took back the decline of Tobias Tansworth"
        assert "^z Undo decline" not in screen_text(app)
        # The shortlist before it stays: u took back the last action, and only that.
        await press(pilot, "ctrl+z")
        assert statuses(db, opp_id)["quill"] == "shortlisted"
        assert notifications(app)[-1].startswith("Nothing to undo")


async def test_the_footer_fits_a_small_terminal(db):
    async with reviewing(db, Clock(), 1, SMALL) as (app, pilot, _):
        await key_then_enter(pilot, "x")
        # No room to name it at 80 columns: the footer keeps ? in sight, the help names it.
        assert "^z Undo c Complete" in screen_text(app) and "? Help q Quit" in screen_text(app)
        assert app.screen.active_bindings["ctrl+z"].binding.description == "Undo decline of Quentin"


# ---------------------------------------------------------------------- what people are told


async def test_an_action_taken_back_within_its_window_tells_nobody(db):
    clock = Clock()
    async with reviewing(db, clock) as (app, pilot, opp_id):
        await highlight(pilot, "quill")
        await key_then_enter(pilot, "o")
        assert statuses(db, opp_id)["quill"] == "offered"
        # Within the window nobody has heard yet.
        clock.advance(seconds=5)
        assert inbox(db, "quill", clock) == [] and inbox(db, "mgr", clock) == []
        assert Market(db, "quill", clock=clock).unread_count() == 0
        await press(pilot, "ctrl+z")
        assert statuses(db, opp_id)["quill"] == "applied"
        clock.advance(minutes=5)
        assert inbox(db, "quill", clock) == [] and inbox(db, "mgr", clock) == []
    # The audit log keeps both the offer and its undo.
    log = [(e.action, e.actor) for e in Market(db, "admin", clock=clock).audit_log(limit=5)]
    assert log[:2] == [("undo", "owner"), ("offer", "owner")]


async def test_a_kept_action_is_told_once_its_window_has_passed(db):
    clock = Clock()
    async with reviewing(db, clock) as (app, pilot, opp_id):
        await highlight(pilot, "marrow")
        await press(pilot, "x")
        await press(pilot, *"Not this time", "enter")
        assert inbox(db, "marrow", clock) == []
        clock.advance(seconds=11)
        assert inbox(db, "marrow", clock) == [
            "Your application to 'Forecast model' was not taken forward: Not this time"]
        # Taken back after the window: they heard of the decline, so they hear of this.
        await press(pilot, "ctrl+z")
        assert inbox(db, "marrow", clock)[0] == "Your application to 'Forecast model' is back under review"


async def test_leaving_the_review_tells_everyone_at_once(db):
    clock = Clock()
    async with reviewing(db, clock) as (app, pilot, opp_id):
        await highlight(pilot, "quill")
        await press(pilot, "y")
        assert inbox(db, "quill", clock) == []
        await press(pilot, "escape")
        assert not isinstance(app.screen, ReviewScreen)
        assert inbox(db, "quill", clock) == ["You were shortlisted for 'Forecast model'"]


# ---------------------------------------------------------------------- blind review


async def test_blind_review_stays_on_across_visits_and_sessions(db):
    async with reviewing(db, Clock(), 3) as (app, pilot, opp_id):
        await press(pilot, "ctrl+b")
        assert "blind review" in screen_text(app)
        await press(pilot, "escape")
        await open_review(pilot, opp_id)
        text = screen_text(app)
        assert "blind review" in text and "Applicant 1" in text
        assert not any(name in text for name in NAMES.values())

    # A new session of the owner: still blind, until they press b.
    app = open_app(db, "owner")
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, opp_id)
        assert "blind review" in screen_text(app)
        assert "Quentin Quillfeather" not in screen_text(app)
        await press(pilot, "ctrl+b")
        assert "Quentin Quillfeather" in screen_text(app)
        await press(pilot, "escape")
        await open_review(pilot, opp_id)
        assert "Quentin Quillfeather" in screen_text(app) and "blind review" not in screen_text(app)
