"""Bench strength, pure: who is ready for a key role, who is one or two skills short
and which skills, on small hand-built organisations whose answers are known."""

from __future__ import annotations

import pytest

from oppmarket.capability import (
    BenchSize, Claim, Contender, Gap, Requirement, bench, bench_size, gap_posting,
)
from oppmarket.domain import KeyRole

PY, SQL, K8S, GO = 1, 2, 3, 4
# The role: Python 4, SQL 3, Kubernetes 3.
ROLE = (Requirement(PY, "Python", 4), Requirement(SQL, "SQL", 3), Requirement(K8S, "Kubernetes", 3))


def person(username: str, *claims: tuple[int, int] | tuple[int, int, bool], active: bool = True,
           manager: str | None = None) -> Contender:
    return Contender(username, username.title(), tuple(Claim(*c) for c in claims), manager_username=manager,
                     active=active)


#   holder  Python 5, SQL 4, Kubernetes 4     the holder: never on their own bench
#   ready   Python 4, SQL 3, Kubernetes 5     every level met
#   ready2  Python 5, SQL 5, Kubernetes 3, Go 2
#   k8s     Python 4, SQL 3, Kubernetes 2     one short: Kubernetes 2/3
#   nosql   Python 4, Kubernetes 3            one short: SQL 0/3
#   stale   Python 4 stale, SQL 3, K8s 3      one short: Python 4/4 stale
#   two     Python 2, SQL 3                   two short: Python 2/4, Kubernetes 0/3
#   three   Python 1                          three short: off the bench
#   gopher  Go 5                              none of the role's skills: off the bench
#   gone    (inactive) every level met        off the bench
ORG = (
    person("holder", (PY, 5), (SQL, 4), (K8S, 4)),
    person("ready", (PY, 4), (SQL, 3), (K8S, 5)),
    person("ready2", (PY, 5), (SQL, 5), (K8S, 3), (GO, 2)),
    person("k8s", (PY, 4), (SQL, 3), (K8S, 2)),
    person("nosql", (PY, 4), (K8S, 3)),
    person("stale", (PY, 4, True), (SQL, 3), (K8S, 3)),
    person("two", (PY, 2), (SQL, 3)),
    person("three", (PY, 1)),
    person("gopher", (GO, 5)),
    person("gone", (PY, 5), (SQL, 5), (K8S, 5), active=False),
)


def groups(candidates) -> dict[str, list[tuple[str, list[str]]]]:
    found: dict[str, list[tuple[str, list[str]]]] = {}
    for c in candidates:
        found.setdefault(c.readiness, []).append((c.username, [g.words() for g in c.gaps]))
    return found


def test_the_bench_of_a_known_organisation():
    assert groups(bench(ROLE, ORG, holder="holder")) == {
        "Ready now": [("ready", []), ("ready2", [])],
        "One skill short": [("k8s", ["Kubernetes 2/3"]), ("stale", ["Python 4/4 stale"]), ("nosql", ["SQL 0/3"])],
        "Two skills short": [("two", ["Python 2/4", "Kubernetes 0/3"])],
    }


def test_the_size_counts_each_group():
    assert bench_size(bench(ROLE, ORG, holder="holder")) == BenchSize(2, 3, 1)
    assert BenchSize(2, 3, 1).total == 6


def test_a_gap_names_the_skill_what_is_held_and_what_is_needed():
    k8s = next(c for c in bench(ROLE, ORG) if c.username == "k8s")
    assert k8s.gaps == (Gap(K8S, "Kubernetes", 2, 3),)
    assert k8s.short == 1


def test_without_a_holder_named_the_holder_is_ready_like_anyone():
    assert [c.username for c in bench(ROLE, ORG) if c.short == 0] == ["holder", "ready", "ready2"]


def test_a_stale_claim_never_makes_anyone_ready_until_it_is_confirmed():
    confirmed = person("stale", (PY, 4), (SQL, 3), (K8S, 3))
    assert [c.short for c in bench(ROLE, [ORG[5]])] == [1]
    assert [c.short for c in bench(ROLE, [confirmed])] == [0]


def test_an_empty_organisation_has_an_empty_bench():
    assert bench(ROLE, []) == ()
    assert bench_size(()) == BenchSize(0, 0, 0)


def test_a_role_that_needs_nothing_has_nobody_on_its_bench():
    assert bench((), ORG) == ()


@pytest.mark.parametrize(("claims", "expected"), [
    (((PY, 4), (SQL, 3), (K8S, 3)), [("Ready now", [])]),
    (((PY, 3), (SQL, 3), (K8S, 3)), [("One skill short", ["Python 3/4"])]),
    (((SQL, 1),), []),
    ((), []),
])
def test_one_person(claims, expected):
    assert [(c.readiness, [g.words() for g in c.gaps]) for c in bench(ROLE, [person("solo", *claims)])] == expected


def test_the_only_person_is_the_holder():
    assert bench(ROLE, [ORG[0]], holder="holder") == ()


def test_within_a_group_the_fewest_levels_to_go_come_first():
    far = person("aaron", (PY, 1), (SQL, 3), (K8S, 3))
    near = person("zoe", (PY, 3), (SQL, 3), (K8S, 3))
    assert [c.username for c in bench(ROLE, [far, near])] == ["zoe", "aaron"]


def test_a_candidate_keeps_who_they_report_to_for_the_visibility_rule():
    [c] = bench(ROLE, [person("rep", (PY, 4), (SQL, 3), (K8S, 3), manager="boss")])
    assert c.manager_username == "boss"


ROLE_RECORD = KeyRole(id=7, title="Head of Data", holder_username="jane", department="Data", risk="high",
                      skills=(("Python", 4),), holder_name="Jane Doe")
GAPS = (Gap(K8S, "Kubernetes", 2, 3), Gap(SQL, "SQL", 0, 3))


def test_a_shadowing_for_a_gap_names_the_holder_and_grows_the_gap():
    draft = gap_posting(ROLE_RECORD, GAPS, "shadowing")
    assert draft.kind == "shadowing" and draft.title == "Shadowing Jane Doe: Kubernetes, SQL"
    assert draft.host == "jane" and draft.key_role_id == 7 and draft.department == "Data"
    assert draft.skills == [("Kubernetes", 3, "grows"), ("SQL", 3, "grows")]
    assert draft.topics == "" and draft.hours_per_week == 4


def test_a_mentorship_for_a_gap_takes_the_gap_as_its_topics():
    draft = gap_posting(ROLE_RECORD, GAPS[:1], "mentorship")
    assert draft.kind == "mentorship" and draft.title == "Mentorship with Jane Doe: Kubernetes"
    assert draft.host is None and draft.topics == "Kubernetes" and draft.hours_per_week == 2


def test_a_role_without_a_holder_has_nobody_to_shadow():
    with pytest.raises(ValueError):
        gap_posting(KeyRole(1, "Vacant", None, None, "high", ()), GAPS, "shadowing")
