"""The capability map's figures on an organisation whose answers are known (see
tests/support/capability.py), the rule of who sees the people behind a count, and
the pure arithmetic underneath."""

from __future__ import annotations

import pytest

from oppmarket import capability, policy
from oppmarket.capability import (
    NO_DEPARTMENT, Cell, CellCount, Contract, Peak, SeatCount, build_map, depth, depth_ranges, tally, with_time,
)
from oppmarket.errors import NotFound, ValidationError
from oppmarket.market import Market

from support.capability import capability_org


@pytest.fixture
def company(db, clock):
    return capability_org(db, clock)


def figures(cmap):
    """{skill: (demand, available, gap)}"""
    return {r.name: (r.demand, r.available, r.gap) for r in cmap.rows}


def cells(cmap):
    """{(skill, department): cell} for every cell that holds anyone."""
    return {(r.name, c.name): r.cell(c.key) for r in cmap.rows for c in cmap.columns
            if r.cell(c.key) != capability.EMPTY}


# ---------------------------------------------------------------------- the map


def test_cells_count_people_by_source_with_stale_claims_apart(company, market_as):
    cmap = market_as("eng1").capability_map()
    assert [c.name for c in cmap.columns] == ["Data", "Platform", "Product", "No department"]
    assert cells(cmap) == {
        ("Python", "Platform"): Cell(self_declared=1, endorsed=1, certified=0, stale=1),  # mgr, eng1; eng2 stale
        ("Python", "Data"): Cell(self_declared=1),  # ana
        ("Python", "No department"): Cell(self_declared=1),  # loner
        ("SQL", "Data"): Cell(certified=1),  # ana
        ("SQL", "Product"): Cell(self_declared=1),  # owner
        ("Kubernetes", "Platform"): Cell(self_declared=1),  # eng1
    }
    python = cmap.rows[cmap.row_of(cmap.rows[0].skill_id)]
    assert python.name == "Python" and python.total == Cell(3, 1, 0, 1) and python.total.people == 4


def test_demand_available_and_gap_per_skill(company, market_as):
    cmap = market_as("eng1").capability_map()
    assert figures(cmap) == {
        # 3 seats of 'Reporting revamp' and 2 of 'Coding club' (an application holds none);
        # mgr, ana and loner have time, eng1 is at their cap, eng2's claim is stale.
        "Python": (5, 3, 2),
        # 'Reporting revamp' only: 'Old gig' is closed. ana and owner have time.
        "SQL": (3, 2, 1),
        # The one seat of 'Cluster upgrade' is held by eng1's offer.
        "Kubernetes": (0, 0, 0),
    }
    # Docker is only grown, never required, and nobody holds it: not on the map.
    assert "Docker" not in figures(cmap)


def test_the_level_applies_to_people_and_seats_alike(company, market_as):
    cmap = market_as("eng1").capability_map(level=3)
    assert figures(cmap) == {"Python": (3, 2, 1), "SQL": (0, 1, 0)}
    assert cells(cmap) == {
        ("Python", "Platform"): Cell(self_declared=1, endorsed=1),  # eng2's stale claim is only level 2
        ("Python", "Data"): Cell(self_declared=1),
        ("SQL", "Data"): Cell(certified=1),
    }
    # Nobody without a department holds anything at level 3: no column for them.
    assert [c.name for c in cmap.columns] == ["Data", "Platform", "Product"]
    assert figures(market_as("eng1").capability_map(level=5)) == {"Python": (0, 1, 0)}


def test_sort_by_gap_demand_or_name(company, market_as):
    market = market_as("eng1")
    assert [r.name for r in market.capability_map().rows] == ["Python", "SQL", "Kubernetes"]
    assert [r.name for r in market.capability_map(sort="demand").rows] == ["Python", "SQL", "Kubernetes"]
    assert [r.name for r in market.capability_map(sort="name").rows] == ["Kubernetes", "Python", "SQL"]
    assert [r.name for r in market.capability_map().sorted_by("name").rows] == ["Kubernetes", "Python", "SQL"]


