"""Who is acting.

The OS login of the process, matched to `Employee.username`. Environment variables
never change identity. Whatever could hand out an identity (`--as USER`, `ssh-session
USER`, registering oneself, loading the demo) belongs to the account that owns the
database (`owns_database`): the person's own embedded database or demo, or the service
account that sshd runs the forced command as. Inside that forced command the key sshd
matched names the user, and no switching is possible.
"""

from __future__ import annotations

import os
import pwd
import re
from dataclasses import dataclass
from pathlib import Path

from oppmarket import policy
from oppmarket.errors import PermissionDenied, ValidationError

# Bits of a config file's mode that let anyone but its owner read or change it.
_SHARED_MODE = 0o066


# How a person was identified (`Identity.how`; every audit row records it).
OS_LOGIN, AS, SSH = "os-login", "as", "ssh"


@dataclass(frozen=True)
class Identity:
    username: str
    how: str  # "os-login", "as", "ssh"
    # Does the OS account running this process own the database (`owns_database`)?
    owns_database: bool

    def self_service_refusal(self) -> str | None:
        """Why this session may not register itself, load the demo or switch persona
        (`policy.may_self_serve`); None when it may."""
        return policy.may_self_serve(self.owns_database, by_key=self.how == SSH)

    @property
    def can_switch(self) -> bool:
        """May this session act as someone else (persona switcher, --as), register
        itself or load the demo? The terminal app and the CLI both ask this."""
        return self.self_service_refusal() is None


# \Z, not $: $ also matches before a trailing newline, so "alice\n" would pass.
_USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")


def valid_username(name: str) -> bool:
    """A login name fit to act as: letters, digits, '.', '_' or '-', at most 64."""
    return bool(_USERNAME.match(name))


def os_login() -> str:
    """The login name of the process's real user."""
    return pwd.getpwuid(os.getuid()).pw_name


def owns_database(sqlite_path: Path | None, config_file: Path | None = None) -> bool:
    """Does the real user of this process own the database?

    A SQLite database (`sqlite_path`): when the file, or before it exists the folder
    it will be made in, belongs to them. A server database: when its URL came from a
    config file (`config_file`) that belongs to them and that nobody else may read or
    write, the file holding its credentials. A server URL given any other way is
    never owned: anyone can type one."""
    if sqlite_path is not None:
        return _belongs_to_caller(_nearest_existing(sqlite_path))
    if config_file is None:
        return False
    try:
        mode = config_file.stat().st_mode
    except OSError:
        return False
    return _belongs_to_caller(config_file) and not mode & _SHARED_MODE


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _belongs_to_caller(path: Path) -> bool:
    try:
        return path.stat().st_uid == os.getuid()
    except OSError:
        return False


def resolve(owns: bool, as_user: str | None, *, ssh_user: str | None = None) -> Identity:
    """Decide who acts, refusing an identity the caller may not hand out: `owns` says
    whether they own the database (`owns_database`)."""
    if ssh_user is not None:
        # Checked here as well as in the CLI, so an odd name is refused however it arrives.
        if not valid_username(ssh_user):
            raise ValidationError({"user": f"{ssh_user!r} is not a valid username"})
        if as_user is not None and as_user != ssh_user:
            raise PermissionDenied("--as is not available in an SSH session: your key names you")
        if not owns:
            raise PermissionDenied(
                f"ssh-session runs only as the account that owns the database (the one sshd runs "
                f"it as); {os_login()} does not own this one, so you act only as yourself"
            )
        return Identity(ssh_user, how=SSH, owns_database=True)
    if as_user is not None:
        refusal = policy.may_self_serve(owns, by_key=False)
        if refusal is not None:
            raise PermissionDenied(f"--as is refused: {refusal}")
        return Identity(as_user, how=AS, owns_database=True)
    return Identity(os_login(), how=OS_LOGIN, owns_database=owns)
