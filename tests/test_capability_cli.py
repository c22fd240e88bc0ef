"""`oppmarket map`: the text form is readable without colour and says the same as the
CSV and JSON forms, number for number."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from oppmarket.db.connection import open_database

from support.capability import capability_org
from support.cli import plain_terminal, run_cli

CELL = re.compile(r"^(?P<people>\d+)?(?: ✓(?P<backed>\d+))?\s*(?:\+(?P<stale>\d+))?$")


@pytest.fixture
def url(tmp_path, monkeypatch):
    """A SQLite file of the known organisation, owned by whoever runs the tests (so
    `--as` is honoured), printed into a terminal without colour."""
    path = tmp_path / "map.db"
    database = open_database(f"sqlite:///{path}")
    capability_org(database)
    database.close()
    plain_terminal(monkeypatch)
    return f"sqlite:///{path}"


def parse_text(out: str) -> tuple[dict, dict]:
    """The figures ({skill: (demand, available, gap)}) and the cells ({(skill,
    department): (people, backed, stale)}) of every table the text form printed."""
    figures: dict[str, tuple[int, ...]] = {}
    cells: dict[tuple[str, str], tuple[int, int, int]] = {}
    lines = out.splitlines()
    index = 0
    while index < len(lines):
        if "│" not in lines[index]:
            index += 1
            continue
        header = []
        while "┼" not in lines[index]:
            header.append([part.strip() for part in lines[index].split("│")])
            index += 1
        names = [" ".join(filter(None, column)) for column in zip(*header)]
        index += 1
        while index < len(lines) and "│" in lines[index]:
            parts = [part.strip() for part in lines[index].split("│")]
            skill = parts[0]
            figures[skill] = tuple(int(parts[i]) for i in (1, 2, 3))
            for name, text in zip(names[4:], parts[4:]):
                found = CELL.match("" if text == "·" else text)
                assert found, f"cannot read the cell {text!r}"
                cells[(skill, name)] = tuple(int(found[k] or 0) for k in ("people", "backed", "stale"))
            index += 1
    return figures, cells


def parse_csv(out: str) -> tuple[dict, dict]:
    figures, cells = {}, {}
    for row in csv.DictReader(io.StringIO(out)):
        figures[row["skill"]] = tuple(int(row[k]) for k in ("demand", "available", "gap"))
        people = int(row["people"])
        assert people == sum(int(row[k]) for k in ("self_declared", "endorsed", "certified"))
        cells[(row["skill"], row["department"])] = (people, int(row["endorsed"]) + int(row["certified"]),
                                                    int(row["stale"]))
    return figures, cells


def parse_json(out: str) -> tuple[dict, dict]:
    document = json.loads(out)
    figures = {s["skill"]: (s["demand"], s["available"], s["gap"]) for s in document["skills"]}
    cells = {(s["skill"], name): (c["people"], c["endorsed"] + c["certified"], c["stale"])
             for s in document["skills"] for name, c in s["cells"].items()}
    return figures, cells


@pytest.mark.parametrize("columns", ["120", "50"])
def test_text_csv_and_json_say_the_same(capsys, url, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    code, text, _ = run_cli(capsys, "--db", url, "--as", "eng1", "map")
    assert code == 0
    _, as_csv, _ = run_cli(capsys, "--db", url, "--as", "eng1", "map", "--format", "csv")
    _, as_json, _ = run_cli(capsys, "--db", url, "--as", "eng1", "map", "--format", "json")
    assert parse_text(text) == parse_csv(as_csv) == parse_json(as_json)
    figures, cells = parse_text(text)
    assert figures == {"Python": (5, 3, 2), "SQL": (3, 2, 1), "Kubernetes": (0, 0, 0)}
    assert cells[("Python", "Platform")] == (2, 1, 1)
    assert cells[("Python", "No department")] == (1, 0, 0)
    assert len(cells) == 3 * 4
    if columns == "50":  # too narrow for every department at once: several tables
        assert text.count("┼") > 3


def test_the_text_form_reads_without_colour(capsys, url, monkeypatch):
    """Depth is in the digits and in attributes that survive NO_COLOR (the deepest
    cells in reverse video), never in colour alone."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    code, out, _ = run_cli(capsys, "--db", url, "--as", "eng1", "map")
    assert code == 0
    assert "\x1b[7m" in out or ";7m" in out  # reverse video for the deepest shade
    assert not re.search(r"\x1b\[[0-9;]*(38|48);", out)  # no foreground or background colour
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "Skills at level 1+ (Aware) · every category · 3 skills × 4 departments · largest gap first" in plain
    assert "12 ✓5 +3: 12 people at level 1+ (Aware)" in plain


def test_filters_and_sort(capsys, url):
    code, out, _ = run_cli(capsys, "--db", url, "--as", "eng1", "map", "--level", "3", "--category", "languages",
                       "--department", "data", "--sort", "name", "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["level"] == 3 and document["category"] == "Languages"
    assert document["departments"] == ["Data"]
    assert document["skills"] == [{"skill": "Python", "category": "Languages", "demand": 3, "available": 2, "gap": 1,
                                   "cells": {"Data": {"people": 1, "self_declared": 1, "endorsed": 0,
                                                      "certified": 0, "stale": 0}}}]


@pytest.mark.parametrize(("argv", "message"), [
    (("--category", "Cooking"), "category: no category called 'Cooking' (there are: Data, Languages, Platform)"),
    (("--department", "Sales"),
     "department: no department called 'Sales' (there are: Data, Platform, Product, No department)"),
])
def test_a_wrong_filter_is_one_line(capsys, url, argv, message):
    code, out, err = run_cli(capsys, "--db", url, "--as", "eng1", "map", *argv)
    assert code == 1 and out == ""
    assert err == f"oppmarket: error: {message}\n"


def test_a_level_out_of_range_is_refused(capsys, url):
    with pytest.raises(SystemExit) as exit_:
        run_cli(capsys, "--db", url, "--as", "eng1", "map", "--level", "6")
    assert exit_.value.code == 2
    assert "levels go from 1 to 5" in capsys.readouterr().err


def test_an_empty_map_says_so(capsys, url):
    code, out, _ = run_cli(capsys, "--db", url, "--as", "eng1", "map", "--level", "5", "--category", "Data")
    assert code == 0
    assert out == "no skill in category Data is held at level 5 or above, and no open seat asks for one\n"
