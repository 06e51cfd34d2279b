"""Typed reads of the account store for the admin pages: the access audit trail and the users.

These are the only reads of accounts the pages make, and they only read: the trail is written
by the sign-in layer (``record_access``) and cannot be edited from the app. Every function
refuses an identity that may not read :attr:`~dashboards.roles.Audience.ACCOUNTS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import polars as pl

from dashboards.access import AccessDeniedError
from dashboards.accounts import AccessEventKind, AccountStore
from dashboards.roles import Audience, Identity

UK_TIME = ZoneInfo("Europe/London")
_USERNAME = re.compile(r"^[a-z0-9._@-]{1,254}$")

EVENT_SCHEMA: dict[str, pl.DataType] = {
    "at": pl.Datetime("us", "UTC"),
    "kind": pl.String(),
    "username": pl.String(),
    "role": pl.String(),
    "scope": pl.String(),
    "path": pl.String(),
    "detail": pl.String(),
    "row_count": pl.Int64(),
    "request_id": pl.String(),
    "client": pl.String(),
}
USER_SCHEMA: dict[str, pl.DataType] = {
    "username": pl.String(),
    "roles": pl.String(),
    "scope": pl.String(),
    "expires_on": pl.Date(),
    "status": pl.String(),
    "sign_in": pl.String(),
    "has_totp": pl.Boolean(),
    "failed_attempts": pl.Int64(),
    "last_sign_in_at": pl.Datetime("us", "UTC"),
    "created_at": pl.Datetime("us", "UTC"),
}


def _require_accounts_audience(identity: Identity) -> None:
    if not identity.may_read(Audience.ACCOUNTS):
        raise AccessDeniedError(f"{identity.username} may not read accounts")


def access_events(
    *,
    store: AccountStore,
    identity: Identity,
    username: str | None = None,
    kind: AccessEventKind | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 1000,
) -> pl.DataFrame:
    """Return access audit events matching every filter given, newest first.

    Args:
        store: The account store.
        identity: Who is asking (an admin).
        username: Only this user's events.
        kind: Only events of this kind.
        since: Only events at or after this instant.
        until: Only events before this instant.
        limit: At most this many events.

    Returns:
        One row per event, with the columns of :data:`EVENT_SCHEMA`.

    Raises:
        AccessDeniedError: If ``identity`` may not read accounts.
    """
    _require_accounts_audience(identity)
    events = store.access_events(
        username=username, kind=kind, since=since, until=until, limit=limit
    )
    return pl.DataFrame(
        [
            {
                "at": event.at,
                "kind": str(event.kind),
                "username": event.username,
                "role": event.role,
                "scope": event.scope,
                "path": event.path,
                "detail": event.detail,
                "row_count": event.row_count,
                "request_id": event.request_id,
                "client": event.client,
            }
            for event in events
        ],
        schema=EVENT_SCHEMA,
        orient="row",
    )


def first_broken_link(*, store: AccountStore, identity: Identity) -> int | None:
    """Check the hash chain of the audit trail.

    Returns:
        The id of the first event that was changed or follows a removed one; ``None`` if the
        trail is intact.

    Raises:
        AccessDeniedError: If ``identity`` may not read accounts.
    """
    _require_accounts_audience(identity)
    return store.verify_access_log()


def user_accounts(*, store: AccountStore, identity: Identity, now: datetime) -> pl.DataFrame:
    """Return every account: roles, scope, expiry, status, sign-in method and last sign-in.

    No password hash, TOTP secret or session token is read: the store's accounts hold none.

    Args:
        store: The account store.
        identity: Who is asking (an admin).
        now: The current time, for each account's status (locked, expired).

    Returns:
        One row per account, by username, with the columns of :data:`USER_SCHEMA`.

    Raises:
        AccessDeniedError: If ``identity`` may not read accounts.
    """
    _require_accounts_audience(identity)
    return pl.DataFrame(
        [
            {
                "username": account.username,
                "roles": " + ".join(sorted(account.roles)),
                "scope": account.scope.describe(),
                "expires_on": account.expires_on,
                "status": str(account.status(now=now)),
                "sign_in": "password" if account.has_password else "single sign-on",
                "has_totp": account.has_totp,
                "failed_attempts": account.failed_attempts,
                "last_sign_in_at": account.last_sign_in_at,
                "created_at": account.created_at,
            }
            for account in sorted(store.list_users(), key=lambda account: account.username)
        ],
        schema=USER_SCHEMA,
        orient="row",
    )


@dataclass(frozen=True, slots=True)
class EventFilters:
    """The audit log's filters, checked: what the page and its download ask the store for.

    Attributes:
        username: Only this user's events.
        kind: Only events of this kind.
        since_day: Only events on or after this UK day.
        until_day: Only events on or before this UK day.
        problems: Filters that were given but could not be read (and are left out).
    """

    username: str | None = None
    kind: AccessEventKind | None = None
    since_day: date | None = None
    until_day: date | None = None
    problems: tuple[str, ...] = ()

    @classmethod
    def from_values(
        cls, *, username: object, kind: object, since: object, until: object
    ) -> EventFilters:
        """Read filters from a query string or a browser store: anything else is left out.

        Args:
            username: An account name (3 to 254 characters).
            kind: An :class:`~dashboards.accounts.AccessEventKind` value.
            since: A day, ``YYYY-MM-DD``.
            until: A day, ``YYYY-MM-DD``.
        """
        problems: list[str] = []
        name = username.strip().lower() if isinstance(username, str) else ""
        if name and not _USERNAME.fullmatch(name):
            problems.append("The user name can only hold letters, digits and . _ @ -.")
            name = ""
        event_kind: AccessEventKind | None = None
        if isinstance(kind, str) and kind:
            try:
                event_kind = AccessEventKind(kind.strip().upper())
            except ValueError:
                problems.append("That event kind is not one the audit log records.")
        days: list[date | None] = []
        for label, value in (("From", since), ("To", until)):
            day = None
            if isinstance(value, str) and value:
                try:
                    day = date.fromisoformat(value)
                except ValueError:
                    problems.append(f"{label} date: enter a date as YYYY-MM-DD.")
            days.append(day)
        return cls(
            username=name or None,
            kind=event_kind,
            since_day=days[0],
            until_day=days[1],
            problems=tuple(problems),
        )

    def as_values(self) -> dict[str, str]:
        """The filters as query-string values (empty strings for filters not set)."""
        return {
            "username": self.username or "",
            "kind": str(self.kind) if self.kind else "",
            "since": self.since_day.isoformat() if self.since_day else "",
            "until": self.until_day.isoformat() if self.until_day else "",
        }


def _uk_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UK_TIME).astimezone(UTC)


def filtered_access_events(
    *, store: AccountStore, identity: Identity, filters: EventFilters, limit: int = 1000
) -> pl.DataFrame:
    """Return the events matching ``filters`` (days are UK days, both ends included)."""
    return access_events(
        store=store,
        identity=identity,
        username=filters.username,
        kind=filters.kind,
        since=_uk_midnight(filters.since_day) if filters.since_day else None,
        until=_uk_midnight(filters.until_day + timedelta(days=1)) if filters.until_day else None,
        limit=limit,
    )
