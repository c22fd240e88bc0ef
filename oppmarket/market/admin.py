"""Running the marketplace: whether it is empty, and the demo organisation (settings are
`settings`, the audit log `audit_log`)."""

from __future__ import annotations

from collections.abc import Callable

from oppmarket import domain as d
from oppmarket import policy
from oppmarket.db import models as M
from oppmarket.errors import Conflict, PermissionDenied
from oppmarket.market.core import MarketCore, api


class AdminMixin(MarketCore):
    """What admins (and the system, on a database its caller owns) do."""

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
