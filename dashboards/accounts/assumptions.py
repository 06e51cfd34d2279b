"""Provider assumptions: the values a provider enters for the cost and time registry.

They live in the accounts file (table ``provider_assumptions``), for the same reason as the
quality targets: the app opens the warehouse read-only and every load replaces it. The table is
an append-only history (SQLite triggers refuse updates and deletes); the latest row for a
provider and name wins and a row with no value clears it, so the registry's default (if any)
applies again. Values are stored as decimal text, so money stays exact. Every nightly load
publishes the values in force into ``reference.provider_assumptions``
(``pipelines/assumptions.py``).

These functions check names and values but not who is asking: callers check that the user
may change the provider's figures (the Time page, ``carelens users demo``) and record an
``ASSUMPTION_CHANGED`` event.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from cost_model.assumptions import AssumptionName, check_value
from cost_model.errors import AssumptionError
from dashboards.accounts.access_log import instant_text
from dashboards.accounts.errors import AccountError
from dashboards.accounts.schema import connect, transaction

MAX_NOTE_LENGTH = 300


class AssumptionEntryError(AccountError):
    """A name, value or note that cannot be stored (the message says why, for the user)."""


@dataclass(frozen=True, slots=True)
class ProviderAssumption:
    """One row of a provider's assumption history.

    Attributes:
        provider_id: The provider.
        name: The assumption.
        value: The value entered, in the registry's unit (``None``: cleared).
        note: Why, as the setter wrote it.
        set_by: The username that set it.
        set_at: When (UTC).
    """

    provider_id: str
    name: AssumptionName
    value: Decimal | None
    note: str | None
    set_by: str
    set_at: datetime


@dataclass(frozen=True, slots=True)
class AssumptionChange:
    """What one call of :func:`set_assumption` changed.

    Attributes:
        previous: The value in force before (``None``: there was none).
        current: The row just written.
    """

    previous: Decimal | None
    current: ProviderAssumption

    def describe(self) -> str:
        """One line for the audit trail, e.g. ``1-101 on_cost_share: none -> 0.3``.

        The note is left out: it is free text.
        """
        return (
            f"{self.current.provider_id} {self.current.name}: "
            f"{_value_text(self.previous)} -> {_value_text(self.current.value)}"
        )


def _value_text(value: Decimal | None) -> str:
    return "none" if value is None else f"{value.normalize():f}"


def set_assumption(
    path: Path,
    *,
    provider_id: str,
    name: str,
    value: object,
    note: str | None,
    set_by: str,
    now: datetime,
) -> AssumptionChange:
    """Append a value (or, blank, a clearing) for one of a provider's assumptions.

    Args:
        path: The accounts file (its schema must be current).
        provider_id: The provider the value is for.
        name: An :class:`~cost_model.assumptions.AssumptionName`.
        value: A number in the registry's unit (text, ``Decimal`` or int), or blank/``None``
            to clear it.
        note: Why, optionally (at most 300 characters; a measured baseline should say how it
            was measured).
        set_by: Who set it (a username).
        now: The current time.

    Raises:
        AssumptionEntryError: If the name is unknown or the value or note cannot be stored.
    """
    try:
        checked = check_value(name=name, value=value)
    except AssumptionError as error:
        raise AssumptionEntryError(str(error)) from None
    key = AssumptionName(name)
    cleaned = _clean_note(note)
    stamp = instant_text(now)
    with connect(path) as connection, transaction(connection):
        before = connection.execute(
            "select value from provider_assumptions where provider_id = ? and name = ?"
            " order by id desc limit 1",
            (provider_id, key.value),
        ).fetchone()
        connection.execute(
            "insert into provider_assumptions (provider_id, name, value, note, set_by, set_at)"
            " values (?, ?, ?, ?, ?, ?)",
            (
                provider_id,
                key.value,
                None if checked is None else str(checked),
                cleaned,
                set_by,
                stamp,
            ),
        )
    return AssumptionChange(
        previous=_decimal(before["value"]) if before else None,
        current=ProviderAssumption(
            provider_id=provider_id,
            name=key,
            value=checked,
            note=cleaned,
            set_by=set_by,
            set_at=datetime.fromisoformat(stamp),
        ),
    )


def current_assumptions(
    path: Path, *, provider_id: str
) -> dict[AssumptionName, ProviderAssumption]:
    """Return the values a provider has in force, by name (cleared ones left out)."""
    with connect(path) as connection:
        rows = connection.execute(
            "select provider_id, name, value, note, set_by, set_at"
            " from provider_assumptions as a"
            " where provider_id = :provider"
            " and id = (select max(id) from provider_assumptions as later"
            "   where later.provider_id = a.provider_id and later.name = a.name)"
            " order by name",
            {"provider": provider_id},
        ).fetchall()
    rows_in_force = (_assumption(row) for row in rows)
    return {
        entry.name: entry
        for entry in rows_in_force
        if entry is not None and entry.value is not None
    }


def assumption_history(path: Path, *, provider_id: str, name: str) -> list[ProviderAssumption]:
    """Return every value set for one of a provider's assumptions, newest first.

    Raises:
        AssumptionEntryError: If the name is unknown.
    """
    try:
        key = AssumptionName(name)
    except ValueError:
        raise AssumptionEntryError(f"There is no assumption called {name!r}.") from None
    with connect(path) as connection:
        rows = connection.execute(
            "select provider_id, name, value, note, set_by, set_at from provider_assumptions"
            " where provider_id = ? and name = ? order by id desc",
            (provider_id, key.value),
        ).fetchall()
    return [entry for row in rows if (entry := _assumption(row)) is not None]


def _clean_note(value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise AssumptionEntryError("The note must be text.")
    note = " ".join(value.split())
    if len(note) > MAX_NOTE_LENGTH:
        raise AssumptionEntryError(f"Keep the note to {MAX_NOTE_LENGTH} characters or fewer.")
    return note or None


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _assumption(row: sqlite3.Row) -> ProviderAssumption | None:
    """A stored row; one naming an assumption this version does not know is skipped."""
    try:
        name = AssumptionName(row["name"])
    except ValueError:
        return None
    return ProviderAssumption(
        provider_id=row["provider_id"],
        name=name,
        value=_decimal(row["value"]),
        note=row["note"],
        set_by=row["set_by"],
        set_at=datetime.fromisoformat(row["set_at"]),
    )
