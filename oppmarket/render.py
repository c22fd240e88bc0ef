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

from oppmarket import lifecycle
from oppmarket.domain import KIND_LABELS, LEVEL_MEANINGS, Opportunity, OppSkill
from oppmarket.matching import Match
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


def status_label(status: str, *, of: str = "application", lower: bool = False) -> str:
    """The words a person reads for a status: 'Not released', or 'not released' inside
    a sentence. Every screen and the CLI name a status through this."""
    words = clean_line(lifecycle.label(status, of=of))
    return words.lower() if lower else words


def status_style(status: str, *, of: str = "application", owner_view: bool = False) -> str:
    """How a status stands out in a list. A posting is bold while it takes applicants
    and dim otherwise. An ended application is dim; of the live ones, the applicant's
    own list makes bold those holding a seat, and the owner's list every one they have
    taken past the first step."""
    if of == "opportunity":
        return "bold" if lifecycle.allows("apply", status, of="opportunity") else "dim"
    if lifecycle.is_ended(status):
        return "dim"
    if owner_view:
        moved_on = status in lifecycle.LIVE_STATUSES and lifecycle.APPLICATION_PATH.index(status) > 0
        return "bold" if moved_on else ""
    return "bold" if status in lifecycle.HOLDING_STATUSES else ""


def status(status: str, *, of: str = "application", owner_view: bool = False, lower: bool = False,
           style: str | None = None) -> Text:
    """A status as a person reads it, styled as `status_style` says unless `style` is
    given."""
    shown = status_style(status, of=of, owner_view=owner_view) if style is None else style
    return Text(status_label(status, of=of, lower=lower), style=shown)


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


def opportunity_heading(opp: Opportunity) -> Group:
    """The title, and the kind, department, hours, place and seats under it."""
    title = Text(clean_line(opp.title), style="bold")
    facts = [kind_label(opp.kind)]
    if opp.department:
        facts.append(clean_line(opp.department))
    facts += [f"{opp.hours_per_week} h/week", where(opp), f"{opp.seats_left} of {opp.seats} seats left"]
    return Group(title, Text(" · ".join(facts), style="dim"))


def opportunity_facts(opp: Opportunity, *, host_name: str | None = None) -> Group:
    """Owner, dates, skills, the kind's own fields (certification, host, topics,
    learning steps) and the description."""
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
        host = clean_line(opp.host_username)
        grid.add_row("Host", Text(f"{clean_line(host_name)} ({host})" if host_name else host))
    if opp.topics:
        grid.add_row("Topics", Text(clean_line(opp.topics)))
    for number, step in enumerate(opp.steps, 1):
        grid.add_row("Steps" if number == 1 else "", Text(f"{number}. {clean_line(step)}"))

    description = clean(opp.description).strip()
    body = Text(description) if description else Text("No description.", style="dim")
    return Group(grid, Text(""), body)


def opportunity_detail(opp: Opportunity) -> Group:
    """Everything a list shows about one opportunity, as a card."""
    return Group(opportunity_heading(opp), opportunity_facts(opp))


# ---------------------------------------------------------------------- matches and lists

# How an empty list names what it could not find ("No gigs match 'rust'").
KIND_PLURALS = {
    "gig": "gigs",
    "mentorship": "mentorships",
    "volunteering": "volunteering roles",
    "shadowing": "shadowing places",
    "learning": "learning paths",
}


def kind_plural(kind: str | None) -> str:
    if not kind:
        return "opportunities"
    return KIND_PLURALS.get(kind, f"{clean_line(kind)} opportunities")


def score_cell(score: int | None) -> Text:
    """A match score for a table column: bold when it is a strong fit."""
    if score is None:
        return Text("—", style="dim", justify="right")
    return Text(str(score), style="bold" if score >= 75 else "", justify="right")


def score_bar(score: int, width: int = 10) -> str:
    filled = round(score * width / 100)
    return "▰" * filled + "▱" * (width - filled)


def found_by(why: str) -> Text:
    """What a search matched in an opportunity: 'skill: Kubernetes (alias k8s); title'."""
    return Text.assemble(("Found by ", "bold"), clean_line(why))


def match_explanation(match: Match) -> Group:
    """A match term by term, each with its points, and what would raise it most."""
    head = Text.assemble(("Your match ", "bold"), (f"{match.score}/100 ", "bold"), (score_bar(match.score), "dim"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column()
    for term in match.terms:
        grid.add_row(Text(term.name.capitalize()), Text(f"{term.points}/{term.max_points}", style="bold"),
                     Text(clean_line(term.detail), style="dim"))
    if match.raise_hint:
        hint = Text.assemble(("What would raise it most: ", "bold"), clean_line(match.raise_hint))
    elif match.score < 100:
        hint = Text("You meet every required skill; the rest depends on your time and interests.", style="dim")
    else:
        hint = Text("A perfect fit.", style="dim")
    return Group(head, grid, hint)
