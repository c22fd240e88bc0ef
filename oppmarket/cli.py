"""The `oppmarket` command. No command does real work itself: each parses its
arguments, builds a `Market` and calls it, and prints the result or a one-line error
(how it prints is `cli_output`; the `admin` group of a shared deployment is `cli_admin`;
`insights` is `cli_insights`; `team` and `cap` are `cli_team`; `searches` is `cli_searches`;
candidates and invitations are `cli_invite`; a candidate's answer to an offer is
`cli_offers`; `simulate`, which needs no database of the
user's, is `cli_simulate`)."""

from __future__ import annotations

import argparse
import functools
import os
import re
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from oppmarket import __version__, config, identity, policy, transfer
from oppmarket.capability import SORTS
from oppmarket.cli_admin import add_admin_parser, cmd_admin
from oppmarket.cli_insights import add_insights_parser, cmd_insights
from oppmarket.cli_invite import add_invite_parsers, cmd_candidates, cmd_invitations, cmd_invite
from oppmarket.cli_offers import COMMANDS as OFFER_COMMANDS
from oppmarket.cli_offers import add_offer_parsers
from oppmarket.cli_searches import add_searches_parser, cmd_searches
from oppmarket.cli_simulate import add_simulate_parser, cmd_simulate
from oppmarket.cli_team import add_team_parsers, cmd_cap, cmd_team
from oppmarket.cli_output import (
    print_error, print_fault, print_json, print_rows, progress, redacted, say, whole_number, write_file,
)
from oppmarket.cli_succession import add_key_roles_parser, cmd_key_roles
from oppmarket.domain import KINDS
from oppmarket.errors import NotFound, OppMarketError, PermissionDenied, ValidationError
from oppmarket.text import clean_line

EXPORTS = {
    "people": (transfer.PEOPLE_COLUMNS, transfer.person_record, "all_people"),
    "skills": (transfer.SKILL_COLUMNS, transfer.skill_record, "skills"),
    "opportunities": (transfer.OPPORTUNITY_COLUMNS, transfer.opportunity_record, "all_opportunities"),
    "applications": (transfer.APPLICATION_COLUMNS, transfer.application_record, "all_applications"),
}
IMPORTS = {
    "people": (transfer.parse_people, "import_people"),
    "skills": (transfer.parse_skills, "import_skills"),
    "opportunities": (transfer.parse_opportunities, "import_opportunities"),
}
# What an SSH session keeps of the client's environment.
SSH_KEEP = re.compile(r"(TERM|LANG|LC_[A-Z_]+|COLORTERM)\Z")


def _level(text: str) -> int:
    value = whole_number()(text)
    if value > 5:
        raise argparse.ArgumentTypeError(f"{value} is not a level: levels go from 1 to 5")
    return value


class _Parser(argparse.ArgumentParser):
    """argparse, except that a usage error echoing what was typed (an unknown
    argument, say) prints it without the control characters it may hold."""

    def error(self, message: str):
        super().error(clean_line(message))


