"""`oppmarket searches`: list, save and remove the searches that send you new
postings, as text or as JSON for scripts."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from oppmarket import saved_searches
from oppmarket.cli_output import print_json, print_rows, say, whole_number
from oppmarket.domain import KINDS
from oppmarket.errors import NotFound

if TYPE_CHECKING:
    from oppmarket.cli import _Context as Context


def add_searches_parser(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("searches", parents=[common],
                       help="your saved searches: new postings matching one reach your inbox")
    p.add_argument("--json", action="store_true", help="print JSON")
    searches_sub = p.add_subparsers(dest="searches_command", metavar="SUBCOMMAND")
    q = searches_sub.add_parser("save", parents=[common], help="save a search under NAME")
    q.add_argument("name", metavar="NAME")
    q.add_argument("--query", default="", help="skills (aliases welcome), title or description words")
    q.add_argument("--kind", choices=KINDS)
    q.add_argument("--department", help="only this department's postings")
    q.add_argument("--max-hours", type=whole_number(), metavar="N", help="only postings of at most N hours a week")
    q.add_argument("--remote-only", action="store_true", help="only postings that can be done remotely")
    q.add_argument("--json", action="store_true", help="print JSON")
    q = searches_sub.add_parser("remove", parents=[common], help="forget the saved search NAME")
    q.add_argument("name", metavar="NAME")


def _record(saved) -> dict:
    return {"name": saved.name, "query": saved.query, "kind": saved.kind, "department": saved.department,
            "max_hours": saved.max_hours, "remote_only": saved.remote_only, "created_at": saved.created_at}


def cmd_searches(ctx: Context, args) -> int:
    market = ctx.market()
    try:
        market.whoami()
    except NotFound:
        raise NotFound(ctx.no_profile_message()) from None
    command = getattr(args, "searches_command", None)
    if command == "save":
        saved = market.save_search(args.name, query=args.query, kind=args.kind, department=args.department,
                                   max_hours=args.max_hours, remote_only=args.remote_only)
        if args.json:
            print_json(_record(saved))
        else:
            say(f"saved '{saved.name}': {saved_searches.describe(saved)}; new postings matching it "
                "will reach your inbox")
        return 0
    if command == "remove":
        market.remove_search(args.name)
        say(f"removed the saved search '{args.name}'")
        return 0
    found = market.saved_searches()
    if args.json:
        print_json([_record(s) for s in found])
    elif not found:
        say("no saved searches yet: save one with `oppmarket searches save NAME --query ...`")
    else:
        print_rows(("name", "looks for", "saved"),
                   [(s.name, saved_searches.describe(s), f"{s.created_at:%Y-%m-%d}") for s in found])
    return 0
