"""Saved searches: what one keeps, how it reads, and which of them a newly opened
posting answers. Pure: no database, no UI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from oppmarket.domain import KIND_LABELS, Opportunity, SavedSearch, SkillInfo
from oppmarket.search import SearchIndex
from oppmarket.text import clean_line

MAX_NAME = 80
MAX_QUERY = 200
MAX_PER_PERSON = 20
# A query must find most of itself in a posting to alert on it: one word of several
# found in a description lists the posting in a search, but is no news worth sending.
ALERT_MIN_SCORE = 55.0


def week_start(now: dt.datetime) -> dt.datetime:
    """Monday 00:00 of the week `now` falls in: the weekly digest goes out once per
    such week."""
    return (now - dt.timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)


def accepts(saved: SavedSearch, opp: Opportunity) -> bool:
    """Whether `opp` passes the filters of `saved` (its query aside)."""
    return ((saved.kind is None or opp.kind == saved.kind)
            and (saved.department is None or opp.department == saved.department)
            and (saved.max_hours is None or opp.hours_per_week <= saved.max_hours)
            and (not saved.remote_only or opp.remote))


def answered_by(saved_searches: Iterable[SavedSearch], opp: Opportunity,
                skills: Iterable[SkillInfo]) -> list[SavedSearch]:
    """The saved searches `opp` matches: every filter, and the query (if any) as the
    search would find it, through the skills taxonomy with its aliases. The posting
    is indexed alone, so this costs one small query per saved search."""
    candidates = [s for s in saved_searches if accepts(s, opp)]
    if not any(s.query for s in candidates):
        return candidates
    index = SearchIndex(skills, [opp])
    return [s for s in candidates
            if not s.query or any(hit.score >= ALERT_MIN_SCORE for hit in index.search_opportunities(s.query, 1))]


def filter_words(saved: SavedSearch) -> list[str]:
    """Each filter briefly: ['gig', 'Platform', '≤ 4 h/wk', 'remote']. Browse's filter
    bar words its own filters the same way (they have the same four fields)."""
    found = []
    if saved.kind:
        found.append(KIND_LABELS.get(saved.kind, saved.kind).lower())
    if saved.department:
        found.append(clean_line(saved.department))
    if saved.max_hours is not None:
        found.append(f"≤ {saved.max_hours} h/wk")
    if saved.remote_only:
        found.append("remote")
    return found


def describe(saved: SavedSearch) -> str:
    """What a saved search looks for, on one line: "'k8s' · gig · Platform"."""
    parts = ([f"'{clean_line(saved.query)}'"] if saved.query else []) + filter_words(saved)
    return " · ".join(parts) or "everything"
