"""CSV import and export: every bad row is named by its line and nothing is written."""

from __future__ import annotations

import json

import pytest

from oppmarket import transfer
from oppmarket.db import models as M
from oppmarket.errors import PermissionDenied


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def table_counts():
    return {m.__name__: m.select().count() for m in M.MODELS}


SKILLS_OK = """name,category,aliases,description
Kubernetes,Platform,k8s;kube,Container orchestration
PostgreSQL,Data,postgres;psql,
JavaScript,Languages,JS,
"""

PEOPLE_OK = """username,display_name,email,title,department,manager,weekly_hours,cap_pct,is_admin
ivy,Ivy Ito,ivy@example.com,Engineer,Platform,boss,40,20,no
boss,Bo Boss,bo@example.com,Director,Platform,,40,10,yes
"""


def test_skills_import_with_aliases(db, market_as, tmp_path):
    rows = transfer.parse_skills(write(tmp_path, "s.csv", SKILLS_OK))
    assert market_as(None).import_skills(rows) == 3
    assert market_as(None).resolve_skill("k8s").name == "Kubernetes"
    assert market_as(None).resolve_skill("PSQL").name == "PostgreSQL"
    assert set(market_as(None).resolve_skill("Kubernetes").aliases) == {"k8s", "kube"}


@pytest.mark.parametrize(
    "bad_row, expected",
    [
        (",Data,,", "name: must not be empty"),
        ("Go,Languages,Go,", "is the skill's own name"),
        ("Go,Languages,golang;GOLANG,", "listed twice"),
        ("Go,Languages,,,extra", "more cells than the header"),
        ("Rust,Languages,k8s,", "also names a skill on line 2"),
    ],
)
def test_bad_skill_row_names_its_line_and_writes_nothing(db, market_as, tmp_path, bad_row, expected):
    path = write(tmp_path, "s.csv", SKILLS_OK + bad_row + "\n")
    before = table_counts()
    with pytest.raises(transfer.ImportErrors) as err:
        market_as(None).import_skills(transfer.parse_skills(path))
    assert "line 5" in err.value.fields
    assert expected in err.value.fields["line 5"]
    assert table_counts() == before


def test_skill_alias_clashing_with_database_is_refused(db, market_as, tmp_path):
    market_as(None).import_skills(transfer.parse_skills(write(tmp_path, "a.csv", SKILLS_OK)))
    path = write(tmp_path, "b.csv", "name,category,aliases,description\nKustomize,Platform,kube,\n")
    before = table_counts()
    with pytest.raises(transfer.ImportErrors) as err:
        market_as(None).import_skills(transfer.parse_skills(path))
    assert err.value.fields == {"line 2": "alias 'kube' already names Kubernetes"}
    assert table_counts() == before


@pytest.mark.parametrize(
    "header",
    ["category,aliases", "name,category,colour"],
)
def test_bad_header_is_refused(tmp_path, header):
    path = write(tmp_path, "s.csv", header + "\nx,y\n")
    with pytest.raises(transfer.ImportErrors) as err:
        transfer.parse_skills(path)
    assert "line 1" in err.value.fields


def test_empty_and_binary_files_are_refused(tmp_path):
    with pytest.raises(transfer.ImportErrors, match="bad row"):
        transfer.parse_skills(write(tmp_path, "e.csv", ""))
    path = tmp_path / "b.csv"
    path.write_bytes(b"name\n\xff\xfe\x00bad\n")
    with pytest.raises(transfer.ImportErrors) as err:
        transfer.parse_skills(path)
    assert "UTF-8" in err.value.fields["file"]


def test_people_import_resolves_managers_later_in_the_file(db, market_as, tmp_path):
    rows = transfer.parse_people(write(tmp_path, "p.csv", PEOPLE_OK))
    assert market_as(None).import_people(rows) == 2
    ivy = market_as(None).person("ivy")
    assert ivy.manager_username == "boss" and ivy.department == "Platform"
    assert market_as(None).person("boss").is_admin


