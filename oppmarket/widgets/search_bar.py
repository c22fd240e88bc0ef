"""The search box over a list: results follow the typing, a moment after it pauses."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Input

from oppmarket.widgets.messages import WidgetMessage


class SearchBox(Input):
    """A one-line query box. Posts `QueryChanged` once the typing has paused for
    `DEBOUNCE` seconds (so a fast typist starts one search, not one per letter), and
    `Done` when the user goes back to the list."""

    DEBOUNCE = 0.2

    BINDINGS = [
        Binding("escape", "clear", "Clear search", id="search.clear",
                tooltip="Empty the box and go back to the list"),
        Binding("enter", "done", "To the list", id="search.done",
                tooltip="Keep the query and move to the results"),
        Binding("down", "done", "To the list", show=False, id="search.down",
                tooltip="Keep the query and move to the results"),
    ]

    @dataclass
    class QueryChanged(WidgetMessage):
        """The query to search for now ('' for none)."""

        query: str

    class Done(WidgetMessage):
        """The user is finished with the box for now."""

    def __init__(self, *, placeholder: str = "", id: str | None = None, classes: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id, classes=classes, compact=True)
        self._pause: Timer | None = None
        self._sent = ""

    @property
    def query(self) -> str:
        return self.value.strip()

    def watch_value(self, value: str) -> None:
        if self._pause is not None:
            self._pause.stop()
        self._pause = self.set_timer(self.DEBOUNCE, self._send)

    def _send(self) -> None:
        self._pause = None
        if self.query != self._sent:
            self._sent = self.query
            self.post_message(self.QueryChanged(self, self.query))

    def set_query(self, query: str) -> None:
        """Put `query` in the box and search for it at once."""
        self.value = query
        self.cursor_position = len(query)
        self._send()

    def action_clear(self) -> None:
        self.set_query("")
        self.post_message(self.Done(self))

    def action_done(self) -> None:
        self._send()
        self.post_message(self.Done(self))
