"""Applications: applying and withdrawing, and the owner's shortlist, offer, decline
and undo; who may read which application."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

import peewee
from peewee import JOIN, fn

from oppmarket import domain as d
from oppmarket import lifecycle, notices, policy
from oppmarket.db import models as M
from oppmarket.errors import Conflict, NotFound, PermissionDenied, ValidationError
from oppmarket.lifecycle import HOLDING_STATUSES, UNDOABLE, WAITING_STATUSES, AppStatus, OppStatus
from oppmarket.market import records
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import MAX_TEXT, int_field
from oppmarket.text import clean


class ApplicationsMixin(MarketCore):
    """An application's way from applied to offered, and back by undo."""

    @api
    def apply(self, opportunity_id: int, note: str = "", hours_per_week: int | str | None = None) -> d.ApplyResult:
        """Apply to an open opportunity. Going past one's time cap is allowed with a
        warning (an offer beyond it is not)."""
        me, actor = self._me_person()
        errors: dict[str, str] = {}
        note = clean(note or "").strip()
        if len(note) > MAX_TEXT:
            errors["note"] = f"note must be at most {MAX_TEXT} characters"

        def body():
            opp = self._lock(M.Opportunity, opportunity_id, "opportunity")
            if opp.status == OppStatus.DRAFT:
                raise NotFound(f"opportunity {opportunity_id} does not exist")
            owner = self._may_act_on_posting(opp, "apply", actor)
            hours = opp.hours_per_week if hours_per_week in (None, "") else int_field(
                errors, "hours_per_week", hours_per_week, 1, 40, "hours per week")
            if errors:
                raise ValidationError(errors)
            now = self.clock()
            existing = M.Application.get_or_none(opportunity=opp.id, applicant=me.id)
            if existing is not None and lifecycle.is_in(existing.status):
                raise Conflict(f"you already applied to '{opp.title}' (status: {existing.status})")
            if existing is not None:
                # A fresh application: nothing of an earlier offer carries over.
                M.Application.update(status=AppStatus.APPLIED, note=note, hours_per_week=hours, applied_at=now,
                                     updated_at=now, decline_reason="", offered_at=None, offer_due=None,
                                     accepted_at=None, release_due=None,
                                     released_by=None, released_at=None, release_automatic=False,
                                     release_reason="").where(M.Application.id == existing.id).execute()
                app_id = existing.id
            else:
                try:
                    with self.db.atomic():
                        app_id = M.Application.create(opportunity=opp, applicant=me, note=note,
                                                      hours_per_week=hours, applied_at=now, updated_at=now).id
                except peewee.IntegrityError:
                    raise Conflict(f"you already applied to '{opp.title}'") from None
            self._notify(owner, notices.applied(me.display_name, opp.title, app_id))
            self._audit(me, "apply", "application", app_id, opportunity=opp.id, hours=hours)
            committed = records.committed_hours([me.id]).get(me.id, 0)
            cap = policy.cap_hours(me.weekly_hours, me.cap_pct)
            warning = None
            if not policy.fits_cap(committed, hours, me.weekly_hours, me.cap_pct):
                warning = (f"{hours} h/week would take you past your marketplace cap "
                           f"({committed} of {cap:g} h/week already committed): you may apply, "
                           "but an offer needs your manager to raise your cap")
            return d.ApplyResult(app_id, warning)

        return self._tx(body)

    @api
    def withdraw(self, application_id: int) -> d.Application:
        def then(app, opp, applicant, owner, me):
            manager_asked = app.status == lifecycle.RELEASE_WAITING
            self._set_status(app, lifecycle.target("withdraw"))
            self._notify(owner, notices.withdrew(applicant.display_name, opp.title, opp.id))
            if manager_asked and applicant.manager_id:
                self._notify(applicant.manager_id, notices.withdrew_to_manager(applicant.display_name, opp.title, app.id))
            self._audit(me, "withdraw", "application", app.id)

        self._act_on_application(application_id, "withdraw", then)
        return self.application(application_id)

    @api
    def shortlist(self, application_id: int, *, hold: bool = False) -> d.Application:
        """Shortlist an applicant, who is told. With `hold`, as every action of a review
        screen, the news waits out the undo window (`policy.UNDO_WINDOW_SECONDS`), so that
        an undo within it tells nobody."""
        def then(app, opp, applicant, owner, me):
            self._set_status(app, lifecycle.target("shortlist"))
            event = self._audit(me, "shortlist", "application", app.id, from_status=app.status)
            self._notify(applicant, notices.shortlisted(opp.title, app.id), held_by=event if hold else None)

        self._act_on_application(application_id, "shortlist", then)
        return self.application(application_id)

    @api
    def offer(self, application_id: int, message: str = "", *, hold: bool = False) -> d.Application:
        """Offer a seat. Refused when no seat is free or the hours would pass the
        applicant's cap. The candidate is told (with `hold`, once the undo window has
        passed, as in `shortlist`) and has `offer_answer_days` to accept or decline;
        their line manager hears of it only once they accept (see `accept`)."""
        message = clean(message or "").strip()[:MAX_TEXT]

        def then(app, opp, applicant, owner, me):
            lifecycle.check("make_offer", opp.status, of="opportunity", title=opp.title)
            holding = M.Application.select().where(
                M.Application.opportunity == opp.id, M.Application.status.in_(HOLDING_STATUSES)).count()
            if not policy.has_free_seat(opp.seats, holding):
                raise Conflict(f"no seat left on '{opp.title}': {holding} of {opp.seats} taken")
            committed = records.committed_hours([applicant.id]).get(applicant.id, 0)
            if not policy.fits_cap(committed, app.hours_per_week, applicant.weekly_hours, applicant.cap_pct):
                cap = policy.cap_hours(applicant.weekly_hours, applicant.cap_pct)
                raise Conflict(
                    f"{applicant.display_name} has {committed} of {cap:g} h/week committed; "
                    f"{app.hours_per_week} more would pass their cap (their manager can raise it)")
            now = self.clock()
            event = self._audit(me, "offer", "application", app.id, hours=app.hours_per_week, from_status=app.status)
            due = now + dt.timedelta(days=self.offer_answer_days())
            self._set_status(app, lifecycle.target("offer"), offered_at=now, offer_due=due)
            self._notify(applicant, notices.offered(opp.title, message, due, app.id),
                         held_by=event if hold else None)

        self._act_on_application(application_id, "offer", then)
        return self.application(application_id)

    @api
    def decline(self, application_id: int, reason: str = "", *, hold: bool = False) -> d.Application:
        """Decline an applicant, who is told with the reason (with `hold`, once the undo
        window has passed, as in `shortlist`)."""
        reason = clean(reason or "").strip()[:MAX_TEXT]

        def then(app, opp, applicant, owner, me):
            manager_asked = app.status == lifecycle.RELEASE_WAITING
            self._set_status(app, lifecycle.target("decline"), decline_reason=reason)
            event = self._audit(me, "decline", "application", app.id, reason=reason, from_status=app.status)
            held_by = event if hold else None
            self._notify(applicant, notices.not_taken_forward(opp.title, reason, app.id), held_by=held_by)
            if manager_asked and applicant.manager_id:
                self._notify(applicant.manager_id,
                             notices.offer_withdrawn_to_manager(applicant.display_name, opp.title, app.id),
                             held_by=held_by)

        self._act_on_application(application_id, "decline", then)
        return self.application(application_id)

    @api
    def applicants(self, opportunity_id: int) -> list[d.Application]:
        """Everyone who applied (owner and admins only)."""
        me, actor = self._me_person()
        opp = M.Opportunity.get_or_none(M.Opportunity.id == opportunity_id)
        if opp is None:
            raise NotFound(f"opportunity {opportunity_id} does not exist")
        if (why := policy.may_see_applicants(actor, opp.owner.username)) is not None:
            raise PermissionDenied(why)
        return records.applications(
            M.Application.select().where(M.Application.opportunity == opportunity_id).order_by(M.Application.id))

    @api
    def application(self, application_id: int) -> d.Application:
        """One application: visible to the applicant, the owner and admins, and to the
        applicant's manager once its offer has been accepted."""
        rows = records.applications(M.Application.select().where(M.Application.id == application_id))
        if not rows:
            raise NotFound(f"application {application_id} does not exist")
        app = rows[0]
        if self.actor is not None:
            me, actor = self._me_person()
            Manager = M.Employee.alias()
            manager = (M.Employee.select(Manager.username)
                       .join(Manager, JOIN.LEFT_OUTER, on=(M.Employee.manager == Manager.id))
                       .where(M.Employee.username == app.applicant_username).scalar())
            # An accepted offer that ended (withdrawn, cancelled) keeps its date: the
            # manager was told.
            told = app.accepted_at is not None or app.status in lifecycle.MANAGER_TOLD_STATUSES
            if (why := policy.may_see_application(actor, app.applicant_username, app.owner_username,
                                                  manager, told)) is not None:
                raise PermissionDenied(why)
        return app

    @api
    def my_applications(self) -> list[d.Application]:
        me = self._me()
        return records.applications(
            M.Application.select().where(M.Application.applicant == me.id).order_by(M.Application.updated_at.desc()))

    @api
    def my_statuses(self, opportunity_ids: Iterable[int]) -> dict[int, str]:
        """Where the actor stands on each of these opportunities: the status of their
        application, by opportunity id; those they never applied to are left out."""
        me = self._me()
        ids = list(opportunity_ids)
        statuses: dict[int, str] = {}
        for chunk in range(0, len(ids), 500):
            statuses.update(M.Application.select(M.Application.opportunity, M.Application.status).where(
                M.Application.applicant == me.id, M.Application.opportunity.in_(ids[chunk:chunk + 500])).tuples())
        return statuses

    @staticmethod
    def _last_undoable(application_id: int) -> M.AuditEvent | None:
        """The application's latest action not yet undone (None when there is none).
        Each undo in the history cancels one action before it, so repeated undos step
        back one action at a time."""
        pending_undos = 0
        for event in (M.AuditEvent.select().where(M.AuditEvent.object_type == "application",
                                                  M.AuditEvent.object_id == application_id)
                      .order_by(M.AuditEvent.id.desc())):
            if event.action == "undo":
                pending_undos += 1
            elif event.action in UNDOABLE and pending_undos:
                pending_undos -= 1
            else:
                return event
        return None

    @api
    def undo(self, application_id: int, *, action: str | None = None) -> d.Application:
        """Owner: take back the last shortlist, offer or decline on an application,
        as long as nothing has happened to it since; with `action`, only if the last
        one is that. Within the action's undo window its held notifications are taken
        back and nobody is told; after it, the applicant is told (an offer can be taken
        back only while it waits for their answer, so their manager never heard of it)."""
        if action is not None and action not in UNDOABLE:
            raise ValidationError({"action": f"action must be one of {', '.join(UNDOABLE)}"})

        def then(app, opp, applicant, owner, me):
            last = self._last_undoable(app.id)
            if last is None or last.action not in UNDOABLE or last.actor_id != me.id:
                raise Conflict("nothing to undo on this application")
            if action is not None and last.action != action:
                raise Conflict(f"the last action on this application is a {last.action}, not a {action}")
            lifecycle.check_undo(last.action, app.status)
            detail = json.loads(last.detail or "{}")
            if "from_status" not in detail:
                # Written before audit details recorded where an action started.
                raise Conflict(f"the {last.action} can no longer be undone: its earlier status was not recorded")
            back = detail["from_status"]
            self._set_status(app, back, offered_at=None, offer_due=None, release_due=None, released_at=None,
                             release_automatic=False, decline_reason="")
            # Notifications are not the record (the audit log is): what nobody has seen
            # yet is simply taken back, and then there is nothing to correct.
            recalled = M.Notification.delete().where(M.Notification.held_by == last.id,
                                                     M.Notification.deliver_at > self.clock()).execute()
            self._audit(me, "undo", "application", app.id, undone=last.action, to_status=back, recalled=recalled)
            if recalled:
                return
            if last.action == "decline":
                self._notify(applicant, notices.back_under_review(opp.title, app.id))
            elif last.action == "offer":
                self._notify(applicant, notices.offer_taken_back(opp.title, back, app.id))
            else:
                self._notify(applicant, notices.back_to(opp.title, back, app.id))

        self._act_on_application(application_id, "undo", then, check_status=False)
        return self.application(application_id)

    @api
    def close_and_decline_rest(self, opportunity_id: int, message: str = "") -> int:
        """Owner: close a posting and decline everyone still applied or shortlisted,
        each told with the optional message. Returns how many were declined."""
        me, actor = self._me_person()
        message = clean(message or "").strip()[:MAX_TEXT]

        def body():
            opp = self._lock(M.Opportunity, opportunity_id, "opportunity")
            self._may_act_on_posting(opp, "fill", actor)
            waiting = list(M.Application.select().where(
                M.Application.opportunity == opp.id, M.Application.status.in_(WAITING_STATUSES)))
            for app in waiting:
                self._set_status(app, lifecycle.target("decline"), decline_reason=message)
                self._notify(app.applicant_id, notices.filled(opp.title, message, app.id))
                self._audit(me, "decline", "application", app.id, reason=message, from_status=app.status, bulk=True)
            M.Opportunity.update(status=lifecycle.target("fill", of="opportunity"), updated_at=self.clock()).where(
                M.Opportunity.id == opp.id).execute()
            self._audit(me, "close", "opportunity", opp.id, declined=len(waiting))
            return len(waiting)

        return self._tx(body)

    @api
    def applicant_counts(self, opportunity_ids: Iterable[int]) -> dict[int, dict[str, int]]:
        """Per posting, how many applications are in each status (owner's own postings
        or any for an admin; others see nothing)."""
        me, actor = self._me_person()
        ids = list(opportunity_ids)
        query = (M.Application.select(M.Application.opportunity, M.Application.status, fn.COUNT(M.Application.id))
                 .join(M.Opportunity).where(M.Application.opportunity.in_(ids))
                 .group_by(M.Application.opportunity, M.Application.status))
        if not actor.is_admin:
            query = query.where(M.Opportunity.owner == me.id)
        out: dict[int, dict[str, int]] = {i: {} for i in ids}
        for opp_id, status, n in query.tuples():
            out[opp_id][status] = n
        return out
