"""Plain records that `Market` returns and takes. No Peewee, no Textual here: screens
and the CLI work only with these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from oppmarket import policy
# The statuses live in `lifecycle`; these names stay importable from here.
from oppmarket.lifecycle import APP_STATUSES, HOLDING_STATUSES, LIVE_STATUSES, OPP_STATUSES  # noqa: F401

KINDS = ("gig", "mentorship", "volunteering", "shadowing", "learning")
KIND_LABELS = {
    "gig": "Gig",
    "mentorship": "Mentorship",
    "volunteering": "Volunteering",
    "shadowing": "Shadowing",
    "learning": "Learning path",
}
SKILL_SOURCES = ("self", "endorsed", "certified")
SKILL_ROLES = ("required", "grows")
CORE_WORK_ANSWERS = ("better", "same", "worse")
RISKS = ("low", "medium", "high")
LEVEL_MEANINGS = {
    1: "Aware: knows the basics, needs guidance",
    2: "Working: does routine tasks alone",
    3: "Practitioner: handles most work unaided",
    4: "Advanced: solves hard problems, guides others",
    5: "Expert: sets direction, recognised authority",
}
STALE_AFTER = dt.timedelta(days=365)


def stale_before(now: dt.datetime) -> dt.datetime:
    """A skill claim confirmed before this moment is stale: unconfirmed for a year,
    so matching counts it a level lower and the capability map counts it apart."""
    return now - STALE_AFTER


def is_stale(confirmed_at: dt.datetime, now: dt.datetime) -> bool:
    return confirmed_at < stale_before(now)


@dataclass(frozen=True)
class Person:
    id: int
    username: str
    display_name: str
    email: str
    title: str
    department: str | None
    department_id: int | None
    manager_username: str | None
    weekly_hours: int
    cap_pct: int
    is_admin: bool
    active: bool
    has_reports: bool = False
    location: str = ""
    remote_preference: str = "anywhere"  # one of `location.PREFERENCES`
    weekly_digest: bool = False
    open_to_invitations: bool = False  # owners of postings they match may invite them to apply

    @property
    def cap_hours(self) -> float:
        return policy.cap_hours(self.weekly_hours, self.cap_pct)


@dataclass(frozen=True)
class Department:
    id: int
    name: str
    parent: str | None


@dataclass(frozen=True)
class SkillInfo:
    id: int
    name: str
    category: str
    description: str
    aliases: tuple[str, ...] = ()
    retired: bool = False  # no longer offered; still on the rows that name it


def counted(count: int, one: str, many: str | None = None) -> str:
    """'1 claim', '3 claims', '2 people' (with `many`)."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


class _Counted:
    """What a usage record says of its `counts()`: their sum and their words."""

    def counts(self) -> tuple[tuple[str, str, int], ...]:
        raise NotImplementedError

    @property
    def total(self) -> int:
        return sum(count for _, _, count in self.counts())

    def words(self) -> str:
        """'3 people, 1 posting' (kinds with none left out), or 'nothing'."""
        return ", ".join(counted(n, one, many) for one, many, n in self.counts() if n) or "nothing"


@dataclass(frozen=True)
class DepartmentUsage(_Counted):
    """A department with everything that names it: what a merge moves, and why a
    department may not simply be dropped. `saved_searches` filter on its name."""

    id: int
    name: str
    parent: str | None
    people: int = 0
    postings: int = 0
    key_roles: int = 0
    children: int = 0
    saved_searches: int = 0

    def counts(self) -> tuple[tuple[str, str, int], ...]:
        """(one, many, count) per kind of reference, in the order they are shown."""
        return (("person", "people", self.people), ("posting", "postings", self.postings),
                ("key role", "key roles", self.key_roles),
                ("sub-department", "sub-departments", self.children),
                ("saved search", "saved searches", self.saved_searches))


@dataclass(frozen=True)
class SkillUsage(_Counted):
    """A skill with where it is used: people's claims and interests, the postings
    that ask for or grow it, endorsements, key roles that need it, its aliases, and
    saved searches whose query names it (they keep finding it by an alias after a
    rename or a merge)."""

    skill: SkillInfo
    claims: int = 0
    interests: int = 0
    postings: int = 0
    endorsements: int = 0
    key_roles: int = 0
    saved_searches: int = 0

    @property
    def aliases(self) -> int:
        return len(self.skill.aliases)

    def counts(self) -> tuple[tuple[str, str, int], ...]:
        """(one, many, count) per kind of use, in the order they are shown."""
        return (("claim", "claims", self.claims), ("interest", "interests", self.interests),
                ("posting", "postings", self.postings), ("endorsement", "endorsements", self.endorsements),
                ("key role", "key roles", self.key_roles), ("alias", "aliases", self.aliases),
                ("saved search", "saved searches", self.saved_searches))


