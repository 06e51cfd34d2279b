"""Account store sessions: tokens kept only as hashes, idle and absolute timeouts, ends."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from accounts_testkit import T0, add_owner, make_store

from dashboards.accounts import AccessEventKind, AccountError, AccountStore, SessionInfo

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)


def _resume(store: AccountStore, token: str, *, after: timedelta) -> SessionInfo | None:
    return store.resume_session(token, now=T0 + after, idle=IDLE, absolute=ABSOLUTE)


@pytest.fixture
def store(tmp_path: Path) -> AccountStore:
    """A store with alice, an owner."""
    store = make_store(tmp_path)
    add_owner(store)
    return store


def test_an_open_session_resumes_with_its_account_and_csrf_token(store: AccountStore) -> None:
    # Given a session opened at T0
    token, csrf_token = store.open_session("alice", auth_method="password", now=T0)

    # When it is resumed a minute later
    session = _resume(store, token, after=timedelta(minutes=1))

    # Then it belongs to alice, with the CSRF token handed out at sign-in
    assert session is not None
    assert session.account.username == "alice"
    assert (session.auth_method, session.csrf_token) == ("password", csrf_token)
    assert session.created_at == T0
    assert token != csrf_token
    assert len(token) >= 43  # 32 random bytes, base64url
    # And the sign-in time is recorded on the account
    assert session.account.last_sign_in_at == T0


def test_only_the_tokens_hash_is_stored(store: AccountStore) -> None:
    token, _ = store.open_session("alice", auth_method="password", now=T0)

    with sqlite3.connect(store.path) as connection:
        rows = connection.execute("select * from sessions").fetchall()

    assert len(rows) == 1
    assert token not in repr(rows)
    assert hashlib.sha256(token.encode()).hexdigest() in rows[0]


def test_last_seen_is_written_at_most_every_30_seconds(store: AccountStore) -> None:
    token, _ = store.open_session("alice", auth_method="password", now=T0)

    first = _resume(store, token, after=timedelta(seconds=20))
    second = _resume(store, token, after=timedelta(seconds=40))
    third = _resume(store, token, after=timedelta(seconds=50))

    assert first is not None
    assert first.last_seen_at == T0
    assert second is not None
    assert second.last_seen_at == T0 + timedelta(seconds=40)
    assert third is not None
    assert third.last_seen_at == T0 + timedelta(seconds=40)


def test_a_session_idle_for_more_than_30_minutes_ends(store: AccountStore) -> None:
    # Given a session last used at T0 + 10 minutes
    token, _ = store.open_session("alice", auth_method="password", now=T0)
    assert _resume(store, token, after=timedelta(minutes=10)) is not None

    # When the next request comes 30 minutes and 1 second later
    ended = _resume(store, token, after=timedelta(minutes=40, seconds=1))

    # Then the session is over, for good, and the audit trail says why
    assert ended is None
    assert _resume(store, token, after=timedelta(minutes=41)) is None
    events = store.access_events(kind=AccessEventKind.SESSION_ENDED)
    assert [(event.username, event.detail, event.role) for event in events] == [
        ("alice", "idle timeout", "owner")
    ]


def test_a_session_kept_busy_still_ends_after_12_hours(store: AccountStore) -> None:
    # Given a session used every 20 minutes
    token, _ = store.open_session("alice", auth_method="password", now=T0)
    for minutes in range(20, 12 * 60 + 1, 20):
        assert _resume(store, token, after=timedelta(minutes=minutes)) is not None

    # When a request comes 12 hours and 1 second after sign-in
    ended = _resume(store, token, after=timedelta(hours=12, seconds=1))

    # Then the session is over
    assert ended is None
    (event,) = store.access_events(kind=AccessEventKind.SESSION_ENDED)
    assert event.detail == "absolute timeout"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda s: s.set_disabled("alice", disabled=True, now=T0), "account disabled"),
        (lambda s: s.set_password("alice", "a brand new passphrase", now=T0), None),
    ],
)
def test_disabling_or_a_new_password_ends_sessions(
    store: AccountStore, change: object, reason: str | None
) -> None:
    token, _ = store.open_session("alice", auth_method="password", now=T0)

    change(store)  # type: ignore[operator]

    assert _resume(store, token, after=timedelta(minutes=1)) is None


def test_a_session_ends_when_its_account_expires(tmp_path: Path) -> None:
    # Given an account whose last day is T0's date, signed in that morning
    store = make_store(tmp_path)
    add_owner(store, expires_on=T0.date())
    token, _ = store.open_session("alice", auth_method="password", now=T0)

    # Then the session lasts the day (09:00 + 14:59), not into the next one
    day = timedelta(days=1)
    evening = T0 + timedelta(hours=14, minutes=59)
    assert store.resume_session(token, now=evening, idle=day, absolute=day) is not None
    after_midnight = T0 + timedelta(hours=15, minutes=1)
    assert store.resume_session(token, now=after_midnight, idle=day, absolute=day) is None
    (event,) = store.access_events(kind=AccessEventKind.SESSION_ENDED)
    assert event.detail == "account expired"


def test_a_session_ends_when_its_account_is_locked(store: AccountStore) -> None:
    token, _ = store.open_session("alice", auth_method="password", now=T0)

    for _ in range(3):
        store.check_password("alice", "wrong guess", now=T0, lockout_attempts=3, lockout_minutes=1)

    assert _resume(store, token, after=timedelta(seconds=1)) is None


def test_signing_out_closes_the_session(store: AccountStore) -> None:
    token, _ = store.open_session("alice", auth_method="password", now=T0)

    store.close_session(token, now=T0 + timedelta(minutes=1))
    store.close_session(token, now=T0 + timedelta(minutes=2))  # twice is harmless

    assert _resume(store, token, after=timedelta(minutes=2)) is None
    assert store.access_events(kind=AccessEventKind.SESSION_ENDED) == []


@pytest.mark.parametrize("token", ["", "not-a-token", None])
def test_unknown_tokens_resume_nothing(store: AccountStore, token: str) -> None:
    assert _resume(store, token, after=timedelta(0)) is None


def test_sessions_are_not_opened_for_accounts_that_may_not_sign_in(store: AccountStore) -> None:
    store.set_disabled("alice", disabled=True, now=T0)

    with pytest.raises(AccountError, match="cannot sign in: it is disabled"):
        store.open_session("alice", auth_method="oidc", now=T0)


def test_two_sessions_of_one_account_are_independent(store: AccountStore) -> None:
    first, _ = store.open_session("alice", auth_method="password", now=T0)
    second, _ = store.open_session("alice", auth_method="password", now=T0)

    store.close_session(first, now=T0)

    assert _resume(store, first, after=timedelta(seconds=1)) is None
    assert _resume(store, second, after=timedelta(seconds=1)) is not None
