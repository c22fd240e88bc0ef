"""Test databases: a SQLite file per test, and a private PostgreSQL database per test
process made on the server OPPMARKET_TEST_PG names."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from oppmarket.db.connection import open_database

PG_URL = os.environ.get("OPPMARKET_TEST_PG")


@contextmanager
def sqlite_database(folder: Path, name: str = "m.db") -> Iterator[object]:
    database = open_database(f"sqlite:///{folder / name}")
    try:
        yield database
    finally:
        database.close()


def admin_connection(url: str):
    """An autocommit psycopg2 connection to the server named by `url`."""
    import psycopg2
    from playhouse import db_url as parse_url

    params = parse_url.parse(url)
    params["dbname"] = params.pop("database")
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    return conn


@contextmanager
def private_postgres(conn, server_url: str) -> Iterator[str]:
    """A database of this process's own, made through `conn` (an admin connection to
    the server of `server_url`, closed at the end) and dropped afterwards: parallel
    test processes never collide, and nothing in the named database is touched."""
    name = f"oppmarket_test_{os.getpid()}"
    try:
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cur.execute(f'CREATE DATABASE "{name}"')
            # A commit need not wait for the disk: a crash loses only a test database.
            cur.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
        base, _, _ = server_url.partition("?")
        yield base.rsplit("/", 1)[0] + "/" + name
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()


def reset_postgres(url: str, *, keep_tables: bool = True) -> None:
    """Empty the private test database. When it holds exactly the current schema (and
    `keep_tables` allows) the tables are truncated (fast); anything else a test left
    behind (other tables, an injected migration) is dropped with the whole schema."""
    from oppmarket.db.models import MODELS
    from oppmarket.db.schema import current_version

    ours = {m._meta.table_name for m in MODELS}
    conn = admin_connection(url)
    with conn.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = {row[0] for row in cur.fetchall()}
        version = None
        if tables == ours:
            cur.execute("SELECT MAX(version) FROM schema_version")
            version = cur.fetchone()[0]
        if keep_tables and version == current_version():
            names = ", ".join(f'"{t}"' for t in sorted(ours - {"schema_version"}))
            cur.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    conn.close()


def table_rows(database) -> dict[str, list[tuple]]:
    """Every row of every oppmarket table, in primary-key order."""
    from oppmarket.db.models import MODELS

    with database.connection_context():
        return {
            model._meta.table_name: list(
                model.select().order_by(*model._meta.get_primary_keys()).tuples()
            )
            for model in MODELS
        }


def isolate_home(home: Path, monkeypatch) -> None:
    """Point the data, state and config folders into `home` and forget any database
    URL from the environment, so no test touches a real home directory."""
    monkeypatch.setenv("OPPMARKET_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("OPPMARKET_STATE_DIR", str(home / "state"))
    monkeypatch.setenv("OPPMARKET_CONFIG", str(home / "config.toml"))
    monkeypatch.delenv("OPPMARKET_DB", raising=False)
