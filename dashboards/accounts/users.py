"""Account rows: checking a new account's name, roles and scope, and reading rows back."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime

from dashboards.accounts.errors import AccountError
from dashboards.accounts.models import Account
from dashboards.roles import DATA_ROLES, Role, Scope, ScopeError, scope_for_role

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9._@-]{3,254}$")
ROLE_COLUMNS = ("roles", "provider_id", "location_ids", "icb_code", "expires_on")


def instant(text: str | None) -> datetime | None:
    """A stored instant, or ``None``."""
    return datetime.fromisoformat(text) if text else None


def checked_username(username: str) -> str:
    """A new account's name, checked and in lower case (names match whatever the case)."""
    name = username.strip()
    if not USERNAME_PATTERN.fullmatch(name):
        raise AccountError(
            f"{username!r} is not a valid username (3 to 254 letters, digits and . _ @ -)"
        )
    return name.lower()


def check_roles(*, roles: frozenset[Role], scope: Scope, expires_on: date | None) -> None:
    """Refuse role sets and scopes that do not fit together (see ``dashboards.roles``)."""
    if not roles:
        raise AccountError("an account needs at least one role")
    data_roles = sorted(roles & DATA_ROLES)
    if len(data_roles) > 1:
        raise AccountError(
            "an account has at most one data role (owner, quality_lead, icb_lead or inspector), "
            f"not {' and '.join(data_roles)}"
        )
    data_role = data_roles[0] if data_roles else None
    if data_role is Role.INSPECTOR and expires_on is None:
        raise AccountError("an inspector account needs an expiry date")
    expected = scope_for_role(
        data_role,
        code=scope.icb_code or scope.provider_id,
        location_ids=scope.location_ids or (),
    )
    if expected != scope:
        raise ScopeError(f"scope {scope.describe()} does not fit role {data_role or 'admin'}")


def account_from_row(row: sqlite3.Row) -> Account:
    """The account a ``users`` row describes."""
    locations = row["location_ids"]
    return Account(
        username=row["username"],
        roles=frozenset(Role(role) for role in row["roles"].split(",")),
        scope=Scope(
            provider_id=row["provider_id"],
            location_ids=frozenset(locations.split(",")) if locations else None,
            icb_code=row["icb_code"],
        ),
        expires_on=date.fromisoformat(row["expires_on"]) if row["expires_on"] else None,
        is_disabled=bool(row["is_disabled"]),
        has_password=row["password_hash"] is not None,
        has_totp=row["totp_secret"] is not None,
        failed_attempts=row["failed_attempts"],
        locked_until=instant(row["locked_until"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        last_sign_in_at=instant(row["last_sign_in_at"]),
    )


def fetch_user(connection: sqlite3.Connection, username: str) -> sqlite3.Row | None:
    """The row of one account (any case of its name), or ``None``."""
    row: sqlite3.Row | None = connection.execute(
        "select * from users where username = ?", (username.strip().lower(),)
    ).fetchone()
    return row


def role_columns(
    *, roles: frozenset[Role], scope: Scope, expires_on: date | None
) -> dict[str, str | None]:
    """The ``users`` columns that hold roles, scope and expiry (see ``ROLE_COLUMNS``)."""
    values = (
        ",".join(sorted(roles)),
        scope.provider_id,
        ",".join(sorted(scope.location_ids)) if scope.location_ids else None,
        scope.icb_code,
        expires_on.isoformat() if expires_on else None,
    )
    return dict(zip(ROLE_COLUMNS, values, strict=True))
