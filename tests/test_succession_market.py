"""Key roles through the Market: benches counted from the claims in the database,
names shown only to those allowed to see them, and admin-only changes that are
validated and audited."""

from __future__ import annotations

import pytest

from oppmarket.capability import BenchSize
from oppmarket.domain import OpportunityDraft
from oppmarket.errors import NotFound, PermissionDenied, ValidationError

from support import SKILLS, STAFF, build_org, staff

#   mgr ── eng1, eng2      owner ── owned      loner
# Role "Head of Platform" (holder mgr): Python 4, Kubernetes 3.
#   mgr     Python 5, Kubernetes 4     the holder
#   eng1    Python 4, Kubernetes 3     ready now
#   eng2    Python 3, Kubernetes 3     one short: Python 3/4
#   owned   Python 2                   two short: Python 2/4, Kubernetes 0/3
#   loner   Kubernetes 5               one short: Python 0/4
CLAIMS = {"mgr": {"Python": 5, "Kubernetes": 4}, "eng1": {"Python": 4, "Kubernetes": 3},
          "eng2": {"Python": 3, "Kubernetes": 3}, "owned": {"Python": 2}, "loner": {"Kubernetes": 5}}


@pytest.fixture
def admin(db, clock):
    market = build_org(db, clock=clock, people=staff(*STAFF), skills=SKILLS, opportunities=0)
    for username, levels in CLAIMS.items():
        for skill, level in levels.items():
            market.as_user(username).set_skill(skill, level)
    return market


@pytest.fixture
def role(admin):
    return admin.add_key_role("Head of Platform", holder="mgr", department="Platform", risk="high",
                              skills=[("Python", 4), ("k8s", 3)])


def names(bench) -> list[tuple[str, int]]:
    return [(c.username, c.short) for c in bench.candidates]


def test_the_list_shows_each_role_with_its_bench_size_to_anyone(admin, role, market_as):
    admin.add_key_role("Data lead", risk="low")
    summaries = market_as("loner").key_roles()
    assert [(s.role.title, s.role.risk, s.role.holder_name, s.size) for s in summaries] == [
        ("Head of Platform", "high", "Maya Manager", BenchSize(1, 2, 1)),
        ("Data lead", "low", None, BenchSize(0, 0, 0)),
    ]
    assert summaries[0].role.skills == (("Python", 4), ("Kubernetes", 3))


def test_an_admin_sees_everyone_on_the_bench_with_the_gaps(role, market_as):
    bench = market_as("admin").key_role(role.id)
    assert names(bench) == [("eng1", 0), ("eng2", 1), ("loner", 1), ("owned", 2)]
    assert [g.words() for g in bench.candidates[3].gaps] == ["Python 2/4", "Kubernetes 0/3"]
    assert bench.hidden == BenchSize() and bench.why_hidden is None


def test_a_line_manager_sees_only_their_reports_and_counts_the_rest(role, market_as):
    bench = market_as("mgr").key_role(role.id)
    assert names(bench) == [("eng1", 0), ("eng2", 1)]
    assert bench.size == BenchSize(1, 2, 1) and bench.hidden == BenchSize(0, 1, 1)
    assert "line managers for their own reports" in bench.why_hidden


def test_anyone_else_sees_counts_only(role, market_as):
    bench = market_as("eng2").key_role(role.id)
    assert names(bench) == [("eng2", 1)]  # themselves
    bench = market_as("owner").key_role(role.id)
    assert names(bench) == [("owned", 2)]
    assert market_as("loner").key_role(role.id).hidden == BenchSize(1, 1, 1)


def test_inactive_people_leave_the_bench(admin, role, db):
    from oppmarket.db import models as M

    with db.connection_context():
        M.Employee.update(active=False).where(M.Employee.username == "eng1").execute()
    assert names(admin.key_role(role.id)) == [("eng2", 1), ("loner", 1), ("owned", 2)]


def test_stale_claims_are_gaps_to_confirm(admin, role, clock):
    clock.advance(days=366)
    admin.as_user("eng2").set_skill("Python", 4)  # eng2 confirms, everyone else goes stale
    bench = admin.key_role(role.id)
    assert names(bench)[0] == ("eng2", 1)
    assert [g.words() for g in bench.candidates[0].gaps] == ["Kubernetes 3/3 stale"]


def test_an_unknown_role_is_not_found(admin):
    with pytest.raises(NotFound):
        admin.key_role(999)


# ---------------------------------------------------------------------- changes


