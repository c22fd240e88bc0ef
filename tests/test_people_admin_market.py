"""Admins' people: finding, adding, editing, managers without loops, hours and cap,
admin rights that never leave the marketplace without an admin, and deactivation
that leaves no open application and no ownerless open posting behind."""

from __future__ import annotations

import pytest

from oppmarket import policy
from oppmarket.db import models as M
from oppmarket.domain import OpportunityDraft
from oppmarket.errors import Conflict, PermissionDenied, ValidationError

# Who plays each role that is not an admin: eng2 an employee, owner a posting's
# owner (with a report of their own), mgr the line manager of eng1 and eng2.
NOT_ADMINS = ("eng2", "owner", "mgr")


def gig(title: str = "Build the release dashboard", **fields) -> OpportunityDraft:
    values = dict(title=title, hours_per_week=3, seats=2, skills=[("SQL", 2, "required")])
    values.update(fields)
    return OpportunityDraft(**values)


def rows(db, model):
    with db.connection_context():
        return list(model.select().order_by(model.id).dicts())


ADMIN_WRITES = {
    "add_person": lambda m: m.add_person("hire", "New Hire", manager="mgr"),
    "edit_person": lambda m: m.edit_person("eng1", title="Staff Engineer"),
    "set_manager": lambda m: m.set_manager("eng1", "owner"),
    "set_terms": lambda m: m.set_terms("eng1", weekly_hours=32, cap_pct=25),
    "make_admin": lambda m: m.set_admin("eng1", True),
    "revoke_admin": lambda m: m.set_admin("loner", False),
    "deactivate": lambda m: m.deactivate_person("loner"),
    "reactivate": lambda m: m.reactivate_person("gone"),
}


@pytest.mark.parametrize("name", ADMIN_WRITES)
def test_every_people_write_is_refused_to_non_admins(name, org, market_as, db_state, db):
    org.add_person("gone", "Gina Gone")
    org.deactivate_person("gone")
    org.set_admin("loner", True)
    for username in NOT_ADMINS:
        before = db_state()
        with pytest.raises(PermissionDenied) as refused:
            ADMIN_WRITES[name](market_as(username))
        assert "admin" in str(refused.value), f"{name} by {username}"
        assert db_state() == before, f"{name} by {username} changed the database"
    ADMIN_WRITES[name](org)  # and an admin may
    assert org.audit_log(limit=1)[0].actor == "admin"


def test_reading_the_people_list_is_for_admins(org, market_as):
    for username in NOT_ADMINS:
        with pytest.raises(PermissionDenied):
            market_as(username).people_entries()
        with pytest.raises(PermissionDenied):
            market_as(username).deactivation_plan("loner")


def test_the_last_admin_can_be_neither_revoked_nor_deactivated(org, market_as, db_state):
    before = db_state()
    with pytest.raises(Conflict, match="admin is the last active admin"):
        org.set_admin("admin", False)
    assert db_state() == before
    org.set_admin("mgr", True)
    mgr = market_as("mgr")
    # With two admins either may go; then the other is the last.
    assert mgr.deactivation_plan("admin").refusal is None
    mgr.deactivate_person("admin")
    assert mgr.deactivation_plan("mgr").refusal == "you cannot deactivate yourself; ask another admin"
    before = db_state()
    with pytest.raises(PermissionDenied, match="yourself"):
        mgr.deactivate_person("mgr", reports_to="owner")
    with pytest.raises(Conflict, match="mgr is the last active admin"):
        mgr.set_admin("mgr", False)
    assert db_state() == before
    # The only admin could be deactivated only by themself, which is refused; the
    # rule that keeps an admin holds whoever acts.
    assert policy.keeps_an_admin("mgr", 0) == "mgr is the last active admin; make someone else an admin first"
    assert policy.keeps_an_admin("mgr", 1) is None


def test_add_person_takes_the_default_cap_setting_and_refuses_bad_names(org, db, db_state):
    assert org.add_person("plain", "Pat Plain").cap_pct == 20
    with db.connection_context():
        M.Setting.create(key="default_cap_pct", value="15")
    hire = org.add_person("hire", "New Hire", department="Data", manager="mgr", weekly_hours=30)
    assert (hire.cap_pct, hire.weekly_hours, hire.department, hire.manager_username) == (15, 30, "Data", "mgr")
    assert org.add_person("capped", "Cap Ped", cap_pct=40).cap_pct == 40
    org.deactivate_person("loner")
    before = db_state()
    for field, kwargs in [("username", dict(username="-dash")), ("username", dict(username="a b")),
                          ("manager", dict(manager="loner")), ("manager", dict(manager="ghost")),
                          ("cap_pct", dict(cap_pct=101))]:
        with pytest.raises(ValidationError) as refused:
            org.add_person(**(dict(username="newbie", display_name="New Bie") | kwargs))
        assert field in refused.value.fields, kwargs
    assert db_state() == before
    with pytest.raises(Conflict, match="taken"):
        org.add_person("eng1", "Another Eli")


