"""The whole life of profiles, postings and applications through `Market`, on every
backend, as the people involved would notice it: statuses, notifications, seats, hours,
skills and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest

from oppmarket.domain import OpportunityDraft
from oppmarket.errors import Conflict, NotFound, PermissionDenied, ValidationError
from oppmarket.market import MAX_TEXT


def draft(**fields) -> OpportunityDraft:
    values = dict(
        title="Move CI to containers",
        description="Port the build pipeline.",
        hours_per_week=4,
        skills=[("Python", 3, "required"), ("k8s", 2, "grows")],
    )
    values.update(fields)
    return OpportunityDraft(**values)


def texts(market) -> list[str]:
    return [n.text for n in market.notifications()]


def apply_offer_and_accept(market_as, opp_id: int, who: str = "eng1", **apply_args) -> int:
    """An application the owner offered a seat and the applicant accepted: from here
    it waits for the line manager's release."""
    app_id = market_as(who).apply(opp_id, **apply_args).application_id
    market_as("owner").offer(app_id)
    market_as(who).accept(app_id)
    return app_id


@pytest.fixture
def opp(owner):
    return owner.post(draft(), publish=True)


# ---------------------------------------------------------------- profile


def test_skill_claim_records_level_source_and_date(org, market_as, clock):
    eng = market_as("eng1")
    claim = eng.set_skill("py", 3)
    assert (claim.skill, claim.level, claim.source, claim.evidence_count) == ("Python", 3, "self", 0)
    assert claim.confirmed_at == clock.now and not claim.stale

    clock.advance(days=10)
    claim = eng.set_skill("PYTHON", 4)
    assert (claim.level, claim.confirmed_at) == (4, clock.now)
    assert [(c.skill, c.level) for c in eng.profile().skills] == [("Python", 4)]
    # Skills are public: that is what the capability map is made of.
    assert [c.skill for c in market_as("eng2").profile("eng1").skills] == ["Python"]

    eng.remove_skill("py")
    assert eng.profile().skills == ()
    with pytest.raises(NotFound):
        eng.remove_skill("Python")


def test_claim_goes_stale_after_a_year_unless_confirmed_again(org, market_as, clock):
    eng = market_as("eng1")
    eng.set_skill("SQL", 2)
    clock.advance(days=365)
    assert not eng.profile().skills[0].stale
    clock.advance(days=1)
    assert eng.profile().skills[0].stale
    eng.set_skill("SQL", 2)
    assert not eng.profile().skills[0].stale


def test_interests_are_replaced_as_a_whole_and_resolve_aliases(org, market_as):
    eng = market_as("eng1")
    assert eng.set_interests(["k8s", "docker", "Kubernetes"]) == ("Docker", "Kubernetes")
    assert eng.profile().interests == ("Docker", "Kubernetes")
    assert eng.set_interests(["SQL"]) == ("SQL",)
    assert eng.set_interests([]) == ()


def test_weekly_hours_set_the_time_cap(org, market_as):
    eng = market_as("eng1")
    assert eng.profile().hours_left == 8  # 20 % of 40
    person = market_as("mgr").set_weekly_hours("eng1", "30")
    assert (person.weekly_hours, person.cap_hours) == (30, 6)
    assert eng.profile().hours_left == 6


def test_update_profile_without_changes_is_harmless(org, market_as):
    eng = market_as("eng1")
    assert eng.update_profile() == eng.whoami()


def test_first_person_to_register_becomes_admin(market_as):
    first = market_as("first").register_self("First Person")
    second = market_as("second").register_self("Second Person")
    assert first.is_admin and not second.is_admin
    with pytest.raises(Conflict):
        market_as("second").register_self("Again")


# ---------------------------------------------------------------- postings


def test_draft_is_seen_only_by_its_owner_until_published(owner, market_as):
    posted = owner.post(draft(title="Secret plan"))
    assert posted.status == "draft"
    for other in ("eng1", "admin"):
        with pytest.raises(NotFound):
            market_as(other).opportunity(posted.id)
        assert market_as(other).opportunities(status=None).items == ()
    with pytest.raises(NotFound):
        market_as("eng1").apply(posted.id)
    assert [o.id for o in owner.my_postings()] == [posted.id]
    assert owner.opportunities(status=None).items == ()  # drafts are never listed
    assert owner.count_opportunities() == 0

    owner.publish(posted.id)
    assert market_as("eng1").opportunity(posted.id).status == "open"
    assert [o.id for o in market_as("eng1").opportunities().items] == [posted.id]


