"""Account store sign-in: passwords, lockout, disabled and expired accounts, TOTP codes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from accounts_testkit import PASSWORD, PROVIDER, T0, add_owner, make_store

from dashboards.accounts import AccountStore, SignInOutcome, SignInResult
from dashboards.roles import Role, Scope

ATTEMPTS = 5
MINUTES = 15


def _password(store: AccountStore, password: str, *, now: datetime = T0) -> SignInResult:
    return store.check_password(
        "alice", password, now=now, lockout_attempts=ATTEMPTS, lockout_minutes=MINUTES
    )


def _code(store: AccountStore, code: str, *, now: datetime = T0) -> SignInResult:
    return store.check_totp(
        "alice", code, now=now, lockout_attempts=ATTEMPTS, lockout_minutes=MINUTES
    )


def test_the_right_password_signs_in(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    add_owner(store)

    result = _password(store, PASSWORD)

    assert result.outcome is SignInOutcome.OK
    assert result.account is not None
    assert result.account.username == "alice"


def test_an_unknown_username_is_wrong_credentials_without_an_account(tmp_path: Path) -> None:
    store = make_store(tmp_path)

    result = store.check_password(
        "mallory", PASSWORD, now=T0, lockout_attempts=ATTEMPTS, lockout_minutes=MINUTES
    )

    assert result == SignInResult(SignInOutcome.WRONG_CREDENTIALS, None)


def test_five_failures_lock_the_account_for_fifteen_minutes(tmp_path: Path) -> None:
    # Given an account
    store = make_store(tmp_path)
    add_owner(store)

    # When the wrong password is given five times in a row
    outcomes = [_password(store, "wrong password", now=T0).outcome for _ in range(ATTEMPTS)]

    # Then the first four are wrong credentials and the fifth locks the account
    assert outcomes == [SignInOutcome.WRONG_CREDENTIALS] * 4 + [SignInOutcome.LOCKED]
    account = store.get_user("alice")
    assert account is not None
    assert account.locked_until == T0 + timedelta(minutes=15)
    # And even the right password is refused until the lock runs out
    assert _password(store, PASSWORD, now=T0 + timedelta(minutes=14, seconds=59)).outcome is (
        SignInOutcome.LOCKED
    )
    # And at 15 minutes the right password works again and the count is forgotten
    result = _password(store, PASSWORD, now=T0 + timedelta(minutes=15))
    assert result.outcome is SignInOutcome.OK
    assert result.account is not None
    assert (result.account.failed_attempts, result.account.locked_until) == (0, None)


def test_after_a_lock_runs_out_the_count_starts_again(tmp_path: Path) -> None:
    # Given an account locked at T0
    store = make_store(tmp_path)
    add_owner(store)
    for _ in range(ATTEMPTS):
        _password(store, "wrong password")

    # When one more wrong password comes after the lock ran out
    result = _password(store, "wrong password", now=T0 + timedelta(minutes=20))

    # Then it is one failure, not a new lock
    assert result.outcome is SignInOutcome.WRONG_CREDENTIALS
    assert result.account is not None
    assert (result.account.failed_attempts, result.account.locked_until) == (1, None)


def test_a_success_forgets_earlier_failures(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    add_owner(store)
    for _ in range(ATTEMPTS - 1):
        _password(store, "wrong password")

    _password(store, PASSWORD)
    outcomes = [_password(store, "wrong password").outcome for _ in range(ATTEMPTS - 1)]

    assert SignInOutcome.LOCKED not in outcomes


def test_unlock_lifts_a_lock_at_once(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    add_owner(store)
    for _ in range(ATTEMPTS):
        _password(store, "wrong password")

    store.unlock("alice", now=T0)

    assert _password(store, PASSWORD).outcome is SignInOutcome.OK


def test_a_disabled_account_is_refused_only_once_the_password_is_right(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    add_owner(store)
    store.set_disabled("alice", disabled=True, now=T0)

    assert _password(store, "wrong password").outcome is SignInOutcome.WRONG_CREDENTIALS
    assert _password(store, PASSWORD).outcome is SignInOutcome.DISABLED


def test_an_inspector_is_refused_from_the_uk_day_after_expiry(tmp_path: Path) -> None:
    # Given an inspector whose last day is 30 June 2026
    store = make_store(tmp_path)
    store.add_user(
        "alice",
        roles=frozenset({Role.INSPECTOR}),
        scope=Scope(provider_id=PROVIDER),
        password=PASSWORD,
        expires_on=date(2026, 6, 30),
        now=T0,
    )

    # Then at 23:30 UTC on 30 June it is already 1 July in the UK (BST): expired
    late_evening = datetime(2026, 6, 30, 22, 59, tzinfo=UTC)
    assert _password(store, PASSWORD, now=late_evening).outcome is SignInOutcome.OK
    past_midnight_uk = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert _password(store, PASSWORD, now=past_midnight_uk).outcome is SignInOutcome.EXPIRED


def test_a_single_sign_on_account_cannot_use_a_password(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    add_owner(store, password=None)

    result = _password(store, "any password at all")

    assert result.outcome is SignInOutcome.WRONG_CREDENTIALS
    assert store.find_sso_account("ALICE") == store.get_user("alice")
    assert store.find_sso_account("nobody@example.org") is None


# TOTP


@pytest.fixture
def totp_store(tmp_path: Path) -> tuple[AccountStore, pyotp.TOTP]:
    """A store with alice, who has a password and a TOTP second factor."""
    store = make_store(tmp_path)
    add_owner(store)
    secret = store.enable_totp("alice", now=T0)
    return store, pyotp.TOTP(secret)


def test_with_totp_the_password_only_leads_to_the_code(
    totp_store: tuple[AccountStore, pyotp.TOTP],
) -> None:
    store, totp = totp_store

    assert _password(store, PASSWORD).outcome is SignInOutcome.TOTP_REQUIRED
    assert _code(store, totp.at(T0)).outcome is SignInOutcome.OK


def test_codes_of_the_neighbouring_steps_are_accepted_but_not_two_away(
    totp_store: tuple[AccountStore, pyotp.TOTP],
) -> None:
    store, totp = totp_store

    assert _code(store, totp.at(T0 - timedelta(seconds=60))).outcome is (
        SignInOutcome.WRONG_CREDENTIALS
    )
    assert _code(store, totp.at(T0 - timedelta(seconds=30))).outcome is SignInOutcome.OK
    assert _code(store, totp.at(T0 + timedelta(seconds=30))).outcome is SignInOutcome.OK


def test_a_code_is_used_once(totp_store: tuple[AccountStore, pyotp.TOTP]) -> None:
    # Given a code that was just used
    store, totp = totp_store
    code = totp.at(T0)
    assert _code(store, code).outcome is SignInOutcome.OK

    # When the same code is given again within its step (e.g. replayed)
    replay = _code(store, code, now=T0 + timedelta(seconds=10))

    # Then it is refused and counts as a failure; an earlier step is refused too
    assert replay.outcome is SignInOutcome.WRONG_CREDENTIALS
    assert replay.account is not None
    assert replay.account.failed_attempts == 1
    earlier = totp.at(T0 - timedelta(seconds=30))
    assert _code(store, earlier, now=T0 + timedelta(seconds=10)).outcome is (
        SignInOutcome.WRONG_CREDENTIALS
    )
    # And the next step's code works
    assert _code(store, totp.at(T0 + timedelta(seconds=30))).outcome is SignInOutcome.OK


def test_wrong_codes_count_towards_the_lockout(
    totp_store: tuple[AccountStore, pyotp.TOTP],
) -> None:
    # Given two wrong passwords then the right one
    store, totp = totp_store
    _password(store, "wrong password")
    _password(store, "wrong password")
    assert _password(store, PASSWORD).outcome is SignInOutcome.TOTP_REQUIRED

    # When three wrong codes follow
    outcomes = [_code(store, code).outcome for code in ("000000", "12345", "abcdef")]

    # Then the fifth failure in a row locks the account, and the right code is refused
    assert outcomes == [SignInOutcome.WRONG_CREDENTIALS] * 2 + [SignInOutcome.LOCKED]
    assert _code(store, totp.at(T0)).outcome is SignInOutcome.LOCKED


def test_a_code_for_an_account_without_totp_is_wrong(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    add_owner(store)

    assert _code(store, "123456").outcome is SignInOutcome.WRONG_CREDENTIALS


def test_the_provisioning_uri_names_carelens_and_the_account(
    totp_store: tuple[AccountStore, pyotp.TOTP],
) -> None:
    store, totp = totp_store

    uri = store.totp_uri("alice", totp.secret)

    assert uri.startswith("otpauth://totp/carelens:alice?secret=")
    assert "issuer=carelens" in uri
    assert totp.secret in uri
