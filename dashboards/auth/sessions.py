"""Sessions: the cookie holds a random token, the account store holds the session.

Before sign-in, the Flask session cookie holds a CSRF token for the sign-in forms (and, between
the password and the code, the name of the account waiting for its TOTP code). After sign-in it
holds only the session token; the store keeps that token's hash, the session's CSRF token and
its times, and ends it when it has been idle too long, is too old, or the account is disabled,
expired or locked.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

import flask

from dashboards.access import set_current_identity
from dashboards.accounts import Account
from dashboards.config import DashboardConfig
from dashboards.context import current_services, request_id, utc_now
from dashboards.roles import Identity

SESSION_COOKIE_NAME = "carelens_session"
CSRF_COOKIE_NAME = "_csrf_token"
"""Read by dash-renderer, which sends its value as the ``X-CSRFToken`` header of every POST."""
CSRF_HEADER = "X-CSRFToken"
CSRF_FIELD = "csrf_token"
SESSION_TOKEN_KEY = "sid"  # noqa: S105 (a cookie key, not a secret)
PRE_SIGN_IN_CSRF_KEY = "csrf"
PENDING_TOTP_USER_KEY = "pending_totp_user"
PENDING_TOTP_SINCE_KEY = "pending_totp_since"
NEXT_PATH_KEY = "next"

_CSRF_G_KEY = "carelens_session_csrf"
_ENDED_G_KEY = "carelens_session_ended"


def configure_session_cookie(server: flask.Flask, *, config: DashboardConfig) -> None:
    """Set the session cookie's name and flags, and the limits of a request."""
    server.secret_key = config.secret_key
    server.config.update(
        SESSION_COOKIE_NAME=SESSION_COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.cookie_secure,
        SESSION_REFRESH_EACH_REQUEST=False,
        MAX_CONTENT_LENGTH=config.max_request_bytes,
        MAX_FORM_MEMORY_SIZE=min(config.max_request_bytes, 500_000),
    )


def resolve_session() -> Identity | None:
    """Find who is signed in from the session cookie and make them the current identity.

    A token the store no longer accepts (idle too long, too old, signed out, account disabled,
    expired or locked) ends the session: the cookie is cleared (the store records
    ``SESSION_ENDED`` with the reason when it ends a session).
    """
    set_current_identity(None)
    token = flask.session.get(SESSION_TOKEN_KEY)
    if not isinstance(token, str) or not token:
        return None
    services = current_services()
    config = services.config
    info = services.accounts.resume_session(
        token,
        now=utc_now(),
        idle=timedelta(minutes=config.session_idle_minutes),
        absolute=timedelta(hours=config.session_absolute_hours),
    )
    if info is None:
        flask.session.clear()
        setattr(flask.g, _ENDED_G_KEY, True)
        return None
    identity = info.account.identity(auth_method=info.auth_method, request_id=request_id())
    set_current_identity(identity)
    setattr(flask.g, _CSRF_G_KEY, info.csrf_token)
    return identity


def session_ended() -> bool:
    """Whether this request found a session that had ended (or signed it out)."""
    return bool(getattr(flask.g, _ENDED_G_KEY, False))


def session_csrf_token() -> str | None:
    """The CSRF token of the signed-in session of this request (``None`` if not signed in)."""
    token: str | None = getattr(flask.g, _CSRF_G_KEY, None)
    return token


def start_session(account: Account, *, auth_method: str) -> Identity:
    """Open a session for ``account`` and put its token in a fresh session cookie.

    Everything held before sign-in (the sign-in form's CSRF token, a pending TOTP step) is
    dropped, so a cookie planted before sign-in is worth nothing after it.
    """
    token, csrf_token = current_services().accounts.open_session(
        account.username, auth_method=auth_method, now=utc_now()
    )
    flask.session.clear()
    flask.session[SESSION_TOKEN_KEY] = token
    identity = account.identity(auth_method=auth_method, request_id=request_id())
    set_current_identity(identity)
    setattr(flask.g, _CSRF_G_KEY, csrf_token)
    return identity


def end_session() -> None:
    """Close the signed-in session in the store and clear the cookie."""
    token = flask.session.get(SESSION_TOKEN_KEY)
    if isinstance(token, str) and token:
        current_services().accounts.close_session(token, now=utc_now())
    flask.session.clear()
    set_current_identity(None)
    setattr(flask.g, _CSRF_G_KEY, None)
    setattr(flask.g, _ENDED_G_KEY, True)


def form_csrf_token() -> str:
    """The CSRF token to put in a form: the session's once signed in, else a pre-sign-in one."""
    signed_in = session_csrf_token()
    if signed_in:
        return signed_in
    token = flask.session.get(PRE_SIGN_IN_CSRF_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        flask.session[PRE_SIGN_IN_CSRF_KEY] = token
    return token


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Compare two CSRF tokens in constant time; a missing one never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def form_csrf_is_valid() -> bool:
    """Whether the posted form carries the CSRF token of this session (or pre-session)."""
    expected = session_csrf_token() or flask.session.get(PRE_SIGN_IN_CSRF_KEY)
    return tokens_match(
        expected if isinstance(expected, str) else None, flask.request.form.get(CSRF_FIELD)
    )


def header_csrf_is_valid() -> bool:
    """Whether the request carries the signed-in session's CSRF token in ``X-CSRFToken``."""
    return tokens_match(session_csrf_token(), flask.request.headers.get(CSRF_HEADER))


def set_csrf_cookie(response: flask.Response, *, config: DashboardConfig) -> None:
    """Give dash-renderer the session's CSRF token, or take it away once the session ends."""
    token = session_csrf_token()
    if token:
        if flask.request.cookies.get(CSRF_COOKIE_NAME) != token:
            response.set_cookie(
                CSRF_COOKIE_NAME,
                token,
                secure=config.cookie_secure,
                httponly=False,
                samesite="Strict",
                path="/",
            )
    elif session_ended() and CSRF_COOKIE_NAME in flask.request.cookies:
        response.delete_cookie(
            CSRF_COOKIE_NAME, path="/", secure=config.cookie_secure, samesite="Strict"
        )
