"""Fixtures of the Pilot-driven UI tests."""

import pytest

from support.database import sqlite_database


@pytest.fixture
def db(tmp_path):
    """UI tests run on SQLite only: the backends are covered by the Market tests."""
    with sqlite_database(tmp_path) as database:
        yield database
