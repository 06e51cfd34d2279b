"""Quality targets: a rate per location and measure, set by owners and quality leads.

Targets live in the app's own SQLite file (the accounts file, table ``quality_targets``), not
in the warehouse: the dashboard opens the warehouse read-only and every nightly load replaces
it, so an edit written there would be lost. The table is an append-only history (SQLite
triggers refuse updates and deletes); the latest row for a location and measure wins and a
row with no rate clears the target. Every nightly load publishes the current targets into
``reference.quality_targets`` for analysts (``pipelines/targets.py``).

Who may do what is checked here, whatever the page shows: anyone who may read the provider's
quality data reads the targets of the locations in their scope; only owners and quality leads
(not inspectors) set them, and only for locations in their scope.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dashboards.access import AccessDeniedError
from dashboards.accounts.access_log import instant_text
from dashboards.accounts.schema import connect, create_file, transaction
from dashboards.errors import DashboardError
from dashboards.measures import QualityMeasure
from dashboards.roles import Audience, Identity, Role

TARGET_EDITOR_ROLES: frozenset[Role] = frozenset({Role.OWNER, Role.QUALITY_LEAD})
"""Roles that may set targets; inspectors and everyone else read them only."""
MAX_TARGET_RATE = 1000.0
"""The largest target accepted (per 1,000 of the exposure: one event per bed day or dose)."""
MAX_NOTE_LENGTH = 300


class TargetError(DashboardError):
    """A target value or note that cannot be stored (the message says why, for the user)."""


class TargetAccessError(AccessDeniedError):
    """The caller may not read or set this target."""


@dataclass(frozen=True, slots=True)
class QualityTarget:
    """The target in force for one location and measure.

    Attributes:
        location_id: The CQC location.
        measure: The measure.
        target_rate: The target in the measure's unit (``None``: cleared).
        note: Why this target, if the setter said.
        set_by: The username that set it.
        set_at: When (UTC).
    """

    location_id: str
    measure: QualityMeasure
    target_rate: float | None
    note: str | None
    set_by: str
    set_at: datetime


@dataclass(frozen=True, slots=True)
class TargetChange:
    """What one call of :meth:`TargetStore.set_target` changed.

    Attributes:
        previous: The rate in force before (``None``: there was none).
        current: The row just written.
    """

    previous: float | None
    current: QualityTarget

    def describe(self) -> str:
        """One line for the audit trail, e.g. ``1-201000001 falls: 4.5 -> 3 per 1,000``.

        The note is left out: it is free text.
        """
        return (
            f"{self.current.location_id} {self.current.measure}: "
            f"{_rate_text(self.previous)} -> {_rate_text(self.current.target_rate)}"
        )


def _rate_text(rate: float | None) -> str:
    return "none" if rate is None else f"{rate:g}"


def may_edit_targets(identity: Identity) -> bool:
    """Whether ``identity`` may set targets (owners and quality leads of a provider)."""
    return identity.data_role in TARGET_EDITOR_ROLES and identity.scope.provider_id is not None


def parse_target_rate(value: object) -> float | None:
    """Read a target as typed into the form: a number from 0 to 1,000, or blank to clear.

    Raises:
        TargetError: For anything else (text, a negative number, too large, not finite).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise TargetError("Enter the target as a number, or leave it blank to clear it.")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", ""))
        except ValueError:
            raise TargetError(
                "Enter the target as a number, or leave it blank to clear it."
            ) from None
    else:
        raise TargetError("Enter the target as a number, or leave it blank to clear it.")
    if not math.isfinite(number) or not 0 <= number <= MAX_TARGET_RATE:
        raise TargetError(f"The target must be a number from 0 to {MAX_TARGET_RATE:,.0f}.")
    return number


