"""Complete an active engagement: a rating, feedback, and the skills it showed."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, Static, TextArea
from textual.worker import Worker, get_current_worker

from oppmarket.domain import Application, Opportunity
from oppmarket.errors import OppMarketError, ValidationError
from oppmarket.text import clean_line
from oppmarket.widgets.failures import ReportsFailedWorkers, report_failure
from oppmarket.widgets.endorsement_picker import Endorsement, EndorsementPicker
from oppmarket.widgets.rating_picker import RatingPicker

FIELDS = ("rating", "feedback", "endorsements")


class CompleteDialog(ReportsFailedWorkers, ModalScreen[Application | None]):
    """The owner's verdict on an engagement; returns the completed application, or
    None when cancelled. Every skill of the posting starts ticked at the level it asks."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="complete.cancel", tooltip="Close without completing"),
        Binding("ctrl+s", "submit", "Complete", id="complete.submit",
                tooltip="Complete with this rating, feedback and these endorsements"),
    ]

    def __init__(self, application: Application, opportunity: Opportunity, name: str) -> None:
        super().__init__()
        self.application = application
        self.opportunity = opportunity
        self.name_shown = name

    def compose(self) -> ComposeResult:
        name = clean_line(self.name_shown)
        with VerticalScroll(id="complete-dialog", classes="dialog"):
            yield Static(Text(f"Complete '{clean_line(self.opportunity.title)}' for {name}"),
                         classes="dialog-title")
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
                yield Button("Complete (ctrl+s)", id="complete-confirm", variant="primary")
                yield Button("Cancel", id="complete-cancel")
        yield Footer()

    def on_mount(self) -> None:
        for field in FIELDS:
            self.query_one(f"#{field}-error").display = False
        self.query_one(RatingPicker).focus()

    def _show_error(self, field: str, message: str) -> None:
        error = self.query_one(f"#{field}-error", Static)
        error.update(Text(message))
        error.display = bool(message)

    @on(Button.Pressed, "#complete-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#complete-confirm")
    def action_submit(self) -> None:
        for field in FIELDS:
            self._show_error(field, "")
        rating = self.query_one(RatingPicker).value
        if not rating:
            self._refused({"rating": "pick a rating: press 1 to 5"})
            return
        feedback = self.query_one(TextArea).text
        endorsements = self.query_one(EndorsementPicker).chosen
        self.query_one("#complete-confirm", Button).disabled = True
        self.complete(rating, feedback, endorsements)

    @work(thread=True, exclusive=True, exit_on_error=False, group="complete")
    def complete(self, rating: int, feedback: str, endorsements: dict[str, int]) -> None:
        try:
            done = self.app.market.complete(self.application.id, rating, feedback, endorsements)
        except ValidationError as error:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._refused, error.fields)
            return
        except OppMarketError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self.dismiss, done)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        self.query_one("#complete-confirm", Button).disabled = False  # it may be tried again

    def _refused(self, fields: dict[str, str]) -> None:
        self.query_one("#complete-confirm", Button).disabled = False
        first = None
        for field in FIELDS:
            message = fields.get(field, "")
            self._show_error(field, message)
            if message and first is None:
                first = field
        other = [m for f, m in fields.items() if f not in FIELDS]
        if other:
            self._show_error("endorsements", "; ".join(other))
        self.query_one(f"#{first}" if first else "#rating").focus()

    def _failed(self, error: OppMarketError) -> None:
        report_failure(self, error, title="Could not complete")
        self.dismiss(None)
