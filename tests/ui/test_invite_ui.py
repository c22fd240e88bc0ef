"""Inviting candidates: the owner opens the best-matching people open to invitations
from My work or from the review (n either way), reads why each fits, and invites one;
the person finds it in their inbox and it leads to the posting. People open or close
themselves to invitations on their profile (n)."""

from __future__ import annotations

from textual.widgets import DataTable

from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market
from oppmarket.screens.invite import InviteScreen
from oppmarket.screens.my_work import MyWorkScreen
from oppmarket.screens.opportunity import OpportunityScreen
from oppmarket.screens.profile import ProfileScreen
from oppmarket.screens.review import ReviewScreen
from oppmarket.widgets.prompt import TextPrompt

from support import SMALL, build_org, notifications, open_app, opened, press, screen_text, staff, started


def posting_with_candidates(db) -> int:
    """'owner' posts a gig asking Python 3 and growing SQL. eng1 (Python 4) and eng2
    (Python 2, wants to learn SQL) are open to invitations; mgr (Python 5) is not;
    loner applied. Returns the gig's id."""
    admin = build_org(db, joiners=staff("eng2", "loner"), opportunities=0)
    for username, level in (("eng1", 4), ("eng2", 2), ("mgr", 5), ("loner", 3)):
        admin.as_user(username).set_skill("Python", level)
    admin.as_user("eng2").set_interests(["SQL"])
    for username in ("eng1", "eng2", "loner"):
        admin.as_user(username).set_open_to_invitations(True)
    gig = admin.as_user("owner").post(OpportunityDraft(
        title="Payments tracing", hours_per_week=4, skills=[("Python", 3, "required"), ("SQL", 2, "grows")]),
        publish=True)
    admin.as_user("loner").apply(gig.id)
    return gig.id


def names(screen: InviteScreen) -> list[str]:
    table = screen.query_one("#candidates", DataTable)
    return [table.get_row_at(r)[0].plain for r in range(table.row_count)]


def keys(screen) -> set[str]:
    return {key for key, binding in screen.active_bindings.items() if binding.enabled}


async def test_an_owner_invites_a_candidate_from_my_work(db):
    gig = posting_with_candidates(db)
    app = open_app(db, "owner")
    async with started(app) as pilot:
        await press(pilot, "m", "2")
        assert isinstance(app.screen, MyWorkScreen) and "n" in keys(app.screen)
        await press(pilot, "n")
        screen = app.screen
        assert isinstance(screen, InviteScreen)
        # Open to invitations, not applied, not the owner: best match first.
        assert names(screen) == ["Eli Engineer", "Erin Engineer"]
        text = screen_text(app)
        assert "Seats: 1 of 1 left" in text
        assert "Their match 85/100" in text and "1 of 1 required skills (Python 4/3)" in text
        await press(pilot, "down")
        text = screen_text(app)
        assert "grows SQL, which they want to learn" in text
        assert "not yet: n invites them to apply" in text

        await press(pilot, "n")
        assert isinstance(app.screen, TextPrompt)
        await press(pilot, *"Your SQL wish fits", "enter")
        assert isinstance(app.screen, InviteScreen)
        assert "Invited Erin Engineer to apply to 'Payments tracing'" in notifications(app)
        assert "on 2026-03-02: it is up to them to apply" in screen_text(app)
        assert "n" not in keys(app.screen)  # once per person and posting
        await press(pilot, "up")
        assert "n" in keys(app.screen)
        await press(pilot, "escape")
        assert isinstance(app.screen, MyWorkScreen)

    inbox = Market(db, "eng2").notifications()
    assert inbox[0].link == f"invite:{gig}"
    assert inbox[0].text.startswith("Omar Owner invites you to apply to 'Payments tracing' — Your SQL wish fits")
    assert Market(db, "eng2").my_applications() == []  # nobody is pushed

    # The invitation leads to the posting, and is done once they apply.
    app = open_app(db, "eng2")
    async with started(app) as pilot:
        assert "1 unread" in screen_text(app)
        await press(pilot, "i", "enter")
        assert isinstance(app.screen, OpportunityScreen)
        assert "Payments tracing" in screen_text(app)
    Market(db, "eng2").mark_read()
    Market(db, "eng2").apply(gig)
    assert next(n for n in Market(db, "eng2").notifications() if n.link == f"invite:{gig}").done


async def test_the_review_opens_the_same_invitations_with_the_same_key(db):
    gig = posting_with_candidates(db)
    app = open_app(db, "owner")
    async with started(app) as pilot:
        review = await opened(pilot, lambda: app.open_review(gig), ReviewScreen)
        assert "n" in keys(review)
        await press(pilot, "n")
        assert isinstance(app.screen, InviteScreen)
        assert names(app.screen) == ["Eli Engineer", "Erin Engineer"]
        await press(pilot, "escape")
        assert app.screen is review
    Market(db, "owner").close(gig)
    # A closed posting takes no applications, so nobody is invited to it.
    app = open_app(db, "owner")
    async with started(app) as pilot:
        review = await opened(pilot, lambda: app.open_review(gig), ReviewScreen)
        assert "n" not in keys(review)


async def test_a_full_posting_says_why_nobody_is_listed(db):
    gig = posting_with_candidates(db)
    owner = Market(db, "owner")
    owner.offer(owner.applicants(gig)[0].id)
    app = open_app(db, "owner")
    async with started(app, SMALL) as pilot:
        await opened(pilot, lambda: app.open_invite(gig), InviteScreen)
        assert "every seat of 'Payments tracing' is taken; nobody can be invited to apply" in screen_text(app)
        assert "n" not in keys(app.screen)


async def test_people_open_or_close_themselves_to_invitations_on_their_profile(db):
    build_org(db, opportunities=0)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await press(pilot, "u")
        assert isinstance(app.screen, ProfileScreen)
        assert "Invitations closed: press n" in screen_text(app)
        await press(pilot, "n")
        assert "You are open to invitations to apply." in notifications(app)
        assert "Invitations open: owners of postings you match may invite you" in screen_text(app)
        assert Market(db, "eng1").whoami().open_to_invitations
        await press(pilot, "n")
        assert "Invitations closed" in screen_text(app)
    assert not Market(db, "eng1").whoami().open_to_invitations
