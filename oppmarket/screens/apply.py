"""Raise your hand for an opportunity: a note to the owner and the hours you propose,
with a warning up front when they would take you past your time cap."""

from __future__ import annotations

from collections.abc import Callable

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static, TextArea
from textual.worker import Worker, get_current_worker

from oppmarket import lifecycle, policy
from oppmarket.domain import Application, ApplyResult, Opportunity, Profile
from oppmarket.errors import Conflict, ValidationError
from oppmarket.render import kind_label, status_label
from oppmarket.text import clean_line
from oppmarket.widgets.confirm import leave_asking
from oppmarket.widgets.dialog import Dialog, show_error
from oppmarket.widgets.failures import ReportsFailedWorkers, report_failure


@dataclass(frozen=True)
class ApplyContext:
    """What the form needs to know before the user types anything."""

    opportunity: Opportunity
    profile: Profile
    earlier: Application | None  # an application of theirs still in play


def cap_warning(profile: Profile, hours: int) -> str | None:
    """Why `hours` more a week would pass the person's time cap, or None."""
    person = profile.person
    if policy.fits_cap(profile.committed_hours, hours, person.weekly_hours, person.cap_pct):
        return None
    return (f"{hours} h/week would take you past your time cap: {profile.committed_hours} of "
            f"{person.cap_hours:g} h/week are already committed. You may apply, but the owner "
            "cannot make you an offer until your manager raises your cap.")


