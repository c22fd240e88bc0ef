"""The terminal app: who is acting, which screen they land on, and the keys that work
everywhere. Every `Market` call runs in a thread worker; screens never see Peewee."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Iterable
from functools import partial
from types import EllipsisType
from typing import Protocol, runtime_checkable

from rich.text import Text
from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from oppmarket import config, faults, identity
from oppmarket.domain import Application, OpportunityDraft, Person
from oppmarket.errors import OppMarketError
from oppmarket.lifecycle import RELEASE_WAITING
from oppmarket.market import Market
from oppmarket.render import status_label
from oppmarket.screens.browse import BrowseScreen
from oppmarket.screens.error_dialog import ErrorDialog
from oppmarket.screens.first_run import FirstRunScreen
from oppmarket.screens.help import HelpScreen, KeyHelp
from oppmarket.screens.no_profile import NoProfileScreen
from oppmarket.screens.palette import PROVIDERS, SwitchTarget
from oppmarket.screens.persona import Persona, PersonaPicker, personas_from
from oppmarket.screens.starting import Arrival, StartingScreen
from oppmarket.text import clean_line
from oppmarket.widgets.failures import CallFailed, ReportsFailedWorkers

# The palette offers at most this many people to step in as (besides the personas);
# a demo has a few hundred, and scale data is for benchmarks, not for browsing people.
MAX_SWITCH_TARGETS = 500
# Textual's palette commands that write a file where the app runs.
FILE_WRITING_COMMANDS = frozenset({"Screenshot"})


@runtime_checkable
class HoldsUnsavedWork(Protocol):
    """A screen that may hold unsaved changes: asked to step aside, it asks the user
    first when it must, closes, and then calls `then` (not at all when the user stays)."""

    def leave(self, then: Callable[[], None] | None = None) -> None: ...


@runtime_checkable
class FollowsNews(Protocol):
    """A screen that lists notifications: told when the unread count changes."""

    def unread_changed(self) -> None: ...


# How the help screen names the widgets whose keys it lists.
HELP_SECTIONS = {
    "OpportunityTable": "In the opportunity list",
    "ApplicantTable": "In the applicant list",
    "DataTable": "In the list",
    "OpportunityDetail": "In the detail pane",
    "SearchBox": "In the search box",
    "FilterBar": "In the filters",
    "MapFilters": "In the filters",
    "CapabilityGrid": "In the map",
    "Input": "In a text field",
    "OptionList": "In a list",
    "Button": "On a button",
}


class OppMarketApp(ReportsFailedWorkers, App[None]):
    """oppmarket in the terminal."""

    TITLE = "oppmarket"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | set(PROVIDERS)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (160, "-wide")]

    BINDINGS = [
        # First: where the footer runs out of room, its last keys are the ones cut.
        Binding("question_mark", "help", "Help", id="app.help", key_display="?",
                tooltip="Every key of this screen"),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave oppmarket"),
        Binding("b", "go('browse')", "Browse", id="app.browse", tooltip="Every open opportunity"),
        Binding("m", "go('my_work')", "My work", id="app.my_work", tooltip="Your applications and postings"),
        Binding("p", "go('post')", "Post", id="app.post", tooltip="Post a new opportunity"),
        Binding("i", "go('inbox')", "Inbox", id="app.inbox", tooltip="Your notifications"),
        Binding("u", "go('profile')", "Profile", id="app.profile", tooltip="Your skills, interests and time"),
        Binding("t", "go('team')", "Team", id="app.team",
                tooltip="Your reports' caps, commitments and skills; offers waiting for your release"),
        # Off the footer, which has no room left on a small terminal: the help and the
        # palette name it.
        Binding("l", "go('capability_map')", "Capability map", id="app.capability_map", show=False,
                tooltip="Skills by departments: where the company is deep, and where it is thin"),
        Binding("z", "go('insights')", "Insights", id="app.insights", show=False,
                tooltip="Participation, equal access, releases, hours unlocked, core work, skills gained"),
        # Admins only; anyone else who presses it is told so (and help leaves it out).
        Binding("A", "go('admin')", "Admin", id="app.admin", show=False, key_display="A",
                tooltip="People, departments, skills, key roles, imports, settings, audit log, backup"),
        Binding("ctrl+p", "command_palette", "Palette", id="app.palette", show=False, priority=True,
                tooltip="Commands: switch persona, theme, keys"),
    ]

    # How often the app looks whether the session has been idle too long.
    IDLE_POLL_SECONDS = 15.0

    def __init__(self, market: Market, *, can_switch_user: bool = False, remote: bool = False,
                 idle_minutes: float | None = None, idle_clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.market = market
        self.can_switch_user = can_switch_user
        # In an SSH session the app runs as the service account on the server: a file it
        # wrote would land there, beside the database, not with the person at the keys.
        self.remote = remote
        self.me: Person | None = None
        # Suggested people to step in as (after a demo load: from its summary).
        self.personas: tuple[Persona, ...] = ()
        self._switch_targets: Worker[tuple[SwitchTarget, ...]] | None = None
        self.unread = 0  # the actor's unread notifications, as last counted
        # The one browse screen, kept while the same person acts (see open_browse).
        self._browse: BrowseScreen | None = None
        # A session left open at an unattended terminal is anyone's who walks by.
        self.idle_minutes = idle_minutes
        self._idle_clock = idle_clock
        self._last_input = idle_clock()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own palette commands, less any that writes a file in a remote session."""
        for command in super().get_system_commands(screen):
            if not (self.remote and command.title in FILE_WRITING_COMMANDS):
                yield command

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        if self.remote:
            self.notify("Screenshots would be saved on the server, so they are off in an SSH session.",
                        severity="warning", markup=False)
            return None
        return super().deliver_screenshot(filename, path, time_format)

    def on_mount(self) -> None:
        self._show(StartingScreen(maintenance=True))
        # Others' actions (an application, an offer) reach the header without a key press.
        self.set_interval(self.UNREAD_POLL_SECONDS, self.refresh_unread)
        if self.idle_minutes is not None:
            self._idle_timer = self.set_interval(self.IDLE_POLL_SECONDS, self._end_if_idle)

    async def on_event(self, event: events.Event) -> None:
        # Seen once as it arrives from the terminal, before the app forwards it.
        if isinstance(event, (events.InputEvent, events.Paste)) and not event.is_forwarded:
            self._last_input = self._idle_clock()
        await super().on_event(event)

    def _end_if_idle(self) -> None:
        idle = self._idle_clock() - self._last_input
        if self.idle_minutes is not None and idle >= self.idle_minutes * 60:
            self._idle_timer.stop()  # one ending, one message
            unit = "minute" if self.idle_minutes == 1 else "minutes"
            self.exit(message=f"oppmarket: session ended after {self.idle_minutes:g} {unit} idle")

    # ------------------------------------------------------------------ failures

    def on_call_failed(self, message: CallFailed) -> None:
        """The one place a failed call becomes what the user sees. A domain error
        says what to do: a notification. Anything else is a fault of the database or
        the system (said in words to act on) or a bug: a dialog with one line, the
        traceback in the log."""
        error = message.error
        if isinstance(error, OppMarketError):
            self.notify(message.text or str(error), title=message.title, severity="error", markup=False)
            return
        log = faults.record(error)
        # A fault that repeats (the unread count polls) is logged each time, shown once.
        if not isinstance(self.screen, ErrorDialog):
            self.push_screen(ErrorDialog(faults.describe(error), log, remote=self.remote))

    def _fatal_error(self) -> None:
        """An exception nobody handled ends the app, as in any Textual app; but where
        Textual would print its traceback with the local variables of every frame (SQL
        parameters, a profile, the server's paths, all shown to an SSH client), the
        terminal gets one line and the log file the traceback. Textual calls this
        while the exception is being handled, and has set a non-zero return code."""
        error = sys.exception()
        if error is None:
            self.panic(Text("oppmarket: error: the app stopped on an unexpected error"))
            return
        said = faults.one_line(error, faults.record(error), remote=self.remote)
        self.panic(Text(f"oppmarket: error: {said}"))

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
        self._show_unread(self.market.actor, 0)
        kept = self._browse
        was_shown = kept in self.screen_stack
        self._show(StartingScreen())
        self._forget_browse(kept, was_shown)

    def arrive(self, arrival: Arrival) -> None:
        # After the callbacks already queued (the start screen's header updating its
        # title): replacing the screen before them leaves them a removed header.
        self.call_next(self._arrive, arrival)

    def _arrive(self, arrival: Arrival) -> None:
        # Each screen puts who_line() in its own sub_title: the app's would reach
        # the headers of screens being removed too.
        self.me = arrival.me
        self.refresh_bindings()
        if arrival.empty:
            self._show(FirstRunScreen())
        elif arrival.me is None:
            self._show(NoProfileScreen())
        else:
            self._show(self._browse_screen())
            self.refresh_unread()
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
        """Make `screen` the one screen above the (blank) default screen; a kept screen
        already there is uncovered rather than opened again."""
        while len(self.screen_stack) > 1 and self.screen is not screen:
            self.pop_screen()
        if self.screen is not screen:
            self.push_screen(screen)

    def _browse_screen(self, search: str = "") -> BrowseScreen:
        """The kept browse screen, made (and installed, so that leaving it does not
        discard it) the first time; with `search`, showing what that query finds."""
        if self._browse is None:
            self._browse = BrowseScreen(search=search)
            self.install_screen(self._browse, name="browse")
        elif search:
            self._browse.search_for(search)
        return self._browse

    def _forget_browse(self, kept: BrowseScreen | None, was_shown: bool) -> None:
        """Drop the kept browse screen (someone else is about to act). One that was
        just taken off the stack is discarded by Textual once uninstalled; one that
        was not on it is removed here."""
        if kept is None:
            return
        self._browse = None
        self.uninstall_screen(kept)
        if not was_shown:
            kept.remove()

    # ------------------------------------------------------------------ navigation
    # Screens are opened only through these methods, so every key, palette command and
    # notification link leads to the same place the same way.

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Before there is a profile, the marketplace's screens are not offered at all:
        # a key that only says "create a profile first" is a key in the way.
        if action == "go" and self.me is None:
            return False
        return True

    def action_go(self, where: str, *args: str) -> None:
        """Open one of the main screens (b, m, p, i, u, t, l, z, A, or the key roles); `args` go to its opener
        (e.g. the tab of My work)."""
        if self.me is None:
            self.notify("Create or pick a profile first.", severity="warning")
            return
        opener = partial({
            "browse": self.open_browse,
            "my_work": self.open_my_work,
            "post": self.open_post,
            "inbox": self.open_inbox,
            "profile": self.open_profile,
            "releases": self.open_releases,
            "team": self.open_team,
            "capability_map": self.open_capability_map,
            "insights": self.open_insights,
            "key_roles": self.open_key_roles,
            "admin": self.open_admin,
        }[where], *args)
        # A screen holding unsaved work (the post form) asks first, then steps aside.
        if isinstance(self.screen, HoldsUnsavedWork):
            self.screen.leave(opener)
        else:
            opener()

    async def action_quit(self) -> None:
        """Leave oppmarket (q, ctrl+q); each screen holding unsaved work (the post form, a
        half-written application or feedback) asks first, top one first."""
        self._leave_then_exit([s for s in reversed(self.screen_stack) if isinstance(s, HoldsUnsavedWork)])

    def _leave_then_exit(self, screens: list[HoldsUnsavedWork]) -> None:
        if not screens:
            self.exit()
            return
        screens[0].leave(partial(self._leave_then_exit, screens[1:]))

    def _replace_main(self, screen: Screen) -> None:
        """Main screens replace each other; dialogs and detail screens stack on top."""
        self._show(screen)
        self.refresh_unread()

    def open_browse(self, search: str = "") -> None:
        """The browse screen as it was left (view, query, filters, order, cursor);
        with `search`, showing what that query finds."""
        self._replace_main(self._browse_screen(search))

    def open_my_work(self, tab: str = "applications") -> None:
        from oppmarket.screens.my_work import MyWorkScreen

        self._replace_main(MyWorkScreen(tab=tab))

    def open_post(self, opportunity_id: int | None = None, prefill: OpportunityDraft | None = None) -> None:
        """The post form; with an id, the edit form of that posting; with `prefill`, a
        new posting's form filled in with it."""
        from oppmarket.screens.post import PostScreen

        self.push_screen(PostScreen(opportunity_id, prefill=prefill))

    def open_inbox(self) -> None:
        from oppmarket.screens.inbox import InboxScreen

        self._replace_main(InboxScreen())

    def open_profile(self) -> None:
        from oppmarket.screens.profile import ProfileScreen

        self._replace_main(ProfileScreen())

    def open_releases(self, application_id: int | None = None) -> None:
        """The team's release queue; with an id, on that application's request."""
        from oppmarket.screens.releases import ReleasesScreen

        self._replace_main(ReleasesScreen(application_id))

    def open_team(self, part: str = "reports") -> None:
        """The team view: the reports, or (`part` "releases") the release queue."""
        from oppmarket.screens.team import TeamScreen

        if part == "releases":
            self.open_releases()
        else:
            self._replace_main(TeamScreen())

    def open_capability_map(self) -> None:
        from oppmarket.screens.capability_map import CapabilityMapScreen

        self._replace_main(CapabilityMapScreen())

    def open_insights(self) -> None:
        """The period's figures, for whoever the actor may look at."""
        from oppmarket.screens.insights import InsightsScreen

        self._replace_main(InsightsScreen())

    def open_capability_cell(self, skill_id: int, department: int | None, level: int) -> None:
        """What lies behind one cell of the capability map (`department` None: the
        skill's whole row)."""
        from oppmarket.screens.capability_cell import CapabilityCellScreen

        self.push_screen(CapabilityCellScreen(skill_id, department, level))

    def open_key_roles(self) -> None:
        """The key roles and the size of each one's bench."""
        from oppmarket.screens.key_roles import KeyRolesScreen

        self.push_screen(KeyRolesScreen())

    def open_admin(self, part: str = "") -> None:
        """The admin console, or (`part`, a key of `screens.admin.PARTS`) one of its
        parts over it; anyone but an admin is told it is theirs."""
        from oppmarket.screens.admin import FOR_ADMINS, PARTS, AdminScreen

        if self.me is None or not self.me.is_admin:
            self.notify(FOR_ADMINS, severity="warning")
            return
        console = AdminScreen()
        self._replace_main(console)
        if part:
            console.call_after_refresh(console.open, next(p for p in PARTS if p.key == part))

    def open_key_role(self, key_role_id: int) -> None:
        """One key role's bench."""
        from oppmarket.screens.key_roles import KeyRoleBenchScreen

        self.push_screen(KeyRoleBenchScreen(key_role_id))

    def open_opportunity(self, opportunity_id: int) -> None:
        """The full detail screen of one opportunity."""
        from oppmarket.screens.opportunity import OpportunityScreen

        self.push_screen(OpportunityScreen(opportunity_id))

    def open_apply(self, opportunity_id: int) -> None:
        """The apply form for one opportunity."""
        from oppmarket.screens.apply import ApplyScreen

        self.push_screen(ApplyScreen(opportunity_id))

    def open_review(self, opportunity_id: int) -> None:
        """The owner's review of a posting's applicants."""
        from oppmarket.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(opportunity_id))

    def open_invite(self, opportunity_id: int) -> None:
        """The people open to invitations who fit a posting best, for its owner."""
        from oppmarket.screens.invite import InviteScreen

        self.push_screen(InviteScreen(opportunity_id))

    def open_core_work(self, application_id: int) -> None:
        """The core-work question about a completed engagement."""
        from oppmarket.screens.core_work import CoreWorkScreen

        self.push_screen(CoreWorkScreen(application_id))

    def open_link(self, link: str) -> None:
        """Follow a notification's link: 'opp:ID', 'app:ID', 'offer:ID' (an
        application), 'release:ID', 'corework:ID', 'invite:ID' (a posting) or 'profile'."""
        kind, _, ident = link.partition(":")
        if kind == "profile":
            self.open_profile()
        elif kind in ("opp", "invite") and ident.isdigit():
            self.open_opportunity(int(ident))
        elif kind in ("app", "offer", "release") and ident.isdigit():
            self._open_application(int(ident), kind == "release")
        elif kind == "corework" and ident.isdigit():
            self.open_core_work(int(ident))
        else:
            self.notify("That notification has nothing to open.", severity="warning")

    @work(thread=True, exclusive=True, exit_on_error=False, group="open-link")
    def _open_application(self, application_id: int, release: bool) -> None:
        application = self.market.application(application_id)
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_application, application, release)

    def _show_application(self, application: Application, release: bool = False) -> None:
        """An application's news leads its applicant to My work, its owner to the
        review of the posting, and the applicant's manager (and any release request)
        to that request in the team's queue, or says it no longer waits there."""
        me = self.me.username if self.me else None
        if not release and application.applicant_username == me:
            self.open_my_work("applications")
        elif not release and application.owner_username == me:
            self.open_review(application.opportunity_id)
        elif application.status == RELEASE_WAITING:
            self.open_releases(application.id)
        else:
            self.notify(f"The offer of '{clean_line(application.opportunity_title)}' to "
                        f"{clean_line(application.applicant_name)} no longer waits for your release: it is "
                        f"{status_label(application.status, lower=True)}.", markup=False)

    # ------------------------------------------------------------------ unread count
    # The count is part of the app's title, which every screen's header shows, so
    # all of them follow when it changes.

    UNREAD_POLL_SECONDS = 30

    def refresh_unread(self) -> None:
        """Count the actor's unread notifications again, in a worker."""
        if self.me is not None:
            self._count_unread(self.market)

    @work(thread=True, exclusive=True, exit_on_error=False, group="unread")
    def _count_unread(self, market: Market) -> None:
        count = market.unread_count()
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._show_unread, market.actor, count)

    def _show_unread(self, actor: str | None, count: int) -> None:
        if actor == self.market.actor:  # not the count of someone stepped out of
            changed, self.unread = count != self.unread, count
            self.title = f"{self.TITLE} · {count} unread" if count else self.TITLE
            # A screen listing notifications fetches them again when news arrives.
            if changed and isinstance(self.screen, FollowsNews):
                self.screen.unread_changed()

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
            # Keys a terminal cannot send (super+...) would only confuse; the admin
            # console's key is for admins.
            if not binding.description or binding.system or "super+" in binding.key:
                continue
            if binding.id == "app.admin" and not (self.me is not None and self.me.is_admin):
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
    db: object,
    actor: str | None,
    *,
    identified_by: str = identity.OS_LOGIN,
    can_switch_user: bool = False,
    remote: bool = False,
    clock: Callable[[], dt.datetime] | None = None,
    idle_minutes: float | None | EllipsisType = ...,
    idle_clock: Callable[[], float] = time.monotonic,
) -> OppMarketApp:
    """The app acting as `actor` on an opened database, who was identified as
    `identified_by` says (`identity.Identity.how`; a persona switched to counts as
    "as"). `can_switch_user` is True only when the database belongs to the caller:
    then personas may be picked and switched. `remote` is True in an SSH session,
    where nothing may write files on the server. `idle_minutes` (None: never) ends a
    session without key or mouse input for that long; by default it is `idle_minutes`
    of the config file, else the marketplace's `session_idle_minutes` setting: whoever
    holds the config file holds the database too (on a server, the service account)."""
    market = Market(db, actor, identified_by=identified_by, clock=clock)
    if idle_minutes is ...:
        idle_minutes = config.load_settings().idle_minutes or market.session_idle_minutes()
    return OppMarketApp(market, can_switch_user=can_switch_user, remote=remote,
                        idle_minutes=idle_minutes, idle_clock=idle_clock)
