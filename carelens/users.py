"""`carelens users`: add, list and change dashboard accounts, and create the demo accounts."""

from __future__ import annotations

import contextlib
import getpass
import os
import pwd
import secrets
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table

from carelens.organisations import Organisations, read_organisations
from carelens.settings import Settings
from cost_model.assumptions import AssumptionName
from dashboards.accounts import (
    AccessEvent,
    AccessEventKind,
    Account,
    AccountError,
    AccountStore,
    PasswordRuleError,
    uk_date,
)
from dashboards.roles import DATA_ROLES, Role, Scope, ScopeError, scope_for_role

users_app = typer.Typer(
    name="users",
    help="Dashboard accounts: add, list, disable, unlock, passwords, TOTP, demo accounts.",
    no_args_is_help=True,
)

WarehouseOption = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        help="DuckDB warehouse file; the accounts file is beside it unless $CARELENS_ACCOUNTS "
        "says otherwise.",
    ),
]
UsernameArgument = Annotated[str, typer.Argument(help="The account's name (e.g. an email).")]
DEMO_INSPECTOR_DAYS = 30
DEMO_ASSUMPTIONS = (
    ("baseline_documentation_minutes_per_shift", "40"),
    ("baseline_documentation_minutes_per_visit", "5"),
    ("care_plan_review_minutes_before", "240"),
    ("care_plan_review_minutes_after", "30"),
)
"""Values the demo provider gets so the time-released figures have a baseline to work from."""
DEMO_ASSUMPTION_NOTE = "demo value — replace with your paper-era measurement"
MIN_TABLE_WIDTH = 120
"""Tables never shrink below this, so that passwords and scopes are never cut short."""


def _now() -> datetime:
    return datetime.now(UTC)


def _settings(warehouse: Path | None) -> Settings:
    return Settings.from_env(os.environ, warehouse=warehouse)


def _store(settings: Settings) -> AccountStore:
    return AccountStore(settings.accounts_path)


def _console() -> Console:
    return Console(width=max(Console().width, MIN_TABLE_WIDTH))


def _uk_time(moment: datetime | None) -> str:
    """An instant as UK wall-clock time, ``2 Mar 2026 09:00`` (``never`` if missing)."""
    if moment is None:
        return "never"
    local = moment.astimezone(ZoneInfo("Europe/London"))
    return f"{local.day} {local:%b %Y %H:%M}"


def _os_user() -> str:
    """The operating-system account running the command, and who ran sudo if it was used.

    The account comes from the real uid, not from $USER, which anyone can set.
    """
    try:
        name = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a uid without a passwd entry (some containers)
        name = f"uid {os.getuid()}"
    sudo_user = os.environ.get("SUDO_USER")
    return f"{name} via sudo from {sudo_user}" if sudo_user and sudo_user != name else name


def _record_change(store: AccountStore, username: str, change: str) -> None:
    """Write an ACCOUNT_CHANGED event naming the OS user who made the change."""
    store.record(
        AccessEvent(
            kind=AccessEventKind.ACCOUNT_CHANGED,
            at=_now(),
            username=username.strip().lower(),
            path="carelens users",
            detail=f"{change} (by OS user {_os_user()})",
        )
    )


@contextlib.contextmanager
def _refusals() -> Iterator[None]:
    """Print a refused account change as ``carelens: ...`` lines and exit 2, no traceback."""
    try:
        yield
    except PasswordRuleError as error:
        typer.echo("carelens: password refused:", err=True)
        for reason in error.reasons:
            typer.echo(f"  - {reason}", err=True)
        raise typer.Exit(2) from None
    except (AccountError, ScopeError) as error:
        typer.echo(f"carelens: {error}", err=True)
        raise typer.Exit(2) from None


def _warn(message: str) -> None:
    typer.echo(f"carelens: warning: {message}", err=True)


def _read_password(username: str) -> str:
    """A new password: typed twice at a terminal, else one line of standard input."""
    if sys.stdin.isatty():
        first = getpass.getpass(f"New password for {username}: ")
        if getpass.getpass("Type it again: ") != first:
            raise AccountError("the two passwords typed differ")
        return first
    line = sys.stdin.readline()
    if not line:
        raise AccountError("no password on standard input (or use --sso-only)")
    return line.rstrip("\r\n")


def _data_role(roles: frozenset[Role]) -> Role | None:
    data_roles = sorted(roles & DATA_ROLES)
    if len(data_roles) > 1:
        raise AccountError(f"an account has at most one data role, not {' and '.join(data_roles)}")
    return data_roles[0] if data_roles else None


def _check_against_warehouse(scope: Scope, organisations: Organisations | None) -> None:
    """Warn about organisations the warehouse does not know; refuse another provider's location.

    Raises:
        ScopeError: A location of the scope belongs to another provider.
    """
    if organisations is None:
        return
    if scope.provider_id and scope.provider_id not in organisations.providers:
        _warn(f"provider {scope.provider_id} has no locations in the warehouse yet")
    if scope.icb_code and scope.icb_code not in organisations.icb_codes:
        _warn(f"ICB {scope.icb_code} has no locations in the warehouse yet")
    for location in sorted(scope.location_ids or ()):
        owner = organisations.provider_of(location)
        if owner is None:
            _warn(f"location {location} is not in the warehouse yet")
        elif owner != scope.provider_id:
            raise ScopeError(
                f"location {location} belongs to provider {owner}, not {scope.provider_id}"
            )


