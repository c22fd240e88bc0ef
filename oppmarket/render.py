"""Rich renderables shared by the terminal app and the CLI.

Everything a person wrote (titles, names, descriptions) goes through `clean_line` or
`clean` and into `Text` as data, so neither Rich markup, Textual action links nor
terminal control sequences in it ever take effect.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rich import box
from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text

from oppmarket import lifecycle
from oppmarket.capability import SORT_WORDS, CapabilityMap, Cell, Column, SkillRow, depth, depth_ranges
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


def standing_badge(status: str | None) -> Text:
    """The actor's own application status as a short badge beside a posting they are
    in ('Shortlisted'); empty when they are not in it."""
    if not lifecycle.is_in(status):
        return Text("")
    return Text(f"{status_label(status)}", style="bold reverse", end="")


def standing_line(status: str | None) -> Text:
    """Where the actor stands on a posting they are in, in a sentence; empty when they
    are not in it."""
    if not lifecycle.is_in(status):
        return Text("")
    if status == lifecycle.ANSWER_WAITING:
        return Text.assemble(("You have an offer on this one", "bold"),
                             ": accept or decline it under My work (m, then o) before it lapses.")
    return Text.assemble("You are in this one. Your application: ", (status_label(status), "bold"),
                         " — see it under My work (m).")


def cell(value: str) -> Text:
    """One line of user-written text for a table cell: cut with an ellipsis, never
    wrapped, never parsed as markup."""
    return Text(clean_line(value), no_wrap=True, overflow="ellipsis", end="")


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%b}"


def dates(opp: Opportunity) -> str:
    """When it runs, briefly: '4 Mar–29 May', 'until 29 May', 'from 4 Mar', 'no dates'."""
    if opp.start and opp.end:
        return f"{_day(opp.start)}–{_day(opp.end)}"
    if opp.end:
        return f"until {_day(opp.end)}"
    return f"from {_day(opp.start)}" if opp.start else "no dates"


def _cut_end(title: str, width: int) -> str:
    text = Text(title)
    text.truncate(width, overflow="ellipsis")
    return text.plain


def _cut_middle(title: str, width: int) -> str:
    """The start and the end of a title too long for `width`: where titles made from
    one pattern differ (the system, the team) is often at the end."""
    if cell_len(title) <= width:
        return title
    head = max(1, (width - 1) * 2 // 5)
    tail = width - 1 - head
    return f"{_cut_end(title, head + 1).removesuffix('…')}…{title[len(title) - tail:] if tail > 0 else ''}"


@dataclass(frozen=True)
class ListedTitle:
    """How a title reads in a column: cut at the end, or (`middle`) keeping its start
    and end; and, when other rows read the same, the facts that tell it apart."""

    title: str
    middle: bool = False
    apart: str = ""

    def cut(self, width: int) -> str:
        return _cut_middle(self.title, width) if self.middle else _cut_end(self.title, width)


# What may tell postings of one title apart, in the order they are named.
_FACTS = (
    lambda o: clean_line(o.department or "no department"),
    dates,
    lambda o: f"{o.hours_per_week} h/wk",
    lambda o: clean_line(o.owner_name),
)


def _telling_facts(twins: Sequence[Opportunity], facts: Sequence) -> list:
    """The fewest of `facts`, taken in order, that tell postings of one title apart
    (as many as there are when even all of them do not)."""
    chosen: list = []
    for fact in facts:
        if len({fact(o) for o in twins}) > 1:
            chosen.append(fact)
            if len({tuple(f(o) for f in chosen) for o in twins}) == len(twins):
                break
    return chosen


def titles_apart(opportunities: Sequence[Opportunity], width: int, *,
                 department_shown: bool = False) -> dict[int, ListedTitle]:
    """Each posting's title as it reads in a column `width` cells wide. A title that
    would read like another's once cut shows its start and end instead; where the
    titles are the same, it is followed by what differs (department unless a column
    of its own shows it, dates, hours, owner) among the postings that share it."""
    facts = _FACTS[1:] if department_shown else _FACTS
    titles = {o.id: ListedTitle(clean_line(o.title)) for o in opportunities}
    groups: dict[str, list[Opportunity]] = {}
    for opp in opportunities:
        groups.setdefault(titles[opp.id].cut(width).casefold(), []).append(opp)
    for same in (g for g in groups.values() if len(g) > 1):
        repeats: dict[str, list[Opportunity]] = {}
        for opp in same:
            repeats.setdefault(_cut_middle(titles[opp.id].title, width).casefold(), []).append(opp)
        for twins in repeats.values():
            if len(twins) == 1:
                titles[twins[0].id] = ListedTitle(titles[twins[0].id].title, middle=True)
                continue
            telling = _telling_facts(twins, facts)
            for opp in twins:
                apart = " · ".join(fact(opp) for fact in telling) if telling else f"#{opp.id}"
                titles[opp.id] = ListedTitle(titles[opp.id].title, apart=apart)
    return titles


def title_cell(title: ListedTitle, width: int, *, badge: Text | None = None) -> Text:
    """A title cell `width` cells wide: the actor's badge, the title cut to leave room,
    then (dim) what tells it apart from others of the same title."""
    lead = Text.assemble(badge, " ") if badge else Text("")
    # The title keeps at least half the width.
    tail = Text(f" · {title.apart}", style="dim") if title.apart else Text("")
    tail.truncate(max(0, width - lead.cell_len - width // 2), overflow="ellipsis")
    # Cut at the end, a title is left whole for the table to cut where it draws it.
    words = title.cut(max(4, width - lead.cell_len - tail.cell_len)) if title.middle or title.apart else title.title
    return Text.assemble(lead, words, tail, no_wrap=True, overflow="ellipsis", end="")


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


def posted_word(opp: Opportunity) -> str:
    """How the posting's first date reads: a draft has not been posted yet."""
    return "drafted" if opp.status == lifecycle.OppStatus.DRAFT else "posted"


