"""Applications: each posting's applicants and how far each got, within the seats
and time caps, with a timeline that fits; and the personas' own applications."""

from __future__ import annotations

import datetime as dt

from oppmarket import lifecycle, policy
from oppmarket.demo.builder import STARTED_STATUSES, Builder, number_by_time
from oppmarket.demo.plans import LEARNING, MENTORSHIP, VOLUNTEERING
from oppmarket.demo.remarks import DECLINE_REASONS, FEEDBACK, NOTES, OFFER_DECLINE_REASONS, RELEASE_REASONS
from oppmarket.lifecycle import AppStatus, OppStatus

# Where applications to a posting end up, by the posting's status, and how often.
OUTCOMES = {
    OppStatus.OPEN: ((AppStatus.APPLIED, AppStatus.SHORTLISTED, AppStatus.OFFERED, AppStatus.ACCEPTED,
                      AppStatus.ACTIVE, AppStatus.WITHDRAWN, AppStatus.DECLINED, AppStatus.RELEASE_DECLINED,
                      AppStatus.OFFER_DECLINED, AppStatus.OFFER_LAPSED),
                     (34, 18, 5, 5, 15, 8, 10, 5, 3, 2)),
    OppStatus.CLOSED: ((AppStatus.SHORTLISTED, AppStatus.OFFERED, AppStatus.ACCEPTED, AppStatus.ACTIVE,
                        AppStatus.DECLINED, AppStatus.WITHDRAWN, AppStatus.RELEASE_DECLINED, AppStatus.COMPLETED,
                        AppStatus.OFFER_DECLINED, AppStatus.OFFER_LAPSED),
                       (8, 4, 6, 35, 25, 10, 7, 5, 3, 2)),
    OppStatus.COMPLETED: ((AppStatus.COMPLETED, AppStatus.DECLINED, AppStatus.WITHDRAWN, AppStatus.RELEASE_DECLINED),
                          (60, 25, 10, 5)),
    OppStatus.CANCELLED: ((AppStatus.CANCELLED, AppStatus.WITHDRAWN, AppStatus.DECLINED), (70, 20, 10)),
}
# Kinds a participant can finish while the posting stays open for others.
ROLLING_KINDS = (LEARNING, MENTORSHIP, VOLUNTEERING)
# Statuses that involve the applicant's line manager: waiting on their release, or their refusal.
MANAGER_STATUSES = (AppStatus.ACCEPTED, AppStatus.RELEASE_DECLINED)
ANSWER_DAYS = dt.timedelta(days=policy.DEFAULT_OFFER_ANSWER_DAYS)
RELEASE_DAYS = dt.timedelta(days=policy.DEFAULT_RELEASE_AUTO_DAYS)
# Statuses reached without an offer.
UNOFFERED_STATUSES = (AppStatus.APPLIED, AppStatus.WITHDRAWN, AppStatus.DECLINED, AppStatus.SHORTLISTED,
                      AppStatus.CANCELLED)


