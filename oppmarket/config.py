"""Where oppmarket keeps its files, and which database it opens.

Every path can be overridden by an environment variable so that tests never touch a
real home directory. Environment variables choose files, never identity.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from oppmarket.errors import OppMarketError

APP_NAME = "oppmarket"


def data_dir() -> Path:
    """Folder for the embedded database (OPPMARKET_DATA_DIR overrides)."""
    override = os.environ.get("OPPMARKET_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    """The TOML config file (OPPMARKET_CONFIG overrides)."""
    override = os.environ.get("OPPMARKET_CONFIG")
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def default_database_path() -> Path:
    return data_dir() / "oppmarket.db"


def log_path() -> Path:
    """The log file: tracebacks of failures the domain did not mean, for whoever
    looks after oppmarket. It lives in the state folder (OPPMARKET_STATE_DIR
    overrides): a log is neither data to back up nor a setting."""
    override = os.environ.get("OPPMARKET_STATE_DIR")
    folder = Path(override) if override else Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))
    return folder / "oppmarket.log"


@dataclass(frozen=True)
class Settings:
    """What the config file may set. Unknown keys are refused, not ignored."""

    database: str | None = None
    # The file these settings were read from, when there was one.
    path: Path | None = None
    # The app ends a session nobody has typed in or clicked for this long (None: never).
    idle_minutes: int | None = None


_KNOWN_KEYS = {"database", "idle_minutes"}
# Keys that belong to the marketplace itself, not to one person's config file.
_MARKET_KEYS = {"release_auto_days": "an admin sets it for the whole marketplace",
                "offer_answer_days": "an admin sets it for the whole marketplace",
                "default_cap_pct": "an admin sets it for the whole marketplace",
                "session_idle_minutes": "an admin sets it for the whole marketplace (this file's is idle_minutes)"}


def load_settings(path: Path | None = None) -> Settings:
    """Read the config file if there is one; a broken file is a one-line error."""
    path = path or config_path()
    if not path.exists():
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise OppMarketError(f"config file {path} is not valid TOML: {exc}") from None
    if misplaced := sorted(set(raw) & _MARKET_KEYS.keys()):
        key = misplaced[0]
        raise OppMarketError(f"config file {path}: {key} is not read from here; {_MARKET_KEYS[key]}")
    unknown = sorted(set(raw) - _KNOWN_KEYS)
    if unknown:
        raise OppMarketError(f"config file {path}: unknown setting(s) {', '.join(unknown)}")
    database = raw.get("database")
    if database is not None and not isinstance(database, str):
        raise OppMarketError(f"config file {path}: database must be a URL string")
    idle = raw.get("idle_minutes")
    if idle is not None and (type(idle) is not int or idle < 1):
        raise OppMarketError(f"config file {path}: idle_minutes must be a positive whole number of minutes")
    return Settings(database=database, path=path, idle_minutes=idle)


@dataclass(frozen=True)
class DatabaseChoice:
    """The database to open, and the config file that named it, if one did: a
    private config file is where a server database's credentials are kept, so it
    tells who owns that database (`identity.owns_database`); a URL typed with --db or
    set in OPPMARKET_DB tells nothing, as anyone can type one."""

    url: str | None  # None: the embedded default
    config_file: Path | None = None


def choose_database(flag: str | None, settings: Settings) -> DatabaseChoice:
    """--db beats OPPMARKET_DB beats the config file; no URL means the embedded default."""
    if url := flag or os.environ.get("OPPMARKET_DB"):
        return DatabaseChoice(url)
    if settings.database:
        return DatabaseChoice(settings.database, settings.path)
    return DatabaseChoice(None)
