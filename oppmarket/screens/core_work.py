"""The core-work question asked at completion: did the engagement make the participant's
core work better, the same, or worse? Asked of the participant and of their manager."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static
from textual.worker import get_current_worker

from oppmarket.domain import CORE_WORK_ANSWERS, CoreWorkQuestion
from oppmarket.errors import ValidationError
from oppmarket.text import clean_line
from oppmarket.widgets.dialog import FormDialog

ANSWER_LABELS = {"better": "Better", "same": "About the same", "worse": "Worse"}


def question_text(question: CoreWorkQuestion, participant_name: str) -> str:
    title = clean_line(question.opportunity_title)
    if question.role == "participant":
        return f"How did '{title}' affect your core work?"
    return f"How did '{title}' affect the core work of {clean_line(participant_name)}?"


class CoreWorkScreen(FormDialog[str | None]):
    """Find the actor's question about one application and record their answer;
    returns the answer, or None when closed without one."""

    HELP_NAME = "Core-work question"
    BOX_ID = "core-work-dialog"
    HEADING = "Core work"
    FAILURE_TITLE = "Could not answer"
    FIELDS = ("answer", "comment")

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Not now", id="core_work.close",
                tooltip="Close; the question stays in your inbox"),
        Binding("ctrl+s", "submit", "Answer", id="core_work.submit", tooltip="Record your answer"),
    ]

    def __init__(self, application_id: int) -> None:
        super().__init__()
        self.application_id = application_id
        self.question: CoreWorkQuestion | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("Finding the question…", id="core-work-question", classes="dialog-text")
        with Vertical(id="core-work-form"):
            with RadioSet(id="core-work-answer"):
                for answer in CORE_WORK_ANSWERS:
                    yield RadioButton(ANSWER_LABELS[answer], id=f"answer-{answer}")
            yield Static("", id="answer-error", classes="field-error")
            yield Label("Comment (optional)")
            yield Input(placeholder="What changed, in a sentence", id="core-work-comment")
            yield Static("", id="comment-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button("Answer (ctrl+s)", id="core-work-submit", variant="primary", action="screen.submit")
                yield Button("Not now", id="core-work-close", action="screen.dismiss(None)")
        yield Static("Your answer helps the company learn whether marketplace time helps or hurts "
                     "core work.", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#core-work-form").display = False
        self._show_errors({})
        self.find_question()

    def _show_errors(self, fields: dict[str, str]) -> None:
        for field in self.FIELDS:
            self.show_field_error(field, fields.get(field, ""))

    @work(thread=True, exclusive=True, exit_on_error=False, group="core-work")
    def find_question(self) -> None:
        market = self.app.market
        mine = [q for q in market.core_work_questions(unanswered_only=False)
                if q.application_id == self.application_id]
        # An unanswered one first, if any.
        mine.sort(key=lambda q: q.answer is not None)
        question = mine[0] if mine else None
        name = ""
        if question is not None and question.role != "participant":
            name = market.person(question.participant_username).display_name
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, question, name)

    def _show(self, question: CoreWorkQuestion | None, participant_name: str) -> None:
        self.question = question
        text = self.query_one("#core-work-question", Static)
        if question is None:
            text.update("There is no core-work question for you about this engagement.")
            self.query_one("#core-work-close", Button).focus()
            self.refresh_bindings()
            return
        words = question_text(question, participant_name)
        if question.answer:
            words += f"\n\nYou answered: {ANSWER_LABELS.get(question.answer, question.answer).lower()}. " \
                     "You may change your answer."
        text.update(Text(words))
        self.query_one("#core-work-form").display = True
        if question.answer in CORE_WORK_ANSWERS:
            self.query_one(f"#answer-{question.answer}", RadioButton).value = True
        self.query_one("#core-work-comment", Input).value = question.comment
        self.query_one(RadioSet).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return self.question is not None or None
        return True

    @on(Input.Submitted, "#core-work-comment")
    def action_submit(self) -> None:
        if self.question is None:
            return
        pressed = self.query_one(RadioSet).pressed_button
        answer = pressed.id.removeprefix("answer-") if pressed is not None and pressed.id else ""
        comment = self.query_one("#core-work-comment", Input).value
        self._show_errors({})
        market, question_id = self.app.market, self.question.id
        self.send(lambda: market.answer_core_work(question_id, answer, comment))

    def refused(self, error: ValidationError) -> None:
        self._show_errors(error.fields)

    def sent(self, question: CoreWorkQuestion) -> None:
        self.app.notify("Thank you: your answer is recorded", markup=False)
        self.dismiss(question.answer)
