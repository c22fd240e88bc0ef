"""The shared deployment for real: Debian's OpenSSH server on a loopback port, a
throwaway service account owning the demo marketplace, two people's keys written with
`oppmarket admin keys add` and the sshd block of `oppmarket admin install-ssh`.

Each key opens the app, in a terminal, as its own person. A client command, a session
without a terminal, port forwarding and environment sent by the client give no shell,
no other identity and no other database.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.os_users import OsUser, os_user, other_user_oppmarket

SSHD = Path("/usr/sbin/sshd")
SCREEN = (160, 45)


def require_openssh() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root: the test runs an OpenSSH server and a throwaway service account")
    if not SSHD.exists():
        pytest.skip(f"needs Debian's OpenSSH server ({SSHD}): apt-get install openssh-server (.ci/run does)")
    for tool in ("ssh", "ssh-keygen", "tmux", "usermod"):
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Person:
    username: str
    display_name: str
    key: Path  # the private key their ssh client offers


@dataclass(frozen=True)
class Deployment:
    service: OsUser
    port: int
    people: tuple[Person, Person]
    work: Path

    def ssh(self, person: Person, *options: str) -> list[str]:
        """The ssh command line with which `person` connects; `options` come before
        the destination, so a command may follow it."""
        return ["ssh", "-F", "/dev/null", "-i", str(person.key), "-p", str(self.port),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "LogLevel=ERROR",
                "-o", "ConnectTimeout=10", *options, f"{self.service.name}@127.0.0.1"]


def run_oppmarket(service: OsUser, program: Path, *argv: str) -> str:
    result = service.run([str(program), *argv])
    assert result.returncode == 0, result.stderr
    return result.stdout


def demo_people(service: OsUser, program: Path) -> list[tuple[str, str]]:
    """Load the demo as the service account; (username, display name) of two of its people."""
    out = run_oppmarket(service, program, "demo")
    users = re.findall(r"--as (\S+)\s+# (engineer|admin)", out)
    assert len(users) == 2, out
    names = []
    for user, _ in users:
        record = json.loads(run_oppmarket(service, program, "--as", user, "whoami", "--json"))
        names.append((user, record["display_name"]))
    return names


def client_key(work: Path, service: OsUser, name: str) -> tuple[Path, Path]:
    """A new key pair for an SSH client: the private key (root's) and a copy of the
    public key the service account can read."""
    private = work / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"{name}@laptop", "-f", str(private)],
                   check=True)
    public = service.home / f"{name}.pub"
    shutil.copy(f"{private}.pub", public)
    os.chown(public, service.uid, service.gid)
    return private, public


def sshd_config(work: Path, port: int, service: OsUser, deployment_block: str) -> Path:
    host_key = work / "host_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(host_key)], check=True)
    config = work / "sshd_config"
    config.write_text(f"""\
Port {port}
ListenAddress 127.0.0.1
HostKey {host_key}
PidFile {work / 'sshd.pid'}
UsePAM no
StrictModes no
PermitRootLogin no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
AllowUsers {service.name}
# As Debian's own sshd_config does.
AcceptEnv LANG LC_*
{deployment_block}""")
    return config


@contextlib.contextmanager
def running_sshd(config: Path, port: int, log: Path) -> Iterator[None]:
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # its privilege separation folder
    check = subprocess.run([str(SSHD), "-t", "-f", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, f"sshd refuses the configuration: {check.stderr}"
    with open(log, "wb") as out:
        server = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)], stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"sshd could not be started: {log.read_text()[-300:]}")
            time.sleep(0.1)
        yield
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_gone(service: OsUser, timeout: float = 10) -> None:
    """Sessions end after their clients: the account can be removed once nothing runs as it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if subprocess.run(["ps", "-u", str(service.uid), "-o", "pid="], capture_output=True).stdout.strip() == b"":
            return
        time.sleep(0.2)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[Deployment]:
    require_openssh()
    work = tmp_path_factory.mktemp("ssh")
    with os_user("oms") as service:
        # Without PAM, sshd turns away an account whose password is locked ("!"),
        # as useradd leaves it; "*" still lets nobody log in with a password.
        subprocess.run(["usermod", "-p", "*", service.name], check=True, capture_output=True)
        program = other_user_oppmarket()
        people = []
        for number, (username, display_name) in enumerate(demo_people(service, program)):
            private, public = client_key(work, service, f"person{number}")
            out = run_oppmarket(service, program, "admin", "keys", "add", username, str(public))
            assert f"now opens the app as {username}" in out
            people.append(Person(username, display_name, private))
        ssh_folder = service.home / ".ssh"
        assert ssh_folder.stat().st_mode & 0o777 == 0o700
        assert (ssh_folder / "authorized_keys").stat().st_mode & 0o777 == 0o600
        port = free_port()
        block = run_oppmarket(service, program, "admin", "install-ssh", "--config-only")
        config = sshd_config(work, port, service, block)
        try:
            with running_sshd(config, port, work / "sshd.log"):
                yield Deployment(service, port, (people[0], people[1]), work)
        finally:
            wait_until_gone(service)


class Terminals:
    """ssh clients in tmux panes: a real terminal whose screen the test can read."""

    def __init__(self, work: Path):
        self.work = work
        self.socket = work / "tmux.sock"
        conf = work / "tmux.conf"
        conf.write_text('set -g remain-on-exit on\nset -g default-terminal "xterm-256color"\n')
        self.conf = conf
        self.env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(work), "LANG": "C.UTF-8",
                    "TERM": "xterm-256color"}

    def tmux(self, *argv: str, env: dict[str, str] | None = None) -> str:
        return subprocess.run(["tmux", "-u", "-f", str(self.conf), "-S", str(self.socket), *argv],
                              env=self.env | (env or {}), check=True, capture_output=True, text=True).stdout

    def open(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        width, height = SCREEN
        extra = [arg for key, value in (env or {}).items() for arg in ("-e", f"{key}={value}")]
        # The shell keeps ssh's exit status: tmux learns it only when it reaps the
        # process, which it may do late.
        status = self.work / f"{name}.status"
        status.unlink(missing_ok=True)
        self.tmux("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), *extra,
                  f"{shlex.join(command)}; echo $? > {shlex.quote(str(status))}")

    def screen(self, name: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", name)

    def wait_for(self, name: str, *texts: str, timeout: float = 30) -> str:
        """The pane's screen once it shows every one of `texts` (or at the timeout)."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen(name)
            if all(text in screen for text in texts) or time.monotonic() > deadline:
                return screen
            time.sleep(0.2)

    def exit_status(self, name: str, timeout: float = 15) -> int | None:
        """ssh's exit status once it has ended (None if it has not within `timeout`)."""
        status = self.work / f"{name}.status"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if status.exists() and status.read_text().strip():
                return int(status.read_text())
            time.sleep(0.2)
        return None

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.tmux("kill-server")


@pytest.fixture
def terminals(deployment) -> Iterator[Terminals]:
    panes = Terminals(deployment.work)
    yield panes
    panes.close()


def test_each_key_opens_the_app_as_its_own_person_and_sent_environment_changes_nothing(deployment, terminals):
    first, second = deployment.people
    elsewhere = deployment.service.home / "elsewhere"
    terminals.open("first", deployment.ssh(first, "-tt"))
    terminals.open("second", deployment.ssh(second, "-tt"))
    # What the client sends of its environment: a database, a config file, a data folder.
    terminals.open("sent", deployment.ssh(
        first, "-tt", "-o", f"SetEnv=OPPMARKET_DB=sqlite:///{elsewhere}/market.db",
        "-o", "SendEnv=OPPMARKET_CONFIG OPPMARKET_DATA_DIR LC_ALL"),
        env={"OPPMARKET_CONFIG": f"{elsewhere}/config.toml", "OPPMARKET_DATA_DIR": str(elsewhere)})
    for pane, person in (("first", first), ("second", second), ("sent", first)):
        who = f"{person.display_name} ({person.username})"
        # The app's own footer, with the header naming the person: no shell prompt.
        screen = terminals.wait_for(pane, who, "Browse", "Quit")
        assert who in screen and "Quit" in screen, f"{pane}: {screen}"
        other = deployment.people[1] if person is first else first
        assert other.username not in screen
    for pane in ("first", "second", "sent"):
        terminals.tmux("send-keys", "-t", pane, "q")
        assert terminals.exit_status(pane) == 0, terminals.screen(pane)
    assert not elsewhere.exists()


def test_a_client_command_gets_no_shell_and_no_other_identity(deployment):
    first, second = deployment.people
    # (A module's tests may each run in another xdist worker, each with a deployment of
    # its own: the commands share one test.)
    for command in (["whoami"], ["/bin/sh", "-c", "id"], ["ssh-session", second.username],
                    ["--db", "sqlite:////tmp/other.db"]):
        result = subprocess.run([*deployment.ssh(first), "--", *command], capture_output=True, text=True,
                                stdin=subprocess.DEVNULL, timeout=30)
        assert result.returncode != 0, command
        assert "oppmarket: error: this key opens the oppmarket app only; commands are not accepted" \
            in result.stderr, command
        assert result.stdout == "", command


def test_a_session_without_a_terminal_is_refused(deployment):
    first, _ = deployment.people
    result = subprocess.run([*deployment.ssh(first, "-T")], capture_output=True, text=True,
                            input="id\nwhoami\n", timeout=30)
    assert result.returncode != 0
    assert "oppmarket needs a terminal" in result.stderr
    assert result.stdout == ""


class Listener:
    """A TCP service on loopback that records whether anyone reached it."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.reached = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.reached.set()
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


def test_port_forwarding_is_refused_both_ways(deployment):
    first, _ = deployment.people
    target = Listener()
    local = free_port()
    remote = free_port()
    forward = subprocess.Popen([*deployment.ssh(first, "-N", "-L", f"{local}:127.0.0.1:{target.port}")],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        got = b"?"
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", local), timeout=5) as conn:
                    conn.settimeout(5)
                    got = conn.recv(10)  # the client opens the channel; the server refuses it
                    break
            except ConnectionRefusedError:  # the client is not listening yet
                time.sleep(0.1)
        assert got == b""
        assert not target.reached.wait(0.5)
        back = subprocess.run([*deployment.ssh(first, "-N", "-o", "ExitOnForwardFailure=yes",
                                               "-R", f"{remote}:127.0.0.1:{target.port}")],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30)
        assert back.returncode != 0 and "forwarding failed" in back.stderr
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", remote), timeout=2).close()
        assert not target.reached.is_set()
    finally:
        forward.terminate()
        forward.wait(timeout=10)
        target.close()
