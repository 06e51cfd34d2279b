"""Password rules (NIST SP 800-63B) and Argon2id hashes in the account store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from accounts_testkit import PASSWORD, T0, add_owner, make_store
from argon2 import PasswordHasher

from dashboards.accounts import AccountStore, PasswordRuleError, SignInOutcome, password_problems

LOCKOUT = {"lockout_attempts": 5, "lockout_minutes": 15}


def test_a_long_passphrase_breaks_no_rule() -> None:
    assert password_problems("mauve elephants dance at noon", username="alice") == []


def test_every_broken_rule_is_listed() -> None:
    # When a password is short, is the username and is one character repeated
    problems = password_problems("aaaa", username="AAAA")

    # Then all three reasons are given, in order
    assert problems == [
        "it must be at least 12 characters long",
        "it must not be the username",
        "it must not be one character repeated",
    ]


@pytest.mark.parametrize(
    "password", ["password1234", "Password1234!", "qwertyuiop123", "123456789012", "CareLens2026!"]
)
def test_common_passwords_are_refused_also_with_digits_and_symbols_after(password: str) -> None:
    assert password_problems(password, username="alice") == ["it is a commonly used password"]


def test_length_is_counted_in_characters_from_12_to_128() -> None:
    assert password_problems("é" * 5 + "ü" * 6, username="alice") == [
        "it must be at least 12 characters long"
    ]
    assert password_problems("ab" * 64, username="alice") == []
    assert password_problems("ab" * 64 + "c", username="alice") == [
        "it must be at most 128 characters long"
    ]


def test_the_username_as_password_is_refused_whatever_the_case() -> None:
    assert password_problems("Alice.Smith@care.org", username="alice.smith@care.org") == [
        "it must not be the username"
    ]


def test_adding_with_a_bad_password_lists_the_reasons_and_stores_nothing(tmp_path: Path) -> None:
    store = make_store(tmp_path)

    with pytest.raises(PasswordRuleError) as raised:
        add_owner(store, password="short")

    assert raised.value.reasons == ["it must be at least 12 characters long"]
    assert str(raised.value) == "password refused: it must be at least 12 characters long"
    assert store.list_users() == []


def test_the_hash_is_argon2id_and_not_the_password(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    add_owner(store)

    with sqlite3.connect(store.path) as connection:
        (stored,) = connection.execute("select password_hash from users").fetchone()

    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_a_hash_with_old_parameters_is_replaced_at_sign_in(tmp_path: Path) -> None:
    # Given an account hashed with weaker parameters than the hasher now uses
    old = AccountStore(
        tmp_path / "a.sqlite3", hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    add_owner(old)
    new = AccountStore(
        tmp_path / "a.sqlite3", hasher=PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    )

    # When the user signs in with the new hasher
    result = new.check_password("alice", PASSWORD, now=T0, **LOCKOUT)

    # Then sign-in succeeds and the stored hash now has the new parameters
    assert result.outcome is SignInOutcome.OK
    with sqlite3.connect(new.path) as connection:
        (stored,) = connection.execute("select password_hash from users").fetchone()
    assert "m=16,t=2" in stored
    assert new.check_password("alice", PASSWORD, now=T0, **LOCKOUT).outcome is SignInOutcome.OK


def test_set_password_replaces_the_old_one(tmp_path: Path) -> None:
    store = make_store(tmp_path)
    add_owner(store)

    store.set_password("alice", "a whole new passphrase", now=T0)

    assert store.check_password("alice", PASSWORD, now=T0, **LOCKOUT).outcome is (
        SignInOutcome.WRONG_CREDENTIALS
    )
    assert store.check_password("alice", "a whole new passphrase", now=T0, **LOCKOUT).outcome is (
        SignInOutcome.OK
    )


def test_equal_looking_passwords_match_after_normalisation(tmp_path: Path) -> None:
    # Given a password with a precomposed é
    store = make_store(tmp_path)
    add_owner(store, password="caf\u00e9 au lait please")

    # When it is typed with e and a combining accent
    result = store.check_password("alice", "cafe\u0301 au lait please", now=T0, **LOCKOUT)

    # Then it matches
    assert result.outcome is SignInOutcome.OK
