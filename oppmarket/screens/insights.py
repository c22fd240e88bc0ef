"""Insights: participation, equal access, the release ledger, hours unlocked, core
work and skills gained over a period, for whoever `policy.insights_scope` lets the
actor look at. Counted in a thread worker while a loading indicator shows; a new
period counts again. One tab per section."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, VerticalScroll
from textual.widgets import Header, Select, Static, TabbedContent, TabPane
from textual.worker import Worker, get_current_worker

from oppmarket.insights import Insights
from oppmarket.render_insights import SECTIONS, empty_words, heading, section
from oppmarket.screens.base import MarketScreen
from oppmarket.widgets.footer import MarketFooter

PERIODS = ((30, "Last 30 days"), (90, "Last 90 days"), (365, "Last 365 days"), (0, "All time"))
"""(days, words) of each period on offer; 0 days: all time."""
DEFAULT_DAYS = 365


class InsightsScreen(MarketScreen):
    """The period's figures, one section a tab."""

    HELP_NAME = "Insights"
    SUBTITLE = "insights"

    BINDINGS = [
        Binding("d", "next_period", "Period", id="insights.period",
                tooltip="Next period: last 30, 90 or 365 days, or all time"),
        Binding("1", "section(1)", "Section", key_display="1-6", id="insights.section1",
                tooltip="Go to a section: participation, equal access, releases, hours, core work, skills"),
        *(Binding(str(n), f"section({n})", title, show=False, id=f"insights.section{n}", tooltip=f"Go to {title}")
          for n, (_, title) in enumerate(SECTIONS[1:], start=2)),
        Binding("f5", "reload", "Reload", show=False, id="insights.reload", tooltip="Count again"),
        Binding("escape", "app.go('browse')", "Back", id="insights.back", tooltip="Back to browse"),
    ]

    def __init__(self, days: int = DEFAULT_DAYS) -> None:
        super().__init__()
        self.days = days
        self.counted: Insights | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="insights-bar"):
            yield Static("", id="insights-heading")
            yield Select([(words, days) for days, words in PERIODS], value=self.days, allow_blank=False,
                         compact=True, id="insights-period", tooltip="The period the figures count")
        with Container(id="insights-body"):
            with TabbedContent(id="insights-tabs"):
                for name, title in SECTIONS:
                    with TabPane(title, id=f"tab-{name}"):
                        with VerticalScroll():
                            yield Static("", id=f"insights-{name}", classes="insights-section")
            yield Static("", id="insights-empty")
        yield MarketFooter()

    def on_mount(self) -> None:
        # Let the screen and its loading indicator paint before the counting starts.
        self.query_one("#insights-body").loading = True
        self.call_after_refresh(self.action_reload)

    # ------------------------------------------------------------------ counting (worker thread)

    def since(self) -> dt.date | None:
        """The first day of the chosen period, today included in it."""
        if not self.days:
            return None
        return self.app.market.clock().date() - dt.timedelta(days=self.days - 1)

    def action_reload(self) -> None:
        self.query_one("#insights-body").loading = True
        self.count(self.days, self.since())

    @work(thread=True, exclusive=True, exit_on_error=False, group="insights")
    def count(self, days: int, since: dt.date | None) -> None:
        found = self.app.market.insights(since=since)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._counted, days, found)

    def _counted(self, days: int, found: Insights) -> None:
        if not self.is_attached or days != self.days:
            return  # closed meanwhile, or counting another period already
        self.counted = found
        self.query_one("#insights-body").loading = False
        self.query_one("#insights-heading", Static).update(heading(found))
        self.set_class(found.empty, "-empty")
        self.query_one("#insights-empty", Static).update(Text(empty_words(found)) if found.empty else "")
        for name, _ in SECTIONS:
            self.query_one(f"#insights-{name}", Static).update(section(name, found))

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "insights":
            self.query_one("#insights-body").loading = False

    # ------------------------------------------------------------------ keys

    def action_next_period(self) -> None:
        days = [d for d, _ in PERIODS]
        self.query_one("#insights-period", Select).value = days[(days.index(self.days) + 1) % len(days)]

    @on(Select.Changed, "#insights-period")
    def _period_changed(self, event: Select.Changed) -> None:
        if event.value != self.days and isinstance(event.value, int):
            self.days = event.value
            self.action_reload()

    def action_section(self, number: int) -> None:
        name, _ = SECTIONS[number - 1]
        self.query_one(TabbedContent).active = f"tab-{name}"
