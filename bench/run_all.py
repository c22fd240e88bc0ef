"""Run every benchmark script in this folder in turn; each prints its own figures.

Benchmarks are not tests: they measure speed and memory at scale on this machine and
print numbers to compare between changes, without pass/fail thresholds that would
flake on a busy machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    failures = 0
    for script in sorted(here.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        failures += subprocess.run([sys.executable, str(script)]).returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
