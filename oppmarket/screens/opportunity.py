"""One opportunity in full: what it is, its kind's own details (learning steps and
certification, shadowing host, mentorship topics), and why it fits you, term by term."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Header, Static
from textual.worker import Worker, get_current_worker

from oppmarket import lifecycle
from oppmarket.domain import Opportunity
from oppmarket.errors import NotFound
from oppmarket.lifecycle import OppStatus
from oppmarket.matching import Match
from oppmarket.render import opportunity_facts, opportunity_heading, standing_line, status_label
from oppmarket.screens.base import MarketScreen
from oppmarket.widgets.footer import MarketFooter
from oppmarket.widgets.match_explanation import MatchExplanation

# Why a posting takes no applications, for the statuses that need more than their name.
STATUS_WORDS = {
    OppStatus.CLOSED: "Closed: it takes no more applicants.",
    OppStatus.DRAFT: "A draft: only you can see it until you publish it.",
}


@dataclass(frozen=True)
class OpportunityView:
    """What the screen shows: the opportunity, the actor's match, the shadowing
    host's name (when it has a host) and the status of the actor's own application
    (None when they have none)."""

    opportunity: Opportunity
    match: Match
    host_name: str | None
    standing: str | None = None


class OpportunityScreen(MarketScreen):
    """Everything about one opportunity; `a` applies, escape goes back."""

    HELP_NAME = "Opportunity"

    BINDINGS = [
        Binding("a", "apply", "Apply", id="opportunity.apply", tooltip="Apply for this opportunity"),
        Binding("escape", "back", "Back", id="opportunity.back", tooltip="Back to where you were"),
        Binding("f5", "reload", "Reload", show=False, id="opportunity.reload", tooltip="Fetch it again"),
    ]

    def __init__(self, opportunity_id: int) -> None:
        super().__init__()
        self.opportunity_id = opportunity_id
        self.view: OpportunityView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="opportunity"):
            yield Static("", id="opportunity-heading")
            yield Static("", id="opportunity-status")
            yield Static("Why it fits you", classes="section-title")
            yield MatchExplanation(id="opportunity-match")
            yield Static("About it", classes="section-title")
            yield Static("", id="opportunity-facts")
        yield MarketFooter()

    def on_mount(self) -> None:
        self.query_one("#opportunity").loading = True

    def on_screen_resume(self) -> None:
        # Also after the apply form closes: seats and status may have changed.
        self.load()

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply":
            return True if self.view is not None and self._why_not_apply(self.view) is None else None
        return True

    def _why_not_apply(self, view: OpportunityView) -> Text | str | None:
        opp = view.opportunity
        me = self.app.me
        if me is not None and opp.owner_username == me.username:
            return "You posted this, so you cannot apply."
        if lifecycle.is_in(view.standing):
            return standing_line(view.standing)
        if not lifecycle.allows("apply", opp.status, of="opportunity"):
            return STATUS_WORDS.get(opp.status, f"{status_label(opp.status, of='opportunity')}.")
        return None

    def action_apply(self) -> None:
        if self.view is not None:
            self.app.open_apply(self.view.opportunity.id)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.load()

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, exit_on_error=False, group="opportunity")
    def load(self) -> None:
        market = self.app.market
        opp = market.opportunity(self.opportunity_id)
        match = market.match(self.opportunity_id)
        host_name = market.person(opp.host_username).display_name if opp.host_username else None
        standing = market.my_statuses([opp.id]).get(opp.id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, OpportunityView(opp, match, host_name, standing))

    def _show(self, view: OpportunityView) -> None:
        self.view = view
        opp = view.opportunity
        self.query_one("#opportunity").loading = False
        self.query_one("#opportunity-heading", Static).update(opportunity_heading(opp))
        why_not = self._why_not_apply(view)
        if isinstance(why_not, Text):
            status = why_not
        elif why_not:
            status = Text(why_not, style="bold")
        elif opp.seats_left == 0:
            status = Text("Every seat is taken for now; you may still apply, as a seat frees up "
                          "when an offer falls through. Press a to apply.")
        else:
            status = Text("Open for applications. Press a to apply.")
        self.query_one("#opportunity-status", Static).update(status)
        self.query_one(MatchExplanation).show(view.match)
        self.query_one("#opportunity-facts", Static).update(opportunity_facts(opp, host_name=view.host_name))
        self.refresh_bindings()

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        self.query_one("#opportunity").loading = False
        if isinstance(error, NotFound) and self.view is None:
            self.query_one("#opportunity-heading", Static).update(
                Text(f"This opportunity is not there any more ({error}). Escape goes back."))
