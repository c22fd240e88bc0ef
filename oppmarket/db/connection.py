"""Open a database from a URL: the embedded SQLite default, a shared SQLite file,
PostgreSQL, or CockroachDB. Every failure is a `DatabaseUnavailable` with one line
a person can act on; passwords never appear in messages."""

from __future__ import annotations

import os
import shlex
import stat
from pathlib import Path
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import peewee
from playhouse import db_url

from oppmarket import config
from oppmarket.db.models import MODELS
from oppmarket.db.schema import ensure_schema
from oppmarket.errors import DatabaseUnavailable

# WAL lets readers work while one writer writes; busy_timeout makes concurrent
# writers queue instead of failing with "database is locked".
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 15000,
    "foreign_keys": 1,
    "synchronous": "normal",
}
SQLITE_TIMEOUT_SECONDS = 15
# The embedded database's folder, and every SQLite file oppmarket creates, are their
# owner's alone; SQLite gives the -wal and -shm files the database file's mode.
DATA_FOLDER_MODE = 0o700
DATABASE_FILE_MODE = 0o600
_WRITABLE_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH


def redact(url: str) -> str:
    """The URL with any password replaced, fit to print: the one in the user info
    and the value of any query parameter whose name holds "password"."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced IPv6 bracket: show nothing that may be secret
        return url.split("://", 1)[0] + "://***"
    # Work on the raw netloc: the parsed port raises on a port that is not a number.
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if at and ":" in userinfo:
        netloc = f"{userinfo.split(':', 1)[0]}:***@{hostport}"
        url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return _redact_query(url)


def _redact_query(url: str) -> str:
    # libpq and psycopg2 take password= and sslpassword= from the query string too.
    # Edit the string in place rather than re-encode it, so the rest prints as given.
    base, question, rest = url.partition("?")
    if not question:
        return url
    query, hash_, fragment = rest.partition("#")
    pairs = []
    for pair in query.split("&"):
        key, equals, _ = pair.partition("=")
        if equals and "password" in unquote_plus(key).lower():
            pair = f"{key}=***"
        pairs.append(pair)
    return f"{base}?{'&'.join(pairs)}{hash_}{fragment}"


def sqlite_path_of(url: str | None) -> Path | None:
    """The file an embedded or sqlite:// URL points at; None for a server URL."""
    if url is None:
        return config.default_database_path()
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):].split("?", 1)[0]
        return None if path in ("", ":memory:") else Path(path)
    return None


def make_database(url: str | None) -> peewee.Database:
    """Build (but do not connect) the peewee Database for `url`."""
    if url is None:
        path = config.default_database_path()
        path.parent.mkdir(mode=DATA_FOLDER_MODE, parents=True, exist_ok=True)
        return _sqlite(str(path))
    if not isinstance(url, str) or "://" not in url:
        raise DatabaseUnavailable(
            f"database URL {url!r} is not a URL; use sqlite:///PATH, "
            "postgresql://USER@HOST/DB or cockroachdb://USER@HOST/DB"
        )
    scheme = url.split("://", 1)[0].lower()
    if scheme == "sqlite":
        if not url.startswith("sqlite:///"):
            raise DatabaseUnavailable(
                f"database URL {url!r}: a SQLite URL takes three slashes and a path, "
                "e.g. sqlite:////srv/oppmarket/market.db"
            )
        path = url[len("sqlite:///"):].split("?", 1)[0]
        if not path:
            raise DatabaseUnavailable(f"database URL {url!r} names no file")
        if path != ":memory:" and not Path(path).parent.exists():
            raise DatabaseUnavailable(
                f"database URL {url!r}: folder {Path(path).parent} does not exist"
            )
        return _sqlite(path)
    if scheme in ("postgres", "postgresql", "cockroachdb", "crdb"):
        try:
            import psycopg2  # noqa: F401
        except ImportError:
            raise DatabaseUnavailable(
                "PostgreSQL support is not installed: pip install 'oppmarket[postgres]'"
            ) from None
        try:
            kwargs = db_url.parse(url)
        except ValueError as exc:  # e.g. a port that is not a number
            raise DatabaseUnavailable(f"database URL {redact(url)!r} is malformed: {exc}") from None
        if not kwargs.get("database"):
            raise DatabaseUnavailable(
                f"database URL {redact(url)!r} names no database, e.g. postgresql://user@host/oppmarket"
            )
        if scheme in ("cockroachdb", "crdb"):
            from playhouse.cockroachdb import CockroachDatabase

            return CockroachDatabase(**kwargs)
        return peewee.PostgresqlDatabase(**kwargs)
    raise DatabaseUnavailable(
        f"database URL scheme {scheme!r} is not supported; use sqlite, postgresql or cockroachdb"
    )


