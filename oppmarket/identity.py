"""Who is acting.

The OS login of the process, matched to `Employee.username`. Environment variables
never change identity. `--as USER` is honoured only where it grants nothing new: on a
SQLite file that belongs to the caller (their own embedded database, a demo). Inside a
forced SSH command (`oppmarket ssh-session USER`) the key sshd matched names the user,
and no switching is possible.
"""

from __future__ import annotations

import os
import pwd
import re
from dataclasses import dataclass
from pathlib import Path

from oppmarket.errors import PermissionDenied, ValidationError


@dataclass(frozen=True)
class Identity:
    username: str
    # May this session act as someone else (persona switcher, --as)?
    can_switch: bool
    how: str  # "os-login", "as", "ssh"


# \Z, not $: $ also matches before a trailing newline, so "alice\n" would pass.
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")


def valid_username(name: str) -> bool:
    """A login name fit to act as: letters, digits, '.', '_' or '-', at most 64."""
    return bool(_USERNAME.match(name))


def os_login() -> str:
    """The login name of the process's real user."""
    return pwd.getpwuid(os.getuid()).pw_name


def owns_database(path: Path | None) -> bool:
    """True for a SQLite file (or the folder it will be created in) owned by the caller.
    Server databases are never 'owned': their users are separate people."""
    if path is None:
        return False
    target = path if path.exists() else path.parent
    while not target.exists() and target != target.parent:
        target = target.parent
    try:
        return target.stat().st_uid == os.getuid()
    except OSError:
        return False


def resolve(sqlite_path: Path | None, as_user: str | None, *, ssh_user: str | None = None) -> Identity:
    """Decide who acts, refusing an `--as` that would grant something new."""
    if ssh_user is not None:
        # Checked here as well as in the CLI, so an odd name is refused however it arrives.
        if not valid_username(ssh_user):
            raise ValidationError({"user": f"{ssh_user!r} is not a valid username"})
        if as_user is not None and as_user != ssh_user:
            raise PermissionDenied("--as is not available in an SSH session: your key names you")
        return Identity(ssh_user, can_switch=False, how="ssh")
    owned = owns_database(sqlite_path)
    if as_user is not None:
        if not owned:
            raise PermissionDenied(
                "--as works only on a SQLite database file you own (your own or a demo); "
                "on a shared database you act as your login"
            )
        return Identity(as_user, can_switch=True, how="as")
    return Identity(os_login(), can_switch=owned, how="os-login")
