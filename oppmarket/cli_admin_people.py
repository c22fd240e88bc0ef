"""`oppmarket admin people`: finding, adding and changing people, their managers,
hours, caps and admin rights, and deactivating (with every decision it needs named
on the command line) or reactivating them. Admins only: the Market refuses others."""

from __future__ import annotations

import argparse
from types import EllipsisType
from typing import TYPE_CHECKING

from oppmarket.cli_output import print_json, print_rows, say, whole_number
from oppmarket.domain import Person
from oppmarket.errors import ValidationError
from oppmarket.market import MAX_WEEKLY_HOURS
from oppmarket.people import DeactivationPlan, PersonEntry
from oppmarket.text import clean_line

if TYPE_CHECKING:
    from oppmarket.cli import _Context as Context


def _owner_choice(text: str) -> tuple[int, str | None]:
    """'12=jane.doe' -> (12, 'jane.doe'); '12=' cancels posting 12."""
    ident, sep, user = text.partition("=")
    if not sep or not ident.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{clean_line(text)!r} is not OPP_ID=USER (or OPP_ID= to cancel it)")
    return int(ident), user.strip() or None


def add_admin_people_parser(admin_sub, common: argparse.ArgumentParser) -> None:
    p = admin_sub.add_parser("people", parents=[common], help="add, change, deactivate people (admins)")
    sub = p.add_subparsers(dest="people_command", metavar="SUBCOMMAND", required=True)
    q = sub.add_parser("list", parents=[common], help="everyone, or those QUERY names (fuzzy)")
    q.add_argument("query", nargs="?", default="", metavar="QUERY")
    q.add_argument("--inactive", action="store_true", help="include inactive people")
    q.add_argument("--json", action="store_true", help="print JSON")
    q = sub.add_parser("show", parents=[common], help="one person, active or not")
    q.add_argument("user")
    q.add_argument("--json", action="store_true", help="print JSON")
    details = argparse.ArgumentParser(add_help=False)
    details.add_argument("--email")
    details.add_argument("--title")
    details.add_argument("--department", metavar="NAME")
    details.add_argument("--manager", metavar="USER")
    q = sub.add_parser("add", parents=[common, details], help="add a person")
    q.add_argument("user")
    q.add_argument("--name", required=True, help="their name as people read it")
    q.add_argument("--hours", type=whole_number(1, MAX_WEEKLY_HOURS), default=40, help="contracted hours a week")
    q.add_argument("--cap", type=whole_number(0, 100), help="marketplace time cap, %% of their hours "
                                                             "(default: the default_cap_pct setting, or 20)")
    q = sub.add_parser("edit", parents=[common, details], help="change someone's name, email, title, "
                                                              "department or manager")
    q.add_argument("user")
    q.add_argument("--name")
    q.add_argument("--no-department", action="store_true", help="they belong to no department")
    q = sub.add_parser("set-manager", parents=[common], help="someone's line manager (no loops)")
    q.add_argument("user")
    q.add_argument("manager", nargs="?", metavar="MANAGER")
    q.add_argument("--none", action="store_true", help="they have no line manager")
    q = sub.add_parser("set-hours", parents=[common], help="contracted hours a week, and the time cap")
    q.add_argument("user")
    q.add_argument("--hours", type=whole_number(1, MAX_WEEKLY_HOURS), required=True)
    q.add_argument("--cap", type=whole_number(0, 100), help="time cap, %% of their hours")
    for name, words in (("make-admin", "make someone an admin"), ("revoke-admin", "take someone's admin rights "
                                                                                    "(never the last admin's)"),
                        ("reactivate", "let someone deactivated back in")):
        sub.add_parser(name, parents=[common], help=words).add_argument("user")
    q = sub.add_parser("deactivate", parents=[common],
                       help="deactivate someone who leaves; prints what it needs decided, then does it all at once")
    q.add_argument("user")
    q.add_argument("--owner", type=_owner_choice, action="append", default=[], metavar="OPP_ID=USER",
                   help="the new owner of one of their open postings (OPP_ID= cancels it); repeat for each")
    q.add_argument("--cancel-reason", default="", metavar="TEXT", help="why the postings cancelled are cancelled")
    who = q.add_mutually_exclusive_group()
    who.add_argument("--reports-to", metavar="USER", help="the new manager of their direct reports")
    who.add_argument("--reports-to-nobody", action="store_true", help="their direct reports get no manager")


def entry_json(entry: PersonEntry) -> dict:
    p = entry.person
    return {"username": p.username, "name": p.display_name, "email": p.email, "title": p.title,
            "department": p.department, "manager": p.manager_username, "manager_name": entry.manager_name,
            "reports": entry.reports, "weekly_hours": p.weekly_hours, "cap_pct": p.cap_pct,
            "is_admin": p.is_admin, "active": p.active}


def _terms(p: Person) -> str:
    return f"{p.weekly_hours} h, cap {p.cap_pct}%"


