"""A short run of the soak in bench/soak.py: six processes apply and review on one
SQLite file for eight seconds while the CLI imports 10,000 opportunities and `whoami`
runs again and again. It fails on a write lost or made up, an overbooked posting, or
a lock error or traceback seen by anyone. The full run, 20 processes for a minute, is
`python bench/soak.py`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SOAK = Path(__file__).resolve().parent.parent / "bench" / "soak.py"


def test_concurrent_sessions_lose_no_write_and_see_no_lock_error_during_an_import():
    run = subprocess.run([sys.executable, str(SOAK), "--processes", "6", "--seconds", "8", "--import-rows", "10000"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ok: every successful write is in the database" in run.stdout
    totals = next(line for line in run.stdout.splitlines() if line.strip().startswith("all "))
    assert int(totals.split()[2]) > 0, run.stdout  # some writes succeeded
