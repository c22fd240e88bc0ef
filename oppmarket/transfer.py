"""CSV and JSON import and export of people, skills and opportunities, and the
export of the capability map.

Importing is two steps: `parse_*` reads a file and checks every row on its own
(types, required columns), reporting each bad row by its line number; then
`Market.import_*` checks the rows against the database and writes them all in one
transaction, or nothing. Exports write the same columns the imports read, so a file
exported from one marketplace imports into another. A CSV cell a spreadsheet would
run as a formula is exported behind a quote, which the import takes off again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from oppmarket import domain as d
from oppmarket.capability import CapabilityMap, Cell
from oppmarket.errors import ImportErrors, ValidationError
from oppmarket.lifecycle import OppStatus
from oppmarket.text import clean, clean_line, printable

PEOPLE_COLUMNS = ("username", "display_name", "email", "title", "department", "manager",
                  "weekly_hours", "cap_pct", "is_admin")
SKILL_COLUMNS = ("name", "category", "aliases", "description")
OPPORTUNITY_COLUMNS = ("kind", "title", "description", "owner", "department", "hours_per_week",
                       "start", "end", "seats", "location", "remote", "status",
                       "required_skills", "grows_skills")
APPLICATION_COLUMNS = ("id", "opportunity_id", "opportunity_title", "applicant", "status",
                       "hours_per_week", "applied_at", "offered_at", "released_at",
                       "release_automatic", "rating", "completed_at")
REQUIRED = {
    "people": ("username", "display_name"),
    "skills": ("name",),
    "opportunities": ("kind", "title", "owner", "hours_per_week"),
}
MAX_ROWS = 1_000_000
# A CSV cell starting with one of these is a formula to a spreadsheet (OWASP CSV
# injection); exports prefix such a cell with a quote and imports take it off again.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_QUOTE = "'"
# Columns whose text may run over several lines; in every other cell a line break is
# as much a control character as ESC.
_MULTILINE = {"description"}
_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"0", "false", "no", "n", ""}


@dataclass(frozen=True)
class PersonRow:
    line: int
    username: str
    display_name: str
    email: str = ""
    title: str = ""
    department: str = ""
    manager: str = ""
    weekly_hours: int = 40
    cap_pct: int | None = None  # None: the marketplace's default_cap_pct setting
    is_admin: bool = False


@dataclass(frozen=True)
class SkillRow:
    line: int
    name: str
    category: str = "General"
    aliases: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class OpportunityRow:
    line: int
    draft: d.OpportunityDraft
    owner: str
    status: str = OppStatus.OPEN


def _reader(source: IO[str], kind: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) with header names normalised; refuse a header without
    the required columns or with unknown ones."""
    reader = csv.DictReader(source)
    if reader.fieldnames is None:
        raise ImportErrors({"line 1": "the file is empty; it needs a header row"})
    names = [(n or "").strip().lower() for n in reader.fieldnames]
    allowed = {"people": PEOPLE_COLUMNS, "skills": SKILL_COLUMNS, "opportunities": OPPORTUNITY_COLUMNS}[kind]
    unknown = [n for n in names if n not in allowed]
    missing = [n for n in REQUIRED[kind] if n not in names]
    if unknown or missing:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        raise ImportErrors({"line 1": "; ".join(parts) + f" (columns are: {','.join(allowed)})"})
    reader.fieldnames = names
    for count, row in enumerate(reader, start=1):
        if count > MAX_ROWS:
            raise ImportErrors({f"line {reader.line_num}": f"more than {MAX_ROWS} rows"})
        if None in row:  # more cells than header columns
            yield reader.line_num, {"__extra__": "x"}
            continue
        yield reader.line_num, {k: _unguard((v or "").strip()) for k, v in row.items()}


def _int(value: str, name: str, low: int, high: int, default: int | None) -> int | None:
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a whole number") from None
    if not low <= number <= high:
        raise ValueError(f"{name}: must be between {low} and {high}, not {number}")
    return number


def _bool(value: str, name: str) -> bool:
    low = value.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError(f"{name}: {value!r} is not yes/no")


def _text_problem(row: dict[str, str]) -> str | None:
    if "__extra__" in row:
        return "more cells than the header has columns"
    return None


