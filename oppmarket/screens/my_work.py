"""My work: the applications I made, along their lifecycle, and the postings I own,
with their applicants counted by state."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane
from textual.worker import Worker, get_current_worker

from oppmarket import lifecycle, render
from oppmarket.domain import Application, Opportunity
from oppmarket.lifecycle import AppStatus, OppStatus
from oppmarket.render import cell, kind_label, posted_word, status_label
from oppmarket.screens.base import ListScreen
from oppmarket.text import clean, clean_line
from oppmarket.screens.offer_answer import OfferAnswerDialog
from oppmarket.widgets.confirm import ConfirmDialog
from oppmarket.widgets.footer import MarketFooter

A, O = AppStatus, OppStatus

POSTING_NEXT = {
    O.DRAFT: "A draft: only you can see it. Open it to applicants with ctrl+o, or change it with e.",
    O.OPEN: "Open: anyone may apply. Review the applicants with enter; close it with ctrl+w "
            "when you have enough (offers and engagements carry on).",
    O.CLOSED: "Closed: no new applicants; offers and engagements carry on. Reopen it with ctrl+o.",
    O.COMPLETED: "Completed: every engagement has ended.",
    O.CANCELLED: "Cancelled: everyone who was still in play was told.",
}

# What the candidate is told once they have answered an offer, by where it now stands.
OFFER_ANSWERED = {
    A.ACCEPTED: "You accepted “{title}”; your line manager is asked to release your time.",
    A.ACTIVE: "You accepted “{title}” and can start.",
    A.OFFER_DECLINED: "You declined the offer of “{title}”; the owner has been told.",
}

NO_APPLICATIONS = ("You have not applied to anything yet.\n\n"
                   "Browse (b) lists every open opportunity; press a on one to apply. "
                   "Your applications then show here, with what happens next.")
NO_POSTINGS = ("You have not posted anything yet.\n\n"
               "Anyone may post: press p for a gig, a mentorship, a volunteering role, a shadowing "
               "day or a learning path. Your postings then show here, with their applicants.")


class ApplicationTable(DataTable):
    """My applications; enter shows the opportunity."""

    BINDINGS = [
        Binding("enter", "select_cursor", "View", id="applications.view",
                tooltip="The opportunity of the highlighted application, in full"),
    ]


class PostingTable(DataTable):
    """My postings; enter reviews the applicants."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Review", id="postings.review",
                tooltip="The highlighted posting's applicants, ranked by match"),
    ]


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


# What happens next to an application, by its status, in the applicant's words.
APPLICATION_NEXT = {
    A.APPLIED: ("The owner ({owner}) has your application. Next they shortlist you, make you an offer "
                "or decline. Your line manager hears of it only if you accept an offer. "
                "You may withdraw (w) until you start."),
    A.SHORTLISTED: ("You are on the shortlist. Next the owner makes you an offer or declines. "
                    "You may still withdraw (w)."),
    A.OFFERED: ("You have an offer: accept or decline it (o){answer_by}. Only once you accept is your "
                "line manager asked to release your {hours} h/week; unanswered, the offer lapses."),
    A.ACCEPTED: ("You accepted. Your line manager is asked to release your {hours} h/week"
                 "{due}; if they do not answer in time, it is released automatically. "
                 "You may still withdraw (w)."),
    A.ACTIVE: ("You are taking part. When it ends, the owner completes it with a rating and feedback "
               "and endorses the skills you used; they then show on your profile."),
    A.COMPLETED: "Completed{rated}. The skills the owner endorsed are on your profile (u).",
    A.WITHDRAWN: "You withdrew. While the posting is open you may apply again.",
    A.DECLINED: "The owner did not take your application forward.{why} Browse (b) has more.",
    A.RELEASE_DECLINED: ("Your line manager did not release your time.{why} "
                         "Talk to them; you may apply again when the time is right."),
    A.CANCELLED: "The posting was cancelled.{why}",
    A.OFFER_DECLINED: "You declined the offer.{why} Browse (b) has more.",
    A.OFFER_LAPSED: "The offer lapsed: it was not answered{answer_by}. Browse (b) has more.",
}


