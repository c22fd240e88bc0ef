"""The `oppmarket` command as another OS user runs it, from a copy of this checkout
that belongs to one test module: the environment `os_users.other_user_python` builds
is shared by every checkout on the machine, and its package copy may be replaced by
another checkout's while a test runs."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from support.os_users import PROJECT, OsUser, other_user_python, shared_folder


@dataclass(frozen=True)
class OtherUsersCli:
    python: Path
    code: Path  # the folder holding the copied `oppmarket` package

    def argv(self, *args: str) -> list[str]:
        return [str(self.python), "-m", "oppmarket", *args]

    def env(self, user: OsUser) -> dict[str, str]:
        """The environment `user` runs it in: a clean login's, with this copy first on
        the path and a terminal type for the app."""
        return {"HOME": str(user.home), "USER": user.name, "LOGNAME": user.name, "LANG": "C.UTF-8",
                "PATH": "/usr/local/bin:/usr/bin:/bin", "PYTHONPATH": str(self.code), "TERM": "xterm-256color"}

    def run(self, user: OsUser, *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
        """`oppmarket ARGS...` as `user`, without a terminal."""
        return user.run(self.argv(*args), env={"PYTHONPATH": str(self.code)}, timeout=timeout)


@contextlib.contextmanager
def other_users_cli() -> Iterator[OtherUsersCli]:
    """This checkout's `oppmarket`, runnable by any user; removed afterwards."""
    python = other_user_python()
    folder = shared_folder("oppmarket-code-")
    try:
        shutil.copytree(PROJECT / "oppmarket", folder / "oppmarket",
                        ignore=shutil.ignore_patterns("__pycache__"))
        # Compiled once here: other users cannot write the cache beside the copy.
        subprocess.run([str(python), "-m", "compileall", "-q", str(folder)], check=True, capture_output=True)
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        yield OtherUsersCli(python, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
