"""The line manager's team: each direct report's time cap and what holds it, their
engagements, the offers waiting for a release and their strongest skills; the
team's marketplace hours week by week. `c` sets the highlighted report's cap, `h`
their contracted hours; `2` shows the release queue, the other part of the team view.
"""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.widgets import DataTable, Header, Static

from oppmarket.domain import Profile
from oppmarket.render import cell, kind_label
from oppmarket.render_insights import sparkline
from oppmarket.screens.base import QueueScreen
from oppmarket.team import Commitment, Report, Team, strongest
from oppmarket.text import clean_line
from oppmarket.widgets.footer import MarketFooter
from oppmarket.widgets.report_terms import SetsReportTerms, commitments
from oppmarket.widgets.team_tabs import REPORTS, TEAM_PART_BINDINGS, TeamTabs

NOBODY = ("Nobody reports to you, so you have no team here.\n\n"
          "When people report to you, this is where you see each one's marketplace time cap and what "
          "holds it, their engagements, the offers waiting for your release and their skills, and set "
          "their cap or contracted hours.")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _hours(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def intro(found: Team) -> Text:
    """What the team holds, in one line, and its hours week by week in a second."""
    waiting = found.pending_releases
    line = Text.assemble(
        (_plural(len(found.reports), "report"), "bold"),
        f" · {found.committed} of {found.cap_hours:g} h/week committed · ",
        (f"{_plural(waiting, 'offer')} {'waits' if waiting == 1 else 'wait'} for your release (2)", "bold")
        if waiting
        else "no offer waiting for your release")
    weeks = found.weeks
    if weeks:
        line.append(f"\nHours a week, last {_plural(len(weeks), 'week')}  ")
        line.append_text(sparkline(w.hours for w in weeks))
        most = max(weeks, key=lambda w: w.hours)
        line.append(f"  now {_hours(weeks[-1].hours)} h")
        if most.hours > weeks[-1].hours + 0.05:
            line.append(f" · most {_hours(most.hours)} h (week of {most.start.day} {most.start:%b})")
    return line


def _commitment(c: Commitment) -> Text:
    line = Text.assemble((clean_line(c.title), "bold"), f" · {kind_label(c.kind)} · {c.hours_per_week} h/week")
    if c.waiting_release and c.release_due is not None:
        line.append(f" · released automatically on {c.release_due:%Y-%m-%d} unless you decide", style="dim")
    return line


def _skills(profile: Profile) -> Text:
    claims = strongest(profile.skills, len(profile.skills))
    if not claims:
        return Text("none on their profile", style="dim")
    return Text(" · ").join(Text(f"{clean_line(c.skill)} {c.level}", style="dim" if c.stale else "")
                            for c in claims)


def report_card(report: Report) -> Group:
    profile = report.profile
    person = profile.person
    title = Text(clean_line(person.display_name), style="bold")
    about = [clean_line(x) for x in (person.username, person.title, person.department or "") if x]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row("Time", Text(f"{commitments(profile)} · {profile.hours_left:g} h/week left"))
    engaged = report.engagements
    grid.add_row("Engaged", Text("\n").join(_commitment(c) for c in engaged) if engaged
                 else Text("no engagement under way", style="dim"))
    waiting = report.pending_releases
    grid.add_row("Waiting", Text("\n").join(_commitment(c) for c in waiting) if waiting
                 else Text("no offer waiting for your release", style="dim"))
    grid.add_row("Skills", _skills(profile))
    grid.add_row("Record", Text(f"{_plural(profile.engagements, 'completed engagement')}"))
    return Group(title, Text(" · ".join(about), style="dim"), Text(""), grid)


class TeamScreen(SetsReportTerms, QueueScreen):
    """The actor's direct reports, by name."""

    HELP_NAME = "Team"
    SUBTITLE = "Team"
    TABLE = "#reports"

    BINDINGS = [
        Binding("ctrl+t", "cap", "Time cap", id="team.cap",
                tooltip="Change the highlighted report's marketplace time cap (never below what they hold)"),
        Binding("h", "hours", "Weekly hours", id="team.hours",
                tooltip="Change the highlighted report's contracted hours a week (their cap is a share)"),
        *TEAM_PART_BINDINGS,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.reports: tuple[Report, ...] = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield TeamTabs(REPORTS)
        yield Static("Loading your team…", id="team-intro")
        with Container(id="team-main"):
            yield DataTable(id="reports", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="team-report"):
                yield Static("", id="report-card")
        yield Static(NOBODY, id="team-empty")
        yield MarketFooter()

    @property
    def highlighted(self) -> Report | None:
        tables = self.query("#reports")
        if not tables:
            return None
        row = tables.first(DataTable).cursor_row
        return self.reports[row] if self.reports and 0 <= row < len(self.reports) else None

    def report_for_terms(self) -> Profile | None:
        report = self.highlighted
        return report.profile if report else None

    # ------------------------------------------------------------------ reading (worker thread)

    def _load(self) -> None:
        found = self.app.market.team()
        self.app.call_from_thread(self._show, found)

    # ------------------------------------------------------------------ showing

    def _show(self, found: Team) -> None:
        if not self.is_attached:
            return
        keep = self.highlighted.profile.person.username if self.highlighted else None
        self.reports = found.reports
        self.set_class(not found.reports, "-empty")
        self.query_one("#team-intro", Static).update(intro(found) if found.reports else "")
        names = [r.profile.person.username for r in found.reports]
        self._fill(names.index(keep) if keep in names else self.table.cursor_row)
        self._show_card()
        self.refresh_bindings()

    def _columns(self, width: int) -> tuple[tuple[str, str, int], ...]:
        """(key, label, width) of each column; the skills take what is left."""
        wide = width >= 110
        fixed = (("report", "Report", 22 if wide else 16), ("cap", "Cap", 11), ("committed", "Committed", 9),
                 ("engaged", "Engaged", 7), ("waiting", "Waiting", 7))
        used = sum(w for _, _, w in fixed)
        return (*fixed, ("skills", "Top skills", max(10, width - 2 - 2 * (len(fixed) + 1) - used)))

    def on_resize(self) -> None:
        if self.reports and self.table.size.width:
            self._fill(self.table.cursor_row)

    def _fill(self, row: int) -> None:
        table = self.table
        table.clear(columns=True)
        columns = self._columns(table.size.width or 80)
        numbers = ("cap", "committed", "engaged", "waiting")
        for key, label, width in columns:
            table.add_column(Text(label, justify="right" if key in numbers else "left"), width=width, key=key)
        for report in self.reports:
            profile = report.profile
            person = profile.person
            cells = {
                "report": cell(person.display_name),
                "cap": Text(f"{person.cap_pct}% {person.cap_hours:g} h", justify="right"),
                "committed": Text(f"{profile.committed_hours} h", justify="right",
                                  style="bold" if profile.committed_hours >= person.cap_hours > 0 else ""),
                "engaged": Text(str(len(report.engagements)), justify="right"),
                "waiting": Text(str(len(report.pending_releases)), justify="right",
                                style="bold" if report.pending_releases else "dim"),
                "skills": cell(", ".join(f"{c.skill} {c.level}" for c in report.top_skills) or "—"),
            }
            table.add_row(*(cells[key] for key, _, _ in columns), key=person.username)
        if self.reports:
            table.move_cursor(row=max(0, min(row, len(self.reports) - 1)))

    def _show_card(self) -> None:
        report = self.highlighted
        self.query_one("#report-card", Static).update(report_card(report) if report else "")

    @on(DataTable.RowHighlighted, "#reports")
    def _follow_cursor(self) -> None:
        self._show_card()

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("cap", "hours"):
            # Hidden for someone without reports; greyed out while nobody is highlighted.
            return False if self.has_class("-empty") else self.highlighted is not None or None
        return True
