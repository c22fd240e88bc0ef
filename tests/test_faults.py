"""Faults of the database or the system reach a person as one line they can act on
and a non-zero exit, never as a traceback; the traceback goes to a log file in the
state folder that only its owner can read."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from oppmarket import cli, faults
from oppmarket.config import log_path
from oppmarket.db import connection

from support.os_users import os_user, other_user_oppmarket

SKILLS_CSV = "name,category,aliases,description\nKubernetes,Platform,k8s,Orchestration\n"


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line(code: int, err: str, *fragments: str) -> None:
    assert code == 1
    assert err.startswith("oppmarket: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and 'File "' not in err, err
    for fragment in fragments:
        assert fragment in err, err


def assert_logged(log: Path = None) -> str:
    """The traceback went to the log file, which only its owner may read."""
    log = log or log_path()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    return text


@pytest.fixture
def skills_csv(tmp_path) -> Path:
    path = tmp_path / "skills.csv"
    path.write_text(SKILLS_CSV, encoding="utf-8")
    path.chmod(0o644)
    return path


@pytest.fixture
def short_busy_timeout(monkeypatch):
    """Databases opened from now on wait 0.2 s for a lock instead of 15 s."""
    monkeypatch.setattr(connection, "SQLITE_PRAGMAS", connection.SQLITE_PRAGMAS | {"busy_timeout": 200})
    monkeypatch.setattr(connection, "SQLITE_TIMEOUT_SECONDS", 0.2)


# ---------------------------------------------------------------- the five situations


def test_a_read_only_database_file_is_one_line():
    """Root writes any file, so an ordinary account owns this database and has made
    it read-only (as a backup copy or a careless chmod would)."""
    oppmarket = str(other_user_oppmarket())
    with os_user() as user:
        env = {"OPPMARKET_DATA_DIR": str(user.home / "data"), "OPPMARKET_STATE_DIR": str(user.home / "state"),
               "OPPMARKET_CONFIG": str(user.home / "config.toml")}
        made = user.run([oppmarket, "init", "--name", "Rita Reader"], env=env)
        assert made.returncode == 0, made.stderr
        (user.home / "data" / "oppmarket.db").chmod(0o444)
        skills_csv = user.home / "skills.csv"
        skills_csv.write_text(SKILLS_CSV, encoding="utf-8")
        skills_csv.chmod(0o644)

        done = user.run([oppmarket, "import", "skills", str(skills_csv)], env=env)
        assert_one_line(done.returncode, done.stderr, "is read-only for this account", "oppmarket.db")
        assert_logged(user.home / "state" / "oppmarket.log")


def test_a_lock_held_past_the_busy_timeout_is_one_line(capsys, tmp_path, skills_csv, monkeypatch,
                                                       short_busy_timeout):
    path = tmp_path / "m.db"
    url = f"sqlite:///{path}"
    assert run(capsys, "--db", url, "init")[0] == 0
    holder = sqlite3.connect(path, isolation_level=None)
    opened = connection.open_database

    def opened_then_locked(*args, **kwargs):
        database = opened(*args, **kwargs)
        holder.execute("BEGIN IMMEDIATE")  # another writer starts just after this one opened
        return database

    monkeypatch.setattr(connection, "open_database", opened_then_locked)
    try:
        code, out, err = run(capsys, "--db", url, "import", "skills", str(skills_csv))
    finally:
        holder.close()
    assert_one_line(code, err, f"the database {url} is busy", "try again")
    assert "database is locked" in assert_logged()

    monkeypatch.setattr(connection, "open_database", opened)
    code, out, _ = run(capsys, "--db", url, "import", "skills", str(skills_csv))
    assert code == 0 and "imported 1 skills" in out


@contextlib.contextmanager
def tiny_disk(folder: Path):
    """A 4 MiB file system of its own at `folder`, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs that can fill up")
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path) -> None:
    with open(folder / "filler", "wb", buffering=0) as filler, contextlib.suppress(OSError):
        while True:
            filler.write(b"\0" * 4096)