def _open(path: Path | str) -> IO[str]:
    try:
        # utf-8-sig drops the byte-order mark spreadsheet programs write.
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ValidationError({"file": f"cannot read {path}: {exc.strerror}"}) from None


@dataclass(frozen=True)
class ReadFile:
    """A file as `read_rows` found it: the rows that read well, and what is wrong
    with the others by "line N" (or "file" when the whole file is unusable, and then
    no row is kept). An import refuses the file unless `problems` is empty."""

    kind: str
    rows: list
    problems: dict[str, str]


def read_rows(path: Path | str, kind: str) -> ReadFile:
    """Read a CSV of `kind` and check every row on its own, keeping both the good
    rows and each bad row's problem; a file that cannot be opened is a ValidationError."""
    build = _BUILD[kind]
    rows, problems = [], {}
    with _open(path) as source:
        try:
            for line, raw in _reader(source, kind):
                problem = _text_problem(raw)
                if problem is None:
                    try:
                        rows.append(build(line, raw))
                        continue
                    except ValueError as exc:
                        problem = str(exc)
                problems[f"line {line}"] = problem
        except UnicodeDecodeError:
            return ReadFile(kind, [], {"file": "is not UTF-8 text"})
        except csv.Error as exc:
            return ReadFile(kind, [], {"file": f"is not valid CSV: {exc}"})
        except ImportErrors as exc:
            return ReadFile(kind, [], exc.fields)
    return ReadFile(kind, rows, problems)


def _parse(path: Path | str, kind: str) -> list:
    read = read_rows(path, kind)
    if read.problems:
        raise ImportErrors(read.problems, str(path))
    return read.rows


def _person(line: int, raw: dict[str, str]) -> PersonRow:
    username = clean_line(raw.get("username", ""))
    if not username:
        raise ValueError("username: must not be empty")
    if not all(c.isalnum() or c in "._-" for c in username):
        raise ValueError(f"username: {username!r} may hold only letters, digits, '.', '_' and '-'")
    name = clean_line(raw.get("display_name", ""))
    if not name:
        raise ValueError("display_name: must not be empty")
    email = clean_line(raw.get("email", ""))
    if email and "@" not in email:
        raise ValueError(f"email: {email!r} does not look like an address")
    return PersonRow(
        line=line, username=username, display_name=name[:120], email=email,
        title=clean_line(raw.get("title", ""))[:120], department=clean_line(raw.get("department", "")),
        manager=clean_line(raw.get("manager", "")),
        weekly_hours=_int(raw.get("weekly_hours", ""), "weekly_hours", 1, 80, 40),
        cap_pct=_int(raw.get("cap_pct", ""), "cap_pct", 0, 100, None),
        is_admin=_bool(raw.get("is_admin", ""), "is_admin"),
    )


def _skill(line: int, raw: dict[str, str]) -> SkillRow:
    name = clean_line(raw.get("name", ""))
    if not name:
        raise ValueError("name: must not be empty")
    if len(name) > 80:
        raise ValueError("name: must be at most 80 characters")
    aliases = tuple(a for a in (clean_line(p) for p in raw.get("aliases", "").split(";")) if a)
    if any(a.lower() == name.lower() for a in aliases):
        raise ValueError(f"aliases: {name!r} is the skill's own name")
    if len({a.lower() for a in aliases}) != len(aliases):
        raise ValueError("aliases: an alias is listed twice")
    return SkillRow(line, name, clean_line(raw.get("category", "")) or "General", aliases,
                    clean(raw.get("description", "")).strip())


def _skill_list(value: str, role: str, column: str) -> list[tuple[str, int, str]]:
    """'Python:3;SQL' -> [("Python", 3, role), ("SQL", 1, role)]"""
    out = []
    for part in (p.strip() for p in value.split(";")):
        if not part:
            continue
        name, _, level = part.rpartition(":") if ":" in part else (part, "", "")
        name = clean_line(name)
        if not name:
            raise ValueError(f"{column}: {part!r} has no skill name")
        out.append((name, _int(level, f"{column} level of {name}", 1, 5, 1), role))
    return out


