"""The skills taxonomy, for admins: every skill with where it is used (claims,
interests, postings, endorsements, key roles, aliases), found with /. ctrl+n adds a
skill, e renames one (the old name stays as an alias), enter shows its usage and
aliases to add or remove, j merges it into another with every use moved, x retires
it (no longer offered, kept on history) and y offers it again."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from oppmarket.domain import SkillInfo, SkillUsage
from oppmarket.render import cell
from oppmarket.screens.admin_taxonomy_dialogs import SkillAliases, SkillForm
from oppmarket.screens.admin_usage_list import Column, UsageListScreen, count_cell
from oppmarket.text import clean_line
from oppmarket.widgets.confirm import ConfirmDialog


class SkillsAdminScreen(UsageListScreen):
    """The skills taxonomy with each skill's usage (admins)."""

    HELP_NAME = "Skills taxonomy"
    SUBTITLE = "skills taxonomy"
    NOUN = "skill"
    EMPTY = "No skills yet — add the first with ctrl+n, or import a taxonomy (`oppmarket import skills`)."
    MERGE_AFTER = "Its name and aliases become aliases of the skill it merges into, so searches still find it."

    BINDINGS = [
        Binding("ctrl+n", "add", "Add", id="skills_admin.add", tooltip="Add a skill to the taxonomy"),
        Binding("e", "rename", "Rename", id="skills_admin.rename",
                tooltip="Rename the highlighted skill; its old name stays as an alias"),
        Binding("x", "retire", "Retire", id="skills_admin.retire",
                tooltip="Stop offering the highlighted skill; it stays where it is used (asks first)"),
        Binding("y", "unretire", "Unretire", id="skills_admin.unretire",
                tooltip="Offer the highlighted retired skill again"),
    ]

    def fetch(self) -> list[SkillUsage]:
        return self.app.market.skill_usages()

    def name_of(self, item: SkillUsage) -> str:
        return item.skill.name

    def texts(self, item: SkillUsage) -> tuple[str, ...]:
        return (item.skill.name, item.skill.category, *item.skill.aliases)

    def summary(self, items: list[SkillUsage]) -> str:
        retired = sum(1 for u in items if u.skill.retired)
        unused = sum(1 for u in items if not u.total - u.aliases)
        return (f"{len(items)} skill{'s' if len(items) != 1 else ''} · {retired} retired · {unused} used nowhere"
                " · enter: usage and aliases")

    def columns(self, wide: bool) -> list[Column]:
        if wide:
            return [("Skill", None), ("Category", 14), ("Claims", 6), ("Interests", 9), ("Postings", 8),
                    ("Endorsed", 8), ("Roles", 5), ("Aliases", 7), ("State", 7)]
        return [("Skill", None), ("Claims", 6), ("Postings", 8), ("Roles", 5), ("Aliases", 7), ("State", 7)]

    def cells(self, item: SkillUsage, wide: bool) -> list[Text]:
        state = Text("retired", style="bold") if item.skill.retired else Text("")
        if wide:
            return [cell(item.skill.name), cell(item.skill.category), count_cell(item.claims), count_cell(item.interests),
                    count_cell(item.postings), count_cell(item.endorsements), count_cell(item.key_roles),
                    count_cell(item.aliases), state]
        return [cell(item.skill.name), count_cell(item.claims), count_cell(item.postings), count_cell(item.key_roles),
                count_cell(item.aliases), state]

    def detail(self, item: SkillUsage) -> Text:
        skill = item.skill
        text = Text(clean_line(skill.name), style="bold")
        text.append(f" · {clean_line(skill.category)}")
        if skill.aliases:
            text.append(" · also " + ", ".join(clean_line(a) for a in skill.aliases))
        if skill.retired:
            text.append(" · retired: no longer offered", style="bold")
        text.append(f"\nUsed by {item.words()}")
        return text

    def usage_words(self, item: SkillUsage) -> str:
        return item.words()

    def merge_choices(self, item: SkillUsage) -> list[tuple[str, str]]:
        return [(u.skill.name + (f" ({', '.join(u.skill.aliases)})" if u.skill.aliases else ""), u.skill.name)
                for u in self.items if u.skill.id != item.skill.id and not u.skill.retired]

    def merge(self, source: str, into: str) -> object:
        return self.app.market.merge_skills(source, into)

    # ------------------------------------------------------------------ changes

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        current = self.current
        if action in ("rename", "retire", "unretire"):
            if current is None:
                return None
            if action == "retire":
                return not current.skill.retired or None
            if action == "unretire":
                return current.skill.retired or None
        return super().check_action(action, parameters)

    def _saved(self, skill: SkillInfo | None) -> None:
        if skill is not None:
            self.notify(f"Saved the skill “{clean_line(skill.name)}”.", markup=False)
            self.action_reload(select=skill.name)

    def action_add(self) -> None:
        self.app.push_screen(SkillForm(), self._saved)

    def action_rename(self) -> None:
        if self.current is not None:
            self.app.push_screen(SkillForm(self.current.skill), self._saved)

    def on_data_table_row_selected(self) -> None:
        if self.current is not None:
            self.app.push_screen(SkillAliases(self.current), self._saved)

    def action_retire(self) -> None:
        current = self.current
        if current is None or current.skill.retired:
            return
        name = current.skill.name
        kept = f"It stays on {current.words()}." if current.total else "Nothing uses it yet."

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda: self.app.market.retire_skill(name), lambda _: self._changed(f"Retired “{name}”."))

        self.app.push_screen(ConfirmDialog(
            f"Retire the skill “{clean_line(name)}”?",
            f"Pickers, search, new claims, interests and postings will no longer offer it. {kept}",
            yes="Retire", no="Keep"), answered)

    def action_unretire(self) -> None:
        current = self.current
        if current is not None and current.skill.retired:
            name = current.skill.name
            self.write(lambda: self.app.market.unretire_skill(name),
                       lambda _: self._changed(f"“{name}” is offered again."))

    def _changed(self, words: str) -> None:
        self.notify(clean_line(words), markup=False)
        self.action_reload()
