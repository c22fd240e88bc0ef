"""`oppmarket key-roles`: the key roles and their benches, for anyone; and
`oppmarket admin key-roles`: adding, changing and removing them, for admins."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from oppmarket.capability import READINESS, KeyRoleBench
from oppmarket.cli_output import print_json, print_rows, say
from oppmarket.domain import RISKS, KeyRole
from oppmarket.errors import ValidationError
from oppmarket.text import clean_line

if TYPE_CHECKING:
    from oppmarket.cli import _Context as Context


def _skill_level(text: str) -> tuple[str, int]:
    """'Kubernetes=4' -> ('Kubernetes', 4)."""
    name, sep, level = text.rpartition("=")
    if not sep or not name.strip() or not level.strip().isdigit() or not 1 <= int(level) <= 5:
        raise argparse.ArgumentTypeError(f"{text!r} is not SKILL=LEVEL with a level from 1 to 5")
    return name.strip(), int(level)


def _id(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a key role's id")
    return int(text)


def add_key_roles_parser(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("key-roles", parents=[common], help="key roles and their bench: who could step in")
    p.add_argument("--json", action="store_true", help="print JSON")
    roles_sub = p.add_subparsers(dest="key_roles_command", metavar="SUBCOMMAND")
    q = roles_sub.add_parser("show", parents=[common], help="one key role and its bench, with each gap")
    q.add_argument("id", type=_id, metavar="ID")
    q.add_argument("--json", action="store_true", help="print JSON")


def add_admin_key_roles_parser(admin_sub, common: argparse.ArgumentParser) -> None:
    p = admin_sub.add_parser("key-roles", parents=[common], help="add, change or remove key roles (admins)")
    roles_sub = p.add_subparsers(dest="key_roles_command", metavar="SUBCOMMAND", required=True)
    q = roles_sub.add_parser("list", parents=[common], help="every key role: holder, risk, bench and the skills it needs")
    q.add_argument("--json", action="store_true", help="print JSON")
    fields = argparse.ArgumentParser(add_help=False)
    fields.add_argument("--holder", metavar="USER", help="who holds the role now")
    fields.add_argument("--department", metavar="NAME", help="the role's department")
    fields.add_argument("--risk", choices=RISKS, help="how much it would hurt to lose the holder")
    q = roles_sub.add_parser("add", parents=[common, fields], help="add a key role")
    q.add_argument("title")
    q.add_argument("--skill", type=_skill_level, action="append", default=[], metavar="SKILL=LEVEL",
                   help="a skill the role needs, with its level (repeat for each)")
    q = roles_sub.add_parser("edit", parents=[common, fields], help="change a key role's title, holder, "
                                                                   "department or risk")
    q.add_argument("id", type=_id, metavar="ID")
    q.add_argument("--title")
    q.add_argument("--no-holder", action="store_true", help="the role has no holder now")
    q.add_argument("--no-department", action="store_true", help="the role belongs to no department")
    q = roles_sub.add_parser("skills", parents=[common], help="set the skills a key role needs (replacing them)")
    q.add_argument("id", type=_id, metavar="ID")
    q.add_argument("skills", type=_skill_level, nargs="+", metavar="SKILL=LEVEL")
    q = roles_sub.add_parser("remove", parents=[common], help="remove a key role (its postings stay)")
    q.add_argument("id", type=_id, metavar="ID")


def role_json(role: KeyRole) -> dict:
    return {"id": role.id, "title": role.title, "holder": role.holder_username, "holder_name": role.holder_name,
            "department": role.department, "risk": role.risk,
            "skills": [{"skill": name, "level": level} for name, level in role.skills]}


def bench_json(bench: KeyRoleBench) -> dict:
    return role_json(bench.role) | {
        "bench": {"ready": bench.size.ready, "one_short": bench.size.one_short, "two_short": bench.size.two_short},
        "candidates": [{"username": c.username, "name": c.display_name, "department": c.department,
                        "short": c.short, "gaps": [{"skill": g.skill, "has": g.has, "needs": g.needs,
                                                    "stale": g.stale} for g in c.gaps]} for c in bench.candidates],
        "hidden": bench.hidden.total, "why_hidden": bench.why_hidden,
    }


def _skills_words(role: KeyRole) -> str:
    return ", ".join(f"{name} {level}" for name, level in role.skills) or "no skills set"


def cmd_key_roles(ctx: Context, args) -> int:
    market = ctx.market()
    if args.key_roles_command == "show":
        return _show(market.key_role(args.id), args.json)
    summaries = market.key_roles()
    if args.json:
        print_json([role_json(s.role) | {"bench": {"ready": s.size.ready, "one_short": s.size.one_short,
                                                   "two_short": s.size.two_short}} for s in summaries])
    elif not summaries:
        say("no key roles yet; an admin adds one with `oppmarket admin key-roles add TITLE`")
    else:
        print_rows(("id", "key role", "holder", "risk", "ready", "1 short", "2 short", "needs"),
                   [(s.role.id, s.role.title, s.role.holder_name or "vacant", s.role.risk, *s.size.by_short(),
                     _skills_words(s.role)) for s in summaries])
    return 0


def _show(bench: KeyRoleBench, as_json: bool) -> int:
    if as_json:
        print_json(bench_json(bench))
        return 0
    role = bench.role
    say(f"{role.title} ({role.risk} risk), {role.department or 'no department'}; "
        f"held by {role.holder_name or 'nobody'}{f' ({role.holder_username})' if role.holder_username else ''}")
    say(f"  needs: {_skills_words(role)}")
    say("  bench: " + ", ".join(f"{words.lower()} {count}" for words, count in zip(READINESS, bench.size.by_short())))
    if bench.candidates:
        print_rows(("readiness", "username", "name", "department", "gap"),
                   [(c.readiness.lower(), c.username, c.display_name, c.department or "",
                     ", ".join(g.words() for g in c.gaps) or "none") for c in bench.candidates])
    elif not bench.size.total:
        say("  nobody is on this bench yet" if role.skills else "  set the skills it needs to see its bench")
    if bench.hidden.total:
        more = " more" if bench.candidates else ""
        say(f"  {bench.hidden.total}{more} on this bench are not shown to you: {bench.why_hidden}")
    return 0


def cmd_admin_key_roles(ctx: Context, args) -> int:
    market = ctx.market()
    command = args.key_roles_command
    if command == "list":  # the same list as `oppmarket key-roles`, from the admin's side
        return cmd_key_roles(ctx, args)
    if command == "add":
        role = market.add_key_role(args.title, holder=args.holder, department=args.department,
                                   risk=args.risk or "medium", skills=args.skill)
        say(f"added key role {role.id}: {role.title} ({_skills_words(role)})")
    elif command == "edit":
        if args.no_holder and args.holder:
            raise ValidationError({"holder": "give --holder or --no-holder, not both"})
        if args.no_department and args.department:
            raise ValidationError({"department": "give --department or --no-department, not both"})
        changes = {name: value for name, value in (("title", args.title), ("holder", args.holder),
                                                   ("department", args.department), ("risk", args.risk))
                   if value is not None}
        if args.no_holder:
            changes["holder"] = None
        if args.no_department:
            changes["department"] = None
        if not changes:
            raise ValidationError({"edit": "nothing to change: give --title, --holder, --department or --risk"})
        role = market.edit_key_role(args.id, **changes)
        say(f"key role {role.id} is now {role.title}, held by {role.holder_username or 'nobody'}, "
            f"{role.department or 'no department'}, {role.risk} risk")
    elif command == "skills":
        role = market.set_key_role_skills(args.id, args.skills)
        say(f"key role {role.id} ({role.title}) now needs {_skills_words(role)}")
    else:
        title = market.key_role(args.id).role.title
        market.remove_key_role(args.id)
        say(f"removed key role {args.id}: {clean_line(title)}")
    return 0
