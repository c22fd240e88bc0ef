"""Your offer: the candidate accepts or declines an owner's offer before its deadline.
Only an accepted offer goes on to the line manager."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, Static

from oppmarket.domain import Application
from oppmarket.errors import ValidationError
from oppmarket.render import kind_label
from oppmarket.text import clean_line
from oppmarket.widgets.dialog import FormDialog


def offer_text(app: Application) -> Text:
    """What the offer is and by when it must be answered, in the candidate's words."""
    due = f"{app.offer_due:%A %Y-%m-%d}" if app.offer_due else "no set day"
    text = Text()
    text.append(clean_line(app.opportunity_title), style="bold")
    text.append(f"\n{kind_label(app.opportunity_kind)} · owner {clean_line(app.owner_username)} · "
                f"{app.hours_per_week} h/week", style="dim")
    text.append("\n\nAnswer by ")
    text.append(due, style="bold")
    text.append(". If you accept, your line manager is asked to release your time; "
                "until then they have not heard of it. Unanswered, the offer lapses and the seat goes "
                "to someone else.")
    return text


class OfferAnswerDialog(FormDialog[Application | None]):
    """Accept or decline one offer; returns the application as it now stands, or None
    when closed without an answer."""

    HELP_NAME = "Your offer"
    BOX_ID = "offer-dialog"
    HEADING = "Your offer"
    CSS_PATH = "offer_answer.tcss"
    FAILURE_TITLE = "Could not answer the offer"

    BINDINGS = [
        Binding("a", "accept", "Accept", id="offer.accept", tooltip="Accept the offer; your manager is asked next"),
        Binding("d", "decline", "Decline", id="offer.decline",
                tooltip="Turn the offer down (you may say why); the seat frees"),
        Binding("escape", "dismiss(None)", "Not now", id="offer.close",
                tooltip="Close; the offer waits for your answer until its deadline"),
    ]

    def __init__(self, application: Application) -> None:
        super().__init__()
        self.application = application

    def compose_body(self) -> ComposeResult:
        yield Static(offer_text(self.application), id="offer-text", classes="dialog-text")
        yield Label("Why not? (optional, the owner reads it)", id="offer-reason-label")
        yield Input(placeholder="e.g. the timing does not work for me", id="offer-reason")
        yield Static("", id="reason-error", classes="field-error")
        with Horizontal(classes="buttons"):
            yield Button("Accept (a)", id="offer-accept", variant="success", action="screen.accept")
            yield Button("Decline (d)", id="offer-decline", variant="warning", action="screen.decline")
            yield Button("Not now (esc)", id="offer-close", action="screen.dismiss(None)")

    def on_mount(self) -> None:
        self.show_field_error("reason", "")
        self._asking_reason(False)
        self.query_one("#offer-accept", Button).focus()

    def _asking_reason(self, asking: bool) -> None:
        self.query_one("#offer-reason-label").display = asking
        self.query_one("#offer-reason", Input).display = asking
        self.query_one("#offer-decline", Button).label = "Decline (enter)" if asking else "Decline (d)"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the reason is being typed, letters are the reason's.
        if action in ("accept", "decline") and self.query_one("#offer-reason", Input).has_focus:
            return False
        return True

    def action_accept(self) -> None:
        self.send(lambda: self.app.market.accept(self.application.id))

    def action_decline(self) -> None:
        reason = self.query_one("#offer-reason", Input)
        if not reason.display:
            self._asking_reason(True)
            reason.focus()
            return
        self._send_decline()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._send_decline()

    def _send_decline(self) -> None:
        reason = self.query_one("#offer-reason", Input).value
        self.send(lambda: self.app.market.decline_offer(self.application.id, reason))

    def refused(self, error: ValidationError) -> None:
        self.show_field_error("reason", error.fields.get("reason", str(error)))
