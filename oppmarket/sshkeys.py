"""The service account's `authorized_keys`: which SSH key opens the app as whom.

In a shared deployment a key *is* the identity: sshd matches it and runs the forced
command the line names, `oppmarket ssh-session USER`. So every change refuses what
would hand someone another identity or a shell, and leaves the file exactly as it was
when it refuses. oppmarket's lines sit between two marker lines; every other line of
the file is kept byte for byte.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import fcntl
import hashlib
import os
import pwd
import re
import shlex
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from oppmarket.errors import Conflict, NotFound, OppMarketError, ValidationError
from oppmarket.identity import valid_username
from oppmarket.text import clean_line

BEGIN = b"# oppmarket keys: begin (change them with `oppmarket admin keys`, not by hand)"
END = b"# oppmarket keys: end"
# `restrict` turns off forwarding, agent, X11 and ~/.ssh/rc; `pty` gives back the one
# thing the app needs, a terminal.
OPTIONS = "restrict,pty"
ELLIPTIC = {"ecdsa-sha2-nistp256": b"nistp256", "ecdsa-sha2-nistp384": b"nistp384",
            "ecdsa-sha2-nistp521": b"nistp521", "sk-ecdsa-sha2-nistp256@openssh.com": b"nistp256"}
KEY_TYPES = ("ssh-ed25519", "sk-ssh-ed25519@openssh.com", "ssh-rsa", *ELLIPTIC)
MIN_RSA_BITS = 2048
MAX_KEY_FILE = 16 * 1024
_ENTRY = re.compile(rf'{OPTIONS},command="(?P<program>[^"\\]+) ssh-session (?P<user>[^" ]+)" '
                    r"(?P<type>\S+) (?P<blob>\S+)(?: (?P<comment>.*))?\Z")


@dataclass(frozen=True)
class PublicKey:
    type: str
    blob: bytes
    comment: str = ""

    @property
    def fingerprint(self) -> str:
        """What `ssh-keygen -l` and sshd's log show for the key."""
        return "SHA256:" + base64.b64encode(hashlib.sha256(self.blob).digest()).decode().rstrip("=")

    @property
    def text(self) -> str:
        return " ".join(filter(None, (self.type, base64.b64encode(self.blob).decode(), self.comment)))


@dataclass(frozen=True)
class Entry:
    """One line oppmarket wrote: `key` opens the app as `user`."""

    user: str
    key: PublicKey
    line: bytes  # as it stands in the file, kept as is when other entries change


# ---------------------------------------------------------------------- keys


def parse_public_key(text: str) -> PublicKey:
    """The one public key in `text` (a `.pub` file), checked the way sshd would read
    it: a known type, and a base64 blob whose fields fit that type."""
    lines = [line.strip() for line in text.lstrip("\ufeff").splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if not lines:
        raise ValidationError({"key": "the key file holds no public key"})
    if "PRIVATE KEY" in lines[0]:
        raise ValidationError({"key": "that is a private key; give the public one (the .pub file)"})
    if lines[0].startswith("---- BEGIN SSH2 PUBLIC KEY"):
        raise ValidationError({"key": "that key is in RFC 4716 form; convert it with `ssh-keygen -i -f FILE`"})
    if len(lines) > 1:
        raise ValidationError({"key": "the key file holds more than one line; give one public key per user and file"})
    fields = lines[0].split(None, 2)
    if fields[0] not in KEY_TYPES:
        if "=" in fields[0] or "," in fields[0]:
            raise ValidationError({"key": "the key has options in front of it; give the plain public key"})
        raise ValidationError({"key": f"{clean_line(fields[0])[:40]!r} is not a key type oppmarket accepts "
                                      f"({', '.join(KEY_TYPES)})"})
    if len(fields) < 2:
        raise ValidationError({"key": "the key has a type but no key data"})
    return _key(fields[0], fields[1], fields[2] if len(fields) > 2 else "")


def _key(kind: str, encoded: str, comment: str) -> PublicKey:
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"key": "the key data is not valid base64"}) from None
    if base64.b64encode(blob).decode() != encoded:
        raise ValidationError({"key": "the key data is not valid base64"})
    problem = _blob_problem(kind, blob)
    if problem:
        raise ValidationError({"key": f"the key data is not a {kind} key: {problem}"})
    return PublicKey(kind, blob, clean_line(comment))


def _blob_problem(kind: str, blob: bytes) -> str | None:
    """What is wrong with the SSH wire form of a public key, or None."""
    fields: list[bytes] = []
    at = 0
    while at < len(blob):
        if at + 4 > len(blob):
            return "it ends in the middle of a field"
        size = int.from_bytes(blob[at:at + 4], "big")
        if at + 4 + size > len(blob):
            return "a field is longer than the data"
        fields.append(blob[at + 4:at + 4 + size])
        at += 4 + size
    if not fields or fields[0] != kind.encode():
        return "the type inside the key data differs"
    body = fields[1:]
    if kind in ("ssh-ed25519", "sk-ssh-ed25519@openssh.com"):
        count = 1 if kind == "ssh-ed25519" else 2
        if len(body) != count or len(body[0]) != 32:
            return "an Ed25519 key is 32 bytes"
    elif kind == "ssh-rsa":
        if len(body) != 2 or not body[0] or not body[1]:
            return "an RSA key has an exponent and a modulus"
        if int.from_bytes(body[1], "big").bit_length() < MIN_RSA_BITS:
            return f"RSA keys need at least {MIN_RSA_BITS} bits"
    else:
        count = 3 if kind.startswith("sk-") else 2
        if len(body) != count or body[0] != ELLIPTIC[kind] or not body[1]:
            return "the curve or the point does not fit"
    return None