def test_post_keeps_every_field_of_each_kind(org, owner):
    learning = owner.post(draft(kind="learning", title="Cloud certification", steps=["Read", " ", "Lab"],
                                certification="Cloud Practitioner", start="2026-04-01", end=dt.date(2026, 6, 30),
                                seats="3", location="Berlin", remote=False, department="Platform"),
                          publish=True)
    assert learning.steps == ("Read", "Lab")
    assert (learning.certification, learning.seats, learning.location, learning.remote) == (
        "Cloud Practitioner", 3, "Berlin", False)
    assert (learning.start, learning.end, learning.department) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30), "Platform")
    assert [(s.skill, s.level, s.role) for s in learning.required] == [("Python", 3, "required")]
    assert [(s.skill, s.level, s.role) for s in learning.grows] == [("Kubernetes", 2, "grows")]

    shadowing = owner.post(draft(kind="shadowing", title="Shadow the SRE lead", host="mgr"))
    assert shadowing.host_username == "mgr"
    assert shadowing.department == "Product"  # the owner's own by default
    mentorship = owner.post(draft(kind="mentorship", title="SQL mentoring", topics="Indexes\nPlans"))
    assert mentorship.topics == "Indexes\nPlans"


def test_owner_edits_title_skills_and_seats(opp, owner, clock):
    clock.advance(hours=2)
    edited = owner.edit(opp.id, draft(title="Move CI, phase 2", seats=3, skills=[("SQL", 2, "required")]))
    assert (edited.title, edited.seats, edited.status) == ("Move CI, phase 2", 3, "open")
    assert [(s.skill, s.level, s.role) for s in edited.skills] == [("SQL", 2, "required")]
    assert edited.updated_at == clock.now and edited.created_at == opp.created_at


def test_seats_cannot_shrink_below_the_people_holding_them(org, owner, market_as):
    posted = owner.post(draft(seats=2), publish=True)
    apply_offer_and_accept(market_as, posted.id, "eng1")
    apply_offer_and_accept(market_as, posted.id, "loner")
    with pytest.raises(ValidationError) as info:
        owner.edit(posted.id, draft(seats=1))
    assert "seats" in info.value.fields
    assert owner.opportunity(posted.id).seats == 2


def test_close_stops_applications_and_reopen_resumes_them(opp, owner, market_as):
    app_id = market_as("eng1").apply(opp.id).application_id
    assert owner.close(opp.id).status == "closed"
    with pytest.raises(Conflict):
        owner.close(opp.id)
    with pytest.raises(Conflict):
        market_as("eng2").apply(opp.id)
    assert market_as("eng2").opportunities().items == ()
    assert [o.id for o in market_as("eng2").opportunities(status="closed").items] == [opp.id]
    # Applicants already in play carry on.
    assert owner.offer(app_id).status == "offered"

    assert owner.publish(opp.id).status == "open"
    assert market_as("eng2").apply(opp.id).warning is None


def test_cancel_tells_everyone_still_in_play_and_frees_their_time(org, owner, market_as):
    admin = market_as("admin")
    posted = owner.post(draft(title="Data clean-up", seats=3), publish=True)
    offered = apply_offer_and_accept(market_as, posted.id, "eng1")
    applied = market_as("eng2").apply(posted.id).application_id
    active = apply_offer_and_accept(market_as, posted.id, "loner")
    withdrawn = market_as("owned").apply(posted.id).application_id
    market_as("owned").withdraw(withdrawn)
    manager_before = texts(market_as("mgr"))
    owned_before = texts(market_as("owned"))

    assert admin.cancel(posted.id, "budget cut").status == "cancelled"

    statuses = {a.id: a.status for a in admin.applicants(posted.id)}
    assert statuses == {offered: "cancelled", applied: "cancelled", active: "cancelled", withdrawn: "withdrawn"}
    assert admin.application(applied).decline_reason == "budget cut"
    for who in ("eng1", "eng2", "loner"):
        assert texts(market_as(who))[0] == "'Data clean-up' was cancelled: budget cut"
    assert texts(market_as("owned")) == owned_before
    assert "An admin cancelled your posting 'Data clean-up': budget cut" in texts(owner)
    # The manager waiting to release eng1 hears of it; eng2's application stays private.
    manager_after = texts(market_as("mgr"))
    manager_news = manager_after[: len(manager_after) - len(manager_before)]
    assert len(manager_news) == 1 and "Eli Engineer" in manager_news[0] and "cancelled" in manager_news[0]
    assert market_as("mgr").pending_releases() == []
    assert market_as("loner").profile().committed_hours == 0
    with pytest.raises(Conflict):
        owner.cancel(posted.id)
    with pytest.raises(Conflict):
        owner.edit(posted.id, draft())