def build_parser() -> argparse.ArgumentParser:
    # Global options are accepted before or after the command.
    common = _Parser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help="database URL (sqlite:///PATH, postgresql://..., cockroachdb://...); "
                             "default: OPPMARKET_DB, then the config file, then the embedded database")
    common.add_argument("--as", dest="as_user", metavar="USER", default=argparse.SUPPRESS,
                        help="act as USER (only on a database you own, e.g. a demo)")

    parser = _Parser(
        prog="oppmarket", parents=[common],
        description="An internal opportunity marketplace. Without a command, opens the terminal app.",
    )
    parser.add_argument("--version", action="version", version=f"oppmarket {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init", parents=[common], help="create the database and your own profile")
    p.add_argument("--name", help="your display name (default: from your login)")

    p = sub.add_parser("demo", parents=[common], help="load the demo organisation into an empty database")
    p.add_argument("--employees", type=whole_number(), help="generate scale data with this many people")
    p.add_argument("--opportunities", type=whole_number(), help="generate scale data with this many opportunities")

    p = sub.add_parser("whoami", parents=[common], help="show who you are acting as")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("import", parents=[common], help="import people, skills or opportunities from CSV")
    p.add_argument("what", choices=sorted(IMPORTS))
    p.add_argument("file", type=Path)

    p = sub.add_parser("export", parents=[common], help="export as CSV or JSON")
    p.add_argument("what", choices=sorted(EXPORTS))
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--output", "-o", type=Path, help="write to this file instead of standard output")

    sub.add_parser("maintenance", parents=[common], help="run overdue automatic releases and due weekly digests now")

    p = sub.add_parser("search", parents=[common], help="search open opportunities (typos and aliases welcome)")
    p.add_argument("query")
    p.add_argument("--kind", choices=KINDS)
    p.add_argument("--limit", type=whole_number(), default=20)
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("skills", parents=[common], help="the skills taxonomy")
    skills_sub = p.add_subparsers(dest="skills_command", metavar="SUBCOMMAND", required=True)
    q = skills_sub.add_parser("search", parents=[common], help="what the skill picker offers for QUERY")
    q.add_argument("query")
    q.add_argument("--limit", type=whole_number(), default=10)
    q.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("recommend", parents=[common], help="open opportunities that fit you best, with reasons")
    p.add_argument("--limit", type=whole_number(), default=10)
    p.add_argument("--kind", choices=KINDS)
    p.add_argument("--anywhere", action="store_true",
                   help="include in-person work out of reach of your location and remote preference")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("applicants", parents=[common], help="list the applicants of your posting")
    p.add_argument("opportunity", type=whole_number(), metavar="OPP_ID")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("review", parents=[common], help="shortlist, offer or decline an applicant")
    p.add_argument("opportunity", type=whole_number(), metavar="OPP_ID")
    p.add_argument("applicant", metavar="APPLICANT", help="the applicant's username")
    p.add_argument("action", choices=("shortlist", "offer", "decline"))
    p.add_argument("--message", default="", help="a message to the applicant (offer or decline)")

    p = sub.add_parser("releases", parents=[common], help="offers to your reports waiting for your release")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("release", parents=[common], help="release (or decline) a report's time for an offer")
    p.add_argument("application", type=whole_number(), metavar="APP_ID")
    p.add_argument("--decline", action="store_true", help="decline instead of releasing")
    p.add_argument("--reason", default="", help="why you decline (required with --decline)")

    p = sub.add_parser("map", parents=[common],
                       help="the capability map: skills by departments, with demand, supply and gaps")
    p.add_argument("--category", help="only the skills of this category")
    p.add_argument("--department", help="only this department's column (the figures stay company-wide)")
    p.add_argument("--level", type=_level, default=1, help="count people at this level or above, 1-5 (default 1)")
    p.add_argument("--sort", choices=SORTS, default="gap", help="largest gap, most demand, or by name")
    p.add_argument("--format", choices=("text", "csv", "json"), default="text")

    add_key_roles_parser(sub, common)

    p = sub.add_parser("hours", parents=[common],
                       help="set a report's contracted hours a week (line manager or admin)")
    p.add_argument("user", metavar="USER", help="the person's username")
    p.add_argument("hours", type=whole_number(), metavar="HOURS", help="contracted hours a week")

    p = sub.add_parser("ssh-session", parents=[common],
                       help="(for authorized_keys) run the app for USER in a forced SSH command")
    p.add_argument("user")
    add_team_parsers(sub, common)
    add_insights_parser(sub, common)
    add_searches_parser(sub, common)
    add_invite_parsers(sub, common)
    add_offer_parsers(sub, common)
    add_admin_parser(sub, common)
    add_simulate_parser(sub)
    return parser


