"""Schema creation and numbered migrations.

The schema records its version in `schema_version`. An older database is migrated in
one transaction; a newer one is refused, so an old client never writes a shape it
does not understand. Released migrations are never edited; add a new number instead.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator

import peewee
from playhouse.migrate import SchemaMigrator, migrate

from oppmarket import lifecycle
from oppmarket.db.models import MODELS, Application, Invitation, SavedSearch, SavedSearchHit, SchemaVersion
from oppmarket.errors import DatabaseUnavailable

Migration = Callable[[peewee.Database, SchemaMigrator], None]


def _m1_initial(db: peewee.Database, migrator: SchemaMigrator) -> None:
    db.create_tables(MODELS, safe=True)


AUDIT_TABLE = "audit_event"
# The one message both backends refuse a change to the audit log with; {op} is the
# statement (UPDATE or DELETE).
AUDIT_REFUSAL = "the audit log is append-only: {op} on audit_event is refused"


def _m2_append_only_audit(db: peewee.Database, migrator: SchemaMigrator) -> None:
    """Record how each audit row's actor was identified, and let the database itself
    refuse any change to a recorded row: `undo` replays the audit trail, so it is
    control data as well as a record."""
    if "identified_by" not in {c.name for c in db.get_columns(AUDIT_TABLE)}:
        # A fresh database already has the column: migration 1 builds today's models.
        # Added NOT NULL with a default, so existing rows are filled without an UPDATE.
        column = peewee.CharField(max_length=16, constraints=[peewee.SQL("DEFAULT 'unrecorded'")])
        migrate(migrator.add_column(AUDIT_TABLE, "identified_by", column, allow_not_null=True))
        # A row without an actor was the system's (maintenance, demo load, imports);
        # for the others nobody recorded how they were identified.
        db.execute_sql(f"UPDATE {AUDIT_TABLE} SET identified_by = 'system' WHERE actor_id IS NULL")
    if isinstance(db, peewee.SqliteDatabase):
        _sqlite_append_only(db)
    elif not is_cockroach(db):
        _postgres_append_only(db)
    # CockroachDB has row triggers only from v24.3 and CI runs none, so none are
    # installed there: on it the log stays append-only by the code's discipline alone.


def _sqlite_append_only(db: peewee.Database) -> None:
    for op in ("UPDATE", "DELETE"):
        db.execute_sql(
            f"CREATE TRIGGER IF NOT EXISTS {AUDIT_TABLE}_no_{op.lower()} BEFORE {op} ON {AUDIT_TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{AUDIT_REFUSAL.format(op=op)}'); END"
        )


def _postgres_append_only(db: peewee.Database) -> None:
    # restrict_violation is an integrity error, as SQLite's RAISE(ABORT) is. Row
    # triggers do not fire on TRUNCATE: that stays with whoever holds its privilege
    # (the tests empty their private database with it).
    message = AUDIT_REFUSAL.replace("{op}", "' || TG_OP || '")
    db.execute_sql(
        f"CREATE OR REPLACE FUNCTION {AUDIT_TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION USING MESSAGE = '{message}', ERRCODE = 'restrict_violation'; END $$"
    )
    db.execute_sql(f"DROP TRIGGER IF EXISTS {AUDIT_TABLE}_append_only ON {AUDIT_TABLE}")
    db.execute_sql(
        f"CREATE TRIGGER {AUDIT_TABLE}_append_only BEFORE UPDATE OR DELETE ON {AUDIT_TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {AUDIT_TABLE}_append_only()"
    )


def is_cockroach(db: peewee.Database) -> bool:
    """CockroachDB speaks PostgreSQL's protocol but lacks some of its features
    (row triggers before v24.3, sequences behind SERIAL)."""
    try:
        from playhouse.cockroachdb import CockroachDatabase
    except ImportError:
        return False
    return isinstance(db, CockroachDatabase)


def _m3_held_notices_and_blind_review(db: peewee.Database, migrator: SchemaMigrator) -> None:
    """Let a review action's notifications wait out its undo window (`deliver_at`,
    `held_by`), and remember per posting that its owner reviews blind. Every column is
    added in place (nullable, or NOT NULL with a database default): on SQLite a rebuilt
    `opportunity` would take its applications with it."""
    steps = []
    notification = {c.name for c in db.get_columns("notification")}
    if "deliver_at" not in notification:
        steps.append(migrator.add_column("notification", "deliver_at", peewee.DateTimeField(null=True)))
        steps.append(migrator.add_index("notification", ("deliver_at",)))
    if "held_by" not in notification:
        steps.append(migrator.add_column("notification", "held_by", peewee.IntegerField(null=True)))
        steps.append(migrator.add_index("notification", ("held_by",)))
    if "blind_review" not in {c.name for c in db.get_columns("opportunity")}:
        column = peewee.BooleanField(constraints=[peewee.SQL("DEFAULT FALSE")])
        steps.append(migrator.add_column("opportunity", "blind_review", column, allow_not_null=True))
    # A fresh database already has them all: migration 1 builds today's models.
    if steps:
        migrate(*steps)


# Employee columns migration 4 adds: name -> field, each with a default that fills old rows.
_M4_EMPLOYEE_COLUMNS = {
    "location": lambda: peewee.CharField(max_length=120, default=""),
    "remote_preference": lambda: peewee.CharField(max_length=16, default="anywhere"),
    "weekly_digest": lambda: peewee.BooleanField(default=False),
    "digest_sent_at": lambda: peewee.DateTimeField(null=True),
}


def _m4_saved_searches_and_location(db: peewee.Database, migrator: SchemaMigrator) -> None:
    """Saved searches (and the postings each has told of), a person's location and
    remote preference, and the weekly digest opt-in with when it was last sent."""
    have = {c.name for c in db.get_columns("employee")}
    # A fresh database already has them: migration 1 builds today's models.
    steps = [migrator.add_column("employee", name, make()) for name, make in _M4_EMPLOYEE_COLUMNS.items()
             if name not in have]
    if steps:
        migrate(*steps)
    db.create_tables([SavedSearch, SavedSearchHit], safe=True)


def _m5_invitations(db: peewee.Database, migrator: SchemaMigrator) -> None:
    """People may say they are open to invitations (`employee.open_to_invitations`,
    false for everyone already there), and owners' invitations to apply are kept, one
    per person and posting (table `invitation`)."""
    if "open_to_invitations" not in {c.name for c in db.get_columns("employee")}:
        # NOT NULL with a default fills the rows already there without rebuilding the table.
        column = peewee.BooleanField(constraints=[peewee.SQL("DEFAULT FALSE")])
        migrate(migrator.add_column("employee", "open_to_invitations", column, allow_not_null=True))
    db.create_tables([Invitation], safe=True)


def _m6_offer_answers(db: peewee.Database, migrator: SchemaMigrator) -> None:
    """The candidate answers an offer: by when (`application.offer_due`) and when they
    accepted it (`application.accepted_at`), from which the release clock runs. Offers
    already made were asked of the manager at once, so they stand as accepted then."""
    have = {c.name for c in db.get_columns("application")}
    # A fresh database already has them: migration 1 builds today's models.
    steps = []
    if "offer_due" not in have:
        steps.append(migrator.add_column("application", "offer_due", peewee.DateTimeField(null=True)))
        steps.append(migrator.add_index("application", ("offer_due",)))
    if "accepted_at" not in have:
        steps.append(migrator.add_column("application", "accepted_at", peewee.DateTimeField(null=True)))
        migrate(*steps)
        Application.update(accepted_at=Application.offered_at).where(
            Application.release_due.is_null(False)).execute()
        Application.update(status=lifecycle.RELEASE_WAITING).where(
            Application.status == lifecycle.ANSWER_WAITING).execute()
    elif steps:
        migrate(*steps)


def _m7_retired_skills(db: peewee.Database, migrator: SchemaMigrator) -> None:
    """Skills may be retired (`skill.retired`, false for every skill already there):
    no longer offered, still on the claims, postings and endorsements that name them."""
    if "retired" not in {c.name for c in db.get_columns("skill")}:
        # NOT NULL with a default fills the rows already there without rebuilding the table.
        column = peewee.BooleanField(constraints=[peewee.SQL("DEFAULT FALSE")])
        migrate(migrator.add_column("skill", "retired", column, allow_not_null=True))


AUDIT_OBJECT_INDEX = "audit_event_object_type_object_id"


def _m8_audit_object_index(db: peewee.Database, migrator: SchemaMigrator) -> None:
    """Admins filter the audit log by what an event was done to (a key role, a
    person, a setting): an index on (object_type, object_id) keeps that from reading
    every event. Only an index is added, so the append-only triggers are untouched."""
    if AUDIT_OBJECT_INDEX not in {i.name for i in db.get_indexes(AUDIT_TABLE)}:
        # A fresh database already has it: migration 1 builds today's models.
        migrate(migrator.add_index(AUDIT_TABLE, ("object_type", "object_id"), name=AUDIT_OBJECT_INDEX))


# The key of the PostgreSQL advisory lock that migrations of one database take turns on
# (any fixed number; "oppm" in ASCII).
MIGRATION_LOCK_KEY = 0x6F70706D

# version -> migration that brings the schema from version-1 to version; they run in
# ascending order.
MIGRATIONS: dict[int, Migration] = {1: _m1_initial, 2: _m2_append_only_audit, 3: _m3_held_notices_and_blind_review,
                                    4: _m4_saved_searches_and_location, 5: _m5_invitations, 6: _m6_offer_answers,
                                    7: _m7_retired_skills, 8: _m8_audit_object_index}


def current_version(migrations: dict[int, Migration] | None = None) -> int:
    return max((migrations or MIGRATIONS).keys())


def database_version(db: peewee.Database) -> int | None:
    """The recorded schema version, or None for a database without our tables."""
    if not db.table_exists(SchemaVersion._meta.table_name):
        return None
    row = SchemaVersion.select(peewee.fn.MAX(SchemaVersion.version)).scalar()
    return int(row) if row is not None else 0


def ensure_schema(db: peewee.Database, migrations: dict[int, Migration] | None = None) -> int:
    """Create or migrate the schema; return the version now in force.

    Every start of the app or the CLI calls this, so the common case, a schema already
    up to date, is decided by reading alone: on SQLite a write transaction would queue
    behind any long write (an import) and fail after the busy timeout. Only a database
    that needs creating or migrating takes the write lock, and then reads its version
    again under it, since another process may have migrated it meanwhile."""
    migrations = migrations or MIGRATIONS
    target = current_version(migrations)
    found = database_version(db)
    if found is not None:
        _refuse_newer(found, target)
        if found == target:
            return target
    with _foreign_keys_held(db), db.atomic():
        _lock_migrations(db)
        _migrate(db, migrations, target)
        _check_foreign_keys(db)
    return target


@contextlib.contextmanager
def _foreign_keys_held(db: peewee.Database) -> Iterator[None]:
    """On SQLite, keep foreign-key actions still while migrations run. A migration
    that changes a column rebuilds its table (copy, drop, rename), and dropping
    `employee` with foreign keys on would cascade to every row that names a person.
    SQLite ignores this pragma inside a transaction, so it is set around it."""
    if not isinstance(db, peewee.SqliteDatabase):
        yield
        return
    db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        db.execute_sql("PRAGMA foreign_keys = ON")


def _check_foreign_keys(db: peewee.Database) -> None:
    """Refuse (and so roll back) a migration that left a reference dangling."""
    if isinstance(db, peewee.SqliteDatabase):
        broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            tables = sorted({row[0] for row in broken})
            raise DatabaseUnavailable(
                f"a schema migration would leave references broken in {', '.join(tables)}; "
                "nothing was changed"
            )


def _refuse_newer(found: int, target: int) -> None:
    if found > target:
        raise DatabaseUnavailable(
            f"the database schema is version {found}, newer than this oppmarket "
            f"understands (version {target}); upgrade oppmarket before opening it"
        )


def _lock_migrations(db: peewee.Database) -> None:
    """Make concurrent migrations of one database take turns. SQLite's write
    transactions begin IMMEDIATE, which already does; PostgreSQL needs a lock of its
    own, as there may be no table yet to lock."""
    if isinstance(db, peewee.PostgresqlDatabase) and not is_cockroach(db):
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))


def _migrate(db: peewee.Database, migrations: dict[int, Migration], target: int) -> None:
    """Create the schema or bring it up to `target`, inside the caller's transaction."""
    found = database_version(db)
    if found is None:
        foreign = [t for t in db.get_tables() if not t.startswith("sqlite_")]
        if foreign:
            raise DatabaseUnavailable(
                "this database already holds other tables and is not an oppmarket "
                f"database ({', '.join(sorted(foreign)[:3])}...); point --db elsewhere"
            )
        db.create_tables([SchemaVersion], safe=True)
        found = 0
    _refuse_newer(found, target)
    migrator = SchemaMigrator.from_database(db)
    # In number order; a number not (or not yet) taken is passed over.
    for version in sorted(v for v in migrations if found < v <= target):
        migrations[version](db, migrator)
        SchemaVersion.insert(version=version, applied_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)).execute()
