"""Why an opportunity fits you: the match score term by term, and what would raise it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from oppmarket.matching import Match
from oppmarket.render import match_explanation


class MatchExplanation(Static):
    """Shows one `Match`, or says that none is known."""

    DEFAULT_CSS = """
    MatchExplanation {
        height: auto;
    }
    """

    def __init__(self, match: Match | None = None, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.match = match

    def on_mount(self) -> None:
        self.show(self.match)

    def show(self, match: Match | None) -> None:
        self.match = match
        if match is None:
            self.update(Text("Your match is not known for this one.", style="dim"))
        else:
            self.update(match_explanation(match))
