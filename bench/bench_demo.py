"""Scale demo load: 10,000 employees and 100,000 opportunities into a fresh SQLite file.

Prints the time spent in each stage (planning, then one stage per table written) and
the total, plus the rows written. Usage:

    python bench/bench_demo.py [--employees N] [--opportunities M] [--keep PATH]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from oppmarket import demo  # noqa: E402
from oppmarket.db.connection import open_database  # noqa: E402


class StageClock:
    """A progress callback that records when each stage starts and ends."""

    def __init__(self) -> None:
        self.order: list[str] = []
        self.seconds: dict[str, float] = {}
        self.rows: dict[str, int] = {}
        self._stage: str | None = None
        self._since = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if stage != self._stage:
            self._close(now)
            self._stage, self._since = stage, now
            self.order.append(stage)
        self.rows[stage] = total

    def _close(self, now: float) -> None:
        if self._stage is not None:
            self.seconds[self._stage] = self.seconds.get(self._stage, 0.0) + now - self._since

    def finish(self) -> None:
        self._close(time.perf_counter())
        self._stage = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the database here instead of a temporary file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.db"
        db = open_database(f"sqlite:///{path}")
        clock = StageClock()
        started = time.perf_counter()
        summary = demo.load_demo(db, employees=args.employees, opportunities=args.opportunities, progress=clock)
        total = time.perf_counter() - started
        clock.finish()
        db.close()
        size_mb = path.stat().st_size / 1e6

    print(f"demo load: {args.employees:,} employees, {args.opportunities:,} opportunities (SQLite)")
    for stage in clock.order:
        rows = "" if stage == "planning" else f"{clock.rows[stage]:>10,} rows"
        print(f"  {stage:<20} {clock.seconds[stage]:7.2f} s {rows}")
    print(f"  {'total':<20} {total:7.2f} s")
    print(f"  {summary.skills:,} skills, {summary.applications:,} applications, database {size_mb:,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
