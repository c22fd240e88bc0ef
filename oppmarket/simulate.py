"""Does the newcomer lift work? A seeded simulation of the marketplace, run once with
the lift and once without, measuring how evenly engagements spread.

The organisation is the demo generator's people, departments, skills and interests at
the size asked for; its postings and history are left out, so the marketplace starts
empty and every engagement is one the simulation made. It is written into a
throwaway SQLite database in a temporary folder (removed afterwards) and driven
through a real `Market` whose clock moves a week per step, so recommendations, the
applicant ranking, seats, time caps, releases and completions are the real code's.
The two runs differ only in the match weights their markets carry:
`Weights.without_newcomer_lift()` for the run without.

The behaviour model, each week, a day between steps, each day starting with the
marketplace's maintenance, which grants overdue releases (`simulate_plans` holds
the numbers):
- day 0: owners complete the engagements whose weeks are up, rating them 3-5.
- day 1: new postings open, about 3 for every 100 people, each owned by someone
  drawn at random, requiring 1-3 skills held in the owner's department at level 2-4,
  growing 1-2 skills someone in the company wants to learn, for 2-8 hours a week,
  1-3 seats, running 2-6 weeks.
- day 2: people look. Each person looks with a chance of 10%, reads the first 5 of
  their recommendations and applies to each one they have not applied to whose hours
  fit the time left under their cap, with a chance of its match score in percent,
  at most 2 a week.
- day 3: the owner of each posting opened the week before ranks its applicants with
  the real review ranking and offers the seats from the top down (an offer the
  applicant's time cap refuses passes to the next), then closes the posting,
  declining the rest.
- day 4: line managers release the time of the offers to their reports, except a
  fifth of them, who leave it to be granted automatically after the usual delay.

Who looks, the postings and the ratings come from random sources of their own, keyed
by the seed and the week (and the person), so both runs see the same postings and
the same people looking; they part only where the lift changed what someone was
shown or offered. Every offer counts as an engagement: none is declined, so each
starts once released.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import queue
import random
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from oppmarket import demo, insights
from oppmarket import simulate_plans as plan
from oppmarket.domain import SKILL_ROLES, OpportunityDraft
from oppmarket.errors import Conflict, ValidationError
from oppmarket.matching import TERM_AVAILABILITY, TERM_NEWCOMER, WEIGHTS, Weights

Progress = Callable[[str, int, int], None]

MIN_PEOPLE = demo.MIN_EMPLOYEES  # the smallest organisation the demo generator builds
MAX_PEOPLE = 20_000
MAX_WEEKS = 104
MAX_SEED = 2**31 - 1
# The simulation's first Monday: fixed, so a seed always gives the same dates.
START = dt.datetime(2025, 1, 6, 9, 0)
# The organisation's tables the simulation keeps of the demo generator's rows.
ORGANISATION_TABLES = ("department", "employee", "skill", "skill_alias", "employee_skill", "interest")
REQUIRED, GROWS = SKILL_ROLES


@dataclass(frozen=True)
class Engagement:
    """One offer an owner made: to whom, in which week, the match score the review
    ranked them by, the newcomer lift's share of it, and whether it was their first."""

    username: str
    week: int
    score: int
    lift: int
    first: bool


@dataclass(frozen=True)
class Outcome:
    """What one run did. `gini` is over engagements per person, everyone counted
    (those with none too); `mean_score` is the match score the owners ranked by and
    `mean_fit` the same without the lift's points, which the two runs can compare."""

    lift: bool
    people: int
    weeks: int
    engagements: int
    gini: float
    mean_score: float
    mean_fit: float
    engaged_share: float
    first_timer_share: float

    def as_dict(self) -> dict:
        return {"lift": self.lift, "people": self.people, "weeks": self.weeks, "engagements": self.engagements,
                "gini": round(self.gini, 4), "mean_score": round(self.mean_score, 2),
                "mean_fit": round(self.mean_fit, 2), "engaged_share": round(self.engaged_share, 4),
                "first_timer_share": round(self.first_timer_share, 4)}


