"""Offers: the candidate accepts or declines an owner's offer before its deadline;
only an accepted offer goes to the line manager for release, and an unanswered one
lapses, freeing its seat."""

from __future__ import annotations

import datetime as dt

from oppmarket import domain as d
from oppmarket import lifecycle, notices, policy
from oppmarket.db import models as M
from oppmarket.errors import Conflict, ValidationError
from oppmarket.lifecycle import AppStatus
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import MAX_TEXT
from oppmarket.text import clean


class OffersMixin(MarketCore):
    """What a candidate does with an offer, and what happens when they do nothing."""

    def offer_answer_days(self) -> int:
        """Days a candidate has to answer an offer before it lapses."""
        return int(self._setting("offer_answer_days", str(policy.DEFAULT_OFFER_ANSWER_DAYS)))

    def _refuse_past_deadline(self, app: M.Application) -> None:
        if app.offer_due is not None and app.offer_due <= self.clock():
            raise Conflict(f"the offer had to be answered by {app.offer_due:%Y-%m-%d %H:%M}; it has lapsed")

    @api
    def accept(self, application_id: int) -> d.Application:
        """Candidate: accept an offer. Now, and not before, the line manager is asked
        to release the time and the automatic-release clock starts; a candidate
        without a line manager starts at once. The owner is told."""
        def then(app, opp, applicant, owner, me):
            self._refuse_past_deadline(app)
            now = self.clock()
            self._audit(me, "accept", "application", app.id, from_status=app.status)
            self._notify(owner, notices.offer_accepted_to_owner(applicant.display_name, opp.title, app.id))
            if applicant.manager_id is None:
                # Nobody to release the time: the engagement starts at once.
                self._set_status(app, AppStatus.ACTIVE, accepted_at=now, released_at=now, release_automatic=True,
                                 release_reason="no line manager")
                return
            due = now + dt.timedelta(days=self.release_auto_days())
            self._set_status(app, lifecycle.target("accept"), accepted_at=now, release_due=due)
            self._notify(applicant.manager_id, notices.release_asked(
                applicant.display_name, opp.title, app.hours_per_week, due, app.id))

        self._act_on_application(application_id, "accept", then)
        return self.application(application_id)

    @api
    def decline_offer(self, application_id: int, reason: str = "") -> d.Application:
        """Candidate: turn an offer down, with an optional reason the owner reads. The
        seat frees; the line manager never hears of it."""
        reason = clean(reason or "").strip()
        if len(reason) > MAX_TEXT:
            raise ValidationError({"reason": f"reason must be at most {MAX_TEXT} characters"})

        def then(app, opp, applicant, owner, me):
            self._set_status(app, lifecycle.target("decline_offer"), decline_reason=reason)
            self._notify(owner, notices.offer_declined_to_owner(applicant.display_name, opp.title, reason, app.id))
            self._audit(me, "decline_offer", "application", app.id, reason=reason, from_status=app.status)

        self._act_on_application(application_id, "decline_offer", then)
        return self.application(application_id)

    def lapse_overdue_offers(self) -> int:
        """Lapse every offer left unanswered past its deadline (the maintenance pass);
        return how many lapsed."""
        now = self.clock()
        due_ids = [a.id for a in M.Application.select(M.Application.id).where(
            M.Application.status == lifecycle.ANSWER_WAITING, M.Application.offer_due <= now)]
        return sum(self._tx(lambda app_id=app_id: self._lapse_overdue(app_id, now)) for app_id in due_ids)

    def _lapse_overdue(self, application_id: int, now: dt.datetime) -> int:
        """Lapse one overdue offer (1), unless it was answered meanwhile (0)."""
        app = self._lock(M.Application, application_id, "application")
        if not lifecycle.allows("lapse_offer", app.status) or app.offer_due is None or app.offer_due > now:
            return 0
        opp = M.Opportunity.get_by_id(app.opportunity_id)
        applicant = M.Employee.get_by_id(app.applicant_id)
        self._set_status(app, lifecycle.target("lapse_offer"))
        self._notify(applicant, notices.offer_lapsed(opp.title, app.id))
        self._notify(opp.owner_id, notices.offer_lapsed_to_owner(applicant.display_name, opp.title, app.id))
        self._audit(None, "lapse_offer", "application", app.id)
        return 1
