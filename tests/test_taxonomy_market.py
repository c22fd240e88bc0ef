"""Departments and the skills taxonomy through the Market: usage counted from the
database, admin-only changes that are validated and audited, merges that keep every
reference in one transaction, and retired skills no longer offered but kept on
history. The company is `support.taxonomy.taxonomy_org`."""

from __future__ import annotations

import json

import pytest

from oppmarket.db import models as M
from oppmarket.domain import OpportunityDraft
from oppmarket.errors import Conflict, NotFound, PermissionDenied, ValidationError

from support.taxonomy import INTO, SOURCE, taxonomy_org


@pytest.fixture
def admin(db, clock):
    return taxonomy_org(db, clock=clock)


def rows(db) -> dict[str, int]:
    with db.connection_context():
        return {model._meta.table_name: model.select().count() for model in M.MODELS}


def last_audit(db, action: str) -> dict:
    with db.connection_context():
        event = M.AuditEvent.select().where(M.AuditEvent.action == action).order_by(M.AuditEvent.id.desc()).first()
        return json.loads(event.detail)


# ---------------------------------------------------------------------- usage


def test_each_skill_counts_every_kind_of_use(admin):
    used = {u.skill.name: u for u in admin.skill_usages()}
    source = used[SOURCE]
    assert (source.claims, source.interests, source.postings, source.endorsements, source.key_roles,
            source.aliases, source.saved_searches) == (3, 2, 3, 1, 2, 1, 1)
    assert source.words() == ("3 claims, 2 interests, 3 postings, 1 endorsement, 2 key roles, 1 alias, "
                              "1 saved search")
    assert used["Docker"].words() == "nothing"
    assert [u.skill.name for u in admin.skill_usages("k8s")] == ["Kubernetes"]
    assert admin.skill_usage("orchestration").skill.name == SOURCE


def test_each_department_counts_what_names_it(admin):
    used = {u.name: u for u in admin.department_usages()}
    assert used["Platform"].parent == "Engineering"
    assert used["Platform"].words() == "3 people, 1 posting, 2 key roles, 1 saved search"
    assert used["Engineering"].words() == "1 sub-department"
    assert admin.department_usage("product").words() == "2 people, 2 postings"


# ---------------------------------------------------------------------- skill merge


def test_a_skill_merge_keeps_every_reference(admin, db):
    before = rows(db)
    merged = admin.merge_skills(SOURCE, INTO)
    after = rows(db)
    # One skill goes; its name becomes an alias; where a person, a posting or a key
    # role held both, one row stays.
    changed = {table: after[table] - before[table] for table in before if after[table] != before[table]}
    assert changed == {"skill": -1, "skill_alias": 1, "employee_skill": -2, "interest": -1,
                       "opportunity_skill": -1, "key_role_skill": -1, "audit_event": 1, "setting": 1}
    assert (merged.claims, merged.interests, merged.postings, merged.endorsements, merged.key_roles,
            merged.saved_searches) == (3, 2, 3, 1, 2, 1)
    assert merged.skill.aliases == ("Container orchestration", "k8s", "orchestration")
    with db.connection_context():
        claims = {(c.employee.username, c.level, c.source, c.evidence_count)
                  for c in M.EmployeeSkill.select().join(M.Skill).where(M.Skill.name == INTO)}
        assert claims == {("mgr", 4, "self", 0), ("eng1", 3, "endorsed", 1), ("eng2", 2, "self", 0)}
        asked = {(s.opportunity.title, s.level, s.role)
                 for s in M.OpportunitySkill.select().join(M.Skill).where(M.Skill.name == INTO)}
        assert asked == {("Cluster upgrade", 4, "required"), ("Platform guild", 2, "grows"),
                         ("Pairing on clusters", 3, "required")}
        needs = {(s.key_role.title, s.level) for s in M.KeyRoleSkill.select().join(M.Skill).where(M.Skill.name == INTO)}
        assert needs == {("Head of Platform", 4), ("SRE lead", 3)}
        assert M.Endorsement.get().skill.name == INTO
        assert not M.Skill.select().where(M.Skill.name == SOURCE).exists()
    detail = last_audit(db, "merge_skills")
    assert detail["old"]["name"] == SOURCE and detail["new"]["into"] == INTO
    assert detail["combined"] == {"claims": 2, "interests": 1, "posting skills": 1, "key-role skills": 1}


def test_a_merged_skill_is_still_found_by_its_old_names(admin, market_as):
    assert [h.name for h in admin.search_skills("orchestration", 3)][:1] == [SOURCE]
    admin.merge_skills(SOURCE, INTO)
    assert [h.label for h in admin.search_skills("container orchestration", 1)] == [
        "Kubernetes (alias Container orchestration)"]
    assert SOURCE not in {h.name for h in admin.search_skills("container", 10)}
    assert [r.opportunity.title for r in market_as("loner").search("k8s")][:1] == ["Cluster upgrade"]
    assert {r.opportunity.title for r in market_as("loner").search("kubernetes")} >= {"Platform guild"}


