"""`Market`: every read and write the UI and CLI need.

Each write validates its input (ValidationError names the field), checks `policy`
(PermissionDenied says why), runs in one transaction with its audit event and
notifications, and leaves nothing behind when any step fails. Reads and writes return
the plain records of `oppmarket.domain`, never model instances.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TypeVar

import peewee
from peewee import JOIN, fn

from oppmarket import domain as d
from oppmarket import policy
from oppmarket.db import models as M
from oppmarket.errors import Conflict, NotFound, PermissionDenied, ValidationError
from oppmarket import matching
from oppmarket.search import OppDoc, SearchIndex, SkillHit
from oppmarket.text import clean, clean_line

T = TypeVar("T")

DEFAULT_RELEASE_AUTO_DAYS = 5
MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_WEEKLY_HOURS = 80
MAX_SEATS = 500


def utcnow() -> dt.datetime:
    """Naive UTC, the form every timestamp is stored in."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _api(method: Callable[..., T]) -> Callable[..., T]:
    """Open a connection for the call if none is open, and close it after, so
    worker threads never leak connections."""

    @functools.wraps(method)
    def wrapper(self: Market, *args, **kwargs):
        opened = self.db.is_closed()
        if opened:
            self.db.connect()
        try:
            return method(self, *args, **kwargs)
        finally:
            if opened and not self.db.in_transaction():
                self.db.close()

    return wrapper


def _int_field(errors: dict, name: str, value, low: int, high: int, label: str) -> int | None:
    try:
        number = int(str(value).strip()) if not isinstance(value, int) or isinstance(value, bool) else value
    except (TypeError, ValueError):
        errors[name] = f"{label} must be a whole number"
        return None
    if isinstance(value, bool):
        errors[name] = f"{label} must be a whole number"
        return None
    if not low <= number <= high:
        errors[name] = f"{label} must be between {low} and {high}"
        return None
    return number


def _length_field(errors: dict, name: str, value: str, limit: int, label: str) -> str:
    """Check a cleaned text against its column's size, so an over-long value is a
    message on the field and not a database error (PostgreSQL enforces varchar)."""
    if len(value) > limit:
        errors.setdefault(name, f"{label} must be at most {limit} characters (it has {len(value)})")
    return value


