"""Releases: a line manager frees (or declines) a report's time for an offer, and an
undecided release is granted automatically; the time cap managers may raise, and the
contracted hours it is a share of."""

from __future__ import annotations

from collections.abc import Callable

from oppmarket import domain as d
from oppmarket import lifecycle, notices, policy
from oppmarket.db import models as M
from oppmarket.errors import NotFound, PermissionDenied, ValidationError
from oppmarket.market import records
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import MAX_TEXT, MAX_WEEKLY_HOURS, int_field
from oppmarket.text import clean

# Days an offer waits for the manager before its release is granted anyway (the
# `release_auto_days` setting overrides it): silence is not a veto.


class ReleasesMixin(MarketCore):
    """What line managers decide about their reports' time."""

    def release_auto_days(self) -> int:
        """Days an offer waits for its release decision before it is granted."""
        return int(self._setting("release_auto_days", str(policy.DEFAULT_RELEASE_AUTO_DAYS)))

    @api
    def pending_releases(self) -> list[d.Application]:
        """Accepted offers of the actor's direct reports that wait for a release decision."""
        me = self._me()
        reports = M.Employee.select(M.Employee.id).where(M.Employee.manager == me.id)
        return records.applications(
            M.Application.select().where(M.Application.status == lifecycle.RELEASE_WAITING,
                                         M.Application.applicant.in_(reports))
            .order_by(M.Application.release_due))

    @api
    def release(self, application_id: int) -> d.Application:
        """Line manager: release a report's time for an offer."""
        def then(app, opp, applicant, owner, me):
            self._set_status(app, lifecycle.target("release"), released_by=me, released_at=self.clock(),
                             release_automatic=False)
            self._notify(applicant, notices.released(opp.title, app.id))
            self._notify(owner, notices.released_to_owner(applicant.display_name, opp.title, app.id))
            self._audit(me, "release", "application", app.id)

        self._act_on_application(application_id, "release", then)
        return self.application(application_id)

    @api
    def decline_release(self, application_id: int, reason: str) -> d.Application:
        """Line manager: decline to release time; a reason is required and shown to
        the applicant and owner."""
        reason = clean(reason or "").strip()
        if not reason:
            raise ValidationError({"reason": "a reason is required to decline a release"})
        if len(reason) > MAX_TEXT:
            raise ValidationError({"reason": f"reason must be at most {MAX_TEXT} characters"})

        def then(app, opp, applicant, owner, me):
            self._set_status(app, lifecycle.target("decline_release"), released_by=me, released_at=self.clock(),
                             release_reason=reason)
            self._notify(applicant, notices.release_declined(opp.title, reason, app.id))
            self._notify(owner, notices.release_declined_to_owner(applicant.display_name, opp.title, reason, app.id))
            self._audit(me, "decline_release", "application", app.id, reason=reason)

        self._act_on_application(application_id, "decline_release", then)
        return self.application(application_id)

    def _set_terms(self, username: str, field: str, value: int, action: str, rule,
                   notice: Callable[[M.Employee, int], notices.Notice]) -> d.Person:
        """Change one of a person's terms (`field`: weekly hours or cap %) as `rule`
        allows, never cutting their cap below what they already hold
        (`policy.may_cut_cap`), in one transaction, audited with the old and new
        value; the person is told with `notice(row, old)`."""
        me, actor = self._me_person()

        def body():
            target = M.Employee.get_or_none(M.Employee.username == username)
            if target is None:
                raise NotFound(f"nobody is called {username!r}")
            mgr = M.Employee.get_or_none(M.Employee.id == target.manager_id) if target.manager_id else None
            if (why := rule(actor, target.username, mgr.username if mgr else None)) is not None:
                raise PermissionDenied(why)
            target = self._lock(M.Employee, target.id, "employee")
            old = getattr(target, field)
            terms = (target.weekly_hours, target.cap_pct)
            changed = (value, target.cap_pct) if field == "weekly_hours" else (target.weekly_hours, value)
            committed = records.committed_hours([target.id]).get(target.id, 0)
            if (why := policy.may_cut_cap(target.display_name, committed, terms, changed)) is not None:
                raise ValidationError({field: why})
            M.Employee.update({getattr(M.Employee, field): value}).where(M.Employee.id == target.id).execute()
            self._notify(target, notice(target, old))
            self._audit(me, action, "employee", target.id, old=old, new=value)
            return target.username

        return self.person(self._tx(body))

    @api
    def set_cap(self, username: str, cap_pct: int | str) -> d.Person:
        """Line manager or admin: change a person's marketplace time cap (percent).
        A cut below the hours their offers and engagements hold is refused, naming them."""
        errors: dict[str, str] = {}
        pct = int_field(errors, "cap_pct", cap_pct, 0, 100, "time cap %")
        if errors:
            raise ValidationError(errors)
        return self._set_terms(username, "cap_pct", pct, "set_cap", policy.may_set_cap,
                               lambda target, old: notices.cap_changed(pct, old))

    @api
    def set_weekly_hours(self, username: str, hours: int | str) -> d.Person:
        """Line manager or admin: change a person's contracted hours a week. Their time
        cap is a share of these hours, so the person is told what their cap now is."""
        errors: dict[str, str] = {}
        new = int_field(errors, "weekly_hours", hours, 1, MAX_WEEKLY_HOURS, "weekly hours")
        if errors:
            raise ValidationError(errors)
        return self._set_terms(username, "weekly_hours", new, "set_weekly_hours", policy.may_set_hours,
                               lambda target, old: notices.hours_changed(new, old,
                                                                         policy.cap_hours(new, target.cap_pct)))

    @api
    def run_maintenance(self) -> int:
        """Lapse every offer left unanswered past its deadline, release automatically
        every accepted offer whose release is overdue, and send the weekly digests that
        are due; return how many offers were released. Runs on every start of the app
        or CLI, as the system."""
        self.lapse_overdue_offers()
        now = self.clock()
        due_ids = [a.id for a in M.Application.select(M.Application.id).where(
            M.Application.status == lifecycle.RELEASE_WAITING, M.Application.release_due <= now)]
        released = sum(self._tx(lambda app_id=app_id: self._release_overdue(app_id, now)) for app_id in due_ids)
        self.send_weekly_digests()
        return released

    def _release_overdue(self, application_id: int, now) -> int:
        """Grant one overdue release (1), unless someone decided meanwhile (0)."""
        app = self._lock(M.Application, application_id, "application")
        if not lifecycle.allows("auto_release", app.status) or app.release_due is None or app.release_due > now:
            return 0
        opp = M.Opportunity.get_by_id(app.opportunity_id)
        applicant = M.Employee.get_by_id(app.applicant_id)
        self._set_status(app, lifecycle.target("auto_release"), released_at=now, release_automatic=True)
        self._notify(applicant, notices.auto_released(opp.title, app.id))
        self._notify(applicant.manager_id, notices.auto_released_to_manager(applicant.display_name, opp.title, app.id))
        self._notify(opp.owner_id, notices.auto_released_to_owner(applicant.display_name, opp.title, app.id))
        self._audit(None, "auto_release", "application", app.id)
        return 1
