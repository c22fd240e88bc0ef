"""A table of opportunities that holds only the pages fetched so far.

The screen owning it fetches pages from `Market` (keyset, newest first) and appends
them; when the cursor or the scroll position comes within `NEAR_END` rows of the last
row, the table asks for the next page with a `NearEnd` message.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from oppmarket.domain import Opportunity, Page
from oppmarket.render import cell, kind_label, skill_names


@dataclass(frozen=True)
class _Column:
    key: str
    label: str
    width: int


class OpportunityTable(DataTable):
    """Opportunities, one row each: kind, title, department, hours, seats, skills."""

    DEFAULT_CSS = """
    OpportunityTable {
        height: 1fr;
    }
    """

    # The columns always fit the width, so home and end go to the first and last row.
    BINDINGS = [
        Binding("home", "scroll_top", "First row", show=False, id="opportunities.first",
                tooltip="Go to the newest opportunity"),
        Binding("end", "scroll_bottom", "Last row", show=False, id="opportunities.last",
                tooltip="Go to the last row fetched; more follow as you get there"),
    ]

    NEAR_END = 40
    """Ask for the next page when the cursor is this many rows from the end."""

    class NearEnd(Message):
        """The user is close to the last row and more rows exist after `after`."""

        def __init__(self, table: OpportunityTable, after: int) -> None:
            self.table = table
            self.after = after
            super().__init__()

        @property
        def control(self) -> OpportunityTable:
            return self.table

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self._opportunities: list[Opportunity] = []
        self._columns: tuple[_Column, ...] = ()
        self.next_after: int | None = None
        self._asked = False

    def on_mount(self) -> None:
        self.watch(self, "scroll_y", self._check_near_end, init=False)

    # ------------------------------------------------------------------ data

    @property
    def opportunities(self) -> tuple[Opportunity, ...]:
        return tuple(self._opportunities)

    def opportunity_at(self, row: int) -> Opportunity | None:
        if 0 <= row < len(self._opportunities):
            return self._opportunities[row]
        return None

    @property
    def highlighted(self) -> Opportunity | None:
        return self.opportunity_at(self.cursor_row) if self.row_count else None

    def show_page(self, page: Page) -> None:
        """Replace every row with the first page of a list."""
        self._opportunities = list(page.items)
        self.next_after = page.next_after
        self._asked = False
        self._rebuild(cursor_row=0)

    def append_page(self, page: Page) -> None:
        """Add the next page below the rows already shown."""
        self._opportunities.extend(page.items)
        self.next_after = page.next_after
        self._asked = False
        for opp in page.items:
            self._add(opp)

    def page_failed(self) -> None:
        """The next page could not be fetched: ask again on the next move."""
        self._asked = False

    # ------------------------------------------------------------------ layout

    def _layout(self, width: int) -> tuple[_Column, ...]:
        """Column widths for a table `width` cells wide: title and skills share
        what the fixed columns leave."""
        wide = width >= 100
        fixed = [
            _Column("kind", "Kind", 9),
            _Column("department", "Department", 16 if wide else 12),
            _Column("hours", "h/wk", 4),
            _Column("seats", "Seats left" if wide else "Left", 10 if wide else 4),
        ]
        # Every column has one cell of padding each side; keep room for the scrollbar.
        spare = width - 2 - 2 * (len(fixed) + 2) - sum(c.width for c in fixed)
        title_width = max(16, spare * (3 if wide else 2) // (5 if wide else 3))
        skills_width = max(10, spare - title_width)
        kind, department, hours, seats = fixed
        return (kind, _Column("title", "Title", title_width), department, hours, seats,
                _Column("skills", "Skills", skills_width))

    def on_resize(self) -> None:
        if self.size.width and self._layout(self.size.width) != self._columns:
            self._rebuild(cursor_row=self.cursor_row)

    def _rebuild(self, cursor_row: int) -> None:
        self._columns = self._layout(self.size.width or 80)
        self.clear(columns=True)
        for column in self._columns:
            label = Text(column.label, justify="right" if column.key in ("hours", "seats") else "left")
            self.add_column(label, width=column.width, key=column.key)
        for opp in self._opportunities:
            self._add(opp)
        if self._opportunities:
            self.move_cursor(row=min(cursor_row, len(self._opportunities) - 1), scroll=True)

    def _add(self, opp: Opportunity) -> None:
        skills_width = next(c.width for c in self._columns if c.key == "skills")
        self.add_row(
            Text(kind_label(opp.kind, short=True), no_wrap=True, overflow="ellipsis"),
            cell(opp.title),
            cell(opp.department or "—"),
            Text(str(opp.hours_per_week), justify="right"),
            Text(str(opp.seats_left), justify="right"),
            cell(skill_names(opp.required, skills_width)) if opp.required else Text("—", style="dim"),
            key=str(opp.id),
        )

    # ------------------------------------------------------------------ paging

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._check_near_end()

    def _check_near_end(self) -> None:
        if self.next_after is None or self._asked or not self.row_count:
            return
        last_visible = int(self.scroll_y) + self.scrollable_content_region.height
        if max(self.cursor_row, last_visible) >= self.row_count - self.NEAR_END:
            self._asked = True
            self.post_message(self.NearEnd(self, self.next_after))