def _opportunity(line: int, raw: dict[str, str]) -> OpportunityRow:
    kind = raw.get("kind", "").lower()
    if kind not in d.KINDS:
        raise ValueError(f"kind: {kind!r} is not one of {', '.join(d.KINDS)}")
    status = raw.get("status", "").lower() or OppStatus.OPEN
    if status not in d.OPP_STATUSES:
        raise ValueError(f"status: {status!r} is not one of {', '.join(d.OPP_STATUSES)}")
    owner = clean_line(raw.get("owner", ""))
    if not owner:
        raise ValueError("owner: must not be empty")
    skills = _skill_list(raw.get("required_skills", ""), "required", "required_skills")
    skills += _skill_list(raw.get("grows_skills", ""), "grows", "grows_skills")
    draft = d.OpportunityDraft(
        kind=kind, title=raw.get("title", ""), description=raw.get("description", ""),
        department=raw.get("department") or None, hours_per_week=raw.get("hours_per_week", ""),
        start=raw.get("start") or None, end=raw.get("end") or None, seats=raw.get("seats") or 1,
        location=raw.get("location", ""), remote=_bool(raw.get("remote", "yes") or "yes", "remote"),
        skills=skills, steps=[s for s in raw.get("steps", "").split(";") if s.strip()],
    )
    return OpportunityRow(line, draft, owner, status)


_BUILD = {"people": _person, "skills": _skill, "opportunities": _opportunity}
KINDS = tuple(_BUILD)
# What a preview shows of each row read: the values as the import will take them.
PREVIEW_COLUMNS = {
    "people": PEOPLE_COLUMNS,
    "skills": SKILL_COLUMNS,
    "opportunities": ("kind", "title", "owner", "department", "hours_per_week", "start", "end", "seats",
                      "remote", "status", "required_skills", "grows_skills"),
}


def row_cells(row: PersonRow | SkillRow | OpportunityRow) -> tuple[str, ...]:
    """A parsed row as the text of its `PREVIEW_COLUMNS` cells."""
    if isinstance(row, PersonRow):
        return tuple(_cell(getattr(row, name)) for name in PEOPLE_COLUMNS)
    if isinstance(row, SkillRow):
        return (row.name, row.category, "; ".join(row.aliases), row.description)
    draft = row.draft

    def skills(role: str) -> str:
        return "; ".join(f"{name}:{level}" for name, level, kind in draft.skills if kind == role)

    return (draft.kind, draft.title, row.owner, draft.department or "", _cell(draft.hours_per_week),
            _cell(draft.start), _cell(draft.end), _cell(draft.seats), _cell(draft.remote), row.status,
            skills("required"), skills("grows"))


def parse_people(path: Path | str) -> list[PersonRow]:
    """Read a people CSV (columns: PEOPLE_COLUMNS; username and display_name required)."""
    return _parse(path, "people")


def parse_skills(path: Path | str) -> list[SkillRow]:
    """Read a skills CSV: name,category,aliases,description with aliases split by ';'."""
    return _parse(path, "skills")


def parse_opportunities(path: Path | str) -> list[OpportunityRow]:
    """Read an opportunities CSV; skills as 'Python:3;SQL:2' in required_skills/grows_skills."""
    return _parse(path, "opportunities")


# ---------------------------------------------------------------- export


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def person_record(p: d.Person) -> dict:
    return {"username": p.username, "display_name": p.display_name, "email": p.email, "title": p.title,
            "department": p.department or "", "manager": p.manager_username or "",
            "weekly_hours": p.weekly_hours, "cap_pct": p.cap_pct, "is_admin": p.is_admin}


def skill_record(s: d.SkillInfo) -> dict:
    return {"name": s.name, "category": s.category, "aliases": list(s.aliases), "description": s.description}


def opportunity_record(o: d.Opportunity) -> dict:
    def skills(role: str) -> list[dict]:
        return [{"skill": s.skill, "level": s.level} for s in o.skills if s.role == role]

    return {"id": o.id, "kind": o.kind, "title": o.title, "description": o.description, "owner": o.owner_username,
            "department": o.department or "", "hours_per_week": o.hours_per_week, "start": o.start, "end": o.end,
            "seats": o.seats, "seats_taken": o.seats_taken, "location": o.location, "remote": o.remote,
            "status": o.status, "required_skills": skills("required"), "grows_skills": skills("grows")}