def test_edit_changes_only_what_is_given_and_audits_old_and_new(org):
    person = org.edit_person("eng1", title="Staff Engineer", department="Data")
    assert (person.title, person.department, person.display_name) == ("Staff Engineer", "Data", "Eli Engineer")
    entry = org.audit_log(limit=1)[0]
    assert entry.action == "edit_person"
    assert entry.detail == {"old": {"title": "Software Engineer", "department": "Platform"},
                            "new": {"title": "Staff Engineer", "department": "Data"}}
    with pytest.raises(ValidationError) as refused:
        org.edit_person("eng1", display_name="  ")
    assert "display_name" in refused.value.fields


def test_a_manager_never_closes_a_loop_and_is_active(org, market_as, db_state):
    org.set_manager("mgr", "owner")  # owner -> mgr -> eng1
    org.deactivate_person("loner")
    before = db_state()
    with pytest.raises(ValidationError) as refused:
        org.set_manager("owner", "eng1")
    assert refused.value.fields["manager"] == (
        "eng1 cannot manage owner: that would make a loop, owner → mgr → eng1 → owner")
    with pytest.raises(ValidationError, match="loop"):
        org.set_manager("eng1", "eng1")
    with pytest.raises(ValidationError, match="loner is inactive"):
        org.set_manager("eng1", "loner")
    assert db_state() == before
    assert org.set_manager("eng1", None).manager_username is None
    assert [n.text for n in market_as("eng1").notifications()][:1] == [
        "You have no line manager in the marketplace now"]
    assert org.set_manager("eng1", "owner").manager_username == "owner"
    assert "Eli Engineer now reports to you: their releases come to you" in [
        n.text for n in market_as("owner").notifications()]


def test_hours_and_cap_change_together_never_below_what_is_held(org, market_as, db_state):
    opp = market_as("owner").post(gig(hours_per_week=8), publish=True)
    app = market_as("eng1").apply(opp.id).application_id
    org.set_terms("eng1", cap_pct=20)  # 8 h of 40 h
    market_as("owner").offer(app)
    # 20 h at 40% is 8 h: as one change it passes, though 20 h at 20% alone would not.
    person = org.set_terms("eng1", weekly_hours=20, cap_pct=40)
    assert (person.weekly_hours, person.cap_pct) == (20, 40)
    before = db_state()
    with pytest.raises(ValidationError) as refused:
        org.set_terms("eng1", cap_pct=30)
    assert "already has 8 h/week committed" in refused.value.fields["cap_pct"]
    with pytest.raises(ValidationError):
        org.set_terms("eng1")
    assert db_state() == before
    texts = [n.text for n in market_as("eng1").notifications()]
    assert "Your marketplace time cap is now 40% (was 20%)" in texts


def test_people_are_found_by_a_few_letters_and_the_inactive_on_request(org):
    org.deactivate_person("loner")
    assert [e.person.username for e in org.people_entries("eli engneer")] == ["eng1"]
    assert [e.person.username for e in org.people_entries("erin")] == ["eng2"]
    assert [e.person.username for e in org.people_entries("product")] == ["owned", "owner"]
    assert org.people_entries("luca") == []
    [loner] = org.people_entries("luca", include_inactive=True)
    assert not loner.person.active
    everyone = org.people_entries()
    mgr = next(e for e in everyone if e.person.username == "mgr")
    eng1 = next(e for e in everyone if e.person.username == "eng1")
    assert (mgr.reports, eng1.manager_name) == (2, "Maya Manager")


# ---------------------------------------------------------------- deactivation


@pytest.fixture
def busy_owner(org, market_as):
    """owner (who manages owned) owns an open gig eng1 has applied to and a draft;
    owner has an offer on eng2's gig, and an engagement
    under way on mgr's gig."""
    owner, eng1, eng2, mgr = (market_as(u) for u in ("owner", "eng1", "eng2", "mgr"))
    open_gig = owner.post(gig("Owner's open gig"), publish=True)
    draft = owner.post(gig("Owner's draft"))
    eng1_app = eng1.apply(open_gig.id, "me").application_id
    theirs = eng2.post(gig("Erin's gig"), publish=True)
    waiting = owner.apply(theirs.id).application_id
    eng2.offer(waiting)
    engaged = mgr.post(gig("Maya's gig"), publish=True)
    active = owner.apply(engaged.id).application_id
    mgr.offer(active)
    owner.accept(active)  # owner has no manager: nobody needs to release
    return dict(open_gig=open_gig.id, draft=draft.id, eng1_app=eng1_app, waiting=waiting, active=active)