class ApplyScreen(ReportsFailedWorkers, Dialog[int | None]):
    """The apply form of one opportunity; dismisses with the application's id, or
    None when the user leaves without applying."""

    BOX = VerticalScroll  # for when the messages do not fit a small terminal
    BOX_ID = "apply-dialog"
    HEADING = "Apply"

    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply", id="apply.send", tooltip="Send the application to the owner"),
        Binding("escape", "dismiss(None)", "Back", id="apply.back", tooltip="Close without applying"),
    ]

    def __init__(self, opportunity_id: int) -> None:
        super().__init__()
        self.opportunity_id = opportunity_id
        self.context: ApplyContext | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="apply-facts", classes="dialog-text muted")
        yield Static("", id="apply-earlier", classes="warning-box")
        yield Label("A note to the owner (optional): why you, what you hope to learn", classes="field-label")
        yield TextArea(id="note", soft_wrap=True, show_line_numbers=False, compact=True)
        yield Static("", id="note-error", classes="field-error")
        with Horizontal(classes="field-row"):
            with Vertical(classes="field", id="hours-field"):
                yield Label("Hours per week you propose", classes="field-label")
                yield Input(type="integer", id="hours", compact=True)
                yield Static("", id="hours_per_week-error", classes="field-error")
            yield Static("", id="cap-line")
        yield Static("", id="cap-warning", classes="warning-box")
        yield Static("", id="apply-error", classes="field-error")
        with Horizontal(id="apply-buttons", classes="buttons"):
            yield Button("Apply (ctrl+s)", id="apply", variant="primary", compact=True, action="screen.apply")
            yield Button("Cancel (esc)", id="cancel", compact=True, action="screen.dismiss(None)")

    def on_mount(self) -> None:
        for static in self.query(".field-error, .warning-box"):
            show_error(static, "")
        self.query_one("#apply-dialog").loading = True
        self.load()

    def leave(self, then: Callable[[], None] | None = None) -> None:
        """Close without applying, asking first when a note has been written."""
        leave_asking(self, bool(self.query_one("#note", TextArea).text.strip()), lambda: self.dismiss(None),
                     then, lost="The note you wrote to the owner will be lost.")

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, exit_on_error=False, group="apply-load")
    def load(self) -> None:
        market = self.app.market
        opportunity = market.opportunity(self.opportunity_id)
        profile = market.profile()
        earlier = next((a for a in market.my_applications()
                        if a.opportunity_id == self.opportunity_id and a.status in lifecycle.LIVE_STATUSES), None)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, ApplyContext(opportunity, profile, earlier))

    def _loaded(self, context: ApplyContext) -> None:
        self.context = context
        opp = context.opportunity
        self.query_one("#apply-dialog").loading = False
        self.query_one(".dialog-title", Static).update(Text(f"Apply: {clean_line(opp.title)}"))
        self.query_one("#apply-facts", Static).update(Text(
            f"{kind_label(opp.kind)} · {clean_line(opp.owner_name)} ({clean_line(opp.owner_username)}) · "
            f"{opp.hours_per_week} h/week · {opp.seats_left} of {opp.seats} seats left"))
        show_error(self.query_one("#apply-earlier", Static), self._refusal(context))
        hours = self.query_one("#hours", Input)
        hours.value = str(opp.hours_per_week)
        self._show_cap(hours.value)
        self.query_one("#note", TextArea).focus()

    @staticmethod
    def _refusal(context: ApplyContext) -> str:
        """Why applying will be refused, when that is known up front."""
        opp, me = context.opportunity, context.profile.person
        if opp.owner_username == me.username:
            return "This is your own posting: you cannot apply to it."
        if context.earlier is not None:
            return (f"You already applied on {context.earlier.applied_at:%Y-%m-%d} "
                    f"(status: {status_label(context.earlier.status, lower=True)}). Follow it in My work.")
        if not lifecycle.allows("apply", opp.status, of="opportunity"):
            return f"This posting is {status_label(opp.status, of='opportunity', lower=True)} and takes no applications."
        return ""

    # ------------------------------------------------------------------ time cap

    @on(Input.Changed, "#hours")
    def _hours_changed(self, event: Input.Changed) -> None:
        self._show_cap(event.value)

    def _show_cap(self, value: str) -> None:
        if self.context is None:
            return
        profile = self.context.profile
        person = profile.person
        self.query_one("#cap-line", Static).update(
            f"Your time cap is {person.cap_hours:g} h/week ({person.cap_pct}% of {person.weekly_hours}); "
            f"{profile.committed_hours} committed, {profile.hours_left:g} left.")
        try:
            # An empty field applies with the posting's hours.
            hours = int(value) if value.strip() else self.context.opportunity.hours_per_week
        except ValueError:
            hours = 0
        warning = cap_warning(profile, hours) if hours > 0 else None
        show_error(self.query_one("#cap-warning", Static), warning or "")

    # ------------------------------------------------------------------ applying

    @on(Input.Submitted, "#hours")
    def action_apply(self) -> None:
        if self.context is None or self.query_one("#apply-buttons").loading:
            return
        for static in self.query(".field-error"):
            show_error(static, "")
        self.query_one("#hours", Input).remove_class("-invalid")
        self.query_one("#apply-buttons").loading = True
        self.send(self.query_one("#note", TextArea).text, self.query_one("#hours", Input).value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="apply-send")
    def send(self, note: str, hours: str) -> None:
        try:
            result = self.app.market.apply(self.opportunity_id, note, hours)
        except ValidationError as error:
            self.app.call_from_thread(self._invalid, error.fields)
            return
        except Conflict as error:
            self.app.call_from_thread(self._refused, error)
            return
        self.app.call_from_thread(self._applied, result)

    def _invalid(self, errors: dict[str, str]) -> None:
        self.query_one("#apply-buttons").loading = False
        for field, message in errors.items():
            target = self.query(f"#{field}-error") or self.query("#apply-error")
            show_error(target.first(Static), message[:1].upper() + message[1:])
        if "hours_per_week" in errors:
            self.query_one("#hours", Input).add_class("-invalid")
            self.query_one("#hours", Input).focus()

    def _refused(self, error: Conflict) -> None:
        self.query_one("#apply-buttons").loading = False
        show_error(self.query_one("#apply-error", Static), f"Not sent: {error}.")
        report_failure(self, error, title="Not sent")

    def _applied(self, result: ApplyResult) -> None:
        opp = self.context.opportunity
        self.app.notify(f"You applied to “{clean_line(opp.title)}”. {clean_line(opp.owner_name)} has been told; "
                        "follow it in My work (m).", title="Applied", markup=False)
        if result.warning:
            self.app.notify(result.warning, title="Past your time cap", severity="warning", timeout=12,
                            markup=False)
        self.dismiss(result.application_id)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "apply-send":
            self.query_one("#apply-buttons").loading = False
        if worker.group == "apply-load":
            self.dismiss(None)  # nothing to apply to: the user is told why
