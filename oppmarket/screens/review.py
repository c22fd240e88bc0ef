"""Review applicants: the owner's keyboard triage of one posting.

Ranked by match; shortlist, offer, decline (one at a time or every marked row),
undo, blind review, filter, complete, and close the posting with a word to everyone
still waiting. Every write goes through `OrderedCalls`, so a burst of keys lands in
the order it was typed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from rich.console import Group
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import ModalScreen
from textual.widgets import DataTable, Header, Input, Static

from oppmarket import lifecycle, policy
from oppmarket.domain import Application, Opportunity, ReviewEntry
from oppmarket.errors import OppMarketError
from oppmarket.render import kind_label, status_label
from oppmarket.screens.base import QueueScreen
from oppmarket.screens.complete import CompleteDialog
from oppmarket.text import clean_line
from oppmarket.widgets.applicant_card import ApplicantCard, cap_warning, passes_cap, revealed, shown_name
from oppmarket.widgets.applicant_table import MARK, ApplicantTable, Ranked
from oppmarket.widgets.failures import report_failure
from oppmarket.widgets.footer import MarketFooter
from oppmarket.widgets.prompt import TextPrompt

# What each key does, in the words of a notification: (one person, several people).
DONE_WORDS = {
    "shortlist": ("Shortlisted {}", "Shortlisted {} applicants"),
    "offer": ("Offered a seat to {}", "Offered seats to {} applicants"),
    "decline": ("Declined {}; they are told", "Declined {} applicants; each is told"),
}
# What u says of a last action it cannot take back.
NOT_UNDOABLE = {"complete": "Completing with {}", "close": "Closing the posting"}
# How many characters of a name the footer's u shows, so that the keys after it stay in view.
FOOTER_NAME = 14


@dataclass
class Step:
    """One key's worth of writes, for `u`: what was done, and to which applications
    (filled in once the writes are done). A complete or a close is a step too, one
    that `u` cannot take back, so that `u` never reaches past it."""

    action: str
    ids: tuple[int, ...]
    undoable: bool = True


class ReviewScreen(QueueScreen):
    """The applicants of one posting, best match first, with the highlighted one in full."""

    HELP_NAME = "Review applicants"
    SUBTITLE = "Review applicants"
    TABLE = "#applicants"

    # Left out of the footer on a narrow terminal (help lists them).
    FOOTER_WIDE_ONLY = frozenset({"review.mark", "review.blind", "review.filter", "review.invite"})

    BINDINGS = [
        Binding("y", "shortlist", "Shortlist", id="review.shortlist",
                tooltip="Shortlist the marked applicants, or the highlighted one"),
        Binding("o", "offer", "Offer", id="review.offer",
                tooltip="Offer a seat to the marked applicants, or the highlighted one (optional message)"),
        Binding("x", "decline", "Decline", id="review.decline",
                tooltip="Decline the marked applicants, or the highlighted one (optional reason)"),
        Binding("ctrl+z", "undo", "Undo", id="review.undo",
                tooltip="Take back your last shortlist, offer or decline of this visit; within "
                        f"{policy.UNDO_WINDOW_SECONDS} s nobody hears of it"),
        Binding("space", "mark", "Mark", id="review.mark",
                tooltip="Mark or unmark the highlighted applicant for y, o or x on all marked"),
        Binding("ctrl+b", "blind", "Blind", id="review.blind",
                tooltip="Blind review: hide names, usernames, emails and departments until an offer"),
        Binding("slash", "filter", "Filter", key_display="/", id="review.filter",
                tooltip="Show only applicants whose name, skills or status match"),
        Binding("c", "complete", "Complete", id="review.complete",
                tooltip="Complete the highlighted active engagement: rating, feedback, endorsements"),
        Binding("ctrl+w", "close_posting", "Close", id="review.close",
                tooltip="Close the posting and decline everyone still waiting, with a message"),
        Binding("n", "invite", "Invite", id="review.invite",
                tooltip="People open to invitations who fit this posting best: invite them to apply"),
        Binding("escape", "back", "Back", id="review.back", tooltip="Back to where you came from"),
    ]

    def __init__(self, opportunity_id: int) -> None:
        super().__init__()
        self.opportunity_id = opportunity_id
        self.opportunity: Opportunity | None = None
        self.ranked: list[Ranked] = []
        self.marked: set[int] = set()
        self.blind = False
        self._blind_writes = 0  # b presses not yet stored: until they are, the screen's choice wins
        self.filter_text = ""
        self.history: list[Step] = []
        self.holding = False  # whether this visit's actions may hold notifications back
        self.problem: str | None = None  # why nothing can be shown, if so

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Loading the applicants…", id="review-summary")
        yield Input(placeholder="Filter by name, skill or status; enter keeps it, escape clears it",
                    id="review-filter", compact=True)
        with Container(id="review-main"):
            yield ApplicantTable(id="applicants")
            yield ApplicantCard(id="applicant")
        yield Static("", id="review-empty")
        yield MarketFooter()

    @property
    def table(self) -> ApplicantTable:
        return self.query_one(self.TABLE, ApplicantTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#review-filter", Input)

    # ------------------------------------------------------------------ reading (worker thread)

    def _fetch(self) -> tuple[Opportunity, list[ReviewEntry]]:
        market = self.app.market
        opp = market.opportunity(self.opportunity_id)
        return opp, market.review(self.opportunity_id, include_closed=True)

    def _load(self) -> None:
        try:
            opp, entries = self._fetch()
        except OppMarketError as error:
            self.app.call_from_thread(self._cannot_show, str(error))
            return
        self.app.call_from_thread(self._show_data, opp, entries)

    # ------------------------------------------------------------------ showing

    def _cannot_show(self, message: str) -> None:
        self.problem = message
        self.ranked = []
        self._render_all()

    def _show_data(self, opp: Opportunity, entries: list[ReviewEntry]) -> None:
        self.problem = None
        self.opportunity = opp
        if not self._blind_writes:
            self.blind = opp.blind_review
        self.ranked = [Ranked(rank, entry) for rank, entry in enumerate(entries, 1)]
        present = {r.application_id for r in self.ranked}
        self.marked &= present
        self._render_all()

    def _visible(self) -> list[Ranked]:
        words = self.filter_text.casefold().split()
        if not words:
            return list(self.ranked)
        return [r for r in self.ranked if all(w in self._haystack(r) for w in words)]

    def _haystack(self, ranked: Ranked) -> str:
        """What the filter looks in. Blind review leaves names out, so that typing a
        name cannot pick someone out of the anonymous list."""
        entry = ranked.entry
        person = entry.profile.person
        parts = [f"applicant {ranked.rank}", status_label(entry.application.status, lower=True),
                 entry.application.status]
        parts += [claim.skill for claim in entry.profile.skills]
        if not (self.blind and not revealed(entry.application)):
            parts += [person.display_name, person.username, person.email, person.department or "", person.title]
        return clean_line(" ".join(parts)).casefold()

    def _render_all(self, keep: int | None = None) -> None:
        if not self.is_attached:
            return  # an answer that came back after the screen was closed
        table = self.table
        current = table.highlighted
        keep = keep if keep is not None else (current.application_id if current else None)
        visible = self._visible()
        empty = not self.ranked
        self.set_class(empty, "-empty")
        if empty:
            self.query_one("#review-empty", Static).update(Text(self._empty_text()))
        table.show(visible, self.opportunity, marked=frozenset(self.marked), blind=self.blind, keep=keep)
        self._show_summary(len(visible))
        self._show_card()
        self._show_undo_key()

    def _empty_text(self) -> str:
        if self.problem:
            return self.problem
        title = clean_line(self.opportunity.title) if self.opportunity else "this posting"
        return (f"Nobody has applied to '{title}' yet.\n\n"
                "Applicants appear here ranked by how well they match, with the reasons.")

    def _show_summary(self, shown: int) -> None:
        opp = self.opportunity
        summary = self.query_one("#review-summary", Static)
        if opp is None:
            summary.update(Text("Review applicants" if self.problem else "Loading the applicants…"))
            return
        title = Text(clean_line(opp.title), style="bold", no_wrap=True, overflow="ellipsis")
        title.append(f" · {kind_label(opp.kind)} · {status_label(opp.status, of='opportunity', lower=True)} · "
                     f"{opp.hours_per_week} h/week", style="")
        counts = Counter(r.entry.application.status for r in self.ranked)
        facts = [f"{len(self.ranked)} applicant{'s' if len(self.ranked) != 1 else ''}"]
        if counts:
            facts[0] += ": " + ", ".join(f"{counts[s]} {status_label(s, lower=True)}"
                                         for s in lifecycle.APP_STATUSES if counts[s])
        if self.marked:
            facts.append(f"{len(self.marked)} marked")
        if self.blind:
            facts.append("blind review")
        if self.filter_text:
            facts.append(f"filter '{clean_line(self.filter_text)}': {shown} shown")
        # Seats lead the second line, so that no width hides them.
        seats = Text(f"Seats: {opp.seats_left} of {opp.seats} left", style="bold")
        summary.update(Group(title, Text.assemble(seats, " · ", Text(" · ".join(facts), style="dim"))))

    def _show_card(self) -> None:
        current = self.table.highlighted
        card = self.query_one(ApplicantCard)
        if current is None:
            card.show(None, None, 0, blind=self.blind)
        else:
            card.show(current.entry, self.opportunity, current.rank, blind=self.blind)

    @on(DataTable.RowHighlighted, "#applicants")
    def _follow_cursor(self) -> None:
        self._show_card()
        self.refresh_bindings()

    # ------------------------------------------------------------------ names

    def _ranked(self, application_id: int) -> Ranked | None:
        return next((r for r in self.ranked if r.application_id == application_id), None)

    def name_of(self, application_id: int) -> str:
        ranked = self._ranked(application_id)
        return shown_name(ranked.entry, ranked.rank, self.blind) if ranked else f"application {application_id}"

    def _anonymised(self, message: str, application_id: int | None) -> str:
        """A domain message with a hidden applicant's name replaced by their alias."""
        ranked = self._ranked(application_id) if application_id is not None else None
        if ranked is None or not self.blind:
            return message
        person = ranked.entry.profile.person
        alias = shown_name(ranked.entry, ranked.rank, True)
        for secret in (person.display_name, person.username):
            if secret:
                message = message.replace(secret, alias)
        return message

    def call_failed(self, error: OppMarketError) -> None:
        # Messages of the domain name people; in blind review, hide every hidden one.
        message = str(error)
        for ranked in self.ranked:
            message = self._anonymised(message, ranked.application_id)
        report_failure(self, error, text=message)

    # ------------------------------------------------------------------ keys: moving, marking, views

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Asked while the screen is built or taken down too, when the table is not there.
        tables = self.query(ApplicantTable)
        current = tables.first().highlighted if tables else None
        if action in ("shortlist", "offer", "decline", "mark"):
            return current is not None or None
        if action == "complete":
            return (current is not None and lifecycle.allows("complete", current.entry.application.status)) or None
        if action == "close_posting":
            return (self.opportunity is not None
                    and lifecycle.allows("fill", self.opportunity.status, of="opportunity")) or None
        if action == "blind":
            return self.opportunity is not None or None
        if action == "invite":
            return (self.opportunity is not None
                    and lifecycle.allows("invite", self.opportunity.status, of="opportunity")) or None
        return True

    def action_mark(self) -> None:
        current = self.table.highlighted
        if current is None:
            return
        self.marked ^= {current.application_id}
        self.table.marked = frozenset(self.marked)
        row = self.table.cursor_row
        self.table.update_cell_at((row, 0), Text(MARK if current.application_id in self.marked else "",
                                                 style="bold"))
        self._show_summary(len(self.table.rows_shown))
        self.table.action_cursor_down()

    def action_blind(self) -> None:
        # The summary line and the card say it is on; a notification would only
        # cover the list for a few seconds.
        opp = self.opportunity
        if opp is None:
            return
        self.blind = blind = not self.blind
        self._render_all()
        if self.app.me is None or policy.may_manage_posting(self.app.me, opp.owner_username) is not None:
            return  # an admin looking in: blind for this visit only, the owner's choice stays
        self._blind_writes += 1
        market = self.app.market

        def run() -> None:
            try:
                market.set_blind_review(opp.id, blind)
            finally:
                self.app.call_from_thread(self._blind_stored)

        self.queue_call(run)

    def _blind_stored(self) -> None:
        self._blind_writes -= 1

    def action_filter(self) -> None:
        self.filter_input.add_class("-active")
        self.filter_input.focus()

    @on(Input.Changed, "#review-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self._render_all()

    @on(Input.Submitted, "#review-filter")
    def _filter_kept(self) -> None:
        if not self.filter_text.strip():
            self.filter_input.remove_class("-active")
        self.table.focus()

    def action_invite(self) -> None:
        if self.opportunity is not None and lifecycle.allows("invite", self.opportunity.status, of="opportunity"):
            self.app.open_invite(self.opportunity_id)

    def action_back(self) -> None:
        if self.focused is self.filter_input:
            self.filter_input.value = ""
            self.filter_input.remove_class("-active")
            self.table.focus()
            return
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.open_browse()

    # ------------------------------------------------------------------ keys: writes

    def _targets(self) -> list[Ranked]:
        """The marked applicants (in rank order), or else the highlighted one."""
        if self.marked:
            return [r for r in self.ranked if r.application_id in self.marked]
        current = self.table.highlighted
        return [current] if current else []

    def _who(self, targets: list[Ranked]) -> str:
        if len(targets) == 1:
            return self.name_of(targets[0].application_id)
        return f"{len(targets)} applicants"

    def action_shortlist(self) -> None:
        self._write("shortlist", self._targets())

    def action_offer(self) -> None:
        targets = self._targets()
        if not targets or self.opportunity is None:
            return
        opp = self.opportunity
        text = Text(f"{self._who(targets)} will be offered a seat on '{clean_line(opp.title)}' "
                    f"({opp.seats_left} of {opp.seats} left) and asked to accept or decline it. Only on "
                    "acceptance is a line manager asked to release the time; an unanswered offer lapses.")
        # Warned before, rather than refused after: an offer the cap would refuse.
        over = [r for r in targets if passes_cap(r.entry)]
        for ranked in over:
            text.append("\n\n")
            text.append_text(cap_warning(self.name_of(ranked.application_id), ranked.entry))
        self.app.push_screen(
            TextPrompt(f"Offer a seat to {self._who(targets)}", text, label="Message to them (optional)",
                       confirm="Offer anyway" if over else "Offer",
                       placeholder="e.g. Welcome aboard; we start on Monday"),
            lambda message: self._write("offer", targets, message) if message is not None else None)

    def action_decline(self) -> None:
        targets = self._targets()
        if not targets:
            return
        text = Text(f"{self._who(targets)} will be told that their application was not taken forward, "
                    f"with your reason if you give one. u within {policy.UNDO_WINDOW_SECONDS} s takes it back "
                    "before anyone is told.")
        self.app.push_screen(
            TextPrompt(f"Decline {self._who(targets)}", text, label="Reason (optional)", confirm="Decline",
                       placeholder="e.g. We needed more SQL experience this time"),
            lambda reason: self._write("decline", targets, reason) if reason is not None else None)

    def _write(self, action: str, targets: list[Ranked], text: str = "") -> None:
        if not targets:
            return
        step = Step(action, tuple(r.application_id for r in targets))
        self.history.append(step)
        self.holding = True
        if self.marked:
            self.marked.clear()
            self._render_all()
        else:
            self._show_undo_key()
        market = self.app.market
        # Held: nobody hears of it until its undo window has passed or the owner leaves.
        call = {"shortlist": lambda i: market.shortlist(i, hold=True),
                "offer": lambda i: market.offer(i, text, hold=True),
                "decline": lambda i: market.decline(i, text, hold=True)}[action]

        def run() -> None:
            done, failed = self._each(step.ids, call)
            step.ids = tuple(done)
            self._reload_then(self._written, step, failed)

        self.queue_call(run)

    def _each(self, ids: tuple[int, ...], call) -> tuple[list[int], list[tuple[int, OppMarketError]]]:
        """Run `call` on each application (worker thread); a refusal of one does not
        stop the others."""
        done, failed = [], []
        for application_id in ids:
            try:
                call(application_id)
            except OppMarketError as error:
                failed.append((application_id, error))
            else:
                done.append(application_id)
        return done, failed

    def _reload_then(self, then, *args) -> None:
        """Fetch the posting and its applicants again (worker thread), show them, then
        call `then(*args)` on the event loop."""
        opp, entries = self._fetch()

        def show() -> None:
            self._show_data(opp, entries)
            then(*args)

        self.app.call_from_thread(show)

    def _written(self, step: Step, failed: list[tuple[int, OppMarketError]]) -> None:
        if not step.ids and step in self.history:
            self.history.remove(step)
        if step.ids:
            one, many = DONE_WORDS[step.action]
            who = self.name_of(step.ids[0]) if len(step.ids) == 1 else len(step.ids)
            self.notify((one if len(step.ids) == 1 else many).format(who), markup=False)
        self._report(failed)

    def _report(self, failed: list[tuple[int, OppMarketError]]) -> None:
        for application_id, error in failed:
            report_failure(self, error, text=self._anonymised(str(error), application_id))

    # ------------------------------------------------------------------ undo

    def _last_step(self) -> Step | None:
        return self.history[-1] if self.history else None

    def _undo_description(self) -> str:
        step = self._last_step()
        if step is None or not step.undoable or not step.ids:
            return "Undo"
        if len(step.ids) > 1:
            return f"Undo {step.action} of {len(step.ids)}"
        ranked = self._ranked(step.ids[0])
        if ranked is None:
            return f"Undo {step.action}"
        name = shown_name(ranked.entry, ranked.rank, self.blind)
        if not (self.blind and not revealed(ranked.entry.application)):
            name = name.split()[0] if name.split() else name  # a first name is enough to know whom
        if len(name) > FOOTER_NAME:
            name = name[:FOOTER_NAME - 1] + "…"
        return f"Undo {step.action} of {name}"

    def _show_undo_key(self) -> None:
        """Name in the footer (and help) what u would take back now. Textual has no
        public way to change a binding's description, so the screen's own copy of its
        bindings gets a new one."""
        description = self._undo_description()
        table = self._bindings.key_to_bindings
        for key, bindings in table.items():
            if any(b.id == "review.undo" and b.description != description for b in bindings):
                table[key] = [replace(b, description=description) if b.id == "review.undo" else b
                              for b in bindings]
        self.refresh_bindings()

    def action_undo(self) -> None:
        """Take back the last action of this visit, and only that one."""
        step = self._last_step()
        if step is None:
            self.notify("Nothing to undo: ctrl+z takes back the last shortlist, offer or decline you made here",
                        markup=False)
            return
        if not step.undoable:
            what = NOT_UNDOABLE[step.action].format(*(self.name_of(i) for i in step.ids[:1]))
            self.notify(f"{what} cannot be undone; ctrl+z takes back only the last shortlist, offer or decline",
                        markup=False)
            return
        self.history.clear()
        self._show_undo_key()
        market = self.app.market

        def run() -> None:
            # step.ids is read here, once the step's own writes have filled it in.
            done, failed = self._each(step.ids, lambda i: market.undo(i, action=step.action))
            self._reload_then(self._undone, step.action, done, failed)

        self.queue_call(run)

    def _undone(self, action: str, done: list[int], failed: list[tuple[int, OppMarketError]]) -> None:
        if done:
            who = self.name_of(done[0]) if len(done) == 1 else f"{len(done)} applicants"
            self.notify(f"Took back the {action} of {who}", markup=False)
        self._report(failed)

    # ------------------------------------------------------------------ leaving

    def on_screen_suspend(self, event: events.ScreenSuspend) -> None:
        # A dialog of this screen (offer, decline, complete, help) is not leaving it.
        if not isinstance(self.app.screen, ModalScreen):
            self._deliver_held()

    def on_unmount(self) -> None:
        self._deliver_held()

    def _deliver_held(self) -> None:
        """The owner has left the review: what its actions held back is told now. In an
        app worker, as this screen's own are cancelled when it goes."""
        if not self.holding:
            return
        self.holding = False
        self.app.run_worker(self.app.market.deliver_held, thread=True, group="deliver-held", exit_on_error=False)

    # ------------------------------------------------------------------ keys: complete, close

    def action_complete(self) -> None:
        current = self.table.highlighted
        if (current is None or self.opportunity is None
                or not lifecycle.allows("complete", current.entry.application.status)):
            return
        name = self.name_of(current.application_id)

        def completed(application: Application | None) -> None:
            if application is not None:
                self.history.append(Step("complete", (current.application_id,), undoable=False))
                self.notify(f"Completed with {name}; they and their manager are asked about core work",
                            markup=False)
                self.queue_call(self._load)

        self.app.push_screen(CompleteDialog(current.entry.application, self.opportunity, name), completed)

    def action_close_posting(self) -> None:
        opp = self.opportunity
        if opp is None or not lifecycle.allows("fill", opp.status, of="opportunity"):
            return
        waiting = sum(1 for r in self.ranked if r.entry.application.status in lifecycle.WAITING_STATUSES)
        people = f"{waiting} {'person' if waiting == 1 else 'people'}"
        if waiting:
            text = Text(f"'{clean_line(opp.title)}' stops taking applications, and the {people} still waiting "
                        f"(applied or shortlisted) will be declined. Each of them is told, with your message "
                        f"if you write one. Offers already made stay.")
        else:
            text = Text(f"'{clean_line(opp.title)}' stops taking applications. Nobody is waiting, so nobody "
                        "is declined.")
        self.app.push_screen(
            TextPrompt(f"Close the posting and tell {people}?", text, label="Message to them (optional)",
                       confirm=f"Close and tell {people}" if waiting else "Close",
                       placeholder="e.g. Thank you all; the seats are filled"),
            lambda message: self._close(message) if message is not None else None)

    def _close(self, message: str) -> None:
        market = self.app.market

        def run() -> None:
            told = market.close_and_decline_rest(self.opportunity_id, message)
            self._reload_then(self._posting_closed, told)

        self.queue_call(run)

    def _posting_closed(self, told: int) -> None:
        # u would otherwise take back a step from before the close.
        self.history.append(Step("close", (), undoable=False))
        self._show_undo_key()
        self.notify(f"Closed; {told} {'person was' if told == 1 else 'people were'} told", markup=False)
