"""Search, recommendations and applicant review through Market, on each backend."""

from __future__ import annotations

import json

import pytest

from oppmarket import cli
from oppmarket.db.connection import open_database
from oppmarket.db import models as M
from oppmarket.domain import OpportunityDraft
from oppmarket.market import Market


@pytest.fixture
def board(org, market_as):
    owner = market_as("owner")
    k8s = owner.post(OpportunityDraft(title="Move CI runners", description="Autoscaling builds",
                                      hours_per_week=4, skills=[("k8s", 3, "required"), ("Docker", 2, "grows")]),
                     publish=True)
    sql = owner.post(OpportunityDraft(title="Quarterly metrics clinic", hours_per_week=2,
                                      skills=[("SQL", 2, "required")]), publish=True)
    draft = owner.post(OpportunityDraft(title="Secret kubernetes plan", hours_per_week=2,
                                        skills=[("k8s", 1, "required")]))
    return {"k8s": k8s, "sql": sql, "draft": draft}


def test_search_by_alias_and_typo_finds_open_postings_only(board, market_as):
    eng = market_as("eng1")
    assert [r.opportunity.id for r in eng.search("k8s")] == [board["k8s"].id]
    typo = eng.search("kubernets")
    assert typo[0].opportunity.id == board["k8s"].id and "Kubernetes" in typo[0].why
    assert [r.opportunity.id for r in eng.search("metrics")] == [board["sql"].id]
    assert eng.search("[bold]") == [] and eng.search("%'") == []


def test_search_stays_fresh_as_postings_change(board, market_as, db_url, clock):
    owner, eng = market_as("owner"), market_as("eng1")
    assert eng.search("metrics")
    clock.advance(minutes=1)
    owner.close(board["sql"].id)
    assert eng.search("metrics") == []
    clock.advance(minutes=1)
    owner.publish(board["draft"].id)
    assert {r.opportunity.id for r in eng.search("kubernetes")} == {board["k8s"].id, board["draft"].id}
    # A change made through another connection (another process, say) shows up too.
    other = open_database(db_url)
    clock.advance(minutes=1)
    Market(other, "owner", clock=clock).post(OpportunityDraft(title="Metrics dashboards", hours_per_week=1),
                                             publish=True)
    other.close()
    assert [r.opportunity.title for r in eng.search("metrics")] == ["Metrics dashboards"]


def test_skill_search_offers_the_canonical_name_with_the_alias(board, market_as):
    hits = market_as("eng1").search_skills("k8s")
    assert hits[0].name == "Kubernetes" and hits[0].via_alias and hits[0].matched == "k8s"
    assert market_as("eng1").search_skills("dock")[0].name == "Docker"


def test_recommend_orders_by_the_score_shown_and_records_exposure(board, market_as):
    eng = market_as("eng1")
    eng.set_skill("SQL", 3)
    eng.set_interests(["Docker"])
    recs = eng.recommend()
    scores = [r.match.score for r in recs]
    assert scores == sorted(scores, reverse=True)
    assert recs[0].opportunity.id == board["sql"].id  # has the one required skill
    assert board["draft"].id not in [r.opportunity.id for r in recs]
    k8s = next(r for r in recs if r.opportunity.id == board["k8s"].id)
    assert "grows Docker" in k8s.match.summary and k8s.match.raise_hint.startswith("add Kubernetes")
    assert M.Exposure.select().where(M.Exposure.employee == eng.whoami().id).count() == len(recs)
    eng.recommend()
    assert {e.times for e in M.Exposure.select()} == {2}


def test_review_ranks_applicants_by_match(board, market_as):
    market_as("eng1").set_skill("k8s", 3)
    market_as("eng2").set_skill("k8s", 1)
    for user in ("eng2", "eng1", "loner"):
        market_as(user).apply(board["k8s"].id, f"note from {user}")
    entries = market_as("owner").review(board["k8s"].id)
    assert [e.application.applicant_username for e in entries][0] == "eng1"
    assert [e.match.score for e in entries] == sorted((e.match.score for e in entries), reverse=True)
    assert entries[0].application.note == "note from eng1" and entries[0].completed == 0


def test_cli_search_skills_and_recommend(board, market_as, db_url, capsys, monkeypatch):
    from oppmarket import identity

    monkeypatch.setattr(identity, "os_login", lambda: "eng1")
    market_as("eng1").set_skill("SQL", 2)
    assert cli.main(["--db", db_url, "search", "postgress sql", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found[0]["title"] == "Quarterly metrics clinic"
    assert cli.main(["--db", db_url, "skills", "search", "k8s", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0] == {
        "id": found and market_as(None).resolve_skill("k8s").id, "name": "Kubernetes", "matched": "k8s",
        "via_alias": True, "score": 100.0}
    assert cli.main(["--db", db_url, "recommend", "--limit", "1", "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert len(rec) == 1 and rec[0]["title"] == "Quarterly metrics clinic" and rec[0]["score"] >= 60
    assert cli.main(["--db", db_url, "search", "zzzzqqq"]) == 0
    assert "no open opportunity matches 'zzzzqqq'" in capsys.readouterr().out