def _date_field(errors: dict, name: str, value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[name] = f"{name} must be a date like 2026-12-31"
        return None


class _IndexKeeper:
    """One search index per database per process, built on first use and brought up
    to date before every query: rows whose `updated_at` is at or past the last one seen
    are re-read, so changes made by other processes (other SSH sessions, the CLI)
    show up too."""

    # Weak keys: a closed and collected database must not hand its index to a new one.
    _by_db: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
    _registry_lock = threading.Lock()

    def __init__(self):
        self.lock = threading.Lock()
        self.index: SearchIndex | None = None
        self.opp_mark: dt.datetime | None = None
        self.skill_mark: tuple = ()

    @classmethod
    def for_db(cls, db: peewee.Database) -> _IndexKeeper:
        with cls._registry_lock:
            keeper = cls._by_db.get(db)
            if keeper is None:
                keeper = cls._by_db[db] = cls()
            return keeper

    @staticmethod
    def _docs(query) -> list[tuple[str, OppDoc]]:
        rows = list(query.select(M.Opportunity.id, M.Opportunity.title, M.Opportunity.description,
                                 M.Opportunity.kind, M.Opportunity.topics, M.Opportunity.certification,
                                 M.Opportunity.status).tuples())
        skills: dict[int, list[int]] = defaultdict(list)
        ids = [r[0] for r in rows]
        for chunk in range(0, len(ids), 5000):
            part = ids[chunk:chunk + 5000]
            for opp_id, skill_id in (M.OpportunitySkill.select(M.OpportunitySkill.opportunity, M.OpportunitySkill.skill)
                                     .where(M.OpportunitySkill.opportunity.in_(part)).tuples()):
                skills[opp_id].append(skill_id)
        return [(status, OppDoc(i, t, "\n".join(x for x in (desc, topics, cert) if x), kind, tuple(skills.get(i, ()))))
                for i, t, desc, kind, topics, cert, status in rows]

    def _skill_watermark(self) -> tuple:
        return (M.Skill.select().count(), M.Skill.select(fn.MAX(M.Skill.id)).scalar(),
                M.SkillAlias.select().count(), M.SkillAlias.select(fn.MAX(M.SkillAlias.id)).scalar())

    def fresh(self, market: Market) -> SearchIndex:
        """The index, with every change since the last call applied."""
        with self.lock:
            mark = self._skill_watermark()
            if self.index is None:
                self.index = SearchIndex(market.skills(), [doc for status, doc in self._docs(
                    M.Opportunity.select().where(M.Opportunity.status == "open")) if status == "open"])
                self.skill_mark = mark
                self.opp_mark = M.Opportunity.select(fn.MAX(M.Opportunity.updated_at)).scalar()
                return self.index
            if mark != self.skill_mark:
                for skill in market.skills():
                    self.index.add_skill(skill)
                self.skill_mark = mark
            if self.opp_mark is None:
                changed = M.Opportunity.select()
            else:
                changed = M.Opportunity.select().where(M.Opportunity.updated_at >= self.opp_mark)
            for status, doc in self._docs(changed):
                if status == "open":
                    self.index.add_opportunity(doc)
                else:
                    self.index.remove_opportunity(doc.id)
            latest = M.Opportunity.select(fn.MAX(M.Opportunity.updated_at)).scalar()
            self.opp_mark = latest or self.opp_mark
            return self.index


class Market:
    """The marketplace as seen by one actor (a username, or None for the system)."""

    def __init__(
        self,
        db: peewee.Database,
        actor: str | None,
        *,
        clock: Callable[[], dt.datetime] | None = None,
    ):
        self.db = db
        self.actor = actor
        self.clock = clock or utcnow

    # ------------------------------------------------------------------ plumbing

    def as_user(self, username: str | None) -> Market:
        """The same market seen by someone else (same database and clock)."""
        return Market(self.db, username, clock=self.clock)

    def _tx(self, body: Callable[[], T]) -> T:
        """Run `body` in one write transaction (retried on CockroachDB)."""
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

    def _me_person(self) -> tuple[M.Employee, d.Person]:
        row = self._me()
        return row, self._person(row)

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

    def _audit(self, actor: M.Employee | None, action: str, obj_type: str, obj_id: int | None, **detail) -> None:
        M.AuditEvent.create(
            actor=actor,
            action=action,
            object_type=obj_type,
            object_id=obj_id,
            detail=json.dumps(detail, default=str, sort_keys=True),
            at=self.clock(),
        )

    def _notify(self, recipient: M.Employee | int | None, text: str, link: str = "") -> None:
        if recipient is None:
            return
        M.Notification.create(recipient=recipient, text=text, link=link, created_at=self.clock())

    def _setting(self, key: str, default: str) -> str:
        row = M.Setting.get_or_none(M.Setting.key == key)
        return row.value if row else default

    def release_auto_days(self) -> int:
        return int(self._setting("release_auto_days", str(DEFAULT_RELEASE_AUTO_DAYS)))

    # ------------------------------------------------------------------ converters

    def _person(self, row: M.Employee) -> d.Person:
        dept = M.Department.get_or_none(M.Department.id == row.department_id) if row.department_id else None
        mgr = M.Employee.get_or_none(M.Employee.id == row.manager_id) if row.manager_id else None
        has_reports = M.Employee.select().where(M.Employee.manager == row.id).exists()
        return d.Person(
            id=row.id,
            username=row.username,
            display_name=row.display_name,
            email=row.email,
            title=row.title,
            department=dept.name if dept else None,
            department_id=row.department_id,
            manager_username=mgr.username if mgr else None,
            weekly_hours=row.weekly_hours,
            cap_pct=row.cap_pct,
            is_admin=row.is_admin,
            active=row.active,
            has_reports=has_reports,
        )

    def _opportunities(self, rows: list[M.Opportunity], detail: bool = False) -> list[d.Opportunity]:
        """Convert rows in a few batched queries (skills, seats, owners)."""
        if not rows:
            return []
        ids = [r.id for r in rows]
        skills: dict[int, list[d.OppSkill]] = defaultdict(list)
        query = (
            M.OpportunitySkill.select(M.OpportunitySkill, M.Skill)
            .join(M.Skill)
            .where(M.OpportunitySkill.opportunity.in_(ids))
            .order_by(M.OpportunitySkill.role.desc(), M.OpportunitySkill.level.desc(), M.Skill.name)
        )
        for s in query:
            skills[s.opportunity_id].append(d.OppSkill(s.skill_id, s.skill.name, s.level, s.role))
        taken = dict(
            M.Application.select(M.Application.opportunity, fn.COUNT(M.Application.id))
            .where(M.Application.opportunity.in_(ids), M.Application.status.in_(d.HOLDING_STATUSES))
            .group_by(M.Application.opportunity)
            .tuples()
        )
        people_ids = {r.owner_id for r in rows} | {r.host_id for r in rows if r.host_id}
        people = {
            e.id: e for e in M.Employee.select(M.Employee.id, M.Employee.username, M.Employee.display_name)
            .where(M.Employee.id.in_(list(people_ids)))
        }
        dept_ids = {r.department_id for r in rows if r.department_id}
        depts = dict(
            M.Department.select(M.Department.id, M.Department.name)
            .where(M.Department.id.in_(list(dept_ids))).tuples()
        ) if dept_ids else {}
        steps: dict[int, list[str]] = defaultdict(list)
        if detail:
            for s in M.LearningStep.select().where(M.LearningStep.opportunity.in_(ids)).order_by(M.LearningStep.position):
                steps[s.opportunity_id].append(s.title)
        out = []
        for r in rows:
            owner = people[r.owner_id]
            out.append(
                d.Opportunity(
                    id=r.id,
                    kind=r.kind,
                    title=r.title,
                    description=r.description,
                    owner_username=owner.username,
                    owner_name=owner.display_name,
                    department=depts.get(r.department_id),
                    hours_per_week=r.hours_per_week,
                    start=r.start,
                    end=r.end,
                    seats=r.seats,
                    seats_taken=taken.get(r.id, 0),
                    location=r.location,
                    remote=r.remote,
                    status=r.status,
                    created_at=r.created_at,
                    updated_at=r.updated_at,
                    skills=tuple(skills.get(r.id, ())),
                    steps=tuple(steps.get(r.id, ())),
                    certification=r.certification,
                    host_username=people[r.host_id].username if r.host_id in people else None,
                    topics=r.topics,
                    key_role_id=r.key_role_id,
                )
            )
        return out

    def _applications(self, query) -> list[d.Application]:
        Applicant = M.Employee.alias("applicant")
        Owner = M.Employee.alias("owner")
        Releaser = M.Employee.alias("releaser")
        rows = (
            query.select(
                M.Application,
                M.Opportunity.title,
                M.Opportunity.kind,
                Owner.username.alias("owner_username"),
                Applicant.username.alias("applicant_username"),
                Applicant.display_name.alias("applicant_name"),
                Releaser.username.alias("released_by_username"),
            )
            .join_from(M.Application, M.Opportunity)
            .join_from(M.Opportunity, Owner, on=(M.Opportunity.owner == Owner.id))
            .join_from(M.Application, Applicant, on=(M.Application.applicant == Applicant.id))
            .join_from(M.Application, Releaser, JOIN.LEFT_OUTER, on=(M.Application.released_by == Releaser.id))
            .objects()
        )
        return [
            d.Application(
                id=a.id,
                opportunity_id=a.opportunity_id,
                opportunity_title=a.title,
                opportunity_kind=a.kind,
                owner_username=a.owner_username,
                applicant_username=a.applicant_username,
                applicant_name=a.applicant_name,
                status=a.status,
                note=a.note,
                hours_per_week=a.hours_per_week,
                applied_at=a.applied_at,
                updated_at=a.updated_at,
                offered_at=a.offered_at,
                release_due=a.release_due,
                released_by=a.released_by_username,
                released_at=a.released_at,
                release_automatic=a.release_automatic,
                release_reason=a.release_reason,
                decline_reason=a.decline_reason,
                rating=a.rating,
                feedback=a.feedback,
                completed_at=a.completed_at,
            )
            for a in rows
        ]

    def _committed_hours(self, employee_id: int) -> int:
        total = (
            M.Application.select(fn.COALESCE(fn.SUM(M.Application.hours_per_week), 0))
            .where(M.Application.applicant == employee_id, M.Application.status.in_(d.HOLDING_STATUSES))
            .scalar()
        )
        return int(total or 0)

    # ------------------------------------------------------------------ people

    @_api
    def whoami(self) -> d.Person:
        """The acting person's record (NotFound when they have no profile)."""
        return self._person(self._me())

    @_api
    def has_profile(self, username: str | None = None) -> bool:
        username = username or self.actor
        return M.Employee.select().where(M.Employee.username == username).exists()

    @_api
    def person(self, username: str) -> d.Person:
        row = M.Employee.get_or_none(M.Employee.username == username)
        if row is None:
            raise NotFound(f"nobody is called {username!r}")
        return self._person(row)

    @_api
    def people(self, *, limit: int = 200, after_id: int | None = None) -> d.Page:
        query = M.Employee.select().order_by(M.Employee.id).limit(limit)
        if after_id is not None:
            query = query.where(M.Employee.id > after_id)
        rows = list(query)
        return d.Page(self._people(rows), rows[-1].id if len(rows) == limit else None)

    def _people(self, rows: list[M.Employee]) -> tuple[d.Person, ...]:
        """Convert a page of people in three queries, not three per person."""
        if not rows:
            return ()
        dept_ids = list({r.department_id for r in rows if r.department_id})
        depts = dict(M.Department.select(M.Department.id, M.Department.name)
                     .where(M.Department.id.in_(dept_ids)).tuples()) if dept_ids else {}
        manager_ids = list({r.manager_id for r in rows if r.manager_id})
        managers = dict(M.Employee.select(M.Employee.id, M.Employee.username)
                        .where(M.Employee.id.in_(manager_ids)).tuples()) if manager_ids else {}
        with_reports = {r[0] for r in M.Employee.select(M.Employee.manager).where(
            M.Employee.manager.in_([r.id for r in rows])).distinct().tuples()}
        return tuple(
            d.Person(
                id=r.id, username=r.username, display_name=r.display_name, email=r.email, title=r.title,
                department=depts.get(r.department_id), department_id=r.department_id,
                manager_username=managers.get(r.manager_id), weekly_hours=r.weekly_hours, cap_pct=r.cap_pct,
                is_admin=r.is_admin, active=r.active, has_reports=r.id in with_reports,
            )
            for r in rows
        )

    @_api
    def personas(self) -> dict[str, list[d.Person]]:
        """People worth stepping into after a demo load: an engineer with matching
        work, a manager with applicants waiting, a line manager with releases
        waiting (`line_manager`), an admin."""
        out: dict[str, list[d.Person]] = {"engineer": [], "manager": [], "line_manager": [], "admin": []}
        admins = M.Employee.select().where(M.Employee.is_admin == True).order_by(M.Employee.id).limit(2)  # noqa: E712
        out["admin"] = [self._person(r) for r in admins]
        owners = (
            M.Employee.select(M.Employee, fn.COUNT(M.Application.id).alias("n"))
            .join(M.Opportunity, on=(M.Opportunity.owner == M.Employee.id))
            .join(M.Application)
            .where(M.Application.status.in_(("applied", "shortlisted")))
            .group_by(M.Employee.id)
            .order_by(fn.COUNT(M.Application.id).desc(), M.Employee.id)
            .limit(2)
        )
        out["manager"] = [self._person(r) for r in owners]
        Report = M.Employee.alias()
        line_managers = (
            M.Employee.select(M.Employee, fn.COUNT(M.Application.id).alias("n"))
            .join(Report, on=(Report.manager == M.Employee.id))
            .join(M.Application, on=(M.Application.applicant == Report.id))
            .where(M.Application.status == "offered")
            .group_by(M.Employee.id)
            .order_by(fn.COUNT(M.Application.id).desc(), M.Employee.id)
            .limit(2)
        )
        out["line_manager"] = [self._person(r) for r in line_managers]
        engineers = (
            M.Employee.select()
            .where(M.Employee.title.contains("Engineer"), M.Employee.is_admin == False)  # noqa: E712
            .order_by(M.Employee.id)
            .limit(2)
        )
        out["engineer"] = [self._person(r) for r in engineers]
        return out

    @_api
    def register_self(self, display_name: str, *, email: str = "", title: str = "") -> d.Person:
        """Create the actor's own profile. The first person on an empty database
        becomes its admin."""
        if self.actor is None:
            raise PermissionDenied("no user is acting")
        errors: dict[str, str] = {}
        name = clean_line(display_name or "")
        if not name:
            errors["display_name"] = "your name must not be empty"
        elif len(name) > 120:
            errors["display_name"] = "your name must be at most 120 characters"
        email = _length_field(errors, "email", clean_line(email or ""), 200, "email")
        title = _length_field(errors, "title", clean_line(title or ""), 120, "title")
        if errors:
            raise ValidationError(errors)

        def body():
            if M.Employee.select().where(M.Employee.username == self.actor).exists():
                raise Conflict(f"a profile for {self.actor!r} already exists")
            first = not M.Employee.select().exists()
            row = M.Employee.create(
                username=self.actor,
                display_name=name,
                email=email,
                title=title,
                is_admin=first,
                created_at=self.clock(),
            )
            self._audit(row, "register", "employee", row.id, admin=first)
            return row

        return self._person(self._tx(body))

    @_api
    def add_person(
        self,
        username: str,
        display_name: str,
        *,
        email: str = "",
        title: str = "",
        department: str | None = None,
        manager: str | None = None,
        weekly_hours: int = 40,
        cap_pct: int = 20,
        is_admin: bool = False,
    ) -> d.Person:
        """Admin: add one person."""
        me, actor = self._me_person()
        if (why := policy.may_administer(actor)) is not None:
            raise PermissionDenied(why)
        errors: dict[str, str] = {}
        username = clean_line(username or "")
        if not username or not all(c.isalnum() or c in "._-" for c in username):
            errors["username"] = "username must be letters, digits, '.', '_' or '-'"
        _length_field(errors, "username", username, 64, "username")
        name = clean_line(display_name or "")
        if not name:
            errors["display_name"] = "name must not be empty"
        _length_field(errors, "display_name", name, 120, "name")
        email = _length_field(errors, "email", clean_line(email or ""), 200, "email")
        title = _length_field(errors, "title", clean_line(title or ""), 120, "title")
        hours = _int_field(errors, "weekly_hours", weekly_hours, 1, MAX_WEEKLY_HOURS, "weekly hours")
        pct = _int_field(errors, "cap_pct", cap_pct, 0, 100, "time cap %")
        if errors:
            raise ValidationError(errors)

        def body():
            if M.Employee.select().where(M.Employee.username == username).exists():
                raise Conflict(f"username {username!r} is taken")
            dept = self._department_row(department, create=True) if department else None
            mgr = None
            if manager:
                mgr = M.Employee.get_or_none(M.Employee.username == manager)
                if mgr is None:
                    raise ValidationError({"manager": f"no person called {manager!r}"})
            row = M.Employee.create(
                username=username, display_name=name, email=email, title=title,
                department=dept, manager=mgr, weekly_hours=hours, cap_pct=pct, is_admin=bool(is_admin),
                created_at=self.clock(),
            )
            self._audit(me, "add_person", "employee", row.id, username=username)
            return row

        return self._person(self._tx(body))

    def _department_row(self, name: str, *, create: bool = False) -> M.Department:
        name = clean_line(name)
        row = M.Department.get_or_none(M.Department.name == name)
        if row is None:
            if not create:
                raise ValidationError({"department": f"no department called {name!r}"})
            if len(name) > 120:
                raise ValidationError({"department": "department name must be at most 120 characters"})
            row = M.Department.create(name=name)
        return row

    @_api
    def departments(self) -> list[d.Department]:
        Parent = M.Department.alias()
        rows = (
            M.Department.select(M.Department.id, M.Department.name, Parent.name.alias("parent_name"))
            .join(Parent, JOIN.LEFT_OUTER, on=(M.Department.parent == Parent.id))
            .order_by(M.Department.name)
            .objects()
        )
        return [d.Department(r.id, r.name, r.parent_name) for r in rows]

    # ------------------------------------------------------------------ profile

    @_api
    def profile(self, username: str | None = None) -> d.Profile:
        """A person's skills, interests and commitments (anyone may read a profile:
        skills are public, that is the point of the capability map)."""
        if username is None:
            row = self._me()
        else:
            row = M.Employee.get_or_none(M.Employee.username == username)
            if row is None:
                raise NotFound(f"nobody is called {username!r}")
        now = self.clock()
        claims = tuple(
            d.SkillClaim(
                skill_id=s.skill_id, skill=s.skill.name, category=s.skill.category, level=s.level,
                source=s.source, evidence_count=s.evidence_count, confirmed_at=s.confirmed_at,
                stale=now - s.confirmed_at > d.STALE_AFTER,
            )
            for s in M.EmployeeSkill.select(M.EmployeeSkill, M.Skill).join(M.Skill)
            .where(M.EmployeeSkill.employee == row.id).order_by(M.EmployeeSkill.level.desc(), M.Skill.name)
        )
        interests = tuple(
            i.skill.name for i in M.Interest.select(M.Interest, M.Skill).join(M.Skill)
            .where(M.Interest.employee == row.id).order_by(M.Skill.name)
        )
        engagements = M.Application.select().where(
            M.Application.applicant == row.id, M.Application.status == "completed"
        ).count()
        return d.Profile(self._person(row), claims, interests, self._committed_hours(row.id), engagements)

    @_api
    def update_profile(
        self,
        *,
        display_name: str | None = None,
        email: str | None = None,
        title: str | None = None,
        weekly_hours: int | str | None = None,
    ) -> d.Person:
        me = self._me()
        errors: dict[str, str] = {}
        changes: dict = {}
        if display_name is not None:
            name = clean_line(display_name)
            if not name:
                errors["display_name"] = "name must not be empty"
            elif len(name) > 120:
                errors["display_name"] = "name must be at most 120 characters"
            changes["display_name"] = name
        if email is not None:
            email = clean_line(email)
            if email and ("@" not in email or len(email) > 200):
                errors["email"] = "email must look like name@example.com"
            changes["email"] = email
        if title is not None:
            changes["title"] = _length_field(errors, "title", clean_line(title), 120, "title")
        if weekly_hours is not None:
            changes["weekly_hours"] = _int_field(errors, "weekly_hours", weekly_hours, 1, MAX_WEEKLY_HOURS, "weekly hours")
        if errors:
            raise ValidationError(errors)
        if not changes:
            return self._person(me)

        def body():
            M.Employee.update(**changes).where(M.Employee.id == me.id).execute()
            self._audit(me, "update_profile", "employee", me.id, fields=sorted(changes))

        self._tx(body)
        return self._person(M.Employee.get_by_id(me.id))

    def _skill_row(self, name_or_alias: str) -> M.Skill | None:
        key = clean_line(name_or_alias)
        row = M.Skill.get_or_none(fn.LOWER(M.Skill.name) == key.lower())
        if row is None:
            alias = (
                M.SkillAlias.select(M.SkillAlias, M.Skill).join(M.Skill)
                .where(fn.LOWER(M.SkillAlias.alias) == key.lower()).first()
            )
            row = alias.skill if alias else None
        return row

    @_api
    def resolve_skill(self, name_or_alias: str) -> d.SkillInfo:
        """A skill by its name or any alias, case-insensitively."""
        row = self._skill_row(name_or_alias)
        if row is None:
            raise NotFound(f"no skill called {clean_line(name_or_alias)!r}")
        return self._skill_info(row)

    def _skill_info(self, row: M.Skill) -> d.SkillInfo:
        aliases = tuple(a.alias for a in M.SkillAlias.select().where(M.SkillAlias.skill == row.id).order_by(M.SkillAlias.alias))
        return d.SkillInfo(row.id, row.name, row.category, row.description, aliases)

    @_api
    def skills(self) -> list[d.SkillInfo]:
        aliases: dict[int, list[str]] = defaultdict(list)
        for a in M.SkillAlias.select().order_by(M.SkillAlias.alias):
            aliases[a.skill_id].append(a.alias)
        return [
            d.SkillInfo(s.id, s.name, s.category, s.description, tuple(aliases.get(s.id, ())))
            for s in M.Skill.select().order_by(M.Skill.name)
        ]

    @_api
    def set_skill(self, skill: str, level: int | str) -> d.SkillClaim:
        """Claim a skill at a level (1-5). A self-claim never lowers an endorsed level's
        evidence; it re-dates the claim."""
        me = self._me()
        errors: dict[str, str] = {}
        lvl = _int_field(errors, "level", level, 1, 5, "level")
        row = self._skill_row(skill or "")
        if row is None:
            errors["skill"] = f"no skill called {clean_line(skill or '')!r}"
        if errors:
            raise ValidationError(errors)

        def body():
            now = self.clock()
            existing = M.EmployeeSkill.get_or_none(employee=me.id, skill=row.id)
            if existing is None:
                M.EmployeeSkill.create(employee=me, skill=row, level=lvl, source="self", confirmed_at=now)
            else:
                M.EmployeeSkill.update(level=lvl, confirmed_at=now).where(M.EmployeeSkill.id == existing.id).execute()
            self._audit(me, "set_skill", "skill", row.id, level=lvl)

        self._tx(body)
        return next(c for c in self.profile().skills if c.skill_id == row.id)

    @_api
    def remove_skill(self, skill: str) -> None:
        me = self._me()
        row = self._skill_row(skill or "")
        if row is None:
            raise ValidationError({"skill": f"no skill called {clean_line(skill or '')!r}"})

        def body():
            n = M.EmployeeSkill.delete().where(M.EmployeeSkill.employee == me.id, M.EmployeeSkill.skill == row.id).execute()
            if not n:
                raise NotFound(f"you have not claimed {row.name}")
            self._audit(me, "remove_skill", "skill", row.id)

        self._tx(body)

    @_api
    def set_interests(self, skills: Iterable[str]) -> tuple[str, ...]:
        """Replace the skills the actor wants to learn."""
        me = self._me()
        rows, unknown = [], []
        for name in skills:
            row = self._skill_row(name)
            (rows.append(row) if row else unknown.append(clean_line(name)))
        if unknown:
            raise ValidationError({"interests": f"unknown skill(s): {', '.join(unknown)}"})

        def body():
            M.Interest.delete().where(M.Interest.employee == me.id).execute()
            for row in {r.id: r for r in rows}.values():
                M.Interest.create(employee=me, skill=row)
            self._audit(me, "set_interests", "employee", me.id, skills=sorted(r.name for r in rows))

        self._tx(body)
        return self.profile().interests

    @_api
    def add_skill(self, name: str, *, category: str = "General", description: str = "", aliases: Iterable[str] = ()) -> d.SkillInfo:
        """Add a skill to the taxonomy (anyone may, when nothing close exists)."""
        me = self._me()
        errors: dict[str, str] = {}
        name = clean_line(name or "")
        if not name:
            errors["name"] = "skill name must not be empty"
        elif len(name) > 80:
            errors["name"] = "skill name must be at most 80 characters"
        category = _length_field(errors, "category", clean_line(category or "") or "General", 80, "category")
        description = _length_field(errors, "description", clean(description or ""), MAX_TEXT, "description")
        aliases = [clean_line(a) for a in aliases if clean_line(a)]
        for alias in aliases:
            _length_field(errors, "aliases", alias, 80, f"alias {alias[:20]!r}")
        if errors:
            raise ValidationError(errors)

        def body():
            if self._skill_row(name) is not None:
                raise Conflict(f"a skill called {name!r} (or with that alias) already exists")
            row = M.Skill.create(name=name, category=category, description=description)
            for alias in aliases:
                if self._skill_row(alias) is not None:
                    raise ValidationError({"aliases": f"{alias!r} already names a skill"})
                M.SkillAlias.create(skill=row, alias=alias)
            self._audit(me, "add_skill", "skill", row.id, name=name)
            return row

        return self._skill_info(self._tx(body))

    # ------------------------------------------------------------------ opportunities

    def _validate_draft(self, draft: d.OpportunityDraft) -> tuple[dict, list, list[str], dict[str, str]]:
        errors: dict[str, str] = {}
        values: dict = {}
        if draft.kind not in d.KINDS:
            errors["kind"] = f"kind must be one of {', '.join(d.KINDS)}"
        values["kind"] = draft.kind
        title = clean_line(draft.title or "")
        if not title:
            errors["title"] = "title must not be empty"
        elif len(title) > MAX_TITLE:
            errors["title"] = f"title must be at most {MAX_TITLE} characters (it has {len(title)})"
        values["title"] = title
        description = clean(draft.description or "").strip()
        if len(description) > MAX_TEXT:
            errors["description"] = f"description must be at most {MAX_TEXT} characters"
        values["description"] = description
        values["hours_per_week"] = _int_field(errors, "hours_per_week", draft.hours_per_week, 1, 40, "hours per week")
        values["seats"] = _int_field(errors, "seats", draft.seats, 1, MAX_SEATS, "seats")
        values["start"] = _date_field(errors, "start", draft.start)
        values["end"] = _date_field(errors, "end", draft.end)
        if values["start"] and values["end"] and values["end"] < values["start"]:
            errors["end"] = "end must not be before start"
        location = clean_line(draft.location or "")
        if len(location) > 120:
            errors["location"] = "location must be at most 120 characters"
        values["location"] = location
        values["remote"] = bool(draft.remote)
        certification = clean_line(draft.certification or "")
        if len(certification) > 200:
            errors["certification"] = "certification must be at most 200 characters"
        values["certification"] = certification
        topics = clean(draft.topics or "").strip()
        if len(topics) > MAX_TEXT:
            errors["topics"] = f"topics must be at most {MAX_TEXT} characters"
        values["topics"] = topics
        skills = []
        seen = set()
        for entry in draft.skills:
            try:
                name, level, role = entry
            except (TypeError, ValueError):
                errors["skills"] = "each skill needs a name, a level and a role"
                continue
            row = self._skill_row(str(name))
            if row is None:
                errors["skills"] = f"no skill called {clean_line(str(name))!r}"
                continue
            if role not in d.SKILL_ROLES:
                errors["skills"] = f"skill role must be 'required' or 'grows', not {role!r}"
                continue
            lvl = _int_field(errors, "skills", level, 1, 5, f"level of {row.name}")
            if (row.id, role) in seen:
                errors["skills"] = f"{row.name} is listed twice as {role}"
                continue
            seen.add((row.id, role))
            skills.append((row, lvl, role))
        steps = [clean_line(s) for s in draft.steps if clean_line(s)]
        if draft.kind == "learning" and not steps and not errors.get("kind"):
            errors["steps"] = "a learning path needs at least one step"
        if any(len(s) > 200 for s in steps):
            errors["steps"] = "each step must be at most 200 characters"
        host = None
        if draft.host:
            host = M.Employee.get_or_none(M.Employee.username == clean_line(draft.host))
            if host is None:
                errors["host"] = f"no person called {clean_line(draft.host)!r}"
        values["host"] = host
        if draft.department:
            dept = M.Department.get_or_none(M.Department.name == clean_line(draft.department))
            if dept is None:
                errors["department"] = f"no department called {clean_line(draft.department)!r}"
            values["department"] = dept
        values["key_role"] = draft.key_role_id
        if draft.key_role_id is not None and not M.KeyRole.select().where(M.KeyRole.id == draft.key_role_id).exists():
            errors["key_role_id"] = f"no key role {draft.key_role_id}"
        return values, skills, steps, errors

    def _write_children(self, opp: M.Opportunity, skills: list, steps: list[str]) -> None:
        M.OpportunitySkill.delete().where(M.OpportunitySkill.opportunity == opp.id).execute()
        for row, level, role in skills:
            M.OpportunitySkill.create(opportunity=opp, skill=row, level=level, role=role)
        M.LearningStep.delete().where(M.LearningStep.opportunity == opp.id).execute()
        for position, title in enumerate(steps, start=1):
            M.LearningStep.create(opportunity=opp, position=position, title=title)

    @_api
    def post(self, draft: d.OpportunityDraft, *, publish: bool = False) -> d.Opportunity:
        """Post an opportunity as a draft, or open it at once with publish=True."""
        me = self._me()
        values, skills, steps, errors = self._validate_draft(draft)
        if errors:
            raise ValidationError(errors)

        def body():
            now = self.clock()
            if values.get("department") is None:
                values["department"] = me.department_id
            opp = M.Opportunity.create(
                owner=me, status="open" if publish else "draft", created_at=now, updated_at=now, **values
            )
            self._write_children(opp, skills, steps)
            self._audit(me, "post", "opportunity", opp.id, title=opp.title, status=opp.status)
            return opp.id

        return self.opportunity(self._tx(body))

    @_api
    def edit(self, opportunity_id: int, draft: d.OpportunityDraft) -> d.Opportunity:
        me, actor = self._me_person()
        values, skills, steps, errors = self._validate_draft(draft)

        def body():
            opp = self._lock(M.Opportunity, opportunity_id, "opportunity")
            if (why := policy.may_manage_posting(actor, opp.owner.username)) is not None:
                raise PermissionDenied(why)
            if opp.status in ("completed", "cancelled"):
                raise Conflict(f"a {opp.status} posting cannot be edited")
            if errors:
                raise ValidationError(errors)
            holding = M.Application.select().where(
                M.Application.opportunity == opp.id, M.Application.status.in_(d.HOLDING_STATUSES)
            ).count()
            if values["seats"] < holding:
                raise ValidationError({"seats": f"{holding} people already hold seats; seats cannot go below that"})
            if values.get("department") is None:
                values["department"] = opp.department_id
            M.Opportunity.update(updated_at=self.clock(), **values).where(M.Opportunity.id == opp.id).execute()
            self._write_children(opp, skills, steps)
            self._audit(me, "edit", "opportunity", opp.id)

        self._tx(body)
        return self.opportunity(opportunity_id)

    def _transition(self, opportunity_id: int, action: str, allowed_from: tuple[str, ...], to: str,
                    check: Callable[[d.Person, str], str | None], *, reason: str = "",
                    after: Callable[[M.Opportunity, M.Employee], None] | None = None) -> d.Opportunity:
        me, actor = self._me_person()

        def body():
            opp = self._lock(M.Opportunity, opportunity_id, "opportunity")
            owner = M.Employee.get_by_id(opp.owner_id)
            if (why := check(actor, owner.username)) is not None:
                raise PermissionDenied(why)
            if opp.status not in allowed_from:
                raise Conflict(f"cannot {action} a posting that is {opp.status}")
            M.Opportunity.update(status=to, updated_at=self.clock()).where(M.Opportunity.id == opp.id).execute()
            self._audit(me, action, "opportunity", opp.id, **({"reason": reason} if reason else {}))
            if after is not None:
                after(opp, owner)

        self._tx(body)
        return self.opportunity(opportunity_id)

    def _tell_cancelled(self, reason: str) -> Callable[[M.Opportunity, M.Employee], None]:
        def after(opp: M.Opportunity, owner: M.Employee) -> None:
            why = f": {reason}" if reason else ""
            live = M.Application.select().where(
                M.Application.opportunity == opp.id, M.Application.status.in_(d.LIVE_STATUSES))
            for app in list(live):
                self._set_status(app, "cancelled", decline_reason=reason)
                self._notify(app.applicant_id, f"'{opp.title}' was cancelled{why}", f"app:{app.id}")
                if app.status in d.HOLDING_STATUSES:
                    # The manager knows of offers and engagements only, and hears of their end.
                    applicant = M.Employee.get_by_id(app.applicant_id)
                    self._notify(applicant.manager_id, f"'{opp.title}' was cancelled{why}: "
                                 f"{applicant.display_name} no longer needs time for it", f"app:{app.id}")
            if self.actor != owner.username:
                self._notify(owner, f"An admin cancelled your posting '{opp.title}'{why}", f"opp:{opp.id}")

        return after

    @_api
    def publish(self, opportunity_id: int) -> d.Opportunity:
        """Open a draft (or reopen a closed posting) to applicants."""
        return self._transition(opportunity_id, "publish", ("draft", "closed"), "open", policy.may_manage_posting)

    @_api
    def close(self, opportunity_id: int) -> d.Opportunity:
        """Stop taking applicants; offers and engagements carry on."""
        return self._transition(opportunity_id, "close", ("open",), "closed", policy.may_manage_posting)

    @_api
    def cancel(self, opportunity_id: int, reason: str = "") -> d.Opportunity:
        """Cancel a posting; everyone still in play is told."""
        reason = clean(reason or "").strip()[:MAX_TEXT]
        return self._transition(opportunity_id, "cancel", ("draft", "open", "closed"), "cancelled",
                                policy.may_cancel_posting, reason=reason, after=self._tell_cancelled(reason))

    @_api
    def complete_posting(self, opportunity_id: int) -> d.Opportunity:
        """Mark a posting completed once no engagement is still offered or active."""
        def after(opp: M.Opportunity, owner: M.Employee) -> None:
            # Counted inside the transaction, after the owner check, so a concurrent
            # offer cannot slip in and nobody else learns who is engaged.
            busy = M.Application.select().where(
                M.Application.opportunity == opp.id, M.Application.status.in_(d.HOLDING_STATUSES)
            ).count()
            if busy:
                raise Conflict(f"{busy} engagement(s) are still offered or active: complete or decline them first")

        return self._transition(opportunity_id, "complete", ("open", "closed"), "completed", policy.may_manage_posting,
                                after=after)

    @_api
    def opportunity(self, opportunity_id: int) -> d.Opportunity:
        """One opportunity. Drafts are visible only to their owner."""
        row = M.Opportunity.get_or_none(M.Opportunity.id == opportunity_id)
        if row is None or (row.status == "draft" and (self.actor is None or row.owner.username != self.actor)):
            raise NotFound(f"opportunity {opportunity_id} does not exist")
        return self._opportunities([row], detail=True)[0]

    def _listing(self, status, kind, department, remote, max_hours) -> peewee.ModelSelect:
        """Opportunities (never drafts) narrowed by the filters a list offers."""
        query = M.Opportunity.select().where(M.Opportunity.status != "draft")
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

    @_api
    def opportunities(
        self,
        *,
        status: str | Iterable[str] | None = "open",
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
            return d.Page(tuple(self._opportunities(rows)), rows[0].id if more else None)
        return d.Page(tuple(self._opportunities(rows)), rows[-1].id if more else None)

    @_api
    def count_opportunities(
        self,
        status: str | None = "open",
        *,
        kind: str | None = None,
        department: str | None = None,
        remote: bool | None = None,
        max_hours: int | None = None,
    ) -> int:
        """How many opportunities `opportunities` would list with these filters."""
        return self._listing(status, kind, department, remote, max_hours).count()

    @_api
    def draft(self, opportunity_id: int) -> d.OpportunityDraft:
        """A posting as its owner filled it in, for the edit form (owner only; a
        completed or cancelled posting cannot be edited)."""
        actor = self._me_person()[1]
        opp = self.opportunity(opportunity_id)
        if (why := policy.may_manage_posting(actor, opp.owner_username)) is not None:
            raise PermissionDenied(why)
        if opp.status in ("completed", "cancelled"):
            raise Conflict(f"a {opp.status} posting cannot be edited")
        return d.OpportunityDraft(
            kind=opp.kind, title=opp.title, description=opp.description, department=opp.department,
            hours_per_week=opp.hours_per_week, start=opp.start, end=opp.end, seats=opp.seats,
            location=opp.location, remote=opp.remote,
            skills=[(s.skill, s.level, s.role) for s in opp.skills], steps=list(opp.steps),
            certification=opp.certification, host=opp.host_username, topics=opp.topics,
            key_role_id=opp.key_role_id,
        )

    @_api
    def my_postings(self) -> list[d.Opportunity]:
        me = self._me()
        rows = list(M.Opportunity.select().where(M.Opportunity.owner == me.id).order_by(M.Opportunity.id.desc()))
        return self._opportunities(rows, detail=True)

    # ------------------------------------------------------------------ applications

    @_api
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
            if opp.status == "draft":
                raise NotFound(f"opportunity {opportunity_id} does not exist")
            owner = M.Employee.get_by_id(opp.owner_id)
            if (why := policy.may_apply(actor, owner.username)) is not None:
                raise PermissionDenied(why)
            if opp.status != "open":
                raise Conflict(f"'{opp.title}' is {opp.status} and takes no applications")
            hours = opp.hours_per_week if hours_per_week in (None, "") else _int_field(
                errors, "hours_per_week", hours_per_week, 1, 40, "hours per week")
            if errors:
                raise ValidationError(errors)
            now = self.clock()
            existing = M.Application.get_or_none(opportunity=opp.id, applicant=me.id)
            if existing is not None and existing.status != "withdrawn":
                raise Conflict(f"you already applied to '{opp.title}' (status: {existing.status})")
            if existing is not None:
                # A fresh application: nothing of an earlier offer carries over.
                M.Application.update(status="applied", note=note, hours_per_week=hours, applied_at=now,
                                     updated_at=now, decline_reason="", offered_at=None, release_due=None,
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
            self._notify(owner, f"{me.display_name} applied to '{opp.title}'", f"app:{app_id}")
            self._audit(me, "apply", "application", app_id, opportunity=opp.id, hours=hours)
            committed = self._committed_hours(me.id)
            cap = policy.cap_hours(me.weekly_hours, me.cap_pct)
            warning = None
            if not policy.fits_cap(committed, hours, me.weekly_hours, me.cap_pct):
                warning = (f"{hours} h/week would take you past your marketplace cap "
                           f"({committed} of {cap:g} h/week already committed): you may apply, "
                           "but an offer needs your manager to raise your cap")
            return d.ApplyResult(app_id, warning)

        return self._tx(body)

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

    def _set_status(self, app: M.Application, status: str, **fields) -> None:
        M.Application.update(status=status, updated_at=self.clock(), **fields).where(M.Application.id == app.id).execute()

    @_api
    def withdraw(self, application_id: int) -> d.Application:
        me, actor = self._me_person()

        def body():
            app, opp, applicant, owner = self._app_for_update(application_id)
            if (why := policy.may_act_as_applicant(actor, applicant.username)) is not None:
                raise PermissionDenied(why)
            if app.status not in ("applied", "shortlisted", "offered"):
                raise Conflict(f"an application that is {app.status} cannot be withdrawn")
            was_offered = app.status == "offered"
            self._set_status(app, "withdrawn")
            self._notify(owner, f"{applicant.display_name} withdrew from '{opp.title}'", f"opp:{opp.id}")
            if was_offered and applicant.manager_id:
                self._notify(applicant.manager_id, f"{applicant.display_name} withdrew from '{opp.title}'; no release needed", f"app:{app.id}")
            self._audit(me, "withdraw", "application", app.id)

        self._tx(body)
        return self.application(application_id)

    def _owner_action(self, application_id: int, action: str, allowed_from: tuple[str, ...],
                      then: Callable[[M.Application, M.Opportunity, M.Employee, M.Employee, M.Employee], None]) -> d.Application:
        me, actor = self._me_person()

        def body():
            app, opp, applicant, owner = self._app_for_update(application_id)
            if (why := policy.may_manage_posting(actor, owner.username)) is not None:
                raise PermissionDenied(why)
            if app.status not in allowed_from:
                raise Conflict(f"cannot {action} an application that is {app.status}")
            then(app, opp, applicant, owner, me)

        self._tx(body)
        return self.application(application_id)

    @_api
    def shortlist(self, application_id: int) -> d.Application:
        def then(app, opp, applicant, owner, me):
            self._set_status(app, "shortlisted")
            self._notify(applicant, f"You were shortlisted for '{opp.title}'", f"app:{app.id}")
            self._audit(me, "shortlist", "application", app.id, from_status=app.status)

        return self._owner_action(application_id, "shortlist", ("applied",), then)

    @_api
    def offer(self, application_id: int, message: str = "") -> d.Application:
        """Offer a seat. Refused when no seat is free or the hours would pass the
        applicant's cap. The line manager is told now, and must release or decline;
        silence releases automatically after `release_auto_days`."""
        message = clean(message or "").strip()[:MAX_TEXT]

        def then(app, opp, applicant, owner, me):
            if opp.status not in ("open", "closed"):
                raise Conflict(f"'{opp.title}' is {opp.status}; no offers can be made")
            holding = M.Application.select().where(
                M.Application.opportunity == opp.id, M.Application.status.in_(d.HOLDING_STATUSES)).count()
            if not policy.has_free_seat(opp.seats, holding):
                raise Conflict(f"no seat left on '{opp.title}': {holding} of {opp.seats} taken")
            committed = self._committed_hours(applicant.id)
            if not policy.fits_cap(committed, app.hours_per_week, applicant.weekly_hours, applicant.cap_pct):
                cap = policy.cap_hours(applicant.weekly_hours, applicant.cap_pct)
                raise Conflict(
                    f"{applicant.display_name} has {committed} of {cap:g} h/week committed; "
                    f"{app.hours_per_week} more would pass their cap (their manager can raise it)")
            now = self.clock()
            extra = f" — {message}" if message else ""
            if applicant.manager_id is None:
                # Nobody to release the time: the engagement starts at once.
                self._set_status(app, "active", offered_at=now, released_at=now, release_automatic=True,
                                 release_reason="no line manager")
                self._notify(applicant, f"You have an offer for '{opp.title}' and can start{extra}", f"app:{app.id}")
            else:
                due = now + dt.timedelta(days=self.release_auto_days())
                self._set_status(app, "offered", offered_at=now, release_due=due)
                self._notify(applicant, f"You have an offer for '{opp.title}'; waiting for your manager's release{extra}", f"app:{app.id}")
                self._notify(applicant.manager_id,
                             f"{applicant.display_name} was offered '{opp.title}' ({app.hours_per_week} h/week): "
                             f"release or decline by {due:%Y-%m-%d}, or it is released automatically",
                             f"release:{app.id}")
            self._audit(me, "offer", "application", app.id, hours=app.hours_per_week, from_status=app.status)

        return self._owner_action(application_id, "offer", ("applied", "shortlisted"), then)

    @_api
    def decline(self, application_id: int, reason: str = "") -> d.Application:
        reason = clean(reason or "").strip()[:MAX_TEXT]

        def then(app, opp, applicant, owner, me):
            was_offered = app.status == "offered"
            self._set_status(app, "declined", decline_reason=reason)
            why = f": {reason}" if reason else ""
            self._notify(applicant, f"Your application to '{opp.title}' was not taken forward{why}", f"app:{app.id}")
            if was_offered and applicant.manager_id:
                self._notify(applicant.manager_id, f"The offer of '{opp.title}' to {applicant.display_name} was withdrawn", f"app:{app.id}")
            self._audit(me, "decline", "application", app.id, reason=reason, from_status=app.status)

        return self._owner_action(application_id, "decline", ("applied", "shortlisted", "offered"), then)

    @_api
    def applicants(self, opportunity_id: int) -> list[d.Application]:
        """Everyone who applied (owner and admins only)."""
        me, actor = self._me_person()
        opp = M.Opportunity.get_or_none(M.Opportunity.id == opportunity_id)
        if opp is None:
            raise NotFound(f"opportunity {opportunity_id} does not exist")
        if (why := policy.may_see_applicants(actor, opp.owner.username)) is not None:
            raise PermissionDenied(why)
        return self._applications(
            M.Application.select().where(M.Application.opportunity == opportunity_id).order_by(M.Application.id))

    @_api
    def application(self, application_id: int) -> d.Application:
        """One application: visible to the applicant, the owner, the applicant's
        manager and admins."""
        rows = self._applications(M.Application.select().where(M.Application.id == application_id))
        if not rows:
            raise NotFound(f"application {application_id} does not exist")
        app = rows[0]
        if self.actor is not None:
            me, actor = self._me_person()
            applicant = M.Employee.get(M.Employee.username == app.applicant_username)
            manager = M.Employee.get_or_none(M.Employee.id == applicant.manager_id) if applicant.manager_id else None
            if (actor.username not in (app.applicant_username, app.owner_username)
                    and not actor.is_admin and not (manager and manager.username == actor.username)):
                raise PermissionDenied("only the applicant, the owner, their manager or an admin may see this application")
        return app

    @_api
    def my_applications(self) -> list[d.Application]:
        me = self._me()
        return self._applications(
            M.Application.select().where(M.Application.applicant == me.id).order_by(M.Application.updated_at.desc()))

    @_api
    def undo(self, application_id: int) -> d.Application:
        """Owner: take back the last shortlist, offer or decline on an application,
        as long as nothing has happened to it since. The applicant (and, for an
        offer, their manager) is told."""
        me, actor = self._me_person()

        def body():
            app, opp, applicant, owner = self._app_for_update(application_id)
            if (why := policy.may_manage_posting(actor, owner.username)) is not None:
                raise PermissionDenied(why)
            produced = {"shortlist": ("shortlisted",), "offer": ("offered", "active"), "decline": ("declined",)}
            # Walk back through the history: each earlier undo cancels one action, so
            # repeated undos step back one action at a time.
            last, pending_undos = None, 0
            for event in (M.AuditEvent.select().where(M.AuditEvent.object_type == "application",
                                                      M.AuditEvent.object_id == app.id)
                          .order_by(M.AuditEvent.id.desc())):
                if event.action == "undo":
                    pending_undos += 1
                elif event.action in produced and pending_undos:
                    pending_undos -= 1
                else:
                    last = event
                    break
            if last is None or last.action not in produced or last.actor_id != me.id:
                raise Conflict("nothing to undo on this application")
            detail = json.loads(last.detail or "{}")
            if app.status not in produced[last.action] or "from_status" not in detail:
                raise Conflict(f"the {last.action} can no longer be undone: the application is {app.status}")
            if last.action == "offer" and app.status == "active" and app.released_by_id is not None:
                raise Conflict("the manager has already released this person; decline instead")
            back = detail["from_status"]
            self._set_status(app, back, offered_at=None, release_due=None, released_at=None,
                             release_automatic=False, decline_reason="")
            if last.action == "decline":
                self._notify(applicant, f"Your application to '{opp.title}' is back under review", f"app:{app.id}")
            elif last.action == "offer":
                self._notify(applicant, f"The offer for '{opp.title}' was taken back; your application is {back}", f"app:{app.id}")
                if applicant.manager_id:
                    self._notify(applicant.manager_id, f"The offer of '{opp.title}' to {applicant.display_name} was taken back; no release needed", f"app:{app.id}")
            else:
                self._notify(applicant, f"Your application to '{opp.title}' is back to {back}", f"app:{app.id}")
            self._audit(me, "undo", "application", app.id, undone=last.action, to_status=back)

        self._tx(body)
        return self.application(application_id)

    @_api
    def close_and_decline_rest(self, opportunity_id: int, message: str = "") -> int:
        """Owner: close a posting and decline everyone still applied or shortlisted,
        each told with the optional message. Returns how many were declined."""
        me, actor = self._me_person()
        message = clean(message or "").strip()[:MAX_TEXT]

        def body():
            opp = self._lock(M.Opportunity, opportunity_id, "opportunity")
            owner = M.Employee.get_by_id(opp.owner_id)
            if (why := policy.may_manage_posting(actor, owner.username)) is not None:
                raise PermissionDenied(why)
            if opp.status not in ("open", "closed"):
                raise Conflict(f"cannot close a posting that is {opp.status}")
            waiting = list(M.Application.select().where(
                M.Application.opportunity == opp.id, M.Application.status.in_(("applied", "shortlisted"))))
            why = f": {message}" if message else ""
            for app in waiting:
                self._set_status(app, "declined", decline_reason=message)
                self._notify(app.applicant_id, f"'{opp.title}' has been filled; your application was not taken forward{why}", f"app:{app.id}")
                self._audit(me, "decline", "application", app.id, reason=message, from_status=app.status, bulk=True)
            M.Opportunity.update(status="closed", updated_at=self.clock()).where(M.Opportunity.id == opp.id).execute()
            self._audit(me, "close", "opportunity", opp.id, declined=len(waiting))
            return len(waiting)

        return self._tx(body)

    @_api
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

    # ------------------------------------------------------------------ releases

    @_api
    def pending_releases(self) -> list[d.Application]:
        """Offers to the actor's direct reports that wait for a release decision."""
        me = self._me()
        reports = M.Employee.select(M.Employee.id).where(M.Employee.manager == me.id)
        return self._applications(
            M.Application.select().where(M.Application.status == "offered", M.Application.applicant.in_(reports))
            .order_by(M.Application.release_due))

    def _manager_action(self, application_id: int, then) -> d.Application:
        me, actor = self._me_person()

        def body():
            app, opp, applicant, owner = self._app_for_update(application_id)
            mgr = M.Employee.get_or_none(M.Employee.id == applicant.manager_id) if applicant.manager_id else None
            if (why := policy.may_release(actor, mgr.username if mgr else None)) is not None:
                raise PermissionDenied(why)
            if app.status != "offered":
                raise Conflict(f"this application is {app.status}, not waiting for a release")
            then(app, opp, applicant, owner, me)

        self._tx(body)
        return self.application(application_id)

    @_api
    def release(self, application_id: int) -> d.Application:
        """Line manager: release a report's time for an offer."""
        def then(app, opp, applicant, owner, me):
            self._set_status(app, "active", released_by=me, released_at=self.clock(), release_automatic=False)
            self._notify(applicant, f"Your manager released your time for '{opp.title}': you can start", f"app:{app.id}")
            self._notify(owner, f"{applicant.display_name}'s manager released them for '{opp.title}'", f"app:{app.id}")
            self._audit(me, "release", "application", app.id)

        return self._manager_action(application_id, then)

    @_api
    def decline_release(self, application_id: int, reason: str) -> d.Application:
        """Line manager: decline to release time; a reason is required and shown to
        the applicant and owner."""
        reason = clean(reason or "").strip()
        if not reason:
            raise ValidationError({"reason": "a reason is required to decline a release"})
        if len(reason) > MAX_TEXT:
            raise ValidationError({"reason": f"reason must be at most {MAX_TEXT} characters"})

        def then(app, opp, applicant, owner, me):
            self._set_status(app, "release_declined", released_by=me, released_at=self.clock(), release_reason=reason)
            self._notify(applicant, f"Your manager declined your time for '{opp.title}': {reason}", f"app:{app.id}")
            self._notify(owner, f"{applicant.display_name}'s manager declined their release for '{opp.title}': {reason}", f"app:{app.id}")
            self._audit(me, "decline_release", "application", app.id, reason=reason)

        return self._manager_action(application_id, then)

    @_api
    def set_cap(self, username: str, cap_pct: int | str) -> d.Person:
        """Line manager or admin: change a person's marketplace time cap (percent)."""
        me, actor = self._me_person()
        errors: dict[str, str] = {}
        pct = _int_field(errors, "cap_pct", cap_pct, 0, 100, "time cap %")
        if errors:
            raise ValidationError(errors)

        def body():
            target = M.Employee.get_or_none(M.Employee.username == username)
            if target is None:
                raise NotFound(f"nobody is called {username!r}")
            mgr = M.Employee.get_or_none(M.Employee.id == target.manager_id) if target.manager_id else None
            if (why := policy.may_set_cap(actor, target.username, mgr.username if mgr else None)) is not None:
                raise PermissionDenied(why)
            old = target.cap_pct
            M.Employee.update(cap_pct=pct).where(M.Employee.id == target.id).execute()
            self._notify(target, f"Your marketplace time cap is now {pct}% (was {old}%)", "profile")
            self._audit(me, "set_cap", "employee", target.id, old=old, new=pct)
            return target.username

        return self.person(self._tx(body))

    @_api
    def run_maintenance(self) -> int:
        """Release automatically every offer whose release is overdue; return how
        many. Runs on every start of the app or CLI, as the system."""
        now = self.clock()
        due_ids = [a.id for a in M.Application.select(M.Application.id).where(
            M.Application.status == "offered", M.Application.release_due <= now)]
        released = 0
        for app_id in due_ids:
            def body(app_id=app_id):
                app = self._lock(M.Application, app_id, "application")
                if app.status != "offered" or app.release_due is None or app.release_due > now:
                    return 0  # someone decided meanwhile
                opp = M.Opportunity.get_by_id(app.opportunity_id)
                applicant = M.Employee.get_by_id(app.applicant_id)
                self._set_status(app, "active", released_at=now, release_automatic=True)
                self._notify(applicant, f"Your time for '{opp.title}' was released automatically (no decision within the deadline): you can start", f"app:{app.id}")
                self._notify(applicant.manager_id, f"{applicant.display_name}'s release for '{opp.title}' was granted automatically: no decision was made in time", f"app:{app.id}")
                self._notify(opp.owner_id, f"{applicant.display_name} was released automatically for '{opp.title}'", f"app:{app.id}")
                self._audit(None, "auto_release", "application", app.id)
                return 1
            released += self._tx(body)
        return released

    # ------------------------------------------------------------------ completion

    @_api
    def complete(self, application_id: int, rating: int | str, feedback: str = "",
                 endorsements: dict[str, int] | None = None) -> d.Application:
        """Owner: complete an active engagement with a rating (1-5), feedback and
        endorsements of the skills used; then ask the participant and their manager
        how it affected core work."""
        errors: dict[str, str] = {}
        score = _int_field(errors, "rating", rating, 1, 5, "rating")
        feedback = clean(feedback or "").strip()
        if len(feedback) > MAX_TEXT:
            errors["feedback"] = f"feedback must be at most {MAX_TEXT} characters"
        endorsed = []
        for name, level in (endorsements or {}).items():
            row = self._skill_row(name)
            if row is None:
                errors["endorsements"] = f"no skill called {clean_line(name)!r}"
                continue
            lvl = _int_field(errors, "endorsements", level, 1, 5, f"level of {row.name}")
            endorsed.append((row, lvl))
        if errors:
            raise ValidationError(errors)

        def then(app, opp, applicant, owner, me):
            now = self.clock()
            self._set_status(app, "completed", rating=score, feedback=feedback, completed_at=now)
            for skill, level in endorsed:
                M.Endorsement.create(application=app, skill=skill, level=level, at=now)
                claim = M.EmployeeSkill.get_or_none(employee=applicant.id, skill=skill.id)
                if claim is None:
                    M.EmployeeSkill.create(employee=applicant, skill=skill, level=level, source="endorsed",
                                           evidence_count=1, confirmed_at=now)
                else:
                    M.EmployeeSkill.update(
                        level=max(claim.level, level),
                        source="certified" if claim.source == "certified" else "endorsed",
                        evidence_count=claim.evidence_count + 1,
                        confirmed_at=now,
                    ).where(M.EmployeeSkill.id == claim.id).execute()
            M.CoreWorkAnswer.create(application=app, respondent=applicant, role="participant", asked_at=now)
            self._notify(applicant, f"'{opp.title}' is complete — rated {score}/5. How did it affect your core work?", f"corework:{app.id}")
            if applicant.manager_id:
                M.CoreWorkAnswer.create(application=app, respondent=applicant.manager_id, role="manager", asked_at=now)
                self._notify(applicant.manager_id, f"{applicant.display_name} completed '{opp.title}'. How did it affect their core work?", f"corework:{app.id}")
            self._audit(me, "complete", "application", app.id, rating=score,
                        endorsed={s.name: lvl for s, lvl in endorsed})

        return self._owner_action(application_id, "complete", ("active",), then)

    @_api
    def core_work_questions(self, *, unanswered_only: bool = True) -> list[d.CoreWorkQuestion]:
        me = self._me()
        Participant = M.Employee.alias()
        query = (
            M.CoreWorkAnswer.select(M.CoreWorkAnswer, M.Opportunity.title, Participant.username.alias("participant"))
            .join(M.Application).join(M.Opportunity)
            .join_from(M.Application, Participant, on=(M.Application.applicant == Participant.id))
            .where(M.CoreWorkAnswer.respondent == me.id)
            .order_by(M.CoreWorkAnswer.id)
        )
        if unanswered_only:
            query = query.where(M.CoreWorkAnswer.answer.is_null())
        return [
            d.CoreWorkQuestion(q.id, q.application_id, q.title, q.participant, q.role, q.answer, q.comment)
            for q in query.objects()
        ]

    @_api
    def answer_core_work(self, question_id: int, answer: str, comment: str = "") -> d.CoreWorkQuestion:
        me = self._me()
        if answer not in d.CORE_WORK_ANSWERS:
            raise ValidationError({"answer": "answer must be better, same or worse"})
        comment = clean(comment or "").strip()
        if len(comment) > MAX_TEXT:
            raise ValidationError({"comment": f"comment must be at most {MAX_TEXT} characters"})

        def body():
            q = self._lock(M.CoreWorkAnswer, question_id, "question")
            if q.respondent_id != me.id:
                raise PermissionDenied("only the person this question was asked of may answer it")
            M.CoreWorkAnswer.update(answer=answer, comment=comment, answered_at=self.clock()).where(
                M.CoreWorkAnswer.id == q.id).execute()
            self._audit(me, "answer_core_work", "application", q.application_id, answer=answer)

        self._tx(body)
        return next(q for q in self.core_work_questions(unanswered_only=False) if q.id == question_id)

    # ------------------------------------------------------------------ inbox, audit, settings

    @_api
    def notifications(self, *, unread_only: bool = False, limit: int = 200) -> list[d.Notification]:
        me = self._me()
        query = M.Notification.select().where(M.Notification.recipient == me.id)
        if unread_only:
            query = query.where(M.Notification.read == False)  # noqa: E712
        return [d.Notification(n.id, n.text, n.link, n.read, n.created_at)
                for n in query.order_by(M.Notification.id.desc()).limit(limit)]

    @_api
    def unread_count(self) -> int:
        me = self._me()
        return M.Notification.select().where(M.Notification.recipient == me.id, M.Notification.read == False).count()  # noqa: E712

    @_api
    def mark_read(self, notification_id: int | None = None) -> int:
        """Mark one notification (or, with None, all of the actor's) read."""
        me = self._me()

        def body():
            query = M.Notification.update(read=True).where(M.Notification.recipient == me.id, M.Notification.read == False)  # noqa: E712
            if notification_id is not None:
                query = query.where(M.Notification.id == notification_id)
            return query.execute()

        return self._tx(body)

    @_api
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
        return [d.AuditEntry(e.id, e.actor_username, e.action, e.object_type,
                             e.object_id, json.loads(e.detail or "{}"), e.at) for e in query.objects()]

    @_api
    def set_release_auto_days(self, days: int | str) -> int:
        me, actor = self._me_person()
        if (why := policy.may_administer(actor)) is not None:
            raise PermissionDenied(why)
        errors: dict[str, str] = {}
        n = _int_field(errors, "release_auto_days", days, 1, 60, "automatic release days")
        if errors:
            raise ValidationError(errors)

        def body():
            M.Setting.insert(key="release_auto_days", value=str(n)).on_conflict(
                conflict_target=[M.Setting.key], update={M.Setting.value: str(n)}).execute()
            self._audit(me, "set_setting", "setting", None, key="release_auto_days", value=n)

        self._tx(body)
        return n

    @_api
    def is_empty(self) -> bool:
        """True when the database holds no people and no opportunities yet."""
        return not M.Employee.select().exists() and not M.Opportunity.select().exists()

    # ------------------------------------------------------------------ search and matching

    @_api
    def search_skills(self, query: str, limit: int = 10) -> list[SkillHit]:
        """Skills by fuzzy name or alias ('k8s' finds Kubernetes), best first."""
        return _IndexKeeper.for_db(self.db).fresh(self).search_skills(query, limit)

    @_api
    def search(self, query: str, *, kind: str | None = None, limit: int = 200) -> list[d.SearchResult]:
        """Open opportunities matching a query of skills (typos and aliases welcome),
        title or description words; best first, each saying what matched."""
        hits = _IndexKeeper.for_db(self.db).fresh(self).search_opportunities(query, limit=limit, kind=kind)
        rows = {r.id: r for r in M.Opportunity.select().where(M.Opportunity.id.in_([h.opp_id for h in hits]))}
        opps = {o.id: o for o in self._opportunities(list(rows.values()))}
        return [d.SearchResult(opps[h.opp_id], h.score, h.why) for h in hits if h.opp_id in opps]

    def warm_up(self) -> None:
        """Build the search index now (it is otherwise built on the first query)."""
        self.search_skills("", 1)

    @_api
    def match(self, opportunity_id: int) -> matching.Match:
        """How well an opportunity fits the actor, term by term."""
        return matching.match(self.profile(), self.opportunity(opportunity_id))

    @_api
    def recommend(self, *, limit: int = 50, kind: str | None = None, record: bool = True) -> list[d.Recommendation]:
        """Open opportunities for the actor, best match first. Candidates are the
        postings that require or grow a skill the actor has or wants (most overlap
        first), topped up with the newest; each shown one is recorded as an exposure
        so equal access can be audited."""
        me = self._me()
        profile = self.profile()
        mine = {c.skill_id for c in profile.skills}
        mine |= {s.id for s in M.Skill.select(M.Skill.id).where(M.Skill.name.in_(list(profile.interests) or [""]))}
        base = M.Opportunity.select(M.Opportunity.id).where(
            M.Opportunity.status == "open", M.Opportunity.owner != me.id)
        if kind:
            base = base.where(M.Opportunity.kind == kind)
        candidate_ids: list[int] = []
        if mine:
            overlap = (base.join(M.OpportunitySkill).where(M.OpportunitySkill.skill.in_(list(mine)))
                       .group_by(M.Opportunity.id)
                       .order_by(fn.COUNT(M.OpportunitySkill.id).desc(), M.Opportunity.id.desc()).limit(2000))
            candidate_ids = [r.id for r in overlap]
        if len(candidate_ids) < limit:
            newest = base.order_by(M.Opportunity.id.desc()).limit(limit * 2)
            candidate_ids += [r.id for r in newest if r.id not in set(candidate_ids)]
        rows: list[M.Opportunity] = []
        for chunk in range(0, len(candidate_ids), 500):
            rows += list(M.Opportunity.select().where(M.Opportunity.id.in_(candidate_ids[chunk:chunk + 500])))
        ranked = matching.rank_opportunities(profile, self._opportunities(rows))[:limit]
        if record and ranked:
            self._record_exposure(me, [o.id for o, _ in ranked])
        return [d.Recommendation(o, m) for o, m in ranked]

    def _record_exposure(self, me: M.Employee, opp_ids: list[int]) -> None:
        def body():
            now = self.clock()
            seen = set(M.Exposure.select(M.Exposure.opportunity).where(
                M.Exposure.employee == me.id, M.Exposure.opportunity.in_(opp_ids)).tuples())
            seen = {row[0] for row in seen}
            M.Exposure.update(times=M.Exposure.times + 1).where(
                M.Exposure.employee == me.id, M.Exposure.opportunity.in_(list(seen))).execute()
            new = [{"employee": me.id, "opportunity": i, "first_shown": now, "times": 1}
                   for i in opp_ids if i not in seen]
            if new:
                M.Exposure.insert_many(new).on_conflict_ignore().execute()

        self._tx(body)

    @_api
    def matches(self, opportunity_ids: Iterable[int]) -> dict[int, matching.Match]:
        """The actor's match for each of several opportunities (for a list's score column)."""
        profile = self.profile()
        ids = list(opportunity_ids)
        rows = list(M.Opportunity.select().where(M.Opportunity.id.in_(ids)))
        return {o.id: matching.match(profile, o) for o in self._opportunities(rows)}

    @_api
    def rate(self, opportunities: Iterable[d.Opportunity]) -> dict[int, matching.Match]:
        """The actor's match for opportunities already fetched (a page of a list),
        without reading them again."""
        profile = self.profile()
        return {o.id: matching.match(profile, o) for o in opportunities}

    @_api
    def review(self, opportunity_id: int, *, include_closed: bool = False) -> list[d.ReviewEntry]:
        """The owner's view of the applicants, best match first (ties in a stable,
        reproducible order), each with their track record."""
        apps = self.applicants(opportunity_id)
        if not include_closed:
            apps = [a for a in apps if a.status in d.LIVE_STATUSES]
        opp = self.opportunity(opportunity_id)
        profiles = {a.applicant_username: self.profile(a.applicant_username) for a in apps}
        records = {}
        for username in profiles:
            row = (M.Application.select(fn.COUNT(M.Application.id), fn.AVG(M.Application.rating))
                   .join(M.Employee, on=(M.Application.applicant == M.Employee.id))
                   .where(M.Employee.username == username, M.Application.status == "completed").tuples().first())
            records[username] = (int(row[0] or 0), float(row[1]) if row[1] is not None else None)
        by_user = {a.applicant_username: a for a in apps}
        ranked = matching.rank_applicants(opp, profiles.values())
        return [d.ReviewEntry(by_user[p.person.username], p, m, *records[p.person.username]) for p, m in ranked]

    # ------------------------------------------------------------------ demo

    def load_demo(self, *, employees: int | None = None, opportunities: int | None = None,
                  progress: Callable[[str, int, int], None] | None = None):
        """Load the demo organisation (or, with sizes, scale data) into an empty
        database. See `oppmarket.demo`."""
        from oppmarket import demo

        if not self.is_empty():
            raise Conflict("the database already holds data; the demo loads only into an empty one")
        return demo.load_demo(self.db, employees=employees, opportunities=opportunities,
                              progress=progress, now=self.clock())

    # ------------------------------------------------------------------ import and export

    def _require_importer(self) -> M.Employee | None:
        """Imports are for admins, or for the system (the CLI on a database the caller
        owns, before anyone is in it)."""
        if self.actor is None:
            return None
        me, actor = self._me_person()
        if (why := policy.may_administer(actor)) is not None:
            raise PermissionDenied(why)
        return me

    @staticmethod
    def _tick(progress, stage: str, done: int, total: int) -> None:
        if progress is not None and (done == total or done % 250 == 0):
            progress(stage, done, total)

    @_api
    def import_people(self, rows, progress=None) -> int:
        """Add or update people from parsed rows (see `oppmarket.transfer`); managers may
        be in the file or already in the marketplace. All rows or none."""
        from oppmarket.transfer import ImportErrors

        me = self._require_importer()
        problems: dict[str, str] = {}
        seen: dict[str, int] = {}
        for row in rows:
            key = row.username.lower()
            if key in seen:
                problems[f"line {row.line}"] = f"username {row.username!r} is also on line {seen[key]}"
            seen[key] = row.line
        in_file = {r.username for r in rows}

        def body():
            for row in rows:
                if row.manager and row.manager not in in_file and not M.Employee.select().where(
                        M.Employee.username == row.manager).exists():
                    problems[f"line {row.line}"] = f"manager: nobody is called {row.manager!r}"
                if row.manager == row.username:
                    problems[f"line {row.line}"] = "manager: a person cannot manage themself"
            if problems:
                raise ImportErrors(problems)
            now = self.clock()
            ids: dict[str, int] = {}
            for done, row in enumerate(rows, start=1):
                dept = self._department_row(row.department, create=True) if row.department else None
                values = dict(display_name=row.display_name, email=row.email, title=row.title,
                              department=dept, weekly_hours=row.weekly_hours, cap_pct=row.cap_pct,
                              is_admin=row.is_admin)
                existing = M.Employee.get_or_none(M.Employee.username == row.username)
                if existing is None:
                    ids[row.username] = M.Employee.create(username=row.username, created_at=now, **values).id
                else:
                    M.Employee.update(**values).where(M.Employee.id == existing.id).execute()
                    ids[row.username] = existing.id
                self._tick(progress, "people", done, 2 * len(rows))
            for done, row in enumerate(rows, start=len(rows) + 1):
                if row.manager:
                    manager_id = ids.get(row.manager) or M.Employee.get(M.Employee.username == row.manager).id
                    M.Employee.update(manager=manager_id).where(M.Employee.id == ids[row.username]).execute()
                self._tick(progress, "managers", done, 2 * len(rows))
            self._audit(me, "import_people", "employee", None, rows=len(rows))
            return len(rows)

        if problems:
            raise ImportErrors(problems)
        return self._tx(body)

    @_api
    def import_skills(self, rows, progress=None) -> int:
        """Add skills (or update the category and description of existing ones) with
        their aliases. All rows or none."""
        from oppmarket.transfer import ImportErrors

        me = self._require_importer()
        problems: dict[str, str] = {}
        names: dict[str, int] = {}
        for row in rows:
            for label in (row.name, *row.aliases):
                key = label.lower()
                if key in names and names[key] != row.line:
                    problems[f"line {row.line}"] = f"{label!r} also names a skill on line {names[key]}"
                names.setdefault(key, row.line)
        if problems:
            raise ImportErrors(problems)

        def body():
            for row in rows:
                for alias in row.aliases:
                    owner = self._skill_row(alias)
                    if owner is not None and owner.name.lower() != row.name.lower():
                        problems[f"line {row.line}"] = f"alias {alias!r} already names {owner.name}"
            if problems:
                raise ImportErrors(problems)
            for done, row in enumerate(rows, start=1):
                skill = M.Skill.get_or_none(fn.LOWER(M.Skill.name) == row.name.lower())
                if skill is None:
                    skill = M.Skill.create(name=row.name, category=row.category, description=row.description)
                else:
                    M.Skill.update(category=row.category, description=row.description or skill.description).where(
                        M.Skill.id == skill.id).execute()
                for alias in row.aliases:
                    if not M.SkillAlias.select().where(fn.LOWER(M.SkillAlias.alias) == alias.lower()).exists():
                        M.SkillAlias.create(skill=skill, alias=alias)
                self._tick(progress, "skills", done, len(rows))
            self._audit(me, "import_skills", "skill", None, rows=len(rows))
            return len(rows)

        return self._tx(body)

    @_api
    def import_opportunities(self, rows, progress=None) -> int:
        """Add opportunities owned by existing people, with skills that exist by name
        or alias. All rows or none."""
        from oppmarket.transfer import ImportErrors

        me = self._require_importer()
        problems: dict[str, str] = {}

        def body():
            checked = []
            for done, row in enumerate(rows, start=1):
                owner = M.Employee.get_or_none(M.Employee.username == row.owner)
                values, skills, steps, errors = self._validate_draft(row.draft)
                if owner is None:
                    errors = {"owner": f"nobody is called {row.owner!r}", **errors}
                if errors:
                    problems[f"line {row.line}"] = "; ".join(f"{k}: {v}" for k, v in errors.items())
                checked.append((row, owner, values, skills, steps))
                self._tick(progress, "checking", done, len(rows))
            if problems:
                raise ImportErrors(problems)
            now = self.clock()
            for done, (row, owner, values, skills, steps) in enumerate(checked, start=1):
                if values.get("department") is None:
                    values["department"] = owner.department_id
                opp = M.Opportunity.create(owner=owner, status=row.status, created_at=now, updated_at=now, **values)
                self._write_children(opp, skills, steps)
                self._tick(progress, "opportunities", done, len(rows))
            self._audit(me, "import_opportunities", "opportunity", None, rows=len(rows))
            return len(rows)

        return self._tx(body)

    def all_people(self) -> Iterable[d.Person]:
        """Every person, a page at a time (for export)."""
        after = None
        while True:
            page = self.people(limit=500, after_id=after)
            yield from page.items
            if page.next_after is None:
                return
            after = page.next_after

    def all_opportunities(self) -> Iterable[d.Opportunity]:
        """Every opportunity but drafts, a page at a time (for export)."""
        after = None
        while True:
            page = self.opportunities(status=None, after_id=after, limit=500)
            yield from page.items
            if page.next_after is None:
                return
            after = page.next_after

    @_api
    def all_applications(self) -> list[d.Application]:
        """Every application (admins only: nobody else sees who applied to what)."""
        try:
            self._require_importer()
        except PermissionDenied:
            raise PermissionDenied("only an admin may list every application: nobody else sees who applied to what") from None
        return self._applications(M.Application.select().order_by(M.Application.id))
