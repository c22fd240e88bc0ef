"""Who may do what: every write against every role, and the reads that reveal who
applied to what. A refused write leaves every table exactly as it was."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from oppmarket.db import models as M
from oppmarket.domain import OpportunityDraft
from oppmarket.errors import Conflict, NotFound, PermissionDenied, ValidationError

# role -> who plays it. The posting belongs to `owner`; `eng1` applies to it and
# reports to `mgr`; `lead` manages someone else; `eng2` and `loner` are bystanders.
ROLES = {
    "employee": "eng2",
    "loner": "loner",
    "owner": "owner",
    "manager": "mgr",
    "other_manager": "lead",
    "admin": "admin",
    "applicant": "eng1",
}
EVERYONE = frozenset(ROLES)
STAGES = ("draft", "open", "applied", "shortlisted", "offered", "accepted", "active", "completed")


def draft(**fields) -> OpportunityDraft:
    values = dict(title="Build the release dashboard", hours_per_week=3, seats=2,
                  skills=[("SQL", 2, "required")])
    values.update(fields)
    return OpportunityDraft(**values)


class Scenario:
    """Brings a fresh posting (and eng1's application to it) to a stage of its life."""

    def __init__(self, market_as):
        self.market_as = market_as
        admin = market_as("admin")
        admin.add_person("lead", "Lena Lead", department="Sales")
        admin.add_person("intern", "Ivo Intern", department="Sales", manager="lead")
        self.built = 0

    def build(self, stage: str) -> SimpleNamespace:
        self.built += 1
        owner, eng = self.market_as("owner"), self.market_as("eng1")
        opp = owner.post(draft(title=f"Build the release dashboard #{self.built}"), publish=stage != "draft")
        ctx = SimpleNamespace(opp=opp.id, app=None, questions={}, n=self.built)
        if STAGES.index(stage) < STAGES.index("applied"):
            return ctx
        ctx.app = eng.apply(opp.id, "I can help").application_id
        steps = [
            ("shortlisted", lambda: owner.shortlist(ctx.app)),
            ("offered", lambda: owner.offer(ctx.app)),
            ("accepted", lambda: eng.accept(ctx.app)),
            ("active", lambda: self.market_as("mgr").release(ctx.app)),
            ("completed", lambda: owner.complete(ctx.app, 4, "steady")),
        ]
        for reached, step in steps:
            if STAGES.index(stage) < STAGES.index(reached):
                break
            step()
        if stage == "completed":
            ctx.questions = {q.role: q.id for q in eng.core_work_questions()}
            ctx.questions["manager"] = self.market_as("mgr").core_work_questions()[0].id
        return ctx


@dataclass(frozen=True)
class Write:
    name: str
    stage: str
    call: Callable
    allowed: frozenset
    reason: str  # words the refusal must contain: who may


WRITES = [
    Write("edit", "open", lambda m, c: m.edit(c.opp, draft(title="Renamed")), frozenset({"owner"}), "owner"),
    Write("publish", "draft", lambda m, c: m.publish(c.opp), frozenset({"owner"}), "owner"),
    Write("close", "open", lambda m, c: m.close(c.opp), frozenset({"owner"}), "owner"),
    Write("cancel", "applied", lambda m, c: m.cancel(c.opp, "no budget"), frozenset({"owner", "admin"}),
          "owner"),
    Write("complete_posting", "open", lambda m, c: m.complete_posting(c.opp), frozenset({"owner"}), "owner"),
    Write("apply", "open", lambda m, c: m.apply(c.opp, "me too"), EVERYONE - {"owner"}, "own posting"),
    Write("shortlist", "applied", lambda m, c: m.shortlist(c.app), frozenset({"owner"}), "owner"),
    Write("offer", "shortlisted", lambda m, c: m.offer(c.app), frozenset({"owner"}), "owner"),
    Write("decline", "shortlisted", lambda m, c: m.decline(c.app, "filled"), frozenset({"owner"}), "owner"),
    Write("undo", "shortlisted", lambda m, c: m.undo(c.app), frozenset({"owner"}), "owner"),
    Write("close_and_decline_rest", "applied", lambda m, c: m.close_and_decline_rest(c.opp, "filled"),
          frozenset({"owner"}), "owner"),
    Write("withdraw", "offered", lambda m, c: m.withdraw(c.app), frozenset({"applicant"}), "applicant"),
    Write("accept", "offered", lambda m, c: m.accept(c.app), frozenset({"applicant"}), "applicant"),
    Write("decline_offer", "offered", lambda m, c: m.decline_offer(c.app, "timing"), frozenset({"applicant"}),
          "applicant"),
    Write("release", "accepted", lambda m, c: m.release(c.app), frozenset({"manager"}), "line manager"),
    Write("decline_release", "accepted", lambda m, c: m.decline_release(c.app, "audit season"),
          frozenset({"manager"}), "line manager"),
    Write("complete", "active", lambda m, c: m.complete(c.app, 5, "great", {"SQL": 2}), frozenset({"owner"}),
          "owner"),
    Write("answer_core_work_participant", "completed",
          lambda m, c: m.answer_core_work(c.questions["participant"], "better"), frozenset({"applicant"}),
          "only the person"),
    Write("answer_core_work_manager", "completed",
          lambda m, c: m.answer_core_work(c.questions["manager"], "same"), frozenset({"manager"}),
          "only the person"),
    Write("set_cap", "open", lambda m, c: m.set_cap("eng1", 40), frozenset({"manager", "admin"}),
          "line manager or an admin"),
    Write("set_weekly_hours", "open", lambda m, c: m.set_weekly_hours("eng1", 30 + c.n % 10),
          frozenset({"manager", "admin"}), "line manager or an admin"),
    # One's own contracted hours set one's time cap: only an admin may change their own.
    Write("update_profile_hours", "open", lambda m, c: m.update_profile(weekly_hours=c.n + 20),
          frozenset({"admin"}), "line manager or an admin"),
    Write("add_person", "open", lambda m, c: m.add_person(f"hire{c.n}", "New Hire", manager="mgr"),
          frozenset({"admin"}), "admin"),
    Write("set_release_auto_days", "open", lambda m, c: m.set_release_auto_days(7), frozenset({"admin"}),
          "admin"),
    # Writes on one's own profile or postings: every role may.
    Write("post", "open", lambda m, c: m.post(draft(title="My own idea")), EVERYONE, ""),
    Write("update_profile", "open", lambda m, c: m.update_profile(title=f"Title {c.n}"), EVERYONE, ""),
    Write("set_skill", "open", lambda m, c: m.set_skill("Docker", 1 + c.n % 5), EVERYONE, ""),
    Write("set_interests", "open", lambda m, c: m.set_interests(["k8s"] if c.n % 2 else ["SQL"]), EVERYONE, ""),
    Write("add_skill", "open", lambda m, c: m.add_skill(f"Skill {c.n}"), EVERYONE, ""),
]


def last_audit_id(db) -> int:
    with db.connection_context():
        return M.AuditEvent.select(M.AuditEvent.id).order_by(M.AuditEvent.id.desc()).scalar() or 0


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
def test_write_by_every_role(write, org, market_as, db_state, db):
    scenario = Scenario(market_as)
    ctx = scenario.build(write.stage)

    for role, username in ROLES.items():
        if role in write.allowed:
            continue
        before = db_state()
        with pytest.raises(PermissionDenied) as refused:
            write.call(market_as(username), ctx)
        assert write.reason in str(refused.value), f"{write.name} by {role}: {refused.value}"
        assert db_state() == before, f"{write.name} by {role} changed the database"

    # Each allowed role acts on a fresh posting at the same stage.
    for turn, role in enumerate(sorted(write.allowed)):
        if turn:
            ctx = scenario.build(write.stage)
        before = last_audit_id(db)
        write.call(market_as(ROLES[role]), ctx)
        events = [e for e in market_as("admin").audit_log(limit=50) if e.id > before]
        assert events and {e.actor for e in events} == {ROLES[role]}, f"{write.name} by {role}"


def test_complete_posting_refuses_others_before_looking_at_engagements(org, market_as, db_state):
    ctx = Scenario(market_as).build("offered")
    before = db_state()
    with pytest.raises(PermissionDenied):
        market_as("eng2").complete_posting(ctx.opp)
    with pytest.raises(Conflict):
        market_as("owner").complete_posting(ctx.opp)
    assert db_state() == before


def test_nobody_acting_may_write(org, market_as, db_state):
    system = market_as(None)
    opp = market_as("owner").post(draft(), publish=True)
    before = db_state()
    for write in (lambda: system.post(draft()), lambda: system.apply(opp.id), lambda: system.cancel(opp.id),
                  lambda: system.set_cap("eng1", 30), lambda: system.set_weekly_hours("eng1", 30)):
        with pytest.raises(PermissionDenied):
            write()
    assert db_state() == before


def test_unknown_user_has_no_profile_to_act_with(org, market_as, db_state):
    before = db_state()
    with pytest.raises(NotFound) as info:
        market_as("stranger").post(draft())
    assert "ask an admin" in str(info.value)
    assert db_state() == before


def test_inactive_person_may_not_write(org, market_as, db, db_state):
    opp = market_as("owner").post(draft(), publish=True)
    with db.connection_context():
        M.Employee.update(active=False).where(M.Employee.username == "eng2").execute()
    before = db_state()
    eng2 = market_as("eng2")
    for write in (lambda: eng2.apply(opp.id), lambda: eng2.post(draft()), lambda: eng2.set_skill("SQL", 2)):
        with pytest.raises(PermissionDenied) as info:
            write()
        assert "inactive" in str(info.value)
    assert db_state() == before


def test_someone_elses_notification_cannot_be_marked_read(org, market_as, db_state):
    opp = market_as("owner").post(draft(), publish=True)
    market_as("eng1").apply(opp.id)
    [note] = market_as("owner").notifications()
    before = db_state()
    assert market_as("eng1").mark_read(note.id) == 0
    assert market_as("admin").mark_read(note.id) == 0
    assert db_state() == before


# ---------------------------------------------------------------- reads


@pytest.fixture
def applied(org, market_as):
    scenario = Scenario(market_as)
    return scenario.build("applied")


def readers_see(market_as, allowed, read, answer, why, attempt=None) -> None:
    """The roles in `allowed` get `answer` from `read(market)`; every other role is
    refused (by `attempt`, when it differs from `read`) with a reason naming `why`."""
    for role, username in ROLES.items():
        reader = market_as(username)
        if role in allowed:
            assert read(reader) == answer, role
        else:
            with pytest.raises(PermissionDenied) as info:
                (attempt or read)(reader)
            assert why in str(info.value), role


def test_who_sees_the_applicants_of_a_posting(applied, market_as):
    readers_see(market_as, ("owner", "admin"),
                lambda m: [a.applicant_username for a in m.applicants(applied.opp)], ["eng1"], "owner")


def test_who_sees_one_application(applied, market_as):
    # The line manager hears of it only once an offer is accepted: nobody is punished for looking.
    readers_see(market_as, ("applicant", "owner", "admin"),
                lambda m: m.application(applied.app).applicant_username, "eng1", "applicant")


@pytest.mark.parametrize("stage", ["shortlisted", "offered", "accepted", "active", "completed"])
def test_who_sees_one_application_as_it_goes(stage, org, market_as):
    ctx = Scenario(market_as).build(stage)
    accepted = STAGES.index(stage) >= STAGES.index("accepted")
    readers_see(market_as, ("applicant", "owner", "admin") + (("manager",) if accepted else ()),
                lambda m: m.application(ctx.app).applicant_username, "eng1", "applicant")


def test_who_scores_a_draft(org, market_as):
    ctx = Scenario(market_as).build("draft")
    for role, username in ROLES.items():
        scored = market_as(username).matches([ctx.opp])
        assert set(scored) == ({ctx.opp} if role == "owner" else set()), role


def test_owner_endorses_only_the_postings_skills_within_reach(org, market_as, db_state):
    # The posting asks for SQL at 2 and eng1 claims none: 2 is as far as it reaches.
    ctx = Scenario(market_as).build("active")
    owner = market_as("owner")
    for endorsements in ({"SQL": 3}, {"Docker": 1}):
        before = db_state()
        with pytest.raises(ValidationError) as refused:
            owner.complete(ctx.app, 5, "great", endorsements)
        assert list(refused.value.fields) == ["endorsements"], endorsements
        assert db_state() == before, endorsements


def test_only_admins_read_the_audit_log(applied, market_as):
    readers_see(market_as, ("admin",), lambda m: m.audit_log(limit=1)[0].action, "apply", "admin",
                attempt=lambda m: m.audit_log())


def test_pending_releases_show_only_ones_own_reports(org, market_as):
    scenario = Scenario(market_as)
    assert market_as("mgr").pending_releases() == []  # nothing yet
    ctx = scenario.build("accepted")
    assert [a.id for a in market_as("mgr").pending_releases()] == [ctx.app]
    for who in ("lead", "owner", "admin", "eng1"):
        assert market_as(who).pending_releases() == []


def test_core_work_questions_are_private_to_who_was_asked(org, market_as):
    ctx = Scenario(market_as).build("completed")
    assert [q.id for q in market_as("eng1").core_work_questions()] == [ctx.questions["participant"]]
    assert [q.id for q in market_as("mgr").core_work_questions()] == [ctx.questions["manager"]]
    for who in ("owner", "admin", "lead", "eng2"):
        assert market_as(who).core_work_questions() == []
