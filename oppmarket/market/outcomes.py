"""What the marketplace did over a period, counted for `oppmarket.insights`:
participation, equal access, the release ledger, hours unlocked, core work and skills
gained, for the people `policy.insights_scope` lets the actor look at.

A fixed number of queries whatever the size of the company: the groups of people are
counted in SQL; engagements and release requests come one row each (their weeks and
days need dates), and `oppmarket.insights` turns it all into figures."""

from __future__ import annotations

import datetime as dt

from peewee import JOIN, Case, Value, fn

from oppmarket import insights, policy, release_ledger
from oppmarket.db import models as M
from oppmarket.errors import ValidationError
from oppmarket.insights import AnswerCount, Engagement, Group, Insights, Manager, Period, ReleaseRequest
from oppmarket.lifecycle import ENGAGED_STATUSES
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import date_field


NOW_INCLUDED = dt.timedelta(seconds=1)


def _within(field, period: Period):
    """`field` falls in the period."""
    condition = field < period.until
    return condition if period.since is None else condition & (field >= period.since)


class OutcomesMixin(MarketCore):
    """The figures that say whether the marketplace works, and for whom."""

    @api
    def insights(self, *, since: dt.date | str | None = None, until: dt.date | str | None = None) -> Insights:
        """The period's figures (from `since` to `until`, both days included; by
        default from the beginning up to now) for the people the actor may look at:
        an admin the whole company, a line manager their direct reports and their own
        release decisions, anyone else their own participation."""
        me, actor = self._me_person()
        period = self._period(since, until)
        scope = policy.insights_scope(actor)
        people = M.Employee.select(M.Employee.id).where(M.Employee.active == True)  # noqa: E712
        if scope == policy.REPORTS_SCOPE:
            people = people.where(M.Employee.manager == me.id)
        elif scope == policy.SELF_SCOPE:
            people = M.Employee.select(M.Employee.id).where(M.Employee.id == me.id)
        firsts = (M.Application.select(M.Application.applicant.alias("person"),
                                       fn.MIN(M.Application.released_at).alias("first"))
                  .where(M.Application.status.in_(ENGAGED_STATUSES)).group_by(M.Application.applicant)
                  .alias("firsts"))
        groups = self._groups(period, people, firsts)
        engagements = self._engagements(period, people, firsts, scope, me.id)
        managers: list[Manager] = []
        requests: list[ReleaseRequest] = []
        if scope != policy.SELF_SCOPE:
            requests = self._release_requests(period)
            managers = self._managers(scope, me, requests, engagements)
        answers = self._answers(period, people, me.id if scope == policy.SELF_SCOPE else None)
        return Insights(
            period=period, scope=scope, scope_words=self._scope_words(scope, groups),
            participation=insights.participation(period, groups, engagements),
            access=insights.equal_access(groups),
            ledger=(None if scope == policy.SELF_SCOPE
                    else release_ledger.ledger(period, requests, managers, engagements)),
            hours=insights.hours_unlocked(period, engagements),
            core_work=insights.core_work(answers),
            skills=self._skills_gained(period, people),
        )

    def _period(self, since, until) -> Period:
        """Whole days, `until` included; never beyond now, since nothing was counted there."""
        errors: dict[str, str] = {}
        first = date_field(errors, "since", since)
        last = date_field(errors, "until", until)
        if errors:
            raise ValidationError(errors)
        # Up to now, and what happened this very moment with it (the period's end is excluded).
        now = self.clock() + NOW_INCLUDED
        end = now if last is None else min(now, dt.datetime.combine(last + dt.timedelta(days=1), dt.time()))
        start = None if first is None else dt.datetime.combine(first, dt.time())
        if start is not None and start >= end:
            field = "since" if last is None or start > now else "until"
            raise ValidationError({field: f"the period must start before it ends, and before now "
                                          f"(since {first}, until {last or 'now'})"})
        return Period(start, end)

    @staticmethod
    def _scope_words(scope: str, groups: list[Group]) -> str:
        people = sum(g.people for g in groups)
        if scope == policy.COMPANY_SCOPE:
            return f"the whole company ({people} {'person' if people == 1 else 'people'})"
        if scope == policy.REPORTS_SCOPE:
            return f"your {people} direct {'report' if people == 1 else 'reports'}"
        return "your own participation"

    # ------------------------------------------------------------------ the counts

    @staticmethod
    def _groups(period: Period, people, firsts) -> list[Group]:
        """The people looked at, by department and by whether they had an engagement
        before the period, with what they were shown, applied for and were offered."""
        returning = (Value(0) if period.since is None
                     else Case(None, [(firsts.c.first < period.since, 1)], 0))
        facts = (M.Employee.select(M.Employee.id.alias("person"), M.Department.name.alias("department"),
                                   returning.alias("returning"))
                 .join(M.Department, JOIN.LEFT_OUTER, on=(M.Employee.department == M.Department.id))
                 .join_from(M.Employee, firsts, JOIN.LEFT_OUTER, on=(firsts.c.person == M.Employee.id))
                 .where(M.Employee.id.in_(people))).alias("facts")
        key = (facts.c.department, facts.c.returning)
        counted: dict[tuple, dict[str, int]] = {}

        def add(query, *names: str) -> None:
            for department, back, *values in query.group_by(*key).tuples():
                counted.setdefault((department, bool(back)), {}).update(
                    {name: int(value or 0) for name, value in zip(names, values)})

        add(facts.select_from(*key, fn.COUNT(facts.c.person)), "people")
        add(M.Exposure.select(*key, fn.COUNT(M.Exposure.id), fn.COUNT(M.Exposure.employee.distinct()))
            .join(facts, on=(facts.c.person == M.Exposure.employee))
            .where(_within(M.Exposure.first_shown, period)), "shown", "reached")
        add(M.Application.select(*key, fn.COUNT(M.Application.applicant.distinct()), fn.COUNT(M.Application.id),
                                 fn.SUM(Case(None, [(M.Application.offered_at.is_null(False), 1)], 0)))
            .join(facts, on=(facts.c.person == M.Application.applicant))
            .where(_within(M.Application.applied_at, period)), "applicants", "applications", "offers")
        return [Group(department, back, **values) for (department, back), values in counted.items()]

    @staticmethod
    def _engagements(period: Period, people, firsts, scope: str, me: int) -> list[Engagement]:
        """Engagements overlapping the period: the people looked at, and (for a line
        manager) those on postings of their own team, whose hours they borrowed."""
        Participant, Owner = M.Employee.alias("participant"), M.Employee.alias("owner")
        Home, Team = M.Department.alias("home"), M.Department.alias("team")
        managing = M.Employee.select(M.Employee.manager).where(M.Employee.manager.is_null(False))
        # A posting serves its owner's team when the owner manages people, else their manager's.
        borrower = Case(None, [(Owner.id.in_(managing), Owner.id)], Owner.manager)
        counted = M.Application.applicant.in_(people)
        query = (M.Application.select(
                    M.Application.applicant, Home.name, Team.name, M.Application.hours_per_week,
                    M.Application.released_at, M.Application.completed_at, firsts.c.first,
                    Participant.manager, borrower, Case(None, [(counted, 1)], 0))
                 .join(Participant, on=(M.Application.applicant == Participant.id))
                 .join_from(Participant, Home, JOIN.LEFT_OUTER, on=(Participant.department == Home.id))
                 .join_from(M.Application, M.Opportunity)
                 .join_from(M.Opportunity, Team, JOIN.LEFT_OUTER, on=(M.Opportunity.department == Team.id))
                 .join_from(M.Opportunity, Owner, on=(M.Opportunity.owner == Owner.id))
                 .join_from(M.Application, firsts, on=(firsts.c.person == M.Application.applicant))
                 .where(M.Application.status.in_(ENGAGED_STATUSES), M.Application.released_at.is_null(False),
                        M.Application.released_at < period.until))
        if period.since is not None:
            query = query.where(M.Application.completed_at.is_null() | (M.Application.completed_at >= period.since))
        if scope == policy.REPORTS_SCOPE:
            query = query.where(counted | (borrower == me))
        elif scope == policy.SELF_SCOPE:
            query = query.where(counted)
        # A column of a subquery comes back as SQLite stored it: the field reads it.
        when = M.Application.released_at.python_value
        return [Engagement(person, home, team, hours, started, ended, when(first), lender, lent_to, bool(mine))
                for person, home, team, hours, started, ended, first, lender, lent_to, mine in query.tuples()]

    @staticmethod
    def _release_requests(period: Period) -> list[ReleaseRequest]:
        """Every request of the period to release someone's time, company-wide (each
        manager is measured against the company): the manager who decided it, or
        the applicant's line manager while nobody has."""
        Applicant = M.Employee.alias("applicant")
        query = (M.Application.select(fn.COALESCE(M.Application.released_by, Applicant.manager),
                                      M.Application.accepted_at, M.Application.released_at, M.Application.status,
                                      M.Application.release_automatic, M.Application.release_reason)
                 .join(Applicant, on=(M.Application.applicant == Applicant.id))
                 .where(M.Application.release_due.is_null(False), _within(M.Application.accepted_at, period)))
        return [ReleaseRequest(manager, asked, decided, status, bool(automatic), reason or "")
                for manager, asked, decided, status, automatic, reason in query.tuples()]

    @staticmethod
    def _managers(scope: str, me: M.Employee, requests: list[ReleaseRequest],
                  engagements: list[Engagement]) -> list[Manager]:
        """The managers whose ledger the actor sees: an admin every one the period
        touched; a line manager only themselves."""
        if scope != policy.COMPANY_SCOPE:
            return [Manager(me.id, me.username, me.display_name)]
        ids = {r.manager for r in requests} | {e.lender for e in engagements} | {e.borrower for e in engagements}
        ids.discard(None)
        return [Manager(*row) for row in M.Employee.select(M.Employee.id, M.Employee.username,
                                                           M.Employee.display_name)
                .where(M.Employee.id.in_(list(ids))).tuples()] if ids else []

    @staticmethod
    def _answers(period: Period, people, respondent: int | None) -> list[AnswerCount]:
        """The core-work answers about engagements completed in the period, by role,
        answer and hours a week (only their own, for someone looking at themselves)."""
        query = (M.CoreWorkAnswer.select(M.CoreWorkAnswer.role, M.CoreWorkAnswer.answer,
                                         M.Application.hours_per_week, fn.COUNT(M.CoreWorkAnswer.id))
                 .join(M.Application)
                 .where(M.Application.applicant.in_(people), _within(M.Application.completed_at, period))
                 .group_by(M.CoreWorkAnswer.role, M.CoreWorkAnswer.answer, M.Application.hours_per_week))
        if respondent is not None:
            query = query.where(M.CoreWorkAnswer.respondent == respondent)
        return [AnswerCount(*row) for row in query.tuples()]

    @staticmethod
    def _skills_gained(period: Period, people) -> insights.SkillsGained:
        """Endorsements given in the period, and claims certified in it."""
        endorsed = (M.Endorsement.select().join(M.Application)
                    .where(M.Application.applicant.in_(people), _within(M.Endorsement.at, period)))
        certified = (M.EmployeeSkill.select()
                     .where(M.EmployeeSkill.employee.in_(people), M.EmployeeSkill.source == "certified",
                            _within(M.EmployeeSkill.confirmed_at, period)))

        def by_skill(query, skill_field, count_field) -> list[tuple[str, int]]:
            return list(query.select(M.Skill.name, fn.COUNT(count_field))
                        .join_from(query.model, M.Skill, on=(skill_field == M.Skill.id))
                        .group_by(M.Skill.name).tuples())

        return insights.skills_gained(
            by_skill(endorsed, M.Endorsement.skill, M.Endorsement.id),
            endorsed.select(fn.COUNT(M.Application.applicant.distinct())).scalar() or 0,
            by_skill(certified, M.EmployeeSkill.skill, M.EmployeeSkill.id),
            certified.select(fn.COUNT(M.EmployeeSkill.employee.distinct())).scalar() or 0)
