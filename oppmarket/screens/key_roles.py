"""Key roles and their bench: the list of roles with how many people are ready to
step into each now and how many are one or two skills short; and, behind a role,
those people grouped by readiness with each gap named. Admins add, change and
remove roles here. From a candidate, p opens the post form filled in with a
shadowing of the holder, or a mentorship with them, that grows the gap.

Who stands on a bench shows only to those `policy.may_see_skill_holder` lets see
them (admins everyone, line managers their reports); everyone else reads counts."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, get_current_worker

from oppmarket.capability import READINESS, Candidate, KeyRoleBench, KeyRoleSummary, gap_posting
from oppmarket.domain import Department, KeyRole
from oppmarket.render import cell
from oppmarket.screens.base import MarketScreen
from oppmarket.screens.key_role_dialogs import GapPostingChoice, KeyRoleForm, RoleSkillsDialog
from oppmarket.text import clean_line
from oppmarket.widgets.confirm import ConfirmDialog
from oppmarket.widgets.footer import MarketFooter

NO_ROLES = "No key roles yet — admins add one with ctrl+n."
NO_ROLES_ADMIN = ("No key roles yet — add one with ctrl+n: a role the company could not do without, "
                  "who holds it, and the skills it needs (ctrl+k).")


def role_line(role: KeyRole) -> Text:
    """'Head of Payments · held by Jane Doe · Platform · high risk' and the skills it needs."""
    text = Text(clean_line(role.title), style="bold")
    holder = clean_line(role.holder_name or "") or "nobody (vacant)"
    text.append(f" · held by {holder} · {clean_line(role.department or 'no department')} · {role.risk} risk")
    needs = ", ".join(f"{clean_line(name)} {level}" for name, level in role.skills)
    text.append("\nNeeds: " + (needs or "no skills yet"), style="" if needs else "dim")
    return text


def size_line(bench: KeyRoleBench) -> Text:
    counts = " · ".join(f"{words}: {count}" for words, count in zip(READINESS, bench.size.by_short()))
    return Text(f"Bench: {counts}")


def hidden_line(bench: KeyRoleBench) -> Text:
    hidden = bench.hidden.total
    if not hidden:
        return Text("")
    more = " more" if bench.candidates else ""
    people = f"{hidden}{more} {'person' if hidden == 1 else 'people'}"
    return Text(f"{people} on this bench {'is' if hidden == 1 else 'are'} not shown to you: {bench.why_hidden}.",
                style="dim")


def empty_bench_words(bench: KeyRoleBench) -> str:
    if not bench.role.skills:
        return "This role needs no skills yet, so nobody can be on its bench. An admin sets them with s on the list."
    if bench.size.total:
        return ""
    return ("Nobody holds any of the skills this role needs (the holder aside): its bench is empty. "
            "A shadowing or mentorship with the holder is a way to start one.")


class RoleTable(DataTable):
    """The key roles; enter opens the highlighted one's bench."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Bench", id="roles.bench",
                tooltip="Who could step into the highlighted role, and what each lacks"),
    ]


