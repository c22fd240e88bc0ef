"""What the departments and skills admin screens share: a list of things with what
uses each, found with /, the highlighted one in full below, and merging it into
another (picked by typing a few letters, its usage shown, asked first)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Static
from textual.worker import Worker, get_current_worker

from oppmarket.screens.admin_taxonomy_dialogs import MergeTargetPicker
from oppmarket.screens.base import MarketScreen
from oppmarket.text import clean_line
from oppmarket.widgets.confirm import ConfirmDialog
from oppmarket.widgets.footer import MarketFooter

T = Any  # a DepartmentUsage or a SkillUsage
# A column: its heading and width (None: the first column, which takes what is left).
Column = tuple[str, int | None]


def count_cell(count: int) -> Text:
    return Text(str(count))


class UsageTable(DataTable):
    """The list; enter opens the highlighted row."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="usage_table.open",
                tooltip="Open the highlighted row: change it, or see its usage in full"),
    ]


class UsageListScreen(MarketScreen):
    """A list of things (`T`) with their usage. Subclasses say how to load, show, find and
    merge them; the loading, the find box, the empty states and the merge flow are here."""

    AUTO_FOCUS = "#usage-table"
    TABLE = "#usage-table"
    NOUN: ClassVar[str] = "item"
    EMPTY: ClassVar[str] = "Nothing here yet."

    BINDINGS = [
        Binding("slash", "find", "Find", id="usage_list.find", tooltip="Narrow the list by what you type"),
        Binding("j", "merge", "Merge", id="usage_list.merge",
                tooltip="Merge the highlighted one into another: everything using it moves (asks first)"),
        Binding("f5", "reload", "Reload", show=False, id="usage_list.reload", tooltip="Count the usage again"),
        Binding("escape", "back", "Back", id="usage_list.back", tooltip="Leave the find box, or go back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[T] = []
        self.shown: list[T] = []
        self.loaded = False

    # ------------------------------------------------------------------ what subclasses say

    def fetch(self) -> list[T]:
        """The items, from the Market (runs in a thread worker)."""
        raise NotImplementedError

    def name_of(self, item: T) -> str:
        raise NotImplementedError

    def columns(self, wide: bool) -> list[Column]:
        raise NotImplementedError

    def cells(self, item: T, wide: bool) -> list[Text]:
        raise NotImplementedError

    def detail(self, item: T) -> Text:
        raise NotImplementedError

    def summary(self, items: list[T]) -> str:
        raise NotImplementedError

    def texts(self, item: T) -> tuple[str, ...]:
        """What the find box looks in."""
        return (self.name_of(item),)

    def merge_choices(self, item: T) -> list[tuple[str, str]]:
        """(label, name) of what `item` may be merged into."""
        return [(self.name_of(other), self.name_of(other)) for other in self.items if other is not item]

    def usage_words(self, item: T) -> str:
        raise NotImplementedError

    def merge(self, source: str, into: str) -> object:
        """Merge in the Market (runs in a thread worker)."""
        raise NotImplementedError

    MERGE_AFTER: ClassVar[str] = ""

    # ------------------------------------------------------------------ the list

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="usage-list"):
            yield Static("", id="usage-summary")
            yield Input(placeholder=f"Find a {self.NOUN}: type part of its name", id="usage-find")
            yield UsageTable(id="usage-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="usage-empty")
            yield Static("", id="usage-detail")
        yield MarketFooter()

    def on_mount(self) -> None:
        self.query_one("#usage-find", Input).display = False
        self.action_reload()

    @property
    def current(self) -> T | None:
        table = self.query_one("#usage-table", DataTable)
        if not self.shown or table.cursor_row is None or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def action_reload(self, select: str | None = None) -> None:
        self.query_one("#usage-list").loading = True
        self.load(select)

    @work(thread=True, exclusive=True, exit_on_error=False, group="usage-list")
    def load(self, select: str | None) -> None:
        items = self.fetch()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, items, select)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "usage-list":
            self.query_one("#usage-list").loading = False

    def _show(self, items: list[T], select: str | None) -> None:
        if not self.is_attached:
            return
        keep = select if select is not None else (self.name_of(self.current) if self.current else None)
        self.items, self.loaded = items, True
        self.query_one("#usage-list").loading = False
        self.query_one("#usage-summary", Static).update(self.summary(items))
        self._fill(keep)

    def on_resize(self) -> None:
        if self.loaded:
            self._fill(self.name_of(self.current) if self.current else None)

    def _fill(self, keep: str | None = None) -> None:
        find = self.query_one("#usage-find", Input).value.strip().casefold()
        self.shown = [i for i in self.items if not find or any(find in t.casefold() for t in self.texts(i))]
        table = self.query_one("#usage-table", DataTable)
        wide = self.size.width >= 100
        table.clear(columns=True)
        columns = self.columns(wide)
        used = sum(w or 0 for _, w in columns) + 2 * (len(columns) + 1) + 4
        for label, width in columns:
            table.add_column(label, width=width or max(12, (self.size.width or 80) - used))
        for item in self.shown:
            table.add_row(*self.cells(item, wide), key=self.name_of(item))
        names = [self.name_of(i) for i in self.shown]
        if keep in names:
            table.move_cursor(row=names.index(keep))
        empty = not self.shown
        words = self.EMPTY if not self.items else f"No {self.NOUN} matches “{clean_line(find)}”."
        self.query_one("#usage-empty", Static).update(Text(words) if empty else "")
        self.set_class(empty, "-empty")
        self.show_highlighted()

    @on(DataTable.RowHighlighted, "#usage-table")
    def show_highlighted(self) -> None:
        current = self.current
        self.query_one("#usage-detail", Static).update(self.detail(current) if current is not None else "")
        self.refresh_bindings()

    # ------------------------------------------------------------------ find

    def action_find(self) -> None:
        find = self.query_one("#usage-find", Input)
        find.display = True
        find.focus()

    @on(Input.Changed, "#usage-find")
    def _found(self) -> None:
        if self.loaded:
            self._fill()

    @on(Input.Submitted, "#usage-find")
    def _to_list(self) -> None:
        self.query_one("#usage-table", DataTable).focus()

    def action_back(self) -> None:
        find = self.query_one("#usage-find", Input)
        if find.has_focus:
            find.value = ""
            find.display = False
            self.query_one("#usage-table", DataTable).focus()
        else:
            self.app.pop_screen()

    # ------------------------------------------------------------------ changes

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "merge":
            return self.current is not None or None
        return True

    def write(self, call: Callable[[], object], done: Callable[[object], None]) -> None:
        """Run a Market write in a thread worker; `done` gets its result on the UI."""
        self._write(call, done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="usage-write")
    def _write(self, call: Callable[[], object], done: Callable[[object], None]) -> None:
        result = call()
        self.app.call_from_thread(done, result)

    def action_merge(self) -> None:
        item = self.current
        if item is None:
            return
        name = self.name_of(item)

        def picked(into: str | None) -> None:
            if into is not None:
                self._ask_merge(item, into)

        self.app.push_screen(MergeTargetPicker(f"Merge “{clean_line(name)}” into…", self.merge_choices(item)),
                             picked)

    def _ask_merge(self, item: T, into: str) -> None:
        name = self.name_of(item)

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda: self.merge(name, into), lambda _: self._merged(name, into))

        self.app.push_screen(ConfirmDialog(
            f"Merge “{clean_line(name)}” into “{clean_line(into)}”?",
            f"Moves {self.usage_words(item)} to {clean_line(into)}, in one step. {self.MERGE_AFTER}".strip(),
            yes="Merge", no="Keep"), answered)

    def _merged(self, name: str, into: str) -> None:
        self.notify(f"Merged “{clean_line(name)}” into “{clean_line(into)}”.", markup=False)
        self.action_reload(select=into)
