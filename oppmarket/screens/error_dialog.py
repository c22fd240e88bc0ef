"""What the user sees of a failure the domain did not mean: a fault of the database
or the system, or a bug. One line here (`faults.describe`); the traceback is in the
log file (`faults.record`)."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static

from oppmarket.faults import details
from oppmarket.widgets.dialog import Dialog


class ErrorDialog(Dialog[None]):
    """A failure nobody meant, in one line, and where its details are; the app
    carries on once it is closed."""

    BOX_ID = "error-dialog"
    HEADING = "Something went wrong"

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="error.close", tooltip="Close and carry on"),
    ]

    def __init__(self, summary: str, log_file: Path | None, *, remote: bool = False) -> None:
        super().__init__()
        self.summary = summary
        self.log_file = log_file
        self.remote = remote  # an SSH session: the log is on the server

    def compose_body(self) -> ComposeResult:
        where = details(self.log_file, remote=self.remote)
        yield Static(Text(self.summary), id="error-summary", classes="dialog-text")
        yield Static(Text(f"That did not finish; oppmarket carries on. {where[0].upper()}{where[1:]}."),
                     classes="dialog-text muted")
        with Horizontal(classes="buttons"):
            yield Button("Close (esc)", id="error-close", variant="primary", action="screen.dismiss(None)")

    def on_mount(self) -> None:
        self.query_one("#error-close", Button).focus()
