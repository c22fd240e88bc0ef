"""Browse: the opportunities that fit you, every open one, or what a search finds,
with filters, three sort orders and a detail pane that follows the cursor."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal
from textual.widgets import DataTable, Header, Label, Static
from textual.worker import Worker, get_current_worker

from oppmarket import lifecycle
from oppmarket.domain import Opportunity
from oppmarket.lifecycle import OppStatus
from oppmarket.screens.base import MarketScreen
from oppmarket.screens.browse_orders import ALL, FOR_YOU, NOTHING_OPEN, SEARCH, SORT_WORDS, SORTS, sort_rows
from oppmarket.screens.saved_searches import SavedSearchesDialog, unsaved
from oppmarket.text import clean_line
from oppmarket.widgets.filter_bar import FilterBar, Filters
from oppmarket.widgets.footer import MarketFooter
from oppmarket.widgets.opportunity_detail import OpportunityDetail
from oppmarket.widgets.opportunity_table import Listed, OpportunityTable
from oppmarket.widgets.search_bar import SearchBox


def _quoted(query: str) -> str:
    return f"'{clean_line(query)}'"


class BrowseScreen(MarketScreen):
    """The engineer's main screen: a list of opportunities (recommended, all open, or
    search results), narrowed by filters, with the highlighted one in a detail pane.

    The app keeps one for as long as the same person acts: coming back to it finds
    the view, query, filters, order and cursor as they were left, with the list
    shown at once and fetched again behind it."""

    HELP_NAME = "Browse"
    AUTO_FOCUS = "#opportunities"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-medium"), (160, "-wide")]

    PAGE_SIZE = 200
    """Rows per keyset page of the whole open list."""
    RECOMMEND_LIMIT = 100
    """How many recommendations 'For you' holds."""
    SEARCH_LIMIT = 300
    """At most this many search results are listed."""

    # Left out of the footer on a narrow terminal (help lists them).
    FOOTER_WIDE_ONLY = frozenset({"browse.clear", "browse.saved_searches"})

    BINDINGS = [
        Binding("slash", "search", "Search", key_display="/", id="browse.search",
                tooltip="Search skills (typos and aliases welcome), titles and descriptions"),
        Binding("escape", "clear_search", "Clear search", id="browse.clear_search",
                tooltip="Back from the search results to the list"),
        Binding("a", "apply", "Apply", id="browse.apply", tooltip="Apply for the highlighted opportunity"),
        # One binding per current order, so the footer names the order in force.
        Binding("s", "next_sort('relevance')", "Sort: relevance", id="browse.sort.relevance",
                tooltip="Now: most relevant to the query first. Press for the next order"),
        Binding("s", "next_sort('match')", "Sort: match", id="browse.sort.match",
                tooltip="Now: best match for you first. Press for the next order"),
        Binding("s", "next_sort('newest')", "Sort: newest", id="browse.sort.newest",
                tooltip="Now: newest first. Press for the next order"),
        Binding("s", "next_sort('closing')", "Sort: closing", id="browse.sort.closing",
                tooltip="Now: closing soonest first. Press for the next order"),
        Binding("v", "view('all')", "View: For you", id="browse.view.all",
                tooltip="Now: recommended for you. Press for every open opportunity"),
        Binding("v", "view('for_you')", "View: All", id="browse.view.for_you",
                tooltip="Now: every open opportunity. Press for the ones recommended for you"),
        Binding("f", "filters", "Filters", id="browse.filters",
                tooltip="Narrow by kind, department, hours per week, remote"),
        Binding("ctrl+l", "clear_all", "Clear all", id="browse.clear",
                tooltip="Clear the search and every filter"),
        Binding("ctrl+s", "saved_searches", "Save search", id="browse.saved_searches",
                tooltip="Save this search to hear of new postings matching it; run or remove saved ones"),
        Binding("f5", "reload", "Reload", show=False, id="browse.reload",
                tooltip="Fetch the list again"),
    ]

    def __init__(self, *, search: str = "") -> None:
        super().__init__()
        self.initial_search = search
        self.view = FOR_YOU
        self.query_text = ""
        self.filters = Filters()
        self.sorts = {mode: orders[0] for mode, orders in SORTS.items()}
        self.total: int | None = None  # open opportunities the 'All' list holds in all
        self.truncated = False  # the search found more than it lists
        self.profile_empty = False
        self.open_count: int | None = None  # open opportunities, anyone's
        self._recommended: dict[str | None, tuple[Listed, ...]] = {}
        self._results: tuple[Listed, ...] = ()  # search results, most relevant first
        self._token = 0  # which request the list on screen answers
        self._cursor_id: int | None = None  # where the cursor goes when it arrives
        self._cursor_row = 0  # where it goes if that opportunity is no longer listed
        # Whether the list is empty, and whether a search is on its way. Kept here, not
        # as classes on the screen: a class on the screen restyles every widget on it.
        self._empty = False
        self._searching = False
        self._shown = False  # a first list has reached the screen
        self._keys_shown: tuple = ()  # what the footer was last drawn for
        self._warmed = False
        self._focus_list = False  # the user went back to the list while it loaded

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="browse-bar"):
            yield SearchBox(placeholder="/ search skills…", id="search")
            yield FilterBar(id="filters")
        with Horizontal(id="list-bar"):
            yield Label("For you", id="tab-for-you", classes="view-tab")
            yield Label("All", id="tab-all", classes="view-tab")
            yield Label("Search", id="tab-search", classes="view-tab")
            yield Label("", id="list-status")
        yield Static("", id="browse-hint")
        with Container(id="browse"):
            yield OpportunityTable(id="opportunities")
            yield OpportunityDetail(id="detail")
            yield Static("", id="browse-empty")
        yield MarketFooter()

    def on_mount(self) -> None:
        self.load_departments()
        self.count_open()
        if self.initial_search:
            self.search_box.set_query(self.initial_search)
        else:
            self.refresh_list()

    # ------------------------------------------------------------------ parts

    @property
    def table(self) -> OpportunityTable:
        return self.query_one("#opportunities", OpportunityTable)

    @property
    def search_box(self) -> SearchBox:
        return self.query_one("#search", SearchBox)

    @property
    def detail(self) -> OpportunityDetail:
        return self.query_one("#detail", OpportunityDetail)

    @property
    def live(self) -> bool:
        """Whether answers from workers should still reach this screen (it may have
        been closed while they ran)."""
        return self.is_attached and self in self.app.screen_stack

    @property
    def mode(self) -> str:
        return SEARCH if self.query_text else self.view

    @property
    def sort(self) -> str:
        return self.sorts[self.mode]

    @property
    def highlighted(self) -> Opportunity | None:
        if not self.query(OpportunityTable):  # not composed yet
            return None
        listed = self.table.highlighted
        return listed.opportunity if listed and not self._empty else None

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_sort":
            return parameters[0] == self.sort and len(SORTS[self.mode]) > 1
        if action == "view":
            return self.mode != SEARCH and parameters[0] != self.view
        if action == "clear_search":
            return self.mode == SEARCH
        if action == "clear_all":
            return bool(self.query_text or self.filters.active)
        if action == "apply":
            # Not on your own posting, nor on one you are in already.
            listed = self.table.highlighted if self.highlighted is not None else None
            me = self.app.me
            mine = listed is not None and me is not None and listed.opportunity.owner_username == me.username
            return listed is not None and not mine and not lifecycle.is_in(listed.standing) or None
        return True

    def action_search(self) -> None:
        self.search_box.focus()

    def action_filters(self) -> None:
        self.query_one(FilterBar).focus_first()

    def action_next_sort(self, current: str) -> None:
        orders = SORTS[self.mode]
        self.sorts[self.mode] = orders[(orders.index(current) + 1) % len(orders)]
        # A new order starts at the top: a cursor left mid-list makes it look unsorted.
        if self.mode == ALL:
            self.refresh_list(keep_cursor=False)
        else:
            self._cursor_id, self._cursor_row = None, 0
            self._show_bounded()
        self.update_keys()

    def action_view(self, view: str) -> None:
        self.view = view
        self.refresh_list(keep_cursor=False)
        self.update_keys()

    def action_clear_search(self) -> None:
        self.search_box.set_query("")
        self._back_to_list()

    def action_clear_all(self) -> None:
        self.query_one(FilterBar).clear()
        self.search_box.set_query("")
        self._back_to_list()

    def action_reload(self) -> None:
        self._recommended.clear()
        self.count_open()
        self.refresh_list()

    def action_saved_searches(self) -> None:
        f = self.filters
        current = unsaved(self.query_text, f.kind, f.department, f.max_hours, f.remote_only)

        def chosen(saved) -> None:
            if saved is not None:
                self.query_one(FilterBar).set_filters(
                    Filters(saved.kind, saved.department, saved.max_hours, saved.remote_only))
                self.search_box.set_query(saved.query)

        self.app.push_screen(SavedSearchesDialog(current), chosen)

    def action_apply(self) -> None:
        opp = self.highlighted
        if opp is not None:
            self.app.open_apply(opp.id)

    def search_for(self, query: str) -> None:
        """Show what `query` finds."""
        self.search_box.set_query(query)

    def on_screen_resume(self) -> None:
        # Back from another screen: the list as it was left stays on screen while it
        # is fetched again behind it (an application may have been made, a seat taken).
        # A window deep in the whole open list stays as it is: r fetches it again.
        if not self._shown:
            return
        self._recommended.clear()
        self.count_open()
        if self.mode == ALL and (self.table.before_first is not None or self.table.row_count > self.PAGE_SIZE):
            return
        self.refresh_list(quiet=True)

    # ------------------------------------------------------------------ loading

    def refresh_list(self, *, keep_cursor: bool = True, quiet: bool = False) -> None:
        """Show the list the current view, query, filters and order call for; with
        `keep_cursor` the cursor stays on the highlighted opportunity if it is listed
        again, on its row if not, and otherwise starts at the top. `quiet` fetches
        the list again while the one on screen stays until the answer is in."""
        self._token += 1
        current = self.detail.opportunity if keep_cursor else None
        self._cursor_id = current.id if current else None
        self._cursor_row = self.table.cursor_row if keep_cursor else 0
        if not quiet:
            self._searching = self.mode == SEARCH
            if self.mode == ALL:
                self.total = None  # until the new count is in
        self._show_bars()
        if self.mode == SEARCH:
            self.run_search(self._token, self.query_text, self.filters)
        elif self.mode == FOR_YOU and self.filters.kind in self._recommended:
            self._show_bounded()
        else:
            self.table.loading = not quiet
            if self.mode == FOR_YOU:
                self.load_recommended(self._token, self.filters.kind)
            else:
                self.load_all(self._token, self.filters, self.sort)

    @work(thread=True, exclusive=True, exit_on_error=False, group="browse-list")
    def load_recommended(self, token: int, kind: str | None) -> None:
        market = self.app.market
        profile = market.profile()
        recs = market.recommend(limit=self.RECOMMEND_LIMIT, kind=kind)
        rows = tuple(Listed(r.opportunity, r.match) for r in recs)
        open_count = market.count_opportunities(OppStatus.OPEN)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_count, open_count)
            self.app.call_from_thread(self._recommended_loaded, token, kind, rows,
                                      not profile.skills and not profile.interests)

    @work(thread=True, exclusive=True, exit_on_error=False, group="browse-list")
    def load_all(self, token: int, filters: Filters, order: str) -> None:
        market = self.app.market
        where = self._where(filters)
        total = market.count_opportunities(OppStatus.OPEN, **where)
        page = market.opportunities(status=OppStatus.OPEN, order=order, limit=self.PAGE_SIZE, **where)
        rows = self._with_matches(page.items)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._all_loaded, token, rows, page.next_after, total)

    @work(thread=True, exclusive=True, exit_on_error=False, group="browse-list")
    def run_search(self, token: int, query: str, filters: Filters) -> None:
        market = self.app.market
        narrowed = filters.department is not None or filters.max_hours is not None or filters.remote_only
        # Filters other than kind apply to the results: fetch more when they may thin them.
        limit = self.SEARCH_LIMIT * (4 if narrowed else 1)
        results = market.search(query, kind=filters.kind, limit=limit)
        kept = [r for r in results if filters.accepts(r.opportunity)][:self.SEARCH_LIMIT]
        if get_current_worker().is_cancelled:
            return
        matches = market.rate(r.opportunity for r in kept) if kept else {}
        statuses = market.my_statuses(r.opportunity.id for r in kept) if kept else {}
        rows = tuple(Listed(r.opportunity, matches.get(r.opportunity.id), r.why, statuses.get(r.opportunity.id))
                     for r in kept)
        truncated = len(results) >= limit or len(kept) >= self.SEARCH_LIMIT
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._search_done, token, rows, truncated)

    # A group each way, so that a page below and a page above may be on their way at once.
    @work(thread=True, exclusive=True, exit_on_error=False, group="browse-page")
    def load_next_page(self, token: int, after: int, filters: Filters, order: str) -> None:
        self._fetch_page(self._append_page, token, filters, order, after_id=after)

    @work(thread=True, exclusive=True, exit_on_error=False, group="browse-page-up")
    def load_previous_page(self, token: int, before: int, filters: Filters, order: str) -> None:
        self._fetch_page(self._prepend_page, token, filters, order, before_id=before)

    def _fetch_page(self, then: Callable[..., None], token: int, filters: Filters, order: str, **anchor: int) -> None:
        """Fetch the keyset page next to `anchor` (after_id or before_id) in a worker
        thread; hand it to `then` on the event loop with the anchor it answers."""
        page = self.app.market.opportunities(status=OppStatus.OPEN, order=order, limit=self.PAGE_SIZE, **anchor,
                                             **self._where(filters))
        rows = self._with_matches(page.items)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(then, token, *anchor.values(), rows, page.next_after)

    @work(thread=True, exclusive=True, exit_on_error=False, group="browse-departments")
    def load_departments(self) -> None:
        names = [d.name for d in self.app.market.departments()]
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._departments_loaded, names)

    def _departments_loaded(self, names: list[str]) -> None:
        if self.live:
            self.query_one(FilterBar).set_departments(names)

    @work(thread=True, exclusive=True, exit_on_error=False, group="browse-count")
    def count_open(self) -> None:
        count = self.app.market.count_opportunities(OppStatus.OPEN)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_count, count)

    def _show_count(self, count: int) -> None:
        self.open_count = count
        if self.live:
            self.sub_title = self.app.who_line(f"{count:,} open")

    @work(thread=True, exclusive=True, exit_on_error=False, group="browse-warm")
    def warm_up_search(self) -> None:
        self.app.market.warm_up()

    def _with_matches(self, opportunities: tuple[Opportunity, ...]) -> tuple[Listed, ...]:
        """Rows with the actor's match and own status, fetched for just these
        opportunities."""
        if not opportunities:
            return ()
        market = self.app.market
        matches = market.rate(opportunities)
        statuses = market.my_statuses(o.id for o in opportunities)
        return tuple(Listed(o, matches.get(o.id), standing=statuses.get(o.id)) for o in opportunities)

    @staticmethod
    def _where(filters: Filters) -> dict:
        return dict(kind=filters.kind, department=filters.department, max_hours=filters.max_hours,
                    remote=True if filters.remote_only else None)

    # ------------------------------------------------------------------ results

    def _recommended_loaded(self, token: int, kind: str | None, rows: tuple[Listed, ...], profile_empty: bool) -> None:
        if not self.live:
            return
        self._recommended[kind] = rows
        self.profile_empty = profile_empty
        if token == self._token:
            self._show_bounded()

    def _all_loaded(self, token: int, rows: tuple[Listed, ...], next_after: int | None, total: int) -> None:
        if token != self._token or not self.live:
            return
        self.total = total
        self._show(rows, next_after=next_after)

    def _search_done(self, token: int, rows: tuple[Listed, ...], truncated: bool) -> None:
        if token != self._token or not self.live:
            return
        self.truncated = truncated
        self._results = rows
        self._show(sort_rows(rows, self.sort))

    def _show_bounded(self) -> None:
        """Show a bounded list (recommendations or search results) in the current
        order, with the filters applied."""
        if self.mode == FOR_YOU:
            rows = [r for r in self._recommended.get(self.filters.kind, ()) if self.filters.accepts(r.opportunity)]
        else:
            rows = list(self._results)
        self._show(sort_rows(rows, self.sort))

    def _show(self, rows: Iterable[Listed], *, next_after: int | None = None) -> None:
        table = self.table
        table.loading = False
        rows = list(rows)
        table.show_rows(rows, next_after=next_after, searching=self.mode == SEARCH, cursor_id=self._cursor_id,
                        fallback_row=self._cursor_row)
        self._shown = True
        self._show_empty(not rows)
        self._searching = False
        if not rows:
            self.query_one("#browse-empty", Static).update(self._empty_text())
        self.detail.show(table.highlighted)
        if self._focus_list or self.focused is None:
            table.focus()
        self._focus_list = False
        self._show_bars()
        self.update_keys()

    def _show_empty(self, empty: bool) -> None:
        """The list and its detail, or the words saying why there is nothing to list."""
        if empty != self._empty or self.query_one("#browse-empty").display != empty:
            self._empty = empty
            self.table.display = self.detail.display = not empty
            self.query_one("#browse-empty").display = empty

    def _append_page(self, token: int, after: int, rows: tuple[Listed, ...], next_after: int | None) -> None:
        if token == self._token and self.live and self.table.next_after == after:
            self.table.append_page(rows, next_after)
            self._show_bars()

    def _prepend_page(self, token: int, before: int, rows: tuple[Listed, ...], before_first: int | None) -> None:
        if token == self._token and self.live and self.table.before_first == before:
            self.table.prepend_page(rows, before_first)
            self._show_bars()

    @on(events.DescendantFocus, "#search")
    def _warm_up_once(self) -> None:
        # The search index takes seconds to build on a large database: start when
        # the user heads for the search box, not on their first pause in typing.
        # Not before: a session that never searches never pays for it.
        if not self._warmed:
            self._warmed = True
            self.warm_up_search()

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group.startswith("browse-"):
            self.table.loading = False
            self.table.page_failed()
            self._searching = False

    # ------------------------------------------------------------------ what the user reads

    def _show_bars(self) -> None:
        mode = self.mode
        for tab, name in (("#tab-for-you", FOR_YOU), ("#tab-all", ALL), ("#tab-search", SEARCH)):
            self.query_one(tab).set_class(mode == name, "-active")
        self.query_one("#tab-search").display = mode == SEARCH
        self.query_one("#tab-for-you").display = self.query_one("#tab-all").display = mode != SEARCH
        self._show_status()
        hint = self.query_one("#browse-hint", Static)
        hint.display = mode == FOR_YOU and self.profile_empty and not self._empty
        hint.update("Your profile lists no skills or interests yet, so these are simply the newest. "
                    "Add them in your profile (u) for real matches.")

    def _show_status(self) -> None:
        # One line of fixed size: no need to lay the screen out again.
        self.query_one("#list-status", Label).update(self._status_text(), layout=False)

    def _status_text(self) -> Text:
        table = self.table
        count = table.row_count if not self._empty else 0
        mode = self.mode
        if mode == SEARCH:
            if self._searching:
                what = f"searching {_quoted(self.query_text)}…"
            else:
                found = f"best {count}" if self.truncated else f"{count}"
                what = f"{_quoted(self.query_text)} · {found} result{'' if count == 1 else 's'}"
        elif mode == FOR_YOU:
            what = f"{count} recommended"
        elif self.total is None:
            what = "loading…"
        else:
            what = f"{self.total:,} open"
            if count:
                what += f" · row {table.position:,}"
        parts = [what, SORT_WORDS[self.sort]]
        if self.filters.active:
            parts.append("only " + ", ".join(self.filters.labels()))
        return Text(" · ".join(parts))

    def _empty_text(self) -> Text:
        filters = self.filters
        noun = filters.noun() + filters.qualifiers()
        if self.mode == SEARCH:
            tips = []
            if len(self.query_text.split()) > 1:
                tips.append("fewer words")
            tips.append("another kind" if filters.kind else "another spelling")
            if filters.active:
                tips.append("or clear the filters (ctrl+l)")
            elif len(tips) > 1:
                tips[-1] = "or " + tips[-1]
            return Text(f"No {noun} match {_quoted(self.query_text)} — try {', '.join(tips)}.\n\n"
                        "The search knows skill names and their aliases (k8s, postgres), titles and "
                        "descriptions, and forgives typos. Escape goes back to the list.")
        if self.mode == FOR_YOU:
            if self.open_count == 0:
                return Text(NOTHING_OPEN)
            if filters.active:
                return Text(f"None of the {noun} open now is recommended for you — "
                            "clear the filters (ctrl+l), or see every open one with v.")
            if self.profile_empty:
                return Text("Nothing recommended yet: add skills and interests in your profile (u), "
                            "or see every open opportunity with v.")
            return Text("Nothing recommended yet: no opportunity is open besides your own. "
                        "See every open one with v, or post one with p.")
        if filters.active:
            return Text(f"No open {noun} — clear the filters (ctrl+l) to see them all.")
        return Text(NOTHING_OPEN)

    # ------------------------------------------------------------------ events

    @on(SearchBox.QueryChanged)
    def _query_changed(self, event: SearchBox.QueryChanged) -> None:
        if event.query != self.query_text:
            self.query_text = event.query
            self.refresh_list(keep_cursor=False)
            self.update_keys()

    @on(SearchBox.Done)
    @on(FilterBar.Done)
    def _back_to_list(self) -> None:
        # A table that is loading cannot take the focus: it does once it has loaded.
        self._focus_list = self.table.loading
        self.table.focus()

    @on(FilterBar.Changed)
    def _filters_changed(self, event: FilterBar.Changed) -> None:
        self.filters = event.filters
        self.refresh_list(keep_cursor=False)

    @on(OpportunityTable.NearEnd)
    def _fetch_more(self, event: OpportunityTable.NearEnd) -> None:
        if self.mode == ALL:
            self.load_next_page(self._token, event.after, self.filters, self.sort)

    @on(OpportunityTable.NearStart)
    def _fetch_above(self, event: OpportunityTable.NearStart) -> None:
        if self.mode == ALL:
            self.load_previous_page(self._token, event.before, self.filters, self.sort)

    @on(OpportunityTable.BackToTop)
    def _back_to_top(self) -> None:
        self.refresh_list(keep_cursor=False)

    @on(DataTable.RowHighlighted, "#opportunities")
    def _follow_cursor(self, event: DataTable.RowHighlighted) -> None:
        self.detail.show(self.table.listed_at(event.cursor_row))
        if self.mode == ALL:
            self._show_status()
        self.update_keys()

    def update_keys(self) -> None:
        """Redraw the footer when the keys it shows have changed. Redrawing it on
        every cursor move would slow a held arrow key down."""
        shown = (self.mode, self.view, self.sort, self.check_action("apply", ()),
                 self.check_action("clear_all", ()))
        if shown != self._keys_shown:
            self._keys_shown = shown
            self.refresh_bindings()

    @on(DataTable.RowSelected, "#opportunities")
    def _open(self, event: DataTable.RowSelected) -> None:
        opp = self.table.opportunity_at(event.cursor_row)
        if opp is not None:
            self.app.open_opportunity(opp.id)