@pytest.mark.parametrize(
    "bad_row, expected",
    [
        ("bad name,X,,,,,,,", "username"),
        ("zed,,,,,,,,", "display_name: must not be empty"),
        ("zed,Zed,not-an-email,,,,,,", "email"),
        ("zed,Zed,,,,,abc,,", "weekly_hours: 'abc' is not a whole number"),
        ("zed,Zed,,,,,,101,", "cap_pct: must be between 0 and 100"),
        ("zed,Zed,,,,,,,maybe", "is_admin: 'maybe' is not yes/no"),
        ("zed,Zed,,,,ghost,,,", "manager: nobody is called 'ghost'"),
        ("ivy,Ivy Again,,,,,,,", "also on line 2"),
    ],
)
def test_bad_people_rows(db, market_as, tmp_path, bad_row, expected):
    path = write(tmp_path, "p.csv", PEOPLE_OK + bad_row + "\n")
    before = table_counts()
    with pytest.raises(transfer.ImportErrors) as err:
        market_as(None).import_people(transfer.parse_people(path))
    assert expected in err.value.fields["line 4"]
    assert table_counts() == before


OPPS_HEADER = "kind,title,description,owner,department,hours_per_week,start,end,seats,location,remote,status,required_skills,grows_skills\n"


@pytest.fixture
def seeded(db, market_as, tmp_path):
    market_as(None).import_skills(transfer.parse_skills(write(tmp_path, "s.csv", SKILLS_OK)))
    market_as(None).import_people(transfer.parse_people(write(tmp_path, "p.csv", PEOPLE_OK)))


def test_opportunities_import(seeded, market_as, tmp_path):
    path = write(tmp_path, "o.csv", OPPS_HEADER
                 + "gig,Move CI to k8s,Help us,ivy,Platform,4,2026-04-01,2026-06-30,2,Oslo,no,open,k8s:3;JS:2,postgres:1\n")
    assert market_as(None).import_opportunities(transfer.parse_opportunities(path)) == 1
    opp = market_as("ivy").opportunities().items[0]
    assert opp.title == "Move CI to k8s" and opp.seats == 2 and not opp.remote
    assert {(s.skill, s.level, s.role) for s in opp.skills} == {
        ("Kubernetes", 3, "required"), ("JavaScript", 2, "required"), ("PostgreSQL", 1, "grows")}


@pytest.mark.parametrize(
    "bad_row, expected",
    [
        ("job,T,,ivy,,4,,,,,,,,", "kind: 'job' is not one of"),
        ("gig,T,,ivy,,4,,,,,,paused,,", "status: 'paused'"),
        ("gig,T,,,,4,,,,,,,,", "owner: must not be empty"),
        ("gig,T,,ghost,,4,,,,,,,,", "owner: nobody is called 'ghost'"),
        ("gig,,,ivy,,4,,,,,,,,", "title: title must not be empty"),
        ("gig,T,,ivy,,0,,,,,,,,", "hours_per_week"),
        ("gig,T,,ivy,,4,2026-05-01,2026-04-01,,,,,,", "end: end must not be before start"),
        ("gig,T,,ivy,,4,,,0,,,,,", "seats"),
        ("gig,T,,ivy,,4,,,,,,,Cobol:3,", "no skill called 'Cobol'"),
        ("gig,T,,ivy,,4,,,,,,,k8s:9,", "level of k8s: must be between 1 and 5"),
        ("gig,T,,ivy,Nowhere,4,,,,,,,,", "department"),
    ],
)
def test_bad_opportunity_rows(seeded, market_as, tmp_path, bad_row, expected):
    good = "gig,Fine,,ivy,,4,,,,,,,,\n"
    path = write(tmp_path, "o.csv", OPPS_HEADER + good + bad_row + "\n")
    before = table_counts()
    with pytest.raises(transfer.ImportErrors) as err:
        market_as(None).import_opportunities(transfer.parse_opportunities(path))
    assert list(err.value.fields) == ["line 3"]
    assert expected in err.value.fields["line 3"]
    assert table_counts() == before


def test_import_needs_an_admin(seeded, market_as, tmp_path):
    path = write(tmp_path, "s.csv", "name\nRust\n")
    with pytest.raises(PermissionDenied):
        market_as("ivy").import_skills(transfer.parse_skills(path))
    assert market_as("boss").import_skills(transfer.parse_skills(path)) == 1


