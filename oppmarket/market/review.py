"""What an owner's review of a posting keeps beyond one visit: blind review, and the
notifications its actions hold back while they may still be taken back."""

from __future__ import annotations

from oppmarket import domain as d
from oppmarket import policy
from oppmarket.db import models as M
from oppmarket.errors import PermissionDenied, ValidationError
from oppmarket.market.core import MarketCore, api


class ReviewMixin(MarketCore):
    """The owner's review settings of a posting, and the end of an undo window."""

    @api
    def set_blind_review(self, opportunity_id: int, blind: bool) -> d.Opportunity:
        """Owner: review this posting's applicants without names, usernames, emails and
        departments (until an offer), on every visit, until the owner turns it off."""
        if not isinstance(blind, bool):
            raise ValidationError({"blind": "blind must be true or false"})
        me, actor = self._me_person()

        def body():
            opp = self._lock(M.Opportunity, opportunity_id, "opportunity")
            if (why := policy.may_manage_posting(actor, M.Employee.get_by_id(opp.owner_id).username)) is not None:
                raise PermissionDenied(why)
            if opp.blind_review != blind:
                M.Opportunity.update(blind_review=blind).where(M.Opportunity.id == opp.id).execute()
                self._audit(me, "blind_review", "opportunity", opp.id, blind=blind)

        self._tx(body)
        return self.opportunity(opportunity_id)

    @api
    def deliver_held(self) -> int:
        """Deliver now the notifications the actor's own review actions hold back (the
        owner has left the review, so the undo window is over). Returns how many."""
        me = self._me()

        def body():
            now = self.clock()
            mine = M.AuditEvent.select(M.AuditEvent.id).where(M.AuditEvent.actor == me.id)
            return (M.Notification.update(deliver_at=now)
                    .where(M.Notification.deliver_at > now, M.Notification.held_by.in_(mine)).execute())

        return self._tx(body)
