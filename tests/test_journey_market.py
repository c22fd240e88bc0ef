"""Market helpers behind the post, apply, my-work, profile and inbox screens."""

from __future__ import annotations

import pytest

from oppmarket.domain import OpportunityDraft
from oppmarket.errors import Conflict, NotFound, PermissionDenied


def test_draft_gives_back_what_the_owner_filled_in(org, market_as):
    owner = market_as("owner")
    market_as("admin").add_skill("Technical writing", category="Communication")
    posted = owner.post(OpportunityDraft(
        kind="learning", title="Docs path", description="Learn to write docs.", department="Platform",
        hours_per_week=3, start="2026-04-01", end="2026-05-01", seats=5, location="Lisbon", remote=False,
        skills=[("py", 2, "required"), ("Technical writing", 1, "grows")],
        steps=["Read the guide", "Write a page"], certification="Docs writer"))
    draft = owner.draft(posted.id)
    assert draft.kind == "learning" and draft.title == "Docs path" and draft.department == "Platform"
    assert (draft.hours_per_week, draft.seats, draft.location, draft.remote) == (3, 5, "Lisbon", False)
    assert str(draft.start) == "2026-04-01" and str(draft.end) == "2026-05-01"
    assert sorted(draft.skills) == [("Python", 2, "required"), ("Technical writing", 1, "grows")]
    assert draft.steps == ["Read the guide", "Write a page"] and draft.certification == "Docs writer"
    # Saved back unchanged, it changes nothing.
    edited = owner.edit(posted.id, draft)
    same = ("kind", "title", "description", "department", "hours_per_week", "start", "end", "seats",
            "location", "remote", "skills", "steps", "certification", "status")
    assert [getattr(edited, f) for f in same] == [getattr(posted, f) for f in same]


def test_draft_keeps_the_host_and_topics(org, market_as):
    owner = market_as("owner")
    shadow = owner.post(OpportunityDraft(kind="shadowing", title="Shadow", host="eng1"), publish=True)
    mentor = owner.post(OpportunityDraft(kind="mentorship", title="Mentor", topics="SQL style"), publish=True)
    assert owner.draft(shadow.id).host == "eng1"
    assert owner.draft(mentor.id).topics == "SQL style"


def test_draft_is_for_the_owner_of_an_editable_posting(org, market_as):
    owner = market_as("owner")
    posted = owner.post(OpportunityDraft(title="Mine"), publish=True)
    hidden = owner.post(OpportunityDraft(title="Not yet"))
    with pytest.raises(PermissionDenied, match="only the owner"):
        market_as("eng1").draft(posted.id)
    with pytest.raises(NotFound):
        market_as("eng1").draft(hidden.id)  # a draft is invisible to others
    owner.cancel(posted.id)
    with pytest.raises(Conflict, match="cancelled posting cannot be edited"):
        owner.draft(posted.id)
