"""Invitations in the market: who may be a candidate, how they are ranked and
explained, and an invitation written once, audited, and told to the person."""

from __future__ import annotations

import pytest

from oppmarket import matching
from oppmarket.db import models as M
from oppmarket.domain import OpportunityDraft
from oppmarket.errors import Conflict, NotFound, PermissionDenied, ValidationError


@pytest.fixture
def posting(org, owner, market_as) -> int:
    """'owner' posts an open gig asking Python 3 and growing SQL; eng1 (Python 4),
    eng2 (Python 2, wants SQL) and loner (no skills) are open to invitations, mgr is not."""
    for username, skills, interests in (("eng1", {"Python": 4}, ()), ("eng2", {"Python": 2}, ("SQL",)),
                                        ("loner", {}, ()), ("mgr", {"Python": 5}, ())):
        me = market_as(username)
        for skill, level in skills.items():
            me.set_skill(skill, level)
        if interests:
            me.set_interests(list(interests))
        if username != "mgr":
            me.set_open_to_invitations(True)
    market_as("owner").set_open_to_invitations(True)
    return owner.post(OpportunityDraft(title="Payments tracing", hours_per_week=4,
                                       skills=[("Python", 3, "required"), ("SQL", 2, "grows")]), publish=True).id


def test_the_flag_is_the_persons_own_and_audited(org, market_as):
    me = market_as("eng1")
    assert me.whoami().open_to_invitations is False
    assert me.set_open_to_invitations(True).open_to_invitations is True
    assert me.profile().person.open_to_invitations is True
    assert me.set_open_to_invitations(False).open_to_invitations is False
    actions = [a.action for a in org.audit_log(limit=50) if a.action == "set_open_to_invitations"]
    assert len(actions) == 2
    with pytest.raises(ValidationError) as refused:
        me.set_open_to_invitations("yes")
    assert "open_to_invitations" in refused.value.fields


def test_candidates_are_the_open_people_best_match_first_with_the_reasons(posting, owner, market_as):
    found = owner.candidates(posting)
    names = [c.profile.person.username for c in found]
    # Not mgr (not open), not the owner (their own posting), nobody else.
    assert names == ["eng1", "eng2", "loner"]
    opp = owner.opportunity(posting)
    for candidate in found:
        expected = matching.match(market_as(candidate.profile.person.username).profile(), opp)
        assert candidate.match.score == expected.score
        assert candidate.match.terms == expected.terms
        assert candidate.invited_at is None
    assert "1 of 1 required skills (Python 4/3)" in found[0].match.summary
    assert found[1].match.term(matching.TERM_GROWTH).points == matching.WEIGHTS.growth
    assert [c.profile.person.username for c in owner.candidates(posting, limit=1)] == ["eng1"]


def test_who_has_applied_is_no_candidate(posting, owner, market_as):
    market_as("eng1").apply(posting)
    assert "eng1" not in [c.profile.person.username for c in owner.candidates(posting)]
    with pytest.raises(Conflict, match="already applied"):
        owner.invite(posting, "eng1")


def test_only_the_owner_of_an_open_posting_with_a_seat_left_sees_candidates(posting, owner, market_as, org):
    with pytest.raises(PermissionDenied, match="only the owner"):
        market_as("eng1").candidates(posting)
    with pytest.raises(PermissionDenied, match="only the owner"):
        org.invite(posting, "eng2")
    with pytest.raises(ValidationError):
        owner.candidates(posting, limit=0)
    with pytest.raises(NotFound):
        owner.candidates(999_999)
    # Full: its one seat offered.
    app_id = market_as("loner").apply(posting).application_id
    owner.offer(app_id)
    with pytest.raises(Conflict, match="every seat"):
        owner.candidates(posting)
    with pytest.raises(Conflict, match="every seat"):
        owner.invite(posting, "eng1")
    closed = owner.post(OpportunityDraft(title="Closed one", hours_per_week=2), publish=True)
    owner.close(closed.id)
    with pytest.raises(Conflict, match="nobody can be invited"):
        owner.candidates(closed.id)


