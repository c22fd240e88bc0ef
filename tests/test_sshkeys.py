"""`oppmarket admin keys`: the service account's authorized_keys, where a key is an
identity. What it writes opens the app as one person and nothing else; whatever it
refuses leaves the file exactly as it was."""

from __future__ import annotations

import base64
import fcntl
import os
import shutil
import subprocess

import pytest

from oppmarket import cli, identity, sshkeys

from support import build_org
from support.database import sqlite_database

# Lines someone wrote by hand, odd ones included: they must survive every edit.
OTHER_LINES = (
    b"# the admin's own key\n"
    b'from="10.0.0.0/8",no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOe5sbDmqtbxTs3XrjZHZLSpiZIvbvxlCuKJ1FplbHFv ops\n'
    b"\n"
    b"ssh-rsa AAAAB3NzaC1yc2E= windows line\r\n"
    b"# caf\xc3\xa9, and a last line without its newline"
)


def wire(*fields: bytes) -> bytes:
    """The SSH wire form: each field is a 32-bit length and its bytes."""
    return b"".join(len(field).to_bytes(4, "big") + field for field in fields)


def ed25519(seed: int, comment: str = "") -> str:
    blob = wire(b"ssh-ed25519", bytes([seed]) * 32)
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} {comment}".strip() + "\n"


