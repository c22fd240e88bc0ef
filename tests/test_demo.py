"""The demo organisation: deterministic, realistic, within the marketplace's rules,
with personas whose stories hold, on every backend."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from peewee import fn

from oppmarket import demo
from oppmarket import domain as d
from oppmarket.db import models as M
from oppmarket.db.connection import open_database
from oppmarket.errors import Conflict, ValidationError
from oppmarket.lifecycle import OppStatus
from oppmarket.market import Market

NOW = dt.datetime(2026, 3, 2, 9, 0)
SAMPLE_TABLES = (M.Department, M.Employee, M.Skill, M.SkillAlias, M.EmployeeSkill, M.Opportunity,
                 M.OpportunitySkill, M.Application, M.CoreWorkAnswer, M.Notification)


def market(db, actor: str | None) -> Market:
    return Market(db, actor, clock=lambda: NOW)


def load(db, **sizes) -> demo.DemoSummary:
    return market(db, None).load_demo(**sizes)


def table_rows(database, model) -> list[tuple]:
    with database.bind_ctx(M.MODELS, bind_refs=False, bind_backrefs=False), database.connection_context():
        return list(model.select().order_by(model._meta.primary_key).tuples())


def check_invariants(db) -> None:
    """Seats, time caps, no self-applications, one application per person and
    posting, and the timeline fields each status implies."""
    seats = dict(M.Opportunity.select(M.Opportunity.id, M.Opportunity.seats).tuples())
    owners = dict(M.Opportunity.select(M.Opportunity.id, M.Opportunity.owner).tuples())
    statuses = dict(M.Opportunity.select(M.Opportunity.id, M.Opportunity.status).tuples())
    caps = {e.id: e.weekly_hours * e.cap_pct / 100 for e in M.Employee.select()}
    managers = dict(M.Employee.select(M.Employee.id, M.Employee.manager).tuples())
    holding, hours, pairs = Counter(), Counter(), Counter()
    for a in M.Application.select():
        pairs[(a.opportunity_id, a.applicant_id)] += 1
        assert a.applicant_id != owners[a.opportunity_id], f"application {a.id} is to the applicant's own posting"
        assert statuses[a.opportunity_id] != "draft"
        assert a.applied_at <= a.updated_at <= NOW
        if a.status in d.HOLDING_STATUSES:
            holding[a.opportunity_id] += 1
            hours[a.applicant_id] += a.hours_per_week
        if a.offered_at is not None:
            assert a.offer_due == a.offered_at + dt.timedelta(days=7)
        if a.status == "offered":
            # Waiting for the candidate: not yet lapsed, and the manager not yet asked.
            assert a.offer_due > NOW and a.accepted_at is None and a.release_due is None
        if a.status == "accepted":
            assert managers[a.applicant_id] is not None
            assert a.offered_at <= a.accepted_at and a.release_due == a.accepted_at + dt.timedelta(days=5)
        if a.status in ("offer_declined", "offer_lapsed"):
            assert a.offered_at is not None and a.accepted_at is None and a.updated_at <= a.offer_due
        if a.status == "release_declined":
            assert a.release_reason and a.released_by_id == managers[a.applicant_id]
        if a.status == "completed":
            assert 1 <= a.rating <= 5 and a.feedback and a.completed_at <= NOW
        if a.status in ("active", "completed"):
            assert a.offered_at <= a.accepted_at <= a.released_at and (a.released_by_id or a.release_automatic)
        if a.status == "cancelled":
            assert statuses[a.opportunity_id] == "cancelled"
    assert max(pairs.values()) == 1
    for opp, taken in holding.items():
        assert taken <= seats[opp], f"opportunity {opp}: {taken} holding for {seats[opp]} seats"
    for person, committed in hours.items():
        assert committed <= caps[person] + 1e-9, f"employee {person}: {committed} h over a {caps[person]} h cap"


# ---------------------------------------------------------------------- generation


def test_generation_is_deterministic_and_seeded():
    first = demo.generate(now=NOW)
    second = demo.generate(now=NOW)
    assert first == second
    other = demo.generate(now=NOW, seed=8)
    assert other.rows("employee") != first.rows("employee")
    assert first.summary.employees == 250 and first.summary.opportunities == 300


def test_open_postings_seldom_share_a_title():
    for seed in (7, 8):
        opps = demo.generate(now=NOW, seed=seed).rows("opportunity")
        titles = Counter(o["title"] for o in opps if o["status"] == OppStatus.OPEN)
        repeated = sum(n - 1 for n in titles.values())
        assert repeated <= len(titles) // 50, titles.most_common(5)


def test_every_catalogue_name_is_a_real_skill_and_aliases_do_not_clash():
    org = demo.generate(now=NOW)
    names = [s["name"].lower() for s in org.rows("skill")]
    aliases = [a["alias"].lower() for a in org.rows("skill_alias")]
    assert len(set(names)) == len(names)
    assert len(set(aliases)) == len(aliases)
    assert not set(aliases) & set(names)
    by_alias = {a["alias"]: org.rows("skill")[a["skill"] - 1]["name"] for a in org.rows("skill_alias")}
    for alias, name in {"k8s": "Kubernetes", "JS": "JavaScript", "TS": "TypeScript", "ML": "Machine Learning",
                        "postgres": "PostgreSQL", "psql": "PostgreSQL", "py": "Python", "golang": "Go",
                        "GCP": "Google Cloud Platform", "AWS": "Amazon Web Services",
                        "CI/CD": "Continuous Integration & Delivery"}.items():
        assert by_alias[alias] == name


def test_sizes_are_validated():
    with pytest.raises(ValidationError) as err:
        demo.generate(employees=5, opportunities=10, now=NOW)
    assert set(err.value.fields) == {"employees", "opportunities"}


# ---------------------------------------------------------------------- loading


def test_two_loads_into_two_databases_give_identical_rows(db, tmp_path):
    load(db)
    other = open_database(f"sqlite:///{tmp_path / 'second.db'}")
    db.bind(M.MODELS, bind_refs=False, bind_backrefs=False)  # opening rebinds the models
    demo.load_demo(other, now=NOW)
    for model in SAMPLE_TABLES:
        assert table_rows(db, model) == table_rows(other, model), model.__name__
    other.close()


def test_default_demo_has_the_promised_shape(db):
    summary = load(db)
    assert (summary.departments, summary.employees, summary.opportunities) == (14, 250, 300)
    assert 400 <= summary.skills <= 520 and 500 <= summary.applications <= 1200
    with db.connection_context():
        assert M.Department.select().where(M.Department.parent.is_null(False)).count() >= 4
        assert M.Employee.select().where(M.Employee.manager.is_null()).count() == 1  # the CEO
        assert M.Employee.select(fn.COUNT(fn.DISTINCT(M.Employee.username))).scalar() == 250
        assert set(M.Opportunity.select(M.Opportunity.kind).distinct().tuples()) == {(k,) for k in d.KINDS}
        opp_status = Counter(s for (s,) in M.Opportunity.select(M.Opportunity.status).tuples())
        assert set(opp_status) == set(d.OPP_STATUSES)
        assert opp_status.most_common(1)[0][0] == "open"
        app_status = set(M.Application.select(M.Application.status).distinct().tuples())
        assert app_status == {(s,) for s in d.APP_STATUSES}
        titles = [t for (t,) in M.Opportunity.select(M.Opportunity.title).tuples()]
        assert len(set(titles)) > 120 and not any(t.lower().startswith("opportunity") for t in titles)
        assert M.Opportunity.select().where((M.Opportunity.hours_per_week < 1) | (M.Opportunity.hours_per_week > 10)
                                            | (M.Opportunity.seats < 1) | (M.Opportunity.seats > 4)).count() == 0
        for opp in M.Opportunity.select().where(M.Opportunity.kind == "learning"):
            steps = [s.position for s in opp.steps.order_by(M.LearningStep.position)]
            assert steps == list(range(1, len(steps) + 1)) and len(steps) >= 3 and opp.certification
        assert M.Opportunity.select().where(M.Opportunity.kind == "shadowing", M.Opportunity.host.is_null()).count() == 0
        assert M.Opportunity.select().where(M.Opportunity.kind == "mentorship", M.Opportunity.topics == "").count() == 0
        unskilled = M.Opportunity.select().where(~fn.EXISTS(
            M.OpportunitySkill.select().where(M.OpportunitySkill.opportunity == M.Opportunity.id)))
        assert unskilled.count() == 0
        # Profiles: sources mixed, some claims stale, part-timers and other caps exist.
        sources = Counter(s for (s,) in M.EmployeeSkill.select(M.EmployeeSkill.source).tuples())
        assert sources["self"] > sources["endorsed"] > 0 and sources["certified"] > 0
        stale = M.EmployeeSkill.select().where(M.EmployeeSkill.confirmed_at < NOW - d.STALE_AFTER).count()
        assert 0 < stale < M.EmployeeSkill.select().count() / 2
        assert {h for (h,) in M.Employee.select(M.Employee.weekly_hours).tuples()} > {40}
        assert {c for (c,) in M.Employee.select(M.Employee.cap_pct).tuples()} == {10, 20, 30}
        assert M.Interest.select().count() > 250
        # Completed engagements leave feedback, endorsements and core-work answers.
        completed = M.Application.select().where(M.Application.status == "completed")
        assert M.Endorsement.select().count() >= completed.count() > 0
        answers = Counter(a for (a,) in M.CoreWorkAnswer.select(M.CoreWorkAnswer.answer).tuples())
        assert set(answers) == {"better", "same", "worse", None}
        assert M.CoreWorkAnswer.select(fn.COUNT(fn.DISTINCT(M.CoreWorkAnswer.application))).scalar() == completed.count()
        assert M.KeyRole.select().count() >= 3
        assert all(r.skills.count() >= 2 for r in M.KeyRole.select())
        assert M.Opportunity.select().where(M.Opportunity.key_role.is_null(False)).count() >= 3
        audit = list(M.AuditEvent.select())
        assert [e.action for e in audit] == ["load_demo"]
        admins = list(M.Employee.select().where(M.Employee.is_admin == True))  # noqa: E712
        assert admins and all(a.title.startswith(("IT ", "People ")) for a in admins)


def test_aliases_in_the_database_are_unique_and_never_a_skill_name(db):
    load(db)
    with db.connection_context():
        aliases = [a.lower() for (a,) in M.SkillAlias.select(M.SkillAlias.alias).tuples()]
        names = {n.lower() for (n,) in M.Skill.select(M.Skill.name).tuples()}
    assert len(aliases) == len(set(aliases)) >= 100
    assert not names & set(aliases)
    assert market(db, None).resolve_skill("k8s").name == "Kubernetes"


def test_seat_and_cap_invariants_hold(db):
    load(db)
    with db.connection_context():
        check_invariants(db)
        accepted = list(M.Application.select().where(M.Application.status == "accepted"))
        offered = M.Application.select().where(M.Application.status == "offered").count()
    overdue = [a for a in accepted if a.release_due < NOW]
    assert overdue and len(overdue) < len(accepted) and offered


def test_personas_really_qualify(db):
    s = load(db)
    assert len({s.engineer, s.owner, s.line_manager, s.admin}) == 4

    manager = market(db, s.line_manager)
    pending = manager.pending_releases()
    assert pending and any(a.release_due > NOW for a in pending)
    assert manager.whoami().has_reports

    owner = market(db, s.owner)
    assert owner.whoami().has_reports
    waiting = {p.id: [a for a in owner.applicants(p.id) if a.status in ("applied", "shortlisted")]
               for p in owner.my_postings() if p.status == "open"}
    assert max(len(apps) for apps in waiting.values()) >= 3

    engineer = market(db, s.engineer)
    me = engineer.whoami()
    assert "Engineer" in me.title and not me.has_reports and not me.is_admin
    assert me.manager_username == s.line_manager
    mine = engineer.my_applications()
    assert {"applied", "shortlisted", "offered", "accepted", "active", "completed"} <= {a.status for a in mine}
    # The offer waiting for the engineer's answer is news in their inbox, with its deadline.
    waiting = next(a for a in mine if a.status == "offered")
    assert any(n.link == f"offer:{waiting.id}" and not n.done for n in engineer.notifications())
    profile = engineer.profile()
    levels = {c.skill: c.level for c in profile.skills}
    assert profile.interests and profile.committed_hours <= me.cap_hours
    applied_to = {a.opportunity_id for a in mine}
    strong = [o for o in market(db, s.engineer).opportunities(limit=500).items
              if o.owner_username != s.engineer and o.id not in applied_to and o.required
              and all(levels.get(r.skill, 0) >= r.level for r in o.required)]
    assert len(strong) >= 3

    admin = market(db, s.admin)
    assert admin.whoami().is_admin
    assert admin.audit_log()[0].action == "load_demo"

    for username in (s.engineer, s.owner, s.line_manager, s.admin):
        assert market(db, username).notifications(), username
    for username in (s.engineer, s.line_manager, s.admin):
        assert market(db, username).unread_count() > 0, username


def test_the_market_carries_on_after_a_load(db):
    """Later ordinary writes get fresh ids (the id sequences were moved past the
    loaded rows on PostgreSQL), and the personas' pending work can be done."""
    s = load(db)
    with db.connection_context():
        top_opp = M.Opportunity.select(fn.MAX(M.Opportunity.id)).scalar()
        top_note = M.Notification.select(fn.MAX(M.Notification.id)).scalar()
    engineer = market(db, s.engineer)
    posted = engineer.post(d.OpportunityDraft(title="Pair on the deploy tooling", hours_per_week=2,
                                              skills=[("k8s", 2, "required")]), publish=True)
    assert posted.id == top_opp + 1
    result = market(db, s.admin).apply(posted.id, "happy to help")
    assert result.application_id > 0
    assert market(db, s.engineer).notifications()[0].id > top_note

    offer = market(db, s.line_manager).pending_releases()[0]
    assert market(db, s.line_manager).release(offer.id).status == "active"
    waiting = next(a for a in engineer.my_applications() if a.status == "offered")
    assert engineer.accept(waiting.id).status == "accepted"
    assert waiting.id in {a.id for a in market(db, s.line_manager).pending_releases()}
    assert market(db, None).run_maintenance() >= 1  # the overdue offers are released automatically
    with db.connection_context():
        check_invariants(db)


