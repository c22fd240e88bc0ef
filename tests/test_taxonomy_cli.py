"""`oppmarket admin departments` and `oppmarket admin skills`: the Market's taxonomy
from the command line, usage shown before a merge or a retirement, JSON where it
lists, and one-line errors naming what was wrong."""

from __future__ import annotations

import json

import pytest

from oppmarket.db.connection import open_database

from support.cli import plain_terminal, run_cli
from support.taxonomy import taxonomy_org


@pytest.fixture
def admin(tmp_path, monkeypatch):
    """`oppmarket --db URL --as admin` on a SQLite file the tests' account owns (so
    `--as` is honoured), holding `support.taxonomy.taxonomy_org`."""
    path = tmp_path / "taxonomy.db"
    database = open_database(f"sqlite:///{path}")
    taxonomy_org(database)
    database.close()
    plain_terminal(monkeypatch)
    return ("--db", f"sqlite:///{path}", "--as", "admin", "admin")


def test_the_skills_list_counts_every_use(admin, capsys):
    code, out, _ = run_cli(capsys, *admin, "skills", "list")
    assert code == 0
    lines = [line.split() for line in out.splitlines()]
    assert lines[0] == ["skill", "claims", "interests", "postings", "endorsed", "roles", "aliases", "retired"]
    assert ["Kubernetes", "2", "1", "1", "0", "1", "1"] in lines
    code, out, _ = run_cli(capsys, *admin, "skills", "list", "k8s", "--json")
    [skill] = json.loads(out)
    assert skill["name"] == "Kubernetes" and skill["aliases"] == ["k8s"] and skill["usage"]["claims"] == 2


def test_usage_names_each_kind_of_use(admin, capsys):
    code, out, _ = run_cli(capsys, *admin, "skills", "usage", "orchestration")
    assert code == 0
    assert out.strip() == ("Container orchestration (also orchestration): used by 3 claims, 2 interests, "
                           "3 postings, 1 endorsement, 2 key roles, 1 alias, 1 saved search")
    code, out, _ = run_cli(capsys, *admin, "skills", "usage", "SQL", "--json")
    assert json.loads(out)["usage"]["claims"] == 1


def test_a_merge_shows_what_it_moves_and_asks_unless_told_yes(admin, capsys):
    code, out, err = run_cli(capsys, *admin, "skills", "merge", "Container orchestration", "k8s")
    assert code == 1
    assert "merging Container orchestration into Kubernetes moves 3 claims, 2 interests" in out
    assert err.strip() == "oppmarket: error: nothing was merged: add --yes to merge without being asked"
    code, out, _ = run_cli(capsys, *admin, "skills", "merge", "Container orchestration", "k8s", "--yes")
    assert code == 0
    assert ("merged: Kubernetes (also Container orchestration, k8s, orchestration) is now used by 3 claims, "
            "2 interests, 3 postings, 1 endorsement, 2 key roles, 3 aliases, 1 saved search") in out


def test_rename_aliases_retire_and_unretire(admin, capsys):
    assert run_cli(capsys, *admin, "skills", "rename", "SQL", "Structured Query Language")[1].strip() == (
        "renamed to Structured Query Language (also SQL)")
    assert run_cli(capsys, *admin, "skills", "alias", "add", "sql", "sequel")[1].strip() == (
        "Structured Query Language (also SQL, sequel)")
    assert run_cli(capsys, *admin, "skills", "alias", "remove", "SEQUEL")[1].strip() == (
        "Structured Query Language (also SQL)")
    code, out, _ = run_cli(capsys, *admin, "skills", "retire", "orchestration")
    assert out.strip() == ("retired Container orchestration: no longer offered; it stays on 3 claims, "
                           "2 interests, 3 postings, 1 endorsement, 2 key roles, 1 alias, 1 saved search")
    code, out, _ = run_cli(capsys, *admin, "skills", "list", "--json")
    assert {s["name"]: s["retired"] for s in json.loads(out)}["Container orchestration"] is True
    assert run_cli(capsys, *admin, "skills", "unretire", "orchestration")[1].strip() == (
        "Container orchestration is offered again")


def test_departments_are_listed_added_nested_renamed_and_merged(admin, capsys):
    code, out, _ = run_cli(capsys, *admin, "departments", "list")
    assert ["Platform", "Engineering", "3", "1", "2", "0"] in [line.split() for line in out.splitlines()]
    assert run_cli(capsys, *admin, "departments", "add", "Data", "--parent", "Product")[1].strip() == (
        "added the department Data under Product")
    assert run_cli(capsys, *admin, "departments", "set-parent", "Data", "--none")[1].strip() == (
        "Data now sits at the top")
    assert run_cli(capsys, *admin, "departments", "rename", "platform", "Platform eng")[1].strip() == (
        "renamed platform to Platform eng; 1 saved search(es) follow")
    code, out, _ = run_cli(capsys, *admin, "departments", "merge", "Platform eng", "Data")
    assert out.strip() == "merged Platform eng into Data: moved 3 people, 1 posting, 2 key roles, 1 saved search"
    code, out, _ = run_cli(capsys, *admin, "departments", "list", "--json")
    assert {d["name"]: d["people"] for d in json.loads(out)} == {"Data": 3, "Engineering": 0, "Product": 2}


@pytest.mark.parametrize(("argv", "says"), [
    (("departments", "set-parent", "Engineering", "Platform"),
     "parent: Platform sits under Engineering; that would make a loop: Platform → Engineering → Platform"),
    (("departments", "set-parent", "Engineering"), "parent: give the parent department or --none, one of them"),
    (("departments", "add", "platform"), "name: a department called 'Platform' already exists"),
    (("departments", "merge", "Nowhere", "Product"), "no department called 'Nowhere'"),
    (("skills", "rename", "Docker", "k8s"), "name: 'k8s' is already an alias of Kubernetes"),
    (("skills", "usage", "Cobol"), "no skill called 'Cobol'"),
    (("skills", "unretire", "Docker"), "Docker is not retired"),
])
def test_errors_are_one_line_naming_what_is_wrong(admin, capsys, argv, says):
    code, out, err = run_cli(capsys, *admin, *argv)
    assert code != 0
    assert err.strip() == f"oppmarket: error: {says}"


def test_only_admins_may(admin, capsys):
    as_owner = tuple("owner" if part == "admin" and i == 3 else part for i, part in enumerate(admin))
    code, _, err = run_cli(capsys, *as_owner, "skills", "retire", "SQL")
    assert code != 0 and err.strip() == "oppmarket: error: only an admin may change departments or the skills taxonomy"
    code, _, err = run_cli(capsys, *as_owner, "departments", "list")
    assert code != 0 and err.strip() == "oppmarket: error: only an admin may do that"
