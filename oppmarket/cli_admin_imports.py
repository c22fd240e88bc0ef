"""`oppmarket admin imports preview|run KIND FILE`: an import file looked at before it
is imported (its first rows as read, every problem by line, how many rows are new,
changed or unchanged), and the import itself, as `oppmarket import` runs it."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from oppmarket import transfer
from oppmarket.cli_output import print_json, print_rows, say, whole_number
from oppmarket.domain import ImportPreview

if TYPE_CHECKING:
    from oppmarket.cli import _Context as Context


def add_admin_imports_parser(admin_sub, common: argparse.ArgumentParser) -> None:
    p = admin_sub.add_parser("imports", parents=[common], help="preview an import file, then run it (admins)")
    imports_sub = p.add_subparsers(dest="imports_command", metavar="SUBCOMMAND", required=True)
    q = imports_sub.add_parser("preview", parents=[common],
                               help="the first rows as read, every problem by line, and what would change")
    q.add_argument("what", choices=transfer.KINDS, metavar="KIND", help=", ".join(transfer.KINDS))
    q.add_argument("file", type=Path)
    q.add_argument("--rows", type=whole_number(0, 1000), default=10, help="how many rows to show (default 10)")
    q.add_argument("--json", action="store_true", help="print JSON")
    q = imports_sub.add_parser("run", parents=[common], help="import the file: every row, or none if any is wrong")
    q.add_argument("what", choices=transfer.KINDS, metavar="KIND", help=", ".join(transfer.KINDS))
    q.add_argument("file", type=Path)


def cmd_admin_imports(ctx: Context, args) -> int:
    if args.imports_command == "run":
        from oppmarket.cli import cmd_import

        return cmd_import(ctx, args)
    preview = ctx.importer().preview_import(args.what, args.file, rows=args.rows)
    if args.json:
        print_json({**asdict(preview), "ready": preview.ready,
                    "first_rows": [{"line": line, **dict(zip(preview.columns, cells))}
                                   for line, cells in preview.first_rows]})
    else:
        show(preview)
    return 0 if preview.ready else 1


def counts_words(preview: ImportPreview) -> str:
    """'3 rows read as people: 1 new, 1 changed, 1 unchanged'."""
    return (f"{preview.rows} row{'' if preview.rows == 1 else 's'} read as {preview.kind}: {preview.new} new, "
            f"{preview.changed} changed, {preview.unchanged} unchanged")


def show(preview: ImportPreview) -> None:
    say(f"{preview.path}: {counts_words(preview)}")
    if preview.first_rows:
        print_rows(("line", *preview.columns), [(line, *cells) for line, cells in preview.first_rows])
    if preview.problems:
        say(f"{len(preview.problems)} problem(s); nothing would be imported until they are fixed:")
        for problem in preview.problems:
            say(f"  {problem.where}: {problem.message}")
    else:
        say(f"no problems: `oppmarket admin imports run {preview.kind} FILE` imports it")
