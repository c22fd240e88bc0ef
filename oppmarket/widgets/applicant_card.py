"""One applicant as the owner reviews them: who (unless the review is blind), the
match and its reasons, their skills against the posting's, track record, note, time.

Blind review hides the name, username, email, department and job title (which often
names the team) of everyone not yet offered a seat, and calls them "Applicant N", N
being their rank by match.
"""

from __future__ import annotations

import datetime as dt

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from oppmarket import lifecycle, policy, render
from oppmarket.domain import Application, Opportunity, OppSkill, Profile, ReviewEntry, SkillClaim
from oppmarket.lifecycle import AppStatus
from oppmarket.text import clean, clean_line

A = AppStatus
_PATH = lifecycle.APPLICATION_PATH
# Statuses an application reaches only through an offer: the path from an offer on,
# or a release the manager declined.
_OFFERED_ONWARDS = frozenset(_PATH[_PATH.index(A.OFFERED):]) | {A.RELEASE_DECLINED}

# The match explanation speaks to the applicant ("you want to learn"); the owner reads
# it about them. Only these phrases, which matching writes, are turned around.
_REVIEWER_WORDING = (
    ("which you want to learn", "which they want to learn"),
    ("none is on your learning list", "none is on their learning list"),
    ("fits your ", "fits their "),
    ("you have no time left under your cap", "they have no time left under their cap"),
    ("; you have ", "; they have "),
)


def about_them(text: str) -> str:
    """A match explanation worded for the reviewer."""
    for mine, theirs in _REVIEWER_WORDING:
        text = text.replace(mine, theirs)
    return text


def revealed(application: Application) -> bool:
    """Blind review ends for someone once they have been offered a seat."""
    return application.offered_at is not None or application.status in _OFFERED_ONWARDS


def shown_name(entry: ReviewEntry, rank: int, blind: bool) -> str:
    """The name the screen uses for an applicant: 'Applicant 3' when hidden."""
    if blind and not revealed(entry.application):
        return f"Applicant {rank}"
    return clean_line(entry.profile.person.display_name)


def _claims(profile: Profile) -> dict[object, SkillClaim]:
    found: dict[object, SkillClaim] = {}
    for claim in profile.skills:
        found[claim.skill_id] = claim
        found[claim.skill.casefold()] = claim
    return found


def claim_for(profile: Profile, skill: OppSkill) -> SkillClaim | None:
    claims = _claims(profile)
    return claims.get(skill.skill_id) or claims.get(skill.skill.casefold())


def required_levels(profile: Profile, opp: Opportunity) -> Text:
    """'Python 4/3 · SQL –/2': the applicant's level of each required skill, of the
    level asked; short enough for a table cell."""
    parts = []
    for skill in opp.required:
        claim = claim_for(profile, skill)
        have = str(claim.level) if claim else "–"
        style = "" if claim and claim.level >= skill.level and not claim.stale else "dim"
        parts.append(Text(f"{clean_line(skill.skill)} {have}/{skill.level}", style=style))
    return Text(" · ").join(parts) if parts else Text("no required skills", style="dim")


def _skills_against(profile: Profile, opp: Opportunity) -> Text:
    lines = []
    for skill in opp.required:
        claim = claim_for(profile, skill)
        line = Text.assemble((clean_line(skill.skill), "bold"), f" (asks {skill.level}): ")
        if claim is None:
            line.append("not on their profile", style="dim")
        else:
            line.append(f"level {claim.level}")
            if claim.stale:
                line.append(", stale", style="dim")
            if claim.source != "self":
                line.append(f", {claim.source}", style="dim")
        lines.append(line)
    wanted = {name.casefold() for name in profile.interests}
    for skill in opp.grows:
        claim = claim_for(profile, skill)
        line = Text.assemble((clean_line(skill.skill), "bold"), " (grows): ")
        bits = []
        if claim is not None:
            bits.append(f"level {claim.level}")
        if skill.skill.casefold() in wanted:
            bits.append("wants to learn it")
        line.append(", ".join(bits) if bits else "new to them")
        lines.append(line)
    return Text("\n").join(lines) if lines else Text("the posting lists no skills", style="dim")


