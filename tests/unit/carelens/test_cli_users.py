"""`carelens users` and `carelens serve`: accounts from the command line, scoped by the data."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyotp
import pytest
from argon2 import PasswordHasher
from typer.testing import CliRunner, Result

from carelens.cli import app
from dashboards.accounts import AccessEventKind, AccountStatus, AccountStore, SignInOutcome
from dashboards.roles import Role, Scope

REPO_ROOT = Path(__file__).parents[3]
BIG, SMALL, OTHER = "1-000000001", "1-000000002", "1-000000003"
PASSWORD = "mauve elephants dance"
LOCKOUT = {"lockout_attempts": 5, "lockout_minutes": 15}


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with tiny parameters (the store's logic without 150 ms per hash), and no
    CARELENS_* variables from the developer's shell."""
    monkeypatch.setattr(
        "dashboards.accounts.store.default_hasher",
        lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
    )
    for name in ("CARELENS_ACCOUNTS", "CARELENS_WAREHOUSE", "CARELENS_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """A warehouse whose core.locations has provider BIG with three locations in ICB QOP (one
    without an ICB code), SMALL with one in QHL, and OTHER with one in QOP."""
    path = tmp_path / "carelens.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "create schema core;"
            " create table core.locations (location_id varchar, provider_id varchar,"
            " icb_code varchar)"
        )
        connection.execute(
            "insert into core.locations values"
            " ('1-000000011', ?, 'QOP'), ('1-000000012', ?, 'QOP'), ('1-000000013', ?, null),"
            " ('1-000000021', ?, 'QHL'), ('1-000000031', ?, 'QOP')",
            [BIG, BIG, BIG, SMALL, OTHER],
        )
    return path


def _run(warehouse: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, ["users", *args, "--warehouse", str(warehouse)], input=stdin)


def _store(warehouse: Path) -> AccountStore:
    return AccountStore(warehouse.parent / "accounts.sqlite3")


def _now() -> datetime:
    return datetime.now(UTC)


def _signs_in(store: AccountStore, username: str, password: str) -> bool:
    result = store.check_password(username, password, now=_now(), **LOCKOUT)
    return result.outcome is SignInOutcome.OK


# users add


def test_add_reads_the_password_from_stdin_and_records_the_change(warehouse: Path) -> None:
    # When an owner is added with the password on standard input
    result = _run(warehouse, "add", "Alice", "--role", "owner", "--scope", BIG, stdin=PASSWORD)

    # Then it says what it added, and alice signs in with that password
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Added alice: roles owner; scope provider {BIG}.\n"
    store = _store(warehouse)
    assert _signs_in(store, "alice", PASSWORD)
    # And the audit trail records the change and the OS user who made it, never the password
    (event,) = store.access_events(kind=AccessEventKind.ACCOUNT_CHANGED)
    assert event.username == "alice"
    assert event.detail is not None
    assert event.detail.startswith(f"added: roles owner; scope provider {BIG} (by OS user ")
    assert PASSWORD not in repr(store.access_events())


def test_a_quality_lead_can_be_limited_to_some_locations_and_be_admin(warehouse: Path) -> None:
    result = _run(
        warehouse,
        *("add", "lead", "--role", "quality_lead", "--role", "admin", "--scope", BIG),
        *("--location", "1-000000012", "--location", "1-000000011"),
        stdin=PASSWORD + "\n",
    )

    assert result.exit_code == 0, result.output
    account = _store(warehouse).get_user("lead")
    assert account is not None
    assert account.roles == {Role.QUALITY_LEAD, Role.ADMIN}
    assert account.scope == Scope(
        provider_id=BIG, location_ids=frozenset({"1-000000011", "1-000000012"})
    )


def test_a_password_breaking_the_rules_is_refused_with_every_reason(warehouse: Path) -> None:
    result = _run(warehouse, "add", "alice", "--role", "owner", "--scope", BIG, stdin="alice\n")

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "carelens: password refused:",
        "  - it must be at least 12 characters long",
        "  - it must not be the username",
    ]
    assert _store(warehouse).list_users() == []


def test_a_location_of_another_provider_is_refused(warehouse: Path) -> None:
    result = _run(
        warehouse,
        *("add", "lead", "--role", "quality_lead", "--scope", BIG, "--location", "1-000000021"),
        stdin=PASSWORD,
    )

    assert result.exit_code == 2
    assert result.stderr == (
        f"carelens: location 1-000000021 belongs to provider {SMALL}, not {BIG}\n"
    )
    assert "Traceback" not in result.output
    assert _store(warehouse).list_users() == []


def test_organisations_missing_from_the_warehouse_only_warn(warehouse: Path) -> None:
    owner = _run(
        warehouse, "add", "alice", "--role", "owner", "--scope", "1-999999999", stdin=PASSWORD
    )
    icb = _run(warehouse, "add", "ian", "--role", "icb_lead", "--scope", "qxx", stdin=PASSWORD)

    assert owner.exit_code == 0
    assert (
        owner.stderr
        == "carelens: warning: provider 1-999999999 has no locations in the warehouse yet\n"
    )
    assert icb.exit_code == 0
    assert icb.stderr == "carelens: warning: ICB QXX has no locations in the warehouse yet\n"


def test_without_a_warehouse_the_scope_is_not_checked(tmp_path: Path) -> None:
    result = _run(
        tmp_path / "none.duckdb", "add", "alice", "--role", "owner", "--scope", BIG, stdin=PASSWORD
    )

    assert result.exit_code == 0, result.output
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--role", "inspector", "--scope", BIG),
            "carelens: an inspector account needs an expiry date",
        ),
        (
            ("--role", "owner", "--role", "icb_lead", "--scope", BIG),
            "carelens: an account has at most one data role, not icb_lead and owner",
        ),
        (
            ("--role", "owner", "--scope", "QOP"),
            "carelens: 'QOP' is not a CQC provider ID (1- and 9 to 11 digits)",
        ),
        (("--role", "owner"), "carelens: role owner needs a scope"),
        (
            ("--role", "admin", "--scope", BIG),
            "carelens: an account without a data role has no scope",
        ),
    ],
)
def test_roles_and_scopes_that_do_not_fit_are_one_line_and_exit_2(
    warehouse: Path, args: tuple[str, ...], message: str
) -> None:
    result = _run(warehouse, "add", "someone", *args, stdin=PASSWORD)

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]
    assert _store(warehouse).list_users() == []


def test_an_inspector_with_an_expiry_date(warehouse: Path) -> None:
    result = _run(
        warehouse,
        *("add", "cqc", "--role", "inspector", "--scope", BIG, "--expires", "2099-01-31"),
        stdin=PASSWORD,
    )

    assert result.exit_code == 0, result.output
    assert "expires 2099-01-31" in result.stdout


def test_a_single_sign_on_account_has_no_password(warehouse: Path) -> None:
    result = _run(
        warehouse, "add", "ann@nhs.net", "--role", "icb_lead", "--scope", "QOP", "--sso-only"
    )

    assert result.exit_code == 0, result.output
    account = _store(warehouse).get_user("ann@nhs.net")
    assert account is not None
    assert not account.has_password


def test_adding_a_taken_name_is_refused(warehouse: Path) -> None:
    _run(warehouse, "add", "alice", "--role", "owner", "--scope", BIG, stdin=PASSWORD)

    again = _run(warehouse, "add", "ALICE", "--role", "owner", "--scope", BIG, stdin=PASSWORD)

    assert again.exit_code == 2
    assert again.stderr == "carelens: an account named 'alice' already exists\n"


def test_an_empty_stdin_is_refused(warehouse: Path) -> None:
    result = _run(warehouse, "add", "alice", "--role", "owner", "--scope", BIG, stdin="")

    assert result.exit_code == 2
    assert result.stderr == "carelens: no password on standard input (or use --sso-only)\n"


# users list, disable, enable, unlock, password, totp


def test_list_shows_each_accounts_status_and_never_a_hash(warehouse: Path) -> None:
    # Given four accounts: active, disabled, locked, and expired
    for name in ("active", "disabled", "locked"):
        _run(warehouse, "add", name, "--role", "owner", "--scope", BIG, stdin=PASSWORD)
    _run(
        warehouse,
        "add",
        "expired",
        "--role",
        "inspector",
        "--scope",
        BIG,
        "--expires",
        "2020-01-31",
        stdin=PASSWORD,
    )
    _run(warehouse, "disable", "disabled")
    store = _store(warehouse)
    for _ in range(5):
        store.check_password("locked", "wrong guess!", now=_now(), **LOCKOUT)

    # When the accounts are listed
    result = _run(warehouse, "list")

    # Then each row shows the account's status, and nothing secret
    assert result.exit_code == 0, result.output
    rows = {
        cells[0]: cells
        for line in result.stdout.splitlines()
        if (cells := [cell.strip() for cell in line.strip("│ ").split("│")])[0]
        in {"active", "disabled", "locked", "expired"}
    }
    assert {name: cells[4] for name, cells in rows.items()} == {
        "active": "active",
        "disabled": "disabled",
        "locked": "locked",
        "expired": "expired",
    }
    assert rows["expired"][1:4] == ["inspector", f"provider {BIG}", "2020-01-31"]
    assert rows["active"][5:] == ["no", "never"]
    assert "argon2" not in result.stdout


def test_adding_an_account_that_has_already_expired_warns(warehouse: Path) -> None:
    result = _run(
        warehouse,
        *("add", "late", "--role", "inspector", "--scope", BIG, "--expires", "2020-01-31"),
        stdin=PASSWORD,
    )

    assert result.exit_code == 0
    assert result.stderr == "carelens: warning: 2020-01-31 has passed: the account cannot sign in\n"


def test_list_with_no_accounts_says_how_to_add_one(warehouse: Path) -> None:
    assert _run(warehouse, "list").stdout == "No accounts yet: add one with `carelens users add`.\n"


def test_disable_ends_sessions_and_enable_restores_sign_in(warehouse: Path) -> None:
    # Given alice, signed in
    _run(warehouse, "add", "alice", "--role", "owner", "--scope", BIG, stdin=PASSWORD)
    store = _store(warehouse)
    token, _ = store.open_session("alice", auth_method="password", now=_now())

    # When she is disabled
    disabled = _run(warehouse, "disable", "alice")

    # Then her session is over and her password answers DISABLED
    assert disabled.stdout == "Disabled alice; its sessions have ended.\n"
    window = timedelta(hours=1)
    assert store.resume_session(token, now=_now(), idle=window, absolute=window) is None
    result = store.check_password("alice", PASSWORD, now=_now(), **LOCKOUT)
    assert result.outcome is SignInOutcome.DISABLED
    # And once enabled she signs in again
    assert _run(warehouse, "enable", "alice").stdout == "Enabled alice.\n"
    assert _signs_in(store, "alice", PASSWORD)
    changes = [e.detail.split(" (")[0] for e in store.access_events(username="alice") if e.detail]
    assert changes == ["enabled", "disabled", f"added: roles owner; scope provider {BIG}"]


def test_unlock_lifts_a_lockout(warehouse: Path) -> None:
    _run(warehouse, "add", "alice", "--role", "owner", "--scope", BIG, stdin=PASSWORD)
    store = _store(warehouse)
    for _ in range(5):
        store.check_password("alice", "wrong guess!", now=_now(), **LOCKOUT)
    account = store.get_user("alice")
    assert account is not None
    assert account.status(now=_now()) is AccountStatus.LOCKED

    result = _run(warehouse, "unlock", "alice")

    assert result.stdout == "Unlocked alice.\n"
    assert _signs_in(store, "alice", PASSWORD)


def test_password_sets_a_new_password(warehouse: Path) -> None:
    _run(warehouse, "add", "alice", "--role", "owner", "--scope", BIG, stdin=PASSWORD)

    result = _run(warehouse, "password", "alice", stdin="a fresh new passphrase\n")

    assert result.exit_code == 0, result.output
    store = _store(warehouse)
    assert not _signs_in(store, "alice", PASSWORD)
    assert _signs_in(store, "alice", "a fresh new passphrase")


@pytest.mark.parametrize("command", ["disable", "enable", "unlock", "password", "totp"])
def test_changes_to_an_unknown_account_are_one_line_and_exit_2(
    warehouse: Path, command: str
) -> None:
    result = _run(warehouse, command, "nobody", stdin=PASSWORD)

    assert result.exit_code == 2
    assert result.stderr == "carelens: there is no account named 'nobody'\n"


def test_totp_prints_a_secret_that_signs_in_with_codes(warehouse: Path) -> None:
    # Given alice with a password
    _run(warehouse, "add", "alice", "--role", "owner", "--scope", BIG, stdin=PASSWORD)

    # When TOTP is enabled for her
    result = _run(warehouse, "totp", "alice")

    # Then the printed secret and URI set up an authenticator whose codes complete sign-in
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    secret = lines[1].removeprefix("  secret: ")
    assert lines[2] == f"  URI:    otpauth://totp/carelens:alice?secret={secret}&issuer=carelens"
    store = _store(warehouse)
    now = _now()
    assert store.check_password("alice", PASSWORD, now=now, **LOCKOUT).outcome is (
        SignInOutcome.TOTP_REQUIRED
    )
    code = pyotp.TOTP(secret).at(now)
    assert store.check_totp("alice", code, now=now, **LOCKOUT).outcome is SignInOutcome.OK


def test_totp_is_refused_for_single_sign_on_accounts(warehouse: Path) -> None:
    _run(warehouse, "add", "ann@nhs.net", "--role", "icb_lead", "--scope", "QOP", "--sso-only")

    result = _run(warehouse, "totp", "ann@nhs.net")

    assert result.exit_code == 2
    assert "signs in by single sign-on" in result.stderr


# users demo


def _demo_rows(result: Result) -> dict[str, list[str]]:
    """The demo table's rows by username: role, scope, expires, password."""
    rows = {}
    for line in result.stdout.splitlines():
        cells = [cell.strip() for cell in line.strip("│ ").split("│")]
        if cells[0].startswith("demo-"):
            rows[cells[0]] = cells[1:]
    return rows


def test_demo_creates_one_account_per_role_scoped_from_the_warehouse(warehouse: Path) -> None:
    # When the demo accounts are created
    result = _run(warehouse, "demo")

    # Then there is one per role: the provider with most locations (BIG) and its ICB (QOP)
    assert result.exit_code == 0, result.output
    rows = _demo_rows(result)
    inspector_expiry = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    assert {name: cells[:3] for name, cells in rows.items()} == {
        "demo-owner": ["owner", f"provider {BIG}", ""],
        "demo-quality": ["quality_lead", f"provider {BIG}", ""],
        "demo-icb": ["icb_lead", "icb QOP", ""],
        "demo-inspector": ["inspector", f"provider {BIG}", inspector_expiry],
        "demo-admin": ["admin", "none", ""],
    }
    # And every printed password signs in
    store = _store(warehouse)
    assert all(_signs_in(store, name, cells[3]) for name, cells in rows.items())
    assert len({cells[3] for cells in rows.values()}) == 5


def test_demo_again_resets_passwords_locks_and_disabling(warehouse: Path) -> None:
    # Given demo accounts, one disabled and one locked
    first = _demo_rows(_run(warehouse, "demo"))
    _run(warehouse, "disable", "demo-owner")
    store = _store(warehouse)
    for _ in range(5):
        store.check_password("demo-icb", "wrong guess!", now=_now(), **LOCKOUT)

    # When the demo accounts are made again
    second = _demo_rows(_run(warehouse, "demo"))

    # Then the new passwords work, the old ones do not, and nothing is disabled or locked
    for name in ("demo-owner", "demo-icb"):
        assert not _signs_in(store, name, first[name][3])
        assert _signs_in(store, name, second[name][3])
    assert len(store.list_users()) == 5


def test_demo_needs_a_loaded_warehouse(tmp_path: Path) -> None:
    result = _run(tmp_path / "none.duckdb", "demo")

    assert result.exit_code == 2
    assert (
        result.stderr
        == "carelens: users demo needs a loaded warehouse: run `carelens load` first\n"
    )


# serve, help, main


def test_serve_builds_the_full_configuration_with_debug_off(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a stand-in for the web app that records how it is built and run
    calls: dict[str, Any] = {}

    class _App:
        def run(self, **kwargs: object) -> None:
            calls["run"] = kwargs

    def fake_create_app(config: object) -> _App:
        calls["config"] = config
        return _App()

    monkeypatch.setattr("dashboards.app.create_app", fake_create_app)

    # When the dashboard is served on loopback
    result = CliRunner().invoke(app, ["serve", "--warehouse", str(warehouse), "--port", "8123"])

    # Then the configuration carries the accounts file, a new secret key and the defaults
    assert result.exit_code == 0, result.output
    config = calls["config"]
    assert config.accounts_path == warehouse.parent / "accounts.sqlite3"
    assert config.secret_key == (warehouse.parent / "session.key").read_bytes()
    assert (config.session_idle_minutes, config.lockout_attempts) == (30, 5)
    assert config.cookie_secure is False
    assert calls["run"] == {"host": "127.0.0.1", "port": 8123, "debug": False}
    assert "cookies are sent over plain HTTP" in result.stderr


@pytest.mark.parametrize(
    "command", ["add", "list", "disable", "enable", "unlock", "password", "totp", "demo"]
)
def test_every_users_command_has_help(command: str) -> None:
    result = CliRunner().invoke(app, ["users", command, "--help"])

    assert result.exit_code == 0, result.output
    assert f"carelens users {command}" in result.output


def test_the_command_itself_reports_account_errors_on_one_line(tmp_path: Path) -> None:
    finished = subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [
            *(sys.executable, "-m", "carelens", "users", "disable", "nobody"),
            *("--warehouse", str(tmp_path / "w.duckdb")),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert finished.returncode == 2
    assert finished.stderr == "carelens: there is no account named 'nobody'\n"


def test_a_change_made_through_sudo_names_who_ran_sudo(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a command run through sudo by the OS user "carol"
    monkeypatch.setenv("SUDO_USER", "carol")

    # When an account is disabled
    _run(warehouse, "add", "alice", "--role", "owner", "--scope", BIG, stdin=PASSWORD)
    _run(warehouse, "disable", "alice")

    # Then the audit trail names carol as well as the account the command ran as
    (event, *_) = _store(warehouse).access_events(kind=AccessEventKind.ACCOUNT_CHANGED)
    assert event.detail is not None
    assert event.detail.startswith("disabled (by OS user ")
    assert event.detail.endswith(" via sudo from carol)")
