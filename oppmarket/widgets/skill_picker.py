"""Choose skills by typing: fuzzy and alias-aware suggestions ("k8s" offers
Kubernetes), each chosen skill with a level, and a new skill only when nothing close
to what was typed exists.

The picker knows nothing of the app: it looks skills up in, and adds them to, the
`SkillCatalogue` its screen hands it (the `Market`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from oppmarket.domain import LEVEL_MEANINGS, SkillInfo
from oppmarket.search import SkillHit
from oppmarket.text import clean_line
from oppmarket.widgets.confirm import ConfirmDialog
from oppmarket.widgets.failures import ReportsFailedWorkers
from oppmarket.widgets.messages import WidgetMessage

# A suggestion scoring at least this (0-100) counts as close: exact names and aliases
# score 100, completed prefixes 90, typos their similarity. Below it, typing a name
# offers to add it as a new skill.
CLOSE_SCORE = 80.0
SUGGESTIONS = 6
NEW = "new"


class SkillCatalogue(Protocol):
    """Where a picker finds skills, and adds one nothing close to exists. Both are
    called in a thread worker."""

    def search_skills(self, query: str, limit: int = 10) -> Sequence[SkillHit]: ...

    def add_skill(self, name: str) -> SkillInfo: ...


def level_line(name: str, level: int | None) -> Text:
    """'Kubernetes  3 Practitioner: handles most work unaided' (or just the name)."""
    line = Text(clean_line(name), style="bold")
    if level is not None:
        line.append(f"  {level} ")
        line.append(LEVEL_MEANINGS.get(level, ""), style="dim")
    return line


class SkillQuery(Input):
    """The text field of a skill picker: ↑ and ↓ move through the suggestions,
    enter picks the highlighted one."""

    BINDINGS = [
        Binding("down", "suggestion(1)", "Next suggestion", show=False, id="skill_query.down",
                tooltip="Highlight the next suggested skill"),
        Binding("up", "suggestion(-1)", "Previous suggestion", show=False, id="skill_query.up",
                tooltip="Highlight the previous suggested skill"),
    ]

    @dataclass
    class Step(WidgetMessage):
        step: int

    def action_suggestion(self, step: int) -> None:
        self.post_message(self.Step(self, step))


class ChosenSkills(OptionList):
    """The skills picked so far; digits set the highlighted one's level, x removes it."""

    BINDINGS = [
        Binding("1", "level(1)", "Level", key_display="1-5", id="chosen_skills.level1",
                tooltip="Set the highlighted skill's level: 1 aware … 5 expert"),
        *(Binding(str(n), f"level({n})", f"Level {n}", show=False, id=f"chosen_skills.level{n}",
                  tooltip=LEVEL_MEANINGS[n]) for n in range(2, 6)),
        Binding("x", "remove", "Remove", id="chosen_skills.remove", tooltip="Take the highlighted skill off"),
    ]

    @dataclass
    class Edited(WidgetMessage):
        """The user changed a level or removed a skill."""

        action: str
        index: int
        level: int | None = None

    def __init__(self, *, levels: bool, id: str | None = None) -> None:
        super().__init__(id=id)
        self.levels = levels

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "level" and not self.levels:
            return False
        return True

    def action_level(self, level: int) -> None:
        if self.highlighted is not None:
            self.post_message(self.Edited(self, "level", self.highlighted, level))

    def action_remove(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Edited(self, "remove", self.highlighted))


