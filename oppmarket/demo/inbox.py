"""The notifications each application's history would have sent."""

from __future__ import annotations

import datetime as dt

from oppmarket import notices, policy
from oppmarket.demo.builder import STARTED_STATUSES, Builder
from oppmarket.lifecycle import AppStatus


class Inbox(Builder):
    """Notifications."""

    def build_notifications(self) -> None:
        """The notifications each application's history would have sent, in the
        market's words (`oppmarket.notices`). Only the last 90 days are kept, as an inbox would."""
        rng, now = self.rng, self.now
        since = now - dt.timedelta(days=90)
        out: list[tuple[dt.datetime, int, str, str]] = []

        def send(recipient: int | None, notice: notices.Notice, at: dt.datetime | None) -> None:
            if recipient is not None and at is not None and at >= since:
                out.append((at, recipient, notice.text, notice.link))

        for app in self.apps:
            opp = app["_opp"]
            title, status, aid = opp["title"], app["status"], app["id"]
            person = self.person(app["applicant"])
            name, owner, manager = person.display_name, opp["owner"], person.manager
            send(owner, notices.applied(name, title, aid), app["applied_at"])
            if status == AppStatus.SHORTLISTED:
                send(person.id, notices.shortlisted(title, aid), app["updated_at"])
            if app["offered_at"] is not None:
                send(person.id, notices.offered(title, "", app["offer_due"], aid), app["offered_at"])
            if (accepted := app["accepted_at"]) is not None:
                send(owner, notices.offer_accepted_to_owner(name, title, aid), accepted)
                if manager is not None:
                    due = accepted + dt.timedelta(days=policy.DEFAULT_RELEASE_AUTO_DAYS)
                    send(manager, notices.release_asked(name, title, app["hours_per_week"], due, aid), accepted)
            # Someone without a line manager started the moment they accepted.
            if status in STARTED_STATUSES and manager is not None:
                released = app["released_at"]
                if app["release_automatic"]:
                    send(person.id, notices.auto_released(title, aid), released)
                    send(manager, notices.auto_released_to_manager(name, title, aid), released)
                    send(owner, notices.auto_released_to_owner(name, title, aid), released)
                else:
                    send(person.id, notices.released(title, aid), released)
                    send(owner, notices.released_to_owner(name, title, aid), released)
            if status == AppStatus.COMPLETED:
                send(person.id, notices.completed(title, app["rating"], aid), app["completed_at"])
                send(manager, notices.completed_to_manager(name, title, aid), app["completed_at"])
            elif status == AppStatus.RELEASE_DECLINED:
                reason = app["release_reason"]
                send(person.id, notices.release_declined(title, reason, aid), app["released_at"])
                send(owner, notices.release_declined_to_owner(name, title, reason, aid), app["released_at"])
            elif status == AppStatus.OFFER_DECLINED:
                send(owner, notices.offer_declined_to_owner(name, title, app["decline_reason"], aid),
                     app["updated_at"])
            elif status == AppStatus.OFFER_LAPSED:
                send(person.id, notices.offer_lapsed(title, aid), app["updated_at"])
                send(owner, notices.offer_lapsed_to_owner(name, title, aid), app["updated_at"])
            elif status == AppStatus.WITHDRAWN:
                send(owner, notices.withdrew(name, title, opp["id"]), app["updated_at"])
            elif status == AppStatus.DECLINED:
                send(person.id, notices.not_taken_forward(title, app["decline_reason"], aid), app["updated_at"])
            elif status == AppStatus.CANCELLED:
                send(person.id, notices.cancelled(title, app["decline_reason"], aid), app["updated_at"])
        admins = [row["id"] for row in self.rows_people if row["is_admin"]]
        for admin in admins:
            send(admin, notices.Notice(f"The demo organisation is loaded: {len(self.people)} people, {len(self.opps)} "
                                       f"opportunities and {len(self.apps)} applications. The audit log records the "
                                       "load."), now)
        # Inbox order is by id, so ids follow time.
        out.sort(key=lambda n: (n[0], n[1]))
        self.notifications = []
        for i, (at, recipient, text, link) in enumerate(out, start=1):
            age = now - at
            read = age > dt.timedelta(days=7) or (age > dt.timedelta(days=2) and rng.random() < 0.4)
            self.notifications.append({"id": i, "recipient": recipient, "text": text, "link": link,
                                       "read": read, "created_at": at})