class _Context:
    """What every command needs: the database, who acts, and whether they own it.
    The database opens on first use, so a refusal comes before anything is touched."""

    def __init__(self, args: argparse.Namespace, ssh_user: str | None = None):
        from oppmarket.db.connection import make_database, sqlite_path_of

        choice = config.choose_database(getattr(args, "db", None), config.load_settings())
        self.url = choice.url
        if self.url is not None:
            make_database(self.url)  # a malformed URL is named first, not taken for someone else's
        owns = identity.owns_database(sqlite_path_of(self.url), choice.config_file)
        self.who = identity.resolve(owns, getattr(args, "as_user", None), ssh_user=ssh_user)
        self.where = self.url or str(config.default_database_path())

    @functools.cached_property
    def db(self):
        from oppmarket.db.connection import open_database

        return open_database(self.url)

    def require_self_service(self, what: str) -> None:
        """Refuse `what` (registering, the demo) unless `policy.may_self_serve` allows it."""
        refusal = self.who.self_service_refusal()
        if refusal is not None:
            raise PermissionDenied(f"{what}: {refusal}")

    def market(self, actor: str | None = ...):
        from oppmarket.market import Market

        return Market(self.db, self.who.username if actor is ... else actor, identified_by=self.who.how)

    def maintain(self) -> None:
        """Overdue releases are granted on every start, whoever starts."""
        self.market(None).run_maintenance()

    def importer(self):
        """The market an import or a full export runs on, as `policy.may_import`
        decides: an admin's own, or the system's on a database the caller owns."""
        me = self.market()
        person = me.whoami() if me.has_profile() else None
        refusal = policy.may_import(person, self.who.owns_database)
        if refusal is None:
            return me if person is not None and person.is_admin else self.market(None)
        if person is not None:
            # Their own market refuses the call itself, in words that name what was asked.
            return me
        raise PermissionDenied(refusal)

    def no_profile_message(self) -> str:
        user = self.who.username
        if self.who.can_switch:
            return (f"you ({user}) have no profile in this marketplace yet: run `oppmarket init` to create "
                    "yours, or `oppmarket demo` on an empty database and then `oppmarket --as USER`")
        return f"you ({user}) have no profile in this marketplace; ask an admin to add you"


def cmd_tui(ctx: _Context, args) -> int:
    """The terminal app; it grants overdue releases itself as it starts."""
    from oppmarket.app import make_app

    app = make_app(ctx.db, ctx.who.username, identified_by=ctx.who.how, can_switch_user=ctx.who.can_switch,
                   remote=ctx.who.how == identity.SSH)
    app.run()
    # Non-zero when the app stopped on an error (it has printed the one line).
    return app.return_code or 0


def cmd_init(ctx: _Context, args) -> int:
    market = ctx.market()
    if market.has_profile():
        say(f"{ctx.where} is ready; your profile ({ctx.who.username}) already exists")
        return 0
    name = args.name or _full_name() or ctx.who.username
    person = market.register_self(name)
    role = " — as its first user you are its admin" if person.is_admin else ""
    say(f"created your profile {person.username} ({person.display_name}) in {ctx.where}{role}")
    return 0


def _full_name() -> str:
    import pwd

    gecos = pwd.getpwuid(os.getuid()).pw_gecos
    return gecos.split(",")[0].strip()


def cmd_demo(ctx: _Context, args) -> int:
    market = ctx.market(None)
    if (args.employees is None) != (args.opportunities is None):
        raise ValidationError({"_": "give both --employees and --opportunities for scale data, or neither"})
    bar, update = progress()
    with bar:
        summary = market.load_demo(employees=args.employees, opportunities=args.opportunities, progress=update)
    say(f"loaded {summary.employees} people, {summary.skills} skills, {summary.opportunities} opportunities "
         f"and {summary.applications} applications into {ctx.where}")
    if args.employees is None:
        say("step in as one of them:")
        # A database named by --db has to be named again; OPPMARKET_DB and the config
        # file still hold for the next command.
        where = f" --db {shlex.quote(redacted(ctx))}" if getattr(args, "db", None) else ""
        for role, user in (("engineer", summary.engineer), ("owner with applicants", summary.owner),
                           ("line manager", summary.line_manager), ("admin", summary.admin)):
            say(f"  oppmarket{where} --as {user:<20} # {role}")
    return 0


