"""A SQLite database is its owner's alone: oppmarket makes the data folder 0700 and
the database file 0600 (SQLite gives the -wal and -shm files the same mode), and it
refuses to open a database whose file or folder others can write, saying which
command fixes it."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

from oppmarket import cli, config
from oppmarket.db.connection import open_database
from oppmarket.errors import DatabaseUnavailable
from oppmarket.market import Market
from support.checkout import other_users_cli
from support.os_users import os_user


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def refusal(url: str) -> str:
    with pytest.raises(DatabaseUnavailable) as info:
        open_database(url)
    message = str(info.value)
    assert "\n" not in message
    return message


def fix_command(message: str) -> str:
    """The command a refusal says to run (between backticks)."""
    found = re.search(r"`([^`]+)`", message)
    assert found, message
    return found.group(1)


def make_database(path: Path) -> None:
    open_database(f"sqlite:///{path}").close()


def test_the_embedded_database_and_its_folder_are_private():
    db = open_database(None)
    path = config.default_database_path()
    with db.connection_context():
        Market(db, "me").register_self("Me")  # a write, so the -wal and -shm files exist
        files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    db.close()
    assert mode(path.parent) == 0o700


def test_a_new_database_file_is_private_in_any_folder(tmp_path):
    folder = tmp_path / "srv"
    folder.mkdir(mode=0o755)
    make_database(folder / "market.db")
    assert mode(folder / "market.db") == 0o600
    assert mode(folder) == 0o755  # a folder the owner made is left as it is


@pytest.mark.parametrize("bits", [0o664, 0o646, 0o666], ids=oct)
def test_a_database_file_others_can_write_is_refused_with_the_fix(tmp_path, bits):
    path = tmp_path / "market.db"
    make_database(path)
    path.chmod(bits)
    message = refusal(f"sqlite:///{path}")
    assert f"database file {path} is writable by" in message
    assert fix_command(message) == f"chmod go-w {path}"
    subprocess.run(fix_command(message), shell=True, check=True)
    make_database(path)  # fixed


@pytest.mark.parametrize("bits", [0o775, 0o757, 0o777], ids=oct)
def test_a_folder_others_can_write_is_refused_with_the_fix(tmp_path, bits):
    folder = tmp_path / "srv"
    folder.mkdir()
    folder.chmod(bits)
    message = refusal(f"sqlite:///{folder / 'market.db'}")
    assert f"database folder {folder} is writable by" in message
    assert not (folder / "market.db").exists()
    subprocess.run(fix_command(message), shell=True, check=True)
    make_database(folder / "market.db")


def test_a_shared_scratch_folder_like_tmp_is_refused(tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    scratch.chmod(0o1777)
    message = refusal(f"sqlite:///{scratch / 'market.db'}")
    assert f"database folder {scratch} is writable by its group and everyone (mode 1777)" in message
    # Such a folder must stay writable, so the fix is another folder, not chmod.
    assert "keep it in a folder of its own, e.g. `mkdir -m 700" in message and "chmod" not in message
    assert not (scratch / "market.db").exists()
    assert "/tmp is writable by" in refusal(f"sqlite:////tmp/oppmarket-{os.getpid()}.db")
    assert not Path(f"/tmp/oppmarket-{os.getpid()}.db").exists()


def test_a_database_already_in_a_scratch_folder_is_refused_with_how_to_move_it(tmp_path):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    make_database(scratch / "market.db")
    scratch.chmod(0o1777)
    message = refusal(f"sqlite:///{scratch / 'market.db'}")
    assert "move it to a folder of its own" in message and f"&& mv {scratch / 'market.db'}* " in message


def test_a_planted_wal_file_is_refused(tmp_path):
    path = tmp_path / "market.db"
    make_database(path)
    wal = tmp_path / "market.db-wal"
    wal.touch()
    wal.chmod(0o666)
    assert f"database file {wal} is writable by its group and everyone" in refusal(f"sqlite:///{path}")


def test_the_command_line_refuses_in_one_line(tmp_path, capsys):
    path = tmp_path / "market.db"
    make_database(path)
    path.chmod(0o666)
    assert cli.main(["--db", f"sqlite:///{path}", "whoami"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("oppmarket: error: database file") and err.count("\n") == 1
    assert f"`chmod go-w {path}`" in err


def test_a_new_user_gets_a_private_database_where_the_app_looks_by_default():
    """What `make run` does on a fresh machine: no settings, the embedded default."""
    with other_users_cli() as other_cli, os_user("omnew") as fresh:
        made = other_cli.run(fresh, "init", "--name", "Fresh Start")
        assert made.returncode == 0, made.stderr
        folder = fresh.home / ".local/share/oppmarket"
        assert mode(folder) == 0o700 and mode(folder / "oppmarket.db") == 0o600
        assert (folder / "oppmarket.db").stat().st_uid == fresh.uid
        who = other_cli.run(fresh, "whoami")
        assert who.returncode == 0 and "Fresh Start" in who.stdout