def _sqlite(path: str) -> peewee.SqliteDatabase:
    return peewee.SqliteDatabase(
        path,
        pragmas=SQLITE_PRAGMAS,
        timeout=SQLITE_TIMEOUT_SECONDS,
        # Every transaction takes the write lock up front, so two writers queue on
        # busy_timeout instead of deadlocking when a reader upgrades.
        lock_type="IMMEDIATE",
    )


def _guard_sqlite_file(path: Path) -> None:
    """Refuse a SQLite database that others can change, then create it (if new) for
    its owner alone. A folder others can write is refused too, sticky /tmp included:
    anyone could plant a -wal file there that SQLite would replay into the database."""
    real = Path(os.path.realpath(path))
    for target in (real.parent, real, *(real.with_name(real.name + end) for end in ("-wal", "-shm"))):
        try:
            mode = target.stat().st_mode
        except OSError:
            continue  # not there yet, or not ours to look at: connecting will say
        if mode & _WRITABLE_BY_OTHERS:
            raise DatabaseUnavailable(_writable_by_others(target, mode, real))
    try:
        os.close(os.open(real, os.O_WRONLY | os.O_CREAT | os.O_EXCL, DATABASE_FILE_MODE))
    except OSError:
        pass  # already there, or not ours to create: connecting will say


def _writable_by_others(target: Path, mode: int, database: Path) -> str:
    who = "its group and everyone" if mode & stat.S_IWGRP and mode & stat.S_IWOTH else (
        "its group" if mode & stat.S_IWGRP else "everyone")
    kind = "folder" if stat.S_ISDIR(mode) else "file"
    problem = f"database {kind} {target} is writable by {who} (mode {stat.S_IMODE(mode):04o})"
    if stat.S_ISDIR(mode) and mode & stat.S_ISVTX:
        # A shared scratch folder like /tmp must stay writable: move the database out.
        home = Path.home() / "oppmarket"
        make = f"mkdir -m 700 {shlex.quote(str(home))}"
        if database.exists():
            return (f"{problem}, so anyone could plant files beside it: move it to a folder of its own, "
                    f"e.g. `{make} && mv {shlex.quote(str(database))}* {shlex.quote(str(home))}/`")
        return (f"{problem}, so anyone could plant files beside the database: keep it in a folder of its "
                f"own, e.g. `{make}`, then use sqlite:///{home / database.name}")
    return f"{problem}, so others could change the marketplace: run `chmod go-w {shlex.quote(str(target))}`"


def open_database(url: str | None = None, *, migrate: bool = True) -> peewee.Database:
    """Connect to `url` (None: the embedded default), check or migrate the schema,
    and bind the models to it."""
    db = make_database(url)
    if (path := sqlite_path_of(url)) is not None:
        _guard_sqlite_file(path)
    where = redact(url) if url else str(config.default_database_path())
    try:
        db.connect()
    except peewee.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseUnavailable(f"cannot open database {where}: {first}") from None
    except peewee.PeeweeException as exc:
        raise DatabaseUnavailable(f"cannot open database {where}: {exc}") from None
    try:
        db.bind(MODELS, bind_refs=False, bind_backrefs=False)
        if migrate:
            ensure_schema(db)
    except DatabaseUnavailable:
        db.close()
        raise
    except peewee.DatabaseError as exc:
        db.close()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseUnavailable(f"cannot use database {where}: {first}") from None
    finally:
        if not db.is_closed():
            db.close()
    return db
