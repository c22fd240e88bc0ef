"""Postings: writing, editing and moving an opportunity through its states, and
reading them one at a time or a page at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import peewee

from oppmarket import domain as d
from oppmarket import lifecycle, notices, policy
from oppmarket.db import models as M
from oppmarket.errors import Conflict, NotFound, PermissionDenied, ValidationError
from oppmarket.lifecycle import HOLDING_STATUSES, LIVE_STATUSES, OppStatus
from oppmarket.market import records, validate
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import MAX_TEXT
from oppmarket.text import clean

# What happens in the transaction after a posting has moved: after(opp, owner).
After = Callable[[M.Opportunity, M.Employee], None]


class PostingsMixin(MarketCore):
    """What owners do with their postings, and what everyone reads of them."""

    @api
    def post(self, draft: d.OpportunityDraft, *, publish: bool = False) -> d.Opportunity:
        """Post an opportunity as a draft, or open it at once with publish=True."""
        me = self._me()
        values, skills, steps, errors = validate.check_draft(draft)
        if errors:
            raise ValidationError(errors)

        def body():
            now = self.clock()
            if values.get("department") is None:
                values["department"] = me.department_id
            status = OppStatus.OPEN if publish else OppStatus.DRAFT
            opp = M.Opportunity.create(owner=me, status=status, created_at=now, updated_at=now, **values)
            validate.write_draft_children(opp, skills, steps)
            self._audit(me, "post", "opportunity", opp.id, title=opp.title, status=opp.status)
            if publish:
                self.tell_saved_searches(opp.id)
            return opp.id

        return self.opportunity(self._tx(body))

    @api
    def edit(self, opportunity_id: int, draft: d.OpportunityDraft) -> d.Opportunity:
        me, actor = self._me_person()
        keep = {s for s, in M.OpportunitySkill.select(M.OpportunitySkill.skill)
                .where(M.OpportunitySkill.opportunity == opportunity_id).tuples()}
        values, skills, steps, errors = validate.check_draft(draft, keep=keep)

        def body():
            opp = self._lock(M.Opportunity, opportunity_id, "opportunity")
            self._may_act_on_posting(opp, "edit", actor)
            if errors:
                raise ValidationError(errors)
            holding = M.Application.select().where(
                M.Application.opportunity == opp.id, M.Application.status.in_(HOLDING_STATUSES)
            ).count()
            if values["seats"] < holding:
                raise ValidationError({"seats": f"{holding} people already hold seats; seats cannot go below that"})
            if values.get("department") is None:
                values["department"] = opp.department_id
            M.Opportunity.update(updated_at=self.clock(), **values).where(M.Opportunity.id == opp.id).execute()
            validate.write_draft_children(opp, skills, steps)
            self._audit(me, "edit", "opportunity", opp.id)

        self._tx(body)
        return self.opportunity(opportunity_id)

    def _transition(self, opportunity_id: int, action: str, *, reason: str = "",
                    after: After | None = None) -> d.Opportunity:
        """Move a posting by `action` (who may, and from where, as `lifecycle` says)."""
        me, actor = self._me_person()

        def body():
            opp = self._lock(M.Opportunity, opportunity_id, "opportunity")
            owner = self._may_act_on_posting(opp, action, actor)
            M.Opportunity.update(status=lifecycle.target(action, of="opportunity"), updated_at=self.clock()).where(
                M.Opportunity.id == opp.id).execute()
            self._audit(me, action, "opportunity", opp.id, **({"reason": reason} if reason else {}))
            if after is not None:
                after(opp, owner)

        self._tx(body)
        return self.opportunity(opportunity_id)

    def _tell_cancelled(self, reason: str) -> After:
        def after(opp: M.Opportunity, owner: M.Employee) -> None:
            live = M.Application.select().where(
                M.Application.opportunity == opp.id, M.Application.status.in_(LIVE_STATUSES))
            for app in list(live):
                lifecycle.check("cancel", app.status)
                self._set_status(app, lifecycle.target("cancel"), decline_reason=reason)
                self._notify(app.applicant_id, notices.cancelled(opp.title, reason, app.id))
                if app.status in HOLDING_STATUSES:
                    # The manager knows of offers and engagements only, and hears of their end.
                    applicant = M.Employee.get_by_id(app.applicant_id)
                    self._notify(applicant.manager_id,
                                 notices.cancelled_to_manager(applicant.display_name, opp.title, reason, app.id))
            if self.actor != owner.username:
                self._notify(owner, notices.cancelled_by_admin(opp.title, reason, opp.id))

        return after

    @api
    def publish(self, opportunity_id: int) -> d.Opportunity:
        """Open a draft (or reopen a closed posting) to applicants; people whose saved
        searches it matches hear of it (once, however often it reopens)."""
        return self._transition(opportunity_id, "publish", after=lambda opp, owner: self.tell_saved_searches(opp.id))

    @api
    def close(self, opportunity_id: int) -> d.Opportunity:
        """Stop taking applicants; offers and engagements carry on."""
        return self._transition(opportunity_id, "close")

    @api
    def cancel(self, opportunity_id: int, reason: str = "") -> d.Opportunity:
        """Cancel a posting; everyone still in play is told."""
        reason = clean(reason or "").strip()[:MAX_TEXT]
        return self._transition(opportunity_id, "cancel", reason=reason, after=self._tell_cancelled(reason))

    @api
    def complete_posting(self, opportunity_id: int) -> d.Opportunity:
        """Mark a posting completed once no engagement is still offered or active."""
        def after(opp: M.Opportunity, owner: M.Employee) -> None:
            # Counted inside the transaction, after the owner check, so a concurrent
            # offer cannot slip in and nobody else learns who is engaged.
            busy = M.Application.select().where(
                M.Application.opportunity == opp.id, M.Application.status.in_(HOLDING_STATUSES)
            ).count()
            if busy:
                raise Conflict(f"{busy} engagement(s) are still offered or active: complete or decline them first")

        return self._transition(opportunity_id, "complete", after=after)

    @api
    def opportunity(self, opportunity_id: int) -> d.Opportunity:
        """One opportunity. Drafts are visible only to their owner."""
        row = M.Opportunity.get_or_none(M.Opportunity.id == opportunity_id)
        if row is None or (row.status == OppStatus.DRAFT
                           and (self.actor is None or row.owner.username != self.actor)):
            raise NotFound(f"opportunity {opportunity_id} does not exist")
        return records.opportunities([row], detail=True)[0]

    @staticmethod
    def _listing(status, kind, department, remote, max_hours) -> peewee.ModelSelect:
        """Opportunities (never drafts) narrowed by the filters a list offers."""
        query = M.Opportunity.select().where(M.Opportunity.status != OppStatus.DRAFT)
        if status is not None:
            statuses = (status,) if isinstance(status, str) else tuple(status)
            query = query.where(M.Opportunity.status.in_(statuses))
        if kind:
            query = query.where(M.Opportunity.kind == kind)
        if department:
            query = query.join(M.Department).where(M.Department.name == department)
        if remote is not None:
            query = query.where(M.Opportunity.remote == remote)
        if max_hours is not None:
            query = query.where(M.Opportunity.hours_per_week <= max_hours)
        return query

    @staticmethod
    def _keyset(order: str, anchor: M.Opportunity, forward: bool):
        """The rows after (`forward`) or before `anchor` in `order`."""
        Opp = M.Opportunity
        if order == "newest":
            return Opp.id < anchor.id if forward else Opp.id > anchor.id
        # "closing": soonest end first, open-ended last, ties by id.
        if anchor.end is None:
            if forward:
                return Opp.end.is_null() & (Opp.id > anchor.id)
            return Opp.end.is_null(False) | (Opp.end.is_null() & (Opp.id < anchor.id))
        if forward:
            return Opp.end.is_null() | (Opp.end > anchor.end) | ((Opp.end == anchor.end) & (Opp.id > anchor.id))
        return Opp.end.is_null(False) & ((Opp.end < anchor.end) | ((Opp.end == anchor.end) & (Opp.id < anchor.id)))

    @api
    def opportunities(
        self,
        *,
        status: str | Iterable[str] | None = OppStatus.OPEN,
        kind: str | None = None,
        department: str | None = None,
        remote: bool | None = None,
        max_hours: int | None = None,
        ids: Iterable[int] | None = None,
        order: str = "newest",
        after_id: int | None = None,
        before_id: int | None = None,
        limit: int = 100,
    ) -> d.Page:
        """A page of opportunities, keyset-paginated. Drafts are never listed here;
        use `my_postings`.

        `order` is "newest" (by id, descending) or "closing" (soonest end first,
        open-ended last, ties by id). `after_id` gives the page after that opportunity
        in this order. `before_id` gives the `limit` rows just before it, still in list
        order; its `next_after` is then the id to pass as `before_id` for the page
        before that (None at the top), so a window over a long list can scroll back."""
        if order not in ("newest", "closing"):
            raise ValidationError({"order": "order must be 'newest' or 'closing'"})
        Opp = M.Opportunity
        query = self._listing(status, kind, department, remote, max_hours)
        if ids is not None:
            query = query.where(Opp.id.in_(list(ids)))
        anchor_id = before_id if before_id is not None else after_id
        if anchor_id is not None:
            anchor = Opp.get_or_none(Opp.id == anchor_id)
            if anchor is None:
                raise NotFound(f"opportunity {anchor_id} does not exist")
            query = query.where(self._keyset(order, anchor, forward=before_id is None))
        backward = before_id is not None  # fetched in reverse, then turned around
        if order == "newest":
            keys = [Opp.id.asc() if backward else Opp.id.desc()]
        else:
            keys = [k.desc() if backward else k.asc() for k in (Opp.end.is_null(), Opp.end, Opp.id)]
        rows = list(query.order_by(*keys).limit(limit))
        more = len(rows) == limit
        if backward:
            rows.reverse()
            return d.Page(tuple(records.opportunities(rows)), rows[0].id if more else None)
        return d.Page(tuple(records.opportunities(rows)), rows[-1].id if more else None)

    @api
    def count_opportunities(
        self,
        status: str | None = OppStatus.OPEN,
        *,
        kind: str | None = None,
        department: str | None = None,
        remote: bool | None = None,
        max_hours: int | None = None,
    ) -> int:
        """How many opportunities `opportunities` would list with these filters."""
        return self._listing(status, kind, department, remote, max_hours).count()

    @api
    def draft(self, opportunity_id: int) -> d.OpportunityDraft:
        """A posting as its owner filled it in, for the edit form (owner only; a
        completed or cancelled posting cannot be edited)."""
        actor = self._me_person()[1]
        opp = self.opportunity(opportunity_id)
        if (why := policy.may_manage_posting(actor, opp.owner_username)) is not None:
            raise PermissionDenied(why)
        lifecycle.check("edit", opp.status, of="opportunity", title=opp.title)
        return d.OpportunityDraft(
            kind=opp.kind, title=opp.title, description=opp.description, department=opp.department,
            hours_per_week=opp.hours_per_week, start=opp.start, end=opp.end, seats=opp.seats,
            location=opp.location, remote=opp.remote,
            skills=[(s.skill, s.level, s.role) for s in opp.skills], steps=list(opp.steps),
            certification=opp.certification, host=opp.host_username, topics=opp.topics,
            key_role_id=opp.key_role_id,
        )

    @api
    def my_postings(self) -> list[d.Opportunity]:
        me = self._me()
        rows = list(M.Opportunity.select().where(M.Opportunity.owner == me.id).order_by(M.Opportunity.id.desc()))
        return records.opportunities(rows, detail=True)
