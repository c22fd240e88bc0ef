"""`oppmarket admin departments` and `oppmarket admin skills`: the admins' keeping of
departments and of the skills taxonomy, each listing what uses what before a merge
or a retirement changes it."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from oppmarket.cli_output import print_json, print_rows, say
from oppmarket.domain import DepartmentUsage, SkillInfo, SkillUsage
from oppmarket.errors import OppMarketError, ValidationError

if TYPE_CHECKING:
    from oppmarket.cli import _Context as Context


def add_admin_taxonomy_parser(admin_sub, common: argparse.ArgumentParser) -> None:
    listing = argparse.ArgumentParser(add_help=False)
    listing.add_argument("--json", action="store_true", help="print JSON")

    p = admin_sub.add_parser("departments", parents=[common], help="add, rename, nest and merge departments (admins)")
    sub = p.add_subparsers(dest="departments_command", metavar="SUBCOMMAND", required=True)
    sub.add_parser("list", parents=[common, listing], help="every department with what names it")
    q = sub.add_parser("add", parents=[common], help="add a department")
    q.add_argument("name")
    q.add_argument("--parent", metavar="P", help="the department it sits under")
    q = sub.add_parser("rename", parents=[common], help="rename a department (saved searches follow)")
    q.add_argument("old")
    q.add_argument("new")
    q = sub.add_parser("set-parent", parents=[common], help="put a department under another, or at the top")
    q.add_argument("name")
    q.add_argument("parent", nargs="?", help="the department it sits under")
    q.add_argument("--none", action="store_true", help="at the top: under no department")
    q = sub.add_parser("merge", parents=[common], help="move everything of FROM to INTO, then remove FROM")
    q.add_argument("source", metavar="FROM")
    q.add_argument("into", metavar="INTO")

    p = admin_sub.add_parser("skills", parents=[common], help="rename, alias, merge and retire skills (admins)")
    sub = p.add_subparsers(dest="taxonomy_command", metavar="SUBCOMMAND", required=True)
    q = sub.add_parser("list", parents=[common, listing], help="every skill with where it is used")
    q.add_argument("query", nargs="?", default="", metavar="QUERY", help="only skills whose name, alias or "
                                                                          "category holds this")
    q = sub.add_parser("usage", parents=[common, listing], help="where one skill is used")
    q.add_argument("skill", metavar="SKILL")
    q = sub.add_parser("rename", parents=[common], help="rename a skill (the old name stays as an alias)")
    q.add_argument("old")
    q.add_argument("new")
    q = sub.add_parser("alias", parents=[common], help="add or remove another name a skill is found by")
    alias_sub = q.add_subparsers(dest="alias_command", metavar="SUBCOMMAND", required=True)
    r = alias_sub.add_parser("add", parents=[common], help="find SKILL by ALIAS too")
    r.add_argument("skill", metavar="SKILL")
    r.add_argument("alias", metavar="ALIAS")
    r = alias_sub.add_parser("remove", parents=[common], help="stop finding a skill by ALIAS")
    r.add_argument("alias", metavar="ALIAS")
    q = sub.add_parser("merge", parents=[common], help="move every use of FROM to INTO, then remove FROM")
    q.add_argument("source", metavar="FROM")
    q.add_argument("into", metavar="INTO")
    q.add_argument("--yes", action="store_true", help="merge without asking")
    for name, words in (("retire", "stop offering a skill (it stays where it is already used)"),
                        ("unretire", "offer a retired skill again")):
        q = sub.add_parser(name, parents=[common], help=words)
        q.add_argument("skill", metavar="SKILL")


def cmd_admin_taxonomy(ctx: Context, args) -> int:
    """The Market asks who may: every command here is an admin's."""
    if args.admin_command == "departments":
        return _departments(ctx, args)
    return _skills(ctx, args)


# ---------------------------------------------------------------------- departments


def department_json(usage: DepartmentUsage) -> dict:
    return {"name": usage.name, "parent": usage.parent, "people": usage.people, "postings": usage.postings,
            "key_roles": usage.key_roles, "sub_departments": usage.children, "saved_searches": usage.saved_searches}


