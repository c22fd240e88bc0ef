"""`oppmarket key-roles` for anyone and `oppmarket admin key-roles` for admins: the
same benches as the Market, and one-line errors naming what was wrong."""

from __future__ import annotations

import json

import pytest

from oppmarket import cli
from oppmarket.db.connection import open_database

from support import SKILLS, STAFF, build_org, staff
from support.cli import plain_terminal, run_cli


@pytest.fixture
def url(tmp_path, monkeypatch):
    """A SQLite file owned by whoever runs the tests (so `--as` is honoured) with one
    key role: Python 4, Kubernetes 3, held by mgr; eng1 ready, eng2 one short."""
    path = tmp_path / "roles.db"
    database = open_database(f"sqlite:///{path}")
    admin = build_org(database, people=staff(*STAFF), skills=SKILLS, opportunities=0)
    for username, levels in {"mgr": (5, 4), "eng1": (4, 3), "eng2": (3, 3)}.items():
        for skill, level in zip(("Python", "Kubernetes"), levels):
            admin.as_user(username).set_skill(skill, level)
    admin.add_key_role("Head of Platform", holder="mgr", risk="high", skills=[("Python", 4), ("Kubernetes", 3)])
    database.close()
    plain_terminal(monkeypatch)
    return f"sqlite:///{path}"


def test_the_list_shows_each_role_and_its_bench(url, capsys):
    code, out, _ = run_cli(capsys, "--db", url, "--as", "loner", "key-roles")
    assert code == 0
    assert out.split("\n")[1].split() == ["1", "Head", "of", "Platform", "Maya", "Manager", "high", "1", "1", "0",
                                          "Python", "4,", "Kubernetes", "3"]
    code, out, _ = run_cli(capsys, "--db", url, "--as", "loner", "key-roles", "--json")
    [role] = json.loads(out)
    assert role["bench"] == {"ready": 1, "one_short": 1, "two_short": 0} and role["holder"] == "mgr"


def test_the_admin_console_lists_the_same_roles_with_what_they_need(url, capsys):
    code, out, _ = run_cli(capsys, "--db", url, "--as", "admin", "admin", "key-roles", "list", "--json")
    assert code == 0
    [role] = json.loads(out)
    assert role["skills"] == [{"skill": "Python", "level": 4}, {"skill": "Kubernetes", "level": 3}]
    assert role["bench"]["ready"] == 1


def test_show_names_the_gaps_to_an_admin_and_counts_them_to_others(url, capsys):
    code, out, _ = run_cli(capsys, "--db", url, "--as", "admin", "key-roles", "show", "1")
    assert code == 0
    assert "needs: Python 4, Kubernetes 3" in out
    assert "ready now eng1" in " ".join(out.split()) and "one skill short eng2" in " ".join(out.split())
    assert "Python 3/4" in out
    code, out, _ = run_cli(capsys, "--db", url, "--as", "loner", "key-roles", "show", "1", "--json")
    shown = json.loads(out)
    assert shown["candidates"] == [] and shown["hidden"] == 2


def test_admins_add_edit_set_skills_and_remove(url, capsys):
    admin = ("--db", url, "--as", "admin", "admin", "key-roles")
    code, out, _ = run_cli(capsys, *admin, "add", "Data lead", "--department", "Product", "--skill", "SQL=3")
    assert code == 0 and "added key role 2: Data lead (SQL 3)" in out
    code, out, _ = run_cli(capsys, *admin, "edit", "2", "--holder", "owner", "--risk", "low")
    assert code == 0 and "held by owner, Product, low risk" in out
    code, out, _ = run_cli(capsys, *admin, "skills", "2", "SQL=4", "py=2")
    assert code == 0 and "now needs SQL 4, Python 2" in out
    code, out, _ = run_cli(capsys, *admin, "remove", "2")
    assert code == 0 and "removed key role 2: Data lead" in out
    code, out, _ = run_cli(capsys, "--db", url, "--as", "admin", "key-roles", "--json")
    assert [r["id"] for r in json.loads(out)] == [1]


def test_a_non_admin_is_refused_in_one_line(url, capsys):
    code, out, err = run_cli(capsys, "--db", url, "--as", "mgr", "admin", "key-roles", "remove", "1")
    assert code == 1 and out == ""
    assert err == "oppmarket: error: only an admin may add, change or remove key roles\n"


@pytest.mark.parametrize(("argv", "named"), [
    (("add", "Lead", "--skill", "Python"), "--skill: 'Python' is not SKILL=LEVEL"),
    (("add", "Lead", "--risk", "huge"), "--risk: invalid choice: 'huge'"),
    (("skills", "x", "SQL=2"), "ID: 'x' is not a key role's id"),
])
def test_bad_flags_give_one_line_naming_the_flag(url, capsys, argv, named):
    with pytest.raises(SystemExit) as exited:
        cli.main(["--db", url, "--as", "admin", "admin", "key-roles", *argv])
    assert exited.value.code != 0
    assert named in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "said"), [
    (("edit", "1", "--holder", "nobody"), "holder: no active person called 'nobody'"),
    (("edit", "1"), "nothing to change"),
    (("edit", "1", "--holder", "eng1", "--no-holder"), "--holder or --no-holder"),
    (("remove", "9"), "key role 9 does not exist"),
])
def test_refused_changes_say_why_in_one_line(url, capsys, argv, said):
    code, out, err = run_cli(capsys, "--db", url, "--as", "admin", "admin", "key-roles", *argv)
    assert code == 1 and out == ""
    assert err.startswith("oppmarket: error:") and said in err
