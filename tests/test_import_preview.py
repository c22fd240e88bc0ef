"""An import file previewed before it is imported: its first rows as the import reads
them, every problem by its line (the import's own checks), the counts of new, changed
and unchanged rows; nothing written until the import runs, and only for admins."""

from __future__ import annotations

import pytest

from oppmarket import transfer
from oppmarket.domain import ImportProblem
from oppmarket.errors import Conflict, ImportErrors, PermissionDenied, ValidationError

PEOPLE_HEADER = "username,display_name,email,title,department,manager,weekly_hours,cap_pct,is_admin\n"
PEOPLE_BASE = PEOPLE_HEADER + (
    "ivy,Ivy Ito,ivy@example.com,Engineer,Platform,mgr,40,20,no\n"
    "zed,Zed Zhou,,Analyst,Data,,32,10,no\n"
)
SKILLS_HEADER = "name,category,aliases,description\n"
SKILLS_BASE = SKILLS_HEADER + "Kubernetes,Platform,k8s,Containers\nRust,Languages,,\n"
OPPS_HEADER = ("kind,title,description,owner,department,hours_per_week,start,end,seats,location,remote,status,"
               "required_skills,grows_skills\n")


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def admin(org, tmp_path):
    """The admin's market, with ivy and zed imported and two skills more."""
    org.import_file("people", write(tmp_path, "base-people.csv", PEOPLE_BASE))
    org.import_file("skills", write(tmp_path, "base-skills.csv", SKILLS_BASE))
    return org


def test_people_preview_counts_new_changed_and_unchanged_and_writes_nothing(admin, db_state, tmp_path):
    path = write(tmp_path, "people.csv", PEOPLE_HEADER + (
        "ivy,Ivy Ito,ivy@example.com,Engineer,Platform,mgr,40,20,no\n"  # as stored
        "zed,Zed Zhou,,Lead Analyst,Data,,32,10,no\n"  # a new title
        "kim,Kim Kato,,,,ivy,,,yes\n"  # new, defaults filled in
    ))
    before = db_state()
    preview = admin.preview_import("people", path)
    assert db_state() == before
    assert (preview.new, preview.changed, preview.unchanged, preview.rows) == (1, 1, 1, 3)
    assert preview.problems == () and preview.ready
    assert preview.columns == transfer.PEOPLE_COLUMNS
    assert preview.first_rows[2] == (4, ("kim", "Kim Kato", "", "", "", "ivy", "40", "20", "yes"))


def test_a_blank_manager_keeps_the_stored_one_so_it_is_no_change(admin, tmp_path):
    path = write(tmp_path, "people.csv", PEOPLE_HEADER + "ivy,Ivy Ito,ivy@example.com,Engineer,Platform,,40,20,no\n")
    preview = admin.preview_import("people", path)
    assert (preview.new, preview.changed, preview.unchanged) == (0, 0, 1)


def test_skills_preview_counts_a_new_alias_as_a_change(admin, tmp_path):
    path = write(tmp_path, "skills.csv", SKILLS_HEADER + (
        "Kubernetes,Platform,k8s,\n"  # a blank description keeps the stored one
        "Rust,Languages,rustlang,\n"
        "Go,Languages,golang,\n"
    ))
    preview = admin.preview_import("skills", path, rows=2)
    assert (preview.new, preview.changed, preview.unchanged) == (1, 1, 1)
    assert preview.first_rows == ((2, ("Kubernetes", "Platform", "k8s", "")),
                                  (3, ("Rust", "Languages", "rustlang", "")))


def test_every_posting_of_a_file_is_new(admin, tmp_path):
    path = write(tmp_path, "opps.csv", OPPS_HEADER + "gig,Move CI,Help,ivy,Platform,4,,,2,,no,open,k8s:3,Rust\n")
    preview = admin.preview_import("opportunities", path)
    assert (preview.new, preview.changed, preview.unchanged, preview.problems) == (1, 0, 0, ())
    assert preview.first_rows == ((2, ("gig", "Move CI", "ivy", "Platform", "4", "", "", "2", "no", "open",
                                       "k8s:3", "Rust:1")),)