class Applications(Builder):
    """Applications within the marketplace's rules."""

    def build_applications(self) -> None:
        self._persona_applications()
        for opp in self.opps:
            if opp["status"] == OppStatus.DRAFT:
                continue
            want = self._applicant_count(opp)
            for applicant in self._applicants(opp, want):
                self._random_application(opp, applicant)
        number_by_time(self.apps, "applied_at")

    def _applicant_count(self, opp: dict) -> int:
        rng = self.rng
        status = opp["status"]
        if status == OppStatus.OPEN:
            return self.pick((0, 1, 2, 3, 4, 5, 6), (14, 20, 22, 18, 12, 8, 6))
        if status == OppStatus.CLOSED:
            return rng.randint(2, 6)
        if status == OppStatus.COMPLETED:
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
        allowed, weights = OUTCOMES[status]
        if status == OppStatus.OPEN and opp["kind"] in ROLLING_KINDS:
            allowed, weights = allowed + (AppStatus.COMPLETED,), weights + (6,)
        wanted = self.pick(allowed, weights)
        if self._add_application(opp, person, wanted) is None:
            fallback = AppStatus.SHORTLISTED if status == OppStatus.OPEN else AppStatus.DECLINED
            self._add_application(opp, person, fallback)

    def _add_application(self, opp: dict, person: int, status: str, *, when: dt.datetime | None = None,
                         note: str | None = None) -> dict | None:
        """Add one application in `status` with a consistent timeline, or return None
        when it would break a rule (seats, time cap, a missing line manager)."""
        rng = self.rng
        p = self.person(person)
        hours = opp["hours_per_week"]
        manager = p.manager
        if status in MANAGER_STATUSES and manager is None:
            return None
        if status in lifecycle.HOLDING_STATUSES:
            if not policy.has_free_seat(opp["seats"], self.holding[opp["id"]]):
                return None
            if not policy.fits_cap(self.committed[person], hours, p.weekly_hours, p.cap_pct):
                return None
        # Once a posting is completed, the people who completed it are the ones who held its seats.
        if (status == AppStatus.COMPLETED and opp["status"] == OppStatus.COMPLETED
                and not policy.has_free_seat(opp["seats"], self.finished[opp["id"]])):
            return None
        times = self._timeline(opp, status, when)
        if times is None:
            return None
        grow = self.skills[opp["_grows"][0] - 1]["name"] if opp["_grows"] else "this"
        app = {
            "id": None, "opportunity": opp["id"], "applicant": person, "status": AppStatus(status).value,
            "note": rng.choice(NOTES).format(grow=grow) if note is None else note,
            "hours_per_week": hours, "applied_at": times["applied_at"], "updated_at": times["updated_at"],
            "offered_at": times.get("offered_at"), "offer_due": None, "accepted_at": times.get("accepted_at"),
            "release_due": None, "released_by": None,
            "released_at": None, "release_automatic": False, "release_reason": "", "decline_reason": "",
            "rating": None, "feedback": "", "completed_at": None, "_seq": len(self.apps), "_opp": opp,
        }
        if app["offered_at"] is not None:
            app["offer_due"] = app["offered_at"] + ANSWER_DAYS
        accepted = times.get("accepted_at")
        if status == AppStatus.ACCEPTED:
            app["release_due"] = accepted + RELEASE_DAYS
        if status in STARTED_STATUSES:
            released = times["released_at"]
            if manager is None:
                # Nobody to release the time: the engagement started at the acceptance.
                app.update(released_at=accepted, release_automatic=True, release_reason="no line manager")
            elif released - accepted >= RELEASE_DAYS or rng.random() < 0.15:
                app.update(released_at=min(accepted + RELEASE_DAYS, released), release_automatic=True)
            else:
                app.update(released_at=released, released_by=manager)
            if manager is not None:
                app["release_due"] = accepted + RELEASE_DAYS
        if status == AppStatus.RELEASE_DECLINED:
            app.update(released_by=manager, released_at=times["released_at"],
                       release_reason=rng.choice(RELEASE_REASONS), release_due=accepted + RELEASE_DAYS)
        if status == AppStatus.OFFER_DECLINED:
            app["decline_reason"] = rng.choice(OFFER_DECLINE_REASONS)
        if status == AppStatus.DECLINED:
            app["decline_reason"] = rng.choice(DECLINE_REASONS)
        if status == AppStatus.CANCELLED:
            app["decline_reason"] = opp["_reason"]
        if status == AppStatus.COMPLETED:
            rating = self.pick((5, 4, 3, 2, 1), (40, 35, 17, 6, 2))
            app.update(rating=rating, feedback=rng.choice(FEEDBACK[rating]), completed_at=times["completed_at"])
            self.finished[opp["id"]] += 1
        if status in lifecycle.HOLDING_STATUSES:
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
        if opp["status"] == OppStatus.COMPLETED:
            horizon = min(now, dt.datetime.combine(opp["end"], dt.time(17)))
        elif opp["status"] == OppStatus.CANCELLED:
            horizon = opp["updated_at"]
        else:
            horizon = now
        if horizon <= created + hour:
            return None
        if status in UNOFFERED_STATUSES:
            applied = when or self.between(created, horizon - hour)
            if status == AppStatus.CANCELLED:  # cancelling the posting cancelled everyone still in play
                return {"applied_at": applied, "updated_at": opp["updated_at"]}
            updated = applied if status == AppStatus.APPLIED else self.between(applied, horizon)
            return {"applied_at": applied, "updated_at": updated}
        if status == AppStatus.OFFERED:
            # An offer still waiting for its answer: made within the answer days.
            offered = when or self.days_ago(0.1, ANSWER_DAYS.days - 0.5)
            if offered <= created + hour:
                return None
            applied = self.between(created, offered - min(hour, offered - created))
            return {"applied_at": applied, "offered_at": offered, "updated_at": offered}
        if status == AppStatus.ACCEPTED:
            if when is not None:
                accepted = when
            else:
                # Most acceptances are recent; a few have passed their release deadline.
                late = rng.random() < 0.15
                accepted = self.days_ago(5.3, 9) if late else self.days_ago(0.1, 4.6)
            offered = accepted - dt.timedelta(seconds=rng.randint(1800, 2 * 86400))
            if offered <= created + hour:
                return None
            applied = self.between(created, offered - min(hour, offered - created))
            return {"applied_at": applied, "offered_at": offered, "accepted_at": accepted, "updated_at": accepted}
        if status in (AppStatus.OFFER_DECLINED, AppStatus.OFFER_LAPSED):
            applied = when or self.between(created, created + (horizon - created) * 0.5)
            offered = self.between(applied, applied + (horizon - applied) * 0.3)
            answered = (offered + ANSWER_DAYS if status == AppStatus.OFFER_LAPSED
                        else offered + dt.timedelta(seconds=rng.randint(3600, 5 * 86400)))
            if answered > horizon:
                return None
            return {"applied_at": applied, "offered_at": offered, "updated_at": answered}
        # active, release_declined, completed: offered, accepted, then decided.
        start = created
        if status == AppStatus.COMPLETED and opp["status"] == OppStatus.COMPLETED:
            finish = horizon
        elif status == AppStatus.COMPLETED:
            if horizon - created < 14 * day:
                return None
            finish = self.between(created + 10 * day, horizon)
        else:
            finish = horizon
        applied = when or self.between(start, start + (finish - start) * 0.3)
        offered = self.between(applied, applied + (finish - applied) * 0.3)
        accepted = min(offered + dt.timedelta(seconds=rng.randint(1800, 2 * 86400)), finish)
        released = min(accepted + dt.timedelta(seconds=rng.randint(7200, 6 * 86400)), finish)
        out = {"applied_at": applied, "offered_at": offered, "accepted_at": accepted, "released_at": released,
               "updated_at": released}
        if status == AppStatus.COMPLETED:
            out["completed_at"] = finish
            out["updated_at"] = finish
        return out

    def _persona_applications(self) -> None:
        """The personas' stories: the engineer has a completed gig, an active
        learning path, an accepted offer waiting on their manager, an offer to answer, a
        shortlisting and a fresh application; the owner's posting has applicants waiting
        for review; the line manager (the engineer's manager) has that offer to release."""
        story, rng = self.story, self.rng
        engineer = self.personas["engineer"]
        posting = story["owner_posting"]
        now, day, hour = self.now, dt.timedelta(days=1), dt.timedelta(hours=1)
        self._add_application(story["past_gig"], engineer, AppStatus.COMPLETED,
                              note="I sped up our own pipeline last year and would enjoy doing it again.")
        self._add_application(story["learning_path"], engineer, AppStatus.ACTIVE,
                              note="Machine learning is next on my list.")
        self._add_application(story["release_pending"], engineer, AppStatus.ACCEPTED, when=now - 0.8 * day,
                              note="Tracing is exactly what I want to learn next.")
        self._add_application(story["offer_waiting"], engineer, AppStatus.OFFERED, when=now - 1.2 * day,
                              note="I keep being the one who knows where the dashboards are.")
        self._add_application(posting, engineer, AppStatus.SHORTLISTED, when=now - 6 * day,
                              note="I know the usage tables well and would love to try a first model.")
        self._add_application(story["new_application"], engineer, AppStatus.APPLIED, when=now - 1.5 * day,
                              note="I've been learning Rust on weekends; this would be a great first real project.")
        avoid = {engineer, posting["owner"]}
        pool = [p for p in self.holders.get(self.sid("Python"), []) if p not in avoid] \
            or [p.id for p in self.people if p.id not in avoid]
        others = (AppStatus.APPLIED, AppStatus.SHORTLISTED, AppStatus.APPLIED, AppStatus.APPLIED, AppStatus.WITHDRAWN)
        for status in others:
            person = rng.choice(pool)
            while (posting["id"], person) in self.applied:
                person = rng.choice(pool)
            self._add_application(posting, person, status, when=self.between(now - 8 * day, now - 2 * hour))
