"""Imports, for admins: choose what the file holds, type its path (→ takes the suggested completion),
and see it as the import will read it — the first rows, every problem with its line,
how many rows are new, changed or unchanged. y imports it once it has no problems,
after asking; a progress bar follows the write, then a summary. Nothing is written
while the file has problems: the preview runs the import's own checks."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.suggester import Suggester
from textual.widgets import DataTable, Header, Input, ProgressBar, Select, Static
from textual.worker import Worker, get_current_worker

from oppmarket.domain import ImportPreview
from oppmarket.screens.base import MarketScreen
from oppmarket.text import clean_line
from oppmarket.widgets.confirm import ConfirmDialog
from oppmarket.widgets.footer import MarketFooter

KINDS = (("People", "people"), ("Skills", "skills"), ("Opportunities", "opportunities"))
PREVIEW_ROWS = 10
NO_FILE = ("Type the path of a .csv file and press enter to see it as the import will read it; "
           "→ takes the completion offered. Nothing is written until you confirm with y.")


def _csv_only(path: str) -> str | None:
    """Only .csv files: in an SSH session the app runs as the service account, and its
    own files (the config naming the database, authorized_keys) must not be read out
    through a preview's rows or problems. None of them is a .csv."""
    return None if path.lower().endswith(".csv") else "Pick a .csv file."


def _complete(typed: str) -> str | None:
    """`typed` completed to the first folder (with its slash, so completion goes on
    into it) or .csv file whose name starts as its last part does; hidden names only
    when that part starts with a dot."""
    folder, slash, start = typed.rpartition("/")
    base = folder + slash
    try:
        with os.scandir(os.path.expanduser(base or ".")) as entries:
            found = sorted((entry.name, entry.is_dir()) for entry in entries)
    except OSError:
        return None
    for name, is_folder in found:
        if not name.startswith(start) or (name.startswith(".") and not start.startswith(".")):
            continue
        if is_folder:
            return f"{base}{name}/"
        if name.lower().endswith(".csv"):
            return f"{base}{name}"
    return None


