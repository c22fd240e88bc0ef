"""What the marketplace's full screens share when they open."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.screen import Screen
from textual.widgets import DataTable

from oppmarket.widgets.failures import ReportsFailedWorkers
from oppmarket.widgets.ordered_calls import OrderedCalls


class MarketScreen(ReportsFailedWorkers, Screen):
    """A screen whose header names who is acting, then `SUBTITLE`. Textual runs a
    subclass's own `on_mount` as well as this one."""

    SUBTITLE: ClassVar[str] = ""
    TABLE: ClassVar[str] = "DataTable"
    """The list the screen is about, for a screen that has one."""

    def on_mount(self) -> None:
        self.sub_title = self.app.who_line(self.SUBTITLE)

    @property
    def table(self) -> DataTable:
        return self.query_one(self.TABLE, DataTable)


class ListScreen(MarketScreen):
    """A screen of the actor's own lists: fetched when it opens and again on `r`
    (`action_reload`), with the highlighted row shown in full below."""

    def on_mount(self) -> None:
        self.action_reload()

    def show_highlighted(self) -> None:
        """Show the highlighted row in full."""

    @on(DataTable.RowHighlighted)
    def follow_cursor(self) -> None:
        """The row in full, and the keys its state allows, follow the cursor."""
        self.refresh_bindings()
        self.show_highlighted()


class QueueScreen(OrderedCalls, MarketScreen):
    """A screen whose reads and writes all go through one ordered queue; the first
    read (`_load`) goes in as it opens."""

    def on_mount(self) -> None:
        self.table.focus()
        self.queue_call(self._load)
