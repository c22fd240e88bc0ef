"""Tick the skills someone used and set the level you saw, one line per skill."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget

from oppmarket.render import level_name
from oppmarket.text import clean_line


@dataclass
class Endorsement:
    skill: str
    level: int
    ticked: bool = True


class EndorsementPicker(Widget, can_focus=True):
    """↑/↓ move, space ticks or unticks, ←/→ or 1-5 set the level."""

    DEFAULT_CSS = """
    EndorsementPicker {
        height: auto;
        max-height: 10;
        padding: 0 1;
    }
    EndorsementPicker:focus {
        background: $boost;
    }
    """

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False, id="endorse.up", tooltip="The skill above"),
        Binding("down", "move(1)", "Down", show=False, id="endorse.down", tooltip="The skill below"),
        Binding("space", "tick", "Tick", id="endorse.tick", tooltip="Endorse this skill, or not"),
        Binding("left", "level(-1)", "Lower", show=False, id="endorse.lower", tooltip="One level lower"),
        Binding("right", "level(1)", "Higher", show=False, id="endorse.higher", tooltip="One level higher"),
        *(Binding(str(n), f"set_level({n})", f"Level {n}", show=False, id=f"endorse.level{n}",
                  tooltip=f"Level {n}: {level_name(n)}") for n in range(1, 6)),
    ]

    cursor: reactive[int] = reactive(0)

    def __init__(self, endorsements: list[Endorsement], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.endorsements = endorsements

    @property
    def chosen(self) -> dict[str, int]:
        """The ticked skills and their levels, as `Market.complete` takes them."""
        return {e.skill: e.level for e in self.endorsements if e.ticked}

    def render(self) -> Text:
        if not self.endorsements:
            return Text("The posting lists no skills to endorse.", style="dim")
        width = max(len(clean_line(e.skill)) for e in self.endorsements)
        lines = []
        for index, e in enumerate(self.endorsements):
            here = index == self.cursor and self.has_focus
            line = Text("▸ " if here else "  ")
            line.append("[x] " if e.ticked else "[ ] ", style="bold" if e.ticked else "dim")
            line.append(clean_line(e.skill).ljust(width), style="" if e.ticked else "dim")
            line.append(f"  ◂ {e.level} ▸ ", style="bold" if here else "")
            line.append(level_name(e.level), style="dim")
            if here:
                line.stylize("reverse")
            lines.append(line)
        return Text("\n").join(lines)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _current(self) -> Endorsement | None:
        return self.endorsements[self.cursor] if self.endorsements else None

    def action_move(self, step: int) -> None:
        if self.endorsements:
            self.cursor = max(0, min(len(self.endorsements) - 1, self.cursor + step))

    def action_tick(self) -> None:
        if (e := self._current()) is not None:
            e.ticked = not e.ticked
            self.refresh()

    def action_level(self, step: int) -> None:
        if (e := self._current()) is not None:
            e.level = max(1, min(5, e.level + step))
            e.ticked = True
            self.refresh()

    def action_set_level(self, level: int) -> None:
        if (e := self._current()) is not None:
            e.level = level
            e.ticked = True
            self.refresh()
