"""The admin console: one list of what an admin looks after, each part one key away —
people, departments, the skills taxonomy, key roles, imports, settings, the audit log
and backups — with how much each part holds beside it. Only admins reach it; the app
tells anyone else so before it would open."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, get_current_worker

from oppmarket.domain import AdminOverview
from oppmarket.screens.base import MarketScreen
from oppmarket.widgets.footer import MarketFooter

FOR_ADMINS = "The admin console is for admins: people, skills, settings and the audit log are theirs to look after."

BACKUP_WORDS = (
    "Backups run from the shell: `oppmarket admin backup FILE` copies a SQLite database while people "
    "keep working and checks the copy; on PostgreSQL it prints the pg_dump command. The README says "
    "how to restore.")


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Part:
    """One part of the console: its name, what it does, and the screen that does it
    (module and class, imported when it opens)."""

    key: str
    name: str
    about: str
    screen: str  # "module:Class"; empty: the part is words only (backup)

    def count(self, o: AdminOverview) -> str:
        figures = {
            "people": f"{o.active_people:,} active · {o.inactive_people:,} inactive · {_count(o.admins, 'admin')}",
            "departments": _count(o.departments, "department"),
            "skills": _count(o.skills, "skill"),
            "key_roles": _count(o.key_roles, "key role"),
            "audit": _count(o.audit_events, "event"),
        }
        return figures.get(self.key, "")


PARTS: tuple[Part, ...] = (
    Part("people", "People", "find, add, edit; managers, hours and caps; admins; deactivate",
         "oppmarket.screens.admin_people:PeopleAdminScreen"),
    Part("departments", "Departments", "add, rename, place under another, merge",
         "oppmarket.screens.admin_departments:DepartmentsAdminScreen"),
    Part("skills", "Skills", "rename, aliases, merge, retire — and where each skill is used",
         "oppmarket.screens.admin_skills:SkillsAdminScreen"),
    Part("key_roles", "Key roles", "holders, risk, benches and the skills each role needs",
         "oppmarket.screens.key_roles:KeyRolesScreen"),
    Part("imports", "Imports", "people, skills or opportunities from CSV, with a preview first",
         "oppmarket.screens.admin_imports:ImportsAdminScreen"),
    Part("settings", "Settings", "automatic release, default cap, idle timeout, days to answer an offer",
         "oppmarket.screens.admin_settings:SettingsAdminScreen"),
    Part("audit", "Audit log", "who did what and when, filtered; export as CSV or JSON",
         "oppmarket.screens.admin_audit:AuditAdminScreen"),
    Part("backup", "Backup", "a consistent copy of the database while people keep working", ""),
)


def part_line(number: int, part: Part, overview: AdminOverview | None) -> Text:
    """'1  People       4 active · 0 inactive · 1 admin', and under it what the part does."""
    line = Text(f"{number}  ")
    line.append(f"{part.name:<13}", style="bold")
    line.append(part.count(overview) if overview is not None else "")
    line.append(f"\n   {part.about}", style="dim")
    return line


class AdminScreen(MarketScreen):
    """The parts of the admin console; enter or a part's digit opens it."""

    HELP_NAME = "Admin console"
    SUBTITLE = "admin console"
    AUTO_FOCUS = "#admin-parts"

    BINDINGS = [
        *(Binding(str(n), f"open_part({n - 1})", part.name, show=False, id=f"admin.part{n}",
                  tooltip=f"Open {part.name.lower()}") for n, part in enumerate(PARTS, 1)),
        Binding("f5", "reload", "Reload", show=False, id="admin.reload", tooltip="Count again"),
        Binding("escape", "app.go('browse')", "Back", id="admin.back", tooltip="Back to browse"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.overview: AdminOverview | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="admin"):
            yield Static("Everything an admin looks after. Enter or the part's number opens it.", id="admin-intro")
            yield OptionList(*self._options(), id="admin-parts")
            yield Static("", id="admin-detail")
        yield MarketFooter()

    def on_mount(self) -> None:
        self.action_reload()

    def on_screen_resume(self) -> None:
        # Counted again, quietly, on coming back from a part that may have changed them:
        # the list stays usable meanwhile.
        if self.overview is not None:
            self.load()

    def _options(self) -> list[Option]:
        return [Option(part_line(n, part, self.overview), id=part.key) for n, part in enumerate(PARTS, 1)]

    def action_reload(self) -> None:
        self.query_one("#admin-parts").loading = True
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="admin-overview")
    def load(self) -> None:
        overview = self.app.market.admin_overview()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, overview)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "admin-overview":
            self.query_one("#admin-parts").loading = False

    def _show(self, overview: AdminOverview) -> None:
        if not self.is_attached:
            return
        self.overview = overview
        parts = self.query_one("#admin-parts", OptionList)
        highlighted = parts.highlighted
        parts.clear_options()
        parts.add_options(self._options())
        parts.highlighted = highlighted or 0
        parts.loading = False

    @on(OptionList.OptionHighlighted, "#admin-parts")
    def _describe(self, event: OptionList.OptionHighlighted) -> None:
        part = PARTS[event.option_index]
        self.query_one("#admin-detail", Static).update(BACKUP_WORDS if part.key == "backup" else "")

    @on(OptionList.OptionSelected, "#admin-parts")
    def _open_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open_part(event.option_index)

    def action_open_part(self, index: int) -> None:
        self.open(PARTS[index])

    def open(self, part: Part) -> None:
        index = PARTS.index(part)
        self.query_one("#admin-parts", OptionList).highlighted = index
        if not part.screen:
            self.query_one("#admin-detail", Static).update(BACKUP_WORDS)
            return
        module, name = part.screen.split(":")
        self.app.push_screen(getattr(importlib.import_module(module), name)())
