"""The marketplace's settings, for admins: each one's value, default and range, what
it does below the list, and e to change the highlighted one (checked on the field;
every change is audited with the value it had)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Label, Static
from textual.worker import Worker, get_current_worker

from oppmarket.domain import SettingValue
from oppmarket.errors import ValidationError
from oppmarket.screens.base import MarketScreen
from oppmarket.widgets.dialog import FormDialog, save_buttons, show_error
from oppmarket.widgets.footer import MarketFooter


def value_words(s: SettingValue) -> str:
    """'5 days', '20 % of weekly hours', '0 minutes (never)'."""
    never = " (never)" if s.key == "session_idle_minutes" and s.value == 0 else ""
    return f"{s.value} {s.unit}{never}"


class SettingForm(FormDialog[SettingValue | None]):
    """Change one setting; dismisses with it as saved, or None."""

    BOX_ID = "setting-dialog"
    SUBMIT = "#setting-save"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="setting_form.save", tooltip="Save the setting"),
        Binding("escape", "dismiss(None)", "Back", id="setting_form.back", tooltip="Close without saving"),
    ]

    def __init__(self, setting: SettingValue) -> None:
        super().__init__(Text(setting.label))
        self.setting = setting

    def compose_body(self) -> ComposeResult:
        s = self.setting
        yield Static(Text(s.words), classes="dialog-text")
        yield Label(f"Value: {s.low} to {s.high} {s.unit} (default {s.default})", classes="field-label")
        yield Input(str(s.value), id="setting-value")
        yield Static("", id="value-error", classes="field-error")
        yield save_buttons("setting")

    def on_mount(self) -> None:
        show_error(self.query_one("#value-error", Static), "")
        self.query_one("#setting-value", Input).focus()

    @on(Input.Submitted, "#setting-value")
    def action_save(self) -> None:
        show_error(self.query_one("#value-error", Static), "")
        market, key = self.app.market, self.setting.key
        value = self.query_one("#setting-value", Input).value
        self.send(lambda: market.set_setting(key, value))

    def refused(self, error: ValidationError) -> None:
        message = error.fields.get(self.setting.key) or next(iter(error.fields.values()), str(error))
        self.show_field_error("value", message)


class SettingsAdminScreen(MarketScreen):
    """Every setting of the marketplace; e changes the highlighted one."""

    HELP_NAME = "Settings"
    SUBTITLE = "settings"
    AUTO_FOCUS = "#settings"
    CSS_PATH = "admin_audit.tcss"

    BINDINGS = [
        Binding("e", "edit", "Edit", id="settings.edit", tooltip="Change the highlighted setting (admins)"),
        Binding("f5", "reload", "Reload", show=False, id="settings.reload", tooltip="Read the settings again"),
        Binding("escape", "app.pop_screen", "Back", id="settings.back", tooltip="Back to where you were"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.settings: list[SettingValue] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="admin-settings"):
            yield Static("Settings of the whole marketplace; e changes the highlighted one. "
                         "Every change is in the audit log.", id="settings-summary")
            yield DataTable(id="settings", cursor_type="row", zebra_stripes=True)
            yield Static("", id="setting-words")
        yield MarketFooter()

    def on_mount(self) -> None:
        self.action_reload()

    @property
    def current(self) -> SettingValue | None:
        row = self.query_one("#settings", DataTable).cursor_row
        return self.settings[row] if self.settings and row is not None and row < len(self.settings) else None

    def action_reload(self, select: str | None = None) -> None:
        self.query_one("#admin-settings").loading = True
        self.load(select)

    @work(thread=True, exclusive=True, exit_on_error=False, group="settings")
    def load(self, select: str | None) -> None:
        settings = self.app.market.settings()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, settings, select)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "settings":
            self.query_one("#admin-settings").loading = False

    def _show(self, settings: list[SettingValue], select: str | None) -> None:
        if not self.is_attached:
            return
        keep = select or (self.current.key if self.current else None)
        self.settings = settings
        self.query_one("#admin-settings").loading = False
        self._fill()
        keys = [s.key for s in settings]
        if keep in keys:
            self.query_one("#settings", DataTable).move_cursor(row=keys.index(keep))
        self.show_highlighted()

    def on_resize(self) -> None:
        if self.settings:
            self._fill()

    def _fill(self) -> None:
        table = self.query_one("#settings", DataTable)
        row = table.cursor_row
        wide = self.size.width >= 100
        table.clear(columns=True)
        fixed = [("Value", 26 if wide else 14), ("Default", 8), ("Range", 12 if wide else 9)]
        used = sum(w for _, w in fixed) + 2 * (len(fixed) + 1) + 4
        table.add_column("Setting", width=max(12, (self.size.width or 80) - used))
        for label, width in fixed:
            table.add_column(label, width=width)
        for s in self.settings:
            value = Text(value_words(s) if wide else str(s.value), style="bold" if s.changed else "")
            if s.changed:
                value.append(" · changed", style="italic")
            table.add_row(Text(s.label), value,
                          Text(str(s.default)), Text(f"{s.low}–{s.high}"), key=s.key)
        if self.settings and row is not None:
            table.move_cursor(row=min(row, len(self.settings) - 1))

    @on(DataTable.RowHighlighted, "#settings")
    def show_highlighted(self) -> None:
        s = self.current
        words = Text()
        if s is not None:
            words.append(f"{s.label} ({s.key}): ", style="bold")
            words.append(s.words)
            words.append(f"\nNow {value_words(s)}; default {s.default}; from {s.low} to {s.high}.",
                         style="" if s.changed else "dim")
        self.query_one("#setting-words", Static).update(words)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit":
            if self.app.me is None or not self.app.me.is_admin:
                return False
            return self.current is not None or None
        return True

    def action_edit(self) -> None:
        if self.current is not None:
            old = self.current
            self.app.push_screen(SettingForm(old), lambda saved: self._saved(old, saved))

    def _saved(self, old: SettingValue, saved: SettingValue | None) -> None:
        if saved is None:
            return
        if saved.value != old.value:
            self.notify(f"{saved.label} is now {value_words(saved)} (was {old.value}).", markup=False)
        self.action_reload(select=saved.key)
