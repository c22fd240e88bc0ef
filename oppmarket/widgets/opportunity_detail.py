"""The detail pane beside or below a list of opportunities."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from oppmarket.domain import Opportunity
from oppmarket.render import opportunity_detail


class OpportunityDetail(VerticalScroll):
    """Shows one opportunity as a card; scrolls when the description is long."""

    DEFAULT_CSS = """
    OpportunityDetail {
        padding: 0 1;
    }
    OpportunityDetail > Static {
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.opportunity: Opportunity | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Nothing selected.", style="dim"), id="detail-card")

    def show(self, opportunity: Opportunity | None) -> None:
        if opportunity is not None and opportunity == self.opportunity:
            return
        self.opportunity = opportunity
        card = self.query_one("#detail-card", Static)
        if opportunity is None:
            card.update(Text("Nothing selected.", style="dim"))
        else:
            card.update(opportunity_detail(opportunity))
        self.scroll_home(animate=False)
