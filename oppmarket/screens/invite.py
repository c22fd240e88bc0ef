"""Invite candidates: for the owner of an open posting, the people open to invitations
who fit it best, each with their match term by term; n invites the highlighted one to
apply. An invitation is a notification: whether to apply stays their choice."""

from __future__ import annotations

import datetime as dt

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.widgets import DataTable, Header, Static

from oppmarket.domain import Candidate, Opportunity
from oppmarket.errors import OppMarketError
from oppmarket.render import cell, kind_label
from oppmarket.screens.base import QueueScreen
from oppmarket.text import clean_line
from oppmarket.widgets.applicant_card import required_levels
from oppmarket.widgets.footer import MarketFooter
from oppmarket.widgets.match_explanation import MatchExplanation
from oppmarket.widgets.prompt import TextPrompt

# How many candidates the screen lists: enough to choose from, few enough to read.
SHOWN = 20


def _day(value: dt.datetime | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def candidate_card(candidate: Candidate) -> Group:
    """Who a candidate is, their time and record, and whether they were invited; their
    match follows, term by term, below it."""
    person = candidate.profile.person
    title = Text(clean_line(person.display_name), style="bold")
    if person.title:
        title.append(f" · {clean_line(person.title)}", style="")
    facts = [clean_line(person.username)] + [clean_line(x) for x in (person.department or "",) if x]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row("Time", Text(f"{candidate.profile.hours_left:g} of {person.cap_hours:g} h/week left under "
                              f"their cap"))
    record = f"{candidate.completed} past engagement{'s' if candidate.completed != 1 else ''}"
    if candidate.mean_rating is not None:
        record += f", mean rating {candidate.mean_rating:.1f}/5"
    grid.add_row("Record", Text(record if candidate.completed else "no past engagements"))
    if candidate.invited_at is not None:
        grid.add_row("Invited", Text(f"on {_day(candidate.invited_at)}: it is up to them to apply"))
    else:
        grid.add_row("Invited", Text("not yet: n invites them to apply", style="dim"))
    return Group(title, Text(" · ".join(facts), style="dim"), grid)


class InviteScreen(QueueScreen):
    """The best-matching people open to invitations for one of the actor's postings."""

    HELP_NAME = "Invite candidates"
    SUBTITLE = "Invite candidates"
    TABLE = "#candidates"
    CSS_PATH = "invite.tcss"

    BINDINGS = [
        Binding("n", "invite", "Invite", id="invite.invite",
                tooltip="Invite the highlighted person to apply: they are told in their inbox, and choose"),
        Binding("f5", "reload", "Reload", show=False, id="invite.reload", tooltip="Fetch the candidates again"),
        Binding("escape", "back", "Back", id="invite.back", tooltip="Back to where you came from"),
    ]

    def __init__(self, opportunity_id: int) -> None:
        super().__init__()
        self.opportunity_id = opportunity_id
        self.opportunity: Opportunity | None = None
        self.candidates: tuple[Candidate, ...] = ()
        self.problem: str | None = None  # why nobody can be shown, if so

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Finding the people who fit…", id="invite-summary")
        with Container(id="invite-main"):
            yield DataTable(id="candidates", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="candidate"):
                yield Static("", id="candidate-card")
                yield MatchExplanation(theirs=True, id="candidate-match")
        yield Static("", id="invite-empty")
        yield MarketFooter()

    @property
    def highlighted(self) -> Candidate | None:
        tables = self.query("#candidates")
        if not tables:
            return None
        row = tables.first(DataTable).cursor_row
        return self.candidates[row] if self.candidates and 0 <= row < len(self.candidates) else None

    # ------------------------------------------------------------------ reading (worker thread)

    def _load(self) -> None:
        market = self.app.market
        try:
            opp = market.opportunity(self.opportunity_id)
            found = tuple(market.candidates(self.opportunity_id, limit=SHOWN))
        except OppMarketError as error:
            self.app.call_from_thread(self._cannot_show, str(error))
            return
        self.app.call_from_thread(self._show, opp, found)

    def action_reload(self) -> None:
        self.queue_call(self._load)

    # ------------------------------------------------------------------ showing

    def _cannot_show(self, message: str) -> None:
        if self.is_attached:
            self.problem = message
            self.candidates = ()
            self._render_all()

    def _show(self, opp: Opportunity, found: tuple[Candidate, ...]) -> None:
        if not self.is_attached:
            return  # an answer that came back after the screen was closed
        self.problem = None
        self.opportunity = opp
        self.candidates = found
        self._render_all()

    def _render_all(self) -> None:
        keep = self.highlighted.profile.person.username if self.highlighted else None
        self._show_summary()
        self.set_class(not self.candidates, "-empty")
        self.query_one("#invite-empty", Static).update(Text(self._empty_text()))
        names = [c.profile.person.username for c in self.candidates]
        self._fill(names.index(keep) if keep in names else 0)
        self._show_card()
        self.refresh_bindings()

    def _empty_text(self) -> str:
        if self.problem:
            return self.problem
        if self.opportunity is None:
            return ""
        return (f"Nobody open to invitations is left to invite to '{clean_line(self.opportunity.title)}'.\n\n"
                "People say on their profile (u, then n) whether owners may invite them; who has applied "
                "already is in your review of the applicants.")

    def _show_summary(self) -> None:
        opp = self.opportunity
        summary = self.query_one("#invite-summary", Static)
        if opp is None:
            summary.update(Text("Invite candidates"))
            return
        title = Text(clean_line(opp.title), style="bold", no_wrap=True, overflow="ellipsis")
        title.append(f" · {kind_label(opp.kind)} · {opp.hours_per_week} h/week", style="")
        invited = sum(c.invited_at is not None for c in self.candidates)
        found = (f"the {len(self.candidates)} best-matching of the people open to invitations"
                 + (f", {invited} invited" if invited else "") + " · each decides whether to apply"
                 if self.candidates else "nobody to invite")
        facts = Text.assemble((f"Seats: {opp.seats_left} of {opp.seats} left", "bold"), " · ", (found, "dim"))
        summary.update(Group(title, facts))

    def on_resize(self) -> None:
        if self.candidates and self.table.size.width:
            self._fill(self.table.cursor_row)

    def _fill(self, row: int) -> None:
        table = self.table
        width = table.size.width or 80
        wide = width >= 100
        fixed = (("score", "Match", 5), ("invited", "Invited", 10))
        department = ("department", "Department", 16) if wide else None
        name = ("name", "Name", 20 if wide else 16)
        columns = [name, *([department] if department else []), *fixed]
        used = sum(w for _, _, w in columns)
        skills = ("skills", "Required skills (theirs/asked)", max(12, width - 2 - 2 * (len(columns) + 1) - used))
        columns.insert(len(columns) - 2, skills)
        table.clear(columns=True)
        for key, label, column_width in columns:
            table.add_column(Text(label, justify="right" if key == "score" else "left"), width=column_width,
                             key=key)
        for candidate in self.candidates:
            person = candidate.profile.person
            skills = required_levels(candidate.profile, self.opportunity)
            skills.no_wrap, skills.overflow = True, "ellipsis"
            cells = {
                "name": cell(person.display_name),
                "department": cell(person.department or ""),
                "skills": skills,
                "score": Text(str(candidate.match.score), justify="right", style="bold"),
                "invited": Text(_day(candidate.invited_at)) if candidate.invited_at else Text("—", style="dim"),
            }
            table.add_row(*(cells[key] for key, _, _ in columns), key=person.username)
        if self.candidates:
            table.move_cursor(row=max(0, min(row, len(self.candidates) - 1)))

    def _show_card(self) -> None:
        candidate = self.highlighted
        self.query_one("#candidate-card", Static).update(candidate_card(candidate) if candidate else "")
        self.query_one("#candidate-match", MatchExplanation).show(candidate.match if candidate else None)

    @on(DataTable.RowHighlighted, "#candidates")
    def _follow_cursor(self) -> None:
        self._show_card()
        self.refresh_bindings()

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "invite":
            candidate = self.highlighted
            return (candidate is not None and candidate.invited_at is None) or None
        return True

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.open_my_work("postings")

    def action_invite(self) -> None:
        candidate, opp = self.highlighted, self.opportunity
        if candidate is None or opp is None or candidate.invited_at is not None:
            return
        market = self.app.market
        person = candidate.profile.person
        name = clean_line(person.display_name)
        title = clean_line(opp.title)
        text = Text(f"{name} matches '{title}' {candidate.match.score}/100. They are told in their inbox, "
                    "with your message if you write one, and a link to the posting; whether to apply is "
                    "up to them. You can invite each person once.")

        def sent(message: str | None) -> None:
            if message is not None:
                self.notify(f"Invited {name} to apply to '{title}'", markup=False)
                self.queue_call(self._load)

        self.app.push_screen(
            TextPrompt(f"Invite {name} to apply?", text, label="Message to them (optional)", confirm="Invite",
                       placeholder="e.g. Your Kubernetes work would help us a lot here", field="message",
                       submit=lambda message: market.invite(opp.id, person.username, message)),
            sent)
