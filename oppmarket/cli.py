"""The `oppmarket` command. No command does real work itself: each parses its
arguments, builds a `Market` and calls it, and prints the result or a one-line error."""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from oppmarket import __version__, config, faults, identity, policy, transfer
from oppmarket.capability import SORTS
from oppmarket.domain import KINDS
from oppmarket.errors import NotFound, OppMarketError, PermissionDenied, ValidationError
from oppmarket.text import clean, clean_line, printable

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


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def _level(text: str) -> int:
    value = _positive(text)
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
    p.add_argument("--employees", type=_positive, help="generate scale data with this many people")
    p.add_argument("--opportunities", type=_positive, help="generate scale data with this many opportunities")

    p = sub.add_parser("whoami", parents=[common], help="show who you are acting as")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("import", parents=[common], help="import people, skills or opportunities from CSV")
    p.add_argument("what", choices=sorted(IMPORTS))
    p.add_argument("file", type=Path)

    p = sub.add_parser("export", parents=[common], help="export as CSV or JSON")
    p.add_argument("what", choices=sorted(EXPORTS))
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--output", "-o", type=Path, help="write to this file instead of standard output")

    sub.add_parser("maintenance", parents=[common], help="run overdue automatic releases now")

    p = sub.add_parser("search", parents=[common], help="search open opportunities (typos and aliases welcome)")
    p.add_argument("query")
    p.add_argument("--kind", choices=KINDS)
    p.add_argument("--limit", type=_positive, default=20)
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("skills", parents=[common], help="the skills taxonomy")
    skills_sub = p.add_subparsers(dest="skills_command", metavar="SUBCOMMAND", required=True)
    q = skills_sub.add_parser("search", parents=[common], help="what the skill picker offers for QUERY")
    q.add_argument("query")
    q.add_argument("--limit", type=_positive, default=10)
    q.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("recommend", parents=[common], help="open opportunities that fit you best, with reasons")
    p.add_argument("--limit", type=_positive, default=10)
    p.add_argument("--kind", choices=KINDS)
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("applicants", parents=[common], help="list the applicants of your posting")
    p.add_argument("opportunity", type=_positive, metavar="OPP_ID")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("review", parents=[common], help="shortlist, offer or decline an applicant")
    p.add_argument("opportunity", type=_positive, metavar="OPP_ID")
    p.add_argument("applicant", metavar="APPLICANT", help="the applicant's username")
    p.add_argument("action", choices=("shortlist", "offer", "decline"))
    p.add_argument("--message", default="", help="a message to the applicant (offer or decline)")

    p = sub.add_parser("releases", parents=[common], help="offers to your reports waiting for your release")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub.add_parser("release", parents=[common], help="release (or decline) a report's time for an offer")
    p.add_argument("application", type=_positive, metavar="APP_ID")
    p.add_argument("--decline", action="store_true", help="decline instead of releasing")
    p.add_argument("--reason", default="", help="why you decline (required with --decline)")

    p = sub.add_parser("map", parents=[common],
                       help="the capability map: skills by departments, with demand, supply and gaps")
    p.add_argument("--category", help="only the skills of this category")
    p.add_argument("--department", help="only this department's column (the figures stay company-wide)")
    p.add_argument("--level", type=_level, default=1, help="count people at this level or above, 1-5 (default 1)")
    p.add_argument("--sort", choices=SORTS, default="gap", help="largest gap, most demand, or by name")
    p.add_argument("--format", choices=("text", "csv", "json"), default="text")

    p = sub.add_parser("hours", parents=[common],
                       help="set a report's contracted hours a week (line manager or admin)")
    p.add_argument("user", metavar="USER", help="the person's username")
    p.add_argument("hours", type=_positive, metavar="HOURS", help="contracted hours a week")

    p = sub.add_parser("ssh-session", parents=[common],
                       help="(for authorized_keys) run the app for USER in a forced SSH command")
    p.add_argument("user")
    _add_admin_parser(sub, common)
    return parser


