"""Account store: adding, listing and changing accounts, and the file it keeps them in."""

from __future__ import annotations

import sqlite3
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest
from accounts_testkit import PASSWORD, PROVIDER, T0, add_owner, make_store

from dashboards.accounts import (
    AccountError,
    AccountExistsError,
    AccountStatus,
    UnknownAccountError,
)
from dashboards.roles import Role, Scope, ScopeError


def test_new_file_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    # When a store is opened on a path that does not exist
    store = make_store(tmp_path)

    # Then the file is readable by its owner only and uses write-ahead logging
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    with sqlite3.connect(store.path) as connection:
        assert connection.execute("pragma journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in connection.execute("select name from sqlite_master")}
    assert {"users", "sessions", "access_log"} <= tables


def test_reopening_keeps_accounts(tmp_path: Path) -> None:
    # Given an account in a store
    add_owner(make_store(tmp_path))

    # When the file is opened again
    account = make_store(tmp_path).get_user("alice")

    # Then the account is still there
    assert account is not None
    assert account.roles == {Role.OWNER}


def test_added_account_reads_back_with_roles_scope_and_expiry(tmp_path: Path) -> None:
    # Given a store
    store = make_store(tmp_path)

    # When a quality lead limited to two locations is added with mixed-case name
    store.add_user(
        "Q.Lead@example.org",
        roles=frozenset({Role.QUALITY_LEAD, Role.ADMIN}),
        scope=Scope(provider_id=PROVIDER, location_ids=frozenset({"1-000000002", "1-000000001"})),
        password=PASSWORD,
        expires_on=date(2026, 12, 31),
        now=T0,
    )

    # Then it reads back under its lower-case name, whatever case is asked for
    account = store.get_user("q.lead@EXAMPLE.org")
    assert account is not None
    assert account.username == "q.lead@example.org"
    assert account.roles == {Role.QUALITY_LEAD, Role.ADMIN}
    assert account.scope == Scope(
        provider_id=PROVIDER, location_ids=frozenset({"1-000000001", "1-000000002"})
    )
    assert account.expires_on == date(2026, 12, 31)
    assert account.created_at == T0
    assert (account.has_password, account.has_totp, account.is_disabled) == (True, False, False)
    assert (account.failed_attempts, account.locked_until, account.last_sign_in_at) == (
        0,
        None,
        None,
    )
    assert account.status(now=T0) is AccountStatus.ACTIVE


def test_identity_carries_roles_scope_and_method(tmp_path: Path) -> None:
    account = add_owner(make_store(tmp_path))

    identity = account.identity(auth_method="password+totp", request_id="abc")

    assert identity.username == "alice"
    assert identity.data_role is Role.OWNER
    assert identity.scope.provider_id == PROVIDER
    assert (identity.auth_method, identity.request_id) == ("password+totp", "abc")


def test_list_users_is_sorted_by_name(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    for name in ("carol", "alice", "bob"):
        add_owner(store, name)

    assert [account.username for account in store.list_users()] == ["alice", "bob", "carol"]


def test_a_taken_name_is_refused_whatever_its_case(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    add_owner(store, "alice")

    with pytest.raises(AccountExistsError, match="already exists"):
        add_owner(store, "ALICE")


@pytest.mark.parametrize("username", ["ab", "has space", "semi;colon", "x" * 255, ""])
def test_malformed_usernames_are_refused(tmp_path: Path, username: str) -> None:
    with pytest.raises(AccountError, match="not a valid username"):
        add_owner(make_store(tmp_path), username)


def test_two_data_roles_are_refused(tmp_path: Path) -> None:
    with pytest.raises(AccountError, match="at most one data role"):
        make_store(tmp_path).add_user(
            "alice",
            roles=frozenset({Role.OWNER, Role.QUALITY_LEAD}),
            scope=Scope(provider_id=PROVIDER),
            password=PASSWORD,
            now=T0,
        )


def test_an_inspector_needs_an_expiry_date(tmp_path: Path) -> None:
    with pytest.raises(AccountError, match="needs an expiry date"):
        make_store(tmp_path).add_user(
            "inspector",
            roles=frozenset({Role.INSPECTOR}),
            scope=Scope(provider_id=PROVIDER),
            password=PASSWORD,
            now=T0,
        )


@pytest.mark.parametrize(
    ("roles", "scope"),
    [
        ({Role.ICB_LEAD}, Scope(provider_id=PROVIDER)),
        ({Role.OWNER}, Scope(icb_code="QOP")),
        ({Role.OWNER}, Scope()),
        ({Role.ADMIN}, Scope(provider_id=PROVIDER)),
        ({Role.OWNER}, Scope(provider_id=PROVIDER, location_ids=frozenset({"1-000000001"}))),
        ({Role.ICB_LEAD}, Scope(provider_id=PROVIDER, icb_code="QOP")),
    ],
)
def test_a_scope_that_does_not_fit_the_role_is_refused(
    tmp_path: Path, roles: set[Role], scope: Scope
) -> None:
    # When an account is added with a scope of the wrong kind
    # Then it is refused and nothing is stored
    store = make_store(tmp_path)
    with pytest.raises(ScopeError):
        store.add_user("alice", roles=frozenset(roles), scope=scope, password=PASSWORD, now=T0)
    assert store.list_users() == []


def test_an_admin_without_data_role_has_no_scope(tmp_path: Path) -> None:
    account = make_store(tmp_path).add_user(
        "root-admin", roles=frozenset({Role.ADMIN}), scope=Scope(), password=PASSWORD, now=T0
    )

    assert account.scope.describe() == "none"


def test_disable_then_enable(tmp_path: Path) -> None:
    # Given an account
    store = make_store(tmp_path)
    add_owner(store)

    # When it is disabled, then enabled again
    disabled = store.set_disabled("alice", disabled=True, now=T0)
    enabled = store.set_disabled("alice", disabled=False, now=T0)

    # Then its status follows
    assert disabled.status(now=T0) is AccountStatus.DISABLED
    assert enabled.status(now=T0) is AccountStatus.ACTIVE


def test_update_user_changes_roles_scope_and_expiry(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    add_owner(store)

    account = store.update_user(
        "alice",
        roles=frozenset({Role.ICB_LEAD}),
        scope=Scope(icb_code="QOP"),
        expires_on=date(2027, 1, 1),
        now=T0,
    )

    assert account.roles == {Role.ICB_LEAD}
    assert account.scope == Scope(icb_code="QOP")
    assert account.expires_on == date(2027, 1, 1)


def test_changes_to_an_unknown_account_are_refused(tmp_path: Path) -> None:
    store = make_store(tmp_path)

    with pytest.raises(UnknownAccountError, match="no account named 'nobody'"):
        store.set_disabled("nobody", disabled=True, now=T0)
    with pytest.raises(UnknownAccountError):
        store.unlock("nobody", now=T0)
    with pytest.raises(UnknownAccountError):
        store.set_password("nobody", PASSWORD, now=T0)
    with pytest.raises(UnknownAccountError):
        store.enable_totp("nobody", now=T0)


def test_expired_status_starts_the_day_after_the_last_day(tmp_path: Path) -> None:
    # Given an account whose last day is 2 March 2026 (T0's date)
    account = add_owner(make_store(tmp_path), expires_on=T0.date())

    # Then it is active all that day and expired from midnight
    end_of_day = T0.replace(hour=23, minute=59)
    assert account.status(now=end_of_day) is AccountStatus.ACTIVE
    assert account.status(now=end_of_day + timedelta(minutes=1)) is AccountStatus.EXPIRED
