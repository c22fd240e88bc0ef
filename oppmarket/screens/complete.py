"""Complete an active engagement: a rating, feedback, and the skills it showed."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, Static, TextArea

from oppmarket.domain import Application, Opportunity
from oppmarket.errors import ValidationError
from oppmarket.text import clean_line
from oppmarket.widgets.confirm import leave_asking
from oppmarket.widgets.dialog import FormDialog
from oppmarket.widgets.endorsement_picker import Endorsement, EndorsementPicker
from oppmarket.widgets.rating_picker import RatingPicker

FIELDS = ("rating", "feedback", "endorsements")


class CompleteDialog(FormDialog[Application | None]):
    """The owner's verdict on an engagement; returns the completed application, or
    None when cancelled. Every skill of the posting starts ticked at the level it asks."""

    BOX = VerticalScroll
    BOX_ID = "complete-dialog"
    SUBMIT = "#complete-confirm"
    FAILURE_TITLE = "Could not complete"

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="complete.cancel", tooltip="Close without completing"),
        Binding("ctrl+s", "submit", "Complete", id="complete.submit",
                tooltip="Complete with this rating, feedback and these endorsements"),
    ]

    def __init__(self, application: Application, opportunity: Opportunity, name: str) -> None:
        super().__init__(Text(f"Complete '{clean_line(opportunity.title)}' for {clean_line(name)}"))
        self.application = application
        self.opportunity = opportunity
        self.name_shown = name

    def compose_body(self) -> ComposeResult:
        name = clean_line(self.name_shown)
        yield Static(Text(f"{name} sees your rating and feedback. The skills you endorse go on their "
                          "profile. Then they and their line manager are each asked how it affected "
                          "their core work."), classes="dialog-text")
        yield Label("Rating (1-5)")
        yield RatingPicker(id="rating")
        yield Static("", id="rating-error", classes="field-error")
        yield Label("Feedback")
        yield TextArea(id="feedback", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        yield Static("", id="feedback-error", classes="field-error")
        yield Label("Skills they used: space ticks, ←/→ or 1-5 set the level you saw")
        yield EndorsementPicker([Endorsement(s.skill, s.level) for s in self.opportunity.skills],
                                id="endorsements")
        yield Static("", id="endorsements-error", classes="field-error")
        with Horizontal(classes="buttons"):
            yield Button("Complete (ctrl+s)", id="complete-confirm", variant="primary", action="screen.submit")
            yield Button("Cancel", id="complete-cancel", action="screen.dismiss(None)")

    def on_mount(self) -> None:
        for field in FIELDS:
            self.query_one(f"#{field}-error").display = False
        self.query_one(RatingPicker).focus()

    def leave(self, then: Callable[[], None] | None = None) -> None:
        """Close without completing, asking first when feedback has been written."""
        leave_asking(self, bool(self.query_one("#feedback", TextArea).text.strip()), lambda: self.dismiss(None),
                     then, lost="The feedback you wrote will be lost.")

    @on(RatingPicker.Changed)
    def _rated(self) -> None:
        self.show_field_error("rating", "")

    @on(TextArea.Changed, "#feedback")
    def _feedback_edited(self) -> None:
        self.show_field_error("feedback", "")

    def action_submit(self) -> None:
        for field in FIELDS:
            self.show_field_error(field, "")
        rating = self.query_one(RatingPicker).value
        if not rating:
            self._show_errors({"rating": "pick a rating: press 1 to 5"})
            return
        feedback = self.query_one(TextArea).text
        endorsements = self.query_one(EndorsementPicker).chosen
        market, application_id = self.app.market, self.application.id
        self.send(lambda: market.complete(application_id, rating, feedback, endorsements))

    def refused(self, error: ValidationError) -> None:
        self._show_errors(error.fields)

    def _show_errors(self, fields: dict[str, str]) -> None:
        first = None
        for field in FIELDS:
            message = fields.get(field, "")
            self.show_field_error(field, message)
            if message and first is None:
                first = field
        other = [m for f, m in fields.items() if f not in FIELDS]
        if other:
            self.show_field_error("endorsements", "; ".join(other))
        self.query_one(f"#{first}" if first else "#rating").focus()