def cmd_whoami(ctx: _Context, args) -> int:
    market = ctx.market()
    try:
        me = market.whoami()
    except NotFound:
        raise NotFound(ctx.no_profile_message()) from None
    record = {
        "username": me.username, "display_name": me.display_name, "title": me.title,
        "department": me.department, "manager": me.manager_username, "is_admin": me.is_admin,
        "weekly_hours": me.weekly_hours, "cap_pct": me.cap_pct, "identified_by": ctx.who.how,
        "can_switch_user": ctx.who.can_switch, "owns_database": ctx.who.owns_database,
        "database": redacted(ctx),
    }
    if args.json:
        print_json(record)
    else:
        role = ", admin" if me.is_admin else ""
        say(f"{me.display_name} ({me.username}){role}")
        say(f"  {me.title or 'no title'}, {me.department or 'no department'}; manager: {me.manager_username or 'none'}")
        say(f"  marketplace time: {me.cap_pct}% of {me.weekly_hours} h/week = {me.cap_hours:g} h/week")
        say(f"  identified by {ctx.who.how} on {redacted(ctx)}")
    return 0


def cmd_import(ctx: _Context, args) -> int:
    parse, method = IMPORTS[args.what]
    market = ctx.importer()
    rows = parse(args.file)
    bar, update = progress()
    with bar:
        count = getattr(market, method)(rows, progress=update)
    say(f"imported {count} {args.what} from {args.file}")
    return 0


def cmd_export(ctx: _Context, args) -> int:
    columns, record, method = EXPORTS[args.what]
    market = ctx.importer() if args.what == "applications" else ctx.market()
    records = (record(item) for item in getattr(market, method)())
    if args.output:
        try:
            count = write_file(args.output, lambda out: transfer.write_records(records, columns, args.format, out))
        except OSError as exc:
            raise ValidationError({"output": f"cannot write {args.output}: {exc.strerror or exc}"}) from None
        say(f"exported {count} {args.what} to {args.output}", file=sys.stderr)
    else:
        transfer.write_records(records, columns, args.format, sys.stdout)
    return 0


def cmd_maintenance(ctx: _Context, args) -> int:
    released = ctx.market(None).run_maintenance()
    say(f"{released} overdue release(s) granted automatically")
    return 0


def _application_json(app) -> dict:
    return transfer.application_record(app) | {"note": app.note, "offer_due": app.offer_due, "release_due": app.release_due,
                                                "decline_reason": app.decline_reason}


def cmd_search(ctx: _Context, args) -> int:
    results = ctx.market().search(args.query, kind=args.kind, limit=args.limit)
    if args.json:
        print_json([transfer.opportunity_record(r.opportunity) | {"score": round(r.score, 1), "matched": r.why}
                     for r in results])
    elif not results:
        say(f"no open opportunity matches {clean_line(args.query)!r}; try fewer words or a skill name")
    else:
        print_rows(("id", "kind", "title", "h/week", "score", "matched"),
                    [(r.opportunity.id, r.opportunity.kind, r.opportunity.title, r.opportunity.hours_per_week,
                      f"{r.score:.0f}", r.why) for r in results])
    return 0


def cmd_skills(ctx: _Context, args) -> int:
    hits = ctx.market().search_skills(args.query, limit=args.limit)
    if args.json:
        print_json([{"id": h.skill_id, "name": h.name, "matched": h.matched, "via_alias": h.via_alias,
                      "score": round(h.score, 1)} for h in hits])
    elif not hits:
        say(f"no skill is close to {clean_line(args.query)!r}")
    else:
        print_rows(("skill", "matched", "score"),
                    [(h.name, f"alias {h.matched}" if h.via_alias else h.matched, f"{h.score:.0f}") for h in hits])
    return 0