def test_a_full_disk_under_the_database_is_one_line(capsys, tmp_path, skills_csv):
    with tiny_disk(tmp_path / "disk") as disk:
        url = f"sqlite:///{disk / 'm.db'}"
        assert run(capsys, "--db", url, "init")[0] == 0
        # Another session keeps the database open, so its -wal and -shm files exist
        # and the disk fills up under a database already in use.
        reader = sqlite3.connect(disk / "m.db")
        reader.execute("SELECT count(*) FROM sqlite_master").fetchall()
        try:
            fill(disk)
            code, _, err = run(capsys, "--db", url, "import", "skills", str(skills_csv))
        finally:
            reader.close()
    assert_one_line(code, err, f"the disk holding the database {url} is full", "free some space")
    assert "database or disk is full" in assert_logged()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_under_standard_output_is_one_line(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    assert run(capsys, "--db", url, "init")[0] == 0
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "oppmarket", "--db", url, "export", "people", "--format", "json"],
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert_one_line(done.returncode, done.stderr, "no space left on the disk")
    assert "No space left on device" in assert_logged()


def garbage_over_table(path: Path, table: str) -> None:
    """Overwrite the first page of `table` with bytes that are no b-tree page."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (page,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        (size,) = db.execute("PRAGMA page_size").fetchone()
    with open(path, "r+b") as file:
        file.seek((page - 1) * size)
        file.write(b"\xde\xad\xbe\xef" * (size // 4))


def test_a_damaged_database_file_is_one_line(capsys, tmp_path):
    path = tmp_path / "m.db"
    url = f"sqlite:///{path}"
    assert run(capsys, "--db", url, "init")[0] == 0
    garbage_over_table(path, "employee")
    code, _, err = run(capsys, "--db", url, "whoami")
    assert_one_line(code, err, f"the database {url} is damaged", "restore it from a backup")
    assert "malformed" in assert_logged()


def test_a_file_of_garbage_is_one_line(capsys, tmp_path):
    path = tmp_path / "m.db"
    path.write_bytes(b"SQLite format 3\0" + bytes(range(256)) * 64)
    code, _, err = run(capsys, "--db", f"sqlite:///{path}", "whoami")
    assert_one_line(code, err, "not a database")


def test_a_data_folder_that_cannot_be_made_is_one_line(capsys, tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("not a folder\n")
    monkeypatch.setenv("OPPMARKET_DATA_DIR", str(tmp_path / "a-file" / "data"))
    code, _, err = run(capsys, "whoami")
    assert_one_line(code, err, str(tmp_path / "a-file" / "data"), "part of that path is a file, not a folder")
    assert "NotADirectoryError" in assert_logged()


def test_a_bug_is_one_line_naming_the_log(capsys, tmp_path, monkeypatch):
    def broken(self):
        raise KeyError("nobody expected this")

    monkeypatch.setattr("oppmarket.market.Market.whoami", broken)
    url = f"sqlite:///{tmp_path / 'm.db'}"
    run(capsys, "--db", url, "init")
    code, _, err = run(capsys, "--db", url, "whoami")
    assert_one_line(code, err, "KeyError: 'nobody expected this'", f"a bug; the details are in {log_path()}")
    assert "in broken" in assert_logged()


# ---------------------------------------------------------------- the mapping itself


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "no space left on the disk: free some space"),
        (PermissionError(errno.EACCES, "Permission denied", "/srv/m.db"),
         "permission denied: /srv/m.db: check who may read and write it"),
        (OSError(errno.EROFS, "Read-only file system", "/mnt/x"), "read-only file system: /mnt/x"),
        (FileNotFoundError(errno.ENOENT, "No such file or directory", "/nowhere"), "/nowhere does not exist"),
        (OSError(errno.ELOOP, "Too many levels of symbolic links", "/a/b"), "Too many levels of symbolic links: /a/b"),
        (PermissionError(errno.EACCES, "Permission denied", "/x\x1b[2J\u202e"), "permission denied: /x[2J"),
    ],
)
def test_os_errors_are_named_in_one_clean_line(error, expected):
    said = faults.explain(error)
    assert said is not None and said.startswith(expected)
    assert "\x1b" not in said and "\u202e" not in said


def test_the_fault_behind_a_failed_rollback_is_the_one_named():
    try:
        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError:
            raise RuntimeError("cannot rollback - no transaction is active")  # noqa: B904
    except RuntimeError as error:
        hidden = error
    # A sqlite3 error made by hand has no result code: give it the one SQLite would.
    hidden.__context__.sqlite_errorname = "SQLITE_FULL"
    assert faults.explain(hidden, "sqlite:////m.db") == (
        "the disk holding the database sqlite:////m.db is full: free some space, then try again")


def test_a_bug_is_not_explained_away():
    assert faults.explain(KeyError("x")) is None
    assert faults.describe(ValueError("bad\nsecond line")) == "ValueError: bad"


@pytest.mark.pg
def test_postgresql_faults_are_named(pg_url):
    import peewee
    from playhouse import db_url

    def database():
        db = peewee.PostgresqlDatabase(**db_url.parse(pg_url))
        db.connect()
        return db

    first, second = database(), database()
    try:
        first.execute_sql("SET statement_timeout = 20")
        with pytest.raises(peewee.DatabaseError) as slow:
            first.execute_sql("SELECT pg_sleep(2)")
        assert "cancelled a statement that ran too long" in faults.explain(slow.value)
        first.execute_sql("SET statement_timeout = 0")

        first.execute_sql("CREATE TABLE IF NOT EXISTS fault_probe (x int)")
        with first.atomic():
            first.execute_sql("LOCK TABLE fault_probe IN ACCESS EXCLUSIVE MODE")
            second.execute_sql("SET lock_timeout = 50")
            with pytest.raises(peewee.DatabaseError) as locked:
                second.execute_sql("SELECT * FROM fault_probe")
            assert faults.explain(locked.value, "postgresql://u@h/db") == (
                "the database postgresql://u@h/db is busy: another process kept it locked longer than "
                "oppmarket waits; try again in a moment")
        second.close()
        second = database()
        (pid,) = second.execute_sql("SELECT pg_backend_pid()").fetchone()
        first.execute_sql("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(peewee.DatabaseError) as gone:
            second.execute_sql("SELECT 1")
        assert "try again" in faults.explain(gone.value)
    finally:
        with contextlib.suppress(Exception):
            first.execute_sql("DROP TABLE IF EXISTS fault_probe")
        for db in (first, second):
            with contextlib.suppress(Exception):
                db.close()


# ---------------------------------------------------------------- the log file


def test_the_log_lives_in_the_state_folder_and_only_its_owner_reads_it(tmp_path, monkeypatch):
    monkeypatch.setenv("OPPMARKET_STATE_DIR", str(tmp_path / "state"))
    assert log_path() == tmp_path / "state" / "oppmarket.log"
    assert faults.record(RuntimeError("first")) == log_path()
    assert stat.S_IMODE((tmp_path / "state").stat().st_mode) == 0o700
    log_path().chmod(0o644)  # as a log left by an older version would be
    faults.record(RuntimeError("second"))
    assert stat.S_IMODE(log_path().stat().st_mode) == 0o600
    text = log_path().read_text(encoding="utf-8")
    assert "RuntimeError: first" in text and "RuntimeError: second" in text


def test_an_ssh_session_keeps_the_log_where_the_service_account_keeps_it(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("OPPMARKET_STATE_DIR", str(tmp_path / "chosen-by-the-client"))
    monkeypatch.delenv("SSH_ORIGINAL_COMMAND", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    seen = []
    monkeypatch.setattr(cli, "cmd_tui", lambda ctx, args: seen.append(log_path()) or 0)
    code, _, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'm.db'}", "ssh-session", "alice")
    assert code == 0, err
    assert seen and "chosen-by-the-client" not in str(seen[0])


def test_the_log_is_not_written_through_a_planted_link(tmp_path, monkeypatch):
    monkeypatch.setenv("OPPMARKET_STATE_DIR", str(tmp_path / "state"))
    (tmp_path / "state").mkdir()
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    log_path().symlink_to(victim)
    assert faults.record(RuntimeError("boom")) is None
    assert victim.read_text() == "precious\n"


def test_the_log_holds_no_control_characters(tmp_path):
    faults.record(RuntimeError("evil \x1b]0;title\x07 \u202ename"))
    text = log_path().read_text(encoding="utf-8")
    assert "RuntimeError: evil ]0;title name" in text
    assert not any(c in text for c in "\x1b\x07\u202e")
