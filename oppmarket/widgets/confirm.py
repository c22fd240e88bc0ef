"""A yes/no question before something that cannot be taken back."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Static

from oppmarket.widgets.dialog import Dialog


class ConfirmDialog(Dialog[bool]):
    """Ask one question; dismisses with True for yes, False for no.

    `question` and `detail` are shown as plain text (they may quote user-written
    titles). "No" has the focus, so a stray enter changes nothing."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Go ahead"),
        Binding("n", "answer(False)", "No", id="confirm.no", tooltip="Leave things as they are"),
        Binding("escape", "answer(False)", "No", id="confirm.escape", show=False,
                tooltip="Leave things as they are"),
    ]

    def __init__(self, question: str, detail: str = "", *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(Text(question))
        self.detail = detail
        self.yes_label = yes
        self.no_label = no

    def compose_body(self) -> ComposeResult:
        if self.detail:
            yield Static(Text(self.detail), classes="dialog-text")
        with Horizontal(classes="buttons"):
            yield Button(f"{self.yes_label} (y)", id="confirm-yes", variant="warning", action="screen.answer(True)")
            yield Button(f"{self.no_label} (n)", id="confirm-no", variant="primary", action="screen.answer(False)")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


def leave_asking(screen: Screen, unsaved: bool, close: Callable[[], None],
                 then: Callable[[], None] | None, *, lost: str) -> None:
    """Close `screen` with `close`, then call `then`; when it holds `unsaved` work, ask
    first, saying what would be `lost`. Answering no keeps everything as it was."""

    def go(yes: bool | None) -> None:
        if yes:
            close()
            if then is not None:
                then()

    if unsaved:
        screen.app.push_screen(ConfirmDialog("Leave without saving?", lost, yes="Leave", no="Stay"), go)
    else:
        go(True)
