"""Settings: sign-in variables, their defaults, validation and the dashboard configuration."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from limits import parse_many

from carelens.settings import Settings, SettingsError
from dashboards.config import OidcConfig

OIDC = {
    "CARELENS_OIDC_ISSUER": "https://login.example.org/tenant/v2.0/",
    "CARELENS_OIDC_CLIENT_ID": "carelens-client",
    "CARELENS_OIDC_CLIENT_SECRET": "s3cret-value",
}


def _settings(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env(env, warehouse=tmp_path / "carelens.duckdb")


def test_sign_in_defaults_sit_beside_the_warehouse(tmp_path: Path) -> None:
    # When no sign-in variable is set
    settings = _settings(tmp_path)

    # Then the accounts and key files are beside the warehouse and the defaults apply
    assert settings.accounts_path == tmp_path / "accounts.sqlite3"
    assert settings.secret_key_file == tmp_path / "session.key"
    assert (settings.session_idle_minutes, settings.session_absolute_hours) == (30, 12)
    assert (settings.lockout_attempts, settings.lockout_minutes) == (5, 15)
    assert settings.sign_in_rate_limit == "10 per minute"
    assert settings.max_request_bytes == 1_048_576
    assert settings.cookie_secure is None
    assert settings.oidc is None


def test_every_sign_in_variable_is_read(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        CARELENS_ACCOUNTS=str(tmp_path / "elsewhere.sqlite3"),
        CARELENS_SECRET_KEY_FILE=str(tmp_path / "keys" / "cookie.key"),
        CARELENS_SESSION_IDLE_MINUTES="15",
        CARELENS_SESSION_ABSOLUTE_HOURS="8",
        CARELENS_LOCKOUT_ATTEMPTS="10",
        CARELENS_LOCKOUT_MINUTES="30",
        CARELENS_SIGN_IN_RATE_LIMIT="5 per minute; 100 per hour",
        CARELENS_COOKIE_SECURE="false",
        CARELENS_MAX_REQUEST_BYTES="65536",
    )

    config = settings.dashboard_config(host="0.0.0.0")  # noqa: S104 - a host name, not a bind

    assert config.accounts_path == tmp_path / "elsewhere.sqlite3"
    assert (tmp_path / "keys" / "cookie.key").exists()
    assert (config.session_idle_minutes, config.session_absolute_hours) == (15, 8)
    assert (config.lockout_attempts, config.lockout_minutes) == (10, 30)
    assert config.sign_in_rate_limit == "5 per minute; 100 per hour"
    assert config.cookie_secure is False
    assert config.max_request_bytes == 65536


@pytest.mark.parametrize(
    ("host", "secure"),
    [("127.0.0.1", False), ("localhost", False), ("::1", False), ("0.0.0.0", True),  # noqa: S104
     ("192.168.1.20", True), ("carelens.example.org", True)],
)  # fmt: skip
def test_cookies_are_secure_unless_served_on_loopback(
    tmp_path: Path, host: str, secure: bool
) -> None:
    assert _settings(tmp_path).dashboard_config(host=host).cookie_secure is secure


def test_an_explicit_cookie_setting_wins_over_the_host(tmp_path: Path) -> None:
    settings = _settings(tmp_path, CARELENS_COOKIE_SECURE="yes")

    assert settings.dashboard_config(host="127.0.0.1").cookie_secure is True


def test_dashboard_config_carries_the_paths_and_no_oidc_by_default(tmp_path: Path) -> None:
    config = _settings(tmp_path).dashboard_config(host="127.0.0.1")

    assert config.warehouse_path == tmp_path / "carelens.duckdb"
    assert config.data_docs_dir == tmp_path / "data_docs"
    assert config.accounts_path == tmp_path / "accounts.sqlite3"
    assert config.oidc is None


# Secret key


def test_the_secret_key_file_is_created_private_once_and_reused(tmp_path: Path) -> None:
    # Given no key file
    settings = _settings(tmp_path)

    # When the key is asked for twice
    first = settings.secret_key()
    second = settings.secret_key()

    # Then a 0600 file holds 32 random bytes as 64 hex characters, the same both times
    key_file = tmp_path / "session.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first) == 64
    assert int(first, 16) >= 0
    assert first == second == key_file.read_text().encode()


def test_the_secret_key_variable_takes_precedence(tmp_path: Path) -> None:
    settings = _settings(tmp_path, CARELENS_SECRET_KEY="k" * 32)

    assert settings.dashboard_config(host="127.0.0.1").secret_key == b"k" * 32
    assert not (tmp_path / "session.key").exists()


def test_a_short_secret_key_variable_is_refused(tmp_path: Path) -> None:
    settings = _settings(tmp_path, CARELENS_SECRET_KEY="k" * 31)

    with pytest.raises(SettingsError, match="CARELENS_SECRET_KEY must be at least 32 characters"):
        settings.secret_key()


def test_a_short_secret_key_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "session.key").write_text("too short\n")

    with pytest.raises(SettingsError, match="session secret key is shorter than 32 characters"):
        _settings(tmp_path).secret_key()


# Validation


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CARELENS_SESSION_IDLE_MINUTES", "half an hour", "is not a number"),
        ("CARELENS_SESSION_IDLE_MINUTES", "0", "must be between 1 and 1440"),
        ("CARELENS_SESSION_IDLE_MINUTES", "7.5", "must be a whole number"),
        ("CARELENS_SESSION_ABSOLUTE_HOURS", "169", "must be between 1 and 168"),
        ("CARELENS_LOCKOUT_ATTEMPTS", "101", "must be between 1 and 100"),
        ("CARELENS_LOCKOUT_MINUTES", "-5", "must be between 1 and 1440"),
        ("CARELENS_MAX_REQUEST_BYTES", "1000", "must be between 16384 and"),
        ("CARELENS_SIGN_IN_RATE_LIMIT", "ten a minute", "is not a rate limit"),
        ("CARELENS_SIGN_IN_RATE_LIMIT", "10 per fortnight", "is not a rate limit"),
        ("CARELENS_COOKIE_SECURE", "maybe", "must be true or false"),
        ("CARELENS_TRUSTED_PROXIES", "6", "must be between 0 and 5"),
    ],
)
def test_malformed_values_are_refused_with_the_variable_named(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    with pytest.raises(SettingsError, match=f"{name}=.*{message}"):
        _settings(tmp_path, **{name: value})


def test_trusted_proxies_reach_the_dashboard_config(tmp_path: Path) -> None:
    settings = _settings(tmp_path, CARELENS_TRUSTED_PROXIES="1")
    assert settings.dashboard_config(host="127.0.0.1").trusted_proxies == 1
    assert _settings(tmp_path).dashboard_config(host="127.0.0.1").trusted_proxies == 0


@pytest.mark.parametrize("limit", ["10 per minute", "10/minute", "3 per 10 seconds", "1/day"])
def test_rate_limits_in_flask_limiter_syntax_are_accepted(tmp_path: Path, limit: str) -> None:
    # The same strings parse in flask-limiter's own parser
    assert [str(item) for item in parse_many(limit)]
    assert _settings(tmp_path, CARELENS_SIGN_IN_RATE_LIMIT=limit).sign_in_rate_limit == limit


# OpenID Connect


def test_oidc_is_built_from_issuer_client_id_and_secret(tmp_path: Path) -> None:
    settings = _settings(tmp_path, **OIDC)

    assert settings.oidc == OidcConfig(
        issuer="https://login.example.org/tenant/v2.0",
        client_id="carelens-client",
        client_secret="s3cret-value",
        username_claim="email",
        display_name="single sign-on",
    )
    assert settings.dashboard_config(host="127.0.0.1").oidc == settings.oidc


def test_oidc_claim_and_button_label_can_be_set(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        **OIDC,
        CARELENS_OIDC_USERNAME_CLAIM="preferred_username",
        CARELENS_OIDC_DISPLAY_NAME="NHS CIS2",
    )

    assert settings.oidc is not None
    assert (settings.oidc.username_claim, settings.oidc.display_name) == (
        "preferred_username",
        "NHS CIS2",
    )


@pytest.mark.parametrize("missing", sorted(OIDC))
def test_a_partial_oidc_configuration_is_refused(tmp_path: Path, missing: str) -> None:
    env = {name: value for name, value in OIDC.items() if name != missing}

    with pytest.raises(SettingsError, match=f"single sign-on needs all of .*; {missing} not set"):
        _settings(tmp_path, **env)


@pytest.mark.parametrize(
    ("issuer", "accepted"),
    [
        ("http://login.example.org", False),
        ("login.example.org", False),
        ("http://127.0.0.1:8765", True),
        ("http://localhost:8765/realms/test", True),
    ],
)
def test_the_issuer_must_be_https_except_on_loopback(
    tmp_path: Path, issuer: str, accepted: bool
) -> None:
    env = {**OIDC, "CARELENS_OIDC_ISSUER": issuer}

    if accepted:
        assert _settings(tmp_path, **env).oidc is not None
    else:
        with pytest.raises(SettingsError, match="must be an https:// URL"):
            _settings(tmp_path, **env)