@dataclass(frozen=True)
class Comparison:
    """The same organisation, seed and weeks with the newcomer lift and without."""

    seed: int
    weights: Weights
    with_lift: Outcome
    without_lift: Outcome

    def as_dict(self) -> dict:
        return {"seed": self.seed, "newcomer": self.weights.newcomer, "newcomer_until": self.weights.newcomer_until,
                "with_lift": self.with_lift.as_dict(), "without_lift": self.without_lift.as_dict()}


def check_sizes(people: object, weeks: object, seed: object) -> None:
    """Refuse sizes the simulation cannot or should not run, naming the field."""
    errors: dict[str, str] = {}
    for name, value, low, high in (("people", people, MIN_PEOPLE, MAX_PEOPLE), ("weeks", weeks, 1, MAX_WEEKS),
                                   ("seed", seed, 0, MAX_SEED)):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[name] = f"must be a whole number from {low} to {high}"
    if errors:
        raise ValidationError(errors)


def outcome(usernames: list[str], engagements: list[Engagement], *, lift: bool, weeks: int) -> Outcome:
    """The figures of a run from its engagements, over everyone in `usernames`."""
    per_person = Counter(e.username for e in engagements)
    n = len(engagements)
    return Outcome(
        lift=lift, people=len(usernames), weeks=weeks, engagements=n,
        gini=insights.gini(per_person.get(name, 0) for name in usernames),
        mean_score=sum(e.score for e in engagements) / n if n else 0.0,
        mean_fit=sum(e.score - e.lift for e in engagements) / n if n else 0.0,
        engaged_share=len(per_person) / len(usernames) if usernames else 0.0,
        first_timer_share=sum(e.first for e in engagements) / n if n else 0.0,
    )


def compare(people: int, weeks: int, seed: int, *, weights: Weights = WEIGHTS,
            progress: Progress | None = None, parallel: bool = True) -> Comparison:
    """Run the marketplace with `weights` and again with the newcomer lift off; with
    `parallel`, the two runs side by side in processes of their own (they share
    nothing but the seed), as `progress(stage, week, weeks)` reports."""
    check_sizes(people, weeks, seed)
    both = (weights, weights.without_newcomer_lift())
    if not parallel:
        with_lift, without = (run(people, weeks, seed, weights=w, progress=progress) for w in both)
        return Comparison(seed, weights, with_lift, without)
    # Spawned, not forked: a child starts without the parent's connections or the
    # database the models are bound to.
    context = multiprocessing.get_context("spawn")
    reports = context.Queue()
    with ProcessPoolExecutor(max_workers=2, mp_context=context, initializer=_report_to,
                             initargs=(reports,)) as pool:
        futures = [pool.submit(_reported_run, people, weeks, seed, w) for w in both]
        while not all(f.done() for f in futures):
            _pass_on(reports, progress, wait=0.2)
        with_lift, without = (f.result() for f in futures)
    _pass_on(reports, progress, wait=0.2)  # what was still on its way
    return Comparison(seed, weights, with_lift, without)


def _pass_on(reports: multiprocessing.Queue, progress: Progress | None, wait: float = 0.0) -> None:
    """Hand the workers' progress reports to `progress`: what is there, after
    waiting up to `wait` seconds for the first."""
    try:
        report = reports.get(timeout=wait) if wait else reports.get_nowait()
        while True:
            if progress:
                progress(*report)
            report = reports.get_nowait()
    except queue.Empty:
        return


_reports: multiprocessing.Queue | None = None


def _report_to(reports: multiprocessing.Queue) -> None:
    global _reports
    _reports = reports


def _reported_run(people: int, weeks: int, seed: int, weights: Weights) -> Outcome:
    """A run in a worker process, its progress sent back to the parent."""
    return run(people, weeks, seed, weights=weights, progress=lambda *report: _reports.put(report))