def test_owner_cancelling_is_not_told_about_it(opp, owner):
    before = texts(owner)
    owner.cancel(opp.id)
    assert texts(owner) == before


def test_posting_completes_only_when_no_engagement_is_running(opp, owner, market_as):
    app_id = apply_offer_and_accept(market_as, opp.id)
    with pytest.raises(Conflict):
        owner.complete_posting(opp.id)
    market_as("mgr").release(app_id)
    with pytest.raises(Conflict):
        owner.complete_posting(opp.id)
    owner.complete(app_id, 5)
    assert owner.complete_posting(opp.id).status == "completed"
    with pytest.raises(Conflict):
        owner.publish(opp.id)
    with pytest.raises(Conflict):
        market_as("eng2").apply(opp.id)


def test_opportunities_page_by_keyset_newest_first(owner, market_as):
    ids = [owner.post(draft(title=f"Gig {n}"), publish=True).id for n in range(7)]
    owner.post(draft(title="Not yet"))
    reader = market_as("eng1")
    first = reader.opportunities(limit=3)
    assert [o.id for o in first.items] == ids[6:3:-1]
    # A posting that appears between pages does not shift the next ones.
    owner.post(draft(title="Newer"), publish=True)
    second = reader.opportunities(limit=3, after_id=first.next_after)
    assert [o.id for o in second.items] == ids[3:0:-1]
    third = reader.opportunities(limit=3, after_id=second.next_after)
    assert [o.id for o in third.items] == ids[:1] and third.next_after is None
    assert reader.count_opportunities() == 8


def test_opportunities_filter_by_kind_hours_remote_and_department(owner):
    gig = owner.post(draft(hours_per_week=2, remote=True), publish=True)
    mentoring = owner.post(draft(kind="mentorship", hours_per_week=6, remote=False, department="Platform"),
                           publish=True)
    assert [o.id for o in owner.opportunities(kind="mentorship").items] == [mentoring.id]
    assert [o.id for o in owner.opportunities(max_hours=4).items] == [gig.id]
    assert [o.id for o in owner.opportunities(remote=False).items] == [mentoring.id]
    assert [o.id for o in owner.opportunities(department="Product").items] == [gig.id]


# ---------------------------------------------------------------- applying


def test_apply_tells_the_owner_but_not_the_manager(opp, owner, market_as):
    result = market_as("eng1").apply(opp.id, "I built the old pipeline")
    assert result.warning is None
    app = market_as("eng1").application(result.application_id)
    assert (app.status, app.note, app.hours_per_week) == ("applied", "I built the old pipeline", 4)
    assert texts(owner)[0] == "Eli Engineer applied to 'Move CI to containers'"
    assert texts(market_as("mgr")) == []
    assert market_as("mgr").pending_releases() == []
    assert [a.opportunity_title for a in market_as("eng1").my_applications()] == ["Move CI to containers"]


def test_applying_past_the_cap_is_allowed_with_a_warning(org, owner, market_as):
    big = owner.post(draft(title="Big", hours_per_week=10), publish=True)
    result = market_as("eng1").apply(big.id)
    assert "cap" in result.warning and "8" in result.warning
    assert market_as("eng1").application(result.application_id).status == "applied"

    # A smaller share of the same posting fits.
    assert market_as("eng2").apply(big.id, hours_per_week="6").warning is None

    # Hours already committed count: loner has 6 of 8 once active.
    six = owner.post(draft(title="Six", hours_per_week=6), publish=True)
    apply_offer_and_accept(market_as, six.id, "loner")
    small = owner.post(draft(title="Small", hours_per_week=2), publish=True)
    assert market_as("loner").apply(small.id).warning is None
    three = owner.post(draft(title="Three", hours_per_week=3), publish=True)
    assert "cap" in market_as("loner").apply(three.id).warning