@users_app.command("add")
def add(
    username: UsernameArgument,
    role: Annotated[
        list[Role], typer.Option("--role", help="A role; repeat to add admin to a data role.")
    ],
    scope: Annotated[
        str | None,
        typer.Option("--scope", help="Provider ID (owner, quality_lead, inspector) or ICB code."),
    ] = None,
    location: Annotated[
        list[str] | None,
        typer.Option("--location", help="Limit a quality lead to this location; repeatable."),
    ] = None,
    expires: Annotated[
        datetime | None,
        typer.Option(
            "--expires", formats=["%Y-%m-%d"], help="Last day of use (required for inspectors)."
        ),
    ] = None,
    sso_only: Annotated[
        bool, typer.Option("--sso-only", help="No password: signs in by single sign-on only.")
    ] = False,
    warehouse: WarehouseOption = None,
) -> None:
    """Add an account; its password is read from the terminal (twice) or one line of stdin."""
    with _refusals():
        settings = _settings(warehouse)
        roles = frozenset(role)
        account_scope = scope_for_role(_data_role(roles), code=scope, location_ids=location or ())
        _check_against_warehouse(account_scope, read_organisations(settings.warehouse_path))
        expires_on = expires.date() if expires else None
        if expires_on and expires_on < uk_date(_now()):
            _warn(f"{expires_on} has passed: the account cannot sign in")
        password = None if sso_only else _read_password(username)
        store = _store(settings)
        account = store.add_user(
            username,
            roles=roles,
            scope=account_scope,
            password=password,
            expires_on=expires_on,
            now=_now(),
        )
        _record_change(store, account.username, f"added: {_summary(account)}")
    typer.echo(f"Added {account.username}: {_summary(account)}.")


def _summary(account: Account) -> str:
    parts = [f"roles {', '.join(sorted(account.roles))}", f"scope {account.scope.describe()}"]
    if account.expires_on:
        parts.append(f"expires {account.expires_on}")
    if not account.has_password:
        parts.append("single sign-on only")
    return "; ".join(parts)


@users_app.command("list")
def list_(warehouse: WarehouseOption = None) -> None:
    """List every account: roles, scope, expiry, status, TOTP and last sign-in."""
    accounts = _store(_settings(warehouse)).list_users()
    if not accounts:
        typer.echo("No accounts yet: add one with `carelens users add`.")
        return
    now = _now()
    table = Table("Username", "Roles", "Scope", "Expires", "Status", "TOTP", "Last sign-in")
    for account in accounts:
        table.add_row(
            account.username,
            ", ".join(sorted(account.roles)),
            account.scope.describe(),
            str(account.expires_on or ""),
            str(account.status(now=now)),
            "yes" if account.has_totp else "no",
            _uk_time(account.last_sign_in_at),
        )
    _console().print(table)


@users_app.command("disable")
def disable(username: UsernameArgument, warehouse: WarehouseOption = None) -> None:
    """Disable an account and end its sessions."""
    with _refusals():
        store = _store(_settings(warehouse))
        account = store.set_disabled(username, disabled=True, now=_now())
        _record_change(store, account.username, "disabled")
    typer.echo(f"Disabled {account.username}; its sessions have ended.")


@users_app.command("enable")
def enable(username: UsernameArgument, warehouse: WarehouseOption = None) -> None:
    """Enable a disabled account."""
    with _refusals():
        store = _store(_settings(warehouse))
        account = store.set_disabled(username, disabled=False, now=_now())
        _record_change(store, account.username, "enabled")
    typer.echo(f"Enabled {account.username}.")


@users_app.command("unlock")
def unlock(username: UsernameArgument, warehouse: WarehouseOption = None) -> None:
    """Lift a lockout after failed sign-ins."""
    with _refusals():
        store = _store(_settings(warehouse))
        account = store.unlock(username, now=_now())
        _record_change(store, account.username, "unlocked")
    typer.echo(f"Unlocked {account.username}.")


@users_app.command("password")
def password(username: UsernameArgument, warehouse: WarehouseOption = None) -> None:
    """Set a new password (terminal, twice, or one line of stdin); the sessions end."""
    with _refusals():
        store = _store(_settings(warehouse))
        if store.get_user(username) is None:
            raise AccountError(f"there is no account named {username.strip().lower()!r}")
        account = store.set_password(username, _read_password(username), now=_now())
        _record_change(store, account.username, "password changed")
    typer.echo(f"Changed the password of {account.username}; its sessions have ended.")


