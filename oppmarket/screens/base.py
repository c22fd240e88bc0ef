"""What every screen shares."""

from __future__ import annotations

from textual.worker import Worker, WorkerState

from oppmarket.errors import OppMarketError


def notify_failure(node, event: Worker.StateChanged) -> BaseException | None:
    """Turn a failed worker into a notification when the failure is a domain error
    (its message says what to do). Anything else is a bug and is raised, so that it
    is seen with its traceback. Returns the domain error, if any."""
    if event.state != WorkerState.ERROR:
        return None
    error = event.worker.error
    if isinstance(error, OppMarketError):
        node.app.notify(str(error), title="Could not do that", severity="error", markup=False)
        return error
    raise error


class MarketErrors:
    """Mixin for screens (and the app) whose thread workers call `Market`."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        notify_failure(self, event)
