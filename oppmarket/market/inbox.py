"""The inbox: a person's notifications and what they have read.

Some notifications ask something of their recipient: an offer to answer, a release
request, a core-work question, an invitation to apply. Such an item is done once what it asks for has
happened, by whoever and wherever (the queue, the CLI, another session, the
automatic release): that is read from the linked object's current state each time
the inbox is read, so it cannot go stale, and a done item counts as read."""

from __future__ import annotations

from collections import defaultdict

import peewee

from oppmarket import domain as d
from oppmarket import lifecycle
from oppmarket.db import models as M
from oppmarket.market.core import MarketCore, api

# The links of notifications that ask something of their recipient (see `notices`).
ACTION_LINKS = ("offer", "release", "corework", "invite")
# The status an application waits in while the notification of each link kind asks
# something of its recipient.
_WAITING_IN = {"offer": lifecycle.ANSWER_WAITING, "release": lifecycle.RELEASE_WAITING}


def _action(link: str) -> tuple[str, int] | None:
    """('release', 12) for 'release:12'; None for a link that asks nothing."""
    kind, _, ident = link.partition(":")
    return (kind, int(ident)) if kind in ACTION_LINKS and ident.isdigit() else None


class InboxMixin(MarketCore):
    """Notifications, each read only by its recipient, and only once delivered: a
    review action's notifications wait out its undo window."""

    def _inbox(self, me: M.Employee, query: peewee.ModelSelect) -> peewee.ModelSelect:
        """`query` of notifications narrowed to `me`'s delivered by now."""
        return query.where(M.Notification.recipient == me.id,
                           M.Notification.deliver_at.is_null() | (M.Notification.deliver_at <= self.clock()))

    def _done(self, me: M.Employee, links: dict[int, str]) -> set[int]:
        """Of the notifications {id: link} of `me`, those whose action item is done:
        the offer is answered (or lapsed, taken back), the release no longer waits
        (decided, withdrawn), the core-work
        question is answered, the invitation is taken up or its posting takes no more
        applications. A few queries, however many notifications."""
        asked: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for notification_id, link in links.items():
            if (action := _action(link)) is not None:
                asked[action[0]][action[1]].append(notification_id)
        pending: set[tuple[str, int]] = set()
        for kind, status in _WAITING_IN.items():
            if ids := list(asked[kind]):
                pending |= {(kind, i) for (i,) in M.Application.select(M.Application.id).where(
                    M.Application.id.in_(ids), M.Application.status == status).tuples()}
        if ids := list(asked["corework"]):
            pending |= {("corework", i) for (i,) in M.CoreWorkAnswer.select(M.CoreWorkAnswer.application).where(
                M.CoreWorkAnswer.application.in_(ids), M.CoreWorkAnswer.respondent == me.id,
                M.CoreWorkAnswer.answer.is_null()).tuples()}
        if ids := list(asked["invite"]):
            applied = M.Application.select(M.Application.opportunity).where(M.Application.applicant == me.id)
            pending |= {("invite", i) for i, status in M.Opportunity.select(M.Opportunity.id, M.Opportunity.status)
                        .where(M.Opportunity.id.in_(ids), M.Opportunity.id.not_in(applied)).tuples()
                        if lifecycle.allows("apply", status, of="opportunity")}
        return {n for kind, by_object in asked.items() for object_id, notes in by_object.items()
                if (kind, object_id) not in pending for n in notes}

    def _unread_action_items(self, me: M.Employee) -> dict[int, str]:
        """{id: link} of the unread notifications of `me` that ask something."""
        query = self._inbox(me, M.Notification.select(M.Notification.id, M.Notification.link)).where(
            M.Notification.read == False)  # noqa: E712
        matches = None
        for kind in ACTION_LINKS:
            pattern = M.Notification.link.startswith(f"{kind}:")
            matches = pattern if matches is None else matches | pattern
        return dict(query.where(matches).tuples())

    @api
    def notifications(self, *, unread_only: bool = False, limit: int = 200) -> list[d.Notification]:
        me = self._me()
        query = self._inbox(me, M.Notification.select())
        if unread_only:
            query = query.where(M.Notification.read == False)  # noqa: E712
        rows = list(query.order_by(M.Notification.id.desc()).limit(limit))
        done = self._done(me, {n.id: n.link for n in rows})
        # A held notification is dated when it was delivered, not when it was written.
        return [d.Notification(n.id, n.text, n.link, n.read or n.id in done, n.deliver_at or n.created_at,
                               n.id in done)
                for n in rows if not (unread_only and n.id in done)]

    @api
    def unread_count(self) -> int:
        me = self._me()
        unread = self._inbox(me, M.Notification.select()).where(M.Notification.read == False).count()  # noqa: E712
        return unread - len(self._done(me, self._unread_action_items(me)))

    @api
    def mark_read(self, notification_id: int | None = None) -> int:
        """Mark one notification (or, with None, all of the actor's) read; one not yet
        delivered stays unread."""
        me = self._me()

        def body():
            query = self._inbox(me, M.Notification.update(read=True)).where(M.Notification.read == False)  # noqa: E712
            if notification_id is not None:
                query = query.where(M.Notification.id == notification_id)
            return query.execute()

        return self._tx(body)