def this_program() -> str:
    """The command line that starts this oppmarket, for sshd to run: an absolute
    path, since sshd starts the forced command with a bare PATH."""
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == "oppmarket" and script.is_file():
        return shlex.quote(os.path.abspath(script))
    beside = Path(sys.executable).parent / "oppmarket"
    if beside.is_file():
        return shlex.quote(str(beside))
    return f"{shlex.quote(sys.executable)} -m oppmarket"


def entry_line(user: str, key: PublicKey, program: str) -> bytes:
    """The authorized_keys line that opens the app as `user` with `key`."""
    if not valid_username(user):
        raise ValidationError({"user": f"{clean_line(user)!r} is not a valid username"})
    if re.search(r'["\\\x00-\x1f\x7f]', program):
        raise ValidationError({"program": f"cannot name {program!r} in authorized_keys (quotes, backslashes "
                                          "or control characters); install oppmarket at a plainer path"})
    return f'{OPTIONS},command="{program} ssh-session {user}" {key.text}'.encode()


def default_file() -> Path:
    """The authorized_keys sshd reads for the account running this: from the
    account's home in the password database, which is where sshd looks."""
    return Path(pwd.getpwuid(os.getuid()).pw_dir) / ".ssh" / "authorized_keys"


# ---------------------------------------------------------------------- sshd


def sshd_config(account: str) -> str:
    """The sshd configuration of a shared deployment whose service account is `account`."""
    return SSHD_CONFIG.format(account=account)


def install_steps(account: str, program: str, data_folder: Path, config_file: Path) -> str:
    """How to set up a shared deployment, step by step, with these names filled in."""
    return INSTALL_STEPS.format(account=account, program=program, folder=data_folder, config=config_file,
                                sshd=sshd_config(account).rstrip("\n"))


SSHD_CONFIG = """\
# oppmarket: keys of {account} run only `oppmarket ssh-session USER` (authorized_keys sets it per key)
# Outside any Match block (OpenSSH's default, said aloud): nobody's ~/.ssh/environment is read.
PermitUserEnvironment no

Match User {account}
    AuthenticationMethods publickey
    DisableForwarding yes
    AllowTcpForwarding no
    AllowStreamLocalForwarding no
    AllowAgentForwarding no
    X11Forwarding no
    PermitTunnel no
    PermitUserRC no
    # The app needs a terminal: each key's `restrict,pty` options grant one and nothing else.
    PermitTTY yes
"""

INSTALL_STEPS = """\
oppmarket over SSH: one service account ({account}) owns the database; each person's
key opens the app as them, and nothing else.

1. As root, create the service account. sshd starts the forced command with its
   shell, and without PAM it turns away an account whose password is locked ("!"):
     useradd --create-home --shell /bin/sh {account}
     usermod -p '*' {account}

2. As {account}, keep the data folder to the account alone:
     install -d -m 0700 {folder}

3. As {account}, load the marketplace: `oppmarket init` (you become its admin), then
   `oppmarket import people people.csv`, `... skills ...`, `... opportunities ...`
   (or `oppmarket demo` to try it). To end idle sessions, put in {config}:
     idle_minutes = 30

4. As {account}, give each person their public key:
     oppmarket admin keys add alice alice.pub      # also: remove USER, list
   Each key is written as
     restrict,pty,command="{program} ssh-session alice" ssh-ed25519 AAAA...

5. As root, save this as /etc/ssh/sshd_config.d/oppmarket.conf (where sshd_config
   includes it at its top; otherwise put PermitUserEnvironment near the top of
   sshd_config and the Match block at its end), then `sshd -t && systemctl reload ssh`:

{sshd}

People then connect with `ssh -t {account}@HOST`; AcceptEnv is not needed (the session
keeps only TERM, LANG, LC_* and COLORTERM of what sshd passes).
"""


# ---------------------------------------------------------------------- the file


@dataclass(frozen=True)
class _Layout:
    """The file cut around oppmarket's block; `before + block + after` is the file."""

    before: bytes
    begin: bytes
    entries: tuple[Entry, ...]
    end: bytes
    after: bytes

    def render(self, entries: tuple[Entry, ...]) -> bytes:
        if not entries:
            return self.before + self.after
        before = self.before
        if before and not before.endswith(b"\n"):
            before += b"\n"
        lines = b"".join(entry.line + b"\n" for entry in entries)
        return before + (self.begin or BEGIN + b"\n") + lines + (self.end or END + b"\n") + self.after


