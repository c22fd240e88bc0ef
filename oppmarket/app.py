"""The terminal app: who is acting, which screen they land on, and the keys that work
everywhere. Every `Market` call runs in a thread worker; screens never see Peewee."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from oppmarket.domain import Person
from oppmarket.market import Market
from oppmarket.screens.base import MarketErrors
from oppmarket.screens.browse import BrowseScreen
from oppmarket.screens.first_run import FirstRunScreen
from oppmarket.screens.help import HelpScreen, KeyHelp
from oppmarket.screens.no_profile import NoProfileScreen
from oppmarket.screens.persona import Persona, PersonaPicker, personas_from
from oppmarket.screens.starting import Arrival, StartingScreen
from oppmarket.text import clean_line

if TYPE_CHECKING:
    import peewee

# The palette offers at most this many people to step in as (besides the personas);
# a demo has a few hundred, and scale data is for benchmarks, not for browsing people.
MAX_SWITCH_TARGETS = 500


@dataclass(frozen=True)
class SwitchTarget:
    """Someone the palette offers to step in as."""

    username: str
    display_name: str
    about: str  # our own words for a persona; their title and department otherwise
    persona: bool

    @property
    def command(self) -> str:
        return f"Switch persona: {clean_line(self.display_name)} ({clean_line(self.username)})"


def _highlight(matcher: Matcher, candidate: str) -> Content:
    """`candidate` with the letters the query matched highlighted, as plain text:
    a name is never parsed as markup."""
    content = Content(candidate)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class PersonaCommands(Provider):
    """Command palette: 'Switch persona: <name>' for the suggested personas, then
    for everyone else. Names are shown as plain text."""

    async def startup(self) -> None:
        self.targets: tuple[SwitchTarget, ...] = ()
        app = self.app
        if isinstance(app, OppMarketApp) and app.can_switch_user:
            self.targets = await app.switch_targets().wait()

    def _hit_help(self, target: SwitchTarget) -> str:
        return escape(target.about)

    async def discover(self) -> Hits:
        for target in self.targets:
            if target.persona:
                yield DiscoveryHit(Content(target.command), partial(self.app.become, target.username),
                                   text=target.command, help=self._hit_help(target))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for target in self.targets:
            score = matcher.match(target.command)
            if score > 0:
                yield Hit(score, _highlight(matcher, target.command), partial(self.app.become, target.username),
                          text=target.command, help=self._hit_help(target))


# How the help screen names the widgets whose keys it lists.
HELP_SECTIONS = {
    "OpportunityTable": "In the opportunity list",
    "OpportunityDetail": "In the detail pane",
    "Input": "In a text field",
    "OptionList": "In a list",
    "Button": "On a button",
}


class OppMarketApp(MarketErrors, App[None]):
    """oppmarket in the terminal."""

    TITLE = "oppmarket"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {PersonaCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (160, "-wide")]

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave oppmarket"),
        Binding("question_mark", "help", "Help", id="app.help", key_display="?",
                tooltip="Every key of this screen"),
        Binding("ctrl+p", "command_palette", "Palette", id="app.palette", show=False, priority=True,
                tooltip="Commands: switch persona, theme, keys"),
    ]

    def __init__(self, market: Market, *, can_switch_user: bool = False) -> None:
        super().__init__()
        self.market = market
        self.can_switch_user = can_switch_user
        self.me: Person | None = None
        # Suggested people to step in as (after a demo load: from its summary).
        self.personas: tuple[Persona, ...] = ()
        self._switch_targets: Worker[tuple[SwitchTarget, ...]] | None = None

    def on_mount(self) -> None:
        self._show(StartingScreen(maintenance=True))

    # ------------------------------------------------------------------ who acts

    def who_line(self, extra: str = "") -> str:
        """'Display Name (username)' for the header, with `extra` after it."""
        if self.me is None:
            return extra
        who = f"{clean_line(self.me.display_name)} ({clean_line(self.me.username)})"
        return f"{who} · {extra}" if extra else who

    def open_market(self) -> None:
        """(Re)enter the marketplace as the current actor; a start screen decides
        where they land."""
        self._show(StartingScreen())

    def arrive(self, arrival: Arrival) -> None:
        # Each screen puts who_line() in its own sub_title: the app's would reach
        # the headers of screens being removed too.
        self.me = arrival.me
        if arrival.empty:
            self._show(FirstRunScreen())
        elif arrival.me is None:
            self._show(NoProfileScreen())
        else:
            self._show(BrowseScreen())
            if self.can_switch_user:
                self.switch_targets()  # so that the palette opens at once

    def become(self, username: str) -> None:
        """Act as `username` from now on (only on a database the user owns)."""
        if not self.can_switch_user:
            self.notify("Switching persona works only on a database you own.", severity="error")
            return
        self.market = self.market.as_user(username)
        self.open_market()

    def persona_picked(self, username: str | None) -> None:
        if username:
            self.become(username)
        else:
            self.open_market()

    def demo_loaded(self, personas: tuple[Persona, ...]) -> None:
        self.personas = personas
        self._switch_targets = None
        self.push_screen(
            PersonaPicker(personas, intro="The demo organisation is loaded. See it through the "
                          "eyes of one of its people; ctrl+p switches again at any time."),
            self.persona_picked,
        )

    def profile_created(self) -> None:
        self._switch_targets = None
        self.open_market()

    def _show(self, screen: Screen) -> None:
        """Make `screen` the one screen above the (blank) default screen."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    # ------------------------------------------------------------------ palette

    def switch_targets(self) -> Worker[tuple[SwitchTarget, ...]]:
        """The worker that finds (or found) the people the palette offers."""
        worker = self._switch_targets
        if worker is None or worker.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            worker = self._switch_targets = self._load_switch_targets()
        return worker

    @work(thread=True, exit_on_error=False, group="palette")
    def _load_switch_targets(self) -> tuple[SwitchTarget, ...]:
        market = self.market
        personas = self.personas or personas_from(market.personas())
        targets = [SwitchTarget(p.username, p.display_name, f"{p.label}: {p.why}", True) for p in personas]
        seen = {p.username for p in personas}
        after = None
        while len(targets) < MAX_SWITCH_TARGETS:
            page = market.people(limit=100, after_id=after)
            for person in page.items:
                if person.username not in seen and person.active:
                    about = " · ".join(clean_line(x) for x in (person.title, person.department or "") if x)
                    targets.append(SwitchTarget(person.username, person.display_name, about, False))
            if page.next_after is None:
                break
            after = page.next_after
        return tuple(targets[:MAX_SWITCH_TARGETS])

    # ------------------------------------------------------------------ help

    def action_help(self) -> None:
        screen = self.screen
        keys: dict[str, list[KeyHelp]] = {}
        for active in screen.active_bindings.values():
            binding = active.binding
            # Keys a terminal cannot send (super+...) would only confuse.
            if not binding.description or binding.system or "super+" in binding.key:
                continue
            node = active.node
            if node is self:
                section = "Everywhere"
            elif node is screen:
                section = "On this screen"
            else:
                section = next(
                    (HELP_SECTIONS[c.__name__] for c in type(node).__mro__ if c.__name__ in HELP_SECTIONS),
                    f"In {type(node).__name__}")
            keys.setdefault(section, []).append(
                KeyHelp(section, self.get_key_display(binding), binding.description, binding.tooltip))
        order = sorted(keys, key=lambda s: (s != "On this screen", s != "Everywhere", s))
        rows = [k for section in order for k in keys[section]]
        # A screen names itself for the help title with HELP_NAME.
        self.push_screen(HelpScreen(getattr(screen, "HELP_NAME", type(screen).__name__), rows))


def make_app(
    db: peewee.Database,
    actor: str | None,
    *,
    can_switch_user: bool = False,
    clock: Callable[[], dt.datetime] | None = None,
) -> OppMarketApp:
    """The app acting as `actor` on an opened database. `can_switch_user` is True only
    when the database belongs to the caller: then personas may be picked and switched."""
    return OppMarketApp(Market(db, actor, clock=clock), can_switch_user=can_switch_user)