def test_problems_of_reading_and_of_the_stored_data_each_name_their_line(admin, db_state, tmp_path):
    path = write(tmp_path, "people.csv", PEOPLE_HEADER + (
        "kim,Kim Kato,,,,,,,\n"
        "lou,Lou Lam,not-an-address,,,,,,\n"
        "max,Max Moss,,,,ghost,,,\n"
        "kim,Kim Again,,,,,,,\n"
    ))
    before = db_state()
    preview = admin.preview_import("people", path)
    assert preview.problems == (
        ImportProblem(3, "email: 'not-an-address' does not look like an address"),
        ImportProblem(4, "manager: nobody is called 'ghost'"),
        ImportProblem(5, "username 'kim' is also on line 2"),
    )
    assert not preview.ready
    assert [line for line, _ in preview.first_rows] == [2, 4, 5]
    with pytest.raises(ImportErrors):
        admin.import_file("people", path, previewed=preview.digest)
    assert db_state() == before


def test_the_preview_finds_what_the_import_refuses(admin, db_state, tmp_path):
    path = write(tmp_path, "skills.csv", SKILLS_HEADER + "Kustomize,Platform,k8s,\nGo,Languages,,\nGo,Languages,,\n")
    preview = admin.preview_import("skills", path)
    before = db_state()
    with pytest.raises(ImportErrors) as refused:
        admin.import_file("skills", path)
    assert {p.where: p.message for p in preview.problems} == refused.value.fields == {
        "line 2": "alias 'k8s' already names Kubernetes", "line 4": "'Go' also names a skill on line 3"}
    assert db_state() == before


def test_a_file_wrong_as_a_whole_is_one_problem(admin, tmp_path):
    preview = admin.preview_import("skills", write(tmp_path, "s.csv", "name,colour\nGo,green\n"))
    assert [p.where for p in preview.problems] == ["line 1"]
    assert "unknown column(s) colour" in preview.problems[0].message
    assert preview.first_rows == () and preview.rows == 0
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"name\n\xff\xfe\x00bad\n")
    assert admin.preview_import("skills", binary).problems == (ImportProblem(None, "is not UTF-8 text"),)


def test_a_file_that_cannot_be_read_is_one_line(admin, tmp_path):
    with pytest.raises(ValidationError, match=r"cannot read .*missing\.csv: No such file"):
        admin.preview_import("people", tmp_path / "missing.csv")
    with pytest.raises(ValidationError, match="is not a file"):
        admin.preview_import("people", tmp_path)
    with pytest.raises(ValidationError, match="kind"):
        admin.preview_import("departments", write(tmp_path, "d.csv", "name\nX\n"))


def test_the_previewed_file_is_imported_only_as_previewed(admin, market_as, db_state, tmp_path):
    path = write(tmp_path, "people.csv", PEOPLE_HEADER + "kim,Kim Kato,,,,,,,\n")
    preview = admin.preview_import("people", path)
    write(tmp_path, "people.csv", PEOPLE_HEADER + "kim,Kim Kato,,,,,,,yes\n")
    before = db_state()
    with pytest.raises(Conflict, match="changed since it was previewed"):
        admin.import_file("people", path, previewed=preview.digest)
    assert db_state() == before
    preview = admin.preview_import("people", path)
    stages = []
    assert admin.import_file("people", path, previewed=preview.digest,
                             progress=lambda stage, done, total: stages.append(stage)) == 1
    assert market_as("admin").person("kim").is_admin
    assert "people" in stages


@pytest.mark.parametrize("who", ["eng1", "owner", "mgr"])
def test_only_admins_preview_or_import(admin, market_as, db_state, tmp_path, who):
    """An employee, an owner, a line manager: refused before the file is even read."""
    path = write(tmp_path, "people.csv", PEOPLE_HEADER + "kim,Kim Kato,,,,,,,yes\n")
    before = db_state()
    with pytest.raises(PermissionDenied, match="only an admin"):
        market_as(who).preview_import("people", path)
    with pytest.raises(PermissionDenied, match="only an admin"):
        market_as(who).preview_import("people", tmp_path / "missing.csv")
    with pytest.raises(PermissionDenied, match="only an admin"):
        market_as(who).import_file("people", path)
    assert db_state() == before


def test_the_system_previews_on_a_database_its_caller_owns(admin, market_as, tmp_path):
    path = write(tmp_path, "skills.csv", SKILLS_HEADER + "Go,Languages,,\n")
    assert market_as(None).preview_import("skills", path).new == 1
