"""The account store: users, sign-in checks, sessions and the access audit trail in SQLite."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pyotp
from argon2 import PasswordHasher

from cost_model.assumptions import AssumptionName
from dashboards.accounts import access_log, assumptions, sessions, sign_in
from dashboards.accounts.access_log import instant_text
from dashboards.accounts.assumptions import AssumptionChange, ProviderAssumption
from dashboards.accounts.errors import (
    AccountExistsError,
    PasswordRuleError,
    UnknownAccountError,
)
from dashboards.accounts.models import (
    AccessEvent,
    AccessEventKind,
    Account,
    SessionInfo,
    SignInOutcome,
    SignInResult,
)
from dashboards.accounts.passwords import (
    default_hasher,
    hash_password,
    needs_rehash,
    password_problems,
    spend_dummy_hash,
    verify_password,
)
from dashboards.accounts.schema import connect, create_file, transaction
from dashboards.accounts.users import (
    account_from_row,
    check_roles,
    checked_username,
    fetch_user,
    role_columns,
)
from dashboards.roles import Role, Scope

TOTP_ISSUER = "carelens"


class AccountStore:
    """Accounts, sign-in checks, sessions and the access audit trail, in one SQLite file.

    Every method opens its own short connection, so one store may be shared by threads and the
    file by processes (the CLI and the web server at once). Usernames match whatever their case.
    Every method that depends on the time takes ``now`` (timezone-aware; naive means UTC).

    Between :meth:`hold_events` and :meth:`write_held_events` (one web request), the events
    a thread records are held and then written in one transaction; anything that reads or
    extends the trail first writes what is held, so the trail keeps the order they happened in.

    Args:
        path: The SQLite file; created with mode 0600 and its schema if missing.
        hasher: The Argon2id hasher; tests may pass a cheaper one.
    """

    def __init__(self, path: Path, *, hasher: PasswordHasher | None = None) -> None:
        self.path = Path(path)
        self._hasher = hasher or default_hasher()
        self._held = threading.local()
        create_file(self.path)

    # Accounts

    def add_user(
        self,
        username: str,
        *,
        roles: frozenset[Role],
        scope: Scope,
        password: str | None,
        expires_on: date | None = None,
        now: datetime,
    ) -> Account:
        """Add an account.

        Args:
            username: 3 to 254 letters, digits and ``. _ @ -``; stored in lower case.
            roles: At most one data role, plus ``admin`` if wanted.
            scope: Must fit the data role (``dashboards.roles.scope_for_role``).
            password: The password, or ``None`` for an account that signs in by single sign-on.
            expires_on: Last UK day of use; inspectors must have one.
            now: The current time.

        Raises:
            AccountError: Bad username or roles; ``AccountExistsError`` if the name is taken.
            PasswordRuleError: The password breaks the rules (``reasons`` lists every one).
            ScopeError: The scope does not fit the data role.
        """
        name = checked_username(username)
        check_roles(roles=roles, scope=scope, expires_on=expires_on)
        password_hash = self._new_password_hash(name, password) if password is not None else None
        stamp = instant_text(now)
        columns = {
            "username": name,
            **role_columns(roles=roles, scope=scope, expires_on=expires_on),
            "password_hash": password_hash,
            "created_at": stamp,
            "updated_at": stamp,
        }
        with connect(self.path) as connection:
            try:
                connection.execute(
                    f"insert into users ({', '.join(columns)})"  # noqa: S608 - our column names
                    f" values ({', '.join(':' + name for name in columns)})",
                    columns,
                )
            except sqlite3.IntegrityError:
                raise AccountExistsError(f"an account named {name!r} already exists") from None
        return self._require(name)

    def update_user(
        self,
        username: str,
        *,
        roles: frozenset[Role],
        scope: Scope,
        expires_on: date | None,
        now: datetime,
    ) -> Account:
        """Give an account new roles, scope and expiry date; its sessions end.

        Raises:
            UnknownAccountError: No such account.
            AccountError: The roles do not fit together.
            ScopeError: The scope does not fit the data role.
        """
        check_roles(roles=roles, scope=scope, expires_on=expires_on)
        self._update(
            username,
            now=now,
            end_sessions="roles changed",
            **role_columns(roles=roles, scope=scope, expires_on=expires_on),
        )
        return self._require(username)

    def get_user(self, username: str) -> Account | None:
        """The account named ``username``, or ``None``."""
        with connect(self.path) as connection:
            row = fetch_user(connection, username)
        return account_from_row(row) if row else None

    def list_users(self) -> list[Account]:
        """Every account, by username."""
        with connect(self.path) as connection:
            rows = connection.execute("select * from users order by username").fetchall()
        return [account_from_row(row) for row in rows]

    def set_disabled(self, username: str, *, disabled: bool, now: datetime) -> Account:
        """Disable (ending its sessions) or enable an account.

        Raises:
            UnknownAccountError: No such account.
        """
        self._update(
            username,
            now=now,
            end_sessions="account disabled" if disabled else None,
            is_disabled=int(disabled),
        )
        return self._require(username)

    def unlock(self, username: str, *, now: datetime) -> Account:
        """Lift a lockout and forget the failed attempts.

        Raises:
            UnknownAccountError: No such account.
        """
        self._update(username, now=now, failed_attempts=0, locked_until=None)
        return self._require(username)

    def set_password(self, username: str, password: str, *, now: datetime) -> Account:
        """Set a new password (the account's sessions end).

        Raises:
            UnknownAccountError: No such account.
            PasswordRuleError: The password breaks the rules.
        """
        account = self._require(username)
        password_hash = self._new_password_hash(account.username, password)
        self._update(
            username, now=now, end_sessions="password changed", password_hash=password_hash
        )
        return self._require(username)

    def enable_totp(self, username: str, *, now: datetime) -> str:
        """Give the account a new TOTP secret (replacing any old one) and return it, base32.

        Raises:
            UnknownAccountError: No such account.
        """
        secret = pyotp.random_base32()
        self._update(username, now=now, totp_secret=secret, totp_last_step=None)
        return secret

    def totp_uri(self, username: str, secret: str) -> str:
        """The ``otpauth://`` URI that authenticator apps read (issuer ``carelens``)."""
        return pyotp.TOTP(secret).provisioning_uri(
            name=username.strip().lower(), issuer_name=TOTP_ISSUER
        )

    # Sign-in

    def check_password(
        self,
        username: str,
        password: str,
        *,
        now: datetime,
        lockout_attempts: int,
        lockout_minutes: int,
    ) -> SignInResult:
        """Check a password (step one of signing in).

        A locked account answers ``LOCKED`` without checking anything. An unknown username
        still spends one hash, so that the answer takes as long. A wrong password counts
        towards the lockout; a right one answers ``DISABLED`` or ``EXPIRED`` if the account may
        not sign in, ``TOTP_REQUIRED`` if it has a second factor, else ``OK``. A hash made with
        older Argon2 parameters is replaced on success.
        """
        with connect(self.path) as connection:
            row = fetch_user(connection, username)
        if row is None or row["password_hash"] is None:
            spend_dummy_hash(password, hasher=self._hasher)
            if row is None:
                return SignInResult(SignInOutcome.WRONG_CREDENTIALS, None)
            return sign_in.record_failure(
                self.path,
                row["username"],
                now=now,
                lockout_attempts=lockout_attempts,
                lockout_minutes=lockout_minutes,
            )
        account = account_from_row(row)
        if account.is_locked(now=now):
            return SignInResult(SignInOutcome.LOCKED, account)
        if not verify_password(row["password_hash"], password, hasher=self._hasher):
            return sign_in.record_failure(
                self.path,
                account.username,
                now=now,
                lockout_attempts=lockout_attempts,
                lockout_minutes=lockout_minutes,
            )
        if needs_rehash(row["password_hash"], hasher=self._hasher):
            new_hash = hash_password(password, hasher=self._hasher)
            self._update(account.username, now=now, password_hash=new_hash)
        refused = sign_in.refusal(account, now=now)
        if refused is not None:
            return refused
        if account.has_totp:
            # Failures are not forgotten until the second factor is right too.
            return SignInResult(SignInOutcome.TOTP_REQUIRED, account)
        return sign_in.record_success(self.path, account.username)

    def check_totp(
        self,
        username: str,
        code: str,
        *,
        now: datetime,
        lockout_attempts: int,
        lockout_minutes: int,
    ) -> SignInResult:
        """Check a TOTP code (step two, after ``TOTP_REQUIRED``).

        Codes of the 30-second step before and after now are accepted; each step can be used
        once, and never one older than the last used. A wrong or reused code counts towards
        the lockout.
        """
        with connect(self.path) as connection:
            row = fetch_user(connection, username)
        if row is None or row["totp_secret"] is None:
            return SignInResult(
                SignInOutcome.WRONG_CREDENTIALS, account_from_row(row) if row else None
            )
        account = account_from_row(row)
        if account.is_locked(now=now):
            return SignInResult(SignInOutcome.LOCKED, account)
        refused = sign_in.refusal(account, now=now)
        if refused is not None:
            return refused
        step = sign_in.totp_step(row["totp_secret"], code, now=now)
        if step is None or not sign_in.use_totp_step(self.path, account.username, step):
            return sign_in.record_failure(
                self.path,
                account.username,
                now=now,
                lockout_attempts=lockout_attempts,
                lockout_minutes=lockout_minutes,
            )
        return sign_in.record_success(self.path, account.username)

    def find_sso_account(self, username: str) -> Account | None:
        """The local account matching a single sign-on claim value, whatever its state.

        Roles and scope always come from the local account. The caller must check
        ``account.status(now=...)`` before opening a session (``open_session`` refuses
        accounts that are not active).
        """
        return self.get_user(username)

    # Sessions

    def open_session(self, username: str, *, auth_method: str, now: datetime) -> tuple[str, str]:
        """Open a session for a signed-in account.

        Returns:
            ``(token, csrf_token)``: the token goes in the cookie and is stored only as its
            SHA-256; the CSRF token must accompany every state-changing request.

        Raises:
            UnknownAccountError: No such account.
            AccountError: The account is disabled, expired or locked.
        """
        account = self._require(username)
        return sessions.open_session(self.path, account, auth_method=auth_method, now=now)

    def resume_session(
        self, token: str, *, now: datetime, idle: timedelta, absolute: timedelta
    ) -> SessionInfo | None:
        """The session a cookie token belongs to, if it may go on.

        Returns ``None`` for an unknown or closed token. A session idle for longer than
        ``idle``, older than ``absolute``, or whose account is no longer active is closed, a
        ``SESSION_ENDED`` event naming the reason is recorded, and ``None`` returned. The
        session's last request time is written at most every 30 seconds.
        """
        self._write_held()  # a session that ended is recorded after what came before
        return sessions.resume_session(self.path, token, now=now, idle=idle, absolute=absolute)

    def close_session(self, token: str, *, now: datetime) -> None:
        """Close a session (signing out); an unknown or closed token is ignored."""
        sessions.close_session(self.path, token, now=now)

    # Access audit trail

    def record(self, event: AccessEvent) -> None:
        """Append an event to the access audit trail (or hold it, see :meth:`hold_events`)."""
        held: list[AccessEvent] | None = getattr(self._held, "events", None)
        if held is not None:
            held.append(event)
            return
        with connect(self.path) as connection:
            access_log.append(connection, event)

    def hold_events(self) -> None:
        """Hold the events this thread records until :meth:`write_held_events` (one request).

        A page view runs about six queries, each recorded; one transaction for all of them
        instead of one each saves a commit per event.
        """
        self._held.events = []

    def write_held_events(self) -> None:
        """Write the events held since :meth:`hold_events` in one transaction; hold no more."""
        try:
            self._write_held()
        finally:
            self._held.events = None

    def _write_held(self) -> None:
        """Write the events held so far, in the order recorded, and keep holding."""
        held: list[AccessEvent] | None = getattr(self._held, "events", None)
        if not held:
            return
        events = list(held)
        held.clear()
        with connect(self.path) as connection:
            access_log.append_many(connection, events)

    def access_events(
        self,
        *,
        username: str | None = None,
        kind: AccessEventKind | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
    ) -> list[AccessEvent]:
        """Audit events matching every filter given, newest first.

        Args:
            username: Only this user's events.
            kind: Only events of this kind.
            since: Only events at or after this instant.
            until: Only events before this instant.
            limit: At most this many events.
        """
        self._write_held()
        with connect(self.path) as connection:
            return access_log.select(
                connection, username=username, kind=kind, since=since, until=until, limit=limit
            )

    def verify_access_log(self) -> int | None:
        """Check the hash chain of the access audit trail.

        Returns:
            The id of the first row that was changed or follows a removed row, or ``None`` if
            the trail is intact.
        """
        self._write_held()
        with connect(self.path) as connection:
            return access_log.first_broken_link(connection)

    # Provider assumptions (the cost and time registry's entered values)

    def set_assumption(
        self,
        provider_id: str,
        *,
        name: str,
        value: object,
        note: str | None,
        set_by: str,
        now: datetime,
    ) -> AssumptionChange:
        """Set (or, blank, clear) a provider's value for one assumption of the registry.

        The caller checks that ``set_by`` may change the provider's figures and records an
        ``ASSUMPTION_CHANGED`` event (:func:`dashboards.accounts.assumptions.set_assumption`).

        Raises:
            AssumptionEntryError: Unknown name, or a value or note that cannot be stored.
        """
        return assumptions.set_assumption(
            self.path,
            provider_id=provider_id,
            name=name,
            value=value,
            note=note,
            set_by=set_by,
            now=now,
        )

    def current_assumptions(self, provider_id: str) -> dict[AssumptionName, ProviderAssumption]:
        """The provider's values in force, by name (cleared ones left out)."""
        return assumptions.current_assumptions(self.path, provider_id=provider_id)

    def assumption_history(self, provider_id: str, *, name: str) -> list[ProviderAssumption]:
        """Every value set for one of the provider's assumptions, newest first."""
        return assumptions.assumption_history(self.path, provider_id=provider_id, name=name)

    # Internals

    def _new_password_hash(self, username: str, password: str) -> str:
        problems = password_problems(password, username=username)
        if problems:
            raise PasswordRuleError(problems)
        return hash_password(password, hasher=self._hasher)

    def _require(self, username: str) -> Account:
        account = self.get_user(username)
        if account is None:
            raise UnknownAccountError(f"there is no account named {username.strip().lower()!r}")
        return account

    def _update(
        self,
        username: str,
        *,
        now: datetime,
        end_sessions: str | None = None,
        **columns: object,
    ) -> None:
        """Set columns of one account (names are ours, never a caller's).

        ``end_sessions`` closes the account's open sessions with that reason.
        """
        columns["updated_at"] = instant_text(now)
        assignments = ", ".join(f"{name} = :{name}" for name in columns)
        name = username.strip().lower()
        with connect(self.path) as connection, transaction(connection):
            changed = connection.execute(
                f"update users set {assignments} where username = :username",  # noqa: S608 - our column names
                {**columns, "username": name},
            ).rowcount
            if not changed:
                raise UnknownAccountError(f"there is no account named {name!r}")
            if end_sessions is not None:
                connection.execute(
                    "update sessions set closed_at = ?, closed_reason = ?"
                    " where username = ? and closed_at is null",
                    (instant_text(now), end_sessions, name),
                )