def test_category_filter_takes_any_case_and_refuses_an_unknown_one(company, market_as):
    cmap = market_as("eng1").capability_map(category="platform")
    assert cmap.category == "Platform" and figures(cmap) == {"Kubernetes": (0, 0, 0)}
    assert cmap.categories == ("Data", "Languages", "Platform")
    with pytest.raises(ValidationError) as refused:
        market_as("eng1").capability_map(category="Cooking")
    assert "no category called 'Cooking' (there are: Data, Languages, Platform)" in str(refused.value)
    with pytest.raises(ValidationError, match="level must be between 1 and 5"):
        market_as("eng1").capability_map(level=6)
    with pytest.raises(ValidationError, match="sort must be one of gap, demand, name"):
        market_as("eng1").capability_map(sort="size")


def test_the_department_filter_chooses_columns_and_leaves_the_figures_company_wide(company, market_as):
    cmap = market_as("eng1").capability_map()
    data = cmap.only([cmap.column_named("data").key])
    assert [c.name for c in data.columns] == ["Data"] and [c.name for c in data.departments][-1] == "No department"
    assert figures(data) == figures(cmap)
    assert cells(data) == {("Python", "Data"): Cell(self_declared=1), ("SQL", "Data"): Cell(certified=1)}
    assert cmap.column_named("Nowhere") is None
    assert data.only(None).columns == cmap.columns


def test_inactive_people_are_left_out(company, market_as, db):
    from oppmarket.db import models as M

    with db.connection_context():
        M.Employee.update(active=False).where(M.Employee.username == "ana").execute()
    cmap = market_as("eng1").capability_map()
    assert figures(cmap) == {"Python": (5, 2, 3), "SQL": (3, 1, 2), "Kubernetes": (0, 0, 0)}
    assert ("Python", "Data") not in cells(cmap)


def test_an_empty_marketplace_has_an_empty_map(db, market_as):
    market_as("admin").register_self("Ada Admin")
    cmap = market_as("admin").capability_map()
    assert cmap.rows == () and cmap.columns == () and cmap.categories == () and cmap.deepest == 0


def test_one_person_with_one_skill(db, market_as):
    admin = market_as("admin")
    admin.register_self("Ada Admin")
    admin.add_skill("Python", category="Languages")
    admin.set_skill("Python", 3)
    cmap = admin.capability_map()
    assert [c.name for c in cmap.columns] == ["No department"]
    assert figures(cmap) == {"Python": (0, 1, 0)}
    assert cells(cmap) == {("Python", "No department"): Cell(self_declared=1)}
    detail = admin.capability_detail(cmap.rows[0].skill_id, department=NO_DEPARTMENT)
    assert [h.username for h in detail.holders] == ["admin"] and detail.hidden == 0


def test_a_claim_turns_stale_after_a_year_and_fresh_again_when_confirmed(db, clock, market_as):
    admin = market_as("admin")
    admin.register_self("Ada Admin")
    admin.add_skill("Python")
    admin.set_skill("Python", 3)
    clock.advance(days=365)
    assert cells(admin.capability_map()) == {("Python", "No department"): Cell(self_declared=1)}
    clock.advance(seconds=1)
    assert cells(admin.capability_map()) == {("Python", "No department"): Cell(stale=1)}
    assert figures(admin.capability_map()) == {"Python": (0, 0, 0)}
    # The profile calls it stale at the same moment.
    assert admin.profile().skills[0].stale
    admin.set_skill("Python", 3)
    assert cells(admin.capability_map()) == {("Python", "No department"): Cell(self_declared=1)}


def test_the_map_needs_a_person(company, market_as):
    with pytest.raises(NotFound):
        market_as("nobody").capability_map()


def test_the_map_takes_the_same_number_of_queries_however_many_people(db, clock, market_as, monkeypatch):
    capability_org(db, clock)
    admin = market_as("admin")

    def queries() -> int:
        count = 0
        execute = type(db).execute_sql

        def counting(self, sql, params=None, *args, **kwargs):
            nonlocal count
            count += 1
            return execute(self, sql, params, *args, **kwargs)

        with monkeypatch.context() as patch:
            patch.setattr(type(db), "execute_sql", counting)
            admin.capability_map()
        return count

    before = queries()
    for n in range(12):
        admin.add_person(f"extra{n}", f"Extra {n}", department=f"Team {n % 4}")
        admin.as_user(f"extra{n}").set_skill("SQL" if n % 2 else "Python", 1 + n % 5)
    assert queries() == before


