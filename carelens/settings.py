"""Settings: the only place that reads the environment (CARELENS_* variables)."""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dashboards.config import DashboardConfig, OidcConfig
from pipelines.config import PipelineConfig

DEFAULT_WAREHOUSE = Path("data/carelens.duckdb")
MIN_SECRET_KEY_LENGTH = 32
_RATE_LIMIT = re.compile(
    r"^\s*\d+\s*(/|per)\s*(\d+\s*)?(second|minute|hour|day)s?\s*"
    r"([,;|]\s*\d+\s*(/|per)\s*(\d+\s*)?(second|minute|hour|day)s?\s*)*$",
    re.IGNORECASE,
)
"""flask-limiter's rate-limit strings: ``10 per minute``, ``5/second; 100 per hour``."""
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class SettingsError(Exception):
    """A setting is missing or malformed."""


def _number(env: Mapping[str, str], name: str, default: float, *, low: float, high: float) -> float:
    """A numeric variable within [low, high], or the default when unset."""
    text = env.get(name)
    if text is None or not text.strip():
        return default
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{name}={text!r} is not a number") from None
    if not low <= value <= high:
        raise SettingsError(f"{name}={text!r} must be between {low:g} and {high:g}")
    return value


def _integer(env: Mapping[str, str], name: str, default: int, *, low: int, high: int) -> int:
    """A whole-number variable within [low, high], or the default when unset."""
    value = _number(env, name, default, low=low, high=high)
    if value != int(value):
        raise SettingsError(f"{name}={env[name]!r} must be a whole number")
    return int(value)


def _boolean(env: Mapping[str, str], name: str) -> bool | None:
    """A true/false variable (``true``/``false``, ``yes``/``no``, ``1``/``0``), or ``None``."""
    text = env.get(name, "").strip().lower()
    if not text:
        return None
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise SettingsError(f"{name}={env[name]!r} must be true or false")


def _rate_limit(env: Mapping[str, str], name: str, default: str) -> str:
    text = env.get(name, "").strip()
    if not text:
        return default
    if not _RATE_LIMIT.fullmatch(text):
        raise SettingsError(f"{name}={text!r} is not a rate limit such as '10 per minute'")
    return text


def _is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (``127.0.0.1``, ``::1``, ``localhost``)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[] ")).is_loopback
    except ValueError:
        return False


def _oidc(env: Mapping[str, str]) -> OidcConfig | None:
    """Single sign-on from CARELENS_OIDC_*: issuer, client id and secret together or not at all."""
    names = ("CARELENS_OIDC_ISSUER", "CARELENS_OIDC_CLIENT_ID", "CARELENS_OIDC_CLIENT_SECRET")
    values = [env.get(name, "").strip() for name in names]
    if not any(values):
        return None
    missing = [name for name, value in zip(names, values, strict=True) if not value]
    if missing:
        raise SettingsError(
            f"single sign-on needs all of {', '.join(names)}; {', '.join(missing)} not set"
        )
    issuer, client_id, client_secret = values
    parts = urlsplit(issuer)
    local = parts.scheme == "http" and _is_loopback(parts.hostname or "")
    if not parts.hostname or (parts.scheme != "https" and not local):
        raise SettingsError(
            f"CARELENS_OIDC_ISSUER={issuer!r} must be an https:// URL (http:// only on loopback)"
        )
    claim = env.get("CARELENS_OIDC_USERNAME_CLAIM", "").strip() or "email"
    display_name = env.get("CARELENS_OIDC_DISPLAY_NAME", "").strip() or "single sign-on"
    return OidcConfig(
        issuer=issuer.rstrip("/"),
        client_id=client_id,
        client_secret=client_secret,
        username_claim=claim,
        display_name=display_name,
    )


