"""Fixtures of the tests. Every data-layer test takes `db_url`, which runs it on SQLite
and, when OPPMARKET_TEST_PG holds a URL, on PostgreSQL as well. The helpers behind
them live in `support`."""

from __future__ import annotations

import pytest

from oppmarket.db.connection import open_database
from oppmarket.market import Market

from support import SKILLS, STAFF, Clock, build_org, table_rows
from support.database import PG_URL, admin_connection, isolate_home, private_postgres, reset_postgres

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)]


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """No test touches the real data or config folders, or inherits a database URL."""
    isolate_home(tmp_path_factory.mktemp("home"), monkeypatch)


@pytest.fixture(scope="session")
def pg_url():
    """A private PostgreSQL database for this test process (so for each xdist worker)."""
    if not PG_URL:
        pytest.skip("PostgreSQL tests need OPPMARKET_TEST_PG=postgresql://user@host/db")
    import psycopg2

    try:
        conn = admin_connection(PG_URL)
    except psycopg2.OperationalError as exc:
        pytest.fail(f"OPPMARKET_TEST_PG is set but PostgreSQL is unusable: {exc}")
    with private_postgres(conn, PG_URL) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A URL of an empty database on each backend. On PostgreSQL its tables may
    already be there, empty, unless the test is marked `blank_database`."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'market.db'}"
    url = request.getfixturevalue("pg_url")
    reset_postgres(url, keep_tables=request.node.get_closest_marker("blank_database") is None)
    return url


@pytest.fixture
def db(db_url):
    database = open_database(db_url)
    yield database
    database.close()


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
def org(db, clock):
    """The organisation of `support.roster.STAFF` and `SKILLS`; the admin's market."""
    return build_org(db, clock=clock, people=STAFF.values(), skills=SKILLS, opportunities=0)


@pytest.fixture
def owner(org, market_as):
    return market_as("owner")


@pytest.fixture
def db_state(db):
    """db_state() -> every row of every table, to show a refused write changed nothing."""
    return lambda: table_rows(db)
