"""An empty marketplace: say what oppmarket is and how to fill it."""

from __future__ import annotations

import time

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, ProgressBar, Static
from textual.worker import Worker, get_current_worker

from oppmarket.screens.persona import Persona
from oppmarket.widgets.dialog import Dialog
from oppmarket.widgets.failures import ReportsFailedWorkers
from oppmarket.widgets.footer import MarketFooter

WELCOME = (
    "oppmarket is your company's internal opportunity marketplace: gigs, mentorships, "
    "volunteering, shadowing and learning paths, matched to people's skills and to what "
    "they want to learn. Anyone may post; owners pick applicants; line managers release "
    "their people's time."
)
EMPTY = "This marketplace is empty. Try it with a demo organisation, or bring your own data."
DEMO = ("The demo is a made-up company of about 250 people in a dozen departments, with "
        "300 opportunities and applications at every stage. You then step in as one of them.")
SHARED = ("This database is shared, so a demo does not belong in it: ask whoever runs "
          "oppmarket here to import your organisation.")

IMPORT_HELP = """\
Imports run from the command line, so they can be scripted and repeated. Quit, then run:

  oppmarket import skills FILE.csv
  oppmarket import people FILE.csv
  oppmarket import opportunities FILE.csv

in that order (people name their managers; opportunities name their owners and \
skills). Each file is checked in full first: a file with a bad row writes nothing and \
every bad row is reported with its line number.

Columns
  skills         name, category, aliases (separated by ;), description
  people         username, display_name, email, title, department, manager,
                 weekly_hours, cap_pct, is_admin
  opportunities  kind, title, description, owner, department, hours_per_week,
                 start, end, seats, location, remote, status, required_skills,
                 grows_skills

Then start oppmarket again."""

# Progress reaches the screen at most this often; a demo reports thousands of steps.
PROGRESS_INTERVAL = 0.1


class ImportHelp(Dialog[bool]):
    """How to import your own data; returns True when the user chooses to quit."""

    BOX_ID = "import-dialog"
    HEADING = "Import your own data"

    BINDINGS = [
        Binding("escape", "dismiss(False)", "Back", id="import.back", tooltip="Back to the welcome screen"),
    ]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="import-text"):
            yield Static(Text(IMPORT_HELP))
        with Horizontal(classes="buttons"):
            yield Button("Quit to import", id="import-quit", variant="primary", action="screen.dismiss(True)")
            yield Button("Back", id="import-back", action="screen.dismiss(False)")


class FirstRunScreen(ReportsFailedWorkers, Screen):
    """Welcome, load the demo organisation, or learn how to import."""

    HELP_NAME = "Welcome"

    BINDINGS = [
        Binding("ctrl+d", "load_demo", "Load demo", id="first_run.demo",
                tooltip="Fill this empty database with a demo organisation"),
        Binding("ctrl+f", "import_help", "Import your data", id="first_run.import",
                tooltip="How to import your own people, skills and opportunities"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.demo_running = False

    def compose(self) -> ComposeResult:
        can_load = self.app.can_switch_user
        yield Header()
        with VerticalScroll(id="first-run"):
            yield Static("Welcome to oppmarket", classes="screen-title")
            yield Static(WELCOME, classes="prose")
            yield Static(EMPTY, classes="prose")
            yield Static(DEMO if can_load else SHARED, classes="prose muted")
            with Horizontal(classes="buttons"):
                if can_load:
                    yield Button("Load the demo organisation (^d)", id="load-demo", variant="primary")
                yield Button("Import your own data (^f)", id="import")
                yield Button("Quit (q)", id="quit")
            with Vertical(id="demo-progress"):
                yield Static("", id="demo-stage")
                yield ProgressBar(id="demo-bar", show_eta=False)
        yield MarketFooter()

    def on_mount(self) -> None:
        self.query_one("#demo-progress").display = False
        self.query_one(Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides the key from the footer; None shows it disabled.
        if action == "load_demo" and not self.app.can_switch_user:
            return False
        if action in ("load_demo", "import_help") and self.demo_running:
            return None
        return True

    # ------------------------------------------------------------------ actions

    @on(Button.Pressed, "#load-demo")
    def action_load_demo(self) -> None:
        if self.demo_running or not self.app.can_switch_user:
            return
        self.demo_running = True
        for button in self.query(Button):
            button.disabled = button.id != "quit"
        self.query_one("#demo-progress").display = True
        self.query_one("#demo-stage", Static).update("Preparing the demo organisation…")
        self.refresh_bindings()
        self.load_demo()

    @on(Button.Pressed, "#import")
    def action_import_help(self) -> None:
        if not self.demo_running:
            self.app.push_screen(ImportHelp(), self._after_import_help)

    def _after_import_help(self, quit_now: bool | None) -> None:
        if quit_now:
            self.app.exit()

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit()

    # ------------------------------------------------------------------ the demo

    @work(thread=True, exclusive=True, exit_on_error=False, group="demo")
    def load_demo(self) -> None:
        worker = get_current_worker()
        market = self.app.market
        last = 0.0

        def progress(stage: str, done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_INTERVAL or done >= total:
                last = now
                if not worker.is_cancelled:
                    self.app.call_from_thread(self._show_progress, stage, done, total)

        summary = market.load_demo(progress=progress)
        roles = (("engineer", summary.engineer), ("owner", summary.owner),
                 ("line_manager", summary.line_manager), ("admin", summary.admin))
        personas = []
        for role, username in roles:
            if username:
                person = market.person(username)
                personas.append(Persona(role, person.username, person.display_name))
        if not worker.is_cancelled:
            self.app.call_from_thread(self.app.demo_loaded, tuple(personas))

    def _show_progress(self, stage: str, done: int, total: int) -> None:
        self.query_one("#demo-stage", Static).update(Text(f"Loading the demo: {stage}"))
        self.query_one("#demo-bar", ProgressBar).update(total=max(total, 1), progress=done)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "demo":
            self.demo_running = False
            for button in self.query(Button):
                button.disabled = False
            self.query_one("#demo-progress").display = False
            self.refresh_bindings()