def test_export_round_trips_into_a_new_database(seeded, market_as, tmp_path):
    path = write(tmp_path, "o.csv", OPPS_HEADER + "mentorship,Learn [bold]SQL[/],\"multi\nline\",ivy,,2,,,1,,yes,open,psql:2,\n")
    market_as(None).import_opportunities(transfer.parse_opportunities(path))
    market = market_as(None)
    people_csv = transfer.to_text(map(transfer.person_record, market.all_people()), transfer.PEOPLE_COLUMNS, "csv")
    skills_csv = transfer.to_text(map(transfer.skill_record, market.skills()), transfer.SKILL_COLUMNS, "csv")
    opps_csv = transfer.to_text(map(transfer.opportunity_record, market.all_opportunities()),
                                transfer.OPPORTUNITY_COLUMNS, "csv")
    opps_json = json.loads(transfer.to_text(map(transfer.opportunity_record, market.all_opportunities()),
                                            transfer.OPPORTUNITY_COLUMNS, "json"))
    assert opps_json[0]["title"] == "Learn [bold]SQL[/]"
    assert opps_json[0]["required_skills"] == [{"skill": "PostgreSQL", "level": 2}]
    # The same columns parse back without a single problem.
    assert len(transfer.parse_people(write(tmp_path, "p2.csv", people_csv))) == 2
    assert len(transfer.parse_skills(write(tmp_path, "s2.csv", skills_csv))) == 3
    rows = transfer.parse_opportunities(write(tmp_path, "o2.csv", opps_csv))
    assert rows[0].draft.description == "multi\nline"


def test_json_export_of_nothing_is_an_empty_list():
    assert json.loads(transfer.to_text([], transfer.SKILL_COLUMNS, "json")) == []


def test_importing_people_again_updates_them(db, market_as, tmp_path):
    market_as(None).import_people(transfer.parse_people(write(tmp_path, "p.csv", PEOPLE_OK)))
    again = ("username,display_name,title,department,manager,weekly_hours\n"
             "ivy,Ivy Ito-Berg,Lead,Data,,30\nnew1,Nia New,,Data,ivy,\n")
    assert market_as(None).import_people(transfer.parse_people(write(tmp_path, "p2.csv", again))) == 2
    ivy, nia = market_as(None).person("ivy"), market_as(None).person("new1")
    assert (ivy.display_name, ivy.title, ivy.department, ivy.weekly_hours) == ("Ivy Ito-Berg", "Lead", "Data", 30)
    assert ivy.manager_username == "boss"  # an empty manager cell leaves the manager as it was
    assert (nia.manager_username, nia.department, nia.weekly_hours) == ("ivy", "Data", 40)
    assert sorted(d.name for d in market_as(None).departments()) == ["Data", "Platform"]


def test_importing_skills_again_updates_them_and_adds_aliases(db, market_as, tmp_path):
    market_as(None).import_skills(transfer.parse_skills(write(tmp_path, "s.csv", SKILLS_OK)))
    again = "name,category,aliases,description\nkubernetes,Orchestration,K8S;kubectl,\nRust,Languages,rs,Safe systems\n"
    assert market_as(None).import_skills(transfer.parse_skills(write(tmp_path, "s2.csv", again))) == 2
    kube = market_as(None).resolve_skill("kubectl")
    assert (kube.name, kube.category, kube.description) == ("Kubernetes", "Orchestration", "Container orchestration")
    assert set(kube.aliases) == {"k8s", "kube", "kubectl"}
    assert market_as(None).resolve_skill("rs").description == "Safe systems"
    assert len(market_as(None).skills()) == 4


def test_import_where_returned_ids_may_come_in_any_order(seeded, market_as, tmp_path, monkeypatch):
    """Backends whose multi-row INSERT does not number rows in order (CockroachDB)
    insert the postings one by one; the import is the same."""
    from oppmarket.db import bulk

    monkeypatch.setattr(bulk, "_ids_follow_row_order", lambda db: False)
    path = write(tmp_path, "o.csv", OPPS_HEADER + "gig,First,,ivy,,4,,,,,,,k8s:3,\ngig,Second,,boss,,2,,,,,,,,JS:1\n")
    assert market_as(None).import_opportunities(transfer.parse_opportunities(path)) == 2
    first, second = sorted(market_as("ivy").opportunities().items, key=lambda o: o.title)
    assert (first.owner_username, [s.skill for s in first.skills]) == ("ivy", ["Kubernetes"])
    assert (second.owner_username, [s.skill for s in second.skills]) == ("boss", ["JavaScript"])
