"""Run a screen's `Market` calls one after another, in the order the keys were pressed.

A triage is a burst of keys: shortlist, move, decline, undo. Each key queues its call
here and one thread worker works through the queue, so a fast typist never has two
writes racing each other, never sees a slow answer overwrite a newer one, and never
loses a write to an `exclusive` worker replacing the one that was carrying it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from textual import work
from textual.worker import Worker, WorkerState

from oppmarket.errors import OppMarketError
from oppmarket.widgets.failures import report_failure

# A call runs in the worker thread; it may hand results to the screen with
# `app.call_from_thread`. A domain error it raises goes to `call_failed`.
Call = Callable[[], None]


class OrderedCalls:
    """Mixin for a screen (a DOMNode with `app`): `queue_call(fn)` runs `fn` in a
    thread worker after every call queued before it."""

    ORDERED_GROUP = "ordered-calls"

    def queue_call(self, call: Call) -> None:
        """Run `call` off the event loop, after the calls already queued."""
        if not hasattr(self, "_calls"):
            self._calls: deque[Call] = deque()
            self._caller: Worker | None = None
        self._calls.append(call)
        if self._caller is None or self._caller.is_finished:
            self._caller = self._run_calls()

    @property
    def calls_pending(self) -> bool:
        """True while a queued call has not finished."""
        calls = getattr(self, "_calls", None)
        caller = getattr(self, "_caller", None)
        return bool(calls) or (caller is not None and not caller.is_finished)

    @work(thread=True, exclusive=True, exit_on_error=False, group=ORDERED_GROUP)
    def _run_calls(self) -> None:
        while self._calls:
            call = self._calls.popleft()
            try:
                call()
            except OppMarketError as error:
                self.app.call_from_thread(self.call_failed, error)

    def call_failed(self, error: OppMarketError) -> None:
        """A queued call was refused by the domain: say why (override to reword)."""
        report_failure(self, error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A call queued just as the worker finished its last one would wait forever.
        if (event.worker is getattr(self, "_caller", None) and event.state == WorkerState.SUCCESS
                and self._calls):
            self._caller = self._run_calls()