def cmd_recommend(ctx: _Context, args) -> int:
    market = ctx.market()
    try:
        recs = market.recommend(limit=args.limit, kind=args.kind, anywhere=args.anywhere)
    except NotFound:
        raise NotFound(ctx.no_profile_message()) from None
    if args.json:
        print_json([transfer.opportunity_record(r.opportunity) | {
            "score": r.match.score, "summary": r.match.summary, "raise_hint": r.match.raise_hint,
            "terms": [{"name": t.name, "points": t.points, "max": t.max_points, "detail": t.detail}
                      for t in r.match.terms]} for r in recs])
    elif not recs:
        say("no open opportunities yet")
    else:
        print_rows(("id", "score", "kind", "title", "why"),
                    [(r.opportunity.id, r.match.score, r.opportunity.kind, r.opportunity.title, r.match.summary)
                     for r in recs])
    return 0


def cmd_applicants(ctx: _Context, args) -> int:
    from oppmarket.render import status_label

    apps = ctx.market().applicants(args.opportunity)
    if args.json:
        print_json([_application_json(a) for a in apps])
    elif not apps:
        say(f"nobody has applied to opportunity {args.opportunity} yet")
    else:
        print_rows(("app", "applicant", "name", "status", "h/week", "applied on"),
                    [(a.id, a.applicant_username, a.applicant_name, status_label(a.status, lower=True),
                      a.hours_per_week, f"{a.applied_at:%Y-%m-%d}") for a in apps])
    return 0


def cmd_review(ctx: _Context, args) -> int:
    from oppmarket.render import status_label

    market = ctx.market()
    app = next((a for a in market.applicants(args.opportunity) if a.applicant_username == args.applicant), None)
    if app is None:
        raise NotFound(f"{args.applicant!r} has not applied to opportunity {args.opportunity}")
    if args.action == "shortlist":
        result = market.shortlist(app.id)
    elif args.action == "offer":
        result = market.offer(app.id, args.message)
    else:
        result = market.decline(app.id, args.message)
    say(f"{result.applicant_username} is now {status_label(result.status, lower=True)} for "
         f"'{clean_line(result.opportunity_title)}'")
    return 0


def cmd_releases(ctx: _Context, args) -> int:
    apps = ctx.market().pending_releases()
    if args.json:
        print_json([_application_json(a) for a in apps])
    elif not apps:
        say("no offers are waiting for your release")
    else:
        print_rows(("app", "report", "opportunity", "h/week", "decide by"),
                    [(a.id, a.applicant_username, a.opportunity_title, a.hours_per_week,
                      f"{a.release_due:%Y-%m-%d}" if a.release_due else "") for a in apps])
    return 0


def cmd_release(ctx: _Context, args) -> int:
    market = ctx.market()
    if args.decline:
        result = market.decline_release(args.application, args.reason)
        say(f"declined {result.applicant_username}'s time for '{clean_line(result.opportunity_title)}'")
    else:
        if args.reason:
            raise ValidationError({"reason": "--reason goes with --decline"})
        result = market.release(args.application)
        say(f"released {result.applicant_username} for '{clean_line(result.opportunity_title)}'")
    return 0


def cmd_hours(ctx: _Context, args) -> int:
    person = ctx.market().set_weekly_hours(args.user, args.hours)
    say(f"{person.display_name} ({person.username}) now works {person.weekly_hours} h/week; "
        f"their marketplace time cap is {person.cap_pct}% = {person.cap_hours:g} h/week")
    return 0


