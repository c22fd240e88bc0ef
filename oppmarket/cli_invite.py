"""`oppmarket candidates`, `oppmarket invite` and `oppmarket invitations`: an owner's
best-matching people open to invitations for a posting, inviting one of them to
apply, and saying whether you are open to invitations yourself."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from oppmarket.cli_output import print_json, print_rows, say, whole_number
from oppmarket.errors import NotFound
from oppmarket.text import clean_line

if TYPE_CHECKING:
    from oppmarket.cli import _Context as Context


def add_invite_parsers(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("candidates", parents=[common],
                       help="people open to invitations who fit your open posting best, with reasons")
    p.add_argument("opportunity", type=int, metavar="OPP_ID", help="the posting's id")
    p.add_argument("--limit", type=whole_number(1, 100), default=20, metavar="N", help="how many (1-100, default 20)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("invite", parents=[common], help="invite someone open to invitations to apply to your posting")
    p.add_argument("opportunity", type=int, metavar="OPP_ID", help="the posting's id")
    p.add_argument("user", metavar="USER", help="their username")
    p.add_argument("--message", default="", metavar="TEXT", help="a word to them with the invitation")

    p = sub.add_parser("invitations", parents=[common],
                       help="whether owners may invite you to apply: show it, or turn it on or off")
    p.add_argument("state", nargs="?", choices=("on", "off"), help="on: open to invitations; off: closed")


def cmd_candidates(ctx: Context, args) -> int:
    found = ctx.market().candidates(args.opportunity, limit=args.limit)
    if args.json:
        print_json([{
            "username": c.profile.person.username, "name": c.profile.person.display_name,
            "department": c.profile.person.department, "score": c.match.score, "summary": c.match.summary,
            "raise_hint": c.match.raise_hint,
            "terms": [{"name": t.name, "points": t.points, "max": t.max_points, "detail": t.detail}
                      for t in c.match.terms],
            "past_engagements": c.completed, "mean_rating": c.mean_rating,
            "invited_at": c.invited_at.isoformat(sep=" ") if c.invited_at else None,
        } for c in found])
    elif not found:
        say(f"nobody open to invitations is left to invite to opportunity {args.opportunity}")
    else:
        print_rows(("user", "name", "score", "invited", "why"),
                   [(c.profile.person.username, c.profile.person.display_name, c.match.score,
                     f"{c.invited_at:%Y-%m-%d}" if c.invited_at else "", c.match.summary) for c in found])
    return 0


def cmd_invite(ctx: Context, args) -> int:
    invitation = ctx.market().invite(args.opportunity, args.user, args.message)
    say(f"invited {invitation.invitee_username} to apply to '{clean_line(invitation.opportunity_title)}'; "
        "they are told in their inbox")
    return 0


def cmd_invitations(ctx: Context, args) -> int:
    market = ctx.market()
    try:
        person = (market.whoami() if args.state is None
                  else market.set_open_to_invitations(args.state == "on"))
    except NotFound:
        raise NotFound(ctx.no_profile_message()) from None
    say("you are open to invitations: owners of postings you match may invite you to apply"
        if person.open_to_invitations else "you are closed to invitations")
    return 0