@users_app.command("totp")
def totp(username: UsernameArgument, warehouse: WarehouseOption = None) -> None:
    """Require a TOTP code at sign-in; prints the new secret and its otpauth URI once."""
    with _refusals():
        store = _store(_settings(warehouse))
        existing = store.get_user(username)
        if existing is not None and not existing.has_password:
            raise AccountError(
                f"{existing.username} signs in by single sign-on, whose identity provider "
                "enforces its own second factor"
            )
        secret = store.enable_totp(username, now=_now())
        _record_change(store, username, "TOTP enabled")
    typer.echo(f"TOTP enabled for {username.strip().lower()}. Shown once, keep it secret:")
    typer.echo(f"  secret: {secret}")
    typer.echo(f"  URI:    {store.totp_uri(username, secret)}")


@users_app.command("demo")
def demo(warehouse: WarehouseOption = None) -> None:
    """Create or reset one demo account per role, scoped from the loaded warehouse.

    The provider with the most locations gives the owner, quality lead and inspector (expires
    in 30 days) their scope, and its ICB the ICB lead's. Passwords are new each time. That
    provider also gets paper-era baselines for the time-released figures, noted as demo values.
    """
    with _refusals():
        settings = _settings(warehouse)
        plan = _demo_plan(read_organisations(settings.warehouse_path), today=uk_date(_now()))
        store = _store(settings)
        table = Table("Username", "Role", "Scope", "Expires", "Password")
        for username, roles, scope, expires_on in plan:
            password = secrets.token_urlsafe(15)
            account = _reset_account(
                store, username, roles=roles, scope=scope, expires_on=expires_on, password=password
            )
            table.add_row(
                account.username,
                ", ".join(sorted(roles)),
                scope.describe(),
                str(expires_on or ""),
                password,
            )
        provider = plan[0][2].provider_id or ""  # demo-owner, scoped to the provider
        _demo_assumptions(store, provider)
    _console().print(table)
    typer.echo("Passwords are shown once; run `carelens users demo` again for new ones.")
    typer.echo(
        f"Provider {provider} has paper-era baselines marked '{DEMO_ASSUMPTION_NOTE}'; "
        "the next `carelens load` turns them into hours released."
    )


def _demo_assumptions(store: AccountStore, provider_id: str) -> None:
    """Give the demo provider its labelled demo baselines, each change in the audit trail.

    A value already in force is left as it is: a second run does not grow the history, nor
    overwrite a value someone entered since.
    """
    now = _now()
    current = store.current_assumptions(provider_id)
    for name, value in DEMO_ASSUMPTIONS:
        if AssumptionName(name) in current:
            continue
        change = store.set_assumption(
            provider_id,
            name=name,
            value=value,
            note=DEMO_ASSUMPTION_NOTE,
            set_by="demo-owner",
            now=now,
        )
        store.record(
            AccessEvent(
                kind=AccessEventKind.ASSUMPTION_CHANGED,
                at=now,
                username="demo-owner",
                path="carelens users",
                detail=f"{change.describe()} (demo value, by OS user {_os_user()})",
            )
        )


def _demo_plan(
    organisations: Organisations | None, *, today: date
) -> list[tuple[str, frozenset[Role], Scope, date | None]]:
    """The demo accounts: name, roles, scope and expiry of each."""
    provider = organisations.largest_provider() if organisations else None
    if organisations is None or provider is None:
        raise AccountError("users demo needs a loaded warehouse: run `carelens load` first")
    plan: list[tuple[str, frozenset[Role], Scope, date | None]] = [
        ("demo-owner", frozenset({Role.OWNER}), Scope(provider_id=provider), None),
        ("demo-quality", frozenset({Role.QUALITY_LEAD}), Scope(provider_id=provider), None),
    ]
    icb_code = organisations.icb_of_provider(provider)
    if icb_code:
        plan.append(("demo-icb", frozenset({Role.ICB_LEAD}), Scope(icb_code=icb_code), None))
    else:
        _warn(f"provider {provider} has no ICB code in the warehouse: no demo-icb account")
    plan += [
        (
            "demo-inspector",
            frozenset({Role.INSPECTOR}),
            Scope(provider_id=provider),
            today + timedelta(days=DEMO_INSPECTOR_DAYS),
        ),
        ("demo-admin", frozenset({Role.ADMIN}), Scope(), None),
    ]
    return plan


def _reset_account(
    store: AccountStore,
    username: str,
    *,
    roles: frozenset[Role],
    scope: Scope,
    expires_on: date | None,
    password: str,
) -> Account:
    """Add the account, or give an existing one these roles, a new password and no lock."""
    now = _now()
    if store.get_user(username) is None:
        account = store.add_user(
            username, roles=roles, scope=scope, password=password, expires_on=expires_on, now=now
        )
        _record_change(store, username, f"added demo account: {_summary(account)}")
        return account
    store.update_user(username, roles=roles, scope=scope, expires_on=expires_on, now=now)
    store.set_password(username, password, now=now)
    store.set_disabled(username, disabled=False, now=now)
    account = store.unlock(username, now=now)
    _record_change(store, username, f"reset demo account: {_summary(account)}")
    return account
