"""Behind one cell of the capability map: the open opportunities that need the skill,
and the people behind the count, as far as the viewer may see them (admins everyone,
line managers their reports, anyone themselves; `policy.may_see_skill_holder`).
Everyone else reads the counts, never the names."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, get_current_worker

from oppmarket.capability import CellDetail, Holder
from oppmarket.domain import Opportunity
from oppmarket.render import cell, cell_words, kind_label, level_name
from oppmarket.screens.base import MarketScreen
from oppmarket.text import clean_line
from oppmarket.widgets.footer import MarketFooter

SOURCES = {"self": "self-declared", "endorsed": "endorsed", "certified": "certified"}


class NeedTable(DataTable):
    """The open opportunities that need the skill; enter opens the highlighted one."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="needs.open", tooltip="The highlighted opportunity in full"),
    ]


def counts_line(detail: CellDetail) -> Text:
    """The counts behind the cell, which everyone may read."""
    where = detail.department or "every department"
    text = cell_words(detail.skill, where, detail.level, detail.cell, detail.demand, detail.available)
    if detail.cell.stale:
        text.append("\nStale: unconfirmed for a year; counted apart, and never as available.", style="dim")
    return text


def asked_level(opp: Opportunity, skill_id: int) -> int | None:
    return next((s.level for s in opp.required if s.skill_id == skill_id), None)


def people_heading(detail: CellDetail) -> str:
    if not detail.visible:
        return "People"
    listed = len(detail.holders)
    more = f", the first {listed} listed" if listed < detail.visible else ""
    return f"People you may see: {detail.visible}{more}"


def hidden_line(detail: CellDetail) -> Text:
    """What the viewer is told of the people they may not see."""
    if not detail.hidden:
        return Text("")
    more = " more" if detail.visible else ""
    people = f"{detail.hidden}{more} {'person' if detail.hidden == 1 else 'people'}"
    verb = "is" if detail.hidden == 1 else "are"
    return Text(f"{people} behind this count {verb} not shown to you: {detail.why_hidden}.", style="dim")


class CapabilityCellScreen(MarketScreen):
    """The opportunities and the people behind one cell (or one skill's whole row)."""

    HELP_NAME = "Behind a cell of the capability map"
    SUBTITLE = "capability map"
    AUTO_FOCUS = "#needs"

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="cell.back", tooltip="Back to the map"),
        Binding("f5", "reload", "Reload", show=False, id="cell.reload", tooltip="Count again"),
    ]

    def __init__(self, skill_id: int, department: int | None, level: int) -> None:
        super().__init__()
        self.skill_id = skill_id
        self.department = department
        self.level = level
        self.detail: CellDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="cell"):
            yield Static("", id="cell-counts")
            yield Static("Open opportunities that need it", id="needs-title", classes="section-title")
            yield NeedTable(id="needs", cursor_type="row", zebra_stripes=True)
            yield Static("", id="people-title", classes="section-title")
            yield DataTable(id="people", cursor_type="row", zebra_stripes=True)
            yield Static("", id="people-hidden")
        yield MarketFooter()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.query_one("#cell").loading = True
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="capability-cell")
    def load(self) -> None:
        detail = self.app.market.capability_detail(self.skill_id, department=self.department, level=self.level)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, detail)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "capability-cell":
            self.query_one("#cell").loading = False

    def _show(self, detail: CellDetail) -> None:
        if not self.is_attached:
            return
        self.detail = detail
        self.query_one("#cell").loading = False
        self.query_one("#cell-counts", Static).update(counts_line(detail))
        shown = len(detail.opportunities)
        more = f", the first {shown} listed" if shown < detail.opportunities_total else ""
        self.query_one("#needs-title", Static).update(
            f"Open opportunities that need it at level {detail.level}+: {detail.opportunities_total}{more}")
        self._fill_needs(detail)
        self.query_one("#people-title", Static).update(people_heading(detail))
        self._fill_people(detail.holders)
        self.query_one("#people-hidden", Static).update(hidden_line(detail))
        self.set_class(not detail.opportunities, "-no-needs")
        self.set_class(not detail.holders, "-no-people")
        (self.query_one("#needs") if detail.opportunities else self.query_one("#people")).focus()

    def on_resize(self) -> None:
        if self.detail is not None:
            self._fill_needs(self.detail)
            self._fill_people(self.detail.holders)

    @property
    def wide(self) -> bool:
        return self.size.width >= 100

    def _columns(self, table: DataTable, fixed: list[tuple[str, int]], flexible: str) -> None:
        """The fixed columns after one that takes the width left over."""
        table.clear(columns=True)
        used = sum(width for _, width in fixed) + 2 * (len(fixed) + 1) + 4  # cell padding, scrollbar
        table.add_column(flexible, width=max(12, (self.size.width or 80) - used))
        for label, width in fixed:
            table.add_column(label, width=width)

    def _fill_needs(self, detail: CellDetail) -> None:
        table = self.query_one("#needs", NeedTable)
        department = [("Department", 18)] if self.wide else []
        self._columns(table, [("Kind", 10), *department, ("Level", 5), ("Seats", 7), ("h/wk", 4)], "Opportunity")
        for opp in detail.opportunities:
            level = asked_level(opp, detail.skill_id)
            where = [cell(opp.department or "—")] if self.wide else []
            table.add_row(cell(opp.title), Text(kind_label(opp.kind, short=True)), *where,
                          Text(f"{level}+" if level else "—"), Text(f"{opp.seats_left} of {opp.seats}"),
                          Text(str(opp.hours_per_week)), key=str(opp.id))

    def _fill_people(self, holders: tuple[Holder, ...]) -> None:
        table = self.query_one("#people", DataTable)
        wide = self.wide
        self._columns(table, [("Department", 18 if wide else 12), ("Level", 16 if wide else 5),
                              ("Source", 13 if wide else 9), ("Confirmed", 16), ("Time left", 12 if wide else 9)],
                      "Name")
        for holder in holders:
            confirmed = Text(f"{holder.confirmed_at:%Y-%m-%d}")
            if holder.stale:
                confirmed.append(" stale", style="bold reverse")
            time = Text(f"{holder.hours_left:g} h/week" if wide else f"{holder.hours_left:g} h",
                        style="" if holder.available else "dim")
            level = f"{holder.level} {level_name(holder.level)}" if wide else str(holder.level)
            source = SOURCES.get(holder.source, clean_line(holder.source)) if wide else clean_line(holder.source)
            table.add_row(cell(holder.display_name), cell(holder.department or "—"), Text(level), Text(source),
                          confirmed, time, key=holder.username)

    @on(DataTable.RowSelected, "#needs")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.open_opportunity(int(event.row_key.value))
