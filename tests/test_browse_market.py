"""What the browse list asks of `Market`: keyset pages in both directions and in
both orders, and counts under the same filters, on every backend."""

from __future__ import annotations

import pytest

from oppmarket.domain import OpportunityDraft
from oppmarket.errors import ValidationError
from oppmarket.lifecycle import AppStatus


def post(owner, title: str, **fields) -> int:
    values = dict(title=title, hours_per_week=4)
    values.update(fields)
    return owner.post(OpportunityDraft(**values), publish=True).id


def walk_forward(market, limit: int, **query) -> list[int]:
    seen, after = [], None
    while True:
        page = market.opportunities(limit=limit, after_id=after, **query)
        seen += [o.id for o in page.items]
        if page.next_after is None:
            return seen
        after = page.next_after


def walk_backward(market, from_id: int, limit: int, **query) -> list[int]:
    """Every row before `from_id`, gathered page by page going up."""
    seen, before = [], from_id
    while before is not None:
        page = market.opportunities(limit=limit, before_id=before, **query)
        seen = [o.id for o in page.items] + seen
        before = page.next_after
    return seen


def test_newest_pages_go_down_and_come_back_up(owner, market_as):
    ids = [post(owner, f"Gig {n}") for n in range(7)]
    reader = market_as("eng1")
    newest_first = ids[::-1]
    assert walk_forward(reader, 3) == newest_first
    # From the last row back to the top, three at a time: the same rows, same order.
    assert walk_backward(reader, newest_first[-1], 3) == newest_first[:-1]
    page = reader.opportunities(limit=3, before_id=newest_first[4])
    assert [o.id for o in page.items] == newest_first[1:4] and page.next_after == newest_first[1]
    top = reader.opportunities(limit=3, before_id=newest_first[1])
    assert [o.id for o in top.items] == newest_first[:1] and top.next_after is None


def test_closing_soon_orders_by_end_then_id_with_open_ended_last(owner, market_as):
    late = post(owner, "Late", end="2026-09-30")
    open_ended_a = post(owner, "Open-ended A")
    soon_a = post(owner, "Soon A", end="2026-04-01")
    soon_b = post(owner, "Soon B", end="2026-04-01")
    open_ended_b = post(owner, "Open-ended B")
    middle = post(owner, "Middle", end="2026-06-15")
    expected = [soon_a, soon_b, middle, late, open_ended_a, open_ended_b]
    reader = market_as("eng1")
    for size in (1, 2, 4, 10):
        assert walk_forward(reader, size, order="closing") == expected
        assert walk_backward(reader, expected[-1], size, order="closing") == expected[:-1]
    # Back up from an open-ended row and from a dated one.
    assert [o.id for o in reader.opportunities(order="closing", limit=2, before_id=open_ended_b).items] \
        == [late, open_ended_a]
    assert [o.id for o in reader.opportunities(order="closing", limit=2, before_id=middle).items] \
        == [soon_a, soon_b]


def test_pages_and_counts_share_the_filters(owner, market_as):
    match = [post(owner, f"Remote short {n}", kind="mentorship", remote=True, hours_per_week=2,
                  department="Platform", end=f"2026-05-0{n + 1}") for n in range(5)]
    post(owner, "On site", kind="mentorship", remote=False, hours_per_week=2, department="Platform")
    post(owner, "Too long", kind="mentorship", remote=True, hours_per_week=8, department="Platform")
    post(owner, "Other kind", kind="gig", remote=True, hours_per_week=2, department="Platform")
    post(owner, "Other department", kind="mentorship", remote=True, hours_per_week=2, department="Product")
    reader = market_as("eng1")
    filters = dict(kind="mentorship", remote=True, max_hours=4, department="Platform")
    assert reader.count_opportunities("open", **filters) == 5
    assert reader.count_opportunities("open") == 9
    assert walk_forward(reader, 2, **filters) == match[::-1]
    assert walk_forward(reader, 2, order="closing", **filters) == match
    assert walk_backward(reader, match[-1], 2, order="closing", **filters) == match[:-1]


def test_an_unknown_order_is_refused(owner, market_as):
    with pytest.raises(ValidationError) as caught:
        market_as("eng1").opportunities(order="random")
    assert "order" in caught.value.fields


def test_rate_gives_the_same_matches_without_reading_again(owner, market_as):
    market_as("admin").as_user("eng1").set_skill("Python", 2)
    ids = [post(owner, f"Gig {n}", skills=[("Python", 3, "required"), ("SQL", 1, "grows")]) for n in range(3)]
    eng = market_as("eng1")
    page = eng.opportunities(limit=10)
    assert eng.rate(page.items) == eng.matches(ids)
    assert {m.score for m in eng.rate(page.items).values()} == {eng.match(ids[0]).score}


def recommended(market, **query) -> list[int]:
    return [r.opportunity.id for r in market.recommend(limit=50, **query)]


def test_recommendations_leave_out_what_you_are_in_and_what_is_full(owner, market_as):
    market_as("admin").as_user("eng1").set_skill("Python", 3)
    python = [("Python", 3, "required")]
    waiting, shortlisted, offered, withdrawn, declined = (post(owner, f"In it {n}", skills=python)
                                                         for n in range(5))
    full = post(owner, "Full", skills=python, seats=1)
    one_left = post(owner, "One seat left", skills=python, seats=2)
    free = post(owner, "Nobody applied", skills=python)
    eng1, eng2 = market_as("eng1"), market_as("eng2")
    mine = {opp: eng1.apply(opp).application_id for opp in (waiting, shortlisted, offered, withdrawn, declined)}
    owner.shortlist(mine[shortlisted])
    owner.offer(mine[offered])
    eng1.withdraw(mine[withdrawn])
    owner.decline(mine[declined])
    for opp in (full, one_left):
        owner.offer(eng2.apply(opp).application_id)
    # Someone else's application that holds no seat yet leaves the seat open.
    market_as("owned").apply(free)

    # Withdrawn: applying again is allowed, so it may be recommended again.
    assert sorted(recommended(eng1)) == sorted([withdrawn, one_left, free])
    assert full not in recommended(market_as("loner"))


def test_postings_without_skills_stay_recommendable(owner, market_as):
    market_as("admin").as_user("eng1").set_skill("Python", 3)
    plain = post(owner, "Help at the summer party", kind="volunteering")
    python = post(owner, "Python clinic", skills=[("Python", 2, "required")])
    assert set(recommended(market_as("eng1"))) == {plain, python}


def test_my_statuses_say_where_you_stand_and_only_for_you(owner, market_as):
    applied, offered, untouched = (post(owner, f"Gig {n}") for n in range(3))
    eng1 = market_as("eng1")
    eng1.apply(applied)
    owner.offer(eng1.apply(offered).application_id)
    market_as("eng2").apply(untouched)
    assert eng1.my_statuses([applied, offered, untouched]) == {applied: AppStatus.APPLIED, offered: AppStatus.OFFERED}
    assert market_as("eng2").my_statuses([applied, untouched]) == {untouched: AppStatus.APPLIED}
    assert eng1.my_statuses([]) == {}
