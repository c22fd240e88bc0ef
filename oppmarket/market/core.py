"""What every aggregate of the market stands on: who is acting, the clock, the write
transaction, row locks, the audit trail, notifications and settings, and the one
shape of a guarded change to an application or a posting."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import peewee

from oppmarket import domain as d
from oppmarket import hierarchy, lifecycle, matching, notices, policy
from oppmarket.identity import AS, OS_LOGIN, SSH
from oppmarket.db import models as M
from oppmarket.errors import NotFound, PermissionDenied
from oppmarket.market import records
from oppmarket.text import clean_line

if TYPE_CHECKING:
    from oppmarket.market import Market

T = TypeVar("T")

# How the actor of a market was identified: `identity.Identity.how`, or SYSTEM when
# no person acts (maintenance, the demo, the system's imports). Every audit row records it.
SYSTEM = "system"
IDENTIFIED_BY = (OS_LOGIN, AS, SSH, SYSTEM)

# What the owner's, applicant's or manager's change does once every check has passed:
# then(app, opp, applicant, owner, me).
Then = Callable[[M.Application, M.Opportunity, M.Employee, M.Employee, M.Employee], T]


def utcnow() -> dt.datetime:
    """Naive UTC, the form every timestamp is stored in."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def api(method: Callable[..., T]) -> Callable[..., T]:
    """Open a connection for the call if none is open, and close it after, so
    worker threads never leak connections."""

    @functools.wraps(method)
    def wrapper(self: MarketCore, *args, **kwargs):
        opened = self.db.is_closed()
        if opened:
            self.db.connect()
        try:
            return method(self, *args, **kwargs)
        finally:
            if opened and not self.db.in_transaction():
                self.db.close()

    return wrapper


