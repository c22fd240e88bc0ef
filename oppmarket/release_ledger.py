"""The release ledger: what line managers did with the requests to release their
reports' time, against what the company did, and the hours each manager's team lent
and borrowed. Pure, like `oppmarket.insights`, whose records it reads."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from oppmarket.insights import Engagement, Manager, Period, ReleaseRequest
from oppmarket.lifecycle import RELEASE_WAITING, AppStatus

FLAG_MIN_SETTLED = 5
"""A manager is flagged only with at least this many requests settled in the period."""
FLAG_POINTS = 25
"""... and a decline rate at least this many percentage points above the company's."""

RELEASED, DECLINED, AUTOMATIC, PENDING, UNDECIDED = "granted", "refused", "automatic", "pending", "undecided"


def outcome(request: ReleaseRequest) -> str:
    """What became of a release request: released or declined by the manager,
    released automatically, still pending, or ended undecided (the offer was
    withdrawn or cancelled before anyone decided)."""
    if request.status == AppStatus.RELEASE_DECLINED:
        return DECLINED
    if request.automatic:
        return AUTOMATIC
    if request.decided_at is not None:
        return RELEASED
    return PENDING if request.status == RELEASE_WAITING else UNDECIDED


@dataclass(frozen=True)
class Releases:
    """The requests of one manager, or of several taken together."""

    requests: int = 0
    released: int = 0
    declined: int = 0
    automatic: int = 0
    pending: int = 0
    undecided: int = 0
    median_days: float | None = None  # from offer to the manager's own decision

    @property
    def settled(self) -> int:
        return self.released + self.declined + self.automatic

    @property
    def decline_rate(self) -> float:
        """Share of the settled requests that were declined."""
        return self.declined / self.settled if self.settled else 0.0


def releases(requests: Iterable[ReleaseRequest]) -> Releases:
    counts: Counter[str] = Counter()
    days = []
    for r in requests:
        result = outcome(r)
        counts[result] += 1
        if result in (RELEASED, DECLINED) and r.decided_at is not None:
            days.append((r.decided_at - r.asked_at).total_seconds() / 86400)
    return Releases(sum(counts.values()), counts[RELEASED], counts[DECLINED], counts[AUTOMATIC], counts[PENDING],
                    counts[UNDECIDED], statistics.median(days) if days else None)


def flagged(mine: Releases, company: Releases) -> bool:
    """A manager who declined far more than the company did, on enough requests to
    mean something (FLAG_MIN_SETTLED, FLAG_POINTS)."""
    return (mine.settled >= FLAG_MIN_SETTLED
            and (mine.decline_rate - company.decline_rate) * 100 >= FLAG_POINTS - 1e-9)


def flag_rule() -> str:
    return (f"Flagged: at least {FLAG_MIN_SETTLED} requests settled in the period and a decline rate "
            f"at least {FLAG_POINTS} percentage points above the company's.")


@dataclass(frozen=True)
class ManagerLedger:
    username: str
    display_name: str
    releases: Releases
    lent_hours: float  # what their direct reports' engagements gave
    borrowed_hours: float  # what postings of their team received
    flagged: bool


@dataclass(frozen=True)
class Ledger:
    releases: Releases  # of the managers looked at
    company: Releases  # of every manager, for comparison
    reasons: tuple[tuple[str, int], ...]  # why requests were declined, most given first
    managers: tuple[ManagerLedger, ...]


def ledger(period: Period, requests: Iterable[ReleaseRequest], managers: Iterable[Manager],
           engagements: Iterable[Engagement]) -> Ledger:
    """Release requests offered in the period by the managers looked at (`managers`),
    each against the company's; hours lent and borrowed per manager. `requests` are
    the whole company's."""
    everyone = [r for r in requests if period.holds(r.asked_at)]
    looked_at = {m.id: m for m in managers}
    mine = [r for r in everyone if r.manager in looked_at]
    company = releases(everyone)
    lent: Counter[int] = Counter()
    borrowed: Counter[int] = Counter()
    for e in engagements:
        hours = e.hours(period)
        if e.lender is not None:
            lent[e.lender] += hours
        if e.borrower is not None:
            borrowed[e.borrower] += hours
    rows = []
    for m in looked_at.values():
        own = releases(r for r in mine if r.manager == m.id)
        if own.requests or lent[m.id] or borrowed[m.id]:
            rows.append(ManagerLedger(m.username, m.display_name, own, lent[m.id], borrowed[m.id],
                                      flagged(own, company)))
    rows.sort(key=lambda row: (not row.flagged, -row.releases.requests, row.display_name.casefold(), row.username))
    reasons = Counter(" ".join(r.reason.split()) for r in mine if outcome(r) == DECLINED)
    return Ledger(releases(mine), company,
                  tuple(sorted(reasons.items(), key=lambda item: (-item[1], item[0].casefold()))), tuple(rows))
