"""The release queue: offers to the actor's direct reports that wait for a decision.

Release (asked once more, as it cannot be taken back), decline with a reason, set a
report's cap or their contracted hours (which only a line manager or an admin may).
The other part of the team view, the reports themselves, is `1` (`oppmarket.screens.team`). Each request shows
how long is left before it is released automatically; overdue ones are released
(and everyone told) each time the queue is opened, as on every start.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.widgets import DataTable, Header, Static

from oppmarket.domain import Application, Opportunity, Profile
from oppmarket.errors import OppMarketError
from oppmarket.render import cell, kind_label
from oppmarket.screens.base import QueueScreen
from oppmarket.text import clean_line
from oppmarket.widgets.confirm import ConfirmDialog
from oppmarket.widgets.footer import MarketFooter
from oppmarket.widgets.prompt import TextPrompt
from oppmarket.widgets.report_terms import SetsReportTerms, commitments
from oppmarket.widgets.team_tabs import RELEASES, TEAM_PART_BINDINGS, TeamTabs


@dataclass(frozen=True)
class ReleaseRequest:
    """An offer waiting for the manager, with what they need to decide on it."""

    application: Application
    opportunity: Opportunity
    report: Profile


@dataclass(frozen=True)
class Queue:
    requests: tuple[ReleaseRequest, ...]
    has_reports: bool
    auto_days: int
    released_now: int  # overdue requests granted automatically by this load


def time_left(due: dt.datetime | None, now: dt.datetime) -> str:
    """'4 days left', '5 h left', or 'due now'."""
    if due is None:
        return "—"
    left = due - now
    if left <= dt.timedelta(0):
        return "due now"
    if left >= dt.timedelta(days=1):
        return f"{left.days} day{'s' if left.days != 1 else ''} left"
    hours = -(-left.seconds // 3600)  # a part-hour counts as an hour
    return f"{hours} h left"


def _dates(opp: Opportunity) -> str:
    start = opp.start.isoformat() if opp.start else "any time"
    end = opp.end.isoformat() if opp.end else "open-ended"
    return f"{start} → {end}"


def _who(profile: Profile) -> str:
    person = profile.person
    return f"{clean_line(person.display_name)} ({clean_line(person.username)})"


def request_card(request: ReleaseRequest, now: dt.datetime) -> Group:
    app, opp, report = request.application, request.opportunity, request.report
    person = report.person
    title = Text(_who(report), style="bold")
    about = [clean_line(x) for x in (person.title, person.department or "") if x]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row("Offer", Text.assemble((clean_line(opp.title), "bold"), f" · {kind_label(opp.kind)} · owner ",
                                        f"{clean_line(opp.owner_name)} ({clean_line(opp.owner_username)})"))
    grid.add_row("Time", Text(f"{app.hours_per_week} h/week · {_dates(opp)}"))
    grid.add_row("Now", Text(f"{commitments(report)}, this offer included"))
    due = app.release_due
    if due is not None:
        grid.add_row("Deadline", Text(
            f"accepted {app.accepted_at or app.offered_at:%Y-%m-%d}; released automatically on {due:%Y-%m-%d %H:%M} "
            f"unless you decide: {time_left(due, now)}"))
    return Group(title, Text(" · ".join(about), style="dim"), Text(""), grid)


class ReleasesScreen(SetsReportTerms, QueueScreen):
    """Release requests from the actor's reports, soonest automatic release first."""

    HELP_NAME = "Release queue"
    SUBTITLE = "Release queue"
    TABLE = "#requests"

    BINDINGS = [
        Binding("r", "release", "Release", id="releases.release",
                tooltip="Release the highlighted report's time: they can start (asks first)"),
        Binding("x", "decline", "Decline", id="releases.decline",
                tooltip="Decline the release, with a reason the report and the owner see"),
        Binding("ctrl+t", "cap", "Time cap", id="releases.cap",
                tooltip="Change the highlighted report's marketplace time cap (never below what they hold)"),
        Binding("h", "hours", "Weekly hours", id="releases.hours",
                tooltip="Change the highlighted report's contracted hours a week (their cap is a share)"),
        *TEAM_PART_BINDINGS,
    ]

    def __init__(self, application_id: int | None = None) -> None:
        super().__init__()
        self.requests: tuple[ReleaseRequest, ...] = ()
        # Opened from a notification: the request it is about is highlighted first.
        self.wanted = application_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield TeamTabs(RELEASES)
        yield Static("Loading the release queue…", id="releases-intro")
        with Container(id="releases-main"):
            yield DataTable(id="requests", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="release"):
                yield Static("", id="release-card")
        yield Static("", id="releases-empty")
        yield MarketFooter()

    @property
    def highlighted(self) -> ReleaseRequest | None:
        # Asked while the screen is built or taken down too, when the table is not there.
        tables = self.query("#requests")
        if not tables:
            return None
        row = tables.first(DataTable).cursor_row
        return self.requests[row] if self.requests and 0 <= row < len(self.requests) else None

    def report_for_terms(self) -> Profile | None:
        request = self.highlighted
        return request.report if request else None

    # ------------------------------------------------------------------ reading (worker thread)

    def _fetch(self) -> Queue:
        market = self.app.market
        released = market.run_maintenance()
        me = market.whoami()
        requests = []
        opportunities: dict[int, Opportunity] = {}
        for app in market.pending_releases():
            if app.opportunity_id not in opportunities:
                opportunities[app.opportunity_id] = market.opportunity(app.opportunity_id)
            requests.append(ReleaseRequest(app, opportunities[app.opportunity_id],
                                           market.profile(app.applicant_username)))
        return Queue(tuple(requests), me.has_reports, market.release_auto_days(), released)

    def _load(self) -> None:
        queue = self._fetch()
        self.app.call_from_thread(self._show, queue)

    # ------------------------------------------------------------------ showing

    def _show(self, queue: Queue) -> None:
        if not self.is_attached:
            return  # an answer that came back after the screen was closed
        keep = self.highlighted.application.id if self.highlighted else self.wanted
        self.requests = queue.requests
        days = f"{queue.auto_days} day{'s' if queue.auto_days != 1 else ''}"
        waiting = len(queue.requests)
        intro = Text.assemble(
            (f"{waiting} offer{'s' if waiting != 1 else ''} waiting for your release" if waiting
             else "Nothing waiting for your release", "bold"),
            f" · undecided offers are released automatically after {days}: silence is not a veto")
        self.query_one("#releases-intro", Static).update(intro)
        self.set_class(not waiting, "-empty")
        if not queue.has_reports:
            empty = ("Nobody reports to you, so no release requests come to you.\n\n"
                     "When a direct report of yours accepts an offer, it waits here for you "
                     "to release their time or decline with a reason.")
        else:
            empty = ("Nothing is waiting for your release.\n\n"
                     "When one of your reports accepts an offer, it appears here with the hours, "
                     f"the dates and their current commitments. Decide within {days}, or it is released "
                     "automatically.")
        self.query_one("#releases-empty", Static).update(empty)

        ids = [r.application.id for r in queue.requests]
        self._fill(ids.index(keep) if keep in ids else self.table.cursor_row)
        self._show_card()
        self.refresh_bindings()
        if queue.released_now:
            n = queue.released_now
            self.notify(f"{n} offer{'s were' if n != 1 else ' was'} released automatically: no decision "
                        "came in time", markup=False)

    def _columns(self, width: int) -> tuple[tuple[str, str, int], ...]:
        """(key, label, width) of each column; the dates only where they fit (the
        card below always shows them)."""
        wide = width >= 110
        fixed = (("hours", "h/wk", 4), ("committed", "Committed", 9), ("left", "Auto-release", 12))
        report = ("report", "Report", 22 if wide else 16)
        dates = ("dates", "Dates", 23)
        used = sum(w for _, _, w in fixed) + report[2] + (dates[2] if wide else 0)
        count = len(fixed) + 2 + (1 if wide else 0)
        title = ("opportunity", "Opportunity", max(12, width - 2 - 2 * count - used))
        middle = (title, dates) if wide else (title,)
        return (report, *middle, *fixed)

    def on_resize(self) -> None:
        if self.requests and self.table.size.width:
            self._fill(self.table.cursor_row)

    def _fill(self, row: int) -> None:
        table = self.table
        now = self.app.market.clock()
        columns = self._columns(table.size.width or 80)
        table.clear(columns=True)
        for key, label, width in columns:
            table.add_column(Text(label, justify="right" if key in ("hours", "committed") else "left"),
                             width=width, key=key)
        for request in self.requests:
            app, opp, report = request.application, request.opportunity, request.report
            person = report.person
            cells = {
                "report": cell(person.display_name),
                "opportunity": cell(opp.title),
                "hours": Text(str(app.hours_per_week), justify="right"),
                "dates": cell(_dates(opp)),
                "committed": Text(f"{report.committed_hours}/{person.cap_hours:g} h", justify="right"),
                "left": Text(time_left(app.release_due, now)),
            }
            table.add_row(*(cells[key] for key, _, _ in columns), key=str(app.id))
        if self.requests:
            table.move_cursor(row=max(0, min(row, len(self.requests) - 1)))

    def _show_card(self) -> None:
        request = self.highlighted
        card = self.query_one("#release-card", Static)
        card.update(request_card(request, self.app.market.clock()) if request else "")

    @on(DataTable.RowHighlighted, "#requests")
    def _follow_cursor(self) -> None:
        self._show_card()

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("release", "decline", "cap", "hours"):
            return self.highlighted is not None or None
        return True

    def action_release(self) -> None:
        request = self.highlighted
        if request is None:
            return
        market = self.app.market
        name = clean_line(request.report.person.display_name)
        title = clean_line(request.opportunity.title)

        hours = request.application.hours_per_week

        def run() -> None:
            try:
                market.release(request.application.id)
            except OppMarketError as error:
                self.app.call_from_thread(self.call_failed, error)
            else:
                self.app.call_from_thread(self.notify, f"Released {name} for '{title}'; they and the owner "
                                          "are told", markup=False)
            self._load()  # whatever happened, show the queue as it now is

        def answered(yes: bool | None) -> None:
            if yes:
                self.queue_call(run)

        # A release tells the report and the owner at once, and cannot be taken back.
        self.app.push_screen(ConfirmDialog(f"Release {name}'s time?",
                                           f"{name} starts '{title}' ({hours} h/week); they and the owner "
                                           "are told now, and a release cannot be taken back.",
                                           yes="Release", no="Not yet"), answered)

    def action_decline(self) -> None:
        request = self.highlighted
        if request is None:
            return
        market = self.app.market
        app_id = request.application.id
        name = clean_line(request.report.person.display_name)
        title = clean_line(request.opportunity.title)
        text = Text(f"{name} accepted an offer of '{title}' ({request.application.hours_per_week} h/week). "
                    f"Say why you cannot release their time: {name} and the owner both see it.")

        self.ask_then_reload(
            TextPrompt(f"Decline the release of {name}", text, label="Reason (required)", confirm="Decline release",
                       placeholder="e.g. The quarter-end close needs everyone until April",
                       field="reason", submit=lambda reason: market.decline_release(app_id, reason)),
            lambda reason: f"Declined the release of {name} for '{title}'")
