"""The audit log for admins: newest first, keyset pages that neither skip nor repeat
an event while others are recorded, filters by who, what, which object and when,
one event in full with what it changed, an export streamed page by page, and nobody
but an admin reading any of it."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from oppmarket import transfer
from oppmarket.audit_trail import AUDIT_COLUMNS, Change, audit_records, changes
from oppmarket.db import models as M
from oppmarket.db.connection import make_database, open_database
from oppmarket.db.schema import AUDIT_OBJECT_INDEX, MIGRATIONS, database_version
from oppmarket.domain import AuditFilter
from oppmarket.errors import NotFound, PermissionDenied, ValidationError

from support.releases import as_release


def all_ids(market, **filters) -> list[int]:
    return [e.id for e in market.audit_log(limit=1000)] if not filters else [
        e.id for e in market.audit_events(limit=1000, **filters).events]


def toggle(market, n: int) -> None:
    """`n` setting changes, each one audit event."""
    for _ in range(n):
        market.set_setting("release_auto_days", 11 if market.release_auto_days() == 10 else 10)


def test_pages_run_newest_first_without_gaps_or_repeats_while_events_are_added(org, market_as, clock):
    toggle(org, 7)
    everything = all_ids(org)
    assert everything == sorted(everything, reverse=True)
    seen: list[int] = []
    page = org.audit_events(limit=4)
    while True:
        seen += [e.id for e in page.events]
        # Others keep acting between pages: their events are newer than any page read.
        market_as("eng1").update_profile(title=f"Engineer {len(seen)}")
        clock.advance(minutes=1)
        if page.next_before_id is None:
            break
        assert page.next_before_id == page.events[-1].id
        page = org.audit_events(limit=4, before_id=page.next_before_id)
    assert seen == everything
    assert len(set(seen)) == len(seen)


def test_a_page_that_ends_exactly_says_there_is_no_next_one(org):
    count = len(all_ids(org))
    page = org.audit_events(limit=count)
    assert len(page.events) == count and page.next_before_id is None
    assert org.audit_events(limit=count - 1).next_before_id is not None


def test_filters_by_actor_action_object_and_time(org, market_as, clock):
    start = clock.now
    clock.advance(days=1)
    org.set_setting("default_cap_pct", 25)
    clock.advance(days=1)
    market_as("eng1").update_profile(title="Staff Engineer")
    eng1 = market_as("eng1").whoami()
    clock.advance(days=1)
    org.set_setting("default_cap_pct", 30)

    by_eng1 = org.audit_events(actor="eng1").events
    assert by_eng1 and {e.actor for e in by_eng1} == {"eng1"}
    settings = org.audit_events(action="set_setting").events
    assert [e.detail["new"] for e in settings] == [30, 25]
    assert [e.detail for e in org.audit_events(object_type="employee", object_id=eng1.id,
                                               action="update_profile").events] == [
        {"title": {"old": "Software Engineer", "new": "Staff Engineer"}}]
    assert len(org.audit_events(object_type="setting").events) == 2
    day_two = (start + dt.timedelta(days=2)).date()
    assert [e.action for e in org.audit_events(since=day_two, until=day_two).events] == ["update_profile"]
    assert [e.detail.get("new") for e in org.audit_events(since=day_two.isoformat()).events] == [30, None]
    assert org.audit_events(until=start.date() - dt.timedelta(days=1)).events == ()
    assert org.audit_events(actor="nobody.here").events == ()
    assert {e.identified_by for e in org.audit_events(actor="system").events} <= {"system"}


def test_bad_filters_name_the_field(org, db_state):
    for filters, field in [(dict(since="yesterday"), "since"), (dict(until="2026-02-30"), "until"),
                           (dict(since="2026-03-05", until="2026-03-01"), "until"), (dict(limit=0), "limit"),
                           (dict(limit=5000), "limit"), (dict(object_id=3), "object_id"),
                           (dict(before_id=0), "before_id")]:
        with pytest.raises(ValidationError) as exc:
            org.audit_events(**filters)
        assert field in exc.value.fields, filters
    with pytest.raises(ValidationError, match="'yesterday' is not a date: write YYYY-MM-DD"):
        org.audit_events(since="yesterday")


def test_one_event_in_full_with_what_it_changed(org, market_as):
    market_as("mgr").set_cap("eng1", 30)
    org.set_setting("session_idle_minutes", 15)
    setting, cap = org.audit_log(limit=2)
    assert org.audit_event(setting.id) == setting
    assert changes(org.audit_event(setting.id)) == [Change("session_idle_minutes", 0, 15)]
    assert changes(org.audit_event(cap.id)) == [Change("cap", 20, 30)]
    market_as("eng1").update_profile(title="Staff Engineer")
    assert changes(org.audit_log(limit=1)[0]) == [Change("title", "Software Engineer", "Staff Engineer")]
    assert org.audit_event(cap.id).object == f"employee:{cap.object_id}"
    with pytest.raises(NotFound, match="audit event 999999 does not exist"):
        org.audit_event(999999)


def test_the_actions_to_pick_from(org):
    org.set_setting("default_cap_pct", 5)
    actions = org.audit_actions()
    assert actions == sorted(set(actions))
    assert {"register", "add_person", "set_setting"} <= set(actions)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_streams_the_filtered_view_page_by_page(org, market_as, fmt):
    toggle(org, 5)
    market_as("eng1").update_profile(title="Staff Engineer")  # not a setting: left out
    wanted = AuditFilter(action="set_setting")
    events = org.each_audit_event(wanted, page=2)
    first = next(events)
    org.set_setting("default_cap_pct", 99)  # recorded mid-export: newer than what the export walks
    out = io.StringIO()
    count = transfer.write_records(audit_records([first, *events], fmt), AUDIT_COLUMNS, fmt, out)
    assert count == 5
    if fmt == "json":
        rows = json.loads(out.getvalue())
        assert [r["id"] for r in rows] == all_ids(org, action="set_setting")[1:]
        assert rows[0]["detail"]["key"] == "release_auto_days" and rows[0]["actor"] == "admin"
    else:
        header, *lines = out.getvalue().splitlines()
        assert header == ",".join(AUDIT_COLUMNS) and len(lines) == 5
        assert '""key"": ""release_auto_days""' in lines[0]
    everyone = io.StringIO()
    transfer.write_records(audit_records(org.each_audit_event(page=3), "csv"), AUDIT_COLUMNS, "csv", everyone)
    assert len(everyone.getvalue().splitlines()) == len(all_ids(org)) + 1


def test_an_export_checks_its_filter_before_writing_anything(org):
    with pytest.raises(ValidationError):
        org.each_audit_event(AuditFilter(since="soon"))


@pytest.mark.parametrize("who", ["eng1", "owner", "mgr"])  # an employee, an owner, a line manager
def test_only_an_admin_reads_the_audit_log(org, market_as, who):
    market = market_as(who)
    for read in (lambda: market.audit_events(), lambda: market.audit_event(1), lambda: market.audit_actions(),
                 lambda: market.audit_log(), lambda: market.each_audit_event()):
        with pytest.raises(PermissionDenied, match="only an admin may read the audit log"):
            read()


@pytest.mark.blank_database  # it builds the schema of an older release itself
def test_migration_8_indexes_the_log_by_object(db_url):
    old = make_database(db_url)
    old.bind(M.MODELS, bind_refs=False, bind_backrefs=False)
    with old.connection_context():
        as_release(old, 6)
        assert AUDIT_OBJECT_INDEX not in {i.name for i in old.get_indexes("audit_event")}
        old.execute_sql("INSERT INTO audit_event (identified_by, action, object_type, object_id, detail, at) "
                        "VALUES ('system', 'load_demo', 'database', NULL, '{}', '2026-03-02 09:00:00')")
    old.close()
    db = open_database(db_url)
    with db.connection_context():
        assert database_version(db) == max(MIGRATIONS)
        assert AUDIT_OBJECT_INDEX in {i.name for i in db.get_indexes("audit_event")}
        assert [e.action for e in M.AuditEvent.select()] == ["load_demo"]
    db.close()
