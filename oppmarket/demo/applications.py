"""Applications: each posting's applicants and how far each got, within the seats
and time caps, with a timeline that fits; and the personas' own applications."""

from __future__ import annotations

import datetime as dt

from oppmarket import domain as d
from oppmarket import policy
from oppmarket.demo.builder import RELEASE_DAYS, Builder
from oppmarket.demo.remarks import DECLINE_REASONS, FEEDBACK, NOTES, RELEASE_REASONS


class Applications(Builder):
    """Applications within the marketplace's rules."""

    def build_applications(self) -> None:
        self._persona_applications()
        for opp in self.opps:
            if opp["status"] == "draft":
                continue
            want = self._applicant_count(opp)
            for applicant in self._applicants(opp, want):
                self._random_application(opp, applicant)
        self.apps.sort(key=lambda a: (a["applied_at"], a["_seq"]))
        for i, app in enumerate(self.apps, start=1):
            app["id"] = i

    def _applicant_count(self, opp: dict) -> int:
        rng = self.rng
        status = opp["status"]
        if status == "open":
            return self.pick((0, 1, 2, 3, 4, 5, 6), (14, 20, 22, 18, 12, 8, 6))
        if status == "closed":
            return rng.randint(2, 6)
        if status == "completed":
            return rng.randint(1, 5)
        return rng.randint(0, 3)

    def _applicants(self, opp: dict, want: int) -> list[int]:
        rng = self.rng
        excluded = {opp["owner"], opp["host"]}
        found: list[int] = []
        required = [s for s, _ in opp["_required"]]
        dept_members = self.by_dept[opp["department"] - 1]
        tries = 0
        while len(found) < want and tries < want * 6:
            tries += 1
            roll = rng.random()
            if required and roll < 0.45 and self.holders.get(required[0]):
                pool = self.holders[rng.choice(required)] or dept_members
            elif roll < 0.7:
                pool = dept_members
            else:
                pool = None
            person = rng.choice(pool) if pool else rng.randrange(1, len(self.people) + 1)
            if person in excluded or (opp["id"], person) in self.applied or person in found:
                continue
            found.append(person)
        return found

    def _random_application(self, opp: dict, person: int) -> None:
        status = opp["status"]
        if status == "open":
            allowed = ("applied", "shortlisted", "offered", "active", "withdrawn", "declined", "release_declined")
            weights = (34, 18, 10, 15, 8, 10, 5)
            if opp["kind"] in ("learning", "mentorship", "volunteering"):
                allowed, weights = allowed + ("completed",), weights + (6,)
        elif status == "closed":
            allowed = ("shortlisted", "offered", "active", "declined", "withdrawn", "release_declined", "completed")
            weights = (8, 10, 35, 25, 10, 7, 5)
        elif status == "completed":
            allowed, weights = ("completed", "declined", "withdrawn", "release_declined"), (60, 25, 10, 5)
        else:
            allowed, weights = ("cancelled", "withdrawn", "declined"), (70, 20, 10)
        wanted = self.pick(allowed, weights)
        if self._add_application(opp, person, wanted) is None:
            fallback = "shortlisted" if status == "open" else "declined"
            self._add_application(opp, person, fallback)

    def _add_application(self, opp: dict, person: int, status: str, *, when: dt.datetime | None = None,
                         note: str | None = None) -> dict | None:
        """Add one application in `status` with a consistent timeline, or return None
        when it would break a rule (seats, time cap, a missing line manager)."""
        rng = self.rng
        p = self.person(person)
        hours = opp["hours_per_week"]
        manager = p.manager
        if status in ("offered", "release_declined") and manager is None:
            return None
        if status in d.HOLDING_STATUSES:
            if not policy.has_free_seat(opp["seats"], self.holding[opp["id"]]):
                return None
            if not policy.fits_cap(self.committed[person], hours, p.weekly_hours, p.cap_pct):
                return None
        # Once a posting is completed, the people who completed it are the ones who held its seats.
        if (status == "completed" and opp["status"] == "completed"
                and not policy.has_free_seat(opp["seats"], self.finished[opp["id"]])):
            return None
        times = self._timeline(opp, status, when)
        if times is None:
            return None
        grow = self.skills[opp["_grows"][0] - 1]["name"] if opp["_grows"] else "this"
        app = {
            "id": None, "opportunity": opp["id"], "applicant": person, "status": status,
            "note": rng.choice(NOTES).format(grow=grow) if note is None else note,
            "hours_per_week": hours, "applied_at": times["applied"], "updated_at": times["updated"],
            "offered_at": times.get("offered"), "release_due": None, "released_by": None,
            "released_at": None, "release_automatic": False, "release_reason": "", "decline_reason": "",
            "rating": None, "feedback": "", "completed_at": None, "_seq": len(self.apps), "_opp": opp,
        }
        if status == "offered":
            app["release_due"] = times["offered"] + dt.timedelta(days=RELEASE_DAYS)
        if status in ("active", "completed"):
            released = times["released"]
            if manager is None:
                # Nobody to release the time: the engagement started at the offer.
                app.update(released_at=times["offered"], release_automatic=True, release_reason="no line manager")
            elif released - times["offered"] >= dt.timedelta(days=RELEASE_DAYS) or rng.random() < 0.15:
                app.update(released_at=min(times["offered"] + dt.timedelta(days=RELEASE_DAYS), released),
                           release_automatic=True)
            else:
                app.update(released_at=released, released_by=manager)
            if manager is not None:
                app["release_due"] = times["offered"] + dt.timedelta(days=RELEASE_DAYS)
        if status == "release_declined":
            app.update(released_by=manager, released_at=times["released"], release_reason=rng.choice(RELEASE_REASONS),
                       release_due=times["offered"] + dt.timedelta(days=RELEASE_DAYS))
        if status == "declined":
            app["decline_reason"] = rng.choice(DECLINE_REASONS)
        if status == "cancelled":
            app["decline_reason"] = opp["_reason"]
        if status == "completed":
            rating = self.pick((5, 4, 3, 2, 1), (40, 35, 17, 6, 2))
            app.update(rating=rating, feedback=rng.choice(FEEDBACK[rating]), completed_at=times["completed"])
            self.finished[opp["id"]] += 1
        if status in d.HOLDING_STATUSES:
            self.holding[opp["id"]] += 1
            self.committed[person] += hours
        self.applied.add((opp["id"], person))
        self.apps.append(app)
        return app

    def _timeline(self, opp: dict, status: str, when: dt.datetime | None) -> dict | None:
        """Event times for an application that ends in `status`; None when the
        posting is too young for that story."""
        rng, now = self.rng, self.now
        hour, day = dt.timedelta(hours=1), dt.timedelta(days=1)
        created = opp["created_at"] + hour
        if opp["status"] == "completed":
            horizon = min(now, dt.datetime.combine(opp["end"], dt.time(17)))
        elif opp["status"] == "cancelled":
            horizon = opp["updated_at"]
        else:
            horizon = now
        if horizon <= created + hour:
            return None
        if status in ("applied", "withdrawn", "declined", "shortlisted", "cancelled"):
            applied = when or self.between(created, horizon - hour)
            if status == "cancelled":  # cancelling the posting cancelled everyone still in play
                return {"applied": applied, "updated": opp["updated_at"]}
            return {"applied": applied, "updated": applied if status == "applied" else self.between(applied, horizon)}
        if status == "offered":
            if when is not None:
                offered = when
            else:
                # Most offers are recent; a few have passed their release deadline.
                late = rng.random() < 0.15
                offered = self.days_ago(5.3, 9) if late else self.days_ago(0.1, 4.6)
            if offered <= created + hour:
                offered = self.between(max(created + hour, now - 4 * day), now)
                if offered <= created + hour:
                    return None
            applied = self.between(created, offered - min(hour, offered - created))
            return {"applied": applied, "offered": offered, "updated": offered}
        # active, release_declined, completed: offered, then decided.
        start = created
        if status == "completed" and opp["status"] == "completed":
            finish = horizon
        elif status == "completed":
            if horizon - created < 14 * day:
                return None
            finish = self.between(created + 10 * day, horizon)
        else:
            finish = horizon
        applied = when or self.between(start, start + (finish - start) * 0.3)
        offered = self.between(applied, applied + (finish - applied) * 0.3)
        released = min(offered + dt.timedelta(seconds=rng.randint(7200, 6 * 86400)), finish)
        out = {"applied": applied, "offered": offered, "released": released, "updated": released}
        if status == "completed":
            out["completed"] = finish
            out["updated"] = finish
        return out

    def _persona_applications(self) -> None:
        """The personas' stories: the engineer has a completed gig, an active
        learning path, an offer waiting on their manager, a shortlisting and a fresh
        application; the owner's posting has applicants waiting for review; the line
        manager (the engineer's manager) has that offer to release."""
        story, rng = self.story, self.rng
        engineer = self.personas["engineer"]
        posting = story["owner_posting"]
        now, day, hour = self.now, dt.timedelta(days=1), dt.timedelta(hours=1)
        self._add_application(story["completed"], engineer, "completed",
                              note="I sped up our own pipeline last year and would enjoy doing it again.")
        self._add_application(story["active"], engineer, "active", note="Machine learning is next on my list.")
        self._add_application(story["offered"], engineer, "offered", when=now - 0.8 * day,
                              note="Tracing is exactly what I want to learn next.")
        self._add_application(posting, engineer, "shortlisted", when=now - 6 * day,
                              note="I know the usage tables well and would love to try a first model.")
        self._add_application(story["applied"], engineer, "applied", when=now - 1.5 * day,
                              note="I've been learning Rust on weekends; this would be a great first real project.")
        avoid = {engineer, posting["owner"]}
        pool = [p for p in self.holders.get(self.sid("Python"), []) if p not in avoid] \
            or [p.id for p in self.people if p.id not in avoid]
        for status in ("applied", "shortlisted", "applied", "applied", "withdrawn"):
            person = rng.choice(pool)
            while (posting["id"], person) in self.applied:
                person = rng.choice(pool)
            self._add_application(posting, person, status, when=self.between(now - 8 * day, now - 2 * hour))
