"""Command palette (ctrl+p): the main screens by name, each with the key that opens it."""

from __future__ import annotations

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

# (command, arguments of the app's `go` action, what it is about)
DESTINATIONS = (
    ("Browse opportunities", ("browse",), "b · every open opportunity, and the ones for you"),
    ("My applications", ("my_work", "applications"), "m · where each application stands, what happens next"),
    ("My postings", ("my_work", "postings"), "m then 2 · your postings and their applicants"),
    ("Post an opportunity", ("post",), "p · a gig, mentorship, volunteering, shadowing or learning path"),
    ("Inbox", ("inbox",), "i · every change that concerns you"),
    ("Profile", ("profile",), "u · your skills, interests and time"),
)


class NavigationCommands(Provider):
    """'Post an opportunity', 'My postings', 'Inbox', …: the same places the single
    keys lead to, the same way (a form with unsaved changes asks first)."""

    def _destinations(self):
        if getattr(self.app, "me", None) is None:
            return ()
        return DESTINATIONS

    def _runner(self, args: tuple[str, ...]):
        def run() -> None:
            self.app.action_go(*args)

        return run

    async def discover(self) -> Hits:
        for text, args, about in self._destinations():
            yield DiscoveryHit(Content(text), self._runner(args), text=text, help=about)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, args, about in self._destinations():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), self._runner(args), text=text, help=about)
