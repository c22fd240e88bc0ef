"""Jump to a skill by typing: the fuzzy skill search (names, aliases, typos) offers
the closest skills as you type, and enter picks the highlighted one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from oppmarket.search import SkillHit
from oppmarket.text import clean_line
from oppmarket.widgets.dialog import Dialog
from oppmarket.widgets.failures import ReportsFailedWorkers
from oppmarket.widgets.skill_picker import SkillQuery

HITS = 8


class SkillSearch(Protocol):
    """Where the dialog looks skills up (the `Market`), in a thread worker."""

    def search_skills(self, query: str, limit: int = 10) -> Sequence[SkillHit]: ...


class SkillJump(ReportsFailedWorkers, Dialog[SkillHit | None]):
    """Type a skill; returns the one picked, or None."""

    BOX_ID = "jump-dialog"
    HEADING = "Jump to a skill"

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="skill_jump.back", tooltip="Close without moving"),
    ]

    def __init__(self, catalogue: SkillSearch) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.hits: tuple[SkillHit, ...] = ()

    def compose_body(self) -> ComposeResult:
        yield SkillQuery(placeholder="A skill's name or alias, e.g. k8s", id="jump-query")
        yield OptionList(id="jump-hits")
        yield Static("Type to search · ↑↓ choose · enter jump · esc back", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(SkillQuery).focus()

    @on(Input.Changed, "#jump-query")
    def _typed(self, event: Input.Changed) -> None:
        self.look_up(event.value.strip())

    @work(thread=True, exclusive=True, exit_on_error=False, group="skill-jump")
    def look_up(self, query: str) -> None:
        hits = tuple(self.catalogue.search_skills(query, HITS)) if query else ()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_hits, hits)

    def _show_hits(self, hits: tuple[SkillHit, ...]) -> None:
        self.hits = hits
        options = self.query_one("#jump-hits", OptionList)
        options.clear_options()
        options.add_options(Option(Text(clean_line(hit.label)), id=str(index)) for index, hit in enumerate(hits))
        if hits:
            options.highlighted = 0

    @on(SkillQuery.Step)
    def _step(self, event: SkillQuery.Step) -> None:
        options = self.query_one("#jump-hits", OptionList)
        if self.hits:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(len(self.hits) - 1, current + event.step))

    @on(Input.Submitted, "#jump-query")
    def _submitted(self) -> None:
        highlighted = self.query_one("#jump-hits", OptionList).highlighted
        if self.hits:
            self.dismiss(self.hits[highlighted or 0])

    @on(OptionList.OptionSelected, "#jump-hits")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.hits[int(event.option.id)])
