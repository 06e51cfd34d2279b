"""Signing in from tests: a Flask test client holding a real session of the app's account store.

``signed_in_client`` creates the account (single sign-on only, so no password hash is spent),
opens a session through the store and puts its token in the session cookie exactly as the
sign-in page does, and gives dash-renderer's CSRF cookie; ``dash_update`` posts a callback
request with the CSRF header dash-renderer would send.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import dash
from argon2 import PasswordHasher
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from dashboards.accounts import AccountStore
from dashboards.auth import CSRF_COOKIE_NAME, CSRF_HEADER, SESSION_TOKEN_KEY
from dashboards.config import DashboardConfig
from dashboards.context import current_services, utc_now
from dashboards.roles import Role, Scope

TEST_SECRET_KEY = b"unit-test-secret-key-not-for-production-0123456789"
CALLBACK_PATH = "/_dash-update-component"


def app_config(root: Path, **overrides: Any) -> DashboardConfig:
    """A configuration for an app whose files all live in ``root`` (plain-HTTP cookies)."""
    settings: dict[str, Any] = {
        "warehouse_path": root / "carelens.duckdb",
        "data_docs_dir": root / "data_docs",
        "accounts_path": root / "accounts.sqlite3",
        "secret_key": TEST_SECRET_KEY,
        "cookie_secure": False,
    }
    settings.update(overrides)
    return DashboardConfig(**settings)


def app_accounts(root: Path) -> AccountStore:
    """The account store at ``root/accounts.sqlite3``, hashing passwords with cheap parameters."""
    return AccountStore(
        root / "accounts.sqlite3", hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


def signed_in_client(
    app: dash.Dash,
    *,
    username: str,
    roles: frozenset[Role],
    scope: Scope,
    expires_on: date | None = None,
) -> tuple[FlaskClient, str]:
    """A test client signed in to ``app`` as ``username`` (the account is added if new).

    Args:
        app: An app built by ``create_app``.
        username: The account name (3 to 254 of ``A-Za-z0-9._@-``).
        roles: At most one data role, plus ``Role.ADMIN`` if wanted.
        scope: The data role's scope (``Scope()`` for an admin without one).
        expires_on: The last day of the account (inspectors need one).

    Returns:
        The client and the session's CSRF token (send it as the ``X-CSRFToken`` header).
    """
    with app.server.app_context():
        store = current_services().accounts
        now = utc_now()
        if store.get_user(username) is None:
            store.add_user(
                username, roles=roles, scope=scope, password=None, expires_on=expires_on, now=now
            )
        token, csrf_token = store.open_session(username, auth_method="password", now=now)
    client = app.server.test_client()
    with client.session_transaction() as session:
        session[SESSION_TOKEN_KEY] = token
    client.set_cookie(CSRF_COOKIE_NAME, csrf_token)
    return client, csrf_token


def dash_update(client: FlaskClient, csrf: str, payload: dict[str, Any]) -> TestResponse:
    """POST ``payload`` to ``/_dash-update-component`` as dash-renderer does (with CSRF header)."""
    return client.post(CALLBACK_PATH, json=payload, headers={CSRF_HEADER: csrf})
