"""Command palette (ctrl+p): jump to any open opportunity by a fuzzy title, or list
the opportunities of any skill, found through the same search index as the browse
screen (aliases and typos welcome)."""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape
from textual.worker import WorkerCancelled, WorkerFailed

from oppmarket.domain import SearchResult
from oppmarket.market import Market
from oppmarket.render import kind_label
from oppmarket.search import SkillHit
from oppmarket.text import clean_line

OPPORTUNITY_HITS = 8
SKILL_HITS = 5


def look_up(market: Market, query: str) -> tuple[list[SearchResult], list[SkillHit]]:
    """Open opportunities and skills for a palette query (runs in a worker thread)."""
    return market.search(query, limit=OPPORTUNITY_HITS), market.search_skills(query, limit=SKILL_HITS)


class OpportunityCommands(Provider):
    """'Open: <title>' for opportunities and 'Search skill: <name>' for skills; every
    name is shown as plain text."""

    async def search(self, query: str) -> Hits:
        app = self.app
        if not query.strip() or getattr(app, "me", None) is None:
            return
        # The palette cancels this search when the query changes; the exclusive worker
        # makes sure only the newest query is still being looked up.
        worker = app.run_worker(partial(look_up, app.market, query), thread=True, exclusive=True,
                                exit_on_error=False, group="palette-search", name="palette search")
        try:
            opportunities, skills = await worker.wait()
        except (WorkerCancelled, WorkerFailed):
            return
        for result in opportunities:
            opp = result.opportunity
            text = f"Open: {clean_line(opp.title)}"
            about = f"{kind_label(opp.kind)} · {opp.hours_per_week} h/week · found by {clean_line(result.why)}"
            yield Hit(result.score / 100, Content(text), partial(app.open_opportunity, opp.id),
                      text=text, help=escape(about))
        for hit in skills:
            text = f"Search skill: {clean_line(hit.label)}"
            yield Hit(hit.score / 100, Content(text), partial(app.open_browse, search=hit.name),
                      text=text, help="List the open opportunities that ask for or grow it")
