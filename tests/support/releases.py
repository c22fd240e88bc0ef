"""Databases as an earlier release left them, to test that migrations bring them forward.

Migration 1 builds today's models, so an older schema is made by building it and then
taking away what each later migration adds (newest first); each migration's undo is
listed here once, so a new migration adds one entry instead of touching every test."""

from __future__ import annotations

import peewee
from playhouse.migrate import SchemaMigrator, migrate

from oppmarket.db import models as M
from oppmarket.db.schema import MIGRATIONS, ensure_schema


def _columns(db: peewee.Database, table: str) -> set[str]:
    return {c.name for c in db.get_columns(table)}


def _undo_2(db: peewee.Database, migrator: SchemaMigrator) -> None:
    if "identified_by" in _columns(db, "audit_event"):
        migrate(migrator.drop_column("audit_event", "identified_by"))


def _undo_3(db: peewee.Database, migrator: SchemaMigrator) -> None:
    migrate(migrator.drop_index("notification", "notification_deliver_at"),
            migrator.drop_index("notification", "notification_held_by"),
            migrator.drop_column("notification", "deliver_at"),
            migrator.drop_column("notification", "held_by"),
            migrator.drop_column("opportunity", "blind_review"))


def _undo_4(db: peewee.Database, migrator: SchemaMigrator) -> None:
    db.drop_tables([M.SavedSearchHit, M.SavedSearch])
    migrate(*[migrator.drop_column("employee", c)
              for c in ("location", "remote_preference", "weekly_digest", "digest_sent_at")])


def _undo_5(db: peewee.Database, migrator: SchemaMigrator) -> None:
    db.drop_tables([M.Invitation])
    migrate(migrator.drop_column("employee", "open_to_invitations"))


def _undo_6(db: peewee.Database, migrator: SchemaMigrator) -> None:
    migrate(migrator.drop_index("application", "application_offer_due"),
            migrator.drop_column("application", "offer_due"),
            migrator.drop_column("application", "accepted_at"))


def _undo_7(db: peewee.Database, migrator: SchemaMigrator) -> None:
    migrate(migrator.drop_column("skill", "retired"))


def _undo_8(db: peewee.Database, migrator: SchemaMigrator) -> None:
    migrate(migrator.drop_index("audit_event", "audit_event_object_type_object_id"))


UNDO = {2: _undo_2, 3: _undo_3, 4: _undo_4, 5: _undo_5, 6: _undo_6, 7: _undo_7, 8: _undo_8}


def as_release(db: peewee.Database, version: int) -> None:
    """Give the empty database `db` the schema release `version` made, recorded as
    that version."""
    missing = set(MIGRATIONS) - set(UNDO) - {1}
    assert not missing, f"tests/support/releases.py needs the undo of migration(s) {sorted(missing)}"
    ensure_schema(db, migrations={n: MIGRATIONS[n] for n in sorted(MIGRATIONS) if n <= version})
    migrator = SchemaMigrator.from_database(db)
    for number in sorted((n for n in UNDO if n > version), reverse=True):
        UNDO[number](db, migrator)
