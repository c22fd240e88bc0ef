"""`oppmarket admin settings`: the marketplace's settings, and setting one; and
`oppmarket admin audit`: the audit log, newest first, filtered, one event in full,
and the filtered view exported to a file (admins)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from oppmarket import transfer
from oppmarket.audit_trail import (AUDIT_COLUMNS, SYSTEM_ACTOR, audit_records, changes, parse_object, parse_when,
                                   shown)
from oppmarket.cli_output import print_json, print_rows, say, whole_number, write_file
from oppmarket.domain import AuditEntry, AuditFilter, SettingValue
from oppmarket.errors import ValidationError

if TYPE_CHECKING:
    from oppmarket.cli import _Context as Context


def _argument(parse):
    """An argparse type from a parser that raises ValueError; argparse names the flag."""

    def convert(text: str):
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def add_admin_settings_parser(admin_sub, common: argparse.ArgumentParser) -> None:
    p = admin_sub.add_parser("settings", parents=[common], help="the marketplace's settings, and setting one (admins)")
    p.add_argument("--json", action="store_true", help="print JSON")
    settings_sub = p.add_subparsers(dest="settings_command", metavar="SUBCOMMAND")
    q = settings_sub.add_parser("set", parents=[common], help="set one setting (audited with its old value)")
    q.add_argument("key", metavar="KEY")
    q.add_argument("value", metavar="VALUE")


def _filters() -> argparse.ArgumentParser:
    f = argparse.ArgumentParser(add_help=False)
    f.add_argument("--actor", metavar="USER", help=f"who acted (a username; {SYSTEM_ACTOR}: no person)")
    f.add_argument("--action", metavar="ACTION", help="what was done, e.g. set_setting")
    f.add_argument("--object", type=_argument(parse_object), metavar="TYPE[:ID]",
                   help="what it was done to, e.g. key_role or key_role:3")
    f.add_argument("--since", type=_argument(parse_when), metavar="DATE", help="from this day (YYYY-MM-DD, UTC)")
    f.add_argument("--until", type=_argument(parse_when), metavar="DATE",
                   help="up to and including this day (YYYY-MM-DD, UTC)")
    return f


def add_admin_audit_parser(admin_sub, common: argparse.ArgumentParser) -> None:
    filters = _filters()
    p = admin_sub.add_parser("audit", parents=[common, filters], help="the audit log, newest first (admins)")
    p.add_argument("--limit", type=whole_number(1, 1000), default=50, help="events per page (default 50)")
    p.add_argument("--before", type=whole_number(), metavar="ID", help="only events older than this one")
    p.add_argument("--json", action="store_true", help="print JSON")
    audit_sub = p.add_subparsers(dest="audit_command", metavar="SUBCOMMAND")
    q = audit_sub.add_parser("show", parents=[common], help="one event in full, with what it changed")
    q.add_argument("id", type=whole_number(), metavar="ID")
    q.add_argument("--json", action="store_true", help="print JSON")
    q = audit_sub.add_parser("export", parents=[common, filters], help="write the filtered log to FILE")
    q.add_argument("file", type=Path, metavar="FILE")
    q.add_argument("--format", choices=("csv", "json"), default="csv")
    q.add_argument("--force", action="store_true", help="replace FILE if it exists")


# ---------------------------------------------------------------------- settings

def _setting_json(s: SettingValue) -> dict:
    return {"key": s.key, "label": s.label, "value": s.value, "default": s.default, "changed": s.changed,
            "low": s.low, "high": s.high, "unit": s.unit, "words": s.words}


def cmd_admin_settings(ctx: Context, args) -> int:
    market = ctx.market()
    if args.settings_command == "set":
        old = {s.key: s.value for s in market.settings()}.get(args.key)
        saved = market.set_setting(args.key, args.value)
        was = "unchanged" if old == saved.value else f"was {old}"
        say(f"{saved.key} ({saved.label}) is now {saved.value} {saved.unit} ({was})")
        return 0
    settings = market.settings()
    if args.json:
        print_json([_setting_json(s) for s in settings])
        return 0
    print_rows(("key", "value", "default", "range", "setting"),
               [(s.key, f"{s.value}{' *' if s.changed else ''}", s.default, f"{s.low}–{s.high} {s.unit}", s.label)
                for s in settings])
    return 0


# ---------------------------------------------------------------------- the audit log

def _filter(args) -> AuditFilter:
    object_type, object_id = args.object or (None, None)
    return AuditFilter(actor=args.actor, action=args.action, object_type=object_type, object_id=object_id,
                       since=args.since, until=args.until)


def _event_json(e: AuditEntry) -> dict:
    return {"id": e.id, "at": e.at, "actor": e.actor or SYSTEM_ACTOR, "identified_by": e.identified_by,
            "action": e.action, "object_type": e.object_type, "object_id": e.object_id, "detail": e.detail,
            "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in changes(e)]}


def _changed_words(e: AuditEntry) -> str:
    return "; ".join(f"{c.field} {shown(c.old)} → {shown(c.new)}" for c in changes(e))


def cmd_admin_audit(ctx: Context, args) -> int:
    market = ctx.market()
    if args.audit_command == "show":
        return _show(market.audit_event(args.id), args.json)
    if args.audit_command == "export":
        return _export(market, args)
    page = market.audit_events(**vars(_filter(args)), before_id=args.before, limit=args.limit)
    if args.json:
        print_json({"events": [_event_json(e) for e in page.events], "next_before_id": page.next_before_id})
        return 0
    if not page.events:
        say("no events match these filters")
        return 0
    print_rows(("id", "when (UTC)", "who", "how", "action", "object", "changed"),
               [(e.id, f"{e.at:%Y-%m-%d %H:%M}", e.actor or SYSTEM_ACTOR, e.identified_by, e.action, e.object,
                 _changed_words(e)) for e in page.events])
    if page.next_before_id is not None:
        say(f"older events: add --before {page.next_before_id}", file=sys.stderr)
    return 0


def _show(e: AuditEntry, as_json: bool) -> int:
    if as_json:
        print_json(_event_json(e))
        return 0
    say(f"event {e.id} at {e.at:%Y-%m-%d %H:%M:%S} UTC")
    say(f"  who: {e.actor or SYSTEM_ACTOR} (identified by {e.identified_by})")
    say(f"  did: {e.action} on {e.object}")
    for c in changes(e):
        say(f"  {c.field}: {shown(c.old)} → {shown(c.new)}")
    say("  detail: " + json.dumps(e.detail, sort_keys=True, ensure_ascii=False, default=str))
    return 0


def export_audit(market, f: AuditFilter, target: Path, fmt: str, *, force: bool = False) -> int:
    """Write the events `f` matches to `target` (CSV or JSON), a page at a time, into a
    file only its owner may read; an existing file is replaced only with `force`.
    Returns how many were written. The TUI's export calls this too."""
    if target.exists() and not force:
        raise ValidationError({"file": f"{target} already exists; add --force to replace it"})
    events = market.each_audit_event(f)  # the filter is checked before any file is made
    try:
        return write_file(target, lambda out: transfer.write_records(
            audit_records(events, fmt), AUDIT_COLUMNS, fmt, out))
    except OSError as exc:
        raise ValidationError({"file": f"cannot write {target}: {exc.strerror or exc}"}) from None


def _export(market, args) -> int:
    count = export_audit(market, _filter(args), args.file, args.format, force=args.force)
    say(f"exported {count} audit event(s) to {args.file}", file=sys.stderr)
    return 0