def test_duplicate_application_is_refused(opp, owner, market_as):
    market_as("eng1").apply(opp.id)
    with pytest.raises(Conflict):
        market_as("eng1").apply(opp.id, "again")
    assert len(owner.applicants(opp.id)) == 1


def test_withdraw_then_apply_again(opp, owner, market_as):
    eng = market_as("eng1")
    first = eng.apply(opp.id, "first try").application_id
    assert eng.withdraw(first).status == "withdrawn"
    assert texts(owner)[0] == "Eli Engineer withdrew from 'Move CI to containers'"
    with pytest.raises(Conflict):
        eng.withdraw(first)
    again = eng.apply(opp.id, "second try", hours_per_week=3)
    assert again.application_id == first
    app = eng.application(first)
    assert (app.status, app.note, app.hours_per_week) == ("applied", "second try", 3)


def test_withdrawing_an_offer_frees_the_seat_and_clears_the_release(opp, owner, market_as):
    eng = market_as("eng1")
    app_id = apply_offer_and_accept(market_as, opp.id)
    eng.withdraw(app_id)
    assert texts(market_as("mgr"))[0] == "Eli Engineer withdrew from 'Move CI to containers'; no release needed"
    assert market_as("mgr").pending_releases() == []
    assert owner.opportunity(opp.id).seats_taken == 0
    eng.apply(opp.id)
    app = eng.application(app_id)
    assert (app.status, app.offered_at, app.release_due) == ("applied", None, None)


def test_an_active_engagement_cannot_be_withdrawn(opp, market_as):
    app_id = apply_offer_and_accept(market_as, opp.id)
    market_as("mgr").release(app_id)
    with pytest.raises(Conflict):
        market_as("eng1").withdraw(app_id)


def test_shortlist_and_decline_tell_the_applicant(opp, owner, market_as):
    first = market_as("eng1").apply(opp.id).application_id
    second = market_as("eng2").apply(opp.id).application_id
    assert owner.shortlist(first).status == "shortlisted"
    assert texts(market_as("eng1"))[0] == "You were shortlisted for 'Move CI to containers'"
    with pytest.raises(Conflict):
        owner.shortlist(first)
    declined = owner.decline(second, "needs more Python")
    assert (declined.status, declined.decline_reason) == ("declined", "needs more Python")
    assert texts(market_as("eng2"))[0] == (
        "Your application to 'Move CI to containers' was not taken forward: needs more Python")
    assert texts(market_as("mgr")) == []
    with pytest.raises(Conflict):
        market_as("eng2").apply(opp.id)


# ---------------------------------------------------------------- offers and releases


def test_an_offer_waits_for_the_candidate_and_the_manager_hears_nothing(opp, owner, market_as, clock):
    app_id = market_as("eng1").apply(opp.id).application_id
    clock.advance(hours=1)
    app = owner.offer(app_id, "Welcome aboard")
    assert (app.status, app.offered_at, app.offer_due, app.release_due) == (
        "offered", clock.now, clock.now + dt.timedelta(days=7), None)
    news = market_as("eng1").notifications()[0]
    assert (news.text, news.link) == (
        "You have an offer for 'Move CI to containers': accept or decline by 2026-03-09 — Welcome aboard",
        f"offer:{app_id}")
    assert texts(market_as("mgr")) == [] and market_as("mgr").pending_releases() == []
    with pytest.raises(PermissionDenied):
        market_as("mgr").application(app_id)
    # The seat and the hours are held while the candidate makes up their mind.
    assert owner.opportunity(opp.id).seats_taken == 1
    assert market_as("eng1").profile().committed_hours == 4


def test_offer_answer_days_follow_the_setting(opp, owner, market_as, clock):
    assert market_as("admin").set_offer_answer_days("3") == 3
    app_id = market_as("eng1").apply(opp.id).application_id
    assert owner.offer(app_id).offer_due == clock.now + dt.timedelta(days=3)


