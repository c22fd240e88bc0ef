"""How the `oppmarket` command prints: one-line errors and faults, user text without
control characters, JSON with everything beyond ASCII escaped, tables, a progress bar,
and files that replace their target only once complete."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path

from oppmarket import config, faults, transfer
from oppmarket.errors import OppMarketError, ValidationError
from oppmarket.text import clean, clean_line, printable


def print_error(exc: OppMarketError) -> None:
    """The error on one line (an import's bad rows, or several bad fields, one line
    each below it). Messages quote what users wrote, so control characters go."""
    print(f"oppmarket: error: {clean_line(str(exc))}", file=sys.stderr)
    if isinstance(exc, transfer.ImportErrors) or (isinstance(exc, ValidationError) and len(exc.fields) > 1):
        for where, problem in exc.fields.items():
            print(f"  {clean_line(where)}: {clean_line(problem)}", file=sys.stderr)


def print_fault(exc: Exception, args: argparse.Namespace) -> int:
    """A fault of the database or the system in one line a person can act on, or a
    bug in one line; either way the traceback goes to the log file, not the terminal."""
    log = faults.record(exc)
    said = faults.one_line(exc, log, where=database_named(args), remote=args.command == "ssh-session")
    print(f"oppmarket: error: {clean_line(said)}", file=sys.stderr)
    drop_unwritable_output()
    return 1


def drop_unwritable_output() -> None:
    """When standard output is what failed (a full disk), Python would try to flush
    it again on exit and print a complaint of its own: send what is left nowhere."""
    try:
        sys.stdout.flush()
    except OSError:
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def database_named(args: argparse.Namespace) -> str | None:
    """The database the command meant, fit to print; None if even that fails."""
    from oppmarket.db.connection import redact

    try:
        url = config.choose_database(getattr(args, "db", None), config.load_settings()).url
    except (OppMarketError, OSError):
        return None
    return clean_line(redact(url) if url else str(config.default_database_path()))


def say(line: str, file=None) -> None:
    """Print one line of a command's output. It holds user text (names, titles, paths
    given on the command line, perhaps an old row from before validation), so no
    control character or bidi control reaches the terminal."""
    print(printable(line), file=file)


def say_text(text: str) -> None:
    """Print text of several lines as `say` prints one (tabs and line breaks kept)."""
    print(clean(text), end="")


def print_json(value) -> None:
    """Print `value` as JSON with every character beyond ASCII escaped: the data stay
    exact, and a control character or bidi control in them reaches the terminal only
    as an escape such as \\u202e."""
    print(json.dumps(value, default=transfer._cell, ensure_ascii=True, indent=2))


def progress():
    """A Rich progress bar on standard error, driven by (stage, done, total) calls;
    only for a person at a terminal, so that a script's output and logs stay clean."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    bar = Progress(TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   transient=False, console=console, disable=not console.is_terminal)
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    return bar, update


def redacted(ctx) -> str:
    from oppmarket.db.connection import redact

    return redact(ctx.where)


def write_file(target: Path, write) -> int:
    """Run `write` on a new file that replaces `target` only once it is complete.

    The temporary file gets a fresh random name in the target's folder, created
    exclusively (never through a link someone planted there) and readable by the owner
    alone, since exports hold personal data. On any failure it goes and `target` stays
    as it was."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            count = write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return count


def print_rows(headers: tuple[str, ...], rows: list[tuple]) -> None:
    """A plain aligned table; cells are user text, so Rich never sees them as markup."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(*headers, box=None, pad_edge=False)
    for row in rows:
        table.add_row(*(Text(clean_line(str(cell)) if cell is not None else "") for cell in row))
    Console().print(table)


def whole_number(low: int = 1, high: int | None = None):
    """An argparse type: a whole number of at least `low` (and at most `high`); argparse
    puts the flag's name before the message."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{clean_line(text)!r} is not a whole number") from None
        if high is None and value < low:
            raise argparse.ArgumentTypeError(f"{value} must be at least {low}")
        if high is not None and not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not between {low} and {high}")
        return value

    return parse
