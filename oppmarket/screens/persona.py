"""Step into the marketplace as someone else (on a database you own)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from oppmarket.domain import Person
from oppmarket.text import clean_line
from oppmarket.widgets.dialog import Dialog

# role -> (label, why you would step in as them)
ROLES = {
    "engineer": ("Engineer", "Finds open work that fits their skills, and sees why."),
    "owner": ("Owner", "Has applicants waiting: shortlist, offer or decline."),
    "line_manager": ("Line manager", "Has reports' offers waiting: release their time."),
    "admin": ("Admin", "Runs it all: people, skills, insights, audit log."),
}
# Keys of `Market.personas()` that name a role under another word.
_PERSONA_KEYS = {"manager": "owner"}


@dataclass(frozen=True)
class Persona:
    """Someone worth stepping in as, and why."""

    role: str
    username: str
    display_name: str

    @property
    def label(self) -> str:
        return ROLES.get(self.role, (self.role.replace("_", " ").capitalize(), ""))[0]

    @property
    def why(self) -> str:
        return ROLES.get(self.role, ("", ""))[1]

    @property
    def name(self) -> str:
        return f"{clean_line(self.display_name)} ({clean_line(self.username)})"


def personas_from(groups: dict[str, list[Person]]) -> tuple[Persona, ...]:
    """The first person of each group of `Market.personas()`, in the order of ROLES."""
    found: dict[str, Persona] = {}
    for key, people in groups.items():
        role = _PERSONA_KEYS.get(key, key)
        if people and role not in found:
            found[role] = Persona(role, people[0].username, people[0].display_name)
    ordered = [found.pop(role) for role in ROLES if role in found]
    return tuple(ordered + list(found.values()))


def persona_prompt(persona: Persona) -> Table:
    """Role on the left; name, and why pick them, on the right (wrapped in place)."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=12, no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    grid.add_row(persona.label, Text.assemble(Text(persona.name), "\n", (persona.why, "dim")))
    return grid


class PersonaPicker(Dialog[str | None]):
    """Pick whose eyes to see the marketplace through; returns a username or None."""

    BOX_ID = "persona-dialog"
    HEADING = "Step in as someone"

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Not now", id="persona.cancel",
                tooltip="Close without switching"),
    ]

    def __init__(self, personas: Iterable[Persona], *, intro: str = "") -> None:
        super().__init__()
        self.personas = tuple(personas)
        self.intro = intro

    def compose_body(self) -> ComposeResult:
        if self.intro:
            yield Static(self.intro, classes="dialog-text")
        if self.personas:
            yield OptionList(
                *(Option(persona_prompt(p), id=p.username) for p in self.personas),
                id="personas",
            )
        else:
            yield Static("Nobody stands out yet. Press ctrl+p and type a name to step in "
                         "as anyone.", classes="dialog-text")
        yield Static("↑↓ move · enter step in · ctrl+p anyone else, any time",
                     classes="dialog-hint")

    @on(OptionList.OptionSelected, "#personas")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
