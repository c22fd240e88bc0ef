"""The audit log, for admins: newest first, filtered by who acted, the action, the
object and the time, a page at a time by keyset on the event's id (never OFFSET: a
page further back costs what the first one does, and events recorded while someone
pages land above where they are, so no page repeats or skips one), one event in full,
and the whole filtered view streamed page by page for an export."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import asdict

from peewee import JOIN

from oppmarket import domain as d
from oppmarket import policy
from oppmarket.audit_trail import SYSTEM_ACTOR, parse_when, when_bounds
from oppmarket.db import models as M
from oppmarket.errors import NotFound, PermissionDenied, ValidationError
from oppmarket.market.core import MarketCore, api
from oppmarket.text import clean_line

MAX_PAGE = 1000
EXPORT_PAGE = 500


def _entry(e: M.AuditEvent) -> d.AuditEntry:
    return d.AuditEntry(e.id, e.actor_username, e.identified_by, e.action, e.object_type, e.object_id,
                        json.loads(e.detail or "{}"), e.at)


def _when(errors: dict, field: str, value) -> dt.date | dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    try:
        return parse_when(str(value))
    except ValueError as exc:
        errors[field] = str(exc)
        return None


class AuditLogMixin(MarketCore):
    """Reading the audit trail (admins only)."""

    def _auditor(self) -> None:
        _, actor = self._me_person()
        if (why := policy.may_read_audit_log(actor)) is not None:
            raise PermissionDenied(why)

    @staticmethod
    def _events_where(f: d.AuditFilter, before_id: int | None, limit: int) -> list:
        """The conditions of a filter, checked (ValidationError names the field)."""
        errors: dict[str, str] = {}
        if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_PAGE:
            errors["limit"] = f"limit must be a whole number from 1 to {MAX_PAGE}"
        if before_id is not None and (not isinstance(before_id, int) or before_id < 1):
            errors["before_id"] = "before_id must be an event's id (a whole number of at least 1)"
        if f.object_id is not None and f.object_type in (None, ""):
            errors["object_id"] = "an object's id needs its type too (TYPE:ID)"
        since, until = _when(errors, "since", f.since), _when(errors, "until", f.until)
        low, high = when_bounds(since, until)
        if low is not None and high is not None and low >= high:
            errors["until"] = "until must not be before since"
        if errors:
            raise ValidationError(errors)
        where = []
        if f.actor:
            actor = clean_line(f.actor)
            where.append(M.AuditEvent.actor.is_null() if actor == SYSTEM_ACTOR
                         else M.AuditEvent.actor.in_(M.Employee.select(M.Employee.id)
                                                     .where(M.Employee.username == actor)))
        if f.action:
            where.append(M.AuditEvent.action == clean_line(f.action))
        if f.object_type:
            where.append(M.AuditEvent.object_type == clean_line(f.object_type))
        if f.object_id is not None:
            where.append(M.AuditEvent.object_id == f.object_id)
        if low is not None:
            where.append(M.AuditEvent.at >= low)
        if high is not None:
            where.append(M.AuditEvent.at < high)
        if before_id is not None:
            where.append(M.AuditEvent.id < before_id)
        return where

    @api
    def audit_events(self, *, actor: str | None = None, action: str | None = None, object_type: str | None = None,
                     object_id: int | None = None, since: dt.date | dt.datetime | str | None = None,
                     until: dt.date | dt.datetime | str | None = None, before_id: int | None = None,
                     limit: int = 50) -> d.AuditPage:
        """Admin: a page of audit events, newest first, older than `before_id` when
        given. `actor` is a username ("system": no person acted); `since` and `until`
        are days (both included) or moments, in UTC, or their text."""
        self._auditor()
        f = d.AuditFilter(actor, action, object_type, object_id, since, until)
        query = (M.AuditEvent.select(M.AuditEvent, M.Employee.username.alias("actor_username"))
                 .join(M.Employee, JOIN.LEFT_OUTER).order_by(M.AuditEvent.id.desc()).limit(limit + 1))
        for condition in self._events_where(f, before_id, limit):
            query = query.where(condition)
        # The actor's name comes as a flat column: a partially selected joined model
        # would hide the foreign key (actor_id reads as None).
        rows = [_entry(e) for e in query.objects()]
        more = len(rows) > limit
        events = tuple(rows[:limit])
        return d.AuditPage(events, events[-1].id if more else None)

    @api
    def audit_log(self, *, limit: int = 200, after_id: int | None = None) -> list[d.AuditEntry]:
        """Admin: the latest `limit` audit events, newest first (older than `after_id`)."""
        return list(self.audit_events(limit=limit, before_id=after_id).events)

    @api
    def audit_event(self, event_id: int) -> d.AuditEntry:
        """Admin: one audit event with its whole detail."""
        self._auditor()
        row = (M.AuditEvent.select(M.AuditEvent, M.Employee.username.alias("actor_username"))
               .join(M.Employee, JOIN.LEFT_OUTER).where(M.AuditEvent.id == event_id).objects().first())
        if row is None:
            raise NotFound(f"audit event {event_id} does not exist")
        return _entry(row)

    @api
    def audit_actions(self) -> list[str]:
        """Admin: every action the log holds, for a filter to pick from."""
        self._auditor()
        return [a for (a,) in M.AuditEvent.select(M.AuditEvent.action).distinct()
                .order_by(M.AuditEvent.action).tuples()]

    def each_audit_event(self, f: d.AuditFilter = d.AuditFilter(), *,
                         page: int = EXPORT_PAGE) -> Iterator[d.AuditEntry]:
        """Admin: every event the filter matches, newest first, fetched a page at a
        time as the caller reads them, so an export of a million never holds them all.
        The first page is read (and the filter checked) before this returns."""
        first = self.audit_events(**asdict(f), limit=page)

        def pages() -> Iterator[d.AuditEntry]:
            current = first
            while True:
                yield from current.events
                if current.next_before_id is None:
                    return
                current = self.audit_events(**asdict(f), before_id=current.next_before_id, limit=page)

        return pages()
