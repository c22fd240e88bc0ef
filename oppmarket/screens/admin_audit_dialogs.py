"""The dialogs of the audit log screen: the filters, one event in full with what it
changed, and where to export the filtered view."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from oppmarket.audit_trail import SYSTEM_ACTOR, changes, parse_object, shown
from oppmarket.cli_admin_audit import export_audit
from oppmarket.domain import AuditEntry, AuditFilter
from oppmarket.errors import ValidationError
from oppmarket.text import clean_line
from oppmarket.widgets.confirm import ConfirmDialog
from oppmarket.widgets.dialog import Dialog, FormDialog, save_buttons, show_error

FILTER_FIELDS = ("actor", "action", "object", "since", "until")


def _text(value: object) -> str:
    return "" if value is None else str(value)


class AuditFilterForm(FormDialog[AuditFilter | None]):
    """Who, what, which object, from and to: dismisses with the filter once the
    market has read it (so a bad date is named on its field), or None."""

    BOX = VerticalScroll
    BOX_ID = "audit-filter-dialog"
    SUBMIT = "#filter-save"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="audit_filter.save", tooltip="List the events these filters match"),
        Binding("escape", "dismiss(None)", "Back", id="audit_filter.back", tooltip="Keep the filters as they were"),
    ]

    def __init__(self, current: AuditFilter, actions: list[str]) -> None:
        super().__init__(Text("Filter the audit log"))
        self.current = current
        self.actions = actions
        self.chosen = current

    def compose_body(self) -> ComposeResult:
        f = self.current
        with Horizontal(classes="field-row"):
            with Vertical(classes="field"):
                yield Label(f"Who: a username, or {SYSTEM_ACTOR}", classes="field-label")
                yield Input(f.actor or "", placeholder="e.g. amara.rossi", id="filter-actor")
                yield Static("", id="actor-error", classes="field-error")
            with Vertical(classes="field"):
                yield Label("Action", classes="field-label")
                options = sorted(set(self.actions) | ({f.action} if f.action else set()))
                yield Select([(Text(clean_line(a)), a) for a in options], prompt="Any action",
                             value=f.action if f.action else Select.NULL, id="filter-action")
                yield Static("", id="action-error", classes="field-error")
        yield Label("Object: TYPE or TYPE:ID", classes="field-label")
        obj = f.object_type + (f":{f.object_id}" if f.object_id is not None else "") if f.object_type else ""
        yield Input(obj, placeholder="e.g. setting, key_role:3", id="filter-object")
        yield Static("", id="object-error", classes="field-error")
        yield Label("From: a day (YYYY-MM-DD, UTC)", classes="field-label")
        yield Input(_text(f.since), placeholder="any day", id="filter-since")
        yield Static("", id="since-error", classes="field-error")
        yield Label("To: a day, included", classes="field-label")
        yield Input(_text(f.until), placeholder="any day", id="filter-until")
        yield Static("", id="until-error", classes="field-error")
        yield Static("", id="filter-error", classes="field-error")
        yield save_buttons("filter")

    def on_mount(self) -> None:
        for static in self.query(".field-error"):
            show_error(static, "")
        self.query_one("#filter-actor", Input).focus()

    def action_save(self) -> None:
        for static in self.query(".field-error"):
            show_error(static, "")
        value = {name: self.query_one(f"#filter-{name}", Input).value.strip()
                 for name in ("actor", "object", "since", "until")}
        try:
            object_type, object_id = parse_object(value["object"]) if value["object"] else (None, None)
        except ValueError as exc:
            self.show_field_error("object", str(exc))
            return
        action = self.query_one("#filter-action", Select).value
        self.chosen = AuditFilter(actor=value["actor"] or None, action=action if isinstance(action, str) else None,
                                  object_type=object_type, object_id=object_id,
                                  since=value["since"] or None, until=value["until"] or None)
        market, chosen = self.app.market, self.chosen
        self.send(lambda: market.audit_events(**vars(chosen), limit=1))

    def sent(self, result: object) -> None:
        self.dismiss(self.chosen)

    def refused(self, error: ValidationError) -> None:
        for field, message in error.fields.items():
            where = "object" if field in ("object_type", "object_id") else field
            self.show_field_error(where if where in FILTER_FIELDS else "filter", message[:1].upper() + message[1:])


def event_table(entry: AuditEntry) -> Table | Text:
    """What the event changed, a line per field: old → new."""
    found = changes(entry)
    if not found:
        return Text("It records no change of a value; its detail is below.", style="dim")
    table = Table("Field", "Old", "", "New", box=None, pad_edge=False)
    for c in found:
        table.add_row(Text(clean_line(c.field)), Text(shown(c.old)), Text("→"), Text(shown(c.new)))
    return table


class AuditEventDialog(Dialog[None]):
    """One audit event in full: when, who and how they were identified, what they did
    to what, each value it changed (old → new) and its whole recorded detail."""

    BOX = VerticalScroll
    BOX_ID = "audit-event-dialog"

    BINDINGS = [Binding("escape", "dismiss(None)", "Back", id="audit_event.back", tooltip="Back to the log")]

    def __init__(self, entry: AuditEntry) -> None:
        super().__init__(Text(f"Audit event {entry.id}"))
        self.entry = entry

    def compose_body(self) -> ComposeResult:
        e = self.entry
        head = Text()
        head.append("When: ", style="bold").append(f"{e.at:%Y-%m-%d %H:%M:%S} UTC\n")
        head.append("Who: ", style="bold").append(clean_line(e.actor or SYSTEM_ACTOR))
        head.append(f" (identified by {clean_line(e.identified_by)})\n")
        head.append("Did: ", style="bold").append(f"{clean_line(e.action)} on {clean_line(e.object)}")
        yield Static(head, classes="dialog-text")
        yield Static(event_table(e), id="event-changes", classes="dialog-text")
        detail = Text("Recorded detail: ", style="bold")
        detail.append(clean_line(json.dumps(e.detail, sort_keys=True, ensure_ascii=False, default=str)), style="dim")
        yield Static(detail, id="event-detail", classes="dialog-text")
        with Horizontal(classes="buttons"):
            yield Button("Back (esc)", id="event-back", action="screen.dismiss(None)")


class AuditExportForm(FormDialog[str | None]):
    """Where to write the filtered view, and as what; asks before replacing a file.
    Dismisses with what was written, in words, or None."""

    BOX_ID = "audit-export-dialog"
    SUBMIT = "#export-save"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="audit_export.save", tooltip="Write the file"),
        Binding("escape", "dismiss(None)", "Back", id="audit_export.back", tooltip="Export nothing"),
    ]

    def __init__(self, f: AuditFilter, today: dt.date) -> None:
        super().__init__(Text("Export the filtered log"))
        self.filter = f
        self.default = f"oppmarket-audit-{today:%Y-%m-%d}"

    def compose_body(self) -> ComposeResult:
        yield Static("Every event these filters match, newest first, into a file only you may read.",
                     classes="dialog-text muted")
        yield Label("File", classes="field-label")
        yield Input(f"{self.default}.csv", id="export-path")
        yield Static("", id="file-error", classes="field-error")
        yield Label("Format", classes="field-label")
        yield Select([("CSV", "csv"), ("JSON", "json")], value="csv", allow_blank=False, id="export-format")
        yield save_buttons("export")

    def on_mount(self) -> None:
        show_error(self.query_one("#file-error", Static), "")
        self.query_one("#export-path", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#export-path", Input)
        if path.value in (f"{self.default}.csv", f"{self.default}.json"):
            path.value = f"{self.default}.{event.value}"

    def action_save(self) -> None:
        show_error(self.query_one("#file-error", Static), "")
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self.show_field_error("file", "Name the file to write")
            return
        target = Path(text).expanduser()
        if target.exists():
            def answered(yes: bool | None) -> None:
                if yes:
                    self._export(target, force=True)

            self.app.push_screen(ConfirmDialog(f"Replace {clean_line(str(target))}?",
                                               "The file there now is lost.", yes="Replace", no="Keep"), answered)
            return
        self._export(target, force=False)

    def _export(self, target: Path, *, force: bool) -> None:
        market, f = self.app.market, self.filter
        fmt = str(self.query_one("#export-format", Select).value)
        self.send(lambda: f"Exported {export_audit(market, f, target, fmt, force=force)} event(s) to {target}.")

    def refused(self, error: ValidationError) -> None:
        self.show_field_error("file", next(iter(error.fields.values()), str(error)))
