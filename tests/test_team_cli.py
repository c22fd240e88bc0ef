"""`oppmarket team` and `oppmarket cap`: the team as text and as JSON, an empty team,
a cap cut below what is held refused on one line, and bad flags that name
themselves."""

from __future__ import annotations

import json

import pytest

from oppmarket import cli
from oppmarket.db.connection import open_database
from oppmarket.market import Market

from support import NOW, Clock
from support.team import team_org


@pytest.fixture
def url(tmp_path, monkeypatch):
    """The known team in a SQLite file the test's account owns (so --as works). The
    command runs on the real clock, long after NOW: starting it releases the offer
    that was waiting, as every start does once a release is overdue."""
    path = tmp_path / "team.db"
    database = open_database(f"sqlite:///{path}")
    team_org(database, Clock(NOW))
    database.close()
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    return f"sqlite:///{path}"


@pytest.fixture
def run(url, capsys):
    """run(*args) -> (exit code, standard output, standard error)."""

    def go(*args: str) -> tuple[int, str, str]:
        code = cli.main([*args, "--db", url])
        return (code, *capsys.readouterr())

    return go


def test_the_team_as_text(run):
    code, out, err = run("team", "--as", "mgr")
    assert code == 0, err
    assert "\x1b[" not in out
    assert "2 direct reports · 9 of 16 h/week committed · 0 waiting for your release" in out
    assert " ".join("eng1 Eli Engineer 20% = 8 h 4 h 1 0 Python 4, SQL 2".split()) in " ".join(out.split())
    assert " ".join("eng2 Erin Engineer 20% = 8 h 5 h 2 0 SQL 3".split()) in " ".join(out.split())
    assert "marketplace hours a week, the last 12 weeks from " in out


def test_the_team_as_json(run):
    code, out, _ = run("team", "--as", "mgr", "--json", "--weeks", "3")
    assert code == 0
    found = json.loads(out)
    assert [r["username"] for r in found["reports"]] == ["eng1", "eng2"]
    eli = found["reports"][0]
    assert (eli["cap_pct"], eli["cap_hours"], eli["committed_hours"], eli["hours_left"]) == (20, 8, 4, 4)
    assert [e["title"] for e in eli["engagements"]] == ["Payments tracing"]
    assert eli["top_skills"][0] == {"skill": "Python", "level": 4, "stale": False}
    assert (found["committed_hours"], found["cap_hours"]) == (9, 16)
    assert len(found["weeks"]) == 3


def test_nobody_reports_to_an_engineer(run):
    code, out, _ = run("team", "--as", "eng1")
    assert (code, out.strip()) == (0, "nobody reports to you, so you have no team here")
    code, out, _ = run("team", "--as", "eng1", "--json")
    assert json.loads(out)["reports"] == []


def test_a_cap_is_set_but_never_below_what_is_held(run, url):
    code, _, err = run("cap", "eng2", "10", "--as", "mgr")
    assert code == 1
    assert err.strip() == ("oppmarket: error: cap_pct: Erin Engineer already has 5 h/week committed to offers and "
                           "engagements, more than 4 h/week (10% of 40 h): the cap can go down to 13%, or lower "
                           "once some of it ends")
    code, out, _ = run("cap", "eng2", "25", "--as", "mgr")
    assert (code, out.strip()) == (0, "Erin Engineer (eng2) now has a marketplace time cap of 25% of 40 h/week "
                                      "= 10 h/week")
    database = open_database(url)
    assert Market(database, "admin").person("eng2").cap_pct == 25
    database.close()


def test_a_colleague_may_not_set_a_cap(run):
    code, _, err = run("cap", "eng2", "50", "--as", "eng1")
    assert code == 1
    assert "only eng2's line manager or an admin may change their time cap" in err


@pytest.mark.parametrize(("args", "flag"), [(("cap", "eng2", "101"), "PCT"), (("cap", "eng2", "x"), "PCT"),
                                            (("team", "--weeks", "0"), "--weeks")])
def test_bad_flags_name_themselves(run, capsys, args, flag):
    with pytest.raises(SystemExit) as info:
        run(*args, "--as", "mgr")
    assert info.value.code == 2
    assert f"error: argument {flag}: " in capsys.readouterr().err
