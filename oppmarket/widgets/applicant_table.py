"""The applicants of one posting, best match first, one row each."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import DataTable

from oppmarket.domain import Opportunity, ReviewEntry
from oppmarket import lifecycle, render
from oppmarket.render import cell
from oppmarket.widgets.applicant_card import required_levels, revealed, shown_name

MARK = "●"


@dataclass(frozen=True)
class Ranked:
    """An applicant and their rank by match (1 is the best), which names them in
    blind review and does not change when the list is filtered."""

    rank: int
    entry: ReviewEntry

    @property
    def application_id(self) -> int:
        return self.entry.application.id


@dataclass(frozen=True)
class _Column:
    key: str
    label: str
    width: int
    right: bool = False


class ApplicantTable(DataTable):
    """Rank, name (or 'Applicant N'), department, match, status, hours, cap left and
    required skills; a mark in the first column for the bulk actions."""

    DEFAULT_CSS = """
    ApplicantTable {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self.rows_shown: list[Ranked] = []
        self.opportunity: Opportunity | None = None
        self.marked: frozenset[int] = frozenset()
        self.blind = False
        self._columns: tuple[_Column, ...] = ()

    # ------------------------------------------------------------------ data

    @property
    def highlighted(self) -> Ranked | None:
        if self.rows_shown and 0 <= self.cursor_row < len(self.rows_shown):
            return self.rows_shown[self.cursor_row]
        return None

    def show(self, rows: list[Ranked], opp: Opportunity | None, *, marked: frozenset[int], blind: bool,
             keep: int | None = None) -> None:
        """Replace the rows; the cursor stays on application `keep` when it is still
        listed, else on the same row number."""
        row = self.cursor_row
        self.rows_shown = list(rows)
        self.opportunity = opp
        self.marked = marked
        self.blind = blind
        ids = [r.application_id for r in rows]
        if keep in ids:
            row = ids.index(keep)
        self._rebuild(row)

    # ------------------------------------------------------------------ layout

    def _layout(self, width: int) -> tuple[_Column, ...]:
        wide = width >= 110
        fixed = [
            _Column("mark", "", 1),
            _Column("rank", "#", 2, right=True),
            _Column("match", "Match", 5, right=True),
            _Column("status", "Status", 12),
            _Column("hours", "h/wk", 4, right=True),
            _Column("left", "Cap left" if wide else "Left", 8 if wide else 5, right=True),
        ]
        if wide:
            fixed.append(_Column("department", "Department", 16))
        # One cell of padding each side of every column; room for the scrollbar.
        spare = width - 2 - 2 * (len(fixed) + 2) - sum(c.width for c in fixed)
        name_width = max(12, min(24, spare // 2))
        skills_width = max(10, spare - name_width)
        by_key = {c.key: c for c in fixed}
        columns = [by_key["mark"], by_key["rank"], _Column("name", "Applicant", name_width)]
        if wide:
            columns.append(by_key["department"])
        columns += [by_key["match"], by_key["status"], by_key["hours"], by_key["left"],
                    _Column("skills", "Required skills", skills_width)]
        return tuple(columns)

    def on_resize(self) -> None:
        if self.size.width and self._layout(self.size.width) != self._columns:
            self._rebuild(self.cursor_row)

    def _rebuild(self, cursor_row: int) -> None:
        self._columns = self._layout(self.size.width or 80)
        self.clear(columns=True)
        for column in self._columns:
            self.add_column(Text(column.label, justify="right" if column.right else "left"),
                            width=column.width, key=column.key)
        for ranked in self.rows_shown:
            self.add_row(*self._cells(ranked), key=str(ranked.application_id))
        if self.rows_shown:
            self.move_cursor(row=max(0, min(cursor_row, len(self.rows_shown) - 1)), scroll=True)

    def _cells(self, ranked: Ranked) -> list[Text]:
        entry = ranked.entry
        app = entry.application
        person = entry.profile.person
        # The owner no longer acts on an ended application: its whole row is dim.
        dim = "dim" if lifecycle.is_ended(app.status) else ""
        hidden = self.blind and not revealed(app)
        cells = {
            "mark": Text(MARK if ranked.application_id in self.marked else "", style="bold"),
            "rank": Text(str(ranked.rank), justify="right", style=dim),
            "name": cell(shown_name(entry, ranked.rank, self.blind)),
            "department": Text("hidden", style="dim") if hidden else cell(person.department or "—"),
            "match": Text(str(entry.match.score), justify="right", style=dim),
            "status": render.status(app.status, owner_view=True, lower=True),
            "hours": Text(str(app.hours_per_week), justify="right", style=dim),
            "left": Text(f"{entry.profile.hours_left:g}h", justify="right", style=dim),
            "skills": (required_levels(entry.profile, self.opportunity) if self.opportunity
                       else Text("")),
        }
        for key in ("name", "department", "skills"):
            text = cells[key]
            text.no_wrap = True
            text.overflow = "ellipsis"
            if dim:
                text.stylize(dim)
        return [cells[c.key] for c in self._columns]