def _lines(data: bytes) -> list[bytes]:
    return re.findall(rb"[^\n]*\n|[^\n]+\Z", data)


def _bare(line: bytes) -> bytes:
    return line.rstrip(b"\n").rstrip(b"\r")


def _layout(path: Path, data: bytes) -> _Layout:
    lines = _lines(data)
    begins = [i for i, line in enumerate(lines) if _bare(line) == BEGIN]
    ends = [i for i, line in enumerate(lines) if _bare(line) == END]
    if not begins and not ends:
        return _Layout(data, b"", (), b"", b"")
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        raise ValidationError({"file": f"{path} has its oppmarket marker lines out of order or repeated; "
                                       "put them right (one begin, then one end) by hand and try again"})
    first, last = begins[0], ends[0]
    entries = tuple(_entry(path, number, lines[number]) for number in range(first + 1, last))
    return _Layout(b"".join(lines[:first]), lines[first], entries, lines[last], b"".join(lines[last + 1:]))


def _entry(path: Path, index: int, line: bytes) -> Entry:
    bare = _bare(line)
    try:
        match = _ENTRY.match(bare.decode("utf-8"))
    except UnicodeDecodeError:
        match = None
    key = None
    if match and valid_username(match["user"]) and match["type"] in KEY_TYPES:
        with contextlib.suppress(ValidationError):
            key = _key(match["type"], match["blob"], match["comment"] or "")
    if key is None:
        raise ValidationError({"file": f"{path} line {index + 1} is inside oppmarket's block but is not a line "
                                       "oppmarket writes; move it out of the block and try again"})
    return Entry(match["user"], key, bare)


def entries(path: Path) -> tuple[Entry, ...]:
    """Who each of oppmarket's keys opens the app as, in the order of the file."""
    return _layout(path, _read(path)).entries


def add(path: Path, user: str, key: PublicKey, program: str) -> bool:
    """Let `key` open the app as `user`. False when it already does (nothing is
    written). Refused, leaving the file as it was, when the key belongs to someone
    else or stands anywhere else in the file."""
    line = entry_line(user, key, program)

    def change(layout: _Layout, data: bytes) -> tuple[Entry, ...] | None:
        for entry in layout.entries:
            if entry.key.blob == key.blob:
                if entry.user != user:
                    raise Conflict(f"that key ({key.fingerprint}) already opens the app as {entry.user}; "
                                   f"a key names one person: remove it from {entry.user} first")
                return None
        # Not in the block, so anywhere it stands is outside it.
        blob = base64.b64encode(key.blob)
        for number, other in enumerate(_lines(data), start=1):
            if blob in other.split():
                raise Conflict(f"that key ({key.fingerprint}) is already in {path} outside oppmarket's block "
                               f"(line {number}), where it may open a shell; take it out there first")
        return (*layout.entries, Entry(user, key, line))

    return _edit(path, change)


def remove(path: Path, user: str) -> int:
    """Take away every key that opens the app as `user`; how many there were."""
    removed = 0

    def change(layout: _Layout, data: bytes) -> tuple[Entry, ...]:
        nonlocal removed
        kept = tuple(entry for entry in layout.entries if entry.user != user)
        removed = len(layout.entries) - len(kept)
        if not removed:
            raise NotFound(f"no key in {path} opens the app as {user}")
        return kept

    _edit(path, change)
    return removed


# ---------------------------------------------------------------------- writing


def _read(path: Path) -> bytes:
    try:
        if path.is_symlink():
            raise ValidationError({"file": f"{path} is a symbolic link; oppmarket edits only a plain file"})
        return path.read_bytes() if path.exists() else b""
    except OSError as exc:
        raise OppMarketError(f"cannot read {path}: {exc.strerror or exc}") from None


def _edit(path: Path, change: Callable[[_Layout, bytes], tuple[Entry, ...] | None]) -> bool:
    """Apply `change` to the file under a lock, writing a new file beside it that
    replaces it only if nobody changed it meanwhile. False when `change` found
    nothing to do."""
    folder = path.parent
    try:
        if not folder.exists():
            folder.mkdir(mode=0o700)
            folder.chmod(0o700)
        with _locked(path):
            data = _read(path)
            layout = _layout(path, data)
            new_entries = change(layout, data)
            if new_entries is None:
                return False
            _replace(path, data, layout.render(new_entries))
    except OSError as exc:
        raise OppMarketError(f"cannot change {path}: {exc.strerror or exc}") from None
    return True


def lock_path(path: Path) -> Path:
    """The file every `oppmarket admin keys` holds a lock on while it changes `path`."""
    return path.with_name(f".{path.name}.oppmarket-lock")


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Conflict(f"someone else is changing {path} with oppmarket right now; "
                           "nothing was changed, try again in a moment") from None
        yield
    finally:
        os.close(fd)


def _replace(path: Path, read: bytes, new: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(new)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)
        # An edit by hand (or by a tool that ignores our lock) since we read the file
        # would be lost by the rename: refuse instead.
        if _read(path) != read:
            raise Conflict(f"{path} changed while oppmarket was editing it; nothing was changed, try again")
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