def opportunity_facts(opp: Opportunity, *, host_name: str | None = None) -> Group:
    """Owner, dates, skills, the kind's own fields (certification, host, topics,
    learning steps) and the description."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row("Owner", Text(f"{clean_line(opp.owner_name)} ({clean_line(opp.owner_username)})"))
    grid.add_row("Dates", Text(f"{_date(opp.start, 'any time')} → {_date(opp.end, 'open-ended')}"
                               f" · {posted_word(opp)} {_date(opp.created_at, '')}"))
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


def match_explanation(match: Match, *, theirs: bool = False, words: Callable[[str], str] = str) -> Group:
    """A match term by term, each with its points, and what would raise it most; with
    `theirs`, told to someone weighing the person, each reason passed through `words`
    (matching writes them to the person themself)."""
    head = Text.assemble((f"{'Their' if theirs else 'Your'} match ", "bold"), (f"{match.score}/100 ", "bold"),
                         (score_bar(match.score), "dim"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column()
    for term in match.terms:
        grid.add_row(Text(term.name.capitalize()), Text(f"{term.points}/{term.max_points}", style="bold"),
                     Text(words(clean_line(term.detail)), style="dim"))
    if match.raise_hint:
        hint = Text.assemble(("What would raise it most: ", "bold"), words(clean_line(match.raise_hint)))
    elif match.score < 100:
        hint = Text("They meet every required skill; the rest depends on their time and interests." if theirs
                    else "You meet every required skill; the rest depends on your time and interests.", style="dim")
    else:
        hint = Text("A perfect fit.", style="dim")
    return Group(head, grid, hint)


# ---------------------------------------------------------------------- the capability map
# Depth shows twice, so it never rests on colour alone: in the digits, and in a shade
# whose attributes (dim, plain, bold, bold reverse) survive NO_COLOR and monochrome
# terminals, with a background colour on top where there is colour.

DEPTH_STYLES = (
    "dim",
    "dim #b7dde2 on #113238",
    "#e4f5f7 on #1a5860",
    "bold #ffffff on #237e88",
    "bold reverse #62d2dc on #0a2427",
)
BACKED_MARK = "✓"
STALE_MARK = "+"
NOBODY = "·"
FIGURE_HEADINGS = (("demand", "Demand"), ("available", "Avail."), ("gap", "Gap"))


@dataclass(frozen=True)
class HeatLayout:
    """The digits each part of a cell takes in one map, so its cells line up:
    people, then ✓ endorsed or certified, then + stale (a part no cell has takes
    no room)."""

    people: int
    backed: int
    stale: int

    @property
    def width(self) -> int:
        return self.people + (self.backed + 2 if self.backed else 0) + (self.stale + 2 if self.stale else 0)


def heat_layout(cmap: CapabilityMap) -> HeatLayout:
    """The digits the cells of the columns shown take."""
    peak = cmap.peak()

    def digits(top: int) -> int:
        return len(str(top)) if top else 0

    return HeatLayout(max(1, digits(peak.people)), digits(peak.backed), digits(peak.stale))


def heat_cell(cell: Cell, shade: int, layout: HeatLayout) -> Text:
    """One cell, exactly `layout.width` wide: '12 ✓5 +3' is 12 people with a fresh
    claim, 5 of them endorsed or certified, and 3 more whose claim is stale."""
    if not cell.people and not cell.stale:
        return Text(NOBODY.rjust(layout.people).ljust(layout.width), style=DEPTH_STYLES[0], end="")
    text = str(cell.people) if cell.people else ""
    parts = [text.rjust(layout.people)]
    if layout.backed:
        parts.append(f" {BACKED_MARK}{cell.backed}".ljust(layout.backed + 2) if cell.backed
                     else " " * (layout.backed + 2))
    if layout.stale:
        parts.append(f" {STALE_MARK}{cell.stale}".ljust(layout.stale + 2) if cell.stale
                     else " " * (layout.stale + 2))
    return Text("".join(parts), style=DEPTH_STYLES[shade], end="")


def figure(value: int, width: int, *, gap: bool = False) -> Text:
    """A per-skill figure, right-aligned; a gap stands out, a zero recedes."""
    style = "dim" if not value else ("bold #ff8f80" if gap else "")
    return Text(str(value).rjust(width), style=style, end="")


def figures_width(cmap: CapabilityMap) -> int:
    """The width of the demand, available and gap columns: their headings', or the
    widest figure's."""
    widest = max((max(r.demand, r.available) for r in cmap.rows), default=0)
    return max(*(len(heading) for _, heading in FIGURE_HEADINGS), len(str(widest)))


