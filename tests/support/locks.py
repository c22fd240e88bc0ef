"""Holding SQLite's write lock from another connection, the way a long write in
another process would, so a test can show who waits for it and who does not."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def write_lock_held(path: Path | str, *, wait: float = 5.0) -> Iterator[None]:
    """Another connection holds the write lock of the SQLite file at `path` (an open
    `BEGIN IMMEDIATE`, writing nothing) until the block ends. Taking it waits up to
    `wait` seconds for a writer that has it, then fails with "database is locked"."""
    other = sqlite3.connect(str(path), timeout=wait, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()
