"""Migration 6: offers made before candidates answered them were put to the line
manager at once, so they come forward as accepted, and the release clock stands."""

from __future__ import annotations

import pytest

from oppmarket.db import models as M
from oppmarket.db.connection import make_database, open_database
from oppmarket.db.schema import MIGRATIONS, database_version
from oppmarket.market import Market

from support.releases import as_release


@pytest.mark.blank_database  # it builds the schema of an older release itself
def test_an_offer_waiting_for_release_comes_forward_as_accepted(db_url):
    old = make_database(db_url)
    old.bind(M.MODELS, bind_refs=False, bind_backrefs=False)
    with old.connection_context():
        as_release(old, 5)  # the release before candidates answered offers
        for username, manager in (("mo", "NULL"), ("eli", "1")):
            old.execute_sql(
                "INSERT INTO employee (username, display_name, email, title, weekly_hours, cap_pct, is_admin, "
                "active, created_at, location, remote_preference, weekly_digest, open_to_invitations, manager_id) "
                f"VALUES ('{username}', '{username}', '', '', 40, 20, FALSE, TRUE, '2026-03-02 09:00:00', '', "
                f"'anywhere', FALSE, FALSE, {manager})")
        old.execute_sql("INSERT INTO opportunity (kind, title, description, owner_id, hours_per_week, seats, "
                        "status, remote, location, certification, topics, created_at, updated_at, blind_review) VALUES "
                        "('gig', 'Tracing', '', 1, 4, 2, 'open', FALSE, '', '', '', '2026-03-02 09:00:00', "
                        "'2026-03-02 09:00:00', FALSE)")
        old.execute_sql("INSERT INTO application (opportunity_id, applicant_id, status, note, hours_per_week, "
                        "applied_at, updated_at, offered_at, release_due, release_automatic, release_reason, "
                        "decline_reason, feedback) VALUES (1, 2, 'offered', '', 4, '2026-03-01 09:00:00', "
                        "'2026-03-02 09:00:00', '2026-03-02 09:00:00', '2026-03-07 09:00:00', FALSE, '', '', '')")
        assert database_version(old) == 5
    old.close()
    db = open_database(db_url)
    with db.connection_context():
        assert database_version(db) == max(MIGRATIONS)
    app = Market(db, "mo").application(1)
    assert (app.status, app.accepted_at, app.offer_due) == ("accepted", app.offered_at, None)
    assert [a.id for a in Market(db, "mo").pending_releases()] == [1]
    db.close()
