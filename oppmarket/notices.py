"""What the marketplace tells people, word for word, and where each notice leads.

The market sends these as things happen; the demo writes the ones its history would
have sent. Both take the words from here, so a notice reads the same however it came
to be. A link is 'app:ID', 'opp:ID', 'offer:ID' (an offer to answer), 'release:ID',
'corework:ID', 'invite:OPP_ID' or 'profile'; the app follows it. Pure: no database, no UI.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class Notice(NamedTuple):
    text: str
    link: str = ""


def _app(app_id: int) -> str:
    return f"app:{app_id}"


def _why(reason: str) -> str:
    return f": {reason}" if reason else ""


def _then(message: str) -> str:
    return f" — {message}" if message else ""


# To the posting's owner.

def applied(name: str, title: str, app_id: int) -> Notice:
    return Notice(f"{name} applied to '{title}'", _app(app_id))


def withdrew(name: str, title: str, opp_id: int) -> Notice:
    return Notice(f"{name} withdrew from '{title}'", f"opp:{opp_id}")


def released_to_owner(name: str, title: str, app_id: int) -> Notice:
    return Notice(f"{name}'s manager released them for '{title}'", _app(app_id))


def release_declined_to_owner(name: str, title: str, reason: str, app_id: int) -> Notice:
    return Notice(f"{name}'s manager declined their release for '{title}': {reason}", _app(app_id))


def auto_released_to_owner(name: str, title: str, app_id: int) -> Notice:
    return Notice(f"{name} was released automatically for '{title}'", _app(app_id))


def offer_accepted_to_owner(name: str, title: str, app_id: int) -> Notice:
    return Notice(f"{name} accepted your offer for '{title}'", _app(app_id))


def offer_declined_to_owner(name: str, title: str, reason: str, app_id: int) -> Notice:
    return Notice(f"{name} declined your offer for '{title}'{_why(reason)}; the seat is free again", _app(app_id))


def offer_lapsed_to_owner(name: str, title: str, app_id: int) -> Notice:
    return Notice(f"{name} did not answer your offer for '{title}' in time; it lapsed and the seat is free again",
                  _app(app_id))


def cancelled_by_admin(title: str, reason: str, opp_id: int) -> Notice:
    return Notice(f"An admin cancelled your posting '{title}'{_why(reason)}", f"opp:{opp_id}")


# To the applicant.

def shortlisted(title: str, app_id: int) -> Notice:
    return Notice(f"You were shortlisted for '{title}'", _app(app_id))


def offered(title: str, message: str, due: dt.datetime, app_id: int) -> Notice:
    """An offer waiting for the candidate's answer, by its deadline."""
    return Notice(f"You have an offer for '{title}': accept or decline by {due:%Y-%m-%d}{_then(message)}",
                  f"offer:{app_id}")


def offer_lapsed(title: str, app_id: int) -> Notice:
    return Notice(f"Your offer for '{title}' lapsed: it was not answered in time", _app(app_id))


def not_taken_forward(title: str, reason: str, app_id: int) -> Notice:
    return Notice(f"Your application to '{title}' was not taken forward{_why(reason)}", _app(app_id))


def filled(title: str, message: str, app_id: int) -> Notice:
    return Notice(f"'{title}' has been filled; your application was not taken forward{_why(message)}", _app(app_id))


def back_under_review(title: str, app_id: int) -> Notice:
    return Notice(f"Your application to '{title}' is back under review", _app(app_id))


def offer_taken_back(title: str, status: str, app_id: int) -> Notice:
    return Notice(f"The offer for '{title}' was taken back; your application is {status}", _app(app_id))


def back_to(title: str, status: str, app_id: int) -> Notice:
    return Notice(f"Your application to '{title}' is back to {status}", _app(app_id))


def released(title: str, app_id: int) -> Notice:
    return Notice(f"Your manager released your time for '{title}': you can start", _app(app_id))


def release_declined(title: str, reason: str, app_id: int) -> Notice:
    return Notice(f"Your manager declined your time for '{title}': {reason}", _app(app_id))


def auto_released(title: str, app_id: int) -> Notice:
    return Notice(f"Your time for '{title}' was released automatically (no decision within the deadline): "
                  "you can start", _app(app_id))


def completed(title: str, rating: int, app_id: int) -> Notice:
    return Notice(f"'{title}' is complete — rated {rating}/5. How did it affect your core work?",
                  f"corework:{app_id}")


