"""Where people work, how far they would go for in-person work, and the searches a
few of them keep. Built last, so the choices here leave every earlier row as it was."""

from __future__ import annotations

import datetime as dt

from oppmarket.demo.builder import Builder
from oppmarket.demo.organisation import OFFICES
from oppmarket.location import ANYWHERE, NEARBY, REMOTE_ONLY
from oppmarket.saved_searches import week_start

# Preferences in the proportions people pick them.
PREFERENCE_WEIGHTS = ((NEARBY, 5), (ANYWHERE, 3), (REMOTE_ONLY, 2))
DIGEST_SHARE = 0.2  # who asked for the weekly digest
SEARCHERS = 12  # people besides the engineer who keep searches
# (name, query, kind, max hours, remote only): what people keep.
SEARCHES = (
    ("Kubernetes work", "k8s", None, None, False),
    ("Short Python gigs", "python", "gig", 4, False),
    ("Mentoring", "", "mentorship", None, False),
    ("Remote volunteering", "", "volunteering", None, True),
    ("Data work", "sql", None, None, False),
    ("Learning paths", "", "learning", None, False),
    ("Security", "security", None, None, False),
)


class SavedSearches(Builder):
    """People's locations and preferences, and their saved searches."""

    def build_saved_searches(self) -> None:
        rng, now = self.rng, self.now
        prefs = [p for p, _ in PREFERENCE_WEIGHTS]
        weights = [w for _, w in PREFERENCE_WEIGHTS]
        this_week = week_start(now)
        for row in self.rows_people:
            row["location"] = rng.choice(OFFICES)
            row["remote_preference"] = rng.choices(prefs, weights)[0]
            row["weekly_digest"] = rng.random() < DIGEST_SHARE
            # Already sent this week: a fresh demo sends none until the next.
            row["digest_sent_at"] = this_week if row["weekly_digest"] else None
        engineer = self.rows_people[self.personas["engineer"] - 1]
        engineer.update(location="Lisbon", remote_preference=NEARBY, weekly_digest=True, digest_sent_at=this_week)
        keepers = [engineer["id"]] + rng.sample([r["id"] for r in self.rows_people if r["id"] != engineer["id"]],
                                                min(SEARCHERS, len(self.rows_people) - 1))
        self.saved_searches = []
        for n, person in enumerate(keepers):
            chosen = SEARCHES[:2] if n == 0 else rng.sample(SEARCHES, rng.randint(1, 2))
            for name, query, kind, hours, remote in chosen:
                self.saved_searches.append({
                    "id": len(self.saved_searches) + 1, "owner": person, "name": name, "query": query,
                    "kind": kind, "department": None, "max_hours": hours, "remote_only": remote,
                    "created_at": now - dt.timedelta(days=rng.randint(3, 60)),
                })
