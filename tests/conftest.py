"""Shared fixtures. Every data-layer test takes `db_url`, which runs it on SQLite and,
when OPPMARKET_TEST_PG holds a URL, on PostgreSQL as well."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from oppmarket.db.connection import open_database
from oppmarket.db.models import MODELS
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


def reset_postgres(url: str) -> None:
    """Drop every oppmarket table so each test starts from an empty schema."""
    import peewee
    from playhouse import db_url

    db = db_url.connect(url)
    try:
        db.bind(MODELS, bind_refs=False, bind_backrefs=False)
        db.drop_tables(MODELS, safe=True, cascade=True)
    except peewee.OperationalError as exc:
        pytest.fail(f"OPPMARKET_TEST_PG is set but PostgreSQL is unusable: {exc}")
    finally:
        db.close()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A URL of an empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'market.db'}"
    if not PG_URL:
        pytest.skip("PostgreSQL tests need OPPMARKET_TEST_PG=postgresql://user@host/db")
    reset_postgres(PG_URL)
    return PG_URL


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