class MarketCore:
    """The marketplace as seen by one actor (a username, or None for the system),
    identified as `identified_by` says (by default their OS login)."""

    def __init__(
        self,
        db: peewee.Database,
        actor: str | None,
        *,
        identified_by: str = OS_LOGIN,
        clock: Callable[[], dt.datetime] | None = None,
        weights: matching.Weights | None = None,
    ):
        if identified_by not in IDENTIFIED_BY:
            raise ValueError(f"identified_by must be one of {', '.join(IDENTIFIED_BY)}, not {identified_by!r}")
        self.db = db
        self.actor = actor
        self.identified_by = SYSTEM if actor is None else identified_by
        self.clock = clock or utcnow
        # The match weights every score and ranking of this market uses.
        self.weights = weights or matching.WEIGHTS

    def as_user(self, username: str | None) -> Market:
        """The same market (same database, clock and match weights) seen by someone
        stepped in as (a persona switch), which their audit rows record."""
        return type(self)(self.db, username, identified_by=AS, clock=self.clock, weights=self.weights)

    def _tx(self, body: Callable[[], T]) -> T:
        """Run `body` in one write transaction (retried on CockroachDB). Called inside
        another write (a posting cancelled as its owner is deactivated), it is part of
        that one: a savepoint, undone with it."""
        if self.db.in_transaction():
            with self.db.atomic():
                return body()
        if hasattr(self.db, "run_transaction"):
            return self.db.run_transaction(lambda _db: body())
        with self.db.atomic():
            return body()

    def _me(self) -> M.Employee:
        if self.actor is None:
            raise PermissionDenied("this needs a person; no user is acting")
        row = M.Employee.get_or_none(M.Employee.username == self.actor)
        if row is None:
            raise NotFound(f"no profile for user {self.actor!r}; ask an admin to add you")
        if not row.active:
            raise PermissionDenied(f"the profile of {self.actor!r} is inactive")
        return row

    @staticmethod
    def _employee_named(username: str) -> M.Employee:
        """Anyone, active or not, by username."""
        row = M.Employee.get_or_none(M.Employee.username == clean_line(username or ""))
        if row is None:
            raise NotFound(f"nobody is called {clean_line(username or '')!r}")
        return row

    def _admins_besides(self, row: M.Employee) -> int:
        """Active admins besides `row`, locked, so that two admins revoking (or
        deactivating) each other at once cannot both pass the count."""
        query = M.Employee.select(M.Employee.id).where(M.Employee.is_admin == True,  # noqa: E712
                                                        M.Employee.active == True, M.Employee.id != row.id)  # noqa: E712
        if self.db.for_update:
            query = query.for_update()
        return len(list(query))

    @staticmethod
    def _manager_loop(person_id: int, manager: M.Employee) -> str | None:
        """Why `manager` may not manage the person `person_id`: the loop it would
        close, named ('b cannot manage a: that would make a loop, a → b → a'); None
        when the tree stays a tree."""
        managers = dict(M.Employee.select(M.Employee.id, M.Employee.manager).tuples())
        loop = hierarchy.cycle_through(person_id, manager.id, managers.get)
        if loop is None:
            return None
        names = dict(M.Employee.select(M.Employee.id, M.Employee.username).where(M.Employee.id.in_(loop)).tuples())
        chain = [names[i] for i in reversed(loop)]
        return f"{manager.username} cannot manage {chain[0]}: that would make a loop, {hierarchy.loop_words(chain)}"

    @staticmethod
    def _shown(values: dict) -> dict:
        """Column values as the audit trail records them: names, not rows."""
        return {k: (v.username if isinstance(v, M.Employee) else v.name if isinstance(v, M.Department) else v)
                for k, v in values.items()}

    def _me_person(self) -> tuple[M.Employee, d.Person]:
        row = self._me()
        return row, records.person(row)

    def _allowed(self, rule: Callable[[d.Person], str | None]) -> M.Employee:
        """The acting person, once the `policy` rule `rule` lets them (else PermissionDenied)."""
        me, actor = self._me_person()
        if (why := rule(actor)) is not None:
            raise PermissionDenied(why)
        return me

    def _require_importer(self) -> M.Employee | None:
        """Imports are for admins, or for the system (the CLI on a database the caller
        owns, before anyone is in it; the CLI decides that before acting as nobody)."""
        if self.actor is None:
            return None
        me, actor = self._me_person()
        if (why := policy.may_import(actor, owns_database=False)) is not None:
            raise PermissionDenied(why)
        return me

    def _lock(self, model: type[M.BaseModel], pk: int, what: str):
        """Fetch a row for update; on PostgreSQL the row lock serialises writers that
        touch it (SQLite already serialises every write transaction)."""
        query = model.select().where(model._meta.primary_key == pk)
        if self.db.for_update:
            query = query.for_update()
        row = query.first()
        if row is None:
            raise NotFound(f"{what} {pk} does not exist")
        return row

    def _audit(self, actor: M.Employee | None, action: str, obj_type: str, obj_id: int | None,
               **detail) -> M.AuditEvent:
        return M.AuditEvent.create(
            actor=actor,
            identified_by=self.identified_by if actor is not None else SYSTEM,
            action=action,
            object_type=obj_type,
            object_id=obj_id,
            detail=json.dumps(detail, default=str, sort_keys=True),
            at=self.clock(),
        )

    def _notify(self, recipient: M.Employee | int | None, notice: notices.Notice, *,
                held_by: M.AuditEvent | None = None) -> None:
        """Tell `recipient`; with `held_by` (the audit event of an owner's review action),
        only once that action's undo window has passed, so an undo within it tells nobody."""
        if recipient is None:
            return
        now = self.clock()
        deliver_at = now + dt.timedelta(seconds=policy.UNDO_WINDOW_SECONDS) if held_by is not None else None
        M.Notification.create(recipient=recipient, text=notice.text, link=notice.link, created_at=now,
                              deliver_at=deliver_at, held_by=held_by.id if held_by is not None else None)

    def _setting(self, key: str, default: str) -> str:
        row = M.Setting.get_or_none(M.Setting.key == key)
        return row.value if row else default

    # ------------------------------------------------------------------ guarded changes

    def _may_act_on_posting(self, opp: M.Opportunity, action: str, actor: d.Person) -> M.Employee:
        """Refuse unless `actor` may take `action` on a locked posting and its status
        allows it (who first, so nobody learns the state of what they may not touch).
        Returns the posting's owner."""
        owner = M.Employee.get_by_id(opp.owner_id)
        if (why := lifecycle.rule(action, of="opportunity")(actor, owner.username)) is not None:
            raise PermissionDenied(why)
        lifecycle.check(action, opp.status, of="opportunity", title=opp.title)
        return owner

    def _app_for_update(self, application_id: int) -> tuple[M.Application, M.Opportunity, M.Employee, M.Employee]:
        app = M.Application.get_or_none(M.Application.id == application_id)
        if app is None:
            raise NotFound(f"application {application_id} does not exist")
        # Lock order everywhere: opportunity, then applicant, then application.
        opp = self._lock(M.Opportunity, app.opportunity_id, "opportunity")
        applicant = self._lock(M.Employee, app.applicant_id, "person")
        app = self._lock(M.Application, application_id, "application")
        owner = M.Employee.get_by_id(opp.owner_id)
        return app, opp, applicant, owner

    @staticmethod
    def _whose(action: str, applicant: M.Employee, owner: M.Employee) -> str | None:
        """The username of the person whose action `action` is, by `lifecycle`: the
        applicant, their line manager, or the posting's owner."""
        who = lifecycle.whose(action)
        if who == "applicant":
            return applicant.username
        if who == "line manager":
            manager = M.Employee.get_or_none(M.Employee.id == applicant.manager_id) if applicant.manager_id else None
            return manager.username if manager else None
        return owner.username

    def _act_on_application(self, application_id: int, action: str, then: Then[T], *,
                            check_status: bool = True) -> T:
        """One change to an application, in one transaction: lock it (in the one lock
        order), refuse unless the actor is the one the action's rule asks for, refuse
        unless its status allows `action` (left to `then` with check_status=False), then
        run `then`."""
        me, actor = self._me_person()

        def body():
            app, opp, applicant, owner = self._app_for_update(application_id)
            if (why := lifecycle.rule(action)(actor, self._whose(action, applicant, owner))) is not None:
                raise PermissionDenied(why)
            if check_status:
                lifecycle.check(action, app.status)
            return then(app, opp, applicant, owner, me)

        return self._tx(body)

    def _set_status(self, app: M.Application, status: str, **fields) -> None:
        M.Application.update(status=status, updated_at=self.clock(), **fields).where(M.Application.id == app.id).execute()
