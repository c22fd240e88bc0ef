"""Deactivating someone who leaves, in two steps so that an admin decides first:
`deactivation_plan` says what it would undo and what needs a decision, and
`deactivate_person` does all of it in one transaction, or nothing.

What happens to their work: applications not yet started (applied, shortlisted,
offered, accepted: whatever `lifecycle` lets an applicant withdraw) are withdrawn and
each owner is told; engagements under way stay, for their owner to complete with
feedback (they are told), and completed ones stay as they are; each posting they own
that is not over gets a new, active owner or is cancelled with a reason; owners of
postings they host are told to name another host; their direct reports move to a new
manager, or to none. Their history stays: past applications, engagements, skills,
audit rows. Their admin rights go, so reactivating them gives back none."""

from __future__ import annotations

from collections.abc import Mapping
from types import EllipsisType

from oppmarket import domain as d
from oppmarket import lifecycle, notices, policy
from oppmarket.db import models as M
from oppmarket.errors import Conflict, PermissionDenied, ValidationError
from oppmarket.lifecycle import APP_STATUSES, OPP_STATUSES
from oppmarket.market import records
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import MAX_TEXT
from oppmarket.people import DeactivationPlan, PlannedApplication, PlannedPosting
from oppmarket.text import clean, clean_line

# Applications the person may still withdraw from: not started yet.
WITHDRAWN = tuple(s for s in APP_STATUSES if lifecycle.allows("withdraw", s))
# Engagements under way: their owner completes them.
UNDER_WAY = tuple(s for s in APP_STATUSES if lifecycle.allows("complete", s))
# Postings not over yet: each needs an owner, or to be cancelled.
NOT_OVER = tuple(s for s in OPP_STATUSES if lifecycle.allows("cancel", s, of="opportunity"))


