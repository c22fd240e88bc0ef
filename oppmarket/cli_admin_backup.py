"""`oppmarket admin backup FILE`: a verified copy of a SQLite marketplace made while
people keep working in it, or, for a server database, the commands that back it up
and restore it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from oppmarket import backup, policy
from oppmarket.cli_output import progress, say
from oppmarket.errors import PermissionDenied

if TYPE_CHECKING:
    from oppmarket.cli import _Context as Context


def add_admin_backup_parser(admin_sub, common: argparse.ArgumentParser) -> None:
    p = admin_sub.add_parser("backup", parents=[common],
                             help="copy the database while it is in use, and check the copy (admins)")
    p.add_argument("file", type=Path, metavar="FILE", help="the backup file to write")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")


def size_words(size: int) -> str:
    """1234567 -> '1.2 MiB'."""
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def _may_back_up(ctx: Context) -> None:
    market = ctx.market()
    person = market.whoami() if ctx.who.username and market.has_profile() else None
    if (why := policy.may_back_up(person, ctx.who.owns_database)) is not None:
        raise PermissionDenied(why)


def cmd_admin_backup(ctx: Context, args) -> int:
    from oppmarket.db.connection import redact, sqlite_path_of

    _may_back_up(ctx)
    source = sqlite_path_of(ctx.url)
    if source is None:
        say(f"{redact(ctx.where)} is a server database; back it up with its own tool (it asks for the password, "
            "or reads ~/.pgpass or PGPASSWORD):")
        say(f"  {backup.dump_command(ctx.url, args.file)}")
        say("and restore it, with the app stopped, with:")
        say(f"  {backup.restore_command(ctx.url, args.file)}")
        return 0
    bar, update = progress()
    with bar:
        made = backup.back_up_sqlite(source, args.file, force=args.force,
                                     progress=lambda done, total: update("copying", done, total))
    counts = ", ".join(f"{count} {label}" for label, count in made.counts.items())
    say(f"backed up {source} to {made.path}: {size_words(made.size)}, schema version {made.schema_version}, "
        f"integrity check ok; {counts}")
    say("restore: stop the app, copy the file back in place of the database, then run `oppmarket whoami`",
        file=sys.stderr)
    return 0
