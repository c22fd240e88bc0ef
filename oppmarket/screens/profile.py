"""My profile: the skills I have (level, where it came from, when last confirmed),
the skills I want to grow, and my time for the marketplace (shown, not edited here:
the line manager or an admin sets contracted hours and the cap)."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, get_current_worker

from oppmarket.domain import LEVEL_MEANINGS, Profile, SkillClaim
from oppmarket.render import cell, level_name
from oppmarket.screens.base import ListScreen
from oppmarket.screens.where import WhereDialog, where_line
from oppmarket.text import clean_line
from oppmarket.widgets.confirm import ConfirmDialog
from oppmarket.widgets.dialog import Dialog, save_buttons
from oppmarket.widgets.footer import MarketFooter
from oppmarket.widgets.skill_picker import SkillPicker, SkillQuery

SOURCES = {
    "self": "you said so",
    "endorsed": "endorsed",
    "certified": "certified",
}
NO_SKILLS = ("No skills yet. Press ctrl+n to add the skills you have, each at a level from 1 (aware) "
             "to 5 (expert). Owners endorse the skills you use in their opportunities, which "
             "confirms and raises them.")


def time_line(profile: Profile) -> Text:
    """The person's time, and who sets it: the cap is a share of the contracted hours,
    so those are not the person's to change."""
    person = profile.person
    who = (f"Your line manager ({clean_line(person.manager_username)}) or an admin" if person.manager_username
           else "Your line manager or an admin")
    return Text.assemble(
        ("Time  ", "bold"),
        f"{person.weekly_hours} h/week of work · marketplace cap {person.cap_pct}% = {person.cap_hours:g} h/week · ",
        (f"{profile.committed_hours} h/week committed", "bold"),
        f" · {profile.hours_left:g} h/week left",
        (f"\n      {who} sets your contracted hours and cap.", "dim"),
    )


def interests_line(profile: Profile) -> Text:
    line = Text("Wants to grow  ", style="bold")
    if profile.interests:
        line.append(", ".join(clean_line(name) for name in profile.interests))
    else:
        line.append("nothing named yet: press g to name skills you want to learn; matching favours "
                    "opportunities that grow them", style="dim")
    return line


def invitations_line(profile: Profile) -> Text:
    line = Text("Invitations    ", style="bold")
    if profile.person.open_to_invitations:
        line.append("open: owners of postings you match may invite you to apply (n closes)")
    else:
        line.append("closed: press n to let owners of postings you match invite you to apply", style="dim")
    return line


