"""Saved searches and their alerts, the weekly digest, and location in For you, on
every backend."""

from __future__ import annotations

import pytest

from oppmarket.domain import OpportunityDraft
from oppmarket.errors import NotFound, ValidationError
from oppmarket.saved_searches import MAX_PER_PERSON


def draft(title: str, **fields) -> OpportunityDraft:
    values = dict(title=title, hours_per_week=4)
    values.update(fields)
    return OpportunityDraft(**values)


def inbox(market) -> list[str]:
    return [n.text for n in market.notifications()]


def alerts(market) -> list[str]:
    return [t for t in inbox(market) if "saved search" in t]


@pytest.fixture
def eng1(org, market_as):
    return market_as("eng1")


def test_a_newly_opened_matching_posting_reaches_the_saver_once(owner, eng1, market_as):
    eng1.save_search("Cluster work", query="k8s")
    eng1.save_search("Short gigs", kind="gig", max_hours=4)
    opp = owner.post(draft("Cluster upgrade", skills=[("Kubernetes", 3, "required")]), publish=True)
    # One inbox item naming both searches, leading to the posting.
    [notice] = [n for n in eng1.notifications() if "saved search" in n.text]
    assert notice.text == "New posting 'Cluster upgrade' matches your saved searches 'Cluster work', 'Short gigs'"
    assert notice.link == f"opp:{opp.id}"
    # Closed and opened again: nobody hears of it twice.
    owner.close(opp.id)
    owner.publish(opp.id)
    assert len(alerts(eng1)) == 1
    # Someone without saved searches hears nothing.
    assert alerts(market_as("eng2")) == []


def test_drafts_and_non_matching_postings_alert_nobody_until_opened(owner, eng1):
    eng1.save_search("Cluster work", query="kubernetes")
    owner.post(draft("Spreadsheet tidy-up", description="Clean the budget sheets."), publish=True)
    drafted = owner.post(draft("Move to k8s", skills=[("Kubernetes", 2, "required")]))
    assert alerts(eng1) == []
    owner.publish(drafted.id)
    assert alerts(eng1) == ["New posting 'Move to k8s' matches your saved search 'Cluster work'"]


def test_filters_must_all_fit(owner, eng1):
    eng1.save_search("Remote Product gigs", kind="gig", department="Product", remote_only=True)
    owner.post(draft("On site", department="Product", remote=False, location="Lisbon"), publish=True)
    owner.post(draft("A mentorship", kind="mentorship", department="Product", topics="Roadmaps"), publish=True)
    owner.post(draft("Fits", department="Product"), publish=True)
    assert alerts(eng1) == ["New posting 'Fits' matches your saved search 'Remote Product gigs'"]


def test_ones_own_posting_alerts_nobody(org, market_as):
    owner = market_as("owner")
    owner.save_search("Mine", kind="gig")
    owner.post(draft("My gig"), publish=True)
    assert alerts(owner) == []


def test_saving_is_validated(eng1):
    with pytest.raises(ValidationError) as empty:
        eng1.save_search("Anything")
    assert "query" in empty.value.fields
    with pytest.raises(ValidationError) as long:
        eng1.save_search("x" * 81, query="python")
    assert "80" in long.value.fields["name"]
    with pytest.raises(ValidationError) as kind:
        eng1.save_search("Bad kind", kind="party")
    assert "kind" in kind.value.fields
    with pytest.raises(ValidationError) as dept:
        eng1.save_search("Nowhere", department="Atlantis")
    assert "department" in dept.value.fields
    with pytest.raises(ValidationError) as hours:
        eng1.save_search("Hours", max_hours="lots")
    assert "max_hours" in hours.value.fields
    eng1.save_search("Python", query="python")
    with pytest.raises(ValidationError) as twice:
        eng1.save_search("Python", query="py")
    assert "already" in twice.value.fields["name"]
    assert [s.name for s in eng1.saved_searches()] == ["Python"]


def test_at_most_so_many_each_and_removal(eng1):
    for n in range(MAX_PER_PERSON):
        eng1.save_search(f"Search {n:02}", query=f"word{n}")
    with pytest.raises(ValidationError) as full:
        eng1.save_search("One more", query="python")
    assert "at most" in full.value.fields["name"]
    eng1.remove_search("Search 00")
    eng1.save_search("One more", query="python")
    with pytest.raises(NotFound):
        eng1.remove_search("Search 00")
    assert len(eng1.saved_searches()) == MAX_PER_PERSON


def test_saved_searches_are_private(eng1, market_as):
    eng1.save_search("Mine", query="python")
    assert market_as("eng2").saved_searches() == []
    with pytest.raises(NotFound):
        market_as("eng2").remove_search("Mine")


