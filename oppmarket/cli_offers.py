"""`oppmarket accept` and `oppmarket decline-offer`: the candidate's answer to an
offer, before its deadline. Only an accepted offer goes on to the line manager."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oppmarket.cli_output import say
from oppmarket.lifecycle import RELEASE_WAITING
from oppmarket.text import clean_line

if TYPE_CHECKING:
    from oppmarket.cli import _Context as Context


def add_offer_parsers(sub, common) -> None:
    p = sub.add_parser("accept", parents=[common],
                       help="accept an offer made to you; your line manager is then asked to release your time")
    p.add_argument("application", type=int, metavar="APP_ID", help="your application's id")

    p = sub.add_parser("decline-offer", parents=[common], help="turn down an offer made to you; the seat frees")
    p.add_argument("application", type=int, metavar="APP_ID", help="your application's id")
    p.add_argument("--reason", default="", metavar="TEXT", help="why, for the owner (optional)")


def cmd_accept(ctx: Context, args) -> int:
    result = ctx.market().accept(args.application)
    title = clean_line(result.opportunity_title)
    if result.status == RELEASE_WAITING:
        say(f"accepted '{title}'; your line manager is asked to release your time "
            f"by {result.release_due:%Y-%m-%d}")
    else:
        say(f"accepted '{title}'; you can start")
    return 0


def cmd_decline_offer(ctx: Context, args) -> int:
    result = ctx.market().decline_offer(args.application, args.reason)
    say(f"declined the offer of '{clean_line(result.opportunity_title)}'; the owner is told")
    return 0


COMMANDS = {"accept": cmd_accept, "decline-offer": cmd_decline_offer}
