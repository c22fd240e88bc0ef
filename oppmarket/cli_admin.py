"""`oppmarket admin`: the commands of a shared deployment over SSH, run as its
service account: which key opens the app as whom, and how to set sshd up; and the
admins' own commands (`admin key-roles`, in `cli_succession`; `admin settings` and
`admin audit`, in `cli_admin_audit`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from oppmarket import config, identity
from oppmarket.cli_admin_backup import add_admin_backup_parser, cmd_admin_backup
from oppmarket.cli_admin_imports import add_admin_imports_parser, cmd_admin_imports
from oppmarket.cli_admin_people import add_admin_people_parser, cmd_admin_people
from oppmarket.cli_admin_audit import (add_admin_audit_parser, add_admin_settings_parser, cmd_admin_audit,
                                       cmd_admin_settings)
from oppmarket.cli_admin_taxonomy import add_admin_taxonomy_parser, cmd_admin_taxonomy
from oppmarket.cli_output import print_json, redacted, say, say_text
from oppmarket.cli_succession import add_admin_key_roles_parser, cmd_admin_key_roles
from oppmarket.errors import NotFound, PermissionDenied, ValidationError
from oppmarket.text import clean_line

if TYPE_CHECKING:
    from oppmarket.cli import _Context as Context


def add_admin_parser(sub, common: argparse.ArgumentParser) -> None:
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
    add_admin_key_roles_parser(admin_sub, common)
    add_admin_imports_parser(admin_sub, common)
    add_admin_backup_parser(admin_sub, common)
    add_admin_people_parser(admin_sub, common)
    add_admin_settings_parser(admin_sub, common)
    add_admin_audit_parser(admin_sub, common)
    add_admin_taxonomy_parser(admin_sub, common)


def _may_manage_keys(ctx: Context) -> None:
    """Handing out keys hands out identities: only the account that owns the
    database, whose authorized_keys they are, may do it."""
    if not ctx.who.owns_database:
        raise PermissionDenied("only the account that owns the database manages its SSH keys; "
                               "run this as that service account")


def _keys_file(args) -> Path:
    from oppmarket import sshkeys

    return args.file or sshkeys.default_file()


def cmd_admin(ctx: Context, args) -> int:
    if args.admin_command == "install-ssh":
        return cmd_admin_install_ssh(ctx, args)
    if args.admin_command == "key-roles":
        return cmd_admin_key_roles(ctx, args)  # the Market asks who may
    if args.admin_command == "imports":
        return cmd_admin_imports(ctx, args)  # as `oppmarket import`: ctx.importer asks who may
    if args.admin_command == "backup":
        return cmd_admin_backup(ctx, args)  # policy.may_back_up
    if args.admin_command == "people":
        return cmd_admin_people(ctx, args)  # the Market asks who may
    if args.admin_command == "settings":
        return cmd_admin_settings(ctx, args)
    if args.admin_command == "audit":
        return cmd_admin_audit(ctx, args)
    if args.admin_command in ("departments", "skills"):
        return cmd_admin_taxonomy(ctx, args)
    _may_manage_keys(ctx)
    return {"add": cmd_admin_keys_add, "remove": cmd_admin_keys_remove,
            "list": cmd_admin_keys_list}[args.keys_command](ctx, args)


def cmd_admin_keys_add(ctx: Context, args) -> int:
    from oppmarket import sshkeys

    if not identity.valid_username(args.user):
        raise ValidationError({"user": f"{clean_line(args.user)!r} is not a valid username"})
    if not ctx.market(None).has_profile(args.user):
        raise NotFound(f"{args.user} has no profile in this marketplace; import or create it before giving a key")
    key = sshkeys.parse_public_key(_read_key_file(args.keyfile))
    target = _keys_file(args)
    program = sshkeys.this_program()
    if sshkeys.add(target, args.user, key, program):
        say(f"the {key.type} key {key.fingerprint} now opens the app as {args.user} ({target})")
    else:
        say(f"the {key.type} key {key.fingerprint} already opens the app as {args.user}; nothing changed")
    if note := _session_database_note(ctx):
        say(note, file=sys.stderr)
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


def _session_database_note(ctx: Context) -> str | None:
    """SSH sessions start with no --db and no environment of the admin's: they open
    the database of the config file, or the embedded one. Say so when that is not the
    one this command used."""
    session_url = config.load_settings().database
    if (ctx.url or None) == (session_url or None):
        return None
    return ("note: SSH sessions open the database the config file names (or the embedded one), not "
            f"--db or OPPMARKET_DB; put database = \"{redacted(ctx)}\" in {config.config_path()}")


def cmd_admin_keys_remove(ctx: Context, args) -> int:
    from oppmarket import sshkeys

    if not identity.valid_username(args.user):
        raise ValidationError({"user": f"{clean_line(args.user)!r} is not a valid username"})
    target = _keys_file(args)
    count = sshkeys.remove(target, args.user)
    say(f"removed {count} key(s) of {args.user} from {target}")
    return 0


def cmd_admin_keys_list(ctx: Context, args) -> int:
    from oppmarket import sshkeys

    target = _keys_file(args)
    entries = sshkeys.entries(target)
    if args.json:
        print_json([{"user": e.user, "type": e.key.type, "fingerprint": e.key.fingerprint,
                      "comment": clean_line(e.key.comment)} for e in entries])
    elif not entries:
        say(f"no key in {target} opens the app yet; add one with `oppmarket admin keys add USER KEYFILE`")
    else:
        # Plain columns: a fingerprint cut short to fit a terminal would be useless.
        rows = [("user", "type", "fingerprint", "comment")]
        rows += [(e.user, e.key.type, e.key.fingerprint, clean_line(e.key.comment)) for e in entries]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            say("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + " " + row[3])
    return 0


def cmd_admin_install_ssh(ctx: Context, args) -> int:
    from oppmarket import sshkeys

    account = args.account or identity.os_login()
    if not identity.valid_username(account):
        raise ValidationError({"account": f"{clean_line(account)!r} is not a valid account name"})
    if args.config_only:
        say_text(sshkeys.sshd_config(account))
        return 0
    from oppmarket.db.connection import sqlite_path_of

    database = sqlite_path_of(ctx.url) if ctx.url else config.default_database_path()
    folder = database.parent if database else config.data_dir()
    say_text(sshkeys.install_steps(account, sshkeys.this_program(), folder, config.config_path()))
    return 0
