"""Rich renderables shared by the terminal app and the CLI.

Everything a person wrote (titles, names, descriptions) goes through `clean_line` or
`clean` and into `Text` as data, so neither Rich markup, Textual action links nor
terminal control sequences in it ever take effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rich.console import Group
from rich.table import Table
from rich.text import Text

from oppmarket.domain import KIND_LABELS, LEVEL_MEANINGS, Opportunity, OppSkill
from oppmarket.text import clean, clean_line

# At most nine cells, for a table column; the detail pane uses KIND_LABELS.
KIND_SHORT = {
    "gig": "Gig",
    "mentorship": "Mentoring",
    "volunteering": "Volunteer",
    "shadowing": "Shadowing",
    "learning": "Learning",
}


def kind_label(kind: str, *, short: bool = False) -> str:
    labels = KIND_SHORT if short else KIND_LABELS
    return labels.get(kind, clean_line(kind))


def level_name(level: int) -> str:
    """'Practitioner' for 3: the first word of the level's meaning."""
    meaning = LEVEL_MEANINGS.get(level)
    return meaning.split(":", 1)[0] if meaning else str(level)


def cell(value: str) -> Text:
    """One line of user-written text for a table cell: cut with an ellipsis, never
    wrapped, never parsed as markup."""
    return Text(clean_line(value), no_wrap=True, overflow="ellipsis", end="")


def skill_names(skills: Iterable[OppSkill], width: int) -> str:
    """Skill names joined with commas, cut to `width` with a '+N' for the rest."""
    names = [clean_line(s.skill) for s in skills]
    shown: list[str] = []
    for index, name in enumerate(names):
        rest = len(names) - index - 1
        candidate = ", ".join([*shown, name])
        suffix = f" +{rest}" if rest else ""
        if len(candidate) + len(suffix) > width and shown:
            break
        shown.append(name)
    text = ", ".join(shown)
    hidden = len(names) - len(shown)
    return f"{text} +{hidden}" if hidden else text


def _date(value: dt.date | dt.datetime | None, missing: str) -> str:
    if value is None:
        return missing
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat()


def where(opp: Opportunity) -> str:
    location = clean_line(opp.location)
    if opp.remote:
        return f"remote or {location}" if location else "remote"
    return location or "on site"


def _skills_line(skills: tuple[OppSkill, ...]) -> Text:
    if not skills:
        return Text("none", style="dim")
    parts = []
    for skill in skills:
        parts.append(Text.assemble(Text(clean_line(skill.skill), style="bold"),
                                   f" {skill.level} ", (level_name(skill.level), "dim")))
    return Text(" · ").join(parts)


def opportunity_detail(opp: Opportunity) -> Group:
    """Everything a list shows about one opportunity, as a card."""
    title = Text(clean_line(opp.title), style="bold")
    facts = [kind_label(opp.kind)]
    if opp.department:
        facts.append(clean_line(opp.department))
    facts += [f"{opp.hours_per_week} h/week", where(opp), f"{opp.seats_left} of {opp.seats} seats left"]
    subtitle = Text(" · ".join(facts), style="dim")

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row("Owner", Text(f"{clean_line(opp.owner_name)} ({clean_line(opp.owner_username)})"))
    grid.add_row("Dates", Text(f"{_date(opp.start, 'any time')} → {_date(opp.end, 'open-ended')}"
                               f" · posted {_date(opp.created_at, '')}"))
    grid.add_row("Required", _skills_line(opp.required))
    grid.add_row("Grows", _skills_line(opp.grows))
    if opp.certification:
        grid.add_row("Certifies", Text(clean_line(opp.certification)))
    if opp.host_username:
        grid.add_row("Host", Text(clean_line(opp.host_username)))
    if opp.topics:
        grid.add_row("Topics", Text(clean_line(opp.topics)))
    for number, step in enumerate(opp.steps, 1):
        grid.add_row("Steps" if number == 1 else "", Text(f"{number}. {clean_line(step)}"))

    description = clean(opp.description).strip()
    body = Text(description) if description else Text("No description.", style="dim")
    return Group(title, subtitle, grid, Text(""), body)
