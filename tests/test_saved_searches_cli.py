"""`oppmarket searches`: save, list (text and JSON), remove, and refusals that name
what is wrong."""

from __future__ import annotations

import json

import pytest

from oppmarket import cli
from oppmarket.db.connection import open_database

from support import SKILLS, STAFF, build_org


@pytest.fixture
def searches(tmp_path, capsys, monkeypatch):
    """searches(*args) -> (exit code, standard output, standard error), as eng1."""
    path = tmp_path / "market.db"
    database = open_database(f"sqlite:///{path}")
    build_org(database, people=STAFF.values(), skills=SKILLS, opportunities=0)
    database.close()
    monkeypatch.setenv("NO_COLOR", "1")

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(["searches", *args, "--db", f"sqlite:///{path}", "--as", "eng1"])
        return (code, *capsys.readouterr())

    return run


def test_save_list_and_remove(searches):
    code, out, _ = searches()
    assert code == 0 and "no saved searches yet" in out
    code, out, _ = searches("save", "Clusters", "--query", "k8s", "--kind", "gig", "--max-hours", "4")
    assert code == 0
    assert out.strip() == ("saved 'Clusters': 'k8s' · gig · ≤ 4 h/wk; new postings matching it will reach "
                           "your inbox")
    code, out, _ = searches("--json")
    [saved] = json.loads(out)
    assert (saved["name"], saved["query"], saved["kind"], saved["max_hours"]) == ("Clusters", "k8s", "gig", 4)
    code, out, _ = searches()
    assert "Clusters" in out and "'k8s' · gig" in out
    code, out, _ = searches("remove", "Clusters")
    assert code == 0 and "removed" in out
    assert json.loads(searches("--json")[1]) == []


def test_refusals_name_what_is_wrong(searches):
    code, out, err = searches("save", "Everything")
    assert code == 1 and out == ""
    assert "query" in err and "filter" in err
    code, _, err = searches("remove", "Nothing")
    assert code == 1 and "no saved search called 'Nothing'" in err


def test_a_bad_flag_names_itself(searches, capsys):
    with pytest.raises(SystemExit) as bad:
        cli.main(["searches", "save", "X", "--max-hours", "many"])
    assert bad.value.code != 0
    assert "--max-hours" in capsys.readouterr().err
