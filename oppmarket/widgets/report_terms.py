"""Changing a report's terms from a list of them: the marketplace time cap (`ctrl+t`) and
the contracted hours a week it is a share of (`h`). The line manager or an admin may;
a cut below what the report already holds is refused next to the field."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from oppmarket import policy
from oppmarket.domain import Profile
from oppmarket.text import clean_line
from oppmarket.widgets.prompt import TextPrompt


def commitments(profile: Profile) -> str:
    """'4 of 8 h/week committed (cap 20% of 40 h)'."""
    person = profile.person
    return (f"{profile.committed_hours} of {person.cap_hours:g} h/week committed "
            f"(cap {person.cap_pct}% of {person.weekly_hours} h)")


class SetsReportTerms:
    """Mixin for a screen (with `OrderedCalls`) listing reports: `action_cap` and
    `action_hours` act on `report_for_terms()`, then `_load` shows the list again."""

    def report_for_terms(self) -> Profile | None:
        """The report whose terms `ctrl+t` and `h` change (None: nobody highlighted)."""
        raise NotImplementedError

    def _load(self) -> None:
        raise NotImplementedError

    def _terms(self, why: str) -> tuple[Profile, str, Text] | None:
        profile = self.report_for_terms()
        if profile is None:
            return None
        name = clean_line(profile.person.display_name)
        return profile, name, Text(f"{name}: {commitments(profile)}. {why}")

    def action_cap(self) -> None:
        if (terms := self._terms("Offers may not take them past the cap: raise it to let more go ahead. "
                                 "It cannot go below what they already hold.")) is None:
            return
        profile, name, text = terms
        person = profile.person
        market = self.app.market
        self.ask_then_reload(
            TextPrompt(f"Time cap of {name}", text, label="New cap, % of their weekly hours (0-100)",
                       confirm="Set cap", value=str(person.cap_pct), integer=True, field="cap_pct",
                       submit=lambda pct: market.set_cap(person.username, pct)),
            lambda pct: f"{name}'s cap is now {int(pct)}% ({policy.cap_hours(person.weekly_hours, int(pct)):g} h/week)")

    def action_hours(self) -> None:
        if (terms := self._terms("Their time cap is a share of their contracted hours, so it moves "
                                 "with them; they are told.")) is None:
            return
        profile, name, text = terms
        person = profile.person
        market = self.app.market

        def done(hours: str) -> str:
            cap = policy.cap_hours(int(hours), person.cap_pct)
            return f"{name} now works {int(hours)} h/week; their cap is {cap:g} h/week"

        self.ask_then_reload(
            TextPrompt(f"Weekly hours of {name}", text, label="Contracted hours a week", confirm="Set hours",
                       value=str(person.weekly_hours), integer=True, field="weekly_hours",
                       submit=lambda hours: market.set_weekly_hours(person.username, hours)),
            done)

    def ask_then_reload(self, prompt: TextPrompt, done: Callable[[str], str]) -> None:
        """Open `prompt`, whose own write does the change; once it is written, say
        `done(what was typed)` and show the list as it now is."""

        def written(text: str | None) -> None:
            if text is not None:
                self.notify(done(text), markup=False)
                self.queue_call(self._load)

        self.app.push_screen(prompt, written)
