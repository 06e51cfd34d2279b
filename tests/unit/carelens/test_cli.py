"""The `carelens` command: help for every command, load exit codes, one-line failures."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_inboxes import clean_inbox, quarantine_inbox, rejected_inbox
from typer.testing import CliRunner

from carelens.cli import app

REPO_ROOT = Path(__file__).parents[3]
ENV = {"CARELENS_PSEUDONYM_KEY": "cli-test-key-0123456789"}
COMMANDS = ("generate", "load", "schedule", "serve", "users")


def _words(text: str) -> str:
    """Text with every run of whitespace made one space (help output wraps to the terminal)."""
    return " ".join(text.split())


# Help


def test_app_help_lists_every_command() -> None:
    # When the app's help is asked for
    result = CliRunner().invoke(app, ["--help"])

    # Then it succeeds and names each command
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


def test_no_arguments_shows_usage() -> None:
    result = CliRunner().invoke(app, [])

    assert "Usage" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])

    assert result.exit_code == 0, result.output
    assert f"carelens {command}" in result.output
    assert "--help" in result.output


def test_load_help_explains_the_exit_codes() -> None:
    result = CliRunner().invoke(app, ["load", "--help"])

    assert (
        "Exit codes: 0 clean; 1 loaded with quarantined rows; 2 something rejected or failed"
        in (_words(result.output))
    )


def test_python_dash_m_carelens_shows_the_same_help() -> None:
    # When the package is run as a module
    finished = subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [sys.executable, "-m", "carelens", "--help"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    # Then it prints the app's help
    assert finished.returncode == 0, finished.stderr
    for command in COMMANDS:
        assert command in finished.stdout


# Load


@pytest.mark.integration
@pytest.mark.parametrize(
    ("make_inbox", "exit_code", "status"),
    [
        (clean_inbox, 0, "clean"),
        (quarantine_inbox, 1, "quarantined"),
        (rejected_inbox, 2, "rejected"),
    ],
    ids=["clean", "quarantined", "rejected"],
)
def test_load_exit_code_says_how_the_run_went(
    tmp_path: Path, make_inbox: Callable[[Path], Path], exit_code: int, status: str
) -> None:
    # Given an inbox that loads cleanly, with a quarantined row, or with a rejected package
    inbox = make_inbox(tmp_path / "inbox")

    # When `carelens load` runs on it
    result = CliRunner().invoke(
        app, ["load", str(inbox), "--warehouse", str(tmp_path / "carelens.duckdb")], env=ENV
    )

    # Then the exit code and the one-line summary say so
    assert result.exit_code == exit_code, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("carelens load ")
    assert f": {status};" in lines[0]
    assert (tmp_path / "carelens.duckdb").exists()


@pytest.mark.integration
def test_load_accepts_a_relative_warehouse_path_as_make_demo_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a clean inbox and, as `make demo` passes, a warehouse path relative to the cwd
    clean_inbox(tmp_path / "inbox")
    monkeypatch.chdir(tmp_path)

    # When `carelens load` runs
    result = CliRunner().invoke(
        app, ["load", "inbox", "--warehouse", "data/carelens.duckdb"], env=ENV
    )

    # Then it loads (the table checks and their Data Docs work with a relative path)
    assert result.exit_code == 0, result.output
    assert ": clean;" in result.stdout
    assert list((tmp_path / "data" / "data_docs").glob("*/index.html"))


@pytest.mark.integration
def test_load_of_a_missing_inbox_is_one_line_and_exit_2(tmp_path: Path) -> None:
    # Given an inbox path that does not exist
    missing = tmp_path / "no-such-inbox"

    # When `carelens load` runs on it
    result = CliRunner().invoke(
        app, ["load", str(missing), "--warehouse", str(tmp_path / "carelens.duckdb")], env=ENV
    )

    # Then it says so on one line, exits 2, and writes no warehouse
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    output = result.output.strip()
    assert "Traceback" not in output
    assert len(output.splitlines()) == 1
    assert str(missing) in output
    assert not (tmp_path / "carelens.duckdb").exists()


@pytest.mark.integration
@pytest.mark.parametrize("suffix", ["d5e3", "4833"], ids=["hex-letters", "all-digits"])
def test_data_docs_are_complete_whatever_the_run_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, suffix: str
) -> None:
    # Given a run whose id ends in four random hex digits that happen to be letters and digits,
    # or only digits (20261122T020000Z-4833)
    monkeypatch.setattr("pipelines.summary.secrets.token_hex", lambda _n: suffix)
    inbox = clean_inbox(tmp_path / "inbox")
    caplog.set_level(logging.WARNING)

    # When `carelens load` runs
    result = CliRunner().invoke(
        app, ["load", str(inbox), "--warehouse", str(tmp_path / "carelens.duckdb")], env=ENV
    )

    # Then it is clean, logs no error, and the run's Data Docs hold a page per validation
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert [r.getMessage()[:300] for r in caplog.records if r.levelno >= logging.ERROR] == []
    (run_docs,) = (tmp_path / "data_docs").glob(f"*-{suffix}")
    suites = sorted(p.stem for p in (run_docs / "gx" / "expectations").glob("*.html"))
    pages = sorted(p.name for p in (run_docs / "gx" / "validations").rglob("*.html"))
    assert suites
    assert pages == [f"warehouse_checks-{suite}.html" for suite in suites]


def test_settings_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    # Given a pseudonym key that is too short
    env = {"CARELENS_PSEUDONYM_KEY": "short", "PATH": "/usr/bin:/bin"}
    clean_inbox(tmp_path / "inbox")

    # When `carelens load` runs as a command
    finished = subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [
            sys.executable,
            "-m",
            "carelens",
            "load",
            str(tmp_path / "inbox"),
            "--warehouse",
            str(tmp_path / "carelens.duckdb"),
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    # Then it explains the setting on one line and exits 2
    assert finished.returncode == 2
    assert "Traceback" not in finished.stderr
    assert finished.stderr.strip().splitlines() == [
        "carelens: settings: CARELENS_PSEUDONYM_KEY must be at least 16 characters"
    ]
