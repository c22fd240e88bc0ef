"""People, for admins: everyone in the marketplace (the inactive marked), found by a
few letters of a name, username, title or department with `/`; ctrl+n adds someone,
e changes their details and manager, h their hours and cap, ctrl+g their admin
rights (asks first), x deactivates them (showing what it undoes and asking each
decision it needs), y lets someone deactivated back in (asks first)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Input, Static
from textual.worker import Worker, get_current_worker

from oppmarket.domain import Person
from oppmarket.people import DeactivationPlan, PersonEntry
from oppmarket.render import cell
from oppmarket.screens.admin_people_dialogs import DeactivateForm, PersonForm, TermsForm
from oppmarket.screens.base import MarketScreen
from oppmarket.text import clean_line
from oppmarket.widgets.confirm import ConfirmDialog
from oppmarket.widgets.footer import MarketFooter

NOBODY = "Nobody is in the marketplace yet — add someone with ctrl+n."
NO_MATCH = "Nobody matches “{query}”: try fewer letters, or clear the search with escape."


def detail_line(entry: PersonEntry) -> Text:
    """'Jane Doe (jane.doe) · Engineer · Platform · reports to Sam Lee · 3 reports · 40 h, cap 20% (8 h)'."""
    p = entry.person
    text = Text(clean_line(p.display_name), style="bold")
    text.append(f" ({p.username})")
    for part in (p.title, p.department or "no department", p.email):
        if part:
            text.append(f" · {clean_line(part)}")
    text.append(f"\nReports to {clean_line(entry.manager_name or 'nobody')}")
    text.append(f" · {entry.reports} report{'s' if entry.reports != 1 else ''}")
    text.append(f" · {p.weekly_hours} h a week, cap {p.cap_pct}% ({p.cap_hours:g} h)")
    if p.is_admin:
        text.append(" · admin", style="bold")
    if not p.active:
        text.append(" · inactive: y lets them back in", style="bold")
    return text


class PeopleAdminScreen(MarketScreen):
    """Everyone, with their manager, hours, cap, admin rights and whether they are active."""

    HELP_NAME = "People"
    SUBTITLE = "people"
    AUTO_FOCUS = "#people-table"
    # At 80 columns the footer keeps the screen's other keys and ?; the help lists it.
    FOOTER_WIDE_ONLY = frozenset({"people.admin"})
    CSS_PATH = "admin_people.tcss"

    BINDINGS = [
        Binding("slash", "find", "Search", id="people.find", tooltip="Find people by name, username, title, department"),
        Binding("ctrl+n", "add", "Add", id="people.add", tooltip="Add a person"),
        Binding("e", "edit", "Edit", id="people.edit",
                tooltip="Change the highlighted person's name, title, email, department or manager"),
        Binding("h", "terms", "Weekly hours", id="people.terms",
                tooltip="Change the highlighted person's contracted hours and time cap"),
        Binding("ctrl+g", "admin", "Admin rights", id="people.admin",
                tooltip="Make the highlighted person an admin, or revoke it (asks first)"),
        Binding("x", "deactivate", "Deactivate", id="people.deactivate",
                tooltip="Deactivate the highlighted person: their work is handed over first (asks)"),
        Binding("y", "reactivate", "Reactivate", id="people.reactivate",
                tooltip="Let the highlighted deactivated person back in (asks first)"),
        Binding("f5", "reload", "Reload", show=False, id="people.reload", tooltip="Read everyone again"),
        Binding("escape", "back", "Back", id="people.back", tooltip="Clear the search, or back to where you were"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[PersonEntry] = []
        self.everyone: list[PersonEntry] = []
        self.query_text = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="people"):
            yield Input(placeholder="Find people: name, username, title, department", id="people-find")
            yield Static("", id="people-summary")
            yield DataTable(id="people-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="people-empty")
            yield Static("", id="people-detail")
        yield MarketFooter()

    def on_mount(self) -> None:
        self.query_one("#people-find").display = False
        self.action_reload()

    @property
    def current(self) -> PersonEntry | None:
        table = self.query_one("#people-table", DataTable)
        if not self.entries or table.cursor_row is None or table.cursor_row >= len(self.entries):
            return None
        return self.entries[table.cursor_row]

    # ------------------------------------------------------------------ loading

    def action_reload(self, select: str | None = None) -> None:
        self.query_one("#people").loading = True
        self.load(self.query_text, select)

    @work(thread=True, exclusive=True, exit_on_error=False, group="people")
    def load(self, query: str, select: str | None) -> None:
        market = self.app.market
        entries = market.people_entries(query, include_inactive=True)
        everyone = entries if not query else market.people_entries(include_inactive=True)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, entries, everyone, query, select)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "people":
            self.query_one("#people").loading = False

    def _show(self, entries: list[PersonEntry], everyone: list[PersonEntry], query: str, select: str | None) -> None:
        if not self.is_attached:
            return
        keep = select or (self.current.person.username if self.current else None)
        self.entries, self.everyone = entries, everyone
        self.query_one("#people").loading = False
        self._fill()
        names = [e.person.username for e in entries]
        if keep in names:
            self.query_one("#people-table", DataTable).move_cursor(row=names.index(keep))
        inactive = sum(1 for e in everyone if not e.person.active)
        admins = sum(1 for e in everyone if e.person.is_admin and e.person.active)
        found = f"{len(entries)} found for “{clean_line(query)}” · " if query else ""
        self.query_one("#people-summary", Static).update(Text(
            f"{found}{len(everyone) - inactive} active · {inactive} inactive · {admins} admin{'s' if admins != 1 else ''}"))
        self.query_one("#people-empty", Static).update(
            Text(NO_MATCH.format(query=clean_line(query)) if query else NOBODY))
        self.set_class(not entries, "-empty")
        self.show_highlighted()

    def on_resize(self) -> None:
        if self.entries:
            self._fill()

    def _fill(self) -> None:
        table = self.query_one("#people-table", DataTable)
        row = table.cursor_row
        wide = self.size.width >= 100
        table.clear(columns=True)
        fixed = [("Username", 16 if wide else 10), *([("Department", 14)] if wide else []),
                 ("Manager", 18 if wide else 10), ("Hours/cap", 10 if wide else 9), ("Admin", 5), ("Active", 8)]
        used = sum(w for _, w in fixed) + 2 * (len(fixed) + 1) + 4
        table.add_column("Name", width=max(10, (self.size.width or 80) - used))
        for label, width in fixed:
            table.add_column(label, width=width)
        for e in self.entries:
            p = e.person
            where = [cell(p.department or "—")] if wide else []
            table.add_row(cell(p.display_name), cell(p.username), *where, cell(e.manager_name or "—"),
                          Text(f"{p.weekly_hours} h {p.cap_pct}%"), Text("admin" if p.is_admin else ""),
                          Text("yes") if p.active else Text("INACTIVE", style="bold"), key=p.username)
        if self.entries and row is not None:
            table.move_cursor(row=min(row, len(self.entries) - 1))

    @on(DataTable.RowHighlighted, "#people-table")
    def show_highlighted(self) -> None:
        current = self.current
        self.query_one("#people-detail", Static).update(detail_line(current) if current else "")
        self.refresh_bindings()

    # ------------------------------------------------------------------ finding

    def action_find(self) -> None:
        field = self.query_one("#people-find", Input)
        field.display = True
        field.focus()

    @on(Input.Changed, "#people-find")
    def _search(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        self.load(self.query_text, None)

    @on(Input.Submitted, "#people-find")
    def _to_list(self) -> None:
        self.query_one("#people-table", DataTable).focus()

    def action_back(self) -> None:
        field = self.query_one("#people-find", Input)
        if field.display and (field.value or field.has_focus):
            field.value = ""
            field.display = False
            self.query_one("#people-table", DataTable).focus()
            return
        self.app.pop_screen()

    # ------------------------------------------------------------------ changing

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The keys for an active person and the one for an inactive one take turns in
        # the footer, so that it fits 80 columns.
        current = self.current
        if action in ("edit", "terms", "admin", "deactivate"):
            return None if current is None else current.person.active
        if action == "reactivate":
            return current is not None and not current.person.active
        return True

    def _saved(self, person: Person | None) -> None:
        if person is not None:
            self.notify(f"Saved {clean_line(person.display_name)} ({person.username}).", markup=False)
            self.action_reload(select=person.username)

    def action_add(self) -> None:
        self.app.push_screen(PersonForm(self.everyone), self._saved)

    def action_edit(self) -> None:
        if self.current is not None:
            self.app.push_screen(PersonForm(self.everyone, self.current), self._saved)

    def action_terms(self) -> None:
        if self.current is not None:
            self.app.push_screen(TermsForm(self.current.person), self._saved)

    def _ask_then(self, question: str, detail: str, yes: str, write: Callable[[], Person]) -> None:
        def answered(go: bool | None) -> None:
            if go:
                self.write(write)

        self.app.push_screen(ConfirmDialog(question, detail, yes=yes, no="Keep"), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="people-write")
    def write(self, write: Callable[[], Person]) -> None:
        person = write()
        self.app.call_from_thread(self._saved, person)

    def action_admin(self) -> None:
        current = self.current
        if current is None:
            return
        p, market = current.person, self.app.market
        if p.is_admin:
            self._ask_then(f"Revoke {p.display_name}'s admin rights?", "They keep everything else; the last "
                           "active admin always stays one.", "Revoke", lambda: market.set_admin(p.username, False))
        else:
            self._ask_then(f"Make {p.display_name} an admin?", "Admins add, change and deactivate people, and see "
                           "the whole company's insights and audit trail.", "Make admin",
                           lambda: market.set_admin(p.username, True))

    def action_reactivate(self) -> None:
        current = self.current
        if current is not None:
            p, market = current.person, self.app.market
            self._ask_then(f"Let {p.display_name} back in?", "They can sign in again; nothing their "
                           "deactivation ended comes back, nor any admin rights.", "Reactivate",
                           lambda: market.reactivate_person(p.username))

    def action_deactivate(self) -> None:
        if self.current is not None:
            self.query_one("#people").loading = True
            self.plan_deactivation(self.current.person.username)

    @work(thread=True, exclusive=True, exit_on_error=False, group="people")
    def plan_deactivation(self, username: str) -> None:
        plan = self.app.market.deactivation_plan(username)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._ask_deactivation, plan)

    def _ask_deactivation(self, plan: DeactivationPlan) -> None:
        self.query_one("#people").loading = False
        if plan.refusal is not None:
            self.notify(f"{plan.person.username} cannot be deactivated: {plan.refusal}.", severity="warning",
                        markup=False)
            return

        def done(person: Person | None) -> None:
            if person is not None:
                self.notify(f"Deactivated {clean_line(person.display_name)}: their work is handed over.",
                            markup=False)
                self.action_reload(select=person.username)

        self.app.push_screen(DeactivateForm(plan, self.everyone), done)