class SkillPicker(ReportsFailedWorkers, Vertical):
    """A list of skills (with levels, unless `levels` is False) built by typing."""

    DEFAULT_CSS = """
    SkillPicker {
        height: auto;
    }
    SkillPicker > OptionList {
        height: auto;
        max-height: 8;
    }
    SkillPicker > #suggestions {
        display: none;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    SkillPicker.-suggesting > #suggestions {
        display: block;
    }
    SkillPicker.-active > #suggestions > .option-list--option-highlighted {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    SkillPicker > #chosen {
        display: none;
        border: none;
    }
    SkillPicker.-chosen > #chosen {
        display: block;
    }
    SkillPicker.-chosen > #none-chosen {
        display: none;
    }
    SkillPicker > #none-chosen {
        color: $text-muted;
        padding: 0 1;
    }
    SkillPicker > #skill-hint {
        display: none;
        color: $text-muted;
        padding: 0 1;
    }
    SkillPicker.-active > #skill-hint {
        display: block;
    }
    """

    class Changed(WidgetMessage):
        """The chosen skills changed."""

    def __init__(self, label: str, *, catalogue: SkillCatalogue, levels: bool = True, default_level: int = 3,
                 placeholder: str = "Type a skill or an alias, e.g. k8s", id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.catalogue = catalogue
        self.label = label
        self.levels = levels
        self.default_level = default_level
        self.placeholder = placeholder
        self._chosen: list[tuple[str, int | None]] = []
        self._offered: list[str | None] = []  # option index -> skill name, None for "add new"
        self._query = ""

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        yield SkillQuery(placeholder=self.placeholder, id="skill-query")
        suggestions = OptionList(id="suggestions")
        suggestions.can_focus = False  # the text field drives it
        yield suggestions
        hint = "↑↓ and enter add a suggestion · in the list below: "
        hint += "1-5 level, x remove" if self.levels else "x remove"
        yield Static(hint, id="skill-hint")
        yield Static("None yet.", id="none-chosen")
        yield ChosenSkills(levels=self.levels, id="chosen")

    # The hint and the strong highlight of suggestions show while the picker is in use.

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.add_class("-active")

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.call_later(self._check_active)

    def _check_active(self) -> None:
        focused = self.screen.focused if self.is_attached else None
        self.set_class(focused is not None and self in focused.ancestors_with_self, "-active")

    # ------------------------------------------------------------------ value

    @property
    def value(self) -> list[tuple[str, int | None]]:
        """The chosen skills as (name, level) pairs; level is None without levels."""
        return list(self._chosen)

    def set_value(self, skills: Iterable[tuple[str, int | None]]) -> None:
        self._chosen = [(name, level if self.levels else None) for name, level in skills]
        self._show_chosen()

    def _show_chosen(self, highlight: int | None = None) -> None:
        chosen = self.query_one(ChosenSkills)
        chosen.set_options(Option(level_line(name, level)) for name, level in self._chosen)
        self.set_class(bool(self._chosen), "-chosen")
        if self._chosen:
            chosen.highlighted = min(highlight if highlight is not None else 0, len(self._chosen) - 1)

    def _add(self, name: str) -> None:
        names = [n.lower() for n, _ in self._chosen]
        if name.lower() in names:
            index = names.index(name.lower())
            self.app.notify(f"{clean_line(name)} is already listed.", markup=False)
        else:
            self._chosen.append((name, self.default_level if self.levels else None))
            index = len(self._chosen) - 1
            self.post_message(self.Changed(self))
        self._show_chosen(index)
        query = self.query_one(SkillQuery)
        query.value = ""
        query.focus()

    @on(ChosenSkills.Edited)
    def _edited(self, event: ChosenSkills.Edited) -> None:
        event.stop()
        if not 0 <= event.index < len(self._chosen):
            return
        name, _ = self._chosen[event.index]
        if event.action == "level":
            self._chosen[event.index] = (name, event.level)
        else:
            del self._chosen[event.index]
        self._show_chosen(event.index)
        if not self._chosen:
            self.query_one(SkillQuery).focus()
        self.post_message(self.Changed(self))

    # ------------------------------------------------------------------ suggestions

    @on(Input.Changed, "#skill-query")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._query = clean_line(event.value)
        if self._query:
            self.find(self._query)
        else:
            self._suggest([])

    @work(thread=True, exclusive=True, exit_on_error=False, group="skill-search")
    def find(self, query: str) -> None:
        hits = self.catalogue.search_skills(query, limit=SUGGESTIONS)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._found, query, hits)

    def _found(self, query: str, hits: list) -> None:
        if query == self._query:  # not an answer to what was typed before
            self._suggest(hits)

    def _suggest(self, hits: list) -> None:
        suggestions = self.query_one("#suggestions", OptionList)
        options = [Option(Text(clean_line(hit.label))) for hit in hits]
        self._offered = [hit.name for hit in hits]
        query = self._query
        exact = any(query.lower() in (hit.name.lower(), hit.matched.lower()) for hit in hits)
        if query and not exact and all(hit.score < CLOSE_SCORE for hit in hits):
            options.append(Option(Text.assemble(("+ ", "bold"), f"Add “{query}” as a new skill")))
            self._offered.append(None)
        suggestions.set_options(options)
        self.set_class(bool(options), "-suggesting")
        if options:
            suggestions.highlighted = 0

    @on(SkillQuery.Step)
    def _step(self, event: SkillQuery.Step) -> None:
        event.stop()
        suggestions = self.query_one("#suggestions", OptionList)
        if suggestions.option_count:
            current = suggestions.highlighted or 0
            suggestions.highlighted = max(0, min(suggestions.option_count - 1, current + event.step))

    @on(Input.Submitted, "#skill-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        suggestions = self.query_one("#suggestions", OptionList)
        if suggestions.option_count and suggestions.highlighted is not None:
            self._pick(suggestions.highlighted)

    @on(OptionList.OptionSelected, "#suggestions")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(event.option_index)

    def _pick(self, index: int) -> None:
        if not 0 <= index < len(self._offered):
            return
        name = self._offered[index]
        self._suggest([])
        if name is not None:
            self._add(name)
        else:
            self._offer_new(self._query)

    # ------------------------------------------------------------------ new skills

    def _offer_new(self, name: str) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.add_new(name)
            else:
                self.query_one(SkillQuery).focus()

        self.app.push_screen(ConfirmDialog(
            f"Add “{name}” to the company's skills?",
            "Nothing close to it exists yet. Once added, everyone can find it, claim it and ask for it.",
            yes="Add it", no="Not now"), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="skill-add")
    def add_new(self, name: str) -> None:
        info = self.catalogue.add_skill(name)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._add, info.name)
