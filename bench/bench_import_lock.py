"""How long a CSV import holds SQLite's write lock: what every other writer waits for.

For each kind (opportunities, people, skills) it writes a CSV of --rows rows (default
10,000) that fits the demo organisation, imports it into a fresh copy of that
organisation, and prints the whole import's time (parse, check, write), the time the
write lock was held, and the longest wait of another writer that commits an empty
transaction every 20 ms meanwhile, each also per 10,000 rows.

With --baseline REV it runs the same measurement on the code of git revision REV
(extracted into a temporary folder) in the same run, and prints the ratios. Usage:

    python bench/bench_import_lock.py [--rows N] [--kinds opportunities,people,skills] [--baseline REV]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = ("opportunities", "people", "skills")
PROBE_EVERY = 0.02


def write_csv(kind: str, rows: int, path: Path, usernames: list[str], skills: list[str]) -> None:
    """A file of `rows` valid rows of `kind` that names the stored people and skills."""
    pick = random.Random(7)
    with open(path, "w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        if kind == "opportunities":
            w.writerow(("kind", "title", "description", "owner", "hours_per_week", "seats", "remote",
                        "required_skills", "grows_skills"))
            for n in range(rows):
                required = ";".join(f"{s}:{pick.randint(1, 5)}" for s in pick.sample(skills, 3))
                grows = ";".join(f"{s}:{pick.randint(1, 3)}" for s in pick.sample(skills, 2))
                w.writerow((pick.choice(("gig", "mentorship", "volunteering", "shadowing")), f"Imported task {n}",
                            "What needs doing, and why it matters. " * 6, pick.choice(usernames),
                            pick.randint(1, 8), pick.randint(1, 3), "yes", required, grows))
        elif kind == "people":
            w.writerow(("username", "display_name", "email", "title", "department", "manager", "weekly_hours"))
            for n in range(rows):
                # Managers: a stored person, or someone earlier in the file.
                manager = pick.choice(usernames) if n < 50 else f"imported{pick.randrange(n)}"
                w.writerow((f"imported{n}", f"Imported Person {n}", f"imported{n}@example.com", "Analyst",
                            f"Imported team {n % 40}", manager, 40))
        else:
            w.writerow(("name", "category", "aliases", "description"))
            for n in range(rows):
                w.writerow((f"Imported skill {n}", f"Imported category {n % 30}", f"isk{n};imported-skill-{n}",
                            "A skill from the imported taxonomy."))


class LockClock:
    """When the importer's connection began its write transaction (from SQLite's
    statement trace), and the longest another writer waited meanwhile."""

    def __init__(self, path: Path):
        self.path = path
        self.began: float | None = None
        self.longest_wait = 0.0
        self._stop = threading.Event()
        self._probe = threading.Thread(target=self._write_now_and_then, daemon=True)

    def trace(self, statement: str) -> None:
        if self.began is None and statement.upper().startswith("BEGIN"):
            self.began = time.perf_counter()

    def _write_now_and_then(self) -> None:
        other = sqlite3.connect(str(self.path), timeout=600, isolation_level=None)
        while not self._stop.is_set():
            started = time.perf_counter()
            other.execute("BEGIN IMMEDIATE")
            other.execute("COMMIT")
            self.longest_wait = max(self.longest_wait, time.perf_counter() - started)
            self._stop.wait(PROBE_EVERY)
        other.close()

    def __enter__(self) -> LockClock:
        self._probe.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._probe.join()


def measure(kinds: list[str], rows: int, folder: Path) -> dict[str, dict[str, float]]:
    """In this process, with whichever oppmarket is first on sys.path: build the demo
    organisation once, then import each kind into a fresh copy of it."""
    from oppmarket import demo, transfer
    from oppmarket.db import models as M
    from oppmarket.db.connection import open_database
    from oppmarket.market import Market

    base = folder / "base.db"
    db = open_database(f"sqlite:///{base}")
    demo.load_demo(db)
    with db.connection_context():
        usernames = [u for u, in M.Employee.select(M.Employee.username).tuples()]
        skills = [s for s, in M.Skill.select(M.Skill.name).tuples()]
    db.close()
    results = {}
    for kind in kinds:
        source = folder / f"{kind}.csv"
        write_csv(kind, rows, source, usernames, skills)
        path = folder / f"{kind}.db"
        shutil.copyfile(base, path)
        db = open_database(f"sqlite:///{path}")
        clock = LockClock(path)
        db.connect()
        db.connection().set_trace_callback(clock.trace)
        with clock:
            started = time.perf_counter()
            parsed = getattr(transfer, f"parse_{kind}")(source)
            count = getattr(Market(db, None), f"import_{kind}")(parsed)
            ended = time.perf_counter()
        db.close()
        assert count == rows, (kind, count)
        results[kind] = {"total": ended - started, "lock": ended - clock.began, "wait": clock.longest_wait}
    return results


def run_tree(code: Path, kinds: list[str], rows: int) -> dict[str, dict[str, float]]:
    """`measure` in a child process that imports oppmarket from `code`."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--measure", str(code), "--folder", tmp,
             "--rows", str(rows), "--kinds", ",".join(kinds)],
            check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def extract(revision: str, into: Path) -> Path:
    """The oppmarket package of git revision `revision`, unpacked under `into`."""
    archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", revision, "oppmarket"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def show(label: str, rows: int, figures: dict[str, float], base: dict[str, float] | None) -> None:
    per = 10_000 / rows
    line = (f"  {label:<20} total {figures['total']:7.2f} s   write lock {figures['lock']:7.2f} s "
            f"({figures['lock'] * per:6.2f} s per 10,000 rows)   longest writer wait {figures['wait']:7.2f} s")
    if base:
        line += (f"   vs before: total {base['total'] / figures['total']:.0f}x faster, "
                 f"lock {base['lock'] / figures['lock']:.0f}x shorter")
    print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated, from: " + ", ".join(KINDS))
    parser.add_argument("--baseline", metavar="REV", help="also measure the code of this git revision")
    parser.add_argument("--measure", metavar="CODE", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    if unknown := set(kinds) - set(KINDS):
        parser.error(f"unknown kind(s): {', '.join(sorted(unknown))}")
    if args.measure:
        sys.path.insert(0, args.measure)
        print(json.dumps(measure(kinds, args.rows, Path(args.folder))))
        return 0

    current = run_tree(HERE.parent, kinds, args.rows)
    baseline = None
    if args.baseline:
        with tempfile.TemporaryDirectory() as tmp:
            baseline = run_tree(extract(args.baseline, Path(tmp)), kinds, args.rows)
    print(f"import of {args.rows:,} rows into the demo organisation (SQLite)")
    for kind in kinds:
        if baseline:
            show(f"{kind} before", args.rows, baseline[kind], None)
        show(kind if not baseline else f"{kind} now", args.rows, current[kind], baseline and baseline[kind])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
