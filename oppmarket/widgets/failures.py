"""How a failed call reaches the user.

Screens, dialogs and widgets hand every failure of a `Market` call to the app as a
`CallFailed` message; the app alone decides what the user sees (a domain error as a
notification; anything else as an error dialog, with the details in the log file).
A thread worker's failure arrives as a `Worker.StateChanged`, which does not bubble,
so each node whose workers call `Market` takes the `ReportsFailedWorkers` mixin.
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, WorkerState

DEFAULT_TITLE = "Could not do that"


class CallFailed(Message):
    """A call failed; posted to the app, which shows it.

    `text` replaces a domain error's own message when the user must read something
    else (a blind review hides the names in it)."""

    def __init__(self, error: BaseException, title: str = DEFAULT_TITLE, text: str | None = None) -> None:
        self.error = error
        self.title = title
        self.text = text
        super().__init__()


def report_failure(node: DOMNode, error: BaseException, *, title: str = DEFAULT_TITLE,
                   text: str | None = None) -> None:
    """Hand `error` to the app's one way of showing failures. Posted to the app
    itself, so it arrives even when `node` is a dialog that closes at once."""
    node.app.post_message(CallFailed(error, title, text))


class ReportsFailedWorkers:
    """Mixin for a DOMNode whose thread workers (`exit_on_error=False`) call `Market`:
    a failed worker is reported to the app, then `worker_failed` puts this node back
    in order."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Textual calls this handler of every class in the MRO, so a class that also
        # handles the message for its own reasons must not call super() for it.
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            report_failure(self, event.worker.error)
            self.worker_failed(event.worker, event.worker.error)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        """Undo what waited for `worker` (a loading indicator, a disabled button);
        the user has been told already."""
