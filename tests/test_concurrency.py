"""Seat and time-cap invariants under concurrent writers: several OS processes, each
with its own connection and `Market`, act at the same moment. Exactly one wins each
race; the others get a `Conflict`, never "database is locked" or another error."""

from __future__ import annotations

import multiprocessing

from oppmarket.domain import OpportunityDraft

SPAWN = multiprocessing.get_context("spawn")
# Generous: spawning a process and importing oppmarket is most of the wait.
TIMEOUT = 60


def _act(url: str, actor: str, action: str, arg: int, start, results) -> None:
    """In a child process: open the database, wait for everyone, then act once.
    Reports (actor, outcome) where outcome is "ok" or the error's class and message."""
    try:
        from oppmarket.db.connection import open_database
        from oppmarket.market import Market

        market = Market(open_database(url), actor)
        market.whoami()  # connect and warm up before the race, not during it
        start.wait(TIMEOUT)
        if action == "offer":
            market.offer(arg)
        elif action == "apply":
            market.apply(arg, f"{actor} is keen")
        outcome = ("ok", "")
    except BaseException as exc:  # noqa: BLE001 - every outcome goes back to the test
        outcome = (type(exc).__name__, str(exc))
    results.put((actor, action, arg, outcome))


def race(url: str, moves: list[tuple[str, str, int]]) -> list[tuple[str, str, int, tuple[str, str]]]:
    """Run each (actor, action, argument) in its own process, all released at once."""
    start = SPAWN.Barrier(len(moves))
    results = SPAWN.Queue()
    procs = [SPAWN.Process(target=_act, args=(url, actor, action, arg, start, results)) for actor, action, arg in moves]
    for proc in procs:
        proc.start()
    try:
        outcomes = [results.get(timeout=TIMEOUT) for _ in procs]
    finally:
        for proc in procs:
            proc.join(TIMEOUT)
            if proc.is_alive():
                proc.kill()
    return outcomes


def draft(title: str, hours: int = 4, seats: int = 1) -> OpportunityDraft:
    return OpportunityDraft(title=title, hours_per_week=hours, seats=seats)


def assert_one_winner(outcomes) -> None:
    kinds = sorted(outcome[0] for *_, outcome in outcomes)
    assert kinds == ["Conflict"] * (len(outcomes) - 1) + ["ok"], outcomes
    for *_, (kind, message) in outcomes:
        assert "locked" not in message.lower(), message


def test_last_seat_goes_to_exactly_one_applicant(org, market_as, db_url):
    owner = market_as("owner")
    opp = owner.post(draft("Incident review rota", seats=2), publish=True)
    market_as("admin").add_person("extra", "Ezra Extra")
    first = market_as("extra").apply(opp.id).application_id
    owner.offer(first)  # one of two seats taken; one left
    contenders = [market_as(u).apply(opp.id).application_id for u in ("eng1", "eng2", "loner", "owned")]

    outcomes = race(db_url, [("owner", "offer", app_id) for app_id in contenders])

    assert_one_winner(outcomes)
    for *_, (kind, message) in outcomes:
        if kind == "Conflict":
            assert "no seat left" in message
    assert owner.opportunity(opp.id).seats_taken == 2
    statuses = sorted(a.status for a in owner.applicants(opp.id))
    # Whoever wins, both offers wait for their candidates' answers.
    assert statuses == ["applied", "applied", "applied", "offered", "offered"]


def test_last_hours_of_a_cap_go_to_exactly_one_owner(org, market_as, db_url):
    admin = market_as("admin")
    admin.add_person("owner2", "Oona Owner", department="Product")
    # eng1 may give 8 h/week; 3 are committed, so 5 are left for two offers of 5.
    busy = market_as("loner").post(draft("Standing commitment", hours=3), publish=True)
    committed = market_as("eng1").apply(busy.id).application_id
    market_as("loner").offer(committed)
    market_as("eng1").accept(committed)
    market_as("mgr").release(committed)
    offers = []
    for owner in ("owner", "owner2"):
        opp = market_as(owner).post(draft(f"Five hours for {owner}", hours=5), publish=True)
        offers.append((owner, "offer", market_as("eng1").apply(opp.id).application_id))

    outcomes = race(db_url, offers)

    assert_one_winner(outcomes)
    loser_message = next(message for *_, (kind, message) in outcomes if kind == "Conflict")
    assert "cap" in loser_message
    assert market_as("eng1").profile().committed_hours == 8


def test_many_people_apply_at_once(org, market_as, db_url):
    admin = market_as("admin")
    people = [f"p{n}" for n in range(6)]
    for username in people:
        admin.add_person(username, f"Person {username}", manager="mgr")
    owner = market_as("owner")
    opp = owner.post(draft("Hackathon judges", seats=2), publish=True)

    # Each person applies, and one of them twice at the same moment.
    moves = [(u, "apply", opp.id) for u in people] + [("p0", "apply", opp.id)]
    outcomes = race(db_url, moves)

    kinds = sorted(outcome[0] for *_, outcome in outcomes)
    assert kinds == ["Conflict"] + ["ok"] * len(people), outcomes
    assert [a for a, *_, outcome in outcomes if outcome[0] == "Conflict"] == ["p0"]
    applicants = owner.applicants(opp.id)
    assert sorted(a.applicant_username for a in applicants) == people
    assert len(owner.notifications()) == len(people)
    assert sum(e.action == "apply" for e in admin.audit_log(limit=100)) == len(people)
    # Nobody's manager heard of it.
    assert market_as("mgr").notifications() == []


def test_repeated_seat_races_never_overbook(org, market_as, db_url):
    owner = market_as("owner")
    for n in range(3):
        opp = owner.post(draft(f"Round {n}", hours=1), publish=True)
        apps = [market_as(u).apply(opp.id).application_id for u in ("eng1", "eng2", "owned")]
        outcomes = race(db_url, [("owner", "offer", a) for a in apps])
        assert_one_winner(outcomes)
        assert owner.opportunity(opp.id).seats_taken == 1
