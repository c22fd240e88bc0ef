"""Domain rules a path could otherwise walk around: nobody scores another person's
draft, a line manager hears of an application only at the offer, and an owner
endorses only the posting's skills, within reach of what the participant showed."""

from __future__ import annotations

import pytest

from oppmarket.domain import OpportunityDraft
from oppmarket.errors import PermissionDenied, ValidationError


def draft(**fields) -> OpportunityDraft:
    values = dict(title="Tune the nightly reports", hours_per_week=3, seats=2,
                  skills=[("SQL", 2, "required"), ("Python", 3, "grows")])
    values.update(fields)
    return OpportunityDraft(**values)


def active_engagement(market_as) -> tuple[int, int]:
    owner = market_as("owner")
    opp = owner.post(draft(), publish=True)
    app_id = market_as("eng1").apply(opp.id, "I know these reports").application_id
    owner.offer(app_id)
    market_as("eng1").accept(app_id)
    market_as("mgr").release(app_id)
    return opp.id, app_id


def test_matches_leave_out_someone_elses_draft(org, market_as):
    owner = market_as("owner")
    hidden = owner.post(draft(title="Not announced yet"))
    shown = owner.post(draft(title="Open to all"), publish=True)

    for who in ("eng1", "mgr", "admin"):
        assert set(market_as(who).matches([hidden.id, shown.id])) == {shown.id}, who
    assert set(owner.matches([hidden.id, shown.id])) == {hidden.id, shown.id}


def test_manager_sees_a_reports_application_only_from_the_acceptance(org, market_as):
    owner, mgr = market_as("owner"), market_as("mgr")
    opp = owner.post(draft(), publish=True)
    app_id = market_as("eng1").apply(opp.id, "please keep this quiet").application_id

    with pytest.raises(PermissionDenied):
        mgr.application(app_id)
    owner.shortlist(app_id)
    with pytest.raises(PermissionDenied):
        mgr.application(app_id)

    owner.offer(app_id)
    with pytest.raises(PermissionDenied):
        mgr.application(app_id)
    market_as("eng1").accept(app_id)
    assert mgr.application(app_id).note == "please keep this quiet"
    mgr.release(app_id)
    assert mgr.application(app_id).applicant_username == "eng1"


def test_endorsements_stay_within_the_postings_skills_and_reach(org, market_as, db_state):
    market_as("eng1").set_skill("Python", 3)
    _, app_id = active_engagement(market_as)
    owner = market_as("owner")

    # Not a skill of the posting; above the posting's level with no claim; more than
    # one level above the claim.
    for endorsements, named in (({"Docker": 1}, "Docker"), ({"SQL": 3}, "SQL at most 2"),
                                ({"py": 5}, "Python at most 4")):
        before = db_state()
        with pytest.raises(ValidationError) as refused:
            owner.complete(app_id, 5, "great", endorsements)
        assert set(refused.value.fields) == {"endorsements"}, endorsements
        assert named in refused.value.fields["endorsements"], refused.value.fields
        assert db_state() == before, endorsements

    owner.complete(app_id, 5, "great", {"SQL": 2, "py": 4})
    claims = {c.skill: c.level for c in market_as("eng1").profile().skills}
    assert (claims["SQL"], claims["Python"]) == (2, 4)