@pytest.mark.parametrize(("source", "into", "field"), [
    (INTO, "k8s", "into"),  # itself, by an alias
    ("Python", "nothing like it", "into"),
])
def test_a_merge_that_cannot_be_is_refused_and_changes_nothing(admin, db_state, source, into, field):
    before = db_state()
    with pytest.raises(ValidationError) as caught:
        admin.merge_skills(source, into)
    assert field in caught.value.fields
    assert db_state() == before


def test_a_merge_into_a_retired_skill_is_refused(admin):
    admin.retire_skill("Docker")
    with pytest.raises(ValidationError, match="Docker is retired"):
        admin.merge_skills("SQL", "Docker")


# ---------------------------------------------------------------------- rename, aliases


def test_a_renamed_skill_keeps_its_old_name_as_an_alias(admin, db):
    info = admin.rename_skill("k8s", "Kubernetes platform")
    assert info.name == "Kubernetes platform" and info.aliases == ("Kubernetes", "k8s")
    assert admin.search_skills("kubernetes", 1)[0].name == "Kubernetes platform"
    assert last_audit(db, "rename_skill") == {"old": {"name": "Kubernetes"}, "new": {"name": "Kubernetes platform"}}
    # Back again: the alias becomes the name, and the other name an alias.
    assert admin.rename_skill("Kubernetes platform", "Kubernetes").aliases == ("Kubernetes platform", "k8s")


@pytest.mark.parametrize(("new", "says"), [
    ("sql", "'sql' is already the name of SQL"),
    ("PY", "'PY' is already an alias of Python"),
    ("", "skill name must not be empty"),
])
def test_a_rename_to_a_taken_name_is_refused(admin, db_state, new, says):
    before = db_state()
    with pytest.raises(ValidationError) as caught:
        admin.rename_skill("Docker", new)
    assert caught.value.fields == {"name": says}
    assert db_state() == before


def test_aliases_are_added_and_removed_but_never_taken_twice(admin, db):
    assert admin.add_skill_alias("Docker", "containers").aliases == ("containers",)
    assert admin.search_skills("containers", 1)[0].name == "Docker"
    with pytest.raises(ValidationError, match="'k8s' is already an alias of Kubernetes"):
        admin.add_skill_alias("Docker", "k8s")
    with pytest.raises(ValidationError, match="already the name of Python"):
        admin.add_skill_alias("Docker", "python")
    assert admin.remove_skill_alias("CONTAINERS").aliases == ()
    assert last_audit(db, "remove_skill_alias") == {"old": {"alias": "containers"}, "new": {"alias": None}}
    with pytest.raises(NotFound):
        admin.remove_skill_alias("containers")


# ---------------------------------------------------------------------- retire


def test_a_retired_skill_is_not_offered_but_stays_on_history(admin, market_as):
    admin.retire_skill(SOURCE)
    assert SOURCE not in {h.name for h in admin.search_skills("orchestration", 10)}
    eng1, loner = market_as("eng1"), market_as("loner")
    with pytest.raises(ValidationError, match="Container orchestration is retired"):
        market_as("owner").set_skill(SOURCE, 2)
    with pytest.raises(ValidationError, match="retired"):
        eng1.set_interests(["orchestration"])
    with pytest.raises(ValidationError, match="retired"):
        market_as("owner").post(OpportunityDraft(title="New work", hours_per_week=2, skills=[(SOURCE, 2, "required")]))
    with pytest.raises(ValidationError, match="retired"):
        admin.add_key_role("Cluster lead", skills=[(SOURCE, 3)])
    # History keeps it: claims, interests, postings, key roles still name it, and
    # those who hold it may still change what they hold.
    assert SOURCE in {c.skill for c in eng1.profile().skills}
    assert eng1.set_skill(SOURCE, 4).level == 4
    assert loner.set_interests([SOURCE]) == (SOURCE,)
    guild = next(r.opportunity for r in market_as("owner").search("guild"))
    assert [s.skill for s in guild.skills] == [SOURCE]
    owner = market_as("owner")
    edited = owner.edit(guild.id, OpportunityDraft(kind="volunteering", title="Platform guild, weekly",
                                                   hours_per_week=2, skills=[(SOURCE, 3, "grows")]))
    assert [(s.skill, s.level) for s in edited.skills] == [(SOURCE, 3)]
    assert admin.skill_usage(SOURCE).skill.retired
    with pytest.raises(Conflict, match="already retired"):
        admin.retire_skill(SOURCE)
    admin.unretire_skill(SOURCE)
    assert SOURCE in {h.name for h in admin.search_skills("orchestration", 10)}


# ---------------------------------------------------------------------- departments


