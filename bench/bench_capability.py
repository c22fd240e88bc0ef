"""The capability map at scale: 10,000 people into a fresh SQLite file, then the map.

Prints the median and worst time of `Market.capability_map` (the work the screen's
thread worker does) at a few levels and with a category, the queries each call runs,
the time of one drill-down, how late the event loop's ticks run while a thread counts
the map (what keeps the screen answering keys meanwhile), and, in a headless app, the
time from h to the map drawn and the part of it spent drawing on the event loop.

    python bench/bench_capability.py [--employees N] [--opportunities M] [--repeat R] [--keep PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from oppmarket import demo  # noqa: E402
from oppmarket.db.connection import open_database  # noqa: E402
from oppmarket.market import Market  # noqa: E402


def timed(call, repeat: int) -> tuple[float, float, object]:
    """(median, worst) milliseconds of `call`, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), result


def queries(db, call) -> int:
    count = 0
    execute = type(db).execute_sql

    def counting(self, sql, params=None, *args, **kwargs):
        nonlocal count
        count += 1
        return execute(self, sql, params, *args, **kwargs)

    type(db).execute_sql = counting
    try:
        call()
    finally:
        type(db).execute_sql = execute
    return count


async def loop_lag(during) -> tuple[float, float]:
    """(median, worst) ms by which a 5 ms sleep of the event loop overshoots while
    `during` runs in a thread, as a screen's worker runs beside the app."""
    done = threading.Event()

    def work() -> None:
        during()
        done.set()

    late: list[float] = []
    thread = threading.Thread(target=work)
    thread.start()
    while not done.is_set():
        start = time.perf_counter()
        await asyncio.sleep(0.005)
        late.append((time.perf_counter() - start - 0.005) * 1000)
    thread.join()
    return statistics.median(late), max(late)


async def on_screen(db, admin: str) -> tuple[float, float]:
    """In a headless 120x36 app: (ms from l to the counted map drawn, ms the event
    loop spent drawing it once counted)."""
    from oppmarket.app import make_app
    from oppmarket.screens.capability_map import CapabilityMapScreen

    drawing: list[float] = []
    draw = CapabilityMapScreen._counted

    def measured(self, view, cmap):
        start = time.perf_counter()
        draw(self, view, cmap)
        drawing.append((time.perf_counter() - start) * 1000)

    CapabilityMapScreen._counted = measured
    try:
        app = make_app(db, admin)
        async with app.run_test(size=(120, 36)) as pilot:
            for _ in range(300):  # let the start screen hand over to browse and browse settle
                await pilot.pause(0.1)
                if type(app.screen).__name__ == "BrowseScreen" and not any(w.is_running for w in app.workers):
                    break
            start = time.perf_counter()
            await pilot.press("l")
            while not drawing:
                await asyncio.sleep(0.01)
            return (time.perf_counter() - start) * 1000, drawing[0]
    finally:
        CapabilityMapScreen._counted = draw


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--opportunities", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the database here instead of a temporary file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.db"
        db = open_database(f"sqlite:///{path}")
        started = time.perf_counter()
        summary = demo.load_demo(db, employees=args.employees, opportunities=args.opportunities)
        print(f"capability map: {summary.employees:,} people, {summary.skills:,} skills, "
              f"{summary.opportunities:,} opportunities (SQLite; generated in {time.perf_counter() - started:.1f} s)")
        market = Market(db, summary.admin)
        for label, options in (("level 1", {}), ("level 3", {"level": 3}), ("level 5", {"level": 5})):
            median, worst, cmap = timed(lambda: market.capability_map(**options), args.repeat)
            n = queries(db, lambda: market.capability_map(**options))
            print(f"  map {label:<22} median {median:7.1f} ms   worst {worst:7.1f} ms   "
                  f"{len(cmap.rows):,} skills × {len(cmap.columns)} departments, {n} queries")
        category = market.capability_map().rows[0].category
        median, worst, cmap = timed(lambda: market.capability_map(category=category), args.repeat)
        print(f"  map {'category ' + category[:13]:<22} median {median:7.1f} ms   worst {worst:7.1f} ms   "
              f"{len(cmap.rows):,} skills")
        top = market.capability_map().rows[0]
        median, worst, detail = timed(lambda: market.capability_detail(top.skill_id), args.repeat)
        print(f"  drill down {top.name[:18]:<15} median {median:7.1f} ms   worst {worst:7.1f} ms   "
              f"{detail.cell.people + detail.cell.stale:,} people, {detail.opportunities_total:,} opportunities, "
              f"{queries(db, lambda: market.capability_detail(top.skill_id))} queries")
        idle = asyncio.run(loop_lag(lambda: time.sleep(1)))
        busy = asyncio.run(loop_lag(market.capability_map))
        print(f"  event loop beside the count: a 5 ms tick late by median {busy[0]:5.1f} ms, worst {busy[1]:5.1f} ms "
              f"(idle: {idle[0]:4.1f} / {idle[1]:4.1f} ms)")
        total, drawing = asyncio.run(on_screen(db, summary.admin))
        print(f"  screen: l to the map drawn {total:7.1f} ms, of which drawing on the event loop {drawing:5.1f} ms")
        print(f"  (machine load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
        db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