def _add_admin_parser(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("admin", parents=[common], help="run a shared deployment over SSH (as its service account)")
    admin_sub = p.add_subparsers(dest="admin_command", metavar="SUBCOMMAND", required=True)
    keys = admin_sub.add_parser("keys", parents=[common], help="the SSH keys that open the app as a person")
    keys_sub = keys.add_subparsers(dest="keys_command", metavar="SUBCOMMAND", required=True)
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--file", type=Path, default=None, metavar="PATH",
                       help="the authorized_keys file to change (default: ~/.ssh/authorized_keys of this account)")
    q = keys_sub.add_parser("add", parents=[common, where], help="let the public key in KEYFILE open the app as USER")
    q.add_argument("user")
    q.add_argument("keyfile", type=Path, help="the person's public key (a .pub file)")
    q = keys_sub.add_parser("remove", parents=[common, where], help="take away every key that opens the app as USER")
    q.add_argument("user")
    q = keys_sub.add_parser("list", parents=[common, where], help="who each key opens the app as")
    q.add_argument("--json", action="store_true", help="print JSON")
    q = admin_sub.add_parser("install-ssh", parents=[common],
                             help="print the sshd configuration and the steps of a shared deployment")
    q.add_argument("--account", metavar="NAME", help="the service account (default: the account running this)")
    q.add_argument("--config-only", action="store_true", help="print only the sshd configuration")


class _Context:
    """What every command needs: the database, who acts, and whether they own it.
    The database opens on first use, so a refusal comes before anything is touched."""

    def __init__(self, args: argparse.Namespace, ssh_user: str | None = None):
        from oppmarket.db.connection import sqlite_path_of

        choice = config.choose_database(getattr(args, "db", None), config.load_settings())
        self.url = choice.url
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


def _print_error(exc: OppMarketError) -> None:
    """The error on one line (an import's bad rows, or several bad fields, one line
    each below it). Messages quote what users wrote, so control characters go."""
    print(f"oppmarket: error: {clean_line(str(exc))}", file=sys.stderr)
    if isinstance(exc, transfer.ImportErrors) or (isinstance(exc, ValidationError) and len(exc.fields) > 1):
        for where, problem in exc.fields.items():
            print(f"  {clean_line(where)}: {clean_line(problem)}", file=sys.stderr)


def _print_fault(exc: Exception, args: argparse.Namespace) -> int:
    """A fault of the database or the system in one line a person can act on, or a
    bug in one line; either way the traceback goes to the log file, not the terminal."""
    log = faults.record(exc)
    said = faults.one_line(exc, log, where=_database_named(args), remote=args.command == "ssh-session")
    print(f"oppmarket: error: {clean_line(said)}", file=sys.stderr)
    _drop_unwritable_output()
    return 1


def _drop_unwritable_output() -> None:
    """When standard output is what failed (a full disk), Python would try to flush
    it again on exit and print a complaint of its own: send what is left nowhere."""
    try:
        sys.stdout.flush()
    except OSError:
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _database_named(args: argparse.Namespace) -> str | None:
    """The database the command meant, fit to print; None if even that fails."""
    from oppmarket.db.connection import redact

    try:
        url = config.choose_database(getattr(args, "db", None), config.load_settings()).url
    except (OppMarketError, OSError):
        return None
    return clean_line(redact(url) if url else str(config.default_database_path()))


def _say(line: str, file=None) -> None:
    """Print one line of a command's output. It holds user text (names, titles, paths
    given on the command line, perhaps an old row from before validation), so no
    control character or bidi control reaches the terminal."""
    print(printable(line), file=file)


def _say_text(text: str) -> None:
    """Print text of several lines as `_say` prints one (tabs and line breaks kept)."""
    print(clean(text), end="")


def _print_json(value) -> None:
    """Print `value` as JSON with every character beyond ASCII escaped: the data stay
    exact, and a control character or bidi control in them reaches the terminal only
    as an escape such as \\u202e."""
    print(json.dumps(value, default=transfer._cell, ensure_ascii=True, indent=2))


def _progress():
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


def cmd_tui(ctx: _Context, args) -> int:
    """The terminal app; it grants overdue releases itself as it starts."""
    from oppmarket.app import make_app

    app = make_app(ctx.db, ctx.who.username, identified_by=ctx.who.how, can_switch_user=ctx.who.can_switch,
                   remote=ctx.who.how == "ssh")
    app.run()
    # Non-zero when the app stopped on an error (it has printed the one line).
    return app.return_code or 0


def cmd_init(ctx: _Context, args) -> int:
    market = ctx.market()
    if market.has_profile():
        _say(f"{ctx.where} is ready; your profile ({ctx.who.username}) already exists")
        return 0
    name = args.name or _full_name() or ctx.who.username
    person = market.register_self(name)
    role = " — as its first user you are its admin" if person.is_admin else ""
    _say(f"created your profile {person.username} ({person.display_name}) in {ctx.where}{role}")
    return 0


