"""Soak: many processes apply and review on one SQLite file while a large import runs.

--processes workers (default 20) act for --seconds (default 60), each in its own
process with its own connection and `Market`, as sessions of the terminal app would:
applicants apply and withdraw, owners shortlist, offer and decline. Meanwhile the
real CLI imports --import-rows opportunities (default 10,000), and `oppmarket whoami`
runs over and over. Each worker counts the writes it attempted and those that
succeeded, and notes every success.

Then it checks that the audit trail holds exactly the noted successes (no write
lost, none made up), that every imported row is there, that no posting has more
people offered or active than seats, and that nobody saw "database is locked", a
traceback, or any error other than the marketplace's own refusals (a seat already
taken, a cap reached). Prints the counts; exits 1 on any violation. Usage:

    python bench/soak.py [--processes N] [--seconds S] [--import-rows R]
"""

from __future__ import annotations

import argparse
import collections
import csv
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SPAWN = multiprocessing.get_context("spawn")
POSTINGS_PER_OWNER = 8
SKILLS = ("Python", "SQL", "Kubernetes")
# Writers are reviewed for what reached them: a message a user would read.
FORBIDDEN = ("locked", "traceback")
# How long setup, the import and the workers' last calls may run past --seconds.
GRACE = 300


@dataclass
class Tally:
    """One worker's account of what it did."""

    username: str
    role: str
    attempted: int = 0
    succeeded: int = 0
    refused: int = 0
    slowest: float = 0.0
    successes: list[tuple[str, str, int]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)


def _try(tally: Tally, action: str, call) -> None:
    """Make one write; a domain refusal is a fair outcome, anything else a violation."""
    from oppmarket.errors import DatabaseUnavailable, OppMarketError

    tally.attempted += 1
    started = time.perf_counter()
    try:
        application_id = call()
    except DatabaseUnavailable as exc:
        tally.violations.append(f"{action}: {exc}")
    except OppMarketError as exc:
        tally.refused += 1
        if any(word in str(exc).lower() for word in FORBIDDEN):
            tally.violations.append(f"{action}: {exc}")
    except Exception as exc:  # noqa: BLE001 - every other failure is what the soak looks for
        tally.violations.append(f"{action}: {type(exc).__name__}: {exc}")
    else:
        tally.succeeded += 1
        tally.successes.append((tally.username, action, application_id))
    tally.slowest = max(tally.slowest, time.perf_counter() - started)


def _apply_or_withdraw(market, tally: Tally, postings: list[int], pick: random.Random) -> None:
    from oppmarket.lifecycle import AppStatus, allows

    mine = {a.opportunity_id: a for a in market.my_applications()}
    # Postings it may still act on: not those where it was declined.
    open_to_me = [opp for opp in postings if opp not in mine or mine[opp].status == AppStatus.WITHDRAWN
                  or allows("withdraw", mine[opp].status)]
    if not open_to_me:
        return
    opp = pick.choice(open_to_me)
    app = mine.get(opp)
    if app is not None and allows("withdraw", app.status):
        _try(tally, "withdraw", lambda: market.withdraw(app.id).id)
    else:
        _try(tally, "apply", lambda: market.apply(opp, "keen").application_id)


def _review(market, tally: Tally, postings: list[int], pick: random.Random) -> None:
    from oppmarket.lifecycle import allows

    apps = market.applicants(pick.choice(postings))
    moves = [(action, app) for app in apps for action in ("shortlist", "offer", "decline")
             if allows(action, app.status)]
    if not moves:
        return
    action, app = pick.choice(moves)
    call = {"shortlist": market.shortlist, "offer": market.offer, "decline": market.decline}[action]
    _try(tally, action, lambda: call(app.id).id)


def work(url: str, username: str, role: str, postings: list[int], start, seconds: float, results) -> None:
    """A worker process: once every process is ready, act as `username` for
    `seconds`, then report."""
    tally = Tally(username, role)
    try:
        from oppmarket.db.connection import open_database
        from oppmarket.market import Market

        market = Market(open_database(url), username)
        market.whoami()
        pick = random.Random(username)
        act = _review if role == "owner" else _apply_or_withdraw
        start.wait(GRACE)
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            act(market, tally, postings, pick)
    except Exception as exc:  # noqa: BLE001 - a crash is a violation to report, not to lose
        tally.violations.append(f"worker stopped: {type(exc).__name__}: {exc}")
    results.put(tally)


