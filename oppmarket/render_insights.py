"""The insights as Rich renderables, shared by the terminal app and `oppmarket
insights`: one section each for participation, equal access, the release ledger,
hours unlocked, core work and skills gained, with bars and sparklines where they read
better than numbers. Every figure is also written as a number, so the text reads the
same without colour; names and reasons are user text and go in as `Text`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import fields, is_dataclass

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from oppmarket import policy
from oppmarket.insights import Access, Answers, Insights, period_words
from oppmarket.release_ledger import Ledger, Releases, flag_rule
from oppmarket.text import clean_line

SECTIONS = (
    ("participation", "Participation"),
    ("access", "Equal access"),
    ("ledger", "Releases"),
    ("hours", "Hours unlocked"),
    ("core_work", "Core work"),
    ("skills", "Skills gained"),
)
"""(id, title) of each section, in the order they are shown."""

LEDGER_ROWS = 12
"""Managers listed in the ledger at most (flagged first, then most requests); the JSON
has every one."""

_BLOCKS = " ▏▎▍▌▋▊▉█"
_SPARKS = "▁▂▃▄▅▆▇█"


def bar(value: float, most: float, width: int = 12, style: str = "cyan") -> Text:
    """A horizontal bar of `value` against `most`, in eighths of a cell."""
    eighths = round(8 * width * value / most) if most > 0 else 0
    full, part = divmod(max(0, min(eighths, 8 * width)), 8)
    return Text("█" * full + (_BLOCKS[part] if part else ""), style=style)


def sparkline(values: Iterable[float]) -> Text:
    values = list(values)
    top = max(values, default=0)
    if top <= 0:
        return Text(_SPARKS[0] * len(values), style="dim")
    return Text("".join(_SPARKS[round(v / top * (len(_SPARKS) - 1))] for v in values), style="cyan")


def pct(share: float) -> str:
    return f"{share:.0%}"


def hours(value: float) -> str:
    return f"{value:,.0f} h"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _table(*columns: str) -> Table:
    """A table whose first column names the row; a column without a heading holds bars."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False)
    for index, name in enumerate(columns):
        table.add_column(name, justify="left" if index == 0 or not name else "right", no_wrap=index > 0)
    return table


def heading(insights: Insights) -> Text:
    """Whose figures, over which period."""
    return Text.assemble(("Insights", "bold"), f" · {insights.scope_words} · {period_words(insights.period)}")


def empty_words(insights: Insights) -> str:
    if insights.scope == policy.SELF_SCOPE:
        return ("Nothing of yours happened in this period: no application, engagement, answer or "
                "endorsement. Try a longer period.")
    return ("Nothing happened in this period for the people you look at: no application, engagement, "
            "release request or endorsement. Try a longer period.")


# ---------------------------------------------------------------------- the sections

def participation(insights: Insights) -> RenderableType:
    p = insights.participation
    if insights.scope == policy.SELF_SCOPE:
        first = " Your first engagement ever started in this period." if p.first_timers else ""
        return Text(f"You had {_plural(p.engagements, 'engagement')} in this period.{first}")
    lines: list[RenderableType] = [
        Text(f"{p.participants} of {_plural(p.people, 'person', 'people')} took part ({pct(p.share)}): "
             f"{_plural(p.engagements, 'engagement')}, {p.per_person:.2f} per person."),
        Text(f"Spread: Gini {p.gini:.2f} (0: everyone has as many engagements; near 1: a few people have them all)."),
        Text(f"First-timers (first engagement ever in this period): {p.first_timers}, "
             f"with {pct(p.first_timer_share)} of the engagements."),
    ]
    if p.by_department:
        table = _table("Department", "People", "Took part", "", "Engagements", "First-timers")
        for row in p.by_department:
            table.add_row(Text(clean_line(row.name)), str(row.people), f"{row.participants} · {pct(row.share)}",
                          bar(row.share, 1.0, 10), str(row.engagements), str(row.first_timers))
        lines += [Text(), table]
    return Group(*lines)


