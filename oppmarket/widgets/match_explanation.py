"""Why an opportunity fits you (or, to an owner, fits someone): the match score term
by term, and what would raise it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from oppmarket.matching import Match
from oppmarket.render import match_explanation
from oppmarket.widgets.applicant_card import about_them


class MatchExplanation(Static):
    """Shows one `Match`, or says that none is known."""

    DEFAULT_CSS = """
    MatchExplanation {
        height: auto;
    }
    """

    def __init__(self, match: Match | None = None, *, theirs: bool = False, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.match = match
        # Shown to someone weighing another person (an owner), worded about them.
        self.theirs = theirs

    def on_mount(self) -> None:
        self.show(self.match)

    def show(self, match: Match | None) -> None:
        self.match = match
        if match is None:
            self.update(Text("Their match is not known." if self.theirs
                             else "Your match is not known for this one.", style="dim"))
        elif self.theirs:
            self.update(match_explanation(match, theirs=True, words=about_them))
        else:
            self.update(match_explanation(match))