def clean_note(value: object) -> str | None:
    """A note as stored: trimmed text of at most 300 characters, or ``None``.

    Raises:
        TargetError: If the note is not text or is too long.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise TargetError("The note must be text.")
    note = " ".join(value.split())
    if len(note) > MAX_NOTE_LENGTH:
        raise TargetError(f"Keep the note to {MAX_NOTE_LENGTH} characters or fewer.")
    return note or None


class TargetStore:
    """The quality targets in the app's SQLite file, read and set for one identity at a time.

    Args:
        path: The accounts file (``DashboardConfig.accounts_path``); its schema is brought up
            to date if needed.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        create_file(self.path)

    def current_targets(
        self, *, identity: Identity
    ) -> dict[tuple[str, QualityMeasure], QualityTarget]:
        """The targets in force for the locations in the caller's scope.

        Returns:
            One entry per location and measure whose latest row has a rate, keyed by
            ``(location_id, measure)``; cleared targets are left out.

        Raises:
            TargetAccessError: If the identity may not read its provider's quality data.
        """
        provider_id = _readable_provider(identity)
        with connect(self.path) as connection:
            rows = connection.execute(
                "select location_id, measure, target_rate, note, set_by, set_at"
                " from quality_targets as t"
                " where provider_id = :provider"
                " and id = (select max(id) from quality_targets as later"
                "   where later.provider_id = t.provider_id"
                "   and later.location_id = t.location_id and later.measure = t.measure)"
                " order by location_id, measure",
                {"provider": provider_id},
            ).fetchall()
        targets = {}
        for row in rows:
            target = _target(row)
            if target is None or target.target_rate is None:
                continue
            if _in_location_scope(identity, target.location_id):
                targets[(target.location_id, target.measure)] = target
        return targets

    def history(
        self, *, identity: Identity, location_id: str, measure: QualityMeasure | str
    ) -> list[QualityTarget]:
        """Every target set for one location and measure in scope, newest first.

        Raises:
            TargetAccessError: If the identity may not read it.
            ValueError: If ``measure`` is unknown.
        """
        provider_id = _readable_provider(identity)
        checked = QualityMeasure(measure)
        if not _in_location_scope(identity, location_id):
            raise TargetAccessError(f"{identity.username} may not read targets of {location_id}")
        with connect(self.path) as connection:
            rows = connection.execute(
                "select location_id, measure, target_rate, note, set_by, set_at"
                " from quality_targets where provider_id = ? and location_id = ? and measure = ?"
                " order by id desc",
                (provider_id, location_id, str(checked)),
            ).fetchall()
        return [target for row in rows if (target := _target(row)) is not None]

    def set_target(
        self,
        *,
        identity: Identity,
        location_id: str,
        measure: QualityMeasure | str,
        target_rate: float | None,
        note: str | None,
        locations: Collection[str],
        now: datetime,
    ) -> TargetChange:
        """Set (or with ``target_rate=None`` clear) the target of one location and measure.

        Args:
            identity: Who is setting it: an owner or quality lead of the provider.
            location_id: The location.
            measure: The measure.
            target_rate: The target in the measure's unit, from 0 to 1,000; ``None`` clears.
            note: Why, optionally (at most 300 characters).
            locations: The locations of the caller's provider in their scope, as the warehouse
                knows them (``queries.quality_locations``): the location must be one.
            now: The current time.

        Raises:
            TargetAccessError: If the identity may not set targets or the location is out of
                its scope.
            TargetError: If the rate or note cannot be stored.
            ValueError: If ``measure`` is unknown.
        """
        checked = QualityMeasure(measure)
        if not may_edit_targets(identity):
            raise TargetAccessError(f"{identity.username} may not set targets")
        if location_id not in locations or not _in_location_scope(identity, location_id):
            raise TargetAccessError(f"{identity.username} may not set targets of {location_id}")
        rate = parse_target_rate(target_rate)
        cleaned = clean_note(note)
        stamp = instant_text(now)
        with connect(self.path) as connection, transaction(connection):
            before = connection.execute(
                "select target_rate from quality_targets"
                " where provider_id = ? and location_id = ? and measure = ?"
                " order by id desc limit 1",
                (identity.scope.provider_id, location_id, str(checked)),
            ).fetchone()
            connection.execute(
                "insert into quality_targets (provider_id, location_id, measure, target_rate,"
                " note, set_by, set_at) values (?, ?, ?, ?, ?, ?, ?)",
                (
                    identity.scope.provider_id,
                    location_id,
                    str(checked),
                    rate,
                    cleaned,
                    identity.username,
                    stamp,
                ),
            )
        return TargetChange(
            previous=before["target_rate"] if before else None,
            current=QualityTarget(
                location_id=location_id,
                measure=checked,
                target_rate=rate,
                note=cleaned,
                set_by=identity.username,
                set_at=datetime.fromisoformat(stamp),
            ),
        )


def _readable_provider(identity: Identity) -> str:
    """The provider whose targets ``identity`` may read, or refuse."""
    provider_id = identity.scope.provider_id
    if provider_id is None or not identity.may_read(Audience.PROVIDER):
        raise TargetAccessError(f"{identity.username} may not read quality targets")
    return provider_id


def _in_location_scope(identity: Identity, location_id: str) -> bool:
    locations = identity.scope.location_ids
    return locations is None or location_id in locations


def _target(row: sqlite3.Row) -> QualityTarget | None:
    """A stored row as a target; a row naming a measure this version does not know is skipped."""
    try:
        measure = QualityMeasure(row["measure"])
    except ValueError:
        return None
    return QualityTarget(
        location_id=row["location_id"],
        measure=measure,
        target_rate=row["target_rate"],
        note=row["note"],
        set_by=row["set_by"],
        set_at=datetime.fromisoformat(row["set_at"]),
    )
