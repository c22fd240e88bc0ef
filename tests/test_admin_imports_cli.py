"""`oppmarket admin imports preview|run KIND FILE`: the preview prints the rows as read,
the problems by line and the counts (or JSON) and writes nothing; run is the
import of `oppmarket import`; both only for admins or the database's owner."""

from __future__ import annotations

import json

import pytest

from oppmarket import identity
from oppmarket.db import models as M
from oppmarket.db.connection import open_database

from support import build_org, table_rows
from support.cli import plain_terminal, run_cli

HEADER = "username,display_name,email,title,department,manager,weekly_hours,cap_pct,is_admin\n"
GOOD = HEADER + "eng1,Eli Engineer,,Staff Engineer,Platform,mgr,,,\nkim,Kim Kato,kim@example.com,,Data,,,,\n"
BAD = HEADER + "kim,Kim Kato,,,,ghost,,,\nlou,Lou Lam,not-an-address,,,,,,\n"


@pytest.fixture
def url(tmp_path):
    path = tmp_path / "m.db"
    database = open_database(f"sqlite:///{path}")
    build_org(database, opportunities=0)
    database.close()
    return f"sqlite:///{path}"


def state(url: str):
    database = open_database(url)
    try:
        return table_rows(database)
    finally:
        database.close()


def people(url: str) -> set[str]:
    database = open_database(url)
    try:
        with database.connection_context():
            return {username for username, in M.Employee.select(M.Employee.username).tuples()}
    finally:
        database.close()


def test_preview_shows_rows_counts_and_writes_nothing(url, tmp_path, capsys, monkeypatch):
    plain_terminal(monkeypatch)
    path = tmp_path / "people.csv"
    path.write_text(GOOD)
    before = state(url)
    code, out, err = run_cli(capsys, "--db", url, "admin", "imports", "preview", "people", str(path))
    assert code == 0, err
    assert f"{path}: 2 rows read as people: 1 new, 1 changed, 0 unchanged" in out
    assert "3     kim       Kim Kato      kim@example.com                  Data" in out
    assert "no problems: `oppmarket admin imports run people FILE` imports it" in out
    assert state(url) == before


def test_preview_names_each_problem_by_line_and_exits_1(url, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(BAD)
    before = state(url)
    code, out, err = run_cli(capsys, "--db", url, "admin", "imports", "preview", "people", str(path))
    assert code == 1
    assert "2 problem(s); nothing would be imported until they are fixed:" in out
    assert "  line 2: manager: nobody is called 'ghost'" in out
    assert "  line 3: email: 'not-an-address' does not look like an address" in out
    assert state(url) == before


def test_preview_as_json(url, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(BAD)
    code, out, _ = run_cli(capsys, "--db", url, "admin", "imports", "preview", "people", str(path), "--json",
                           "--rows", "1")
    record = json.loads(out)
    assert code == 1 and record["ready"] is False
    assert record["problems"] == [{"line": 2, "message": "manager: nobody is called 'ghost'"},
                                  {"line": 3, "message": "email: 'not-an-address' does not look like an address"}]
    assert record["first_rows"] == [{"line": 2, "username": "kim", "display_name": "Kim Kato", "email": "",
                                     "title": "", "department": "", "manager": "ghost", "weekly_hours": "40",
                                     "cap_pct": "20", "is_admin": "no"}]
    assert (record["new"], record["changed"], record["unchanged"]) == (1, 0, 0)


def test_run_imports_as_oppmarket_import_does(url, tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(BAD)
    before = state(url)
    code, _, err = run_cli(capsys, "--db", url, "admin", "imports", "run", "people", str(path))
    # The import stops at the rows that do not read; the preview goes on to the rest.
    assert code != 0 and "1 bad row(s)" in err and "line 3" in err
    assert state(url) == before
    path.write_text(GOOD)
    code, out, err = run_cli(capsys, "--db", url, "admin", "imports", "run", "people", str(path))
    assert code == 0, err
    assert out.strip() == f"imported 2 people from {path}"
    assert "kim" in people(url)


def test_an_unreadable_file_is_one_line(url, tmp_path, capsys):
    code, out, err = run_cli(capsys, "--db", url, "admin", "imports", "preview", "skills",
                             str(tmp_path / "nowhere.csv"))
    assert code != 0 and out == ""
    assert err.strip().splitlines() == [f"oppmarket: error: file: cannot read {tmp_path / 'nowhere.csv'}: "
                                        "No such file or directory"]


@pytest.mark.parametrize("who", ["eng1", "owner", "mgr"])
def test_only_an_admin_or_the_owner_of_the_database(url, tmp_path, capsys, monkeypatch, who):
    path = tmp_path / "people.csv"
    path.write_text(GOOD)
    monkeypatch.setattr(identity, "owns_database", lambda *args: False)
    monkeypatch.setattr(identity, "os_login", lambda: who)
    before = state(url)
    for command in ("preview", "run"):
        code, _, err = run_cli(capsys, "--db", url, "admin", "imports", command, "people", str(path))
        assert code != 0 and "only an admin" in err
    assert state(url) == before
    monkeypatch.setattr(identity, "os_login", lambda: "admin")
    code, _, err = run_cli(capsys, "--db", url, "admin", "imports", "preview", "people", str(path))
    assert code == 0, err
