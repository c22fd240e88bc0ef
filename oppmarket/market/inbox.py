"""The inbox: a person's notifications and what they have read."""

from __future__ import annotations

import peewee

from oppmarket import domain as d
from oppmarket.db import models as M
from oppmarket.market.core import MarketCore, api


class InboxMixin(MarketCore):
    """Notifications, each read only by its recipient, and only once delivered: a
    review action's notifications wait out its undo window."""

    def _inbox(self, me: M.Employee, query: peewee.ModelSelect) -> peewee.ModelSelect:
        """`query` of notifications narrowed to `me`'s delivered by now."""
        return query.where(M.Notification.recipient == me.id,
                           M.Notification.deliver_at.is_null() | (M.Notification.deliver_at <= self.clock()))

    @api
    def notifications(self, *, unread_only: bool = False, limit: int = 200) -> list[d.Notification]:
        me = self._me()
        query = self._inbox(me, M.Notification.select())
        if unread_only:
            query = query.where(M.Notification.read == False)  # noqa: E712
        # A held notification is dated when it was delivered, not when it was written.
        return [d.Notification(n.id, n.text, n.link, n.read, n.deliver_at or n.created_at)
                for n in query.order_by(M.Notification.id.desc()).limit(limit)]

    @api
    def unread_count(self) -> int:
        me = self._me()
        return self._inbox(me, M.Notification.select()).where(M.Notification.read == False).count()  # noqa: E712

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
