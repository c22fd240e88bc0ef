"""Faults of the database or the system, in words a person can act on.

A call can fail for reasons no domain rule foresaw: the database file is read-only,
another writer keeps the lock past the busy timeout, the disk is full, the file is
damaged, a folder cannot be made, the server went away. `explain` turns such an error
(peewee's, the sqlite3 or psycopg2 driver's underneath it, or the operating system's)
into one line saying what is wrong and what to do; an error it does not know is a
bug, which `summary` names by its type and first line. Either way `record` writes the
traceback to the log file, never to a terminal: a traceback there shows SQL
parameters, profiles and the server's paths to whoever is at the keys. `one_line` is
what a terminal gets, `describe` what an error dialog says.

Nothing here imports peewee or a driver: peewee keeps the driver's error as `orig`
(and as the context), and the drivers say what went wrong in their own codes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import sqlite3
import traceback
from collections.abc import Iterator
from pathlib import Path

from oppmarket import config
from oppmarket.text import clean, clean_line

LOG_MODE = 0o600  # tracebacks hold data and paths: for the account that runs oppmarket only
_MAX_CAUSES = 32

_BUSY = "{db} is busy: another process kept it locked longer than oppmarket waits; try again in a moment"
_DAMAGED = "{db} is damaged ({said}): restore it from a backup"
_LOST = "lost the connection to {db} ({said}): check that the server is running and reachable, then try again"

# SQLite's primary result codes (the part of `sqlite_errorname` after SQLITE_).
_SQLITE = {
    "READONLY": "{db} is read-only for this account: oppmarket must be able to write the file and its "
                "folder; ask whoever looks after it, or check their permissions",
    "BUSY": _BUSY,
    "LOCKED": _BUSY,
    "FULL": "the disk holding {db} is full: free some space, then try again",
    "CORRUPT": _DAMAGED,
    "NOTADB": "{db} is not a SQLite database, or is damaged: check the path, or restore it from a backup",
    "IOERR": "the disk failed while reading or writing {db} ({said}): check the disk and its free space, "
             "then try again",
    "CANTOPEN": "cannot open {db}: check that its folder exists and that this account may write there",
    "PERM": "{db} refused access ({said}): check the file's permissions",
}

# PostgreSQL's SQLSTATE codes, then their two-character classes.
_POSTGRES = {
    "53100": "the disk of {db} is full: ask its administrator to free some space",
    "53300": "{db} has no free connection: try again in a moment, or ask its administrator for more",
    "55P03": _BUSY,
    "40P01": _BUSY,
    "40001": _BUSY,
    "57014": "{db} cancelled a statement that ran too long: try again, and if it keeps happening ask its "
             "administrator about statement_timeout",
    "57P01": "{db} is shutting down or restarting: try again in a moment",
    "57P02": "{db} is shutting down or restarting: try again in a moment",
    "57P03": "{db} is not accepting connections yet: try again in a moment",
    "25006": "{db} accepts only reads (a standby server?): point oppmarket at the primary",
    "42501": "the account oppmarket uses on {db} may not do this ({said}): ask its administrator for the rights",
    "XX001": _DAMAGED,
    "XX002": _DAMAGED,
    "08": _LOST,
    "53": "{db} is out of resources ({said}): try again later, or ask its administrator",
}

_OS = {
    errno.ENOSPC: "no space left on the disk{for_path}: free some space, then try again",
    errno.EDQUOT: "your disk quota is used up{for_path}: free some space, then try again",
    errno.EACCES: "permission denied{on_path}: check who may read and write it",
    errno.EPERM: "permission denied{on_path}: check who may read and write it",
    errno.EROFS: "read-only file system{on_path}: oppmarket needs to write there",
    errno.ENOTDIR: "cannot use {path}: part of that path is a file, not a folder",
    errno.ENOENT: "{path} does not exist",
    errno.EIO: "input/output error{on_path}: check the disk",
}


def explain(error: BaseException, where: str | None = None) -> str | None:
    """One line saying what went wrong and what to do, for a fault of the database
    or the system; None for anything else (a bug). `where` names the database (with
    any password already redacted); without it the line says "the database"."""
    db = f"the database {where}" if where else "the database"
    for cause in _causes(error):
        said = _sqlite(cause, db) or _postgres(cause, db) or _os(cause)
        if said:
            return clean_line(said)
    return None


def summary(error: BaseException) -> str:
    """'RuntimeError: the first line of its message', cut to one line of a dialog."""
    said = f"{type(error).__name__}: {_first_line(error)}" if _first_line(error) else type(error).__name__
    said = clean_line(said)
    return said if len(said) <= 200 else said[:199] + "…"


def describe(error: BaseException, where: str | None = None) -> str:
    """What the user reads about `error`: `explain`'s line, or the bug's summary."""
    return explain(error, where) or summary(error)


def details(log: Path | None, *, remote: bool = False) -> str:
    """Where the traceback went, as the end of a sentence. In an SSH session the log
    is on the server, out of reach of the person at the keys, so its path is not shown."""
    if log is None:
        return "the details could not be written to the log file"
    return "the details are in the log on the server" if remote else f"the details are in {log}"


def one_line(error: BaseException, log: Path | None, *, where: str | None = None, remote: bool = False) -> str:
    """What a terminal gets when a command or the app stops on `error`: the fault in
    words to act on, or the bug by name and where its details are."""
    return explain(error, where) or f"{summary(error)} (a bug; {details(log, remote=remote)})"


def record(error: BaseException) -> Path | None:
    """Append `error` with its traceback to the log file, which only its owner may
    read; the file's path, or None when it cannot be written (a full disk, a
    read-only home), so that the user is told that instead of a path to nothing."""
    path = config.log_path()
    entry = (f"--- {dt.datetime.now():%Y-%m-%d %H:%M:%S} {summary(error)}\n"
             + clean("".join(traceback.format_exception(error))))
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Never through a link planted where the log goes.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, LOG_MODE)
        with os.fdopen(fd, "a", encoding="utf-8") as log:
            if os.fstat(fd).st_mode & 0o077:  # a log left readable by an older version
                with contextlib.suppress(OSError):
                    os.fchmod(fd, LOG_MODE)
            log.write(entry)
    except OSError:
        return None
    return path


def _causes(error: BaseException) -> Iterator[BaseException]:
    """`error`, then what it wraps, nearest first: peewee's driver error (`orig`), the
    cause and the context. The context matters: when a failed write cannot roll back,
    the error raised is the rollback's, and the full disk that began it is behind it."""
    seen: set[int] = set()
    queue = [error]
    while queue and len(seen) < _MAX_CAUSES:
        current = queue.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        queue += [linked for linked in (getattr(current, "orig", None), current.__cause__, current.__context__)
                  if isinstance(linked, BaseException)]


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0].strip() if lines else ""


