"""The audit log, for admins: newest first, a page at a time from the database as
the cursor nears the end of what is shown (keyset on the event id, so events
recorded meanwhile never repeat or push one out); f filters by who, action, object
and dates, ctrl+l clears them; enter opens one event with what it changed; ctrl+s
exports the filtered view to a file."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, get_current_worker

from oppmarket.audit_trail import SYSTEM_ACTOR, filter_words
from oppmarket.domain import AuditEntry, AuditFilter, AuditPage
from oppmarket.errors import PermissionDenied
from oppmarket.screens.admin_audit_dialogs import AuditEventDialog, AuditExportForm, AuditFilterForm
from oppmarket.screens.base import MarketScreen
from oppmarket.text import clean_line
from oppmarket.widgets.footer import MarketFooter

PAGE = 100
# Rows left below the cursor when the next page is fetched.
AHEAD = 10
NO_MATCH = "No events match these filters — ctrl+l clears them."
NO_EVENTS = "No events are recorded yet."


class AuditTable(DataTable):
    """The events; enter opens the highlighted one."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Event", id="audit.event",
                tooltip="The highlighted event in full, with each value it changed"),
    ]


class AuditAdminScreen(MarketScreen):
    """The audit log, newest first, filtered as the admin asks."""

    HELP_NAME = "Audit log"
    SUBTITLE = "audit log"
    AUTO_FOCUS = "#audit"
    CSS_PATH = "admin_audit.tcss"

    BINDINGS = [
        Binding("f", "filters", "Filters", id="audit.filters", tooltip="Who acted, the action, the object, dates"),
        Binding("ctrl+l", "clear", "Clear filters", id="audit.clear", tooltip="List every event again"),
        Binding("ctrl+s", "export", "Save: export", id="audit.export",
                tooltip="Write the filtered view to a file, as CSV or JSON"),
        Binding("f5", "reload", "Reload", show=False, id="audit.reload", tooltip="Read the newest events again"),
        Binding("escape", "app.pop_screen", "Back", id="audit.back", tooltip="Back to where you were"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = AuditFilter()
        self.events: list[AuditEntry] = []
        self.next_before_id: int | None = None
        self.actions: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="audit-log"):
            yield Static("", id="audit-summary")
            yield AuditTable(id="audit", cursor_type="row", zebra_stripes=True)
            yield Static("", id="audit-empty")
        yield MarketFooter()

    def on_mount(self) -> None:
        self.action_reload()

    @property
    def current(self) -> AuditEntry | None:
        row = self.query_one("#audit", DataTable).cursor_row
        return self.events[row] if self.events and row is not None and row < len(self.events) else None

    # ------------------------------------------------------------------ loading

    def action_reload(self) -> None:
        self.query_one("#audit-log").loading = True
        self.load(self.filter)

    @work(thread=True, exclusive=True, exit_on_error=False, group="audit")
    def load(self, f: AuditFilter) -> None:
        market = self.app.market
        page = market.audit_events(**vars(f), limit=PAGE)
        actions = market.audit_actions()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, f, page, actions)

    @work(thread=True, exclusive=True, exit_on_error=False, group="audit-more")
    def load_more(self, f: AuditFilter, before_id: int) -> None:
        page = self.app.market.audit_events(**vars(f), before_id=before_id, limit=PAGE)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._append, f, before_id, page)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "audit":
            self.query_one("#audit-log").loading = False
            if isinstance(error, PermissionDenied):
                self.query_one("#audit-empty", Static).update(Text(f"The audit log is for admins: {error}."))
                self.set_class(True, "-empty")

    def _show(self, f: AuditFilter, page: AuditPage, actions: list[str]) -> None:
        if not self.is_attached:
            return
        self.filter, self.actions = f, actions
        self.events, self.next_before_id = list(page.events), page.next_before_id
        self.query_one("#audit-log").loading = False
        self._fill()
        self.query_one("#audit-empty", Static).update(NO_EVENTS if f.is_empty() else NO_MATCH)
        self.set_class(not self.events, "-empty")
        self._summarise()
        self.refresh_bindings()

    def _append(self, f: AuditFilter, before_id: int, page: AuditPage) -> None:
        # A page asked for under other filters, or after a reload, is not this list's.
        if not self.is_attached or f != self.filter or before_id != self.next_before_id:
            return
        self.events += page.events
        self.next_before_id = page.next_before_id
        table = self.query_one("#audit", DataTable)
        for entry in page.events:
            table.add_row(*self._cells(entry), key=str(entry.id))
        self._summarise()

    def _summarise(self) -> None:
        shown = f"{len(self.events)} event{'s' if len(self.events) != 1 else ''} shown"
        more = ", more below" if self.next_before_id is not None else ""
        filters = f"filters: {filter_words(self.filter)}" if not self.filter.is_empty() else "no filters (f)"
        self.query_one("#audit-summary", Static).update(Text(f"Newest first · {shown}{more} · {filters}"))

    def on_resize(self) -> None:
        if self.events:
            self._fill()

    def _cells(self, e: AuditEntry) -> tuple[Text, ...]:
        wide = self.size.width >= 100
        when = f"{e.at:%Y-%m-%d %H:%M}" if wide else f"{e.at:%m-%d %H:%M}"
        who = Text(clean_line(e.actor or SYSTEM_ACTOR), style="" if e.actor else "dim")
        # A setting's events name no row: the setting's key says what they changed.
        key = e.detail.get("key") if e.object_id is None else None
        target = e.object + (f" {key}" if isinstance(key, str) else "")
        return (Text(when), who, Text(clean_line(e.identified_by)), Text(clean_line(e.action)),
                Text(clean_line(target), no_wrap=True, overflow="ellipsis"))

    def _fill(self) -> None:
        table = self.query_one("#audit", DataTable)
        row = table.cursor_row
        wide = self.size.width >= 100
        table.clear(columns=True)
        fixed = [("When (UTC)", 16 if wide else 11), ("Who", 22 if wide else 12), ("How", 9 if wide else 8),
                 ("Action", 24 if wide else 16)]
        used = sum(w for _, w in fixed) + 2 * (len(fixed) + 1) + 4
        for label, width in fixed:
            table.add_column(label, width=width)
        table.add_column("Object", width=max(8, (self.size.width or 80) - used))
        for entry in self.events:
            table.add_row(*self._cells(entry), key=str(entry.id))
        if self.events and row is not None:
            table.move_cursor(row=min(row, len(self.events) - 1))

    @on(DataTable.RowHighlighted, "#audit")
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        if self.next_before_id is not None and event.cursor_row >= len(self.events) - AHEAD:
            running = [w for w in self.workers if w.group == "audit-more" and not w.is_finished]
            if not running:
                self.load_more(self.filter, self.next_before_id)

    @on(DataTable.RowSelected, "#audit")
    def _open_event(self) -> None:
        if self.current is not None:
            self.app.push_screen(AuditEventDialog(self.current))

    # ------------------------------------------------------------------ filters and export

    def _filtered(self, f: AuditFilter | None) -> None:
        if f is not None and f != self.filter:
            self.filter = f
            self.action_reload()

    def action_filters(self) -> None:
        self.app.push_screen(AuditFilterForm(self.filter, self.actions), self._filtered)

    def action_clear(self) -> None:
        self._filtered(AuditFilter())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "filters":
            return self.app.me is not None and self.app.me.is_admin
        if action == "clear":
            return not self.filter.is_empty() or None
        if action == "export":
            return bool(self.events) or None
        return True

    def action_export(self) -> None:
        if self.app.remote:
            self.notify("An export would be saved on the server, so it is off in an SSH session.",
                        severity="warning", markup=False)
            return
        if not self.events:
            return
        self.app.push_screen(AuditExportForm(self.filter, self.app.market.clock().date()), self._exported)

    def _exported(self, said: str | None) -> None:
        if said:
            self.notify(said, markup=False)