def rsa(bits: int) -> str:
    modulus = (1 << (bits - 1)) | 1
    blob = wire(b"ssh-rsa", b"\x01\x00\x01", b"\x00" + modulus.to_bytes(bits // 8, "big"))
    return f"ssh-rsa {base64.b64encode(blob).decode()} rsa\n"


@pytest.fixture
def url(tmp_path):
    """A SQLite marketplace this test's account owns, with eng1, owner and mgr in it."""
    with sqlite_database(tmp_path, "market.db") as db:
        build_org(db, opportunities=0)
    return f"sqlite:///{tmp_path / 'market.db'}"


@pytest.fixture
def keys_file(tmp_path):
    folder = tmp_path / "ssh"
    folder.mkdir(mode=0o700)
    path = folder / "authorized_keys"
    path.write_bytes(OTHER_LINES)
    return path


@pytest.fixture
def admin_keys(capsys, url, keys_file, tmp_path):
    """admin_keys('add', 'eng1', KEYTEXT) -> (exit code, stdout, stderr)."""

    def run(*argv: str):
        argv = list(argv)
        if argv[0] == "add" and len(argv) > 2:
            key = tmp_path / f"key{len(list(tmp_path.glob('key*')))}.pub"
            key.write_text(argv[2])
            argv[2] = str(key)
        code = cli.main(["--db", url, "admin", "keys", *argv, "--file", str(keys_file)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def entry(user: str, key: str) -> bytes:
    return f'restrict,pty,command="{sshkeys.this_program()} ssh-session {user}" {key.strip()}'.encode()


def test_add_writes_a_forced_command_between_markers_and_keeps_every_other_line(admin_keys, keys_file):
    code, out, _ = admin_keys("add", "eng1", ed25519(1, "eng1@laptop"))
    assert code == 0 and "now opens the app as eng1" in out
    written = keys_file.read_bytes()
    assert written == OTHER_LINES + b"\n" + sshkeys.BEGIN + b"\n" + entry("eng1", ed25519(1, "eng1@laptop")) + \
        b"\n" + sshkeys.END + b"\n"
    assert os.path.isabs(sshkeys.this_program())
    assert keys_file.stat().st_mode & 0o777 == 0o600

    admin_keys("add", "owner", ed25519(2))
    admin_keys("add", "eng1", rsa(2048))  # a second key (another laptop) for the same person
    lines = keys_file.read_bytes().split(b"\n")
    assert lines[-5:] == [entry("eng1", ed25519(1, "eng1@laptop")), entry("owner", ed25519(2)),
                          entry("eng1", rsa(2048)), sshkeys.END, b""]
    assert keys_file.read_bytes().startswith(OTHER_LINES)


def test_the_ssh_folder_is_made_private_when_missing(capsys, url, tmp_path):
    target = tmp_path / "new-ssh" / "authorized_keys"
    key = tmp_path / "k.pub"
    key.write_text(ed25519(1))
    assert cli.main(["--db", url, "admin", "keys", "add", "eng1", str(key), "--file", str(target)]) == 0
    assert target.parent.stat().st_mode & 0o777 == 0o700
    assert target.stat().st_mode & 0o777 == 0o600


def test_adding_a_key_its_person_already_has_changes_nothing(admin_keys, keys_file):
    admin_keys("add", "eng1", ed25519(1, "laptop"))
    before = keys_file.read_bytes()
    code, out, _ = admin_keys("add", "eng1", ed25519(1, "another comment"))
    assert code == 0 and "already opens the app as eng1" in out
    assert keys_file.read_bytes() == before


def test_remove_takes_every_key_of_one_person_and_nothing_else(admin_keys, keys_file):
    admin_keys("add", "eng1", ed25519(1))
    admin_keys("add", "owner", ed25519(2))
    admin_keys("add", "eng1", ed25519(3))
    code, out, _ = admin_keys("remove", "eng1")
    assert code == 0 and "removed 2 key(s) of eng1" in out
    assert keys_file.read_bytes() == OTHER_LINES + b"\n" + sshkeys.BEGIN + b"\n" + entry("owner", ed25519(2)) + \
        b"\n" + sshkeys.END + b"\n"
    admin_keys("remove", "owner")
    # The last key gone, the markers go too.
    assert keys_file.read_bytes() == OTHER_LINES + b"\n"


def test_list_shows_person_type_fingerprint_and_a_clean_comment(admin_keys):
    admin_keys("add", "eng1", ed25519(1, "eng1@laptop\x1b[2J\u202e"))
    admin_keys("add", "mgr", ed25519(2, "zoë@laptop"))
    admin_keys("add", "owner", rsa(3072))
    code, out, _ = admin_keys("list")
    assert code == 0
    rows = [line.split() for line in out.splitlines()]
    fingerprint = sshkeys.parse_public_key(ed25519(1)).fingerprint
    assert rows[0] == ["user", "type", "fingerprint", "comment"]
    assert rows[1] == ["eng1", "ssh-ed25519", fingerprint, "eng1@laptop[2J"]
    assert rows[2][0] == "mgr" and rows[2][3] == "zoë@laptop"
    assert rows[3][:2] == ["owner", "ssh-rsa"] and rows[3][3] == "rsa"
    assert "\x1b" not in out and "\u202e" not in out


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen to make real keys")
@pytest.mark.parametrize("kind", ["ed25519", "ecdsa", "rsa"])
def test_real_keys_are_accepted_with_the_fingerprint_ssh_keygen_shows(admin_keys, tmp_path, kind):
    private = tmp_path / f"id_{kind}"
    subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", "me@host", "-f", str(private)], check=True)
    shown = subprocess.run(["ssh-keygen", "-l", "-f", str(private) + ".pub"], check=True, capture_output=True,
                           text=True).stdout.split()[1]
    code, out, err = admin_keys("add", "eng1", (tmp_path / f"id_{kind}.pub").read_text())
    assert code == 0, err
    assert shown in out and shown in admin_keys("list")[1]


MALFORMED = {
    "unknown type": "ssh-foo AAAAC3NzaC1lZDI1NTE5AAAAIOe5sbDmqtbxTs3XrjZHZLSpiZIvbvxlCuKJ1FplbHFv x\n",
    "DSA": "ssh-dss " + base64.b64encode(wire(b"ssh-dss", b"p", b"q", b"g", b"y")).decode() + "\n",
    "not base64": "ssh-ed25519 AAAA$$$$ x\n",
    "base64 without its padding": rsa(3072).replace("= ", " "),
    "other type inside": "ssh-ed25519 " + base64.b64encode(wire(b"ssh-rsa", bytes(32))).decode() + "\n",
    "short Ed25519 key": "ssh-ed25519 " + base64.b64encode(wire(b"ssh-ed25519", bytes(31))).decode() + "\n",
    "truncated": "ssh-ed25519 " + base64.b64encode(wire(b"ssh-ed25519", bytes(32))[:-3]).decode() + "\n",
    "trailing bytes": "ssh-ed25519 " + base64.b64encode(wire(b"ssh-ed25519", bytes(32)) + b"\0").decode() + "\n",
    "weak RSA": rsa(1024),
    "no key data": "ssh-ed25519\n",
    "empty": "\n# nothing\n",
    "two keys": ed25519(1) + ed25519(2),
    "options in front": 'command="/bin/sh" ' + ed25519(1),
    "private key": "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
}


def unchanged(keys_file, before: bytes) -> None:
    assert keys_file.read_bytes() == before
    leftovers = [p.name for p in keys_file.parent.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers


@pytest.mark.parametrize("what", sorted(MALFORMED))
def test_a_malformed_key_is_refused_and_the_file_kept(admin_keys, keys_file, what):
    admin_keys("add", "owner", ed25519(9))
    before = keys_file.read_bytes()
    code, _, err = admin_keys("add", "eng1", MALFORMED[what])
    assert code == 1 and err.startswith("oppmarket: error: key: ") and err.count("\n") == 1
    unchanged(keys_file, before)


def test_a_key_file_that_is_not_text_is_refused(capsys, url, keys_file, tmp_path):
    before = keys_file.read_bytes()
    binary = tmp_path / "id.pub"
    binary.write_bytes(b"\xff\xfe\x00ssh")
    code = cli.main(["--db", url, "admin", "keys", "add", "eng1", str(binary), "--file", str(keys_file)])
    assert code == 1 and "keyfile: " in capsys.readouterr().err
    unchanged(keys_file, before)


def test_a_key_given_to_someone_else_is_refused(admin_keys, keys_file):
    admin_keys("add", "owner", ed25519(1, "owner's laptop"))
    before = keys_file.read_bytes()
    code, _, err = admin_keys("add", "eng1", ed25519(1, "a different comment, the same key"))
    assert code == 1 and "already opens the app as owner" in err
    unchanged(keys_file, before)


def test_a_key_that_already_stands_outside_the_block_is_refused(admin_keys, keys_file):
    # The admin's own key (line 2) may open a shell: it must not become someone's identity too.
    before = keys_file.read_bytes()
    own = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOe5sbDmqtbxTs3XrjZHZLSpiZIvbvxlCuKJ1FplbHFv admin\n"
    code, _, err = admin_keys("add", "eng1", own)
    assert code == 1 and "outside oppmarket's block (line 2)" in err
    unchanged(keys_file, before)


@pytest.mark.parametrize("user", ["eng1\n", "../eng1", ".eng1", 'eng1" x', "e" * 65, ""])
def test_an_invalid_username_is_refused(admin_keys, keys_file, user):
    before = keys_file.read_bytes()
    code, _, err = admin_keys("add", user, ed25519(1))
    assert code == 1 and "not a valid username" in err
    unchanged(keys_file, before)


def test_someone_without_a_profile_gets_no_key(admin_keys, keys_file):
    before = keys_file.read_bytes()
    code, _, err = admin_keys("add", "ghost", ed25519(1))
    assert code == 1 and "ghost has no profile in this marketplace" in err
    unchanged(keys_file, before)


def test_only_the_account_owning_the_database_manages_keys(admin_keys, keys_file, monkeypatch):
    before = keys_file.read_bytes()
    monkeypatch.setattr(identity.os, "getuid", lambda: 54321)
    monkeypatch.setattr(identity, "os_login", lambda: "stranger")
    for argv in (("add", "eng1", ed25519(1)), ("remove", "eng1"), ("list",)):
        code, out, err = admin_keys(*argv)
        assert code == 1 and "only the account that owns the database" in err and not out
    unchanged(keys_file, before)


def test_removing_someone_without_a_key_is_refused(admin_keys, keys_file):
    admin_keys("add", "owner", ed25519(1))
    before = keys_file.read_bytes()
    code, _, err = admin_keys("remove", "eng1")
    assert code == 1 and "no key" in err and "eng1" in err
    unchanged(keys_file, before)


def test_a_line_written_by_hand_inside_the_block_stops_every_change(admin_keys, keys_file):
    admin_keys("add", "owner", ed25519(1))
    text = keys_file.read_bytes().replace(sshkeys.END, ed25519(5).strip().encode() + b"\n" + sshkeys.END)
    keys_file.write_bytes(text)
    for argv in (("add", "eng1", ed25519(2)), ("remove", "owner"), ("list",)):
        code, _, err = admin_keys(*argv)
        assert code == 1 and "is not a line oppmarket writes" in err
        unchanged(keys_file, text)


def test_a_repeated_marker_stops_every_change(admin_keys, keys_file):
    admin_keys("add", "owner", ed25519(1))
    text = keys_file.read_bytes() + sshkeys.BEGIN + b"\n"
    keys_file.write_bytes(text)
    code, _, err = admin_keys("add", "eng1", ed25519(2))
    assert code == 1 and "marker lines" in err
    unchanged(keys_file, text)


def test_a_symlinked_file_is_not_followed(admin_keys, keys_file, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"# not to be touched\n")
    keys_file.unlink()
    keys_file.symlink_to(elsewhere)
    code, _, err = admin_keys("add", "eng1", ed25519(1))
    assert code == 1 and "symbolic link" in err
    assert elsewhere.read_bytes() == b"# not to be touched\n" and keys_file.is_symlink()


def test_an_edit_under_way_elsewhere_is_refused(admin_keys, keys_file):
    before = keys_file.read_bytes()
    with open(sshkeys.lock_path(keys_file), "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        code, _, err = admin_keys("add", "eng1", ed25519(1))
    assert code == 1 and "someone else is changing" in err
    unchanged(keys_file, before)


def test_a_change_made_while_editing_is_not_overwritten(admin_keys, keys_file, monkeypatch):
    """An edit by hand between oppmarket's read and its write (no lock taken) wins:
    oppmarket refuses rather than lose it."""
    read = sshkeys._layout

    def read_then_someone_edits(path, data):
        layout = read(path, data)
        with open(keys_file, "ab") as out:
            out.write(b"\nssh-ed25519 AAAA... added by hand meanwhile\n")
        return layout

    monkeypatch.setattr(sshkeys, "_layout", read_then_someone_edits)
    code, _, err = admin_keys("add", "eng1", ed25519(1))
    assert code == 1 and "changed while oppmarket was editing it" in err
    unchanged(keys_file, OTHER_LINES + b"\nssh-ed25519 AAAA... added by hand meanwhile\n")


def test_install_ssh_prints_the_sshd_block_and_the_steps(capsys, url):
    assert cli.main(["--db", url, "admin", "install-ssh", "--account", "oppmarket"]) == 0
    out = capsys.readouterr().out
    for line in ("Match User oppmarket", "DisableForwarding yes", "AllowAgentForwarding no",
                 "PermitUserEnvironment no", "PermitTTY yes", "AuthenticationMethods publickey"):
        assert line in out
    directives = [line.split()[0] for line in out.splitlines() if line.startswith(("    ", "Permit"))]
    assert "AcceptEnv" not in directives and "ForceCommand" not in directives
    for step in ("useradd", "install -d -m 0700", "oppmarket init", "oppmarket admin keys add",
                 f'restrict,pty,command="{sshkeys.this_program()} ssh-session alice"'):
        assert step in out
    assert cli.main(["--db", url, "admin", "install-ssh", "--config-only"]) == 0
    config = capsys.readouterr().out
    assert config.splitlines()[0].startswith("#") and f"Match User {identity.os_login()}" in config
    assert "useradd" not in config
