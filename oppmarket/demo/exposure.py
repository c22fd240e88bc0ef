"""The recommendations people were shown, which insights weigh equal access by."""

from __future__ import annotations

import bisect
import datetime as dt

from oppmarket.demo.builder import Builder
from oppmarket.lifecycle import OppStatus

# Times a person opened their recommendations over the demo's history, on average,
# and how many postings each look showed them that they passed over.
LOOKS_PER_PERSON = 5
PASSED_OVER_PER_LOOK = (1, 4)
# How much more or less than average a department's people look: some teams live in
# the marketplace, others rarely open it, which is what equal access should show.
DEPARTMENT_APPETITE = (0.4, 1.8)
# How long before applying an applicant was first shown the posting, in days.
SEEN_BEFORE_APPLYING = (0.05, 6.0)


class Exposures(Builder):
    """Exposure: who was shown which posting, first when and how often."""

    exposures: list[dict]

    def build_exposures(self) -> None:
        """Every applicant was shown the posting before applying; besides, each person
        looked at their recommendations now and then and passed over a few."""
        rng = self.rng
        shown: dict[tuple[int, int], dict] = {}

        def show(person: int, opp: dict, at: dt.datetime) -> None:
            at = max(at, opp["created_at"])
            row = shown.get((person, opp["id"]))
            if row is None:
                shown[(person, opp["id"])] = {"employee": person, "opportunity": opp["id"], "first_shown": at,
                                              "times": 1}
            else:
                row["first_shown"] = min(row["first_shown"], at)
                row["times"] += 1

        for app in self.apps:
            opp = app["_opp"]
            show(app["applicant"], opp, app["applied_at"] - dt.timedelta(days=rng.uniform(*SEEN_BEFORE_APPLYING)))
            if rng.random() < 0.4:  # looked again before deciding
                show(app["applicant"], opp, app["applied_at"])

        posted = sorted((o for o in self.opps if o["status"] != OppStatus.DRAFT), key=lambda o: o["created_at"])
        created = [o["created_at"] for o in posted]
        if posted:
            start = created[0]
            appetite = [rng.uniform(*DEPARTMENT_APPETITE) for _ in self.departments]
            for person in self.people:
                looks = round(LOOKS_PER_PERSON * appetite[person.dept] * rng.uniform(0.3, 1.7))
                for _ in range(looks):
                    at = self.between(max(start, person.created_at), self.now)
                    up = bisect.bisect_right(created, at)  # the postings already up then
                    for index in rng.sample(range(up), min(up, rng.randint(*PASSED_OVER_PER_LOOK))):
                        show(person.id, posted[index], at)
        self.exposures = [shown[key] for key in sorted(shown)]
        for i, row in enumerate(self.exposures, start=1):
            row["id"] = i
