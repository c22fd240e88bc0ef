"""No command prints a terminal control sequence or a bidi control it found in the
data, whatever the row: one written before input was cleaned, or by another tool,
holds them too. JSON keeps such text exact as escapes; CSV and plain lines drop it."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from oppmarket import cli, identity
from oppmarket.db import models as M
from oppmarket.domain import OpportunityDraft

# A title change, a colour, a right-to-left override and isolate, an 8-bit CSI and
# NEL, and DEL: each would change what the terminal shows, or how.
PLANT = "\x1b]0;pwned\x07\x1b[31m\u202eevil\u2066\x9b2J\x85!\x7f"
PLANT_SHOWN = "]0;pwned[31mevil2J!"
NOTE = f"count me in{PLANT}\nfrom Monday"
DESCRIPTION = f"Keep the pager{PLANT}\nfor a week"
# C0 but tab and newline, DEL, C1, and the bidi embeddings, overrides and isolates.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_clean(*texts: str) -> None:
    for text in texts:
        assert not CONTROL.search(text), repr(text)


@pytest.fixture
def planted(org, db, monkeypatch):
    """eng1 and eng2 applied to owner's one-seat posting; then control characters and
    bidi controls were written into the rows themselves, past every check."""
    opp = org.as_user("owner").post(OpportunityDraft(title="Pager rota", description="Keep the pager",
                                                     hours_per_week=2, seats=1, location="Leeds",
                                                     skills=[("Python", 2, "required")]), publish=True)
    org.as_user("eng1").apply(opp.id, "count me in")
    org.as_user("eng2").apply(opp.id)
    with db.atomic():
        M.Employee.update(display_name=f"Eli{PLANT}", title=f"Engineer{PLANT}", email=f"eli{PLANT}@x.org").where(
            M.Employee.username == "eng1").execute()
        M.Department.update(name=f"Platform{PLANT}").where(M.Department.name == "Platform").execute()
        M.Opportunity.update(title=f"Pager rota{PLANT}", description=DESCRIPTION, location=f"Leeds{PLANT}",
                             updated_at=M.Opportunity.updated_at).where(M.Opportunity.id == opp.id).execute()
        M.Skill.update(category=f"Languages{PLANT}", description=DESCRIPTION).where(
            M.Skill.name == "Python").execute()
        M.SkillAlias.update(alias=f"py{PLANT}").where(M.SkillAlias.alias == "py").execute()
        M.Application.update(note=NOTE).execute()
    return opp.id


def strings(value) -> list[str]:
    """Every string in a parsed JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for item in value for s in strings(item)] if isinstance(value, list) else []


def as_login(monkeypatch, user: str) -> None:
    monkeypatch.setattr(identity, "os_login", lambda: user)


def test_whoami_prints_no_control_characters(capsys, db_url, planted, monkeypatch):
    as_login(monkeypatch, "eng1")
    code, out, err = run(capsys, "--db", db_url, "whoami")
    assert code == 0
    assert_clean(out, err)
    assert f"Eli{PLANT_SHOWN} (eng1)" in out and f"Engineer{PLANT_SHOWN}, Platform{PLANT_SHOWN}" in out

    code, out, _ = run(capsys, "--db", db_url, "whoami", "--json")
    assert_clean(out)
    assert out.isascii() and json.loads(out)["display_name"] == f"Eli{PLANT}"


@pytest.mark.parametrize("what", sorted(cli.EXPORTS))
def test_csv_exports_drop_control_characters_from_every_cell(capsys, db_url, planted, monkeypatch, tmp_path, what):
    as_login(monkeypatch, "admin")
    code, out, err = run(capsys, "--db", db_url, "export", what)
    assert code == 0
    target = tmp_path / f"{what}.csv"
    assert run(capsys, "--db", db_url, "export", what, "-o", str(target))[0] == 0
    for text in (out, target.read_text(encoding="utf-8")):
        assert_clean(text, err)
        assert PLANT_SHOWN in text  # the planted row is there, without its controls


def test_csv_keeps_the_lines_of_a_description(capsys, db_url, planted, monkeypatch):
    as_login(monkeypatch, "admin")
    _, out, _ = run(capsys, "--db", db_url, "export", "opportunities")
    (row,) = csv.DictReader(io.StringIO(out, newline=""))
    assert row["title"] == f"Pager rota{PLANT_SHOWN}" and row["location"] == f"Leeds{PLANT_SHOWN}"
    assert row["description"] == f"Keep the pager{PLANT_SHOWN}\nfor a week"


@pytest.mark.parametrize("what", sorted(cli.EXPORTS))
def test_json_exports_escape_control_characters_and_keep_them_exact(capsys, db_url, planted, monkeypatch, what):
    as_login(monkeypatch, "admin")
    code, out, err = run(capsys, "--db", db_url, "export", what, "--format", "json")
    assert code == 0
    assert_clean(out, err)
    assert out.isascii()
    records = json.loads(out)
    if what == "opportunities":
        assert records[0]["title"] == f"Pager rota{PLANT}" and records[0]["description"] == DESCRIPTION
    if what == "people":
        assert {r["username"]: r["display_name"] for r in records}["eng1"] == f"Eli{PLANT}"