def _full_name() -> str:
    import pwd

    gecos = pwd.getpwuid(os.getuid()).pw_gecos
    return gecos.split(",")[0].strip()


def cmd_demo(ctx: _Context, args) -> int:
    market = ctx.market(None)
    if (args.employees is None) != (args.opportunities is None):
        raise ValidationError({"_": "give both --employees and --opportunities for scale data, or neither"})
    bar, update = _progress()
    with bar:
        summary = market.load_demo(employees=args.employees, opportunities=args.opportunities, progress=update)
    _say(f"loaded {summary.employees} people, {summary.skills} skills, {summary.opportunities} opportunities "
         f"and {summary.applications} applications into {ctx.where}")
    if args.employees is None:
        _say("step in as one of them:")
        for role, user in (("engineer", summary.engineer), ("owner with applicants", summary.owner),
                           ("line manager", summary.line_manager), ("admin", summary.admin)):
            _say(f"  oppmarket --as {user:<20} # {role}")
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
        "database": _redacted(ctx),
    }
    if args.json:
        _print_json(record)
    else:
        role = ", admin" if me.is_admin else ""
        _say(f"{me.display_name} ({me.username}){role}")
        _say(f"  {me.title or 'no title'}, {me.department or 'no department'}; manager: {me.manager_username or 'none'}")
        _say(f"  marketplace time: {me.cap_pct}% of {me.weekly_hours} h/week = {me.cap_hours:g} h/week")
        _say(f"  identified by {ctx.who.how} on {_redacted(ctx)}")
    return 0


def _redacted(ctx: _Context) -> str:
    from oppmarket.db.connection import redact

    return redact(ctx.where)


def cmd_import(ctx: _Context, args) -> int:
    parse, method = IMPORTS[args.what]
    market = ctx.importer()
    rows = parse(args.file)
    bar, update = _progress()
    with bar:
        count = getattr(market, method)(rows, progress=update)
    _say(f"imported {count} {args.what} from {args.file}")
    return 0


def cmd_export(ctx: _Context, args) -> int:
    columns, record, method = EXPORTS[args.what]
    market = ctx.importer() if args.what == "applications" else ctx.market()
    records = (record(item) for item in getattr(market, method)())
    if args.output:
        try:
            count = _write_file(args.output, lambda out: transfer.write_records(records, columns, args.format, out))
        except OSError as exc:
            raise ValidationError({"output": f"cannot write {args.output}: {exc.strerror or exc}"}) from None
        _say(f"exported {count} {args.what} to {args.output}", file=sys.stderr)
    else:
        transfer.write_records(records, columns, args.format, sys.stdout)
    return 0


def _write_file(target: Path, write) -> int:
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


def cmd_maintenance(ctx: _Context, args) -> int:
    released = ctx.market(None).run_maintenance()
    _say(f"{released} overdue release(s) granted automatically")
    return 0