class SkillTable(DataTable):
    """The skills of a profile; enter chooses the highlighted one's level."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Choose level", id="skills.level",
                tooltip="Choose the highlighted skill's level from the five, with their meanings"),
    ]


# ---------------------------------------------------------------------- dialogs


class AddSkillsDialog(Dialog[list[tuple[str, int]] | None]):
    """Pick skills you have, each with a level; returns them, or None."""

    BOX = VerticalScroll
    BOX_ID = "add-skills-dialog"
    HEADING = "Add skills you have"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="add_skills.save", tooltip="Add the chosen skills to your profile"),
        Binding("escape", "dismiss(None)", "Back", id="add_skills.back", tooltip="Close without adding"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("Each starts at level 3, practitioner; set its level from 1 (aware) to 5 (expert) "
                     "in the list.", classes="dialog-text muted")
        yield SkillPicker("Skill", catalogue=self.app.market, id="new-skills")
        yield save_buttons("add")

    def on_mount(self) -> None:
        self.query_one(SkillQuery).focus()

    def action_save(self) -> None:
        chosen = self.query_one(SkillPicker).value
        self.dismiss([(name, level or 3) for name, level in chosen] or None)


class LevelDialog(Dialog[int | None]):
    """Choose a level 1-5 for one skill, each shown with its meaning."""

    BOX_ID = "level-dialog"

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="level.back", tooltip="Keep the level as it is"),
    ]

    def __init__(self, skill: str, level: int) -> None:
        super().__init__(Text(f"Your level in {clean_line(skill)}"))
        self.level = level

    def compose_body(self) -> ComposeResult:
        yield OptionList(*(Option(Text.assemble((f"{n}  ", "bold"), LEVEL_MEANINGS[n]), id=str(n))
                           for n in range(1, 6)), id="levels")
        yield Static("↑↓ move · enter choose (the same level confirms it as current) · esc back",
                     classes="dialog-hint")

    def on_mount(self) -> None:
        levels = self.query_one("#levels", OptionList)
        levels.highlighted = self.level - 1
        levels.focus()

    @on(OptionList.OptionSelected, "#levels")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))


class InterestsDialog(Dialog[list[str] | None]):
    """The skills you want to grow; returns the new list, or None."""

    BOX = VerticalScroll
    BOX_ID = "interests-dialog"
    HEADING = "Skills you want to grow"

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="interests.save", tooltip="Keep this list"),
        Binding("escape", "dismiss(None)", "Back", id="interests.back", tooltip="Close without changing"),
    ]

    def __init__(self, interests: tuple[str, ...]) -> None:
        super().__init__()
        self.interests = interests

    def compose_body(self) -> ComposeResult:
        yield Static("Matching favours opportunities that grow these.", classes="dialog-text muted")
        yield SkillPicker("Skill", catalogue=self.app.market, levels=False, id="interests")
        yield save_buttons("interests")

    def on_mount(self) -> None:
        self.query_one(SkillPicker).set_value((name, None) for name in self.interests)
        self.query_one(SkillQuery).focus()

    def action_save(self) -> None:
        self.dismiss([name for name, _ in self.query_one(SkillPicker).value])


# ---------------------------------------------------------------------- the screen


class ProfileScreen(ListScreen):
    """My skills, interests and time."""

    HELP_NAME = "Profile"
    SUBTITLE = "profile"
    TABLE = "#skills"

    # Left out of the footer on a narrow terminal (help lists them).
    FOOTER_WIDE_ONLY = frozenset({"skills.level", "profile.level1", "profile.invitations"})

    BINDINGS = [
        Binding("ctrl+n", "add_skills", "Add skill", id="profile.add", tooltip="Add skills you have, with levels"),
        Binding("1", "set_level(1)", "Set level", key_display="1-5", id="profile.level1",
                tooltip="Set the highlighted skill's level: 1 aware … 5 expert"),
        *(Binding(str(n), f"set_level({n})", f"Level {n}", show=False, id=f"profile.level{n}",
                  tooltip=LEVEL_MEANINGS[n]) for n in range(2, 6)),
        Binding("y", "confirm_skill", "Confirm", id="profile.confirm",
                tooltip="Confirm the highlighted skill is current (a stale skill counts a level lower)"),
        Binding("x", "remove_skill", "Remove", id="profile.remove",
                tooltip="Take the highlighted skill off your profile (asks first)"),
        Binding("g", "interests", "Interests", id="profile.interests", tooltip="The skills you want to grow"),
        Binding("e", "where", "Where", id="profile.where",
                tooltip="Edit your location, remote preference and weekly digest"),
        Binding("n", "invitations", "Invitations", id="profile.invitations",
                tooltip="Open or close yourself to invitations to apply from owners of postings you match"),
        Binding("f5", "reload", "Reload", id="profile.reload", tooltip="Fetch your profile again"),
        Binding("escape", "app.go('browse')", "Back", id="profile.back", tooltip="Back to browse"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.profile: Profile | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="profile"):
            yield Static("", id="profile-who", classes="screen-title")
            yield Static("", id="profile-time")
            yield Static("", id="profile-interests")
            yield Static("", id="profile-where")
            yield Static("", id="profile-invitations")
            yield SkillTable(id="skills", cursor_type="row", zebra_stripes=True)
            yield Static("", id="skill-meaning")
            yield Static(NO_SKILLS, id="no-skills")
        yield MarketFooter()

    @property
    def claim(self) -> SkillClaim | None:
        if self.profile is None or not self.table.row_count:
            return None
        row = self.table.cursor_row
        return self.profile.skills[row] if 0 <= row < len(self.profile.skills) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("set_level", "confirm_skill", "remove_skill") and self.claim is None:
            return None
        return True

    # ------------------------------------------------------------------ loading

    def action_reload(self) -> None:
        self.query_one("#profile").loading = self.profile is None
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="profile")
    def load(self) -> None:
        profile = self.app.market.profile()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, profile)

    def _show(self, profile: Profile, focus_skill: str | None = None) -> None:
        previous = focus_skill or (self.claim.skill if self.claim else None)
        self.profile = profile
        self.query_one("#profile").loading = False
        person = profile.person
        who = " · ".join(clean_line(x) for x in (person.title, person.department or "") if x)
        manager = f" · manager {clean_line(person.manager_username)}" if person.manager_username else ""
        self.query_one("#profile-who", Static).update(
            Text(f"{clean_line(person.display_name)} ({clean_line(person.username)})"
                 + (f" · {who}" if who else "") + manager))
        self.query_one("#profile-time", Static).update(time_line(profile))
        self.query_one("#profile-interests", Static).update(interests_line(profile))
        self.query_one("#profile-where", Static).update(where_line(person))
        self.query_one("#profile-invitations", Static).update(invitations_line(profile))
        self._fill(previous)

    def on_resize(self) -> None:
        if self.profile is not None:
            self._fill(self.claim.skill if self.claim else None)

    def _fill(self, focus_skill: str | None) -> None:
        table = self.table
        table.clear(columns=True)
        width = self.size.width or 80
        wide = width >= 100
        # A wide screen has room for each level's meaning; a narrow one names the level.
        columns = [("Level", 48 if wide else 15), ("Source", 11), ("Confirmed", 16)]
        skill_width = max(14, width - sum(w for _, w in columns) - 2 * (len(columns) + 1) - 4)
        table.add_column("Skill", width=skill_width)
        for label, column_width in columns:
            table.add_column(label, width=column_width)
        for claim in self.profile.skills:
            meaning = LEVEL_MEANINGS.get(claim.level, "") if wide else level_name(claim.level)
            level = Text.assemble((str(claim.level), "bold"), " ", (meaning, "dim"))
            level.no_wrap, level.overflow = True, "ellipsis"
            confirmed = Text(f"{claim.confirmed_at:%Y-%m-%d}")
            if claim.stale:
                confirmed.append(" stale", style="bold reverse")
            table.add_row(cell(claim.skill), level, Text(SOURCES.get(claim.source, claim.source)), confirmed,
                          key=str(claim.skill_id))
        names = [c.skill for c in self.profile.skills]
        if names:
            table.move_cursor(row=names.index(focus_skill) if focus_skill in names else 0, scroll=True)
        self.set_class(not names, "-empty")
        table.focus()
        self.follow_cursor()

    def show_highlighted(self) -> None:
        """The highlighted skill in a sentence: its level's meaning, and whether it is stale."""
        claim = self.claim
        line = Text()
        if claim is not None:
            line.append(clean_line(claim.skill), style="bold")
            line.append(f" {claim.level} · {LEVEL_MEANINGS.get(claim.level, '')} · "
                        f"{SOURCES.get(claim.source, claim.source)}")
            if claim.evidence_count:
                line.append(f" ({claim.evidence_count} endorsement{'s' if claim.evidence_count > 1 else ''})")
            line.append(f" · confirmed {claim.confirmed_at:%Y-%m-%d}")
            if claim.stale:
                line.append("\nStale: unconfirmed for over a year, so matching counts it a level lower. "
                            "Press y if it is still true.", style="bold")
        self.query_one("#skill-meaning", Static).update(line)

    # ------------------------------------------------------------------ skills

    def action_add_skills(self) -> None:
        def added(skills: list[tuple[str, int]] | None) -> None:
            if skills:
                self.change("add", skills)

        self.app.push_screen(AddSkillsDialog(), added)

    def action_change_level(self) -> None:
        claim = self.claim
        if claim is None:
            return

        def chosen(level: int | None) -> None:
            if level is not None:
                self.change("level", [(claim.skill, level)])

        self.app.push_screen(LevelDialog(claim.skill, claim.level), chosen)

    @on(DataTable.RowSelected, "#skills")
    def _selected(self) -> None:
        self.action_change_level()

    def action_set_level(self, level: int) -> None:
        if (claim := self.claim) is not None:
            self.change("level", [(claim.skill, level)])

    def action_confirm_skill(self) -> None:
        if (claim := self.claim) is not None:
            self.change("level", [(claim.skill, claim.level)])

    def action_remove_skill(self) -> None:
        claim = self.claim
        if claim is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.change("remove", [(claim.skill, claim.level)])

        source = " Its endorsements go with it." if claim.source != "self" else ""
        self.app.push_screen(ConfirmDialog(
            f"Remove {clean_line(claim.skill)} from your profile?",
            f"You can add it again later.{source}", yes="Remove", no="Keep it"), answered)

    def action_interests(self) -> None:
        if self.profile is None:
            return

        def chosen(names: list[str] | None) -> None:
            if names is not None:
                self.change("interests", [(name, 0) for name in names])

        self.app.push_screen(InterestsDialog(self.profile.interests), chosen)

    def action_where(self) -> None:
        if self.profile is None:
            return

        def saved(person) -> None:
            if person is not None:
                self.app.notify("Saved where you work.", markup=False)
                self.load()

        self.app.push_screen(WhereDialog(self.profile.person), saved)

    def action_invitations(self) -> None:
        if self.profile is not None:
            self.change("invitations", [])

    @work(thread=True, exclusive=True, exit_on_error=False, group="profile-change")
    def change(self, what: str, skills: list[tuple[str, int]]) -> None:
        market = self.app.market
        if what == "invitations":
            opened = market.set_open_to_invitations(not self.profile.person.open_to_invitations).open_to_invitations
            message = ("You are open to invitations to apply." if opened
                       else "You are closed to invitations; none come to you now.")
        elif what == "interests":
            market.set_interests([name for name, _ in skills])
            message = "Saved the skills you want to grow."
        elif what == "remove":
            market.remove_skill(skills[0][0])
            message = f"Removed {clean_line(skills[0][0])}."
        else:
            for name, level in skills:
                market.set_skill(name, level)
            names = ", ".join(clean_line(name) for name, _ in skills)
            message = f"Saved {names}: confirmed today." if what == "level" else f"Added {names}."
        profile = market.profile()
        if not get_current_worker().is_cancelled:
            focus = skills[0][0] if what in ("add", "level") else None
            self.app.call_from_thread(self._changed, message, profile, focus)

    def _changed(self, message: str, profile: Profile, focus: str | None) -> None:
        self.app.notify(message, markup=False)
        self._show(profile, focus)

    def worker_failed(self, worker: Worker, error: BaseException) -> None:
        if worker.group == "profile":
            self.query_one("#profile").loading = False
