"""Where you work: your location, how far you would go for in-person work, and
whether you want the weekly For-you digest."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from oppmarket import location
from oppmarket.domain import Person
from oppmarket.errors import ValidationError
from oppmarket.text import clean_line
from oppmarket.widgets.dialog import FormDialog, show_error


def where_line(person: Person) -> Text:
    """The profile's line on where they work and what they hear of."""
    line = Text("Where  ", style="bold")
    line.append(location.describe(person.location, person.remote_preference))
    if not person.location:
        line.append(" · no location given", style="dim")
    line.append(" · weekly digest " + ("on" if person.weekly_digest else "off"))
    line.append("  (e changes)", style="dim")
    return line


class WhereDialog(FormDialog[Person | None]):
    """Edit location, remote preference and the digest opt-in; returns the person."""

    BOX = VerticalScroll
    BOX_ID = "where-dialog"
    HEADING = "Where you work"
    SUBMIT = "#where-save"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="where.save", tooltip="Keep these settings"),
        Binding("escape", "dismiss(None)", "Back", id="where.back", tooltip="Close without changing"),
    ]

    def __init__(self, person: Person) -> None:
        super().__init__()
        self.person = person

    def compose_body(self) -> ComposeResult:
        yield Static("For you leaves out in-person work beyond your reach; remote work is always in.",
                     classes="dialog-text muted")
        yield Label("Location (your office or city)")
        yield Input(clean_line(self.person.location), placeholder="e.g. Lisbon", max_length=120, id="where-location")
        yield Static("", id="location-error", classes="field-error")
        yield Label("In-person work")
        yield Select([(Text(words), key) for key, words in location.PREFERENCES.items()],
                     value=self.person.remote_preference, allow_blank=False, id="where-preference")
        yield Checkbox("Send me the week's top recommendations in my inbox", self.person.weekly_digest,
                       id="where-digest")
        yield Horizontal(Button("Save (ctrl+s)", id="where-save", variant="primary", action="screen.save"),
                         Button("Cancel (esc)", id="where-cancel", action="screen.dismiss(None)"),
                         classes="buttons")

    def on_mount(self) -> None:
        self.query_one("#location-error").display = False
        self.query_one("#where-location", Input).focus()

    def action_save(self) -> None:
        where = self.query_one("#where-location", Input).value
        preference = self.query_one("#where-preference", Select).value
        digest = self.query_one("#where-digest", Checkbox).value
        market = self.app.market
        self.send(lambda: market.update_profile(location=where, remote_preference=preference, weekly_digest=digest))

    def refused(self, error: ValidationError) -> None:
        show_error(self.query_one("#location-error", Static), "; ".join(error.fields.values()))
