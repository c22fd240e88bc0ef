"""The moment between opening the database and knowing where the user belongs."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, LoadingIndicator, Static
from textual.worker import Worker, get_current_worker

from oppmarket.domain import Person
from oppmarket.widgets.failures import ReportsFailedWorkers
from oppmarket.widgets.footer import MarketFooter


@dataclass(frozen=True)
class Arrival:
    """What the user finds: an empty marketplace, or one with (or without) them in it."""

    empty: bool
    me: Person | None


class StartingScreen(ReportsFailedWorkers, Screen):
    """Runs the start-up checks in a worker, then hands over to the app."""

    HELP_NAME = "Starting"

    def __init__(self, *, maintenance: bool = False) -> None:
        super().__init__()
        self.maintenance = maintenance

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="starting"):
            yield LoadingIndicator()
            yield Static("Opening the marketplace…", id="starting-message")
        yield MarketFooter()

    def on_mount(self) -> None:
        # Start after the first refresh, so the header has settled before the screen
        # can be replaced.
        self.call_after_refresh(self.arrive)

    @work(thread=True, exclusive=True, exit_on_error=False, group="arrive")
    def arrive(self) -> None:
        market = self.app.market
        if self.maintenance:
            market.run_maintenance()
        if market.is_empty():
            arrival = Arrival(empty=True, me=None)
        elif market.actor is None or not market.has_profile():
            arrival = Arrival(empty=False, me=None)
        else:
            arrival = Arrival(empty=False, me=market.whoami())
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.app.arrive, arrival)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        self.query_one(LoadingIndicator).display = False
        message = self.query_one("#starting-message", Static)
        message.update(Text.assemble(("Could not open the marketplace: ", "bold"), str(error),
                                     "\n\nPress q to quit."))