def test_acceptance_asks_the_manager_for_a_release_by_a_deadline(opp, owner, market_as, clock):
    app_id = market_as("eng1").apply(opp.id).application_id
    owner.offer(app_id, "Welcome aboard")
    clock.advance(hours=1)
    app = market_as("eng1").accept(app_id)
    assert (app.status, app.accepted_at) == ("accepted", clock.now)
    assert app.release_due == clock.now + dt.timedelta(days=5)
    assert texts(owner)[0] == "Eli Engineer accepted your offer for 'Move CI to containers'"
    assert texts(market_as("mgr")) == [
        "Eli Engineer accepted an offer for 'Move CI to containers' (4 h/week): release or decline by 2026-03-07, "
        "or it is released automatically"]
    assert market_as("mgr").notifications()[0].link == f"release:{app_id}"
    assert "Welcome aboard" in texts(market_as("eng1"))[0]
    assert [a.id for a in market_as("mgr").pending_releases()] == [app_id]
    assert market_as("owner").pending_releases() == []
    assert owner.opportunity(opp.id).seats_taken == 1
    assert market_as("eng1").profile().committed_hours == 4


def test_release_deadline_follows_the_setting(opp, owner, market_as, clock):
    assert market_as("admin").set_release_auto_days("3") == 3
    app_id = market_as("eng1").apply(opp.id).application_id
    assert owner.offer(app_id).release_due is None
    assert market_as("eng1").accept(app_id).release_due == clock.now + dt.timedelta(days=3)


def test_applicant_without_a_manager_starts_once_they_accept(opp, owner, market_as, clock):
    app_id = market_as("loner").apply(opp.id).application_id
    assert owner.offer(app_id).status == "offered"
    app = market_as("loner").accept(app_id)
    assert (app.status, app.release_automatic, app.released_at, app.release_due) == ("active", True, clock.now, None)
    assert market_as("loner").profile().committed_hours == 4


def test_declining_an_offer_frees_the_seat_and_tells_only_the_owner(org, owner, market_as):
    posted = owner.post(draft(seats=1), publish=True)
    first = market_as("eng1").apply(posted.id).application_id
    second = market_as("eng2").apply(posted.id).application_id
    owner.offer(first)
    with pytest.raises(Conflict):
        owner.offer(second)
    with pytest.raises(PermissionDenied):
        owner.decline_offer(first)
    app = market_as("eng1").decline_offer(first, "  the timing is wrong \x1b[31m ")
    assert (app.status, app.decline_reason) == ("offer_declined", "the timing is wrong [31m")
    assert texts(owner)[0] == ("Eli Engineer declined your offer for 'Move CI to containers': "
                               "the timing is wrong [31m; the seat is free again")
    assert texts(market_as("mgr")) == []
    assert market_as("eng1").profile().committed_hours == 0
    assert owner.offer(second).status == "offered"
    with pytest.raises(Conflict, match="not an offer waiting for an answer"):
        market_as("eng1").accept(first)
    with pytest.raises(ValidationError) as info:
        market_as("eng2").decline_offer(second, "x" * (MAX_TEXT + 1))
    assert "reason" in info.value.fields


def test_an_unanswered_offer_lapses_in_maintenance(opp, owner, market_as, clock):
    app_id = market_as("eng1").apply(opp.id).application_id
    owner.offer(app_id)
    system = market_as(None)
    clock.advance(days=7, minutes=-1)
    system.run_maintenance()
    assert owner.application(app_id).status == "offered"
    clock.advance(minutes=1)
    # Past the deadline the candidate can no longer accept, even before the pass.
    with pytest.raises(Conflict, match="it has lapsed"):
        market_as("eng1").accept(app_id)
    assert system.lapse_overdue_offers() == 1
    assert owner.application(app_id).status == "offer_lapsed"
    assert texts(owner)[0] == ("Eli Engineer did not answer your offer for 'Move CI to containers' in time; "
                               "it lapsed and the seat is free again")
    assert texts(market_as("eng1"))[0] == "Your offer for 'Move CI to containers' lapsed: it was not answered in time"
    assert texts(market_as("mgr")) == []
    assert owner.opportunity(opp.id).seats_taken == 0
    event = market_as("admin").audit_log(limit=1)[0]
    assert (event.action, event.actor, event.object_id) == ("lapse_offer", None, app_id)
    assert system.lapse_overdue_offers() == 0


