"""What every dialog shares: a titled box over the screen with its keys in the footer,
and, for a dialog whose answer is a `Market` write, one way of sending it."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, ScreenResultType
from textual.widget import Widget
from textual.widgets import Button, Footer, Static
from textual.worker import Worker, get_current_worker

from oppmarket.errors import OppMarketError, ValidationError
from oppmarket.widgets.failures import DEFAULT_TITLE, ReportsFailedWorkers, report_failure


def show_error(static: Static, message: str) -> None:
    """Put a field's message in place; an empty one takes no room."""
    static.update(Text(message))
    static.display = bool(message)


def save_buttons(prefix: str) -> Horizontal:
    """Save and Cancel, doing what ctrl+s and escape do."""
    return Horizontal(Button("Save (ctrl+s)", id=f"{prefix}-save", variant="primary", action="screen.save"),
                      Button("Cancel (esc)", id=f"{prefix}-cancel", action="screen.dismiss(None)"),
                      classes="buttons")


class Dialog(ModalScreen[ScreenResultType]):
    """A box over the current screen: a title, what `compose_body` yields under it,
    and the dialog's keys in the footer. Its buttons run the same actions as its keys
    (`Button(..., action="screen.dismiss(None)")`)."""

    BOX: ClassVar[type[Widget]] = Vertical
    """The box; a `VerticalScroll` where the body may not fit a small terminal."""

    BOX_ID: ClassVar[str | None] = None
    HEADING: ClassVar[str] = ""
    """The title, unless the constructor is given one."""

    def __init__(self, heading: str | Text | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # A `Text` where the title quotes what a user wrote, so that it is not read as markup.
        self.heading = self.HEADING if heading is None else heading

    def compose(self) -> ComposeResult:
        with self.BOX(id=self.BOX_ID, classes="dialog"):
            yield Static(self.heading, classes="dialog-title")
            yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()


class FormDialog(ReportsFailedWorkers, Dialog[ScreenResultType]):
    """A dialog whose answer is a `Market` write, which `send` runs in a thread worker.

    A `ValidationError` goes to `refused` and keeps the dialog open; any other domain
    error is a notification and closes the dialog with None; the write's result goes
    to `sent`, which closes the dialog with it."""

    SUBMIT: ClassVar[str | None] = None
    """The button that sends, disabled while a write is on its way."""

    FAILURE_TITLE: ClassVar[str] = DEFAULT_TITLE

    def show_field_error(self, field: str, message: str) -> None:
        show_error(self.query_one(f"#{field}-error", Static), message)

    def send(self, write: Callable[[], object]) -> None:
        self._enable_submit(False)
        self._write(write)

    def refused(self, error: ValidationError) -> None:
        """Show why the write was refused, next to the fields it names."""

    def sent(self, result: object) -> None:
        self.dismiss(result)

    def _enable_submit(self, enabled: bool) -> None:
        if self.SUBMIT is not None:
            self.query_one(self.SUBMIT, Button).disabled = not enabled

    @work(thread=True, exclusive=True, exit_on_error=False, group="dialog-send")
    def _write(self, write: Callable[[], object]) -> None:
        try:
            result = write()
        except ValidationError as error:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._refused, error)
            return
        except OppMarketError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self.sent, result)

    def _refused(self, error: ValidationError) -> None:
        self._enable_submit(True)
        self.refused(error)

    def _failed(self, error: OppMarketError) -> None:
        report_failure(self, error, title=self.FAILURE_TITLE)
        self.dismiss(None)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "dialog-send":
            self._enable_submit(True)  # it may be tried again
