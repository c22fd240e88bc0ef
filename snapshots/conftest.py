"""Fixtures of the snapshot tests; the helpers behind them live in tests/support."""

import pytest

from support.database import isolate_home, sqlite_database


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """No snapshot touches the real data or config folders, or inherits a database URL."""
    isolate_home(tmp_path_factory.mktemp("home"), monkeypatch)


@pytest.fixture
def db(tmp_path):
    with sqlite_database(tmp_path) as database:
        yield database
