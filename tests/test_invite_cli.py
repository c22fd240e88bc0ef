"""`oppmarket candidates`, `invite` and `invitations`: the same candidates and reasons
as the screen, an invitation once, and a bad flag that names itself."""

from __future__ import annotations

import json
import re

import pytest

from oppmarket import cli
from oppmarket.db.connection import open_database
from oppmarket.domain import OpportunityDraft

from support import build_org, staff


@pytest.fixture
def url(tmp_path, monkeypatch):
    """A SQLite file the test's account owns (so --as works): owner's gig asks Python 3;
    eng1 (Python 4) is open to invitations."""
    path = tmp_path / "invite.db"
    database = open_database(f"sqlite:///{path}")
    admin = build_org(database, joiners=staff("eng2"), opportunities=0)
    admin.as_user("eng1").set_skill("Python", 4)
    admin.as_user("owner").post(OpportunityDraft(title="Payments tracing", hours_per_week=4,
                                                 skills=[("Python", 3, "required")]), publish=True)
    database.close()
    monkeypatch.setenv("NO_COLOR", "1")
    return f"sqlite:///{path}"


@pytest.fixture
def run(url, capsys):
    """run(USER, COMMAND, *args) -> (exit code, standard output, standard error)."""

    def call(user: str, *args: str) -> tuple[int, str, str]:
        code = cli.main([*args, "--db", url, "--as", user])
        return (code, *capsys.readouterr())

    return call


def test_open_yourself_then_be_listed_and_invited_once(run):
    assert run("eng1", "invitations")[1].strip() == "you are closed to invitations"
    code, out, _ = run("eng1", "invitations", "on")
    assert code == 0 and out.startswith("you are open to invitations")
    code, out, _ = run("owner", "candidates", "1", "--json")
    found = json.loads(out)
    assert [(c["username"], c["score"], c["invited_at"]) for c in found] == [("eng1", 85, None)]
    assert [t["name"] for t in found[0]["terms"]] == ["required skills", "growth", "availability", "newcomer lift"]
    code, out, _ = run("owner", "invite", "1", "eng1", "--message", "You would be great")
    assert code == 0 and "invited eng1 to apply to 'Payments tracing'" in out
    code, out, err = run("owner", "invite", "1", "eng1")
    assert code == 1 and "already invited Eli Engineer" in err
    code, out, _ = run("owner", "candidates", "1")
    # The day of the invitation (the command runs on today's clock).
    assert re.search(r"^eng1 +Eli Engineer +85 +\d{4}-\d{2}-\d{2} ", out, re.MULTILINE)


def test_refusals_are_one_line(run):
    code, _, err = run("eng2", "candidates", "1")
    assert code == 1 and "only the owner" in err and len(err.strip().splitlines()) == 1
    code, _, err = run("owner", "invite", "1", "eng2")
    assert code == 1 and "eng2 is not open to invitations" in err


def test_a_bad_limit_names_its_flag(url, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["candidates", "1", "--limit", "0", "--db", url, "--as", "owner"])
    assert exited.value.code != 0
    assert "--limit: 0 is not between 1 and 100" in capsys.readouterr().err
