"""A compact row of filters over a list: kind, department, hours per week, remote."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Checkbox, Select

from oppmarket.domain import KIND_LABELS, KINDS, Opportunity
from oppmarket.render import kind_plural
from oppmarket.saved_searches import filter_words
from oppmarket.text import clean_line
from oppmarket.widgets.messages import WidgetMessage

HOURS_CHOICES = (2, 4, 8)


@dataclass(frozen=True)
class Filters:
    """What a list is narrowed to; None (or False) means 'any'."""

    kind: str | None = None
    department: str | None = None
    max_hours: int | None = None
    remote_only: bool = False

    @property
    def active(self) -> bool:
        return self != Filters()

    def accepts(self, opp: Opportunity) -> bool:
        return ((self.kind is None or opp.kind == self.kind)
                and (self.department is None or opp.department == self.department)
                and (self.max_hours is None or opp.hours_per_week <= self.max_hours)
                and (not self.remote_only or opp.remote))

    def noun(self) -> str:
        """What is listed, in words: 'remote gigs', 'opportunities'."""
        return ("remote " if self.remote_only else "") + kind_plural(self.kind)

    def qualifiers(self) -> str:
        """The filters other than kind and remote, in words: ' in Platform of at most 4 h/week'."""
        text = ""
        if self.department:
            text += f" in {clean_line(self.department)}"
        if self.max_hours is not None:
            text += f" of at most {self.max_hours} h/week"
        return text

    def labels(self) -> list[str]:
        """Each active filter, briefly: ['gig', 'Platform', '≤ 4 h/wk', 'remote']."""
        return filter_words(self)


def _value(select: Select):
    return None if select.value is Select.NULL else select.value


class FilterBar(Horizontal):
    """Selects for kind, department and hours and a remote-only checkbox. Posts
    `Changed` with the new `Filters` after each change, and `Done` on escape."""

    DEFAULT_CSS = """
    FilterBar {
        height: 1;
        width: auto;
    }
    FilterBar > Select {
        width: 16;
        margin-left: 1;
    }
    FilterBar > #filter-department {
        width: 22;
    }
    FilterBar > Checkbox {
        margin-left: 1;
    }
    /* The menus may be wider than the closed filters above them. */
    FilterBar Select > SelectOverlay {
        width: 24;
    }
    FilterBar #filter-department SelectOverlay {
        width: 32;
    }
    """

    BINDINGS = [
        Binding("escape", "done", "To the list", id="filters.done", tooltip="Back to the list; filters stay"),
    ]

    @dataclass
    class Changed(WidgetMessage):
        filters: Filters

    class Done(WidgetMessage):
        """The user is finished with the filters for now."""

    def compose(self) -> ComposeResult:
        yield Select([(KIND_LABELS[k], k) for k in KINDS], prompt="Any kind", compact=True,
                     id="filter-kind", tooltip="Only this kind of opportunity")
        yield Select([], prompt="Any department", compact=True, id="filter-department",
                     tooltip="Only opportunities of this department")
        yield Select([(f"≤ {h} h/week", h) for h in HOURS_CHOICES], prompt="Any hours", compact=True,
                     id="filter-hours", tooltip="Only opportunities of at most this many hours a week")
        yield Checkbox("Remote only", compact=True, id="filter-remote",
                       tooltip="Only opportunities you can do remotely")

    @property
    def filters(self) -> Filters:
        return Filters(
            kind=_value(self.query_one("#filter-kind", Select)),
            department=_value(self.query_one("#filter-department", Select)),
            max_hours=_value(self.query_one("#filter-hours", Select)),
            remote_only=self.query_one("#filter-remote", Checkbox).value,
        )

    def set_departments(self, names: Iterable[str]) -> None:
        select = self.query_one("#filter-department", Select)
        current = _value(select)
        names = list(names)
        with self.prevent(Select.Changed):
            select.set_options([(Text(clean_line(n)), n) for n in names])
            if current in names:
                select.value = current

    def clear(self) -> None:
        """Every filter back to 'any', announced once."""
        before = self.filters
        with self.prevent(Select.Changed, Checkbox.Changed):
            for select in self.query(Select):
                select.clear()
            self.query_one("#filter-remote", Checkbox).value = False
        if before != self.filters:
            self.post_message(self.Changed(self, self.filters))

    def set_filters(self, filters: Filters) -> None:
        """Show `filters` (a saved search's), announced once."""
        with self.prevent(Select.Changed, Checkbox.Changed):
            for select_id, value in (("#filter-kind", filters.kind), ("#filter-department", filters.department),
                                     ("#filter-hours", filters.max_hours)):
                select = self.query_one(select_id, Select)
                if value is None:
                    select.clear()
                else:
                    select.value = value
            self.query_one("#filter-remote", Checkbox).value = filters.remote_only
        self.post_message(self.Changed(self, self.filters))

    def focus_first(self) -> None:
        self.query_one("#filter-kind", Select).focus()

    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event: Message) -> None:
        event.stop()
        self.post_message(self.Changed(self, self.filters))

    def action_done(self) -> None:
        self.post_message(self.Done(self))
