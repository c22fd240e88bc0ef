"""Shared fixtures. Every data-layer test takes `db_url`, which runs it on SQLite and,
when OPPMARKET_TEST_PG holds a URL, on PostgreSQL as well."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from oppmarket.db.connection import open_database
from oppmarket.market import Market

PG_URL = os.environ.get("OPPMARKET_TEST_PG")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)]


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """No test touches the real data or config folders, or inherits a database URL."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("OPPMARKET_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("OPPMARKET_CONFIG", str(home / "config.toml"))
    monkeypatch.delenv("OPPMARKET_DB", raising=False)


def _admin_connection(url: str):
    """An autocommit psycopg2 connection to the server named by `url`."""
    import psycopg2
    from playhouse import db_url as parse_url

    params = parse_url.parse(url)
    params["dbname"] = params.pop("database")
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    return conn


@pytest.fixture(scope="session")
def pg_url():
    """A private PostgreSQL database for this test process, made on the server that
    OPPMARKET_TEST_PG names and dropped afterwards, so parallel runs never collide
    and nothing in the named database is touched."""
    if not PG_URL:
        pytest.skip("PostgreSQL tests need OPPMARKET_TEST_PG=postgresql://user@host/db")
    import psycopg2

    name = f"oppmarket_test_{os.getpid()}"
    try:
        conn = _admin_connection(PG_URL)
    except psycopg2.OperationalError as exc:
        pytest.fail(f"OPPMARKET_TEST_PG is set but PostgreSQL is unusable: {exc}")
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = PG_URL.partition("?")
    yield base.rsplit("/", 1)[0] + "/" + name
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def reset_postgres(url: str) -> None:
    """Empty the private test database. When it holds exactly the current schema the
    tables are truncated (fast); anything else a test left behind (other tables, an
    injected migration) is dropped with the whole schema."""
    from oppmarket.db.models import MODELS
    from oppmarket.db.schema import current_version

    ours = {m._meta.table_name for m in MODELS}
    conn = _admin_connection(url)
    with conn.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = {row[0] for row in cur.fetchall()}
        version = None
        if tables == ours:
            cur.execute("SELECT MAX(version) FROM schema_version")
            version = cur.fetchone()[0]
        if version == current_version():
            names = ", ".join(f'"{t}"' for t in sorted(ours - {"schema_version"}))
            cur.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    conn.close()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A URL of an empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'market.db'}"
    url = request.getfixturevalue("pg_url")
    reset_postgres(url)
    return url


@pytest.fixture
def db(db_url):
    database = open_database(db_url)
    yield database
    database.close()


class Clock:
    """A settable clock, so time-dependent rules are tested without sleeping."""

    def __init__(self, start: dt.datetime = dt.datetime(2026, 3, 2, 9, 0)):
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def market_as(db, clock):
    """market_as('alice') -> a Market acting as alice on the test database."""

    def make(username: str | None) -> Market:
        return Market(db, username, clock=clock)

    return make


@pytest.fixture
def org(market_as):
    """A small organisation: an admin, a line manager with two reports, an owner
    with a report of their own, and a few skills.

        admin (is_admin)
        mgr ── eng1, eng2
        owner ── owned
        loner (no manager)
    """
    admin = market_as("admin")
    admin.register_self("Ada Admin")  # first person becomes admin
    admin.add_person("mgr", "Maya Manager", title="Engineering Manager", department="Platform")
    admin.add_person("eng1", "Eli Engineer", title="Software Engineer", department="Platform", manager="mgr")
    admin.add_person("eng2", "Erin Engineer", title="Software Engineer", department="Platform", manager="mgr")
    admin.add_person("owner", "Omar Owner", title="Product Lead", department="Product")
    admin.add_person("owned", "Olga Analyst", title="Data Analyst", department="Product", manager="owner")
    admin.add_person("loner", "Luca Loner", title="Consultant")
    admin.add_skill("Python", category="Languages", aliases=["py"])
    admin.add_skill("SQL", category="Data")
    admin.add_skill("Kubernetes", category="Platform", aliases=["k8s"])
    admin.add_skill("Docker", category="Platform")
    return admin


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


@pytest.fixture
def db_state(db):
    """db_state() -> every row of every table, to show a refused write changed nothing."""
    return lambda: table_rows(db)