def department_heading(name: str, width: int, lines: int) -> list[str]:
    """A department's name on at most `lines` lines of `width`, cut with an ellipsis."""
    wrapped = textwrap.wrap(clean_line(name), width, break_long_words=True) or [""]
    if len(wrapped) > lines:
        rest = " ".join(wrapped[lines - 1:])
        wrapped = wrapped[:lines - 1] + [rest[:width - 1] + "…"]
    return wrapped + [""] * (lines - len(wrapped))


def level_words(level: int) -> str:
    """'level 3+ (Practitioner)'."""
    return f"level {level}+ ({level_name(level)})"


def map_summary(cmap: CapabilityMap, *, short: bool = False) -> Text:
    """What the map shows, in one line: level, category (unless `short`, where the
    filters show them), size and order."""
    shown = len(cmap.columns)
    of = f" of {len(cmap.departments)}" if shown != len(cmap.departments) else ""
    size = (f"{len(cmap.rows)} skill{'s' if len(cmap.rows) != 1 else ''} × {shown}{of} "
            f"department{'s' if len(cmap.departments) != 1 else ''} · {SORT_WORDS[cmap.sort]}")
    if short:
        return Text(size)
    where = f"category {clean_line(cmap.category)}" if cmap.category else "every category"
    return Text.assemble(("Skills at ", "bold"), (level_words(cmap.level), "bold"), f" · {where} · {size}")


def shade_legend(deepest: int) -> Text:
    """The people each shade stands for: ' 1 ' ' 2–5 ' ' 6–13 ' … in their shades."""
    legend = Text()
    for shade, low, high in depth_ranges(deepest):
        legend.append(f" {low}–{high} " if high > low else f" {low} ", style=DEPTH_STYLES[shade])
        legend.append(" ")
    return legend