def _access_row(table: Table, row: Access, style: str = "") -> None:
    table.add_row(Text(clean_line(row.name), style=style), str(row.people), f"{row.shown_per_person:.1f}",
                  f"{pct(row.application_rate)}", bar(row.application_rate, 1.0, 8),
                  f"{row.offers}/{row.applications} · {pct(row.selection_rate)}")


def access(insights: Insights) -> RenderableType:
    a = insights.access
    lines: list[RenderableType] = [Text(
        "Shown: recommendations shown per person. Applied: share of people who applied at least once. "
        "Selected: applications that led to an offer.", style="dim")]
    if not a.everyone.shown:
        lines.append(Text("No recommendation was shown in this period (they are logged when someone opens "
                          "their recommendations)."))
    table = _table("Group", "People", "Shown", "Applied", "", "Selected")
    if insights.scope != policy.SELF_SCOPE:
        for row in a.by_department:
            _access_row(table, row)
        table.add_section()
        _access_row(table, a.newcomers, "italic")
        _access_row(table, a.returning, "italic")
        table.add_section()
    _access_row(table, a.everyone, "bold")
    lines += [Text(), table, Text(f"{a.newcomers.name}: no engagement before this period.", style="dim")]
    return Group(*lines)


def _releases_words(r: Releases) -> str:
    decided = "" if r.median_days is None else f" · median {r.median_days:.1f} days to decide"
    return (f"{_plural(r.requests, 'request')}: {r.released} released, {r.declined} declined, "
            f"{r.automatic} released automatically, {r.pending} pending, {r.undecided} withdrawn before a "
            f"decision{decided}")


def ledger(insights: Insights) -> RenderableType:
    led: Ledger | None = insights.ledger
    if led is None:
        return Text("The release ledger is for line managers (their own decisions) and admins.")
    mine = insights.scope == policy.REPORTS_SCOPE
    lines: list[RenderableType] = [
        Text(f"{'You' if mine else 'Managers'}: {_releases_words(led.releases)}; "
             f"decline rate {pct(led.releases.decline_rate)}."),
    ]
    if mine:
        lines.append(Text(f"Company: {_releases_words(led.company)}; decline rate {pct(led.company.decline_rate)}.",
                          style="dim"))
    if led.reasons:
        lines += [Text(), Text("Why requests were declined", style="bold")]
        lines += [Text.assemble(f"{count:>4} × ", clean_line(reason)) for reason, count in led.reasons[:5]]
        if len(led.reasons) > 5:
            lines.append(Text(f"       and {_plural(len(led.reasons) - 5, 'other reason')}", style="dim"))
    if led.managers:
        table = _table("Manager", "Asked", "Rel.", "Decl.", "Auto", "Decl. %", "Days", "Lent", "Borrowed", "")
        for m in led.managers[:LEDGER_ROWS]:
            r = m.releases
            table.add_row(Text(clean_line(m.display_name)), str(r.requests), str(r.released), str(r.declined),
                          str(r.automatic), pct(r.decline_rate) if r.settled else "—",
                          "—" if r.median_days is None else f"{r.median_days:.1f}", hours(m.lent_hours),
                          hours(m.borrowed_hours), Text("⚑ flagged", style="bold yellow") if m.flagged else "")
        lines += [Text(), table]
        if len(led.managers) > LEDGER_ROWS:
            lines.append(Text(f"and {_plural(len(led.managers) - LEDGER_ROWS, 'more manager')} "
                              "(all of them with --json)", style="dim"))
    lines += [Text(), Text(flag_rule(), style="dim"),
              Text("Lent: hours their direct reports gave to engagements; borrowed: hours postings of their "
                   "team received (h/week × weeks).", style="dim")]
    return Group(*lines)