def application_record(a: d.Application) -> dict:
    return {"id": a.id, "opportunity_id": a.opportunity_id, "opportunity_title": a.opportunity_title,
            "applicant": a.applicant_username, "status": a.status, "hours_per_week": a.hours_per_week,
            "applied_at": a.applied_at, "offered_at": a.offered_at, "released_at": a.released_at,
            "release_automatic": a.release_automatic, "rating": a.rating, "completed_at": a.completed_at}


def _guard(text: str) -> str:
    """Quote a cell a spreadsheet would run as a formula. A cell that already starts
    with a quote before such a character (or before another quote) is quoted too, so
    `_unguard` can tell the two apart and every value comes back exactly."""
    if text.startswith(_FORMULA_START) or (text.startswith(_QUOTE) and _unguard(text) != text):
        return _QUOTE + text
    return text


def _unguard(text: str) -> str:
    """The inverse of `_guard`, applied to every imported cell; a spreadsheet user's
    own `'=x` means the text `=x` just as it does in the spreadsheet."""
    if text.startswith(_QUOTE) and text[1:2] and text[1:2] in (*_FORMULA_START, _QUOTE):
        return text[1:]
    return text


def _csv_value(key: str, value) -> str:
    """A cell as written: control characters and bidi controls gone (a row stored
    before validation, or by another tool, may hold them), then guarded."""
    if key in ("required_skills", "grows_skills"):
        text = ";".join(f"{s['skill']}:{s['level']}" for s in value)
    elif key == "aliases":
        text = ";".join(value)
    else:
        text = _cell(value)
    return _guard(clean(text) if key in _MULTILINE else printable(text))


def write_records(records: Iterable[dict], columns: tuple[str, ...], fmt: str, out: IO[str]) -> int:
    """Write records as CSV (the import columns) or JSON (a list); return the count.
    JSON escapes every character beyond ASCII, so the values stay exact while no
    control character or bidi control is written as itself."""
    count = 0
    if fmt == "json":
        out.write("[")
        for count, rec in enumerate(records, start=1):
            out.write(",\n  " if count > 1 else "\n  ")
            out.write(json.dumps(rec, default=_cell, ensure_ascii=True))
        out.write("\n]\n" if count else "]\n")
        return count
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for count, rec in enumerate(records, start=1):
        writer.writerow([_csv_value(c, rec.get(c)) for c in columns])
    return count


def to_text(records: Iterable[dict], columns: tuple[str, ...], fmt: str) -> str:
    buffer = io.StringIO()
    write_records(records, columns, fmt, buffer)
    return buffer.getvalue()



# ---------------------------------------------------------------------- the capability map

MAP_COLUMNS = ("skill", "category", "department", "level", "people", "self_declared", "endorsed", "certified",
               "stale", "demand", "available", "gap")


def map_records(cmap: CapabilityMap) -> Iterator[dict]:
    """One record per skill and department shown, in the map's order: the cell's counts
    (people = self_declared + endorsed + certified; stale apart), then the skill's
    company-wide demand, available and gap, the same on each of its records."""
    for row in cmap.rows:
        for column in cmap.columns:
            cell = row.cell(column.key)
            yield {"skill": row.name, "category": row.category, "department": column.name, "level": cmap.level,
                   "people": cell.people, "self_declared": cell.self_declared, "endorsed": cell.endorsed,
                   "certified": cell.certified, "stale": cell.stale, "demand": row.demand,
                   "available": row.available, "gap": row.gap}


def map_document(cmap: CapabilityMap) -> dict:
    """The map as one JSON document: its filters, its departments in order, and per
    skill its figures and a cell per department."""
    def counts(cell: Cell) -> dict:
        return {"people": cell.people, "self_declared": cell.self_declared, "endorsed": cell.endorsed,
                "certified": cell.certified, "stale": cell.stale}

    return {
        "level": cmap.level, "category": cmap.category, "sort": cmap.sort,
        "departments": [c.name for c in cmap.columns],
        "skills": [{"skill": row.name, "category": row.category, "demand": row.demand, "available": row.available,
                    "gap": row.gap, "cells": {c.name: counts(row.cell(c.key)) for c in cmap.columns}}
                   for row in cmap.rows],
    }
