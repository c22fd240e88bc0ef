"""The line manager's team: their direct reports' caps, commitments, engagements,
releases waiting and skills, and the team's marketplace hours week by week."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from oppmarket import team
from oppmarket.db import models as M
from oppmarket.errors import ValidationError
from oppmarket.lifecycle import ENGAGED_STATUSES, MANAGER_TOLD_HOLDING
from oppmarket.market import records
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import int_field


class TeamMixin(MarketCore):
    """What a line manager sees of the people who report to them."""

    @api
    def team(self, *, weeks: int | str = team.WEEKS) -> team.Team:
        """The actor's active direct reports (by name) with what holds their time, and
        the team's marketplace hours a week over the last `weeks` weeks. Someone
        nobody reports to gets an empty team. In a fixed number of queries."""
        me = self._me()
        errors: dict[str, str] = {}
        count = int_field(errors, "weeks", weeks, 1, team.MAX_WEEKS, "weeks")
        if errors:
            raise ValidationError(errors)
        now = self.clock()
        rows = sorted(M.Employee.select().where(M.Employee.manager == me.id, M.Employee.active == True),  # noqa: E712
                      key=lambda r: (r.display_name.casefold(), r.username))
        ids = [r.id for r in rows]
        held: dict[int, list[team.Commitment]] = defaultdict(list)
        for app in (M.Application.select(M.Application, M.Opportunity).join(M.Opportunity)
                    .where(M.Application.applicant.in_(ids), M.Application.status.in_(MANAGER_TOLD_HOLDING))
                    .order_by(M.Application.status, M.Application.hours_per_week.desc(), M.Application.id)):
            opp = app.opportunity
            held[app.applicant_id].append(team.Commitment(
                app.id, opp.id, opp.title, opp.kind, app.hours_per_week, app.status, app.release_due))
        reports = tuple(team.Report(profile, tuple(held.get(row.id, ())))
                        for row, profile in zip(rows, records.profiles(rows, now)))
        return team.Team(reports, team.weekly_hours(self._spans(ids, now, count), now, count))

    @staticmethod
    def _spans(ids: list[int], now: dt.datetime, weeks: int) -> list[team.Span]:
        """The engagements of these people that reach into the last `weeks` weeks."""
        since = team.week_starts(now, weeks)[0]
        query = (M.Application.select(M.Application.hours_per_week, M.Application.released_at,
                                      M.Application.completed_at)
                 .where(M.Application.applicant.in_(ids), M.Application.status.in_(ENGAGED_STATUSES),
                        M.Application.released_at.is_null(False), M.Application.released_at < now,
                        M.Application.completed_at.is_null() | (M.Application.completed_at >= since)))
        return [team.Span(hours, started, ended) for hours, started, ended in query.tuples()]
