"""Configuration of the web app: where its data lives and how sign-in behaves."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class OidcConfig:
    """An OpenID Connect identity provider (NHS CIS2, Microsoft Entra ID, ...).

    Attributes:
        issuer: The issuer URL; its ``/.well-known/openid-configuration`` is read on the first
            single sign-on (so the dashboard starts even while the provider is down).
        client_id: This app's client id at the identity provider.
        client_secret: Its client secret.
        username_claim: The ID-token claim matched to a local account name (``email``).
        display_name: The label of the sign-in button ("Sign in with NHS CIS2").
    """

    issuer: str
    client_id: str
    client_secret: str
    username_claim: str = "email"
    display_name: str = "single sign-on"


@dataclass(frozen=True, slots=True)
class DashboardConfig:
    """What the dashboard reads and how it signs users in.

    Attributes:
        warehouse_path: DuckDB warehouse file, opened read-only for each query.
        data_docs_dir: Folder holding one Great Expectations Data Docs site per load run,
            as ``<data_docs_dir>/<run_id>/index.html``.
        accounts_path: SQLite file of accounts, sessions and the access audit trail.
        secret_key: Signs session cookies; from settings, never from code.
        session_idle_minutes: A session ends after this long without a request.
        session_absolute_hours: A session ends this long after sign-in, whatever happens.
        lockout_attempts: Consecutive failed sign-ins that lock an account.
        lockout_minutes: How long a locked account stays locked.
        sign_in_rate_limit: Sign-in attempts allowed per client address (flask-limiter syntax).
        cookie_secure: Send cookies over HTTPS only (off only for plain-HTTP loopback demos).
        max_request_bytes: Larger request bodies are refused with 413.
        trusted_proxies: Reverse proxies (TLS terminators) in front of the app whose
            ``X-Forwarded-For``, ``-Proto`` and ``-Host`` headers are believed; 0 believes none.
        oidc: Single sign-on, when configured.
    """

    warehouse_path: Path
    data_docs_dir: Path
    accounts_path: Path
    secret_key: bytes
    session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    lockout_attempts: int = 5
    lockout_minutes: int = 15
    sign_in_rate_limit: str = "10 per minute"
    cookie_secure: bool = True
    max_request_bytes: int = 1024 * 1024
    trusted_proxies: int = 0
    oidc: OidcConfig | None = None