def cli(folder: Path, *args: str) -> subprocess.Popen:
    """The real `oppmarket` command, with its config and data folders in `folder`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPPMARKET_")}
    env.update(OPPMARKET_CONFIG=str(folder / "config.toml"), OPPMARKET_DATA_DIR=str(folder / "data"),
               PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    return subprocess.Popen([sys.executable, "-m", "oppmarket", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def build(url: str, processes: int) -> tuple[list[str], list[str], dict[str, list[int]]]:
    """The marketplace: an admin, a manager, a quarter of the workers as owners with
    their postings, the rest as applicants who report to the manager (so an offer
    waits for a release, and the applicant may still withdraw)."""
    from oppmarket.db.connection import open_database
    from oppmarket.domain import OpportunityDraft
    from oppmarket.market import Market

    db = open_database(url)
    admin = Market(db, "admin")
    admin.register_self("Ada Admin")
    admin.add_person("mgr", "Maya Manager", department="Platform")
    owners = [f"owner{n}" for n in range(max(1, processes // 4))]
    applicants = [f"applicant{n}" for n in range(processes - len(owners))]
    for name in owners:
        admin.add_person(name, name.title(), department="Product")
    for name in applicants:
        admin.add_person(name, name.title(), department="Platform", manager="mgr")
    for skill in SKILLS:
        admin.add_skill(skill, category="Soak")
    postings = {}
    for name in owners:
        owner = admin.as_user(name)
        postings[name] = [owner.post(OpportunityDraft(title=f"{name} task {n}", hours_per_week=1, seats=3,
                                                      skills=[(SKILLS[n % 3], 2, "required")]), publish=True).id
                          for n in range(POSTINGS_PER_OWNER)]
    db.close()
    return owners, applicants, postings


def write_import(path: Path, rows: int, owners: list[str]) -> None:
    pick = random.Random(11)
    with open(path, "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(("kind", "title", "description", "owner", "hours_per_week", "seats", "required_skills"))
        for n in range(rows):
            w.writerow(("gig", f"Imported task {n}", "Imported while everyone works. " * 5, pick.choice(owners),
                        pick.randint(1, 8), pick.randint(1, 3), f"{pick.choice(SKILLS)}:{pick.randint(1, 5)}"))


def check(url: str, tallies: list[Tally], postings_before: int, import_rows: int) -> list[str]:
    """What the database says against what the workers saw: the problems found."""
    from oppmarket.db import models as M
    from oppmarket.db.connection import open_database
    from oppmarket.market import Market

    problems = []
    db = open_database(url)
    with db.connection_context():
        audited = collections.Counter(
            (actor, action, object_id) for actor, action, object_id in
            M.AuditEvent.select(M.Employee.username, M.AuditEvent.action, M.AuditEvent.object_id)
            .join(M.Employee, on=(M.AuditEvent.actor == M.Employee.id))
            .where(M.AuditEvent.action.in_(("apply", "withdraw", "shortlist", "offer", "decline"))).tuples())
        imports = M.AuditEvent.select().where(M.AuditEvent.action == "import_opportunities").count()
        postings = M.Opportunity.select().count()
    noted = collections.Counter(s for t in tallies for s in t.successes)
    if lost := noted - audited:
        problems.append(f"{sum(lost.values())} successful writes are not in the database, e.g. {next(iter(lost))}")
    if made_up := audited - noted:
        problems.append(f"{sum(made_up.values())} writes in the database no worker saw succeed, "
                        f"e.g. {next(iter(made_up))}")
    if (imports, postings) != (1, postings_before + import_rows):
        problems.append(f"the import left {postings - postings_before} of {import_rows} postings "
                        f"and {imports} audit rows")
    admin = Market(db, "admin")
    overbooked = [o.id for o in admin.all_opportunities() if o.seats_taken > o.seats]
    if overbooked:
        problems.append(f"postings with more people offered or active than seats: {overbooked[:5]}")
    db.close()
    return problems


def soak(processes: int, seconds: float, import_rows: int, folder: Path) -> int:
    path = folder / "market.db"
    url = f"sqlite:///{path}"
    owners, applicants, postings = build(url, processes)
    every_posting = [p for ids in postings.values() for p in ids]
    source = folder / "import.csv"
    write_import(source, import_rows, owners)

    start, results = SPAWN.Barrier(processes + 1), SPAWN.Queue()
    workers = [SPAWN.Process(target=work, args=(url, name, "owner", postings[name], start, seconds, results))
               for name in owners]
    workers += [SPAWN.Process(target=work, args=(url, name, "applicant", every_posting, start, seconds, results))
                for name in applicants]
    for proc in workers:
        proc.start()
    start.wait(GRACE)
    until = time.monotonic() + seconds
    began = time.perf_counter()
    importer = cli(folder, "--db", url, "--as", "admin", "import", "opportunities", str(source))
    whoami_runs, whoami_failures = 0, []
    while time.monotonic() < until or importer.poll() is None:
        probe = cli(folder, "--db", url, "--as", applicants[0], "whoami")
        out, err = probe.communicate(timeout=GRACE)
        whoami_runs += 1
        if probe.returncode != 0 or any(word in (out + err).lower() for word in FORBIDDEN):
            whoami_failures.append((err or out).strip().splitlines()[-1:])
        if time.monotonic() > until + GRACE:
            importer.kill()
            break
    import_out, import_err = importer.communicate(timeout=GRACE)
    import_seconds = time.perf_counter() - began
    tallies = []
    for _ in workers:
        try:
            tallies.append(results.get(timeout=GRACE))
        except Exception:  # noqa: BLE001 - a worker that never reported is a violation below
            break
    for proc in workers:
        proc.join(GRACE)

    violations = [f"{t.username}: {v}" for t in tallies for v in t.violations]
    if len(tallies) < len(workers):
        violations.append(f"{len(workers) - len(tallies)} workers never reported")
    last_line = (import_err.strip().splitlines() or [""])[-1]
    if importer.returncode != 0 or any(word in import_err.lower() for word in FORBIDDEN):
        violations.append(f"the import failed (exit {importer.returncode}): {last_line}")
    violations += [f"whoami: {failure}" for failure in whoami_failures]
    if not violations:
        violations += check(url, tallies, len(every_posting), import_rows)

    print(f"soak: {processes} processes for {seconds:g} s on one SQLite file, "
          f"beside an import of {import_rows:,} opportunities")
    print(f"  {'process':<14}{'role':<11}{'attempted':>10}{'succeeded':>10}{'refused':>9}{'slowest':>10}")
    for t in sorted(tallies, key=lambda t: (t.role, t.username)):
        print(f"  {t.username:<14}{t.role:<11}{t.attempted:>10}{t.succeeded:>10}{t.refused:>9}{t.slowest:>9.2f}s")
    print(f"  {'all':<25}{sum(t.attempted for t in tallies):>10}{sum(t.succeeded for t in tallies):>10}"
          f"{sum(t.refused for t in tallies):>9}{max((t.slowest for t in tallies), default=0):>9.2f}s")
    said = (import_out.strip().splitlines() or [""])[-1]
    print(f"  import: exit {importer.returncode} after {import_seconds:.1f} s ({said}); "
          f"whoami: {whoami_runs} runs, {len(whoami_failures)} failed")
    if violations:
        print(f"FAILED: {len(violations)} violation(s)")
        for violation in violations[:20]:
            print(f"  {violation}")
        return 1
    print("ok: every successful write is in the database, and nobody saw a lock error or a traceback")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--import-rows", type=int, default=10_000)
    args = parser.parse_args(argv)
    if args.processes < 2:
        parser.error("--processes must be at least 2 (an owner and an applicant)")
    with tempfile.TemporaryDirectory() as tmp:
        return soak(args.processes, args.seconds, args.import_rows, Path(tmp))


if __name__ == "__main__":
    raise SystemExit(main())
