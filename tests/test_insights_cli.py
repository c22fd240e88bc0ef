"""`oppmarket insights`: readable text without colour in a pipe, JSON with the same
figures, and a bad date that names its flag."""

from __future__ import annotations

import json

import pytest

from oppmarket import cli
from oppmarket.db.connection import open_database

from support import NOW, Clock
from support.insights import REASON, insights_org


@pytest.fixture
def url(tmp_path, monkeypatch):
    """The known organisation in a SQLite file the test's account owns (so --as works)."""
    path = tmp_path / "insights.db"
    database = open_database(f"sqlite:///{path}")
    insights_org(database, Clock(NOW))
    database.close()
    monkeypatch.setenv("NO_COLOR", "1")
    return f"sqlite:///{path}"


@pytest.fixture
def insights(url, capsys):
    """insights(USER, *flags) -> (exit code, standard output, standard error)."""

    def run(user: str, *flags: str) -> tuple[int, str, str]:
        code = cli.main(["insights", "--db", url, "--as", user, *flags])
        return (code, *capsys.readouterr())

    return run


def test_text_reads_without_colour(insights):
    code, out, err = insights("admin", "--since", "2026-03-01")
    assert code == 0, err
    assert "\x1b[" not in out
    assert "Insights · the whole company (7 people) · 1 Mar 2026" in out
    assert "2 of 7 people took part (29%): 2 engagements" in out
    assert f"1 × {REASON}" in out
    assert "Flagged: at least 5 requests settled" in out


def test_json_has_the_same_figures(insights):
    code, out, _ = insights("mgr", "--json")
    assert code == 0
    found = json.loads(out)
    assert found["scope"] == "reports"
    assert found["participation"]["people"] == 2
    assert found["ledger"]["releases"]["declined"] == 1
    assert found["ledger"]["releases"]["decline_rate"] == 0.5


@pytest.mark.parametrize("flag", ["--since", "--until"])
def test_a_bad_date_names_its_flag(url, capsys, flag):
    with pytest.raises(SystemExit) as raised:
        cli.main(["insights", "--db", url, "--as", "admin", flag, "31/12/2026"])
    assert raised.value.code != 0
    assert f"argument {flag}: '31/12/2026' is not a date" in capsys.readouterr().err


def test_a_period_ending_before_it_starts_is_one_line(insights):
    code, _, err = insights("admin", "--since", "2026-03-05", "--until", "2026-03-01")
    assert code == 1 and err.count("\n") == 1 and "until" in err
