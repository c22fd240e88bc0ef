"""Who owns the database decides who may hand out an identity: `ssh-session USER`,
`--as`, registering oneself and loading the demo. A SQLite database is owned by the
account that owns its file; a server database by the account whose private (0600)
config file names it. Everyone else acts as their own login.

The shared-host tests use real OS accounts (they run as root): a service account owns
the database, as in the documented set-up, and another local user can read the file."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from oppmarket import cli, identity
from support.checkout import other_users_cli
from support.database import reset_postgres
from support.os_users import os_user, shared_folder
from support.terminal import run_in_terminal

NOT_OWNER = "this database belongs to another account"


# ---------------------------------------------------------------- a shared SQLite host

@pytest.fixture(scope="module")
def other_cli():
    with other_users_cli() as runner:
        yield runner


@pytest.fixture(scope="module")
def service():
    """The service account sshd runs the forced command as."""
    with os_user("omsvc") as user:
        yield user


@pytest.fixture(scope="module")
def intruder():
    """Another local user, with a shell on the same host."""
    with os_user("omusr") as user:
        yield user


@pytest.fixture
def shared_market(service, other_cli):
    """shared_market(*setup) -> the URL of a database the service account made with
    `oppmarket --db URL SETUP...`, in a folder of its own that others may enter, and
    that others may read (0644 in a 0755 folder): the set-up the issue was found on."""
    root = shared_folder()
    folder = root / "srv"
    folder.mkdir(mode=0o755)
    os.chown(folder, service.uid, service.gid)
    url = f"sqlite:///{folder / 'market.db'}"

    def make(*setup: str) -> str:
        made = other_cli.run(service, "--db", url, *setup)
        assert made.returncode == 0, made.stderr
        (folder / "market.db").chmod(0o644)
        return url

    yield make
    shutil.rmtree(root, ignore_errors=True)


def people(other_cli, service, url) -> list[str]:
    exported = other_cli.run(service, "--db", url, "export", "people", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    return [person["username"] for person in json.loads(exported.stdout)]


def one_line_error(result) -> str:
    assert result.returncode == 1 and result.stdout == "", (result.stdout, result.stderr)
    assert result.stderr.startswith("oppmarket: error: ") and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def test_only_the_service_account_lends_an_identity(service, intruder, shared_market, other_cli):
    url = shared_market("init", "--name", "Service Desk")
    session = other_cli.argv("--db", url, "ssh-session", service.name)

    # In a terminal of their own, as in a tmux pane: refused before the app opens.
    stolen = run_in_terminal(session, env=other_cli.env(intruder), user=intruder, timeout=30)
    assert stolen.returncode == 1, stolen.text
    assert "ssh-session runs only as the account that owns the database" in stolen.text
    assert f"{intruder.name} does not own this one" in stolen.text
    assert "Service Desk" not in stolen.text and "Traceback" not in stolen.text
    assert NOT_OWNER in one_line_error(other_cli.run(intruder, "--db", url, "--as", service.name, "whoami"))

    # The service account, as sshd runs the forced command, opens the app as the key's user.
    lent = run_in_terminal(session, env=other_cli.env(service), user=service, until="Service Desk", timeout=60)
    assert "Service Desk" in lent.text, lent.text[-2000:]
    assert "error" not in lent.text.lower()


def test_only_the_owner_registers_on_a_shared_database(service, intruder, shared_market, other_cli):
    url = shared_market("init", "--name", "Service Desk")
    error = one_line_error(other_cli.run(intruder, "--db", url, "init", "--name", "Mallory"))
    assert f"cannot create your own profile: {NOT_OWNER}" in error and "an admin adds people" in error
    assert people(other_cli, service, url) == [service.name]
    again = other_cli.run(service, "--db", url, "init")
    assert again.returncode == 0 and "already exists" in again.stdout


def test_only_the_owner_loads_the_demo(service, intruder, shared_market, other_cli):
    url = shared_market("maintenance")  # an empty marketplace, schema and all
    error = one_line_error(other_cli.run(intruder, "--db", url, "demo"))
    assert f"cannot load the demo: {NOT_OWNER}" in error
    assert people(other_cli, service, url) == []
    loaded = other_cli.run(service, "--db", url, "demo")
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded" in loaded.stdout and len(people(other_cli, service, url)) > 100


# ---------------------------------------------------------------- a server database

def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def server_url(pg_url):
    reset_postgres(pg_url)
    return pg_url


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    """config_file(url, mode) -> a config file naming `url`, with `mode`, in use."""

    def write(url: str, mode: int = 0o600):
        path = tmp_path / "config.toml"
        path.write_text(f'database = "{url}"\n')
        path.chmod(mode)
        monkeypatch.setenv("OPPMARKET_CONFIG", str(path))
        return path

    return write


@pytest.mark.pg
def test_a_private_config_file_makes_its_owner_own_the_server_database(capsys, server_url, config_file):
    config_file(server_url)
    code, out, err = run(capsys, "demo")
    assert code == 0, err
    admin = next(line.split()[2] for line in out.splitlines() if line.endswith("# admin"))
    code, out, err = run(capsys, "--as", admin, "whoami", "--json")
    assert code == 0, err
    record = json.loads(out)
    assert record["username"] == admin and record["is_admin"] and record["identified_by"] == "as"
    assert record["owns_database"] and record["can_switch_user"]  # what the app's persona switcher asks
    code, _, err = run(capsys, "ssh-session", admin)
    assert code == 1 and "ssh -t" in err  # past the owner's check, stopped only for want of a terminal


@pytest.mark.pg
@pytest.mark.parametrize("how", ["--db", "OPPMARKET_DB"])
def test_a_server_url_anyone_can_type_makes_nobody_an_owner(capsys, server_url, monkeypatch, how):
    given = ["--db", server_url] if how == "--db" else []
    if how == "OPPMARKET_DB":
        monkeypatch.setenv("OPPMARKET_DB", server_url)
    refusals = [(["init"], f"cannot create your own profile: {NOT_OWNER}"),
                (["demo"], f"cannot load the demo: {NOT_OWNER}"),
                (["--as", "amara.rossi", "whoami"], f"--as is refused: {NOT_OWNER}")]
    if how == "--db":
        refusals.append((["ssh-session", "amara.rossi"], "runs only as the account that owns the database"))
    for command, refusal in refusals:
        code, out, err = run(capsys, *given, *command)
        assert code == 1 and out == "" and refusal in err and err.count("\n") == 1, (command, err)
    code, out, _ = run(capsys, *given, "export", "people", "--format", "json")
    assert code == 0 and json.loads(out) == []
    if how == "OPPMARKET_DB":
        # An SSH session never takes its database from the environment: it opens the
        # config file's or the embedded one (here the caller's own).
        code, _, err = run(capsys, "ssh-session", "amara.rossi")
        assert code == 1 and "ssh -t" in err


@pytest.mark.pg
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o620], ids=oct)
def test_a_config_file_others_can_read_or_write_makes_nobody_an_owner(capsys, server_url, config_file, mode):
    config_file(server_url, mode)
    code, _, err = run(capsys, "init")
    assert code == 1 and f"cannot create your own profile: {NOT_OWNER}" in err


@pytest.mark.pg
def test_a_config_file_of_another_account_makes_nobody_an_owner(capsys, server_url, config_file, monkeypatch):
    config_file(server_url)
    monkeypatch.setattr(identity.os, "getuid", lambda: 54321)
    monkeypatch.setattr(identity, "os_login", lambda: "stranger")
    code, _, err = run(capsys, "demo")
    assert code == 1 and f"cannot load the demo: {NOT_OWNER}" in err