def test_departments_are_added_renamed_and_unique_in_any_case(admin, db, market_as):
    assert admin.add_department("Data", parent="Product").parent == "Product"
    with pytest.raises(ValidationError, match="a department called 'Data' already exists"):
        admin.add_department("DATA")
    with pytest.raises(ValidationError, match="a department called 'Product' already exists"):
        admin.rename_department("Data", "product")
    renamed = admin.rename_department("platform", "Platform engineering")
    assert renamed.saved_searches == 1 and renamed.people == 3
    assert market_as("eng2").saved_searches()[0].department == "Platform engineering"
    assert last_audit(db, "edit_department")["new"] == {"name": "Platform engineering"}
    assert admin.rename_department("Data", "data").name == "data"  # its own name in another case


def test_a_parent_that_would_make_a_loop_is_refused_naming_it(admin, db_state):
    admin.add_department("Cloud", parent="Platform")
    before = db_state()
    with pytest.raises(ValidationError) as caught:
        admin.set_department_parent("Engineering", "Cloud")
    assert caught.value.fields["parent"] == ("Cloud sits under Engineering; that would make a loop: "
                                             "Cloud → Platform → Engineering → Cloud")
    with pytest.raises(ValidationError, match="cannot sit under itself"):
        admin.set_department_parent("Cloud", "cloud")
    assert db_state() == before
    assert admin.set_department_parent("Platform", None).parent is None


def test_an_edit_renames_and_moves_in_one_step_or_not_at_all(admin, db, db_state):
    before = db_state()
    with pytest.raises(ValidationError) as caught:
        admin.edit_department("Engineering", name="Tech", parent="Platform")
    assert set(caught.value.fields) == {"parent"}
    assert db_state() == before
    edited = admin.edit_department("Product", name="Products", parent="Engineering")
    assert (edited.name, edited.parent) == ("Products", "Engineering")
    assert last_audit(db, "edit_department") == {"old": {"name": "Product", "parent": None},
                                                 "new": {"name": "Products", "parent": "Engineering"}}


def test_a_department_merge_moves_everything_that_names_it(admin, db, market_as):
    admin.add_department("Cloud", parent="Platform")
    before = {u.name: u for u in admin.department_usages()}
    merged = admin.merge_departments("Platform", "Product")
    assert (merged.people, merged.postings, merged.key_roles, merged.children, merged.saved_searches) == (
        before["Product"].people + 3, before["Product"].postings + 1, 2, 1, 1)
    assert [u.name for u in admin.department_usages()] == ["Cloud", "Engineering", "Product"]
    assert {u.name: u.parent for u in admin.department_usages()}["Cloud"] == "Product"
    assert market_as("eng1").whoami().department == "Product"
    assert market_as("eng2").saved_searches()[0].department == "Product"
    detail = last_audit(db, "merge_departments")
    assert detail["old"] == {"name": "Platform", "parent": "Engineering"} and detail["new"] == {"into": "Product"}
    assert detail["moved"] == {"person": 3, "posting": 1, "key role": 2, "sub-department": 1, "saved search": 1}


def test_a_merge_into_a_department_below_takes_its_place_without_a_loop(admin):
    admin.add_department("Cloud", parent="Platform")
    admin.add_department("Storage", parent="Cloud")
    admin.merge_departments("Platform", "Storage")
    parents = {u.name: u.parent for u in admin.department_usages()}
    assert parents == {"Engineering": None, "Storage": "Engineering", "Cloud": "Storage", "Product": None}


# ---------------------------------------------------------------------- who may


WRITES = {
    "add a department": lambda m: m.add_department("Data"),
    "rename a department": lambda m: m.rename_department("Product", "Products"),
    "set a department's parent": lambda m: m.set_department_parent("Product", "Engineering"),
    "edit a department": lambda m: m.edit_department("Product", name="Products", parent="Engineering"),
    "merge departments": lambda m: m.merge_departments("Product", "Platform"),
    "rename a skill": lambda m: m.rename_skill("SQL", "Structured Query Language"),
    "add an alias": lambda m: m.add_skill_alias("SQL", "sequel"),
    "remove an alias": lambda m: m.remove_skill_alias("k8s"),
    "merge skills": lambda m: m.merge_skills(SOURCE, INTO),
    "retire a skill": lambda m: m.retire_skill("Docker"),
    "unretire a skill": lambda m: m.unretire_skill("SQL"),
    "read skill usage": lambda m: m.skill_usages(),
    "read department usage": lambda m: m.department_usages(),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_only_admins_change_the_taxonomy(admin, market_as, db_state, write):
    before = db_state()
    for who in ("eng1", "owner", "mgr"):  # an employee, a posting's owner, a line manager
        with pytest.raises(PermissionDenied, match="only an admin"):
            WRITES[write](market_as(who))
    assert db_state() == before
