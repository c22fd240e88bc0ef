"""The audit log is append-only, enforced by the database itself, and each row says
how its actor was identified: OS login, `--as` (or a persona switch), an SSH key, or
the system when no person acted."""

from __future__ import annotations

import os
import sys

import peewee
import pytest

from oppmarket import cli, identity
from oppmarket.app import OppMarketApp
from oppmarket.db import models as M
from oppmarket.db.connection import make_database, open_database
from oppmarket.db.schema import current_version, database_version
from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market

from support import build_org, staff
from support.database import sqlite_database
from support.releases import as_release

CHANGES = [
    "UPDATE audit_event SET action = 'nothing_happened'",
    "UPDATE audit_event SET identified_by = 'ssh'",
    "UPDATE audit_event SET actor_id = NULL",
    "DELETE FROM audit_event",
]


def refused(db, sql: str) -> str:
    """Run `sql` in a transaction of its own, expecting the database to refuse it;
    return its message."""
    with db.connection_context():
        with pytest.raises(peewee.IntegrityError) as info:
            with db.atomic():
                db.execute_sql(sql)
    return str(info.value)


def log_rows(db) -> list[tuple]:
    with db.connection_context():
        return list(M.AuditEvent.select().order_by(M.AuditEvent.id).tuples())


def last_entry(db, action: str):
    """The latest audit entry of `action`, as an admin reads the log."""
    return next(e for e in Market(db, "admin").audit_log(limit=50) if e.action == action)


def a_posting_with_an_applicant(admin: Market) -> tuple[int, int]:
    """owner posts a gig and eng1 applies; (opportunity id, application id)."""
    opp = admin.as_user("owner").post(OpportunityDraft(title="Pager rota", hours_per_week=2), publish=True)
    return opp.id, admin.as_user("eng1").apply(opp.id, "keen").application_id


# ---------------------------------------------------------------------- append-only


@pytest.mark.parametrize("sql", CHANGES)
def test_recorded_audit_rows_cannot_be_changed_or_deleted(org, db, sql):
    before = log_rows(db)
    assert before
    message = refused(db, sql)
    verb = sql.split()[0]
    assert f"the audit log is append-only: {verb} on audit_event is refused" in message
    assert log_rows(db) == before


def test_the_log_still_grows(org, db):
    before = len(log_rows(db))
    org.add_skill("Rust")
    assert len(log_rows(db)) == before + 1


def test_a_person_who_has_acted_is_kept(org, db):
    """People are deactivated, never deleted: deleting one would blank the actor of
    their audit rows, which the database refuses."""
    a_posting_with_an_applicant(org)
    assert any(e.actor == "eng1" for e in org.audit_log(limit=100))
    message = refused(db, "DELETE FROM employee WHERE username = 'eng1'")
    assert "append-only" in message
    assert Market(db, "eng1").whoami().username == "eng1"
    assert any(e.actor == "eng1" for e in org.audit_log(limit=100))


@pytest.mark.blank_database  # it builds the schema of an older release itself
def test_a_version_1_database_is_migrated_and_its_log_made_append_only(db_url):
    old = make_database(db_url)
    old.bind(M.MODELS, bind_refs=False, bind_backrefs=False)
    with old.connection_context():
        as_release(old, 1)
        # Rows as version 1 wrote them: a person's action, and the system's.
        old.execute_sql("INSERT INTO employee (username, display_name, email, title, weekly_hours, cap_pct, "
                        "is_admin, active, created_at) VALUES ('admin', 'Ada Admin', '', '', 40, 20, "
                        "true, true, '2026-01-05 09:00:00')")
        for actor, action in (("(SELECT id FROM employee)", "register"), ("NULL", "auto_release")):
            old.execute_sql("INSERT INTO audit_event (actor_id, action, object_type, object_id, detail, at) "
                            f"VALUES ({actor}, '{action}', 'employee', 1, '{{}}', '2026-01-05 09:00:00')")
        assert database_version(old) == 1
    old.close()

    db = open_database(db_url)
    try:
        with db.connection_context():
            assert database_version(db) == current_version()
        # The old rows are kept; nobody recorded how the person was identified.
        assert [(e.action, e.actor, e.identified_by) for e in reversed(Market(db, "admin").audit_log())] == [
            ("register", "admin", "unrecorded"), ("auto_release", None, "system")]
        before = log_rows(db)
        for sql in CHANGES:
            assert "append-only" in refused(db, sql)
        assert log_rows(db) == before
        # New rows record it.
        Market(db, "admin", identified_by="ssh").add_skill("Rust")
        assert last_entry(db, "add_skill").identified_by == "ssh"
    finally:
        db.close()


# ---------------------------------------------------------------------- how the actor was identified


@pytest.mark.parametrize("how", ["os-login", "as", "ssh"])
def test_a_persons_write_records_how_they_were_identified(org, db, clock, how):
    Market(db, "owner", identified_by=how, clock=clock).post(OpportunityDraft(title="Pager rota", hours_per_week=2))
    entry = last_entry(db, "post")
    assert (entry.actor, entry.identified_by) == ("owner", how)


