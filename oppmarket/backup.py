"""A consistent copy of the marketplace while people keep working in it.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies the database a
few pages at a time into a temporary file beside the target, so writers are held up
for a moment per step at most; the copy is made a single self-contained file, synced
to disk, checked (`PRAGMA integrity_check`, and it must hold our tables at the
source's schema version) and only then linked into place, owner-only. PostgreSQL has
its own tools: `dump_command` and `restore_command` say what to run."""

from __future__ import annotations

import contextlib
import os
import shlex
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from oppmarket.errors import DatabaseUnavailable, ValidationError
from oppmarket.text import clean_line

# Pages a step copies (at SQLite's usual 4 KiB a page, 4 MiB), and how many times a
# stepwise copy may start over because someone wrote meanwhile before it copies in one
# step instead (on a WAL database that step reads one snapshot, and writers go on).
STEP_PAGES = 1024
MAX_RESTARTS = 3
BACKUP_FILE_MODE = 0o600
# The tables a backup counts, as the report names them. A test holds them to the models.
COUNTED = (("employee", "people"), ("skill", "skills"), ("opportunity", "opportunities"),
           ("application", "applications"))
VERSION_TABLE = "schema_version"

Progress = Callable[[int, int], None] | None


@dataclass(frozen=True)
class Backup:
    """A verified copy: where it is, its size in bytes, its schema version and how
    many rows its main tables hold."""

    path: Path
    size: int
    schema_version: int
    counts: dict[str, int]


class _StartedOver(Exception):
    """A stepwise copy started over too often; copy in one step instead."""


def _named(path: Path) -> str:
    return clean_line(str(path))


def _version_and_counts(conn: sqlite3.Connection, where: str) -> tuple[int, dict[str, int]]:
    try:
        version = conn.execute(f"SELECT MAX(version) FROM {VERSION_TABLE}").fetchone()[0]
        counts = {label: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table, label in COUNTED}
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            raise DatabaseUnavailable(f"{where} is not an oppmarket database") from None
        raise DatabaseUnavailable(f"could not read {where}: {exc}") from None
    except sqlite3.DatabaseError:
        raise DatabaseUnavailable(f"{where} is not an oppmarket database") from None
    return int(version or 0), counts


def _copy(source: sqlite3.Connection, target: sqlite3.Connection, progress: Progress) -> None:
    """Copy stepwise; when writes keep starting the copy over, in one step."""
    seen = {"remaining": None, "restarts": 0}

    def step(status: int, remaining: int, total: int) -> None:
        if seen["remaining"] is not None and remaining > seen["remaining"]:
            seen["restarts"] += 1
            if seen["restarts"] > MAX_RESTARTS:
                raise _StartedOver
        seen["remaining"] = remaining
        if progress is not None:
            progress(total - remaining, total)

    try:
        source.backup(target, pages=STEP_PAGES, progress=step, sleep=0.01)
    except _StartedOver:
        source.backup(target, pages=-1)


def back_up_sqlite(source: Path, target: Path, *, force: bool = False, progress: Progress = None) -> Backup:
    """Copy the SQLite database at `source` to `target` while others keep using it,
    verify the copy and return what it holds. Refuses to replace an existing `target`
    unless `force`; on any failure `target` stays as it was and no temporary file is
    left behind."""
    target = Path(target)
    if not source.is_file():
        raise DatabaseUnavailable(f"there is no database at {_named(source)} to back up")
    if target.is_dir():
        raise ValidationError({"file": f"{_named(target)} is a folder; name the backup file"})
    if not target.parent.is_dir():
        raise ValidationError({"file": f"folder {_named(target.parent)} does not exist"})
    if target.exists():
        if not force:
            raise ValidationError({"file": f"{_named(target)} already exists; use --force to replace it"})
        if os.path.samefile(source, target):
            raise ValidationError({"file": "that is the database itself; name another file"})
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)  # mkstemp made it for its owner alone; SQLite takes an empty file as a new database
    try:
        with contextlib.closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=rw", uri=True, timeout=15)) as src:
            version, _ = _version_and_counts(src, _named(source))
            with contextlib.closing(sqlite3.connect(tmp)) as dst:
                _copy(src, dst, progress)
                # One self-contained file: no -wal beside the copy to lose.
                dst.execute("PRAGMA journal_mode=DELETE")
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())
        copied, counts = _verify(Path(tmp), version)
        if force:
            os.replace(tmp, target)
        else:
            os.link(tmp, target)  # fails if someone made `target` meanwhile, never replaces it
            os.unlink(tmp)
        _sync_folder(target.parent)
    except FileExistsError:
        raise ValidationError({"file": f"{_named(target)} already exists; use --force to replace it"}) from None
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(f"cannot back up {_named(source)}: {exc}") from None
    except OSError as exc:
        raise ValidationError({"file": f"cannot write {_named(target)}: {exc.strerror or exc}"}) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return Backup(target, target.stat().st_size, copied, counts)


def _verify(copy: Path, version: int) -> tuple[int, dict[str, int]]:
    """The copy passes SQLite's integrity check and is an oppmarket database at
    `version`; its version and counts."""
    with contextlib.closing(sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise DatabaseUnavailable(f"the copy failed SQLite's integrity check: {clean_line(result[0])}")
        found, counts = _version_and_counts(conn, "the copy")
    if found != version:
        raise DatabaseUnavailable(f"the copy is at schema version {found}, not {version} as the database is")
    return found, counts


def _sync_folder(folder: Path) -> None:
    """Make the new name in `folder` survive a crash."""
    with contextlib.suppress(OSError):  # some file systems cannot open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _without_password(url: str) -> str:
    """A postgresql:// URL with the password left out of its user info and query."""
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    netloc = f"{userinfo.split(':', 1)[0]}@{hostport}" if at else hostport
    query = "&".join(pair for pair in parts.query.split("&")
                     if pair and "password" not in unquote_plus(pair.partition("=")[0]).lower())
    return urlunsplit(("postgresql", netloc, parts.path, query, ""))


def dump_command(url: str, target: Path) -> str:
    """The pg_dump command that backs up the server database at `url` into `target`,
    with no password in it: pg_dump asks for one, or reads ~/.pgpass or PGPASSWORD."""
    return f"pg_dump --format=custom --file={shlex.quote(str(target))} {shlex.quote(_without_password(url))}"


def restore_command(url: str, target: Path) -> str:
    """The pg_restore command that puts a `dump_command` file back (the app stopped)."""
    return (f"pg_restore --clean --if-exists --dbname={shlex.quote(_without_password(url))} "
            f"{shlex.quote(str(target))}")
