"""Saved searches and what they send: an inbox item when a newly opened posting
matches one, and the weekly For-you digest for those who asked for it."""

from __future__ import annotations

from collections import defaultdict

from oppmarket import domain as d
from oppmarket import notices, saved_searches
from oppmarket.db import models as M
from oppmarket.domain import KINDS
from oppmarket.errors import NotFound, ValidationError
from oppmarket.market import records
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import MAX_WEEKLY_HOURS, int_field, length_field, required_field
from oppmarket.saved_searches import MAX_NAME, MAX_PER_PERSON, MAX_QUERY, week_start
from oppmarket.text import clean_line

DIGEST_SIZE = 3


def _saved(row: M.SavedSearch) -> d.SavedSearch:
    return d.SavedSearch(row.id, row.name, row.query, row.kind, row.department, row.max_hours, row.remote_only,
                         row.created_at)


class SearchesMixin(MarketCore):
    """What people keep of their searches, and the news it brings them."""

    @api
    def saved_searches(self) -> list[d.SavedSearch]:
        """The actor's saved searches, by name."""
        me = self._me()
        rows = M.SavedSearch.select().where(M.SavedSearch.owner == me.id).order_by(M.SavedSearch.name)
        return [_saved(r) for r in rows]

    @api
    def save_search(self, name: str, *, query: str = "", kind: str | None = None, department: str | None = None,
                    max_hours: int | str | None = None, remote_only: bool = False) -> d.SavedSearch:
        """Keep a search (a query, filters, or both) under a name; each posting opened
        from now on that matches it is sent to the actor's inbox."""
        me = self._me()
        errors: dict[str, str] = {}
        name = required_field(errors, "name", clean_line(name or ""), MAX_NAME, "name")
        query = length_field(errors, "query", clean_line(query or ""), MAX_QUERY, "query")
        if kind is not None and kind not in KINDS:
            errors["kind"] = f"kind must be one of {', '.join(KINDS)}"
        department = clean_line(department) if department else None
        if department and not M.Department.select().where(M.Department.name == department).exists():
            errors["department"] = f"no department called {department!r}"
        if max_hours not in (None, ""):
            max_hours = int_field(errors, "max_hours", max_hours, 1, MAX_WEEKLY_HOURS, "hours per week")
        else:
            max_hours = None
        if not query and not (kind or department or max_hours is not None or remote_only):
            errors.setdefault("query", "a saved search needs a query or at least one filter")
        if errors:
            raise ValidationError(errors)

        def body():
            mine = M.SavedSearch.select().where(M.SavedSearch.owner == me.id)
            if mine.where(M.SavedSearch.name == name).exists():
                raise ValidationError({"name": f"you already have a saved search called {name!r}"})
            if mine.count() >= MAX_PER_PERSON:
                raise ValidationError({"name": f"you may keep at most {MAX_PER_PERSON} saved searches; "
                                               "remove one first"})
            row = M.SavedSearch.create(owner=me, name=name, query=query, kind=kind, department=department or None,
                                       max_hours=max_hours, remote_only=bool(remote_only), created_at=self.clock())
            self._audit(me, "save_search", "saved_search", row.id, name=name)
            return row

        return _saved(self._tx(body))

    @api
    def remove_search(self, name: str) -> None:
        """Forget one of the actor's saved searches, by name."""
        me = self._me()
        name = clean_line(name or "")

        def body():
            row = M.SavedSearch.get_or_none(M.SavedSearch.owner == me.id, M.SavedSearch.name == name)
            if row is None:
                raise NotFound(f"you have no saved search called {name!r}")
            row.delete_instance()
            self._audit(me, "remove_search", "saved_search", row.id, name=name)

        self._tx(body)

    def tell_saved_searches(self, opportunity_id: int) -> int:
        """Inside the transaction that opens a posting: send one inbox item to each
        person (not its owner) with saved searches it matches, unless an earlier
        opening told them of it. Reads the saved searches whose filters fit (not the
        people); returns how many people were told."""
        row = M.Opportunity.get_by_id(opportunity_id)
        opp = records.opportunities([row], detail=True)[0]
        S = M.SavedSearch
        told = M.SavedSearchHit.select(M.SavedSearchHit.saved_search).where(
            M.SavedSearchHit.opportunity == row.id)
        fits = [S.owner != row.owner_id, M.Employee.active == True,  # noqa: E712
                S.kind.is_null() | (S.kind == row.kind),
                S.department.is_null() | (S.department == (opp.department or "")),
                S.max_hours.is_null() | (S.max_hours >= row.hours_per_week), S.id.not_in(told)]
        if not row.remote:
            fits.append(S.remote_only == False)  # noqa: E712
        rows = list(S.select().join(M.Employee).where(*fits))
        if not rows:
            return 0
        owners = {r.id: r.owner_id for r in rows}
        skill_ids = [s.skill_id for s in opp.skills]
        skills = records.skill_infos(list(M.Skill.select().where(M.Skill.id.in_(skill_ids)))) if skill_ids else []
        hits = saved_searches.answered_by([_saved(r) for r in rows], opp, skills)
        if not hits:
            return 0
        now = self.clock()
        M.SavedSearchHit.insert_many([{"saved_search": s.id, "opportunity": row.id, "at": now} for s in hits]).execute()
        by_person: dict[int, list[str]] = defaultdict(list)
        for s in hits:
            by_person[owners[s.id]].append(s.name)
        for person, names in by_person.items():
            self._notify(person, notices.saved_search_matched(opp.title, names, opp.id))
        return len(by_person)

    @api
    def send_weekly_digests(self) -> int:
        """Send the week's top recommendations to each person who asked for them and
        has had none this week (Monday to Sunday, UTC); return how many were sent.
        Safe to run from several processes at once: each digest is claimed by a
        conditional update before it is sent, so nobody gets two in a week."""
        now = self.clock()
        start = week_start(now)
        Emp = M.Employee
        due = (Emp.weekly_digest == True) & (Emp.active == True) & (  # noqa: E712
            Emp.digest_sent_at.is_null() | (Emp.digest_sent_at < start))
        sent = 0
        for person_id, username in list(Emp.select(Emp.id, Emp.username).where(due).tuples()):
            picks = self.as_user(username).recommend(limit=DIGEST_SIZE, record=False)

            def body(person_id=person_id, picks=picks) -> int:
                if not Emp.update(digest_sent_at=now).where(due, Emp.id == person_id).execute():
                    return 0  # another pass sent it meanwhile
                if not picks:
                    return 0
                self._notify(person_id, notices.weekly_digest(
                    [(clean_line(p.opportunity.title), p.match.score) for p in picks], picks[0].opportunity.id))
                return 1

            sent += self._tx(body)
        return sent