class KeyRolesScreen(MarketScreen):
    """Every key role with the size of its bench; enter opens the bench."""

    HELP_NAME = "Key roles"
    SUBTITLE = "key roles"
    AUTO_FOCUS = "#roles"

    BINDINGS = [
        Binding("ctrl+n", "add", "Add", id="key_roles.add", tooltip="Add a key role (admins)"),
        Binding("e", "edit", "Edit", id="key_roles.edit",
                tooltip="Change the highlighted role's title, holder, department or risk (admins)"),
        Binding("ctrl+k", "skills", "Skills", id="key_roles.skills",
                tooltip="Set the skills the highlighted role needs, with levels (admins)"),
        Binding("x", "remove", "Delete", id="key_roles.remove",
                tooltip="Remove the highlighted role; its postings stay (admins)"),
        Binding("f5", "reload", "Reload", show=False, id="key_roles.reload", tooltip="Count the benches again"),
        Binding("escape", "app.pop_screen", "Back", id="key_roles.back", tooltip="Back to where you were"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[KeyRoleSummary] = []
        self.departments: list[Department] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="key-roles"):
            yield Static("", id="roles-summary")
            yield RoleTable(id="roles", cursor_type="row", zebra_stripes=True)
            yield Static("", id="roles-empty")
            yield Static("", id="role-detail")
        yield MarketFooter()

    def on_mount(self) -> None:
        self.action_reload()

    @property
    def is_admin(self) -> bool:
        return self.app.me is not None and self.app.me.is_admin

    @property
    def current(self) -> KeyRoleSummary | None:
        table = self.query_one("#roles", DataTable)
        if not self.summaries or table.cursor_row is None or table.cursor_row >= len(self.summaries):
            return None
        return self.summaries[table.cursor_row]

    # ------------------------------------------------------------------ loading

    def action_reload(self, select: int | None = None) -> None:
        self.query_one("#key-roles").loading = True
        self.load(select)

    @work(thread=True, exclusive=True, exit_on_error=False, group="key-roles")
    def load(self, select: int | None) -> None:
        market = self.app.market
        summaries = market.key_roles()
        departments = market.departments() if self.is_admin else []
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, summaries, departments, select)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "key-roles":
            self.query_one("#key-roles").loading = False

    def _show(self, summaries: list[KeyRoleSummary], departments: list[Department], select: int | None) -> None:
        if not self.is_attached:
            return
        keep = select if select is not None else (self.current.role.id if self.current else None)
        self.summaries, self.departments = summaries, departments
        self.query_one("#key-roles").loading = False
        self._fill()
        rows = [s.role.id for s in summaries]
        if keep in rows:
            self.query_one("#roles", DataTable).move_cursor(row=rows.index(keep))
        high = sum(1 for s in summaries if s.role.risk == "high")
        thin = sum(1 for s in summaries if not s.size.ready)
        self.query_one("#roles-summary", Static).update(
            f"{len(summaries)} key role{'s' if len(summaries) != 1 else ''} · {high} high risk · "
            f"{thin} with nobody ready now")
        self.query_one("#roles-empty", Static).update(NO_ROLES_ADMIN if self.is_admin else NO_ROLES)
        self.set_class(not summaries, "-empty")
        self.show_highlighted()
        self.refresh_bindings()

    def on_resize(self) -> None:
        if self.summaries:
            self._fill()

    def _fill(self) -> None:
        table = self.query_one("#roles", DataTable)
        row = table.cursor_row
        wide = self.size.width >= 100
        table.clear(columns=True)
        fixed = [("Holder", 20 if wide else 14), *([("Department", 18)] if wide else []), ("Risk", 6),
                 ("Ready", 5), ("1 short", 7), ("2 short", 7)]
        used = sum(w for _, w in fixed) + 2 * (len(fixed) + 1) + 4
        table.add_column("Key role", width=max(12, (self.size.width or 80) - used))
        for label, width in fixed:
            table.add_column(label, width=width)
        for s in self.summaries:
            role, size = s.role, s.size
            where = [cell(role.department or "—")] if wide else []
            risk = Text(role.risk, style="bold" if role.risk == "high" else "")
            table.add_row(cell(role.title), cell(role.holder_name or "vacant"), *where, risk,
                          Text(str(size.ready), style="" if size.ready else "bold"), Text(str(size.one_short)),
                          Text(str(size.two_short)), key=str(role.id))
        if self.summaries and row is not None:
            table.move_cursor(row=min(row, len(self.summaries) - 1))

    @on(DataTable.RowHighlighted, "#roles")
    def show_highlighted(self) -> None:
        current = self.current
        self.query_one("#role-detail", Static).update(role_line(current.role) if current else "")
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#roles")
    def _open_bench(self) -> None:
        if self.current is not None:
            self.app.open_key_role(self.current.role.id)

    # ------------------------------------------------------------------ admins

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add", "edit", "skills", "remove"):
            if not self.is_admin:
                return False
            return action == "add" or self.current is not None or None
        return True

    def _saved(self, role: KeyRole | None) -> None:
        if role is not None:
            self.notify(f"Saved the key role “{clean_line(role.title)}”.", markup=False)
            self.action_reload(select=role.id)

    def action_add(self) -> None:
        self.app.push_screen(KeyRoleForm(self.departments), self._saved)

    def action_edit(self) -> None:
        if self.current is not None:
            self.app.push_screen(KeyRoleForm(self.departments, self.current.role), self._saved)

    def action_skills(self) -> None:
        if self.current is not None:
            self.app.push_screen(RoleSkillsDialog(self.current.role), self._saved)

    def action_remove(self) -> None:
        current = self.current
        if current is None:
            return
        role = current.role

        def answered(yes: bool | None) -> None:
            if yes:
                self.remove_role(role)

        self.app.push_screen(ConfirmDialog(
            f"Remove the key role “{clean_line(role.title)}”?",
            "Its required skills and bench go with it; postings made for it stay, no longer linked to it.",
            yes="Remove", no="Keep"), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="key-roles-remove")
    def remove_role(self, role: KeyRole) -> None:
        self.app.market.remove_key_role(role.id)
        self.app.call_from_thread(self._removed, role)

    def _removed(self, role: KeyRole) -> None:
        self.notify(f"Removed the key role “{clean_line(role.title)}”.", markup=False)
        self.action_reload()


