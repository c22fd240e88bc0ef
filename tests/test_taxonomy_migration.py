"""Migration 7: skills may be retired. A database of the release before comes
forward with every skill still offered, and the taxonomy works on it at once."""

from __future__ import annotations

import pytest

from oppmarket.db import models as M
from oppmarket.db.connection import make_database, open_database
from oppmarket.db.schema import MIGRATIONS, database_version
from oppmarket.market import Market

from support.releases import as_release


@pytest.mark.blank_database  # it builds the schema of an older release itself
def test_skills_of_an_older_database_come_forward_offered(db_url):
    old = make_database(db_url)
    old.bind(M.MODELS, bind_refs=False, bind_backrefs=False)
    with old.connection_context():
        as_release(old, 6)  # the release before skills could be retired
        assert "retired" not in {c.name for c in old.get_columns("skill")}
        old.execute_sql(
            "INSERT INTO employee (username, display_name, email, title, weekly_hours, cap_pct, is_admin, active, "
            "created_at, location, remote_preference, weekly_digest, open_to_invitations) VALUES ('ada', 'Ada', '', "
            "'', 40, 20, TRUE, TRUE, '2026-03-02 09:00:00', '', 'anywhere', FALSE, FALSE)")
        for name in ("Kubernetes", "Docker"):
            old.execute_sql(f"INSERT INTO skill (name, category, description) VALUES ('{name}', 'Platform', '')")
        assert database_version(old) == 6
    old.close()
    db = open_database(db_url)
    with db.connection_context():
        assert database_version(db) == max(MIGRATIONS) >= 7
    ada = Market(db, "ada")
    assert [(u.skill.name, u.skill.retired) for u in ada.skill_usages()] == [("Docker", False), ("Kubernetes", False)]
    assert [h.name for h in ada.search_skills("docker", 1)] == ["Docker"]
    ada.retire_skill("Docker")
    assert ada.search_skills("docker", 1) == [] or ada.search_skills("docker", 1)[0].name != "Docker"
    db.close()
