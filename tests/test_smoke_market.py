from oppmarket.domain import OpportunityDraft


def test_post_apply_offer_release(org, market_as):
    owner = market_as("owner")
    opp = owner.post(OpportunityDraft(title="Migrate CI", hours_per_week=4, skills=[("py", 3, "required")]), publish=True)
    res = market_as("eng1").apply(opp.id, "keen")
    assert res.warning is None
    owner.offer(res.application_id)
    market_as("eng1").accept(res.application_id)
    assert market_as("mgr").pending_releases()[0].id == res.application_id
    app = market_as("mgr").release(res.application_id)
    assert app.status == "active"
