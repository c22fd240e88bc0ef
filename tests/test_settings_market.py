"""The marketplace's settings: one table of them, each checked against its range,
changed only by admins, and audited with the value it had and the one it has now;
the default cap reaching people imported without one."""

from __future__ import annotations

import pytest

from oppmarket import policy, transfer
from oppmarket.errors import PermissionDenied, ValidationError
from oppmarket.marketplace_settings import SETTINGS


def values(market) -> dict[str, tuple[int, int, bool]]:
    return {s.key: (s.value, s.default, s.changed) for s in market.settings()}


def test_every_setting_starts_at_its_default(org, market_as):
    assert values(market_as("eng1")) == {
        "release_auto_days": (policy.DEFAULT_RELEASE_AUTO_DAYS, policy.DEFAULT_RELEASE_AUTO_DAYS, False),
        "offer_answer_days": (policy.DEFAULT_OFFER_ANSWER_DAYS, policy.DEFAULT_OFFER_ANSWER_DAYS, False),
        "default_cap_pct": (20, 20, False),
        "session_idle_minutes": (0, 0, False),
    }
    first = org.settings()[0]
    assert (first.label, first.unit, first.low, first.high) == ("Automatic release", "days", 1, 60)
    assert market_as("eng1").session_idle_minutes() is None


def test_an_admin_change_is_kept_and_audited_with_old_and_new(org):
    saved = org.set_setting("default_cap_pct", "25")
    assert (saved.value, saved.changed) == (25, True)
    org.set_setting("default_cap_pct", 30)
    assert values(org)["default_cap_pct"] == (30, 20, True)
    assert org.default_cap_pct() == 30
    events = [e for e in org.audit_log(limit=5) if e.action == "set_setting"]
    assert [(e.actor, e.object_type, e.detail) for e in events] == [
        ("admin", "setting", {"key": "default_cap_pct", "old": 25, "new": 30}),
        ("admin", "setting", {"key": "default_cap_pct", "old": 20, "new": 25}),
    ]


def test_setting_the_value_it_has_records_nothing(org):
    before = org.audit_log(limit=1)[0].id
    org.set_setting("release_auto_days", policy.DEFAULT_RELEASE_AUTO_DAYS)
    org.set_setting("release_auto_days", 9)
    org.set_setting("release_auto_days", "9")
    assert [e.detail for e in org.audit_log(limit=5) if e.id > before] == [
        {"key": "release_auto_days", "old": policy.DEFAULT_RELEASE_AUTO_DAYS, "new": 9}]


def test_the_old_day_setters_go_through_the_same_path(org):
    assert org.set_release_auto_days("12") == 12
    assert org.set_offer_answer_days(3) == 3
    assert org.release_auto_days() == 12 and org.offer_answer_days() == 3
    assert [e.detail["old"] for e in org.audit_log(limit=2)] == [policy.DEFAULT_OFFER_ANSWER_DAYS,
                                                                 policy.DEFAULT_RELEASE_AUTO_DAYS]


@pytest.mark.parametrize("rule", SETTINGS, ids=lambda r: r.key)
def test_a_value_out_of_range_names_the_setting_and_the_range(org, db_state, rule):
    before = db_state()
    for bad in (rule.low - 1, rule.high + 1, "soon", "", "1.5", True):
        with pytest.raises(ValidationError) as exc:
            org.set_setting(rule.key, bad)
        assert exc.value.fields == {
            rule.key: f"{rule.label} must be a whole number from {rule.low} to {rule.high} ({rule.unit})"}
    assert db_state() == before
    assert org.set_setting(rule.key, rule.high).value == rule.high  # the ends are in range
    assert org.set_setting(rule.key, rule.low).value == rule.low


def test_an_unknown_setting_is_named(org, db_state):
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        org.set_setting("colour", 3)
    assert "there is no setting 'colour'" in exc.value.fields["key"]
    assert db_state() == before


@pytest.mark.parametrize("who", ["eng1", "owner", "mgr"])  # an employee, an owner, a line manager
def test_only_an_admin_changes_a_setting(org, market_as, db_state, who):
    before = db_state()
    market = market_as(who)
    for write in (lambda: market.set_setting("default_cap_pct", 30),
                  lambda: market.set_setting("session_idle_minutes", 5),
                  lambda: market.set_release_auto_days(9),
                  lambda: market.set_offer_answer_days(9)):
        with pytest.raises(PermissionDenied, match="only an admin"):
            write()
    assert db_state() == before
    assert values(market)["default_cap_pct"] == (20, 20, False)


def test_people_imported_without_a_cap_get_the_default_cap(org, tmp_path):
    org.set_setting("default_cap_pct", 15)
    path = tmp_path / "people.csv"
    path.write_text("username,display_name,cap_pct\nnew.one,New One,\nnew.two,New Two,40\n")
    org.import_people(transfer.parse_people(path))
    assert (org.person("new.one").cap_pct, org.person("new.two").cap_pct) == (15, 40)


def test_a_stored_value_gone_bad_reads_as_the_default(org, db):
    from oppmarket.db import models as M

    with db.connection_context():
        M.Setting.create(key="session_idle_minutes", value="forever")
    assert org.session_idle_minutes() is None
    assert values(org)["session_idle_minutes"] == (0, 0, False)


def test_the_readme_lists_every_setting_with_its_range_and_default():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    lines = {line.split("|")[1].strip(): line for line in readme.splitlines() if line.startswith("| `")}
    for rule in SETTINGS:
        assert f"| {rule.low}–{rule.high} | {rule.default} |" in lines[f"`{rule.key}`"], rule.key