@dataclass(frozen=True)
class SkillClaim:
    skill_id: int
    skill: str
    category: str
    level: int
    source: str
    evidence_count: int
    confirmed_at: dt.datetime
    stale: bool


@dataclass(frozen=True)
class Profile:
    person: Person
    skills: tuple[SkillClaim, ...]
    interests: tuple[str, ...]
    committed_hours: int
    engagements: int  # completed engagements

    @property
    def hours_left(self) -> float:
        return max(0.0, self.person.cap_hours - self.committed_hours)


@dataclass(frozen=True)
class OppSkill:
    skill_id: int
    skill: str
    level: int
    role: str  # required | grows


@dataclass(frozen=True)
class Opportunity:
    id: int
    kind: str
    title: str
    description: str
    owner_username: str
    owner_name: str
    department: str | None
    hours_per_week: int
    start: dt.date | None
    end: dt.date | None
    seats: int
    seats_taken: int
    location: str
    remote: bool
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    skills: tuple[OppSkill, ...] = ()
    steps: tuple[str, ...] = ()
    certification: str = ""
    host_username: str | None = None
    topics: str = ""
    key_role_id: int | None = None
    blind_review: bool = False  # the owner reviews its applicants without names

    @property
    def seats_left(self) -> int:
        return max(0, self.seats - self.seats_taken)

    @property
    def required(self) -> tuple[OppSkill, ...]:
        return tuple(s for s in self.skills if s.role == "required")

    @property
    def grows(self) -> tuple[OppSkill, ...]:
        return tuple(s for s in self.skills if s.role == "grows")


@dataclass
class OpportunityDraft:
    """What a poster fills in. Skills are (name or alias, level, role) triples."""

    kind: str = "gig"
    title: str = ""
    description: str = ""
    department: str | None = None
    hours_per_week: int | str = 4
    start: dt.date | str | None = None
    end: dt.date | str | None = None
    seats: int | str = 1
    location: str = ""
    remote: bool = True
    skills: list[tuple[str, int, str]] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    certification: str = ""
    host: str | None = None
    topics: str = ""
    key_role_id: int | None = None


@dataclass(frozen=True)
class Application:
    id: int
    opportunity_id: int
    opportunity_title: str
    opportunity_kind: str
    owner_username: str
    applicant_username: str
    applicant_name: str
    status: str
    note: str
    hours_per_week: int
    applied_at: dt.datetime
    updated_at: dt.datetime
    offered_at: dt.datetime | None
    offer_due: dt.datetime | None
    accepted_at: dt.datetime | None
    release_due: dt.datetime | None
    released_by: str | None
    released_at: dt.datetime | None
    release_automatic: bool
    release_reason: str
    decline_reason: str
    rating: int | None
    feedback: str
    completed_at: dt.datetime | None


@dataclass(frozen=True)
class ApplyResult:
    application_id: int
    warning: str | None


@dataclass(frozen=True)
class Notification:
    """`read` is true once the recipient has read it, or once what it asks of them
    has happened (`done`: the release decided, the question answered, the invitation
    taken up or ended), whoever made it happen and wherever."""

    id: int
    text: str
    link: str
    read: bool
    created_at: dt.datetime
    done: bool = False


@dataclass(frozen=True)
class SavedSearch:
    """A search or a set of filters someone keeps; new postings matching it reach
    their inbox. None (or False) in a filter means 'any'."""

    id: int
    name: str
    query: str
    kind: str | None
    department: str | None
    max_hours: int | None
    remote_only: bool
    created_at: dt.datetime


@dataclass(frozen=True)
class AuditEntry:
    id: int
    actor: str | None
    identified_by: str  # os-login, as, ssh; system (no actor); unrecorded (older rows)
    action: str
    object_type: str
    object_id: int | None
    detail: dict
    at: dt.datetime

    @property
    def object(self) -> str:
        """'key_role:3', or the type alone when the event names no one row."""
        return self.object_type if self.object_id is None else f"{self.object_type}:{self.object_id}"