def test_no_offer_beyond_the_seats(org, owner, market_as):
    posted = owner.post(draft(seats=1), publish=True)
    first = apply_offer_and_accept(market_as, posted.id, "eng1")
    second = market_as("eng2").apply(posted.id).application_id
    with pytest.raises(Conflict) as info:
        owner.offer(second)
    assert "no seat left" in str(info.value)
    assert owner.application(second).status == "applied"
    # A declined release gives the seat back.
    market_as("mgr").decline_release(first, "release window closed")
    assert owner.offer(second).status == "offered"


def test_no_offer_beyond_the_cap_until_the_manager_raises_it(org, owner, market_as):
    six = owner.post(draft(title="Six", hours_per_week=6), publish=True)
    market_as("mgr").release(apply_offer_and_accept(market_as, six.id))
    three = owner.post(draft(title="Three", hours_per_week=3), publish=True)
    app_id = market_as("eng1").apply(three.id).application_id
    with pytest.raises(Conflict) as info:
        owner.offer(app_id)
    assert "cap" in str(info.value)
    # Exactly up to the cap is fine.
    two = owner.post(draft(title="Two", hours_per_week=2), publish=True)
    assert owner.offer(market_as("eng1").apply(two.id).application_id).status == "offered"

    person = market_as("mgr").set_cap("eng1", 30)
    assert (person.cap_pct, person.cap_hours) == (30, 12)
    assert texts(market_as("eng1"))[0] == "Your marketplace time cap is now 30% (was 20%)"
    assert owner.offer(app_id).status == "offered"


def test_manager_releases_time(opp, owner, market_as, clock):
    app_id = apply_offer_and_accept(market_as, opp.id)
    clock.advance(days=1)
    app = market_as("mgr").release(app_id)
    assert (app.status, app.released_by, app.released_at, app.release_automatic) == (
        "active", "mgr", clock.now, False)
    assert texts(market_as("eng1"))[0] == "Your manager released your time for 'Move CI to containers': you can start"
    assert texts(owner)[0] == "Eli Engineer's manager released them for 'Move CI to containers'"
    assert market_as("mgr").pending_releases() == []
    with pytest.raises(Conflict):
        market_as("mgr").release(app_id)


def test_declining_a_release_needs_a_reason(opp, owner, market_as):
    app_id = apply_offer_and_accept(market_as, opp.id)
    for empty in ("", "   ", "\x1b\x07"):
        with pytest.raises(ValidationError) as info:
            market_as("mgr").decline_release(app_id, empty)
        assert "reason" in info.value.fields
    assert owner.application(app_id).status == "accepted"

    app = market_as("mgr").decline_release(app_id, "launch week")
    assert (app.status, app.release_reason, app.released_by) == ("release_declined", "launch week", "mgr")
    assert texts(market_as("eng1"))[0] == "Your manager declined your time for 'Move CI to containers': launch week"
    assert "launch week" in texts(owner)[0]
    assert owner.opportunity(opp.id).seats_taken == 0
    with pytest.raises(Conflict):
        market_as("mgr").release(app_id)


def test_undecided_release_is_granted_automatically_after_the_deadline(opp, owner, market_as, clock):
    app_id = apply_offer_and_accept(market_as, opp.id)
    offered_at = clock.now
    system = market_as(None)
    owner_news = len(texts(owner))

    clock.advance(days=5, minutes=-1)
    assert system.run_maintenance() == 0
    assert owner.application(app_id).status == "accepted"

    clock.advance(minutes=1)
    assert system.run_maintenance() == 1
    app = owner.application(app_id)
    assert (app.status, app.release_automatic, app.released_by, app.released_at) == (
        "active", True, None, offered_at + dt.timedelta(days=5))
    event = market_as("admin").audit_log(limit=1)[0]
    assert (event.action, event.actor, event.object_id) == ("auto_release", None, app_id)
    assert "released automatically" in texts(market_as("eng1"))[0]
    assert "granted automatically" in texts(market_as("mgr"))[0]
    assert len(texts(owner)) == owner_news + 1
    assert market_as("mgr").pending_releases() == []

    assert system.run_maintenance() == 0
    with pytest.raises(Conflict):
        market_as("mgr").decline_release(app_id, "too late")


def test_a_decided_release_is_left_alone_by_maintenance(opp, market_as, clock):
    app_id = apply_offer_and_accept(market_as, opp.id)
    market_as("mgr").decline_release(app_id, "not now")
    clock.advance(days=30)
    assert market_as(None).run_maintenance() == 0
    assert market_as("eng1").application(app_id).status == "release_declined"