def heat_legend(cmap: CapabilityMap, *, short: bool = False) -> Text:
    """How to read a cell, the people each shade stands for and, unless `short`,
    what the per-skill figures count."""
    if short:
        legend = Text.assemble(("Cell ", "bold"), f"people {BACKED_MARK}endorsed/certified {STALE_MARK}stale")
    else:
        legend = Text.assemble(
            ("Cell ", "bold"), f"12 {BACKED_MARK}5 {STALE_MARK}3: 12 people at {level_words(cmap.level)}, "
            f"{BACKED_MARK}5 of them endorsed or certified, the rest self-declared; {STALE_MARK}3 more unconfirmed "
            "for a year (stale), counted apart.")
    if cmap.deepest:
        legend.append("  Shade ", style="bold")
        legend.append_text(shade_legend(cmap.deepest))
        legend.append("people")
    if not short:
        legend.append("\n")
        legend.append_text(Text.assemble(
            ("Demand ", "bold"), "open seats needing the skill at the level · ",
            ("Avail. ", "bold"), "people with a fresh claim and an hour a week left under their cap · ",
            ("Gap ", "bold"), "demand − available, at least 0 (company-wide, whatever the departments shown)"))
    return legend


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def cell_words(skill: str, where: str, level: int, cell: Cell, demand: int, available: int) -> Text:
    """A cell in words, then its skill's company-wide figures on a line of their own."""
    text = Text.assemble((clean_line(skill), "bold"), " · ", (clean_line(where), "bold"),
                         f": {_count(cell.people, 'person', 'people')} at level {level}+")
    if cell.people:
        text.append(f" ({cell.self_declared} self-declared, {cell.endorsed} endorsed, {cell.certified} certified)")
    if cell.stale:
        text.append(f", {cell.stale} more stale")
    gap = max(0, demand - available)
    text.append("\n")
    text.append_text(Text.assemble(
        "Company-wide: ", (_count(demand, "open seat"), "bold"), " needs it" if demand == 1 else " need it",
        " · ", (f"{available} available", "bold"), " · ", (f"gap {gap}", "bold #ff8f80" if gap else "bold")))
    return text


def cell_sentence(cmap: CapabilityMap, row: SkillRow, column: Column | None) -> Text:
    """A cell of the map (with `column` None, the skill's whole row) in words."""
    cell = row.cell(column.key) if column is not None else row.total
    where = column.name if column is not None else "every department"
    return cell_words(row.name, where, cmap.level, cell, row.demand, row.available)


HEADING_WORD = 12
"""A department column widens to show a word of its name up to this long whole."""


def department_width(column: Column, layout: HeatLayout) -> int:
    """A department column's width: its cells', or its name's longest word's."""
    longest = max((len(word) for word in clean_line(column.name).split()), default=0)
    return max(layout.width, 6, min(HEADING_WORD, longest))


def capability_table(cmap: CapabilityMap, columns: Sequence[Column], *, name_width: int = 28,
                     heading_lines: int = 3) -> Table:
    """The heatmap as a Rich table, for the command line: skills down, the per-skill
    figures, then one column per department of `columns`."""
    layout = heat_layout(cmap)
    deepest = cmap.deepest
    fig = figures_width(cmap)
    table = Table(box=box.MINIMAL, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("Skill", no_wrap=True, max_width=name_width, overflow="ellipsis")
    for _, heading in FIGURE_HEADINGS:
        table.add_column(heading, justify="right", width=fig, no_wrap=True)
    for column in columns:
        width = department_width(column, layout)
        heading = "\n".join(line for line in department_heading(column.name, width, heading_lines) if line)
        table.add_column(Text(heading, justify="right"), justify="right", width=width, no_wrap=True)
    for row in cmap.rows:
        cells = [heat_cell(row.cell(c.key), depth(row.cell(c.key).people, deepest), layout) for c in columns]
        table.add_row(cell(row.name), figure(row.demand, fig), figure(row.available, fig),
                      figure(row.gap, fig, gap=True), *cells)
    return table


def capability_panels(cmap: CapabilityMap, width: int, *, name_width: int = 28) -> list[Table]:
    """The heatmap cut into tables that each fit `width` columns, every one with the
    skills and their figures, then as many departments as fit, in order."""
    layout = heat_layout(cmap)
    names = max((len(clean_line(r.name)) for r in cmap.rows), default=5)
    room = width - (min(name_width, max(5, names)) + 1 + 3 * (figures_width(cmap) + 3))
    groups: list[list[Column]] = [[]]
    used = 0
    for column in cmap.columns:
        needed = department_width(column, layout) + 3  # with the rule and padding before it
        if groups[-1] and used + needed > room:
            groups.append([])
            used = 0
        groups[-1].append(column)
        used += needed
    return [capability_table(cmap, group, name_width=name_width) for group in groups]
