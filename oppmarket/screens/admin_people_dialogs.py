"""The dialogs of the people screen: an admin's form for a person (with a fuzzy
picker for their manager), their hours and cap, and deactivation, which shows what
it would undo and asks each decision it needs before it goes ahead."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from oppmarket.domain import Person
from oppmarket.errors import ValidationError
from oppmarket.people import DeactivationPlan, PersonEntry, find
from oppmarket.text import clean_line
from oppmarket.widgets.confirm import ConfirmDialog
from oppmarket.widgets.dialog import FormDialog, save_buttons, show_error

PICKS = 4  # people a picker offers at once


def show_refusal(dialog: FormDialog, error: ValidationError, fallback: str) -> None:
    """Each message of `error` next to its field, or at `fallback` for a field the
    dialog does not show."""
    first = None
    for field, message in error.fields.items():
        where = field if dialog.query(f"#{field}-error") else fallback
        dialog.show_field_error(where, message[:1].upper() + message[1:])
        first = first or where
    if first is not None:  # a long form: the first message may be below the fold
        # Once laid out: the message was hidden until now, so it has no place yet.
        message = dialog.query_one(f"#{first}-error")
        dialog.call_after_refresh(message.scroll_visible, animate=False)


class PersonPicker(Vertical):
    """A username field that offers, as it is typed, the active people it names
    (fuzzy, as the people list finds them); enter on one puts their username in."""

    BINDINGS = [Binding("down", "into_list", "People found", show=False, id="person_picker.into_list",
                        tooltip="Move into the people found")]

    DEFAULT_CSS = """
    PersonPicker { height: auto; }
    PersonPicker OptionList { height: auto; max-height: 6; display: none; }
    PersonPicker.-offering OptionList { display: block; }
    """

    def __init__(self, people: list[PersonEntry], value: str = "", *, placeholder: str = "",
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.people = [e for e in people if e.person.active]
        self.initial = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Input(self.initial, placeholder=self.placeholder)
        yield OptionList()

    @property
    def value(self) -> str:
        return self.query_one(Input).value.strip()

    @on(Input.Changed)
    def _offer(self, event: Input.Changed) -> None:
        event.stop()
        typed = event.value.strip()
        found = find(self.people, typed)[:PICKS] if typed else []
        if len(found) == 1 and found[0].person.username == typed:
            found = []
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(Text(f"{clean_line(e.person.display_name)} ({e.person.username})"),
                                    id=e.person.username) for e in found])
        if found:
            options.highlighted = 0
        self.set_class(bool(found), "-offering")

    @on(OptionList.OptionSelected)
    def _take(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._put(event.option.id or "")

    @on(Input.Submitted)
    def _take_first(self, event: Input.Submitted) -> None:
        """Enter in the field takes the person highlighted in the offer, if any."""
        event.stop()
        options = self.query_one(OptionList)
        if self.has_class("-offering") and options.highlighted is not None:
            self._put(options.get_option_at_index(options.highlighted).id or "")

    def _put(self, username: str) -> None:
        field = self.query_one(Input)
        field.value = username
        self.set_class(False, "-offering")
        field.focus()

    def action_into_list(self) -> None:
        if self.has_class("-offering"):
            self.query_one(OptionList).focus()


def _field(label: str, widget, error: str) -> ComposeResult:
    yield Label(label, classes="field-label")
    yield widget
    yield Static("", id=f"{error}-error", classes="field-error")


class PersonForm(FormDialog[Person | None]):
    """Add a person (`entry` None) or change one's name, email, title, department
    and manager; dismisses with the person as saved, or None."""

    BOX = VerticalScroll
    BOX_ID = "person-dialog"
    SUBMIT = "#person-save"
    CSS_PATH = "admin_people.tcss"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="person_form.save", tooltip="Save this person"),
        Binding("escape", "dismiss(None)", "Back", id="person_form.back", tooltip="Close without saving"),
    ]

    def __init__(self, people: list[PersonEntry], entry: PersonEntry | None = None) -> None:
        who = entry.person if entry else None
        super().__init__(Text("New person" if who is None else f"Edit: {clean_line(who.display_name)}"))
        self.people = [e for e in people if who is None or e.person.username != who.username]
        self.entry = entry

    def compose_body(self) -> ComposeResult:
        p = self.entry.person if self.entry else None
        with Horizontal(classes="field-row"):
            with Vertical(classes="field"):
                if p is None:
                    yield from _field("Username", Input(placeholder="e.g. jane.doe", id="person-username"), "username")
                else:
                    yield Label("Username", classes="field-label")
                    yield Static(Text(p.username), id="person-username-shown")
            with Vertical(classes="field"):
                yield from _field("Name", Input(p.display_name if p else "", id="person-name"), "display_name")
        with Horizontal(classes="field-row"):
            with Vertical(classes="field"):
                yield from _field("Title", Input(p.title if p else "", id="person-title"), "title")
            with Vertical(classes="field"):
                yield from _field("Email", Input(p.email if p else "", id="person-email"), "email")
        yield from _field("Department (a new name adds one)",
                          Input((p.department or "") if p else "", id="person-department"), "department")
        yield from _field("Line manager: type a few letters to find them, or leave empty",
                          PersonPicker(self.people, (p.manager_username or "") if p else "",
                                       placeholder="name or username", id="person-manager"), "manager")
        if p is None:
            with Horizontal(classes="field-row"):
                with Vertical(classes="field"):
                    yield from _field("Weekly hours", Input("40", type="integer", id="person-hours"), "weekly_hours")
                with Vertical(classes="field"):
                    yield from _field("Time cap % (empty: the default)", Input("", type="integer", id="person-cap"),
                                      "cap_pct")
        yield Static("", id="person-error", classes="field-error")
        yield save_buttons("person")

    def on_mount(self) -> None:
        for static in self.query(".field-error"):
            show_error(static, "")
        self.query_one("#person-username" if self.entry is None else "#person-name", Input).focus()

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def action_save(self) -> None:
        for static in self.query(".field-error"):
            show_error(static, "")
        fields = dict(display_name=self._value("#person-name"), email=self._value("#person-email"),
                      title=self._value("#person-title"), department=self._value("#person-department").strip() or None,
                      manager=self.query_one(PersonPicker).value or None)
        market = self.app.market
        if self.entry is None:
            username, hours, cap = self._value("#person-username"), self._value("#person-hours"), self._value(
                "#person-cap")
            self.send(lambda: market.add_person(username, weekly_hours=hours, cap_pct=cap or None, **fields))
        else:
            username = self.entry.person.username
            self.send(lambda: market.edit_person(username, **fields))

    def refused(self, error: ValidationError) -> None:
        show_refusal(self, error, "person")


class TermsForm(FormDialog[Person | None]):
    """Someone's contracted hours a week and time cap, changed together."""

    BOX_ID = "terms-dialog"
    SUBMIT = "#terms-save"
    CSS_PATH = "admin_people.tcss"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="terms_form.save", tooltip="Save the hours and cap"),
        Binding("escape", "dismiss(None)", "Back", id="terms_form.back", tooltip="Close without saving"),
    ]

    def __init__(self, person: Person) -> None:
        super().__init__(Text(f"Hours and time cap of {clean_line(person.display_name)}"))
        self.person = person

    def compose_body(self) -> ComposeResult:
        p = self.person
        yield Static(Text(f"Now {p.weekly_hours} h a week, a cap of {p.cap_pct}% ({p.cap_hours:g} h). "
                          "The cap never goes below what their offers and engagements hold; they are told."),
                     classes="dialog-text")
        with Horizontal(classes="field-row"):
            with Vertical(classes="field"):
                yield from _field("Weekly hours", Input(str(p.weekly_hours), type="integer", id="terms-hours"),
                                  "weekly_hours")
            with Vertical(classes="field"):
                yield from _field("Time cap %", Input(str(p.cap_pct), type="integer", id="terms-cap"), "cap_pct")
        yield save_buttons("terms")

    def on_mount(self) -> None:
        for static in self.query(".field-error"):
            show_error(static, "")
        self.query_one("#terms-hours", Input).focus()

    def action_save(self) -> None:
        for static in self.query(".field-error"):
            show_error(static, "")
        hours, cap = self.query_one("#terms-hours", Input).value, self.query_one("#terms-cap", Input).value
        market, username = self.app.market, self.person.username
        self.send(lambda: market.set_terms(username, weekly_hours=hours or None, cap_pct=cap or None))

    def refused(self, error: ValidationError) -> None:
        show_refusal(self, error, "weekly_hours")


