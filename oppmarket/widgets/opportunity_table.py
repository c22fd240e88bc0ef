"""A table of opportunities that holds only a window of a list.

The screen owning it fetches rows from `Market` and hands them over. A short list
(recommendations, search results) is shown whole. A long one arrives a keyset page
at a time: when the cursor or the scroll position comes within `NEAR_END` rows of the
last row, the table asks for the next page with `NearEnd`; past `MAX_ROWS` it drops
rows far above, and asks for them again with `NearStart` when the user scrolls back
up. However long the list, at most `MAX_ROWS` rows are ever mounted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from oppmarket.domain import Opportunity
from oppmarket.matching import Match
from oppmarket.text import clean_line
from oppmarket.render import ListedTitle, cell, kind_label, score_cell, skill_names, standing_badge, title_cell, \
    titles_apart
from oppmarket.widgets.messages import WidgetMessage


@dataclass(frozen=True)
class Listed:
    """One row of a list: an opportunity, the actor's match for it (None when not
    known), in search results what the query matched, and the status of the actor's
    own application to it (None when they have none)."""

    opportunity: Opportunity
    match: Match | None = None
    why: str = ""
    standing: str | None = None

    @property
    def score(self) -> int | None:
        return self.match.score if self.match is not None else None


def _briefly(why: str) -> str:
    """What a search matched, for a narrow column: the column is headed 'Matched',
    so 'skill: Kubernetes (alias k8s); title' reads 'Kubernetes (alias k8s); title'."""
    return "; ".join(reason.removeprefix("skill: ") for reason in why.split("; "))


@dataclass(frozen=True)
class _Column:
    key: str
    label: str
    width: int


class OpportunityTable(DataTable):
    """Opportunities, one row each: kind, title, department, hours, seats left,
    match score, and the skills asked for (or, in search results, what matched).
    The title column takes what the others leave; a posting the actor is in carries
    their status, and titles that would read alike say what sets them apart."""

    DEFAULT_CSS = """
    OpportunityTable {
        height: 1fr;
    }
    """

    # The columns always fit the width, so home and end go to the first and last row.
    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="opportunities.open",
                tooltip="Everything about the highlighted opportunity"),
        Binding("home", "first_row", "First row", show=False, id="opportunities.first",
                tooltip="Go to the top of the list"),
        Binding("end", "scroll_bottom", "Last row", show=False, id="opportunities.last",
                tooltip="Go to the last row fetched; more follow as you get there"),
    ]

    NEAR_END = 40
    """Ask for the next (or previous) page when the cursor is this many rows from
    the last (or first) row held."""

    MAX_ROWS = 600
    """The most rows held at once; a longer list is a window that moves."""

    @dataclass
    class NearEnd(WidgetMessage):
        """The user is close to the last row held and more rows exist after `after`."""

        after: int

    @dataclass
    class NearStart(WidgetMessage):
        """The user is close to the first row held and rows dropped earlier exist
        before `before`."""

        before: int

    class BackToTop(WidgetMessage):
        """The user asked for the first row, which the window no longer holds."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self._rows: list[Listed] = []
        self._titles: dict[int, ListedTitle] = {}
        self._columns: tuple[_Column, ...] = ()
        self.searching = False
        self.next_after: int | None = None
        """Keyset anchor of the rows after the last one held (None: no more)."""
        self.before_first: int | None = None
        """Keyset anchor of rows dropped above the first one held (None: none)."""
        self.window_start = 0
        """How many rows of the whole list lie above the first one held."""
        self._asked_after = False
        self._asked_before = False
        self._settling = False
        self._owed = 0  # rows the cursor still has to move once the next page is in

    def on_mount(self) -> None:
        self.watch(self, "scroll_y", self._check_edges, init=False)

    # ------------------------------------------------------------------ data

    @property
    def rows_held(self) -> tuple[Listed, ...]:
        return tuple(self._rows)

    @property
    def opportunities(self) -> tuple[Opportunity, ...]:
        return tuple(r.opportunity for r in self._rows)

    def listed_at(self, row: int) -> Listed | None:
        if 0 <= row < len(self._rows):
            return self._rows[row]
        return None

    def opportunity_at(self, row: int) -> Opportunity | None:
        listed = self.listed_at(row)
        return listed.opportunity if listed else None

    @property
    def highlighted(self) -> Listed | None:
        return self.listed_at(self.cursor_row) if self.row_count else None

    @property
    def position(self) -> int:
        """The cursor's row in the whole list, counting from 1."""
        return self.window_start + self.cursor_row + 1 if self._rows else 0

    def show_rows(self, rows: Iterable[Listed], *, next_after: int | None = None, searching: bool = False,
                  cursor_id: int | None = None, fallback_row: int = 0) -> None:
        """Replace every row: a whole short list, or the first page of a long one.
        The cursor stays on `cursor_id` when that opportunity is still listed, and
        goes to `fallback_row` otherwise. The same rows again only move the cursor."""
        rows = list(rows)
        row = next((i for i, r in enumerate(rows) if r.opportunity.id == cursor_id), fallback_row)
        if (rows and rows == self._rows and next_after == self.next_after and self.before_first is None
                and searching == self.searching and self.row_count == len(rows)):
            self.move_cursor(row=min(row, len(rows) - 1))
            return
        self._rows = rows
        self.next_after = next_after
        self.before_first = None
        self.window_start = 0
        self.searching = searching
        self._asked_after = self._asked_before = False
        self._owed = 0
        self._rebuild(cursor_row=row)

    def append_page(self, rows: Iterable[Listed], next_after: int | None) -> None:
        """Add the next page below the rows held, dropping rows far above."""
        added = list(rows)
        self._rows.extend(added)
        self.next_after = next_after
        self._asked_after = False
        excess = len(self._rows) - self.MAX_ROWS
        if excess <= 0:
            self._retitle()
            for listed in added:
                self._add(listed)
        else:
            del self._rows[:excess]
            self.window_start += excess
            self.before_first = self._rows[0].opportunity.id
            self._asked_before = False
            self._rebuild(cursor_row=self.cursor_row - excess, scroll_y=self.scroll_y - excess)
        self.call_after_refresh(self._pay_owed)

    def prepend_page(self, rows: Iterable[Listed], before_first: int | None) -> None:
        """Put the page that was dropped back above the rows held, dropping rows
        far below. `before_first` is the anchor of rows further up, if any."""
        added = list(rows)
        self._rows[:0] = added
        self.window_start = max(0, self.window_start - len(added))
        self.before_first = before_first
        self._asked_before = False
        excess = len(self._rows) - self.MAX_ROWS
        if excess > 0:
            del self._rows[-excess:]
            self.next_after = self._rows[-1].opportunity.id
            self._asked_after = False
        self._rebuild(cursor_row=self.cursor_row + len(added), scroll_y=self.scroll_y + len(added))
        self.call_after_refresh(self._pay_owed)

    def page_failed(self) -> None:
        """A page could not be fetched: ask again on the next move."""
        self._asked_after = self._asked_before = False
        self._owed = 0

    # ------------------------------------------------------------------ moving past the rows held

    # A key held down outruns the pages: the moves that go past the rows held are
    # kept and made when the next page is in, so no key press is lost.

    def _owe(self, rows: int) -> bool:
        """Whether moving `rows` (negative: up) goes past the rows held towards rows
        still to come; if so the cursor goes to the edge and the rest is owed."""
        last = self.row_count - 1
        target = self.cursor_row + rows
        if rows > 0 and target > last and self.next_after is not None:
            edge = last
        elif rows < 0 and target < 0 and self.before_first is not None:
            edge = 0
        else:
            return False
        self._owed += target - edge
        if self.cursor_row != edge:
            self.move_cursor(row=edge)
        self._check_edges()
        return True

    def _pay_owed(self) -> None:
        owed, self._owed = self._owed, 0
        if owed and self.row_count and not self._owe(owed):
            self.move_cursor(row=max(0, min(self.row_count - 1, self.cursor_row + owed)))

    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - (self.header_height if self.show_header else 0))

    def action_cursor_down(self) -> None:
        if not self._owe(1):
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if not self._owe(-1):
            super().action_cursor_up()

    def action_page_down(self) -> None:
        if not self._owe(self._page_rows()):
            super().action_page_down()

    def action_page_up(self) -> None:
        if not self._owe(-self._page_rows()):
            super().action_page_up()

    # ------------------------------------------------------------------ layout

    def _layout(self, width: int) -> tuple[_Column, ...]:
        """Column widths for a table `width` cells wide: the title and the last
        column share what the fixed columns leave."""
        wide = width >= 110
        kind = _Column("kind", "Kind", 9)
        hours = _Column("hours", "h/wk", 4)
        seats = _Column("seats", "Seats left" if wide else "Left", 10 if wide else 4)
        score = _Column("score", "Match", 5)
        # Every column has one cell of padding each side; keep room for the scrollbar.
        if wide:
            department = _Column("department", "Department", 16)
            spare = width - 2 - 2 * 7 - sum(c.width for c in (kind, department, hours, seats, score))
            title_width = max(16, spare * (3 if self.searching else 2) // (5 if self.searching else 3))
            last = _Column("matched" if self.searching else "skills", "Matched" if self.searching else "Skills",
                           max(10, spare - title_width))
            return kind, _Column("title", "Title", title_width), department, hours, seats, score, last
        # Narrow: the title takes the department's room (the detail pane names it, and
        # titles that read alike name it after them); search results show what matched.
        if not self.searching:
            spare = width - 2 - 2 * 5 - sum(c.width for c in (kind, hours, seats, score))
            return kind, _Column("title", "Title", max(16, spare)), hours, seats, score
        spare = width - 2 - 2 * 6 - sum(c.width for c in (kind, hours, seats, score))
        middle_width = max(12, spare // 4)
        title = _Column("title", "Title", max(16, spare - middle_width))
        return kind, title, _Column("matched", "Matched", middle_width), hours, seats, score

    def on_resize(self) -> None:
        if self.size.width and self._layout(self.size.width) != self._columns:
            self._rebuild(cursor_row=self.cursor_row)

    def _rebuild(self, cursor_row: int, scroll_y: float | None = None) -> None:
        self._settling = True
        self._columns = self._layout(self.size.width or 80)
        self.clear(columns=True)
        for column in self._columns:
            justify = "right" if column.key in ("hours", "seats", "score") else "left"
            self.add_column(Text(column.label, justify=justify), width=column.width, key=column.key)
        self._titles = self._titles_for(self._rows)
        for listed in self._rows:
            self._add(listed)
        if self._rows:
            self.move_cursor(row=max(0, min(cursor_row, len(self._rows) - 1)), scroll=scroll_y is None)
        # Rows are measured when the table is next idle: scroll once they are.
        self.call_after_refresh(self._settle, scroll_y)

    def _settle(self, scroll_y: float | None) -> None:
        if scroll_y is not None:
            self.scroll_to(y=max(0, scroll_y), animate=False, immediate=True)
        self._settling = False
        self._check_edges()

    def _title_width(self) -> int:
        return next((c.width for c in self._columns if c.key == "title"), 16)

    def _titles_for(self, rows: Iterable[Listed]) -> dict[int, ListedTitle]:
        return titles_apart([r.opportunity for r in rows], self._title_width(),
                            department_shown=any(c.key == "department" for c in self._columns))

    def _title(self, listed: Listed) -> Text:
        opp = listed.opportunity
        title = self._titles.get(opp.id) or ListedTitle(clean_line(opp.title))
        return title_cell(title, self._title_width(), badge=standing_badge(listed.standing) or None)

    def _retitle(self) -> None:
        """Work out again how titles read with the rows held now, and redraw the
        title of each row held whose reading changed."""
        before, self._titles = self._titles, self._titles_for(self._rows)
        for listed in self._rows:
            opp_id = listed.opportunity.id
            if opp_id in before and before[opp_id] != self._titles.get(opp_id):
                self.update_cell(str(opp_id), "title", self._title(listed))

    def _add(self, listed: Listed) -> None:
        opp = listed.opportunity
        cells = {
            "kind": Text(kind_label(opp.kind, short=True), no_wrap=True, overflow="ellipsis"),
            "title": self._title(listed),
            "department": cell(opp.department or "—"),
            "hours": Text(str(opp.hours_per_week), justify="right"),
            "seats": Text(str(opp.seats_left), justify="right"),
            "score": score_cell(listed.score),
        }
        for column in self._columns:
            if column.key == "skills":
                cells["skills"] = cell(skill_names(opp.required, column.width)) if opp.required \
                    else Text("—", style="dim")
            elif column.key == "matched":
                cells["matched"] = cell(_briefly(listed.why)) if listed.why else Text("—", style="dim")
        self.add_row(*(cells[c.key] for c in self._columns), key=str(opp.id))

    # ------------------------------------------------------------------ paging

    def action_first_row(self) -> None:
        if self.before_first is not None:
            self.post_message(self.BackToTop(self))
        else:
            self.action_scroll_top()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._check_edges()

    def _check_edges(self) -> None:
        if self._settling or not self.row_count:
            return
        first_visible = int(self.scroll_y)
        last_visible = first_visible + self.scrollable_content_region.height
        if (self.next_after is not None and not self._asked_after
                and max(self.cursor_row, last_visible) >= self.row_count - self.NEAR_END):
            self._asked_after = True
            self.post_message(self.NearEnd(self, self.next_after))
        if (self.before_first is not None and not self._asked_before
                and min(self.cursor_row, first_visible) <= self.NEAR_END):
            self._asked_before = True
            self.post_message(self.NearStart(self, self.before_first))
