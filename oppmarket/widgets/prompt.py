"""A dialog that asks for one line of text: a message, a reason, a number."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static
from textual.worker import Worker, get_current_worker

from oppmarket.errors import OppMarketError, ValidationError
from oppmarket.widgets.failures import ReportsFailedWorkers, report_failure


class TextPrompt(ReportsFailedWorkers, ModalScreen[str | None]):
    """Ask for one line; return it (maybe empty) or None when cancelled.

    With `submit`, the text first goes to that call (a `Market` write) in a thread
    worker: a `ValidationError` shows next to the field and keeps the dialog open, any
    other domain error is a notification and closes it with None, and success closes it
    with the text. Without `submit`, the caller does the work with what comes back.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel", tooltip="Close without doing anything"),
    ]

    def __init__(
        self,
        title: str,
        text: Text | str,
        *,
        label: str,
        confirm: str,
        placeholder: str = "",
        value: str = "",
        field: str = "",
        integer: bool = False,
        submit: Callable[[str], object] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.title_text = title
        self.text = text
        self.label = label
        self.confirm = confirm
        self.placeholder = placeholder
        self.value = value
        self.field = field
        self.integer = integer
        self.submit = submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text), classes="dialog-title")
            yield Static(self.text, classes="dialog-text")
            yield Label(self.label, classes="prompt-label")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input",
                        type="integer" if self.integer else "text")
            yield Static("", id="prompt-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button(self.confirm, id="prompt-confirm", variant="primary")
                yield Button("Cancel", id="prompt-cancel")
            yield Static("enter confirms · escape cancels", classes="dialog-hint")
        yield Footer()

    @property
    def input(self) -> Input:
        return self.query_one("#prompt-input", Input)

    def on_mount(self) -> None:
        self.query_one("#prompt-error").display = False
        self.input.focus()

    def show_error(self, message: str) -> None:
        error = self.query_one("#prompt-error", Static)
        error.update(Text(message))
        error.display = bool(message)
        self.input.set_class(bool(message), "-invalid")

    @on(Button.Pressed, "#prompt-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#prompt-input")
    @on(Button.Pressed, "#prompt-confirm")
    def _confirm(self) -> None:
        value = self.input.value
        if self.submit is None:
            self.dismiss(value)
            return
        self.show_error("")
        self.query_one("#prompt-confirm", Button).disabled = True
        self._submit(value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="prompt")
    def _submit(self, value: str) -> None:
        assert self.submit is not None
        try:
            self.submit(value)
        except ValidationError as error:
            message = error.fields.get(self.field) or str(error)
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._refused, message)
            return
        except OppMarketError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self.dismiss, value)

    def _refused(self, message: str) -> None:
        self.query_one("#prompt-confirm", Button).disabled = False
        self.show_error(message)
        self.input.focus()

    def _failed(self, error: OppMarketError) -> None:
        report_failure(self, error)
        self.dismiss(None)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        self.query_one("#prompt-confirm", Button).disabled = False  # it may be tried again
