"""Opening databases: URLs good and bad, SQLite's settings, and the schema version
(recorded, migrated forward, refused when newer or foreign)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading

import peewee
import pytest
from playhouse.migrate import SchemaMigrator

from oppmarket import config
from oppmarket.db import models as M
from oppmarket.db.connection import make_database, open_database, sqlite_path_of
from oppmarket.db.schema import MIGRATIONS, current_version, database_version, ensure_schema
from oppmarket.errors import DatabaseUnavailable
from oppmarket.market import Market

from support import build_org, table_rows


def refusal(url: str) -> str:
    with pytest.raises(DatabaseUnavailable) as info:
        open_database(url)
    message = str(info.value)
    assert "\n" not in message and message.strip() == message, repr(message)
    return message


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://", "names no database"),
        ("sqlite://nofile", "three slashes"),
        ("sqlite:///", "names no file"),
        ("mysql://x/y", "not supported"),
        ("not a url", "not a URL"),
        ("", "not a URL"),
        ("postgresql://u@127.0.0.1:notaport/x", "malformed"),
        ("postgresql://u:secret@127.0.0.1:notaport/x", "malformed"),
        ("postgresql://u:secret@[::1/x", "malformed"),
        ("sqlite:////no/such/folder/market.db", "does not exist"),
        ("postgresql://nobody@127.0.0.1:1/x", "cannot open database"),
        ("postgresql://u:secret@127.0.0.1:1/x", "cannot open database"),
    ],
)
def test_bad_url_is_a_one_line_error_without_the_password(url, says):
    message = refusal(url)
    assert says in message
    assert "secret" not in message


def test_unreachable_server_message_names_the_server():
    message = refusal("postgresql://u:secret@127.0.0.1:1/x")
    assert "127.0.0.1:1" in message and "***" in message


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"these are my notes, not a database\n" * 200)
    assert "cannot" in refusal(f"sqlite:///{junk}")
    assert "cannot" in refusal(f"sqlite:///{tmp_path}")  # a folder


def test_embedded_default_lives_in_the_data_folder():
    db = open_database(None)
    path = config.default_database_path()
    assert sqlite_path_of(None) == path
    assert path.is_file()
    assert Market(db, None).is_empty()
    db.close()


def test_sqlite_settings_are_in_force(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'market.db'}")
    with db.connection_context():
        assert db.pragma("journal_mode") == "wal"
        assert db.pragma("foreign_keys") == 1
        assert db.pragma("busy_timeout") >= 5000
        assert db.pragma("synchronous") == 1  # normal
        with pytest.raises(peewee.IntegrityError):
            M.Notification.create(recipient=999, text="to nobody", created_at=dt.datetime(2026, 1, 1))
    db.close()


def test_sqlite_write_transactions_take_the_lock_at_once(tmp_path):
    path = tmp_path / "market.db"
    db = open_database(f"sqlite:///{path}")
    inside, done = threading.Event(), threading.Event()

    def hold_a_transaction():
        with db.connection_context(), db.atomic():
            inside.set()
            done.wait(10)

    holder = threading.Thread(target=hold_a_transaction)
    holder.start()
    try:
        assert inside.wait(10)
        # The transaction has not written anything, yet a second writer is shut out:
        # writers queue on busy_timeout instead of failing later on lock upgrade.
        other = sqlite3.connect(path, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    finally:
        done.set()
        holder.join()
    db.close()


def test_schema_version_is_recorded(db):
    with db.connection_context():
        assert database_version(db) == current_version() == max(MIGRATIONS)
        assert [v.version for v in M.SchemaVersion.select()] == sorted(MIGRATIONS)


def test_reopening_keeps_data_and_version(db_url, db):
    Market(db, "ada").register_self("Ada")
    db.close()
    again = open_database(db_url)
    assert Market(again, "ada").whoami().is_admin
    with again.connection_context():
        assert M.SchemaVersion.select().count() == len(MIGRATIONS)
    again.close()


def test_a_newer_schema_is_refused(db_url, db):
    with db.connection_context():
        M.SchemaVersion.insert(version=current_version() + 1, applied_at=dt.datetime(2030, 1, 1)).execute()
    db.close()
    message = refusal(db_url)
    assert "newer" in message and "upgrade" in message
    assert str(current_version() + 1) in message


def _add_nickname(db: peewee.Database, migrator: SchemaMigrator) -> None:
    from playhouse.migrate import migrate

    # NOT NULL with a database default, so SQLite adds the column in place. Without
    # one peewee rebuilds the table on SQLite, and dropping the old `employee` would
    # cascade to every row that names a person (the audit log refuses that).
    nickname = peewee.CharField(max_length=40, constraints=[peewee.SQL("DEFAULT ''")])
    migrate(migrator.add_column("employee", "nickname", nickname, allow_not_null=True))


# The real migrations, then one more that a later release might bring.
NEXT = current_version() + 1
WITH_NICKNAME = {**MIGRATIONS, NEXT: _add_nickname}


def _columns(db, table: str) -> set[str]:
    with db.connection_context():
        return {c.name for c in db.get_columns(table)}


def test_an_older_schema_is_migrated_forward(db_url, db):
    Market(db, "ada").register_self("Ada")
    assert "nickname" not in _columns(db, "employee")

    with db.connection_context():
        assert ensure_schema(db, migrations=WITH_NICKNAME) == NEXT
    assert "nickname" in _columns(db, "employee")
    with db.connection_context():
        assert database_version(db) == NEXT
        assert [v.version for v in M.SchemaVersion.select().order_by(M.SchemaVersion.version)] == sorted(
            WITH_NICKNAME)
        assert db.execute_sql("SELECT username, nickname FROM employee").fetchall() == [("ada", "")]
        # Running again changes nothing.
        assert ensure_schema(db, migrations=WITH_NICKNAME) == NEXT
    db.close()
    # Code that knows only the versions before now refuses it.
    assert "newer" in refusal(db_url)


def _rebuild_employee(db: peewee.Database, migrator: SchemaMigrator) -> None:
    from playhouse.migrate import migrate

    # NOT NULL without a database default: on SQLite peewee copies `employee` into a
    # new table and drops the old one.
    migrate(migrator.add_column("employee", "nickname", peewee.CharField(max_length=40, default="")))


def test_a_migration_that_rebuilds_a_table_keeps_what_refers_to_it(db_url, db):
    build_org(db)
    before = table_rows(db)
    with db.connection_context():
        assert ensure_schema(db, migrations={**MIGRATIONS, NEXT: _rebuild_employee}) == NEXT
    after = table_rows(db)
    # Every posting, claim and audit row still names its person, unchanged.
    assert before["opportunity"] and before["audit_event"]
    for table, rows in before.items():
        if table not in ("employee", "schema_version"):
            assert after[table] == rows, table
    if db_url.startswith("sqlite"):
        with db.connection_context():
            assert db.execute_sql("PRAGMA foreign_keys").fetchone() == (1,)


def test_a_failing_migration_leaves_the_schema_as_it_was(db):
    def broken(db: peewee.Database, migrator: SchemaMigrator) -> None:
        _add_nickname(db, migrator)
        raise RuntimeError("half-way through")

    with db.connection_context():
        with pytest.raises(RuntimeError):
            ensure_schema(db, migrations={**MIGRATIONS, NEXT: broken})
        assert database_version(db) == current_version()
    assert "nickname" not in _columns(db, "employee")


@pytest.mark.blank_database  # it looks at the tables a database starts without
def test_a_fresh_database_runs_every_migration(db_url):
    database = make_database(db_url)
    database.bind(M.MODELS, bind_refs=False, bind_backrefs=False)
    with database.connection_context():
        assert ensure_schema(database, migrations=WITH_NICKNAME) == NEXT
    assert "nickname" in _columns(database, "employee")
    database.close()


@pytest.mark.blank_database  # it looks at the tables a database starts without
def test_a_database_of_something_else_is_refused(db_url):
    other = make_database(db_url)
    with other.connection_context():
        other.execute_sql("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    message = refusal(db_url)
    assert "not an oppmarket database" in message and "customers" in message
    with other.connection_context():
        assert other.get_tables() == ["customers"]  # left untouched
