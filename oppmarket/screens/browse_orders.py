"""What browse lists and in which orders: its three views, the sort orders each offers,
and the in-memory sort of a bounded list (recommendations, search results)."""

from __future__ import annotations

from collections.abc import Iterable

from oppmarket.widgets.opportunity_table import Listed

FOR_YOU, ALL, SEARCH = "for_you", "all", "search"

# The orders each list offers, in the order `s` cycles through them. The whole open
# list is paged from the database, so it offers the orders an index can serve; the
# bounded lists (recommendations, search results) are sorted in memory.
SORTS = {
    FOR_YOU: ("match", "newest", "closing"),
    ALL: ("newest", "closing"),
    SEARCH: ("relevance", "match", "newest", "closing"),
}
SORT_WORDS = {
    "relevance": "most relevant first",
    "match": "best match for you first",
    "newest": "newest first",
    "closing": "closing soonest first",
}

NOTHING_OPEN = ("No open opportunities yet.\n\n"
                "When someone posts a gig, a mentorship, a volunteering role, a shadowing day or "
                "a learning path, it appears here. Post one yourself with p.")


def _closing_key(listed: Listed) -> tuple:
    end = listed.opportunity.end
    return (end is None, end or 0, listed.opportunity.id)


def sort_rows(rows: Iterable[Listed], sort: str) -> list[Listed]:
    """A bounded list in `sort` order; 'relevance' keeps the order it came in."""
    rows = list(rows)
    if sort == "match":
        return sorted(rows, key=lambda r: (-(r.score if r.score is not None else -1), r.opportunity.id))
    if sort == "newest":
        return sorted(rows, key=lambda r: -r.opportunity.id)
    if sort == "closing":
        return sorted(rows, key=_closing_key)
    return rows
