"""A 1-5 rating picked with digits or arrows."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget

from oppmarket.widgets.messages import WidgetMessage

RATING_WORDS = {1: "poor", 2: "below expectations", 3: "as expected", 4: "strong", 5: "outstanding"}


class RatingPicker(Widget, can_focus=True):
    """Five stars; 0 means not rated yet."""

    DEFAULT_CSS = """
    RatingPicker {
        height: 1;
        width: auto;
        padding: 0 1;
    }
    RatingPicker:focus {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    """

    BINDINGS = [
        Binding("left", "change(-1)", "Lower", show=False, id="rating.lower", tooltip="One star fewer"),
        Binding("right", "change(1)", "Higher", show=False, id="rating.higher", tooltip="One star more"),
        *(Binding(str(n), f"rate({n})", f"Rate {n}", show=False, id=f"rating.{n}",
                  tooltip=f"{n} of 5: {RATING_WORDS[n]}") for n in range(1, 6)),
    ]

    value: reactive[int] = reactive(0, layout=True)

    @dataclass
    class Changed(WidgetMessage):
        value: int

    def __init__(self, value: int = 0, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(RatingPicker.value, value)

    def render(self) -> Text:
        stars = Text("★" * self.value, style="bold") + Text("☆" * (5 - self.value))
        if self.value:
            stars.append(f"  {self.value} of 5, {RATING_WORDS[self.value]}")
        else:
            stars.append("  press 1-5", style="dim")
        return stars

    def watch_value(self, value: int) -> None:
        self.post_message(self.Changed(self, value))

    def action_rate(self, value: int) -> None:
        self.value = value

    def action_change(self, step: int) -> None:
        # From no rating yet, either arrow lands in the middle.
        self.value = max(1, min(5, self.value + step)) if self.value else 3
