"""Values the account store hands out: accounts, sign-in results, sessions, audit events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from dashboards.roles import Identity, Role, Scope

UK_TIME_ZONE = ZoneInfo("Europe/London")


def utc(moment: datetime) -> datetime:
    """The same instant in UTC; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def uk_date(moment: datetime) -> date:
    """The calendar date in the UK at ``moment`` (expiry dates are UK dates)."""
    return utc(moment).astimezone(UK_TIME_ZONE).date()


class AccountStatus(StrEnum):
    """Whether an account may sign in now, and if not, why not."""

    ACTIVE = "active"
    DISABLED = "disabled"
    EXPIRED = "expired"
    LOCKED = "locked"


@dataclass(frozen=True, slots=True)
class Account:
    """A user account, without its secrets (no password hash, no TOTP secret).

    Attributes:
        username: The account name (lower case).
        roles: At most one data role, plus ``admin`` if given.
        scope: The organisations the data role covers.
        expires_on: Last UK calendar day the account may be used (inspectors always have one).
        is_disabled: Disabled by an administrator.
        has_password: Whether the account can sign in with a password (else single sign-on only).
        has_totp: Whether sign-in with a password also needs a TOTP code.
        failed_attempts: Consecutive failed sign-ins since the last success or unlock.
        locked_until: Locked until this instant (UTC), if locked.
        created_at: When the account was added (UTC).
        last_sign_in_at: The last complete sign-in (UTC).
    """

    username: str
    roles: frozenset[Role]
    scope: Scope
    expires_on: date | None
    is_disabled: bool
    has_password: bool
    has_totp: bool
    failed_attempts: int
    locked_until: datetime | None
    created_at: datetime
    last_sign_in_at: datetime | None

    def is_expired(self, *, today: date) -> bool:
        """Whether the account's last day is before ``today``."""
        return self.expires_on is not None and today > self.expires_on

    def is_locked(self, *, now: datetime) -> bool:
        """Whether the account is locked out at ``now``."""
        return self.locked_until is not None and utc(now) < self.locked_until

    def status(self, *, now: datetime) -> AccountStatus:
        """Whether the account may sign in at ``now`` (disabled, then expired, then locked)."""
        if self.is_disabled:
            return AccountStatus.DISABLED
        if self.is_expired(today=uk_date(now)):
            return AccountStatus.EXPIRED
        if self.is_locked(now=now):
            return AccountStatus.LOCKED
        return AccountStatus.ACTIVE

    def identity(self, *, auth_method: str, request_id: str = "") -> Identity:
        """The identity of a request made by this account."""
        return Identity(
            username=self.username,
            roles=self.roles,
            scope=self.scope,
            expires_on=self.expires_on,
            auth_method=auth_method,
            request_id=request_id,
        )


class SignInOutcome(StrEnum):
    """What a sign-in step decided."""

    OK = "ok"
    """Signed in: open a session."""
    TOTP_REQUIRED = "totp_required"
    """The password was right; ask for a TOTP code next (``check_totp``)."""
    WRONG_CREDENTIALS = "wrong_credentials"
    """Unknown username, wrong password or wrong code (never say which)."""
    LOCKED = "locked"
    """Too many failures: the account is locked for a while (nothing was checked)."""
    DISABLED = "disabled"
    """The credentials were right but an administrator disabled the account."""
    EXPIRED = "expired"
    """The credentials were right but the account's last day has passed."""


@dataclass(frozen=True, slots=True)
class SignInResult:
    """The outcome of a sign-in step and the account it concerns (``None`` if unknown)."""

    outcome: SignInOutcome
    account: Account | None


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """A live session, as resumed from its cookie token.

    Attributes:
        account: The signed-in account, as it is now.
        auth_method: ``password``, ``password+totp`` or ``oidc``.
        csrf_token: The token every state-changing request of this session must carry.
        created_at: Sign-in time (UTC).
        last_seen_at: Last recorded request (UTC; recorded at most every 30 seconds).
    """

    account: Account
    auth_method: str
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime


class AccessEventKind(StrEnum):
    """What an access audit event records."""

    SIGN_IN = "SIGN_IN"
    SIGN_IN_FAILED = "SIGN_IN_FAILED"
    SIGN_OUT = "SIGN_OUT"
    LOCKED_OUT = "LOCKED_OUT"
    SESSION_ENDED = "SESSION_ENDED"
    PAGE_VIEW = "PAGE_VIEW"
    ACCESS_DENIED = "ACCESS_DENIED"
    QUERY = "QUERY"
    DOWNLOAD = "DOWNLOAD"
    ACCOUNT_CHANGED = "ACCOUNT_CHANGED"
    TARGET_CHANGED = "TARGET_CHANGED"
    """A quality target was set or cleared (``detail``: location, measure, old and new)."""
    ASSUMPTION_CHANGED = "ASSUMPTION_CHANGED"
    """A provider's cost or time assumption was set or cleared (``detail``: provider, name, old
    and new)."""


@dataclass(frozen=True, slots=True)
class AccessEvent:
    """One row of the access audit trail.

    Attributes:
        kind: What happened.
        at: When (UTC).
        request_id: The request it happened in (``X-Request-ID``).
        username: Who (``None`` if nobody is signed in).
        role: The identity's roles as ``Identity.role_label``.
        path: The page or endpoint.
        scope: The identity's scope as ``Scope.describe()``.
        detail: Query name, download name, reason of a failure or what changed.
        row_count: Rows returned by a query or written to a download.
        client: The client's address.
    """

    kind: AccessEventKind
    at: datetime
    request_id: str = ""
    username: str | None = None
    role: str | None = None
    path: str | None = None
    scope: str | None = None
    detail: str | None = None
    row_count: int | None = None
    client: str | None = None
