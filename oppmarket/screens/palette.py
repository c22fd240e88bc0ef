"""The command palette (ctrl+p): every provider of its commands.

Main screens by name; opportunities by a fuzzy title and the opportunities of any skill
(the browse screen's search index: aliases and typos welcome); the review of each of
the actor's postings and the release queue; and the people one may step in as. Every
name a user wrote is shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape
from textual.worker import Worker, WorkerCancelled, WorkerFailed

from oppmarket import lifecycle
from oppmarket.domain import Person, SearchResult
from oppmarket.render import kind_label, status_label
from oppmarket.search import SkillHit
from oppmarket.text import clean_line

if TYPE_CHECKING:
    from oppmarket.market import Market

OPPORTUNITY_HITS = 8
SKILL_HITS = 5

# (command, arguments of the app's `go` action, what it is about)
DESTINATIONS = (
    ("Browse opportunities", ("browse",), "b · every open opportunity, and the ones for you"),
    ("My applications", ("my_work", "applications"), "m · where each application stands, what happens next"),
    ("My postings", ("my_work", "postings"), "m then 2 · your postings and their applicants"),
    ("Post an opportunity", ("post",), "p · a gig, mentorship, volunteering, shadowing or learning path"),
    ("Inbox", ("inbox",), "i · every change that concerns you"),
    ("Profile", ("profile",), "u · your skills, interests and time"),
    ("Team", ("team",), "t · your reports' caps, commitments, engagements and skills; the team's hours"),
    ("Capability map", ("capability_map",), "l · skills by departments: where the company is deep or thin"),
    ("Insights", ("insights",), "z · participation, equal access, releases, hours unlocked, core work, skills"),
    ("Key roles", ("key_roles",), "l then k · succession: who is ready to step into each key role"),
)

# Offered to admins only.
ADMIN_DESTINATIONS = (
    ("Admin console", ("admin",), "A · people, departments, skills, key roles, imports, settings, audit log"),
    ("Admin: people", ("admin", "people"), "A then 1 · find, add, edit, managers, hours, admins, deactivate"),
    ("Admin: departments", ("admin", "departments"), "A then 2 · add, rename, parents, merge"),
    ("Admin: skills taxonomy", ("admin", "skills"), "A then 3 · rename, aliases, merge, retire"),
    ("Admin: imports", ("admin", "imports"), "A then 5 · CSV of people, skills or opportunities, previewed"),
    ("Admin: settings", ("admin", "settings"), "A then 6 · automatic release, default cap, idle timeout"),
    ("Admin: audit log", ("admin", "audit"), "A then 7 · who did what and when; filter, export"),
)


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


@runtime_checkable
class PaletteHost(Protocol):
    """What the providers ask of the app they run in."""

    market: Market
    me: Person | None
    can_switch_user: bool

    def switch_targets(self) -> Worker[tuple[SwitchTarget, ...]]: ...
    def become(self, username: str) -> None: ...
    def action_go(self, where: str, *args: str) -> None: ...
    def open_browse(self, search: str = "") -> None: ...
    def open_opportunity(self, opportunity_id: int) -> None: ...
    def open_review(self, opportunity_id: int) -> None: ...


def _host(provider: Provider) -> PaletteHost | None:
    """The app, when someone is in the marketplace for whom commands make sense."""
    app = provider.app
    return app if isinstance(app, PaletteHost) and app.me is not None else None


def _highlight(matcher: Matcher, candidate: str) -> Content:
    """`candidate` with the letters the query matched highlighted, as plain text:
    a name is never parsed as markup."""
    content = Content(candidate)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class _FixedCommands(Provider):
    """Commands known when the palette opens: each (text, what it runs, help)."""

    def commands(self) -> list[tuple[str, Callable[[], None], str]]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for text, run, about in self.commands():
            yield DiscoveryHit(Content(text), run, text=text, help=escape(about))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, run, about in self.commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, _highlight(matcher, text), run, text=text, help=escape(about))


class NavigationCommands(_FixedCommands):
    """'Post an opportunity', 'My postings', 'Inbox', …: the same places the single
    keys lead to, the same way (a form with unsaved changes asks first)."""

    def commands(self) -> list[tuple[str, Callable[[], None], str]]:
        host = _host(self)
        if host is None:
            return []
        places = DESTINATIONS + (ADMIN_DESTINATIONS if host.me.is_admin else ())
        return [(text, partial(host.action_go, *args), about) for text, args, about in places]


class ReviewCommands(_FixedCommands):
    """'Review applicants: <posting>' for each of the actor's postings, and 'Release
    queue'."""

    RELEASES = "Release queue"

    async def startup(self) -> None:
        self.postings: list[tuple[int, str, str]] = []
        host = _host(self)
        if host is None:
            return
        worker = self.app.run_worker(host.market.my_postings, thread=True, exclusive=True, exit_on_error=False,
                                     group="palette-postings")
        try:
            postings = await worker.wait()
        except (WorkerCancelled, WorkerFailed):
            return  # a newer palette asked again; a failure was reported by the app
        self.postings = [(o.id, f"Review applicants: {clean_line(o.title)}",
                          f"{status_label(o.status, of='opportunity', lower=True)} · "
                          f"{o.seats_left} of {o.seats} seats left")
                         for o in postings if lifecycle.allows("review", o.status, of="opportunity")]

    def commands(self) -> list[tuple[str, Callable[[], None], str]]:
        host = _host(self)
        if host is None:
            return []
        commands = [(self.RELEASES, partial(host.action_go, "releases"),
                     "t then 2 · offers to your reports waiting for your release")]
        commands += [(text, partial(host.open_review, opp_id), about) for opp_id, text, about in self.postings]
        return commands