def audit(market, action):
    return [e for e in market.audit_log() if e.action == action]


def test_adding_records_the_role_and_its_skills(admin, role):
    [entry] = audit(admin, "add_key_role")
    assert entry.object_id == role.id
    assert entry.detail["new"] == {"title": "Head of Platform", "holder": "mgr", "department": "Platform",
                                   "risk": "high"}
    assert entry.detail["skills"] == {"Python": 4, "Kubernetes": 3}


def test_editing_changes_only_what_is_given_and_audits_old_and_new(admin, role):
    edited = admin.edit_key_role(role.id, holder="eng1", risk="medium")
    assert (edited.title, edited.holder_username, edited.department, edited.risk) == (
        "Head of Platform", "eng1", "Platform", "medium")
    [entry] = audit(admin, "edit_key_role")
    assert entry.detail == {"old": {"holder": "mgr", "risk": "high"}, "new": {"holder": "eng1", "risk": "medium"}}
    assert [c.username for c in admin.key_role(role.id).candidates][:1] == ["mgr"]
    cleared = admin.edit_key_role(role.id, holder=None, department="")
    assert (cleared.holder_username, cleared.department) == (None, None)


def test_an_edit_that_changes_nothing_is_not_audited(admin, role):
    admin.edit_key_role(role.id, title="Head of Platform", risk="high")
    assert audit(admin, "edit_key_role") == []


def test_setting_skills_replaces_them_and_audits_old_and_new(admin, role):
    changed = admin.set_key_role_skills(role.id, [("SQL", 2), ("Python", 5)])
    assert changed.skills == (("Python", 5), ("SQL", 2))
    [entry] = audit(admin, "set_key_role_skills")
    assert entry.detail == {"old": {"Python": 4, "Kubernetes": 3}, "new": {"SQL": 2, "Python": 5}}
    assert admin.key_role(role.id).size == BenchSize(0, 0, 3)  # eng1, eng2, owned: Python short, no SQL


def test_removing_a_role_unlinks_its_postings_and_audits_what_it_was(admin, role, market_as):
    opp = market_as("mgr").post(OpportunityDraft(kind="shadowing", title="Shadow me", host="mgr",
                                                 key_role_id=role.id), publish=True)
    admin.remove_key_role(role.id)
    assert admin.key_roles() == []
    assert admin.opportunity(opp.id).key_role_id is None
    [entry] = audit(admin, "remove_key_role")
    assert entry.detail["postings_unlinked"] == 1
    assert entry.detail["old"]["skills"] == {"Python": 4, "Kubernetes": 3}
    with pytest.raises(NotFound):
        admin.remove_key_role(role.id)


@pytest.mark.parametrize(("fields", "field"), [
    (dict(title="  "), "title"),
    (dict(title="x" * 201), "title"),
    (dict(title="Lead", holder="nobody"), "holder"),
    (dict(title="Lead", department="Nowhere"), "department"),
    (dict(title="Lead", risk="extreme"), "risk"),
    (dict(title="Lead", skills=[("Cobol", 3)]), "skills"),
    (dict(title="Lead", skills=[("Python", 6)]), "skills"),
    (dict(title="Lead", skills=[("Python", 3), ("py", 4)]), "skills"),
])
def test_wrong_fields_are_named_and_nothing_is_written(admin, db_state, fields, field):
    before = db_state()
    with pytest.raises(ValidationError) as caught:
        admin.add_key_role(**fields)
    assert field in caught.value.fields
    assert db_state() == before


def test_an_inactive_holder_is_refused(admin, role, db):
    from oppmarket.db import models as M

    with db.connection_context():
        M.Employee.update(active=False).where(M.Employee.username == "eng2").execute()
    with pytest.raises(ValidationError) as caught:
        admin.edit_key_role(role.id, holder="eng2")
    assert "holder" in caught.value.fields


@pytest.mark.parametrize("who", ["mgr", "owner", "eng1", "loner"])
@pytest.mark.parametrize("write", [
    lambda m, r: m.add_key_role("Another role"),
    lambda m, r: m.edit_key_role(r, title="Renamed"),
    lambda m, r: m.set_key_role_skills(r, [("SQL", 1)]),
    lambda m, r: m.remove_key_role(r),
], ids=["add", "edit", "skills", "remove"])
def test_only_admins_change_key_roles(role, market_as, db_state, who, write):
    before = db_state()
    with pytest.raises(PermissionDenied) as caught:
        write(market_as(who), role.id)
    assert "only an admin" in str(caught.value)
    assert db_state() == before
