"""Other operating-system users, for the rules that depend on who runs oppmarket.

Tests that need them run as root: they create throwaway accounts with `useradd` and
remove them afterwards. The project's own virtual environment is built from a Python
other users cannot read, so they get an environment of their own, built from the
system Python, and a copy of this checkout's `oppmarket` package to run with it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import oppmarket

SYSTEM_PYTHON = Path("/usr/bin/python3")
PROJECT = Path(oppmarket.__file__).resolve().parent.parent
# Built once per set of dependencies and kept between runs: a new build downloads them.
VENV_ROOT = Path("/var/tmp/oppmarket-test-venvs")


def require_root() -> None:
    """Skip, saying why, where throwaway accounts cannot be made."""
    if os.geteuid() != 0:
        pytest.skip("needs root: the test creates and removes throwaway OS users")
    for tool in ("useradd", "userdel"):
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool} to create a throwaway OS user")
    if not SYSTEM_PYTHON.exists():
        pytest.skip(f"needs {SYSTEM_PYTHON} to build an environment other users can run")


@dataclass(frozen=True)
class OsUser:
    name: str
    uid: int
    gid: int
    home: Path

    def run(self, argv: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
            timeout: float = 120, input: str | None = None) -> subprocess.CompletedProcess:
        """Run `argv` as this user, with a clean environment plus `env`."""
        base = {"HOME": str(self.home), "USER": self.name, "LOGNAME": self.name,
                "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"}
        return subprocess.run(
            argv, env=base | (env or {}), cwd=cwd or self.home, user=self.uid, group=self.gid,
            extra_groups=[], capture_output=True, text=True, timeout=timeout, input=input,
        )


@contextlib.contextmanager
def os_user(prefix: str = "omt") -> Iterator[OsUser]:
    """A new OS account with a home folder, deleted (home included) afterwards."""
    require_root()
    name = f"{prefix}{secrets.token_hex(4)}"
    subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True,
                   capture_output=True)
    try:
        entry = pwd.getpwnam(name)
        yield OsUser(name, entry.pw_uid, entry.pw_gid, Path(entry.pw_dir))
    finally:
        subprocess.run(["userdel", "--remove", name], capture_output=True)


def shared_folder(prefix: str = "oppmarket-shared-") -> Path:
    """A new folder every user can enter (not under pytest's 0700 temporary root).
    The caller removes it."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir="/var/tmp"))
    folder.chmod(0o755)
    return folder


def _dependencies_key() -> str:
    text = (PROJECT / "pyproject.toml").read_text(encoding="utf-8")
    # "deps-only": environments of this layout hold no copy of the package.
    return hashlib.sha256(b"deps-only\0" + text.encode()).hexdigest()[:16]


def other_user_python() -> Path:
    """A Python any user can run, with oppmarket's dependencies (not oppmarket itself:
    see `other_user_oppmarket`)."""
    require_root()
    VENV_ROOT.mkdir(mode=0o755, exist_ok=True)
    venv = VENV_ROOT / _dependencies_key()
    with open(VENV_ROOT / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # xdist workers build it once between them
        if not (venv / ".complete").exists():
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", str(venv)], check=True, capture_output=True)
            deps = subprocess.run(
                [sys.executable, "-c",
                 "import tomllib,sys;d=tomllib.load(open(sys.argv[1],'rb'));print('\\n'.join(d['project']['dependencies']))",
                 str(PROJECT / "pyproject.toml")], check=True, capture_output=True, text=True).stdout.split()
            result = subprocess.run([str(venv / "bin/python"), "-m", "pip", "install", "--quiet", *deps],
                                    capture_output=True, text=True)
            if result.returncode != 0:
                shutil.rmtree(venv, ignore_errors=True)
                pytest.skip(f"cannot install oppmarket's dependencies for other users: {result.stderr[-300:]}")
            _make_readable(venv)
            (venv / ".complete").touch()
    return venv / "bin/python"


def other_user_oppmarket() -> Path:
    """The `oppmarket` command of this checkout's code, runnable by any user.

    Each version of the source gets a folder of its own, named by its hash and never
    changed once made, so checkouts that test different code side by side on one
    machine never run each other's."""
    python = other_user_python()
    key = _source_key()
    folder = VENV_ROOT / f"oppmarket-{key}"
    with open(VENV_ROOT / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "bin/oppmarket").exists():
            staging = VENV_ROOT / f".staging-{key}-{os.getpid()}"
            shutil.rmtree(staging, ignore_errors=True)
            shutil.copytree(PROJECT / "oppmarket", staging / "oppmarket", ignore=shutil.ignore_patterns("__pycache__"))
            (staging / "bin").mkdir()
            launcher = staging / "bin/oppmarket"  # the name `admin keys` looks for
            launcher.write_text(f"#!{python}\nimport sys\nsys.path.insert(0, {str(folder)!r})\n"
                                "from oppmarket.cli import main\nsys.exit(main())\n")
            launcher.chmod(0o755)
            _make_readable(staging)
            shutil.rmtree(folder, ignore_errors=True)  # an unfinished one
            staging.rename(folder)
    return folder / "bin/oppmarket"


def _source_key() -> str:
    digest = hashlib.sha256()
    for path in sorted((PROJECT / "oppmarket").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PROJECT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _make_readable(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o444 | (0o111 if path.is_dir() else 0))
