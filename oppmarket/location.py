"""Where people work and where postings happen: whether an opportunity is within
reach of someone, by their location and remote preference. Pure: no database, no UI."""

from __future__ import annotations

from oppmarket.text import clean_line

ANYWHERE, NEARBY, REMOTE_ONLY = "anywhere", "nearby", "remote"
# Each preference and how a person would say it, in the order a form offers them.
PREFERENCES = {
    ANYWHERE: "on-site anywhere or remote",
    NEARBY: "on-site near me or remote",
    REMOTE_ONLY: "remote only",
}


def same_place(a: str, b: str) -> bool:
    """Whether two locations name the same place ('Lisbon' and ' lisbon ')."""
    return bool(a.strip()) and " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def within_reach(location: str, remote: bool, home: str, preference: str) -> bool:
    """Whether a posting at `location` (`remote` when it can be done from anywhere)
    suits someone at `home` with `preference`. Remote work always does. In-person
    work does for 'anywhere', never for 'remote only', and for 'nearby' when it is
    where they are; a posting or a person without a place is not left out on a guess."""
    if remote or preference == ANYWHERE:
        return True
    if preference == REMOTE_ONLY:
        return False
    return not location.strip() or not home.strip() or same_place(location, home)


def describe(home: str, preference: str) -> str:
    """'Lisbon · on-site near me or remote', or just the preference without a place."""
    words = PREFERENCES.get(preference, preference)
    return f"{clean_line(home)} · {words}" if home.strip() else words
