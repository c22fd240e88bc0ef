"""What the user sees of a failure the domain did not mean: a bug, or a fault of the
database or the system. One line here; the traceback goes to the log file."""

from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static

from oppmarket.text import clean_line
from oppmarket.widgets.dialog import Dialog


def summary(error: BaseException) -> str:
    """'RuntimeError: the first line of its message', cut to one line of a dialog."""
    lines = str(error).strip().splitlines()
    said = f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
    said = clean_line(said)
    return said if len(said) <= 200 else said[:199] + "…"


def append_to_log(path: Path, error: BaseException) -> bool:
    """Add `error` with its traceback to the log file at `path`; False when it cannot
    be written (the dialog then says so instead of naming the file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {dt.datetime.now():%Y-%m-%d %H:%M:%S} {summary(error)}\n")
            log.writelines(traceback.format_exception(error))
    except OSError:
        return False
    return True


class ErrorDialog(Dialog[None]):
    """A failure nobody meant, in one line, and where its details are; the app
    carries on once it is closed."""

    BOX_ID = "error-dialog"
    HEADING = "Something went wrong"

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="error.close", tooltip="Close and carry on"),
    ]

    def __init__(self, summary: str, log_file: Path | None) -> None:
        super().__init__()
        self.summary = summary
        self.log_file = log_file

    def compose_body(self) -> ComposeResult:
        where = (f"The details are in {self.log_file}." if self.log_file is not None
                 else "The details could not be written to the log file.")
        yield Static(Text(self.summary), id="error-summary", classes="dialog-text")
        yield Static(Text(f"That did not finish; oppmarket carries on. {where}"),
                     classes="dialog-text muted")
        with Horizontal(classes="buttons"):
            yield Button("Close (esc)", id="error-close", variant="primary", action="screen.dismiss(None)")

    def on_mount(self) -> None:
        self.query_one("#error-close", Button).focus()
