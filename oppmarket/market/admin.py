"""Running the marketplace: settings, the audit log, and the demo organisation."""

from __future__ import annotations

import json
from collections.abc import Callable

from peewee import JOIN

from oppmarket import domain as d
from oppmarket import policy
from oppmarket.db import models as M
from oppmarket.errors import Conflict, PermissionDenied, ValidationError
from oppmarket.market.core import MarketCore, api
from oppmarket.market.validate import int_field


class AdminMixin(MarketCore):
    """What admins (and the system, on a database its caller owns) do."""

    @api
    def audit_log(self, *, limit: int = 200, after_id: int | None = None) -> list[d.AuditEntry]:
        me, actor = self._me_person()
        if (why := policy.may_administer(actor)) is not None:
            raise PermissionDenied(why)
        # The actor's name comes as a flat column: a partially selected joined model
        # would hide the foreign key (actor_id reads as None).
        query = (M.AuditEvent.select(M.AuditEvent, M.Employee.username.alias("actor_username"))
                 .join(M.Employee, JOIN.LEFT_OUTER).order_by(M.AuditEvent.id.desc()).limit(limit))
        if after_id is not None:
            query = query.where(M.AuditEvent.id < after_id)
        return [d.AuditEntry(e.id, e.actor_username, e.identified_by, e.action, e.object_type,
                             e.object_id, json.loads(e.detail or "{}"), e.at) for e in query.objects()]

    @api
    def admin_overview(self) -> d.AdminOverview:
        """Admin: how much each part of the admin console looks after."""
        me, actor = self._me_person()
        if (why := policy.may_administer(actor)) is not None:
            raise PermissionDenied(why)
        people = M.Employee.select()
        return d.AdminOverview(
            active_people=people.where(M.Employee.active).count(),
            inactive_people=people.where(~M.Employee.active).count(),
            admins=people.where(M.Employee.active & M.Employee.is_admin).count(),
            departments=M.Department.select().count(),
            skills=M.Skill.select().count(),
            key_roles=M.KeyRole.select().count(),
            audit_events=M.AuditEvent.select().count(),
        )

    @api
    def set_release_auto_days(self, days: int | str) -> int:
        """Admin: days an accepted offer waits for its release before it is granted."""
        return self._set_day_count("release_auto_days", days, "automatic release days")

    @api
    def set_offer_answer_days(self, days: int | str) -> int:
        """Admin: days a candidate has to answer an offer before it lapses."""
        return self._set_day_count("offer_answer_days", days, "days to answer an offer")

    def _set_day_count(self, key: str, days: int | str, what: str) -> int:
        me, actor = self._me_person()
        if (why := policy.may_administer(actor)) is not None:
            raise PermissionDenied(why)
        errors: dict[str, str] = {}
        n = int_field(errors, key, days, 1, 60, what)
        if errors:
            raise ValidationError(errors)

        def body():
            M.Setting.insert(key=key, value=str(n)).on_conflict(
                conflict_target=[M.Setting.key], update={M.Setting.value: str(n)}).execute()
            self._audit(me, "set_setting", "setting", None, key=key, value=n)

        self._tx(body)
        return n

    @api
    def is_empty(self) -> bool:
        """True when the database holds no people and no opportunities yet."""
        return not M.Employee.select().exists() and not M.Opportunity.select().exists()

    def load_demo(self, *, employees: int | None = None, opportunities: int | None = None,
                  progress: Callable[[str, int, int], None] | None = None):
        """Load the demo organisation (or, with sizes, scale data) into an empty
        database. See `oppmarket.demo`."""
        from oppmarket import demo

        if not self.is_empty():
            raise Conflict("the database already holds data; the demo loads only into an empty one")
        return demo.load_demo(self.db, employees=employees, opportunities=opportunities,
                              progress=progress, now=self.clock())
