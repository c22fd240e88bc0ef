"""The config file sets where the database is, and nothing that belongs to the
marketplace itself."""

from __future__ import annotations

import pytest

from oppmarket import config
from oppmarket.errors import OppMarketError


def test_config_file_names_the_database(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('database = "postgresql://oppmarket@db.internal/oppmarket"\n')
    assert config.load_settings(path).database == "postgresql://oppmarket@db.internal/oppmarket"


def test_marketplace_setting_in_a_config_file_says_where_it_belongs(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("release_auto_days = 3\n")
    with pytest.raises(OppMarketError) as exc:
        config.load_settings(path)
    assert "release_auto_days is not read from here" in str(exc.value)
    assert "admin" in str(exc.value)
