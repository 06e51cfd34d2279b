"""Sessions: the cookie holds a random token, the file only its SHA-256; timeouts end them."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from dashboards.accounts import access_log
from dashboards.accounts.access_log import instant_text
from dashboards.accounts.errors import AccountError
from dashboards.accounts.models import (
    AccessEvent,
    AccessEventKind,
    Account,
    AccountStatus,
    SessionInfo,
    utc,
)
from dashboards.accounts.schema import connect, transaction
from dashboards.accounts.users import account_from_row, fetch_user

LAST_SEEN_RESOLUTION = timedelta(seconds=30)
"""A session's last request is written at most this often (one write per page, not per call)."""
SESSION_RETENTION = timedelta(days=31)
"""Session rows older than this are deleted when a new session opens."""


def token_digest(token: str) -> str:
    """The SHA-256 (hex) under which a session token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(
    path: Path, account: Account, *, auth_method: str, now: datetime
) -> tuple[str, str]:
    """Store a new session of an active account; return ``(token, csrf_token)``.

    Raises:
        AccountError: The account is disabled, expired or locked.
    """
    status = account.status(now=now)
    if status is not AccountStatus.ACTIVE:
        raise AccountError(f"account {account.username!r} cannot sign in: it is {status}")
    token = secrets.token_urlsafe(32)
    csrf_token = secrets.token_urlsafe(32)
    stamp = instant_text(now)
    with connect(path) as connection, transaction(connection):
        connection.execute(
            "delete from sessions where created_at < ?",
            (instant_text(utc(now) - SESSION_RETENTION),),
        )
        connection.execute(
            "insert into sessions (token_sha256, username, auth_method, csrf_token,"
            " created_at, last_seen_at) values (?, ?, ?, ?, ?, ?)",
            (token_digest(token), account.username, auth_method, csrf_token, stamp, stamp),
        )
        connection.execute(
            "update users set last_sign_in_at = ? where username = ?", (stamp, account.username)
        )
    return token, csrf_token


def resume_session(
    path: Path, token: str, *, now: datetime, idle: timedelta, absolute: timedelta
) -> SessionInfo | None:
    """The live session of ``token``, or ``None``.

    A session that ran out, or whose account may no longer sign in, is closed and a
    ``SESSION_ENDED`` event records why.
    """
    if not isinstance(token, str) or not token:
        return None
    moment = utc(now)
    with connect(path) as connection:
        session = connection.execute(
            "select * from sessions where token_sha256 = ? and closed_at is null",
            (token_digest(token),),
        ).fetchone()
        user = fetch_user(connection, session["username"]) if session else None
    if session is None or user is None:
        return None
    account = account_from_row(user)
    created_at = datetime.fromisoformat(session["created_at"])
    last_seen_at = datetime.fromisoformat(session["last_seen_at"])
    status = account.status(now=moment)
    reason = None
    if status is not AccountStatus.ACTIVE:
        reason = f"account {status}"
    elif moment - last_seen_at > idle:
        reason = "idle timeout"
    elif moment - created_at > absolute:
        reason = "absolute timeout"
    if reason is not None:
        _end_session(path, session["token_sha256"], account, reason=reason, now=moment)
        return None
    if moment - last_seen_at >= LAST_SEEN_RESOLUTION:
        last_seen_at = moment
        with connect(path) as connection:
            connection.execute(
                "update sessions set last_seen_at = ? where token_sha256 = ?",
                (instant_text(moment), session["token_sha256"]),
            )
    return SessionInfo(
        account=account,
        auth_method=session["auth_method"],
        csrf_token=session["csrf_token"],
        created_at=created_at,
        last_seen_at=last_seen_at,
    )


def close_session(path: Path, token: str, *, now: datetime) -> None:
    """Close the session of ``token`` (signing out); unknown or closed tokens are ignored."""
    if not isinstance(token, str) or not token:
        return
    with connect(path) as connection:
        connection.execute(
            "update sessions set closed_at = ?, closed_reason = 'signed out'"
            " where token_sha256 = ? and closed_at is null",
            (instant_text(now), token_digest(token)),
        )


def _end_session(
    path: Path, token_sha256: str, account: Account, *, reason: str, now: datetime
) -> None:
    with connect(path) as connection:
        ended = connection.execute(
            "update sessions set closed_at = ?, closed_reason = ?"
            " where token_sha256 = ? and closed_at is null",
            (instant_text(now), reason, token_sha256),
        ).rowcount
        if ended:
            access_log.append(
                connection,
                AccessEvent(
                    kind=AccessEventKind.SESSION_ENDED,
                    at=now,
                    username=account.username,
                    role=account.identity(auth_method="").role_label,
                    scope=account.scope.describe(),
                    detail=reason,
                ),
            )
