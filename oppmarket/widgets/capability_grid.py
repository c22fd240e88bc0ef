"""The capability heatmap on screen: skills down, their demand, available and gap,
then a cell per department.

Only the lines on screen are drawn (the Line API), so a map of thousands of skills
scrolls as lightly as one of ten. The skill and its figures stay put while the
department columns scroll sideways under the two-line heading. The cursor stands on a
skill (its whole row) or on one of its cells; enter asks to drill down."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from oppmarket.capability import CapabilityMap, Column, SkillRow, depth
from oppmarket.render import (
    FIGURE_HEADINGS, HeatLayout, department_heading, department_width, figure, figures_width, heat_cell, heat_layout,
)
from oppmarket.text import clean_line
from oppmarket.widgets.messages import WidgetMessage

HEADING_LINES = 2
GAP = 1  # blank cells between columns


@dataclass(frozen=True)
class GridSpot:
    """Where the cursor stands: a skill's row and a department's column (None: the
    skill itself, every department)."""

    row: SkillRow
    column: Column | None


class CapabilityGrid(ScrollView, can_focus=True):
    """Skills by departments, drawn a line at a time; posts `Highlighted` as the cursor
    moves and `Drill` on enter."""

    COMPONENT_CLASSES = {"capability-grid--heading", "capability-grid--cursor", "capability-grid--cursor-row"}

    DEFAULT_CSS = """
    CapabilityGrid {
        background: $surface;
    }
    CapabilityGrid > .capability-grid--heading {
        text-style: bold;
        color: $text;
    }
    CapabilityGrid > .capability-grid--cursor-row {
        background: $boost;
        text-style: bold;
    }
    CapabilityGrid > .capability-grid--cursor {
        background: $accent;
        color: $text-accent;
        text-style: bold;
    }
    CapabilityGrid:focus > .capability-grid--cursor {
        background: $accent;
        color: $foreground;
        text-style: bold reverse;
    }
    """

    BINDINGS = [
        Binding("enter", "drill", "Drill down", id="capability_grid.drill",
                tooltip="The open opportunities that need this skill, and the people behind the count you may see"),
        Binding("up", "move(0, -1)", "Up", show=False, id="capability_grid.up", tooltip="The skill above"),
        Binding("down", "move(0, 1)", "Down", show=False, id="capability_grid.down", tooltip="The skill below"),
        Binding("left", "move(-1, 0)", "Left", show=False, id="capability_grid.left",
                tooltip="The department to the left; from the first, the skill's whole row"),
        Binding("right", "move(1, 0)", "Right", show=False, id="capability_grid.right",
                tooltip="The department to the right"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="capability_grid.page_up",
                tooltip="A screenful of skills up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="capability_grid.page_down",
                tooltip="A screenful of skills down"),
        Binding("home", "edge(-1)", "First skill", show=False, id="capability_grid.home", tooltip="The first skill"),
        Binding("end", "edge(1)", "Last skill", show=False, id="capability_grid.end", tooltip="The last skill"),
    ]

    @dataclass
    class Highlighted(WidgetMessage):
        spot: GridSpot | None

    @dataclass
    class Drill(WidgetMessage):
        spot: GridSpot

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cmap: CapabilityMap | None = None
        self.cursor_row = 0
        self.cursor_column = 0  # 0: the skill's whole row; n: the n-th department shown
        self._layout = HeatLayout(1, 0, 0)
        self._widths: list[int] = []
        self._offsets: list[int] = []  # where each department column starts, after the fixed part
        self._figures = 6
        self._deepest = 0

    # ------------------------------------------------------------------ the map

    def show(self, cmap: CapabilityMap, *, skill_id: int | None = None) -> None:
        """Draw `cmap`, the cursor on `skill_id` if the map holds it (else on the first
        skill), in the same department column if that is still shown."""
        column = self.spot.column if self.spot else None
        self.cmap = cmap
        self._layout = heat_layout(cmap)
        self._widths = [department_width(c, self._layout) for c in cmap.columns]
        self._offsets = []
        x = 0
        for width in self._widths:
            self._offsets.append(x)
            x += width + GAP
        self._figures = figures_width(cmap)
        self._deepest = cmap.deepest
        self.virtual_size = Size(self.fixed_width + x, len(cmap.rows) + HEADING_LINES)
        found = cmap.row_of(skill_id) if skill_id is not None else None
        row = found if found is not None else 0
        if found is None:
            self.scroll_to(0, 0, animate=False, immediate=True)
        keys = [c.key for c in cmap.columns]
        self.cursor_column = keys.index(column.key) + 1 if column is not None and column.key in keys else 0
        self._place(row, self.cursor_column, centre=found is not None)

    @property
    def name_width(self) -> int:
        return 26 if self.size.width >= 110 else 18

    @property
    def fixed_width(self) -> int:
        """The skill and its three figures, which do not scroll sideways."""
        return 1 + self.name_width + 3 * (self._figures + GAP) + 2

    @property
    def spot(self) -> GridSpot | None:
        if self.cmap is None or not self.cmap.rows:
            return None
        row = self.cmap.rows[min(self.cursor_row, len(self.cmap.rows) - 1)]
        column = self.cmap.columns[self.cursor_column - 1] if self.cursor_column else None
        return GridSpot(row, column)

    def move_to(self, skill_id: int) -> bool:
        """Put the cursor on a skill's row, in the middle of the screen; False when the
        map leaves that skill out."""
        if self.cmap is None or (row := self.cmap.row_of(skill_id)) is None:
            return False
        self._place(row, self.cursor_column, centre=True)
        return True

    # ------------------------------------------------------------------ moving

    def _place(self, row: int, column: int, *, centre: bool = False) -> None:
        rows = len(self.cmap.rows) if self.cmap else 0
        self.cursor_row = max(0, min(row, rows - 1))
        self.cursor_column = max(0, min(column, len(self._widths)))
        self._scroll_to_cursor(centre)
        self.refresh()
        self.post_message(self.Highlighted(self, self.spot))

    def _scroll_to_cursor(self, centre: bool) -> None:
        view = self.scrollable_content_region
        lines = max(1, view.height - HEADING_LINES)
        y = self.scroll_offset.y
        if centre:
            y = self.cursor_row - lines // 2
        elif self.cursor_row < y:
            y = self.cursor_row
        elif self.cursor_row >= y + lines:
            y = self.cursor_row - lines + 1
        x = self.scroll_offset.x
        if self.cursor_column:
            start = self._offsets[self.cursor_column - 1]
            end = start + self._widths[self.cursor_column - 1] + GAP
            room = max(1, view.width - self.fixed_width)
            if start < x:
                x = start
            elif end > x + room:
                x = end - room
        self.scroll_to(x=max(0, x), y=max(0, y), animate=False, immediate=True)

    def action_move(self, columns: int, rows: int) -> None:
        if self.cmap is not None:
            self._place(self.cursor_row + rows, self.cursor_column + columns)

    def action_page(self, direction: int) -> None:
        if self.cmap is not None:
            lines = max(1, self.scrollable_content_region.height - HEADING_LINES)
            self._place(self.cursor_row + direction * lines, self.cursor_column)

    def action_edge(self, direction: int) -> None:
        if self.cmap is not None:
            self._place(0 if direction < 0 else len(self.cmap.rows) - 1, self.cursor_column)

    def action_drill(self) -> None:
        if (spot := self.spot) is not None:
            self.post_message(self.Drill(self, spot))

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the cell under it; a double click drills down."""
        if self.cmap is None or not self.cmap.rows:
            return
        offset = event.get_content_offset(self)
        if offset is None or offset.y < HEADING_LINES:
            return
        row = self.scroll_offset.y + offset.y - HEADING_LINES
        column = 0
        if offset.x >= self.fixed_width:
            x = self.scroll_offset.x + offset.x - self.fixed_width
            column = next((i + 1 for i, start in enumerate(self._offsets)
                           if start <= x < start + self._widths[i] + GAP), 0)
        self._place(row, column)
        if event.chain == 2:
            self.action_drill()

    def on_resize(self) -> None:
        if self.cmap is not None:
            self.virtual_size = Size(self.fixed_width + sum(w + GAP for w in self._widths),
                                     len(self.cmap.rows) + HEADING_LINES)
            self._scroll_to_cursor(False)

    # ------------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if self.cmap is None:
            return Strip.blank(width, base)
        if y < HEADING_LINES:
            fixed, scrolled = self._heading(y)
        else:
            index = self.scroll_offset.y + y - HEADING_LINES
            if index >= len(self.cmap.rows):
                return Strip.blank(width, base)
            fixed, scrolled = self._row(index)
        console = self.app.console
        left = Strip(list(fixed.render(console)), fixed.cell_len)
        right = Strip(list(scrolled.render(console)), scrolled.cell_len)
        x = self.scroll_offset.x
        right = right.crop_extend(x, x + max(0, width - self.fixed_width), base)
        return Strip.join([left, right]).adjust_cell_length(width, base).simplify()

    def _text(self) -> Text:
        return Text(style=self.rich_style, end="", no_wrap=True)

    def _heading(self, line: int) -> tuple[Text, Text]:
        style = self.get_component_rich_style("capability-grid--heading")
        fixed = self._text()
        last = line == HEADING_LINES - 1
        fixed.append(" " + ("Skill" if last else "").ljust(self.name_width), style)
        for _, heading in FIGURE_HEADINGS:
            fixed.append(" " * GAP + (heading if last else "").rjust(self._figures), style)
        fixed.append(" │", style)
        scrolled = self._text()
        for column, width in zip(self.cmap.columns, self._widths):
            words = department_heading(column.name, width, HEADING_LINES)
            # The name sits on the lines nearest the cells, over their first digits.
            words = [w for w in words if w]
            words = [""] * (HEADING_LINES - len(words)) + words
            scrolled.append(" " * GAP + words[line].ljust(width), style)
        return fixed, scrolled

    def _row(self, index: int) -> tuple[Text, Text]:
        row = self.cmap.rows[index]
        here = index == self.cursor_row
        cursor = self.get_component_rich_style("capability-grid--cursor")
        # The cursor's row is lifted by a background and bold, keeping each figure's colour.
        lifted = self.get_component_rich_style("capability-grid--cursor-row")
        row_style = Style(bgcolor=lifted.bgcolor, bold=lifted.bold) if here else Style()
        fixed = self._text()
        name = clean_line(row.name)
        if len(name) > self.name_width:
            name = name[: self.name_width - 1] + "…"
        fixed.append(" ", row_style)
        fixed.append(name.ljust(self.name_width), cursor if here and not self.cursor_column else row_style)
        for value, is_gap in ((row.demand, False), (row.available, False), (row.gap, True)):
            fixed.append(" " * GAP, row_style)
            fixed.append_text(_styled(figure(value, self._figures, gap=is_gap), row_style))
        fixed.append(" │", row_style)
        scrolled = self._text()
        for number, column in enumerate(self.cmap.columns, start=1):
            cell = row.cell(column.key)
            text = heat_cell(cell, depth(cell.people, self._deepest), self._layout)
            text = Text(text.plain.ljust(self._widths[number - 1]), style=text.style, end="")
            scrolled.append(" " * GAP)
            scrolled.append_text(_styled(text, cursor) if here and number == self.cursor_column else text)
        return fixed, scrolled


def _styled(text: Text, style: Style) -> Text:
    """`text` with `style` laid over its own."""
    if not style:
        return text
    own = Style.parse(text.style) if isinstance(text.style, str) else text.style
    return Text(text.plain, style=Style.combine([own, style]), end="")

