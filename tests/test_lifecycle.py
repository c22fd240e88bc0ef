"""The state machines as a table: every move leads between known states, the main
line of an application can be walked from first step to last, and a refused move
says what state stood in its way."""

from __future__ import annotations

import pytest

from oppmarket import lifecycle
from oppmarket.errors import Conflict
from oppmarket.lifecycle import AppStatus, OppStatus


@pytest.mark.parametrize("of, table, statuses", [
    ("application", lifecycle.APPLICATION_MOVES, AppStatus),
    ("opportunity", lifecycle.OPPORTUNITY_MOVES, OppStatus),
])
def test_every_move_is_between_known_states(of, table, statuses):
    known = {s.value for s in statuses}
    for move in table.values():
        assert move.sources <= known, move.action
        assert move.target is None or move.target in known, move.action
        # Nothing leaves an ended state but the owner's undo of their own decline.
        if move.action not in ("review", "undo"):
            assert not any(statuses(s).ended for s in move.sources), move.action


def test_the_main_line_can_be_walked():
    walk = [("shortlist", AppStatus.APPLIED), ("offer", AppStatus.SHORTLISTED), ("accept", AppStatus.OFFERED),
            ("release", AppStatus.ACCEPTED), ("complete", AppStatus.ACTIVE)]
    for (action, status), expected in zip(walk, lifecycle.APPLICATION_PATH[1:]):
        assert lifecycle.allows(action, status)
        assert lifecycle.target(action) == expected


def test_live_and_ended_split_the_application_states():
    assert set(lifecycle.LIVE_STATUSES) | set(lifecycle.ENDED_STATUSES) == set(lifecycle.APP_STATUSES)
    assert not set(lifecycle.LIVE_STATUSES) & set(lifecycle.ENDED_STATUSES)
    assert set(lifecycle.HOLDING_STATUSES) <= set(lifecycle.LIVE_STATUSES)
    assert lifecycle.actions_from(AppStatus.COMPLETED) == ()


def test_a_refused_move_names_the_state():
    with pytest.raises(Conflict, match="an application that is completed cannot be withdrawn"):
        lifecycle.check("withdraw", AppStatus.COMPLETED)
    with pytest.raises(Conflict, match="'Pairing' is closed and takes no applications"):
        lifecycle.check("apply", OppStatus.CLOSED, of="opportunity", title="Pairing")
    lifecycle.check("publish", OppStatus.DRAFT, of="opportunity")


def test_labels_are_what_people_read():
    assert lifecycle.label("release_declined") == "Not released"
    assert lifecycle.label("draft", of="opportunity") == "Draft"
    assert lifecycle.label("something-new") == "something-new"
    assert lifecycle.is_ended("cancelled", of="opportunity") and not lifecycle.is_ended("offered")


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="no application action called 'teleport'"):
        lifecycle.allows("teleport", AppStatus.APPLIED)


def test_undo_goes_back_only_from_what_the_action_left():
    lifecycle.check_undo("offer", AppStatus.OFFERED)
    with pytest.raises(Conflict, match="the offer can no longer be undone: the application is accepted"):
        lifecycle.check_undo("offer", AppStatus.ACCEPTED)
    with pytest.raises(Conflict, match="the shortlist can no longer be undone: the application is offered"):
        lifecycle.check_undo("shortlist", AppStatus.OFFERED)
    assert lifecycle.whose("release") == "line manager" and lifecycle.whose("withdraw") == "applicant"


def test_the_candidate_answers_an_offer_before_the_manager_is_asked():
    # Only the candidate's acceptance leads to the line manager's release.
    assert lifecycle.whose("accept") == lifecycle.whose("decline_offer") == "applicant"
    assert lifecycle.whose("lapse_offer") == "system"
    for action in ("release", "decline_release", "auto_release"):
        assert not lifecycle.allows(action, lifecycle.ANSWER_WAITING)
        assert lifecycle.allows(action, lifecycle.RELEASE_WAITING)
    assert lifecycle.target("accept") == lifecycle.RELEASE_WAITING
    with pytest.raises(Conflict, match="this application is accepted, not an offer waiting for an answer"):
        lifecycle.check("decline_offer", AppStatus.ACCEPTED)
    # A declined or lapsed offer ends and frees its seat; both still hold it until then.
    for status in lifecycle.OFFER_REFUSED_STATUSES:
        assert lifecycle.is_ended(status) and status not in lifecycle.HOLDING_STATUSES
    assert {lifecycle.ANSWER_WAITING, lifecycle.RELEASE_WAITING} <= set(lifecycle.HOLDING_STATUSES)
    # The manager is told of accepted offers only.
    assert lifecycle.ANSWER_WAITING not in lifecycle.MANAGER_TOLD_STATUSES
    assert lifecycle.MANAGER_TOLD_HOLDING == (AppStatus.ACCEPTED, AppStatus.ACTIVE)
    assert lifecycle.label("accepted") == "Accepted"