def _key_from_file(path: Path, *, label: str, min_length: int) -> bytes:
    """A key kept in a file, created (mode 0600, 32 random bytes as hex) if missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    key = path.read_text().strip()
    if len(key) < min_length:
        raise SettingsError(f"{path}: {label} is shorter than {min_length} characters")
    return key.encode()


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the commands need, resolved from the environment once."""

    warehouse_path: Path
    pseudonym_key_file: Path
    pseudonym_key_env: str | None
    late_dose_minutes: int = 60
    """CARELENS_LATE_DOSE_MINUTES: a given dose is late after this (spec 4, eMAR)."""
    late_dose_minutes_time_critical: int = 30
    """CARELENS_LATE_DOSE_MINUTES_TIME_CRITICAL: the same for time-critical medicines."""
    row_count_tolerance: float = 0.5
    """CARELENS_ROW_COUNT_TOLERANCE: table-check warning on row-count change against last load."""
    freshness_days: int = 45
    """CARELENS_FRESHNESS_DAYS: table-check warning when a provider's latest export is older."""
    occupancy_tolerance: float = 0.10
    """CARELENS_OCCUPANCY_TOLERANCE: occupancy.csv and stays may differ by this share a month."""
    accounts_path: Path = Path("data/accounts.sqlite3")
    """CARELENS_ACCOUNTS: SQLite file of accounts, sessions and the access audit trail
    (default: accounts.sqlite3 beside the warehouse)."""
    secret_key_file: Path = Path("data/session.key")
    """CARELENS_SECRET_KEY_FILE: file holding the key that signs session cookies (default:
    session.key beside the warehouse; created, mode 0600, the first time ``serve`` runs)."""
    secret_key_env: str | None = None
    """CARELENS_SECRET_KEY: the cookie-signing key itself (at least 32 characters); takes
    precedence over the file."""
    session_idle_minutes: int = 30
    """CARELENS_SESSION_IDLE_MINUTES: a session ends after this long without a request.
    OWASP's Session Management Cheat Sheet gives 15 to 30 minutes for low-risk applications;
    NIST SP 800-63B (rev. 3, 4.2.3, AAL2) requires re-authentication after 30 minutes idle."""
    session_absolute_hours: int = 12
    """CARELENS_SESSION_ABSOLUTE_HOURS: a session ends this long after sign-in, however busy.
    OWASP's cheat sheet sizes it to how long people work in the application (4 to 8 hours
    for an office day); care homes work 12-hour shifts, the most NIST SP 800-63B (rev. 3,
    4.2.3, AAL2) allows before re-authentication."""
    lockout_attempts: int = 5
    """CARELENS_LOCKOUT_ATTEMPTS: consecutive failed sign-ins (password or code) that lock an
    account. NIST SP 800-63B (5.2.2) caps consecutive failures at 100 and NCSC's password
    guidance suggests about 10 before locking; 5 with a 15-minute lock allows at most 480
    guesses a day while a user who mistyped waits a quarter of an hour."""
    lockout_minutes: int = 15
    """CARELENS_LOCKOUT_MINUTES: how long a locked account stays locked (a lock that lifts by
    itself, so that an attacker cannot lock users out for good; NCSC, NIST SP 800-63B 5.2.2)."""
    sign_in_rate_limit: str = "10 per minute"
    """CARELENS_SIGN_IN_RATE_LIMIT: sign-in attempts allowed per client address
    (flask-limiter syntax), throttling guessing across many usernames (NIST SP 800-63B 5.2.2)."""
    cookie_secure: bool | None = None
    """CARELENS_COOKIE_SECURE: send cookies over HTTPS only. Unset: on, unless ``serve`` binds
    a loopback address (a plain-HTTP demo on this machine)."""
    max_request_bytes: int = 1024 * 1024
    """CARELENS_MAX_REQUEST_BYTES: larger request bodies are refused with 413 (default 1 MiB)."""
    trusted_proxies: int = 0
    """CARELENS_TRUSTED_PROXIES: how many reverse proxies (TLS terminators) stand in front of
    ``serve``; their X-Forwarded-For/-Proto/-Host headers are then believed (werkzeug ProxyFix),
    so rate limits and the audit trail see the client's address and OIDC redirects use https.
    0 (the default) believes no such header: a client could forge them."""
    oidc: OidcConfig | None = None
    """CARELENS_OIDC_ISSUER, _CLIENT_ID, _CLIENT_SECRET (all or none), _USERNAME_CLAIM
    (default ``email``), _DISPLAY_NAME: single sign-on through OpenID Connect."""

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, warehouse: Path | None = None) -> Settings:
        """Build settings from a mapping (os.environ in the CLI, a dict in tests)."""
        warehouse_path = warehouse or Path(env.get("CARELENS_WAREHOUSE", str(DEFAULT_WAREHOUSE)))
        data_dir = warehouse_path.parent
        key_file = Path(env.get("CARELENS_PSEUDONYM_KEY_FILE", str(data_dir / "pseudonym.key")))
        return cls(
            warehouse_path=warehouse_path,
            pseudonym_key_file=key_file,
            pseudonym_key_env=env.get("CARELENS_PSEUDONYM_KEY"),
            late_dose_minutes=int(
                _number(env, "CARELENS_LATE_DOSE_MINUTES", 60, low=1, high=24 * 60)
            ),
            late_dose_minutes_time_critical=int(
                _number(env, "CARELENS_LATE_DOSE_MINUTES_TIME_CRITICAL", 30, low=1, high=24 * 60)
            ),
            row_count_tolerance=_number(env, "CARELENS_ROW_COUNT_TOLERANCE", 0.5, low=0, high=100),
            freshness_days=int(_number(env, "CARELENS_FRESHNESS_DAYS", 45, low=1, high=3650)),
            occupancy_tolerance=_number(env, "CARELENS_OCCUPANCY_TOLERANCE", 0.1, low=0, high=1),
            accounts_path=Path(
                env.get("CARELENS_ACCOUNTS", "").strip() or data_dir / "accounts.sqlite3"
            ),
            secret_key_file=Path(
                env.get("CARELENS_SECRET_KEY_FILE", "").strip() or data_dir / "session.key"
            ),
            secret_key_env=env.get("CARELENS_SECRET_KEY") or None,
            session_idle_minutes=_integer(
                env, "CARELENS_SESSION_IDLE_MINUTES", 30, low=1, high=24 * 60
            ),
            session_absolute_hours=_integer(
                env, "CARELENS_SESSION_ABSOLUTE_HOURS", 12, low=1, high=7 * 24
            ),
            lockout_attempts=_integer(env, "CARELENS_LOCKOUT_ATTEMPTS", 5, low=1, high=100),
            lockout_minutes=_integer(env, "CARELENS_LOCKOUT_MINUTES", 15, low=1, high=24 * 60),
            sign_in_rate_limit=_rate_limit(env, "CARELENS_SIGN_IN_RATE_LIMIT", "10 per minute"),
            cookie_secure=_boolean(env, "CARELENS_COOKIE_SECURE"),
            max_request_bytes=_integer(
                env, "CARELENS_MAX_REQUEST_BYTES", 1024 * 1024, low=16 * 1024, high=1024**3
            ),
            trusted_proxies=_integer(env, "CARELENS_TRUSTED_PROXIES", 0, low=0, high=5),
            oidc=_oidc(env),
        )

    def pseudonym_key(self) -> bytes:
        """The NHS-number hashing key: from CARELENS_PSEUDONYM_KEY, else the key file.

        A key file is created (mode 0600, 32 random bytes) the first time a load runs without
        one, outside the warehouse, so that one installation always hashes the same number to
        the same pseudonym.
        """
        if self.pseudonym_key_env:
            if len(self.pseudonym_key_env) < 16:
                raise SettingsError("CARELENS_PSEUDONYM_KEY must be at least 16 characters")
            return self.pseudonym_key_env.encode()
        return _key_from_file(self.pseudonym_key_file, label="pseudonym key", min_length=16)

    def secret_key(self) -> bytes:
        """The key that signs session cookies: from CARELENS_SECRET_KEY, else the key file.

        The key file is created (mode 0600, 32 random bytes as hex) the first time the
        dashboard is served without one. Changing the key signs everybody out.
        """
        if self.secret_key_env is not None:
            if len(self.secret_key_env) < MIN_SECRET_KEY_LENGTH:
                raise SettingsError(
                    f"CARELENS_SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters"
                )
            return self.secret_key_env.encode()
        return _key_from_file(
            self.secret_key_file, label="session secret key", min_length=MIN_SECRET_KEY_LENGTH
        )

    def dashboard_config(self, *, host: str) -> DashboardConfig:
        """The configuration of the web app served on ``host`` (creates the key file if needed).

        Cookies are marked Secure unless CARELENS_COOKIE_SECURE says otherwise or, when it is
        unset, ``host`` is a loopback address (plain HTTP on this machine only).
        """
        cookie_secure = self.cookie_secure
        if cookie_secure is None:
            cookie_secure = not _is_loopback(host)
        return DashboardConfig(
            warehouse_path=self.warehouse_path,
            data_docs_dir=self.warehouse_path.parent / "data_docs",
            accounts_path=self.accounts_path,
            secret_key=self.secret_key(),
            session_idle_minutes=self.session_idle_minutes,
            session_absolute_hours=self.session_absolute_hours,
            lockout_attempts=self.lockout_attempts,
            lockout_minutes=self.lockout_minutes,
            sign_in_rate_limit=self.sign_in_rate_limit,
            cookie_secure=cookie_secure,
            max_request_bytes=self.max_request_bytes,
            trusted_proxies=self.trusted_proxies,
            oidc=self.oidc,
        )

    def pipeline_config(self, *, show_progress: bool) -> PipelineConfig:
        """The configuration of a nightly load."""
        return PipelineConfig(
            warehouse_path=self.warehouse_path,
            pseudonym_key=self.pseudonym_key(),
            data_docs_dir=self.warehouse_path.parent / "data_docs",
            row_count_tolerance=self.row_count_tolerance,
            freshness_days=self.freshness_days,
            occupancy_tolerance=self.occupancy_tolerance,
            late_dose_minutes=self.late_dose_minutes,
            late_dose_minutes_time_critical=self.late_dose_minutes_time_critical,
            accounts_path=self.accounts_path,
            show_progress=show_progress,
        )
