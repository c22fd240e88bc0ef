"""`oppmarket admin people`: the admins' people commands, JSON where they list, a
deactivation that prints its plan and names what is missing, and one-line errors."""

from __future__ import annotations

import json

import pytest

from oppmarket.db.connection import open_database
from oppmarket.domain import OpportunityDraft

from support import SKILLS, STAFF, build_org, staff
from support.cli import plain_terminal, run_cli


@pytest.fixture
def url(tmp_path, monkeypatch):
    """A SQLite file owned by whoever runs the tests (so `--as` is honoured): the
    staff of the tests, and an open gig of owner's that eng1 applied to."""
    path = tmp_path / "people.db"
    database = open_database(f"sqlite:///{path}")
    admin = build_org(database, people=staff(*STAFF), skills=SKILLS, opportunities=0)
    gig = admin.as_user("owner").post(OpportunityDraft(title="Owner's gig", skills=[("SQL", 2, "required")]),
                                      publish=True)
    admin.as_user("eng1").apply(gig.id)
    database.close()
    plain_terminal(monkeypatch)
    return f"sqlite:///{path}"


def people(url, *argv):
    return ("--db", url, "--as", "admin", "admin", "people", *argv)


def test_list_finds_people_and_shows_the_inactive_on_request(url, capsys):
    code, out, _ = run_cli(capsys, *people(url, "list", "maya"))
    assert code == 0
    assert out.split("\n")[1].split()[:3] == ["mgr", "Maya", "Manager"]
    run_cli(capsys, *people(url, "deactivate", "loner"))
    code, out, _ = run_cli(capsys, *people(url, "list", "--json"))
    assert "loner" not in [p["username"] for p in json.loads(out)]
    code, out, _ = run_cli(capsys, *people(url, "list", "luca", "--inactive", "--json"))
    [loner] = json.loads(out)
    assert (loner["username"], loner["active"]) == ("loner", False)
    code, out, _ = run_cli(capsys, *people(url, "list", "luca", "--inactive"))
    assert "INACTIVE" in out


def test_add_edit_manager_hours_and_admin(url, capsys):
    code, out, err = run_cli(capsys, *people(url, "add", "hire", "--name", "Nia Hire", "--department", "Data",
                                             "--manager", "mgr", "--hours", "30"))
    assert code == 0, err
    assert out.strip() == "added hire (Nia Hire): Data, manager mgr, 30 h, cap 20%"
    code, out, _ = run_cli(capsys, *people(url, "edit", "hire", "--title", "Analyst", "--no-department"))
    assert code == 0 and "changed hire (Nia Hire): no department" in out
    code, out, _ = run_cli(capsys, *people(url, "set-manager", "hire", "--none"))
    assert code == 0 and ", no manager," in out
    code, out, _ = run_cli(capsys, *people(url, "set-hours", "hire", "--hours", "20", "--cap", "40"))
    assert code == 0 and "20 h, cap 40%" in out
    code, out, _ = run_cli(capsys, *people(url, "make-admin", "hire"))
    assert code == 0 and out.startswith("made an admin: hire") and out.strip().endswith(", admin")
    code, out, _ = run_cli(capsys, *people(url, "show", "hire", "--json"))
    shown = json.loads(out)
    assert (shown["title"], shown["department"], shown["is_admin"], shown["weekly_hours"]) == (
        "Analyst", None, True, 20)


def test_errors_are_one_line_and_name_what_is_wrong(url, capsys):
    code, _, err = run_cli(capsys, *people(url, "set-manager", "mgr", "eng1"))
    assert code != 0
    assert err.strip() == ("oppmarket: error: manager: eng1 cannot manage mgr: that would make a loop, "
                           "mgr → eng1 → mgr")
    code, _, err = run_cli(capsys, *people(url, "revoke-admin", "admin"))
    assert code != 0 and "admin is the last active admin" in err
    code, _, err = run_cli(capsys, "--db", url, "--as", "mgr", "admin", "people", "make-admin", "eng1")
    assert code != 0 and "only an admin" in err and err.count("\n") == 1
    with pytest.raises(SystemExit):
        run_cli(capsys, *people(url, "set-hours", "eng1", "--hours", "many"))
    assert "argument --hours: 'many' is not a whole number" in capsys.readouterr().err


def test_deactivate_prints_the_plan_and_refuses_until_each_decision_is_made(url, capsys):
    code, out, err = run_cli(capsys, *people(url, "deactivate", "owner"))
    assert code != 0
    assert "posting 1 'Owner's gig' (open, 1 in play): needs a new owner" in out
    assert "reports: owned need a new manager" in out
    assert "give each open posting a new owner or cancel it: 1 'Owner's gig'" in err
    code, out, err = run_cli(capsys, *people(url, "deactivate", "owner", "--owner", "1=", "--reports-to", "mgr"))
    assert code != 0 and "a reason is needed to cancel 'Owner's gig'" in err
    code, out, err = run_cli(capsys, *people(url, "deactivate", "owner", "--owner", "1=eng2",
                                             "--reports-to", "mgr"))
    assert code == 0, err
    assert "deactivated owner" in out
    code, out, _ = run_cli(capsys, *people(url, "show", "owned", "--json"))
    assert json.loads(out)["manager"] == "mgr"
    code, out, _ = run_cli(capsys, "--db", url, "--as", "owner", "whoami")
    assert code != 0
    code, out, err = run_cli(capsys, *people(url, "reactivate", "owner"))
    assert code == 0 and "reactivated owner" in out
