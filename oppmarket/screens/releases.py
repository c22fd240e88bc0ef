"""The release queue: offers to the actor's direct reports that wait for a decision.

Release in one key, decline with a reason, raise a report's cap or set their
contracted hours (which only a line manager or an admin may). Each request shows
how long is left before it is released automatically; overdue ones are released
(and everyone told) each time the queue is opened, as on every start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from oppmarket import policy
from oppmarket.domain import Application, Opportunity, Person, Profile
from oppmarket.errors import OppMarketError
from oppmarket.render import cell, kind_label
from oppmarket.screens.base import QueueScreen
from oppmarket.text import clean_line
from oppmarket.widgets.prompt import TextPrompt


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


def commitments(profile: Profile) -> str:
    person = profile.person
    return (f"{profile.committed_hours} of {person.cap_hours:g} h/week committed "
            f"(cap {person.cap_pct}% of {person.weekly_hours} h)")


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
            f"offered {app.offered_at:%Y-%m-%d}; released automatically on {due:%Y-%m-%d %H:%M} "
            f"unless you decide: {time_left(due, now)}"))
    return Group(title, Text(" · ".join(about), style="dim"), Text(""), grid)


class ReleasesScreen(QueueScreen):
    """Release requests from the actor's reports, soonest automatic release first."""

    HELP_NAME = "Release queue"
    SUBTITLE = "Release queue"
    TABLE = "#requests"

    BINDINGS = [
        Binding("r", "release", "Release", id="releases.release",
                tooltip="Release the highlighted report's time: they can start"),
        Binding("x", "decline", "Decline", id="releases.decline",
                tooltip="Decline the release, with a reason the report and the owner see"),
        Binding("c", "cap", "Raise cap", id="releases.cap",
                tooltip="Change the highlighted report's marketplace time cap"),
        Binding("h", "hours", "Weekly hours", id="releases.hours",
                tooltip="Change the highlighted report's contracted hours a week (their cap is a share)"),
    ]

    def __init__(self, application_id: int | None = None) -> None:
        super().__init__()
        self.requests: tuple[ReleaseRequest, ...] = ()
        # Opened from a notification: the request it is about is highlighted first.
        self.wanted = application_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading the release queue…", id="releases-intro")
        with Container(id="releases-main"):
            yield DataTable(id="requests", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="release"):
                yield Static("", id="release-card")
        yield Static("", id="releases-empty")
        yield Footer()

    @property
    def highlighted(self) -> ReleaseRequest | None:
        # Asked while the screen is built or taken down too, when the table is not there.
        tables = self.query("#requests")
        if not tables:
            return None
        row = tables.first(DataTable).cursor_row
        return self.requests[row] if self.requests and 0 <= row < len(self.requests) else None

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
                     "When a direct report of yours is offered an opportunity, the offer waits here for you "
                     "to release their time or decline with a reason.")
        else:
            empty = ("Nothing is waiting for your release.\n\n"
                     "When one of your reports is offered an opportunity, it appears here with the hours, "
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

        def run() -> None:
            try:
                market.release(request.application.id)
            except OppMarketError as error:
                self.app.call_from_thread(self.call_failed, error)
            else:
                self.app.call_from_thread(self.notify, f"Released {name} for '{title}'; they and the owner "
                                          "are told", markup=False)
            self._load()  # whatever happened, show the queue as it now is

        self.queue_call(run)

    def action_decline(self) -> None:
        request = self.highlighted
        if request is None:
            return
        market = self.app.market
        app_id = request.application.id
        name = clean_line(request.report.person.display_name)
        title = clean_line(request.opportunity.title)
        text = Text(f"{name} was offered '{title}' ({request.application.hours_per_week} h/week). "
                    f"Say why you cannot release their time: {name} and the owner both see it.")

        self._ask(TextPrompt(f"Decline the release of {name}", text, label="Reason (required)",
                             confirm="Decline release",
                             placeholder="e.g. The quarter-end close needs everyone until April",
                             field="reason", submit=lambda reason: market.decline_release(app_id, reason)),
                  lambda reason: f"Declined the release of {name} for '{title}'")

    def _report_terms(self, why: str) -> tuple[Person, str, Text] | None:
        """The highlighted report, their name fit to show, and what a prompt about
        their terms says first: their commitments, then `why`."""
        request = self.highlighted
        if request is None:
            return None
        name = clean_line(request.report.person.display_name)
        return request.report.person, name, Text(f"{name}: {commitments(request.report)}. {why}")

    def action_cap(self) -> None:
        if (terms := self._report_terms("Their marketplace time may not pass the cap; a higher cap lets "
                                        "offers beyond it go ahead.")) is None:
            return
        person, name, text = terms
        market = self.app.market

        self._ask(TextPrompt(f"Time cap of {name}", text, label="New cap, % of their weekly hours (0-100)",
                             confirm="Set cap", value=str(person.cap_pct), integer=True, field="cap_pct",
                             submit=lambda pct: market.set_cap(person.username, pct)),
                  lambda pct: f"{name}'s cap is now {int(pct)}% ({person.weekly_hours * int(pct) / 100:g} h/week)")

    def action_hours(self) -> None:
        if (terms := self._report_terms("Their time cap is a share of their contracted hours, so it moves "
                                        "with them; they are told.")) is None:
            return
        person, name, text = terms
        market = self.app.market

        def done(hours: str) -> str:
            cap = policy.cap_hours(int(hours), person.cap_pct)
            return f"{name} now works {int(hours)} h/week; their cap is {cap:g} h/week"

        self._ask(TextPrompt(f"Weekly hours of {name}", text, label="Contracted hours a week",
                             confirm="Set hours", value=str(person.weekly_hours), integer=True,
                             field="weekly_hours", submit=lambda hours: market.set_weekly_hours(person.username, hours)),
                  done)

    def _ask(self, prompt: TextPrompt, done: Callable[[str], str]) -> None:
        """Open `prompt`, whose own write acts on the request; once it is written, say
        `done(what was typed)` and show the queue as it now is."""

        def written(text: str | None) -> None:
            if text is not None:
                self.notify(done(text), markup=False)
                self.queue_call(self._load)

        self.app.push_screen(prompt, written)
