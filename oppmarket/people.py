"""The people of the marketplace as admins run them: finding someone by a few letters
of their name, username, title or department, and what deactivating someone would
undo, decided before anything is written. Pure: no database, no UI."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import EllipsisType

from oppmarket.domain import Person
from oppmarket.vocabulary import near_words, words

PREFIX_SIM = 0.9  # "fra" completing to "francesca": as the opportunity search counts a completion


@dataclass(frozen=True)
class PersonEntry:
    """One person as the people list shows them: their record, their manager's name,
    and how many people report to them (inactive ones aside)."""

    person: Person
    manager_name: str | None
    reports: int


def _person_words(person: Person) -> list[str]:
    return sorted(set(words(" ".join((person.username, person.display_name, person.title,
                                      person.department or "", person.email.split("@")[0])))))


def match_score(person: Person, query: str) -> float:
    """How well `query` names `person`, 0 when some word of it names nothing of theirs:
    each query word earns its best match among their words (itself 1, a completion
    0.9, a near spelling its similarity), as the skill and opportunity search does."""
    asked = words(query)
    if not asked:
        return 1.0
    vocab = _person_words(person)
    total = 0.0
    for word in asked:
        near, completions = near_words(word, vocab, 1)
        best = max([*near.values(), PREFIX_SIM if completions else 0.0])
        if not best:
            return 0.0
        total += best
    return total / len(asked)


def find(entries: Iterable[PersonEntry], query: str) -> list[PersonEntry]:
    """The entries `query` names, best first; all of them, by name, for an empty query."""
    scored = [(match_score(e.person, query), e) for e in entries]
    found = [(score, e) for score, e in scored if score > 0]
    found.sort(key=lambda se: (-se[0], se[1].person.display_name.casefold(), se[1].person.username))
    return [e for _, e in found]


@dataclass(frozen=True)
class PlannedApplication:
    """An application or engagement of the person to be deactivated."""

    id: int
    opportunity_id: int
    title: str
    status: str
    owner_username: str


@dataclass(frozen=True)
class PlannedPosting:
    """A posting the person owns (or hosts) that is not over yet."""

    id: int
    title: str
    status: str
    owner_username: str
    live_applications: int


@dataclass(frozen=True)
class DeactivationPlan:
    """What deactivating `person` does, for the admin to decide before it happens:
    `applications` not yet started are withdrawn (each owner told); `engagements`
    under way stay for their owner to complete, who is told; each of `postings`
    needs a new owner or is cancelled with a reason; `hosted` postings' owners are
    told to find another host; `reports` need a new manager (or none). `refusal`
    says why it may not happen at all (the last admin, or oneself)."""

    person: Person
    applications: tuple[PlannedApplication, ...]
    engagements: tuple[PlannedApplication, ...]
    postings: tuple[PlannedPosting, ...]
    hosted: tuple[PlannedPosting, ...]
    reports: tuple[tuple[str, str], ...]  # (username, display name)
    refusal: str | None = None

    def missing(self, new_owners: Mapping[int, str | None], cancel_reason: str,
                reports_to: str | None | EllipsisType) -> dict[str, str]:
        """Each decision still to be made, by the field it belongs to; empty when none."""
        problems: dict[str, str] = {}
        undecided = [p for p in self.postings if p.id not in new_owners]
        if undecided:
            problems["new_owners"] = "give each open posting a new owner or cancel it: " + ", ".join(
                f"{p.id} '{p.title}'" for p in undecided)
        cancelled = [p for p in self.postings if p.id in new_owners and new_owners[p.id] is None]
        if cancelled and not cancel_reason.strip():
            problems["cancel_reason"] = "a reason is needed to cancel " + ", ".join(
                f"'{p.title}'" for p in cancelled)
        if self.reports and reports_to is ...:
            problems["reports_to"] = (f"{len(self.reports)} people report to {self.person.username}: "
                                      "name their new manager, or none")
        return problems
