"""The capability map: skills by departments, how deep the company is in each, and
where open seats outnumber the people free to take them.

The map is counted in a thread worker (a fixed number of grouped queries, however
large the company) while a loading indicator stands in for it; sorting and choosing
departments work on the map already counted, and only a new level or category counts
again. Enter on a cell leads to what lies behind it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal
from textual.widgets import Header, Select, Static
from textual.worker import Worker, get_current_worker

from oppmarket.capability import LEVELS, SORT_WORDS, SORTS, CapabilityMap
from oppmarket.domain import LEVEL_MEANINGS
from oppmarket.render import cell_sentence, heat_legend, map_summary
from oppmarket.screens.base import MarketScreen
from oppmarket.search import SkillHit
from oppmarket.text import clean_line
from oppmarket.widgets.capability_grid import CapabilityGrid
from oppmarket.widgets.footer import MarketFooter
from oppmarket.widgets.messages import WidgetMessage
from oppmarket.widgets.skill_jump import SkillJump

NOTHING_YET = ("Nobody has claimed a skill yet, and no open opportunity asks for one.\n\n"
               "The map fills in as people add their skills on their profile (u) and owners post "
               "opportunities (p).")


@dataclass(frozen=True)
class MapView:
    """What the map is narrowed to and how it is ordered."""

    level: int = 1
    category: str | None = None
    department: int | None = None  # a column's key; None: every department
    sort: str = "gap"

    @property
    def filtered(self) -> bool:
        return (self.level, self.category, self.department) != (1, None, None)


class MapFilters(Horizontal):
    """Category, department and level; posts `Changed` with the new view after each
    change, and `Done` on escape."""

    DEFAULT_CSS = """
    MapFilters {
        height: 1;
        width: auto;
    }
    MapFilters > Select {
        width: 22;
        margin-left: 1;
    }
    MapFilters > #map-level {
        width: 14;
    }
    MapFilters Select > SelectOverlay {
        width: 32;
    }
    """

    BINDINGS = [
        Binding("escape", "done", "To the map", id="map_filters.done", tooltip="Back to the map; filters stay"),
    ]

    @dataclass
    class Changed(WidgetMessage):
        category: str | None
        department: int | None
        level: int

    class Done(WidgetMessage):
        """The user is finished with the filters for now."""

    def compose(self) -> ComposeResult:
        yield Select([], prompt="Any category", compact=True, id="map-category",
                     tooltip="Only the skills of this category")
        yield Select([], prompt="Every department", compact=True, id="map-department",
                     tooltip="Only this department's column; demand, available and gap stay company-wide")
        yield Select([(f"Level {n}+", n) for n in LEVELS], value=1, allow_blank=False,
                     compact=True, id="map-level", tooltip="Count people at this level or above, and seats asking it")

    def set_choices(self, cmap: CapabilityMap, view: MapView) -> None:
        """The categories and departments the map knows of, and the view's choices."""
        with self.prevent(Select.Changed):
            category = self.query_one("#map-category", Select)
            category.set_options([(Text(clean_line(c)), c) for c in cmap.categories])
            category.value = view.category if view.category in cmap.categories else Select.NULL
            department = self.query_one("#map-department", Select)
            keys = [c.key for c in cmap.departments]
            department.set_options([(Text(clean_line(c.name)), c.key) for c in cmap.departments])
            department.value = view.department if view.department in keys else Select.NULL
            self.query_one("#map-level", Select).value = view.level

    def focus_first(self) -> None:
        self.query_one("#map-category", Select).focus()

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()

        def value(name: str):
            chosen = self.query_one(name, Select).value
            return None if chosen is Select.NULL else chosen

        self.post_message(self.Changed(self, value("#map-category"), value("#map-department"),
                                       value("#map-level") or 1))

    def action_done(self) -> None:
        self.post_message(self.Done(self))


