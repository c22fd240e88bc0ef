"""Inbox: every change that concerns me, newest first; enter goes to what it is about."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, get_current_worker

from oppmarket.domain import Notification
from oppmarket.text import clean_line
from oppmarket.screens.base import ListScreen
from oppmarket.widgets.footer import MarketFooter

EMPTY = ("Nothing here yet.\n\n"
         "You hear here of every change that concerns you: someone applying to your posting; "
         "being shortlisted, offered or declined; your manager releasing your time; a posting "
         "you applied to being cancelled; an owner inviting you to apply.")
UNREAD = "●"
DONE = "✓"  # an item that asked for something which has since happened


class NotificationTable(DataTable):
    """Notifications, one a row; enter opens the one highlighted."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="notifications.open",
                tooltip="Go to what the highlighted notification is about, and mark it read"),
    ]


class InboxScreen(ListScreen):
    """My notifications, unread ones marked."""

    HELP_NAME = "Inbox"
    SUBTITLE = "inbox"
    TABLE = "#notifications"

    BINDINGS = [
        Binding("space", "mark_read", "Mark read", id="inbox.read", tooltip="Mark the highlighted notification read"),
        Binding("ctrl+a", "mark_all_read", "All read", id="inbox.all_read", tooltip="Mark every notification read"),
        Binding("f5", "reload", "Reload", id="inbox.reload", tooltip="Fetch the notifications again"),
        Binding("escape", "app.go('browse')", "Back", id="inbox.back", tooltip="Back to browse"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.notifications: tuple[Notification, ...] = ()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="inbox"):
            yield Static("", id="inbox-summary")
            yield NotificationTable(id="notifications", cursor_type="row", zebra_stripes=True)
            yield Static("", id="notification-text")
            yield Static(EMPTY, id="inbox-empty")
        yield MarketFooter()

    @property
    def highlighted(self) -> Notification | None:
        row = self.table.cursor_row
        if self.table.row_count and 0 <= row < len(self.notifications):
            return self.notifications[row]
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "mark_read":
            return None if self.highlighted is None or self.highlighted.read else True
        if action == "mark_all_read":
            return None if not any(not n.read for n in self.notifications) else True
        return True

    # ------------------------------------------------------------------ loading

    def action_reload(self) -> None:
        self.table.loading = not self.notifications
        self.load()

    def unread_changed(self) -> None:
        """News arrived (or was read elsewhere) while the inbox is open."""
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="inbox")
    def load(self) -> None:
        notifications = tuple(self.app.market.notifications())
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, notifications)

    def _show(self, notifications: tuple[Notification, ...]) -> None:
        table = self.table
        previous = self.highlighted.id if self.highlighted else None
        self.notifications = notifications
        table.loading = False
        unread = sum(not n.read for n in notifications)
        self.query_one("#inbox-summary", Static).update(
            Text.assemble((f"{unread} unread", "bold"), f" of {len(notifications)}. ",
                          ("enter opens one and marks it read.", "dim"))
            if notifications else "")
        self.set_class(not notifications, "-empty")
        self._fill(previous)
        self.app.refresh_unread()

    def on_resize(self) -> None:
        if self.notifications:
            self._fill(self.highlighted.id if self.highlighted else None)

    def _fill(self, previous: int | None) -> None:
        table = self.table
        width = self.size.width or 80
        table.clear(columns=True)
        table.add_column("", width=1)
        table.add_column("When", width=16 if width >= 100 else 10)
        table.add_column("What", width=max(20, width - (16 if width >= 100 else 10) - 1 - 6 - 4))
        ids = []
        for n in self.notifications:
            style = "bold" if not n.read else "dim"
            when = f"{n.created_at:%Y-%m-%d %H:%M}" if width >= 100 else f"{n.created_at:%Y-%m-%d}"
            mark = UNREAD if not n.read else DONE if n.done else ""
            table.add_row(Text(mark, style="bold" if not n.read else "dim"), Text(when, style=style),
                          Text(clean_line(n.text), style=style, no_wrap=True, overflow="ellipsis"),
                          key=str(n.id))
            ids.append(n.id)
        if ids:
            table.move_cursor(row=ids.index(previous) if previous in ids else 0, scroll=True)
            table.focus()
        else:
            # The empty list is hidden; left focused, its keys would stay in the footer
            # until Textual noticed, which made the footer depend on timing.
            self.set_focus(None)
        self.follow_cursor()

    def show_highlighted(self) -> None:
        """The highlighted notification in full: a row cuts it to the width."""
        n = self.highlighted
        text = Text.assemble((f"{n.created_at:%Y-%m-%d %H:%M}  ", "dim"), clean_line(n.text)) if n else Text()
        if n is not None and n.done:
            text.append(f"\n{DONE} Done: what this asked for has happened.", style="dim")
        self.query_one("#notification-text", Static).update(text)

    # ------------------------------------------------------------------ reading

    @on(DataTable.RowSelected, "#notifications")
    def _open(self) -> None:
        if (n := self.highlighted) is not None:
            self.read(n.id, n.link)

    def action_mark_read(self) -> None:
        if (n := self.highlighted) is not None and not n.read:
            self.read(n.id, None)

    def action_mark_all_read(self) -> None:
        self.read(None, None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="inbox-read")
    def read(self, notification_id: int | None, link: str | None) -> None:
        market = self.app.market
        market.mark_read(notification_id)
        notifications = tuple(market.notifications())
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._read, notifications, link)

    def _read(self, notifications: tuple[Notification, ...], link: str | None) -> None:
        self._show(notifications)
        if link:
            self.app.open_link(link)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "inbox":
            self.table.loading = False