def cancelled(title: str, reason: str, app_id: int) -> Notice:
    return Notice(f"'{title}' was cancelled{_why(reason)}", _app(app_id))


def invited(owner: str, title: str, message: str, opp_id: int) -> Notice:
    """An owner's invitation to apply: the choice stays with the person."""
    return Notice(f"{owner} invites you to apply to '{title}'{_then(message)}. Up to you: "
                  "nothing happens unless you apply", f"invite:{opp_id}")


def cap_changed(pct: int, old: int) -> Notice:
    return Notice(f"Your marketplace time cap is now {pct}% (was {old}%)", "profile")


def hours_changed(hours: int, old: int, cap_hours: float) -> Notice:
    return Notice(f"Your contracted hours are now {hours} h/week (were {old}): "
                  f"your marketplace time cap is {cap_hours:g} h/week", "profile")


# To the applicant's line manager, who hears only of accepted offers and what follows them.

def release_asked(name: str, title: str, hours: int, due: dt.datetime, app_id: int) -> Notice:
    return Notice(f"{name} accepted an offer for '{title}' ({hours} h/week): release or decline by {due:%Y-%m-%d}, "
                  "or it is released automatically", f"release:{app_id}")


def withdrew_to_manager(name: str, title: str, app_id: int) -> Notice:
    return Notice(f"{name} withdrew from '{title}'; no release needed", _app(app_id))


def offer_withdrawn_to_manager(name: str, title: str, app_id: int) -> Notice:
    return Notice(f"The offer of '{title}' to {name} was withdrawn", _app(app_id))


def auto_released_to_manager(name: str, title: str, app_id: int) -> Notice:
    return Notice(f"{name}'s release for '{title}' was granted automatically: no decision was made in time",
                  _app(app_id))


def completed_to_manager(name: str, title: str, app_id: int) -> Notice:
    return Notice(f"{name} completed '{title}'. How did it affect their core work?", f"corework:{app_id}")


def cancelled_to_manager(name: str, title: str, reason: str, app_id: int) -> Notice:
    return Notice(f"'{title}' was cancelled{_why(reason)}: {name} no longer needs time for it", _app(app_id))


# To people who asked to hear of new postings.

def saved_search_matched(title: str, search_names: list[str], opp_id: int) -> Notice:
    """A newly opened posting answers one or more of someone's saved searches."""
    names = ", ".join(f"'{n}'" for n in search_names)
    plural = "search" if len(search_names) == 1 else "searches"
    return Notice(f"New posting '{title}' matches your saved {plural} {names}", f"opp:{opp_id}")


def weekly_digest(picks: list[tuple[str, int]], opp_id: int) -> Notice:
    """The week's top recommendations, (title, match score) best first; the link
    opens the best."""
    listed = "; ".join(f"'{title}' ({score})" for title, score in picks)
    return Notice(f"This week for you: {listed}", f"opp:{opp_id}")


# When an admin deactivates someone: to those whose work it touches.

def left_application(name: str, title: str, opp_id: int) -> Notice:
    """To a posting's owner: an applicant no longer in the marketplace."""
    return Notice(f"{name} has left the marketplace: their application to '{title}' is withdrawn", f"opp:{opp_id}")


def left_engagement(name: str, title: str, app_id: int) -> Notice:
    """To a posting's owner: a participant left while engaged; the owner ends it."""
    return Notice(f"{name} has left the marketplace while engaged in '{title}': complete it with feedback "
                  "when you can", _app(app_id))


def left_as_host(name: str, title: str, opp_id: int) -> Notice:
    return Notice(f"{name}, host of '{title}', has left the marketplace: edit it to name another host",
                  f"opp:{opp_id}")


def handed_over(title: str, old_owner: str, opp_id: int) -> Notice:
    """To the new owner of a posting whose owner left."""
    return Notice(f"You now own '{title}' (it was {old_owner}'s): its applicants are yours to review",
                  f"opp:{opp_id}")


def manager_changed(manager_name: str | None) -> Notice:
    if manager_name is None:
        return Notice("You have no line manager in the marketplace now", "profile")
    return Notice(f"Your line manager is now {manager_name}", "profile")


def new_report(name: str) -> Notice:
    return Notice(f"{name} now reports to you: their releases come to you")