def test_the_plan_lists_what_deactivation_undoes(org, busy_owner):
    plan = org.deactivation_plan("owner")
    assert plan.refusal is None
    assert [(a.title, a.status) for a in plan.applications] == [("Erin's gig", "offered")]
    assert [(a.title, a.status) for a in plan.engagements] == [("Maya's gig", "active")]
    assert [(p.title, p.status, p.live_applications) for p in plan.postings] == [
        ("Owner's open gig", "open", 1), ("Owner's draft", "draft", 0)]
    assert plan.reports == (("owned", "Olga Analyst"),)
    assert set(plan.missing({}, "", ...)) == {"new_owners", "reports_to"}


def test_deactivation_refuses_a_missing_or_bad_decision_with_nothing_written(org, busy_owner, db_state, market_as):
    org.deactivate_person("loner")
    ids = busy_owner
    before = db_state()
    cases = [
        ("new_owners", dict(new_owners={ids["open_gig"]: "mgr"}, reports_to="mgr")),
        ("cancel_reason", dict(new_owners={ids["open_gig"]: "mgr", ids["draft"]: None}, reports_to="mgr")),
        ("reports_to", dict(new_owners={ids["open_gig"]: "mgr", ids["draft"]: "mgr"})),
        ("new_owners", dict(new_owners={ids["open_gig"]: "loner", ids["draft"]: "mgr"}, reports_to="mgr")),
        ("new_owners", dict(new_owners={ids["open_gig"]: "eng1", ids["draft"]: "mgr"}, reports_to="mgr")),
        ("reports_to", dict(new_owners={ids["open_gig"]: "mgr", ids["draft"]: "mgr"}, reports_to="loner")),
        ("reports_to", dict(new_owners={ids["open_gig"]: "mgr", ids["draft"]: "mgr"}, reports_to="owned")),
    ]
    for field, decisions in cases:
        with pytest.raises(ValidationError) as refused:
            org.deactivate_person("owner", **decisions)
        assert field in refused.value.fields, (field, decisions, refused.value.fields)
        assert db_state() == before
    assert market_as("owner").whoami().active


def test_deactivation_leaves_no_open_application_and_no_ownerless_open_posting(org, busy_owner, market_as, db):
    ids = busy_owner
    person = org.deactivate_person("owner", new_owners={ids["open_gig"]: "mgr", ids["draft"]: None},
                                   cancel_reason="Omar has left", reports_to="mgr")
    assert not person.active
    with db.connection_context():
        owner = M.Employee.get(M.Employee.username == "owner")
        waiting_statuses = ("applied", "shortlisted", "offered", "accepted")
        assert not M.Application.select().where(M.Application.applicant == owner.id,
                                                M.Application.status.in_(waiting_statuses)).exists()
        live = M.Opportunity.select().join(M.Employee, on=(M.Opportunity.owner == M.Employee.id)).where(M.Opportunity.status.in_(("draft", "open", "closed")))
        assert all(o.owner.active for o in live)
        assert {o.title: (o.owner.username, o.status) for o in M.Opportunity.select()} == {
            "Owner's open gig": ("mgr", "open"), "Owner's draft": ("owner", "cancelled"),
            "Erin's gig": ("eng2", "open"), "Maya's gig": ("mgr", "open")}
        # History stays: the engagement under way, and eng1's application now mgr's to review.
        assert M.Application.get_by_id(ids["active"]).status == "active"
        assert M.Application.get_by_id(ids["eng1_app"]).status == "applied"
        assert M.Application.get_by_id(ids["waiting"]).status == "withdrawn"
        assert M.Employee.get(M.Employee.username == "owned").manager.username == "mgr"
    assert "Omar Owner has left the marketplace: their application to 'Erin's gig' is withdrawn" in [
        n.text for n in market_as("eng2").notifications()]
    mgr_news = [n.text for n in market_as("mgr").notifications()]
    assert "You now own 'Owner's open gig' (it was Omar Owner's): its applicants are yours to review" in mgr_news
    assert any("while engaged in 'Maya's gig'" in text for text in mgr_news)
    assert "Olga Analyst now reports to you: their releases come to you" in mgr_news
    assert [e.action for e in org.audit_log(limit=1)] == ["deactivate"]
    with pytest.raises(PermissionDenied, match="inactive"):
        market_as("owner").whoami()
    plan = org.deactivation_plan("owner")
    assert plan.refusal == "owner is already inactive"


def test_an_inactive_person_is_no_host_no_manager_and_comes_back_without_admin(org, market_as, db_state):
    org.set_admin("loner", True)
    org.deactivate_person("loner")
    with pytest.raises(ValidationError) as refused:
        market_as("owner").post(gig(kind="shadowing", host="loner"))
    assert "loner is inactive" in refused.value.fields["host"]
    with pytest.raises(Conflict, match="reactivate them first"):
        org.set_admin("loner", True)
    back = org.reactivate_person("loner")
    assert back.active and not back.is_admin
    with pytest.raises(Conflict, match="already active"):
        org.reactivate_person("loner")