class CsvPathSuggester(Suggester):
    """Suggest the rest of a path to a folder or .csv file; the folder is read off
    the event loop."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        return await asyncio.to_thread(_complete, value)


def summary_line(preview: ImportPreview) -> Text:
    rows = f"{preview.rows} row{'' if preview.rows == 1 else 's'}"
    text = Text(f"{rows} read as {preview.kind}: ", style="bold")
    text.append(f"{preview.new} new · {preview.changed} changed · {preview.unchanged} unchanged")
    return text


def problems_text(preview: ImportPreview) -> Text:
    if not preview.problems:
        return Text("No problems: y imports the file.", style="bold")
    text = Text(f"{len(preview.problems)} problem{'' if len(preview.problems) == 1 else 's'} — "
                "nothing is imported until the file is fixed:", style="bold")
    for problem in preview.problems:
        text.append(f"\n{problem.where}: ", style="bold")
        text.append(clean_line(problem.message))
    return text


class ImportsAdminScreen(MarketScreen):
    """Preview an import file, then import it."""

    HELP_NAME = "Imports"
    SUBTITLE = "imports"
    CSS_PATH = "admin_imports.tcss"
    AUTO_FOCUS = "#import-path"

    BINDINGS = [
        Binding("y", "confirm", "Confirm: import", id="imports.confirm",
                tooltip="Import the previewed file (asks first; refused while it has problems)"),
        Binding("f5", "reload", "Reload", id="imports.reload", tooltip="Read the file again"),
        Binding("escape", "back", "Back", id="imports.back", tooltip="Back to where you were"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.preview: ImportPreview | None = None
        self.writing = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="imports"):
            with Horizontal(id="import-choose"):
                yield Select(KINDS, value="people", allow_blank=False, id="import-kind")
                yield Input(placeholder="path to a .csv file, e.g. ~/people.csv", id="import-path",
                            suggester=CsvPathSuggester())
            yield Static(NO_FILE, id="import-summary")
            yield DataTable(id="import-rows", cursor_type="row", zebra_stripes=True)
            yield Static("", id="import-problems")
            with Horizontal(id="import-writing"):
                yield Static("", id="import-stage")
                yield ProgressBar(id="import-progress", show_eta=False)
        yield MarketFooter()

    # ------------------------------------------------------------------ preview

    @property
    def kind(self) -> str:
        return str(self.query_one("#import-kind", Select).value)

    @on(Input.Submitted, "#import-path")
    def _path_given(self) -> None:
        self.action_reload()

    @on(Select.Changed, "#import-kind")
    def _kind_changed(self) -> None:
        if self.query_one("#import-path", Input).value.strip():
            self.action_reload()

    def action_reload(self) -> None:
        if self.writing:
            return
        path = os.path.expanduser(self.query_one("#import-path", Input).value.strip())
        if not path:
            self.notify("Type the path of a .csv file first.", severity="warning")
            return
        if (why := _csv_only(path)) is not None:
            self.notify(why, severity="warning")
            return
        self.query_one("#imports").loading = True
        self.load(self.kind, path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import-preview")
    def load(self, kind: str, path: str) -> None:
        preview = self.app.market.preview_import(kind, path, rows=PREVIEW_ROWS)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, preview)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        self.query_one("#imports").loading = False
        if worker.group == "import-write":
            self._written(None)

    def _show(self, preview: ImportPreview) -> None:
        if not self.is_attached:
            return
        self.preview = preview
        self.query_one("#imports").loading = False
        self.query_one("#import-summary", Static).update(summary_line(preview))
        self.query_one("#import-problems", Static).update(problems_text(preview))
        self.set_class(not preview.ready, "-problems")
        table = self.query_one("#import-rows", DataTable)
        table.clear(columns=True)
        table.add_column("line", key="line")
        for column in preview.columns:
            table.add_column(column.replace("_", " "), key=column)
        for line, cells in preview.first_rows:
            # Cells are the file's text: Text, never markup.
            table.add_row(Text(str(line)), *(Text(clean_line(c), no_wrap=True, overflow="ellipsis") for c in cells))
        table.focus()
        self.refresh_bindings()

    # ------------------------------------------------------------------ import

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return None if self.preview is None or self.writing else True
        return True

    def action_confirm(self) -> None:
        preview = self.preview
        if preview is None or self.writing:
            return
        if not preview.ready:
            self.notify(f"The file has {len(preview.problems)} problem(s); fix them and press f5. "
                        "Nothing was imported.", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._start_writing(preview)

        rows = f"{preview.rows} {preview.kind}" if preview.rows != 1 else f"1 row of {preview.kind}"
        self.app.push_screen(ConfirmDialog(
            f"Import {rows} from {clean_line(preview.path)}?",
            f"{preview.new} new, {preview.changed} changed, {preview.unchanged} unchanged. "
            "Every row goes in, or none does.", yes="Import", no="Not now"), answered)

    def _start_writing(self, preview: ImportPreview) -> None:
        self.writing = True
        self.set_class(True, "-writing")
        self.query_one("#import-stage", Static).update("starting")
        self.query_one("#import-progress", ProgressBar).update(total=None, progress=0)
        self.refresh_bindings()
        self.write(preview)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import-write")
    def write(self, preview: ImportPreview) -> None:
        def progress(stage: str, done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, stage, done, total)

        count = self.app.market.import_file(preview.kind, preview.path, previewed=preview.digest,
                                            progress=progress)
        self.app.call_from_thread(self._written, count)

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.query_one("#import-stage", Static).update(stage)
        self.query_one("#import-progress", ProgressBar).update(total=max(total, 1), progress=done)

    def _written(self, count: int | None) -> None:
        self.writing = False
        self.refresh_bindings()
        if not self.is_attached:
            return
        if count is not None:
            preview = self.preview
            kind = preview.kind if preview else "rows"
            self.query_one("#import-stage", Static).update(f"imported {count} {kind}")
            self.notify(f"Imported {count} {kind} from {clean_line(preview.path if preview else '')}.",
                        markup=False)
            self.action_reload()  # the counts now read as unchanged
        else:
            self.set_class(False, "-writing")

    def action_back(self) -> None:
        if self.writing:
            self.notify("The import is still writing; it finishes in a moment.", severity="warning")
            return
        self.app.pop_screen()
