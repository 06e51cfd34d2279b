"""Sign-in bookkeeping: failed-attempt counts and lockouts, TOTP steps used once, refusals."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pyotp
from pyotp.exceptions import OTPVerificationError

from dashboards.accounts.access_log import instant_text
from dashboards.accounts.models import Account, SignInOutcome, SignInResult, uk_date, utc
from dashboards.accounts.schema import connect, transaction
from dashboards.accounts.users import account_from_row, fetch_user, instant

TOTP_VALID_WINDOW = 1
"""One 30-second step either side of now, for clock drift (RFC 6238 section 5.2)."""
TOTP_DIGITS = 6


def refusal(account: Account, *, now: datetime) -> SignInResult | None:
    """``DISABLED`` or ``EXPIRED`` for an account whose credentials were right, else ``None``."""
    if account.is_disabled:
        return SignInResult(SignInOutcome.DISABLED, account)
    if account.is_expired(today=uk_date(now)):
        return SignInResult(SignInOutcome.EXPIRED, account)
    return None


def totp_step(secret: str, code: str, *, now: datetime) -> int | None:
    """The time step ``code`` belongs to (within the window), or ``None`` if it matches none."""
    digits = "".join(code.split())
    if not (digits.isascii() and digits.isdigit() and len(digits) == TOTP_DIGITS):
        return None
    try:
        return pyotp.TOTP(secret).verify_and_get_timecode(
            digits, for_time=utc(now), valid_window=TOTP_VALID_WINDOW
        )
    except OTPVerificationError:
        return None


def use_totp_step(path: Path, username: str, step: int) -> bool:
    """Mark a TOTP step used; ``False`` if it (or a later one) was used already."""
    with connect(path) as connection, transaction(connection):
        row = fetch_user(connection, username)
        if row is None:
            return False
        last_step = row["totp_last_step"]
        if last_step is not None and step <= last_step:
            return False
        connection.execute(
            "update users set totp_last_step = ? where username = ?", (step, row["username"])
        )
    return True


def record_failure(
    path: Path, username: str, *, now: datetime, lockout_attempts: int, lockout_minutes: int
) -> SignInResult:
    """Count a failed attempt; lock the account when the count reaches ``lockout_attempts``.

    Returns ``LOCKED`` for the attempt that locks the account (or one that finds it locked),
    else ``WRONG_CREDENTIALS``.
    """
    moment = utc(now)
    with connect(path) as connection, transaction(connection):
        row = fetch_user(connection, username)
        if row is None:
            return SignInResult(SignInOutcome.WRONG_CREDENTIALS, None)
        locked_until = instant(row["locked_until"])
        if locked_until is not None and moment < locked_until:
            return SignInResult(SignInOutcome.LOCKED, account_from_row(row))
        # A lockout that has run out starts the count again.
        attempts = 1 if locked_until else row["failed_attempts"] + 1
        locked = attempts >= lockout_attempts
        lock_end = instant_text(moment + timedelta(minutes=lockout_minutes)) if locked else None
        connection.execute(
            "update users set failed_attempts = ?, locked_until = ? where username = ?",
            (attempts, lock_end, row["username"]),
        )
        updated = fetch_user(connection, username)
    outcome = SignInOutcome.LOCKED if locked else SignInOutcome.WRONG_CREDENTIALS
    return SignInResult(outcome, account_from_row(updated) if updated else None)


def record_success(path: Path, username: str) -> SignInResult:
    """Forget failed attempts and any lock after a complete sign-in; answer ``OK``."""
    with connect(path) as connection, transaction(connection):
        connection.execute(
            "update users set failed_attempts = 0, locked_until = null where username = ?",
            (username.strip().lower(),),
        )
        row = fetch_user(connection, username)
    return SignInResult(SignInOutcome.OK, account_from_row(row) if row else None)