def test_the_os_login_is_the_default(org, db, clock):
    Market(db, "owner", clock=clock).post(OpportunityDraft(title="Pager rota", hours_per_week=2))
    assert last_entry(db, "post").identified_by == "os-login"


def test_stepping_in_as_someone_records_as(org, db, clock):
    ssh = Market(db, "admin", identified_by="ssh", clock=clock)
    ssh.as_user("owner").post(OpportunityDraft(title="Pager rota", hours_per_week=2))
    assert (last_entry(db, "post").actor, last_entry(db, "post").identified_by) == ("owner", "as")


def test_an_unknown_way_of_identifying_is_a_bug(db):
    with pytest.raises(ValueError, match="identified_by"):
        Market(db, "owner", identified_by="password")


def test_what_no_person_does_records_system(org, db, clock):
    _, app_id = a_posting_with_an_applicant(org)
    Market(db, "owner", clock=clock).offer(app_id, "welcome")
    Market(db, "eng1", clock=clock).accept(app_id)
    clock.advance(days=30)
    # The app's start screen runs maintenance with the person's own market.
    assert Market(db, "eng1", identified_by="ssh", clock=clock).run_maintenance() == 1
    entry = last_entry(db, "auto_release")
    assert (entry.actor, entry.identified_by) == (None, "system")


def test_a_demo_load_records_system(db):
    from oppmarket.demo.generator import load_demo

    load_demo(db, employees=60, opportunities=60)
    with db.connection_context():
        assert [(e.action, e.actor_id, e.identified_by) for e in M.AuditEvent.select()] == [
            ("load_demo", None, "system")]


# ---------------------------------------------------------------------- from the command line


def run(capsys, *argv) -> int:
    code = cli.main(list(argv))
    capsys.readouterr()
    return code


@pytest.fixture
def own_file(tmp_path) -> tuple[str, int]:
    """(url, opportunity id) of the caller's own SQLite file in `tmp_path`, where eng1
    has applied to owner's gig. --as is honoured there."""
    with sqlite_database(tmp_path) as database:
        admin = build_org(database, people=staff("mgr", "eng1", "owner"), opportunities=0)
        opp_id, _ = a_posting_with_an_applicant(admin)
    return f"sqlite:///{tmp_path / 'm.db'}", opp_id


def shortlisted_by(tmp_path) -> tuple[str | None, str]:
    """Who shortlisted on the own file, and how they were identified."""
    with sqlite_database(tmp_path) as database:
        entry = last_entry(database, "shortlist")
    return entry.actor, entry.identified_by


def test_the_cli_records_an_os_login(capsys, own_file, tmp_path, monkeypatch):
    url, opp_id = own_file
    monkeypatch.setattr(identity, "os_login", lambda: "owner")
    assert run(capsys, "--db", url, "review", str(opp_id), "eng1", "shortlist") == 0
    assert shortlisted_by(tmp_path) == ("owner", "os-login")


def test_the_cli_records_as(capsys, own_file, tmp_path):
    url, opp_id = own_file
    assert run(capsys, "--db", url, "--as", "owner", "review", str(opp_id), "eng1", "shortlist") == 0
    assert shortlisted_by(tmp_path) == ("owner", "as")


def test_an_ssh_session_records_ssh(capsys, own_file, tmp_path, monkeypatch):
    """The forced command of the shared deployment, up to the app's first write (the
    app itself is not started: it would need a terminal)."""
    url, opp_id = own_file
    monkeypatch.delenv("SSH_ORIGINAL_COMMAND", raising=False)
    for name, value in list(os.environ.items()):
        if name.startswith(("LC_", "LANG", "TERM", "COLORTERM")):
            monkeypatch.setenv(name, value)  # the session may drop it: back after the test
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)

    def first_write(app: OppMarketApp) -> None:
        app_id = app.market.applicants(opp_id)[0].id
        app.market.shortlist(app_id)

    monkeypatch.setattr(OppMarketApp, "run", first_write)
    assert run(capsys, "--db", url, "ssh-session", "owner") == 0
    assert shortlisted_by(tmp_path) == ("owner", "ssh")


def test_a_cli_import_by_the_system_records_system(capsys, tmp_path, monkeypatch):
    """Nobody is in the caller's own file yet, so the import runs as the system."""
    skills = tmp_path / "skills.csv"
    skills.write_text("name\nRust\n")
    monkeypatch.setattr(identity, "os_login", lambda: "newcomer")
    assert run(capsys, "--db", f"sqlite:///{tmp_path / 'm.db'}", "import", "skills", str(skills)) == 0
    with sqlite_database(tmp_path) as database, database.connection_context():
        assert [(e.action, e.actor_id, e.identified_by) for e in M.AuditEvent.select()] == [
            ("import_skills", None, "system")]