def test_an_invitation_is_an_inbox_item_once_per_person_and_posting(posting, owner, market_as, org, db_state):
    invitation = owner.invite(posting, "eng2", "Your SQL interest fits")
    assert (invitation.opportunity_id, invitation.invitee_username) == (posting, "eng2")
    inbox = market_as("eng2").notifications()
    assert inbox[0].link == f"invite:{posting}"
    assert "Omar Owner invites you to apply to 'Payments tracing' — Your SQL interest fits" in inbox[0].text
    assert "nothing happens unless you apply" in inbox[0].text
    assert not inbox[0].read and market_as("eng2").unread_count() == 1
    audit = [a for a in org.audit_log(limit=50) if a.action == "invite"]
    assert [(a.actor, a.object_id, a.detail["invitee"]) for a in audit] == [("owner", posting, "eng2")]
    assert [c.invited_at is not None for c in owner.candidates(posting)] == [False, True, False]

    before = db_state()
    with pytest.raises(Conflict, match="already invited Erin Engineer"):
        owner.invite(posting, "eng2")
    with pytest.raises(PermissionDenied, match="not open to invitations"):
        owner.invite(posting, "mgr")
    with pytest.raises(PermissionDenied, match="yourself"):
        owner.invite(posting, "owner")
    with pytest.raises(NotFound):
        owner.invite(posting, "nobody")
    assert db_state() == before
    # Nobody is pushed: nothing but the notification was written for them.
    assert market_as("eng2").my_applications() == []


def test_an_invitation_is_done_once_taken_up_or_the_posting_closes(posting, owner, market_as):
    owner.invite(posting, "eng1")
    owner.invite(posting, "eng2")
    market_as("eng1").apply(posting)
    eng1 = market_as("eng1").notifications()
    invited = next(n for n in eng1 if n.link.startswith("invite:"))
    assert invited.done and invited.read
    assert market_as("eng1").unread_count() == 0
    assert market_as("eng2").unread_count() == 1
    owner.close(posting)
    assert market_as("eng2").unread_count() == 0
    assert market_as("eng2").notifications(unread_only=True) == []


@pytest.mark.blank_database  # it builds the schema of an older release itself
def test_the_migration_adds_the_flag_and_the_table_to_an_older_database(db_url):
    import peewee

    from oppmarket.db.connection import make_database, open_database
    from oppmarket.db.schema import MIGRATIONS, database_version
    from oppmarket.market import Market

    from support.releases import as_release

    old = make_database(db_url)
    old.bind(M.MODELS, bind_refs=False, bind_backrefs=False)
    with old.connection_context():
        as_release(old, 4)  # the release before invitations, with a person in it
        old.execute_sql("INSERT INTO employee (username, display_name, email, title, weekly_hours, cap_pct, "
                        "is_admin, active, created_at, location, remote_preference, weekly_digest) VALUES "
                        "('ada', 'Ada', '', '', 40, 20, TRUE, TRUE, '2026-03-02 09:00:00', '', 'anywhere', FALSE)")
        assert database_version(old) == 4
    old.close()
    db = open_database(db_url)
    with db.connection_context():
        assert database_version(db) == max(MIGRATIONS)
        assert "open_to_invitations" in {c.name for c in db.get_columns("employee")}
        assert db.table_exists("invitation")
    assert Market(db, "ada").whoami().open_to_invitations is False
    assert Market(db, "ada").set_open_to_invitations(True).open_to_invitations is True
    with db.connection_context(), pytest.raises(peewee.IntegrityError), db.atomic():
        ada = M.Employee.get(M.Employee.username == "ada")
        opp = M.Opportunity.create(kind="gig", title="t", owner=ada, hours_per_week=1, created_at=ada.created_at,
                                   updated_at=ada.created_at)
        for _ in range(2):
            M.Invitation.create(opportunity=opp, invitee=ada, inviter=ada, created_at=ada.created_at)
    db.close()