@pytest.mark.parametrize(
    ("user", "argv"),
    [
        ("eng1", ["search", "pager"]),
        ("eng1", ["search", "pager", "--json"]),
        # For you leaves out what one has applied to: someone who has not.
        ("mgr", ["recommend"]),
        ("mgr", ["recommend", "--json"]),
        ("eng1", ["skills", "search", "py"]),
        ("eng1", ["skills", "search", "py", "--json"]),
        ("owner", ["applicants", "{opp}"]),
        ("owner", ["applicants", "{opp}", "--json"]),
    ],
)
def test_listings_print_no_control_characters(capsys, db_url, planted, monkeypatch, user, argv):
    as_login(monkeypatch, user)
    code, out, err = run(capsys, "--db", db_url, *(a.format(opp=planted) for a in argv))
    assert code == 0, err
    assert_clean(out, err)
    assert out.strip()
    if "--json" in argv:
        assert out.isascii()
        if "skills" not in argv:  # a posting's title or an applicant's note, exact once parsed
            assert any(PLANT in s for s in strings(json.loads(out)))


@pytest.mark.parametrize("argv", [["map"], ["map", "--format", "csv"], ["map", "--format", "json"],
                                  ["map", "--department", "Nowhere"]])
def test_the_capability_map_prints_no_control_characters(capsys, db_url, planted, monkeypatch, argv):
    as_login(monkeypatch, "admin")
    code, out, err = run(capsys, "--db", db_url, *argv)
    assert_clean(out, err)
    if "--department" in argv:  # the refusal lists the departments there are
        assert code == 1 and f"Platform{PLANT_SHOWN}" in err
    elif "json" in argv:
        assert code == 0 and out.isascii() and any(PLANT in s for s in strings(json.loads(out)))
    elif "csv" in argv:
        assert code == 0 and f"Platform{PLANT_SHOWN}" in out


def test_review_and_release_lines_and_their_errors_are_clean(capsys, db_url, db, planted, monkeypatch):
    as_login(monkeypatch, "owner")
    code, out, err = run(capsys, "--db", db_url, "review", str(planted), "eng1", "offer")
    assert code == 0 and out.startswith("eng1 is now offered for 'Pager rota")
    assert_clean(out, err)
    # The seat is taken: the refusal quotes the stored title.
    code, out, err = run(capsys, "--db", db_url, "review", str(planted), "eng2", "offer")
    assert code == 1 and "no seat left on 'Pager rota" in err
    assert_clean(out, err)

    as_login(monkeypatch, "eng1")
    with db.connection_context():
        app_id = M.Application.get(M.Application.applicant == M.Employee.get(username="eng1")).id
    code, out, err = run(capsys, "--db", db_url, "accept", str(app_id))
    assert code == 0 and out.startswith("accepted 'Pager rota")
    assert_clean(out, err)

    as_login(monkeypatch, "mgr")
    for argv in (["releases"], ["releases", "--json"]):
        code, out, err = run(capsys, "--db", db_url, *argv)
        assert code == 0 and "Pager rota" in out
        assert_clean(out, err)
    (application,) = json.loads(out)
    code, out, err = run(capsys, "--db", db_url, "release", str(application["id"]))
    assert code == 0 and out.startswith("released eng1 for 'Pager rota")
    assert_clean(out, err)


def test_paths_and_arguments_echoed_back_are_clean(capsys, db_url, planted, monkeypatch, tmp_path):
    as_login(monkeypatch, "admin")
    odd = tmp_path / f"skills{PLANT}.csv"
    odd.write_text("name\nRust\n", encoding="utf-8")
    code, out, err = run(capsys, "--db", db_url, "import", "skills", str(odd))
    assert code == 0 and f"from {tmp_path}/skills{PLANT_SHOWN}.csv" in out
    assert_clean(out, err)

    code, out, err = run(capsys, "--db", db_url, "import", "skills", str(tmp_path / f"gone{PLANT}.csv"))
    assert code == 1 and "cannot read" in err
    assert_clean(out, err)

    with pytest.raises(SystemExit):
        cli.main(["--db", db_url, "whoami", f"extra{PLANT}"])
    out, err = capsys.readouterr()
    assert "unrecognized arguments" in err
    assert_clean(out, err)


def test_admin_commands_print_paths_they_were_given_clean(capsys, tmp_path):
    """The keys file and the database folder are whatever the admin typed or the
    environment said; a control character in either stays off the terminal."""
    from support import build_org
    from support.database import sqlite_database

    folder = tmp_path / f"market{PLANT}"
    folder.mkdir(mode=0o700)
    with sqlite_database(folder, "market.db") as db:
        build_org(db, opportunities=0)
    url = f"sqlite:///{folder / 'market.db'}"
    keys = tmp_path / f"authorized_keys{PLANT}"
    keys.write_text("")
    for argv, said in ((["admin", "keys", "list", "--file", str(keys)], "no key in"),
                       (["admin", "keys", "remove", "eng1", "--file", str(keys)], "no key in"),
                       (["admin", "install-ssh", "--account", "oppmarket"], "install -d -m 0700")):
        _, out, err = run(capsys, "--db", url, *argv)
        assert said in out + err
        assert_clean(out, err)
        assert PLANT_SHOWN in out + err
