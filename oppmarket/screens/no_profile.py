"""The marketplace has data, but nobody by the user's name."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Static
from textual.worker import get_current_worker

from oppmarket.errors import ValidationError
from oppmarket.screens.persona import PersonaPicker, personas_from
from oppmarket.text import clean_line
from oppmarket.widgets.failures import ReportsFailedWorkers
from oppmarket.widgets.footer import MarketFooter


class NoProfileScreen(ReportsFailedWorkers, Screen):
    """Explain, then (on a database the user owns) offer to create a profile or to
    step in as a persona; elsewhere, say whom to ask."""

    HELP_NAME = "No profile yet"

    BINDINGS = [
        Binding("f2", "pick_persona", "Pick a persona", id="no_profile.persona",
                tooltip="Step in as someone from the marketplace"),
    ]

    def compose(self) -> ComposeResult:
        actor = self.app.market.actor
        who = clean_line(actor) if actor else None
        switch = self.app.can_switch_user
        yield Header()
        with VerticalScroll(id="no-profile"):
            if who:
                yield Static(Text(f"You ({who}) have no profile here yet"), classes="screen-title")
            else:
                yield Static("oppmarket cannot tell who you are", classes="screen-title")
            if switch and who:
                yield Static(
                    "This marketplace has people and opportunities, but none of them is you. "
                    "Create your profile to browse and apply (you can add skills and interests "
                    "later), or step in as someone already here.", classes="prose")
                yield Label("Your name, as colleagues will see it", id="display-name-label")
                yield Input(placeholder="e.g. Sam Rivera, then enter", id="display-name")
                yield Static("", id="display-name-error", classes="field-error")
                with Horizontal(classes="buttons"):
                    yield Button("Create my profile", id="create", variant="primary")
                    yield Button("Pick a persona (f2)", id="pick")
                    yield Button("Quit", id="quit")
            elif switch:
                yield Static("No user name came with this session. Step in as someone "
                             "from the marketplace instead.", classes="prose")
                with Horizontal(classes="buttons"):
                    yield Button("Pick a persona (f2)", id="pick", variant="primary")
                    yield Button("Quit (q)", id="quit")
            else:
                yield Static(Text(
                    "This marketplace is shared, and only an admin can add people to it. "
                    f"Ask one of your admins to add you with the username {who or 'you sign in with'}; "
                    "then start oppmarket again."), classes="prose")
                with Horizontal(classes="buttons"):
                    yield Button("Quit (q)", id="quit", variant="primary")
        yield MarketFooter()

    def on_mount(self) -> None:
        if self.query("#display-name"):
            self.query_one("#display-name", Input).focus()
        else:
            self.query_one(Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick_persona":
            return self.app.can_switch_user  # False also hides it from the footer
        return True

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit()

    # ------------------------------------------------------------------ create

    @on(Button.Pressed, "#create")
    @on(Input.Submitted, "#display-name")
    def create_profile(self) -> None:
        name = self.query_one("#display-name", Input).value
        self._show_error("")
        self.register(name)

    def _show_error(self, message: str) -> None:
        error = self.query_one("#display-name-error", Static)
        error.update(Text(message))
        self.query_one("#display-name", Input).set_class(bool(message), "-invalid")

    @work(thread=True, exclusive=True, exit_on_error=False, group="register")
    def register(self, display_name: str) -> None:
        try:
            self.app.market.register_self(display_name)
        except ValidationError as error:
            message = error.fields.get("display_name") or str(error)
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._show_error, message)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.app.profile_created)

    # ------------------------------------------------------------------ personas

    @on(Button.Pressed, "#pick")
    def action_pick_persona(self) -> None:
        if self.app.can_switch_user:
            self.find_personas()

    @work(thread=True, exclusive=True, exit_on_error=False, group="personas")
    def find_personas(self) -> None:
        personas = self.app.personas or personas_from(self.app.market.personas())
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._offer, personas)

    def _offer(self, personas) -> None:
        self.app.push_screen(
            PersonaPicker(personas, intro="Step in as one of these people; ctrl+p switches again at any time."),
            self.app.persona_picked,
        )
