"""The opportunity and application state machines, as one table each.

This is the one place a status is spelled. Every state has its label; every action
says which states it moves from, where it leads and whose action it is (the `policy`
rule that decides). `Market` enforces transitions through `check`; screens ask
`allows` to decide which keys to offer; everything that prints a status goes through
`label` (or `render.status`). Pure: no database, no UI.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from oppmarket import policy
from oppmarket.errors import Conflict


class _Status(StrEnum):
    """A status whose value is what the database stores, with the words a person
    reads for it and whether it has ended (nothing more is asked of anyone)."""

    label: str
    ended: bool

    def __new__(cls, value: str, label: str, ended: bool = False):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.ended = ended
        return member


class OppStatus(_Status):
    """Where a posting stands."""

    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    COMPLETED = "completed", "Completed", True
    CANCELLED = "cancelled", "Cancelled", True


class AppStatus(_Status):
    """Where an application stands."""

    APPLIED = "applied", "Applied"
    SHORTLISTED = "shortlisted", "Shortlisted"
    # Waiting for the candidate to accept or decline, until the offer's deadline.
    OFFERED = "offered", "Offered"
    # Accepted by the candidate, waiting for their line manager's release.
    ACCEPTED = "accepted", "Accepted"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed", True
    WITHDRAWN = "withdrawn", "Withdrawn", True
    DECLINED = "declined", "Declined", True
    RELEASE_DECLINED = "release_declined", "Not released", True
    CANCELLED = "cancelled", "Cancelled", True
    OFFER_DECLINED = "offer_declined", "Offer declined", True
    OFFER_LAPSED = "offer_lapsed", "Offer lapsed", True


@dataclass(frozen=True)
class Transition:
    """An action: from which states, to which, and whose it is.

    `target` None means the action leaves the status as it is (edit) or the target is
    decided by the action itself (undo goes back to where the undone action started).
    `rule` is the `policy` check of who may take it; `refusal` is the message when the
    current state does not allow it ({status} and {action} are filled in)."""

    action: str
    sources: frozenset[str]
    target: str | None
    who: str
    rule: Callable[..., str | None] | None
    refusal: str


def _moves(*rows: tuple) -> dict[str, Transition]:
    return {action: Transition(action, frozenset(s.value for s in sources), target and target.value, who, rule,
                               refusal)
            for action, sources, target, who, rule, refusal in rows}


O, A = OppStatus, AppStatus

_CANNOT_POSTING = "cannot {action} a posting that is {status}"
_CANNOT_APPLICATION = "cannot {action} an application that is {status}"

OPPORTUNITY_MOVES = _moves(
    ("publish", (O.DRAFT, O.CLOSED), O.OPEN, "owner", policy.may_manage_posting, _CANNOT_POSTING),
    ("close", (O.OPEN,), O.CLOSED, "owner", policy.may_manage_posting, _CANNOT_POSTING),
    ("cancel", (O.DRAFT, O.OPEN, O.CLOSED), O.CANCELLED, "owner or admin", policy.may_cancel_posting,
     _CANNOT_POSTING),
    ("complete", (O.OPEN, O.CLOSED), O.COMPLETED, "owner", policy.may_manage_posting, _CANNOT_POSTING),
    ("edit", (O.DRAFT, O.OPEN, O.CLOSED), None, "owner", policy.may_manage_posting,
     "a {status} posting cannot be edited"),
    # Closing with a bulk decline of everyone still waiting (an open posting stays closed).
    ("fill", (O.OPEN, O.CLOSED), O.CLOSED, "owner", policy.may_manage_posting,
     "cannot close a posting that is {status}"),
    # Not moves of the posting, but what its status allows others to do with it.
    ("apply", (O.OPEN,), None, "employee", policy.may_apply, "'{title}' is {status} and takes no applications"),
    ("make_offer", (O.OPEN, O.CLOSED), None, "owner", policy.may_manage_posting,
     "'{title}' is {status}; no offers can be made"),
    ("review", (O.OPEN, O.CLOSED, O.COMPLETED, O.CANCELLED), None, "owner or admin", policy.may_see_applicants,
     "a {status} posting has no applicants to review"),
    # Inviting people open to invitations to apply: only while it takes applications.
    ("invite", (O.OPEN,), None, "owner", policy.may_manage_posting,
     "'{title}' is {status}; nobody can be invited to apply"),
)

# The statuses each undoable owner action can have produced.
UNDOABLE: dict[str, tuple[str, ...]] = {
    "shortlist": (A.SHORTLISTED.value,),
    "offer": (A.OFFERED.value,),
    "decline": (A.DECLINED.value,),
}

_NOT_WAITING_RELEASE = "this application is {status}, not waiting for a release"
_NOT_AN_OPEN_OFFER = "this application is {status}, not an offer waiting for an answer"

APPLICATION_MOVES = _moves(
    ("withdraw", (A.APPLIED, A.SHORTLISTED, A.OFFERED, A.ACCEPTED), A.WITHDRAWN, "applicant",
     policy.may_act_as_applicant, "an application that is {status} cannot be withdrawn"),
    ("shortlist", (A.APPLIED,), A.SHORTLISTED, "owner", policy.may_manage_posting, _CANNOT_APPLICATION),
    # The offer waits for the candidate's answer until its deadline.
    ("offer", (A.APPLIED, A.SHORTLISTED), A.OFFERED, "owner", policy.may_manage_posting, _CANNOT_APPLICATION),
    # Only an accepted offer goes to the line manager; a candidate without one starts at once.
    ("accept", (A.OFFERED,), A.ACCEPTED, "applicant", policy.may_act_as_applicant, _NOT_AN_OPEN_OFFER),
    ("decline_offer", (A.OFFERED,), A.OFFER_DECLINED, "applicant", policy.may_act_as_applicant,
     _NOT_AN_OPEN_OFFER),
    ("lapse_offer", (A.OFFERED,), A.OFFER_LAPSED, "system", None, _NOT_AN_OPEN_OFFER),
    ("decline", (A.APPLIED, A.SHORTLISTED, A.OFFERED, A.ACCEPTED), A.DECLINED, "owner", policy.may_manage_posting,
     _CANNOT_APPLICATION),
    ("release", (A.ACCEPTED,), A.ACTIVE, "line manager", policy.may_release, _NOT_WAITING_RELEASE),
    ("decline_release", (A.ACCEPTED,), A.RELEASE_DECLINED, "line manager", policy.may_release,
     _NOT_WAITING_RELEASE),
    ("auto_release", (A.ACCEPTED,), A.ACTIVE, "system", None, _NOT_WAITING_RELEASE),
    ("complete", (A.ACTIVE,), A.COMPLETED, "owner", policy.may_manage_posting, _CANNOT_APPLICATION),
    # When its posting is cancelled, everything still in play ends.
    ("cancel", (A.APPLIED, A.SHORTLISTED, A.OFFERED, A.ACCEPTED, A.ACTIVE), A.CANCELLED, "owner or admin",
     policy.may_cancel_posting, _CANNOT_APPLICATION),
    # Only the owner's own last shortlist, offer or decline, from what it left behind.
    ("undo", tuple(AppStatus(s) for left in UNDOABLE.values() for s in left), None, "owner",
     policy.may_manage_posting,
     "the {action} can no longer be undone: the application is {status}"),
)

OPP_STATUSES: tuple[str, ...] = tuple(s.value for s in OppStatus)
APP_STATUSES: tuple[str, ...] = tuple(s.value for s in AppStatus)
# The main line of an application, from first step to last.
APPLICATION_PATH: tuple[str, ...] = tuple(s.value for s in (A.APPLIED, A.SHORTLISTED, A.OFFERED, A.ACCEPTED,
                                                               A.ACTIVE, A.COMPLETED))
# Applications still in play (they may yet take a seat or hours).
LIVE_STATUSES: tuple[str, ...] = tuple(s.value for s in AppStatus if not s.ended)
# Applications that hold a seat and count against the applicant's time cap.
HOLDING_STATUSES: tuple[str, ...] = (A.OFFERED.value, A.ACCEPTED.value, A.ACTIVE.value)
# An offer waiting for the candidate's answer (accept or decline) before its deadline.
ANSWER_WAITING: str = A.OFFERED.value
# An accepted offer waiting for the line manager's release (or the automatic one).
RELEASE_WAITING: str = A.ACCEPTED.value
# Statuses only an accepted offer leads to: the line manager has been told of these.
MANAGER_TOLD_STATUSES: tuple[str, ...] = (A.ACCEPTED.value, A.ACTIVE.value, A.COMPLETED.value,
                                          A.RELEASE_DECLINED.value)
# What a line manager sees their reports hold: accepted offers and engagements (an
# offer still waiting for its answer is the candidate's own business).
MANAGER_TOLD_HOLDING: tuple[str, ...] = tuple(s for s in HOLDING_STATUSES if s in MANAGER_TOLD_STATUSES)
# How an offer ended unanswered or turned down by its candidate.
OFFER_REFUSED_STATUSES: tuple[str, ...] = (A.OFFER_DECLINED.value, A.OFFER_LAPSED.value)
# Applications that became engagements: released (or started at the offer), perhaps completed.
ENGAGED_STATUSES: tuple[str, ...] = (A.ACTIVE.value, A.COMPLETED.value)
# Applications waiting for the owner's decision.
WAITING_STATUSES: tuple[str, ...] = (A.APPLIED.value, A.SHORTLISTED.value)
ENDED_STATUSES: tuple[str, ...] = tuple(s.value for s in AppStatus if s.ended)
# An earlier application in one of these may be made again; any other status means
# the person is in it, or has been through it, and applying again is refused.
REAPPLY_STATUSES: tuple[str, ...] = (A.WITHDRAWN.value,)


def is_in(status: str | None) -> bool:
    """True when an application of `status` means its applicant is in the posting,
    or has been through it (None: no application at all)."""
    return status is not None and status not in REAPPLY_STATUSES


def _move(action: str, of: str) -> Transition:
    table = OPPORTUNITY_MOVES if of == "opportunity" else APPLICATION_MOVES
    try:
        return table[action]
    except KeyError:
        raise ValueError(f"no {of} action called {action!r}") from None


def allows(action: str, status: str, *, of: str = "application") -> bool:
    """True when `action` may be taken on an `of` ('application' or 'opportunity')
    that is `status`."""
    return status in _move(action, of).sources


def target(action: str, *, of: str = "application") -> str | None:
    """The status `action` leads to (None when it keeps the status or the action decides)."""
    return _move(action, of).target


def rule(action: str, *, of: str = "application") -> Callable[..., str | None] | None:
    """The `policy` check of who may take `action`."""
    return _move(action, of).rule


def check(action: str, status: str, *, of: str = "application", title: str = "") -> None:
    """Raise Conflict, with the action's own message, unless `status` allows `action`."""
    move = _move(action, of)
    if status not in move.sources:
        raise Conflict(move.refusal.format(action=action, status=status, title=title))


def check_undo(undone: str, status: str) -> None:
    """Raise Conflict unless `status` is what the owner's `undone` action left behind."""
    if status not in UNDOABLE.get(undone, ()):
        raise Conflict(_move("undo", "application").refusal.format(action=undone, status=status))


def whose(action: str, *, of: str = "application") -> str:
    """Whose action it is: 'owner', 'owner or admin', 'applicant', 'line manager',
    'employee' or 'system' (the person the action's `rule` is checked against)."""
    return _move(action, of).who


def actions_from(status: str, *, of: str = "application") -> tuple[str, ...]:
    """Every action a `status` allows, in table order."""
    table = OPPORTUNITY_MOVES if of == "opportunity" else APPLICATION_MOVES
    return tuple(name for name, move in table.items() if status in move.sources)


def _status(status: str, of: str) -> _Status | None:
    try:
        return (OppStatus if of == "opportunity" else AppStatus)(status)
    except ValueError:
        return None


def label(status: str, *, of: str = "application") -> str:
    """The words a person reads for a status ('Not released'); an unknown status is
    shown as it is."""
    known = _status(status, of)
    return known.label if known else status


def is_ended(status: str, *, of: str = "application") -> bool:
    known = _status(status, of)
    return bool(known and known.ended)