class PersonaCommands(Provider):
    """'Switch persona: <name>' for the suggested personas, then for everyone else."""

    async def startup(self) -> None:
        self.targets: tuple[SwitchTarget, ...] = ()
        app = self.app
        if isinstance(app, PaletteHost) and app.can_switch_user:
            self.targets = await app.switch_targets().wait()

    def _run(self, target: SwitchTarget) -> Callable[[], None]:
        app = self.app
        assert isinstance(app, PaletteHost)
        return partial(app.become, target.username)

    async def discover(self) -> Hits:
        for target in self.targets:
            if target.persona:
                yield DiscoveryHit(Content(target.command), self._run(target), text=target.command,
                                   help=escape(target.about))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for target in self.targets:
            score = matcher.match(target.command)
            if score > 0:
                yield Hit(score, _highlight(matcher, target.command), self._run(target), text=target.command,
                          help=escape(target.about))


def look_up(market: Market, query: str) -> tuple[list[SearchResult], list[SkillHit]]:
    """Open opportunities and skills for a palette query (runs in a worker thread)."""
    return market.search(query, limit=OPPORTUNITY_HITS), market.search_skills(query, limit=SKILL_HITS)


class OpportunityCommands(Provider):
    """'Open: <title>' for opportunities and 'Search skill: <name>' for skills."""

    async def search(self, query: str) -> Hits:
        host = _host(self)
        if not query.strip() or host is None:
            return
        # The palette cancels this search when the query changes; the exclusive worker
        # makes sure only the newest query is still being looked up.
        worker = self.app.run_worker(partial(look_up, host.market, query), thread=True, exclusive=True,
                                     exit_on_error=False, group="palette-search", name="palette search")
        try:
            opportunities, skills = await worker.wait()
        except (WorkerCancelled, WorkerFailed):
            return
        for result in opportunities:
            opp = result.opportunity
            text = f"Open: {clean_line(opp.title)}"
            about = f"{kind_label(opp.kind)} · {opp.hours_per_week} h/week · found by {clean_line(result.why)}"
            yield Hit(result.score / 100, Content(text), partial(host.open_opportunity, opp.id),
                      text=text, help=escape(about))
        for hit in skills:
            text = f"Search skill: {clean_line(hit.label)}"
            yield Hit(hit.score / 100, Content(text), partial(host.open_browse, search=hit.name),
                      text=text, help="List the open opportunities that ask for or grow it")


PROVIDERS = (PersonaCommands, ReviewCommands, OpportunityCommands, NavigationCommands)
