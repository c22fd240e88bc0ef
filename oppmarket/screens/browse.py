"""Browse: every open opportunity, newest first, with a detail pane."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from oppmarket.domain import Page
from oppmarket.screens.base import MarketErrors
from oppmarket.widgets.opportunity_detail import OpportunityDetail
from oppmarket.widgets.opportunity_table import OpportunityTable

EMPTY = ("No open opportunities yet.\n\n"
         "When someone posts a gig, a mentorship, a volunteering role, a shadowing day or "
         "a learning path, it appears here.")


class BrowseScreen(MarketErrors, Screen):
    """The list of open opportunities, fetched a page at a time."""

    HELP_NAME = "Browse"

    PAGE_SIZE = 200

    BINDINGS = [
        Binding("r", "reload", "Reload", id="browse.reload",
                tooltip="Fetch the list again from the start"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="browse"):
            yield OpportunityTable(id="opportunities")
            yield OpportunityDetail(id="detail")
            yield Static(EMPTY, id="browse-empty")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.app.who_line()
        self.action_reload()

    @property
    def table(self) -> OpportunityTable:
        return self.query_one("#opportunities", OpportunityTable)

    def action_reload(self) -> None:
        self.table.loading = True
        self.load_first_page()

    # ------------------------------------------------------------------ workers

    @work(thread=True, exclusive=True, exit_on_error=False, group="browse-page")
    def load_first_page(self) -> None:
        market = self.app.market
        count = market.count_opportunities("open")
        page = market.opportunities(status="open", limit=self.PAGE_SIZE)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_first_page, count, page)

    @work(thread=True, exclusive=True, exit_on_error=False, group="browse-page")
    def load_next_page(self, after: int) -> None:
        page = self.app.market.opportunities(status="open", limit=self.PAGE_SIZE, after_id=after)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._append_page, after, page)

    # ------------------------------------------------------------------ results

    def _show_first_page(self, count: int, page: Page) -> None:
        table = self.table
        table.loading = False
        self.sub_title = self.app.who_line(f"{count} open")
        self.set_class(not page.items, "-empty")
        table.show_page(page)
        self.query_one(OpportunityDetail).show(table.highlighted)

    def _append_page(self, after: int, page: Page) -> None:
        table = self.table
        if table.next_after == after:  # not a stale answer to a list since reloaded
            table.append_page(page)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A cancelled worker was replaced by a newer one, which will finish the job.
        if event.state == WorkerState.ERROR and event.worker.group == "browse-page":
            self.table.loading = False
            self.table.page_failed()

    # ------------------------------------------------------------------ events

    @on(OpportunityTable.NearEnd)
    def _fetch_more(self, event: OpportunityTable.NearEnd) -> None:
        self.load_next_page(event.after)

    @on(DataTable.RowHighlighted, "#opportunities")
    def _follow_cursor(self, event: DataTable.RowHighlighted) -> None:
        self.query_one(OpportunityDetail).show(self.table.opportunity_at(event.cursor_row))