def _print_rows(headers: tuple[str, ...], rows: list[tuple]) -> None:
    """A plain aligned table; cells are user text, so Rich never sees them as markup."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(*headers, box=None, pad_edge=False)
    for row in rows:
        table.add_row(*(Text(clean_line(str(cell)) if cell is not None else "") for cell in row))
    Console().print(table)


def _application_json(app) -> dict:
    return transfer.application_record(app) | {"note": app.note, "release_due": app.release_due,
                                                "decline_reason": app.decline_reason}


def cmd_search(ctx: _Context, args) -> int:
    results = ctx.market().search(args.query, kind=args.kind, limit=args.limit)
    if args.json:
        _print_json([transfer.opportunity_record(r.opportunity) | {"score": round(r.score, 1), "matched": r.why}
                     for r in results])
    elif not results:
        _say(f"no open opportunity matches {clean_line(args.query)!r}; try fewer words or a skill name")
    else:
        _print_rows(("id", "kind", "title", "h/week", "score", "matched"),
                    [(r.opportunity.id, r.opportunity.kind, r.opportunity.title, r.opportunity.hours_per_week,
                      f"{r.score:.0f}", r.why) for r in results])
    return 0


def cmd_skills(ctx: _Context, args) -> int:
    hits = ctx.market().search_skills(args.query, limit=args.limit)
    if args.json:
        _print_json([{"id": h.skill_id, "name": h.name, "matched": h.matched, "via_alias": h.via_alias,
                      "score": round(h.score, 1)} for h in hits])
    elif not hits:
        _say(f"no skill is close to {clean_line(args.query)!r}")
    else:
        _print_rows(("skill", "matched", "score"),
                    [(h.name, f"alias {h.matched}" if h.via_alias else h.matched, f"{h.score:.0f}") for h in hits])
    return 0


def cmd_recommend(ctx: _Context, args) -> int:
    market = ctx.market()
    try:
        recs = market.recommend(limit=args.limit, kind=args.kind)
    except NotFound:
        raise NotFound(ctx.no_profile_message()) from None
    if args.json:
        _print_json([transfer.opportunity_record(r.opportunity) | {
            "score": r.match.score, "summary": r.match.summary, "raise_hint": r.match.raise_hint,
            "terms": [{"name": t.name, "points": t.points, "max": t.max_points, "detail": t.detail}
                      for t in r.match.terms]} for r in recs])
    elif not recs:
        _say("no open opportunities yet")
    else:
        _print_rows(("id", "score", "kind", "title", "why"),
                    [(r.opportunity.id, r.match.score, r.opportunity.kind, r.opportunity.title, r.match.summary)
                     for r in recs])
    return 0


def cmd_applicants(ctx: _Context, args) -> int:
    from oppmarket.render import status_label

    apps = ctx.market().applicants(args.opportunity)
    if args.json:
        _print_json([_application_json(a) for a in apps])
    elif not apps:
        _say(f"nobody has applied to opportunity {args.opportunity} yet")
    else:
        _print_rows(("app", "applicant", "name", "status", "h/week", "applied on"),
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
    _say(f"{result.applicant_username} is now {status_label(result.status, lower=True)} for "
         f"'{clean_line(result.opportunity_title)}'")
    return 0


def cmd_releases(ctx: _Context, args) -> int:
    apps = ctx.market().pending_releases()
    if args.json:
        _print_json([_application_json(a) for a in apps])
    elif not apps:
        _say("no offers are waiting for your release")
    else:
        _print_rows(("app", "report", "opportunity", "h/week", "decide by"),
                    [(a.id, a.applicant_username, a.opportunity_title, a.hours_per_week,
                      f"{a.release_due:%Y-%m-%d}" if a.release_due else "") for a in apps])
    return 0


def cmd_release(ctx: _Context, args) -> int:
    market = ctx.market()
    if args.decline:
        result = market.decline_release(args.application, args.reason)
        _say(f"declined {result.applicant_username}'s time for '{clean_line(result.opportunity_title)}'")
    else:
        if args.reason:
            raise ValidationError({"reason": "--reason goes with --decline"})
        result = market.release(args.application)
        _say(f"released {result.applicant_username} for '{clean_line(result.opportunity_title)}'")
    return 0


def cmd_hours(ctx: _Context, args) -> int:
    person = ctx.market().set_weekly_hours(args.user, args.hours)
    print(f"{printable(person.display_name)} ({person.username}) now works {person.weekly_hours} h/week; "
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
        _print_json(transfer.map_document(cmap))
    elif args.format == "csv":
        transfer.write_records(transfer.map_records(cmap), transfer.MAP_COLUMNS, "csv", sys.stdout)
    elif not cmap.rows:
        where = f" in category {clean_line(cmap.category)}" if cmap.category else ""
        _say(f"no skill{where} is held at level {cmap.level} or above, and no open seat asks for one")
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
    for name in ("SSH_ORIGINAL_COMMAND", "OPPMARKET_CONFIG", "OPPMARKET_DATA_DIR", "OPPMARKET_STATE_DIR"):
        os.environ.pop(name, None)
    ctx = _Context(args, ssh_user=args.user)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise PermissionDenied("oppmarket needs a terminal: connect with `ssh -t`")
    return cmd_tui(ctx, args)


def _may_manage_keys(ctx: _Context) -> None:
    """Handing out keys hands out identities: only the account that owns the
    database, whose authorized_keys they are, may do it."""
    if not ctx.who.owns_database:
        raise PermissionDenied("only the account that owns the database manages its SSH keys; "
                               "run this as that service account")


def _keys_file(args) -> Path:
    from oppmarket import sshkeys

    return args.file or sshkeys.default_file()


def cmd_admin(ctx: _Context, args) -> int:
    if args.admin_command == "install-ssh":
        return cmd_admin_install_ssh(ctx, args)
    _may_manage_keys(ctx)
    return {"add": cmd_admin_keys_add, "remove": cmd_admin_keys_remove,
            "list": cmd_admin_keys_list}[args.keys_command](ctx, args)


def cmd_admin_keys_add(ctx: _Context, args) -> int:
    from oppmarket import sshkeys

    if not identity.valid_username(args.user):
        raise ValidationError({"user": f"{clean_line(args.user)!r} is not a valid username"})
    if not ctx.market(None).has_profile(args.user):
        raise NotFound(f"{args.user} has no profile in this marketplace; import or create it before giving a key")
    key = sshkeys.parse_public_key(_read_key_file(args.keyfile))
    target = _keys_file(args)
    program = sshkeys.this_program()
    if sshkeys.add(target, args.user, key, program):
        _say(f"the {key.type} key {key.fingerprint} now opens the app as {args.user} ({target})")
    else:
        _say(f"the {key.type} key {key.fingerprint} already opens the app as {args.user}; nothing changed")
    if note := _session_database_note(ctx):
        _say(note, file=sys.stderr)
    return 0


def _read_key_file(path: Path) -> str:
    from oppmarket import sshkeys

    try:
        with path.open("rb") as source:
            data = source.read(sshkeys.MAX_KEY_FILE + 1)
    except OSError as exc:
        raise ValidationError({"keyfile": f"cannot read {path}: {exc.strerror or exc}"}) from None
    if len(data) > sshkeys.MAX_KEY_FILE:
        raise ValidationError({"keyfile": f"{path} is too large to be a public key"})
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError({"keyfile": f"{path} is not a public key file (it is not plain text)"}) from None


def _session_database_note(ctx: _Context) -> str | None:
    """SSH sessions start with no --db and no environment of the admin's: they open
    the database of the config file, or the embedded one. Say so when that is not the
    one this command used."""
    session_url = config.load_settings().database
    if (ctx.url or None) == (session_url or None):
        return None
    return ("note: SSH sessions open the database the config file names (or the embedded one), not "
            f"--db or OPPMARKET_DB; put database = \"{_redacted(ctx)}\" in {config.config_path()}")


def cmd_admin_keys_remove(ctx: _Context, args) -> int:
    from oppmarket import sshkeys

    if not identity.valid_username(args.user):
        raise ValidationError({"user": f"{clean_line(args.user)!r} is not a valid username"})
    target = _keys_file(args)
    count = sshkeys.remove(target, args.user)
    _say(f"removed {count} key(s) of {args.user} from {target}")
    return 0


def cmd_admin_keys_list(ctx: _Context, args) -> int:
    from oppmarket import sshkeys

    target = _keys_file(args)
    entries = sshkeys.entries(target)
    if args.json:
        _print_json([{"user": e.user, "type": e.key.type, "fingerprint": e.key.fingerprint,
                      "comment": clean_line(e.key.comment)} for e in entries])
    elif not entries:
        _say(f"no key in {target} opens the app yet; add one with `oppmarket admin keys add USER KEYFILE`")
    else:
        # Plain columns: a fingerprint cut short to fit a terminal would be useless.
        rows = [("user", "type", "fingerprint", "comment")]
        rows += [(e.user, e.key.type, e.key.fingerprint, clean_line(e.key.comment)) for e in entries]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            _say("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + " " + row[3])
    return 0


def cmd_admin_install_ssh(ctx: _Context, args) -> int:
    from oppmarket import sshkeys

    account = args.account or identity.os_login()
    if not identity.valid_username(account):
        raise ValidationError({"account": f"{clean_line(account)!r} is not a valid account name"})
    if args.config_only:
        _say_text(sshkeys.sshd_config(account))
        return 0
    from oppmarket.db.connection import sqlite_path_of

    database = sqlite_path_of(ctx.url) if ctx.url else config.default_database_path()
    folder = database.parent if database else config.data_dir()
    _say_text(sshkeys.install_steps(account, sshkeys.this_program(), folder, config.config_path()))
    return 0


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
    "admin": cmd_admin,
    "map": cmd_map,
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
        ctx = _Context(args)
        if args.command in OWNER_ONLY:
            ctx.require_self_service(OWNER_ONLY[args.command])
        # Once per start: the terminal app does it on its start screen, and the
        # `maintenance` command does nothing else.
        if args.command not in (None, "maintenance"):
            ctx.maintain()
        return COMMANDS[args.command](ctx, args)
    except OppMarketError as exc:
        _print_error(exc)
        return 1
    except KeyboardInterrupt:
        print("oppmarket: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `oppmarket export ... | head` closed the pipe early: not an error of ours.
        sys.stderr.close()
        return 0
    except Exception as exc:  # a fault of the database or the system, or a bug
        return _print_fault(exc, args)