def what_next(app: Application) -> str:
    """What happens next to an application, in the applicant's words."""
    reason = clean(app.decline_reason or app.release_reason).strip()
    return APPLICATION_NEXT.get(app.status, "").format(
        owner=clean_line(app.owner_username),
        hours=app.hours_per_week,
        due=f" by {_day(app.release_due)}" if app.release_due else "",
        answer_by=f" by {_day(app.offer_due)}" if app.offer_due else "",
        rated=f", rated {app.rating}/5" if app.rating else "",
        why=f" Reason: {reason}" if reason else "",
    )


def lifecycle_line(app: Application) -> Text:
    """applied → shortlisted → offered → active → completed, with where this
    application stands (and, when it ended early, how)."""
    line = Text()
    path = lifecycle.APPLICATION_PATH
    if app.status in path:
        current = path.index(app.status)
        for index, step in enumerate(path):
            if index:
                line.append(" → ", style="dim")
            style = "reverse bold" if index == current else ("" if index < current else "dim")
            line.append(f" {status_label(step)} " if index == current else status_label(step), style=style)
        return line
    reached = ([A.APPLIED] + ([A.OFFERED] if app.offered_at else []) + ([A.ACCEPTED] if app.accepted_at else [])
               + ([A.ACTIVE] if app.released_at else []))
    for index, step in enumerate(reached):
        if index:
            line.append(" → ", style="dim")
        line.append(status_label(step))
    line.append(" → ", style="dim")
    line.append(f" ✗ {status_label(app.status)} ", style="reverse bold")
    return line


def application_card(app: Application) -> Group:
    title = Text(clean_line(app.opportunity_title), style="bold")
    facts = Text(f"{kind_label(app.opportunity_kind)} · owner {clean_line(app.owner_username)} · "
                 f"{app.hours_per_week} h/week · applied {_day(app.applied_at)} · "
                 f"last change {_day(app.updated_at)}", style="dim")
    parts = [title, facts, lifecycle_line(app), Text.assemble(("What happens next: ", "bold"), what_next(app))]
    note = clean(app.note).strip()
    if note:
        parts.append(Text.assemble(("Your note: ", "bold"), note))
    if app.feedback:
        parts.append(Text.assemble(("Feedback: ", "bold"), clean(app.feedback).strip()))
    return Group(*parts)


def counts_line(counts: dict[str, int]) -> Text:
    shown = [f"{counts[s]} {status_label(s, lower=True)}" for s in lifecycle.APP_STATUSES if counts.get(s)]
    if not shown:
        return Text("No applicants yet.", style="dim")
    return Text.assemble(("Applicants: ", "bold"), " · ".join(shown))


def posting_card(opp: Opportunity, counts: dict[str, int]) -> Group:
    title = Text(clean_line(opp.title), style="bold")
    facts = Text(f"{kind_label(opp.kind)} · {status_label(opp.status, of='opportunity')} · "
                 f"{opp.hours_per_week} h/week · {opp.seats_taken} of {opp.seats} seats taken · "
                 f"{posted_word(opp)} {_day(opp.created_at)}", style="dim")
    return Group(title, facts, counts_line(counts), Text(POSTING_NEXT.get(opp.status, "")))


@dataclass(frozen=True)
class MyWork:
    applications: tuple[Application, ...]
    postings: tuple[Opportunity, ...]
    counts: dict[int, dict[str, int]]