def _date(value: dt.datetime | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _status_line(app: Application) -> Text:
    line = render.status(app.status, lower=True, style="bold")
    line.append(f" · applied {_date(app.applied_at)}")
    if app.status == A.OFFERED and app.offer_due:
        line.append(f" · offered {_date(app.offered_at)}, waiting for their answer "
                    f"(lapses on {_date(app.offer_due)})")
    elif app.status == A.ACCEPTED and app.release_due:
        line.append(f" · accepted {_date(app.accepted_at)}, waiting for their manager's release "
                    f"(automatic on {_date(app.release_due)})")
    elif app.status == A.ACTIVE and app.released_at:
        how = "automatically" if app.release_automatic else "by their manager"
        line.append(f" · released {how} on {_date(app.released_at)}")
    elif app.status == A.RELEASE_DECLINED and app.release_reason:
        line.append(" · their manager declined: ")
        line.append(clean_line(app.release_reason))
    elif app.status in (A.DECLINED, A.OFFER_DECLINED) and app.decline_reason:
        line.append(" · reason given: ")
        line.append(clean_line(app.decline_reason))
    elif app.status == A.COMPLETED and app.rating:
        line.append(f" · rated {app.rating}/5")
    return line


def _match_lines(entry: ReviewEntry) -> Text:
    match = entry.match
    lines = [Text(f"{match.score}/100", style="bold")]
    for term in match.terms:
        lines.append(Text.assemble(f"{term.points:>2}/{term.max_points:<2} ", (term.name, "bold"), ": ",
                                   about_them(clean_line(term.detail))))
    if match.raise_hint:
        lines.append(Text(f"would rise most with: {clean_line(match.raise_hint)}", style="dim"))
    return Text("\n").join(lines)


def passes_cap(entry: ReviewEntry) -> bool:
    """An offer of the hours they propose would pass their time cap, so it would be
    refused (they may apply beyond it; an offer holds the time)."""
    app, profile = entry.application, entry.profile
    person = profile.person
    return (app.status in lifecycle.WAITING_STATUSES
            and not policy.fits_cap(profile.committed_hours, app.hours_per_week, person.weekly_hours, person.cap_pct))


def cap_warning(name: str, entry: ReviewEntry) -> Text:
    """What the owner reads before offering a seat the cap would refuse."""
    person = entry.profile.person
    return Text(f"{name} proposes {entry.application.hours_per_week} h/week and has {entry.profile.hours_left:g} "
                f"of {person.cap_hours:g} h/week left under their cap: the offer will be refused unless their "
                "line manager raises the cap first.", style="bold")


def applicant_card(entry: ReviewEntry, opp: Opportunity, rank: int, *, blind: bool) -> Group:
    """Everything the owner weighs about one applicant."""
    person = entry.profile.person
    app = entry.application
    hidden = blind and not revealed(app)
    title = Text(shown_name(entry, rank, blind), style="bold")
    if hidden:
        who = Text("Blind review: name, username, email, department and job title stay hidden "
                   "until you make an offer (ctrl+b shows them).", style="dim")
    else:
        if person.title:
            title.append(f" · {clean_line(person.title)}", style="")
        facts = [clean_line(person.username)]
        if person.email:
            facts.append(clean_line(person.email))
        if person.department:
            facts.append(clean_line(person.department))
        who = Text(" · ".join(facts), style="dim")

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row("Status", _status_line(app))
    profile = entry.profile
    time = Text(f"proposes {app.hours_per_week} h/week · {profile.hours_left:g} of {person.cap_hours:g} h/week "
                f"left under their cap ({person.cap_pct}% of {person.weekly_hours} h)")
    if passes_cap(entry):
        time.append("\nan offer would be refused: it passes their cap unless their line manager raises it",
                    style="bold")
    grid.add_row("Time", time)
    grid.add_row("Match", _match_lines(entry))
    grid.add_row("Skills", _skills_against(profile, opp))
    if entry.completed:
        record = f"{entry.completed} past engagement{'s' if entry.completed != 1 else ''}"
        if entry.mean_rating is not None:
            record += f", mean rating {entry.mean_rating:.1f}/5"
    else:
        record = "no past engagements"
    grid.add_row("Record", Text(record))
    note = clean(app.note).strip()
    grid.add_row("Note", Text(note) if note else Text("no note", style="dim"))
    return Group(title, who, Text(""), grid)


class ApplicantCard(VerticalScroll):
    """The highlighted applicant, in full; scrolls when the note is long."""

    DEFAULT_CSS = """
    ApplicantCard {
        padding: 0 1;
    }
    ApplicantCard > Static {
        width: 1fr;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static(Text("Nobody selected.", style="dim"), id="applicant-card")

    def show(self, entry: ReviewEntry | None, opp: Opportunity | None, rank: int, *, blind: bool) -> None:
        card = self.query_one("#applicant-card", Static)
        if entry is None or opp is None:
            card.update(Text("Nobody selected.", style="dim"))
        else:
            card.update(applicant_card(entry, opp, rank, blind=blind))