def _sqlite(error: BaseException, db: str) -> str | None:
    name = getattr(error, "sqlite_errorname", None) if isinstance(error, sqlite3.Error) else None
    if not name:
        return None
    primary = name.removeprefix("SQLITE_").split("_", 1)[0]
    text = _SQLITE.get(primary)
    return text.format(db=db, said=_first_line(error)) if text else None


def _postgres(error: BaseException, db: str) -> str | None:
    if not type(error).__module__.startswith("psycopg2"):
        return None
    code = getattr(error, "pgcode", None) or ""
    said = _first_line(error)
    if not code:
        # No SQLSTATE: the client side failed, which for these two means the connection.
        if type(error).__name__ in ("OperationalError", "InterfaceError"):
            return _LOST.format(db=db, said=said)
        return None
    text = _POSTGRES.get(code) or _POSTGRES.get(code[:2])
    return text.format(db=db, said=said) if text else None


def _os(error: BaseException) -> str | None:
    if not isinstance(error, OSError) or error.errno is None:
        return None
    names = [os.fsdecode(n) for n in (error.filename, error.filename2) if isinstance(n, (str, bytes))]
    path = " and ".join(names)
    text = _OS.get(error.errno)
    if text is None or (not path and "{path}" in text):
        said = error.strerror or _first_line(error) or type(error).__name__
        return f"{said}: {path}" if path else said
    return text.format(path=path, for_path=f" for {path}" if path else "",
                       on_path=f": {path}" if path else "")
