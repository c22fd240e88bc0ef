"""Running a command in a pseudo-terminal, as a person at a terminal would (or as sshd
runs a forced command with `pty`): for the commands that refuse to start without one."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass

# Escape sequences (CSI, OSC, and two-byte ones), so the text reads as a person sees it.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")


@dataclass(frozen=True)
class TerminalRun:
    returncode: int | None  # None: still running when it was stopped
    text: str  # everything written to the terminal, escape sequences removed


def run_in_terminal(argv: list[str], *, env: dict[str, str], user=None, until: str | None = None,
                    timeout: float = 30, columns: int = 100, lines: int = 30) -> TerminalRun:
    """Run `argv` (as `user`, an `os_users.OsUser`, when given) on a new terminal
    until it exits, `until` appears on the screen, or `timeout` seconds pass; then stop
    it (and its process group) if it still runs."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    ids = {} if user is None else {"user": user.uid, "group": user.gid, "extra_groups": []}
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                            cwd=user.home if user else None, **ids)
    os.close(slave)
    output = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and not (until is not None and until in _text(output)):
            ready, _, _ = select.select([master], [], [], 0.2)
            try:
                chunk = os.read(master, 65536) if ready else b""
            except OSError:  # the terminal closed: the program has ended
                break
            if ready and not chunk:
                break
            output += chunk
            if not ready and proc.poll() is not None:
                break
        if until is None or until not in _text(output):
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(max(0.1, deadline - time.monotonic()))
        returncode = proc.poll()
        if returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    finally:
        os.close(master)
    return TerminalRun(returncode, _text(output))


def _text(output: bytes) -> str:
    return _ESCAPES.sub("", output.decode("utf-8", "replace"))
