"""`oppmarket admin backup FILE`: a copy of a SQLite marketplace taken while another
process keeps writing to it passes SQLite's integrity check and holds the rows; an
existing file is kept unless --force; a server database gets the pg_dump command,
never its password; only an admin or the database's owning account may back up."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest

from oppmarket import backup, identity, policy
from oppmarket.db import models as M
from oppmarket.db.connection import open_database
from oppmarket.market import Market

from support import build_org
from support.cli import run_cli
from support.database import sqlite_database

# Writes skills through the Market until told to stop, saying how many it has written.
WRITER = textwrap.dedent("""
    import pathlib, sys
    from oppmarket.db.connection import open_database
    from oppmarket.market import Market
    db = open_database(sys.argv[1])
    market = Market(db, "admin")
    stop = pathlib.Path(sys.argv[2])
    n = 0
    while not stop.exists():
        n += 1
        market.add_skill(f"Written meanwhile {n}", category="Load", description="x" * 2000)
        if n == 20:
            print("writing", flush=True)
    print(n, flush=True)
""")


@pytest.fixture
def market_db(tmp_path):
    """A SQLite marketplace with the small organisation and some bulk in it."""
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    with sqlite_database(folder) as db:
        admin = build_org(db)
        for n in range(60):
            admin.add_skill(f"Padding {n}", category="Padding", description="y" * 3000)
        yield db, folder / "m.db"


def integrity(path) -> list[str]:
    with sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as conn:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]


def test_a_backup_taken_while_another_process_writes_is_whole(market_db, tmp_path, monkeypatch):
    db, source = market_db
    # One page a step: the other process's writes start the copy over, many times.
    monkeypatch.setattr(backup, "STEP_PAGES", 1)
    stop, target = tmp_path / "stop", tmp_path / "copy.db"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, f"sqlite:///{source}", str(stop)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "writing"
        steps = []
        made = backup.back_up_sqlite(source, target, progress=lambda done, total: steps.append((done, total)))
    finally:
        stop.touch()
        written = int(writer.stdout.read().strip())
        writer.wait(timeout=60)
    assert writer.returncode == 0 and written > 20
    assert integrity(target) == ["ok"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert made.size == target.stat().st_size and steps
    with db.connection_context():
        assert made.counts["people"] == M.Employee.select().count()
        stored = M.Skill.select().count()
    assert 20 + 62 <= made.counts["skills"] <= stored
    copy = open_database(f"sqlite:///{target}", migrate=False)
    try:
        assert Market(copy, "admin").person("eng1").display_name == "Eli Engineer"
        assert Market(copy, None).resolve_skill("Padding 59").category == "Padding"
    finally:
        copy.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.db", "data", "stop"]  # no temporary file left


def test_the_counted_tables_are_the_models_tables():
    tables = {model._meta.table_name for model in M.MODELS}
    assert {table for table, _ in backup.COUNTED} | {backup.VERSION_TABLE} <= tables


def test_the_cli_prints_size_and_counts_and_keeps_an_existing_file(market_db, tmp_path, capsys):
    _, source = market_db
    target = tmp_path / "nightly.db"
    code, out, err = run_cli(capsys, "--db", f"sqlite:///{source}", "admin", "backup", str(target))
    assert code == 0, err
    assert f"backed up {source} to {target}: " in out
    assert "KiB, schema version" in out and "integrity check ok; 4 people, 62 skills, 3 opportunities" in out
    assert "restore: stop the app" in err
    before = target.read_bytes()
    code, out, err = run_cli(capsys, "--db", f"sqlite:///{source}", "admin", "backup", str(target))
    assert code != 0 and "already exists; use --force to replace it" in err
    assert len(err.strip().splitlines()) == 1
    assert target.read_bytes() == before
    code, out, err = run_cli(capsys, "--db", f"sqlite:///{source}", "admin", "backup", str(target), "--force")
    assert code == 0 and integrity(target) == ["ok"]


def test_the_database_itself_is_never_the_target(market_db, capsys):
    _, source = market_db
    before = source.read_bytes()
    code, _, err = run_cli(capsys, "--db", f"sqlite:///{source}", "admin", "backup", str(source), "--force")
    assert code != 0 and "that is the database itself" in err
    assert source.read_bytes() == before


@pytest.mark.parametrize("who", ["eng1", "owner", "mgr"])
def test_only_an_admin_or_the_owning_account_backs_up(market_db, tmp_path, capsys, monkeypatch, who):
    _, source = market_db
    monkeypatch.setattr(identity, "owns_database", lambda *args: False)
    monkeypatch.setattr(identity, "os_login", lambda: who)
    target = tmp_path / "copy.db"
    code, _, err = run_cli(capsys, "--db", f"sqlite:///{source}", "admin", "backup", str(target))
    assert code != 0 and "only an admin or the account that owns the database" in err
    assert not target.exists()
    monkeypatch.setattr(identity, "os_login", lambda: "admin")
    code, _, err = run_cli(capsys, "--db", f"sqlite:///{source}", "admin", "backup", str(target))
    assert code == 0, err


def test_the_rule_of_who_backs_up():
    from oppmarket.domain import Person

    def person(admin: bool) -> Person:
        return Person(id=1, username="p", display_name="P", email="", title="", department=None, department_id=None,
                      manager_username=None, weekly_hours=40, cap_pct=20, is_admin=admin, active=True)

    assert policy.may_back_up(None, owns_database=True) is None
    assert policy.may_back_up(person(True), owns_database=False) is None
    assert policy.may_back_up(person(False), owns_database=False) is not None
    assert policy.may_back_up(None, owns_database=False) is not None


@pytest.mark.pg
def test_a_server_database_gets_the_command_without_its_password(pg_url, capsys, monkeypatch, tmp_path):
    from support.database import reset_postgres

    reset_postgres(pg_url, keep_tables=True)
    db = open_database(pg_url)
    try:
        build_org(db, opportunities=0)
    finally:
        db.close()
    monkeypatch.setattr(identity, "os_login", lambda: "admin")
    user, rest = pg_url.split("://", 1)[1].split("@", 1)
    with_password = f"postgresql://{user}:s3cr3t-pw@{rest}?sslmode=prefer&password=other-s3cr3t"
    code, out, err = run_cli(capsys, "--db", with_password, "admin", "backup", str(tmp_path / "m.dump"))
    assert code == 0, err
    assert "s3cr3t" not in out + err
    assert f"pg_dump --format=custom --file={tmp_path / 'm.dump'} 'postgresql://{user}@{rest}?sslmode=prefer'" in out
    assert "pg_restore --clean --if-exists" in out
    assert not (tmp_path / "m.dump").exists()
