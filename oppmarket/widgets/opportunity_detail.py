"""The detail pane beside or below a list of opportunities."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from oppmarket.domain import Opportunity
from oppmarket.render import found_by, opportunity_facts, opportunity_heading, standing_line
from oppmarket.widgets.match_explanation import MatchExplanation
from oppmarket.widgets.opportunity_table import Listed


class OpportunityDetail(VerticalScroll):
    """Shows one listed opportunity: what it is, where you stand when you are in it,
    what a search matched in it and your match term by term, then owner, dates,
    skills and description. Scrolls when long.
    Give `#detail-body` a horizontal layout where the pane is wide: the match then
    sits beside the description instead of above it."""

    DEFAULT_CSS = """
    OpportunityDetail {
        padding: 0 1;
    }
    OpportunityDetail Static {
        width: 1fr;
        height: auto;
    }
    OpportunityDetail #detail-body {
        layout: vertical;
        height: auto;
        margin-top: 1;
    }
    OpportunityDetail #detail-why, OpportunityDetail #detail-about {
        width: 1fr;
        height: auto;
    }
    OpportunityDetail #detail-body #detail-about {
        margin-top: 1;
    }
    OpportunityDetail #detail-found {
        margin-bottom: 1;
    }
    OpportunityDetail #detail-found.-none {
        display: none;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.listed: Listed | None = None

    @property
    def opportunity(self) -> Opportunity | None:
        return self.listed.opportunity if self.listed else None

    def compose(self) -> ComposeResult:
        yield Static(Text("Nothing selected.", style="dim"), id="detail-heading")
        yield Static("", id="detail-standing")
        with Horizontal(id="detail-body"):
            with Vertical(id="detail-why"):
                yield Static("", id="detail-found", classes="-none")
                yield MatchExplanation(id="detail-match")
            with Vertical(id="detail-about"):
                yield Static("", id="detail-card")

    def show(self, listed: Listed | None) -> None:
        if listed is not None and listed == self.listed:
            return
        self.listed = listed
        heading = self.query_one("#detail-heading", Static)
        found = self.query_one("#detail-found", Static)
        explanation = self.query_one(MatchExplanation)
        card = self.query_one("#detail-card", Static)
        standing = self.query_one("#detail-standing", Static)
        standing.display = listed is not None and bool(standing_line(listed.standing))
        self.query_one("#detail-body").display = listed is not None
        if listed is None:
            heading.update(Text("Nothing selected.", style="dim"))
            found.set_class(True, "-none")
            return
        heading.update(opportunity_heading(listed.opportunity))
        standing.update(standing_line(listed.standing))
        found.update(found_by(listed.why) if listed.why else "")
        found.set_class(not listed.why, "-none")
        explanation.show(listed.match)
        card.update(opportunity_facts(listed.opportunity))
        self.scroll_home(animate=False)