# ---------------------------------------------------------------- completion


def test_completion_rates_and_endorses_the_skills_used(owner, market_as, clock):
    # Endorsements are limited to the posting's skills, so this one asks for SQL too.
    opp = owner.post(draft(skills=[("Python", 3, "required"), ("SQL", 2, "required"), ("k8s", 2, "grows")]),
                     publish=True)
    eng = market_as("eng1")
    eng.set_skill("Python", 3)
    eng.set_skill("SQL", 4)
    clock.advance(days=400)
    assert all(c.stale for c in eng.profile().skills)
    app_id = apply_offer_and_accept(market_as, opp.id)
    market_as("mgr").release(app_id)
    clock.advance(days=30)

    app = owner.complete(app_id, "4", "Shipped the new pipeline", {"py": 4, "SQL": 2, "k8s": 2})
    assert (app.status, app.rating, app.feedback, app.completed_at) == (
        "completed", 4, "Shipped the new pipeline", clock.now)

    claims = {c.skill: c for c in eng.profile().skills}
    python, sql, k8s = claims["Python"], claims["SQL"], claims["Kubernetes"]
    assert (python.level, python.evidence_count, python.source, python.confirmed_at, python.stale) == (
        4, 1, "endorsed", clock.now, False)
    assert (sql.level, sql.evidence_count, sql.confirmed_at, sql.stale) == (4, 1, clock.now, False)
    assert (k8s.level, k8s.evidence_count, k8s.source) == (2, 1, "endorsed")

    profile = eng.profile()
    assert (profile.engagements, profile.committed_hours) == (1, 0)
    assert owner.opportunity(opp.id).seats_taken == 0
    assert "rated 4/5" in texts(eng)[0]

    # Evidence accumulates across engagements.
    again = owner.post(draft(title="Second gig"), publish=True)
    second = apply_offer_and_accept(market_as, again.id)
    market_as("mgr").release(second)
    owner.complete(second, 5, endorsements={"Python": 3})
    python = next(c for c in eng.profile().skills if c.skill == "Python")
    assert (python.level, python.evidence_count) == (4, 2)


def test_only_an_active_engagement_can_be_completed(opp, owner, market_as):
    app_id = apply_offer_and_accept(market_as, opp.id)
    with pytest.raises(Conflict):
        owner.complete(app_id, 5)
    assert owner.application(app_id).status == "accepted"


def test_core_work_question_goes_to_participant_and_manager(opp, owner, market_as):
    app_id = apply_offer_and_accept(market_as, opp.id)
    market_as("mgr").release(app_id)
    owner.complete(app_id, 5, "great")
    eng, mgr = market_as("eng1"), market_as("mgr")

    [mine] = eng.core_work_questions()
    [theirs] = mgr.core_work_questions()
    assert (mine.role, mine.answer, mine.opportunity_title, mine.application_id) == (
        "participant", None, "Move CI to containers", app_id)
    assert (theirs.role, theirs.participant_username) == ("manager", "eng1")
    assert texts(eng)[0].endswith("How did it affect your core work?")
    assert texts(mgr)[0] == "Eli Engineer completed 'Move CI to containers'. How did it affect their core work?"

    answered = eng.answer_core_work(mine.id, "better", "learned containers")
    assert (answered.answer, answered.comment) == ("better", "learned containers")
    assert eng.core_work_questions() == []
    assert [q.answer for q in eng.core_work_questions(unanswered_only=False)] == ["better"]
    assert mgr.answer_core_work(theirs.id, "same").answer == "same"
    assert mgr.core_work_questions() == []


def test_participant_without_a_manager_is_the_only_one_asked(opp, owner, market_as):
    app_id = market_as("loner").apply(opp.id).application_id
    owner.offer(app_id)
    market_as("loner").accept(app_id)
    owner.complete(app_id, 3)
    assert [q.role for q in market_as("loner").core_work_questions()] == ["participant"]
    assert market_as("mgr").core_work_questions() == []


# ---------------------------------------------------------------- inbox and audit


