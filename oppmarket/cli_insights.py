"""`oppmarket insights`: the period's figures on the command line, as readable text
(without colour too, and in a pipe) or as JSON for scripts."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from oppmarket.cli_output import print_json
from oppmarket.errors import NotFound
from oppmarket.text import clean_line

if TYPE_CHECKING:
    from oppmarket.cli import _Context as Context


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{clean_line(text)!r} is not a date like 2026-03-31") from None


def add_insights_parser(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("insights", parents=[common],
                       help="participation, equal access, releases, hours unlocked, core work and skills gained")
    p.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="from this day (default: the beginning)")
    p.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="up to this day, included (default: today)")
    p.add_argument("--json", action="store_true", help="print JSON")


def cmd_insights(ctx: Context, args) -> int:
    from rich.console import Console

    from oppmarket import render_insights

    try:
        found = ctx.market().insights(since=args.since, until=args.until)
    except NotFound:
        raise NotFound(ctx.no_profile_message()) from None
    if args.json:
        print_json(render_insights.document(found))
        return 0
    console = Console(highlight=False)
    for part in render_insights.report(found):
        console.print(part)
    return 0