def plan_words(plan: DeactivationPlan) -> Text:
    """What deactivation does on its own, before the decisions it asks."""
    text = Text()
    for a in plan.applications:
        text.append(f"• Withdraws the application to “{clean_line(a.title)}” ({a.status}); "
                    f"{a.owner_username} is told.\n")
    for a in plan.engagements:
        text.append(f"• Leaves “{clean_line(a.title)}” under way for {a.owner_username} to complete.\n")
    for p in plan.hosted:
        text.append(f"• Tells {p.owner_username} to find another host for “{clean_line(p.title)}”.\n")
    text.append("• Keeps their history: past applications, engagements, skills, the audit trail.")
    return text


class DeactivateForm(FormDialog[Person | None]):
    """Deactivate someone: their plan, a new owner (or cancel) for each open posting,
    a new manager for their reports; ctrl+s asks once more, then does it all."""

    BOX = VerticalScroll
    BOX_ID = "deactivate-dialog"
    SUBMIT = "#deactivate-save"
    CSS_PATH = "admin_people.tcss"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="deactivate_form.save", tooltip="Deactivate, once asked to confirm"),
        Binding("escape", "dismiss(None)", "Back", id="deactivate_form.back", tooltip="Deactivate nobody"),
    ]

    def __init__(self, plan: DeactivationPlan, people: list[PersonEntry]) -> None:
        super().__init__(Text(f"Deactivate {clean_line(plan.person.display_name)} ({plan.person.username})"))
        self.plan = plan
        self.people = [e for e in people if e.person.username != plan.person.username]

    def compose_body(self) -> ComposeResult:
        plan = self.plan
        yield Static(plan_words(plan), classes="dialog-text")
        if plan.postings:
            yield Label("Their open postings: a new owner each, or leave it empty to cancel it",
                        classes="field-label")
            for p in plan.postings:
                yield Label(Text(f"“{clean_line(p.title)}” ({p.status}, {p.live_applications} in play)"))
                yield PersonPicker(self.people, placeholder="new owner, or empty to cancel", id=f"owner-{p.id}")
            yield Static("", id="new_owners-error", classes="field-error")
            yield from _field("Why cancelled postings are cancelled (their applicants read it)",
                              Input(id="deactivate-reason"), "cancel_reason")
        if plan.reports:
            names = ", ".join(clean_line(name) for _, name in plan.reports)
            yield Static(Text(f"Reporting to them: {names}."), classes="dialog-text")
            yield from _field(f"New manager of their {len(plan.reports)} report(s) (empty: nobody)",
                              PersonPicker(self.people, placeholder="name or username", id="reports-to"),
                              "reports_to")
        yield Static("", id="deactivate-error", classes="field-error")
        yield save_buttons("deactivate")

    def on_mount(self) -> None:
        for static in self.query(".field-error"):
            show_error(static, "")
        pickers = self.query(PersonPicker)
        if pickers:
            pickers.first().query_one(Input).focus()

    def decisions(self) -> dict:
        plan = self.plan
        owners = {p.id: self.query_one(f"#owner-{p.id}", PersonPicker).value or None for p in plan.postings}
        reason = self.query_one("#deactivate-reason", Input).value if plan.postings else ""
        reports_to = (self.query_one("#reports-to", PersonPicker).value or None) if plan.reports else ...
        return dict(new_owners=owners, cancel_reason=reason, reports_to=reports_to)

    def action_save(self) -> None:
        for static in self.query(".field-error"):
            show_error(static, "")
        decided = self.decisions()
        market, username = self.app.market, self.plan.person.username
        handed = sum(1 for owner in decided["new_owners"].values() if owner)
        cancelled = len(decided["new_owners"]) - handed
        detail = (f"{len(self.plan.applications)} application(s) withdrawn, {handed} posting(s) handed over, "
                  f"{cancelled} cancelled. They can no longer sign in.")

        def answered(yes: bool | None) -> None:
            if yes:
                self.send(lambda: market.deactivate_person(username, **decided))

        self.app.push_screen(ConfirmDialog(f"Deactivate {self.plan.person.display_name}?", detail,
                                           yes="Deactivate", no="Not now"), answered)

    def refused(self, error: ValidationError) -> None:
        show_refusal(self, error, "deactivate")