def hours_unlocked(insights: Insights) -> RenderableType:
    h = insights.hours
    lines: list[RenderableType] = [
        Text(f"{hours(h.total)} unlocked (h/week × weeks in this period): {hours(h.completed)} in completed "
             f"engagements, {hours(h.active)} in active ones."),
    ]
    if h.weekly:
        lines.append(Text.assemble("Hours a week through the period  ", sparkline(h.weekly),
                                   f"  (up to {max(h.weekly):,.0f})"))
    if h.by_team:
        most = h.by_team[0][1]
        table = _table("Posting team", "Hours", "")
        for team, value in h.by_team:
            table.add_row(Text(clean_line(team)), hours(value), bar(value, most, 16))
        lines += [Text(), Text("Capacity each posting team received", style="bold"), table]
    return Group(*lines)


ANSWER_BAR = 9


def _answer_counts(a: Answers) -> Text:
    if not a.answered and not a.unanswered:
        return Text("—", style="dim")
    return Text(f"{a.better}/{a.same}/{a.worse}" + (f" (+{a.unanswered})" if a.unanswered else ""))


def _answer_bar(a: Answers) -> Text:
    """better, same and worse side by side in one bar of fixed width."""
    if not a.answered:
        return Text("")
    better = round(ANSWER_BAR * a.better / a.answered)
    same = round(ANSWER_BAR * (a.better + a.same) / a.answered) - better
    return Text.assemble(("█" * better, "green"), ("▒" * same, "grey50"),
                         ("░" * (ANSWER_BAR - better - same), "red"))


def core_work(insights: Insights) -> RenderableType:
    c = insights.core_work
    lines: list[RenderableType] = [Text(
        "How did the engagement affect core work? Answers about engagements completed in this period: "
        "better/same/worse (+ not answered yet); in the bars █ better ▒ same ░ worse.", style="dim")]
    if not c.bands:
        return Group(*lines, Text("No engagement was completed in this period, so nobody was asked yet."))
    managers = insights.scope != policy.SELF_SCOPE
    table = _table("Hours a week", "Participants", "", *(("Managers", "") if managers else ()))

    def cells(participants: Answers, of_managers: Answers) -> list[Text]:
        row = [_answer_counts(participants), _answer_bar(participants)]
        return row + ([_answer_counts(of_managers), _answer_bar(of_managers)] if managers else [])

    for band in c.bands:
        table.add_row(band.band, *cells(band.participants, band.managers))
    table.add_section()
    table.add_row(Text("All", style="bold"), *cells(c.participants, c.managers))
    return Group(*lines, Text(), table)


def skills(insights: Insights) -> RenderableType:
    s = insights.skills
    lines: list[RenderableType] = [
        Text(f"{_plural(s.endorsements, 'endorsement')} for {_plural(s.endorsed_people, 'person', 'people')}; "
             f"{_plural(s.certifications, 'certification')} for {_plural(s.certified_people, 'person', 'people')}."),
    ]
    for title, top in (("Most endorsed", s.top_endorsed), ("Most certified", s.top_certified)):
        if top:
            lines.append(Text.assemble((f"{title}: ", "bold"),
                                       ", ".join(f"{clean_line(name)} {count}" for name, count in top)))
    return Group(*lines)


RENDERERS = {
    "participation": participation, "access": access, "ledger": ledger, "hours": hours_unlocked,
    "core_work": core_work, "skills": skills,
}


def section(name: str, insights: Insights) -> RenderableType:
    """One section by its id (see SECTIONS)."""
    return RENDERERS[name](insights)


def report(insights: Insights) -> list[RenderableType]:
    """Every section under its title, for the command line."""
    parts: list[RenderableType] = [heading(insights), Text()]
    if insights.empty:
        return [*parts, Text(empty_words(insights))]
    for name, title in SECTIONS:
        parts += [Text(title, style="bold underline"), section(name, insights), Text()]
    return parts


def document(value):
    """The insights as plain JSON values: every field of every record, with the rates
    and shares the records work out (their properties) beside them."""
    if is_dataclass(value):
        found = {f.name: document(getattr(value, f.name)) for f in fields(value)}
        found.update({name: document(getattr(value, name)) for name in dir(type(value))
                      if isinstance(getattr(type(value), name, None), property)})
        return found
    if isinstance(value, (list, tuple)):
        return [document(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value
