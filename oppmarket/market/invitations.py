"""Invitations: people say whether they are open to them; an owner sees who of them
fits an open posting best, with the reasons, and invites them to apply. An invitation
is a notification and nothing more: applying stays the person's choice."""

from __future__ import annotations

import peewee

from oppmarket import domain as d
from oppmarket import matching, notices, policy
from oppmarket.db import models as M
from oppmarket.errors import Conflict, NotFound, PermissionDenied, ValidationError
from oppmarket.market import records
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import MAX_TEXT, int_field
from oppmarket.text import clean

# How many candidates a list holds at most, and how many people at most are scored
# for one (those who hold a skill it asks for or want one it grows come first).
MAX_CANDIDATES = 100
MAX_POOL = 2000


class InvitationsMixin(MarketCore):
    """Who is open to invitations, and the owners' invitations to apply."""

    @api
    def set_open_to_invitations(self, open_to: bool) -> d.Person:
        """Say whether owners of postings you match may invite you to apply."""
        if not isinstance(open_to, bool):
            raise ValidationError({"open_to_invitations": "must be true or false"})
        me = self._me()

        def body():
            row = self._lock(M.Employee, me.id, "employee")
            if row.open_to_invitations == open_to:
                return
            M.Employee.update(open_to_invitations=open_to).where(M.Employee.id == me.id).execute()
            self._audit(me, "set_open_to_invitations", "employee", me.id, old=row.open_to_invitations, new=open_to)

        self._tx(body)
        return records.person(M.Employee.get_by_id(me.id))

    def _invitable(self, opp: M.Opportunity, actor: d.Person) -> M.Employee:
        """The posting's owner, once the actor may invite people to it: its owner,
        while it is open, with a seat left."""
        owner = self._may_act_on_posting(opp, "invite", actor)
        taken = dict(records.seats_held().where(M.Application.opportunity == opp.id).tuples()).get(opp.id, 0)
        if taken >= opp.seats:
            raise Conflict(f"every seat of '{opp.title}' is taken; nobody can be invited to apply")
        return owner

    @api
    def candidates(self, opportunity_id: int, *, limit: int | str = 20) -> list[d.Candidate]:
        """For the owner of an open posting with a seat left: the people open to
        invitations who fit it best (best match first, ties in the reviewers' stable
        order), each with their match, track record and whether they were invited. Who
        has applied (even if they withdrew) is left out."""
        errors: dict[str, str] = {}
        limit = int_field(errors, "limit", limit, 1, MAX_CANDIDATES, "limit")
        if errors:
            raise ValidationError(errors)
        me, actor = self._me_person()
        opp_row = M.Opportunity.get_or_none(M.Opportunity.id == opportunity_id)
        if opp_row is None:
            raise NotFound(f"opportunity {opportunity_id} does not exist")
        owner = self._invitable(opp_row, actor)
        opp = records.opportunities([opp_row])[0]
        pool = (M.Employee.select().where(
            M.Employee.open_to_invitations == True, M.Employee.active == True,  # noqa: E712
            M.Employee.id != owner.id,
            M.Employee.id.not_in(M.Application.select(M.Application.applicant)
                                 .where(M.Application.opportunity == opp.id))))
        rows = self._pool(pool, opp)
        track = records.track_records(r.id for r in rows)
        by_name = {r.username: r.id for r in rows}
        invited = dict(M.Invitation.select(M.Invitation.invitee, M.Invitation.created_at)
                       .where(M.Invitation.opportunity == opp.id).tuples())
        ranked = matching.rank_applicants(opp, records.profiles(rows, self.clock()))[:limit]
        return [d.Candidate(p, m, *track.get(by_name[p.person.username], (0, None)),
                            invited.get(by_name[p.person.username]))
                for p, m in ranked]

    @staticmethod
    def _pool(pool: peewee.ModelSelect, opp: d.Opportunity) -> list[M.Employee]:
        """Up to MAX_POOL people of `pool` to score: those who hold a required skill or
        want to learn one the posting grows first, then the rest, in id order."""
        required = [s.skill_id for s in opp.required]
        grows = [s.skill_id for s in opp.grows]
        near = (M.Employee.id.in_(M.EmployeeSkill.select(M.EmployeeSkill.employee)
                                  .where(M.EmployeeSkill.skill.in_(required or [0])))
                | M.Employee.id.in_(M.Interest.select(M.Interest.employee).where(M.Interest.skill.in_(grows or [0]))))
        rows = list(pool.where(near).order_by(M.Employee.id).limit(MAX_POOL))
        if len(rows) < MAX_POOL:
            rows += list(pool.where(~near).order_by(M.Employee.id).limit(MAX_POOL - len(rows)))
        return rows

    @api
    def invite(self, opportunity_id: int, username: str, message: str = "") -> d.Invitation:
        """Owner: invite someone open to invitations to apply to an open posting with a
        seat left. They are told in their inbox, with a link to the posting; once per
        person and posting."""
        message = clean(message or "").strip()
        if len(message) > MAX_TEXT:
            raise ValidationError({"message": f"message must be at most {MAX_TEXT} characters"})
        me, actor = self._me_person()

        def body():
            opp = self._lock(M.Opportunity, opportunity_id, "opportunity")
            owner = self._invitable(opp, actor)
            invitee = M.Employee.get_or_none(M.Employee.username == username)
            if invitee is None:
                raise NotFound(f"nobody is called {username!r}")
            if (why := policy.may_be_invited(records.person(invitee), owner.username)) is not None:
                raise PermissionDenied(why)
            if M.Application.select().where(M.Application.opportunity == opp.id,
                                            M.Application.applicant == invitee.id).exists():
                raise Conflict(f"{invitee.display_name} has already applied to '{opp.title}'")
            earlier = M.Invitation.get_or_none(opportunity=opp.id, invitee=invitee.id)
            if earlier is not None:
                raise Conflict(f"you already invited {invitee.display_name} to apply to '{opp.title}' "
                               f"on {earlier.created_at:%Y-%m-%d}")
            row = M.Invitation.create(opportunity=opp, invitee=invitee, inviter=me, created_at=self.clock())
            self._notify(invitee, notices.invited(owner.display_name, opp.title, message, opp.id))
            self._audit(me, "invite", "opportunity", opp.id, invitee=invitee.username)
            return d.Invitation(row.id, opp.id, opp.title, invitee.username, invitee.display_name, row.created_at)

        return self._tx(body)