@dataclass(frozen=True)
class AuditFilter:
    """Which audit events to list; None means any. `since` and `until` are days
    (both included) or moments, in UTC as every timestamp is stored; the market also
    takes them as text (YYYY-MM-DD or an ISO moment) and says which one it cannot read."""

    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    since: dt.date | dt.datetime | str | None = None
    until: dt.date | dt.datetime | str | None = None

    def is_empty(self) -> bool:
        return all(value in (None, "") for value in vars(self).values())


@dataclass(frozen=True)
class AuditPage:
    """One page of the audit log, newest first; `next_before_id` asks for the next
    (older) one, None when there is none."""

    events: tuple[AuditEntry, ...]
    next_before_id: int | None


@dataclass(frozen=True)
class SettingValue:
    """One setting of the whole marketplace, as admins set it."""

    key: str
    label: str
    words: str  # what it does, in a sentence or two
    unit: str
    low: int
    high: int
    default: int
    value: int

    @property
    def changed(self) -> bool:
        """Whether it differs from the default."""
        return self.value != self.default


@dataclass(frozen=True)
class AdminOverview:
    """The figures beside each part of the admin console."""

    active_people: int
    inactive_people: int
    admins: int
    departments: int
    skills: int
    key_roles: int
    audit_events: int


@dataclass(frozen=True)
class CoreWorkQuestion:
    id: int
    application_id: int
    opportunity_title: str
    participant_username: str
    role: str  # participant | manager
    answer: str | None
    comment: str


@dataclass(frozen=True)
class KeyRole:
    id: int
    title: str
    holder_username: str | None
    department: str | None
    risk: str
    skills: tuple[tuple[str, int], ...]  # (skill, level needed), by name
    holder_name: str | None = None


@dataclass(frozen=True)
class Page:
    """One page of a keyset-paginated list; pass `next_after` to get the next."""

    items: tuple
    next_after: int | None


@dataclass(frozen=True)
class SearchResult:
    """An opportunity found by a query, with its relevance and what matched."""

    opportunity: Opportunity
    score: float
    why: str


@dataclass(frozen=True)
class Recommendation:
    """An opportunity for one person, with its match (an `oppmarket.matching.Match`)."""

    opportunity: Opportunity
    match: object


@dataclass(frozen=True)
class ReviewEntry:
    """One applicant as the owner reviews them: the application, their profile, their
    match, and their track record (completed engagements and mean rating)."""

    application: Application
    profile: Profile
    match: object
    completed: int
    mean_rating: float | None


@dataclass(frozen=True)
class Candidate:
    """Someone open to invitations, as the owner of a posting weighs inviting them:
    their profile, their match (an `oppmarket.matching.Match`), their track record,
    and when they were invited to it (None: not yet)."""

    profile: Profile
    match: object
    completed: int
    mean_rating: float | None
    invited_at: dt.datetime | None


@dataclass(frozen=True)
class Invitation:
    """An owner's invitation to someone to apply to a posting."""

    id: int
    opportunity_id: int
    opportunity_title: str
    invitee_username: str
    invitee_name: str
    created_at: dt.datetime


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an import file: on a line of it, or (line None) the
    whole file."""

    line: int | None
    message: str

    @property
    def where(self) -> str:
        return "file" if self.line is None else f"line {self.line}"

    @staticmethod
    def all_of(problems: dict[str, str]) -> tuple[ImportProblem, ...]:
        """The problems of an `ImportErrors`-shaped dict ("line N" or "file" -> what
        is wrong), whole-file ones first, then by line."""
        found = []
        for where, message in problems.items():
            number = where.removeprefix("line ")
            found.append(ImportProblem(int(number) if number.isdigit() else None, message))
        return tuple(sorted(found, key=lambda p: -1 if p.line is None else p.line))


@dataclass(frozen=True)
class ImportCheck:
    """What importing some rows would do, found without writing: every problem, and
    how many rows add a record, change a stored one, or leave it as it is."""

    problems: tuple[ImportProblem, ...]
    new: int
    changed: int
    unchanged: int


@dataclass(frozen=True)
class ImportPreview:
    """An import file as the import will read it: its first rows (line number and
    the values taken, as text, under `columns`), how many rows read well, every
    problem by line, and the counts of `ImportCheck`. `digest` identifies the
    content previewed, so an import can refuse a file changed since."""

    kind: str
    path: str
    columns: tuple[str, ...]
    first_rows: tuple[tuple[int, tuple[str, ...]], ...]
    rows: int
    problems: tuple[ImportProblem, ...]
    new: int
    changed: int
    unchanged: int
    digest: str

    @property
    def ready(self) -> bool:
        """Whether the import would go ahead."""
        return not self.problems