class KeyRoleBenchScreen(MarketScreen):
    """One key role's bench: ready now, one skill short, two skills short."""

    HELP_NAME = "A key role's bench"
    SUBTITLE = "key roles"
    AUTO_FOCUS = "#bench-people"

    BINDINGS = [
        Binding("p", "post_gap", "Post for this gap", id="bench.post_gap",
                tooltip="Open the post form filled in: a shadowing of the holder or a mentorship with them "
                        "that grows this person's gap"),
        Binding("f5", "reload", "Reload", show=False, id="bench.reload", tooltip="Count the bench again"),
        Binding("escape", "app.pop_screen", "Back", id="bench.back", tooltip="Back to the key roles"),
    ]

    def __init__(self, key_role_id: int) -> None:
        super().__init__()
        self.key_role_id = key_role_id
        self.bench: KeyRoleBench | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="bench"):
            yield Static("", id="bench-role")
            yield Static("", id="bench-size")
            yield DataTable(id="bench-people", cursor_type="row", zebra_stripes=True)
            yield Static("", id="bench-empty")
            yield Static("", id="bench-hidden")
        yield MarketFooter()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.query_one("#bench").loading = True
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="key-role-bench")
    def load(self) -> None:
        bench = self.app.market.key_role(self.key_role_id)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, bench)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "key-role-bench":
            self.query_one("#bench").loading = False

    def _show(self, bench: KeyRoleBench) -> None:
        if not self.is_attached:
            return
        self.bench = bench
        self.query_one("#bench").loading = False
        self.query_one("#bench-role", Static).update(role_line(bench.role))
        self.query_one("#bench-size", Static).update(size_line(bench))
        self.query_one("#bench-empty", Static).update(empty_bench_words(bench))
        self.query_one("#bench-hidden", Static).update(hidden_line(bench))
        self.set_class(not bench.candidates, "-empty")
        self._fill()
        self.refresh_bindings()

    def on_resize(self) -> None:
        if self.bench is not None:
            self._fill()

    def _fill(self) -> None:
        assert self.bench is not None
        table = self.query_one("#bench-people", DataTable)
        wide = self.size.width >= 100
        table.clear(columns=True)
        fixed = [("Readiness", 16 if wide else 9), ("Name", 22 if wide else 16), ("Department", 18 if wide else 10)]
        used = sum(w for _, w in fixed) + 2 * (len(fixed) + 1) + 4
        for label, width in fixed:
            table.add_column(label, width=width)
        table.add_column("Gap: has/needs", width=max(12, (self.size.width or 80) - used))
        group = None
        for c in self.bench.candidates:
            label = (c.readiness if wide else ("Ready", "1 short", "2 short")[c.short]) if c.short != group else ""
            group = c.short
            gaps = Text(", ".join(clean_line(g.words()) for g in c.gaps) or "—", no_wrap=True, overflow="ellipsis")
            table.add_row(Text(label, style="bold"), cell(c.display_name), cell(c.department or "—"), gaps,
                          key=c.username)

    @property
    def candidate(self) -> Candidate | None:
        table = self.query_one("#bench-people", DataTable)
        if self.bench is None or not self.bench.candidates or table.cursor_row is None:
            return None
        return self.bench.candidates[min(table.cursor_row, len(self.bench.candidates) - 1)]

    def action_post_gap(self) -> None:
        # Always bound here, so that p never falls through to a blank post form.
        candidate, bench = self.candidate, self.bench
        if candidate is None or bench is None:
            self.notify("Highlight someone on the bench first.", severity="warning")
            return
        role = bench.role
        if not candidate.gaps:
            self.notify(f"{clean_line(candidate.display_name)} is ready now: there is no gap to grow.",
                        severity="warning", markup=False)
            return
        if role.holder_username is None:
            self.notify("This role has no holder to shadow or be mentored by; an admin sets one with e.",
                        severity="warning")
            return

        def chosen(kind: str | None) -> None:
            if kind is not None:
                self.app.open_post(prefill=gap_posting(role, candidate.gaps, kind))

        self.app.push_screen(GapPostingChoice(role, candidate), chosen)
