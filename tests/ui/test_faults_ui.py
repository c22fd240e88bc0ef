"""A fault of the database in the middle of a session is an error dialog, and the app
carries on; a failure the app cannot survive ends it with one line and a non-zero
exit, never with a traceback and its local variables on the terminal."""

from __future__ import annotations

import fcntl
import os
import select
import sqlite3
import struct
import subprocess
import sys
import termios
import time

import pytest

from oppmarket.config import log_path
from oppmarket.db import connection
from oppmarket.domain import OpportunityDraft
from oppmarket.screens.error_dialog import ErrorDialog
from oppmarket.screens.inbox import InboxScreen

from support import SIZE, build_org, open_app, screen_text, settle
from support.database import sqlite_database

BUSY = "the database is busy: another process kept it locked longer than oppmarket waits; try again in a moment"


@pytest.fixture
def locked_database(tmp_path, monkeypatch):
    """A database whose locks are waited for 0.2 s, not 15, where owner has news,
    and a `hold()` that makes another connection take its write lock."""
    monkeypatch.setattr(connection, "SQLITE_PRAGMAS", connection.SQLITE_PRAGMAS | {"busy_timeout": 200})
    monkeypatch.setattr(connection, "SQLITE_TIMEOUT_SECONDS", 0.2)
    with sqlite_database(tmp_path) as db:
        admin = build_org(db, opportunities=0)
        gig = admin.as_user("owner").post(OpportunityDraft(title="Pager rota", hours_per_week=2), publish=True)
        admin.as_user("eng1").apply(gig.id, "count me in")
        holder = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
        yield db, holder
        holder.close()


@pytest.mark.parametrize("remote", [False, True])
async def test_a_locked_database_is_a_dialog_and_the_app_carries_on(locked_database, remote):
    db, holder = locked_database
    app = open_app(db, "owner", remote=remote)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.action_go("inbox")
        await settle(pilot)
        assert app.unread == 1

        holder.execute("BEGIN IMMEDIATE")  # someone else is writing, for a long time
        await pilot.press("ctrl+a")  # mark all read
        await settle(pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert app.screen.summary == BUSY
        text = " ".join(screen_text(app).replace("│", " ").split())  # the dialog's lines, joined
        assert BUSY in text and "Traceback" not in text
        if remote:
            assert "The details are in the log on the server." in text and "oppmarket.log" not in text
        else:
            assert f"The details are in {log_path()}." in text

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        holder.execute("ROLLBACK")
        await pilot.press("ctrl+a")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen) and app.unread == 0
    assert "database is locked" in log_path().read_text(encoding="utf-8")


# A bug where nothing catches it: the app falls over as it shows the first screen.
# The local variable is what Textual's traceback would have shown to the terminal.
FALLS_OVER = """
import sys
from oppmarket import cli
from oppmarket.app import OppMarketApp

def _arrive(self, arrival):
    password = "hunter2-in-a-local"
    raise RuntimeError("the app fell over")

OppMarketApp._arrive = _arrive
sys.exit(cli.main(sys.argv[1:]))
"""


def run_in_terminal(argv: list[str], timeout: float = 60) -> tuple[int, str]:
    """Run `argv` in a pseudo-terminal of the tests' size, as over `ssh -t`; its exit
    code and everything it wrote to the terminal."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    env = os.environ | {"TERM": "xterm-256color", "COLUMNS": str(SIZE[0]), "LINES": str(SIZE[1])}
    process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    output = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if select.select([master], [], [], 0.2)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the terminal closed: the program has ended
                    break
                if not chunk:
                    break
                output += chunk
            elif process.poll() is not None:
                break
        else:
            pytest.fail(f"still running after {timeout} s: {output.decode(errors='replace')[-500:]}")
        return process.wait(timeout=10), output.decode("utf-8", errors="replace")
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)


def test_a_failure_the_app_cannot_survive_is_one_line_and_a_non_zero_exit(tmp_path):
    with sqlite_database(tmp_path) as db:
        build_org(db, opportunities=0)
    code, shown = run_in_terminal([sys.executable, "-c", FALLS_OVER, "--db", f"sqlite:///{tmp_path / 'm.db'}"])
    assert code == 1
    assert "oppmarket: error: RuntimeError: the app fell over" in shown
    assert "hunter2" not in shown and "password" not in shown and "Traceback" not in shown
    log = log_path().read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log and "in _arrive" in log
