"""Peewee models for the whole domain (see ARCHITECTURE.md, "The domain").

Models are bound to a database by `oppmarket.db.connection.open_database`; one process
works with one database at a time.
"""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    SQL,
    TextField,
)

class BaseModel(Model):
    class Meta:
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = IntegerField(primary_key=True)
    applied_at = DateTimeField()


class Department(BaseModel):
    id = AutoField()
    name = CharField(max_length=120, unique=True)
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="SET NULL")


class Employee(BaseModel):
    id = AutoField()
    username = CharField(max_length=64, unique=True)
    display_name = CharField(max_length=120)
    email = CharField(max_length=200, default="")
    title = CharField(max_length=120, default="")
    department = ForeignKeyField(Department, null=True, backref="employees", on_delete="SET NULL")
    manager = ForeignKeyField("self", null=True, backref="reports", on_delete="SET NULL")
    weekly_hours = IntegerField(default=40)
    cap_pct = IntegerField(default=20)
    is_admin = BooleanField(default=False)
    active = BooleanField(default=True)
    created_at = DateTimeField()
    # Where they work and how far they would go for in-person work (`location.PREFERENCES`),
    # and whether they want the weekly For-you digest (migration 4).
    location = CharField(max_length=120, default="")
    remote_preference = CharField(max_length=16, default="anywhere")
    weekly_digest = BooleanField(default=False)
    digest_sent_at = DateTimeField(null=True)
    # Whether owners may invite them to apply to a posting they match (migration 5).
    open_to_invitations = BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])


class Skill(BaseModel):
    id = AutoField()
    name = CharField(max_length=80, unique=True)
    category = CharField(max_length=80, default="General")
    description = TextField(default="")
    # A retired skill is no longer offered (pickers, search, new claims, interests and
    # postings) but stays on every row that already names it (migration 7).
    retired = BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])


class SkillAlias(BaseModel):
    id = AutoField()
    skill = ForeignKeyField(Skill, backref="aliases", on_delete="CASCADE")
    alias = CharField(max_length=80, unique=True)


class EmployeeSkill(BaseModel):
    id = AutoField()
    employee = ForeignKeyField(Employee, backref="skills", on_delete="CASCADE")
    skill = ForeignKeyField(Skill, backref="holders", on_delete="CASCADE")
    level = IntegerField()
    source = CharField(max_length=16, default="self")
    evidence_count = IntegerField(default=0)
    confirmed_at = DateTimeField()

    class Meta:
        indexes = ((("employee", "skill"), True),)


class Interest(BaseModel):
    id = AutoField()
    employee = ForeignKeyField(Employee, backref="interests", on_delete="CASCADE")
    skill = ForeignKeyField(Skill, on_delete="CASCADE")

    class Meta:
        indexes = ((("employee", "skill"), True),)


class KeyRole(BaseModel):
    id = AutoField()
    title = CharField(max_length=200)
    holder = ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    department = ForeignKeyField(Department, null=True, on_delete="SET NULL")
    risk = CharField(max_length=8, default="medium")


class KeyRoleSkill(BaseModel):
    id = AutoField()
    key_role = ForeignKeyField(KeyRole, backref="skills", on_delete="CASCADE")
    skill = ForeignKeyField(Skill, on_delete="CASCADE")
    level = IntegerField()

    class Meta:
        indexes = ((("key_role", "skill"), True),)


class Opportunity(BaseModel):
    id = AutoField()
    kind = CharField(max_length=16, index=True)
    title = CharField(max_length=200)
    description = TextField(default="")
    owner = ForeignKeyField(Employee, backref="postings", on_delete="CASCADE")
    department = ForeignKeyField(Department, null=True, on_delete="SET NULL")
    hours_per_week = IntegerField()
    start = DateField(null=True)
    end = DateField(null=True)
    seats = IntegerField(default=1)
    location = CharField(max_length=120, default="")
    remote = BooleanField(default=True)
    status = CharField(max_length=16, default="draft", index=True)
    key_role = ForeignKeyField(KeyRole, null=True, on_delete="SET NULL")
    # The kind's own fields: a learning path's certification, a shadowing host,
    # a mentorship's topics.
    certification = CharField(max_length=200, default="")
    host = ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    topics = TextField(default="")
    created_at = DateTimeField(index=True)
    updated_at = DateTimeField()
    # The owner reviews this posting's applicants without names until they turn it off.
    blind_review = BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])


class OpportunitySkill(BaseModel):
    id = AutoField()
    opportunity = ForeignKeyField(Opportunity, backref="skills", on_delete="CASCADE")
    skill = ForeignKeyField(Skill, backref="demanded_by", on_delete="CASCADE")
    level = IntegerField(default=1)
    role = CharField(max_length=8, default="required")

    class Meta:
        indexes = ((("opportunity", "skill", "role"), True),)


class LearningStep(BaseModel):
    id = AutoField()
    opportunity = ForeignKeyField(Opportunity, backref="steps", on_delete="CASCADE")
    position = IntegerField()
    title = CharField(max_length=200)

    class Meta:
        indexes = ((("opportunity", "position"), True),)


