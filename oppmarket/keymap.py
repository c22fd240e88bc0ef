"""One key, one meaning: every key the marketplace's screens and widgets bind, with the
one thing it does wherever it works. A test holds each screen's bindings to this table,
so a key cannot quietly mean one thing here and another there.

Navigation keys (arrows, enter, escape, tab, home/end, page up/down) and digits (tab,
section or level N) mean "move" or "choose" everywhere and are left out. A dialog's own
choice keys (y/n of a question, a dialog's lettered choices) live inside the dialog and
are shown on its buttons."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeyMeaning:
    key: str  # as Textual names it ("slash", "ctrl+z", "f5")
    shown: str  # as the footer and help show it
    meaning: str
    says: tuple[str, ...]  # the footer words a binding of this key may use (lower case)
    where: str = ""  # the screens it works on; empty: everywhere


# Off this table, a key needs no entry: it moves or chooses.
NAVIGATION_KEYS = frozenset({
    "up", "down", "left", "right", "enter", "escape", "tab", "shift+tab",
    "home", "end", "pageup", "pagedown", *(str(n) for n in range(10)),
})

KEYMAP: tuple[KeyMeaning, ...] = (
    # Everywhere
    KeyMeaning("question_mark", "?", "Help: every key of this screen", ("help",)),
    KeyMeaning("q", "q", "Quit", ("quit",)),
    KeyMeaning("b", "b", "Browse opportunities", ("browse",)),
    KeyMeaning("m", "m", "My work: applications and postings", ("my work",)),
    KeyMeaning("p", "p", "Post an opportunity (on a bench: for that gap)", ("post", "post for this gap")),
    KeyMeaning("i", "i", "Inbox", ("inbox",)),
    KeyMeaning("u", "u", "Your profile", ("profile",)),
    KeyMeaning("t", "t", "Team (line managers)", ("team",)),
    KeyMeaning("l", "l", "Capability map", ("capability map",)),
    KeyMeaning("z", "z", "Insights", ("insights",)),
    KeyMeaning("A", "A", "Admin console (admins)", ("admin",)),
    KeyMeaning("ctrl+p", "ctrl+p", "Command palette", ("palette",)),
    # On the screens where they apply
    KeyMeaning("a", "a", "Apply", ("apply",), "browse, opportunity"),
    KeyMeaning("c", "c", "Complete an engagement", ("complete",), "review"),
    KeyMeaning("d", "d", "Period: next time window", ("period",), "insights"),
    KeyMeaning("e", "e", "Edit the highlighted thing", ("edit", "where", "rename"),
               "my work, key roles, profile, people, settings, departments, skills taxonomy"),
    KeyMeaning("f", "f", "Filters", ("filters",), "browse, capability map, audit log"),
    KeyMeaning("g", "g", "Interests: skills you want to grow", ("interests",), "profile"),
    KeyMeaning("h", "h", "Weekly hours (and time cap) of a report or a person", ("weekly hours",), "team, people"),
    KeyMeaning("j", "j", "Merge the highlighted one into another (asks first)", ("merge",),
               "departments, skills taxonomy"),
    KeyMeaning("k", "k", "Key roles", ("key roles",), "capability map"),
    KeyMeaning("n", "n", "Invitations to apply", ("invite", "invitations"), "my work, review, invite, profile"),
    KeyMeaning("o", "o", "Offer a seat (optional message; undo with ctrl+z)", ("offer",), "review"),
    KeyMeaning("r", "r", "Release a report's time (asks first)", ("release",), "release queue"),
    KeyMeaning("s", "s", "Sort: next order", ("sort",), "browse, capability map"),
    KeyMeaning("v", "v", "View: for you or all", ("view",), "browse"),
    KeyMeaning("w", "w", "Withdraw an application (asks first)", ("withdraw",), "my work"),
    KeyMeaning("x", "x", "Say no: decline, cancel, delete, remove, deactivate, retire (asks first)",
               ("decline", "cancel", "delete", "remove", "deactivate", "retire")),
    KeyMeaning("y", "y", "Say yes: shortlist, confirm, reactivate, offer a retired skill again",
               ("shortlist", "confirm", "reactivate", "unretire"), "review, profile, people, imports, skills taxonomy"),
    KeyMeaning("space", "space", "Mark the highlighted row", ("mark", "mark read", "tick")),
    KeyMeaning("slash", "/", "Find: search, filter, jump", ("search", "filter", "jump", "find")),
    KeyMeaning("f2", "f2", "Pick a persona", ("pick a persona",), "no profile"),
    KeyMeaning("f5", "f5", "Reload", ("reload",)),
    KeyMeaning("ctrl+a", "ctrl+a", "Mark all read", ("all read",), "inbox"),
    KeyMeaning("ctrl+b", "ctrl+b", "Blind review", ("blind",), "review"),
    KeyMeaning("ctrl+d", "ctrl+d", "Load the demo organisation", ("load demo",), "first run"),
    KeyMeaning("ctrl+g", "ctrl+g", "Admin rights: make or revoke (asks first)", ("admin rights",), "people"),
    KeyMeaning("ctrl+f", "ctrl+f", "Import your data: how", ("import your data",), "first run"),
    KeyMeaning("ctrl+k", "ctrl+k", "Skills a key role needs", ("skills",), "key roles"),
    KeyMeaning("ctrl+l", "ctrl+l", "Clear search and filters", ("clear all", "clear filters")),
    KeyMeaning("ctrl+n", "ctrl+n", "New: add one", ("add", "add skill"),
               "key roles, profile, people, departments, skills taxonomy"),
    KeyMeaning("ctrl+o", "ctrl+o", "Publish: open to applicants", ("publish",), "post, my work"),
    KeyMeaning("ctrl+s", "ctrl+s", "Save", ("save", "save search")),
    KeyMeaning("ctrl+t", "ctrl+t", "Time cap of a report", ("time cap",), "team"),
    KeyMeaning("ctrl+w", "ctrl+w", "Close a posting to applicants", ("close",), "my work, review"),
    KeyMeaning("ctrl+z", "ctrl+z", "Undo", ("undo",), "review"),
)

BY_KEY = {meaning.key: meaning for meaning in KEYMAP}


def spoken(description: str) -> str:
    """A binding's footer words as the table compares them: lower case, without what
    follows a colon ("Sort: newest" is "sort")."""
    return description.split(":", 1)[0].strip().lower()


def misfits(bindings: list[tuple[str, str, str]]) -> list[str]:
    """Each (where, key, description) the table does not allow, said in a line:
    a key it does not know, or words that are not the key's meaning."""
    problems = []
    for where, key, description in bindings:
        if key in NAVIGATION_KEYS:
            continue
        meaning = BY_KEY.get(key)
        if meaning is None:
            problems.append(f"{where}: {key} ({description!r}) is not in the keymap")
        elif spoken(description) not in meaning.says:
            problems.append(f"{where}: {key} says {description!r}, but {key} means {meaning.meaning!r}")
    return problems
