"""Helpers for the account store tests: a store with a cheap hasher, fixed instants, accounts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from argon2 import PasswordHasher

from dashboards.accounts import Account, AccountStore
from dashboards.roles import Role, Scope

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
"""A Monday morning in winter (UK time = UTC)."""
PASSWORD = "correct horse battery"
PROVIDER = "1-101641521"
LOCATION = "1-112233445"
OTHER_LOCATION = "1-112233446"


def fast_hasher() -> PasswordHasher:
    """Argon2id with tiny parameters: the store's logic without 150 ms per hash."""
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def make_store(tmp_path: Path) -> AccountStore:
    """A fresh store in ``tmp_path``."""
    return AccountStore(tmp_path / "accounts.sqlite3", hasher=fast_hasher())


def add_owner(
    store: AccountStore,
    username: str = "alice",
    *,
    password: str | None = PASSWORD,
    expires_on: date | None = None,
) -> Account:
    """An owner of PROVIDER."""
    return store.add_user(
        username,
        roles=frozenset({Role.OWNER}),
        scope=Scope(provider_id=PROVIDER),
        password=password,
        expires_on=expires_on,
        now=T0,
    )