class MyWorkScreen(ListScreen):
    """Two tabs: My applications and My postings."""

    HELP_NAME = "My work"
    SUBTITLE = "my work"

    # Left out of the footer on a narrow terminal (help lists them).
    FOOTER_WIDE_ONLY = frozenset({"my_work.applications", "my_work.postings"})

    BINDINGS = [
        # The row's own actions first: they are what the footer has room for on a small screen.
        Binding("w", "move('withdraw')", "Withdraw", id="my_work.withdraw",
                tooltip="Take back the highlighted application (asks first)"),
        Binding("o", "answer_offer", "Offer", id="my_work.offer",
                tooltip="Your offer on the highlighted application: accept or decline it"),
        Binding("e", "edit", "Edit", id="my_work.edit", tooltip="Change the highlighted posting"),
        Binding("ctrl+o", "move('publish')", "Publish", id="my_work.open",
                tooltip="Open the highlighted posting to applicants (a draft, or a closed posting)"),
        Binding("ctrl+w", "move('close')", "Close", id="my_work.close",
                tooltip="Take no more applicants; offers and engagements carry on"),
        Binding("x", "move('cancel')", "Cancel", id="my_work.cancel",
                tooltip="Cancel the highlighted posting; everyone in play is told (asks first)"),
        Binding("n", "invite", "Invite", id="my_work.invite",
                tooltip="People open to invitations who fit the highlighted posting best: invite them to apply"),
        Binding("1", "show_tab('applications')", "Applications", id="my_work.applications",
                tooltip="The opportunities you applied to"),
        Binding("2", "show_tab('postings')", "Postings", id="my_work.postings",
                tooltip="The opportunities you posted"),
        Binding("f5", "reload", "Reload", id="my_work.reload", tooltip="Fetch both lists again"),
        Binding("escape", "app.go('browse')", "Back", id="my_work.back", tooltip="Back to browse"),
    ]

    # key action (or move) -> (the tab it belongs to, the lifecycle action whose states
    # it needs; None: any row will do)
    ACTIONS = {
        "view": ("applications", None),
        "withdraw": ("applications", "withdraw"),
        "answer_offer": ("applications", "accept"),
        "review": ("postings", "review"),
        "edit": ("postings", "edit"),
        "publish": ("postings", "publish"),
        "close": ("postings", "close"),
        "cancel": ("postings", "cancel"),
        "invite": ("postings", "invite"),
    }

    def __init__(self, tab: str = "applications") -> None:
        super().__init__()
        self.initial_tab = tab if tab in ("applications", "postings") else "applications"
        self.work = MyWork((), (), {})

    # Each tab: (id, label, its table, the id of the row in full, what it says when empty).
    TABS = (
        ("applications", "My applications", ApplicationTable, "application-detail", NO_APPLICATIONS),
        ("postings", "My postings", PostingTable, "posting-detail", NO_POSTINGS),
    )

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial=self.initial_tab, id="my-work"):
            for tab, label, table, detail, empty in self.TABS:
                with TabPane(label, id=tab):
                    with Vertical(classes="work-pane"):
                        yield table(id=f"{tab}-table", cursor_type="row", zebra_stripes=True)
                        with VerticalScroll(classes="work-detail"):
                            yield Static("", id=detail)
                        yield Static(empty, classes="work-empty")
        yield MarketFooter()

    # ------------------------------------------------------------------ tabs

    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self._focus_table()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    def _focus_table(self) -> None:
        self.query_one(f"#{self.tab}-table", DataTable).focus()

    # ------------------------------------------------------------------ loading

    def action_reload(self) -> None:
        for table in self.query(DataTable):
            table.loading = True
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="my-work")
    def load(self) -> None:
        market = self.app.market
        applications = tuple(market.my_applications())
        postings = tuple(market.my_postings())
        counts = market.applicant_counts([p.id for p in postings]) if postings else {}
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, MyWork(applications, postings, counts))

    def _show(self, work: MyWork) -> None:
        self.work = work
        for table in self.query(DataTable):
            table.loading = False
        self._fill_applications()
        self._fill_postings()
        self.refresh_bindings()
        self._focus_table()

    def on_resize(self) -> None:
        self._fill_applications()
        self._fill_postings()

    @staticmethod
    def _keep_cursor(table: DataTable, rows: int, previous_key: str | None, keys: list[str]) -> None:
        if rows:
            row = keys.index(previous_key) if previous_key in keys else min(table.cursor_row, rows - 1)
            table.move_cursor(row=max(0, row), scroll=True)

    @staticmethod
    def _current_key(table: DataTable) -> str | None:
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _fill_applications(self) -> None:
        table = self.query_one("#applications-table", DataTable)
        previous = self._current_key(table)
        wide = self.size.width >= 100
        fixed = {"status": 12, "kind": 9, "hours": 4, "updated": 10}
        title_width = max(16, (self.size.width or 80) - sum(fixed.values()) - 2 * (len(fixed) + 1) - 4)
        table.clear(columns=True)
        table.add_column("Status", width=fixed["status"])
        table.add_column("Title", width=title_width)
        table.add_column("Kind", width=fixed["kind"])
        table.add_column(Text("h/wk", justify="right"), width=fixed["hours"])
        table.add_column("Updated" if wide else "Changed", width=fixed["updated"])
        keys = []
        for app in self.work.applications:
            table.add_row(
                render.status(app.status),
                cell(app.opportunity_title),
                Text(kind_label(app.opportunity_kind, short=True)),
                Text(str(app.hours_per_week), justify="right"),
                Text(_day(app.updated_at)),
                key=str(app.id),
            )
            keys.append(str(app.id))
        self._keep_cursor(table, len(keys), previous, keys)
        self.query_one("#applications").set_class(not keys, "-empty")
        self._show_application()

    def _fill_postings(self) -> None:
        table = self.query_one("#postings-table", DataTable)
        previous = self._current_key(table)
        wide = self.size.width >= 100
        # The applicants of each posting counted by status; "Shortl." fits the column.
        columns = [("status", "Status", 9), (A.APPLIED, "Applied", 7), (A.SHORTLISTED, "Shortl.", 7),
                   (A.OFFERED, "Offered", 7), (A.ACTIVE, "Active", 6)]
        if wide:
            columns.append(("seats", "Seats", 5))
        fixed = sum(width for _, _, width in columns)
        title_width = max(16, (self.size.width or 80) - fixed - 2 * (len(columns) + 1) - 4)
        table.clear(columns=True)
        table.add_column("Status", width=9)
        table.add_column("Title", width=title_width)
        for key, label, width in columns[1:]:
            table.add_column(Text(label, justify="right"), width=width)
        keys = []
        for opp in self.work.postings:
            counts = self.work.counts.get(opp.id, {})
            row = [render.status(opp.status, of="opportunity"), cell(opp.title)]
            for key, _, _ in columns[1:]:
                if key == "seats":
                    row.append(Text(f"{opp.seats_taken}/{opp.seats}", justify="right"))
                else:
                    # An accepted offer still counts as an offer out, until it is released.
                    n = counts.get(key, 0) + (counts.get(A.ACCEPTED, 0) if key == A.OFFERED else 0)
                    row.append(Text(str(n) if n else "·", justify="right", style="" if n else "dim"))
            table.add_row(*row, key=str(opp.id))
            keys.append(str(opp.id))
        self._keep_cursor(table, len(keys), previous, keys)
        self.query_one("#postings").set_class(not keys, "-empty")
        self._show_posting()

    # ------------------------------------------------------------------ selection

    @property
    def application(self) -> Application | None:
        table = self.query_one("#applications-table", DataTable)
        key = self._current_key(table)
        return next((a for a in self.work.applications if str(a.id) == key), None)

    @property
    def posting(self) -> Opportunity | None:
        table = self.query_one("#postings-table", DataTable)
        key = self._current_key(table)
        return next((p for p in self.work.postings if str(p.id) == key), None)

    def _show_application(self) -> None:
        app = self.application
        self.query_one("#application-detail", Static).update(application_card(app) if app else "")

    def _show_posting(self) -> None:
        opp = self.posting
        self.query_one("#posting-detail", Static).update(
            posting_card(opp, self.work.counts.get(opp.id, {})) if opp else "")

    def show_highlighted(self) -> None:
        self._show_application()
        self._show_posting()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        # Enter on an application shows its opportunity; on a posting, its applicants.
        if self.tab == "applications":
            self.action_view()
        else:
            self.action_review()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "move":
            action = str(parameters[0])
        rule = self.ACTIONS.get(action)
        if rule is None:
            return True
        # Only what the highlighted row allows is offered: "Open" on an open posting or
        # "Withdraw" on a withdrawn application would be a key that does nothing.
        return self.tab == rule[0] and self._allows(action)

    def _row(self, action: str) -> Application | Opportunity | None:
        """The highlighted row of `action`'s tab."""
        return self.application if self.ACTIONS[action][0] == "applications" else self.posting

    def _allows(self, action: str) -> bool:
        """Whether the highlighted row of `action`'s tab is in a state that allows it."""
        tab, move = self.ACTIONS[action]
        current = self._row(action)
        if current is None:
            return False
        of = "application" if tab == "applications" else "opportunity"
        return move is None or lifecycle.allows(move, current.status, of=of)

    # ------------------------------------------------------------------ applications

    def action_view(self) -> None:
        if (app := self.application) is not None:
            self.app.open_opportunity(app.opportunity_id)

    def action_answer_offer(self) -> None:
        if (app := self.application) is None or not self._allows("answer_offer"):
            return

        def answered(result: Application | None) -> None:
            if result is not None:
                self.app.notify(OFFER_ANSWERED.get(result.status, "Your answer is recorded.").format(
                    title=clean_line(result.opportunity_title)), markup=False)
                self.load()

        self.app.push_screen(OfferAnswerDialog(app), answered)

    # ------------------------------------------------------------------ postings

    def action_review(self) -> None:
        opp = self.posting
        if opp is not None and self._allows("review"):
            self.app.open_review(opp.id)
        elif opp is not None:
            self.app.notify("A draft has no applicants yet: open it with ctrl+o first.", markup=False)

    def action_invite(self) -> None:
        if (opp := self.posting) is not None and self._allows("invite"):
            self.app.open_invite(opp.id)

    def action_edit(self) -> None:
        if (opp := self.posting) is not None and self._allows("edit"):
            self.app.open_post(opp.id)

    # ------------------------------------------------------------------ changes

    # The moves that cannot be taken back ask first: (question, what follows, yes).
    ASK_FIRST = {
        "withdraw": ("Withdraw from “{title}”?",
                     "The owner is told. While the posting is open you may apply again later.", "Withdraw"),
        "cancel": ("Cancel “{title}”?",
                   "Everyone still applied, shortlisted, offered or taking part is told. "
                   "A cancelled posting cannot be opened again.", "Cancel posting"),
    }

    def action_move(self, move: str) -> None:
        """Make `move` on the highlighted row of its tab."""
        row = self._row(move)
        if row is None or not self._allows(move):
            return
        if move not in self.ASK_FIRST:
            self.change(move, row.id)
            return
        question, detail, yes = self.ASK_FIRST[move]
        title = row.opportunity_title if isinstance(row, Application) else row.title

        def answered(sure: bool | None) -> None:
            if sure:
                self.change(move, row.id)

        self.app.push_screen(ConfirmDialog(question.format(title=clean_line(title)), detail, yes=yes, no="Keep it"),
                             answered)

    DONE = {
        "withdraw": "You withdrew from “{title}”; the owner has been told.",
        "publish": "“{title}” is open to applicants.",
        "close": "“{title}” takes no more applicants.",
        "cancel": "“{title}” is cancelled; everyone in play has been told.",
    }

    @work(thread=True, exclusive=True, exit_on_error=False, group="my-work-change")
    def change(self, action: str, ident: int) -> None:
        result = getattr(self.app.market, action)(ident)
        title = result.opportunity_title if isinstance(result, Application) else result.title
        self.app.call_from_thread(self._changed, self.DONE[action].format(title=clean_line(title)))

    def _changed(self, message: str) -> None:
        self.app.notify(message, markup=False)
        self.action_reload()

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "my-work":
            for table in self.query(DataTable):
                table.loading = False
