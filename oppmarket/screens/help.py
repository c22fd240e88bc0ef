"""Every key of the screen you came from, grouped by where it works."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static


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


class HelpScreen(ModalScreen[None]):
    """The keys of the screen underneath: its own, the focused widget's, the app's."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help.close", tooltip="Back to where you were"),
        # App keys do not reach a modal screen, so ? is bound here too.
        Binding("question_mark", "dismiss", "Close", id="help.toggle", show=False, key_display="?",
                tooltip="Back to where you were"),
    ]

    def __init__(self, title: str, keys: Iterable[KeyHelp]) -> None:
        super().__init__()
        self.title_text = title
        self.keys = tuple(keys)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static(Text(f"Keys: {self.title_text}"), classes="dialog-title")
            with VerticalScroll(id="help-keys"):
                yield Static(keys_table(self.keys))
            yield Static("escape or ? closes this", classes="dialog-hint")
        yield Footer()