def _departments(ctx: Context, args) -> int:
    market = ctx.market()
    command = args.departments_command
    if command == "list":
        usages = market.department_usages()
        if args.json:
            print_json([department_json(u) for u in usages])
        elif not usages:
            say("no departments yet; add one with `oppmarket admin departments add NAME`")
        else:
            print_rows(("department", "parent", "people", "postings", "key roles", "sub-departments"),
                       [(u.name, u.parent or "", u.people, u.postings, u.key_roles, u.children) for u in usages])
    elif command == "add":
        usage = market.add_department(args.name, parent=args.parent)
        say(f"added the department {usage.name}" + (f" under {usage.parent}" if usage.parent else ""))
    elif command == "rename":
        usage = market.rename_department(args.old, args.new)
        searches = f"; {usage.saved_searches} saved search(es) follow" if usage.saved_searches else ""
        say(f"renamed {args.old} to {usage.name}{searches}")
    elif command == "set-parent":
        if args.none == (args.parent is not None):
            raise ValidationError({"parent": "give the parent department or --none, one of them"})
        usage = market.set_department_parent(args.name, None if args.none else args.parent)
        say(f"{usage.name} now sits " + (f"under {usage.parent}" if usage.parent else "at the top"))
    else:
        moving = market.department_usage(args.source)
        usage = market.merge_departments(args.source, args.into)
        say(f"merged {moving.name} into {usage.name}: moved {moving.words()}")
    return 0


# ---------------------------------------------------------------------- skills


def skill_json(usage: SkillUsage) -> dict:
    skill = usage.skill
    return {"name": skill.name, "category": skill.category, "aliases": list(skill.aliases), "retired": skill.retired,
            "usage": {"claims": usage.claims, "interests": usage.interests, "postings": usage.postings,
                      "endorsements": usage.endorsements, "key_roles": usage.key_roles, "aliases": usage.aliases,
                      "saved_searches": usage.saved_searches}}


def _named(skill: SkillInfo) -> str:
    """'Kubernetes (also k8s, kube)'."""
    return skill.name + (f" (also {', '.join(skill.aliases)})" if skill.aliases else "")


def _ask(question: str) -> bool:
    if not sys.stdin.isatty():
        raise OppMarketError("nothing was merged: add --yes to merge without being asked")
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def _skills(ctx: Context, args) -> int:
    market = ctx.market()
    command = args.taxonomy_command
    if command == "list":
        usages = market.skill_usages(args.query)
        if args.json:
            print_json([skill_json(u) for u in usages])
        elif not usages:
            say(f"no skill matches {args.query!r}" if args.query else "no skills yet")
        else:
            # The category and the aliases themselves are in --json and `usage`; the
            # counts fit an 80-column terminal.
            print_rows(("skill", "claims", "interests", "postings", "endorsed", "roles", "aliases", "retired"),
                       [(u.skill.name, u.claims, u.interests, u.postings, u.endorsements, u.key_roles, u.aliases,
                         "retired" if u.skill.retired else "") for u in usages])
    elif command == "usage":
        usage = market.skill_usage(args.skill)
        if args.json:
            print_json(skill_json(usage))
        else:
            say(f"{_named(usage.skill)}{' — retired' if usage.skill.retired else ''}: used by {usage.words()}")
    elif command == "rename":
        skill = market.rename_skill(args.old, args.new)
        say(f"renamed to {_named(skill)}")
    elif command == "alias":
        if args.alias_command == "add":
            skill = market.add_skill_alias(args.skill, args.alias)
        else:
            skill = market.remove_skill_alias(args.alias)
        say(f"{_named(skill)}")
    elif command == "merge":
        moving, into = market.skill_usage(args.source), market.skill_usage(args.into)
        say(f"merging {moving.skill.name} into {into.skill.name} moves {moving.words()}")
        if not args.yes and not _ask(f"merge {moving.skill.name} into {into.skill.name}?"):
            say("nothing was merged")
            return 1
        merged = market.merge_skills(args.source, args.into)
        say(f"merged: {_named(merged.skill)} is now used by {merged.words()}")
    else:
        retire = command == "retire"
        skill = market.retire_skill(args.skill) if retire else market.unretire_skill(args.skill)
        usage = market.skill_usage(skill.name)
        if retire:
            kept = f"it stays on {usage.words()}" if usage.total else "nothing uses it yet"
            say(f"retired {skill.name}: no longer offered; {kept}")
        else:
            say(f"{skill.name} is offered again")
    return 0
