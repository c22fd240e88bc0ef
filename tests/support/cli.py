"""Running the `oppmarket` command the way the CLI tests do."""

from __future__ import annotations

from oppmarket import cli


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run `oppmarket ARGV...`; its exit code, standard output and standard error."""
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def plain_terminal(monkeypatch) -> None:
    """Print as into a 120-column terminal without colour."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
