"""Departments, for admins: each with its people, postings, key roles,
sub-departments and the saved searches filtering on it, found with /. ctrl+n adds a
department, e (or enter) changes its name and where it sits (never into a loop), and
j merges it into another, moving everything that names it."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from oppmarket.domain import DepartmentUsage
from oppmarket.render import cell
from oppmarket.screens.admin_taxonomy_dialogs import DepartmentForm
from oppmarket.screens.admin_usage_list import Column, UsageListScreen, count_cell
from oppmarket.text import clean_line


class DepartmentsAdminScreen(UsageListScreen):
    """Every department with what names it (admins)."""

    HELP_NAME = "Departments"
    SUBTITLE = "departments"
    NOUN = "department"
    EMPTY = "No departments yet — add the first with ctrl+n."
    MERGE_AFTER = "Its sub-departments move under it too; then the merged department is gone."

    BINDINGS = [
        Binding("ctrl+n", "add", "Add", id="departments_admin.add", tooltip="Add a department"),
        Binding("e", "edit", "Edit", id="departments_admin.edit",
                tooltip="Rename the highlighted department, or move it under another"),
    ]

    def fetch(self) -> list[DepartmentUsage]:
        return self.app.market.department_usages()

    def name_of(self, item: DepartmentUsage) -> str:
        return item.name

    def texts(self, item: DepartmentUsage) -> tuple[str, ...]:
        return (item.name, item.parent or "")

    def summary(self, items: list[DepartmentUsage]) -> str:
        top = sum(1 for u in items if u.parent is None)
        return f"{len(items)} department{'s' if len(items) != 1 else ''} · {top} at the top · enter: edit"

    def columns(self, wide: bool) -> list[Column]:
        if wide:
            return [("Department", None), ("Sits under", 20), ("People", 6), ("Postings", 8), ("Key roles", 9),
                    ("Sub-depts", 9), ("Searches", 8)]
        return [("Department", None), ("Sits under", 14), ("People", 6), ("Postings", 8), ("Roles", 5)]

    def cells(self, item: DepartmentUsage, wide: bool) -> list[Text]:
        counts = [item.people, item.postings, item.key_roles, *([item.children, item.saved_searches] if wide else [])]
        return [cell(item.name), cell(item.parent or "—"), *(count_cell(n) for n in counts)]

    def detail(self, item: DepartmentUsage) -> Text:
        text = Text(clean_line(item.name), style="bold")
        text.append(f" · under {clean_line(item.parent)}" if item.parent else " · at the top")
        text.append(f"\nNamed by {item.words()}")
        return text

    def usage_words(self, item: DepartmentUsage) -> str:
        return item.words()

    def merge(self, source: str, into: str) -> object:
        return self.app.market.merge_departments(source, into)

    # ------------------------------------------------------------------ changes

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit":
            return self.current is not None or None
        return super().check_action(action, parameters)

    def _saved(self, department: DepartmentUsage | None) -> None:
        if department is not None:
            self.notify(f"Saved the department “{clean_line(department.name)}”.", markup=False)
            self.action_reload(select=department.name)

    def action_add(self) -> None:
        self.app.push_screen(DepartmentForm([u.name for u in self.items]), self._saved)

    def action_edit(self) -> None:
        if self.current is not None:
            self.app.push_screen(DepartmentForm([u.name for u in self.items], self.current), self._saved)

    def on_data_table_row_selected(self) -> None:
        self.action_edit()
