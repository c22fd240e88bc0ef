"""A long write never shuts out readers or short writers on a shared SQLite file.

Another connection holds the write lock, as an import in another process would, and
every connection here gives up on a held lock after a tenth of a second: whatever
waits for the lock fails at once with "database is locked" instead of passing after
a slow wait, so no test depends on timing."""

from __future__ import annotations

import sqlite3

import peewee
import pytest
from playhouse.migrate import SchemaMigrator, migrate

from oppmarket import cli, transfer
from oppmarket.db import connection, schema
from oppmarket.db import models as M
from oppmarket.db.connection import open_database
from oppmarket.market import Market

from support import SKILLS, STAFF, build_org, write_lock_held

OPPS_HEADER = "kind,title,owner,hours_per_week,required_skills\n"


@pytest.fixture
def impatient(monkeypatch):
    """Connections opened from here on wait 0.1 s for a held lock, not 15."""
    monkeypatch.setattr(connection, "SQLITE_PRAGMAS", {**connection.SQLITE_PRAGMAS, "busy_timeout": 100})
    monkeypatch.setattr(connection, "SQLITE_TIMEOUT_SECONDS", 0.1)


@pytest.fixture
def shared(tmp_path, impatient):
    """A SQLite file with the test organisation, two open gigs of owner's, and eng1's
    application to the first; returns (path, url, the gigs' ids)."""
    path = tmp_path / "market.db"
    url = f"sqlite:///{path}"
    db = open_database(url)
    admin = build_org(db, people=STAFF.values(), skills=SKILLS, opportunities=2)
    gigs = [o.id for o in admin.as_user("owner").my_postings()]
    admin.as_user("eng1").apply(gigs[0], "keen")
    db.close()
    return path, url, gigs