class CapabilityMapScreen(MarketScreen):
    """Skills by departments as a heatmap, with each skill's demand, supply and gap."""

    HELP_NAME = "Capability map"
    SUBTITLE = "capability map"
    AUTO_FOCUS = "#grid"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-medium")]

    # Left out of the footer on a narrow terminal (help lists them).
    FOOTER_WIDE_ONLY = frozenset({"map.level1", "map.clear", "map.jump"})

    BINDINGS = [
        Binding("f", "filters", "Filters", id="map.filters",
                tooltip="Narrow to a skill category, one department or a higher level"),
        # One binding per current order, so the footer names the order in force.
        *(Binding("s", f"next_sort('{sort}')", f"Sort: {sort}", id=f"map.sort.{sort}",
                  tooltip=f"Now: {SORT_WORDS[sort]}. Press for {SORT_WORDS[SORTS[(i + 1) % len(SORTS)]]}")
          for i, sort in enumerate(SORTS)),
        Binding("slash", "jump", "Jump", key_display="/", id="map.jump",
                tooltip="Jump to a skill by name or alias (typos welcome)"),
        Binding("1", "level(1)", "Level", key_display="1-5", id="map.level1",
                tooltip="Count people at this level or above: 1 aware … 5 expert"),
        *(Binding(str(n), f"level({n})", f"Level {n}", show=False, id=f"map.level{n}",
                  tooltip=f"People at level {n} or above: {LEVEL_MEANINGS[n]}") for n in LEVELS[1:]),
        Binding("ctrl+l", "clear_filters", "Clear filters", id="map.clear",
                tooltip="Every category and department, from level 1"),
        Binding("k", "app.go('key_roles')", "Key roles", id="map.key_roles",
                tooltip="Key roles and their bench: who is ready to step in, who is one or two skills short"),
        Binding("f5", "reload", "Reload", show=False, id="map.reload", tooltip="Count again"),
        Binding("escape", "app.go('browse')", "Back", id="map.back", tooltip="Back to browse"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = MapView()
        self.counted: CapabilityMap | None = None  # as counted, every department, in the view's order

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="map-bar"):
            yield Static("", id="map-summary")
            yield MapFilters(id="map-filters")
        with Container(id="map-body"):
            yield CapabilityGrid(id="grid")
            yield Static("", id="map-empty")
        yield Static("", id="map-cell")
        yield Static("", id="map-legend")
        yield MarketFooter()

    def on_mount(self) -> None:
        # Counting a large company keeps a core busy for a moment: let the screen and
        # its loading indicator paint first.
        self.query_one("#map-body").loading = True
        self.call_after_refresh(self.action_reload)

    @property
    def grid(self) -> CapabilityGrid:
        return self.query_one("#grid", CapabilityGrid)

    @property
    def shown(self) -> CapabilityMap | None:
        """The map as on screen: the counted one, narrowed to the view's department."""
        if self.counted is None:
            return None
        return self.counted.only(None if self.view.department is None else [self.view.department])

    # ------------------------------------------------------------------ counting (worker thread)

    def action_reload(self) -> None:
        self.query_one("#map-body").loading = True
        self.count(self.view)

    @work(thread=True, exclusive=True, exit_on_error=False, group="capability-map")
    def count(self, view: MapView) -> None:
        cmap = self.app.market.capability_map(level=view.level, category=view.category, sort=view.sort)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._counted, view, cmap)

    def _counted(self, view: MapView, cmap: CapabilityMap) -> None:
        if not self.is_attached or (view.level, view.category) != (self.view.level, self.view.category):
            return  # closed meanwhile, or already counting again for another level or category
        self.query_one("#map-body").loading = False
        # The order may have changed while it was counted.
        self.counted = cmap if cmap.sort == self.view.sort else cmap.sorted_by(self.view.sort)
        if self.view.department is not None and self.view.department not in {c.key for c in cmap.departments}:
            self.view = replace(self.view, department=None)
        self.query_one(MapFilters).set_choices(cmap, self.view)
        self._draw()

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "capability-map":
            self.query_one("#map-body").loading = False

    # ------------------------------------------------------------------ showing

    def _draw(self) -> None:
        shown = self.shown
        spot = self.grid.spot
        self.grid.show(shown, skill_id=spot.row.skill_id if spot else None)
        self.query_one("#map-summary", Static).update(map_summary(shown, short=True))
        self.query_one("#map-legend", Static).update(heat_legend(shown, short=True))
        self.set_class(not shown.rows, "-empty")
        if not shown.rows:
            self.query_one("#map-empty", Static).update(self._empty_words(shown))
            self.query_one("#map-cell", Static).update("")
        self.refresh_bindings()

    def _empty_words(self, cmap: CapabilityMap) -> str:
        if not self.view.filtered:
            return NOTHING_YET
        where = f" in category {clean_line(cmap.category)}" if cmap.category else ""
        return (f"No skill{where} is held at level {cmap.level} or above, and no open seat asks for one "
                "at that level.\n\nLower the level with 1-5, or clear the filters with ctrl+l.")

    @on(CapabilityGrid.Highlighted, "#grid")
    def _highlighted(self, event: CapabilityGrid.Highlighted) -> None:
        spot = event.spot
        text = Text()
        if spot is not None and self.shown is not None:
            text = cell_sentence(self.shown, spot.row, spot.column)
        self.query_one("#map-cell", Static).update(text)

    @on(CapabilityGrid.Drill, "#grid")
    def _drill(self, event: CapabilityGrid.Drill) -> None:
        column = event.spot.column
        self.app.open_capability_cell(event.spot.row.skill_id, None if column is None else column.key,
                                      self.view.level)

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_sort":
            return parameters[0] == self.view.sort
        if action == "clear_filters":
            return self.view.filtered
        if action in ("jump", "filters", "level"):
            return self.counted is not None or None
        return True

    def action_next_sort(self, current: str) -> None:
        sort = SORTS[(SORTS.index(current) + 1) % len(SORTS)]
        self.view = replace(self.view, sort=sort)
        if self.counted is not None:
            self.counted = self.counted.sorted_by(sort)
            self._draw()

    def action_level(self, level: int) -> None:
        self._narrow(replace(self.view, level=level))

    def action_clear_filters(self) -> None:
        self._narrow(MapView(sort=self.view.sort))

    def action_filters(self) -> None:
        self.query_one(MapFilters).focus_first()

    @on(MapFilters.Changed, "#map-filters")
    def _filters_changed(self, event: MapFilters.Changed) -> None:
        self._narrow(replace(self.view, category=event.category, department=event.department, level=event.level))

    @on(MapFilters.Done, "#map-filters")
    def _filters_done(self) -> None:
        self.grid.focus()

    def _narrow(self, view: MapView) -> None:
        """Show `view`: a new level or category is counted again; a department is a
        matter of columns."""
        recount = (view.level, view.category) != (self.view.level, self.view.category)
        self.view = view
        if recount or self.counted is None:
            self.action_reload()
        else:
            self.query_one(MapFilters).set_choices(self.counted, view)
            self._draw()

    def action_jump(self) -> None:
        def picked(hit: SkillHit | None) -> None:
            if hit is not None and not self.grid.move_to(hit.skill_id):
                view = self.view
                narrowed = f"level {view.level}+" + (f", {clean_line(view.category)}" if view.category else "")
                other = "it is in another category, or " if view.category else ""
                self.notify(f"{clean_line(hit.name)} is not on the map as narrowed ({narrowed}): {other}nobody "
                            "holds it at that level and no open seat asks for it.", severity="warning", markup=False)
            self.grid.focus()

        self.app.push_screen(SkillJump(self.app.market), picked)
