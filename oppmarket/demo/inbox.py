"""The notifications each application's history would have sent."""

from __future__ import annotations

import datetime as dt

from oppmarket.demo.builder import RELEASE_DAYS, STARTED_STATUSES, Builder
from oppmarket.lifecycle import AppStatus


class Inbox(Builder):
    """Notifications."""

    def build_notifications(self) -> None:
        """The notifications each application's history would have sent, as the
        market words them. Only the last 90 days are kept, as an inbox would."""
        rng, now = self.rng, self.now
        since = now - dt.timedelta(days=90)
        out: list[tuple[dt.datetime, int, str, str]] = []

        def send(recipient: int | None, text: str, link: str, at: dt.datetime | None) -> None:
            if recipient is not None and at is not None and at >= since:
                out.append((at, recipient, text, link))

        for app in self.apps:
            opp = app["_opp"]
            title, status, aid = opp["title"], app["status"], app["id"]
            person = self.person(app["applicant"])
            name, owner, manager = person.display_name, opp["owner"], person.manager
            link = f"app:{aid}"
            send(owner, f"{name} applied to '{title}'", link, app["applied_at"])
            if status == AppStatus.SHORTLISTED:
                send(person.id, f"You were shortlisted for '{title}'", link, app["updated_at"])
            if app["offered_at"] is not None and manager is not None:
                send(person.id, f"You have an offer for '{title}'; waiting for your manager's release", link, app["offered_at"])
                due = app["offered_at"] + dt.timedelta(days=RELEASE_DAYS)
                send(manager, f"{name} was offered '{title}' ({app['hours_per_week']} h/week): release or decline "
                              f"by {due:%Y-%m-%d}, or it is released automatically", f"release:{aid}", app["offered_at"])
            if status in STARTED_STATUSES:
                released = app["released_at"]
                if manager is None:
                    send(person.id, f"You have an offer for '{title}' and can start", link, released)
                elif app["release_automatic"]:
                    send(person.id, f"Your time for '{title}' was released automatically (no decision within the "
                                    "deadline): you can start", link, released)
                    send(manager, f"{name}'s release for '{title}' was granted automatically: no decision was made "
                                  "in time", link, released)
                    send(owner, f"{name} was released automatically for '{title}'", link, released)
                else:
                    send(person.id, f"Your manager released your time for '{title}': you can start", link, released)
                    send(owner, f"{name}'s manager released them for '{title}'", link, released)
            if status == AppStatus.COMPLETED:
                send(person.id, f"'{title}' is complete — rated {app['rating']}/5. How did it affect your core work?",
                     f"corework:{aid}", app["completed_at"])
                send(manager, f"{name} completed '{title}'. How did it affect their core work?",
                     f"corework:{aid}", app["completed_at"])
            elif status == AppStatus.RELEASE_DECLINED:
                reason = app["release_reason"]
                send(person.id, f"Your manager declined your time for '{title}': {reason}", link, app["released_at"])
                send(owner, f"{name}'s manager declined their release for '{title}': {reason}", link, app["released_at"])
            elif status == AppStatus.WITHDRAWN:
                send(owner, f"{name} withdrew from '{title}'", f"opp:{opp['id']}", app["updated_at"])
            elif status == AppStatus.DECLINED:
                why = f": {app['decline_reason']}" if app["decline_reason"] else ""
                send(person.id, f"Your application to '{title}' was not taken forward{why}", link, app["updated_at"])
            elif status == AppStatus.CANCELLED:
                why = f": {app['decline_reason']}" if app["decline_reason"] else ""
                send(person.id, f"'{title}' was cancelled{why}", link, app["updated_at"])
        admins = [row["id"] for row in self.rows_people if row["is_admin"]]
        for admin in admins:
            send(admin, f"The demo organisation is loaded: {len(self.people)} people, {len(self.opps)} "
                        f"opportunities and {len(self.apps)} applications. The audit log records the load.", "", now)
        # Inbox order is by id, so ids follow time.
        out.sort(key=lambda n: (n[0], n[1]))
        self.notifications = []
        for i, (at, recipient, text, link) in enumerate(out, start=1):
            age = now - at
            read = age > dt.timedelta(days=7) or (age > dt.timedelta(days=2) and rng.random() < 0.4)
            self.notifications.append({"id": i, "recipient": recipient, "text": text, "link": link,
                                       "read": read, "created_at": at})