def write_csv(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_up_to_date_database_opens_while_another_connection_writes(shared):
    path, url, _ = shared
    with write_lock_held(path):
        db = open_database(url)
        assert Market(db, "eng1").whoami().username == "eng1"
    db.close()


def test_whoami_answers_while_another_connection_writes(shared, capsys):
    path, url, _ = shared
    with write_lock_held(path):
        code = cli.main(["--db", url, "--as", "eng1", "whoami"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "Eli Engineer (eng1)" in out


def test_a_migration_another_start_finished_first_is_not_run_again(impatient, db_url, db, monkeypatch):
    """Two starts find an old schema at once. The first migrates; the second, which read
    the old version before the first took the lock, reads it again under the lock and
    finds nothing left to do, rather than adding the same column twice."""
    runs = []

    def add_nickname(database: peewee.Database, migrator: SchemaMigrator) -> None:
        runs.append(database)
        migrate(migrator.add_column("employee", "nickname", peewee.CharField(max_length=40, default="")))

    newer = {**schema.MIGRATIONS, schema.current_version() + 1: add_nickname}
    other = open_database(db_url, migrate=False)
    read_version = schema.database_version

    def read_then_the_other_start_migrates(database):
        found = read_version(database)
        if database is db and not runs:
            with other.connection_context():
                schema.ensure_schema(other, newer)
        return found

    monkeypatch.setattr(schema, "database_version", read_then_the_other_start_migrates)
    with db.connection_context():
        assert schema.ensure_schema(db, newer) == max(newer)
        assert [v.version for v in M.SchemaVersion.select().order_by(M.SchemaVersion.version)] == sorted(newer)
    assert runs == [other]
    other.close()


def test_reads_do_not_wait_for_the_write_lock(shared):
    path, url, (first, second) = shared
    db = open_database(url)
    eng1, owner, admin = (Market(db, user) for user in ("eng1", "owner", "admin"))
    app_id = eng1.my_applications()[0].id
    with write_lock_held(path):
        assert eng1.whoami().display_name == "Eli Engineer"
        assert eng1.profile().person.username == "eng1"
        assert eng1.person("mgr").display_name == "Maya Manager"
        assert len(admin.people().items) == len(STAFF) + 1
        assert {dep.name for dep in eng1.departments()} >= {"Platform", "Product"}
        assert {s.name for s in eng1.skills()} == {s.name for s in SKILLS}
        assert {o.id for o in eng1.opportunities().items} == {first, second}
        assert eng1.opportunity(second).id == second
        assert eng1.count_opportunities() == 2
        assert [a.id for a in eng1.my_applications()] == [app_id]
        assert [a.id for a in owner.applicants(first)] == [app_id]
        assert [e.application.id for e in owner.review(first)] == [app_id]
        assert owner.application(app_id).status == "applied"
        assert len(owner.notifications()) == owner.unread_count() == 1
        assert eng1.match(second).score >= 0
        assert eng1.search("gig") is not None and eng1.search_skills("py")
        assert eng1.recommend(record=False) is not None
        assert Market(db, "mgr").pending_releases() == []
        assert admin.audit_log(limit=5)
        assert Market(db, None).run_maintenance() == 0
    db.close()


@pytest.mark.parametrize("what, text, line, problem", [
    pytest.param("opportunities", OPPS_HEADER + "gig,Fine,owner,4,Python:2\ngig,Haunted,ghost,4,\n",
                 "line 3", "owner: nobody is called 'ghost'", id="unknown-owner"),
    pytest.param("opportunities", OPPS_HEADER + "gig,Fine,owner,4,Cobol:2\n",
                 "line 2", "no skill called 'Cobol'", id="unknown-skill"),
    pytest.param("people", "username,display_name,manager\nzed,Zed Zimmer,ghost\n",
                 "line 2", "manager: nobody is called 'ghost'", id="unknown-manager"),
    pytest.param("skills", "name,aliases\nPyPy,py\n", "line 2", "alias 'py' already names Python",
                 id="alias-taken"),
])
def test_a_bad_import_is_refused_without_the_write_lock(shared, tmp_path, what, text, line, problem):
    """What the file says is checked against the stored data before the import takes
    the lock, so a wrong file is refused even while someone else writes."""
    path, url, _ = shared
    rows = getattr(transfer, f"parse_{what}")(write_csv(tmp_path, "in.csv", text))
    db = open_database(url)
    with write_lock_held(path), pytest.raises(transfer.ImportErrors) as err:
        getattr(Market(db, "admin"), f"import_{what}")(rows)
    assert problem in err.value.fields[line]
    db.close()


def test_another_writer_gets_the_lock_while_an_import_checks_its_rows(shared, tmp_path):
    """Checking a file takes most of an import's time; meanwhile other writers write
    (here, another connection takes the write lock, waiting 0.1 s at most)."""
    path, url, _ = shared
    text = OPPS_HEADER + "".join(f"gig,Imported {n},owner,2,Python:{n % 5 + 1}\n" for n in range(600))
    rows = transfer.parse_opportunities(write_csv(tmp_path, "in.csv", text))
    db = open_database(url)
    taken = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "checking" and done == 250:
            with write_lock_held(path, wait=0.1):
                taken.append(done)

    assert Market(db, "admin").import_opportunities(rows, progress=progress) == 600
    assert taken == [250]
    assert Market(db, "eng1").count_opportunities() == 602
    db.close()


def test_an_import_whose_skill_goes_while_it_is_checked_writes_nothing(shared, tmp_path):
    """What the file was checked against is checked again under the lock: a skill
    removed meanwhile (by hand, here) refuses the file instead of failing half-way."""
    path, url, _ = shared
    text = OPPS_HEADER + "gig,Fine,owner,4,Python:2\ngig,Also fine,owner,4,Docker:1\n"
    rows = transfer.parse_opportunities(write_csv(tmp_path, "in.csv", text))
    db = open_database(url)

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "checking" and done == total:
            other = sqlite3.connect(path)
            with other:
                other.execute("DELETE FROM skill WHERE name = 'Docker'")
            other.close()

    with pytest.raises(transfer.ImportErrors) as err:
        Market(db, "admin").import_opportunities(rows, progress=progress)
    assert err.value.fields == {"file": "a skill it names was removed while it was being checked; import it again"}
    assert Market(db, "eng1").count_opportunities() == 2
    db.close()
