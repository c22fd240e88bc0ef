"""`oppmarket admin settings` and `oppmarket admin audit`: the same settings and log
as the Market, filters as flags, an export to a private file that never replaces
one by accident, and one-line errors naming what was wrong."""

from __future__ import annotations

import csv
import json
import stat

import pytest

from oppmarket import cli
from oppmarket.db.connection import open_database

from support import build_org
from support.cli import plain_terminal, run_cli


@pytest.fixture
def url(tmp_path, monkeypatch):
    """A SQLite file the test's account owns (so `--as` is honoured): the small
    organisation, with the default cap changed once by the admin."""
    path = tmp_path / "audit.db"
    database = open_database(f"sqlite:///{path}")
    build_org(database, opportunities=0).set_setting("default_cap_pct", 25)
    database.close()
    plain_terminal(monkeypatch)
    return f"sqlite:///{path}"


def admin(url: str, *argv: str) -> tuple[str, ...]:
    return ("--db", url, "--as", "admin", "admin", *argv)


def test_settings_list_and_set(url, capsys):
    code, out, _ = run_cli(capsys, *admin(url, "settings"))
    assert code == 0
    rows = {line.split()[0]: line.split()[1:4] for line in out.splitlines()[1:]}
    assert rows["default_cap_pct"] == ["25", "*", "20"] and rows["release_auto_days"][:2] == ["5", "5"]
    code, out, _ = run_cli(capsys, *admin(url, "settings", "set", "session_idle_minutes", "30"))
    assert code == 0 and out == "session_idle_minutes (Idle session timeout) is now 30 minutes (was 0)\n"
    code, out, _ = run_cli(capsys, *admin(url, "settings", "--json"))
    idle = next(s for s in json.loads(out) if s["key"] == "session_idle_minutes")
    assert (idle["value"], idle["default"], idle["changed"], idle["low"], idle["high"]) == (30, 0, True, 0, 1440)


def test_a_bad_setting_value_is_one_line_naming_the_setting_and_range(url, capsys):
    code, out, err = run_cli(capsys, *admin(url, "settings", "set", "release_auto_days", "90"))
    assert code == 1 and out == ""
    assert err == ("oppmarket: error: release_auto_days: Automatic release must be a whole number "
                   "from 1 to 60 (days)\n")
    code, _, err = run_cli(capsys, *admin(url, "settings", "set", "colour", "3"))
    assert code == 1 and "there is no setting 'colour'" in err


@pytest.mark.parametrize("who", ["eng1", "owner", "mgr"])
def test_non_admins_are_refused_and_nothing_changes(url, capsys, who):
    code, out, err = run_cli(capsys, "--db", url, "--as", who, "admin", "settings", "set", "default_cap_pct", "50")
    assert code == 1 and out == "" and err == "oppmarket: error: only an admin may do that\n"
    code, out, err = run_cli(capsys, "--db", url, "--as", who, "admin", "audit")
    assert code == 1 and out == "" and err == "oppmarket: error: only an admin may read the audit log\n"
    code, out, _ = run_cli(capsys, *admin(url, "settings", "--json"))
    assert next(s["value"] for s in json.loads(out) if s["key"] == "default_cap_pct") == 25


def test_the_log_newest_first_with_filters_and_pages(url, capsys):
    code, out, _ = run_cli(capsys, *admin(url, "audit", "--action", "set_setting"))
    assert code == 0
    [line] = out.splitlines()[1:]
    assert line.split()[3:] == ["admin", "os-login", "set_setting", "setting", "default_cap_pct", "20", "→", "25"]
    code, out, err = run_cli(capsys, *admin(url, "audit", "--limit", "2", "--json"))
    page = json.loads(out)
    assert len(page["events"]) == 2 and page["events"][0]["action"] == "set_setting"
    assert page["events"][0]["changes"] == [{"field": "default_cap_pct", "old": 20, "new": 25}]
    code, out, err = run_cli(capsys, *admin(url, "audit", "--limit", "2", "--before", str(page["next_before_id"]),
                                            "--json"))
    older = json.loads(out)["events"]
    assert [e["id"] for e in older] == [page["next_before_id"] - 1, page["next_before_id"] - 2]
    code, out, _ = run_cli(capsys, *admin(url, "audit", "--object", "employee:2", "--json"))
    assert {(e["object_type"], e["object_id"]) for e in json.loads(out)["events"]} == {("employee", 2)}
    code, out, _ = run_cli(capsys, *admin(url, "audit", "--since", "2030-01-01"))
    assert out == "no events match these filters\n"


def test_show_one_event(url, capsys):
    _, out, _ = run_cli(capsys, *admin(url, "audit", "--action", "set_setting", "--json"))
    event_id = json.loads(out)["events"][0]["id"]
    code, out, _ = run_cli(capsys, *admin(url, "audit", "show", str(event_id)))
    assert code == 0
    assert "who: admin (identified by os-login)" in out and "default_cap_pct: 20 → 25" in out
    assert 'detail: {"key": "default_cap_pct", "new": 25, "old": 20}' in out
    code, _, err = run_cli(capsys, *admin(url, "audit", "show", "9999"))
    assert code == 1 and err == "oppmarket: error: audit event 9999 does not exist\n"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_writes_a_private_file_and_keeps_an_existing_one(url, capsys, tmp_path, fmt):
    target = tmp_path / f"log.{fmt}"
    code, _, err = run_cli(capsys, *admin(url, "audit", "export", str(target), "--format", fmt, "--actor", "admin"))
    assert code == 0 and err.startswith("exported ")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text()
    rows = json.loads(text) if fmt == "json" else list(csv.DictReader(text.splitlines()))
    assert rows and {r["actor"] for r in rows} == {"admin"}
    target.write_text("keep me")
    code, _, err = run_cli(capsys, *admin(url, "audit", "export", str(target)))
    assert code == 1 and "already exists; add --force to replace it" in err
    assert target.read_text() == "keep me"
    code, _, _ = run_cli(capsys, *admin(url, "audit", "export", str(target), "--force", "--format", fmt))
    assert code == 0 and target.read_text() != "keep me"


@pytest.mark.parametrize(("argv", "named"), [
    (("audit", "--since", "last week"), "--since: 'last week' is not a date"),
    (("audit", "--until", "2026-13-01"), "--until: '2026-13-01' is not a date"),
    (("audit", "export", "x.csv", "--since", "soon"), "--since: 'soon' is not a date"),
    (("audit", "--object", "key_role:x"), "--object: 'key_role:x' is not TYPE or TYPE:ID"),
    (("audit", "--limit", "0"), "--limit: 0 is not between 1 and 1000"),
])
def test_bad_flags_give_one_line_naming_the_flag(url, capsys, argv, named):
    with pytest.raises(SystemExit) as exited:
        cli.main(["--db", url, "--as", "admin", "admin", *argv])
    assert exited.value.code == 2
    assert named in capsys.readouterr().err
