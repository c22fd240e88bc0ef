"""The shape of every message a widget of ours posts about itself."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message
from textual.widget import Widget


@dataclass
class WidgetMessage(Message):
    """A message about `widget`. It is the message's `control`, so that a handler's
    selector (`@on(FilterBar.Changed, "#filters")`) matches the widget that posted it."""

    widget: Widget

    @property
    def control(self) -> Widget:
        return self.widget
