"""The command line as a script or a person uses it: exit codes, one-line errors."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys

import pytest

from oppmarket import cli, identity


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def own(db_url, tmp_path, monkeypatch) -> list[str]:
    """The options that open `db_url` as its owner: the SQLite file, or a server
    database named in a config file only the caller can read (0600), as an owner
    keeps its credentials."""
    if db_url.startswith("sqlite"):
        return ["--db", db_url]
    settings = tmp_path / "owner.toml"
    settings.write_text(f'database = "{db_url}"\n')
    settings.chmod(0o600)
    monkeypatch.setenv("OPPMARKET_CONFIG", str(settings))
    return []


@pytest.fixture
def stranger(monkeypatch):
    """Pretend to be a user who does not own the database files."""
    monkeypatch.setattr(identity.os, "getuid", lambda: 54321)
    monkeypatch.setattr(identity, "os_login", lambda: "stranger")


def test_whoami_without_profile_explains_and_offers_init(capsys, db_url):
    code, out, err = run(capsys, "--db", db_url, "whoami")
    assert code == 1
    assert err.count("\n") == 1 and "no profile" in err
    if db_url.startswith("sqlite"):
        assert "oppmarket init" in err
    else:
        assert "ask an admin" in err


def test_init_makes_the_first_user_admin(capsys, own):
    code, out, _ = run(capsys, *own, "init", "--name", "Root User")
    assert code == 0 and "admin" in out
    code, out, _ = run(capsys, "whoami", "--json", *own)
    record = json.loads(out)
    assert record["is_admin"] is True and record["display_name"] == "Root User"
    assert record["identified_by"] == "os-login" and record["owns_database"] is True
    code, out, _ = run(capsys, *own, "init")
    assert code == 0 and "already exists" in out


def test_as_is_honoured_on_own_database(capsys, own):
    run(capsys, *own, "init")
    code, out, err = run(capsys, *own, "--as", "someone", "whoami")
    assert code == 1 and "someone" in err and "no profile" in err


def test_as_is_refused_on_a_file_owned_by_someone_else(capsys, tmp_path, stranger):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    code, _, err = run(capsys, "--db", url, "--as", "admin", "whoami")
    assert code == 1
    assert "--as is refused: this database belongs to another account" in err


def test_stranger_cannot_import_into_a_shared_database(capsys, tmp_path, stranger):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    skills = tmp_path / "skills.csv"
    skills.write_text("name\nRust\n")
    code, _, err = run(capsys, "--db", url, "import", "skills", str(skills))
    assert code == 1 and "only an admin" in err


@pytest.mark.parametrize(
    "url, fragment",
    [
        ("not a url", "is not a URL"),
        ("mysql://x/y", "not supported"),
        ("sqlite://relative.db", "three slashes"),
        ("postgresql://", "names no database"),
        ("postgresql://u:hunter2@127.0.0.1:1/x", "cannot open database"),
        ("postgresql://u@127.0.0.1:notaport/x", "malformed"),
    ],
)
def test_bad_database_url_is_one_line(capsys, url, fragment):
    code, out, err = run(capsys, "--db", url, "whoami")
    assert code == 1 and out == ""
    assert err.startswith("oppmarket: error:") and err.count("\n") == 1
    assert fragment in err and "hunter2" not in err and "Traceback" not in err


def test_env_var_chooses_the_database(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("OPPMARKET_DB", "mysql://nope/x")
    code, _, err = run(capsys, "whoami")
    assert code == 1 and "'mysql' is not supported" in err


def test_broken_config_file_is_one_line(capsys, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("database = [unclosed\n")
    monkeypatch.setenv("OPPMARKET_CONFIG", str(config))
    code, _, err = run(capsys, "whoami")
    assert code == 1 and "not valid TOML" in err
    config.write_text('colour = "blue"\n')
    code, _, err = run(capsys, "whoami")
    assert code == 1 and "unknown setting(s) colour" in err


def test_bad_flag_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["export", "spaceships"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["demo", "--employees", "-5"])
    assert "must be at least 1" in capsys.readouterr().err


def test_import_reports_bad_rows_and_writes_nothing(capsys, own, tmp_path):
    run(capsys, *own, "init")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,category,aliases,description\nGo,Languages,golang,\n,Data,,\nRust,,rs;RS,\n")
    code, out, err = run(capsys, *own, "import", "skills", str(bad))
    assert code == 1
    assert "2 bad row(s)" in err and "nothing was imported" in err
    assert "line 3: name: must not be empty" in err
    assert "line 4: aliases: an alias is listed twice" in err
    code, out, _ = run(capsys, *own, "export", "skills", "--format", "json")
    assert json.loads(out) == []


def test_import_then_export(capsys, own, tmp_path):
    run(capsys, *own, "init")
    good = tmp_path / "skills.csv"
    good.write_text("name,category,aliases,description\nKubernetes,Platform,k8s,Orchestration\n")
    code, out, err = run(capsys, *own, "import", "skills", str(good))
    assert code == 0 and "imported 1 skills" in out
    target = tmp_path / "out" / "skills.csv"
    target.parent.mkdir()
    code, _, err = run(capsys, *own, "export", "skills", "-o", str(target))
    assert code == 0 and "exported 1 skills" in err
    assert target.read_text().splitlines() == ["name,category,aliases,description",
                                               "Kubernetes,Platform,k8s,Orchestration"]


def test_export_to_an_unwritable_place_is_one_line(capsys, db_url, tmp_path):
    code, _, err = run(capsys, "--db", db_url, "export", "people", "-o", str(tmp_path / "no" / "such" / "f.csv"))
    assert code == 1 and "cannot write" in err


def test_missing_import_file(capsys, own, tmp_path):
    run(capsys, *own, "init")
    code, _, err = run(capsys, *own, "import", "people", str(tmp_path / "missing.csv"))
    assert code == 1 and "cannot read" in err


def test_applications_export_is_for_admins(capsys, db_url, org, monkeypatch):
    from oppmarket.domain import OpportunityDraft

    opp = org.as_user("owner").post(OpportunityDraft(title="Pairing day", hours_per_week=2), publish=True)
    org.as_user("eng1").apply(opp.id, "hi")
    monkeypatch.setattr(identity.os, "getuid", lambda: 54321)  # nobody owns the file now
    monkeypatch.setattr(identity, "os_login", lambda: "eng2")
    code, _, err = run(capsys, "--db", db_url, "export", "applications")
    assert code == 1 and "only an admin may list every application" in err
    monkeypatch.setattr(identity, "os_login", lambda: "admin")
    code, out, _ = run(capsys, "--db", db_url, "export", "applications", "--format", "json")
    assert code == 0
    assert [(a["applicant"], a["status"]) for a in json.loads(out)] == [("eng1", "applied")]


def test_maintenance_reports_releases(capsys, db_url):
    code, out, _ = run(capsys, "--db", db_url, "maintenance")
    assert code == 0 and out.strip() == "0 overdue release(s) granted automatically"


def test_ssh_session_refuses_a_client_command(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SSH_ORIGINAL_COMMAND", "cat /etc/passwd")
    code, _, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'm.db'}", "ssh-session", "alice")
    assert code == 1 and "commands are not accepted" in err


def test_ssh_session_needs_a_terminal(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("SSH_ORIGINAL_COMMAND", raising=False)
    code, _, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'm.db'}", "ssh-session", "alice")
    assert code == 1 and "ssh -t" in err


@pytest.mark.parametrize("user", ["../root", "alice\n", "alice\r\n"])
def test_ssh_session_rejects_odd_usernames(capsys, tmp_path, user):
    code, _, err = run(capsys, "ssh-session", user)
    assert code == 1 and "not a valid username" in err


def test_ssh_identity_cannot_be_switched():
    who = identity.resolve(True, None, ssh_user="alice")
    assert who.username == "alice" and not who.can_switch
    with pytest.raises(Exception, match="not available in an SSH session"):
        identity.resolve(True, "bob", ssh_user="alice")


def test_module_entry_point_runs():
    result = subprocess.run([sys.executable, "-m", "oppmarket", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("oppmarket ")


def test_review_and_release_from_the_command_line(capsys, db_url, org, monkeypatch):
    from oppmarket.domain import OpportunityDraft

    opp = org.as_user("owner").post(OpportunityDraft(title="[red]Pager[/] rota", hours_per_week=2), publish=True)
    app_id = org.as_user("eng1").apply(opp.id, "I know the pager").application_id
    org.as_user("eng2").apply(opp.id)

    def as_login(user):
        monkeypatch.setattr(identity, "os_login", lambda: user)

    as_login("owner")
    code, out, _ = run(capsys, "--db", db_url, "applicants", str(opp.id), "--json")
    assert [a["applicant"] for a in json.loads(out)] == ["eng1", "eng2"]
    code, out, _ = run(capsys, "--db", db_url, "applicants", str(opp.id))
    assert "eng1" in out and "Eli Engineer" in out
    code, out, _ = run(capsys, "--db", db_url, "review", str(opp.id), "eng1", "offer", "--message", "welcome")
    assert code == 0 and out.strip() == "eng1 is now offered for '[red]Pager[/] rota'"
    code, _, err = run(capsys, "--db", db_url, "review", str(opp.id), "nobody", "offer")
    assert code == 1 and "'nobody' has not applied" in err

    as_login("mgr")  # not asked until the offer is accepted
    code, out, _ = run(capsys, "--db", db_url, "releases")
    assert out.strip() == "no offers are waiting for your release"

    as_login("eng1")  # not the owner
    code, _, err = run(capsys, "--db", db_url, "review", str(opp.id), "eng2", "decline")
    assert code == 1 and "only the posting's owner" in err
    code, out, _ = run(capsys, "--db", db_url, "accept", str(app_id))
    assert code == 0 and out.startswith("accepted '[red]Pager[/] rota'; your line manager is asked")

    as_login("mgr")
    code, out, _ = run(capsys, "--db", db_url, "releases", "--json")
    assert [a["id"] for a in json.loads(out)] == [app_id]
    code, _, err = run(capsys, "--db", db_url, "release", str(app_id), "--decline")
    assert code == 1 and "reason is required" in err
    code, out, _ = run(capsys, "--db", db_url, "release", str(app_id))
    assert code == 0 and out.startswith("released eng1")
    code, out, _ = run(capsys, "--db", db_url, "releases")
    assert out.strip() == "no offers are waiting for your release"


def test_a_line_manager_sets_contracted_hours_and_the_person_cannot(capsys, db_url, org, monkeypatch):
    monkeypatch.setattr(identity, "os_login", lambda: "eng1")
    code, _, err = run(capsys, "--db", db_url, "hours", "eng1", "80")
    assert code == 1 and "set by your line manager or an admin" in err
    monkeypatch.setattr(identity, "os_login", lambda: "mgr")
    code, out, _ = run(capsys, "--db", db_url, "hours", "eng1", "30")
    assert code == 0 and out.strip() == ("Eli Engineer (eng1) now works 30 h/week; "
                                         "their marketplace time cap is 20% = 6 h/week")
    with pytest.raises(SystemExit) as refused:
        cli.main(["--db", db_url, "hours", "eng1", "0"])
    assert refused.value.code == 2 and "0 must be at least 1" in capsys.readouterr().err
    assert org.as_user("eng1").whoami().weekly_hours == 30


def test_demo_names_the_database_it_was_given_in_the_commands_it_suggests(capsys, tmp_path):
    folder = tmp_path / "demo folder"
    folder.mkdir()
    url = f"sqlite:///{folder / 'market.db'}"
    code, out, err = run(capsys, "--db", url, "demo")
    assert code == 0, err
    suggested = [line.split("#")[0].split() for line in out.splitlines() if "--as" in line]
    assert len(suggested) == 4
    # The suggestion works as printed, on that database.
    argv = shlex.split(next(line.split("#")[0] for line in out.splitlines() if "--as lars.sousa" in line))
    assert argv[:3] == ["oppmarket", "--db", url]
    code, out, _ = run(capsys, *argv[1:], "whoami")
    assert code == 0 and "lars.sousa" in out


@pytest.mark.parametrize("command", [["demo"], ["init"], ["--as", "someone", "whoami"]])
def test_a_path_given_for_a_url_is_named_before_any_ownership_question(capsys, tmp_path, command):
    code, _, err = run(capsys, "--db", str(tmp_path / "market.db"), *command)
    assert code == 1
    assert "is not a URL; use sqlite:///PATH" in err
    assert "belongs to another account" not in err


def test_the_candidate_answers_an_offer_from_the_command_line(capsys, db_url, org, monkeypatch):
    from oppmarket.domain import OpportunityDraft

    owner = org.as_user("owner")
    opp = owner.post(OpportunityDraft(title="Pager rota", hours_per_week=2, seats=2), publish=True)
    first = org.as_user("eng1").apply(opp.id).application_id
    second = org.as_user("eng2").apply(opp.id).application_id
    # Offered from the command line, so the deadline runs from today's clock, as the
    # command's own maintenance pass reads it.
    monkeypatch.setattr(identity, "os_login", lambda: "owner")
    for who in ("eng1", "eng2"):
        assert run(capsys, "--db", db_url, "review", str(opp.id), who, "offer")[0] == 0

    monkeypatch.setattr(identity, "os_login", lambda: "eng2")
    code, _, err = run(capsys, "--db", db_url, "accept", str(first))
    assert code == 1 and "applicant" in err and len(err.strip().splitlines()) == 1
    with pytest.raises(SystemExit) as refused:
        run(capsys, "--db", db_url, "decline-offer", str(second), "--reson", "x")
    assert refused.value.code != 0 and "--reson" in capsys.readouterr().err
    code, out, _ = run(capsys, "--db", db_url, "decline-offer", str(second), "--reason", "clashes with on-call")
    assert code == 0 and out.strip() == "declined the offer of 'Pager rota'; the owner is told"
    assert owner.application(second).decline_reason == "clashes with on-call"
    code, _, err = run(capsys, "--db", db_url, "accept", str(second))
    assert code == 1 and "not an offer waiting for an answer" in err
