"""Post an opportunity of any kind, or edit one of yours.

The form holds plain strings until it is saved; `Market` checks the whole draft and
names every wrong field, and each message appears under its field. Nothing is stored
until every field is right."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Header, Input, Label, Select, Static, TextArea
from textual.worker import Worker, get_current_worker

from oppmarket.domain import KIND_LABELS, KINDS, Department, Opportunity, OpportunityDraft
from oppmarket.errors import ValidationError
from oppmarket.lifecycle import OppStatus
from oppmarket.render import status_label
from oppmarket.text import clean_line
from oppmarket.widgets.confirm import leave_asking
from oppmarket.widgets.dialog import show_error
from oppmarket.widgets.failures import ReportsFailedWorkers
from oppmarket.widgets.footer import MarketFooter
from oppmarket.widgets.skill_picker import SkillPicker, SkillQuery

KIND_HINTS = {
    "gig": "A project or a micro-assignment: real work, a few hours a week.",
    "mentorship": "An hour or two a week of guidance on the topics you name.",
    "volunteering": "A committee, a task force or a cause the company supports.",
    "shadowing": "Time alongside a host, to see their work from the inside.",
    "learning": "An ordered path of steps that ends in an internal certification.",
}

# Each field `Market` may name in a ValidationError -> the widget holding it. Its
# message goes to the Static with the id "<field>-error".
FIELDS = {
    "kind": "#kind",
    "title": "#title",
    "description": "#description",
    "department": "#department",
    "hours_per_week": "#hours",
    "seats": "#seats",
    "start": "#start",
    "end": "#end",
    "location": "#location",
    "skills": "#required",
    "steps": "#steps",
    "certification": "#certification",
    "host": "#host",
    "topics": "#topics",
}

FIELD_OF_WIDGET = {selector: field for field, selector in FIELDS.items()}


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def _field(label: str, widget: Widget, name: str, *, classes: str = "field") -> Vertical:
    return Vertical(Label(label, classes="field-label"), widget,
                    Static("", id=f"{name}-error", classes="field-error"), classes=classes)


class PostScreen(ReportsFailedWorkers, Screen):
    """The post form; with an `opportunity_id`, the edit form of that posting."""

    HELP_NAME = "Post an opportunity"

    BINDINGS = [
        Binding("ctrl+s", "save(False)", "Save", id="post.save",
                tooltip="Save it; a new posting or a draft stays a draft that only you can see"),
        Binding("ctrl+o", "save(True)", "Publish", id="post.publish",
                tooltip="Save it and open it to applicants"),
        Binding("escape", "leave", "Back", id="post.back",
                tooltip="Close the form; asks first when something is not saved"),
    ]

    def __init__(self, opportunity_id: int | None = None, *, prefill: OpportunityDraft | None = None) -> None:
        super().__init__()
        self.opportunity_id = opportunity_id
        self.prefill = prefill  # a new posting's form, filled in (a key role's bench suggests one)
        # Known once loaded. Only a draft is published from the form: a closed posting
        # reopens from My work, and saving keeps every other status as it is.
        self.status = OppStatus.DRAFT if opportunity_id is None else None
        self._baseline: OpportunityDraft | None = None  # the form as last loaded or saved
        self._key_role_id: int | None = None  # not on the form, but kept when saving

    @property
    def editing(self) -> bool:
        return self.opportunity_id is not None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="post-form"):
            heading = "Edit your posting" if self.editing else "Post an opportunity"
            yield Static(heading, id="post-heading", classes="screen-title")
            yield Static(
                "Anyone may post. Fill in what you know; every field can change later. "
                "ctrl+s saves a draft that only you can see, ctrl+o opens it to everyone.",
                id="post-intro", classes="prose muted")
            yield Static("", id="form-error", classes="field-error")
            with Horizontal(classes="field-row"):
                yield _field("Kind", Select([(KIND_LABELS[k], k) for k in KINDS], allow_blank=False,
                                            value="gig", id="kind"), "kind")
                yield Static(KIND_HINTS["gig"], id="kind-hint", classes="muted")
            yield _field("Title", Input(placeholder="What is it, in a few words?", id="title"), "title")
            yield _field("Description",
                         TextArea(id="description", soft_wrap=True, show_line_numbers=False), "description")
            with Horizontal(classes="field-row"):
                yield _field("Department", Select([], prompt="Your own", allow_blank=True,
                                                  id="department"), "department")
                yield _field("Hours per week", Input("4", type="integer", id="hours"), "hours_per_week")
                yield _field("Seats", Input("1", type="integer", id="seats"), "seats")
            with Horizontal(classes="field-row"):
                yield _field("Starts", Input(placeholder="YYYY-MM-DD, or empty", id="start"), "start")
                yield _field("Ends", Input(placeholder="YYYY-MM-DD, or empty", id="end"), "end")
            with Horizontal(classes="field-row"):
                yield Vertical(Label("Remote", classes="field-label"),
                               Checkbox("Remote is fine", True, id="remote"), classes="field")
                yield _field("Location", Input(placeholder="e.g. Berlin office", id="location"), "location")
            yield SkillPicker("Required skills, with the level needed", catalogue=self.app.market, id="required",
                              classes="field")
            yield SkillPicker("Skills it grows: what a participant will learn", catalogue=self.app.market,
                              default_level=2, id="grows", classes="field")
            yield Static("", id="skills-error", classes="field-error")
            with Vertical(classes="kind-fields for-learning"):
                yield _field("Steps, one per line, in order",
                             TextArea(id="steps", soft_wrap=True, show_line_numbers=False), "steps")
                yield _field("Certification it grants",
                             Input(placeholder="e.g. Cloud Practitioner", id="certification"), "certification")
            with Vertical(classes="kind-fields for-shadowing"):
                yield _field("Host: the username of the person shadowed",
                             Input(placeholder="e.g. eli.brandt", id="host"), "host")
            with Vertical(classes="kind-fields for-mentorship"):
                yield _field("Topics", Input(placeholder="e.g. SQL style, dashboards", id="topics"), "topics")
            with Horizontal(id="post-buttons", classes="buttons"):
                yield Button("Publish (ctrl+o)", id="publish", variant="primary")
                yield Button("Save draft (ctrl+s)", id="save")
                yield Button("Cancel (esc)", id="cancel")
        yield MarketFooter()

    def on_mount(self) -> None:
        self.sub_title = self.app.who_line("editing a posting" if self.editing else "new posting")
        for static in self.query(".field-error"):
            show_error(static, "")
        self._show_kind("gig")
        if self.editing:
            self.query_one("#post-form").loading = True
        else:
            self.query_one("#title", Input).focus()
        self.load()

    # ------------------------------------------------------------------ the form

    def _show_kind(self, kind: str) -> None:
        for fields in self.query(".kind-fields"):
            fields.display = fields.has_class(f"for-{kind}")
        self.query_one("#kind-hint", Static).update(KIND_HINTS.get(kind, ""))

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._show_kind(event.value)

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(SkillPicker.Changed)
    def _field_edited(self, event) -> None:
        """A field's message goes as soon as the field is changed, and the form's summary
        with the last of them."""
        for node in event.control.ancestors_with_self:
            if (field := FIELD_OF_WIDGET.get(f"#{node.id}")) is not None:
                break
        else:
            return
        error = self.query_one(f"#{field}-error", Static)
        if not error.display:
            return
        show_error(error, "")
        for widget in (node, *node.query(".-invalid")):
            widget.remove_class("-invalid")
        if not any(static.display for static in self.query(".field-error") if static.id != "form-error"):
            show_error(self.query_one("#form-error", Static), "")

    def draft(self) -> OpportunityDraft:
        """What the form holds now."""
        kind = self.query_one("#kind", Select).value
        department = self.query_one("#department", Select).value

        def text(selector: str) -> str:
            return self.query_one(selector, Input).value

        required = self.query_one("#required", SkillPicker).value
        grows = self.query_one("#grows", SkillPicker).value
        return OpportunityDraft(
            kind=kind,
            title=text("#title"),
            description=self.query_one("#description", TextArea).text,
            department=department if isinstance(department, str) else None,
            hours_per_week=text("#hours"),
            start=text("#start") or None,
            end=text("#end") or None,
            seats=text("#seats"),
            location=text("#location"),
            remote=self.query_one("#remote", Checkbox).value,
            skills=[(name, level, "required") for name, level in required]
            + [(name, level, "grows") for name, level in grows],
            steps=self.query_one("#steps", TextArea).text.splitlines() if kind == "learning" else [],
            certification=text("#certification") if kind == "learning" else "",
            host=(text("#host") or None) if kind == "shadowing" else None,
            topics=text("#topics") if kind == "mentorship" else "",
            key_role_id=self._key_role_id,
        )

    def _fill(self, draft: OpportunityDraft) -> None:
        def put(selector: str, value) -> None:
            self.query_one(selector, Input).value = "" if value is None else str(value)

        self._key_role_id = draft.key_role_id
        self.query_one("#kind", Select).value = draft.kind
        self._show_kind(draft.kind)
        put("#title", draft.title)
        self.query_one("#description", TextArea).load_text(draft.description)
        if draft.department:
            self.query_one("#department", Select).value = draft.department
        put("#hours", draft.hours_per_week)
        put("#seats", draft.seats)
        put("#start", draft.start)
        put("#end", draft.end)
        self.query_one("#remote", Checkbox).value = draft.remote
        put("#location", draft.location)
        self.query_one("#required", SkillPicker).set_value(
            (name, level) for name, level, role in draft.skills if role == "required")
        self.query_one("#grows", SkillPicker).set_value(
            (name, level) for name, level, role in draft.skills if role == "grows")
        self.query_one("#steps", TextArea).load_text("\n".join(draft.steps))
        put("#certification", draft.certification)
        put("#host", draft.host)
        put("#topics", draft.topics)

    @property
    def unsaved(self) -> bool:
        """Whether the form holds changes not yet saved."""
        return self._baseline is not None and self.draft() != self._baseline

    # ------------------------------------------------------------------ loading

    @work(thread=True, exclusive=True, exit_on_error=False, group="post-load")
    def load(self) -> None:
        market = self.app.market
        departments = market.departments()
        draft = status = None
        if self.opportunity_id is not None:
            draft = market.draft(self.opportunity_id)
            status = market.opportunity(self.opportunity_id).status
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, departments, draft, status)

    def _loaded(self, departments: list[Department], draft: OpportunityDraft | None, status: str | None) -> None:
        select = self.query_one("#department", Select)
        select.set_options((Text(clean_line(d.name)), d.name) for d in departments)
        if draft is None and self.prefill is not None:
            self._fill(self.prefill)
        if draft is not None:
            self.status = status
            self._fill(draft)
            self.query_one("#post-heading", Static).update(
                Text(f"Edit: {clean_line(draft.title)} ({status_label(status, of='opportunity', lower=True)})"))
            self.query_one("#post-form").loading = False
            self.query_one("#title", Input).focus(scroll_visible=False)
        if self.status != OppStatus.DRAFT:
            # An open or closed posting keeps its status; saving only changes it.
            self.query_one("#publish", Button).display = False
            self.query_one("#save", Button).label = "Save changes (ctrl+s)"
            self.query_one("#post-intro", Static).update(
                "Changes show at once to everyone who can see the posting.")
        self.refresh_bindings()
        # Compare with the form as the widgets hold it (after their own normalising).
        self.call_after_refresh(self._set_baseline)

    def _set_baseline(self) -> None:
        self._baseline = self.draft()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save" and parameters == (True,):
            return self.status == OppStatus.DRAFT
        return True

    # ------------------------------------------------------------------ saving

    @on(Button.Pressed, "#publish")
    def _publish_pressed(self) -> None:
        self.action_save(True)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save(False)

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_leave()

    @on(Input.Submitted)
    def _enter_in_a_field(self, event: Input.Submitted) -> None:
        # enter moves on, as tab does (the skill field uses enter itself).
        if not isinstance(event.input, SkillQuery):
            self.focus_next()

    def action_save(self, publish: bool) -> None:
        if self._baseline is None or self.query_one("#post-buttons").loading:
            return  # still loading, or already saving
        if publish and self.status != OppStatus.DRAFT:
            return
        self._show_errors({})
        self.query_one("#post-buttons").loading = True
        self.save(self.draft(), publish)

    @work(thread=True, exclusive=True, exit_on_error=False, group="post-save")
    def save(self, draft: OpportunityDraft, publish: bool) -> None:
        market = self.app.market
        try:
            if self.opportunity_id is None:
                opp = market.post(draft, publish=publish)
            else:
                opp = market.edit(self.opportunity_id, draft)
                if publish and opp.status == OppStatus.DRAFT:
                    opp = market.publish(opp.id)
        except ValidationError as error:
            self.app.call_from_thread(self._show_errors, error.fields)
            return
        self.app.call_from_thread(self._saved, opp, draft)

    def _saved(self, opp: Opportunity, draft: OpportunityDraft) -> None:
        self._baseline = draft
        title = clean_line(opp.title)
        if opp.status == OppStatus.OPEN and self.status == OppStatus.DRAFT:
            message = f"“{title}” is open: everyone can find it and apply."
        elif opp.status == OppStatus.DRAFT:
            message = f"“{title}” is saved as a draft that only you can see. Publish it from My work (o)."
        else:
            message = f"Saved your changes to “{title}”."
        self.app.notify(message, title="Saved", markup=False)
        self.app.open_my_work("postings")

    def _show_errors(self, errors: dict[str, str]) -> None:
        """Put each message under its field (clearing the others) and move to the first."""
        self.query_one("#post-buttons").loading = False
        for static in self.query(".field-error"):
            show_error(static, "")
        for widget in self.query(".-invalid"):
            widget.remove_class("-invalid")
        if not errors:
            return
        first: Widget | None = None
        general = []
        for field, message in errors.items():
            selector = FIELDS.get(field)
            if selector is None:
                general.append(_sentence(message))
                continue
            show_error(self.query_one(f"#{field}-error", Static), _sentence(message))
            widget = self.query_one(selector)
            if isinstance(widget, SkillPicker):
                widget = widget.query_one(SkillQuery)
            widget.add_class("-invalid")
            if first is None or widget.region.y < first.region.y:
                first = widget
        count = len(errors)
        summary = f"Not saved: {count} field{'s' if count > 1 else ''} to fix."
        show_error(self.query_one("#form-error", Static), " ".join([summary, *general]))
        self.app.notify(summary, severity="error", markup=False)
        if first is not None:
            first.focus(scroll_visible=False)
            # Once the messages have taken their room, bring the first field to the top.
            form = self.query_one("#post-form", VerticalScroll)
            self.call_after_refresh(form.scroll_to_widget, first, animate=False, top=True)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "post-save":
            self.query_one("#post-buttons").loading = False
        if worker.group == "post-load" and self.is_current:
            self.app.pop_screen()  # nothing to edit: the user is told why, back where they were

    # ------------------------------------------------------------------ leaving

    def action_leave(self) -> None:
        self.leave()

    def leave(self, then: Callable[[], None] | None = None) -> None:
        """Close the form, asking first when it holds unsaved changes; then call
        `then` (the app's navigation keys and quitting come through here)."""

        def close() -> None:
            self._baseline = None
            if self.is_current:
                self.app.pop_screen()

        leave_asking(self, self.unsaved, close, then, lost="What you changed on this form will be lost.")