def cmd_map(ctx: _Context, args) -> int:
    from rich.console import Console

    from oppmarket import render

    try:
        cmap = ctx.market().capability_map(level=args.level, category=args.category, sort=args.sort)
    except NotFound:
        raise NotFound(ctx.no_profile_message()) from None
    if args.department:
        column = cmap.column_named(args.department)
        if column is None:
            known = ", ".join(c.name for c in cmap.departments) or "none yet"
            raise ValidationError({"department": f"no department called {clean_line(args.department)!r} "
                                                 f"(there are: {known})"})
        cmap = cmap.only([column.key])
    if args.format == "json":
        print_json(transfer.map_document(cmap))
    elif args.format == "csv":
        transfer.write_records(transfer.map_records(cmap), transfer.MAP_COLUMNS, "csv", sys.stdout)
    elif not cmap.rows:
        where = f" in category {clean_line(cmap.category)}" if cmap.category else ""
        say(f"no skill{where} is held at level {cmap.level} or above, and no open seat asks for one")
    else:
        console = Console()
        console.print(render.map_summary(cmap))
        for table in render.capability_panels(cmap, console.width):
            console.print(table)
            console.print()
        console.print(render.heat_legend(cmap))
    return 0


def cmd_ssh_session(args) -> int:
    """The forced command of a shared deployment: the key sshd matched names the user.
    Only the account that owns the database (the service account sshd runs it as)
    may lend an identity this way."""
    if os.environ.get("SSH_ORIGINAL_COMMAND"):
        raise PermissionDenied("this key opens the oppmarket app only; commands are not accepted")
    if not identity.valid_username(args.user):
        raise ValidationError({"user": f"{args.user!r} is not a valid username"})
    for name in list(os.environ):
        if name.startswith(("LC_", "LANG", "TERM", "COLORTERM")) and not SSH_KEEP.match(name):
            del os.environ[name]
    for name in ("SSH_ORIGINAL_COMMAND", "OPPMARKET_DB", "OPPMARKET_CONFIG", "OPPMARKET_DATA_DIR",
                 "OPPMARKET_STATE_DIR"):
        os.environ.pop(name, None)
    ctx = _Context(args, ssh_user=args.user)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise PermissionDenied("oppmarket needs a terminal: connect with `ssh -t`")
    return cmd_tui(ctx, args)


COMMANDS = {
    None: cmd_tui,
    "init": cmd_init,
    "demo": cmd_demo,
    "whoami": cmd_whoami,
    "import": cmd_import,
    "export": cmd_export,
    "maintenance": cmd_maintenance,
    "search": cmd_search,
    "skills": cmd_skills,
    "recommend": cmd_recommend,
    "applicants": cmd_applicants,
    "review": cmd_review,
    "releases": cmd_releases,
    "release": cmd_release,
    "hours": cmd_hours,
    "team": cmd_team,
    "cap": cmd_cap,
    "admin": cmd_admin,
    "map": cmd_map,
    "insights": cmd_insights,
    "key-roles": cmd_key_roles,
    "searches": cmd_searches,
    "candidates": cmd_candidates,
    "invite": cmd_invite,
    "invitations": cmd_invitations,
    **OFFER_COMMANDS,
}


# Commands only the database's owner may run (`policy.may_self_serve`), and what
# their refusal says; checked before the database is opened.
OWNER_ONLY = {
    "init": "cannot create your own profile",
    "demo": "cannot load the demo",
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "ssh-session":
            return cmd_ssh_session(args)
        if args.command == "simulate":
            # Needs no database of the user's, nor who they are.
            return cmd_simulate(args)
        ctx = _Context(args)
        if args.command in OWNER_ONLY:
            ctx.require_self_service(OWNER_ONLY[args.command])
        # Once per start: the terminal app does it on its start screen, the
        # `maintenance` command does nothing else, and `admin` looks after the
        # deployment, not the marketplace.
        if args.command not in (None, "maintenance", "admin"):
            ctx.maintain()
        return COMMANDS[args.command](ctx, args)
    except OppMarketError as exc:
        print_error(exc)
        return 1
    except KeyboardInterrupt:
        print("oppmarket: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `oppmarket export ... | head` closed the pipe early: not an error of ours.
        sys.stderr.close()
        return 0
    except Exception as exc:  # a fault of the database or the system, or a bug
        return print_fault(exc, args)
