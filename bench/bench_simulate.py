"""The newcomer-lift simulation at a few sizes: wall-clock and CPU seconds of one run
(in this process), and of both runs side by side as `oppmarket simulate` runs them.

CPU seconds say what the simulation costs; wall-clock seconds also say how busy the
machine was. Usage:

    python bench/bench_simulate.py [--sizes 250x8,1000x26] [--seed S]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from oppmarket import simulate  # noqa: E402


def cpu_seconds() -> float:
    """CPU time of this process and of the worker processes it has waited for."""
    own, done = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + done.ru_utime + done.ru_stime


def timed(work) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    work()
    return time.perf_counter() - wall, cpu_seconds() - cpu


def sizes(text: str) -> list[tuple[int, int]]:
    return [tuple(int(n) for n in size.split("x")) for size in text.split(",")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=sizes, default=sizes("250x8,1000x26"), help="PEOPLExWEEKS,...")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    print(f"{'people':>7} {'weeks':>5}  {'one run':>18}  {'both, side by side':>20}")
    for people, weeks in args.sizes:
        one = timed(lambda: simulate.run(people, weeks, args.seed))
        both = timed(lambda: simulate.compare(people, weeks, args.seed))
        print(f"{people:>7} {weeks:>5}  {one[0]:6.1f} s ({one[1]:5.1f} CPU)  {both[0]:7.1f} s ({both[1]:5.1f} CPU)",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