def test_scaled_load_has_the_same_shape(db):
    s = load(db, employees=400, opportunities=1500)
    assert (s.employees, s.opportunities) == (400, 1500)
    assert s.skills == 600  # the base taxonomy grown with specialisms
    with db.connection_context():
        check_invariants(db)
        assert set(M.Application.select(M.Application.status).distinct().tuples()) == {(x,) for x in d.APP_STATUSES}
        assert set(M.Opportunity.select(M.Opportunity.status).distinct().tuples()) == {(x,) for x in d.OPP_STATUSES}
        depth = defaultdict(int)
        for e in M.Employee.select().order_by(M.Employee.id):
            depth[e.id] = depth[e.manager_id] + 1 if e.manager_id else 1
        assert max(depth.values()) >= 4  # CEO, VP, director or manager, contributor
    assert market(db, s.line_manager).pending_releases()


def test_market_load_demo_refuses_a_database_with_data(db):
    market(db, "ada").register_self("Ada Admin")
    with pytest.raises(Conflict):
        load(db)
    with pytest.raises(Conflict):  # the bulk writer checks again inside its transaction
        demo.load_demo(db, now=NOW)
    with db.connection_context():
        assert M.Employee.select().count() == 1 and M.Skill.select().count() == 0


def test_progress_reports_every_stage_to_completion(db):
    seen: dict[str, tuple[int, int]] = {}
    order: list[str] = []

    def progress(stage: str, done: int, total: int) -> None:
        assert 0 <= done <= total
        if stage not in seen:
            order.append(stage)
        seen[stage] = (done, total)

    market(db, None).load_demo(progress=progress)
    assert order[0] == "planning" and order[-1] == "saving"
    assert {"people", "skills", "opportunities", "applications", "notifications"} <= set(order)
    assert all(done == total for done, total in seen.values())
    assert seen["people"] == (250, 250)