# ---------------------------------------------------------------------- behind a cell


def skill_id(market: Market, name: str) -> int:
    return market.resolve_skill(name).id


def department_id(market: Market, name: str) -> int:
    return next(d.id for d in market.departments() if d.name == name)


def test_an_admin_sees_everyone_behind_a_row_fresh_and_available_first(company, market_as):
    admin = market_as("admin")
    detail = admin.capability_detail(skill_id(admin, "Python"))
    assert detail.department is None and detail.cell == Cell(3, 1, 0, 1)
    assert [(h.username, h.level, h.source, h.stale, h.available) for h in detail.holders] == [
        ("ana", 5, "self", False, True),
        ("mgr", 4, "self", False, True),
        ("loner", 1, "self", False, True),
        ("eng1", 3, "endorsed", False, False),
        ("eng2", 2, "certified", True, False),
    ]
    eng1 = detail.holders[3]
    assert eng1.hours_left == 0 and eng1.department == "Platform"
    assert detail.hidden == 0 and detail.why_hidden is None
    assert (detail.demand, detail.available, detail.gap) == (5, 3, 2)


def test_behind_a_cell_are_the_open_opportunities_that_need_the_skill(company, market_as):
    market = market_as("eng1")
    detail = market.capability_detail(skill_id(market, "Python"))
    assert [(o.title, o.seats_left) for o in detail.opportunities] == [("Reporting revamp", 3), ("Coding club", 2)]
    assert detail.opportunities_total == 2
    at_three = market.capability_detail(skill_id(market, "Python"), level=3)
    assert [o.title for o in at_three.opportunities] == ["Reporting revamp"]
    kubernetes = market.capability_detail(skill_id(market, "Kubernetes"))
    assert [(o.title, o.seats_left) for o in kubernetes.opportunities] == [("Cluster upgrade", 0)]


def test_a_non_admin_sees_counts_but_no_names_of_another_department(company, market_as):
    ana = market_as("ana")
    detail = ana.capability_detail(skill_id(ana, "Python"), department=department_id(ana, "Platform"))
    assert detail.department == "Platform"
    assert detail.cell == Cell(self_declared=1, endorsed=1, stale=1)
    assert detail.holders == () and detail.hidden == 3
    assert detail.why_hidden == ("only admins, and line managers for their own reports, see who is behind these "
                                 "counts")
    # Their own cell shows them, and only them.
    own = ana.capability_detail(skill_id(ana, "Python"), department=department_id(ana, "Data"))
    assert [h.username for h in own.holders] == ["ana"] and own.hidden == 0


def test_a_line_manager_sees_their_own_reports_only(company, market_as):
    mgr = market_as("mgr")
    detail = mgr.capability_detail(skill_id(mgr, "Python"))
    assert {h.username for h in detail.holders} == {"mgr", "eng1", "eng2"}
    assert detail.hidden == 2  # ana and loner
    owner = market_as("owner")
    sql = owner.capability_detail(skill_id(owner, "SQL"))
    assert {h.username for h in sql.holders} == {"owner", "ana"}
    platform = owner.capability_detail(skill_id(owner, "Python"), department=department_id(owner, "Platform"))
    assert platform.holders == () and platform.hidden == 3


def test_the_people_in_no_department(company, market_as):
    admin = market_as("admin")
    detail = admin.capability_detail(skill_id(admin, "Python"), department=NO_DEPARTMENT)
    assert detail.department == "No department" and [h.username for h in detail.holders] == ["loner"]


def test_a_missing_skill_or_department_is_named(company, market_as):
    market = market_as("eng1")
    with pytest.raises(NotFound, match="skill 999 does not exist"):
        market.capability_detail(999)
    with pytest.raises(NotFound, match="department 999 does not exist"):
        market.capability_detail(skill_id(market, "SQL"), department=999)