def cmd_admin_people(ctx: Context, args) -> int:
    market = ctx.market()
    command = args.people_command
    if command == "list":
        entries = market.people_entries(args.query, include_inactive=args.inactive)
        if args.json:
            print_json([entry_json(e) for e in entries])
        elif not entries:
            say("nobody matches" if args.query else "nobody is in the marketplace yet")
        else:
            print_rows(("username", "name", "department", "manager", "hours/cap", "admin", "active"),
                       [(e.person.username, e.person.display_name, e.person.department or "",
                         e.person.manager_username or "", _terms(e.person), "yes" if e.person.is_admin else "",
                         "yes" if e.person.active else "INACTIVE") for e in entries])
        return 0
    if command == "show":
        entry = market.person_entry(args.user)
        if args.json:
            print_json(entry_json(entry))
        else:
            p = entry.person
            state = ("admin, " if p.is_admin else "") + ("active" if p.active else "INACTIVE")
            say(f"{p.username}: {clean_line(p.display_name)} ({state})")
            for label, value in (("title", p.title), ("email", p.email), ("department", p.department),
                                 ("manager", f"{entry.manager_name} ({p.manager_username})"
                                  if p.manager_username else ""),
                                 ("reports", str(entry.reports)), ("terms", _terms(p))):
                say(f"  {label}: {clean_line(value or '—')}")
        return 0
    if command == "deactivate":
        return _deactivate(market, args)
    said = {
        "add": lambda: _said("added", market.add_person(
            args.user, args.name, email=args.email or "", title=args.title or "", department=args.department,
            manager=args.manager, weekly_hours=args.hours, cap_pct=args.cap)),
        "edit": lambda: _said("changed", market.edit_person(args.user, **_edits(args))),
        "set-manager": lambda: _said("changed", market.set_manager(args.user, _manager(args))),
        "set-hours": lambda: _said("changed", market.set_terms(args.user, weekly_hours=args.hours,
                                                               cap_pct=args.cap)),
        "make-admin": lambda: _said("made an admin:", market.set_admin(args.user, True)),
        "revoke-admin": lambda: _said("no longer an admin:", market.set_admin(args.user, False)),
        "reactivate": lambda: _said("reactivated", market.reactivate_person(args.user)),
    }[command]()
    say(said)
    return 0


def _said(what: str, p: Person) -> str:
    manager = f", manager {p.manager_username}" if p.manager_username else ", no manager"
    return (f"{what} {p.username} ({clean_line(p.display_name)}): {clean_line(p.department or 'no department')}"
            f"{manager}, {_terms(p)}{', admin' if p.is_admin else ''}")


def _edits(args) -> dict:
    if args.no_department and args.department:
        raise ValidationError({"department": "give --department or --no-department, not both"})
    changes: dict[str, str | None] = {name: value for name, value in (
        ("display_name", args.name), ("email", args.email), ("title", args.title), ("department", args.department),
        ("manager", args.manager)) if value is not None}
    if args.no_department:
        changes["department"] = None
    if not changes:
        raise ValidationError({"edit": "nothing to change: give --name, --email, --title, --department "
                                       "or --manager"})
    return changes


def _manager(args) -> str | None:
    if args.none == bool(args.manager):
        raise ValidationError({"manager": "give a MANAGER or --none, one of them"})
    return None if args.none else args.manager


def plan_lines(plan: DeactivationPlan) -> list[str]:
    """What deactivating someone would do, a line each."""
    name = f"{plan.person.username} ({clean_line(plan.person.display_name)})"
    lines = [f"deactivating {name}:"]
    lines += [f"  withdraws application {a.id} to '{clean_line(a.title)}' ({a.status}); {a.owner_username} is told"
              for a in plan.applications]
    lines += [f"  leaves engagement {a.id} in '{clean_line(a.title)}' under way; {a.owner_username} completes it"
              for a in plan.engagements]
    lines += [f"  posting {p.id} '{clean_line(p.title)}' ({p.status}, {p.live_applications} in play): "
              "needs a new owner (--owner ID=USER) or to be cancelled (--owner ID= --cancel-reason TEXT)"
              for p in plan.postings]
    lines += [f"  hosts '{clean_line(p.title)}' of {p.owner_username}, who is told to find another host"
              for p in plan.hosted]
    if plan.reports:
        lines.append(f"  reports: {', '.join(u for u, _ in plan.reports)} need a new manager "
                     "(--reports-to USER or --reports-to-nobody)")
    if len(lines) == 1:
        lines.append("  nothing of theirs is in play; their history stays")
    return lines


def _deactivate(market, args) -> int:
    plan = market.deactivation_plan(args.user)
    for line in plan_lines(plan):
        say(line)
    reports_to: str | None | EllipsisType = None if args.reports_to_nobody else (args.reports_to or ...)
    person = market.deactivate_person(args.user, new_owners=dict(args.owner), cancel_reason=args.cancel_reason,
                                      reports_to=reports_to)
    say(f"deactivated {person.username}: they can no longer sign in; their history stays")
    return 0
