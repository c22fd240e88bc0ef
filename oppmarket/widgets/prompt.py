"""A dialog that asks for one line of text: a message, a reason, a number."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Static

from oppmarket.errors import ValidationError
from oppmarket.widgets.dialog import FormDialog, show_error


class TextPrompt(FormDialog[str | None]):
    """Ask for one line; return it (maybe empty) or None when cancelled.

    With `submit`, the text first goes to that call (a `Market` write) in a thread
    worker: a `ValidationError` shows next to the field and keeps the dialog open, any
    other domain error is a notification and closes it with None, and success closes it
    with the text. Without `submit`, the caller does the work with what comes back.
    """

    SUBMIT = "#prompt-confirm"

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="prompt.cancel", tooltip="Close without doing anything"),
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
        super().__init__(Text(title), id=id)
        self.text = text
        self.label = label
        self.confirm = confirm
        self.placeholder = placeholder
        self.value = value
        self.field = field
        self.integer = integer
        self.submit = submit

    def compose_body(self) -> ComposeResult:
        yield Static(self.text, classes="dialog-text")
        yield Label(self.label, classes="prompt-label")
        yield Input(self.value, placeholder=self.placeholder, id="prompt-input",
                    type="integer" if self.integer else "text")
        yield Static("", id="prompt-error", classes="field-error")
        with Horizontal(classes="buttons"):
            yield Button(self.confirm, id="prompt-confirm", variant="primary", action="screen.confirm")
            yield Button("Cancel", id="prompt-cancel", action="screen.dismiss(None)")
        yield Static("enter confirms · escape cancels", classes="dialog-hint")

    @property
    def input(self) -> Input:
        return self.query_one("#prompt-input", Input)

    def on_mount(self) -> None:
        self.query_one("#prompt-error").display = False
        self.input.focus()

    def show_error(self, message: str) -> None:
        show_error(self.query_one("#prompt-error", Static), message)
        self.input.set_class(bool(message), "-invalid")

    @on(Input.Submitted, "#prompt-input")
    def action_confirm(self) -> None:
        value = self.input.value
        if self.submit is None:
            self.dismiss(value)
            return
        self.show_error("")
        submit = self.submit

        def write() -> str:
            submit(value)
            return value

        self.send(write)

    def refused(self, error: ValidationError) -> None:
        self.show_error(error.fields.get(self.field) or str(error))
        self.input.focus()
