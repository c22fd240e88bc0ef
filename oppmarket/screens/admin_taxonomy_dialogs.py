"""The dialogs of the departments and skills admin screens: a department's name and
parent, a skill's name (and category when it is new), a skill's usage with its
aliases to add and remove, and a fuzzy picker of what to merge into."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from oppmarket.domain import DepartmentUsage, SkillInfo, SkillUsage
from oppmarket.errors import ValidationError
from oppmarket.text import clean_line
from oppmarket.widgets.confirm import ConfirmDialog
from oppmarket.widgets.dialog import Dialog, FormDialog, save_buttons, show_error
from oppmarket.widgets.skill_picker import SkillQuery

PICKS = 8


def said(message: str) -> str:
    return message[:1].upper() + message[1:]


class DepartmentForm(FormDialog[DepartmentUsage | None]):
    """Add a department (`department` None) or change one's name and parent in one
    write; dismisses with the department as saved, or None."""

    BOX_ID = "department-dialog"
    SUBMIT = "#department-save"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="department_form.save", tooltip="Save the department"),
        Binding("escape", "dismiss(None)", "Back", id="department_form.back", tooltip="Close without saving"),
    ]

    def __init__(self, names: Sequence[str], department: DepartmentUsage | None = None) -> None:
        super().__init__(Text("New department" if department is None else f"Edit: {clean_line(department.name)}"))
        self.names = [n for n in names if department is None or n != department.name]
        self.department = department

    def compose_body(self) -> ComposeResult:
        department = self.department
        yield Label("Name", classes="field-label")
        yield Input(department.name if department else "", placeholder="e.g. Platform", id="department-name")
        yield Static("", id="name-error", classes="field-error")
        yield Label("Sits under", classes="field-label")
        parent = department.parent if department and department.parent in self.names else Select.NULL
        yield Select([(Text(clean_line(n)), n) for n in self.names], prompt="No department (at the top)",
                     value=parent, id="department-parent")
        yield Static("", id="parent-error", classes="field-error")
        yield save_buttons("department")

    def on_mount(self) -> None:
        for static in self.query(".field-error"):
            show_error(static, "")
        self.query_one("#department-name", Input).focus()

    def action_save(self) -> None:
        for static in self.query(".field-error"):
            show_error(static, "")
        name = self.query_one("#department-name", Input).value
        value = self.query_one("#department-parent", Select).value
        parent = value if isinstance(value, str) else None
        market, department = self.app.market, self.department
        if department is None:
            self.send(lambda: market.add_department(name, parent=parent))
        else:
            self.send(lambda: market.edit_department(department.name, name=name, parent=parent))

    def refused(self, error: ValidationError) -> None:
        for field, message in error.fields.items():
            self.show_field_error("parent" if field == "parent" else "name", said(message))


class SkillForm(FormDialog[SkillInfo | None]):
    """Add a skill (`skill` None: a name and a category) or rename one (the old name
    stays as an alias); dismisses with the skill as saved, or None."""

    BOX_ID = "skill-dialog"
    SUBMIT = "#skill-save"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="skill_form.save", tooltip="Save the skill"),
        Binding("escape", "dismiss(None)", "Back", id="skill_form.back", tooltip="Close without saving"),
    ]

    def __init__(self, skill: SkillInfo | None = None) -> None:
        super().__init__(Text("New skill" if skill is None else f"Rename: {clean_line(skill.name)}"))
        self.skill = skill

    def compose_body(self) -> ComposeResult:
        if self.skill is not None:
            yield Static(Text(f"“{clean_line(self.skill.name)}” stays as an alias, so searches still find it."),
                         classes="dialog-text muted")
        yield Label("Name", classes="field-label")
        yield Input(self.skill.name if self.skill else "", placeholder="e.g. Kubernetes", id="skill-name")
        yield Static("", id="name-error", classes="field-error")
        if self.skill is None:
            yield Label("Category", classes="field-label")
            yield Input("", placeholder="e.g. Platform", id="skill-category")
            yield Static("", id="category-error", classes="field-error")
        yield save_buttons("skill")

    def on_mount(self) -> None:
        for static in self.query(".field-error"):
            show_error(static, "")
        self.query_one("#skill-name", Input).focus()

    def action_save(self) -> None:
        for static in self.query(".field-error"):
            show_error(static, "")
        name = self.query_one("#skill-name", Input).value
        market, skill = self.app.market, self.skill
        if skill is None:
            category = self.query_one("#skill-category", Input).value
            self.send(lambda: market.add_skill(name, category=category))
        else:
            self.send(lambda: market.rename_skill(skill.name, name))

    def refused(self, error: ValidationError) -> None:
        for field, message in error.fields.items():
            self.show_field_error("category" if field == "category" and self.skill is None else "name",
                                  said(message))


class SkillAliases(FormDialog[SkillInfo | None]):
    """One skill's usage and its aliases: ctrl+n adds the one typed, x removes the
    highlighted one (asking first). Dismisses with the skill as it is now when
    anything changed, or None."""

    BOX_ID = "aliases-dialog"
    SUBMIT = None

    BINDINGS = [
        Binding("ctrl+n", "add", "Add alias", id="skill_aliases.add", tooltip="Add the alias typed above"),
        Binding("x", "remove", "Remove alias", id="skill_aliases.remove",
                tooltip="Stop finding the skill by the highlighted alias (asks first)"),
        Binding("escape", "close", "Back", id="skill_aliases.back", tooltip="Back to the skills"),
    ]

    def __init__(self, usage: SkillUsage) -> None:
        super().__init__(Text(f"{clean_line(usage.skill.name)}: usage and aliases"))
        self.usage = usage
        self.skill = usage.skill
        self.changed = False

    def compose_body(self) -> ComposeResult:
        state = " It is retired: no longer offered." if self.skill.retired else ""
        yield Static(Text(f"Used by {self.usage.words()}.{state}"), id="aliases-usage", classes="dialog-text")
        yield OptionList(id="aliases-list")
        yield Static("", id="aliases-none", classes="muted")
        yield Input("", placeholder="A new alias, e.g. k8s — then ctrl+n", id="alias-new")
        yield Static("", id="alias-error", classes="field-error")
        yield Static("tab: between the aliases and a new one · ctrl+n add · x remove · esc back",
                     classes="dialog-hint")

    def on_mount(self) -> None:
        show_error(self.query_one("#alias-error", Static), "")
        self._fill()
        self.query_one("#aliases-list" if self.skill.aliases else "#alias-new").focus()

    def _fill(self) -> None:
        options = self.query_one("#aliases-list", OptionList)
        options.clear_options()
        options.add_options(Option(Text(clean_line(alias)), id=str(i)) for i, alias in enumerate(self.skill.aliases))
        options.display = bool(self.skill.aliases)
        self.query_one("#aliases-none", Static).update("No aliases yet." if not self.skill.aliases else "")
        if self.skill.aliases:
            options.highlighted = 0

    def action_add(self) -> None:
        show_error(self.query_one("#alias-error", Static), "")
        alias, market, name = self.query_one("#alias-new", Input).value, self.app.market, self.skill.name
        self.send(lambda: market.add_skill_alias(name, alias))

    def action_remove(self) -> None:
        highlighted = self.query_one("#aliases-list", OptionList).highlighted
        if not self.skill.aliases or highlighted is None:
            return
        alias, market = self.skill.aliases[highlighted], self.app.market

        def answered(yes: bool | None) -> None:
            if yes:
                self.send(lambda: market.remove_skill_alias(alias))

        self.app.push_screen(ConfirmDialog(
            f"Remove the alias “{clean_line(alias)}”?",
            f"Searches for it will no longer find {clean_line(self.skill.name)}.", yes="Remove", no="Keep"), answered)

    def sent(self, result: object) -> None:
        assert isinstance(result, SkillInfo)
        self.skill, self.changed = result, True
        self.query_one("#alias-new", Input).value = ""
        self._fill()

    def refused(self, error: ValidationError) -> None:
        self.show_field_error("alias", said(next(iter(error.fields.values()), str(error))))

    def action_close(self) -> None:
        self.dismiss(self.skill if self.changed else None)


class MergeTargetPicker(Dialog[str | None]):
    """Pick, by typing a few letters (typos welcome), what to merge into among
    `choices` ((label, name): the label may show aliases too); returns the name."""

    BOX_ID = "merge-pick-dialog"

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="merge_pick.back", tooltip="Merge nothing"),
    ]

    def __init__(self, heading: str, choices: Sequence[tuple[str, str]]) -> None:
        super().__init__(Text(heading))
        self.choices = list(choices)
        self.shown: list[tuple[str, str]] = []

    def compose_body(self) -> ComposeResult:
        yield SkillQuery(placeholder="Type to find what to merge into", id="merge-query")
        yield OptionList(id="merge-hits")
        yield Static("Type to find · ↑↓ choose · enter pick · esc back", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(SkillQuery).focus()
        self.look_up("")

    @on(Input.Changed, "#merge-query")
    def _typed(self, event: Input.Changed) -> None:
        self.look_up(event.value.strip())

    def look_up(self, query: str) -> None:
        """Offer the closest choices (all of the first few for an empty query): an
        in-memory list of names, so no worker is needed."""
        if query:
            labels = [label for label, _ in self.choices]
            found = process.extract(query, labels, scorer=fuzz.WRatio, processor=str.casefold, limit=PICKS,
                                    score_cutoff=50)
            self.shown = [self.choices[index] for _, _, index in found]
        else:
            self.shown = self.choices[:PICKS]
        options = self.query_one("#merge-hits", OptionList)
        options.clear_options()
        options.add_options(Option(Text(clean_line(label)), id=str(i)) for i, (label, _) in enumerate(self.shown))
        if self.shown:
            options.highlighted = 0

    @on(SkillQuery.Step)
    def _step(self, event: SkillQuery.Step) -> None:
        options = self.query_one("#merge-hits", OptionList)
        if self.shown:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(len(self.shown) - 1, current + event.step))

    @on(Input.Submitted, "#merge-query")
    def _submitted(self) -> None:
        highlighted = self.query_one("#merge-hits", OptionList).highlighted
        if self.shown:
            self.dismiss(self.shown[highlighted or 0][1])

    @on(OptionList.OptionSelected, "#merge-hits")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[int(event.option.id)][1])
