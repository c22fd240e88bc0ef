"""Saved searches from browse (save, the alert, run, remove, a refusal) and where
you work from the profile (location, preference, digest, and what For you leaves out)."""

from __future__ import annotations

from textual.widgets import Input

from oppmarket.domain import OpportunityDraft
from oppmarket.screens.browse import BrowseScreen
from oppmarket.screens.profile import ProfileScreen
from oppmarket.screens.saved_searches import SavedSearchesDialog
from oppmarket.screens.where import WhereDialog

from support import SKILLS, STAFF, build_org, notifications, open_app, press, screen_text, started


def company(db):
    admin = build_org(db, people=STAFF.values(), skills=SKILLS, opportunities=0)
    owner = admin.as_user("owner")
    owner.post(OpportunityDraft(title="Tidy the SQL reports", hours_per_week=2, skills=[("SQL", 2, "required")]),
               publish=True)
    return admin


async def test_save_a_search_hear_of_a_new_posting_run_it_and_remove_it(db):
    admin = company(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        assert isinstance(app.screen, BrowseScreen)
        await press(pilot, "slash", *"k8s", "enter")
        await press(pilot, "ctrl+s")
        dialog = app.screen
        assert isinstance(dialog, SavedSearchesDialog)
        text = screen_text(app)
        assert "This search 'k8s'" in text and "No saved searches yet" in text
        assert dialog.query_one("#search-name", Input).value == "k8s"
        await press(pilot, *["backspace"] * 3, *"Clusters")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, BrowseScreen)
        assert "Saved 'Clusters': new postings matching it will reach your inbox." in notifications(app)
        assert [s.name for s in admin.as_user("eng1").saved_searches()] == ["Clusters"]

        # Someone opens a matching posting: the saver's inbox has it.
        admin.as_user("owner").post(OpportunityDraft(
            title="Cluster upgrade", hours_per_week=3, skills=[("Kubernetes", 3, "required")]), publish=True)
        texts = [n.text for n in admin.as_user("eng1").notifications()]
        assert "New posting 'Cluster upgrade' matches your saved search 'Clusters'" in texts

        # Back to the plain list, then run the saved search from the list of them.
        await press(pilot, "ctrl+l", "ctrl+s")
        text = screen_text(app)
        assert "Nothing to save yet" in text and "Clusters 'k8s'" in text
        await press(pilot, "enter")
        assert isinstance(app.screen, BrowseScreen)
        text = screen_text(app)
        assert "Search 'k8s' · 1 result" in text and "Cluster upgrade" in text

        # And remove it.
        await press(pilot, "ctrl+l", "ctrl+s", "x")
        assert "Removed 'Clusters'." in notifications(app)
        assert "No saved searches yet" in screen_text(app)
        assert admin.as_user("eng1").saved_searches() == []
        await press(pilot, "escape")
        assert isinstance(app.screen, BrowseScreen)


async def test_a_nameless_search_is_refused_in_place(db):
    company(db)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        await press(pilot, "slash", *"sql", "enter", "ctrl+s")
        await press(pilot, *["backspace"] * 3, "ctrl+s")
        assert isinstance(app.screen, SavedSearchesDialog)
        assert "name must not be empty" in screen_text(app)


async def test_where_you_work_narrows_for_you(db):
    admin = company(db)
    owner = admin.as_user("owner")
    for title, where in (("Lisbon workshop", "Lisbon"), ("Berlin workshop", "Berlin")):
        owner.post(OpportunityDraft(title=title, hours_per_week=2, remote=False, location=where,
                                    skills=[("Python", 2, "required")]), publish=True)
    admin.as_user("eng1").set_skill("Python", 3)
    app = open_app(db, "eng1")
    async with started(app) as pilot:
        text = screen_text(app)
        assert "Lisbon workshop" in text and "Berlin workshop" in text
        await press(pilot, "u")
        assert isinstance(app.screen, ProfileScreen)
        assert "Where on-site anywhere or remote · no location given · weekly digest off" in screen_text(app)
        await press(pilot, "e")
        assert isinstance(app.screen, WhereDialog)
        # Location, then the preference (one down: near me), then the digest.
        await press(pilot, *"Berlin", "tab", "enter", "down", "enter", "tab", "space", "ctrl+s")
        assert isinstance(app.screen, ProfileScreen)
        assert "Saved where you work." in notifications(app)
        assert "Where Berlin · on-site near me or remote · weekly digest on" in screen_text(app)
        me = admin.as_user("eng1").whoami()
        assert (me.location, me.remote_preference, me.weekly_digest) == ("Berlin", "nearby", True)
        await press(pilot, "b")
        text = screen_text(app)
        assert "Berlin workshop" in text and "Lisbon workshop" not in text