class DeactivationMixin(MarketCore):
    """Deactivating and reactivating people (admins)."""

    def _deactivating_admin(self) -> tuple[M.Employee, d.Person]:
        me, actor = self._me_person()
        if (why := policy.may_manage_people(actor)) is not None:
            raise PermissionDenied(why)
        return me, actor

    def _plan(self, row: M.Employee, actor: d.Person) -> DeactivationPlan:
        def applications(statuses: tuple[str, ...]) -> tuple[PlannedApplication, ...]:
            query = (M.Application.select(M.Application.id, M.Application.status, M.Opportunity.id,
                                          M.Opportunity.title, M.Employee.username)
                     .join(M.Opportunity).join(M.Employee, on=(M.Opportunity.owner == M.Employee.id))
                     .where(M.Application.applicant == row.id, M.Application.status.in_(statuses))
                     .order_by(M.Application.id))
            return tuple(PlannedApplication(app_id, opp_id, title, status, owner)
                         for app_id, status, opp_id, title, owner in query.tuples())

        def postings(where) -> tuple[PlannedPosting, ...]:
            rows = list(M.Opportunity.select().where(where, M.Opportunity.status.in_(NOT_OVER))
                        .order_by(M.Opportunity.id))
            owners = dict(M.Employee.select(M.Employee.id, M.Employee.username).where(
                M.Employee.id.in_({o.owner_id for o in rows})).tuples())
            live: dict[int, int] = {}
            for opp_id, in (M.Application.select(M.Application.opportunity).where(
                    M.Application.opportunity.in_([o.id for o in rows]),
                    M.Application.status.in_(lifecycle.LIVE_STATUSES)).tuples()):
                live[opp_id] = live.get(opp_id, 0) + 1
            return tuple(PlannedPosting(o.id, o.title, o.status, owners[o.owner_id], live.get(o.id, 0))
                         for o in rows)

        reports = tuple(M.Employee.select(M.Employee.username, M.Employee.display_name).where(
            M.Employee.manager == row.id, M.Employee.active == True)  # noqa: E712
            .order_by(M.Employee.display_name, M.Employee.username).tuples())
        refusal = policy.may_deactivate(actor, row.username)
        if refusal is None and not row.active:
            refusal = f"{row.username} is already inactive"
        if refusal is None and row.is_admin:
            refusal = policy.keeps_an_admin(row.username, self._admins_besides(row))
        return DeactivationPlan(
            person=records.person(row), applications=applications(WITHDRAWN), engagements=applications(UNDER_WAY),
            postings=postings(M.Opportunity.owner == row.id),
            hosted=postings((M.Opportunity.host == row.id) & (M.Opportunity.owner != row.id)),
            reports=reports, refusal=refusal)

    @api
    def deactivation_plan(self, username: str) -> DeactivationPlan:
        """Admin: what deactivating `username` would do and which decisions it needs
        (`DeactivationPlan.missing`); `refusal` says when it may not happen at all."""
        _, actor = self._deactivating_admin()
        return self._plan(self._employee_named(username), actor)

    @api
    def deactivate_person(self, username: str, *, new_owners: Mapping[int, str | None] | None = None,
                          cancel_reason: str = "", reports_to: str | None | EllipsisType = ...) -> d.Person:
        """Admin: deactivate someone as their plan says, in one transaction. Each open
        posting of theirs is in `new_owners` (id -> an active person's username, or
        None to cancel it with `cancel_reason`); `reports_to` is their reports' new
        manager (None: nobody; needed when they have reports). Refused, with nothing
        written, while a decision is missing or a choice is not allowed."""
        me, actor = self._deactivating_admin()
        decided = {int(k): (clean_line(v) or None if v is not None else None) for k, v in (new_owners or {}).items()}
        reason = clean(cancel_reason or "").strip()
        if len(reason) > MAX_TEXT:
            raise ValidationError({"cancel_reason": f"reason must be at most {MAX_TEXT} characters"})

        def body() -> str:
            row = self._lock(M.Employee, self._employee_named(username).id, "person")
            plan = self._plan(row, actor)
            if plan.refusal is not None:
                raise (PermissionDenied if policy.may_deactivate(actor, row.username) else Conflict)(plan.refusal)
            errors = plan.missing(decided, reason, reports_to)
            owners = self._new_owners(errors, row, plan, decided)
            manager = self._reports_manager(errors, row, plan, reports_to)
            if errors:
                raise ValidationError(errors)
            self._withdraw_all(me, row, plan)
            for app in plan.engagements:
                self._notify(M.Employee.get(M.Employee.username == app.owner_username),
                             notices.left_engagement(row.display_name, app.title, app.id))
            for posting in plan.postings:
                new = owners.get(posting.id)
                if new is None:
                    self.cancel(posting.id, reason)
                    continue
                opp = self._lock(M.Opportunity, posting.id, "opportunity")
                lifecycle.check("edit", opp.status, of="opportunity", title=opp.title)
                M.Opportunity.update(owner=new, updated_at=self.clock()).where(M.Opportunity.id == opp.id).execute()
                self._audit(me, "hand_over", "opportunity", opp.id, old={"owner": row.username},
                            new={"owner": new.username})
                self._notify(new, notices.handed_over(opp.title, row.display_name, opp.id))
            for posting in plan.hosted:
                self._notify(M.Employee.get(M.Employee.username == posting.owner_username),
                             notices.left_as_host(row.display_name, posting.title, posting.id))
            self._move_reports(me, row, plan, manager)
            M.Employee.update(active=False, is_admin=False).where(M.Employee.id == row.id).execute()
            self._audit(me, "deactivate", "employee", row.id, old={"active": True, "is_admin": bool(row.is_admin)},
                        new={"active": False, "is_admin": False},
                        withdrawn=[a.id for a in plan.applications],
                        handed_over={p.id: owners[p.id].username for p in plan.postings if owners.get(p.id)},
                        cancelled=[p.id for p in plan.postings if owners.get(p.id) is None],
                        reports_to=manager.username if manager else None)
            return row.username

        return self.person(self._tx(body))

    @staticmethod
    def _new_owners(errors: dict, row: M.Employee, plan: DeactivationPlan,
                    decided: Mapping[int, str | None]) -> dict[int, M.Employee]:
        """The new owner of each posting handed over, checked: an active person, not
        the one leaving, with no application of their own to it."""
        theirs = {p.id: p for p in plan.postings}
        owners: dict[int, M.Employee] = {}
        problems = []
        for opp_id, name in sorted(decided.items()):
            if opp_id not in theirs:
                problems.append(f"posting {opp_id} is not an open posting of {row.username}")
                continue
            if name is None:
                continue
            new = M.Employee.get_or_none(M.Employee.username == name)
            if new is None:
                problems.append(f"no person called {name!r} to own '{theirs[opp_id].title}'")
            elif not new.active or new.id == row.id:
                problems.append(f"{new.username} is inactive and cannot own '{theirs[opp_id].title}'")
            elif M.Application.select().where(M.Application.opportunity == opp_id, M.Application.applicant == new.id,
                                              M.Application.status.in_(lifecycle.LIVE_STATUSES)).exists():
                problems.append(f"{new.username} has applied to '{theirs[opp_id].title}' and cannot own it")
            else:
                owners[opp_id] = new
        if problems:
            errors["new_owners"] = "; ".join(problems)
        return owners

    def _reports_manager(self, errors: dict, row: M.Employee, plan: DeactivationPlan,
                         reports_to: str | None | EllipsisType) -> M.Employee | None:
        """The reports' new manager, checked: active, not one of them, no loop."""
        name = None if reports_to is ... else clean_line(reports_to or "")
        if not name or not plan.reports:
            return None
        new = M.Employee.get_or_none(M.Employee.username == name)
        if new is None:
            errors["reports_to"] = f"no person called {name!r}"
        elif not new.active or new.id == row.id:
            errors["reports_to"] = f"{new.username} is inactive and cannot be anyone's manager"
        else:
            ids = dict(M.Employee.select(M.Employee.username, M.Employee.id).where(
                M.Employee.username.in_([u for u, _ in plan.reports])).tuples())
            loops = (self._manager_loop(ids[username], new) for username, _ in plan.reports)
            if (loop := next((why for why in loops if why is not None), None)) is not None:
                errors["reports_to"] = loop
        return new

    def _withdraw_all(self, me: M.Employee, row: M.Employee, plan: DeactivationPlan) -> None:
        for planned in plan.applications:
            app = self._lock(M.Application, planned.id, "application")
            lifecycle.check("withdraw", app.status)
            self._set_status(app, lifecycle.target("withdraw"))
            owner = M.Employee.get(M.Employee.username == planned.owner_username)
            self._notify(owner, notices.left_application(row.display_name, planned.title, planned.opportunity_id))
            if app.status == lifecycle.RELEASE_WAITING and row.manager_id:
                # The manager was asked to release the time; no release is needed now.
                self._notify(row.manager_id, notices.withdrew_to_manager(row.display_name, planned.title, app.id))
            self._audit(me, "withdraw", "application", app.id, from_status=app.status, why="deactivated")

    def _move_reports(self, me: M.Employee, row: M.Employee, plan: DeactivationPlan,
                      manager: M.Employee | None) -> None:
        for username, name in plan.reports:
            report = self._lock(M.Employee, self._employee_named(username).id, "person")
            M.Employee.update(manager=manager).where(M.Employee.id == report.id).execute()
            self._audit(me, "edit_person", "employee", report.id, old={"manager": row.username},
                        new={"manager": manager.username if manager else None})
            self._notify(report, notices.manager_changed(manager.display_name if manager else None))
            if manager is not None:
                self._notify(manager, notices.new_report(name))

    @api
    def reactivate_person(self, username: str) -> d.Person:
        """Admin: let someone deactivated back in. Nothing of what their deactivation
        ended comes back, nor their admin rights; their old manager stays only if still
        active."""
        me, _ = self._deactivating_admin()

        def body() -> str:
            row = self._lock(M.Employee, self._employee_named(username).id, "person")
            if row.active:
                raise Conflict(f"{row.username} is already active")
            manager = M.Employee.get_or_none(M.Employee.id == row.manager_id) if row.manager_id else None
            keep = manager if manager is not None and manager.active else None
            M.Employee.update(active=True, manager=keep).where(M.Employee.id == row.id).execute()
            old_manager = manager.username if manager else None
            self._audit(me, "reactivate", "employee", row.id,
                        old={"active": False, "manager": old_manager},
                        new={"active": True, "manager": keep.username if keep else None})
            return row.username

        return self.person(self._tx(body))