def test_notifications_count_unread_and_mark_read(opp, owner, market_as):
    for who in ("eng1", "eng2", "loner"):
        market_as(who).apply(opp.id)
    assert owner.unread_count() == 3
    newest, middle, oldest = owner.notifications()
    assert owner.mark_read(middle.id) == 1
    assert owner.unread_count() == 2
    assert [n.id for n in owner.notifications(unread_only=True)] == [newest.id, oldest.id]
    assert [n.read for n in owner.notifications()] == [False, True, False]
    # Someone else's notification is not theirs to mark.
    assert market_as("eng1").mark_read(newest.id) == 0
    assert owner.unread_count() == 2
    assert owner.mark_read() == 2
    assert owner.unread_count() == 0 and owner.mark_read() == 0


def test_every_write_leaves_one_audit_event(org, market_as, clock):
    admin, owner, eng, mgr = (market_as(u) for u in ("admin", "owner", "eng1", "mgr"))

    def audited(action: str, actor: str | None, write):
        clock.advance(minutes=1)
        before = admin.audit_log(limit=1)[0].id
        result = write()
        events = [e for e in admin.audit_log(limit=10) if e.id > before]
        assert [(e.action, e.actor, e.at) for e in events] == [(action, actor, clock.now)], action
        return result

    audited("register", "newbie", lambda: market_as("newbie").register_self("New Person"))
    audited("add_person", "admin", lambda: admin.add_person("hire", "New Hire", manager="mgr"))
    audited("add_skill", "eng1", lambda: eng.add_skill("Terraform", aliases=["tf"]))
    audited("set_skill", "eng1", lambda: eng.set_skill("tf", 2))
    audited("remove_skill", "eng1", lambda: eng.remove_skill("tf"))
    audited("set_interests", "eng1", lambda: eng.set_interests(["SQL"]))
    audited("update_profile", "eng1", lambda: eng.update_profile(title="Staff Engineer"))
    audited("set_setting", "admin", lambda: admin.set_release_auto_days(4))
    opp = audited("post", "owner", lambda: owner.post(draft(seats=3)))
    audited("publish", "owner", lambda: owner.publish(opp.id))
    audited("edit", "owner", lambda: owner.edit(opp.id, draft(seats=3, title="Edited")))
    first = audited("apply", "eng1", lambda: eng.apply(opp.id)).application_id
    audited("withdraw", "eng1", lambda: eng.withdraw(first))
    audited("apply", "eng1", lambda: eng.apply(opp.id))
    audited("shortlist", "owner", lambda: owner.shortlist(first))
    audited("offer", "owner", lambda: owner.offer(first))
    audited("accept", "eng1", lambda: eng.accept(first))
    audited("release", "mgr", lambda: mgr.release(first))
    audited("complete", "owner", lambda: owner.complete(first, 4, endorsements={"Python": 3}))
    question = eng.core_work_questions()[0].id
    audited("answer_core_work", "eng1", lambda: eng.answer_core_work(question, "same"))
    second = market_as("eng2").apply(opp.id).application_id
    audited("decline", "owner", lambda: owner.decline(second, "not this time"))
    third = market_as("hire").apply(opp.id).application_id
    owner.offer(third)
    market_as("hire").accept(third)
    audited("decline_release", "mgr", lambda: mgr.decline_release(third, "busy quarter"))
    audited("set_cap", "mgr", lambda: mgr.set_cap("eng2", 25))
    audited("set_weekly_hours", "mgr", lambda: mgr.set_weekly_hours("eng2", 36))
    audited("close", "owner", lambda: owner.close(opp.id))
    audited("complete", "owner", lambda: owner.complete_posting(opp.id))
    other = owner.post(draft(title="To cancel"), publish=True)
    audited("cancel", "admin", lambda: admin.cancel(other.id, "duplicate"))
    late = owner.post(draft(title="Auto"), publish=True)
    late_app = eng.apply(late.id).application_id
    owner.offer(late_app)
    eng.accept(late_app)
    clock.advance(days=4)
    audited("auto_release", None, lambda: market_as(None).run_maintenance())
    declined = owner.post(draft(title="Turned down"), publish=True)
    turned_down = market_as("eng2").apply(declined.id).application_id
    owner.offer(turned_down)
    audited("decline_offer", "eng2", lambda: market_as("eng2").decline_offer(turned_down))
    audited("set_setting", "admin", lambda: admin.set_offer_answer_days(10))

    detail = next(e.detail for e in admin.audit_log() if e.action == "set_cap")
    assert detail == {"old": 20, "new": 25}