def run(people: int, weeks: int, seed: int, *, weights: Weights = WEIGHTS,
        progress: Progress | None = None) -> Outcome:
    """One run: a fresh organisation of `people` in a throwaway database, `weeks`
    simulated weeks with markets carrying `weights`; the engagements' figures."""
    check_sizes(people, weeks, seed)
    lift = weights.newcomer_until > 0
    with throwaway_database() as db:
        world = Simulation(db, people, seed, weights)
        stage = "with lift" if lift else "without lift"
        for week in range(weeks):
            world.step(week)
            if progress:
                progress(stage, week + 1, weeks)
        return outcome(world.usernames, world.engagements, lift=lift, weeks=weeks)


@contextlib.contextmanager
def throwaway_database() -> Iterator:
    """An empty marketplace database in a private temporary folder, connected for
    the whole run and removed with its folder afterwards."""
    from oppmarket.db.connection import open_database

    with tempfile.TemporaryDirectory(prefix="oppmarket-simulate-") as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'simulate.db'}")
        db.connect(reuse_if_open=True)
        try:
            yield db
        finally:
            db.close()


class Simulation:
    """The organisation, its marketplace and what the simulation remembers of it."""

    def __init__(self, db, people: int, seed: int, weights: Weights):
        from oppmarket.db import bulk
        from oppmarket.market import Market

        self.db = db
        self.seed = seed
        self.weights = weights
        self.now = START
        organisation = demo.generate(employees=people, opportunities=demo.MIN_OPPORTUNITIES, now=START, seed=seed)
        bulk.write_rows(db, [(name, organisation.rows(name)) for name in ORGANISATION_TABLES])
        rows = organisation.rows("employee")
        self.usernames = [r["username"] for r in rows]
        name_of = {r["id"]: r["username"] for r in rows}
        self.manager_of = {r["username"]: name_of.get(r["manager"]) for r in rows}
        self.dept_of = {r["username"]: r["department"] for r in rows}
        self.skill_names = {r["id"]: r["name"] for r in organisation.rows("skill")}
        dept_by_id = {r["id"]: r["department"] for r in rows}
        held: dict[int, list[int]] = defaultdict(list)
        for claim in organisation.rows("employee_skill"):
            held[dept_by_id[claim["employee"]]].append(claim["skill"])
        self.held_in = dict(held)  # skill ids by department, once per holder
        self.wanted = [i["skill"] for i in organisation.rows("interest")]  # once per person wanting it
        managers = sorted({m for m in self.manager_of.values() if m})
        slow = random.Random(f"{seed}:slow managers")
        self.slow_managers = {m for m in managers if slow.random() < plan.SLOW_MANAGER_SHARE}
        self.market_class = Market
        self.applied: set[tuple[str, int]] = set()
        # week -> (posting, seats, owner, weeks it runs)
        self.reviews_due: dict[int, list[tuple[int, int, str, int]]] = defaultdict(list)
        self.endings: dict[int, list[tuple[int, str]]] = defaultdict(list)  # week -> (application, owner)
        self.offered: list[tuple[int, str]] = []  # (application, applicant) waiting for a release
        self.engaged: set[str] = set()
        self.engagements: list[Engagement] = []

    def clock(self) -> dt.datetime:
        return self.now

    def market_of(self, username: str | None):
        """The marketplace as `username` (None: the system) sees it, on the
        simulation's clock, scoring with the run's weights."""
        return self.market_class(self.db, username, clock=self.clock, weights=self.weights)

    def step(self, week: int) -> None:
        """One simulated week, a day per stage; each day starts with the marketplace's
        maintenance, as each start of the app does."""
        monday = START + dt.timedelta(weeks=week)
        for day, stage in enumerate((self.complete, self.open_postings, self.look, self.review, self.release)):
            self.now = monday + dt.timedelta(days=day)
            self.market_of(None).run_maintenance()
            stage(week)

    def complete(self, week: int) -> None:
        rng = random.Random(f"{self.seed}:{week}:ratings")
        for app_id, owner in self.endings.pop(week, []):
            self.market_of(owner).complete(app_id, rng.choice(plan.RATINGS))

    def open_postings(self, week: int) -> None:
        rng = random.Random(f"{self.seed}:{week}:postings")
        for n in range(max(1, round(len(self.usernames) * plan.POSTINGS_PER_100_PEOPLE / 100))):
            owner = rng.choice(self.usernames)
            runs_for = rng.randint(*plan.WEEKS_RUNNING)
            draft = self.draft(rng, owner, week, n, runs_for)
            opp = self.market_of(owner).post(draft, publish=True)
            self.reviews_due[week + 1].append((opp.id, opp.seats, owner, runs_for))

    def draft(self, rng: random.Random, owner: str, week: int, n: int, runs_for: int) -> OpportunityDraft:
        """A posting of `owner`'s: skills held in their department, grows skills
        people want; its shape drawn from `simulate_plans`."""
        held = self.held_in.get(self.dept_of[owner]) or self.wanted
        required: dict[int, int] = {}
        for _ in range(rng.randint(*plan.REQUIRED_SKILLS)):
            required[rng.choice(held)] = rng.choice(plan.REQUIRED_LEVELS)
        grows = {rng.choice(self.wanted) for _ in range(rng.randint(*plan.GROWS_SKILLS))} - set(required)
        kind = rng.choices(plan.KINDS, weights=plan.KIND_WEIGHTS)[0]
        start = (START + dt.timedelta(weeks=week)).date()
        first = self.skill_names[next(iter(required))]
        return OpportunityDraft(
            kind=kind, title=f"{plan.TITLES[kind]} {first} (week {week + 1}, no. {n + 1})",
            hours_per_week=rng.choice(plan.HOURS), seats=rng.choices(plan.SEATS, weights=plan.SEAT_WEIGHTS)[0],
            start=start, end=start + dt.timedelta(weeks=runs_for + 1),
            skills=[(self.skill_names[s], level, REQUIRED) for s, level in required.items()]
            + [(self.skill_names[s], 2, GROWS) for s in sorted(grows)],
        )

    def look(self, week: int) -> None:
        for username in self.usernames:
            rng = random.Random(f"{self.seed}:{week}:{username}")
            if rng.random() >= plan.LOOK_CHANCE:
                continue
            market = self.market_of(username)
            applied = 0
            for rec in market.recommend(limit=plan.SHOWN):
                opp_id = rec.opportunity.id
                fits = rec.match.term(TERM_AVAILABILITY)
                if (username, opp_id) in self.applied or fits.points < fits.max_points:
                    continue
                if rng.random() * 100 < rec.match.score:
                    market.apply(opp_id)
                    self.applied.add((username, opp_id))
                    applied += 1
                    if applied == plan.MOST_APPLICATIONS:
                        break

    def review(self, week: int) -> None:
        for opp_id, seats, owner, runs_for in self.reviews_due.pop(week, []):
            market = self.market_of(owner)
            for entry in market.review(opp_id):
                if seats == 0:
                    break
                try:
                    market.offer(entry.application.id)
                except Conflict:
                    continue  # their time cap is full by now: the next in line
                seats -= 1
                username = entry.profile.person.username
                # Candidates in the simulation take what they applied for.
                self.market_of(username).accept(entry.application.id)
                self.engagements.append(Engagement(username, week, entry.match.score,
                                                   entry.match.term(TERM_NEWCOMER).points,
                                                   username not in self.engaged))
                self.engaged.add(username)
                self.offered.append((entry.application.id, username))
                self.endings[week + runs_for].append((entry.application.id, owner))
            market.close_and_decline_rest(opp_id)

    def release(self, week: int) -> None:
        waiting, self.offered = self.offered, []
        for app_id, username in waiting:
            manager = self.manager_of[username]
            if manager is not None and manager not in self.slow_managers:
                self.market_of(manager).release(app_id)