@pytest.mark.parametrize(("actor", "holder", "manager", "allowed"), [
    ("admin", "eng1", "mgr", True),
    ("mgr", "eng1", "mgr", True),
    ("eng1", "eng1", "mgr", True),
    ("eng2", "eng1", "mgr", False),
    ("owner", "eng1", "mgr", False),
    ("owner", "loner", None, False),
])
def test_who_may_see_a_skill_holder(actor, holder, manager, allowed):
    from oppmarket.domain import Person

    person = Person(1, actor, actor, "", "", None, None, None, 40, 20, actor == "admin", True)
    assert (policy.may_see_skill_holder(person, holder, manager) is None) is allowed


# ---------------------------------------------------------------------- the arithmetic


def test_a_stale_claim_counts_as_stale_whatever_its_source():
    claims = [("self", False), ("self", False), ("endorsed", False), ("certified", True), ("endorsed", True),
              ("self", True)]
    assert tally(claims) == Cell(self_declared=2, endorsed=1, certified=0, stale=3)
    assert tally(claims).people == 3 and tally(claims).backed == 1


@pytest.mark.parametrize(("weekly", "pct", "committed", "available"), [
    (40, 20, 0, True),
    (40, 20, 7, True),  # one hour left of 8
    (40, 20, 8, False),
    (37, 20, 7, False),  # 0.4 h left of 7.4: less than any opportunity asks
    (40, 0, 0, False),
    (40, 100, 39, True),
])
def test_available_means_an_hour_left_under_the_cap(weekly, pct, committed, available):
    assert capability.is_available(committed, weekly, pct) is available
    assert (with_time([Contract(weekly, pct, committed)]) != []) is available


def test_demand_counts_the_seats_left_never_below_zero():
    cmap = build_map(level=1, skills=[(1, "Go", "Languages")], departments=[], cells=[],
                     seats=[SeatCount(1, 3, 1, 2), SeatCount(1, 1, 2, 1), SeatCount(1, 2, 0, 1)])
    assert figures(cmap) == {"Go": (2 * 2 + 0 + 2, 0, 6)}


def test_build_map_sums_the_departments_and_leaves_out_other_categories_and_empty_skills():
    cmap = build_map(
        level=1, category="Languages",
        skills=[(1, "Go", "Languages"), (2, "SQL", "Data"), (3, "Rust", "Languages"), (4, "C", "Languages")],
        departments=[(7, "Platform"), (8, "Data")],
        cells=[CellCount(1, 7, 2, 1, 0, 1, available=2), CellCount(1, None, 1, 0, 0, 0, available=0),
               CellCount(2, 7, 5, 0, 0, 0, available=5), CellCount(4, 8, 0, 0, 0, 0, available=0)],
        seats=[])
    assert figures(cmap) == {"Go": (0, 2, 0)}
    assert [c.name for c in cmap.columns] == ["Data", "Platform", "No department"]
    assert cmap.rows[0].total == Cell(3, 1, 0, 1)
    assert cmap.deepest == 3 and cmap.peaks[7] == Peak(people=3, backed=1, stale=1)
    assert cmap.only([8]).deepest == 0


@pytest.mark.parametrize(("people", "deepest", "shade"), [
    (0, 10, 0), (1, 100, 1), (6, 100, 1), (7, 100, 2), (25, 100, 3), (56, 100, 3), (57, 100, 4), (100, 100, 4),
    (1, 1, 4), (5, 0, 0),
])
def test_depth_on_a_square_root_scale(people, deepest, shade):
    assert depth(people, deepest) == shade


def test_depth_ranges_name_the_people_each_shade_stands_for():
    assert depth_ranges(24) == ((1, 1, 1), (2, 2, 5), (3, 6, 13), (4, 14, 24))
    assert depth_ranges(2) == ((3, 1, 1), (4, 2, 2))
    assert depth_ranges(0) == ()
    for deepest in (1, 3, 17, 658):
        ranges = depth_ranges(deepest)
        assert ranges[0][1] == 1 and ranges[-1][2] == deepest
        assert all(depth(p, deepest) == shade for shade, low, high in ranges for p in (low, high))
