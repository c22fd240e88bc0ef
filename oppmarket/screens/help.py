"""Every key of the screen you came from, grouped by where it works."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from oppmarket.widgets.dialog import Dialog


@dataclass(frozen=True)
class KeyHelp:
    section: str
    key: str
    description: str
    tooltip: str = ""


def keys_table(keys: Iterable[KeyHelp]) -> Group:
    """One heading and one two-column grid per section."""
    parts: list = []
    table = None
    section = None
    for key in keys:
        if key.section != section:
            if table is not None:
                parts += [table, Text("")]
            parts.append(Text(key.section, style="bold underline"))
            table = Table.grid(padding=(0, 2))
            table.add_column(no_wrap=True, style="bold", min_width=10)
            table.add_column()
            section = key.section
        what = Text(key.description)
        if key.tooltip and key.tooltip != key.description:
            what.append(f" — {key.tooltip}", style="dim")
        table.add_row(Text(key.key), what)
    if table is not None:
        parts.append(table)
    return Group(*parts)


class HelpScreen(Dialog[None]):
    """The keys of the screen underneath: its own, the focused widget's, the app's."""

    BOX_ID = "help-dialog"

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help.close", tooltip="Back to where you were"),
        # App keys do not reach a modal screen, so ? is bound here too.
        Binding("question_mark", "dismiss", "Close", id="help.toggle", show=False, key_display="?",
                tooltip="Back to where you were"),
    ]

    def __init__(self, title: str, keys: Iterable[KeyHelp]) -> None:
        super().__init__(Text(f"Keys: {title}"))
        self.keys = tuple(keys)

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="help-keys"):
            yield Static(keys_table(self.keys))
        yield Static("escape or ? closes this", classes="dialog-hint")