def test_the_weekly_digest_goes_once_a_week_to_those_who_asked(owner, eng1, market_as, clock):
    owner.post(draft("Python tooling", skills=[("Python", 2, "required")]), publish=True)
    eng1.set_skill("Python", 3)
    eng1.update_profile(weekly_digest=True)
    system = market_as(None)
    assert system.send_weekly_digests() == 1
    [digest] = [n for n in eng1.notifications() if n.text.startswith("This week for you")]
    assert "'Python tooling'" in digest.text
    # Not twice in the same week, however often maintenance runs.
    assert system.send_weekly_digests() == 0
    system.run_maintenance()
    clock.advance(days=2)
    assert system.send_weekly_digests() == 0
    # The next week, once more.
    clock.advance(days=7)
    assert system.send_weekly_digests() == 1
    assert len([t for t in inbox(eng1) if t.startswith("This week for you")]) == 2
    # Those who did not ask hear nothing.
    assert [t for t in inbox(market_as("eng2")) if t.startswith("This week")] == []


def test_location_and_preference_are_kept_and_checked(eng1):
    person = eng1.update_profile(location=" Lisbon ", remote_preference="nearby", weekly_digest=True)
    assert (person.location, person.remote_preference, person.weekly_digest) == ("Lisbon", "nearby", True)
    with pytest.raises(ValidationError) as bad:
        eng1.update_profile(remote_preference="moon")
    assert "remote_preference" in bad.value.fields
    with pytest.raises(ValidationError):
        eng1.update_profile(location="x" * 121)


def test_for_you_leaves_out_in_person_work_elsewhere_unless_asked(owner, eng1):
    owner.post(draft("Remote gig"), publish=True)
    owner.post(draft("Lisbon workshop", remote=False, location="Lisbon"), publish=True)
    owner.post(draft("Berlin workshop", remote=False, location="Berlin"), publish=True)

    def titles(**kw):
        return sorted(r.opportunity.title for r in eng1.recommend(record=False, **kw))

    everything = ["Berlin workshop", "Lisbon workshop", "Remote gig"]
    assert titles() == everything  # no preference given: nothing left out
    eng1.update_profile(location="lisbon", remote_preference="nearby")
    assert titles() == ["Lisbon workshop", "Remote gig"]
    assert titles(anywhere=True) == everything
    eng1.update_profile(remote_preference="remote")
    assert titles() == ["Remote gig"]
    eng1.update_profile(remote_preference="anywhere")
    assert titles() == everything


@pytest.mark.blank_database  # it builds the schema of an older release itself
def test_migration_4_brings_a_version_3_database_forward(db_url):
    """A database from before saved searches gains them, and its people keep their rows
    with the new fields at their defaults."""
    from oppmarket.db import models as M
    from oppmarket.db.connection import make_database, open_database
    from oppmarket.db.schema import database_version
    from oppmarket.market import Market

    from support.releases import as_release

    old = make_database(db_url)
    old.bind(M.MODELS, bind_refs=False, bind_backrefs=False)
    with old.connection_context():
        as_release(old, 3)
        old.execute_sql("INSERT INTO employee (username, display_name, email, title, weekly_hours, cap_pct, "
                        "is_admin, active, created_at) VALUES ('ada', 'Ada', '', '', 40, 20, TRUE, TRUE, "
                        "'2026-03-02 09:00:00')")
        assert database_version(old) == 3
    old.close()
    db = open_database(db_url)
    try:
        with db.connection_context():
            assert {"location", "remote_preference", "weekly_digest", "digest_sent_at"} <= {
                c.name for c in db.get_columns("employee")}
        ada = Market(db, "ada").whoami()
        assert (ada.location, ada.remote_preference, ada.weekly_digest) == ("", "anywhere", False)
        Market(db, "ada").save_search("Python", query="python")
    finally:
        db.close()


def test_the_demo_has_places_preferences_and_searches():
    from oppmarket.demo.generator import generate

    from support import NOW

    demo = generate(now=NOW)
    people = demo.rows("employee")
    assert all(p["location"] for p in people)
    assert {p["remote_preference"] for p in people} == {"anywhere", "nearby", "remote"}
    engineer = next(p for p in people if p["username"] == demo.summary.engineer)
    assert (engineer["location"], engineer["remote_preference"], engineer["weekly_digest"]) == (
        "Lisbon", "nearby", True)
    kept = demo.rows("saved_search")
    assert {s["name"] for s in kept if s["owner"] == engineer["id"]} == {"Kubernetes work", "Short Python gigs"}
    assert len({s["owner"] for s in kept}) > 5
