"""The dialogs of the key roles screens: an admin's form for a role, the skills it
needs, and the choice of how a bench candidate's gap would be closed."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from oppmarket.capability import Candidate
from oppmarket.domain import RISKS, Department, KeyRole
from oppmarket.errors import ValidationError
from oppmarket.text import clean_line
from oppmarket.widgets.dialog import Dialog, FormDialog, save_buttons, show_error
from oppmarket.widgets.skill_picker import SkillPicker, SkillQuery

ROLE_FIELDS = ("title", "holder", "department", "risk")


class KeyRoleForm(FormDialog[KeyRole | None]):
    """Add a key role (`role` None) or change one's title, holder, department and
    risk; dismisses with the role as saved, or None."""

    BOX = VerticalScroll
    BOX_ID = "key-role-dialog"
    SUBMIT = "#role-save"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="key_role_form.save", tooltip="Save the key role"),
        Binding("escape", "dismiss(None)", "Back", id="key_role_form.back", tooltip="Close without saving"),
    ]

    def __init__(self, departments: list[Department], role: KeyRole | None = None) -> None:
        super().__init__(Text("New key role" if role is None else f"Edit: {clean_line(role.title)}"))
        self.departments = departments
        self.role = role

    def compose_body(self) -> ComposeResult:
        role = self.role
        yield Label("Title", classes="field-label")
        yield Input(role.title if role else "", placeholder="e.g. Head of Payments", id="role-title")
        yield Static("", id="title-error", classes="field-error")
        with Horizontal(classes="field-row"):
            with Vertical(classes="field"):
                yield Label("Holder: a username, or empty", classes="field-label")
                yield Input((role.holder_username or "") if role else "", placeholder="e.g. jane.doe",
                            id="role-holder")
                yield Static("", id="holder-error", classes="field-error")
            with Vertical(classes="field"):
                yield Label("Risk of losing them", classes="field-label")
                yield Select([(r, r) for r in RISKS], value=role.risk if role else "medium", allow_blank=False,
                             id="role-risk")
                yield Static("", id="risk-error", classes="field-error")
        yield Label("Department", classes="field-label")
        names = [d.name for d in self.departments]
        yield Select([(Text(clean_line(name)), name) for name in names], prompt="No department",
                     value=role.department if role and role.department in names else Select.NULL,
                     id="role-department")
        yield Static("", id="department-error", classes="field-error")
        yield Static("", id="role-error", classes="field-error")
        yield save_buttons("role")

    def on_mount(self) -> None:
        for static in self.query(".field-error"):
            show_error(static, "")
        self.query_one("#role-title", Input).focus()

    def action_save(self) -> None:
        for static in self.query(".field-error"):
            show_error(static, "")
        department = self.query_one("#role-department", Select).value
        fields = dict(title=self.query_one("#role-title", Input).value,
                      holder=self.query_one("#role-holder", Input).value.strip() or None,
                      department=department if isinstance(department, str) else None,
                      risk=self.query_one("#role-risk", Select).value)
        market, role = self.app.market, self.role
        if role is None:
            self.send(lambda: market.add_key_role(**fields))
        else:
            self.send(lambda: market.edit_key_role(role.id, **fields))

    def refused(self, error: ValidationError) -> None:
        for field, message in error.fields.items():
            where = field if field in ROLE_FIELDS else "role"
            self.show_field_error(where, message[:1].upper() + message[1:])


class RoleSkillsDialog(FormDialog[KeyRole | None]):
    """The skills a key role needs, each at a level; dismisses with the role as saved."""

    BOX = VerticalScroll
    BOX_ID = "role-skills-dialog"
    SUBMIT = "#skills-save"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="role_skills.save", tooltip="Save the skills this role needs"),
        Binding("escape", "dismiss(None)", "Back", id="role_skills.back", tooltip="Close without saving"),
    ]

    def __init__(self, role: KeyRole) -> None:
        super().__init__(Text(f"Skills {clean_line(role.title)} needs"))
        self.role = role

    def compose_body(self) -> ComposeResult:
        yield Static("Each skill at the level someone must hold to step in: 1 aware … 5 expert. "
                     "The bench is everyone who holds one of them.", classes="dialog-text muted")
        yield SkillPicker("Skill", catalogue=self.app.market, default_level=4, id="role-skills")
        yield Static("", id="skills-error", classes="field-error")
        yield save_buttons("skills")

    def on_mount(self) -> None:
        show_error(self.query_one("#skills-error", Static), "")
        self.query_one(SkillPicker).set_value(self.role.skills)
        self.query_one(SkillQuery).focus()

    def action_save(self) -> None:
        chosen = [(name, level or 4) for name, level in self.query_one(SkillPicker).value]
        market, role_id = self.app.market, self.role.id
        self.send(lambda: market.set_key_role_skills(role_id, chosen))

    def refused(self, error: ValidationError) -> None:
        self.show_field_error("skills", next(iter(error.fields.values()), str(error)))


class GapPostingChoice(Dialog[str | None]):
    """How a candidate's gap would be closed: shadowing the holder or a mentorship
    with them; dismisses with the kind, or None."""

    BOX_ID = "gap-choice-dialog"

    BINDINGS = [
        Binding("s", "choose('shadowing')", "Shadowing", id="gap_choice.shadowing",
                tooltip="Time alongside the holder, to see the work from the inside"),
        Binding("m", "choose('mentorship')", "Mentorship", id="gap_choice.mentorship",
                tooltip="Regular sessions with the holder on the skills to grow"),
        Binding("escape", "dismiss(None)", "Back", id="gap_choice.back", tooltip="Post nothing"),
    ]

    def __init__(self, role: KeyRole, candidate: Candidate) -> None:
        super().__init__(Text("Post for this gap"))
        self.role = role
        self.candidate = candidate

    def compose_body(self) -> ComposeResult:
        holder = clean_line(self.role.holder_name or self.role.holder_username or "")
        gaps = ", ".join(clean_line(g.words()) for g in self.candidate.gaps)
        yield Static(Text(f"Open an opportunity that grows {gaps} toward {clean_line(self.role.title)}, "
                          f"with {holder}. The form opens filled in; you post it, and anyone may apply."),
                     classes="dialog-text")
        with Horizontal(classes="buttons"):
            yield Button("Shadowing (s)", id="gap-shadowing", variant="primary",
                         action="screen.choose('shadowing')")
            yield Button("Mentorship (m)", id="gap-mentorship", action="screen.choose('mentorship')")
            yield Button("Cancel (esc)", id="gap-cancel", action="screen.dismiss(None)")

    def action_choose(self, kind: str) -> None:
        self.dismiss(kind)
