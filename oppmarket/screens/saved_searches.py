"""Saved searches: keep the search on screen under a name (new postings matching it
reach the inbox), and run or remove the ones kept before."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, Static
from textual.worker import get_current_worker

from oppmarket import saved_searches
from oppmarket.domain import SavedSearch
from oppmarket.errors import ValidationError
from oppmarket.render import cell
from oppmarket.text import clean_line
from oppmarket.widgets.dialog import FormDialog, show_error

NONE_YET = ("No saved searches yet. Search (/) or filter (f) the list, then save it here: each new "
            "posting that matches reaches your inbox.")
NOTHING_TO_SAVE = "Nothing to save yet: search (/) or filter (f) the list first."


def unsaved(query: str, kind: str | None, department: str | None, max_hours: int | None,
            remote_only: bool) -> SavedSearch:
    """The search on screen, as it would be saved (not yet named)."""
    return SavedSearch(0, "", query, kind, department, max_hours, remote_only, dt.datetime.min)


class SavedSearchTable(DataTable):
    """The saved searches; enter runs the highlighted one."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Run", id="saved_searches.run",
                tooltip="Show what the highlighted saved search finds"),
        Binding("x", "screen.remove", "Remove", id="saved_searches.remove",
                tooltip="Forget the highlighted saved search: no more news from it"),
    ]


class SavedSearchesDialog(FormDialog[SavedSearch | None]):
    """Save the current search, or pick a saved one to run; returns the one to run,
    or None."""

    BOX = VerticalScroll
    BOX_ID = "saved-searches-dialog"
    HEADING = "Saved searches"
    SUBMIT = "#save-search"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="saved_searches.save",
                tooltip="Save the search on screen under this name"),
        Binding("escape", "dismiss(None)", "Back", id="saved_searches.back", tooltip="Back to the list"),
    ]

    def __init__(self, current: SavedSearch) -> None:
        super().__init__()
        self.current = current
        self.kept: list[SavedSearch] = []

    @property
    def savable(self) -> bool:
        return saved_searches.describe(self.current) != "everything"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.savable or None if action == "save" else True

    def compose_body(self) -> ComposeResult:
        if self.savable:
            yield Static(Text.assemble(("This search  ", "bold"), saved_searches.describe(self.current)),
                         classes="dialog-text", id="this-search")
            with Horizontal(id="save-row"):
                yield Label("Name ", classes="prompt-label")
                yield Input(self.current.query[:saved_searches.MAX_NAME] or
                            " · ".join(saved_searches.filter_words(self.current)).capitalize(),
                            max_length=saved_searches.MAX_NAME, id="search-name")
                yield Button("Save (ctrl+s)", id="save-search", variant="primary", action="screen.save")
            yield Static("", id="name-error", classes="field-error")
        else:
            yield Static(NOTHING_TO_SAVE, classes="dialog-text muted", id="this-search")
        yield SavedSearchTable(id="saved", cursor_type="row", zebra_stripes=True)
        yield Static(NONE_YET, id="no-saved", classes="muted")
        yield Static("enter runs a saved search · x removes it · esc back", classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one(SavedSearchTable)
        table.add_columns("Name", "Looks for", "Saved")
        table.display = False
        self.query_one("#no-saved").display = False
        if self.savable:
            self.query_one("#name-error").display = False
            self.query_one("#search-name", Input).focus()
        self.query_one("#saved-searches-dialog").loading = True
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="saved-searches")
    def load(self) -> None:
        kept = self.app.market.saved_searches()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, kept)

    def _show(self, kept: list[SavedSearch]) -> None:
        self.query_one("#saved-searches-dialog").loading = False
        self.kept = kept
        table = self.query_one(SavedSearchTable)
        table.clear()
        for s in kept:
            table.add_row(cell(s.name), Text(saved_searches.describe(s)), Text(f"{s.created_at:%Y-%m-%d}"),
                          key=str(s.id))
        table.display = bool(kept)
        self.query_one("#no-saved").display = not kept
        if kept and not self.savable:
            table.focus()

    def action_save(self) -> None:
        if not self.savable:
            self.notify(NOTHING_TO_SAVE, severity="warning", markup=False)
            return
        name = self.query_one("#search-name", Input).value
        current, market = self.current, self.app.market
        show_error(self.query_one("#name-error", Static), "")
        self.send(lambda: market.save_search(name, query=current.query, kind=current.kind,
                                             department=current.department, max_hours=current.max_hours,
                                             remote_only=current.remote_only))

    @on(Input.Submitted, "#search-name")
    def _submitted(self) -> None:
        self.action_save()

    def refused(self, error: ValidationError) -> None:
        show_error(self.query_one("#name-error", Static), next(iter(error.fields.values()), str(error)))
        self.query_one("#search-name", Input).focus()

    def sent(self, result: object) -> None:
        assert isinstance(result, SavedSearch)
        self.app.notify(f"Saved '{clean_line(result.name)}': new postings matching it will reach your inbox.",
                        markup=False)
        self.dismiss(None)

    @property
    def highlighted(self) -> SavedSearch | None:
        table = self.query_one(SavedSearchTable)
        row = table.cursor_row
        return self.kept[row] if table.display and 0 <= row < len(self.kept) else None

    @on(DataTable.RowSelected, "#saved")
    def _run(self) -> None:
        if (chosen := self.highlighted) is not None:
            self.dismiss(chosen)

    def action_remove(self) -> None:
        if (chosen := self.highlighted) is not None:
            self.remove_saved(chosen.name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="saved-searches")
    def remove_saved(self, name: str) -> None:
        market = self.app.market
        market.remove_search(name)
        kept = market.saved_searches()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.notify, f"Removed '{clean_line(name)}'.", markup=False)
            self.app.call_from_thread(self._show, kept)