def test_demo_people_were_shown_postings_before_applying_and_besides(db):
    load(db)
    with db.connection_context():
        shown = {(e, o): (at, times) for e, o, at, times in M.Exposure.select(
            M.Exposure.employee, M.Exposure.opportunity, M.Exposure.first_shown, M.Exposure.times).tuples()}
        for applicant, opp, applied_at in M.Application.select(
                M.Application.applicant, M.Application.opportunity, M.Application.applied_at).tuples():
            assert shown[(applicant, opp)][0] <= applied_at  # seen before applying
        created = dict(M.Opportunity.select(M.Opportunity.id, M.Opportunity.created_at).tuples())
        drafts = {i for (i,) in M.Opportunity.select(M.Opportunity.id).where(M.Opportunity.status == OppStatus.DRAFT).tuples()}
        assert all(created[o] <= at <= NOW and times >= 1 and o not in drafts
                   for (_, o), (at, times) in shown.items())
        applied = M.Application.select().count()
        assert len(shown) > 2 * applied  # most of what people are shown they pass over
        # Some departments look at the marketplace far more than others.
        dept_of = dict(M.Employee.select(M.Employee.id, M.Employee.department).tuples())
        people = Counter(dept_of.values())
        per_dept = Counter(dept_of[employee] for employee, _ in shown)
        rates = [per_dept[d] / people[d] for d in people if people[d] >= 10]
        assert max(rates) > 1.5 * min(rates)