class Application(BaseModel):
    id = AutoField()
    opportunity = ForeignKeyField(Opportunity, backref="applications", on_delete="CASCADE")
    applicant = ForeignKeyField(Employee, backref="applications", on_delete="CASCADE")
    status = CharField(max_length=20, default="applied", index=True)
    note = TextField(default="")
    hours_per_week = IntegerField()
    applied_at = DateTimeField()
    updated_at = DateTimeField()
    offered_at = DateTimeField(null=True)
    offer_due = DateTimeField(null=True, index=True)
    accepted_at = DateTimeField(null=True)
    release_due = DateTimeField(null=True, index=True)
    released_by = ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    released_at = DateTimeField(null=True)
    release_automatic = BooleanField(default=False)
    release_reason = TextField(default="")
    decline_reason = TextField(default="")
    rating = IntegerField(null=True)
    feedback = TextField(default="")
    completed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("opportunity", "applicant"), True),)


class StepProgress(BaseModel):
    id = AutoField()
    application = ForeignKeyField(Application, backref="progress", on_delete="CASCADE")
    step = ForeignKeyField(LearningStep, on_delete="CASCADE")
    done_at = DateTimeField()

    class Meta:
        indexes = ((("application", "step"), True),)


class Endorsement(BaseModel):
    id = AutoField()
    application = ForeignKeyField(Application, backref="endorsements", on_delete="CASCADE")
    skill = ForeignKeyField(Skill, on_delete="CASCADE")
    level = IntegerField()
    at = DateTimeField()


class CoreWorkAnswer(BaseModel):
    id = AutoField()
    application = ForeignKeyField(Application, backref="core_work", on_delete="CASCADE")
    respondent = ForeignKeyField(Employee, on_delete="CASCADE")
    role = CharField(max_length=12)  # participant | manager
    answer = CharField(max_length=8, null=True)  # None until answered
    comment = TextField(default="")
    asked_at = DateTimeField()
    answered_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("application", "respondent"), True),)


class SavedSearch(BaseModel):
    """A search or a set of filters someone keeps, and is told of new postings matching it."""

    id = AutoField()
    owner = ForeignKeyField(Employee, backref="saved_searches", on_delete="CASCADE")
    name = CharField(max_length=80)
    query = CharField(max_length=200, default="")
    kind = CharField(max_length=16, null=True)
    department = CharField(max_length=120, null=True)
    max_hours = IntegerField(null=True)
    remote_only = BooleanField(default=False)
    created_at = DateTimeField()

    class Meta:
        indexes = ((("owner", "name"), True),)


class SavedSearchHit(BaseModel):
    """A posting a saved search has already been told of: reopening it tells nobody again."""

    id = AutoField()
    saved_search = ForeignKeyField(SavedSearch, backref="hits", on_delete="CASCADE")
    opportunity = ForeignKeyField(Opportunity, on_delete="CASCADE")
    at = DateTimeField()

    class Meta:
        indexes = ((("saved_search", "opportunity"), True),)


class Notification(BaseModel):
    id = AutoField()
    recipient = ForeignKeyField(Employee, backref="notifications", on_delete="CASCADE")
    text = TextField()
    link = CharField(max_length=120, default="")
    read = BooleanField(default=False, index=True)
    created_at = DateTimeField()
    # A review action's notifications wait out its undo window: nobody sees them before
    # `deliver_at` (NULL: delivered when written). `held_by` is the id of the audit event
    # of the action holding them, so an undo can take back what it held.
    deliver_at = DateTimeField(null=True, index=True)
    held_by = IntegerField(null=True, index=True)


class AuditEvent(BaseModel):
    """Append-only: database triggers (schema migration 2) refuse UPDATE and DELETE.
    So people are deactivated, never deleted: deleting someone who has acted would set
    `actor` to NULL, an update the triggers refuse."""

    id = AutoField()
    actor = ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    # How the actor was identified: `identity.Identity.how` ("os-login", "as", "ssh"),
    # "system" when no person acted, "unrecorded" on rows older than this column.
    identified_by = CharField(max_length=16, constraints=[SQL("DEFAULT 'unrecorded'")])
    action = CharField(max_length=40, index=True)
    object_type = CharField(max_length=40)
    object_id = IntegerField(null=True)
    detail = TextField(default="{}")  # JSON
    at = DateTimeField(index=True)

    class Meta:
        # The log filtered by what an event was done to (migration 8).
        indexes = ((("object_type", "object_id"), False),)


class Invitation(BaseModel):
    """An owner's invitation to someone open to invitations to apply to a posting:
    one per person and posting (migration 5)."""

    id = AutoField()
    opportunity = ForeignKeyField(Opportunity, backref="invitations", on_delete="CASCADE")
    invitee = ForeignKeyField(Employee, backref="invitations", on_delete="CASCADE")
    inviter = ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    created_at = DateTimeField()

    class Meta:
        indexes = ((("opportunity", "invitee"), True),)


class Setting(BaseModel):
    key = CharField(max_length=80, primary_key=True)
    value = TextField()


class Exposure(BaseModel):
    id = AutoField()
    employee = ForeignKeyField(Employee, on_delete="CASCADE")
    opportunity = ForeignKeyField(Opportunity, on_delete="CASCADE")
    first_shown = DateTimeField()
    times = IntegerField(default=1)

    class Meta:
        indexes = ((("employee", "opportunity"), True),)


MODELS = [
    SchemaVersion,
    Department,
    Employee,
    Skill,
    SkillAlias,
    EmployeeSkill,
    Interest,
    KeyRole,
    KeyRoleSkill,
    Opportunity,
    OpportunitySkill,
    LearningStep,
    Application,
    StepProgress,
    Endorsement,
    CoreWorkAnswer,
    Notification,
    AuditEvent,
    Setting,
    Exposure,
    SavedSearch,
    SavedSearchHit,
    Invitation,
]
