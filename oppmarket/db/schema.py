"""Schema creation and numbered migrations.

The schema records its version in `schema_version`. An older database is migrated in
one transaction; a newer one is refused, so an old client never writes a shape it
does not understand. Released migrations are never edited; add a new number instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import peewee
from playhouse.migrate import SchemaMigrator, migrate

from oppmarket.db.models import MODELS, SchemaVersion
from oppmarket.errors import DatabaseUnavailable

Migration = Callable[[peewee.Database, SchemaMigrator], None]


def _m1_initial(db: peewee.Database, migrator: SchemaMigrator) -> None:
    db.create_tables(MODELS, safe=True)


AUDIT_TABLE = "audit_event"


def _m2_audit_identified_by(db: peewee.Database, migrator: SchemaMigrator) -> None:
    """Record how each audit row's actor was identified."""
    if "identified_by" not in {c.name for c in db.get_columns(AUDIT_TABLE)}:
        # A fresh database already has the column: migration 1 builds today's models.
        # Added NOT NULL with a default, so existing rows are filled without an UPDATE.
        column = peewee.CharField(max_length=16, constraints=[peewee.SQL("DEFAULT 'unrecorded'")])
        migrate(migrator.add_column(AUDIT_TABLE, "identified_by", column, allow_not_null=True))
        # A row without an actor was the system's (maintenance, demo load, imports);
        # for the others nobody recorded how they were identified.
        db.execute_sql(f"UPDATE {AUDIT_TABLE} SET identified_by = 'system' WHERE actor_id IS NULL")


# version -> migration that brings the schema from version-1 to version.
MIGRATIONS: dict[int, Migration] = {1: _m1_initial, 2: _m2_audit_identified_by}


def current_version(migrations: dict[int, Migration] | None = None) -> int:
    return max((migrations or MIGRATIONS).keys())


def database_version(db: peewee.Database) -> int | None:
    """The recorded schema version, or None for a database without our tables."""
    if not db.table_exists(SchemaVersion._meta.table_name):
        return None
    row = SchemaVersion.select(peewee.fn.MAX(SchemaVersion.version)).scalar()
    return int(row) if row is not None else 0


def ensure_schema(db: peewee.Database, migrations: dict[int, Migration] | None = None) -> int:
    """Create or migrate the schema; return the version now in force."""
    migrations = migrations or MIGRATIONS
    target = current_version(migrations)
    with db.atomic():
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
        if found > target:
            raise DatabaseUnavailable(
                f"the database schema is version {found}, newer than this oppmarket "
                f"understands (version {target}); upgrade oppmarket before opening it"
            )
        migrator = SchemaMigrator.from_database(db)
        for version in range(found + 1, target + 1):
            migrations[version](db, migrator)
            SchemaVersion.insert(version=version, applied_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)).execute()
    return target
